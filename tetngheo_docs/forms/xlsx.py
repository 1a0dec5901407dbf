"""A form as an .xlsx workbook: the blank sent to each unit, and the summary of the returns.

The unit's workbook repeats the .docx form (title, caption, the same multi-level headers and
merges, the "(1) (2) …" row, fixed or blank rows, Tổng cộng, notes, signatures) and adds
what a spreadsheet can do: only the unit-name and data cells are unlocked (the sheet is
protected without a password), numeric cells carry data validation with Vietnamese messages,
totals are ``=SUM()`` formulas, and printing is A4, fitted to the page width with the header
rows repeated.

Reading back never depends on cell positions: workbook defined names point at the unit cell
(`NAME_UNIT`), the data rows (`NAME_DATA`) and the total row (`NAME_TOTAL`), and carry the
form's id and version (`NAME_ID`, `NAME_VERSION`); a hidden sheet (`STAMP_SHEET`) holds the
same facts as text, as a fallback when a spreadsheet program drops the names.

Same input, same bytes: the workbook's core properties are fixed and the zip is rewritten by
`package.normalize`.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from tetngheo_docs import package
from tetngheo_docs.forms.model import BieuMau, Cot
from tetngheo_docs.vn import dates, metrics, numbers, text

__all__ = [
    "KIND_RETURN",
    "KIND_SUMMARY",
    "NAME_COLUMNS",
    "NAME_DATA",
    "NAME_ID",
    "NAME_KIND",
    "NAME_TOTAL",
    "NAME_UNIT",
    "NAME_VERSION",
    "SHEET",
    "STAMP_SHEET",
    "SUMMED_KINDS",
    "XlsxValue",
    "form_xlsx",
    "summary_xlsx",
]

#: The visible sheet and the hidden stamp sheet.
SHEET = "Biểu mẫu"
SUMMARY_SHEET = "Tổng hợp"
STAMP_SHEET = "_tetngheo"

#: Workbook defined names (what `collect` reads).
NAME_ID = "TETNGHEO_MA"
NAME_VERSION = "TETNGHEO_PHIEN_BAN"
NAME_KIND = "TETNGHEO_LOAI"
NAME_COLUMNS = "TETNGHEO_COT"  # the column kinds ("van_ban,tien,…"): shows a changed form
NAME_UNIT = "TETNGHEO_DON_VI"
NAME_DATA = "TETNGHEO_DU_LIEU"
NAME_TOTAL = "TETNGHEO_TONG"

#: What a workbook is: a unit's form to fill in, or the office's summary of the returns.
KIND_RETURN = "bieu-don-vi"
KIND_SUMMARY = "tong-hop"

#: Kinds whose Tổng cộng is a sum (a sum of percentages means nothing; dates neither).
SUMMED_KINDS = frozenset({"so_nguyen", "tien"})

#: A value in a summary row: text, a number, a date, or empty.
XlsxValue = str | int | float | date | None

FONT = "Times New Roman"
SIZE = 12
_LINE_PT = 15.75  # row height of one 12 pt line, as Excel lays out Times New Roman
_PX_MM = 25.4 / 96
_DIGIT_PX = 8  # a digit of Times New Roman 12 pt (half an em) at 96 dpi
_PADDING_MM = 2.5
_MIN_MM = {"stt": 11.0, "tien": 30.0, "so_nguyen": 20.0, "phan_tram": 18.0, "ngay": 24.0}
_TEXT_MIN_MM = 30.0  # a text column the unit types into
_LABEL_MIN_MM = 45.0  # the row labels, or the main (first required) text column
_MAX_MM = 90.0
_NUMBER_FORMATS = {
    "tien": "#,##0",
    "so_nguyen": "#,##0",
    "phan_tram": "General",
    "ngay": "dd/mm/yyyy",
    "van_ban": "@",
    "stt": "General",
}
_ALIGN = {"tien": "right", "so_nguyen": "right", "phan_tram": "right", "ngay": "center"}
_STAMP_CREATED = date(2000, 1, 1)

_thin = Side(style="thin")
_BOX = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_DOTTED = Border(bottom=Side(style="dotted"))
_UNLOCKED = Protection(locked=False)


def _font(*, bold: bool = False, italic: bool = False, size: float = SIZE) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic)


@dataclass(frozen=True)
class _Rows:
    """Where everything landed (1-based rows), for the names, print titles and the stamp."""

    unit: int | None
    header_first: int
    header_last: int
    data_first: int
    data_last: int
    total: int | None
    last: int


# --------------------------------------------------------------------------- measurement


def text_width_mm(value: str, size: float, *, bold: bool = False) -> float:
    """Width of `value` on one line as a spreadsheet shows it (see `metrics.HINTING`)."""
    return metrics.text_width_mm(value, size, bold=bold) * metrics.HINTING


def _wrap_lines(value: str, width_mm: float, *, bold: bool = False) -> int:
    """Lines `value` takes when word-wrapped into `width_mm` (greedy, as spreadsheets do)."""
    usable = max(width_mm - _PADDING_MM, 5.0)
    space = text_width_mm(" ", SIZE, bold=bold)
    total = 0
    for part in value.split("\n"):
        lines, used = 1, 0.0
        for word in part.split():
            w = text_width_mm(word, SIZE, bold=bold)
            need = w if used == 0 else used + space + w
            if need <= usable or used == 0:
                used = need
                # A single word wider than the cell wraps by characters.
                while used > usable:
                    lines += 1
                    used -= usable
            else:
                lines += 1
                used = w
        total += lines
    return max(total, 1)


def _height(lines: int) -> float:
    return round(lines * _LINE_PT + 3, 2)


def _natural_mm(cot: Cot, values: Sequence[str] = ()) -> float:
    """A column's width: given (`rong`), else what its header needs on at most three lines,
    widened for the longest value, never below its kind's minimum."""
    if cot.rong:
        return float(cot.rong)
    words = cot.ten.split()
    longest = max((text_width_mm(w, SIZE, bold=True) for w in words), default=0.0)
    whole = text_width_mm(cot.ten, SIZE, bold=True)
    need = max(longest, whole / 3) + _PADDING_MM
    if values:
        widest = max(text_width_mm(v, SIZE) for v in values) + _PADDING_MM + 0.5
        need = max(need, min(widest, _MAX_MM))
    return max(need, _MIN_MM.get(cot.kieu, 20.0))


def _units(mm: float) -> float:
    """Millimetres as a column width, counted in digits of the workbook's default font
    (Times New Roman 12: 8 px at 96 dpi) plus 5 px of margin, as Excel counts them."""
    return round(max((mm / _PX_MM - 5) / _DIGIT_PX, 2.0), 2)


def _mm(units: float) -> float:
    return (units * _DIGIT_PX + 5) * _PX_MM


# ------------------------------------------------------------------------------- writing


class _Writer:
    def __init__(self, form: BieuMau, ws: Worksheet, widths_mm: list[float]) -> None:
        self.form = form
        self.ws = ws
        self.leaves = form.leaves
        self.n = len(self.leaves)
        self.widths = [_units(w) for w in widths_mm]
        for i, w in enumerate(self.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        self.row = 1
        self.styles: dict[tuple[object, ...], Any] = {}

    def put(self, row: int, column: int, value: object, *, formula: bool = False) -> Any:
        """Write a value; text typed by a unit that starts with '=' stays text, never a
        formula (openpyxl would take it for one: formula injection, hazards §2.4)."""
        cell = self.ws.cell(row=row, column=column, value=value)
        if not formula and isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        return cell

    def span_mm(self, first: int, count: int) -> float:
        return sum(_mm(w) for w in self.widths[first : first + count])

    def line(
        self,
        value: str,
        *,
        bold: bool = False,
        italic: bool = False,
        size: float = SIZE,
        first: int = 0,
        count: int | None = None,
        align: str = "center",
    ) -> int:
        """A merged line of text across columns [first, first+count); returns its row."""
        count = self.n - first if count is None else count
        row = self.row
        cell = self.put(row, first + 1, value)
        cell.font = _font(bold=bold, italic=italic, size=size)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if count > 1:
            self.ws.merge_cells(
                start_row=row, start_column=first + 1, end_row=row, end_column=first + count
            )
        lines = _wrap_lines(value, self.span_mm(first, count), bold=bold) if value else 1
        self.ws.row_dimensions[row].height = _height(lines)
        return row

    def headings(self, caption: str) -> None:
        self.line(text.upper_vn(self.form.tieu_de), bold=True, size=SIZE + 1)
        self.row += 1
        if self.form.tieu_de_phu:
            self.line(self.form.tieu_de_phu, bold=True)
            self.row += 1
        if caption:
            self.line(caption, italic=True)
            self.row += 1

    def unit_line(self, unit: str) -> tuple[int, int]:
        """ "Đơn vị:" and the unlocked cell where the unit writes its name: (row, column).
        Always there in a workbook, even when the printed form has no such line
        (``don_vi: không``): collecting the returns reads the unit from it."""
        label = self.form.don_vi or "Đơn vị:"
        label_cols = 1
        need = text_width_mm(label, SIZE, bold=True) + _PADDING_MM
        while label_cols < self.n - 1 and self.span_mm(0, label_cols) < max(20, need):
            label_cols += 1
        row = self.row
        self.line(label, bold=True, count=label_cols, align="left")
        first = label_cols if self.n > 1 else 0
        cell = self.put(row, first + 1, unit or None)
        cell.font = _font()
        cell.alignment = Alignment(horizontal="left", vertical="center")
        cell.number_format = "@"
        cell.protection = _UNLOCKED
        for col in range(first + 1, self.n + 1):
            self.ws.cell(row=row, column=col).border = _DOTTED
        if self.n - first > 1:
            self.ws.merge_cells(
                start_row=row, start_column=first + 1, end_row=row, end_column=self.n
            )
        self.ws.row_dimensions[row].height = _height(1) + 4
        self.row += 1
        return row, first + 1

    def box(
        self,
        row: int,
        col: int,
        value: object,
        *,
        bold: bool = False,
        italic: bool = False,
        align: str = "left",
        fmt: str | None = None,
        unlocked: bool = False,
        formula: bool = False,
    ) -> None:
        cell = self.put(row, col + 1, value, formula=formula)
        key = (bold, italic, align, fmt, unlocked)
        cached = self.styles.get(key)
        if cached is not None:
            # Assigning style objects hashes them every time (seconds for a summary of a
            # few thousand rows); the cell's style array is the same for every such cell.
            cell._style = copy(cached)
            return
        cell.font = _font(bold=bold, italic=italic)
        cell.border = _BOX
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if fmt:
            cell.number_format = fmt
        if unlocked:
            cell.protection = _UNLOCKED
        self.styles[key] = copy(cell._style)

    def header(self) -> tuple[int, int]:
        """The header rows with their merges, then the (1) (2) … row; returns (first, last)."""
        first = self.row
        depth = self.form.header_depth
        lines = [1] * depth
        for level, cells in enumerate(self.form.header_cells()):
            for c in cells:
                row = first + level
                self.box(row, c.col, c.text, bold=True, align="center")
                for r in range(row, row + c.rowspan):
                    for k in range(c.col, c.col + c.colspan):
                        self.ws.cell(row=r, column=k + 1).border = _BOX
                if c.colspan > 1 or c.rowspan > 1:
                    self.ws.merge_cells(
                        start_row=row,
                        start_column=c.col + 1,
                        end_row=row + c.rowspan - 1,
                        end_column=c.col + c.colspan,
                    )
                need = _wrap_lines(c.text, self.span_mm(c.col, c.colspan), bold=True)
                # A cell spanning several rows spreads its lines over them.
                share = math.ceil(need / c.rowspan)
                for r in range(level, level + c.rowspan):
                    lines[r] = max(lines[r], share)
        for level in range(depth):
            self.ws.row_dimensions[first + level].height = _height(lines[level])
        self.row = first + depth
        if self.form.so_cot:
            italic = self.form.so_cot == "(1)"
            for i in range(self.n):
                self.box(self.row, i, self.form.column_number(i), italic=italic, align="center")
            self.row += 1
        return first, self.row - 1

    def section_row(self, row: int, value: str) -> None:
        """A locked row across the table: a section ("I. Khu vực thành thị")."""
        self.box(row, 0, value, bold=True)
        for i in range(1, self.n):
            self.box(row, i, None, bold=True)
        if self.n > 1:
            self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=self.n)

    def typed_row(self, row: int, values: Sequence[str], number: int) -> None:
        """A row whose cells the form gives (``o``): figures as numbers, left open."""
        for i, (cot, value) in enumerate(zip(self.leaves, values, strict=True)):
            shown: object = value or None
            if cot.kieu == "stt":
                self.box(row, i, value or str(number), align="center")
                continue
            if cot.kieu in SUMMED_KINDS and value:
                n = _typed_int(value)
                shown = value if n is None else n
            align = _ALIGN.get(cot.kieu, "left")
            self.box(row, i, shown, align=align, fmt=_NUMBER_FORMATS[cot.kieu], unlocked=True)

    def input_row(
        self,
        row: int,
        *,
        numbered: str = "",
        label: str = "",
        group: bool = False,
        placeholder: bool = False,
    ) -> None:
        """One data row of a unit's form: a fixed label and number locked, the rest open
        (a group row is a locked heading; a "…" row is locked and empty)."""
        label_col = self.form.label_column()
        bold = group
        group = group or placeholder
        if placeholder:
            numbered = "…" if numbered else ""
            label = "…"
        for i, cot in enumerate(self.leaves):
            if cot.kieu == "stt" and (numbered or not label):
                self.box(row, i, numbered or None, bold=bold, align="center", unlocked=not numbered)
            elif i == label_col and (label or group):
                self.box(row, i, label, bold=bold)
            else:
                align = _ALIGN.get(cot.kieu, "left")
                fmt = _NUMBER_FORMATS[cot.kieu]
                self.box(row, i, None, align=align, fmt=fmt, unlocked=not group)

    def value_row(self, row: int, values: Sequence[XlsxValue], number: int) -> None:
        """One row of the summary: values as given, stt numbered when empty."""
        for i, (cot, value) in enumerate(zip(self.leaves, values, strict=True)):
            if cot.kieu == "stt" and value in (None, ""):
                value = number
            self.box(
                row,
                i,
                value,
                align=_ALIGN.get(cot.kieu, "center" if cot.kieu == "stt" else "left"),
                fmt=_NUMBER_FORMATS[cot.kieu],
            )

    def total_row(self, first: int, last: int) -> int:
        row = self.row
        start, count = self.form.total_label_span()
        for i, cot in enumerate(self.leaves):
            if i == start:
                self.box(row, i, self.form.tong_cong, bold=True, align="center")
            elif i < start + count:
                self.box(row, i, None, bold=True)
            elif cot.kieu in SUMMED_KINDS:
                letter = get_column_letter(i + 1)
                formula = f"=SUM({letter}{first}:{letter}{last})" if last >= first else 0
                self.box(row, i, formula, bold=True, align="right", fmt="#,##0", formula=True)
            else:
                self.box(row, i, None, bold=True)
        if count > 1:
            self.ws.merge_cells(
                start_row=row, start_column=start + 1, end_row=row, end_column=start + count
            )
        self.row += 1
        return row

    def words(self, value: int | None) -> None:
        """ "Bằng chữ:" under the table: the amount in words, or an open cell to type it."""
        i = self.form.words_column()
        if i is None:
            return
        if value is not None:
            unit = "đồng" if self.leaves[i].kieu == "tien" else ""
            self.line(
                "Bằng chữ: " + numbers.tien_bang_chu(value, don_vi=unit), italic=True, align="left"
            )
            self.row += 1
            return
        label_cols = 1
        while label_cols < self.n - 1 and self.span_mm(0, label_cols) < 25:
            label_cols += 1
        row = self.line("Bằng chữ:", bold=True, count=label_cols, align="left")
        if self.n > label_cols:
            cell = self.put(row, label_cols + 1, None)
            cell.font = _font(italic=True)
            cell.protection = _UNLOCKED
            cell.number_format = "@"
            for col in range(label_cols + 1, self.n + 1):
                self.ws.cell(row=row, column=col).border = _DOTTED
            if self.n - label_cols > 1:
                self.ws.merge_cells(
                    start_row=row, start_column=label_cols + 1, end_row=row, end_column=self.n
                )
        self.row += 1

    def notes(self, notes: Sequence[str]) -> None:
        for note in notes:
            self.line(note, italic=True, align="left")
            self.row += 1

    def signatures(self, place: str, year: int | None) -> None:
        """The signers side by side (the columns shared between them), the last under the
        place and date."""
        signers = self.form.signers()
        if not signers:
            return
        self.row += 1
        k = min(len(signers), self.n)
        bounds = [round(j * self.n / k) for j in range(k + 1)]
        spans = [(bounds[j], bounds[j + 1] - bounds[j]) for j in range(k)]
        if self.form.ngay_ky:
            if year is not None and place:
                dated = dates.dia_danh_ngay(place, None, year)
            else:
                blank = dates.BLANK
                dated = f"{place or '.' * 15}, ngày{blank}tháng{blank}năm {year or '.' * 6}"
            first, count = spans[-1]
            self.line(dated, italic=True, first=first, count=count)
            self.row += 1
        for attr, bold, italic in (("chuc_danh", True, False), ("ghi_chu", False, True)):
            for s, (first, count) in zip(signers, spans, strict=False):
                value = getattr(s, attr)
                value = text.upper_vn(value) if attr == "chuc_danh" else value
                self.line(value, bold=bold, italic=italic, first=first, count=count)
            self.row += 1
        if any(s.ho_ten for s in signers):
            self.row += 3
            for s, (first, count) in zip(signers, spans, strict=False):
                self.line(s.ho_ten, bold=True, first=first, count=count)
            self.row += 1


def _validations(ws: Worksheet, form: BieuMau, first: int, last: int) -> None:
    """Data validation on the data rows of each numeric or date column."""
    if last < first:
        return
    whole = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Số không hợp lệ",
        error="Ô này chỉ nhận số nguyên không âm, không có phần lẻ, ví dụ 1234567 "
        "(hiện thành 1.234.567).",
        showInputMessage=False,
    )
    percent = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Tỷ lệ không hợp lệ",
        error="Ô này chỉ nhận tỷ lệ phần trăm từ 0 đến 100, ví dụ 12,5.",
    )
    day = DataValidation(
        type="date",
        operator="between",
        formula1="1",  # 01/01/1900
        formula2="109574",  # 31/12/2199
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Ngày không hợp lệ",
        error="Ô này chỉ nhận ngày, ví dụ 15/01/2024.",
    )
    kinds = {"so_nguyen": whole, "tien": whole, "phan_tram": percent, "ngay": day}
    used: list[DataValidation] = []
    for i, cot in enumerate(form.leaves):
        dv = kinds.get(cot.kieu)
        if dv is None:
            continue
        letter = get_column_letter(i + 1)
        dv.add(f"{letter}{first}:{letter}{last}")
        if dv not in used:
            used.append(dv)
    for dv in used:
        ws.add_data_validation(dv)


def _print_setup(ws: Worksheet, form: BieuMau, rows: _Rows, n: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait" if form.ngang == "khong" else "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_title_rows = f"{rows.header_first}:{rows.header_last}"
    ws.print_area = f"A1:{get_column_letter(n)}{rows.last}"
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = FONT
    ws.oddFooter.center.size = 10
    ws.sheet_view.showGridLines = False


def _ref(sheet: str, first_col: int, first_row: int, last_col: int, last_row: int) -> str:
    a = f"${get_column_letter(first_col)}${first_row}"
    b = f"${get_column_letter(last_col)}${last_row}"
    return f"{quote_sheetname(sheet)}!{a}" if a == b else f"{quote_sheetname(sheet)}!{a}:{b}"


def _stamp(
    wb: Workbook,
    form: BieuMau,
    *,
    sheet: str,
    kind: str,
    rows: _Rows,
    unit_col: int,
    caption: str,
    symbol: str,
) -> None:
    """The defined names and the hidden `_tetngheo` sheet."""
    n = len(form.leaves)
    refs = {
        NAME_UNIT: _ref(sheet, unit_col, rows.unit, unit_col, rows.unit) if rows.unit else "",
        NAME_DATA: _ref(sheet, 1, rows.data_first, n, rows.data_last)
        if rows.data_last >= rows.data_first
        else "",
        NAME_TOTAL: _ref(sheet, 1, rows.total, n, rows.total) if rows.total else "",
    }
    stamp = wb.create_sheet(STAMP_SHEET)
    facts: list[tuple[str, object]] = [
        ("ma", form.ma),
        ("phien_ban", int(form.phien_ban or 1)),
        ("loai", kind),
        ("tieu_de", form.tieu_de),
        ("van_ban", symbol),
        ("kem_theo", caption),
        ("cot", ",".join(c.kieu for c in form.leaves)),
        ("don_vi", refs[NAME_UNIT]),
        ("du_lieu", refs[NAME_DATA]),
        ("tong", refs[NAME_TOTAL]),
    ]
    for r, (key, value) in enumerate(facts, start=1):
        stamp.cell(row=r, column=1, value=key)
        cell = stamp.cell(row=r, column=2, value=value)
        if isinstance(value, str):
            cell.number_format = "@"
    stamp.column_dimensions["A"].width = 12
    stamp.column_dimensions["B"].width = 60
    stamp.sheet_state = "hidden"
    stamp.protection.sheet = True
    version = int(form.phien_ban or 1)
    names = {
        NAME_ID: f'"{form.ma}"',
        NAME_VERSION: str(version),
        NAME_KIND: f'"{kind}"',
        NAME_COLUMNS: '"' + ",".join(c.kieu for c in form.leaves) + '"',
        **{k: v for k, v in refs.items() if v},
    }
    for name, value in names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=value)


def _finish(wb: Workbook, form: BieuMau, year: int | None, title: str) -> bytes:
    created = datetime.combine(date(year, 1, 1) if year else _STAMP_CREATED, datetime.min.time())
    wb.properties.creator = "tetngheo_docs"
    wb.properties.created = created
    wb.properties.title = title
    wb.calculation.fullCalcOnLoad = True
    buf = io.BytesIO()
    wb.save(buf)
    core = package.CoreProperties(
        title=title,
        subject=form.ma,
        author="tetngheo_docs",
        created=created.date(),
    )
    # The same bytes whichever openpyxl version wrote them.
    return package.normalize(buf.getvalue(), core, app=True)


def _new(sheet: str) -> tuple[Workbook, Worksheet]:
    wb = Workbook()
    # The default font sets the unit of column widths: Times New Roman (or the metric-equal
    # Liberation Serif) everywhere, not Calibri, which LibreOffice replaces by wider fonts.
    default = _font()
    wb._fonts = IndexedList([default])  # type: ignore[attr-defined]
    wb._named_styles["Normal"].font = default  # type: ignore[attr-defined]
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    return wb, ws


def form_xlsx(
    form: BieuMau,
    *,
    caption: str,
    unit: str = "",
    place: str = "",
    year: int | None = None,
    symbol: str = "",
) -> bytes:
    """The form as a protected workbook for one unit to fill in (deterministic bytes).

    `caption` is the "(Kèm theo Công văn số …)" line; `unit` pre-fills the unit's name;
    `place` and `year` go on the date line above the signatures; `symbol` (the directive's
    number and symbol, e.g. "196-CV/BTGDUK") is recorded in the stamp sheet.
    """
    wb, ws = _new(SHEET)
    leaves = form.leaves
    label = form.label_column()
    if not form.dong:  # free rows: the main text column is the first required one
        label = next((i for i, c in enumerate(leaves) if c.kieu == "van_ban" and c.bat_buoc), label)
    widths = []
    for i, cot in enumerate(leaves):
        labels = (
            [d.label(label) for d in form.dong if d.is_data] if i == label and form.dong else []
        )
        mm = _natural_mm(cot, labels)
        if cot.kieu == "van_ban" and not cot.rong:
            mm = max(mm, _LABEL_MIN_MM if i == label else _TEXT_MIN_MM)
        widths.append(mm)
    caption = form.caption(caption)
    w = _Writer(form, ws, widths)
    w.headings(caption)
    unit_row, unit_col = w.unit_line(nfc_strip(unit))
    for line in form.han_nop:
        w.line(line, italic=True, align="left")
        w.row += 1
    w.row += 1
    for line in form.truoc_bang:
        w.line(line, align="left")
        w.row += 1
    header_first, header_last = w.header()
    data_first = w.row
    if form.dong:
        number = 0
        stt = any(c.kieu == "stt" for c in leaves)
        for d in form.dong:
            if d.muc:
                w.section_row(w.row, d.muc)
                w.row += 1
                continue
            if d.placeholder:
                w.input_row(w.row, numbered="…" if stt else "", placeholder=True)
            elif d.nhom:
                w.input_row(w.row, numbered=d.nhom if stt else "", label=d.ten, group=True)
            elif d.o:
                number += 1
                w.typed_row(w.row, d.o, number)
            else:
                number += 1
                w.input_row(w.row, numbered=str(number) if stt else "", label=d.ten)
            # Input rows keep the automatic height, so that the row grows as the unit types
            # (Excel fits only rows without a set height); a label on several lines needs
            # its height set, as Excel does not fit rows when it opens a file.
            lines = _wrap_lines(d.label(label), _mm(w.widths[label]), bold=bool(d.nhom))
            if lines > 1:
                w.ws.row_dimensions[w.row].height = _height(lines)
            w.row += 1
    else:
        for _ in range(int(form.dong_trong or 0)):
            w.input_row(w.row)
            w.row += 1
    data_last = w.row - 1
    total = w.total_row(data_first, data_last) if form.tong_cong else None
    w.words(None)
    w.notes(form.ghi_chu)
    w.signatures(place, year)
    rows = _Rows(unit_row, header_first, header_last, data_first, data_last, total, w.row - 1)
    _validations(ws, form, data_first, data_last)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # the unit may widen a column or a row
    ws.protection.formatRows = False
    if not form.dong:
        ws.protection.insertRows = False  # more activities than blank rows: insert a row
    _print_setup(ws, form, rows, len(leaves))
    ws.freeze_panes = ws.cell(row=header_last + 1, column=1).coordinate
    ws.sheet_view.selection[0].activeCell = ws.cell(row=unit_row, column=unit_col).coordinate
    ws.sheet_view.selection[0].sqref = ws.cell(row=unit_row, column=unit_col).coordinate
    _stamp(
        wb,
        form,
        sheet=SHEET,
        kind=KIND_RETURN,
        rows=rows,
        unit_col=unit_col,
        caption=caption,
        symbol=symbol,
    )
    return _finish(wb, form, year, text.upper_vn(form.tieu_de))


def summary_xlsx(
    form: BieuMau,
    rows: Sequence[Sequence[XlsxValue]],
    *,
    caption: str,
    place: str = "",
    year: int | None = None,
    symbol: str = "",
    ma: str = "",
    notes: Sequence[str] = (),
) -> bytes:
    """The biểu tổng hợp as a workbook: `rows` written as values (not input cells, no
    protection), Tổng cộng as ``=SUM()`` formulas, the form's print setup.

    `form` is the summary's own form (a "Đơn vị" column added, see `collect.summary_form`);
    `ma` is the id of the collected form, recorded so that a summary dropped among the
    returns is recognised.
    """
    wb, ws = _new(SUMMARY_SHEET)
    leaves = form.leaves
    shown: list[list[str]] = [[] for _ in leaves]
    for values in rows:
        for i, (cot, v) in enumerate(zip(leaves, values, strict=True)):
            if isinstance(v, bool) or v is None:
                continue
            if cot.kieu in SUMMED_KINDS and isinstance(v, int | float):
                shown[i].append(f"{round(v):,}")
            elif isinstance(v, date):
                shown[i].append("00/00/0000")
            else:
                shown[i].append(str(v))
    widths = [_natural_mm(c, shown[i]) for i, c in enumerate(leaves)]
    w = _Writer(form, ws, widths)
    w.headings(caption)
    w.row += 1
    header_first, header_last = w.header()
    data_first = w.row
    for number, values in enumerate(rows, start=1):
        w.value_row(w.row, values, number)
        longest = max(
            (
                _wrap_lines(str(v), _mm(w.widths[i]))
                for i, v in enumerate(values)
                if isinstance(v, str) and v
            ),
            default=1,
        )
        w.ws.row_dimensions[w.row].height = _height(longest) + 2
        w.row += 1
    data_last = w.row - 1
    total = w.total_row(data_first, data_last) if form.tong_cong else None
    column = form.words_column()
    if column is not None:
        figures = [v[column] for v in rows if isinstance(v[column], int | float)]
        w.words(round(sum(figures)) if figures else None)  # type: ignore[arg-type]
    w.notes([*form.ghi_chu, *notes])
    w.signatures(place, year)
    layout = _Rows(None, header_first, header_last, data_first, data_last, total, w.row - 1)
    _print_setup(ws, form, layout, len(leaves))
    ws.freeze_panes = ws.cell(row=header_last + 1, column=1).coordinate
    stamped = form.model_copy(update={"ma": ma or form.ma})
    _stamp(
        wb,
        stamped,
        sheet=SUMMARY_SHEET,
        kind=KIND_SUMMARY,
        rows=layout,
        unit_col=1,
        caption=caption,
        symbol=symbol,
    )
    return _finish(wb, form, year, text.upper_vn(form.tieu_de))


def nfc_strip(value: str) -> str:
    """NFC, no surrounding spaces, inner runs of spaces collapsed."""
    return " ".join(text.nfc(value).split())


def _typed_int(value: str) -> int | None:
    from tetngheo_docs.forms.docx import typed_int

    return typed_int(value)
