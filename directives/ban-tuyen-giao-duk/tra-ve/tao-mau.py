#!/usr/bin/env python3
"""Tạo lại các biểu "đơn vị gửi về" trong thư mục này (ví dụ cho `tetngheo forms collect`).

Làm đúng như ngoài đời: Ban Tuyên giáo sinh tệp .xlsx cho từng đơn vị (như lệnh
`tetngheo forms xlsx … --don-vi ../don-vi.txt`), rồi mỗi đơn vị mở tệp và điền số liệu; ở
đây việc điền làm bằng openpyxl, tìm ô qua các tên TETNGHEO_DON_VI, TETNGHEO_DU_LIEU,
TETNGHEO_TONG. Số liệu là giả định:

- 6 đơn vị gửi biểu đúng (có đơn vị gõ số dạng chữ "12.500.000", "1 250 000"; một đơn vị
  dùng tệp trống, tự gõ tên đơn vị chữ thường, thừa dấu cách, và đổi tên tệp);
- Đảng ủy Sở Y tế gửi biểu có lỗi: gõ chữ "năm triệu" vào cột tiền và gõ đè một số sai lên
  ô Tổng cộng;
- Chi bộ Sở Tư pháp chưa gửi.

Chạy lại: `python directives/ban-tuyen-giao-duk/tra-ve/tao-mau.py` (cùng kết quả từng byte).
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from tetngheo_docs import api, context, package
from tetngheo_docs.forms import xlsx
from tetngheo_docs.vn.text import slug_ascii

HERE = Path(__file__).resolve().parent
DIRECTIVE = HERE.parent / "cv-196-tuan-cao-diem-tet-2024.yaml"

# (thời gian, tên hoạt động, tổng, vận động trong cơ quan, xã hội hóa, ngành dọc, ghi chú)
RETURNS: dict[str, list[tuple[object, ...]]] = {
    "Chi bộ Sở Tài chính": [
        (
            "22/01/2024",
            "Ủng hộ Quỹ “Vì người nghèo” tỉnh",
            18_500_000,
            18_500_000,
            None,
            None,
            None,
        ),
        (
            "30/01/2024",
            "Thăm, tặng 30 suất quà hộ nghèo xã Văn Lăng, huyện Đồng Hỷ",
            15_000_000,
            6_000_000,
            9_000_000,
            None,
            "Phối hợp Công đoàn cơ sở",
        ),
    ],
    "Chi bộ Sở Kế hoạch và Đầu tư": [
        (
            "25/01/2024",
            "Trao quà Tết cho hộ cận nghèo phường Tân Thịnh",
            "12.500.000",
            "7.500.000",
            "5.000.000",
            None,
            None,
        ),
    ],
    "Đảng ủy Sở Giáo dục và Đào tạo": [
        (
            "19/01/2024",
            "Ủng hộ Quỹ “Vì người nghèo” tỉnh",
            42_000_000,
            42_000_000,
            None,
            None,
            "Toàn ngành",
        ),
        (
            "26/01/2024",
            "Tặng quà học sinh nghèo vượt khó các trường vùng cao",
            36_000_000,
            None,
            36_000_000,
            None,
            None,
        ),
        (
            "02/02/2024",
            "Trao 25 suất quà Tết cho giáo viên có hoàn cảnh khó khăn",
            "1 250 000",
            "1 250 000",
            None,
            None,
            "Mỗi suất 50.000 đồng",
        ),
    ],
    "Chi bộ Văn phòng Đoàn ĐBQH và HĐND tỉnh": [
        (
            "29/01/2024",
            "Thăm, tặng quà gia đình chính sách xã Phú Đình, huyện Định Hóa",
            8_000_000,
            8_000_000,
            None,
            None,
            None,
        ),
    ],
    "Đảng ủy Cục Thuế tỉnh": [
        (
            "23/01/2024",
            "Ủng hộ Quỹ “Vì người nghèo” tỉnh",
            55_000_000,
            55_000_000,
            None,
            None,
            None,
        ),
        (
            "31/01/2024",
            "Trao 100 suất quà hộ nghèo huyện Võ Nhai",
            50_000_000,
            20_000_000,
            None,
            30_000_000,
            "Kinh phí Tổng cục Thuế giao",
        ),
    ],
}
# Gõ tay tên đơn vị vào tệp trống, chữ thường, thừa dấu cách; tệp đổi tên khi gửi.
HAND_TYPED = (
    "đảng ủy  bảo hiểm xã hội tỉnh",
    "bao-cao-bhxh-thai-nguyen.xlsx",
    [
        (
            "24/01/2024",
            "Thăm, tặng quà hộ nghèo xã Tức Tranh, huyện Phú Lương",
            20_000_000,
            20_000_000,
            None,
            None,
            None,
        ),
    ],
)
# Biểu có lỗi: chữ trong cột tiền (ô E8) và số gõ đè lên công thức Tổng cộng (ô C12).
BAD_UNIT = "Đảng ủy Sở Y tế"
BAD_ROWS = [
    (
        "20/01/2024",
        "Hiến máu tình nguyện, tặng quà bệnh nhân nghèo",
        25_000_000,
        10_000_000,
        15_000_000,
        None,
        None,
    ),
    (
        "27/01/2024",
        "Khám bệnh, cấp thuốc miễn phí xã Cúc Đường",
        9_000_000,
        4_000_000,
        "năm triệu",
        None,
        "Phối hợp Bệnh viện Đa khoa tỉnh",
    ),
]
BAD_TOTAL = 43_000_000  # gõ đè lên =SUM(C7:C11); tổng đúng là 34.000.000


def _cells(wb, name: str):
    ((sheet, ref),) = wb.defined_names[name].destinations
    cells = wb[sheet][ref.replace("$", "")]
    return cells if isinstance(cells, tuple) else ((cells,),)


def fill(
    blank: bytes,
    rows: list[tuple[object, ...]],
    *,
    unit: str | None = None,
    total: int | None = None,
) -> bytes:
    """What a unit does in Excel: type its name, its rows, and maybe over the total."""
    wb = load_workbook(io.BytesIO(blank))
    if unit is not None:
        _cells(wb, xlsx.NAME_UNIT)[0][0].value = unit
    for cells, values in zip(_cells(wb, xlsx.NAME_DATA), rows, strict=False):
        for cell, value in zip(cells, values, strict=True):
            cell.value = value
    if total is not None:
        _cells(wb, xlsx.NAME_TOTAL)[0][2].value = total
    out = io.BytesIO()
    wb.save(out)
    return package.normalize(
        out.getvalue(), package.CoreProperties(author="tetngheo_docs"), app=True
    )


def build() -> dict[str, bytes]:
    """The returned files, by name (a test checks the committed ones are up to date)."""
    loaded = api.load(DIRECTIVE)
    d = loaded.directive
    form = d.bieu_mau[0]
    caption = context.attachment_caption(d, loaded.profile)

    def blank(unit: str = "") -> bytes:
        return xlsx.form_xlsx(
            form,
            caption=caption,
            unit=unit,
            place=d.dia_danh,
            year=d.ngay.year,
            symbol="196-CV/BTGDUK",
        )

    files: dict[str, bytes] = {}
    for unit, rows in RETURNS.items():
        files[f"{form.ma}--{slug_ascii(unit)}.xlsx"] = fill(blank(unit), rows)
    typed, name, rows = HAND_TYPED
    files[name] = fill(blank(), rows, unit=typed)
    files[f"{form.ma}--{slug_ascii(BAD_UNIT)}.xlsx"] = fill(
        blank(BAD_UNIT), BAD_ROWS, total=BAD_TOTAL
    )
    return files


def main() -> None:
    files = build()
    for old in HERE.glob("*.xlsx"):
        if old.name not in files:
            old.unlink()
    for name, data in sorted(files.items()):
        (HERE / name).write_bytes(data)
        print(f"đã ghi {name} ({len(data):,} byte)")


if __name__ == "__main__":
    main()
