"""A form as a section of the .docx: heading, caption, the table, notes and signatures.

Landscape is chosen when the columns do not fit the portrait text width (or when the form
says so); the header rows repeat on every page; numbers are right-aligned as 1.234.567; the
Tổng cộng row is bold. The XML comes from `render.ooxml`, so text is always escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from tetngheo_docs.forms.model import NUMERIC_KINDS, Bang, BieuMau, Cot
from tetngheo_docs.profiles import Profile
from tetngheo_docs.render.ooxml import Cell, Indent, Run, paragraph_xml, table_xml
from tetngheo_docs.vn import dates, numbers, text
from tetngheo_docs.vn.metrics import HINTING, text_width_mm

#: A value in a data row: text, a number (int for money/integers, float for percent), or empty.
Value = str | int | float | None

_CELL_PADDING_MM = 2.5
_MIN_COLUMN_MM = {"stt": 11.0, "tien": 26.0, "so_nguyen": 18.0, "phan_tram": 16.0, "ngay": 22.0}
_TEXT_NATURAL_MM = 70.0  # a text column's labels on one line up to this width


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


_TYPED_INT = re.compile(r"-?\d{1,3}(\.\d{3})+|-?\d+")


def typed_int(value: str) -> int | None:
    """A whole number as a văn thư types it in a table ("1.250", "1250"), else None."""
    raw = value.strip()
    return int(raw.replace(".", "")) if _TYPED_INT.fullmatch(raw) else None


def _typed_cell(value: str, kind: str) -> str:
    """A cell typed in YAML as printed: whole numbers of a number column regrouped."""
    if kind in ("tien", "so_nguyen"):
        n = typed_int(value)
        if n is not None:
            return numbers.nhom_nghin(n)
    return value


def _measure(
    form: Bang,
    profile: Profile,
    values: Sequence[Sequence[str]] = (),
    totals: Sequence[Value] | None = None,
) -> tuple[list[float], list[float], list[bool]]:
    """(minimum, natural, fixed) width of each leaf column, in mm.

    The minimum keeps every header word whole (a syllable never breaks: "Chư/ơng") and a
    number on one line; the natural width sets the header on at most three lines and a text
    column's labels on one line up to ~70 mm. A column with ``rong`` is fixed.
    """
    size = profile.style("BangChu").size
    leaves = form.leaves
    columns: list[list[str]] = [[] for _ in leaves]
    for row in values:
        for i, v in enumerate(row):
            if v:
                columns[i].append(v)
    label = form.label_column()
    for d in form.dong:
        if d.o:
            for i, v in enumerate(d.o):
                columns[i].append(_typed_cell(v, leaves[i].kieu))
        elif d.ten and not d.placeholder:
            columns[label].append(d.ten)
    mins, nats, fixed = [], [], []
    for i, cot in enumerate(leaves):
        if cot.rong:
            mins.append(float(cot.rong))
            nats.append(float(cot.rong))
            fixed.append(True)
            continue
        words = cot.ten.split()
        longest = max((text_width_mm(w, size, bold=True) for w in words), default=0.0)
        low = max(longest + _CELL_PADDING_MM, _MIN_COLUMN_MM.get(cot.kieu, 0.0))
        whole = text_width_mm(cot.ten, size, bold=True)
        nat = max(low, whole / 3 + _CELL_PADDING_MM, _MIN_COLUMN_MM.get(cot.kieu, 20.0))
        widest = max((text_width_mm(v, size) for v in columns[i]), default=0.0)
        if totals is not None and i < len(totals) and totals[i] is not None:
            shown = format_value(totals[i], cot.kieu)
            widest = max(widest, text_width_mm(shown, size, bold=True))
        if cot.kieu in NUMERIC_KINDS or cot.kieu in ("stt", "ngay"):
            low = max(low, widest * HINTING + _CELL_PADDING_MM)  # a number never wraps
        else:
            longest_word = max(
                (text_width_mm(w, size) for v in columns[i] for w in v.split()), default=0.0
            )
            low = max(low, longest_word + _CELL_PADDING_MM)
            nat = max(nat, min(widest, _TEXT_NATURAL_MM) + _CELL_PADDING_MM)
        mins.append(low)
        nats.append(max(nat, low))
        fixed.append(False)
    # A group's title keeps its words whole over the columns it spans.
    for row in form.header_cells():
        for c in row:
            if c.colspan < 2:
                continue
            words = c.text.split()
            longest = max((text_width_mm(w, size, bold=True) for w in words), default=0.0)
            need = longest + _CELL_PADDING_MM - sum(mins[c.col : c.col + c.colspan])
            if need > 0:
                for k in range(c.col, c.col + c.colspan):
                    mins[k] += need / c.colspan
                    nats[k] = max(nats[k], mins[k])
    return mins, nats, fixed


def column_widths(form: Bang, profile: Profile) -> list[float]:
    """Natural width of each leaf column (see `_measure`)."""
    return _measure(form, profile)[1]


def fit_widths(
    form: Bang, mins: list[float], nats: list[float], fixed: list[bool], target: float
) -> list[float]:
    """Widths filling `target` mm: room to spare goes to the text columns (the row labels
    first), not to the number columns; too little room is taken from the columns whose
    natural width exceeds their minimum, never below it while the minimums fit."""
    total = sum(nats)
    if total <= target:
        spare = target - total
        label = form.label_column()
        weights = [
            (0.0 if f or c.kieu != "van_ban" else n * (3.0 if i == label else 1.0))
            for i, (c, n, f) in enumerate(zip(form.leaves, nats, fixed, strict=True))
        ]
        if not sum(weights):
            weights = [0.0 if f else n for n, f in zip(nats, fixed, strict=True)] or nats
        if not sum(weights):
            weights = list(nats)
        return [n + spare * w / sum(weights) for n, w in zip(nats, weights, strict=True)]
    slack = [0.0 if f else n - m for n, m, f in zip(nats, mins, fixed, strict=True)]
    need = total - target
    if sum(slack) >= need:
        return [n - s * need / sum(slack) for n, s in zip(nats, slack, strict=True)]
    return [m * target / sum(mins) for m in mins]  # the headers cannot fit: scale


@dataclass(frozen=True)
class Layout:
    landscape: bool
    widths: list[float]


def layout(
    form: Bang,
    profile: Profile,
    values: Sequence[Sequence[str]] = (),
    *,
    landscape: bool | None = None,
    totals: Sequence[Value] | None = None,
) -> Layout:
    """Orientation and final column widths filling the text width. `landscape` decides
    the orientation when given (a phụ lục's ``ngang``); else the form's ``ngang``, else
    whether the natural widths fit the portrait text width."""
    if totals is None and form.tong_cong and not values:
        totals = typed_totals(form)
    mins, nats, fixed = _measure(form, profile, values, totals)
    portrait = profile.page.text_width_mm
    landscape_width = (
        profile.page.height_mm - profile.page.margin_left_mm - profile.page.margin_right_mm
    )
    if landscape is None:
        if form.ngang == "co":
            landscape = True
        elif form.ngang == "khong":
            landscape = False
        else:
            landscape = sum(nats) > portrait
    target = landscape_width if landscape else portrait
    return Layout(landscape, fit_widths(form, mins, nats, fixed, target))


def _header_rows(form: Bang) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    cells = form.header_cells()
    depth = form.header_depth
    # Cells that continue a vertical merge from a row above, by (row, col).
    continued: dict[tuple[int, int], int] = {}
    for level, row in enumerate(cells):
        for c in row:
            for below in range(level + 1, level + c.rowspan):
                continued[(below, c.col)] = c.colspan
    leaves = len(form.leaves)
    for level in range(depth):
        starts = {c.col: c for c in cells[level]}
        out: list[Cell] = []
        col = 0
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


def _data_rows(form: Bang, data: Sequence[Sequence[Value]] | None) -> list[list[Cell]]:
    leaves = form.leaves
    label = form.label_column()
    stt = next((i for i, c in enumerate(leaves) if c.kieu == "stt"), None)
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
            if d.muc:  # a section row: one cell across the table
                rows.append([Cell((Run(d.muc),), bold=True, span=len(leaves))])
                continue
            if d.placeholder:
                for i in {label, stt} - {None}:
                    row[i] = Cell((Run("…"),), align="center" if i == stt else "left")
            elif d.nhom:
                if stt is not None:
                    row[stt] = Cell((Run(d.nhom),), align="center", bold=True)
                row[label] = Cell((Run(d.ten),), bold=True)
            else:
                number += 1
                if d.o:
                    row = [
                        Cell((Run(_typed_cell(v, c.kieu)),), align=_align(c))
                        for c, v in zip(leaves, d.o, strict=True)
                    ]
                else:
                    row[label] = Cell((Run(d.ten),))
                for i, c in enumerate(leaves):
                    if c.kieu == "stt" and not (d.o and d.o[i]):
                        row[i] = Cell((Run(str(number)),), align="center")
            rows.append(row)
        return rows
    for _ in range(form.dong_trong or 0):
        rows.append([Cell((Run(""),), align=_align(c)) for c in leaves])
    return rows


def typed_totals(form: Bang) -> list[Value] | None:
    """Totals of the figures typed in a table's rows (``o``): the sum of each whole-number
    column; None when no row carries figures."""
    rows = [d.o for d in form.dong if d.o and d.is_data]
    if not rows:
        return None
    out: list[Value] = []
    for i, cot in enumerate(form.leaves):
        got = [typed_int(r[i]) for r in rows if r[i].strip()]
        ok = cot.kieu in ("tien", "so_nguyen") and got and all(g is not None for g in got)
        out.append(sum(g for g in got if g is not None) if ok else None)
    return out


def _total_row(form: Bang, totals: Sequence[Value] | None) -> list[Cell]:
    leaves = form.leaves
    first, count = form.total_label_span()
    row = [Cell((), bold=True) for _ in range(first)]
    row.append(Cell((Run(form.tong_cong),), align="center", bold=True, span=count))
    for i in range(first + count, len(leaves)):
        cot = leaves[i]
        if totals is not None and cot.kieu in NUMERIC_KINDS and totals[i] is not None:
            row.append(Cell((Run(format_value(totals[i], cot.kieu)),), align="right", bold=True))
        else:
            row.append(Cell((), bold=True))
    return row


def _kept(row: list[Cell]) -> list[Cell]:
    return [replace(c, keep_next=True) for c in row]


def table(
    form: Bang,
    widths: list[float],
    data: Sequence[Sequence[Value]] | None = None,
    totals: Sequence[Value] | None = None,
    *,
    keep_rows: int = 2,
    keep_total: bool = False,
) -> str:
    """The table: header rows (repeated on each page), the column-number row, the rows,
    the total. Rows never split across pages; the last `keep_rows` rows keep with the total
    row, so that it never stands alone at the top of a page."""
    rows = _header_rows(form)
    header_rows = len(rows)
    if form.so_cot:
        italic = form.so_cot == "(1)"
        rows.append(
            [
                Cell((Run(form.column_number(i), italic=italic),), align="center")
                for i in range(len(widths))
            ]
        )
        header_rows += 1
    body = _data_rows(form, data)
    if form.tong_cong:
        if totals is None and data is None:
            totals = typed_totals(form)
        body = [*body[: len(body) - keep_rows], *(_kept(r) for r in body[-keep_rows:])]
        total = _total_row(form, totals)
        body.append(_kept(total) if keep_total else total)
    return table_xml([*rows, *body], widths, style="BangChu", header_rows=header_rows)


def words_line(form: Bang, totals: Sequence[Value] | None, *, keep_next: bool = False) -> str:
    """ "Bằng chữ: …" for the ``bang_chu`` column's total ("" when the table asks none):
    the amount in words when it is known, else a dotted line to fill in."""
    i = form.words_column()
    if i is None:
        return ""
    if totals is None and form.dong:
        totals = typed_totals(form)
    value = totals[i] if totals is not None and i < len(totals) else None
    if isinstance(value, int | float):
        unit = "đồng" if form.leaves[i].kieu == "tien" else ""
        shown = numbers.tien_bang_chu(round(value), don_vi=unit)
    else:
        shown = "." * 80
    return paragraph_xml(
        "BangChu",
        [Run("Bằng chữ: ", bold=True), Run(shown, italic=isinstance(value, int))],
        keep_next=keep_next,
    )


def _signatures(form: BieuMau, place: str, year: int, width_mm: float) -> str:
    """The signers side by side in a borderless table (title, the note in italics, the
    name), the last under "place, ngày … tháng … năm …"."""
    signers = form.signers()
    if not signers:
        return paragraph_xml("BangChu", [])
    out = [paragraph_xml("BangChu", [], keep_next=True)]
    n = len(signers)
    widths = [width_mm / n] * n
    if form.ngay_ky:
        dated = dates.dia_danh_ngay(place, None, year)
        left = width_mm - widths[-1] if n > 1 else 0.0
        out.append(
            paragraph_xml("DiaDanhNgay", [Run(dated)], indent=Indent(left=left), keep_next=True)
        )
    titles = [
        Cell((Run(text.upper_vn(s.chuc_danh), bold=True),), align="center", keep_next=True)
        for s in signers
    ]
    notes = [Cell((Run(s.ghi_chu, italic=True),), align="center", keep_next=True) for s in signers]
    rows = [titles, notes]
    if any(s.ho_ten for s in signers):
        rows.append(
            [
                Cell(
                    (),
                )
                for _ in signers
            ]
        )
        rows.append(
            [
                Cell(
                    (),
                )
                for _ in signers
            ]
        )
        rows.append([Cell((Run(s.ho_ten, bold=True),), align="center") for s in signers])
    out.append(table_xml(rows, widths, style="BangChu", header_rows=0, borders=False))
    return "".join(out)


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
    """(landscape?, XML) of a form's section content, heading to signatures. `caption` is
    the letter's "(Kèm theo …)" line, replaced by the form's ``kem_theo`` if it has one."""
    shown = [
        [format_value(v, c.kieu) for v, c in zip(r, form.leaves, strict=True)] for r in data or ()
    ]
    lay = layout(form, profile, shown, totals=totals)
    # The heading keeps with the table (format-rules §10.1: a heading block).
    parts = [paragraph_xml("PhuLucTieuDe", [Run(text.upper_vn(form.tieu_de))], keep_next=True)]
    if form.tieu_de_phu:
        parts.append(paragraph_xml("PhuLucSo", [Run(form.tieu_de_phu)], keep_next=True))
    caption = form.caption(caption)
    if caption:
        parts.append(paragraph_xml("PhuLucKemTheo", [Run(caption)], keep_next=True))
    if unit_line and form.don_vi:
        parts.append(paragraph_xml("BangChu", [Run(f"{form.don_vi} " + "." * 60)]))
    for line in form.han_nop:
        parts.append(paragraph_xml("BangChu", [Run(line, italic=True)]))
    parts.append(paragraph_xml("BangChu", []))
    for line in form.truoc_bang:
        parts.append(paragraph_xml("BangChu", [Run(line)], align="justify"))
    # What follows the table stays with the signatures (format-rules §11.7), and the
    # total row with its last rows goes with them.
    signed = bool(form.signers())
    parts.append(
        table(
            form,
            lay.widths,
            data,
            totals,
            keep_rows=profile.pagination.rows_with_total,
            keep_total=signed,
        )
    )
    parts.append(words_line(form, totals, keep_next=signed))
    for note in form.ghi_chu:
        parts.append(paragraph_xml("BangChu", [Run(note, italic=True)], keep_next=signed))
    width = sum(lay.widths)
    parts.append(_signatures(form, place, when.year, width))
    return lay.landscape, "".join(parts)


def appendix_table(form: Bang, profile: Profile, *, landscape: bool) -> str:
    """A table of a phụ lục (``bang:``), in the same model and builder as a form: its
    title (if any), the table across the text width, "Bằng chữ" if asked."""
    lay = layout(form, profile, landscape=landscape)
    parts = []
    if form.tieu_de:
        parts.append(
            paragraph_xml("PhuLucTieuDe", [Run(text.upper_vn(form.tieu_de))], keep_next=True)
        )
    parts.append(table(form, lay.widths, keep_rows=profile.pagination.rows_with_total))
    parts.append(words_line(form, None))
    parts.append(paragraph_xml("BangChu", []))
    return "".join(parts)


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
