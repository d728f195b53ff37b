"""Fixtures for the scheduled-audit tests: a small audit folder built from copies of the samples
(seven documents, fast to evaluate), config files, and a lenient target pack."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from ..conftest import SAMPLES

TRUST = SAMPLES / "trust" / "root.pem"

# (agency, number, date, channel, via, sample file or None, case)
ROWS = [
    ("UBND-BQ", "01/QĐ-UBND", "2021-01-05", "electronic", "yes", "files/ubnd-bq/di/01-qd-ubnd.pdf", "valid"),
    ("UBND-BQ", "03/QĐ-UBND", "2021-02-01", "electronic", "yes", "files/ubnd-bq/di/03-qd-ubnd.pdf", "invalid"),
    ("UBND-BQ", "120/SNV-TCBC", "2021-03-03", "electronic", "yes", "files/ubnd-bq/den/120-snv-tcbc.pdf", "indeterminate"),
    ("UBND-BQ", "06/GM-UBND", "2021-03-22", "electronic", "yes", "files/ubnd-bq/di/06-gm-ubnd.pdf", "unsigned"),
    ("UBND-BQ", "07/KH-UBND", "2021-04-12", "electronic", "yes", "files/ubnd-bq/07-kh-ubnd.pdf", "missing"),
    ("UBND-BQ", "78/STC-NS", "2021-04-01", "paper", "no", None, "paper"),
    ("SO-TTTT", "25/STTTT-VP", "2021-01-21", "electronic", "yes", "files/so-tttt/di/25-stttt-vp.docx", "docx"),
    ("HU-BQ", "149-KH/HU", "2021-01-08", "electronic", "yes", "files/hu-bq/di/149-kh-hu.pdf", "valid"),
    ("HU-BQ", "150-BC/HU", "2021-02-19", "electronic", "yes", "files/hu-bq/di/150-bc-hu.pdf", "valid"),
]
SIGNED = 5  # valid, invalid, indeterminate and the two HU-BQ documents
UNSIGNED = 2  # the unsigned PDF and the DOCX
DOCUMENTS = SIGNED + UNSIGNED

LENIENT_PACK = """\
id: lenient
targets:
  via_software: {op: ">=", threshold: 0.0}
  paperless: {op: ">=", threshold: 0.0}
"""


def write_register(root: Path, rows=ROWS) -> None:
    with (root / "register.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["agency", "direction", "number", "doc_type", "date", "subject", "counterparty",
                         "channel", "via_system", "file"])
        for agency, number, date, channel, via, file, case in rows:
            writer.writerow([agency, "outgoing", number, "QĐ", date, f"Trích yếu {case}", "Các cơ quan",
                             channel, via, file or ""])


def build_folder(root: Path, rows=ROWS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for row in rows:
        file = row[5]
        if file and row[6] != "missing":
            target = root / file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(SAMPLES / file, target)
    write_register(root, rows)
    return root


@pytest.fixture
def folder(tmp_path) -> Path:
    """A small audit folder: seven documents, a missing file and a paper-only entry."""
    return build_folder(tmp_path / "audit")


@pytest.fixture
def lenient_pack(tmp_path) -> Path:
    path = tmp_path / "lenient.yaml"
    path.write_text(LENIENT_PACK, encoding="utf-8")
    return path


def write_config(folder: Path, text: str, name: str = "docaudit.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def basic_config(workdir: Path, root: Path, *, trust: bool = True, extra: str = "", db: str = "state/db.sqlite",
                 targets: str | None = None, period: str = "2021") -> Path:
    lines = [f'period = "{period}"', f'db = "{db}"']
    if trust:
        lines.append(f'trust = ["{TRUST}"]')
    if targets:
        lines.append(f'targets = "{targets}"')
    lines += [extra, "", "[[source]]", f'root = "{root}"', ""]
    return write_config(workdir, "\n".join(lines))
