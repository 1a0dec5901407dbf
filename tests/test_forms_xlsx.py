"""The .xlsx of a form: layout as in the .docx, protection, validation, names, print setup,
deterministic bytes; and the summary workbook."""

from __future__ import annotations

import io
import zipfile
from functools import cache

import pytest
from openpyxl import load_workbook

from tests.conftest import ROOT
from tetngheo_docs import api, context
from tetngheo_docs.forms import xlsx
from tetngheo_docs.forms.model import BieuMau

EXAMPLE = ROOT / "directives" / "ban-tuyen-giao-duk" / "cv-196-tuan-cao-diem-tet-2024.yaml"
CAPTION = "(Kèm theo Kế hoạch số 12-KH/BTGDUK, ngày 05/3/2024 của Ban Tuyên giáo Đảng ủy Khối)"

GROUPED = BieuMau.model_validate(
    {
        "ma": "ket-qua-thang",
        "phien_ban": 2,
        "tieu_de": "Biểu kết quả",
        "tieu_de_phu": "công tác tuyên truyền và an sinh",
        "cot": [
            {"ten": "STT", "kieu": "stt"},
            {"ten": "Nội dung", "kieu": "van_ban"},
            {
                "ten": "Kết quả",
                "cot": [
                    {"ten": "Số cuộc", "kieu": "so_nguyen", "bat_buoc": True},
                    {
                        "ten": "Kinh phí",
                        "cot": [
                            {"ten": "Ngân sách", "kieu": "tien"},
                            {"ten": "Xã hội hóa", "kieu": "tien"},
                        ],
                    },
                ],
            },
            {"ten": "Tỷ lệ", "kieu": "phan_tram"},
            {"ten": "Ngày báo cáo", "kieu": "ngay"},
        ],
        "dong": [
            {"nhom": "I", "ten": "Tuyên truyền"},
            {"ten": "Tin, bài"},
            {"ten": "Pa nô, áp phích"},
            {"nhom": "II", "ten": "An sinh"},
            {"ten": "Thăm, tặng quà"},
        ],
        "ghi_chu": ["Ghi chú: số liệu tính đến ngày báo cáo."],
    }
)


@cache
def example() -> tuple[BieuMau, str]:
    loaded = api.load(EXAMPLE)
    return loaded.directive.bieu_mau[0], context.attachment_caption(
        loaded.directive, loaded.profile
    )


@cache
def grouped_bytes(unit: str = "") -> bytes:
    return xlsx.form_xlsx(GROUPED, caption=CAPTION, unit=unit, place="Thái Nguyên", year=2024)


def _open(data: bytes):
    return load_workbook(io.BytesIO(data))


def _dest(wb, name: str) -> tuple[str, str]:
    ((sheet, ref),) = wb.defined_names[name].destinations
    return sheet, ref.replace("$", "")


# ---------------------------------------------------------------------------- layout


def test_headers_and_merges_follow_header_cells() -> None:
    wb = _open(grouped_bytes())
    ws = wb[xlsx.SHEET]
    merged = {str(r) for r in ws.merged_cells.ranges}
    # Find the first header row: the row holding "STT".
    top = next(c.row for row in ws.iter_rows() for c in row if c.value == "STT")
    for level, cells in enumerate(GROUPED.header_cells()):
        for h in cells:
            cell = ws.cell(row=top + level, column=h.col + 1)
            assert cell.value == h.text
            assert cell.font.b and cell.alignment.horizontal == "center"
            if h.colspan > 1 or h.rowspan > 1:
                last = ws.cell(row=top + level + h.rowspan - 1, column=h.col + h.colspan)
                assert f"{cell.coordinate}:{last.coordinate}" in merged
    # The (1) (2) … row right under the headers, then the fixed rows.
    numbers_row = top + GROUPED.header_depth
    assert [ws.cell(numbers_row, c).value for c in range(1, 8)] == [f"({i})" for i in range(1, 8)]
    assert ws.cell(numbers_row + 1, 1).value == "I"
    assert ws.cell(numbers_row + 1, 2).value == "Tuyên truyền"
    assert ws.cell(numbers_row + 1, 2).font.b
    assert ws.cell(numbers_row + 2, 1).value == "1"
    assert ws.cell(numbers_row + 5, 1).value == "3"
    assert ws.cell(numbers_row + 5, 2).value == "Thăm, tặng quà"
    # Title in capitals, subtitle, caption; notes and signatures under the table.
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert texts[:3] == ["BIỂU KẾT QUẢ", "công tác tuyên truyền và an sinh", CAPTION]
    for expected in (
        "Ghi chú: số liệu tính đến ngày báo cáo.",
        "NGƯỜI LẬP BIỂU",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "(Ký, ghi rõ họ tên)",
    ):
        assert expected in texts
    assert any(t.startswith("Thái Nguyên, ngày") and t.endswith("năm 2024") for t in texts)


def test_widths_fit_headers_and_labels() -> None:
    wb = _open(grouped_bytes())
    ws = wb[xlsx.SHEET]
    widths = [ws.column_dimensions[letter].width for letter in "ABCDEFG"]
    assert widths[0] < widths[2] < widths[1]  # STT narrow, the labels widest
    assert all(w >= 4 for w in widths)


def test_total_row_sums_numeric_columns() -> None:
    wb = _open(grouped_bytes())
    sheet, ref = _dest(wb, xlsx.NAME_TOTAL)
    _, data = _dest(wb, xlsx.NAME_DATA)
    first, last = (int("".join(ch for ch in part if ch.isdigit())) for part in data.split(":"))
    row = wb[sheet][ref][0]
    # The label covers the STT and label columns, merged.
    assert row[0].value == "Tổng cộng" and f"A{row[0].row}:B{row[0].row}" in {
        str(r) for r in wb[sheet].merged_cells.ranges
    }
    assert row[2].value == f"=SUM(C{first}:C{last})"
    assert row[3].value == f"=SUM(D{first}:D{last})"
    assert row[4].value == f"=SUM(E{first}:E{last})"
    assert row[5].value is None and row[6].value is None  # no sum of percentages or dates
    assert row[3].number_format == "#,##0"


# ------------------------------------------------------------------ protection, validation


def test_only_unit_and_input_cells_are_unlocked() -> None:
    wb = _open(grouped_bytes())
    ws = wb[xlsx.SHEET]
    assert ws.protection.sheet and not ws.protection.password
    _, unit = _dest(wb, xlsx.NAME_UNIT)
    assert ws[unit].protection.locked is False
    _, data = _dest(wb, xlsx.NAME_DATA)
    rows = ws[data]
    group, plain = rows[0], rows[1]
    assert all(c.protection.locked for c in group)  # a group row is a heading
    assert plain[0].protection.locked and plain[1].protection.locked  # STT and label fixed
    assert not any(c.protection.locked for c in plain[2:])
    _, total = _dest(wb, xlsx.NAME_TOTAL)
    assert all(c.protection.locked for c in ws[total][0])
    headers = [c for row in ws.iter_rows(max_row=rows[0][0].row - 1) for c in row]
    unlocked = [c for c in headers if not c.protection.locked]
    assert {c.row for c in unlocked} == {ws[unit].row}  # the unit cell and its merged range
    assert min(c.column for c in unlocked) == ws[unit].column


def test_free_rows_may_be_inserted() -> None:
    form, caption = example()
    wb = _open(xlsx.form_xlsx(form, caption=caption))
    ws = wb[xlsx.SHEET]
    assert ws.protection.insertRows is False  # False = allowed
    _, data = _dest(wb, xlsx.NAME_DATA)
    assert len(ws[data]) == 5
    assert not any(c.protection.locked for row in ws[data] for c in row)


def test_numeric_cells_carry_validation() -> None:
    wb = _open(grouped_bytes())
    ws = wb[xlsx.SHEET]
    _, data = _dest(wb, xlsx.NAME_DATA)
    first = ws[data][0][0].row
    last = ws[data][-1][0].row
    by_type = {dv.type: dv for dv in ws.data_validations.dataValidation}
    whole = by_type["whole"]
    assert whole.operator == "greaterThanOrEqual" and whole.formula1 == "0"
    assert whole.showErrorMessage and "số nguyên" in whole.error
    # A unit may leave a cell empty: every validation allows blanks (openpyxl < 3.1.3 wrote
    # allowBlank="0" whatever was asked, and Excel then refused an emptied cell).
    assert all(dv.allow_blank for dv in ws.data_validations.dataValidation)
    with zipfile.ZipFile(io.BytesIO(grouped_bytes())) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    assert b'allowBlank="0"' not in sheet and b'allowBlank="1"' in sheet
    assert {str(r) for r in whole.sqref.ranges} == {
        f"C{first}:C{last}",
        f"D{first}:D{last}",
        f"E{first}:E{last}",
    }
    percent = by_type["decimal"]
    assert (percent.formula1, percent.formula2) == ("0", "100")
    assert {str(r) for r in percent.sqref.ranges} == {f"F{first}:F{last}"}
    assert {str(r) for r in by_type["date"].sqref.ranges} == {f"G{first}:G{last}"}
    assert ws[f"D{first + 1}"].number_format == "#,##0"
    assert ws[f"G{first + 1}"].number_format == "dd/mm/yyyy"


# ------------------------------------------------------------------ names, stamp, print


def test_defined_names_and_stamp() -> None:
    wb = _open(grouped_bytes())
    names = {k: v.attr_text for k, v in wb.defined_names.items()}
    assert names[xlsx.NAME_ID] == '"ket-qua-thang"'
    assert names[xlsx.NAME_VERSION] == "2"
    assert names[xlsx.NAME_KIND] == f'"{xlsx.KIND_RETURN}"'
    for name in (xlsx.NAME_UNIT, xlsx.NAME_DATA, xlsx.NAME_TOTAL):
        assert names[name].startswith("'Biểu mẫu'!$")
    stamp = wb[xlsx.STAMP_SHEET]
    assert stamp.sheet_state == "hidden"
    facts = {r[0]: r[1] for r in stamp.iter_rows(values_only=True)}
    assert facts["ma"] == "ket-qua-thang" and facts["phien_ban"] == 2
    assert facts["kem_theo"] == CAPTION
    assert facts["cot"] == "stt,van_ban,so_nguyen,tien,tien,phan_tram,ngay"
    assert facts["du_lieu"] == names[xlsx.NAME_DATA]


def test_print_setup() -> None:
    wb = _open(grouped_bytes())
    ws = wb[xlsx.SHEET]
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0)
    top = next(c.row for row in ws.iter_rows() for c in row if c.value == "STT")
    assert ws.print_title_rows == f"${top}:${top + GROUPED.header_depth}"


def test_unit_prefilled() -> None:
    wb = _open(grouped_bytes("Chi bộ  Sở Tư pháp "))
    _, unit = _dest(wb, xlsx.NAME_UNIT)
    assert wb[xlsx.SHEET][unit].value == "Chi bộ Sở Tư pháp"


def test_same_input_same_bytes() -> None:
    form, caption = example()
    one = xlsx.form_xlsx(form, caption=caption, unit="Chi bộ Sở Tài chính", year=2024)
    two = xlsx.form_xlsx(form, caption=caption, unit="Chi bộ Sở Tài chính", year=2024)
    assert one == two
    assert one != xlsx.form_xlsx(form, caption=caption, unit="Chi bộ Sở Tư pháp", year=2024)
    with zipfile.ZipFile(io.BytesIO(one)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2024-01-01T00:00:00Z" in zf.read("docProps/core.xml")
        # Not the writing library's name and version: the bytes must not depend on them.
        assert b"<Application>tetngheo_docs</Application>" in zf.read("docProps/app.xml")


@pytest.mark.parametrize("place, year", [("", None), ("Kon Tum", None), ("", 2025)])
def test_date_line_without_place_or_year(place: str, year: int | None) -> None:
    data = xlsx.form_xlsx(GROUPED, caption="", place=place, year=year)
    assert data == xlsx.form_xlsx(GROUPED, caption="", place=place, year=year)
    ws = _open(data)[xlsx.SHEET]
    dated = [c.value for row in ws.iter_rows() for c in row if "tháng" in str(c.value or "")]
    assert len(dated) == 1
    assert dated[0].startswith(f"{place or '...'}")
    assert dated[0].endswith(f"năm {year or '......'}")


# -------------------------------------------------------------------------- summary


def test_summary_workbook_holds_values_and_sum_formulas() -> None:
    from tetngheo_docs.forms.collect import summary_form

    form, caption = example()
    derived = summary_form(form)
    rows = [
        ["Chi bộ Sở Tài chính", "22/01/2024", "Ủng hộ Quỹ", 18_500_000, 18_500_000, None, None, ""],
        ["Đảng ủy Sở Y tế", "27/01/2024", "Khám bệnh", 9_000_000, 4_000_000, 5_000_000, None, ""],
    ]
    data = xlsx.summary_xlsx(derived, rows, caption=caption, year=2024, ma=form.ma)
    assert data == xlsx.summary_xlsx(derived, rows, caption=caption, year=2024, ma=form.ma)
    wb = _open(data)
    ws = wb[xlsx.SUMMARY_SHEET]
    assert not ws.protection.sheet
    _, ref = _dest(wb, xlsx.NAME_DATA)
    got = [[c.value for c in row] for row in ws[ref]]
    assert got == [[v if v != "" else None for v in r] for r in rows]
    _, total = _dest(wb, xlsx.NAME_TOTAL)
    first = ws[ref][0][0].row
    assert ws[total][0][0].value == "Tổng cộng"
    assert ws[total][0][3].value == f"=SUM(D{first}:D{first + 1})"
    assert wb.defined_names[xlsx.NAME_KIND].attr_text == f'"{xlsx.KIND_SUMMARY}"'
    assert wb.defined_names[xlsx.NAME_ID].attr_text == f'"{form.ma}"'


def test_text_starting_with_equals_stays_text() -> None:
    """A unit's activity named '=HYPERLINK(…)' is text in the summary, never a formula."""
    from tetngheo_docs.forms.collect import summary_form

    form, caption = example()
    typed = '=HYPERLINK("http://x.invalid","bấm vào đây")'
    rows = [["=1+1", None, typed, 5, None, None, None, "@SUM(A1)"]]
    data = xlsx.summary_xlsx(summary_form(form), rows, caption=caption, year=2024)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet.replace("<f>SUM(", "")  # the only formulas are the totals
    ws = _open(data)[xlsx.SUMMARY_SHEET]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert typed in values and "=1+1" in values
