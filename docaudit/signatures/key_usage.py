"""RFC 5280 §4.2.1.3 in pyHanko's key-usage check: a certificate without the keyUsage extension
is not restricted.

pyHanko reads a missing extension as "no usage at all", so any required usage fails and the
signature comes out indeterminate (CHAIN_CONSTRAINTS_FAILURE), although nothing restricts that
key. docaudit requires digitalSignature or nonRepudiation of a certificate that *has* the
extension (``validate.KEY_USAGE``); one without it signs as it may. pyHanko rebuilds the
constraints object it is given (``PdfSignatureStatus.default_usage_constraints``), so the rule is
set on the class, while docaudit validates (``patches.applied``); pyHanko outside docaudit's
validation keeps its own reading. ``tests/signatures/test_key_usage_and_revocation.py`` covers
both sides.
"""

from __future__ import annotations

from pyhanko.sign.validation.settings import KeyUsageConstraints

_original = KeyUsageConstraints._validate_key_usage_extension


def _validate_key_usage_extension(self, key_usage_extension_value, extra):
    if key_usage_extension_value is None and not extra:
        return  # no keyUsage extension: the key is not restricted
    _original(self, key_usage_extension_value, extra)


# put in place by ``patches.applied``, never at import
REPLACEMENTS = ((KeyUsageConstraints, "_validate_key_usage_extension", _validate_key_usage_extension),)
