"""Benchmark (issue 17, item 2): what the visual comparison costs, against docaudit's signature
validation of the same file, in one process.

    .venv/bin/python bench/visual_check.py [--rounds 7]

Builds, with the test kit's attack corpus (tests/testkit/attacks.py), the files an audit meets:
one signature (a single revision), the NĐ 30 pair (person, then agency), the same pair with LTV
material and a document timestamp, a receiving office's stamp and signature, a shadow attack,
and a five-page decision stamped on its first page or covered on every page. For each file it
times, interleaved round by round so that a shared machine's drift weighs on both alike:

* the baseline: ``verify_pdf`` — docaudit's validation of every signature, as ``scan`` does it;
* the visual check of every signature, as validate.py would run it once hooked in: inside
  docaudit's pyHanko speed-ups (``patches.applied``), on the pyHanko reader the validator already
  holds (its signatures read, so they are not parsed twice), ``visual_check(data, signed_end,
  reader=reader)`` — the verified signature-only check, else the later changes found and the
  pages concerned rendered and compared.

Prints the medians in milliseconds, the pages rendered, the visual check as a share of the
validation, and the verdict of the check; then the cost per single-revision file (nothing is
rendered: the check returns before PDFium is touched), per file with later signatures only, and
per file that needs rendering. No figure is asserted: the test suite has no timed tests.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from docaudit.quiet import silence_known_dependency_warnings  # noqa: E402

silence_known_dependency_warnings()  # as the console entry point does, before pyHanko loads

from asn1crypto import x509  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402

from docaudit.signatures import TrustStore, ValidationSettings, patches, verify_pdf  # noqa: E402
from docaudit.signatures.visual import _signatures_only, visual_check  # noqa: E402
from tests.testkit import attacks  # noqa: E402


def five_pages_stamped() -> bytes:
    stamp = attacks.STAMP_RECT
    content = b"0.8 0 0 RG 1 w 1 1 158 34 re S\n" + attacks.text_ops("DEN So: 125 Ngay: 12/3/2021", 8, 6, 14)
    return attacks.add_annotation(attacks.signed_base(5), "/Stamp", stamp, page=0, content=content)


def five_pages_covered() -> bytes:
    """A comment over a line of every page: five pages rendered, five differences (the worst case
    the limits allow without cutting)."""
    data = attacks.signed_base(5)
    for page in range(5):
        box = (80, 600, 400, 620)
        data = attacks.add_annotation(data, "/Square", box, page=page, content=attacks.white_box(box),
                                      label=f"cover:{page}")
    return data


FILES = {
    "one signature (1 revision)": lambda: attacks.build("control_signed"),
    "person + agency (2 revisions)": lambda: attacks.build("control_two_signatures"),
    "+ DSS + document timestamp (4 rev.)": lambda: attacks.build("archive_timestamp"),
    "receipt stamp + signature (4 rev.)": lambda: attacks.build("receipt_stamp_then_signature"),
    "shadow replace (2 rev.)": lambda: attacks.build("shadow_replace"),
    "5 pages, stamp on page 1 (2 rev.)": five_pages_stamped,
    "5 pages, every page covered (6 rev.)": five_pages_covered,
}


def signed_ends(reader: PdfFileReader) -> list[int]:
    return [sig.byte_range[2] + sig.byte_range[3] for sig in reader.embedded_signatures]


def visual_all(data: bytes, hooked: bool) -> tuple[float, list]:
    """Every signature's visual check. ``hooked``: as validate.py will call it — on the reader it
    holds (signatures read), inside its pyHanko speed-ups, told what its verified signature-only
    check answered for that revision (computed before the clock starts, as the validator has);
    else standalone: a fresh reader, nothing known."""
    if not hooked:
        start = time.perf_counter()
        results = [visual_check(data, end) for end in signed_ends(PdfFileReader(io.BytesIO(data), strict=False))]
        return time.perf_counter() - start, results
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    ends = signed_ends(reader)
    known = [_signatures_only(reader, end, data) for end in ends]
    with patches.applied():  # entered by verify_pdf already where the hook runs: not timed
        start = time.perf_counter()
        results = [visual_check(data, end, reader=reader, signatures_only=only) for end, only in zip(ends, known)]
        return time.perf_counter() - start, results


def validate(data: bytes, settings: ValidationSettings) -> float:
    start = time.perf_counter()
    verify_pdf(data, settings)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    settings = ValidationSettings(TrustStore(roots=tuple(x509.Certificate.load(d) for d in attacks.trust_anchors())))
    files = {name: build() for name, build in FILES.items()}
    for data in files.values():  # warm up: imports, PDFium's own start, the validator's memos
        validate(data, settings)
        visual_all(data, True)
        visual_all(data, False)
    base: dict[str, list[float]] = {name: [] for name in files}
    hooked: dict[str, list[float]] = {name: [] for name in files}
    alone: dict[str, list[float]] = {name: [] for name in files}
    outcome: dict[str, list] = {}
    for _ in range(args.rounds):
        for name, data in files.items():
            base[name].append(validate(data, settings))
            seconds, outcome[name] = visual_all(data, True)
            hooked[name].append(seconds)
            alone[name].append(visual_all(data, False)[0])

    print(f"{args.rounds} rounds, medians; baseline: verify_pdf (docaudit's validation of every signature); "
          "visual: as hooked into it; standalone: a fresh reader, nothing known")
    print(f"{'file':38s} {'sigs':>4s} {'pages':>5s} {'validation':>10s} {'visual':>8s} {'share':>6s} "
          f"{'standalone':>10s}  check")
    groups: dict[str, list[float]] = {"single revision": [], "nothing rendered": [], "pages rendered": []}
    for name in files:
        results = outcome[name]
        rendered = sum(len(r.pages) for r in results)
        b = statistics.median(base[name]) * 1000
        v, a = statistics.median(hooked[name]) * 1000, statistics.median(alone[name]) * 1000
        statuses = "/".join(sorted({r.status for r in results}))
        print(f"{name:38s} {len(results):4d} {rendered:5d} {b:8.1f}ms {v:6.2f}ms {v / b:6.1%} {a:8.2f}ms  {statuses}")
        group = ("single revision" if name.startswith("one signature") else
                 "pages rendered" if rendered else "nothing rendered")
        groups[group].append(v / b)
    print()
    for group, shares in groups.items():
        if shares:
            print(f"{group:22s}: visual check = {statistics.mean(shares):6.1%} of the validation time "
                  f"(mean over {len(shares)} file{'s' if len(shares) > 1 else ''})")
    single = statistics.median(hooked["one signature (1 revision)"]) * 1e6
    print(f"single-revision file: {single:.0f} µs per file, nothing rendered (returns before PDFium is touched)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
