"""docaudit's replacements inside pyHanko and asn1crypto (speed-ups, memos, the key-usage rule) are
in place only while docaudit validates: importing docaudit leaves the libraries as shipped."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from docaudit.model import Period
from docaudit.scan import ScanOptions, scan
from docaudit.signatures import ValidationSettings, load_trust, patches, verify_pdf

from ..conftest import SAMPLES


def _current() -> list:
    return [getattr(owner, name) for owner, name, _ in patches.REPLACEMENTS]


def _replacements() -> list:
    return [replacement for _, _, replacement in patches.REPLACEMENTS]


def test_importing_docaudit_changes_no_library_function() -> None:
    """In a fresh process: the library functions docaudit replaces are the same objects before and
    after importing every part of docaudit that touches pyHanko."""
    script = textwrap.dedent("""
        from asn1crypto import x509
        from pyhanko.pdf_utils import generic, misc
        from pyhanko.sign.validation import generic_cms
        from pyhanko.sign.validation.settings import KeyUsageConstraints

        def snapshot():
            return [generic.read_hex_string_from_stream, generic._decode_name, generic.read_non_whitespace,
                    misc._read_until_class, misc.read_non_whitespace, x509.Name.__eq__,
                    x509.NameTypeAndValue._ldap_string_prep, generic_cms.extract_certs_for_validation,
                    generic_cms._check_signing_certificate, generic_cms.validate_cert_usage,
                    KeyUsageConstraints._validate_key_usage_extension]

        before = snapshot()
        import docaudit, docaudit.cli, docaudit.scan, docaudit.check, docaudit.signatures
        import docaudit.signatures.validate, docaudit.signatures.patches
        changed = [i for i, (a, b) in enumerate(zip(before, snapshot())) if a is not b]
        assert not changed, changed
        print("unchanged")
    """)
    done = subprocess.run([sys.executable, "-W", "ignore", "-c", script], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "unchanged", done.stderr


def test_the_replacements_are_in_place_only_inside_the_context_and_nest() -> None:
    shipped = _current()
    assert not set(map(id, shipped)) & set(map(id, _replacements()))
    with patches.applied():
        assert _current() == _replacements()
        with patches.applied(memos=False):
            assert _current() == _replacements()
        assert _current() == _replacements()  # the inner exit leaves them to the outer one
    assert _current() == shipped


def test_validation_uses_them_and_restores_the_libraries(monkeypatch) -> None:
    shipped = _current()
    seen = []
    original = patches.speedups.read_hex_string_from_stream

    def spy(stream):
        seen.append(1)
        return original(stream)

    replacements = tuple((o, n, spy if r is original else r) for o, n, r in patches.REPLACEMENTS)
    monkeypatch.setattr(patches, "REPLACEMENTS", replacements)
    verdict = verify_pdf((SAMPLES / "files" / "ubnd-bq" / "di" / "01-qd-ubnd.pdf").read_bytes(),
                         ValidationSettings(load_trust([SAMPLES / "trust" / "root.pem"])))
    assert verdict.signatures and seen  # pyHanko read the signature's /Contents with the fast reader
    assert _current() == shipped


def test_a_scan_leaves_the_libraries_as_shipped(tmp_path: Path) -> None:
    shipped = _current()
    result = scan(ScanOptions(root=SAMPLES, trust=(str(SAMPLES / "trust" / "root.pem"),),
                              period=Period(), jobs=1, store=False))
    assert any(entry.evidence.verdict and entry.evidence.verdict.signatures for entry in result.results)
    assert _current() == shipped
