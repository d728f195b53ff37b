"""A benchmark corpus: N register entries over several agencies, pointing at generated documents.

48 distinct documents are generated with tests.testkit (one or two signatures, 1–5 pages,
some changed after signing, some unsigned, some scanned, one agency with an expired certificate)
and copied under distinct names until N files exist; the register lists every file. Nothing in
docaudit caches by file content during a plain scan, so copies cost what distinct files cost.
The corpus is cached under bench/out/ (delete it to rebuild).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.testkit import (  # noqa: E402
    TestPKI,
    modify_after_signing,
    organisation_subject,
    person_subject,
    render_pdf,
    render_scan_pdf,
    sign_person_and_org,
    spec_for,
)

VN = dt.timezone(dt.timedelta(hours=7))
AGENCIES = ["UBND-A", "UBND-B", "SO-C", "SO-D", "HU-E"]
KINDS = ["two", "two", "two", "two", "one", "one", "modified", "unsigned", "scan", "expired", "two", "one"]
DISTINCT = 48
NOT_AFTER = dt.datetime(2040, 12, 31)  # far enough that "now" and "signing time" agree for years


def _document(index: int, pki: TestPKI, kind: str) -> bytes:
    day = dt.date(2021, 1, 4) + dt.timedelta(days=index * 3)
    spec = spec_for(doc_type="QĐ", number=f"{index + 1:02d}/QĐ-UBND", on=day, place="Bắc Quang",
                    agency="ỦY BAN NHÂN DÂN HUYỆN BẮC QUANG", agency_parent="UBND TỈNH HÀ GIANG",
                    subject="Phê duyệt kế hoạch chuyển đổi số", signer_authority="TM. ỦY BAN NHÂN DÂN",
                    signer_position="CHỦ TỊCH", signer_name="Nguyễn Văn An", pages=1 + index % 5)
    if kind == "scan":
        return render_scan_pdf(spec)
    pdf = render_pdf(spec)
    if kind == "unsigned":
        return pdf
    expired = kind == "expired"
    kw = dict(not_before=dt.datetime(2019, 1, 1), not_after=dt.datetime(2020, 12, 31)) if expired else dict(
        not_after=NOT_AFTER)
    person = pki.issue(f"bench-person-{expired}", person_subject("Nguyễn Văn An", "UBND huyện Bắc Quang",
                                                                  "Ủy ban nhân dân huyện Bắc Quang", "001088012345"),
                       kind="person", **kw)
    org = pki.issue(f"bench-org-{expired}", organisation_subject("Ủy ban nhân dân huyện Bắc Quang", "1034567"),
                    kind="organisation", **kw)
    signed = sign_person_and_org(pdf, person, None if kind == "one" else org,
                                 person_time=dt.datetime.combine(day, dt.time(9), VN),
                                 org_time=dt.datetime.combine(day, dt.time(9, 30), VN))
    return modify_after_signing(signed) if kind == "modified" else signed


def build(n: int, out: Path | None = None) -> Path:
    """The audit folder for ``n`` entries (built once, then reused)."""
    root = out or HERE / "out" / f"corpus-{n}"
    if (root / "register.csv").is_file():
        return root
    templates = HERE / "out" / "templates"
    pki = TestPKI.generate(2021)
    if not (templates / f"{DISTINCT - 1:02d}.pdf").is_file():
        templates.mkdir(parents=True, exist_ok=True)
        for index in range(DISTINCT):
            (templates / f"{index:02d}.pdf").write_bytes(_document(index, pki, KINDS[index % len(KINDS)]))
        (templates / "root.pem").write_bytes(pki.root_pem())
    shutil.rmtree(root, ignore_errors=True)
    (root / "files").mkdir(parents=True)
    shutil.copy(templates / "root.pem", root / "root.pem")
    rng = random.Random(n)
    lines = ["agency,direction,number,date,channel,via_system,file"]
    for index in range(n):
        agency = AGENCIES[index % len(AGENCIES)]
        folder = root / "files" / agency
        folder.mkdir(exist_ok=True)
        name = f"files/{agency}/{index:06d}.pdf"
        shutil.copy(templates / f"{rng.randrange(DISTINCT):02d}.pdf", root / name)
        day = dt.date(2021, 1, 1) + dt.timedelta(days=index % 360)
        channel = "both" if index % 17 == 0 else "electronic"
        lines.append(f"{agency},outgoing,{index + 1}/QĐ-{agency},{day.isoformat()},{channel},yes,{name}")
    (root / "register.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


if __name__ == "__main__":
    print(build(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
