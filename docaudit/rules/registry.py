"""Named Python evaluators that rule packs refer to by name.

A document evaluator receives a :class:`~docaudit.rules.context.RuleContext` and the rule's
parameters and returns ``None`` (the rule does not apply here), ``[]`` (pass) or a list of
:class:`Hit` (fail). A register evaluator receives every entry result of the scan and the whole register (every row,
in the period or not, and the rows that could not be read; ``None`` when not known) and returns
``(index, Hit)`` pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

EVALUATORS: dict[str, Callable] = {}
REGISTER_EVALUATORS: dict[str, Callable] = {}


@dataclass(frozen=True)
class Hit:
    """One failure: which message of the rule to use, and the values it is formatted with."""

    outcome: str = "default"
    values: Mapping[str, Any] = field(default_factory=dict)
    severity: str | None = None
    """This finding's severity when it differs from the rule's (``error``/``warning``/``info``);
    a severity set in ``docaudit.toml`` ``[rules.severity]`` still wins."""


def evaluator(name: str) -> Callable[[Callable], Callable]:
    def register(function: Callable) -> Callable:
        EVALUATORS[name] = function
        return function

    return register


def register_evaluator(name: str) -> Callable[[Callable], Callable]:
    def register(function: Callable) -> Callable:
        REGISTER_EVALUATORS[name] = function
        return function

    return register
