"""Recipient lists for batch issue: YAML, CSV (any encoding a Vietnamese office produces) or .xlsx.

Every list becomes `Recipient` rows with a name (printed in Kính gửi), an optional key and
free per-recipient fields (a deadline, a quota, a contact) usable in the body as ``${field}``.
Problems are collected for the whole list and located by line (CSV, YAML) or cell (.xlsx):
bad encodings, legacy TCVN3/VNI text, unterminated quotes, ragged rows, duplicate headers,
empty names and duplicates after NFC + case folding.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from tetngheo_docs.errors import Issue, IssuesError, Location, Severity
from tetngheo_docs.vn import text as vntext

MAX_BYTES = 20 * 1024 * 1024
NAME_COLUMNS = ("ten", "tên", "ten_don_vi", "đơn vị", "don_vi", "noi_nhan", "nơi nhận")
KEY_COLUMNS = ("ma", "mã")
_NOT_FIELDS = frozenset(NAME_COLUMNS + KEY_COLUMNS)
_FIELD = re.compile(r"^[a-z_][a-z0-9_]*$")


class RecipientError(IssuesError):
    """A recipient list could not be read or has invalid rows."""


class Recipient(NamedTuple):
    """One addressee of a batch: the name as printed, a stable key, and its fields
    (a tuple: a batch makes 1,000s of them)."""

    name: str
    key: str
    fields: dict[str, str]
    location: Location


@dataclass
class RecipientList:
    source: str
    recipients: list[Recipient]
    warnings: list[Issue]


def identity(name: str) -> str:
    """The comparison form of a name: NFKC, no invisible characters, spaces collapsed, folded."""
    cleaned = vntext.strip_invisible(unicodedata.normalize("NFKC", name))
    return " ".join(cleaned.split()).casefold()


Rows = list[tuple[Location, dict[str, str]]]


def read(path: Path, label: str | None = None) -> RecipientList:
    """Read a recipient list by its extension (.yaml/.yml, .csv/.txt, .xlsx)."""
    label = label or str(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        _read_bytes(path, label)  # the size and access checks
        rows, issues = _from_yaml(path, label)
    else:
        rows, issues = read_table(path, label)
        if rows or issues or path.suffix.lower() in (".csv", ".txt", ".tsv", ".xlsx"):
            issues = _need_name_column(rows, issues, label)
    return _finish(rows, issues, label)


def read_table(path: Path, label: str | None = None, *, need: str = "") -> tuple[Rows, list[Issue]]:
    """Rows of a .csv/.txt/.tsv (any encoding an office saves: see `decode`) or .xlsx (first
    sheet) whose first line is the header; header names lower-cased, NFC. The same reader
    serves recipient lists and an office's old register (``need``: what the file is, for
    the message about a wrong extension)."""
    label = label or str(path)
    suffix = path.suffix.lower()
    data = _read_bytes(path, label)
    if suffix in (".csv", ".txt", ".tsv"):
        return _from_csv(data, label)
    if suffix == ".xlsx":
        return _from_xlsx(data, label)
    what = need or "danh sách"
    allowed = ".csv hoặc .xlsx" if need else ".yaml, .csv hoặc .xlsx"
    raise RecipientError([Issue(Location(label), "", f"chỉ nhận {what} {allowed}")])


def _read_bytes(path: Path, label: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as err:
        message = f"không đọc được tệp: {err.strerror}"
        raise RecipientError([Issue(Location(label), "", message)]) from None
    if len(data) > MAX_BYTES:
        raise RecipientError([Issue(Location(label), "", "tệp lớn hơn 20 MB")])
    return data


# --------------------------------------------------------------------------- decoding


def decode(data: bytes, label: str) -> tuple[str, list[Issue]]:
    """Bytes of a text list → NFC text, trying what Vietnamese offices actually save.

    UTF-8 (with or without BOM) and UTF-16 (with BOM) are read as such. Otherwise the bytes
    are either TCVN3 (ABC, .VnTime fonts: detected and converted) or Windows-1258 (decoded
    and NFC-normalised); anything else is refused with instructions.
    """
    warnings: list[Issue] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return unicodedata.normalize("NFC", data.decode("utf-16")), warnings
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        as_latin1 = data.decode("latin-1")
        if vntext.detect_legacy(as_latin1) == "TCVN3":
            warnings.append(
                Issue(
                    Location(label),
                    "",
                    "tệp dùng bảng mã TCVN3 (ABC); đã tự chuyển sang Unicode — hãy kiểm tra "
                    "lại dấu, rồi lưu tệp dạng CSV UTF-8 cho lần sau",
                    Severity.WARNING,
                )
            )
            return unicodedata.normalize("NFC", vntext.tcvn3_to_unicode(as_latin1)), warnings
        try:
            text = unicodedata.normalize("NFC", data.decode("cp1258"))
        except UnicodeDecodeError:
            raise RecipientError(
                [
                    Issue(
                        Location(label, line, 1),
                        "",
                        f"không đọc được bảng mã của tệp (byte 0x{data[err.start]:02X} ở dòng "
                        f"{line}); trong Excel hãy chọn Lưu thành → 'CSV UTF-8 (Comma delimited)'",
                    )
                ]
            ) from None
        if not _looks_vietnamese(text):
            raise RecipientError(
                [
                    Issue(
                        Location(label, line, 1),
                        "",
                        "tệp không phải UTF-8 và không đọc được thành tiếng Việt (có thể là VNI "
                        "hay TCVN3 dạng khác); hãy mở bằng Unikey Toolkit chuyển sang Unicode, "
                        "hoặc trong Excel chọn Lưu thành → 'CSV UTF-8'",
                    )
                ]
            ) from None
        warnings.append(
            Issue(
                Location(label),
                "",
                "tệp dùng bảng mã Windows-1258; đã đọc và chuyển sang Unicode",
                Severity.WARNING,
            )
        )
        return text, warnings
    return unicodedata.normalize("NFC", text), warnings


def _looks_vietnamese(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_]+", text) if any(ord(c) > 127 for c in w)]
    if not words:
        return True
    good = sum(1 for w in words if vntext.is_vietnamese_syllable(w.lower()))
    return good / len(words) >= 0.8


#: Latin-1 letters that Vietnamese uses; any other Latin-1 symbol hints at TCVN3/VNI.
_VIET_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
# A Latin-1 letter or symbol that Vietnamese Unicode text never uses: TCVN3/VNI pasted in.
_LEGACY_HINT = re.compile(
    "[" + "".join(chr(c) for c in range(0x80, 0x100) if chr(c) not in _VIET_LATIN1) + "]"
)
_CONTROL = vntext.ILLEGAL_RE  # control characters, noncharacters, lone surrogates
# Whitespace other than the space (and the line break between values in `_clean`).
_ODD_SPACE = re.compile(r"[^\S\n ]")


def _fix_legacy(value: str, where: Location, issues: list[Issue]) -> str:
    if not _LEGACY_HINT.search(value):
        return value  # cheap pre-check: no legacy symbol, nothing to detect
    kind = vntext.detect_legacy(value)
    if kind is None:
        return value
    converted = vntext.tcvn3_to_unicode(value) if kind == "TCVN3" else vntext.vni_to_unicode(value)
    issues.append(
        Issue(
            where,
            "",
            f"'{value}' là chữ {kind} dán vào; đã chuyển thành '{converted}' — hãy kiểm tra",
            Severity.WARNING,
        )
    )
    return unicodedata.normalize("NFC", converted)


# --------------------------------------------------------------------------- formats


def _from_csv(data: bytes, label: str) -> tuple[list[tuple[Location, dict[str, str]]], list[Issue]]:
    text, issues = decode(data, label)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[Location, dict[str, str]]] = []
    try:
        header_row = next(reader, None)
    except csv.Error as err:
        message = f"dòng tiêu đề lỗi: {err}"
        raise RecipientError([Issue(Location(label, 1, 1), "", message)]) from None
    if header_row is None:
        raise RecipientError([Issue(Location(label), "", "tệp danh sách trống")])
    header, problems = _header(header_row, label, 1)
    issues += problems
    width = len(header)
    try:
        for row in reader:
            # Blank rows are skipped; a first cell with text (the usual row) proves it is not.
            if not (row and row[0] and not row[0].isspace()) and not "".join(row).strip():
                continue
            where = Location(label, reader.line_num, 1)
            if len(row) != width:
                message = f"dòng có {len(row)} ô nhưng tiêu đề có {width} cột"
                issues.append(Issue(where, "", message))
                continue
            rows.append((where, dict(zip(header, row, strict=True))))
    except csv.Error as err:
        issues.append(
            Issue(
                Location(label, reader.line_num, 1),
                "",
                f"dấu ngoặc kép không đóng hoặc dòng hỏng ({err}); các dòng sau không đọc được",
            )
        )
    return rows, issues


def _delimiter(text: str) -> str:
    """The delimiter of the header line: the most frequent of ``;``, tab and ``,`` outside
    quotes (Vietnamese Excel saves ``;`` because ``,`` is its decimal mark)."""
    first = text.split("\n", 1)[0]
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header(cells: list[Any], label: str, line: int) -> tuple[list[str], list[Issue]]:
    issues = []
    header = [unicodedata.normalize("NFC", str(c or "")).strip().lower() for c in cells]
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in seen:
            issues.append(
                Issue(
                    Location(label, line, i + 1),
                    "",
                    f"cột '{name}' bị lặp (đã có ở cột {seen[name] + 1})",
                )
            )
        seen.setdefault(name, i)
    if not any(header):
        issues.append(Issue(Location(label, line, 1), "", "dòng tiêu đề trống"))
    return header, issues


def _need_name_column(rows: Rows, issues: list[Issue], label: str) -> list[Issue]:
    """A recipient list names each unit: its header has a name column."""
    header = set(rows[0][1]) if rows else set()
    if rows and not header & set(NAME_COLUMNS):
        message = "thiếu cột tên đơn vị: đặt tiêu đề cột là 'ten' (hoặc 'đơn vị')"
        issues = [*issues, Issue(Location(label, 1, 1), "", message)]
    return issues


def _from_yaml(path: Path, label: str) -> tuple[list[tuple[Location, dict[str, str]]], list[Issue]]:
    from tetngheo_docs.errors import SourceError
    from tetngheo_docs.source import load_yaml

    try:
        src = load_yaml(path, label=label)
    except SourceError as err:
        raise RecipientError(err.issues) from None
    data = src.data
    items = data.get("nguoi_nhan", data.get("don_vi")) if isinstance(data, dict) else None
    issues: list[Issue] = []
    rows: list[tuple[Location, dict[str, str]]] = []
    if not isinstance(items, list):
        raise RecipientError(
            [Issue(Location(label), "", "cần một danh sách 'nguoi_nhan:' (mỗi mục một đơn vị)")]
        )
    for i, item in enumerate(items):
        where = src.loc(("nguoi_nhan", i)) if "nguoi_nhan" in data else src.loc(("don_vi", i))
        if isinstance(item, str):
            rows.append((where, {"ten": item}))
        elif isinstance(item, dict) and all(isinstance(v, str) for v in item.values()):
            rows.append((where, {str(k).lower(): v for k, v in item.items()}))
        else:
            issues.append(
                Issue(where, f"nguoi_nhan[{i}]", "mỗi mục là một tên hoặc các cặp khóa: giá trị")
            )
    return rows, issues


def _from_xlsx(
    data: bytes, label: str
) -> tuple[list[tuple[Location, dict[str, str]]], list[Issue]]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from tetngheo_docs import ooxml_guard

    try:
        # Limits, bounded inflating and no DOCTYPE before openpyxl sees a byte.
        ooxml_guard.check(data, label, "xlsx")
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        # A read-only sheet is parsed lazily: read it here, so that a damaged sheet is
        # this message rather than an exception half-way through the loop below.
        rows_iter = iter(list(wb.worksheets[0].iter_rows(values_only=True)))
    except ooxml_guard.PackageError as err:
        message = f"không mở được tệp .xlsx: {err.detail}"
        raise RecipientError([Issue(Location(label), "", message)]) from None
    except Exception as err:  # openpyxl raises many kinds for a corrupt file
        message = f"không mở được tệp .xlsx: tệp hỏng ({type(err).__name__})"
        raise RecipientError([Issue(Location(label), "", message)]) from None
    first = next(rows_iter, None)
    if first is None:
        raise RecipientError([Issue(Location(label), "", "trang tính đầu tiên trống")])
    header, issues = _header(list(first), label, 1)
    rows: list[tuple[Location, dict[str, str]]] = []
    for r, values in enumerate(rows_iter, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        record = {}
        for c, (name, value) in enumerate(zip(header, values, strict=False), start=1):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, int) and name in ("dien_thoai", "điện thoại", "sdt"):
                issues.append(
                    Issue(
                        Location(label, r, c),
                        name,
                        f"ô {get_column_letter(c)}{r}: số điện thoại lưu dạng số sẽ mất số 0 đầu; "
                        "hãy định dạng cột là Văn bản (Text)",
                        Severity.WARNING,
                    )
                )
            record[name] = "" if value is None else str(value)
        rows.append((Location(label, r, 1), record))
    wb.close()
    return rows, issues


# --------------------------------------------------------------------------- rows → recipients


class _Clean(NamedTuple):
    """What `_clean` found over all the values of a list."""

    tidy: bool  # nothing to tidy: no control character, NFC, single spaces between words
    plain: bool  # tidy, NFKC and nothing invisible: `identity` is case folding alone
    legacy: bool  # some value has a TCVN3/VNI symbol: names are checked one by one


def _clean(rows: list[tuple[Location, dict[str, str]]]) -> _Clean:
    """Checks over all values at once, one per line, so that the usual list skips them
    value by value; a list that is not tidy is checked and tidied value by value."""
    values = [v for _, record in rows for v in record.values()]
    text = "\n".join(values)
    if text.count("\n") != max(0, len(values) - 1):  # a value holds a line break
        return _Clean(False, False, True)
    legacy = _LEGACY_HINT.search(text) is not None
    # Control, invisible and whitespace characters other than the space are all
    # non-printable: a printable list needs none of the three searches.
    printable = text.replace("\n", "").isprintable()
    # What `" ".join(v.split())` would change: any whitespace but single spaces between words.
    spaced = "\n" + text + "\n"
    untidy = "  " in text or " \n" in spaced or "\n " in spaced
    tidy = (
        not untidy
        and (printable or not (_ODD_SPACE.search(text) or _CONTROL.search(text.replace("\n", ""))))
        and unicodedata.is_normalized("NFC", text)
    )
    plain = (
        tidy
        and unicodedata.is_normalized("NFKC", text)
        and (printable or not vntext.has_invisible(text))
    )
    return _Clean(tidy, plain, legacy or not tidy)  # tidying (NFC) may make a symbol


def _finish(
    rows: list[tuple[Location, dict[str, str]]], issues: list[Issue], label: str
) -> RecipientList:
    recipients: list[Recipient] = []
    seen: dict[str, Location] = {}
    # Which columns name the unit, key it, or are fields: worked out once per set of
    # columns (every row of a CSV has the same; YAML rows may differ).
    roles: dict[tuple[str, ...], tuple[list[str], list[str], list[tuple[str, str]]]] = {}
    tidy, plain, legacy = _clean(rows)
    for where, record in rows:
        if not tidy:
            # Control characters are refused before spaces are tidied (split() eats \x0b).
            bad = [(k, v) for k, v in record.items() if _CONTROL.search(v)]
            if bad:
                column, char = bad[0][0], vntext.illegal_chars(bad[0][1])[0][1]
                message = f"có ký tự điều khiển {vntext.describe_char(char)}; hãy xóa"
                issues.append(Issue(where, column, message))
                continue
            nfc = unicodedata.normalize
            record = {k: " ".join(nfc("NFC", v).split()) for k, v in record.items()}
        columns = tuple(record)
        if columns not in roles:
            roles[columns] = (
                [c for c in NAME_COLUMNS if c in record],
                [c for c in KEY_COLUMNS if c in record],
                [(c, c.replace(" ", "_")) for c in columns if c and c not in _NOT_FIELDS],
            )
        name_columns, key_columns, field_columns = roles[columns]
        name = (  # one name column is the usual case: no generator for it
            record[name_columns[0]]
            if len(name_columns) == 1
            else next((record[c] for c in name_columns if record[c]), "")
        )
        fixed = _fix_legacy(name, where, issues) if legacy else name
        if not fixed:
            issues.append(Issue(where, "ten", "dòng không có tên đơn vị"))
            continue
        key = next((record[c] for c in key_columns if record[c]), "") if key_columns else ""
        # A plain value (tidy, NFKC, nothing invisible) is its own identity but for case.
        ident = (key or name).casefold() if plain and fixed is name else identity(key or fixed)
        name = fixed
        key = key or ident
        if ident in seen:
            first = seen[ident]
            issues.append(
                Issue(
                    where,
                    "ten",
                    f"'{name}' trùng với dòng {first.line} (sau khi chuẩn hóa chữ hoa/thường, "
                    "dấu cách và mã Unicode)",
                )
            )
            continue
        seen[ident] = where
        fields = {field: record[c] for c, field in field_columns}
        recipients.append(Recipient(name, key, fields, where))
    if not recipients and not any(i.is_error for i in issues):
        issues.append(Issue(Location(label), "", "danh sách không có người nhận nào"))
    errors = [i for i in issues if i.is_error]
    if errors:
        raise RecipientError(issues)
    return RecipientList(label, recipients, issues)
