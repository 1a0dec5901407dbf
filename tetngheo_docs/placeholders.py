"""Unfilled blanks of a draft: a directive still holding them is refused, located.

Drafts the program writes (``tetngheo new dinh-chinh|thu-hoi|thay-the``) leave the parts only
a person can write as an ellipsis: ``Tại …, đã ghi: “…”``, ``Do …``, ``Căn cứ …``. Such a
draft must not pass ``check``, be rendered or be issued until each blank is filled: a
correction issued with "Tại …" in it would itself need correcting (ND30 Đ18).

A draft is recognised by its blanks, not by its file name:

* ``“…”`` (or ``"…"``, ``‘…’``, ``'…'``, also with ``...``): an empty quotation;
* ``…`` standing alone as a word (``Tại …,``, ``Số …-CV``, ``ngày … tháng``).

Not blanks: an ellipsis attached to a word (``xã hội…``), ending an enumeration after a
comma or semicolon (``văn hóa, thể thao, …``), inside brackets (``[…]``, ``(…)``, a cut in a
quotation), a run of several (``……``, a dotted line to fill in by hand), and anything in a
form (``bieu_mau``), whose cells are left for the recipients to fill in.

``# XEM LẠI`` comments are review notes (``tetngheo new thang`` writes them above values it
computed, and such a draft is valid as it is); a draft's blanks that need a person carry an
ellipsis as well, so the blank, not the comment, is what blocks it.

Review marks (`review_marks`) are the other kind of unfinished part, warnings rather than
errors: a ``# XEM LẠI`` note not yet deleted after review, and an instruction in square
brackets a generator left for the clerk to replace (``[nhiệm vụ trọng tâm của tháng: …]``).
``check`` and ``render`` show them; ``render --strict`` and ``issue --phat-hanh`` refuse a
document that still has any.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from tetngheo_docs.errors import Issue, Location, Severity
from tetngheo_docs.source import BlockText, Source, YamlPath, path_str

__all__ = ["REVIEW", "find", "issues", "review_marks"]

_ELLIPSIS = r"(?:…|\.\.\.)"
_BLANK = re.compile(
    # an empty quotation: “…”, "…", ‘…’, '…'
    rf"[“\"‘']\s*{_ELLIPSIS}\s*[”\"’']"
    # a lone ellipsis: not glued to a word, a dot, another ellipsis or an opening bracket;
    # not after a comma or semicolon (an enumeration's "…"); not before a closing bracket
    r"|(?<![\w….\[(,;])(?<![,;] )…(?![…\])\w])"
)

#: Top-level keys whose text is not the directive's own (forms are filled by recipients).
_SKIPPED = frozenset({"bieu_mau"})

MESSAGE = (
    "bản nháp còn {n} chỗ trống “…” chưa điền: thay bằng nội dung thật (hoặc xóa đoạn đó) "
    "rồi mới kiểm tra, phát hành"
)


def find(text: str) -> list[int]:
    """Offsets of the blanks in ``text``."""
    return [m.start() for m in _BLANK.finditer(text)]


def _strings(value: Any, path: YamlPath) -> Iterator[tuple[YamlPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if not (path == () and key in _SKIPPED):
                yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))


def issues(
    data: Any,
    loc: Callable[[YamlPath], Location],
    blocks: Mapping[YamlPath, BlockText],
) -> list[Issue]:
    """One error per line holding blanks, at the first blank's column when the value is a
    block scalar (its lines are known as typed), else at the value's start."""
    found: list[Issue] = []
    for path, value in _strings(data, ()):
        if not _BLANK.search(value):
            continue
        where = loc(path)
        block = blocks.get(path)
        if block is None:
            n = len(find(value))
            found.append(Issue(where, path_str(path), MESSAGE.format(n=n)))
            continue
        for i, line in enumerate(block.text.split("\n")):
            offsets = find(line)
            if offsets:
                at = Location(where.file, block.first_line + i, block.indent + offsets[0] + 1)
                found.append(Issue(at, path_str(path), MESSAGE.format(n=len(offsets))))
    return found


# --- review marks (warnings) ------------------------------------------------------------------

#: A ``# XEM LẠI`` note: a comment (``#`` at the start or after a space) beginning so.
_REVIEW_NOTE = re.compile(r"(?:^|(?<=\s))#\s*XEM\s+LẠI\b", re.MULTILINE | re.IGNORECASE)
#: An instruction left in brackets: starts with a lower-case letter, a few words long
#: (``[nhiệm vụ trọng tâm của tháng: …]``); ``[1]``, ``[Dự thảo]`` and ``[…]`` are not.
_INSTRUCTION = re.compile(r"\[(?=[a-zà-ỹđ])[^\[\]]{12,400}\]")
#: How the refusing commands recognise these warnings.
REVIEW = "bản nháp chưa xong"


def review_marks(src: Source) -> list[Issue]:
    """Warnings for every review note and bracketed instruction, each at its line."""
    found: list[Issue] = []
    starts = [0] + [m.end() for m in re.finditer("\n", src.text)]
    in_blocks = {
        b.first_line + i for b in src.blocks.values() for i in range(b.text.count("\n") + 1)
    }
    for m in _REVIEW_NOTE.finditer(src.text):
        line = _line_of(starts, m.start())
        col = m.start() - starts[line - 1] + 1
        before = src.text[starts[line - 1] : m.start()]
        if line in in_blocks or before.count('"') % 2 or before.count("'") % 2:
            continue  # text of a block or a quoted value, not a comment
        end = src.text.find("\n", m.start())
        note = src.text[m.start() : end if end >= 0 else len(src.text)].strip()
        alone = not before.strip()
        found.append(
            Issue(
                Location(src.file, line, col),
                _path_near(src, line, below=alone),
                f"{REVIEW}: ghi chú '{_cut(note)}' còn đó — đọc lại chỗ này, sửa nếu cần, rồi "
                "xóa dòng ghi chú",
                Severity.WARNING,
            )
        )
    for path, value in _strings(src.data, ()):
        for m in _INSTRUCTION.finditer(value):
            where = src.loc(path)
            block = src.blocks.get(path)
            if block is not None:
                before = value[: m.start()]
                i = before.count("\n")
                col = block.indent + len(before) - (before.rfind("\n") + 1) + 1
                where = Location(where.file, block.first_line + i, col)
            found.append(
                Issue(
                    where,
                    path_str(path),
                    f"{REVIEW}: chỗ cần điền '{_cut(' '.join(m.group().split()))}' còn nguyên — "
                    "thay bằng nội dung "
                    "thật",
                    Severity.WARNING,
                )
            )
    return sorted(found, key=lambda i: (i.location.line, i.location.col))


def _path_near(src: Source, line: int, *, below: bool) -> str:
    """The YAML path a note belongs to: the key on its line (a note after a value), or the
    first key below it (a note on a line of its own, above what it is about)."""
    keys = sorted((loc.line, loc.col, path) for path, loc in src.key_locations.items())
    if below:
        after = [k for k in keys if k[0] > line]
        return path_str(after[0][2]) if after else ""
    on = [k for k in keys if k[0] == line]
    return path_str(on[-1][2]) if on else ""


def _line_of(starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(starts, offset)


def _cut(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
