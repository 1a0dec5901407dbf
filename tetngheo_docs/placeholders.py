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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from tetngheo_docs.errors import Issue, Location
from tetngheo_docs.source import BlockText, YamlPath, path_str

__all__ = ["find", "issues"]

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
