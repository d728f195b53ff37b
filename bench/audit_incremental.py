"""Benchmark: a first and a second (unchanged) `docaudit audit` of N documents (default 2,000).

Builds, in a temporary folder, an audit folder of N copies of the sample documents (every file a
path of its own, with a generated register over four agencies) and a docaudit.toml, then runs
`python -m docaudit.cli audit --quiet` — as cron would: once on the new folder, then (``--repeat``,
default 5) on the unchanged folder — and prints the wall times, the median second audit against its
target (under 1 s for 2,000 documents) and the ratio of the first to it. A second run reads the
register, finds every file's stat record unchanged (so it reads no document), reuses every cached
verdict and document-rule finding (so it parses and validates nothing), and stores a complete run
through the normal path. Its time includes starting Python and writing every output.
It also times the start-up floor: Python and the imports of the libraries an audit loads, between
the audits (what no second audit can go below).
The docaudit package is byte-compiled first, as pip does for an installed tool (an editable
install compiles nothing, and PYTHONDONTWRITEBYTECODE=1 stops Python writing .pyc as it runs).

    .venv/bin/python bench/audit_incremental.py [--documents 2000] [--jobs N] [--repeat 5] [--keep]
"""

from __future__ import annotations

import argparse
import compileall
import csv
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
AGENCIES = ("UBND-BQ", "SO-TTTT", "HU-BQ", "UBND-VX")


def sample_documents() -> list[Path]:
    """Every sample PDF/DOCX that the register lists inside the root (the readable, the broken,
    the signed and the unsigned: the mix a real folder has)."""
    files = sorted(p for p in (SAMPLES / "files").rglob("*") if p.suffix.lower() in (".pdf", ".docx"))
    if not files:
        sys.exit(f"no sample documents under {SAMPLES / 'files'} (run `make samples`)")
    return files


def build(folder: Path, count: int) -> Path:
    root = folder / "audit"
    samples = sample_documents()
    root.mkdir(parents=True)
    with (root / "register.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["agency", "direction", "number", "doc_type", "date", "subject", "counterparty",
                         "channel", "via_system", "file"])
        for i in range(count):
            source = samples[i % len(samples)]
            agency = AGENCIES[i % len(AGENCIES)]
            relative = f"files/{agency.lower()}/{i // 500:02d}/{i:05d}-{source.name}"
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            day = 1 + i % 28
            month = 1 + (i // 28) % 12
            writer.writerow([agency, "outgoing" if i % 3 else "incoming", f"{i + 1}/QĐ-{agency}", "QĐ",
                             f"2021-{month:02d}-{day:02d}", f"Văn bản thử số {i + 1}", "Các cơ quan",
                             "electronic", "yes", relative])
    (folder / "docaudit.toml").write_text(
        f'period = "2021"\n'
        f'trust = [{json.dumps(str(SAMPLES / "trust" / "root.pem"))}]\n'
        f'db = "state/docaudit.sqlite"\n\n'
        f'[[source]]\nroot = "audit"\n\n'
        f'[output]\nformats = ["json", "junit"]\ndir = "reports"\nannotations = "none"\n',
        encoding="utf-8",
    )
    return root


def compile_package() -> None:
    """Byte-compile the docaudit package that ``python -m docaudit.cli`` will import (this checkout,
    or whatever ``PYTHONPATH`` puts first), so that every run measures the audit, not the compiler."""
    spec = importlib.util.find_spec("docaudit")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(folder, quiet=1)


def _children_cpu() -> float | None:
    """CPU seconds (user + system) used by finished child processes so far; ``None`` where the
    platform does not say (Windows). On a shared machine the CPU time of an audit drifts far less
    than its wall time."""
    try:
        import resource
    except ImportError:
        return None
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def audit(folder: Path, jobs: int | None) -> tuple[float, float | None, dict]:
    """Wall and CPU seconds of one ``docaudit audit`` process, and the ``run`` object of its report."""
    command = [sys.executable, "-m", "docaudit.cli", "audit", "--quiet", "--exit-zero", "--output", "reports/table.txt"]
    if jobs:
        command += ["--jobs", str(jobs)]
    env = {**os.environ, "DOCAUDIT_DB": ""}
    cpu_before = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    cpu_after = _children_cpu()
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    if done.returncode != 0:
        sys.exit(f"audit failed ({done.returncode}): {done.stderr.strip()}")
    report = json.loads((folder / "reports" / "docaudit-report.json").read_text(encoding="utf-8"))
    return elapsed, cpu, report["run"]


STACK = "import click, rich.console, rich.table, yaml, sqlite3, json, sqlalchemy, sqlmodel"
TARGET_S = 1.0
"""An unchanged re-audit of 2,000 documents must take less (issue 14)."""


def start_up_floor() -> float:
    """Seconds to start Python and import the libraries an audit loads (click, rich, PyYAML,
    SQLAlchemy, SQLModel), before docaudit does anything: no second audit can be faster."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", STACK], check=True)
    return time.perf_counter() - started


def _seconds(value: float | None) -> str:
    return "?" if value is None else f"{value:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: number of cores)")
    parser.add_argument("--repeat", type=int, default=5, help="second (unchanged) audits to run; the median counts")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    compile_package()
    folder = Path(tempfile.mkdtemp(prefix="docaudit-bench-"))
    try:
        started = time.perf_counter()
        build(folder, args.documents)
        print(f"built {args.documents} documents in {time.perf_counter() - started:.1f} s ({folder})")
        # an archive's files are not seconds old: wait until these are older than the window in
        # which a changed file could keep its stat record (docaudit.digests.RACY_NS), or the first
        # audit could trust none of them and only the third would be a true unchanged run
        from docaudit.digests import RACY_NS

        wait = RACY_NS / 1e9 + 0.2  # from the last file written
        time.sleep(wait)
        print(f"waited {wait:.1f} s: the files are older than the {RACY_NS / 1e9:.0f} s racy window")
        first, _cpu, run1 = audit(folder, args.jobs)
        print(f"first audit:  {first:7.2f} s  (evaluated {run1['documents_evaluated']}, reused {run1['documents_reused']})")
        seconds, cpus, floors = [], [], []
        for attempt in range(args.repeat):
            elapsed, cpu, run2 = audit(folder, args.jobs)
            seconds.append(elapsed)
            cpus.append(cpu)
            floors.append(start_up_floor())  # measured between the audits: same minutes, same noise
            print(f"second audit: {elapsed:7.2f} s, CPU {_seconds(cpu)}  (evaluated {run2['documents_evaluated']}, "
                  f"reused {run2['documents_reused']}){'  [repeat]' if attempt else ''}")
        second = statistics.median(seconds)
        verdict = "under" if second < TARGET_S * args.documents / 2000 else "OVER"
        print(f"median second audit of {len(seconds)}: {second:.2f} s — {verdict} the target of "
              f"{TARGET_S * args.documents / 2000:.2f} s; median CPU time "
              f"{_seconds(None if None in cpus else statistics.median(cpus))}; first / second: {first / second:.1f}x "
              f"(cores: {os.cpu_count()})")
        floor = statistics.median(floors)
        print(f"start-up floor: {floor:.2f} s  (Python + {STACK.removeprefix('import ')}; median of "
              f"{len(floors)}); docaudit's own work in a second audit: {second - floor:.2f} s")
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
