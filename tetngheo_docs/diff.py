"""What a revision changed: a paragraph- and table-cell-level text diff of two .docx files.

Each paragraph of the body (and each table cell) is one unit, named by where it is
("đoạn 12", "bảng 2, dòng 3, ô 4"); units are aligned with difflib, and a changed unit
shows its words removed ``[-…-]`` and added ``{+…+}``. ``--html`` writes a side-by-side page.
"""

from __future__ import annotations

import difflib
import html
import os
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from tetngheo_docs import ooxml_guard
from tetngheo_docs.errors import TetngheoError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAIN = "word/document.xml"
#: Previous versions of rewritten outputs are kept here, next to the outputs.
VERSIONS = ".phien-ban"


@dataclass(frozen=True)
class Unit:
    where: str
    text: str


def _text(p: etree._Element) -> str:
    out = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
        out.append(el.text or "" if el.tag == f"{W}t" else " ")
    return "".join(out)


def units(data: bytes, label: str = "") -> list[Unit]:
    """The document's paragraphs and table cells, in reading order, with their places.
    The file is opened through `ooxml_guard` (limits, bounded inflating, no DOCTYPE)."""
    pkg = ooxml_guard.open_package(data, label, "docx")
    if MAIN not in pkg.names:
        raise TetngheoError(f"{label}: không có phần {MAIN}; không phải tệp Word .docx")
    body = ooxml_guard.parse_xml(pkg.read(MAIN), label, MAIN).find(f"{W}body")
    if body is None:
        raise TetngheoError(f"{label}: phần {MAIN} không có thân văn bản (w:body)")
    out: list[Unit] = []
    para = table = 0
    for child in body:
        if child.tag == f"{W}p":
            para += 1
            text = _text(child)
            if text.strip():
                out.append(Unit(f"đoạn {para}", text))
        elif child.tag == f"{W}tbl":
            table += 1
            for r, tr in enumerate(child.iter(f"{W}tr"), start=1):
                for c, tc in enumerate(tr.iter(f"{W}tc"), start=1):
                    text = " / ".join(t for p in tc.iter(f"{W}p") if (t := _text(p)).strip())
                    if text:
                        out.append(Unit(f"bảng {table}, dòng {r}, ô {c}", text))
    return out


def _words(old: str, new: str) -> str:
    a, b = old.split(), new.split()
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(" ".join(a[i1:i2]))
        if op in ("delete", "replace"):
            parts.append("[-" + " ".join(a[i1:i2]) + "-]")
        if op in ("insert", "replace"):
            parts.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(parts)


def text_diff(old: list[Unit], new: list[Unit]) -> list[str]:
    """Lines for the terminal: ``~ đoạn 5: … [-15/01-]{+16/01+} …``, ``+``/``-`` for whole units."""
    lines: list[str] = []
    a, b = [u.text for u in old], [u.text for u in new]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                lines.append(f"~ {new[j1 + k].where}: {_words(a[i1 + k], b[j1 + k])}")
            continue
        lines += [f"- {old[i].where}: {a[i]}" for i in range(i1, i2)]
        lines += [f"+ {new[j].where}: {b[j]}" for j in range(j1, j2)]
    return lines


def html_diff(old: list[Unit], new: list[Unit], left: str, right: str) -> str:
    table = difflib.HtmlDiff(wrapcolumn=70).make_table(
        [u.text for u in old], [u.text for u in new], html.escape(left), html.escape(right)
    )
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>So sánh</title>'
        "<style>body{font-family:'Times New Roman',serif}table.diff{border-collapse:collapse}"
        "td{padding:2px 6px;vertical-align:top}.diff_add{background:#cfc}"
        ".diff_chg{background:#ffc}.diff_sub{background:#fcc}</style></head><body>"
        f"{table}</body></html>\n"
    )


def previous_version(current: Path) -> Path | None:
    """The most recent earlier version kept for an output (see `keep_previous`)."""
    folder = current.parent / VERSIONS
    if not folder.is_dir():
        return None
    versions = sorted(
        folder.glob(f"{current.stem}.*{current.suffix}"), key=lambda p: p.stat().st_mtime
    )
    return versions[-1] if versions else None


def kept_version(path: Path, sha256: str) -> Path:
    """Where `keep_previous` keeps the bytes of ``path`` whose hash is ``sha256``."""
    return path.parent / VERSIONS / f"{path.stem}.{sha256[:12]}{path.suffix}"


def keep_previous(path: Path, sha256: str) -> None:
    """Before an output is rewritten, keep its current bytes for `tetngheo diff`."""
    if not path.is_file():
        return
    target = kept_version(path, sha256)
    target.parent.mkdir(exist_ok=True)
    if not target.exists():
        try:  # a second name for the same bytes: nothing copied (the output is then replaced)
            os.link(path, target)
        except OSError:  # no hard links here (FAT, some network shares): copy
            target.write_bytes(path.read_bytes())
