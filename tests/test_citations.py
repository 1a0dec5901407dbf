"""Cited documents: the Party, State and normative grammars, dates as offices write them,
located warnings, and the list `tetngheo check` shows."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT
from tetngheo_docs import citations
from tetngheo_docs.errors import Location, Severity

SEED_004 = ROOT / "directives" / "dang-uy-bqlkkt-kon-tum" / "cv-tuyen-truyen-thang-03-2024.yaml"
MONTHLY = ROOT / "directives" / "dang-uy-bqlkkt-kon-tum" / "hang-thang"


def _one(text: str, **kwargs: datetime.date) -> citations.Citation:
    (found,) = citations.parse(text, **kwargs)
    return found


@pytest.mark.parametrize(
    ("text", "loai", "so_ky_hieu", "system", "date"),
    [
        (
            "theo Kế hoạch số 01-KH/BCĐ, ngày 25/12/2023 của Ban Chỉ đạo",
            "Kế hoạch",
            "01-KH/BCĐ",
            "dang",
            datetime.date(2023, 12, 25),
        ),
        (
            "Nghị quyết số 18-NQ/TW, ngày 25-10-2017 của Ban Chấp hành Trung ương",
            "Nghị quyết",
            "18-NQ/TW",
            "dang",
            datetime.date(2017, 10, 25),
        ),
        (
            "Nghị quyết số 33-NQ/TW ngày 09-06-2014 của Ban Chấp hành",  # no comma
            "Nghị quyết",
            "33-NQ/TW",
            "dang",
            datetime.date(2014, 6, 9),
        ),
        (
            "(tại Văn bản số 92-CV/BTGĐUK, ngày 27 tháng 02 năm 2024)",
            "Văn bản",
            "92-CV/BTGĐUK",
            "dang",
            datetime.date(2024, 2, 27),
        ),
        (
            "(tại 2250-CV/BTGTU, ngày 26 tháng 02 năm 2024)",  # seed 004: no type name
            "",
            "2250-CV/BTGTU",
            "dang",
            datetime.date(2024, 2, 26),
        ),
        (
            "Chỉ thị số 08/CT-UBND, ngày 06-02-2024 của Ủy ban nhân dân tỉnh",
            "Chỉ thị",
            "08/CT-UBND",
            "nha_nuoc",
            datetime.date(2024, 2, 6),
        ),
        (
            "Công văn số 123/SVHTTDL-NVVH ngày 05/02/2024",
            "Công văn",
            "123/SVHTTDL-NVVH",
            "nha_nuoc",
            datetime.date(2024, 2, 5),
        ),
        (
            "Quyết định số 990/QĐ-TTg ban hành ngày 20.9.2004",
            "Quyết định",
            "990/QĐ-TTg",
            "nha_nuoc",
            datetime.date(2004, 9, 20),
        ),
        (
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ",
            "Nghị định",
            "30/2020/NĐ-CP",
            "qppl",
            datetime.date(2020, 3, 5),
        ),
        (
            "Nghị quyết số 24/2021/QH15 ngày 28/7/2021 của Quốc hội",
            "Nghị quyết",
            "24/2021/QH15",
            "qppl",
            datetime.date(2021, 7, 28),
        ),
        ("Hướng dẫn 36-HD/VPTW của Văn phòng Trung ương", "Hướng dẫn", "36-HD/VPTW", "dang", None),
    ],
)
def test_citations_of_both_grammars(
    text: str, loai: str, so_ky_hieu: str, system: str, date: datetime.date | None
) -> None:
    c = _one(text)
    assert (c.loai, c.so_ky_hieu, c.he_thong, c.ngay) == (loai, so_ky_hieu, system, date)
    assert c.problems == ()


def test_the_whole_citation_and_its_description() -> None:
    c = _one("Kế hoạch số 01-KH/BCĐ, ngày 25/12/2023 của Ban Chỉ đạo")
    assert c.text == "Kế hoạch số 01-KH/BCĐ, ngày 25/12/2023"
    assert c.describe() == "Kế hoạch số 01-KH/BCĐ, ngày 25/12/2023 (Đảng)"
    assert _one("Chỉ thị số 08/CT-UBND").describe() == "Chỉ thị số 08/CT-UBND (nhà nước)"


@pytest.mark.parametrize(
    "text",
    [
        "ngày 10/2/2024",
        "tháng 03-2024",
        "65 năm (03/3/1959 – 03/3/2024)",
        "phòng, chống COVID-19 năm 2021",
        "Ngày Quốc tế Phụ nữ (8/3)",
        "Tết Nguyên đán (1/1 âm lịch)",
        "số điện thoại 0260-3862-456",
    ],
)
def test_dates_and_other_numbers_are_not_citations(text: str) -> None:
    assert citations.parse(text) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "Kế hoạch số 01-NQ/BCĐ, ngày 25/12/2023",
            "ký hiệu NQ không khớp với tên loại 'Kế hoạch' (cần KH)",
        ),
        (
            "Nghị quyết số 18-NQ-TW, ngày 25-10-2017",
            "ký hiệu văn bản Đảng 'NQ-TW' phải có dạng LOẠI/CƠ QUAN với dấu '/', ví dụ CV/BTGDUK, "
            "KH/TU (dạng KH-UBND là ký hiệu văn bản nhà nước)",
        ),
        (
            "Chỉ thị số 08/CT/UBND, ngày 06-02-2024",
            "ký hiệu văn bản nhà nước 'CT/UBND' không được chứa dấu '/' (dấu '/' đã nằm giữa số và "
            "ký hiệu: Số: 05/UBND-VX); dạng LOẠI/CƠ QUAN là ký hiệu văn bản Đảng",
        ),
        (
            "Kết luận số 50-KL/TW, ngày 29-02-2023",
            "ngày không tồn tại: 29-02-2023 (tháng 2 năm 2023 chỉ có 28 ngày)",
        ),
        ("Kết luận số 50-KL/TW, ngày 28-13-2023", "ngày 28-13-2023: tháng 13 không tồn tại"),
        (
            "Nghị định số 30/2020/NĐ-CP ngày 05/3/2021",
            "ký hiệu ghi năm 2020 nhưng văn bản ngày 05/3/2021",
        ),
        (
            "Nghị định số 30/2020/NĐ ngày 05/3/2020",
            "ký hiệu văn bản quy phạm pháp luật '30/2020/NĐ' không đúng mẫu SỐ/NĂM/LOẠI-CƠ QUAN "
            "(ví dụ 30/2020/NĐ-CP, 20/2023/QH15)",
        ),
        ("Công văn số 0-CV/BTGTU", "số văn bản phải từ 1 trở lên"),
        (
            "Kế hoạch số 01-KH/BCĐ, ngày 25/12-2023",
            "ngày 25/12-2023 dùng hai dấu phân cách khác nhau; viết 25/12/2023 hoặc 25-12-2023",
        ),
    ],
)
def test_problems_of_a_citation(text: str, problem: str) -> None:
    assert _one(text).problems == (problem,)


def test_a_cited_date_after_the_directive_date() -> None:
    c = _one("Kế hoạch số 01-KH/BCĐ, ngày 25/12/2023", ngay=datetime.date(2023, 12, 20))
    assert c.problems == ("ngày 25/12/2023 sau ngày ban hành văn bản này (20/12/2023)",)


def test_issues_are_located_warnings() -> None:
    text = (
        "Thực hiện Kế hoạch số 01-KH/BCĐ, ngày 25/12/2023 và\n"
        "Kế hoạch số 02-NQ/BCĐ, ngày\n"
        "31-11-2023 của Ban Chỉ đạo."
    )
    found = citations.issues(text, Location("cv.yaml", 12, 3))
    assert [str(i) for i in found] == [
        "cv.yaml:13:15: noi_dung: cảnh báo: văn bản được dẫn 02-NQ/BCĐ: ký hiệu NQ không khớp "
        "với tên loại 'Kế hoạch' (cần KH)",
        "cv.yaml:13:15: noi_dung: cảnh báo: văn bản được dẫn 02-NQ/BCĐ: ngày không tồn tại: "
        "31-11-2023 (tháng 11 năm 2023 chỉ có 30 ngày)",
    ]
    assert all(i.severity is Severity.WARNING for i in found)


def test_report_lists_the_documents_a_directive_cites() -> None:
    lines = citations.report(SEED_004)
    assert lines[0].endswith(": dẫn 8 văn bản:")
    assert lines[1] == "  - Công văn số 2250-CV/BTGTU, ngày 26/02/2024 (Đảng) — dòng 17"
    assert "  - Nghị quyết số 18-NQ/TW, ngày 25/10/2017 (Đảng) — dòng 30, 33" in lines
    assert "  - Chỉ thị số 08/CT-UBND, ngày 06/02/2024 (nhà nước) — dòng 42" in lines


def test_directive_issues_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "cv.yaml"
    path.write_text(
        "ngay: 20/12/2023\n"
        "can_cu:\n"
        "  - Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2021\n"
        "noi_dung: |\n"
        "  Thực hiện Kế hoạch số 01-KH/BCĐ, ngày 25/12/2023.\n",
        encoding="utf-8",
    )
    found = [str(i).split(": ", 1)[1] for i in citations.directive_issues(path)]
    assert found == [
        "can_cu[0]: cảnh báo: văn bản được dẫn 30/2020/NĐ-CP: ký hiệu ghi năm 2020 nhưng văn bản "
        "ngày 05/3/2021",
        "noi_dung: cảnh báo: văn bản được dẫn 01-KH/BCĐ: ngày 25/12/2023 sau ngày ban hành văn bản "
        "này (20/12/2023)",
    ]
    assert [i.location.line for i in citations.directive_issues(path)] == [3, 5]


def test_no_warnings_on_the_worked_examples() -> None:
    files = [*EXAMPLES, *sorted(MONTHLY.glob("thang-*.yaml"))]
    assert {str(p): citations.directive_issues(p) for p in files} == {str(p): [] for p in files}
