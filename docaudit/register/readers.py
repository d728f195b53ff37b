"""Reading the register from CSV, XLSX or JSON (the contract (README: The audit folder)).

Whole-file problems raise :class:`~docaudit.errors.RegisterError` with one line naming the file;
a bad row becomes a :class:`~docaudit.model.RowError` and the reading goes on.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import logging
import re
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from docaudit.errors import RegisterError
from docaudit.model import Register, RegisterEntry, RowError
from docaudit.text import Message, message

from .agencies import unify_agencies
from .columns import REQUIRED_COLUMNS, VIETNAMESE_LABEL, canonical_column, fold_header, nfc
from .doctypes import doc_type_from_number
from .profile import NO_PROFILE, RegisterProfile
from .titles import read_title_block
from .values import PERIOD_DATE, build_entry, cell_text, clean

log = logging.getLogger(__name__)

REGISTER_NAMES: tuple[str, ...] = ("register.csv", "register.xlsx", "register.json")
CSV_DELIMITERS: tuple[str, ...] = (",", ";", "\t")
HEADER_SEARCH_ROWS = 10
"""How many leading non-blank rows may hold the header (title rows above it are skipped) when the
first non-blank row is not a complete header."""


NOT_IN_TEMPLATE: tuple[str, ...] = ("channel", "via_system")
"""Required columns the NĐ 30/2020 register template has no column for: a profile must give them."""


class RegisterHeaderError(RegisterError):
    """No row of the register's head is a usable header. ``detail`` is the message as data:
    ``text(lang)`` gives it in either language; ``str()`` is the English line, as for every other
    configuration error."""

    def __init__(self, detail: Message) -> None:
        super().__init__(detail=detail)


def _refuse(code: str, **params: Any) -> RegisterError:
    """The register cannot be read: the error's words as data (``register.*`` in the catalogue),
    so that the CLI says it in the user's language; ``str()`` is the English line."""
    return RegisterError(detail=message(code, **params))


# --------------------------------------------------------------------------- entry points


def find_register(root: Path) -> Path:
    """``register.csv``, ``register.xlsx`` or ``register.json`` in ``root``, in that order."""
    root = Path(root)
    if not root.is_dir():
        raise _refuse("register.no-folder", path=root)
    for name in REGISTER_NAMES:
        candidate = root / name
        if candidate.is_file():
            return candidate
    if (root / "register.xls").is_file():  # found, but in a format we cannot read: say so
        raise _xls_refusal(root / "register.xls")
    # an office names its registers its own way ("Sổ đi 2021.xlsx"): name them, and how to choose one
    found = sorted(p.name for p in root.iterdir() if p.is_file() and p.suffix.lower() in (".csv", ".xlsx", ".xls")
                   and not p.name.startswith(("~$", ".")))  # not Excel's lock files
    if found:
        shown = ", ".join(repr(name) for name in found[:5]) + (" …" if len(found) > 5 else "")
        raise _refuse("register.none-found-candidates", path=root, names=", ".join(REGISTER_NAMES), found=shown)
    raise _refuse("register.none-found", path=root, names=", ".join(REGISTER_NAMES))


def _xls_refusal(path: Path) -> RegisterError:
    return _refuse("register.xls", path=path, name=path.name)


def read_register(path: Path, profile: RegisterProfile = NO_PROFILE) -> Register:
    """Read a register file, dispatching on its suffix (``.csv``, ``.xlsx``, ``.json``); ``profile``
    maps headers and gives the columns the register does not hold (CSV and XLSX)."""
    path = Path(path)
    suffix = path.suffix.lower()
    readers = {".csv": read_csv, ".xlsx": read_xlsx, ".json": read_json}
    reader = readers.get(suffix)
    if suffix == ".xls":
        raise _xls_refusal(path)
    if reader is None:
        raise _refuse("register.unsupported", path=path, suffix=repr(path.suffix or "(no suffix)"))
    if reader is read_json:
        return reader(path)
    return reader(path, profile)


def _read_bytes(path: Path) -> bytes:
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            # a FIFO or a device (/dev/zero) would block or never end: never open one
            raise _refuse("register.not-regular", path=path)
        return path.read_bytes()
    except FileNotFoundError:
        raise _refuse("register.file-not-found", path=path) from None
    except IsADirectoryError:
        raise _refuse("register.directory", path=path) from None
    except OSError as exc:
        raise _refuse("register.cannot-read", path=path, detail=exc.strerror or str(exc)) from None


# --------------------------------------------------------------------------- header + rows


class _Header:
    """Column positions of one header row."""

    def __init__(self, source: Path, cells: Sequence[Any],  # noqa: ARG002 - source kept for messages
                 profile: RegisterProfile = NO_PROFILE):
        self.names: list[str] = [" ".join(nfc(cell_text(c)).split()) for c in cells]
        self.canonical: dict[str, int] = {}
        self.extra: list[tuple[int, str]] = []
        self.duplicate: tuple[str, int, int] | None = None
        """(column, first index, second index) of the first column named twice."""
        seen_extra: set[str] = set()
        for index, name in enumerate(self.names):
            if not name:
                continue  # a column without a header is ignored
            column = profile.column_for(name) if profile.columns else None
            if column is None:
                column = canonical_column(name)
                if column in profile.columns:
                    column = None  # the profile names another header for it: this one is an extra
            if column is None:
                key, n = name, 2
                while key in seen_extra:
                    key, n = f"{name} ({n})", n + 1
                seen_extra.add(key)
                self.extra.append((index, key))
            elif column in self.canonical:
                if self.duplicate is None:
                    self.duplicate = (column, self.canonical[column], index)
            else:
                self.canonical[column] = index
        self.missing = [c for c in REQUIRED_COLUMNS if c not in self.canonical]
        self.period_index: int | None = None
        """Where the profile's period column is (``None``: no such column, or none asked for)."""
        if profile.period_column is not None:
            wanted = fold_header(profile.period_column)
            self.period_index = next((i for i, n in enumerate(self.names) if n and fold_header(n) == wanted), None)

    @property
    def complete(self) -> bool:
        return not self.missing

    def check_duplicates(self, source: Path) -> None:
        if self.duplicate:
            column, first, second = self.duplicate
            raise _refuse("register.duplicate-column", path=source, first=repr(self.names[first]),
                          second=repr(self.names[second]), column=message(f"column.{column}"))

    def split(self, cells: Sequence[Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """Ragged rows are fine: a missing cell is empty, surplus cells are ignored."""
        n = len(cells)
        values = {col: (cells[i] if i < n else None) for col, i in self.canonical.items()}
        if self.period_index is not None:
            i = self.period_index
            values[PERIOD_DATE] = (self.names[i], cells[i] if i < n else None)
        extra = {name: (clean(cells[i]) if i < n else "") for i, name in self.extra}
        return values, extra


def _is_blank(cells: Sequence[Any]) -> bool:
    return all((not c.strip()) if type(c) is str else clean(c) == "" for c in cells)


_COLUMN_NUMBER = re.compile(r"\(\s*(\d{1,3})\s*\)|(\d{1,3})")


def _is_column_numbers(cells: Sequence[Any]) -> bool:
    """The row of column numbers that the NĐ 30 templates put under the header — ``(1) (2) … (13)``,
    or ``1 2 … 13`` — is layout, not an entry: every non-blank cell a number, rising. A data row
    never looks like that (its agency, direction, date and channel are words)."""
    numbers: list[int] = []
    for cell in cells:
        text = clean(cell)
        if not text:
            continue
        match = _COLUMN_NUMBER.fullmatch(text)
        if match is None:
            return False  # the first cell of a data row: one regular expression and out
        numbers.append(int(match[1] or match[2]))
    return len(numbers) >= 2 and all(a < b for a, b in zip(numbers, numbers[1:]))


def _locate_header(source: Path, rows: Iterator[tuple[int, Sequence[Any]]], profile: RegisterProfile
                   ) -> tuple[_Header, list[tuple[int, Sequence[Any]]], dict[str, Any]]:
    """The header is the first non-blank row, unless that row is incomplete and one of the next few
    non-blank rows is a complete header (registers often carry a title above the header).
    A header may lack columns that the profile's constants or the title block above it give.
    Returns the header, the rows read past it that are data, and the constant columns."""
    leading: list[tuple[int, Sequence[Any]]] = []
    for row in rows:
        if _is_blank(row[1]):
            continue
        leading.append(row)
        if len(leading) == 1 and _Header(source, row[1], profile).complete:
            break
        if len(leading) >= HEADER_SEARCH_ROWS:
            break
    if not leading:
        raise _refuse("register.no-header", path=source)
    candidates = []
    for i, (_, cells) in enumerate(leading):
        header = _Header(source, cells, profile)
        constants = _constants(header, [c for _, c in leading[:i]], profile)
        missing = [c for c in header.missing if c not in constants]
        if not missing and profile.period_column is not None and header.period_index is None:
            found = ", ".join(repr(n) for n in header.names if n) or "-"
            raise RegisterHeaderError(message("register.period-column-missing", path=str(source),
                                              column=profile.period_column, found=found))
        if not missing:
            header.check_duplicates(source)
            return header, leading[i + 1 :], constants
        candidates.append((len(header.canonical), -i, header, missing))
    # the most likely header: the row naming most columns (the first one on a tie)
    _, minus_i, header, missing = max(candidates, key=lambda c: (c[0], c[1]))
    row_number = leading[-minus_i][0]
    found = ", ".join(repr(n) for n in header.names if n) or "-"
    detail = message("register.header-missing", path=str(source), row=row_number, found=found,
                     columns=_column_list(missing))
    absent = [c for c in missing if c in NOT_IN_TEMPLATE]
    if header.canonical and absent:
        hint = message("register.not-in-template", columns=_column_list(absent))
        detail = message("register.joined", first=detail, second=hint)
    raise RegisterHeaderError(detail)


def _column_list(columns: Sequence[str]) -> Message:
    """``hình thức (channel), qua phần mềm (via_system)`` in Vietnamese; ``channel (hình thức), …`` in English."""
    items = [message("register.column", name=c, vi=VIETNAMESE_LABEL[c]) for c in columns]
    listed = items[0]
    for item in items[1:]:
        listed = message("register.list", first=listed, second=item)
    return listed


def _constants(header: _Header, title_rows: list[Sequence[Any]], profile: RegisterProfile) -> dict[str, Any]:
    """Values for the required columns the header lacks (the profile's constants first, then what
    the title block says: agency, direction), and the profile's constants, which also fill the
    blank cells of a column the header has. Never a guess for channel or via_system."""
    given = dict(read_title_block(title_rows))
    given.update(profile.constants)
    # a profile's constant also fills the blank cells of a column the register has: a văn thư
    # who marks only the exceptions (the paper-only rows) leaves the others empty
    return {column: value for column, value in given.items()
            if column not in header.canonical or column in profile.constants}


def _build(source: Path, rows: Iterable[tuple[int, Sequence[Any]]], profile: RegisterProfile = NO_PROFILE) -> Register:
    iterator = iter(rows)
    header, pending, constants = _locate_header(source, iterator, profile)
    derive_type = "doc_type" not in header.canonical
    entries: list[RegisterEntry] = []
    errors: list[RowError] = []
    for row_number, cells in itertools.chain(pending, iterator):
        if _is_blank(cells) or _is_column_numbers(cells):
            continue
        values, extra = header.split(cells)
        if constants:
            for column, value in constants.items():
                if column not in values or _is_blank((values[column],)):
                    values[column] = value
        if derive_type:  # no column gives the type: the number's symbol does (01/QĐ-UBND, 123/UBND-VP)
            values["doc_type"] = doc_type_from_number(clean(values.get("number")))
        result = build_entry(row_number, values, extra)
        (errors if isinstance(result, RowError) else entries).append(result)
    return unify_agencies(Register(
        source=str(source),
        entries=tuple(entries),
        errors=tuple(errors),
        columns=tuple(n for n in header.names if n),
    ))


# --------------------------------------------------------------------------- CSV


def _legacy_byte(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1258")
    except UnicodeDecodeError:
        return bytes([byte]).decode("latin-1")


def _utf8_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Error handler: a byte that is not UTF-8 in an otherwise UTF-8 file is read as cp1258
    (Vietnamese Windows), or latin-1 if cp1258 leaves it undefined."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(_legacy_byte(b) for b in exc.object[exc.start : exc.end]), exc.end


codecs.register_error("docaudit-utf8-fallback", _utf8_fallback)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode register bytes, never failing and never dropping a character.

    UTF-16 with a BOM; UTF-8 (BOM optional); a UTF-8 file with a few stray non-UTF-8 bytes keeps
    its UTF-8 text and reads the stray bytes as cp1258; a file with no UTF-8 sequence at all is
    cp1258 (Vietnamese Windows), or latin-1 if it has bytes cp1258 leaves undefined.
    Returns (text, encoding used).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8-sig", errors="replace")
    if any(ord(ch) > 0x7F and ch != "\ufffd" for ch in lenient):
        return data.decode("utf-8-sig", errors="docaudit-utf8-fallback"), "utf-8 (stray bytes as cp1258)"
    for encoding in ("cp1258", "latin-1"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def sniff_delimiter(line: str) -> str:
    """The most frequent of ``,`` ``;`` TAB outside quotes in the header line (``,`` on a tie)."""
    counts = dict.fromkeys(CSV_DELIMITERS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(CSV_DELIMITERS, key=lambda d: counts[d])  # max keeps the first on a tie
    return best if counts[best] else ","


def _csv_rows(source: Path, text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(physical line where the record starts, cells) — a quoted field spanning lines keeps the
    record on its first line and later records on their own lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _refuse("register.malformed-csv", path=source, line=previous + 1, detail=str(exc)) from None
        yield previous + 1, cells
        previous = reader.line_num


def read_csv(path: Path, profile: RegisterProfile = NO_PROFILE) -> Register:
    path = Path(path)
    data = _read_bytes(path)
    if data.startswith(b"PK\x03\x04"):
        raise _refuse("register.zip-not-csv", path=path)
    text, encoding = decode_text(data)
    utf8 = encoding in ("utf-8-sig", "utf-16")
    text = text.replace("\x00", "")
    if not text.strip():
        raise _refuse("register.empty", path=path)
    try:
        register = _build_csv(path, text, profile)
    except RegisterError as exc:
        if utf8:
            raise
        # one line on stderr (exit 2) that also names the likely cause: not a text file at all
        raise _refuse("register.not-text", problem=exc.detail or str(exc), encoding=encoding) from None
    if not utf8:  # said only once the register is read: a failed read says it in its one line
        log.warning("%s: register is not valid UTF-8; decoded as %s", path, encoding)
    return register


def _build_csv(path: Path, text: str, profile: RegisterProfile) -> Register:
    first_line = next(line for line in text.splitlines() if line.strip())
    delimiter = sniff_delimiter(first_line)
    try:
        return _build(path, _csv_rows(path, text, delimiter), profile)
    except RegisterError as first_error:
        # The first line may be a title row; try the other delimiters before giving up.
        for other in CSV_DELIMITERS:
            if other == delimiter or other not in text:
                continue
            try:
                return _build(path, _csv_rows(path, text, other), profile)
            except RegisterError:
                continue
        raise first_error from None


# --------------------------------------------------------------------------- XLSX


def _worksheet(path: Path, workbook: Any, name: str | None) -> Any:
    """The first worksheet, or the one the profile names (an office that keeps its sổ đi and sổ
    đến as two sheets of one workbook), matched as headers are (case, accents and spaces aside)."""
    if name is None:
        return workbook.worksheets[0]
    for sheet in workbook.worksheets:
        if sheet.title == name or fold_header(sheet.title) == fold_header(name):
            return sheet
    raise _refuse("register.no-such-sheet", path=path, sheet=repr(name),
                  sheets=", ".join(repr(s.title) for s in workbook.worksheets))


def read_xlsx(path: Path, profile: RegisterProfile = NO_PROFILE) -> Register:
    path = Path(path)
    if not path.exists():
        raise _refuse("register.file-not-found", path=path)
    if path.is_dir():
        raise _refuse("register.directory", path=path)
    if not path.is_file():
        raise _refuse("register.not-regular", path=path)
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a declared dependency
        raise RegisterError(f"{path}: reading .xlsx needs openpyxl (pip install openpyxl)") from None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise _refuse("register.bad-xlsx", path=path, detail=_one_line(exc)) from None
    try:
        if not workbook.worksheets:
            raise _refuse("register.no-worksheet", path=path)
        sheet = _worksheet(path, workbook, profile.sheet)
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # stored dimensions are sometimes wrong: read every row
        try:
            rows = [(n, tuple(r)) for n, r in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)]
        except Exception as exc:
            raise _refuse("register.bad-worksheet", path=path, sheet=repr(sheet.title), detail=_one_line(exc)) from None
    finally:
        workbook.close()
    if not rows or all(_is_blank(r) for _, r in rows):
        raise _refuse("register.empty-sheet", path=path)
    return _build(path, rows, profile)


# --------------------------------------------------------------------------- JSON


def read_json(path: Path) -> Register:
    """A list of objects, or an object holding that list under ``entries`` or ``rows``.
    Row numbers are 1-based positions in the list."""
    path = Path(path)
    data = _read_bytes(path)
    if not data.strip():
        raise _refuse("register.empty", path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse("register.json-not-utf8", path=path, byte=exc.start) from None
    if not text.replace("\x00", "").strip():
        raise _refuse("register.empty", path=path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _refuse("register.json-invalid", path=path, detail=exc.msg, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise _refuse("register.json-too-deep", path=path) from None
    items = document
    if isinstance(document, dict):
        for key in ("entries", "rows"):
            if isinstance(document.get(key), list):
                items = document[key]
                break
        else:
            raise _refuse("register.json-no-list", path=path)
    if not isinstance(items, list):
        raise _refuse("register.json-not-list", path=path, kind=_json_type(items))
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise _refuse("register.json-item", path=path, index=index, kind=_json_type(item))

    # Each object is its own header row: objects may name columns differently (agency / cơ quan).
    # The required columns are checked on the union of the keys.
    seen: dict[str, None] = {}
    present: set[str] = set()
    for item in items:
        for key in item:
            if str(key) not in seen:
                seen[str(key)] = None
                column = canonical_column(str(key))
                if column:
                    present.add(column)
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if items and missing:
        found = ", ".join(repr(k) for k in seen) or "-"
        raise _refuse("register.json-missing", path=path, columns=_column_list(missing), found=found)
    entries: list[RegisterEntry] = []
    errors: list[RowError] = []
    headers: dict[tuple[str, ...], _Header] = {}
    for index, item in enumerate(items, start=1):
        keys = tuple(str(k) for k in item)
        cells = list(item.values())
        if _is_blank(cells):
            continue
        header = headers.get(keys) or headers.setdefault(keys, _Header(path, keys))
        values, extra = header.split(cells)
        if header.duplicate:
            column, first, second = header.duplicate
            if clean(cells[first]) != clean(cells[second]):
                agency = " ".join(clean(values.get("agency")).split()) or None
                problem = message("row.conflicting-keys", first=repr(keys[first]), second=repr(keys[second]),
                                  column=message(f"column.{column}"), first_value=repr(clean(cells[first])),
                                  second_value=repr(clean(cells[second])))
                errors.append(RowError(index, (problem,), agency))
                continue
        result = build_entry(index, values, extra)
        (errors if isinstance(result, RowError) else entries).append(result)
    return unify_agencies(Register(source=str(path), entries=tuple(entries), errors=tuple(errors), columns=tuple(seen)))


def _json_type(value: Any) -> Message:
    if value is None:
        kind = "null"
    elif isinstance(value, bool):
        kind = "boolean"
    elif isinstance(value, (int, float)):
        kind = "number"
    elif isinstance(value, str):
        kind = "string"
    elif isinstance(value, list):
        kind = "list"
    else:
        kind = "object"
    return message(f"register.json-type.{kind}")


def _one_line(exc: Exception) -> str:
    """A library's own words for a failure (openpyxl's), on one line."""
    return f"{type(exc).__name__}: {exc}".replace("\n", " ")
