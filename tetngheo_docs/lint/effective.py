"""Read any .docx safely and resolve the *effective* formatting of its runs.

Only lxml over the zip parts (no python-docx): a hand-made document may use anything the
format allows, and lint must see what Word shows, not what one library exposes.

Run properties are resolved the way ECMA-376 Part 1 §17.7.2 describes the style hierarchy,
from weakest to strongest:

    docDefaults → table style (basedOn chain) → paragraph style (basedOn chain)
                → character style (basedOn chain) → direct run formatting

Within one basedOn chain the derived style wins. Toggle properties (bold, italic, caps) are
combined across the three style levels with XOR (§17.7.3: a bold character style inside a
bold paragraph style gives regular text); direct formatting sets them absolutely, and
``w:val="0"``/``"false"``/``"off"`` means off. Sizes are half-points. The font slots used by
Vietnamese text are ``ascii`` (plain Latin letters and digits) and ``hAnsi`` (letters with
diacritics); a theme font (``asciiTheme``…) overrides the explicit name at its level and is
reported as such, resolved through the theme part when there is one. Conditional table-style
formatting (first row, banding) is not applied.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from tetngheo_docs import ooxml_guard
from tetngheo_docs.errors import TetngheoError

__all__ = [
    "Docx",
    "DocxReadError",
    "FontSlot",
    "Para",
    "Run",
    "RunFormat",
    "Section",
    "read_docx",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

MAX_STYLE_DEPTH = 64

#: Word's size when nothing in the hierarchy gives one (§17.3.2.38: 10 pt).
DEFAULT_SIZE_PT = 10.0


def w(tag: str) -> str:
    """Clark name of a WordprocessingML tag: ``w("p")`` → ``{…main}p``."""
    return f"{{{W_NS}}}{tag}"


class DocxReadError(TetngheoError):
    """The file is not a .docx lint can read: not a zip, corrupt, unsafe, or no document."""


# --------------------------------------------------------------------------- values


def on_off(el: etree._Element | None) -> bool | None:
    """Value of an on/off property element; None when the element is absent."""
    if el is None:
        return None
    val = el.get(w("val"))
    if val is None:
        return True
    return val.strip().lower() not in ("0", "false", "off", "none")


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return round(float(value))
    except (ValueError, OverflowError):  # "abc", "nan", "1e400" (infinity) in a hostile file
        return None


@dataclass(frozen=True, slots=True)
class FontSlot:
    """The font of one rFonts slot: an explicit name, or a theme font (resolved if possible)."""

    name: str | None = None
    theme: str | None = None
    source: str = ""

    @property
    def family(self) -> str | None:
        """The typeface Word will use, when known."""
        return self.name

    def describe(self) -> str:
        if self.theme:
            shown = self.name or "không xác định"
            return f"phông chủ đề {self.theme} ({shown})"
        return self.name or "không khai báo"


@dataclass(frozen=True, slots=True)
class RunFormat:
    """Effective character formatting of one run."""

    size_pt: float
    bold: bool
    italic: bool
    underline: bool
    caps: bool
    ascii: FontSlot
    hansi: FontSlot
    size_from: str = ""


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    fmt: RunFormat


@dataclass
class Para:
    """One paragraph with its text, runs, resolved style facts and position."""

    part: str
    index: int
    text: str
    runs: list[Run]
    style_id: str | None
    style_name: str | None
    style_chain: tuple[str, ...]
    align: str
    numbered: str | None
    fields: list[str]
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    table_style: str | None = None

    @property
    def cell_key(self) -> tuple[int, int, int] | None:
        if self.table is None or self.row is None or self.cell is None:
            return None
        return (self.table, self.row, self.cell)

    @property
    def clean(self) -> str:
        """Text with runs of whitespace (NBSP, tabs included) collapsed, stripped."""
        return " ".join(self.text.split())

    @property
    def visible_runs(self) -> list[Run]:
        return [r for r in self.runs if r.text.strip()]


@dataclass(frozen=True)
class Section:
    index: int
    width_twips: int | None
    height_twips: int | None
    orient: str | None
    margins: dict[str, int]
    title_pg: bool
    headers: dict[str, str]
    footers: dict[str, str]
    page_fmt: str | None
    page_start: int | None


@dataclass
class Docx:
    """What lint needs from one document."""

    label: str
    main: str
    body: list[Para]
    sections: list[Section]
    parts: dict[str, list[Para]]
    texts: dict[str, list[str]]
    even_odd_headers: bool
    styles: StyleSheet
    numbered_styles: frozenset[str] = field(default_factory=frozenset)

    def part_paras(self, part: str | None) -> list[Para]:
        return self.parts.get(part, []) if part else []


# --------------------------------------------------------------------------- zip


class _Package:
    """The zip opened through `ooxml_guard`: limits, bounded inflating, no DOCTYPE."""

    def __init__(self, data: bytes, label: str) -> None:
        self.label = label
        try:
            self.pkg = ooxml_guard.open_package(data, label, "docx")
        except ooxml_guard.PackageError as err:
            raise DocxReadError(str(err)) from None
        self.names = set(self.pkg.names)

    def raw(self, name: str) -> bytes | None:
        if name not in self.names:
            return None
        try:
            return self.pkg.read(name)
        except ooxml_guard.PackageError as err:
            raise DocxReadError(str(err)) from None

    def xml(self, name: str) -> etree._Element | None:
        raw = self.raw(name)
        if raw is None:
            return None
        try:
            return ooxml_guard.parse_xml(raw, self.label, name)
        except ooxml_guard.PackageError as err:
            raise DocxReadError(str(err)) from None

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationships of a part: id → (type, target part name)."""
        folder, name = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", f"{name}.rels"))
        out: dict[str, tuple[str, str]] = {}
        if root is None:
            return out
        for rel in root.iter(f"{{{PKG_REL_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                resolved = posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id", "")] = (rel.get("Type", ""), resolved)
        return out

    def main_part(self) -> str:
        for rel_type, target in self.rels("").values():
            if rel_type.endswith("/officeDocument"):
                return target
        return "word/document.xml"


# --------------------------------------------------------------------------- styles


class StyleSheet:
    """Styles, docDefaults and theme fonts of one document."""

    def __init__(
        self, root: etree._Element | None, theme_fonts: dict[str, str] | None = None
    ) -> None:
        self.by_id: dict[str, etree._Element] = {}
        self.default: dict[str, str] = {}
        self.theme_fonts = theme_fonts or {}
        self.doc_rpr: etree._Element | None = None
        self.doc_ppr: etree._Element | None = None
        if root is None:
            return
        defaults = root.find(w("docDefaults"))
        if defaults is not None:
            self.doc_rpr = defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
            self.doc_ppr = defaults.find(f"{w('pPrDefault')}/{w('pPr')}")
        for style in root.iter(w("style")):
            sid = style.get(w("styleId"))
            if not sid:
                continue
            self.by_id.setdefault(sid, style)
            kind = style.get(w("type"), "paragraph")
            if on_off_attr(style.get(w("default"))) and kind not in self.default:
                self.default[kind] = sid

    def name(self, sid: str | None) -> str | None:
        if sid is None or sid not in self.by_id:
            return None
        el = self.by_id[sid].find(w("name"))
        return el.get(w("val")) if el is not None else None

    def chain(self, sid: str | None) -> list[etree._Element]:
        """The style and its basedOn ancestors, root first; cycles and depth are cut."""
        seen: set[str] = set()
        out: list[etree._Element] = []
        while sid and sid in self.by_id and sid not in seen and len(out) < MAX_STYLE_DEPTH:
            seen.add(sid)
            style = self.by_id[sid]
            out.append(style)
            based = style.find(w("basedOn"))
            sid = based.get(w("val")) if based is not None else None
        out.reverse()
        return out

    def chain_ids(self, sid: str | None) -> tuple[str, ...]:
        return tuple(s.get(w("styleId"), "") for s in self.chain(sid))

    def paragraph_style(self, sid: str | None) -> str | None:
        if sid and sid in self.by_id:
            return sid
        return self.default.get("paragraph")

    def table_style(self, sid: str | None) -> str | None:
        if sid and sid in self.by_id:
            return sid
        return self.default.get("table")

    def character_style(self, sid: str | None) -> str | None:
        if sid and sid in self.by_id:
            return sid
        return self.default.get("character")

    def theme_font(self, theme: str) -> str | None:
        key = "major" if theme.startswith("major") else "minor"
        return self.theme_fonts.get(key)


def on_off_attr(value: str | None) -> bool:
    return value is not None and value.strip().lower() in ("1", "true", "on")


def _props(styles: list[etree._Element], tag: str) -> list[etree._Element]:
    out = []
    for style in styles:
        el = style.find(w(tag))
        if el is not None:
            out.append(el)
    return out


_TOGGLES = {"bold": "b", "italic": "i", "caps": "caps"}


def resolve_run(
    sheet: StyleSheet,
    *,
    table_style: str | None,
    para_style: str | None,
    run_rpr: etree._Element | None,
) -> RunFormat:
    """Effective formatting of a run (see the module docstring for the order)."""
    table_chain = _props(sheet.chain(table_style), "rPr") if table_style else []
    para_chain = _props(sheet.chain(para_style), "rPr")
    rstyle = None
    if run_rpr is not None:
        el = run_rpr.find(w("rStyle"))
        rstyle = el.get(w("val")) if el is not None else None
    char_chain = _props(sheet.chain(sheet.character_style(rstyle)), "rPr")
    doc = [sheet.doc_rpr] if sheet.doc_rpr is not None else []
    direct = [run_rpr] if run_rpr is not None else []
    labelled: list[tuple[str, etree._Element]] = (
        [("mặc định tài liệu", e) for e in doc]
        + [(f"kiểu bảng {table_style}", e) for e in table_chain]
        + [(f"kiểu đoạn {para_style}", e) for e in para_chain]
        + [(f"kiểu ký tự {rstyle}", e) for e in char_chain]
        + [("định dạng trực tiếp", e) for e in direct]
    )

    size, size_from = DEFAULT_SIZE_PT, "mặc định của Word"
    underline = False
    slots: dict[str, FontSlot] = {"ascii": FontSlot(), "hAnsi": FontSlot()}
    for label, rpr in labelled:
        sz = rpr.find(w("sz"))
        if sz is not None and (val := _int(sz.get(w("val")))) is not None and val > 0:
            size, size_from = val / 2, label
        u = rpr.find(w("u"))
        if u is not None:
            underline = (u.get(w("val")) or "single").lower() != "none"
        fonts = rpr.find(w("rFonts"))
        if fonts is not None:
            for slot in ("ascii", "hAnsi"):
                theme = fonts.get(w(f"{slot}Theme"))
                name = fonts.get(w(slot))
                if theme:
                    slots[slot] = FontSlot(sheet.theme_font(theme), theme, label)
                elif name:
                    slots[slot] = FontSlot(name, None, label)

    toggles: dict[str, bool] = {}
    for key, tag in _TOGGLES.items():
        direct_val = on_off(run_rpr.find(w(tag))) if run_rpr is not None else None
        if direct_val is not None:
            toggles[key] = direct_val
            continue
        levels = []
        for chain in (table_chain, para_chain, char_chain):
            value = None
            for rpr in chain:
                got = on_off(rpr.find(w(tag)))
                if got is not None:
                    value = got
            levels.append(value)
        if all(v is None for v in levels):
            base = on_off(sheet.doc_rpr.find(w(tag))) if sheet.doc_rpr is not None else None
            toggles[key] = bool(base)
        else:
            toggles[key] = sum(1 for v in levels if v) % 2 == 1
    return RunFormat(
        size_pt=size,
        bold=toggles["bold"],
        italic=toggles["italic"],
        underline=underline,
        caps=toggles["caps"],
        ascii=slots["ascii"],
        hansi=slots["hAnsi"],
        size_from=size_from,
    )


_JC = {
    "both": "justify",
    "distribute": "justify",
    "justify": "justify",
    "center": "center",
    "right": "right",
    "end": "right",
    "left": "left",
    "start": "left",
}


def _ppr_chain(
    sheet: StyleSheet, table_style: str | None, para_style: str | None, ppr: etree._Element | None
) -> list[etree._Element]:
    out: list[etree._Element] = []
    if sheet.doc_ppr is not None:
        out.append(sheet.doc_ppr)
    if table_style:
        out += _props(sheet.chain(table_style), "pPr")
    out += _props(sheet.chain(para_style), "pPr")
    if ppr is not None:
        out.append(ppr)
    return out


def _numbering(
    chain: list[etree._Element],
    numbered_styles: frozenset[str],
    para_style: str | None,
    sheet: StyleSheet,
) -> str | None:
    """Why the paragraph is auto-numbered by Word, or None."""
    num_id: str | None = None
    where = ""
    for ppr in chain:
        num = ppr.find(w("numPr"))
        if num is None:
            continue
        nid = num.find(w("numId"))
        if nid is not None:
            num_id = nid.get(w("val"))
            parent = ppr.getparent()
            where = (
                f"kiểu {parent.get(w('styleId'))}"
                if parent is not None and parent.tag == w("style")
                else "định dạng trực tiếp"
            )
    if num_id not in (None, "0"):
        return f"w:numPr (numId {num_id}, {where})"
    linked = [s for s in sheet.chain_ids(para_style) if s in numbered_styles]
    if num_id is None and linked:
        return f"kiểu {linked[-1]} gắn với danh sách đánh số trong numbering.xml"
    return None


# --------------------------------------------------------------------------- walking


class _Walker:
    """Collects paragraphs of one part in document order, tables included."""

    def __init__(self, sheet: StyleSheet, part: str, numbered_styles: frozenset[str]) -> None:
        self.sheet = sheet
        self.part = part
        self.numbered_styles = numbered_styles
        self.paras: list[Para] = []
        self.tables = 0
        self.sect_prs: list[etree._Element] = []

    def block(
        self, parent: etree._Element, where: tuple[int, int, int] | None, tstyle: str | None
    ) -> None:
        for child in parent:
            tag = child.tag
            if tag == w("p"):
                self.paragraph(child, where, tstyle)
            elif tag == w("tbl"):
                self.table(child)
            elif tag in (w("sdt"),):
                content = child.find(w("sdtContent"))
                if content is not None:
                    self.block(content, where, tstyle)
            elif tag == w("customXml"):
                self.block(child, where, tstyle)
            elif tag == w("sectPr"):
                self.sect_prs.append(child)

    def table(self, tbl: etree._Element) -> None:
        number = self.tables
        self.tables += 1
        el = tbl.find(f"{w('tblPr')}/{w('tblStyle')}")
        tstyle = self.sheet.table_style(el.get(w("val")) if el is not None else None)
        for r, tr in enumerate(_children(tbl, "tr")):
            for c, tc in enumerate(_children(tr, "tc")):
                self.block(tc, (number, r, c), tstyle)

    def paragraph(
        self, p: etree._Element, where: tuple[int, int, int] | None, tstyle: str | None
    ) -> None:
        sheet = self.sheet
        ppr = p.find(w("pPr"))
        sid = None
        if ppr is not None:
            el = ppr.find(w("pStyle"))
            sid = el.get(w("val")) if el is not None else None
            sect = ppr.find(w("sectPr"))
            if sect is not None:
                self.sect_prs.append(sect)
        pstyle = sheet.paragraph_style(sid)
        chain = _ppr_chain(sheet, tstyle, pstyle, ppr)
        align = "left"
        for item in chain:
            jc = item.find(w("jc"))
            if jc is not None:
                align = _JC.get(jc.get(w("val"), "left"), "left")
        runs: list[Run] = []
        fields: list[str] = []
        state: dict[str, Any] = {"instr": [], "in_code": False}
        for r in _runs(p):
            if r.tag == w("fldSimple"):
                fields.append(r.get(w("instr"), ""))
                continue
            text = _run_text(r, state, fields)
            if text:
                fmt = resolve_run(
                    sheet, table_style=tstyle, para_style=pstyle, run_rpr=r.find(w("rPr"))
                )
                runs.append(Run(text, fmt))
        table, row, cell = where if where else (None, None, None)
        self.paras.append(
            Para(
                part=self.part,
                index=len(self.paras),
                text="".join(run.text for run in runs),
                runs=runs,
                style_id=pstyle,
                style_name=sheet.name(pstyle),
                style_chain=sheet.chain_ids(pstyle),
                align=align,
                numbered=_numbering(chain, self.numbered_styles, pstyle, sheet),
                fields=fields,
                table=table,
                row=row,
                cell=cell,
                table_style=tstyle,
            )
        )


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with the tag, also those wrapped in content controls or custom XML."""
    for child in parent:
        if child.tag == w(tag):
            yield child
        elif child.tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == w("customXml"):
            yield from _children(child, tag)


_INLINE_CONTAINERS = {
    w(t) for t in ("hyperlink", "smartTag", "ins", "moveTo", "customXml", "bdo", "dir")
}


def _runs(p: etree._Element) -> Iterator[etree._Element]:
    """Runs of a paragraph in order, through hyperlinks, insertions, content controls and
    simple fields (yielded themselves for their instruction, then their runs); deleted text
    and text boxes are left out."""
    for child in p:
        tag = child.tag
        if tag == w("r"):
            yield child
        elif tag in _INLINE_CONTAINERS:
            yield from _runs(child)
        elif tag == w("fldSimple"):
            yield child
            yield from _runs(child)
        elif tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                yield from _runs(content)


def _run_text(r: etree._Element, state: dict[str, Any], fields: list[str]) -> str:
    """Visible text of a run; field instructions go to ``fields``."""
    out: list[str] = []
    for el in r:
        tag = el.tag
        if tag == w("fldChar"):
            kind = el.get(w("fldCharType"))
            if kind == "begin":
                state["in_code"] = True
                state["instr"] = []
            elif kind in ("separate", "end"):
                if state["in_code"]:
                    fields.append("".join(state["instr"]))
                state["in_code"] = False
        elif tag == w("instrText"):
            state["instr"].append(el.text or "")
        elif state["in_code"]:
            continue
        elif tag == w("t"):
            out.append(el.text or "")
        elif tag == w("tab") or tag == w("ptab"):
            out.append("\t")
        elif tag in (w("br"), w("cr")):
            out.append("\n")
        elif tag == w("noBreakHyphen"):
            out.append("\u2011")
    return "".join(out)


# --------------------------------------------------------------------------- document


def _theme_fonts(pkg: _Package, part: str | None) -> dict[str, str]:
    root = pkg.xml(part) if part else None
    out: dict[str, str] = {}
    if root is None:
        return out
    for key in ("major", "minor"):
        latin = root.find(f".//{{{A_NS}}}{key}Font/{{{A_NS}}}latin")
        if latin is not None and latin.get("typeface"):
            out[key] = latin.get("typeface", "")
    return out


def _numbered_styles(root: etree._Element | None) -> frozenset[str]:
    if root is None:
        return frozenset()
    return frozenset(el.get(w("val"), "") for el in root.iter(w("pStyle")) if el.get(w("val")))


def _section(index: int, sect: etree._Element, rels: dict[str, tuple[str, str]]) -> Section:
    size = sect.find(w("pgSz"))
    mar = sect.find(w("pgMar"))
    margins: dict[str, int] = {}
    if mar is not None:
        for key in ("top", "bottom", "left", "right", "header", "footer", "gutter"):
            val = _int(mar.get(w(key)))
            if val is not None:
                margins[key] = abs(val)
    headers: dict[str, str] = {}
    footers: dict[str, str] = {}
    for tag, out in (("headerReference", headers), ("footerReference", footers)):
        for ref in sect.findall(w(tag)):
            rid = ref.get(f"{{{R_NS}}}id")
            if rid in rels:
                out[ref.get(w("type"), "default")] = rels[rid][1]
    num_type = sect.find(w("pgNumType"))
    return Section(
        index=index,
        width_twips=_int(size.get(w("w"))) if size is not None else None,
        height_twips=_int(size.get(w("h"))) if size is not None else None,
        orient=size.get(w("orient")) if size is not None else None,
        margins=margins,
        title_pg=bool(on_off(sect.find(w("titlePg")))),
        headers=headers,
        footers=footers,
        page_fmt=num_type.get(w("fmt")) if num_type is not None else None,
        page_start=_int(num_type.get(w("start"))) if num_type is not None else None,
    )


def _all_text(root: etree._Element) -> list[str]:
    """Every w:t of a part (text boxes included), for the NFC and template-tag checks."""
    return [el.text for el in root.iter(w("t")) if el.text]


def read_docx(data: bytes, label: str) -> Docx:
    """Parse a .docx given as bytes; `label` names it in messages."""
    pkg = _Package(data, label)
    main = pkg.main_part()
    root = pkg.xml(main)
    if root is None or root.find(w("body")) is None:
        raise DocxReadError(f"{label}: thiếu phần văn bản chính ({main}); không phải tệp Word")
    rels = pkg.rels(main)
    by_type: dict[str, str] = {}
    for rel_type, target in rels.values():
        by_type.setdefault(rel_type.removeprefix(_REL), target)
    sheet = StyleSheet(
        pkg.xml(by_type["styles"]) if "styles" in by_type else None,
        _theme_fonts(pkg, by_type.get("theme")),
    )
    numbered = _numbered_styles(pkg.xml(by_type["numbering"]) if "numbering" in by_type else None)
    settings = pkg.xml(by_type["settings"]) if "settings" in by_type else None
    even_odd = bool(settings is not None and on_off(settings.find(w("evenAndOddHeaders"))))

    walker = _Walker(sheet, main, numbered)
    walker.block(root.find(w("body")), None, None)
    sections = [_section(i, s, rels) for i, s in enumerate(walker.sect_prs)]
    parts: dict[str, list[Para]] = {main: walker.paras}
    texts: dict[str, list[str]] = {main: _all_text(root)}
    extra = sorted(
        {
            target
            for rel_type, target in rels.values()
            if rel_type.removeprefix(_REL) in ("header", "footer", "footnotes", "endnotes")
        }
    )
    for part in extra:
        proot = pkg.xml(part)
        if proot is None:
            continue
        sub = _Walker(sheet, part, numbered)
        sub.block(proot, None, None)
        for note in proot:
            if note.tag in (w("footnote"), w("endnote")):
                sub.block(note, None, None)
        parts[part] = sub.paras
        texts[part] = _all_text(proot)
    return Docx(
        label=label,
        main=main,
        body=walker.paras,
        sections=sections,
        parts=parts,
        texts=texts,
        even_odd_headers=even_odd,
        styles=sheet,
        numbered_styles=numbered,
    )


def _os_message(err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return "không có tệp này"
    if isinstance(err, IsADirectoryError):
        return "đây là thư mục, không phải tệp .docx"
    if isinstance(err, PermissionError):
        return "không có quyền đọc tệp"
    return f"không đọc được tệp ({err.strerror or err})"


def read_file(path: Path, label: str | None = None) -> Docx:
    """Read a .docx from disk with a Vietnamese message for every way it can go wrong."""
    name = label or str(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(str(path))
        size = path.stat().st_size
        if size > ooxml_guard.LIMITS.file_bytes:
            raise DocxReadError(f"{name}: tệp lớn hơn {ooxml_guard.LIMITS.file_bytes // 2**20} MB")
        data = path.read_bytes()
    except OSError as err:
        raise DocxReadError(f"{name}: {_os_message(err)}") from None
    return read_docx(data, name)
