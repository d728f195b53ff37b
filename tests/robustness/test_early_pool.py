"""A plain scan with a pool forks its workers before the main process opens the store (their
start overlaps), the scan then uses that very pool, and a scan that fails leaves no worker behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from docaudit import scan as scan_module
from docaudit.errors import DocauditError
from docaudit.scan import ScanOptions, prepare_scan, scan, start_pool_early, stop_early_pools

from .test_streaming import TRUST, _audit_folder


def test_the_workers_start_before_the_store_opens_and_the_scan_uses_them(tmp_path: Path, monkeypatch) -> None:
    root = _audit_folder(tmp_path)
    options = ScanOptions(root=root, trust=(TRUST,), db_url=f"sqlite:///{tmp_path / 'a.db'}", jobs=2)
    seen = {}
    from docaudit.store import Store

    opened = Store.open

    def open_store(url):
        # by the time the store opens, both workers are running
        seen["workers"] = sum(len(pool._processes) for pool in scan_module._early_pools.values())
        return opened(url)

    monkeypatch.setattr(Store, "open", staticmethod(open_store))
    pooled = scan(options)
    assert seen["workers"] == 2
    assert not scan_module._early_pools  # taken by the scan
    alone = scan(ScanOptions(root=root, trust=(TRUST,), db_url=f"sqlite:///{tmp_path / 'b.db'}", jobs=1))
    assert [r.evidence.verdict for r in pooled.results] == [r.evidence.verdict for r in alone.results]


def test_no_early_pool_for_one_job_or_few_files(tmp_path: Path) -> None:
    root = _audit_folder(tmp_path)
    start_pool_early(prepare_scan(ScanOptions(root=root, trust=(TRUST,), jobs=1, store=False)))
    assert not scan_module._early_pools
    few = tmp_path / "few"
    (few / "files").mkdir(parents=True)
    (few / "register.csv").write_text(
        "agency,direction,number,date,channel,via_system,file\nUBND-X,outgoing,1/QĐ-UBND,2021-01-04,electronic,yes,files/a.pdf\n",
        encoding="utf-8")
    start_pool_early(prepare_scan(ScanOptions(root=few, trust=(TRUST,), jobs=2, store=False)))
    assert not scan_module._early_pools


def test_a_scan_that_fails_after_starting_its_workers_stops_them(tmp_path: Path) -> None:
    root = _audit_folder(tmp_path)
    options = ScanOptions(root=root, trust=(TRUST,), db_url="nosuchdialect://x", jobs=2)
    with pytest.raises(DocauditError):
        scan(options)
    assert not scan_module._early_pools
    start_pool_early(prepare_scan(options))
    pools = list(scan_module._early_pools.values())
    stop_early_pools()
    assert not scan_module._early_pools and all(not pool._processes for pool in pools)
