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
from tetngheo_docs.vn import encoding as vnencoding
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
    """The comparison form of a name: NFKC, no invisible characters, spaces collapsed,
    folded, old and new tone placement alike (`Đảng ủy` = `Đảng uỷ`, `hòa` = `hoà`)."""
    return vntext.tone_key(_folded(name))


def _folded(name: str) -> str:
    """`identity` but for tone placement: a recipient's key when its list has no key
    column (kept as it was: the register knows issued letters by it)."""
    cleaned = vntext.strip_invisible(unicodedata.normalize("NFKC", name))
    return " ".join(cleaned.split()).casefold()


Rows = list[tuple[Location, dict[str, str]]]


def read(path: Path, label: str | None = None) -> RecipientList:
    """Read a recipient list by its extension (.yaml/.yml, .csv/.txt, .xlsx)."""
    label = label or str(path)
    table = path.suffix.lower() not in (".yaml", ".yml")
    if not table:
        _read_bytes(path, label)  # the size and access checks
        rows, issues = _from_yaml(path, label)
    else:
        rows, issues = read_table(path, label, bare=path.suffix.lower() == ".txt")
        if rows or issues or path.suffix.lower() in (".csv", ".txt", ".tsv", ".xlsx"):
            issues = _need_name_column(rows, issues, label)
    return _finish(rows, issues, label, cells=table)


def read_table(
    path: Path, label: str | None = None, *, need: str = "", bare: bool = False
) -> tuple[Rows, list[Issue]]:
    """Rows of a .csv/.txt/.tsv (any encoding an office saves: see `decode`) or .xlsx (first
    sheet) whose first line is the header; header names lower-cased, NFC. The same reader
    serves recipient lists and an office's old register (``need``: what the file is, for
    the message about a wrong extension; ``bare``: a one-column list may have no header)."""
    label = label or str(path)
    suffix = path.suffix.lower()
    data = _read_bytes(path, label)
    if suffix in (".csv", ".txt", ".tsv"):
        return _from_csv(data, label, bare=bare)
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

_ADVICE = (
    "hãy lưu lại tệp bằng Unicode: trong Excel chọn Lưu thành → 'CSV UTF-8 (Comma "
    "delimited)'; tệp gõ bằng phông TCVN3/VNI thì chuyển mã bằng Unikey Toolkit sang Unicode"
)


def decode(data: bytes, label: str) -> tuple[str, list[Issue]]:
    """Bytes of a text list → NFC text, in whichever of UTF-8, UTF-16, Windows-1258, TCVN3
    and VNI reads as Vietnamese (`vn.encoding.detect`: every reading scored by its share
    of Vietnamese syllables). A legacy encoding is read with a warning; two close readings,
    or none, are refused at the first line in question with instructions."""
    found = vnencoding.detect(data)
    chosen = found.chosen
    if chosen is not None:
        warnings: list[Issue] = []
        if chosen.encoding in ("tcvn3", "vni"):
            message = (
                f"tệp dùng bảng mã {chosen.label}; đã tự chuyển sang Unicode — hãy kiểm tra "
                "lại dấu, rồi lưu tệp dạng CSV UTF-8 cho lần sau"
            )
            warnings.append(Issue(Location(label), "", message, Severity.WARNING))
        elif chosen.encoding == "cp1258":
            message = "tệp dùng bảng mã Windows-1258; đã đọc và chuyển sang Unicode"
            warnings.append(Issue(Location(label), "", message, Severity.WARNING))
        return chosen.text, warnings
    if found.rivals:
        a, b = found.rivals
        line, x, y = vnencoding.differing_line(a.text, b.text)
        message = (
            f"không chắc tệp dùng bảng mã nào: dòng {line} đọc theo {a.label} là '{x}', "
            f"theo {b.label} là '{y}'; {_ADVICE}"
        )
        raise RecipientError([Issue(Location(label, line, 1), "", message)])
    line = found.bad_line
    tried = "UTF-8, UTF-16, Windows-1258, TCVN3 hay VNI"
    message = (
        f"không đọc được bảng mã của tệp: từ dòng {line}, đọc theo {tried} đều không ra "
        f"tiếng Việt; {_ADVICE}"
    )
    raise RecipientError([Issue(Location(label, line, 1), "", message)])


_CONTROL = vntext.ILLEGAL_RE  # control characters, noncharacters, lone surrogates
# Whitespace other than the space (and the line break between values in `_clean`).
_ODD_SPACE = re.compile(r"[^\S\n ]")
#: Letters of the scripts whose letters look like Latin ones (Greek, Cyrillic, Armenian,
#: Cherokee): one inside a Vietnamese name makes a different name that looks the same.
_LOOKALIKE = re.compile("[\u0370-\u03ff\u0400-\u052f\u0531-\u058f\u13a0-\u13ff]")
_SCRIPTS = {"GREEK": "Hy Lạp", "CYRILLIC": "Kirin", "ARMENIAN": "Armenia", "CHEROKEE": "Cherokee"}
#: Invisible characters that reorder text (a name may show reversed, in a file name too).
_BIDI = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _fix_legacy(value: str, where: Location, column: str, issues: list[Issue]) -> str:
    found = vnencoding.legacy_text(value)
    if found is None:
        return value
    kind, converted = found
    issues.append(
        Issue(
            where,
            column,
            f"'{value}' là chữ {kind} dán vào; đã chuyển thành '{converted}' — hãy kiểm tra",
            Severity.WARNING,
        )
    )
    return converted


def _invisible(value: str, where: Location, column: str, issues: list[Issue]) -> str | None:
    """``value`` without zero-width characters and BOMs (each removal reported); None
    (an error reported) when it holds a bidi control, which reorders what is shown."""
    for i, ch in enumerate(value):
        if ch in _BIDI:
            message = (
                f"có ký tự ẩn {vntext.describe_char(ch)} ở ký tự thứ {i + 1}: nó đảo chiều "
                "chữ hiển thị (cả trong tên tệp); hãy xóa rồi gõ lại ô này"
            )
            issues.append(Issue(where, column, message))
            return None
    cleaned = vntext.strip_invisible(value)
    gone = ", ".join(
        dict.fromkeys(vntext.describe_char(ch) for ch in value if ch in vntext.INVISIBLE)
    )
    message = f"đã xóa ký tự ẩn {gone} trong '{cleaned}'; hãy xóa luôn trong tệp"
    issues.append(Issue(where, column, message, Severity.WARNING))
    return cleaned


def _mixed_script(name: str) -> str | None:
    """The message for a name whose Latin letters are mixed with look-alike letters of
    another script (a Cyrillic `а` in `Sở Tài chính`), else None."""
    if not any(ch.isascii() and ch.isalpha() for ch in name):
        return None
    for i, ch in enumerate(name):
        if _LOOKALIKE.match(ch) and ch.isalpha():
            script = _SCRIPTS.get(unicodedata.name(ch, "").split(" ")[0], "khác")
            return (
                f"tên '{name}' lẫn chữ {script} {vntext.describe_char(ch)} ở ký tự thứ {i + 1}: "
                "trông như chữ Latinh nhưng là chữ khác (tên tệp, tìm trùng đều sai); hãy xóa "
                "chữ đó và gõ lại bằng bàn phím tiếng Việt"
            )
    return None


# --------------------------------------------------------------------------- formats


def _from_csv(
    data: bytes, label: str, *, bare: bool = False
) -> tuple[list[tuple[Location, dict[str, str]]], list[Issue]]:
    """Rows of a delimited text list. ``bare``: a one-column list may have no header (a .txt
    typed one unit per line, lines starting with '#' being notes) — see `_bare_lines`."""
    text, issues = decode(data, label)
    if bare:
        rows = _bare_lines(text, label)
        if rows is not None:
            return rows, issues
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[Location, dict[str, str]]] = []
    try:
        header_row = next(reader, None)
    except csv.Error as err:
        raise RecipientError([_broken_quote(text, 1, delimiter, label, err)]) from None
    if header_row is None:
        raise RecipientError([Issue(Location(label), "", "tệp danh sách trống")])
    header, problems = _header(header_row, label, 1)
    issues += problems
    width = len(header)
    start = reader.line_num + 1  # the line a record starts on (a quoted value may go on)
    try:
        for row in reader:
            where = Location(label, start, 1)
            start = reader.line_num + 1
            # Blank rows are skipped; a first cell with text (the usual row) proves it is not.
            if not (row and row[0] and not row[0].isspace()) and not "".join(row).strip():
                continue
            if len(row) != width:
                message = f"dòng có {len(row)} ô nhưng tiêu đề có {width} cột"
                issues.append(Issue(where, "", message))
                continue
            rows.append((where, dict(zip(header, row, strict=True))))
    except csv.Error as err:
        issues.append(_broken_quote(text, start, delimiter, label, err))
    return rows, issues


def _broken_quote(text: str, start: int, delimiter: str, label: str, err: csv.Error) -> Issue:
    """The record starting on line ``start`` ends inside quotes (or has text after a closing
    quote): located where its quote opens, which is what the user has to fix."""
    lines = text.split("\n")
    line, col = start, 1
    for n in range(start, len(lines) + 1):
        at = _open_quote(lines[n - 1].rstrip("\r"), delimiter)
        if at:
            line, col = n, at
            break
    message = (
        "dấu ngoặc kép mở ở đây không được đóng (hoặc có chữ ngay sau dấu đóng): mọi dòng "
        'sau nó thành một ô; hãy thêm dấu " đóng, hoặc gõ "" cho dấu ngoặc kép nằm trong chữ'
    )
    del err  # csv's English text ("unexpected end of data") says less than the above
    return Issue(Location(label, line, col), "", message)


def _open_quote(line: str, delimiter: str) -> int:
    """1-based column of a quote that opens a value on ``line`` and is not closed on it
    (or is followed by text after closing), 0 when the line's quotes are all balanced."""
    inside, opened, i = False, 0, 0
    at_start = True
    while i < len(line):
        ch = line[i]
        if inside:
            if ch == '"':
                if line[i + 1 : i + 2] == '"':
                    i += 1
                else:
                    inside = False
                    following = line[i + 1 : i + 2]
                    if following not in ("", delimiter):
                        return opened  # text after the closing quote: strict csv refuses
        elif ch == '"' and at_start:
            inside, opened = True, i + 1
        at_start = not inside and ch == delimiter
        i += 1
    return opened if inside else 0


def _bare_lines(text: str, label: str) -> Rows | None:
    """A list typed one unit per line, with no header (the form's ``--don-vi`` list): the
    rows, each a name under 'ten'. None when it is a table: its first line (not a note)
    names the name column, or some line holds a ';' or a tab. Commas belong to names here
    (`Sở Văn hóa, Thể thao và Du lịch`). Blank lines and notes ('#…') are skipped."""
    lines = text.split("\n")
    content = [
        (n, line.rstrip("\r"))
        for n, line in enumerate(lines, start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not content:
        return None
    first = content[0][1]
    cells = {c.strip().strip('"').strip().lower() for c in re.split("[,;\t]", first)}
    if cells & set(NAME_COLUMNS) or any(";" in ln or "\t" in ln for _, ln in content):
        return None
    return [(Location(label, n, 1), {"ten": line}) for n, line in content]


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
    legacy: bool  # some value has a TCVN3/VNI symbol: values are checked one by one
    odd: bool  # something invisible, or a Greek/Cyrillic… letter: checked one by one


def _clean(rows: list[tuple[Location, dict[str, str]]]) -> _Clean:
    """Checks over all values at once, one per line, so that the usual list skips them
    value by value; a list that is not tidy is checked and tidied value by value."""
    values = [v for _, record in rows for v in record.values()]
    text = "\n".join(values)
    if text.count("\n") != max(0, len(values) - 1):  # a value holds a line break
        return _Clean(False, False, True, True)
    legacy = vnencoding.LEGACY_HINT.search(text) is not None
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
    invisible = not printable and vntext.has_invisible(text)
    plain = tidy and unicodedata.is_normalized("NFKC", text) and not invisible
    odd = invisible or _LOOKALIKE.search(text) is not None
    return _Clean(tidy, plain, legacy or not tidy, odd)  # tidying (NFC) may make a symbol


def _tidy(
    record: dict[str, str], where: Location, cells: bool, issues: list[Issue], clean: _Clean
) -> dict[str, str] | None:
    """One row's values tidied (NFC, single spaces, line breaks kept), zero-width
    characters removed and legacy text converted, each change reported at the row and
    column; None when a value must be retyped (a control character, a bidi control)."""
    out: dict[str, str] = {}
    refused = False
    for i, (column, raw) in enumerate(record.items(), start=1):
        at = Location(where.file, where.line, i) if cells else where
        value: str | None = raw
        if not clean.tidy:
            value = raw.replace("\r\n", "\n").replace("\r", "\n")
            # Control characters are refused before spaces are tidied (split() eats \x0b).
            bad = _CONTROL.search(value.replace("\n", ""))
            if bad:
                message = f"có ký tự điều khiển {vntext.describe_char(bad.group())}; hãy xóa"
                issues.append(Issue(at, column, message))
                refused = True
                continue
            lines = unicodedata.normalize("NFC", value).split("\n")
            value = "\n".join(" ".join(line.split()) for line in lines).strip("\n")
        if clean.odd and vntext.has_invisible(value):
            value = _invisible(value, at, column, issues)
            if value is None:
                refused = True
                continue
            # "Sở Y tế \u200b": the space before a removed character must not stay behind.
            value = "\n".join(" ".join(line.split()) for line in value.split("\n")).strip("\n")
        if clean.legacy:
            value = _fix_legacy(value, at, column, issues)
        out[column] = value
    return None if refused else out


def _finish(
    rows: list[tuple[Location, dict[str, str]]],
    issues: list[Issue],
    label: str,
    *,
    cells: bool = False,
) -> RecipientList:
    """Rows → recipients: names tidied and checked, duplicates refused. ``cells``: the rows
    are a table's (CSV, .xlsx), so a problem is located at its column too."""
    recipients: list[Recipient] = []
    seen: dict[str, Location] = {}
    # Which columns name the unit, key it, or are fields: worked out once per set of
    # columns (every row of a CSV has the same; YAML rows may differ).
    roles: dict[tuple[str, ...], tuple[list[str], list[str], list[tuple[str, str]]]] = {}
    clean = _clean(rows)
    slow = not clean.tidy or clean.legacy or clean.odd
    fast = clean.plain and not slow  # a name is its own identity but for case
    for where, record in rows:
        if slow:
            tidied = _tidy(record, where, cells, issues, clean)
            if tidied is None:
                continue
            record = tidied
        columns = tuple(record)
        if columns not in roles:
            roles[columns] = (
                [c for c in NAME_COLUMNS if c in record],
                [c for c in KEY_COLUMNS if c in record],
                [(c, c.replace(" ", "_")) for c in columns if c and c not in _NOT_FIELDS],
            )
        name_columns, key_columns, field_columns = roles[columns]
        column = name_columns[0] if name_columns else "ten"
        name = (  # one name column is the usual case: no generator for it
            record[column]
            if len(name_columns) == 1
            else next((record[c] for c in name_columns if record[c]), "")
        )
        if not name:
            issues.append(Issue(where, "ten", "dòng không có tên đơn vị"))
            continue
        if slow:
            at = Location(where.file, where.line, columns.index(column) + 1) if cells else where
            if "\n" in name:
                joined = " ".join(name.split())
                message = f"tên đơn vị viết trên nhiều dòng; đã nối thành một dòng: '{joined}'"
                issues.append(Issue(at, column, message, Severity.WARNING))
                name = joined
            mixed = _mixed_script(name) if clean.odd else None
            if mixed:
                issues.append(Issue(at, column, mixed))
                continue
        key = next((record[c] for c in key_columns if record[c]), "") if key_columns else ""
        folded = (key or name).casefold() if fast else _folded(key or name)
        ident = vntext.tone_key(folded)
        key = key or folded
        if ident in seen:
            first = seen[ident]
            issues.append(
                Issue(
                    where,
                    "ten",
                    f"'{name}' trùng với dòng {first.line} (sau khi chuẩn hóa chữ hoa/thường, "
                    "dấu cách, mã Unicode và vị trí dấu thanh như ủy/uỷ)",
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
