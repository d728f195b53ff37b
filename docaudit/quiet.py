"""The dependency warnings docaudit knows and silences, each one precisely (category, message and
the module that raises it). A user's stderr carries docaudit's own lines only (one line on an
error), never a library's deprecation notice: cron mails and CI logs stay clean.

Installed by the console entry point and by every worker process the scan starts (a worker
started with *spawn*, as on Windows, does not inherit the parent's filters). A library user keeps
full control of their own warning filters: importing docaudit installs nothing.
"""

from __future__ import annotations

import warnings

# (category's module, category's name, message regex, module regex) — with why each is harmless.
KNOWN: tuple[tuple[str, str, str, str], ...] = (
    # cryptography 47+ deprecates DSA; pyHanko imports the DSA key types at import time to support
    # DSA signers. docaudit never signs, and a DSA signature is judged by the crypto policy.
    ("cryptography.utils", "CryptographyDeprecationWarning", r"DSA is deprecated", r"pyhanko(\..*)?"),
)


def silence_known_dependency_warnings() -> None:
    """Ignore exactly the warnings in :data:`KNOWN` (a category that does not exist in the
    installed version is skipped: nothing to silence there)."""
    import importlib

    for module_name, class_name, message, module in KNOWN:
        try:
            category = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            continue
        warnings.filterwarnings("ignore", message=message, category=category, module=module)
