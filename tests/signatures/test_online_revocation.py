"""Revocation online (``--online``, issue 16 item 4), against a CRL and an OCSP responder this test
serves on 127.0.0.1 (tests/testkit/revocation.py), never the internet.

* offline (the default) nothing is fetched and verdicts are as before;
* online, a certificate revoked before the signing time makes the signature ``invalid`` (REVOKED),
  one revoked after it does not count against it, and a status that cannot be established (server
  down, HTTP 500, junk, a timeout, no address, data that no longer covers an expired certificate)
  leaves it ``indeterminate`` (TRY_LATER) with a note naming the address — never valid;
* every address is fetched once per run (pool workers included: they never fetch), and a fetched
  CRL is kept in the store until its nextUpdate;
* the evidence cache never gives an online run an offline verdict, or the other way round.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from docaudit.evidence import inspect_bytes
from docaudit.incremental import EvidenceCache
from docaudit.pipeline.build import build_report
from docaudit.pipeline.report import signature_to_json
from docaudit.scan import ScanOptions, scan
from docaudit.signatures import ValidationSettings
from docaudit.signatures import online as online_module
from docaudit.signatures.online import OnlineRevocation
from docaudit.signatures.trust import load_trust
from docaudit.store import Store
from docaudit.text import render
from tests.cli.helpers import run_cli
from tests.report.test_report_doc import DOC, ONLINE_ONLY, documented_paths, key_paths
from tests.testkit import render_pdf, sign_pdf, spec_for
from tests.testkit.revocation import OnlinePKI, RevocationServer, closed_port_url, slow

UTC = dt.timezone.utc
VN = dt.timezone(dt.timedelta(hours=7))
SIGNED_AT = dt.datetime(2021, 3, 5, 9, 0, tzinfo=VN)
BEFORE = dt.datetime(2021, 1, 1, tzinfo=UTC)
AFTER = dt.datetime(2022, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def server():
    server = RevocationServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def pki(server) -> OnlinePKI:
    return OnlinePKI(server)


@pytest.fixture(scope="module")
def trust(pki, tmp_path_factory):
    root = tmp_path_factory.mktemp("trust") / "root.pem"
    root.write_bytes(pki.root_pem())
    return load_trust([root])


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(spec_for(doc_type="QĐ", number="01/QĐ-UBND", on=SIGNED_AT.date(), place="Bắc Quang",
                               agency="ỦY BAN NHÂN DÂN HUYỆN BẮC QUANG", agency_parent="UBND TỈNH HÀ GIANG",
                               subject="Kiểm tra thu hồi trực tuyến", signer_authority="TM. ỦY BAN NHÂN DÂN",
                               signer_position="CHỦ TỊCH", signer_name="Nguyễn Văn An", pages=1))


@pytest.fixture(autouse=True)
def _fresh_requests(server):
    server.forget()


def _signed(pdf: bytes, identity) -> bytes:
    return sign_pdf(pdf, identity, field_name="Sig1", signing_time=SIGNED_AT)


def _judge(data: bytes, trust, online: OnlineRevocation | None):
    evidence = inspect_bytes("doc.pdf", data, ValidationSettings(trust=trust, online=online))
    return online.settle(evidence) if online is not None else evidence


def _notes(online: OnlineRevocation) -> list[str]:
    return [render(note, "en") for note in online.notes()]


# --------------------------------------------------------------------------- verdicts


def test_offline_is_the_default_and_asks_nobody(server, pki, trust, pdf) -> None:
    identity = pki.issue("Ngoại tuyến")
    pki.revoke(identity, BEFORE)  # the CA says revoked, but offline nobody asks it
    evidence = _judge(_signed(pdf, identity), trust, None)
    assert evidence.verdict.verdict.value == "valid"
    signature = evidence.verdict.signatures[0]
    assert signature.revocation is None and "revocation" not in signature_to_json(signature)
    assert server.seen() == []


@pytest.mark.parametrize("channel", ["crl", "ocsp"])
def test_a_good_certificate_stays_valid(server, pki, trust, pdf, channel) -> None:
    identity = pki.issue(f"Còn hiệu lực {channel}", crl="/ca.crl" if channel == "crl" else None)
    online = OnlineRevocation(5)
    evidence = _judge(_signed(pdf, identity), trust, online)
    signature = evidence.verdict.signatures[0]
    assert evidence.verdict.verdict.value == "valid", signature
    assert signature.revocation.status == "good" and signature.reasons == ()
    assert server.url("/ca.crl" if channel == "crl" else "/ocsp") in signature.revocation.sources
    assert server.url("/root.crl") in signature.revocation.sources  # the CA's own certificate too
    assert signature_to_json(signature)["revocation"]["status"] == "good"
    assert _notes(online) == []


@pytest.mark.parametrize("channel", ["crl", "ocsp"])
def test_revoked_before_the_signing_time_is_invalid(server, pki, trust, pdf, channel) -> None:
    identity = pki.issue(f"Thu hồi trước {channel}", crl="/ca.crl" if channel == "crl" else None)
    pki.revoke(identity, BEFORE)
    data = _signed(pdf, identity)
    assert _judge(data, trust, None).verdict.verdict.value == "valid"  # offline it cannot know
    evidence = _judge(data, trust, OnlineRevocation(5))
    signature = evidence.verdict.signatures[0]
    assert evidence.verdict.verdict.value == "invalid" and "REVOKED" in evidence.verdict.reasons
    assert signature.revocation.status == "revoked" and signature.revocation.revoked_at == BEFORE
    assert "revoked on 2021-01-01" in signature.detail


@pytest.mark.parametrize("channel", ["crl", "ocsp"])
def test_revoked_after_the_signing_time_stays_valid(server, pki, trust, pdf, channel) -> None:
    identity = pki.issue(f"Thu hồi sau {channel}", crl="/ca.crl" if channel == "crl" else None)
    pki.revoke(identity, AFTER, reason=None)
    evidence = _judge(_signed(pdf, identity), trust, OnlineRevocation(5))
    signature = evidence.verdict.signatures[0]
    assert evidence.verdict.verdict.value == "valid", signature
    assert signature.revocation.status == "good" and signature.revocation.revoked_at == AFTER


@pytest.mark.parametrize("case", ["down", "http-500", "junk", "timeout"])
def test_a_source_that_fails_leaves_the_signature_indeterminate_with_a_note(server, pki, trust, pdf, case) -> None:
    routes = {"http-500": lambda _: (500, b"internal error"), "junk": lambda _: (200, b"<html>not a CRL</html>"),
              "timeout": slow(3)}
    url = closed_port_url() if case == "down" else server.url(f"/{case}.crl")
    if case in routes:
        server.routes[f"/{case}.crl"] = routes[case]
    identity = pki.issue(f"Nguồn lỗi {case}", crl=url, ocsp_path=None)
    online = OnlineRevocation(0.5)
    evidence = _judge(_signed(pdf, identity), trust, online)
    signature = evidence.verdict.signatures[0]
    assert evidence.verdict.verdict.value == "indeterminate", signature
    assert signature.reasons == ("TRY_LATER",) and signature.revocation.status == "undecided"
    assert url in signature.detail
    expected = {"down": "unreachable", "http-500": "HTTP status 500", "junk": "not a readable CRL",
                "timeout": "no answer within 0.5 s"}[case]
    notes = _notes(online)
    assert len(notes) == 1 and url in notes[0] and expected in notes[0], notes
    assert url in render(online.notes()[0], "vi") and "không dùng được" in render(online.notes()[0], "vi")


def test_a_certificate_that_names_no_source_is_indeterminate(server, pki, trust, pdf) -> None:
    identity = pki.issue("Không địa chỉ", crl=None, ocsp_path=None)
    online = OnlineRevocation(5)
    evidence = _judge(_signed(pdf, identity), trust, online)
    assert evidence.verdict.verdict.value == "indeterminate"
    assert "names no CRL or OCSP address" in evidence.verdict.signatures[0].detail
    assert any("Docaudit Online CA" in note and "no CRL or OCSP address" in note for note in _notes(online))


def test_the_crl_falls_back_to_the_ocsp_responder(server, pki, trust, pdf) -> None:
    server.routes["/gone.crl"] = lambda _: (404, b"")
    identity = pki.issue("CRL mất, OCSP còn", crl="/gone.crl")
    online = OnlineRevocation(5)
    evidence = _judge(_signed(pdf, identity), trust, online)
    assert evidence.verdict.verdict.value == "valid"
    assert server.url("/ocsp") in evidence.verdict.signatures[0].revocation.sources
    assert any("/gone.crl" in note and "HTTP status 404" in note for note in _notes(online))  # still noted


def test_a_delegated_ocsp_responder_is_accepted_and_a_stranger_is_not(server, pki, trust, pdf) -> None:
    responder = pki.delegated_responder()
    server.routes["/ocsp-delegated"] = lambda body: pki.answer_ocsp(body, signer=responder)
    identity = pki.issue("OCSP ủy quyền", crl=None, ocsp_path="/ocsp-delegated")
    assert _judge(_signed(pdf, identity), trust, OnlineRevocation(5)).verdict.verdict.value == "valid"

    stranger = OnlinePKI(server, prefix="/stranger")  # a responder certificate from another CA
    server.routes["/ocsp-stranger"] = lambda body: pki.answer_ocsp(body, signer=stranger.delegated_responder())
    other = pki.issue("OCSP lạ", crl=None, ocsp_path="/ocsp-stranger")
    online = OnlineRevocation(5)
    evidence = _judge(_signed(pdf, other), trust, online)
    assert evidence.verdict.verdict.value == "indeterminate"
    assert any("not signed by the certificate's issuer" in note for note in _notes(online))


def test_data_issued_after_the_certificate_expired_does_not_vouch_for_it(server, pki, trust, pdf) -> None:
    """The CA may have dropped an expired certificate from its CRL: not listed proves nothing."""
    identity = pki.issue("Đã hết hạn", ocsp_path=None, not_after=dt.datetime(2022, 1, 1, tzinfo=UTC))
    online = OnlineRevocation(5)
    evidence = _judge(_signed(pdf, identity), trust, online)
    assert evidence.verdict.verdict.value == "indeterminate"
    assert any("no longer tells the status of 1 expired certificate" in note for note in _notes(online)), _notes(online)


def test_each_address_is_fetched_once_per_run(server, pki, trust, pdf) -> None:
    online = OnlineRevocation(0.5)
    server.routes["/once-500.crl"] = lambda _: (500, b"")
    for n in range(3):
        _judge(_signed(pdf, pki.issue(f"Người ký {n}", ocsp_path=None)), trust, online)
        _judge(_signed(pdf, pki.issue(f"Người ký lỗi {n}", crl="/once-500.crl", ocsp_path=None)), trust, online)
    assert len(server.seen("/ca.crl")) == 1 and len(server.seen("/root.crl")) == 1
    assert len(server.seen("/once-500.crl")) == 1  # a failure is remembered too: one timeout per run
    sources = {s["url"]: s for s in online.summary()["sources"]}
    assert sources[server.url("/ca.crl")]["requests"] == 1 and sources[server.url("/once-500.crl")]["failed"] == 1


# --------------------------------------------------------------------------- scans: cache, pool, evidence cache


def _folder(root: Path, pdf: bytes, identities: list) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    rows = ["agency,direction,number,doc_type,date,subject,counterparty,channel,via_system,file"]
    for n, identity in enumerate(identities, 1):
        (root / f"{n:02d}.pdf").write_bytes(_signed(pdf, identity))
        rows.append(f"UBND-BQ,đi,{n:02d}/QĐ-UBND,QĐ,2021-03-05,Thử {n},Các xã,điện tử,có,{n:02d}.pdf")
    (root / "register.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


def _options(root: Path, trust_pem: Path, **changes) -> ScanOptions:
    return ScanOptions(root=root, trust=(str(trust_pem),), jobs=1, **changes)


@pytest.fixture
def trust_pem(pki, tmp_path) -> Path:
    path = tmp_path / "root.pem"
    path.write_bytes(pki.root_pem())
    return path


def test_an_offline_scan_asks_nobody_and_reports_as_before(server, pki, pdf, tmp_path, trust_pem) -> None:
    identity = pki.issue("Quét ngoại tuyến")
    pki.revoke(identity, BEFORE)
    root = _folder(tmp_path / "audit", pdf, [identity])
    result = scan(_options(root, trust_pem, store=False))
    assert [r.verdict.value for r in result.results] == ["valid"]
    assert "revocation" not in build_report(result).to_json() and server.seen() == []


def test_the_store_keeps_a_crl_until_its_next_update(server, pki, pdf, tmp_path, trust_pem, monkeypatch) -> None:
    identity = pki.issue("Bộ nhớ đệm", ocsp_path=None)
    root = _folder(tmp_path / "audit", pdf, [identity])
    options = _options(root, trust_pem, online=True, db_url=f"sqlite:///{tmp_path / 'db.sqlite'}")

    def run_at(moment: dt.datetime):
        monkeypatch.setattr(online_module, "clock", lambda: moment)
        server.forget()
        result = scan(options)
        assert [r.verdict.value for r in result.results] == ["valid"]
        return result

    first = run_at(pki.this_update + dt.timedelta(hours=1))
    assert len(server.seen("/ca.crl")) == 1 and len(server.seen("/root.crl")) == 1
    stored = json.loads(first.report.to_json_text())
    assert stored["revocation"]["mode"] == "online"  # the run records that it was online
    assert stored["entries"][0]["signatures"][0]["revocation"]["status"] == "good"
    # docs/REPORT.md documents every key of an online report, and each online key it documents is there
    documented = documented_paths(DOC.read_text(encoding="utf-8"))
    produced = set(key_paths(stored))
    assert not sorted(produced - documented)
    assert not sorted(p for p in documented - produced if p.startswith(ONLINE_ONLY))

    second = run_at(pki.next_update - dt.timedelta(hours=1))  # still fresh: nothing asked
    assert server.seen() == []
    assert {s["url"]: s["cached"] for s in second.report.revocation["sources"]}[server.url("/ca.crl")] == 1

    run_at(pki.next_update + dt.timedelta(hours=1))  # past nextUpdate: fetched again
    assert len(server.seen("/ca.crl")) == 1 and len(server.seen("/root.crl")) == 1
    with Store.open(options.db_url) as store:
        assert store.load_report(store.latest_run_id()).revocation["mode"] == "online"


@pytest.mark.parametrize("start", ["default", "spawn"])
def test_pool_workers_never_fetch_and_each_address_is_asked_once(server, pki, pdf, tmp_path, trust_pem,
                                                                  monkeypatch, start) -> None:
    """Workers (forked, or spawned as on Windows) only prepare the questions: the main process asks."""
    import multiprocessing

    from docaudit.pipeline import evaluate, executor

    monkeypatch.setattr(evaluate, "MIN_POOL_FILES", 2)
    if start == "spawn":
        monkeypatch.setattr(executor, "pool_context", lambda: multiprocessing.get_context("spawn"))
    good, revoked = pki.issue("Pool tốt", ocsp_path=None), pki.issue("Pool thu hồi", ocsp_path=None)
    pki.revoke(revoked, BEFORE)
    root = _folder(tmp_path / "audit", pdf, [good, revoked, good, revoked])
    result = scan(dataclasses.replace(_options(root, trust_pem, online=True, store=False), jobs=2))
    assert [r.verdict.value for r in result.results] == ["valid", "invalid", "valid", "invalid"]
    assert len(server.seen("/ca.crl")) == 1 and len(server.seen("/root.crl")) == 1


def test_the_evidence_cache_keeps_online_and_offline_apart(server, pki, pdf, tmp_path, trust_pem,
                                                           monkeypatch) -> None:
    identity = pki.issue("Cache tách biệt", ocsp_path=None)
    pki.revoke(identity, BEFORE)
    root = _folder(tmp_path / "audit", pdf, [identity])
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"

    def run(online: bool):
        with Store.open(url) as store:
            result = scan(_options(root, trust_pem, online=online, db_url=url), cache=EvidenceCache(store))
        return result.results[0].verdict.value, result.documents_reused

    assert run(False) == ("valid", 0)
    assert run(True) == ("invalid", 0)  # not the offline verdict
    assert run(False) == ("valid", 1)  # the offline evidence, reused
    assert run(True) == ("invalid", 1)  # the online evidence reused, the CAs asked again
    # the CA stops answering and its CRL is past nextUpdate: the reused evidence is judged afresh
    monkeypatch.setattr(online_module, "clock", lambda: pki.next_update + dt.timedelta(days=1))
    server.routes["/ca.crl"], saved = (lambda _: (500, b"")), server.routes["/ca.crl"]
    try:
        # the stale stored CRL still speaks for a signing time before it was issued: still revoked
        assert run(True) == ("invalid", 1)
        engine = sa.create_engine(url)  # without it, the status cannot be established
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM docaudit_revocation_cache"))
        engine.dispose()
        assert run(True) == ("indeterminate", 1)
    finally:
        server.routes["/ca.crl"] = saved


# --------------------------------------------------------------------------- the command line


def test_online_options_and_settings_are_checked(tmp_path, trust_pem) -> None:
    (tmp_path / "audit").mkdir()
    (tmp_path / "audit" / "register.csv").write_text("agency\n", encoding="utf-8")
    for args, words in (
        (("scan", tmp_path / "audit", "--online-timeout", "5"), "--online-timeout"),
        (("scan", tmp_path / "audit", "--online", "--online-timeout", "0"), "--online-timeout"),
        (("check", tmp_path / "x.pdf", "--online-timeout", "-1", "--online"), "--online-timeout"),
    ):
        proc = run_cli(*args, cwd=tmp_path)
        assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert words in proc.stderr and "Traceback" not in proc.stderr
    for value, key in (('online = "yes"', "online"), ("online = true\nonline_timeout = 0", "online_timeout")):
        (tmp_path / "docaudit.toml").write_text(f'{value}\n[[source]]\nroot = "audit"\n', encoding="utf-8")
        proc = run_cli("audit", cwd=tmp_path)
        assert proc.returncode == 2 and f"key '{key}'" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_check_online_and_offline(server, pki, pdf, tmp_path, trust_pem) -> None:
    identity = pki.issue("Kiểm tra dòng lệnh", ocsp_path=None)
    pki.revoke(identity, BEFORE)
    document = tmp_path / "doc.pdf"
    document.write_bytes(_signed(pdf, identity))
    offline = run_cli("check", document, "--trust", trust_pem, "--format", "json", "--lang", "en", cwd=tmp_path)
    assert json.loads(offline.stdout)["documents"][0]["verdict"] == "valid" and server.seen() == []
    online = run_cli("check", document, "--trust", trust_pem, "--format", "json", "--online", cwd=tmp_path)
    found = json.loads(online.stdout)["documents"][0]
    assert found["verdict"] == "invalid" and found["signatures"][0]["revocation"]["status"] == "revoked"
    assert "REVOKED" in found["signatures"][0]["reasons"] and online.stderr == ""


def test_audit_online_from_the_config_and_offline_from_the_command_line(server, pki, pdf, tmp_path,
                                                                        trust_pem) -> None:
    identity = pki.issue("Kiểm toán trực tuyến", ocsp_path=None)
    pki.revoke(identity, BEFORE)
    _folder(tmp_path / "audit", pdf, [identity])
    (tmp_path / "docaudit.toml").write_text(
        f'online = true\nonline_timeout = 5\ntrust = ["{trust_pem.as_posix()}"]\n[[source]]\nroot = "audit"\n',
        encoding="utf-8")
    proc = run_cli("audit", "--format", "json", "--quiet", "--exit-zero", cwd=tmp_path)
    report = json.loads(proc.stdout)
    assert proc.returncode == 0, proc.stderr
    assert report["revocation"]["mode"] == "online" and report["revocation"]["timeout_s"] == 5
    assert report["entries"][0]["verdict"] == "invalid"
    server.forget()
    proc = run_cli("audit", "--offline", "--format", "json", "--quiet", "--exit-zero", cwd=tmp_path)
    report = json.loads(proc.stdout)
    assert "revocation" not in report and report["entries"][0]["verdict"] == "valid" and server.seen() == []
