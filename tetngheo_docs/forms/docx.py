"""A form as a section of the .docx: heading, caption, the table, notes and signatures.

Landscape is chosen when the columns do not fit the portrait text width (or when the form
says so); the header rows repeat on every page; numbers are right-aligned as 1.234.567; the
Tổng cộng row is bold. The XML comes from `render.ooxml`, so text is always escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tetngheo_docs.forms.model import NUMERIC_KINDS, BieuMau, Cot
from tetngheo_docs.profiles import Profile
from tetngheo_docs.render.ooxml import Cell, Indent, Run, paragraph_xml, table_xml
from tetngheo_docs.vn import dates, numbers, text
from tetngheo_docs.vn.metrics import text_width_mm

#: A value in a data row: text, a number (int for money/integers, float for percent), or empty.
Value = str | int | float | None

_CELL_PADDING_MM = 2.5
_MIN_COLUMN_MM = {"stt": 11.0, "tien": 26.0, "so_nguyen": 18.0, "phan_tram": 16.0, "ngay": 22.0}


def format_value(value: Value, kind: str) -> str:
    """A value as printed in a cell: 1.234.567 for numbers, 12,5% for percent."""
    if value is None or value == "":
        return ""
    if kind == "phan_tram" and isinstance(value, int | float):
        shown = f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
        return f"{shown}%"
    if kind in NUMERIC_KINDS and isinstance(value, int | float):
        return numbers.nhom_nghin(round(value))
    return str(value)


def column_widths(form: BieuMau, profile: Profile) -> list[float]:
    """Natural width of each leaf column: its given width, else what its header needs
    wrapped on at most three lines, never less than its kind's minimum."""
    size = profile.style("BangChu").size
    out = []
    for cot in form.leaves:
        if cot.rong:
            out.append(float(cot.rong))
            continue
        words = cot.ten.split()
        longest = max((text_width_mm(w, size, bold=True) for w in words), default=0.0)
        whole = text_width_mm(cot.ten, size, bold=True)
        need = max(longest, whole / 3) + _CELL_PADDING_MM
        out.append(max(need, _MIN_COLUMN_MM.get(cot.kieu, 20.0)))
    return out


@dataclass(frozen=True)
class Layout:
    landscape: bool
    widths: list[float]


def layout(form: BieuMau, profile: Profile) -> Layout:
    """Orientation and final column widths, scaled to fill the text width."""
    natural = column_widths(form, profile)
    portrait = profile.page.text_width_mm
    landscape_width = (
        profile.page.height_mm - profile.page.margin_left_mm - profile.page.margin_right_mm
    )
    if form.ngang == "co":
        landscape = True
    elif form.ngang == "khong":
        landscape = False
    else:
        landscape = sum(natural) > portrait
    target = landscape_width if landscape else portrait
    scale = target / sum(natural)
    return Layout(landscape, [w * scale for w in natural])


def _header_rows(form: BieuMau) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    cells = form.header_cells()
    depth = form.header_depth
    # Cells that continue a vertical merge from a row above, by (row, col).
    continued: dict[tuple[int, int], int] = {}
    for level, row in enumerate(cells):
        for c in row:
            for below in range(level + 1, level + c.rowspan):
                continued[(below, c.col)] = c.colspan
    for level in range(depth):
        starts = {c.col: c for c in cells[level]}
        out: list[Cell] = []
        col = 0
        leaves = len(form.leaves)
        while col < leaves:
            if col in starts:
                c = starts[col]
                vm = "restart" if c.rowspan > 1 else None
                out.append(
                    Cell((Run(c.text),), align="center", span=c.colspan, bold=True, vmerge=vm)
                )
                col += c.colspan
            else:
                span = continued.get((level, col), 1)
                out.append(Cell((), align="center", span=span, vmerge="continue"))
                col += span
        rows.append(out)
    return rows


def _align(cot: Cot) -> str:
    if cot.kieu in NUMERIC_KINDS:
        return "right"
    return "center" if cot.kieu in ("stt", "ngay") else "left"


def _data_rows(form: BieuMau, data: Sequence[Sequence[Value]] | None) -> list[list[Cell]]:
    leaves = form.leaves
    label = form.label_column()
    rows: list[list[Cell]] = []
    if data is not None:
        for i, values in enumerate(data, start=1):
            row = []
            for cot, value in zip(leaves, values, strict=True):
                shown = str(i) if cot.kieu == "stt" and value in (None, "") else value
                row.append(Cell((Run(format_value(shown, cot.kieu)),), align=_align(cot)))
            rows.append(row)
        return rows
    if form.dong:
        number = 0
        for d in form.dong:
            row = [Cell((), align=_align(c)) for c in leaves]
            if d.nhom:
                stt = next((i for i, c in enumerate(leaves) if c.kieu == "stt"), None)
                if stt is not None:
                    row[stt] = Cell((Run(d.nhom),), align="center", bold=True)
                row[label] = Cell((Run(d.ten),), bold=True)
            else:
                number += 1
                for i, c in enumerate(leaves):
                    if c.kieu == "stt":
                        row[i] = Cell((Run(str(number)),), align="center")
                row[label] = Cell((Run(d.ten),))
            rows.append(row)
        return rows
    for _ in range(form.dong_trong or 0):
        rows.append([Cell((Run(""),), align=_align(c)) for c in leaves])
    return rows


def _total_row(form: BieuMau, totals: Sequence[Value] | None) -> list[Cell]:
    leaves = form.leaves
    label = form.label_column()
    row = []
    for i, cot in enumerate(leaves):
        if i == label:
            row.append(Cell((Run("Tổng cộng"),), align="center", bold=True))
        elif totals is not None and cot.kieu in NUMERIC_KINDS:
            row.append(Cell((Run(format_value(totals[i], cot.kieu)),), align="right", bold=True))
        else:
            row.append(Cell((), bold=True))
    return row


def table(
    form: BieuMau,
    widths: list[float],
    data: Sequence[Sequence[Value]] | None = None,
    totals: Sequence[Value] | None = None,
) -> str:
    """The form's table: header rows (repeated on each page), (1) (2)… row, rows, total."""
    rows = _header_rows(form)
    header_rows = len(rows)
    if form.so_cot:
        rows.append(
            [Cell((Run(f"({i})", italic=True),), align="center") for i in range(1, len(widths) + 1)]
        )
        header_rows += 1
    rows += _data_rows(form, data)
    if form.tong_cong:
        rows.append(_total_row(form, totals))
    return table_xml(rows, widths, style="BangChu", header_rows=header_rows)


def _signatures(form: BieuMau, place: str, year: int, width_mm: float) -> str:
    """Người lập biểu | place, date + Thủ trưởng đơn vị, as a borderless two-column table."""
    left = [
        Cell((Run(text.upper_vn(form.nguoi_lap), bold=True),), align="center"),
    ]
    right = [
        Cell((Run(text.upper_vn(form.thu_truong), bold=True),), align="center"),
    ]
    sign = Cell((Run("(Ký, ghi rõ họ tên)", italic=True),), align="center")
    half = width_mm / 2
    dated = dates.dia_danh_ngay(place, None, year)
    return (
        paragraph_xml("BangChu", [])
        + paragraph_xml("DiaDanhNgay", [Run(dated)], indent=Indent(left=half))
        + table_xml(
            [left + right, [sign, sign]],
            [half, half],
            style="BangChu",
            header_rows=0,
            borders=False,
        )
    )


def section_body(
    form: BieuMau,
    profile: Profile,
    *,
    caption: str,
    place: str,
    when: date,
    data: Sequence[Sequence[Value]] | None = None,
    totals: Sequence[Value] | None = None,
    unit_line: bool = True,
) -> tuple[bool, str]:
    """(landscape?, XML) of a form's section content, heading to signatures."""
    lay = layout(form, profile)
    parts = [paragraph_xml("PhuLucTieuDe", [Run(text.upper_vn(form.tieu_de))])]
    if form.tieu_de_phu:
        parts.append(paragraph_xml("PhuLucSo", [Run(form.tieu_de_phu)]))
    if caption:
        parts.append(paragraph_xml("PhuLucKemTheo", [Run(caption)]))
    if unit_line:
        parts.append(paragraph_xml("BangChu", [Run("Đơn vị: " + "." * 60)]))
    parts.append(paragraph_xml("BangChu", []))
    parts.append(table(form, lay.widths, data, totals))
    for note in form.ghi_chu:
        parts.append(paragraph_xml("BangChu", [Run(note, italic=True)]))
    width = sum(lay.widths)
    parts.append(_signatures(form, place, when.year, width))
    return lay.landscape, "".join(parts)


def standalone_docx(
    form: BieuMau,
    profile: Profile,
    *,
    caption: str,
    place: str,
    when: date,
    data: Sequence[Sequence[Value]] | None = None,
    totals: Sequence[Value] | None = None,
    title: str = "",
) -> bytes:
    """A form (e.g. the biểu tổng hợp of collected returns) as a document of its own,
    in the profile's styles and page setup; deterministic bytes."""
    import io

    from tetngheo_docs import package
    from tetngheo_docs.render import builder, ooxml

    landscape, xml = section_body(
        form,
        profile,
        caption=caption,
        place=place,
        when=when,
        data=data,
        totals=totals,
        unit_line=False,
    )
    doc = builder.new_document(profile, templated=False)
    buf = io.BytesIO()
    doc.save(buf)
    core = package.CoreProperties(title=title or form.tieu_de, author="tetngheo_docs", created=when)
    data_bytes = package.normalize(buf.getvalue(), core)
    members = package.read_members(data_bytes)
    final = ooxml.final_section(landscape=landscape, restart=False)
    out = []
    for name, content in members:
        if name == "word/document.xml":
            # The form and its closing placeholder go before the body-level sectPr, which
            # must stay last. Spliced as text, as the templates do: moving a large parsed
            # table into python-docx's tree costs seconds (lxml re-homes every node).
            at = content.rindex(b"<w:sectPr")
            content = content[:at] + xml.encode() + final.encode() + content[at:]
            content = ooxml.apply_sections(content)
        out.append((name, content))
    return package.write_zip(out)
