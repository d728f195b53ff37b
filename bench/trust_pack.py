"""Benchmark (issue 16): what the `vn` trust pack (9 anchors, 63 intermediates) costs per document.

    .venv/bin/python bench/trust_pack.py [--rounds 9] [--passes 5] [--contexts 2000]

In one process, on the signed PDFs of samples/: every document validated (``verify_pdf``, as a
scan does) with the demo root alone — the baseline — and with the demo root and the `vn` pack,
in interleaved rounds (baseline, pack, baseline, pack …; each round a few passes over the
documents, the memos emptied before each pass, as in a fresh scan) so that a shared machine's
drifting speed weighs on both alike. Prints the median CPU time per document of each, the difference and the ratio, and checks that the verdicts
are the same; a third run validates with the pack as docaudit did before (each context's registry
built from the list of the set's certificates), to show what building the material once saves. Then what one validation context costs: built from lists as before (every
certificate registered again: what each signature paid, twice with a timestamp), and from the
trust set's material built once per process (a copy of its registry), for both trust sets; and
what loading the pack costs, once per process (and per worker).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from docaudit.quiet import silence_known_dependency_warnings  # noqa: E402

silence_known_dependency_warnings()  # as the console entry point does, before pyHanko loads

from docaudit.signatures import ValidationSettings, load_trust, memo, verify_pdf  # noqa: E402
from docaudit.signatures.packs import _load  # noqa: E402

SAMPLES = HERE.parent / "samples"
DEMO_ROOT = SAMPLES / "trust" / "root.pem"


def signed_documents() -> list[bytes]:
    """The sample PDFs that pyHanko reads and that carry a signature."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    import io

    found = []
    for path in sorted((SAMPLES / "files").rglob("*.pdf")):
        data = path.read_bytes()
        try:
            if PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures:
                found.append(data)
        except Exception:  # noqa: BLE001 — damaged samples: not what this measures
            continue
    return found


def one_round(documents: list[bytes], verify, passes: int) -> tuple[float, list[str]]:
    """CPU seconds of ``passes`` passes over the documents, the memos emptied before each (as a
    fresh scan starts); CPU time, not wall time: other processes on a shared machine do not count."""
    started = time.process_time()
    for _ in range(passes):
        memo.forget()
        verdicts = [verify(data).verdict.value for data in documents]
    return time.process_time() - started, verdicts


class _AsBefore:
    """The trust material as docaudit built it before: the trust manager once per trust set, but
    each context's registry built from the list of the set's certificates (every one registered
    again), and so the path memo keyed on all of them."""

    def __init__(self, material) -> None:
        self.trust_manager, self._certificates = material.trust_manager, list(material._certificates)

    def registry(self, cert_fetcher=None):
        from pyhanko_certvalidator.registry import CertificateRegistry

        return CertificateRegistry.build(self._certificates, cert_fetcher=cert_fetcher)


def as_before(settings: ValidationSettings):
    """``verify_pdf`` with contexts built as before this change (a stand-in for the old code)."""
    from docaudit.signatures import validate
    from docaudit.signatures.material import trust_material

    def verify(data):
        original = validate.trust_material
        validate.trust_material = lambda trust: _AsBefore(trust_material(trust))
        try:
            return verify_pdf(data, settings)
        finally:
            validate.trust_material = original
    return verify


def context_cost(trust, count: int) -> tuple[float, float]:
    """(µs per context built from lists, µs per context from the trust set's material)."""
    from pyhanko_certvalidator import ValidationContext

    from docaudit.signatures.material import trust_material

    moment = dt.datetime(2021, 6, 1, tzinfo=dt.timezone.utc)
    material = trust_material(trust)
    started = time.perf_counter()
    for _ in range(count):
        ValidationContext(trust_manager=material.trust_manager, other_certs=list(trust.intermediates), moment=moment,
                          allow_fetching=False)
    from_lists = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(count):
        ValidationContext(trust_manager=material.trust_manager, certificate_registry=material.registry(),
                          moment=moment, allow_fetching=False)
    copied = time.perf_counter() - started
    return from_lists / count * 1e6, copied / count * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--passes", type=int, default=5, help="passes over the documents per round (default 5)")
    parser.add_argument("--contexts", type=int, default=2000)
    args = parser.parse_args()

    _load.cache_clear()
    started = time.perf_counter()
    with_pack = load_trust([DEMO_ROOT], ["vn"])
    load_ms = (time.perf_counter() - started) * 1000
    alone = load_trust([DEMO_ROOT])
    documents = signed_documents()
    plain, packed = ValidationSettings(alone), ValidationSettings(with_pack)
    settings = {"demo root alone": lambda data: verify_pdf(data, plain),
                "demo root + vn pack": lambda data: verify_pdf(data, packed),
                "vn pack, contexts as before": as_before(packed)}
    print(f"{len(documents)} signed sample documents; trust sets: {len(alone.roots) + len(alone.intermediates)} "
          f"and {len(with_pack.roots) + len(with_pack.intermediates)} certificates; {args.rounds} interleaved rounds",
          flush=True)

    for name, each in settings.items():  # warm-up: imports, lazy parses, the trust material
        one_round(documents, each, 1)
    times: dict[str, list[float]] = {name: [] for name in settings}
    verdicts: dict[str, list[str]] = {}
    for number in range(args.rounds):
        line = []
        for name, each in settings.items():
            seconds, verdicts[name] = one_round(documents, each, args.passes)
            times[name].append(seconds / (len(documents) * args.passes) * 1000)
            line.append(f"{name} {times[name][-1]:.2f}")
        print(f"round {number + 1}: " + ", ".join(line) + " ms of CPU per document", flush=True)

    base, pack, before = (statistics.median(times[name]) for name in settings)
    paired = statistics.median(b - a for a, b in zip(times["demo root alone"], times["demo root + vn pack"]))
    print()
    print(f"baseline, demo root alone:   {base:6.2f} ms of CPU per document (median of {args.rounds} rounds)")
    print(f"demo root + vn pack:         {pack:6.2f} ms of CPU per document, ratio {pack / base:.3f}")
    print(f"  difference:                {pack - base:+6.2f} ms per document; paired by round (median): {paired:+.2f} ms")
    spread = statistics.median(abs(a - b) for a, b in zip(times["demo root alone"][1:], times["demo root alone"]))
    print(f"  round-to-round noise of the baseline: {spread:.2f} ms per document (median change between rounds)")
    print(f"vn pack, contexts as before: {before:6.2f} ms of CPU per document, ratio {before / base:.3f}")

    lists_alone, copy_alone = context_cost(alone, args.contexts)
    lists_pack, copy_pack = context_cost(with_pack, args.contexts)
    print()
    print("one validation context (a signature needs one, two with a timestamp):")
    print(f"  demo root alone:  from lists {lists_alone:7.1f} µs, from the trust material {copy_alone:6.1f} µs")
    print(f"  with the vn pack: from lists {lists_pack:7.1f} µs, from the trust material {copy_pack:6.1f} µs "
          f"({lists_pack / copy_pack:.0f}× less)")
    print(f"loading the vn pack (75 files, fingerprints checked): {load_ms:.0f} ms, once per process and worker")

    same = verdicts["demo root alone"] == verdicts["demo root + vn pack"] == verdicts["vn pack, contexts as before"]
    print(f"verdicts: {'the same on every document' if same else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
