"""Exit codes are decided in one place, ``cli.main``: commands return an outcome or raise."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import docaudit
from docaudit import cli, errors
from docaudit.commands.outcome import Outcome

COMMANDS = Path(docaudit.__file__).parent / "commands"


def _error_classes() -> list[type[errors.DocauditError]]:
    return [value for value in vars(errors).values()
            if isinstance(value, type) and issubclass(value, errors.DocauditError)]


@pytest.mark.parametrize("error", _error_classes(), ids=lambda e: e.__name__)
def test_every_docaudit_error_has_its_exit_code_in_the_table(error) -> None:
    exc = error("option", "problem") if error is errors.OptionError else error("problem")
    assert cli._error_exit(exc) == 2  # usage or configuration: the user's to fix


@pytest.mark.parametrize("outcome, code", [(Outcome.DONE, 0), (Outcome.FAILED, 1), (None, 0)])
def test_a_commands_outcome_becomes_its_exit_code(monkeypatch, outcome, code) -> None:
    monkeypatch.setattr(cli.cli, "main", lambda **_: outcome)
    with pytest.raises(SystemExit) as exited:
        cli.main([])
    assert exited.value.code == code


def test_no_command_exits_by_itself() -> None:
    """No sys.exit / ctx.exit / click's Exit in docaudit/commands: they return an Outcome."""
    for path in sorted(COMMANDS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name)):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
                assert name not in {"exit", "Exit", "SystemExit"}, f"{path.name}:{node.lineno}"
