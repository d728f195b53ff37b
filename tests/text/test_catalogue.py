"""The one text catalogue: every code in both languages, and the domain's messages rendered
only when shown, in the language asked for."""

from __future__ import annotations

import datetime as dt

import pytest

from docaudit.evidence.problems import evidence_findings
from docaudit.model import Evidence, FileStatus, Finding, RowError, Severity
from docaudit.register.values import build_entry
from docaudit.rules import load_rules
from docaudit.text import CATALOGUE, LANGS, message, number, percent, placeholders, recognise, render

VALUES = {"agency": "UBND-BQ", "direction": "sideways", "number": "", "date": "31/02/2021",
          "channel": "điện tử", "via_system": "có"}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_has_both_languages_with_the_same_placeholders(code: str) -> None:
    texts = CATALOGUE[code]
    assert set(texts) == set(LANGS) and all(isinstance(texts[lang], str) and texts[lang] for lang in LANGS)
    assert placeholders(texts["vi"]) == placeholders(texts["en"]), code


def test_rule_pack_messages_have_the_same_placeholders_in_both_languages() -> None:
    for rule in load_rules().rules:
        for outcome, texts in {**rule.messages, "title": rule.title}.items():
            assert placeholders(texts["vi"]) == placeholders(texts["en"]), (rule.id, outcome)


def test_a_finding_renders_in_both_languages() -> None:
    evidence = Evidence("files/a.pdf", FileStatus.UNREADABLE, problem=message("evidence.pdf-encrypted"))
    (finding,) = evidence_findings(evidence)
    assert finding.text("vi") == finding.message == "Không đọc được tệp files/a.pdf: PDF được mã hóa: cần mật khẩu để mở"
    assert finding.text("en") == finding.message_en == \
        "File files/a.pdf cannot be read: encrypted PDF: a password is needed to open it"
    assert evidence.reason == "encrypted PDF: a password is needed to open it"


def test_a_rule_finding_renders_the_packs_words() -> None:
    rule = load_rules().get("SIG001")
    finding = Finding("SIG001", Severity.ERROR, rule.wording("invalid", {"who": "An", "verdict": "invalid",
                                                                       "reasons": "HASH_FAILURE"}))
    assert finding.text("vi") == "Chữ ký số của An không hợp lệ (HASH_FAILURE)."
    assert finding.text("en") == "The signature of An is not valid (invalid: HASH_FAILURE)."


def test_a_row_error_renders_in_both_languages() -> None:
    error = build_entry(7, VALUES, {})
    assert isinstance(error, RowError)
    assert error.text("en") == error.reason == (
        "direction 'sideways' is not recognised (expected outgoing/incoming, đi/đến, di/den or out/in); "
        "number is empty; date '31/02/2021' is not a valid date (expected YYYY-MM-DD or DD/MM/YYYY)")
    assert error.text("vi") == error.reason_vi == (
        "hướng 'sideways' không nhận ra được (cần đi/đến hoặc outgoing/incoming); số ký hiệu để trống; "
        "ngày '31/02/2021' không phải ngày hợp lệ (cần dạng YYYY-MM-DD hoặc DD/MM/YYYY)")


def test_a_row_error_of_one_of_several_registers_names_it_in_both_languages() -> None:
    error = RowError(3, (message("row.agency-empty"),), register="so-di.csv")
    assert error.reason == "so-di.csv: agency is empty" and error.reason_vi == "so-di.csv: cơ quan để trống"


def test_messages_are_immutable_values() -> None:
    first, second = message("evidence.too-large", limit=10, size=12), message("evidence.too-large", limit=10, size=12)
    assert first == second and hash(first) == hash(second)
    assert message("problem.file-not-found", path=None).text("en") == "File None not found"  # as str.format shows it


def test_unknown_codes_and_unfilled_templates_never_raise() -> None:
    assert render(message("no.such.code"), "vi") == "no.such.code"
    assert render(message("problem.file-not-found"), "en") == "File {path} not found"
    assert render("already text", "vi") == "already text" and render(None, "en") == ""


def test_a_stored_english_note_is_recognised_from_the_catalogue() -> None:
    note = "audit folder /srv/a b is not writable; the results database is /tmp/x.sqlite"
    found = recognise(note, "note")
    assert found is not None and found.code == "note.db-fallback"
    assert found.text("en") == note
    assert found.text("vi") == "thư mục kiểm tra /srv/a b không ghi được; cơ sở dữ liệu kết quả đặt tại /tmp/x.sqlite"
    assert recognise("something else", "note") is None


@pytest.mark.parametrize(("value", "lang", "text"), [
    (52031, "vi", "52.031"), (1234, "en", "1,234"), (0, "vi", "0"),
])
def test_numbers_in_each_language(value: int, lang: str, text: str) -> None:
    assert number(value, lang) == text


@pytest.mark.parametrize(("rate", "lang", "text"), [
    (0.8703, "vi", "87,03%"), (0.8703, "en", "87.03%"), (12.345678, "vi", "1.234,57%"), (None, "vi", "—"),
    (23 / 160, "vi", "14,37%"),  # Python's rounding of the binary value, as always (Babel alone: 14,38%)
])
def test_percentages_in_each_language(rate: float | None, lang: str, text: str) -> None:
    assert percent(rate, lang) == text


def test_the_catalogue_package_imports_nothing_else_of_docaudit() -> None:
    import ast
    from pathlib import Path

    import docaudit.text

    for file in Path(docaudit.text.__file__).parent.glob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.level <= 1 and not (node.module or "").startswith("docaudit"), (file.name, node.module)


def test_an_unverifiable_signature_is_not_called_invalid_in_vietnamese() -> None:
    rule = load_rules().get("SIG001")
    finding = Finding("SIG001", Severity.ERROR, rule.wording("unverified", {"who": "An", "verdict": "indeterminate",
                                                                          "reasons": "NO_CERTIFICATE_CHAIN_FOUND"}))
    assert finding.text("vi") == "Chưa xác định được chữ ký số của An là hợp lệ (NO_CERTIFICATE_CHAIN_FOUND)."
    assert finding.text("en") == "The signature of An is not valid (indeterminate: NO_CERTIFICATE_CHAIN_FOUND)."
