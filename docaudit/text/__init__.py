"""The one catalogue of user-facing text, in Vietnamese and English, and the style of numbers
and dates in each.

The layers below the reports carry :class:`Message` values (a code and its parameters), never
prose; a renderer turns them into words with :func:`render` for the language asked for. This
package imports nothing else of docaudit, so every layer may use it.
"""

from __future__ import annotations

from .catalogue import CATALOGUE
from .messages import (
    LANGS, Message, Param, add_templates, as_text, family, message, placeholders, recognise, render, t,
    template, word,
)
from .style import (
    date_text, datetime_text, decimal, month_text, number, percent, signed_points, target_phrase, threshold,
)

__all__ = [
    "CATALOGUE", "LANGS", "Message", "Param", "add_templates", "as_text", "date_text", "datetime_text", "decimal",
    "family", "message", "month_text", "number", "percent", "placeholders", "recognise", "render",
    "signed_points", "t", "target_phrase", "template", "threshold", "word",
]
