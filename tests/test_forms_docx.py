"""One table model for forms and phụ lục tables (issue 15, items 1–2): the .docx builder's
XML and text, the .xlsx builder on the same model, amounts in words."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests import formfill
from tetngheo_docs import api, context
from tetngheo_docs.forms import collect, xlsx
from tetngheo_docs.forms import docx as form_docx
from tetngheo_docs.forms.model import Bang, BieuMau
from tetngheo_docs.profiles import load as load_profile
from tetngheo_docs.vn import numbers
from tetngheo_docs.vn.metrics import text_width_mm

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "directives/so-ldtbxh-kon-tum/cv-2150-ra-soat-ho-ngheo-2024.yaml"
PROFILE = load_profile("nd30")
WHEN = date(2024, 11, 20)


@cache
def loaded() -> api.Loaded:
    return api.load(EXAMPLE)


def form() -> BieuMau:
    return loaded().directive.bieu_mau[0]


def section(f: BieuMau, caption: str = "(Kèm theo Công văn số 1/X-Y)") -> str:
    return form_docx.section_body(f, PROFILE, caption=caption, place="Kon Tum", when=WHEN)[1]


def rows_of(xml: str) -> list[str]:
    table = xml[xml.index("<w:tbl>") : xml.index("</w:tbl>")]
    return re.findall(r"<w:tr>.*?</w:tr>", table)


def texts(row: str) -> list[str]:
    return [
        "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", c))
        for c in re.findall(r"<w:tc>.*?</w:tc>", row)
    ]


def plain(xml: str) -> str:
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


# ------------------------------------------------------------------------ words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (15, "mười lăm"),
        (14, "mười bốn"),
        (11, "mười một"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (1_010, "một nghìn không trăm mười"),
        (1_024, "một nghìn không trăm hai mươi tư"),
        (1_005_000, "một triệu không trăm linh năm nghìn"),
        (1_000_005, "một triệu không trăm linh năm"),
        (1_200_000_000, "một tỷ hai trăm triệu"),
        (3_400_000_000_000, "ba nghìn bốn trăm tỷ"),
        (0, "không"),
    ],
)
def test_numbers_in_words(n: int, words: str) -> None:
    assert numbers.so_thanh_chu(n) == words


def test_amount_in_words() -> None:
    assert numbers.tien_bang_chu(1_200_000_000) == "Một tỷ hai trăm triệu đồng"
    assert numbers.so_thanh_chu(101, linh="lẻ") == "một trăm lẻ một"


# ------------------------------------------------------------------- header, rows


def test_three_level_header_with_spans() -> None:
    rows = rows_of(section(form()))
    assert all("<w:cantSplit/>" in r for r in rows)
    head = rows[:3]
    assert all("<w:tblHeader/>" in r for r in head)
    assert texts(head[0])[:5] == [
        "STT",
        "Đơn vị (xã, phường, thị trấn)",
        "Tổng số hộ dân cư",
        "Số hộ nghèo đầu năm",
        "Số hộ cận nghèo đầu năm",
    ]
    # "Số hộ nghèo đầu năm" (so_dong: 2) spans two columns and two rows.
    cell = re.findall(r"<w:tc>.*?</w:tc>", head[0])[3]
    assert '<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>' in cell
    assert "Hộ nghèo" in texts(head[1]) and "Kết quả rà soát cuối năm" not in texts(head[1])
    assert texts(head[2]).count("Số hộ") == 4 and texts(head[2]).count("Tỷ lệ %") == 4


def test_column_numbers_sections_placeholders_total() -> None:
    rows = rows_of(section(form()))
    assert texts(rows[3]) == ["A", "B", *map(str, range(1, 11))]
    assert "<w:tblHeader/>" in rows[3]
    assert texts(rows[4]) == ["I. Khu vực thành thị"]
    assert '<w:gridSpan w:val="12"/>' in rows[4]
    assert texts(rows[5])[:2] == ["1", "Phường, thị trấn A"]
    assert texts(rows[7])[:2] == ["…", "…"]
    assert texts(rows[9])[:2] == ["3", "Xã A"]  # numbering goes on across sections
    total = rows[-1]
    assert texts(total)[0] == "Tổng cộng" and '<w:gridSpan w:val="2"/>' in total
    # The last rows keep with the total; the rows above do not.
    # (the total row keeps with the signatures below it)
    assert [("<w:keepNext/>" in r) for r in rows[-4:]] == [False, True, True, True]


def test_total_label_and_column_numbers_configurable() -> None:
    f = form().model_copy(update={"tong_cong": "Cộng", "so_cot": "(1)"})
    rows = rows_of(section(f))
    assert texts(rows[-1])[0] == "Cộng"
    assert texts(rows[3])[:3] == ["(1)", "(2)", "(3)"]
    f = BieuMau.model_validate({**_spec(), "tong_cong": "không", "so_cot": "không"})
    rows = rows_of(section(f))
    assert "Tổng cộng" not in plain(rows[-1]) and not any(t == "(1)" for t in texts(rows[1]))


def _spec() -> dict[str, object]:
    return {
        "ma": "thu",
        "tieu_de": "Biểu thử",
        "cot": [
            {"ten": "STT", "kieu": "stt"},
            {"ten": "Nội dung"},
            {"ten": "Số tiền", "kieu": "tien"},
        ],
    }


# --------------------------------------------------------------- the form's parts


def test_caption_from_letter_free_or_none() -> None:
    assert "(Kèm theo Công văn số 1/X-Y)" in plain(section(form()))
    free = "(Kèm theo Thông tư số 21/2012/TT-BLĐTBXH ngày 05/9/2012)"
    f = BieuMau.model_validate({**_spec(), "kem_theo": free})
    assert free in plain(section(f)) and "Công văn số 1" not in plain(section(f))
    f = BieuMau.model_validate({**_spec(), "kem_theo": "không"})
    assert "Kèm theo" not in plain(section(f))


def test_unit_deadline_text_and_signers_are_optional() -> None:
    f = BieuMau.model_validate(
        {
            **_spec(),
            "don_vi": "không",
            "han_nop": ["Thời hạn gửi: trước ngày 10/12/2024"],
            "truoc_bang": "Số liệu tính đến ngày 30/11/2024.",
            "ghi_chu": ["Ghi chú: cột 3 ghi số tiền."],
            "ky": [
                "Người lập biểu",
                {"chuc_danh": "Kế toán"},
                {"chuc_danh": "Thủ trưởng đơn vị", "ghi_chu": "(Ký tên, đóng dấu)"},
            ],
        }
    )
    text = plain(section(f))
    assert "Đơn vị:" not in text
    assert text.index("Thời hạn gửi") < text.index("Số liệu tính đến") < text.index("STT")
    assert text.index("Tổng cộng") < text.index("Ghi chú: cột 3")
    assert "NGƯỜI LẬP BIỂUKẾ TOÁNTHỦ TRƯỞNG ĐƠN VỊ" in text
    assert "(Ký, ghi rõ họ tên)(Ký, ghi rõ họ tên)(Ký tên, đóng dấu)" in text
    none = BieuMau.model_validate({**_spec(), "ky": "không", "ngay_ky": "không"})
    text = plain(section(none))
    assert "NGƯỜI LẬP BIỂU" not in text and "ngày" not in text
    with pytest.raises(ValueError, match="nhiều nhất ba người ký"):
        BieuMau.model_validate({**_spec(), "ky": ["A", "B", "C", "D"]})


def test_words_line_blank_on_a_form() -> None:
    f = BieuMau.model_validate({**_spec(), "bang_chu": "3"})
    assert "Bằng chữ: ....." in plain(section(f))
    with pytest.raises(ValueError, match="bang_chu"):
        BieuMau.model_validate({**_spec(), "bang_chu": "2"})  # a text column


# ----------------------------------------------------------------------- widths


def test_widths_keep_header_words_whole_and_feed_the_label_column() -> None:
    f = form()
    lay = form_docx.layout(f, PROFILE)
    assert lay.landscape
    size = PROFILE.style("BangChu").size
    for cot, width in zip(f.leaves, lay.widths, strict=True):
        longest = max(text_width_mm(w, size, bold=True) for w in cot.ten.split())
        assert width >= longest + 2.0, cot.ten  # cell margins are 1 mm a side
    numbers_ = [w for c, w in zip(f.leaves, lay.widths, strict=True) if c.kieu == "so_nguyen"]
    label = lay.widths[f.label_column()]
    assert label > 2 * max(numbers_)
    page = PROFILE.page
    assert sum(lay.widths) == pytest.approx(
        page.height_mm - page.margin_left_mm - page.margin_right_mm
    )


def test_long_header_word_never_breaks_in_a_narrow_column() -> None:
    spec = _spec()
    spec["cot"] = [
        *spec["cot"],
        *({"ten": f"Chương trình {i}", "kieu": "so_nguyen"} for i in range(9)),
    ]  # type: ignore[misc]
    f = BieuMau.model_validate(spec)
    lay = form_docx.layout(f, PROFILE)
    word = text_width_mm("Chương", PROFILE.style("BangChu").size, bold=True)
    assert min(lay.widths[3:]) >= word + 2.0


# --------------------------------------------------------------------- phụ lục


def test_appendix_table_uses_the_same_model() -> None:
    annex = loaded().directive.phu_luc[0]
    assert isinstance(annex.bang[0], Bang)
    xml = str(context.attachments(loaded().directive, loaded().profile))
    start = xml.index("PHÂN BỔ KINH PHÍ")
    part = xml[start : xml.index("BIỂU TỔNG HỢP")]
    rows = rows_of(part)
    assert texts(rows[2]) == ["1", "2", "3", "4", "5", "6"]
    assert texts(rows[3]) == ["I. Thành phố"]
    assert texts(rows[4]) == [
        "1",
        "Thành phố Kon Tum",
        "21",
        "240.000.000",
        "180.000.000",
        "60.000.000",
    ]
    assert texts(rows[-1]) == ["Tổng cộng", "83", "1.160.000.000", "870.000.000", "290.000.000"]
    assert "Bằng chữ: Một tỷ một trăm sáu mươi triệu đồng" in plain(part)


def test_appendix_needs_text_or_table() -> None:
    from tetngheo_docs.model import PhuLuc

    with pytest.raises(ValueError, match="noi_dung hoặc bang"):
        PhuLuc.model_validate({"tieu_de": "X"})


def test_a_row_with_the_wrong_number_of_cells() -> None:
    with pytest.raises(ValueError, match="dòng 1 có 2 ô, bảng có 3 cột"):
        Bang.model_validate({"cot": _spec()["cot"], "dong": [["1", "A"]]})


# ------------------------------------------------------------------------ .xlsx


@cache
def workbook() -> bytes:
    caption = context.attachment_caption(loaded().directive, loaded().profile)
    return xlsx.form_xlsx(form(), caption=caption, place="Kon Tum", year=2024)


def test_xlsx_sections_placeholders_numbers_and_total() -> None:
    wb = load_workbook(io.BytesIO(workbook()))
    ws = wb[xlsx.SHEET]
    data = formfill.cells(wb, xlsx.NAME_DATA)
    assert len(data) == len(form().dong) == 8
    assert data[0][0].value == "I. Khu vực thành thị"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert f"A{data[0][0].row}:L{data[0][0].row}" in merged
    assert [c.value for c in data[3][:2]] == ["…", "…"] and data[3][2].protection.locked
    assert not data[1][2].protection.locked
    header_last = data[0][0].row - 1
    assert [ws.cell(row=header_last, column=k).value for k in (1, 2, 3)] == ["A", "B", "1"]
    total = formfill.cells(wb, xlsx.NAME_TOTAL)[0]
    first, last = data[0][0].row, data[-1][0].row
    assert total[0].value == "Tổng cộng"
    assert total[2].value == f"=SUM(C{first}:C{last})"
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "THỦ TRƯỞNG ĐƠN VỊ" in values and "(Ký tên, đóng dấu)" in values
    assert "Thời hạn gửi: trước ngày 10/12/2024 (bản giấy và tệp Excel)" in values


def test_xlsx_return_with_sections_is_collected(tmp_path: Path) -> None:
    rows = [
        [...],
        [..., ..., 1200, 30, 2.5],
        [..., ..., 800, 20, 2.5],
        [...],
        [...],
        [..., ..., 1500, 60, 4],
        [..., ..., 900, 45, 5],
        [...],
    ]
    path = tmp_path / "xa.xlsx"
    path.write_bytes(formfill.fill(workbook(), rows, unit="Phòng LĐTBXH huyện Đăk Hà"))
    result = collect.read_return(path, form())
    assert not result.errors, result.errors
    assert [r[1] for r in result.rows] == [
        "Phường, thị trấn A",
        "Phường, thị trấn B",
        "Xã A",
        "Xã B",
    ]
    assert result.totals[2] == 4400


def test_xlsx_words_cell_and_signers() -> None:
    f = BieuMau.model_validate(
        {**_spec(), "bang_chu": "3", "ky": ["Người lập biểu", "Kế toán", "Thủ trưởng đơn vị"]}
    )
    wb = load_workbook(io.BytesIO(xlsx.form_xlsx(f, caption="")))
    ws = wb[xlsx.SHEET]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Bằng chữ:" in values
    assert {"NGƯỜI LẬP BIỂU", "KẾ TOÁN", "THỦ TRƯỞNG ĐƠN VỊ"} <= set(values)


def test_docx_of_the_example_is_whole() -> None:
    # The rendered example opens as a zip with the form's section in landscape.
    xml = str(context.attachments(loaded().directive, loaded().profile))
    assert xml.count("landscape") >= 1
    assert zipfile.is_zipfile(io.BytesIO(workbook()))
