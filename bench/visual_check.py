"""Benchmark (issue 17, item 2): what the visual comparison costs inside docaudit's validation
of the same file, in one process.

    .venv/bin/python bench/visual_check.py [--rounds 7]

Builds, with the test kit's attack corpus (tests/testkit/attacks.py), the files an audit meets:
one signature (a single revision), the NĐ 30 pair (person, then agency), the same pair with LTV
material and a document timestamp, a receiving office's stamp and signature, a shadow attack,
and a five-page decision stamped on its first page or covered on every page. For each file it
times, interleaved round by round so that a shared machine's drift weighs on both alike:

* ``verify_pdf`` as ``scan`` runs it — every signature validated, and for each one followed by
  later revisions docaudit's review of them (review.py), which calls the visual check; the time
  spent inside ``visual_check`` is measured in place (a timer around it), and the rest is the
  validation without it;
* ``verify_pdf`` with the visual check replaced by a stub that answers "not needed" — the
  validation as it was before the hook, measured directly;
* the visual check standalone: a fresh reader, nothing known (as a caller without the validator
  would run it).

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

from docaudit.signatures import TrustStore, ValidationSettings, review, validate, verify_pdf  # noqa: E402
from docaudit.signatures.visual import VisualComparison, visual_check  # noqa: E402
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


class _Timed:
    """``review.visual_check`` with a timer around it (and its last answers kept)."""

    def __init__(self, check) -> None:
        self.check, self.seconds, self.results = check, 0.0, []

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            result = self.check(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start
        self.results.append(result)
        return result


def _not_needed(*args, **kwargs) -> VisualComparison:
    return VisualComparison("not_needed", reason="switched off (benchmark baseline)")


def hooked(data: bytes, settings: ValidationSettings) -> tuple[float, float, float, list]:
    """verify_pdf as scan runs it: (total seconds, seconds inside docaudit's review of the later
    revisions — the visual check included —, seconds inside the visual check, its answers)."""
    timed, whole = _Timed(visual_check), _Timed(validate.review)
    review.visual_check, validate.review = timed, whole
    try:
        start = time.perf_counter()
        verify_pdf(data, settings)
        return time.perf_counter() - start, whole.seconds, timed.seconds, timed.results
    finally:
        review.visual_check, validate.review = visual_check, whole.check


def without(data: bytes, settings: ValidationSettings) -> float:
    """verify_pdf with the visual check switched off."""
    review.visual_check = _not_needed
    try:
        start = time.perf_counter()
        verify_pdf(data, settings)
        return time.perf_counter() - start
    finally:
        review.visual_check = visual_check


def standalone(data: bytes) -> float:
    start = time.perf_counter()
    for end in signed_ends(PdfFileReader(io.BytesIO(data), strict=False)):
        visual_check(data, end)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    settings = ValidationSettings(TrustStore(roots=tuple(x509.Certificate.load(d) for d in attacks.trust_anchors())))
    files = {name: build() for name, build in FILES.items()}
    for data in files.values():  # warm up: imports, PDFium's own start, the validator's memos
        hooked(data, settings)
        without(data, settings)
        standalone(data)
    total: dict[str, list[float]] = {name: [] for name in files}
    inside: dict[str, list[float]] = {name: [] for name in files}
    reviewed: dict[str, list[float]] = {name: [] for name in files}
    off: dict[str, list[float]] = {name: [] for name in files}
    alone: dict[str, list[float]] = {name: [] for name in files}
    outcome: dict[str, list] = {}
    for round_number in range(args.rounds):
        for name, data in files.items():
            # the two validations in alternate order, round by round: the second of a pair finds
            # the first's caches warm
            if round_number % 2:
                off[name].append(without(data, settings))
            seconds, whole, visual, outcome[name] = hooked(data, settings)
            total[name].append(seconds)
            reviewed[name].append(whole)
            inside[name].append(visual)
            if not round_number % 2:
                off[name].append(without(data, settings))
            alone[name].append(standalone(data))

    ms = lambda values: statistics.median(values) * 1000  # noqa: E731
    print(f"{args.rounds} rounds, medians. validation: verify_pdf as scan runs it; visual: the time inside the "
          "visual check (hooked); off: verify_pdf with the visual check switched off; standalone: the check "
          "on a fresh reader, nothing known")
    print(f"{'file':38s} {'calls':>5s} {'pages':>5s} {'validation':>10s} {'visual':>8s} {'share':>6s} "
          f"{'off':>8s} {'standalone':>10s}  check")
    groups: dict[str, list[float]] = {"single revision": [], "nothing rendered": [], "pages rendered": []}
    for name in files:
        results = outcome[name]
        rendered = sum(len(r.pages) for r in results)
        t, v, o, a = ms(total[name]), ms(inside[name]), ms(off[name]), ms(alone[name])
        statuses = "/".join(sorted({r.status for r in results})) or "not called"
        print(f"{name:38s} {len(results):5d} {rendered:5d} {t:8.1f}ms {v:6.2f}ms {v / t:6.1%} {o:6.1f}ms "
              f"{a:8.2f}ms  {statuses}")
        group = ("single revision" if name.startswith("one signature") else
                 "pages rendered" if rendered else "nothing rendered")
        groups[group].append(v / t)
    print()
    for group, shares in groups.items():
        if shares:
            print(f"{group:22s}: visual check = {statistics.mean(shares):6.1%} of the validation time "
                  f"(mean over {len(shares)} file{'s' if len(shares) > 1 else ''})")
    name = "one signature (1 revision)"
    print(f"single-revision file: the visual check called {len(outcome[name])} times; docaudit's review of later "
          f"revisions (the %%EOF tail check, then nothing) {statistics.median(reviewed[name]) * 1e6:.1f} µs per file, "
          f"{statistics.median(reviewed[name]) / statistics.median(total[name]):.2%} of its validation")
    name = "person + agency (2 revisions)"
    print(f"person + agency: docaudit's review {statistics.median(reviewed[name]) * 1e6:.1f} µs per file "
          f"(visual check {statistics.median(inside[name]) * 1e6:.1f} µs, nothing rendered)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
