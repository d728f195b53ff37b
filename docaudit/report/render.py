"""One entry point for every rendered report format.

    from docaudit.report.render import render
    data: bytes = render(report, "html", "vi")     # report: the JSON report dict (docaudit.report/1)

Renderers take the report dict, never a live scan, so a stored run (``Store.load_report``) renders
exactly like a fresh one (``json_report.build_report(result)``).
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from ..errors import UsageError
from .i18n import LANGS

FORMATS = ("html", "xlsx", "docx", "md", "json")
BINARY_FORMATS = ("xlsx", "docx")
EXTENSIONS = {"html": ".html", "xlsx": ".xlsx", "docx": ".docx", "md": ".md", "json": ".json"}


def render(report: Mapping[str, Any], fmt: str, lang: str = "vi") -> bytes:
    """``report`` rendered as ``fmt`` (html | xlsx | docx | md | json) in ``lang`` (vi | en)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown report format '{fmt}' (expected one of {', '.join(FORMATS)})")
    if lang not in LANGS:
        raise UsageError(f"unknown language '{lang}' (expected one of {', '.join(LANGS)})")
    if fmt == "html":
        from . import html

        return html.render(report, lang).encode("utf-8")
    if fmt == "md":
        from . import markdown

        return markdown.render(report, lang).encode("utf-8")
    if fmt == "xlsx":
        from . import xlsx

        return xlsx.render(report, lang)
    if fmt == "docx":
        from . import docx

        return docx.render(report, lang)
    return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
