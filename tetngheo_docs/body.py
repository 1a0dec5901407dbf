"""The body grammar: plain text in a YAML block → typed blocks with inline emphasis.

Written the way a văn thư types a letter:

- paragraphs are separated by a blank line; lines inside one paragraph are joined by a space
  (so a long paragraph can be wrapped in the editor);
- numbering is typed, never generated: ``I.``/``I-`` (section), ``1.``/``1.1.`` (khoản),
  ``a)`` (điểm), ``-`` and ``+`` (items) keep their text and get their own paragraph style;
- ``**đậm**``, ``*nghiêng*``, ``***đậm nghiêng***``; ``\\*`` is a literal asterisk;
- quotes “…” and every other character are kept as typed;
- footnotes (chú thích) as in Markdown: ``[^1]`` where the mark goes, and a line
  ``[^1]: the note`` anywhere in the block (continued on the next lines until a blank line).
  Notes are numbered in the order of their marks; each mark stands in the runs as one
  private-use character (`ooxml.note_mark`) that the writer turns into a footnote reference.

Problems come back with the 0-based line offset inside the block, so the caller can place
them at ``file:line:col``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tetngheo_docs.render.ooxml import NOTE_MARK, Run, note_mark

#: Paragraph styles by typed numbering; the order matters (most specific first).
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("NoiDungPhan", re.compile(r"^(Phần|Chương|Mục|Tiểu mục) ([IVXLC]+|\d+|thứ \w+)$")),
    ("NoiDungDieu", re.compile(r"^Điều \d+[a-z]?\. ")),
    (
        "NoiDungMuc",
        re.compile(r"^(?=[IVXLC])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})[.\-] "),
    ),
    ("NoiDungKhoan", re.compile(r"^\d+(\.\d+)*\.? ")),
    ("NoiDungDiem", re.compile(r"^[a-zđ]\) ")),
    ("NoiDungGach", re.compile(r"^[-+–] ")),
)


@dataclass(frozen=True, slots=True)
class Block:
    """One body paragraph: its style (by typed numbering) and its runs."""

    style: str
    runs: tuple[Run, ...]
    line: int = 0

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True, slots=True)
class TableBlock:
    """A pipe table typed in the body: a header row, a ``|---|`` row, then data rows."""

    header: tuple[tuple[Run, ...], ...]
    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    aligns: tuple[str, ...]
    line: int = 0
    style: str = "BangChu"


@dataclass(frozen=True, slots=True)
class BodyProblem:
    line: int
    col: int
    message: str


@dataclass
class ParsedBody:
    blocks: list[Block | TableBlock] = field(default_factory=list)
    problems: list[BodyProblem] = field(default_factory=list)
    #: Footnotes in the order of their marks; note ``first_note + i`` is ``notes[i]``.
    notes: list[tuple[Run, ...]] = field(default_factory=list)


_EMPHASIS = re.compile(r"(\\\*|\*\*\*|\*\*|\*)")


def parse_inline(text: str, line: int = 0) -> tuple[tuple[Run, ...], list[BodyProblem]]:
    """Split ``**bold**`` / ``*italic*`` markers into runs; an unclosed marker is a problem."""
    runs: list[Run] = []
    problems: list[BodyProblem] = []
    bold = italic = False
    opened: dict[str, int] = {}
    buf: list[str] = []

    def flush() -> None:
        if buf:
            runs.append(Run("".join(buf), bold=bold, italic=italic))
            buf.clear()

    pos = 0
    for m in _EMPHASIS.finditer(text):
        buf.append(text[pos : m.start()])
        pos = m.end()
        token = m.group(1)
        if token == "\\*":
            buf.append("*")
            continue
        flush()
        if token in ("**", "***"):
            bold = not bold
            if bold:
                opened["**"] = m.start()
            else:
                opened.pop("**", None)
        if token in ("*", "***"):
            italic = not italic
            if italic:
                opened["*"] = m.start()
            else:
                opened.pop("*", None)
    buf.append(text[pos:])
    flush()
    for marker, col in sorted(opened.items(), key=lambda kv: kv[1]):
        problems.append(
            BodyProblem(
                line,
                col,
                f"dấu '{marker}' mở chữ {'đậm' if marker == '**' else 'nghiêng'} "
                f"nhưng không đóng; viết '{marker}…{marker}' hoặc '\\*' cho dấu sao thường",
            )
        )
    merged: list[Run] = []
    for r in runs:
        if not r.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic) == (r.bold, r.italic):
            merged[-1] = Run(merged[-1].text + r.text, bold=r.bold, italic=r.italic)
        else:
            merged.append(r)
    return tuple(merged), problems


def style_of(text: str) -> str:
    """The paragraph style for a paragraph, from its typed numbering (emphasis ignored)."""
    plain = text.lstrip("*")
    for style, pattern in _KINDS:
        if pattern.match(plain):
            return style
    return "NoiDung"


_DIEU_LABEL = re.compile(r"^Điều \d+[a-z]?\.")


def _structure(block: Block, previous: Block | None) -> Block:
    """Rules of the legal structure: the paragraph after a Phần/Chương/Mục label is its
    title (CAPS, bold, centred); an article's label "Điều N." is bold [PL-I §II.6.đ]."""
    if previous is not None and previous.style == "NoiDungPhan" and block.style == "NoiDung":
        return Block("TieuDePhan", block.runs, block.line)
    if block.style == "NoiDungDieu" and block.runs and not block.runs[0].bold:
        first = block.runs[0]
        m = _DIEU_LABEL.match(first.text)
        if m:
            label = Run(m.group(0), bold=True, italic=first.italic)
            rest = Run(first.text[m.end() :], italic=first.italic)
            runs = (label, rest, *block.runs[1:]) if rest.text else (label, *block.runs[1:])
            return Block(block.style, runs, block.line)
    return block


#: A line that starts a new paragraph even without a blank line before it: typed numbering
#: or an item mark. Stricter than `_KINDS` (a continuation line may well start with "2024 "
#: or "1.234 người"): numbers need their dot and at most two digits per level.
_STARTS_PARAGRAPH = re.compile(
    r"^\**(?:[-+–•] |[a-zđ]\) |\d{1,2}(?:\.\d{1,2})*\. |\d{1,2}\) |[IVXLC]+[.\-] "
    r"|Điều \d+[a-z]?\. )"
)


def parse(text: str, *, first_note: int = 1) -> ParsedBody:
    """Parse a body block into paragraphs: blank lines separate paragraphs, and so does a line
    that starts with typed numbering or an item mark (``- ``, ``+ ``, ``a) ``, ``1. ``, ``I. ``);
    other lines continue the paragraph above. Footnote lines (``[^1]: …``) are taken out and
    their marks numbered from ``first_note`` (the notes of earlier texts of the document)."""
    result = ParsedBody()
    para: list[tuple[int, str]] = []
    lines, definitions = _note_definitions(text.split("\n"), result.problems)
    for i, raw in enumerate([*lines, ""]):
        line = raw.strip()
        if line and not (para and _STARTS_PARAGRAPH.match(line) and not line.startswith("|")):
            para.append((i, line))
            continue
        if para and all(t.startswith("|") for _, t in para):
            table, problems = _table(para)
            result.problems.extend(problems)
            if table is not None:
                result.blocks.append(table)
            para = []
        elif para:
            joined = " ".join(t for _, t in para)
            runs, problems = parse_inline(joined, para[0][0])
            result.problems.extend(_relocate(p, para) for p in problems)
            block = Block(style_of(joined), runs, para[0][0])
            previous = result.blocks[-1] if result.blocks else None
            prev_block = previous if isinstance(previous, Block) else None
            result.blocks.append(_structure(block, prev_block))
            para = []
        if line:  # a numbered line ended the paragraph above and starts its own
            para = [(i, line)]
    _number_notes(result, lines, definitions, first_note)
    return result


# --------------------------------------------------------------------------- footnotes

_NOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_NOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:\s*(.*)$")


@dataclass
class _Definition:
    line: int
    text: list[str]


def _note_definitions(
    lines: list[str], problems: list[BodyProblem]
) -> tuple[list[str], dict[str, _Definition]]:
    """Take the footnote lines out of the block (left blank, so line numbers hold): a
    ``[^label]: text`` line and the lines after it up to a blank line or the next one."""
    out = list(lines)
    found: dict[str, _Definition] = {}
    current: _Definition | None = None
    for i, raw in enumerate(lines):
        stripped = raw.strip()
        if NOTE_MARK.search(raw):
            problems.append(
                BodyProblem(
                    i,
                    NOTE_MARK.search(raw).start(),
                    "ký tự dùng riêng (Private Use) "  # type: ignore[union-attr]
                    "không in được; hãy xóa nó",
                )
            )
            out[i] = NOTE_MARK.sub("", raw)
        m = _NOTE_DEF.match(stripped)
        if m:
            label = m.group(1)
            if label in found:
                problems.append(
                    BodyProblem(
                        i,
                        0,
                        f"chú thích [^{label}] được viết hai lần (lần đầu ở "
                        f"dòng {found[label].line + 1} của đoạn này)",
                    )
                )
                current = _Definition(i, [])  # read, but not kept
            else:
                current = found[label] = _Definition(i, [m.group(2).strip()])
            out[i] = ""
        elif current is not None and stripped:
            current.text.append(stripped)
            out[i] = ""
        else:
            current = None
    return out, found


def _number_notes(
    result: ParsedBody, lines: list[str], definitions: dict[str, _Definition], first: int
) -> None:
    """Replace each ``[^label]`` in the runs by its note's mark, numbering the notes in the
    order of their marks; report marks without a note, notes without a mark, a note marked
    twice (a Word footnote stands at one place)."""
    where: dict[str, tuple[int, int]] = {}
    order: list[str] = []
    for i, line in enumerate(lines):
        for m in _NOTE_REF.finditer(line):
            label = m.group(1)
            if label not in definitions:
                result.problems.append(
                    BodyProblem(
                        i,
                        m.start(),
                        f"chú thích [^{label}] chưa có lời chú thích: thêm "
                        f"một dòng '[^{label}]: …' bên dưới",
                    )
                )
            elif label in where:
                result.problems.append(
                    BodyProblem(
                        i,
                        m.start(),
                        f"chú thích [^{label}] đã gắn ở dòng "
                        f"{where[label][0] + 1}; mỗi chú thích chỉ gắn một chỗ, hãy "
                        "viết một chú thích mới",
                    )
                )
            else:
                where[label] = (i, m.start())
                order.append(label)
    number = {label: first + k for k, label in enumerate(order)}

    def mark(runs: tuple[Run, ...]) -> tuple[Run, ...]:
        return tuple(
            Run(
                _NOTE_REF.sub(
                    lambda m: note_mark(number[m.group(1)]) if m.group(1) in number else "",
                    r.text,
                ),
                r.bold,
                r.italic,
                r.underline,
            )
            for r in runs
        )

    for k, b in enumerate(result.blocks):
        if isinstance(b, Block):
            result.blocks[k] = Block(b.style, mark(b.runs), b.line)
        else:
            header = tuple(mark(c) for c in b.header)
            rows = tuple(tuple(mark(c) for c in row) for row in b.rows)
            result.blocks[k] = TableBlock(header, rows, b.aligns, b.line, b.style)
    for label, d in definitions.items():
        if label not in number:
            result.problems.append(
                BodyProblem(
                    d.line,
                    0,
                    f"chú thích [^{label}] không được gắn vào đâu: thêm "
                    f"[^{label}] vào chỗ cần chú thích hoặc bỏ dòng này",
                )
            )
    for label in order:
        d = definitions[label]
        note = " ".join(t for t in d.text if t)
        if not note:
            result.problems.append(BodyProblem(d.line, 0, f"chú thích [^{label}] để trống"))
        elif "${" in note:
            result.problems.append(
                BodyProblem(
                    d.line,
                    0,
                    "chú thích không dùng trường riêng của từng nơi nhận "
                    "(${…}); ghi thẳng nội dung",
                )
            )
        runs, problems = parse_inline(note, d.line)
        result.problems.extend(BodyProblem(d.line, p.col, p.message) for p in problems)
        result.notes.append(runs)


# --------------------------------------------------------------------------- căn cứ

#: A legal basis typed at the head of a body: "Căn cứ …;", "- Căn cứ …;", "Theo đề nghị
#: của …", "Xét đề nghị của …" [PL-I §II.6.a; format-rules §3 for the Party dash].
_CAN_CU = re.compile(r"^(?:[-–]\s*)?(?:Căn cứ|Theo đề nghị|Xét đề nghị)\s")


def leading_can_cu(paragraphs: list[tuple[str, bool]]) -> int:
    """How many paragraphs at the head of a body are căn cứ (legal bases), each given as
    (text, entirely italic). The renderer styles them ``CanCu`` and lint reads them as căn
    cứ, by this one rule: a run of paragraphs that start "Căn cứ" / "Theo đề nghị" / "Xét
    đề nghị", every one but the last ending with ";" — two or more of them, or a single
    one typed entirely in italics (what a văn thư types for one căn cứ). A lone upright
    "Căn cứ …, Sở … xây dựng kế hoạch như sau:" is the body's opening sentence."""
    count = 0
    for text, _italic in paragraphs:
        plain = text.strip()
        if not _CAN_CU.match(plain):
            break
        count += 1
        if not plain.endswith(";"):
            break
    if count == 1 and not paragraphs[0][1]:
        return 0
    return count


_SEPARATOR_CELL = re.compile(r"^:?-{3,}:?$")


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    parts = re.split(r"(?<!\\)\|", inner)
    return [p.strip().replace("\\|", "|") for p in parts]


def _table(para: list[tuple[int, str]]) -> tuple[TableBlock | None, list[BodyProblem]]:
    """Parse a pipe table; every row must have the header's number of cells."""
    first_line = para[0][0]
    if len(para) < 2 or not all(_SEPARATOR_CELL.match(c) for c in _cells(para[1][1])):
        return None, [
            BodyProblem(
                first_line,
                0,
                "bảng cần một dòng tiêu đề rồi một dòng phân cách như |---|---| "
                "(mỗi ô ít nhất ba dấu '-')",
            )
        ]
    header = _cells(para[0][1])
    seps = _cells(para[1][1])
    problems: list[BodyProblem] = []
    if len(seps) != len(header):
        problems.append(
            BodyProblem(para[1][0], 0, f"dòng phân cách có {len(seps)} ô, tiêu đề có {len(header)}")
        )
    aligns = tuple(
        "center"
        if c.startswith(":") and c.endswith(":")
        else "right"
        if c.endswith(":")
        else "left"
        for c in seps
    )
    rows = []
    for line, text in para[2:]:
        cells = _cells(text)
        if len(cells) != len(header):
            problems.append(
                BodyProblem(line, 0, f"dòng bảng có {len(cells)} ô, tiêu đề có {len(header)} ô")
            )
            continue
        row = []
        for cell in cells:
            runs, inline = parse_inline(cell, line)
            problems.extend(BodyProblem(line, 0, p.message) for p in inline)
            row.append(runs)
        rows.append(tuple(row))
    head = tuple(parse_inline(c, first_line)[0] for c in header)
    return TableBlock(head, tuple(rows), aligns, first_line), problems


def _relocate(problem: BodyProblem, para: list[tuple[int, str]]) -> BodyProblem:
    """Map a column in the joined paragraph back to its source line and column."""
    col = problem.col
    for line, content in para:
        if col <= len(content):
            return BodyProblem(line, col, problem.message)
        col -= len(content) + 1
    return problem


def close_with(blocks: list[Block | TableBlock], ending: str) -> list[Block | TableBlock]:
    """Make the last paragraph end with the profile's closing mark (``./.``)."""
    if not blocks or not ending or not isinstance(blocks[-1], Block):
        return blocks
    last = blocks[-1]
    text = last.text.rstrip()
    if text.endswith(ending):
        return blocks
    tail = ending[1:] if ending.startswith(".") and text.endswith(".") else ending
    runs = list(last.runs)
    end = runs[-1]
    runs[-1] = Run(end.text.rstrip() + tail, bold=end.bold, italic=end.italic)
    return [*blocks[:-1], Block(last.style, tuple(runs), last.line)]
