"""Speed benchmark (issue 6): docaudit against a plain pyHanko loop, in one process, on one corpus.

    .venv/bin/python bench/run.py [--docs 2000] [--sizes 1000,5000,20000] [--skip-baseline]
    .venv/bin/python bench/run.py --memory 5000,20000

Prints, for the corpus of --docs entries: the baseline's documents/s (a plain loop calling pyHanko's
``validate_pdf_signature`` on every signature, with a fresh ``ValidationContext`` per document,
as a new user would write it: pyHanko as shipped, since docaudit's replacements inside it are in
place only while docaudit itself validates), docaudit ``scan``
documents/s with default settings (``--jobs`` = cores) and with ``--jobs 1``, the ratios, peak RSS,
and the time of an incremental re-scan of the unchanged folder. The docaudit runs (``--rounds``
of each kind) are interleaved with parts of the baseline, so that a shared machine's drifting
speed weighs on both alike; CPU time per document is printed beside docs/s. It then checks that docaudit's
document verdict equals the baseline's on every file and exits 1 if not. ``--sizes`` adds
docs/s at other corpus sizes (throughput should stay flat).

``--memory`` measures only docaudit ``scan`` (default jobs, results stored) at each size, each in a
fresh process, and prints that scan's own peak RSS: the main process and the largest worker (the
``--sizes`` figures are peaks "so far", over every run of the process).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from docaudit.quiet import silence_known_dependency_warnings  # noqa: E402

silence_known_dependency_warnings()  # as the console entry point does, before pyHanko loads

import corpus  # noqa: E402

from docaudit.model import Period  # noqa: E402
from docaudit.scan import ScanOptions, scan  # noqa: E402
from docaudit.signatures import memo  # noqa: E402


def baseline_verdict(data: bytes, roots) -> str:
    """The contract's document verdict from a plain pyHanko loop (fresh context per document)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception:  # noqa: BLE001 — unparsable: docaudit calls these unreadable (no verdict)
        return "unreadable"
    if not signatures:
        return "unsigned"
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    verdicts = []
    for signature in signatures:
        try:
            status = validate_pdf_signature(signature, context)
        except Exception:  # noqa: BLE001
            verdicts.append("invalid")
            continue
        broken = (
            not status.intact or not status.valid
            or status.coverage not in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION)
            or status.modification_level == ModificationLevel.OTHER or status.docmdp_ok is False
            or (status.trust_problem_indic is not None
                and status.trust_problem_indic.name in ("EXPIRED", "OUT_OF_BOUNDS_NO_POE", "REVOKED_NO_POE"))
        )
        verdicts.append("invalid" if broken else "valid" if status.bottom_line else "indeterminate")
    if "invalid" in verdicts:
        return "invalid"
    return "valid" if set(verdicts) == {"valid"} else "indeterminate"


def corpus_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in (root / "files").rglob("*.pdf"))


def run_baseline(root: Path, files: list[str]) -> tuple[float, dict[str, str]]:
    from asn1crypto import pem, x509

    roots = [x509.Certificate.load(pem.unarmor((root / "root.pem").read_bytes())[2])]
    # pyHanko logs a traceback for every untrusted or expired chain; a batch job would silence
    # that as docaudit does, and printing it is no part of validating
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    started = time.perf_counter()
    verdicts = {name: baseline_verdict((root / name).read_bytes(), roots) for name in files}
    return time.perf_counter() - started, verdicts


def run_docaudit(root: Path, jobs: int, db: Path, cache=None):
    options = ScanOptions(root=root, trust=(str(root / "root.pem"),), period=Period(), jobs=jobs,
                          db_url=f"sqlite:///{db}")
    memo.forget()  # every run starts with empty memos, as a fresh `docaudit scan` does
    started = time.perf_counter()
    result = scan(options, cache=cache) if cache is not None else scan(options)
    return time.perf_counter() - started, result


def verdicts_of(result) -> dict[str, str]:
    out = {}
    for entry in result.results:
        evidence = entry.evidence
        out[evidence.path] = evidence.verdict.verdict.value if evidence.present and evidence.verdict else "unreadable"
    return out


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers): on a shared
    machine whose speed drifts, CPU per document is the steadier figure beside docs/s."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def measure_one(size: int) -> int:
    """One stored scan of a ``size`` corpus in this (fresh) process: docs/s and peak RSS."""
    cores = os.cpu_count() or 1
    root = corpus.build(size)
    with tempfile.TemporaryDirectory(prefix="docaudit-bench-") as work:
        seconds, _ = run_docaudit(root, cores, Path(work) / "memory.sqlite")
    own, children = peak_rss_mb()
    print(f"size {size:6d}: {size / seconds:7.1f} docs/s (--jobs {cores}); peak RSS main process {own:.0f} MB, "
          f"largest worker {children:.0f} MB", flush=True)
    return 0


def measure_memory(sizes: list[int]) -> int:
    import subprocess

    for size in sizes:
        done = subprocess.run([sys.executable, __file__, "--measure-one", str(size)])
        if done.returncode:
            return done.returncode
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--sizes", default="", help="extra corpus sizes for the throughput curve, e.g. 1000,5000,20000")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--rounds", type=int, default=2,
                        help="docaudit runs of each kind, interleaved with parts of the baseline (default 2)")
    parser.add_argument("--memory", default="", metavar="SIZES",
                        help="only the peak RSS of one stored scan per size, each in a fresh process, e.g. 5000,20000")
    parser.add_argument("--measure-one", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_one is not None:
        return measure_one(args.measure_one)
    if args.memory:
        return measure_memory([int(s) for s in args.memory.split(",") if s.strip()])
    cores = os.cpu_count() or 1
    root = corpus.build(args.docs)
    print(f"machine: {cores} cores; corpus: {args.docs} entries at {root}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="docaudit-bench-"))

    # The machine may be shared and its speed drift over minutes: the runs are interleaved —
    # per round a default scan, a part of the baseline, a --jobs 1 scan, another part — so that
    # docaudit and the baseline see the same minutes. Every file goes through the baseline once.
    rounds = max(1, args.rounds)
    files = corpus_files(root)
    parts = [files[i * len(files) // (2 * rounds):(i + 1) * len(files) // (2 * rounds)] for i in range(2 * rounds)]
    took = {"default": [0.0, 0.0], "jobs1": [0.0, 0.0], "baseline": [0.0, 0.0]}  # seconds, CPU seconds
    base: dict[str, str] = {}
    result = result1 = None

    def timed(key: str, run):
        cpu = cpu_seconds()
        seconds, value = run()
        took[key][0] += seconds
        took[key][1] += cpu_seconds() - cpu
        return seconds, value

    for number in range(rounds):
        seconds, result = timed("default", lambda: run_docaudit(root, cores, work / f"default-{number}.sqlite"))
        print(f"round {number + 1}: docaudit default {args.docs / seconds:6.1f} docs/s", end="", flush=True)
        if not args.skip_baseline:
            seconds, part = timed("baseline", lambda: run_baseline(root, parts[2 * number]))
            base.update(part)
            print(f", baseline {len(part) / seconds:5.1f} docs/s", end="", flush=True)
        seconds, result1 = timed("jobs1", lambda: run_docaudit(root, 1, work / f"jobs1-{number}.sqlite"))
        print(f", --jobs 1 {args.docs / seconds:6.1f} docs/s", end="", flush=True)
        if not args.skip_baseline:
            seconds, part = timed("baseline", lambda: run_baseline(root, parts[2 * number + 1]))
            base.update(part)
            print(f", baseline {len(part) / seconds:5.1f} docs/s", end="", flush=True)
        print(flush=True)

    scanned = args.docs * rounds
    default_rate, cpu_default = scanned / took["default"][0], took["default"][1] / scanned * 1000
    jobs1_rate, cpu_jobs1 = scanned / took["jobs1"][0], took["jobs1"][1] / scanned * 1000
    seconds = took["default"][0] / rounds
    print(f"docaudit scan (default, --jobs {cores}): {seconds:7.1f} s  {default_rate:7.1f} docs/s"
          f"  ({cpu_default:.1f} ms CPU/doc, all processes; mean of {rounds} rounds)", flush=True)
    print(f"docaudit scan --jobs 1:              {took['jobs1'][0] / rounds:7.1f} s  {jobs1_rate:7.1f} docs/s"
          f"  ({cpu_jobs1:.1f} ms CPU/doc)", flush=True)

    incremental = None
    try:
        from docaudit.incremental import EvidenceCache  # the incremental cache of `docaudit audit`
        from docaudit.store import Store

        db = work / "incremental.sqlite"
        with Store.open(f"sqlite:///{db}") as store:
            run_docaudit(root, cores, db, cache=EvidenceCache(store))
            incremental, _ = run_docaudit(root, cores, db, cache=EvidenceCache(store))
    except Exception as exc:  # noqa: BLE001 — the figure is optional; say why it is missing
        print(f"incremental re-scan: not measured ({type(exc).__name__}: {exc})")
    if incremental is not None:
        print(f"incremental re-scan (unchanged):     {incremental:7.1f} s  ({seconds / incremental:.0f}x faster)")

    status = 0
    if not args.skip_baseline:
        base_rate, cpu_base = len(base) / took["baseline"][0], took["baseline"][1] / len(base) * 1000
        print(f"baseline (plain pyHanko loop):       {took['baseline'][0]:7.1f} s  {base_rate:7.1f} docs/s"
              f"  ({cpu_base:.1f} ms CPU/doc)")
        print(f"ratio default / baseline: {default_rate / base_rate:5.1f}x   --jobs 1 / baseline: {jobs1_rate / base_rate:5.1f}x")
        print(f"CPU per document, baseline / docaudit: {cpu_base / cpu_default:5.1f}x (default, all processes)"
              f"   {cpu_base / cpu_jobs1:5.1f}x (--jobs 1)")
        ours = verdicts_of(result)
        agree = sum(1 for name, verdict in base.items() if ours.get(name) == verdict)
        print(f"verdict agreement with the baseline: {agree}/{len(base)}")
        if agree != len(base):
            for name, verdict in sorted(base.items()):
                if ours.get(name) != verdict:
                    print(f"  {name}: baseline {verdict}, docaudit {ours.get(name)}")
            status = 1
        if verdicts_of(result1) != ours:
            print("--jobs 1 and the default disagree")
            status = 1
    own, children = peak_rss_mb()
    print(f"peak RSS: main process {own:.0f} MB, largest worker {children:.0f} MB")

    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        seconds, _ = run_docaudit(corpus.build(size), cores, work / f"size-{size}.sqlite")
        own, children = peak_rss_mb()
        print(f"size {size:6d}: {size / seconds:7.1f} docs/s (default jobs); peak RSS so far {own:.0f} MB main, "
              f"{children:.0f} MB worker", flush=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
