"""Build the shipped .docx templates from the format profiles, reproducibly.

Run ``python templates/build.py`` after changing a profile: every size, margin and style in
the templates comes from `tetngheo_docs.profiles`, so a rule change is a reviewed diff of
the profile and of the regenerated templates. The output is byte-identical for the same
profile (see `tetngheo_docs.package`).

A template is a real .docx a văn thư can open and restyle in Word or LibreOffice: each
component has its own named paragraph style, and the docxtpl tags sit in whole runs.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from tetngheo_docs import package
from tetngheo_docs.profiles import Profile, Style
from tetngheo_docs.vn.metrics import mm_to_twips, text_width_mm

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
TIEU_DE_DANG = "ĐẢNG CỘNG SẢN VIỆT NAM"


# --------------------------------------------------------------------------- ordering

# Word refuses documents whose property children are out of schema order, so every child
# added here goes before the first successor the schema names (ECMA-376 Part 1, §17).
_PPR_AFTER_CONTEXTUAL = (
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_PPR_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    *_PPR_AFTER_CONTEXTUAL,
)
_TBLPR_ORDER = (
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
)


def _put(parent: object, child: object, successors: tuple[str, ...]) -> None:
    """Replace ``parent``'s child of the same tag, keeping schema order."""
    for old in parent.findall(child.tag):  # type: ignore[attr-defined]
        parent.remove(old)  # type: ignore[attr-defined]
    parent.insert_element_before(child, *successors)  # type: ignore[attr-defined]


def _put_tblpr(tbl_pr: object, child: object) -> None:
    tag = child.tag.split("}")[1]  # type: ignore[attr-defined]
    after = _TBLPR_ORDER[_TBLPR_ORDER.index(f"w:{tag}") + 1 :]
    _put(tbl_pr, child, after)


# --------------------------------------------------------------------------- styles


def _set_fonts(rpr: object, font: str, lang: str) -> None:
    """Explicit fonts for every script slot and the Vietnamese language tag."""
    rfonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)  # type: ignore[attr-defined]
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(slot), font)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(qn(theme), None)
    lang_el = rpr.find(qn("w:lang"))  # type: ignore[attr-defined]
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)  # type: ignore[attr-defined]
    lang_el.set(qn("w:val"), lang)
    lang_el.set(qn("w:eastAsia"), lang)
    lang_el.set(qn("w:bidi"), "ar-SA")


def _define_styles(doc: Document, profile: Profile) -> None:  # type: ignore[valid-type]
    styles = doc.styles  # type: ignore[attr-defined]
    # Document defaults and Normal: the profile's font, black, body size, no spacing.
    rpr_default = (
        styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    )
    _set_fonts(rpr_default, profile.font.name, profile.font.lang)
    body = profile.style("NoiDung")
    normal = styles["Normal"]
    normal.font.name = profile.font.name
    normal.font.size = Pt(body.size)
    _set_fonts(normal.element.get_or_add_rPr(), profile.font.name, profile.font.lang)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    for name, spec in sorted(profile.styles.items()):
        _add_style(styles, name, spec, widow_control=profile.pagination.widow_control)


def _add_style(styles: object, name: str, spec: Style, *, widow_control: bool = True) -> None:
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)  # type: ignore[attr-defined]
    style.base_style = styles["Normal"]  # type: ignore[index]
    style.quick_style = True
    font = style.font
    font.size = Pt(spec.size)
    font.bold = spec.bold
    font.italic = spec.italic
    font.underline = spec.underline
    pf = style.paragraph_format
    pf.alignment = _ALIGN[spec.align]
    pf.space_before = Pt(spec.space_before)
    pf.space_after = Pt(spec.space_after)
    if spec.line_exact_pt:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(spec.line_exact_pt)
    else:
        pf.line_spacing = 1.0
    if spec.first_line_mm:
        pf.first_line_indent = Mm(spec.first_line_mm)
    if spec.hanging_mm:
        pf.left_indent = Mm(spec.hanging_mm)
        pf.first_line_indent = -Mm(spec.hanging_mm)
    if spec.color:
        font.color.rgb = RGBColor.from_string(spec.color)
    pf.widow_control = widow_control
    # Headings stay with their text and are never split [profile `keep_next`, §11.7]; a
    # "titled" style gets keepNext per paragraph from the context instead.
    if spec.keep_next is True:
        pf.keep_with_next = True
    if spec.keep_lines:
        pf.keep_together = True
    if spec.contextual:
        _put(
            style.element.get_or_add_pPr(),
            OxmlElement("w:contextualSpacing"),
            _PPR_AFTER_CONTEXTUAL,
        )


# --------------------------------------------------------------------------- tables


def borderless(table: Table, widths_mm: Sequence[float], indent_mm: float) -> None:
    """Fixed-layout table without borders or cell margins, at the given column widths (the
    header and signature bands; also the copy block of `copies`)."""
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    _put_tblpr(tbl_pr, layout)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(sum(mm_to_twips(w) for w in widths_mm)))
    width.set(qn("w:type"), "dxa")
    _put_tblpr(tbl_pr, width)
    ind = OxmlElement("w:tblInd")
    ind.set(qn("w:w"), str(mm_to_twips(indent_mm)))
    ind.set(qn("w:type"), "dxa")
    _put_tblpr(tbl_pr, ind)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    _put_tblpr(tbl_pr, borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    _put_tblpr(tbl_pr, margins)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(mm_to_twips(w)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)


def cant_split(table: Table) -> None:
    """No row of ``table`` is split across pages."""
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))


def _para(
    container: _Cell | Document, style: str, text: str = "", *, first: bool = False
) -> Paragraph:  # type: ignore[valid-type]
    """Add a paragraph (or reuse a cell's initial empty one) with a single run of text."""
    if first and isinstance(container, _Cell):
        p = container.paragraphs[0]
        p.style = style
    else:
        p = container.add_paragraph(style=style)  # type: ignore[union-attr]
    if text:
        p.add_run(text)
    return p


def _loop(
    container: _Cell | Document, style: str, loop: str, item: str, *, first: bool = False
) -> None:  # type: ignore[valid-type]
    """A docxtpl paragraph loop: ``{%p for … %}`` / ``{{ item }}`` / ``{%p endfor %}``."""
    _para(container, style, f"{{%p for {loop} %}}", first=first)
    _para(container, style, f"{{{{ {item} }}}}")
    _para(container, style, "{%p endfor %}")


def _rule(cell: _Cell, profile: Profile, cell_mm: float, length_mm: float) -> None:
    """A solid rule of the given length, centred in the cell: a bordered empty paragraph."""
    p = _para(cell, "GachNgang")
    side = max(0.0, (cell_mm - length_mm) / 2)
    ppr = p._p.get_or_add_pPr()
    ppr.append(_border("bottom", profile))
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), str(mm_to_twips(side)))
    ind.set(qn("w:right"), str(mm_to_twips(side)))
    ppr.append(ind)


# --------------------------------------------------------------------------- page parts


def _ceil_twips(mm: float) -> int:
    """Margins round up, never below the legal minimum (15 mm is 850.39 twips → 851)."""
    return math.ceil(mm * 1440 / 25.4 - 1e-9)


def _page_setup(doc: Document, profile: Profile, templated: bool) -> None:  # type: ignore[valid-type]
    page = profile.page
    sec = doc.sections[0]  # type: ignore[attr-defined]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width = Twips(mm_to_twips(page.width_mm))
    sec.page_height = Twips(mm_to_twips(page.height_mm))
    sec.top_margin = Twips(_ceil_twips(page.margin_top_mm))
    sec.bottom_margin = Twips(_ceil_twips(page.margin_bottom_mm))
    sec.left_margin = Twips(_ceil_twips(page.margin_left_mm))
    sec.right_margin = Twips(_ceil_twips(page.margin_right_mm))
    sec.header_distance = Twips(mm_to_twips(page.header_mm))
    sec.footer_distance = Twips(mm_to_twips(page.footer_mm))
    sec.gutter = Mm(0)
    # Page numbers: centred in the header from page 2; page 1 has an empty header [PL-I §I.7].
    sec.different_first_page_header_footer = True
    first = sec.first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0].style = "SoTrang"
    # ô 13: the address line, page 1 only, in the first-page footer above a full rule.
    footer = sec.first_page_footer
    footer.is_linked_to_previous = False
    foot = footer.paragraphs[0]
    foot.style = "DiaChi"
    if templated:
        foot.text = "{%p if dia_chi %}"
        line = footer.add_paragraph("{{ dia_chi }}", style="DiaChi")
        _top_border(line, profile)
        footer.add_paragraph("{%p endif %}", style="DiaChi")
    # An explicit empty default footer: appendix sections point their first page at it, so
    # the address stays on page 1 of the document only (see ooxml.apply_sections).
    sec.footer.is_linked_to_previous = False
    header = sec.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.style = "SoTrang"
    _page_field(p)


def _top_border(p: Paragraph, profile: Profile) -> None:
    _put(p._p.get_or_add_pPr(), _border("top", profile), _PPR_AFTER_PBDR)


def _border(side: str, profile: Profile) -> BaseOxmlElement:
    """A paragraph border (``w:pBdr``) with one single line of the profile's rule width."""
    bdr = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(max(2, round(profile.rules.thickness_pt * 8))))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), "000000")
    bdr.append(line)
    return bdr


def _page_field(p: Paragraph) -> None:
    def fld(kind: str) -> None:
        r = OxmlElement("w:r")
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        r.append(el)
        p._p.append(r)

    fld("begin")
    r = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    r.append(instr)
    p._p.append(r)
    fld("separate")
    p.add_run("2")
    fld("end")


def _signature(doc: Document, profile: Profile) -> None:  # type: ignore[valid-type]
    st = profile.signature_table
    spacer = doc.add_paragraph(style="Normal")  # type: ignore[attr-defined]
    spacer.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    borderless(table, [st.left_mm, st.right_mm], profile.header_table.indent_mm)
    cant_split(table)
    left, right = table.rows[0].cells
    _para(left, "QuyenHan", "{{p ky_lien_tich }}", first=True)
    _para(left, "NoiNhanNhan", profile.noi_nhan.label)
    _loop(left, "NoiNhanMuc", "muc in noi_nhan", "muc")
    _loop(right, "QuyenHan", "dong in nguoi_ky.quyen_han", "dong", first=True)
    _loop(right, "ChucVu", "dong in nguoi_ky.chuc_vu", "dong")
    _loop(right, "HoTen", "dong in nguoi_ky.khoang_ky", "dong")
    _para(right, "HoTen", "{{ nguoi_ky.ho_ten }}")
    doc.add_paragraph("{{p phu_luc }}", style="Normal")  # type: ignore[attr-defined]


def _agency_block(cell: _Cell) -> None:
    _loop(cell, "CoQuanChuQuan", "dong in co_quan.chu_quan", "dong", first=True)
    _loop(cell, "CoQuanBanHanh", "dong in co_quan.ban_hanh", "dong")


def _header_nd30(doc: Document, profile: Profile, subject: bool) -> None:  # type: ignore[valid-type]
    ht = profile.header_table
    table = doc.add_table(rows=2, cols=2)  # type: ignore[attr-defined]
    borderless(table, [ht.left_mm, ht.right_mm], ht.indent_mm)
    (a, b), (c, d) = (r.cells for r in table.rows)
    _agency_block(a)
    _para(a, "GachNgang", "{{p gach_co_quan }}")
    _para(b, "PhamVi", "{{p dau_phai }}", first=True)
    _para(b, "QuocHieu", QUOC_HIEU)
    _para(b, "TieuNgu", TIEU_NGU)
    tn = profile.style("TieuNgu")
    _rule(b, profile, ht.right_mm, text_width_mm(TIEU_NGU, tn.size, bold=tn.bold))
    _para(c, "SoKyHieu", "{{ so_ky_hieu }}", first=True)
    if subject:
        _para(c, "TrichYeuCV", "{{ trich_yeu }}")
    _para(c, "DoKhan", "{{p dau_trai }}")
    _para(d, "DiaDanhNgay", "{{ dia_danh_ngay }}", first=True)


def _header_hd36(doc: Document, profile: Profile, subject: bool) -> None:  # type: ignore[valid-type]
    ht = profile.header_table
    table = doc.add_table(rows=3, cols=2)  # type: ignore[attr-defined]
    borderless(table, [ht.left_mm, ht.right_mm], ht.indent_mm)
    (a, b), (c, d), (e, _f) = (r.cells for r in table.rows)
    _agency_block(a)
    # "ĐẢNG CỘNG SẢN VIỆT NAM" is the first line top right [HD36 §II.1.1.2]; marks go under it.
    _para(b, "TieuDeDang", TIEU_DE_DANG, first=True)
    td = profile.style("TieuDeDang")
    _rule(b, profile, ht.right_mm, text_width_mm(TIEU_DE_DANG, td.size, bold=td.bold))
    _para(b, "PhamVi", "{{p dau_phai }}")
    # The "*" and the date share a row, so they stand on one line whatever the agency wraps to.
    _para(c, "DauSao", "*", first=True)
    _para(d, "DiaDanhNgay", "{{ dia_danh_ngay }}", first=True)
    _para(e, "SoKyHieu", "{{ so_ky_hieu }}", first=True)
    if subject:
        _para(e, "TrichYeuCV", "{{ trich_yeu }}")
    _para(e, "DoKhan", "{{p dau_trai }}")


_HEADERS: dict[str, Callable[[Document, Profile, bool], None]] = {  # type: ignore[valid-type]
    "nha_nuoc": _header_nd30,
    "dang": _header_hd36,
}


def new_document(profile: Profile, *, templated: bool = True) -> Document:  # type: ignore[valid-type]
    """An empty A4 document with the profile's styles, margins and page numbering; a
    template (``templated``) also gets the docxtpl tags of the page-1 address footer."""
    doc = Document()
    _define_styles(doc, profile)
    _page_setup(doc, profile, templated)
    body = doc.element.body
    # python-docx's default document starts with one empty paragraph; drop it.
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    return doc


def _save(doc: Document, profile: Profile, kind: str) -> bytes:  # type: ignore[valid-type]
    buf = io.BytesIO()
    doc.save(buf)  # type: ignore[attr-defined]
    core = package.CoreProperties(
        title=f"Mẫu {kind} ({profile.name})",
        author="tetngheo_docs",
        description=f"Sinh từ hồ sơ thể thức {profile.name}: {profile.title}",
    )
    return package.normalize(buf.getvalue(), core)


def build_cong_van(profile: Profile) -> bytes:
    """The công văn template: V/v under the number, Kính gửi, body, signature."""
    doc = new_document(profile)
    _HEADERS[profile.system](doc, profile, True)
    doc.add_paragraph("{{p kinh_gui }}", style="KinhGui")
    doc.add_paragraph("{{p noi_dung }}", style="NoiDung")
    _signature(doc, profile)
    return _save(doc, profile, "công văn")


def build_van_ban(profile: Profile) -> bytes:
    """Every named type (kế hoạch, thông báo, quyết định…): tên loại + trích yếu block.

    Optional parts appear only when the context has them: the issuing authority line and
    căn cứ of a quyết định, its "QUYẾT ĐỊNH:" label, and Kính gửi of an upward báo cáo.
    """
    doc = new_document(profile)
    _HEADERS[profile.system](doc, profile, False)
    doc.add_paragraph("{{ ten_loai }}", style="TenLoai")
    doc.add_paragraph("{{ trich_yeu }}", style="TrichYeu")
    doc.add_paragraph("{{p gach_trich_yeu }}", style="GachNgang")
    doc.add_paragraph("{%p if tham_quyen %}", style="ThamQuyen")
    doc.add_paragraph("{{ tham_quyen }}", style="ThamQuyen")
    doc.add_paragraph("{%p endif %}", style="ThamQuyen")
    doc.add_paragraph("{{p kinh_gui }}", style="KinhGui")
    doc.add_paragraph("{%p for dong in can_cu %}", style="CanCu")
    doc.add_paragraph("{{ dong }}", style="CanCu")
    doc.add_paragraph("{%p endfor %}", style="CanCu")
    doc.add_paragraph("{%p if nhan_quyet_dinh %}", style="NhanQuyetDinh")
    doc.add_paragraph("{{ nhan_quyet_dinh }}", style="NhanQuyetDinh")
    doc.add_paragraph("{%p endif %}", style="NhanQuyetDinh")
    doc.add_paragraph("{{p noi_dung }}", style="NoiDung")
    _signature(doc, profile)
    return _save(doc, profile, "văn bản có tên loại")


BUILDERS: dict[str, Callable[[Profile], bytes]] = {
    "cong_van": build_cong_van,
    "van_ban": build_van_ban,
}


def build_all(out_dir: Path, profiles: list[Profile]) -> list[Path]:
    """Write every template of every profile under ``out_dir/<profile>/<type>.docx``."""
    written = []
    for profile in profiles:
        for kind, build in BUILDERS.items():
            path = out_dir / profile.name / f"{kind}.docx"
            path.parent.mkdir(parents=True, exist_ok=True)
            data = build(profile)
            if not path.exists() or path.read_bytes() != data:
                path.write_bytes(data)
            written.append(path)
    return written
