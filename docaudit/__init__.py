"""docaudit — evidence-based audit of Vietnamese official documents.

The library's entry points (the CLI only wires options to them)::

    from docaudit import ScanOptions, run_audit, load_config, check_document, AuditReport
    from docaudit.scan import scan          # (docaudit.scan is the module of that name)

    result = scan(ScanOptions(root=Path("audit"), trust=("roots/",)))   # a stored scan
    report = result.report                                               # the AuditReport every format renders
    run = run_audit(load_config("docaudit.toml"))                        # the scheduled audit
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# name → module: loaded on first use, so that `import docaudit` (and every module that reads
# __version__) stays free of SQLAlchemy, pyHanko and the PDF readers (start-up time)
_API = {
    "ScanOptions": "docaudit.pipeline.options", "ScanResult": "docaudit.pipeline.run",
    "run_audit": "docaudit.audit", "AuditRun": "docaudit.audit", "load_config": "docaudit.config",
    "check_document": "docaudit.check", "AuditReport": "docaudit.pipeline.report",
    "load_rules": "docaudit.rules", "DocauditError": "docaudit.errors",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'docaudit' has no attribute {name!r}")
