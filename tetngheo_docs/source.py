"""Read a YAML file safely: every scalar a string, every node located, every problem reported.

PyYAML's loaders turn ``NO`` into False, ``14:30`` into 870, ``010`` into 8 and ``2024-01-15``
into a date; they let duplicate keys win silently, expand aliases, recurse on deep nesting and
report control characters by character offset. This module avoids all of that by reading the
*event* stream (which PyYAML and libyaml both produce without recursion) and building the tree
itself:

* bytes are decoded strictly (UTF-8, or UTF-8/16/32 with a BOM), size is capped;
* tabs and characters the YAML reader rejects are found by a pre-scan, each with line:col;
* scalars stay exactly as typed (NFC-normalised strings); ``key:`` with nothing gives ``""``;
* anchors, aliases, explicit tags, duplicate keys, non-scalar keys, more than one document,
  nesting deeper than ``MAX_DEPTH`` and more than ``MAX_NODES`` nodes are refused;
* syntax errors are translated into Vietnamese with a hint on how to fix them.

All problems become :class:`~tetngheo_docs.errors.Issue` objects raised together in one
:class:`~tetngheo_docs.errors.SourceError`. Nothing from PyYAML escapes.
"""

from __future__ import annotations

import bisect
import codecs
import copy
import dataclasses
import os
import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import yaml
from yaml import events as ev

from .errors import Issue, Location, Severity, SourceError

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "Finding",
    "Source",
    "YamlPath",
    "load_yaml",
    "load_yaml_text",
    "path_str",
]

YamlPath = tuple[str | int, ...]

MAX_BYTES = 1024 * 1024  # 1 MB; a directive is a few KB, a long recipient list a few hundred
MAX_DEPTH = 20  # nested mappings/sequences, the top-level mapping counting as 1
MAX_NODES = 50_000  # scalars + collections + aliases (keys included)
MAX_REPORTED = 20  # per kind of pre-scan problem (tabs, bad characters)

# The libyaml-backed loader is ~50x faster; both give the same events and marks (tested).
_LOADER: type = getattr(yaml, "CBaseLoader", None) or yaml.BaseLoader

# Characters the YAML reader (PyYAML and libyaml alike) refuses.
_BAD_CHAR = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Line breaks as YAML counts them, so our line numbers agree with the parser's marks.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# Line breaks as an editor (Notepad, VS Code, Notepad++) counts them. YAML 1.1 also breaks lines
# at U+0085, U+2028 and U+2029, which editors show as (invisible) characters: those are refused
# by the pre-scan, so once it has passed, the parser's line numbers are the editor's.
_EDITOR_BREAK = re.compile("\r\n|[\r\n]")
_ODD_BREAK = re.compile("[\x85\u2028\u2029]")
_ODD_BREAK_NAMES = {
    "\x85": "NEL, xuống dòng kiểu cũ",
    "\u2028": "LINE SEPARATOR, ngắt dòng vô hình",
    "\u2029": "PARAGRAPH SEPARATOR, ngắt đoạn vô hình",
}
_STR_TAG = "tag:yaml.org,2002:str"
# Invisible characters a directive may hold (the pre-scan has refused the rest): bidi controls
# that reorder what the editor shows, and zero-width characters, BOMs, soft hyphens and bidi
# marks that only hide. Found in scalars with their position; `Source.review` decides.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_INVISIBLE_NAMES = {
    "\u00ad": "gạch nối mềm",
    "\u200b": "khoảng trắng độ rộng 0",
    "\u200c": "ký tự ngắt nối độ rộng 0",
    "\u200d": "ký tự nối độ rộng 0",
    "\u2060": "ký tự nối từ",
    "\ufeff": "dấu BOM giữa văn bản",
    "\u200e": "dấu hướng chữ trái-sang-phải",
    "\u200f": "dấu hướng chữ phải-sang-trái",
    "\u061c": "dấu hướng chữ Ả Rập",
    "\u202a": "nhúng hướng trái-sang-phải",
    "\u202b": "nhúng hướng phải-sang-trái",
    "\u202c": "kết thúc định hướng",
    "\u202d": "ép hướng trái-sang-phải",
    "\u202e": "ép hướng phải-sang-trái",
    "\u2066": "cô lập hướng trái-sang-phải",
    "\u2067": "cô lập hướng phải-sang-trái",
    "\u2068": "cô lập hướng theo chữ đầu",
    "\u2069": "kết thúc cô lập hướng",
}
_NULLS = frozenset({"~", "null", "Null", "NULL"})
# After an unquoted value: a comment written as one (two spaces or a tab before '#', a space or
# nothing after it) is deliberate; any other ' #' probably cut text the user meant to keep.
_COMMENT_AFTER = re.compile(r"([ \t]*)#([^\r\n]*)")

# --- messages (Vietnamese, user-facing) -------------------------------------------------------

MSG_EMPTY = "tệp trống: cần một ánh xạ (khóa: giá trị)"
MSG_TAB = "ký tự tab không được dùng trong YAML; hãy thay bằng dấu cách"
MSG_ALIAS = (
    "không dùng neo/bí danh YAML (& và *), ở đây là '{sym}'; hãy viết lại giá trị — nếu là văn "
    'bản bắt đầu bằng * hoặc & (như *Như trên*), hãy đặt cả giá trị trong ngoặc kép "…"'
)
MSG_COLON = (
    "dấu hai chấm ': ' nằm giữa giá trị; hãy đặt cả giá trị trong ngoặc kép \"…\" hoặc dùng khối |"
)
MSG_NULL = (
    "'{token}' không viết trong ngoặc là giá trị rỗng (null) của YAML, không phải chữ: hãy ghi "
    "nội dung cần in, hoặc xóa cả dòng nếu không dùng mục này (muốn in đúng chữ đó thì đặt "
    'trong ngoặc kép "{token}")'
)
MSG_COMMENT = (
    "phần sau dấu ' #' bị YAML coi là chú thích nên bị bỏ: \"{cut}\"; giá trị chỉ còn "
    '"{kept}". Nếu đó là nội dung, hãy đặt cả giá trị trong ngoặc kép "…"; nếu là chú '
    "thích, hãy cách hai dấu cách trước '# '"
)
MSG_BIDI = (
    "ký tự điều khiển hướng chữ {ch} làm trình soạn thảo hiện chữ khác thứ tự sẽ in ra; "
    "hãy xóa ký tự này (gõ lại đoạn chữ quanh vị trí này)"
)
MSG_INVISIBLE_KEY = "tên khóa có ký tự vô hình {ch}; hãy xóa ký tự này (gõ lại tên khóa)"
MSG_INVISIBLE_NAME = (
    "ký tự vô hình {ch} trong tên được in và ghi vào sổ: chương trình không tự xóa ở mục này; "
    "hãy xóa ký tự này (gõ lại chữ quanh vị trí này)"
)
MSG_INVISIBLE = (
    "ký tự vô hình {ch} đã được bỏ khỏi văn bản in ra; hãy xóa nó trong tệp cho sạch "
    "(thường do dán từ web/Word)"
)
MSG_NOT_UTF8 = (
    "tệp không phải UTF-8 (byte 0x{byte:02X} ở dòng {line}); hãy lưu lại với bảng mã UTF-8 "
    "(có thể tệp đang dùng bảng mã cũ TCVN3, VNI hoặc Windows-1258)"
)


# --- public API --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """Something typed that YAML would drop or hide: ``kind`` is ``"null"`` (``text`` is the
    token), ``"comment"`` (``text`` is the message), ``"invisible"`` in a value or ``"key"``
    (``text`` is the character); ``location`` is where it is, as the editor counts."""

    kind: str
    path: YamlPath
    location: Location
    text: str


@dataclass(frozen=True)
class BlockText:
    """The content of a block scalar as typed: first line (1-based), indentation, lines."""

    first_line: int
    indent: int
    text: str


@dataclass(frozen=True)
class Source:
    """A loaded YAML file: the string-only tree and where each node came from."""

    file: str
    data: Any
    locations: Mapping[YamlPath, Location] = field(default_factory=dict)
    key_locations: Mapping[YamlPath, Location] = field(default_factory=dict)
    #: Values written as block scalars (``|`` or ``>``): their raw lines as typed, so that
    #: problems found inside them can be placed at their exact line and column.
    blocks: Mapping[YamlPath, BlockText] = field(default_factory=dict)
    #: The decoded text, comments included (review notes such as ``# XEM LẠI`` live there).
    text: str = ""
    #: What YAML would change or hide without a word: see :meth:`review`.
    findings: tuple[Finding, ...] = ()

    def review(self, strict: Collection[str] = ()) -> tuple[Source, list[Issue]]:
        """The problems a directive must not pass over in silence, and the text cleaned.

        * an unquoted ``null``/``~``/``Null``/``NULL`` value is YAML's "nothing", never text:
          an error (else ``dia_danh: null`` prints "null, ngày …");
        * `` #`` after an unquoted value cuts the rest of the line as a comment: a warning
          with what was cut, unless it is written as a deliberate comment (two spaces or a
          tab before ``#``, a space after it);
        * bidi controls (which make the editor show text in another order than printed) and
          invisible characters in a key are errors; zero-width characters, a BOM, soft
          hyphens and bidi marks are errors in the values under a top-level key in
          ``strict`` (names that are printed and recorded), elsewhere removed with a warning.

        Returns a `Source` with the removed characters gone from its data and blocks.
        """
        issues: list[Issue] = []
        removed: dict[YamlPath, set[str]] = {}
        for f in self.findings:
            where = path_str(f.path)
            if f.kind == "null":
                issues.append(Issue(f.location, where, MSG_NULL.format(token=f.text)))
            elif f.kind == "comment":
                issues.append(Issue(f.location, where, f.text, Severity.WARNING))
            elif f.kind == "key":
                issues.append(Issue(f.location, where, MSG_INVISIBLE_KEY.format(ch=_show(f.text))))
            elif f.text in _BIDI:
                issues.append(Issue(f.location, where, MSG_BIDI.format(ch=_show(f.text))))
            elif f.path[:1] and f.path[0] in strict:
                message = MSG_INVISIBLE_NAME.format(ch=_show(f.text))
                issues.append(Issue(f.location, where, message))
            else:
                message = MSG_INVISIBLE.format(ch=_show(f.text))
                issues.append(Issue(f.location, where, message, Severity.WARNING))
                removed.setdefault(f.path, set()).add(f.text)
        if not removed:
            return self, issues
        data = copy.deepcopy(self.data)
        blocks = dict(self.blocks)
        for path, chars in removed.items():
            table = str.maketrans(dict.fromkeys(chars, ""))
            parent = data
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = parent[path[-1]].translate(table)
            block = blocks.get(path)
            if block is not None:
                blocks[path] = dataclasses.replace(block, text=block.text.translate(table))
        cleaned = dataclasses.replace(self, data=data, blocks=MappingProxyType(blocks))
        return cleaned, issues

    def loc(self, path: YamlPath) -> Location:
        """Start of the value at ``path``, else of its nearest located ancestor, else 1:1."""
        path = tuple(path)
        for end in range(len(path), -1, -1):
            found = self.locations.get(path[:end])
            if found is not None:
                return found
        return Location(self.file, 1, 1)

    def key_loc(self, path: YamlPath) -> Location:
        """Start of the key whose value is at ``path`` (mappings only), else :meth:`loc`."""
        found = self.key_locations.get(tuple(path))
        return found if found is not None else self.loc(path)


def path_str(path: YamlPath) -> str:
    """``("noi_nhan", 2, "ten")`` -> ``"noi_nhan[2].ten"``; ``()`` -> ``""``."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        else:
            out.append(f".{part}" if out else part)
    return "".join(out)


def load_yaml(path: str | os.PathLike[str], *, label: str | None = None) -> Source:
    """Read and load a YAML file; ``label`` (default: the path as given) is used in messages."""
    label = os.fspath(path) if label is None else label
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
            size = len(raw)
            if size > MAX_BYTES:
                size = max(size, os.fstat(fh.fileno()).st_size)
    except FileNotFoundError:
        raise SourceError([_issue(label, 1, 1, "", "không tìm thấy tệp")]) from None
    except IsADirectoryError:
        raise SourceError([_issue(label, 1, 1, "", "đây là thư mục, không phải tệp")]) from None
    except PermissionError:
        raise SourceError([_issue(label, 1, 1, "", "không có quyền đọc tệp")]) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SourceError([_issue(label, 1, 1, "", f"không đọc được tệp ({reason})")]) from None
    return _load(raw, label, size)


def load_yaml_text(text_or_bytes: str | bytes, *, label: str) -> Source:
    """Load YAML from memory (bytes are decoded like a file's content)."""
    if isinstance(text_or_bytes, str):
        size = len(text_or_bytes.encode("utf-8", "surrogatepass"))
    else:
        size = len(text_or_bytes)
    return _load(text_or_bytes, label, size)


# --- pipeline ----------------------------------------------------------------------------------


def _issue(label: str, line: int, col: int, path: str, message: str) -> Issue:
    return Issue(Location(label, line, col), path, message)


def _load(content: str | bytes, label: str, size: int) -> Source:
    if size > MAX_BYTES:
        message = (
            f"tệp quá lớn ({_thousands(size)} byte); "
            f"giới hạn là 1 MB ({_thousands(MAX_BYTES)} byte)"
        )
        raise SourceError([_issue(label, 1, 1, "", message)])
    if isinstance(content, bytes):
        text, issues = _decode(content, label)
        if issues:
            raise SourceError(issues)
        assert text is not None
    else:
        text = content
    if text.startswith("\ufeff"):
        text = text[1:]
    issues = _prescan(text, label, _Lines(text, _EDITOR_BREAK))
    if issues:
        raise SourceError(_with_paths(issues, text, label))
    lines = _Lines(text)  # the same lines as the editor's, now that the pre-scan has passed
    deep = _deep_flow_offset(text)
    if deep is not None:
        # Our depth limit must apply before any parser's own: libyaml 0.2.6 looks up to 1,024
        # characters ahead for a simple key and stops at its own limit of 1,000 levels (in
        # English) before it has produced the events at which ours would stop. So the parser
        # is first given only the text up to the bracket that may be one level too deep.
        probe = _Builder(text[: deep + 1], label, lines)
        probe.run()
        if probe.too_deep:
            raise SourceError(probe.issues)
    builder = _Builder(text, label, lines)
    builder.run()
    if builder.issues:
        raise SourceError(builder.issues)
    return Source(
        file=label,
        data=builder.root,
        locations=MappingProxyType(builder.locations),
        key_locations=MappingProxyType(builder.key_locations),
        blocks=MappingProxyType(builder.blocks),
        text=text,
        findings=tuple(builder.findings),
    )


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class _Lines:
    """Offset -> (line, col), both 1-based, counting line breaks the way YAML does."""

    def __init__(self, text: str, breaks: re.Pattern[str] = _LINE_BREAK) -> None:
        self.starts = [0] + [m.end() for m in breaks.finditer(text)]

    def line_col(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def offset(self, line0: int, col0: int) -> int:
        """Offset of a 0-based PyYAML mark (clamped)."""
        line0 = min(max(line0, 0), len(self.starts) - 1)
        return self.starts[line0] + max(col0, 0)


_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def _sniff_bom(raw: bytes) -> tuple[bytes, str, str]:
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            return bom, codec, name
    return b"", "utf-8", "UTF-8"


def _decode(raw: bytes, label: str) -> tuple[str | None, list[Issue]]:
    bom, codec, name = _sniff_bom(raw)
    if codec in ("utf-8", "utf-8-sig"):
        body = raw[len(bom) :]
        if not bom and _looks_like_utf16(body):
            message = "tệp có vẻ là UTF-16 không có dấu BOM; hãy lưu lại với bảng mã UTF-8"
            return None, [_issue(label, 1, 1, "", message)]
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            prefix = body[: exc.start].decode("utf-8")  # valid up to the first bad byte
            line, col = _Lines(prefix).line_col(len(prefix))
            message = MSG_NOT_UTF8.format(byte=body[exc.start], line=line)
            return None, [_issue(label, line, col, "", message)]
        return text, []
    try:
        return raw.decode(codec), []
    except UnicodeDecodeError as exc:
        message = (
            f"tệp có dấu BOM {name} nhưng nội dung bị hỏng (từ byte thứ {exc.start}); "
            "hãy lưu lại với bảng mã UTF-8"
        )
        return None, [_issue(label, 1, 1, "", message)]


def _looks_like_utf16(body: bytes) -> bool:
    head = body[:400]
    return len(head) >= 4 and head.count(0) * 4 >= len(head)


def _prescan(text: str, label: str, lines: _Lines) -> list[Issue]:
    """Tabs (every line) and characters the YAML reader rejects (every one), capped."""
    issues: list[Issue] = []
    tab_lines: list[tuple[int, int]] = []
    seen: set[int] = set()
    for match in re.finditer("\t", text):
        line, col = lines.line_col(match.start())
        if line not in seen:
            seen.add(line)
            tab_lines.append((line, col))
    issues += _capped(label, tab_lines, lambda _: MSG_TAB, "dòng khác cũng có ký tự tab")

    bad: list[tuple[int, int]] = []
    messages: dict[tuple[int, int], str] = {}
    for match in _BAD_CHAR.finditer(text):
        line, col = lines.line_col(match.start())
        bad.append((line, col))
        messages[(line, col)] = _bad_char_message(match.group())
        if len(bad) > MAX_REPORTED + 1000:  # enough to say "many more"
            break
    for match in _ODD_BREAK.finditer(text):
        line, col = lines.line_col(match.start())
        bad.append((line, col))
        char = match.group()
        messages[(line, col)] = (
            f"ký tự U+{ord(char):04X} ({_ODD_BREAK_NAMES[char]}): YAML coi nó là xuống dòng "
            "nhưng trình soạn thảo không hiện ra, nên nội dung và số dòng bị lệch; hãy xóa ký tự "
            "này (nếu cần xuống dòng thì nhấn Enter)"
        )
        if len(bad) > MAX_REPORTED + 1000:
            break
    bad.sort()
    issues += _capped(label, bad, messages.__getitem__, "ký tự không hợp lệ khác")
    return issues


def _with_paths(issues: list[Issue], text: str, label: str) -> list[Issue]:
    """Give each pre-scan issue the YAML path of the nearest node on or above its line.

    The text is parsed once more with every refused character replaced by a space (same
    offsets, and the same lines as the editor's); its problems are ignored, its locations kept.
    Only on the error path, so it costs nothing when a file is clean.
    """
    cleaned = _ODD_BREAK.sub(" ", _BAD_CHAR.sub(" ", text.replace("\t", " ")))
    builder = _Builder(cleaned, label, _Lines(cleaned))
    try:
        builder.run()
    except Exception:  # a best-effort guess of paths must never hide the issues found
        return issues
    near = _PathIndex(builder.locations, builder.key_locations)
    return [
        Issue(i.location, i.path or near.at(i.location.line, i.location.col), i.message)
        for i in issues
    ]


class _PathIndex:
    """The YAML path of the located node (value or key) nearest a position: the last one at
    or before it on its line, else the first on its line, else the last one above."""

    def __init__(
        self, locations: Mapping[YamlPath, Location], key_locations: Mapping[YamlPath, Location]
    ) -> None:
        entries = {(loc.line, loc.col, len(p), p) for p, loc in locations.items() if p}
        entries |= {(loc.line, loc.col, len(p), p) for p, loc in key_locations.items() if p}
        self.entries = sorted(entries, key=lambda e: e[:3])

    def at(self, line: int, col: int) -> str:
        keys = [(e[0], e[1]) for e in self.entries]
        after = bisect.bisect_right(keys, (line, col))
        if after and self.entries[after - 1][0] == line:
            return path_str(self.entries[after - 1][3])
        if after < len(keys) and keys[after][0] == line:
            return path_str(self.entries[after][3])
        return path_str(self.entries[after - 1][3]) if after else ""


def _capped(label: str, where: list[tuple[int, int]], message: Any, more: str) -> list[Issue]:
    out = [_issue(label, line, col, "", message((line, col))) for line, col in where[:MAX_REPORTED]]
    if len(where) > MAX_REPORTED:
        line, col = where[MAX_REPORTED]
        out.append(_issue(label, line, col, "", f"còn {len(where) - MAX_REPORTED} {more}"))
    return out


def _bad_char_message(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
        return (
            f"ký tự điều khiển {code} không được phép trong YAML (thường do dán từ Word/PDF); "
            "hãy xóa ký tự này"
        )
    return f"ký tự {code} không hợp lệ trong YAML; hãy xóa ký tự này"


def _deep_flow_offset(text: str) -> int | None:
    """Offset of the first ``[``/``{`` that may open flow level ``MAX_DEPTH``, else None.

    A lexical scan independent of any parser. It may count too much (a ``[`` at the start of a
    plain scalar's continuation line counts as an opener) but does not miss a real opener
    outside quotes, comments and block scalars: a false alarm only costs a short parse of the
    text up to that offset, while a miss would let the parser's own limit speak first.
    """
    if text.count("[") + text.count("{") < MAX_DEPTH:
        return None
    depth = 0
    in_block_scalar_of: int | None = None  # indentation of the line that opened a | or > block
    quote = ""  # the open quote character of a quoted scalar spanning lines
    for match in re.finditer(r"[^\n]*(?:\n|$)", text):
        line = match.group()
        if not line:
            break
        base = match.start()
        indent = len(line) - len(line.lstrip(" "))
        if in_block_scalar_of is not None:
            if not line.strip() or indent > in_block_scalar_of:
                continue
            in_block_scalar_of = None
        i, n = 0, len(line)
        value_start = depth == 0 and not quote  # block context: may a value start here?
        while i < n:
            char = line[i]
            if quote:
                if char == "\\" and quote == '"':
                    i += 2
                    continue
                if char == quote:
                    if quote == "'" and line[i + 1 : i + 2] == "'":
                        i += 2
                        continue
                    quote = ""
                    value_start = False
                i += 1
                continue
            if char in " \r\n":
                i += 1
                continue
            if char == "#" and (i == 0 or line[i - 1] in " \t"):
                break
            token_start = depth > 0 and (i == 0 or line[i - 1] in " [{,:")
            if char in "[{" and (depth > 0 or value_start):
                depth += 1
                if depth >= MAX_DEPTH:
                    return base + i
            elif char in "]}" and depth > 0:
                depth -= 1
            elif char in "\"'" and (value_start or token_start):
                quote = char
            elif depth == 0 and char in "|>" and value_start:
                in_block_scalar_of = indent
                break
            elif depth == 0 and char in "-?:" and line[i + 1 : i + 2] in (" ", "\n", "\r", ""):
                value_start = True
                i += 1
                continue
            elif depth == 0:
                # Plain text: a value may start again only after ': ' on this line.
                colon = line.find(": ", i)
                if colon < 0:
                    break
                i = colon + 1
                value_start = True
                continue
            i += 1
    return None


# --- event-stream tree builder -------------------------------------------------------------------

_AWAIT_KEY = object()  # mapping frame: next node is a key
_BAD_KEY = object()  # mapping frame: next node is the value of a refused key (discarded)


@dataclass
class _Frame:
    is_map: bool
    value: dict[str, Any] | list[Any]
    path: YamlPath
    discard: bool
    flow: bool = False
    key: Any = _AWAIT_KEY
    count: int = 0  # sequence items seen (also when discarding)
    key_lines: dict[str, int] = field(default_factory=dict)


class _Abort(Exception):
    """Stop reading events (a limit was hit); the issue is already recorded."""


class _Builder:
    def __init__(self, text: str, label: str, lines: _Lines) -> None:
        self.text = text
        self.label = label
        self.lines = lines
        self.issues: list[Issue] = []
        self.root: Any = None
        self.root_kind: str | None = None  # "map" | "seq" | "scalar"
        self.root_empty = False
        self.locations: dict[YamlPath, Location] = {}
        self.key_locations: dict[YamlPath, Location] = {}
        self.blocks: dict[YamlPath, BlockText] = {}
        self.stack: list[_Frame] = []
        self.nodes = 0
        self.documents = 0
        self.finished = False
        self.last: tuple[YamlPath, int] | None = None  # path and 0-based line of the last node
        self.alias_lines: set[int] = set()
        self.too_deep = False
        self.findings: list[Finding] = []
        # Both usually absent: the per-scalar checks below then cost a test of a flag.
        self.has_comment = "#" in text
        self.invisible_at = [m.start() for m in _INVISIBLE.finditer(text)]

    # -- helpers

    def _loc(self, mark: Any) -> Location:
        return Location(self.label, mark.line + 1, mark.column + 1)

    def _block_text(self, event: Any) -> BlockText:
        end = event.end_mark.line + (1 if event.end_mark.column > 0 else 0)
        lines = self.text.split("\n")[event.start_mark.line + 1 : end]
        while lines and not lines[-1].strip():
            lines.pop()
        content = [line for line in lines if line.strip()]
        indent = min((len(x) - len(x.lstrip(" ")) for x in content), default=0)
        text = "\n".join(line[indent:] for line in lines)
        return BlockText(event.start_mark.line + 2, indent, _nfc(text))

    def _add(self, mark: Any, path: YamlPath | str, message: str) -> None:
        text_path = path if isinstance(path, str) else path_str(path)
        self.issues.append(Issue(self._loc(mark), text_path, message))

    # -- driver

    def run(self) -> None:
        try:
            loader = _LOADER(self.text)
        except yaml.YAMLError as exc:  # the pure-Python reader checks characters up front
            self._yaml_error(exc)
            return
        try:
            while loader.check_event():
                event = loader.get_event()
                if isinstance(event, ev.StreamEndEvent):
                    self.finished = True
                    break
                self._event(event)
        except _Abort:
            pass
        except yaml.YAMLError as exc:
            self._yaml_error(exc)
        except RecursionError:
            self.issues.append(_issue(self.label, 1, 1, "", "lồng quá sâu"))
        except (ValueError, UnicodeError) as exc:
            message = f"không đọc được tệp YAML ({type(exc).__name__}: {exc})"
            self.issues.append(_issue(self.label, 1, 1, "", message))
        finally:
            dispose = getattr(loader, "dispose", None)
            if dispose is not None:
                dispose()
        if self.finished:
            self._check_top_level()

    def _check_top_level(self) -> None:
        if self.documents == 0 or self.root_empty:
            self.issues.append(_issue(self.label, 1, 1, "", MSG_EMPTY))
            return
        if self.root_kind == "map":
            return
        what = "một danh sách" if self.root_kind == "seq" else "một giá trị đơn"
        loc = self.locations.get((), Location(self.label, 1, 1))
        message = f"cấp ngoài cùng của tệp phải là một ánh xạ (khóa: giá trị), nhưng đây là {what}"
        self.issues.append(Issue(loc, "", message))

    def _event(self, event: Any) -> None:
        if isinstance(event, ev.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                if self.root_kind in ("seq", "scalar") and not self.root_empty:
                    self._check_top_level()  # the first document is complete: say what it is
                self._add(
                    event.start_mark,
                    "",
                    "tệp chứa hơn một tài liệu YAML (tài liệu thứ hai bắt đầu ở đây); "
                    "mỗi tệp chỉ được có một tài liệu — hãy bỏ dấu '---' thừa",
                )
                raise _Abort
        elif isinstance(event, ev.ScalarEvent | ev.AliasEvent):
            self._node(event, collection=False)
        elif isinstance(event, ev.MappingStartEvent | ev.SequenceStartEvent):
            self._node(event, collection=True)
        elif isinstance(event, ev.MappingEndEvent | ev.SequenceEndEvent):
            frame = self.stack.pop()
            if frame.flow and not frame.discard:
                # Text after `]`/`}` on the same line belongs to the collection's own value.
                self.last = (frame.path, event.start_mark.line)

    def _node(self, event: Any, *, collection: bool) -> None:
        mark = event.start_mark
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._add(
                mark,
                self._path_near(mark),
                f"tệp có quá nhiều phần tử (hơn {_thousands(MAX_NODES)}); hãy chia nhỏ tệp",
            )
            raise _Abort
        if collection and len(self.stack) + 1 > MAX_DEPTH:
            self.too_deep = True
            self._add(
                mark,
                _short_path(self.stack[-1].path),
                f"lồng quá sâu (hơn {MAX_DEPTH} cấp danh sách/ánh xạ lồng nhau)",
            )
            raise _Abort

        # Where does this node go?
        parent = self.stack[-1] if self.stack else None
        is_key = False
        discard = False
        path: YamlPath = ()
        if parent is None:
            pass
        elif parent.is_map and parent.key is _AWAIT_KEY:
            is_key = True
            discard = parent.discard
            path = parent.path
        elif parent.is_map:
            discard = parent.discard or parent.key is _BAD_KEY
            if not discard:
                path = (*parent.path, parent.key)
            parent.key = _AWAIT_KEY
        else:
            discard = parent.discard
            path = (*parent.path, parent.count)
            parent.count += 1

        # Refusals common to every node.
        report_path = path
        anchor = getattr(event, "anchor", None)
        if isinstance(event, ev.AliasEvent):
            self._add(mark, report_path, MSG_ALIAS.format(sym=f"*{anchor}"))
            self.alias_lines.add(mark.line)
        elif anchor is not None:
            self._add(mark, report_path, MSG_ALIAS.format(sym=f"&{anchor}"))
            self.alias_lines.add(mark.line)
        tag = getattr(event, "tag", None)
        if tag is not None and not (isinstance(event, ev.ScalarEvent) and tag == _STR_TAG):
            self._add(
                mark,
                report_path,
                f"không dùng thẻ kiểu YAML '{_show_tag(tag)}'; mọi giá trị đều được đọc là "
                "văn bản — hãy bỏ thẻ này",
            )

        if is_key:
            assert parent is not None
            self._key(event, parent, collection=collection)
            return

        if isinstance(event, ev.ScalarEvent):
            value: Any = _nfc(event.value)
        elif isinstance(event, ev.AliasEvent):
            value = ""
        elif isinstance(event, ev.MappingStartEvent):
            value = {}
        else:
            value = []

        if parent is None:
            self.root = value
            self.root_kind = "map" if isinstance(value, dict) else "seq"
            if isinstance(event, ev.ScalarEvent | ev.AliasEvent):
                self.root_kind = "scalar"
                self.root_empty = (
                    isinstance(event, ev.ScalarEvent)
                    and event.value == ""
                    and event.implicit[0]
                    and event.tag is None
                    and anchor is None
                )
        elif not discard:
            if parent.is_map:
                assert isinstance(parent.value, dict)
                parent.value[path[-1]] = value  # type: ignore[index]
            else:
                assert isinstance(parent.value, list)
                parent.value.append(value)
        if not discard:
            self.locations[path] = self._loc(mark)
            self.last = (path, mark.line)
            if isinstance(event, ev.ScalarEvent):
                if event.style in ("|", ">"):
                    self.blocks[path] = self._block_text(event)
                self._inspect(event, path)
        if collection:
            self.stack.append(
                _Frame(
                    isinstance(event, ev.MappingStartEvent),
                    value,
                    path,
                    discard,
                    flow=bool(event.flow_style),
                )
            )

    def _key(self, event: Any, parent: _Frame, *, collection: bool) -> None:
        mark = event.start_mark
        if collection:
            self._add(
                mark,
                parent.path,
                "khóa phải là văn bản đơn giản, không được là danh sách hoặc ánh xạ",
            )
            parent.key = _BAD_KEY  # consulted again only after the key's frame is popped
            self.stack.append(
                _Frame(isinstance(event, ev.MappingStartEvent), {}, parent.path, discard=True)
            )
            return
        if isinstance(event, ev.AliasEvent):
            parent.key = _BAD_KEY
            return
        key = _nfc(event.value)
        first = parent.key_lines.get(key)
        if first is not None:
            self._add(mark, parent.path, f"khóa '{key}' bị lặp (đã có ở dòng {first})")
            parent.key = _BAD_KEY
            return
        parent.key_lines[key] = mark.line + 1
        parent.key = key
        if not parent.discard:
            self.key_locations[(*parent.path, key)] = self._loc(mark)
            self.last = ((*parent.path, key), mark.line)
            if self.invisible_at:
                self._invisible(event, (*parent.path, key), "key")

    def _inspect(self, event: Any, path: YamlPath) -> None:
        """Record what YAML hides in a value: a null, a cut comment, invisible characters."""
        if not event.style:  # plain (unquoted): PyYAML gives None, libyaml ''
            if event.value in _NULLS:
                self.findings.append(
                    Finding("null", path, self._loc(event.start_mark), event.value)
                )
            elif self.has_comment and event.value:
                self._cut_comment(event, path)
        if self.invisible_at:
            self._invisible(event, path, "invisible")

    def _cut_comment(self, event: Any, path: YamlPath) -> None:
        end = self.lines.offset(event.end_mark.line, event.end_mark.column)
        found = _COMMENT_AFTER.match(self.text, end)
        if found is None:
            return
        space, comment = found.group(1), found.group(2)
        if (len(space) >= 2 or "\t" in space) and comment[:1] in ("", " ", "\t"):
            return  # written as a comment on purpose
        hash_at = found.start(2) - 1
        kept = _nfc(event.value).split("\n")[-1]
        kept = kept if len(kept) <= 60 else "…" + kept[-59:]
        message = MSG_COMMENT.format(cut=_clip("#" + comment.rstrip()), kept=kept)
        line, col = self.lines.line_col(hash_at)
        self.findings.append(Finding("comment", path, Location(self.label, line, col), message))

    def _invisible(self, event: Any, path: YamlPath, kind: str) -> None:
        start = self.lines.offset(event.start_mark.line, event.start_mark.column)
        end = self.lines.offset(event.end_mark.line, event.end_mark.column)
        first = bisect.bisect_left(self.invisible_at, start)
        last = bisect.bisect_left(self.invisible_at, end)
        for offset in self.invisible_at[first:last]:
            line, col = self.lines.line_col(offset)
            where = Location(self.label, line, col)
            self.findings.append(Finding(kind, path, where, self.text[offset]))

    # -- PyYAML / libyaml errors

    def _yaml_error(self, exc: yaml.YAMLError) -> None:
        if isinstance(exc, yaml.reader.ReaderError):
            self._reader_error(exc)
            return
        if not isinstance(exc, yaml.MarkedYAMLError):
            message = f"lỗi cú pháp YAML ({exc})"
            self.issues.append(_issue(self.label, 1, 1, "", message))
            return
        message, mark = self._translate(exc)
        if mark is None:
            self.issues.append(_issue(self.label, 1, 1, "", message))
            return
        if mark.line in self.alias_lines and message.startswith(("có văn bản thừa", "thụt lề")):
            return  # the consequence of an alias already reported on this line
        self._add(mark, self._path_near(mark), message)

    def _path_near(self, mark: Any) -> str:
        """The path a syntax error belongs to: the node it interrupted on its own line, else
        the innermost open collection, else the nearest located node above."""
        top = self.stack[-1] if self.stack else None
        if self.last is not None and self.last[1] == mark.line:
            last_path = self.last[0]
            if top is not None and not top.is_map and top.path == last_path:
                last_path = (*last_path, top.count)  # error in the item that was about to start
            return path_str(last_path)
        for frame in reversed(self.stack):
            if frame.path:
                return path_str(frame.path)
        near = _PathIndex(self.locations, self.key_locations)
        return near.at(mark.line + 1, mark.column + 1)

    def _reader_error(self, exc: yaml.reader.ReaderError) -> None:
        # Normally unreachable: the pre-scan reports these characters first.
        position = max(int(exc.position), 0)
        if _LOADER is not yaml.BaseLoader:  # libyaml reports a UTF-8 byte offset
            encoded = self.text.encode("utf-8", "surrogatepass")
            position = len(encoded[:position].decode("utf-8", "ignore"))
        line, col = self.lines.line_col(min(position, len(self.text)))
        character = exc.character
        char = chr(character) if isinstance(character, int) else str(character)
        message = _bad_char_message(char[:1] or "?")
        path = _PathIndex(self.locations, self.key_locations).at(line, col)
        self.issues.append(_issue(self.label, line, col, path, message))

    def _char_at(self, mark: Any) -> str:
        offset = self.lines.offset(mark.line, mark.column)
        return self.text[offset : offset + 1]

    def _bad_start(self, mark: Any) -> str:
        """The message for a character that cannot start a YAML value."""
        char = self._char_at(mark) if mark is not None else "?"
        return (
            f"ký tự '{char}' không được đứng đầu một giá trị YAML; "
            'hãy đặt cả giá trị trong ngoặc kép "…"'
        )

    def _word_at(self, mark: Any) -> str:
        """The '*name' / '&name' text at an alias/anchor error, for the message."""
        if mark is None:
            return "*"
        offset = self.lines.offset(mark.line, mark.column)
        word = re.match(r"[^\s,\[\]{}]*", self.text[offset : offset + 40])
        found = word.group() if word else ""
        return found if found[:1] in ("*", "&") else "*"

    def _at_line_start(self, mark: Any) -> bool:
        start = self.lines.offset(mark.line, 0)
        return self.text[start : self.lines.offset(mark.line, mark.column)].strip(" ") == ""

    def _translate(self, exc: yaml.MarkedYAMLError) -> tuple[str, Any]:
        """Vietnamese message and the mark to show for a PyYAML/libyaml syntax error."""
        problem = exc.problem or ""
        context = exc.context or ""
        pm = exc.problem_mark or exc.context_mark
        cm = exc.context_mark or pm

        if "depth" in problem and "exceed" in problem:
            # A parser's own limit (libyaml >= 0.2.6); ours normally speaks first.
            return f"lồng quá sâu (hơn {MAX_DEPTH} cấp danh sách/ánh xạ lồng nhau)", pm
        if "mapping values are not allowed" in problem:
            return MSG_COLON, pm
        if "sequence entries are not allowed" in problem:
            return (
                "dấu '- ' (mục danh sách) không được đặt ngay sau khóa trên cùng một dòng; hãy "
                'xuống dòng và thụt lề mục danh sách, hoặc đặt cả giá trị trong ngoặc kép "…"',
                pm,
            )
        if "alias" in context or "anchor" in context or "alias" in problem:
            return MSG_ALIAS.format(sym=self._word_at(cm)), cm
        if "quoted scalar" in context and ("end of stream" in problem or "document" in problem):
            quote = self._char_at(cm) if cm is not None else '"'
            quote = quote if quote in "\"'" else '"'
            return (
                f"dấu ngoặc {quote} mở ở đây chưa được đóng (đến "
                f"{'cuối tệp' if 'stream' in problem else 'dấu ---'} vẫn chưa thấy dấu đóng); "
                f"hãy thêm dấu {quote} ở cuối giá trị",
                cm,
            )
        if "quoted scalar" in context:
            return (
                "dấu '\\' trong ngoặc kép \"…\" bắt đầu một mã thoát không hợp lệ; "
                "hãy dùng ngoặc đơn '…' hoặc viết '\\\\'",
                pm,
            )
        if "could not find expected ':'" in problem:
            return (
                "dòng này thiếu dấu hai chấm ':' sau khóa (hoặc là phần tiếp của giá trị ở dòng "
                "trên nhưng thụt lề sai); hãy thêm ': ' hoặc thụt lề dòng này vào trong giá trị",
                cm,
            )
        if "'\\t'" in problem or "tab character" in problem:
            return MSG_TAB, pm
        if "cannot start any token" in problem:
            return self._bad_start(pm), pm
        if "block scalar" in context:
            return (
                "sau dấu | hoặc > phải xuống dòng ngay; hãy viết nội dung ở các dòng dưới, "
                "thụt lề vào trong",
                pm,
            )
        if (
            "expected <block end>" in problem
            or "did not find expected key" in problem
            or "did not find expected '-' indicator" in problem
        ):
            if pm is not None and self._at_line_start(pm):
                return (
                    "thụt lề không đúng: dòng này không thẳng hàng với các khóa/mục cùng cấp ở "
                    "trên; hãy kiểm tra số dấu cách đầu dòng",
                    pm,
                )
            return (
                "có văn bản thừa sau giá trị; nếu giá trị bắt đầu bằng ngoặc kép, ngoặc đơn, "
                '[ hoặc {, hãy đặt cả giá trị trong ngoặc kép "…" (ví dụ "[Dự thảo] Kế hoạch")',
                pm,
            )
        if "flow sequence" in context or "flow mapping" in context:
            opened = cm.line + 1 if cm is not None else 1
            return (
                f"danh sách/ánh xạ trong ngoặc [ ] hoặc {{ }} (mở ở dòng {opened}) chưa đóng hoặc "
                'thiếu dấu phẩy; nếu đây là văn bản, hãy đặt cả giá trị trong ngoặc kép "…"',
                pm,
            )
        if "node content" in problem:
            return self._bad_start(pm), pm
        if "document start" in problem or "directive" in context:
            return (
                "nội dung không hợp lệ ở đầu tài liệu YAML (dòng bắt đầu bằng '%' là chỉ thị, "
                "'...' là dấu kết thúc tài liệu); nếu là văn bản, hãy đặt trong ngoặc kép \"…\"",
                pm,
            )
        english = f"{context}: {problem}" if context else problem
        return f"lỗi cú pháp YAML; hãy kiểm tra dòng này ({english})", pm


def _show(char: str) -> str:
    """``U+200B (khoảng trắng độ rộng 0)`` for a message."""
    name = _INVISIBLE_NAMES.get(char, "ký tự định dạng vô hình")
    return f"U+{ord(char):04X} ({name})"


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short_path(path: YamlPath) -> str:
    """A path for a message, its middle elided when very deep: ``a[0][0]…[0][0]``."""
    if len(path) <= 6:
        return path_str(path)
    return path_str(path[:3]) + "…" + path_str(path[-2:]).lstrip(".")


def _nfc(value: str) -> str:
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def _show_tag(tag: str) -> str:
    if tag.startswith("tag:yaml.org,2002:"):
        tag = "!!" + tag[len("tag:yaml.org,2002:") :]
    return tag if len(tag) <= 60 else tag[:57] + "…"
