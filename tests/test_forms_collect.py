"""Collecting returned forms: round trip form → .xlsx → filled by units → collect → summary;
numbers written the Vietnamese way, bad files reported cell by cell, never a crash; the CLI."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.clirun import has_traceback, run_cli
from tests.conftest import ROOT
from tests.formfill import fill
from tetngheo_docs import api, context, package
from tetngheo_docs.errors import IssuesError
from tetngheo_docs.forms import collect, xlsx
from tetngheo_docs.forms.collect import Status
from tetngheo_docs.forms.model import BieuMau

FOLDER = ROOT / "directives" / "ban-tuyen-giao-duk"
EXAMPLE = FOLDER / "cv-196-tuan-cao-diem-tet-2024.yaml"
UNITS = ["Chi bộ Sở Tài chính", "Chi bộ Sở Tư pháp", "Đảng ủy Sở Y tế", "Đảng ủy Cục Thuế tỉnh"]

FIXED = BieuMau.model_validate(
    {
        "ma": "ket-qua-thang",
        "tieu_de": "Biểu kết quả",
        "cot": [
            {"ten": "STT", "kieu": "stt"},
            {"ten": "Nội dung", "kieu": "van_ban"},
            {"ten": "Số cuộc", "kieu": "so_nguyen", "bat_buoc": True},
            {"ten": "Kinh phí", "kieu": "tien"},
            {"ten": "Tỷ lệ", "kieu": "phan_tram"},
            {"ten": "Ngày", "kieu": "ngay"},
        ],
        "dong": [{"nhom": "I", "ten": "Tuyên truyền"}, {"ten": "Tin, bài"}, {"ten": "Pa nô"}],
    }
)


@cache
def example() -> tuple[BieuMau, str]:
    loaded = api.load(EXAMPLE)
    return loaded.directive.bieu_mau[0], context.attachment_caption(
        loaded.directive, loaded.profile
    )


@cache
def blank(unit: str = "", fixed: bool = False) -> bytes:
    form = FIXED if fixed else example()[0]
    return xlsx.form_xlsx(form, caption=example()[1], unit=unit, place="Thái Nguyên", year=2024)


def row(when: str, what: str, *money: object, note: object = None) -> tuple[object, ...]:
    """A row of the example form: time, activity, four money columns, note."""
    padded = [*money, *([None] * (4 - len(money)))]
    return (when, what, *padded, note)


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def problems(result: collect.CollectResult) -> list[str]:
    return [str(p) for p in result.errors]


# -------------------------------------------------------------------------- round trip


@pytest.fixture
def returns(tmp_path: Path) -> Path:
    """Three good returns, one bad, one unit silent (Chi bộ Sở Tư pháp)."""
    write(
        tmp_path,
        "tai-chinh.xlsx",
        fill(
            blank(UNITS[0]),
            [
                row("22/01/2024", "Ủng hộ Quỹ", 18_500_000, 18_500_000),
                row("30/01/2024", "Tặng quà", 15_000_000, 6_000_000, 9_000_000),
            ],
        ),
    )
    write(
        tmp_path,
        "cuc-thue.xlsx",
        fill(
            blank(),  # a blank form: the unit types its name, in its own way
            [row("23/01/2024", "Ủng hộ", "55.000.000", "1 000 000", "54000000")],
            unit="  đảng ủy cục  thuế tỉnh ",
        ),
    )
    write(
        tmp_path,
        "y-te.xlsx",
        fill(
            blank(UNITS[2]),
            [
                row("20/01/2024", "Hiến máu", 25_000_000, 10_000_000, 15_000_000),
                row("27/01/2024", "Khám bệnh", 9_000_000, 4_000_000, "abc"),
            ],
            total={2: 43_000_000},
        ),
    )
    return tmp_path


def test_round_trip(returns: Path) -> None:
    form, _ = example()
    result = collect.collect(returns, form, recipients=UNITS)
    status = {f.name: f.status for f in result.files}
    assert status == {
        "cuc-thue.xlsx": Status.VALID,
        "tai-chinh.xlsx": Status.VALID,
        "y-te.xlsx": Status.ERRORS,
    }
    assert [f.display_unit for f in result.valid] == [
        "Chi bộ Sở Tài chính",
        "Đảng ủy Cục Thuế tỉnh",
    ]
    assert result.missing == ["Chi bộ Sở Tư pháp"]
    # The bad unit, cell by cell.
    assert problems(result) == [
        "tệp y-te.xlsx, ô E8 (Nguồn xã hội hóa): 'abc' không phải số "
        "(ghi số như 1.234.567 hoặc 1234567)",
        "tệp y-te.xlsx, ô C12 (Tổng cộng – Tổng trị giá quyên góp, ủng hộ): 43.000.000 khác "
        "tổng các dòng (34.000.000); hãy sửa lại hoặc để công thức =SUM",
    ]
    # Totals equal the sums of the rows summed (the bad unit is not summed).
    rows = result.summary_rows()
    assert rows == [
        [
            "Chi bộ Sở Tài chính",
            "22/01/2024",
            "Ủng hộ Quỹ",
            18_500_000,
            18_500_000,
            None,
            None,
            None,
        ],
        [
            "Chi bộ Sở Tài chính",
            "30/01/2024",
            "Tặng quà",
            15_000_000,
            6_000_000,
            9_000_000,
            None,
            None,
        ],
        [
            "Đảng ủy Cục Thuế tỉnh",
            "23/01/2024",
            "Ủng hộ",
            55_000_000,
            1_000_000,
            54_000_000,
            None,
            None,
        ],
    ]
    assert result.totals() == [None, None, None, 88_500_000, 25_500_000, 63_000_000, 0, None]
    report = result.report_lines()
    assert report[-1] == ("Đã tổng hợp 2/4 đơn vị; 1 tệp có lỗi; 0 tệp bị loại; 1 đơn vị chưa gửi.")
    assert "Chưa gửi biểu (1): Chi bộ Sở Tư pháp" in report
    assert "- y-te.xlsx: có lỗi — Đảng ủy Sở Y tế: 2 lỗi, không đưa vào tổng hợp" in report


def test_parallel_reading_gives_the_same_result(returns: Path) -> None:
    form, _ = example()
    serial = collect.collect(returns, form, recipients=UNITS, workers=1)
    parallel = collect.collect(returns, form, recipients=UNITS, workers=2)
    assert parallel.files == serial.files
    assert parallel.report_lines() == serial.report_lines()


def test_summary_outputs(returns: Path) -> None:
    loaded = api.load(EXAMPLE)
    form = loaded.directive.bieu_mau[0]
    caption = context.attachment_caption(loaded.directive, loaded.profile)
    result = collect.collect(returns, form, recipients=UNITS)
    docx = result.summary_docx(
        loaded.profile, caption=caption, place="Thái Nguyên", when=date(2024, 1, 15)
    )
    assert docx == result.summary_docx(
        loaded.profile, caption=caption, place="Thái Nguyên", when=date(2024, 1, 15)
    )
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        body = zf.read("word/document.xml").decode()
    for expected in (
        "Đơn vị",
        "Đảng ủy Cục Thuế tỉnh",
        "88.500.000",
        "Tổng cộng",
        "Tổng hợp theo Công văn",
        "Chưa có số liệu: Chi bộ Sở Tư pháp; Đảng ủy Sở Y tế.",
    ):
        assert expected in body
    assert "Đảng ủy Sở Y tế</w:t></w:r></w:p></w:tc>" not in body  # not a row of the table
    data = result.summary_xlsx(caption=caption, year=2024)
    wb = load_workbook(io.BytesIO(data))
    ws = wb[xlsx.SUMMARY_SHEET]
    ((_, ref),) = wb.defined_names[xlsx.NAME_DATA].destinations
    assert [c.value for c in ws[ref.replace("$", "")][2]][:4] == [
        "Đảng ủy Cục Thuế tỉnh",
        "23/01/2024",
        "Ủng hộ",
        55_000_000,
    ]


def test_summary_dropped_among_returns_is_skipped(returns: Path) -> None:
    form, caption = example()
    first = collect.collect(returns, form, recipients=UNITS)
    write(returns, "tong-hop.xlsx", first.summary_xlsx(caption=caption, year=2024))
    again = collect.collect(returns, form, recipients=UNITS)
    skipped = next(f for f in again.files if f.name == "tong-hop.xlsx")
    assert skipped.status is Status.SKIPPED
    assert again.summary_rows() == first.summary_rows()


# ------------------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    "typed, expected",
    [
        (1_234_567, 1_234_567),
        (1_234_567.0, 1_234_567),
        ("1.234.567", 1_234_567),
        ("1 234 567", 1_234_567),
        ("1\u00a0234\u00a0567", 1_234_567),
        ("1234567", 1_234_567),
        (" 1.234.567 đ", 1_234_567),
        ("0", 0),
    ],
)
def test_vietnamese_numbers(tmp_path: Path, typed: object, expected: int) -> None:
    form, _ = example()
    write(tmp_path, "a.xlsx", fill(blank(UNITS[0]), [row("", "Ủng hộ", typed)]))
    (f,) = collect.collect(tmp_path, form).files
    assert f.status is Status.VALID, f.problems
    assert f.rows[0][2] == expected


@pytest.mark.parametrize(
    "typed, message",
    [
        ("abc", "'abc' không phải số (ghi số như 1.234.567 hoặc 1234567)"),
        ("1,5", "'1,5': không phải số nguyên: '1,5' (dấu ',' là dấu thập phân"),
        ("1.23", "'1.23': không phải số nguyên: '1.23' (sau mỗi dấu '.' phải có đúng 3 chữ số"),
        (-5, "'-5' là số âm; cột này chỉ nhận số không âm"),
        (1234.5, "'1234,5' có phần lẻ (tiền ghi đến đồng)"),
        ("#VALUE!", "ô báo lỗi #VALUE!"),
    ],
)
def test_bad_numbers_are_reported_by_cell(tmp_path: Path, typed: object, message: str) -> None:
    form, _ = example()
    write(tmp_path, "a.xlsx", fill(blank(UNITS[0]), [row("", "Ủng hộ", 1, typed)]))
    (f,) = collect.collect(tmp_path, form).files
    assert f.status is Status.ERRORS
    (problem,) = f.errors
    assert problem.cell == "D7" and problem.column.startswith("Nguồn vận động")
    assert problem.message.startswith(message)


def test_required_column_and_unit_name(tmp_path: Path) -> None:
    form, _ = example()
    write(tmp_path, "a.xlsx", fill(blank(), [row("22/01/2024", None, 5)]))
    (f,) = collect.collect(tmp_path, form).files
    assert [str(p) for p in f.errors] == [
        "tệp a.xlsx: chưa ghi tên đơn vị (ô B4)",
        "tệp a.xlsx, ô B7 (Tên hoạt động): cột bắt buộc, chưa ghi",
    ]


def test_totals(tmp_path: Path) -> None:
    form, _ = example()
    rows = [row("", "A", 1_000), row("", "B", "2.000")]
    # Typed over the formula, but right.
    write(tmp_path, "right.xlsx", fill(blank("Chi bộ A"), rows, total={2: 3_000}))
    # Excel's SUM skips numbers typed as text: its cached 1.000 is not the unit's mistake.
    write(tmp_path, "cached.xlsx", fill(blank("Chi bộ B"), rows, total={2: 1_000}))
    write(tmp_path, "text.xlsx", fill(blank("Chi bộ C"), rows, total={2: "3.000"}))
    write(tmp_path, "wrong.xlsx", fill(blank("Chi bộ D"), rows, total={2: "2.999"}))
    result = collect.collect(tmp_path, form)
    status = {f.name: f.status for f in result.files}
    assert status == {
        "cached.xlsx": Status.VALID,
        "right.xlsx": Status.VALID,
        "text.xlsx": Status.VALID,
        "wrong.xlsx": Status.ERRORS,
    }
    assert problems(result) == [
        "tệp wrong.xlsx, ô C12 (Tổng cộng – Tổng trị giá quyên góp, ủng hộ): 2.999 khác tổng "
        "các dòng (3.000); hãy sửa lại hoặc để công thức =SUM"
    ]


def test_empty_return_is_a_warning(tmp_path: Path) -> None:
    form, _ = example()
    write(tmp_path, "a.xlsx", fill(blank(UNITS[0])))
    result = collect.collect(tmp_path, form, recipients=UNITS[:1])
    (f,) = result.files
    assert f.status is Status.VALID and not f.rows
    assert [str(p) for p in f.warnings] == ["tệp a.xlsx: cảnh báo: biểu không có dòng số liệu nào"]
    assert result.summary_rows() == [["Chi bộ Sở Tài chính", *[None] * 7]]


# ------------------------------------------------------------------------------ fixed rows


def test_fixed_rows_percent_and_dates(tmp_path: Path) -> None:
    data = blank("Chi bộ Sở Tài chính", True)
    rows = [
        (),  # the group row
        (..., ..., 12, "1.500.000", "12,5%", "15/01/2024"),
        (..., ..., "3", 2_000_000, 100, date(2024, 1, 20)),
    ]
    write(tmp_path, "a.xlsx", fill(data, rows))
    write(
        tmp_path,
        "b.xlsx",
        fill(blank("Chi bộ Sở Tư pháp", True), [(), (..., ..., None, 5, 120, "31/02/2024")]),
    )
    result = collect.collect(tmp_path, FIXED)
    a, b = result.files
    assert a.status is Status.VALID, a.problems
    assert a.rows == [
        ["1", "Tin, bài", 12, 1_500_000, 12.5, date(2024, 1, 15)],
        ["2", "Pa nô", 3, 2_000_000, 100, date(2024, 1, 20)],
    ]
    assert [str(p) for p in b.errors] == [
        "tệp b.xlsx, ô E8 (Tỷ lệ): '120' ngoài khoảng 0–100%",
        "tệp b.xlsx, ô F8 (Ngày): ngày không tồn tại: 31/02/2024 (tháng 2 năm 2024 chỉ có 29 ngày)",
        "tệp b.xlsx, ô C8 (Số cuộc): cột bắt buộc, chưa ghi",
        "tệp b.xlsx, ô C9 (Số cuộc): cột bắt buộc, chưa ghi",
    ]
    # The summary: one row per unit × fixed row, the unit after STT.
    assert result.summary_rows()[0] == [
        "1",
        "Chi bộ Sở Tài chính",
        "Tin, bài",
        12,
        1_500_000,
        12.5,
        date(2024, 1, 15),
    ]
    assert collect.summary_form(FIXED).leaves[1].ten == "Đơn vị"


def test_fixed_row_label_changed(tmp_path: Path) -> None:
    rows = [(), (..., "Tin bài khác", 1), (..., ..., 2)]
    write(tmp_path, "a.xlsx", fill(blank("Chi bộ A", True), rows))
    (f,) = collect.collect(tmp_path, FIXED).files
    assert [str(p) for p in f.errors] == [
        "tệp a.xlsx, ô B8 (Nội dung): dòng 'Tin bài khác' khác mẫu ('Tin, bài')"
    ]


# ------------------------------------------------------------------- files rejected or odd


def test_wrong_form_and_version(tmp_path: Path) -> None:
    form, _ = example()
    write(tmp_path, "other.xlsx", fill(blank("Chi bộ A", True), []))
    newer = form.model_copy(update={"phien_ban": 2})
    write(tmp_path, "old.xlsx", fill(blank("Chi bộ B"), [row("", "A", 1)]))
    result = collect.collect(tmp_path, newer)
    notes = {f.name: (f.status, f.note) for f in result.files}
    assert notes == {
        "old.xlsx": (
            Status.REJECTED,
            "biểu 'tuan-cao-diem-tet-2024' phiên bản 1, mẫu hiện hành là phiên bản 2: "
            "đơn vị cần điền lại trên mẫu mới",
        ),
        "other.xlsx": (
            Status.REJECTED,
            "là biểu 'ket-qua-thang', không phải biểu 'tuan-cao-diem-tet-2024'",
        ),
    }
    assert not result.valid


def test_corrupt_and_foreign_files_are_rejected_never_crash(tmp_path: Path) -> None:
    import openpyxl

    form, _ = example()
    write(tmp_path, "hong.xlsx", b"PK\x03\x04 not really a zip")
    write(tmp_path, "bao-cao.pdf", b"%PDF-1.4")
    write(tmp_path, "cu.xls", b"\xd0\xcf\x11\xe0")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "xin chào")
    write(tmp_path, "zip.xlsx", buf.getvalue())
    plain = openpyxl.Workbook()
    plain.active["A1"] = "Đơn vị: Chi bộ Sở Tài chính"
    plain.save(tmp_path / "tu-lam.xlsx")
    good = blank(UNITS[0])
    write(tmp_path, "cut.xlsx", good[: len(good) // 2])
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    members = [
        (n, bomb + d[d.index(b"<worksheet") :] if n == "xl/worksheets/sheet1.xml" else d)
        for n, d in package.read_members(good)
    ]
    write(tmp_path, "bomb.xlsx", package.write_zip(members))
    write(tmp_path, "~$tai-chinh.xlsx", b"lock")
    write(tmp_path, ".DS_Store", b"")
    result = collect.collect(tmp_path, form)
    notes = {f.name: (str(f.status), f.note) for f in result.files}
    assert notes["hong.xlsx"][0] == "bị loại"
    assert notes["hong.xlsx"][1].startswith("tệp hỏng")
    assert notes["cut.xlsx"][1].startswith("tệp hỏng")
    assert notes["bomb.xlsx"][1] == (  # refused before openpyxl sees it (`ooxml_guard`)
        "tệp hỏng hoặc không an toàn: phần xl/worksheets/sheet1.xml: có khai báo DOCTYPE/ENTITY "
        "(tệp Word/Excel thật không bao giờ có; đây là dấu hiệu tấn công XML), bị từ chối"
    )
    assert notes["zip.xlsx"][1].startswith("tệp hỏng, không đọc được")
    assert notes["bao-cao.pdf"] == (
        "bị loại",
        "không phải tệp .xlsx (.pdf); hãy gửi biểu dạng .xlsx",
    )
    assert notes["cu.xls"][1].startswith("tệp Excel 97-2003 (.xls)")
    assert notes["tu-lam.xlsx"][1].startswith("không phải biểu mẫu tetngheo gửi đi")
    assert notes["~$tai-chinh.xlsx"][0] == "bỏ qua"
    assert ".DS_Store" not in notes
    assert result.report_lines()[-1] == (
        "Đã tổng hợp 0/0 đơn vị; 0 tệp có lỗi; 7 tệp bị loại; 1 tệp bỏ qua."
    )


def test_names_lost_falls_back_to_stamp_sheet(tmp_path: Path) -> None:
    form, _ = example()
    wb = load_workbook(io.BytesIO(fill(blank(UNITS[0]), [row("", "A", 7)])))
    for name in list(wb.defined_names):
        del wb.defined_names[name]
    wb.save(tmp_path / "a.xlsx")
    (f,) = collect.collect(tmp_path, form).files
    assert f.status is Status.VALID and f.unit == UNITS[0] and f.rows[0][2] == 7


# -------------------------------------------------------------------------------- units


def test_duplicate_unit(tmp_path: Path) -> None:
    form, _ = example()
    write(tmp_path, "a.xlsx", fill(blank(UNITS[0]), [row("", "A", 1)]))
    write(tmp_path, "b.xlsx", fill(blank(), [row("", "A", 2)], unit="CHI BỘ SỞ TÀI CHÍNH"))
    result = collect.collect(tmp_path, form, recipients=UNITS)
    assert [f.status for f in result.files] == [Status.ERRORS, Status.ERRORS]
    assert problems(result)[0] == (
        "tệp a.xlsx: đơn vị 'Chi bộ Sở Tài chính' có 2 tệp (a.xlsx, b.xlsx): "
        "giữ lại một tệp rồi tổng hợp lại"
    )
    assert "Chi bộ Sở Tài chính" not in result.missing  # it did send, twice


def test_unit_not_in_list_is_a_warning(tmp_path: Path) -> None:
    form, _ = example()
    write(tmp_path, "a.xlsx", fill(blank("Chi bộ Sở Tài chánh"), [row("", "A", 1)]))
    result = collect.collect(tmp_path, form, recipients=UNITS)
    (f,) = result.files
    assert f.status is Status.VALID
    assert [str(p) for p in f.warnings] == [
        "tệp a.xlsx: cảnh báo: đơn vị 'Chi bộ Sở Tài chánh' không có trong danh sách đơn vị; "
        "có phải 'Chi bộ Sở Tài chính'?"
    ]
    assert "Chi bộ Sở Tài chính" in result.missing
    assert result.report_lines()[-1].startswith(
        "Đã tổng hợp 1/4 đơn vị (có 1 đơn vị ngoài danh sách); 0 tệp có lỗi;"
    )


def test_read_unit_list(tmp_path: Path) -> None:
    txt = tmp_path / "don-vi.txt"
    txt.write_bytes("\ufeff# ghi chú\nChi bộ Sở Tài chính\n\n  Đảng ủy  Sở Y tế \n".encode())
    assert collect.read_unit_list(txt) == ["Chi bộ Sở Tài chính", "Đảng ủy Sở Y tế"]
    yml = tmp_path / "don-vi.yaml"
    yml.write_text("don_vi:\n  - Chi bộ Sở Tài chính\n  - Đảng ủy Sở Y tế\n", encoding="utf-8")
    assert collect.read_unit_list(yml) == ["Chi bộ Sở Tài chính", "Đảng ủy Sở Y tế"]
    txt.write_text("Chi bộ A\nchi bộ  a\n", encoding="utf-8")
    with pytest.raises(IssuesError) as err:
        collect.read_unit_list(txt)
    assert str(err.value.issues[0]).startswith(f"{txt}:2:1: ten: 'chi bộ a' trùng với dòng 1 ")
    # Read by the recipient-list reader: UTF-16 ("Unicode Text") is a unit list too.
    txt.write_bytes("Chi bộ Sở Tài chính\r\nĐảng ủy Sở Y tế\r\n".encode("utf-16"))
    assert collect.read_unit_list(txt) == ["Chi bộ Sở Tài chính", "Đảng ủy Sở Y tế"]


# ----------------------------------------------------------------------- worked example


def test_worked_example_folder() -> None:
    form, _ = example()
    units = collect.read_unit_list(FOLDER / "don-vi.txt")
    result = collect.collect(FOLDER / "tra-ve", form, recipients=units)
    assert len(units) == 8
    assert result.missing == ["Chi bộ Sở Tư pháp"]
    assert result.count(Status.VALID) == 6
    assert result.count(Status.SKIPPED) == 1  # tao-mau.py
    (bad,) = [f for f in result.files if f.status is Status.ERRORS]
    assert bad.display_unit == "Đảng ủy Sở Y tế"
    assert [p.cell for p in bad.errors] == ["E8", "C12"]
    assert result.totals()[3] == 258_250_000
    assert result.report_lines()[-1] == (
        "Đã tổng hợp 6/8 đơn vị; 1 tệp có lỗi; 0 tệp bị loại; 1 đơn vị chưa gửi; 1 tệp bỏ qua."
    )


def test_worked_example_files_are_up_to_date() -> None:
    import importlib.util

    script = FOLDER / "tra-ve" / "tao-mau.py"
    spec = importlib.util.spec_from_file_location("tao_mau", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build()
    committed = {p.name: p.read_bytes() for p in (FOLDER / "tra-ve").glob("*.xlsx")}
    stale = sorted(n for n in built.keys() | committed.keys() if built.get(n) != committed.get(n))
    assert not stale, f"chạy lại: python {script.relative_to(ROOT)}"


# ---------------------------------------------------------------------------------- CLI


_PREFIX = "tuan-cao-diem-tet-2024--"


def test_cli_xlsx_reads_unit_lists_as_issue_reads_recipients(tmp_path: Path) -> None:
    from tests.conftest import cp1258
    from tests.test_vn_encoding import tcvn3

    # The recipient list of `issue` (Excel CSV on Vietnamese Windows: Windows-1258, ';',
    # CRLF) makes one form per unit: none for the header line, none for a ','.
    units = tmp_path / "nguoi-nhan.csv"
    units.write_bytes(
        cp1258("ten;han_nop\r\nChi bộ Sở Tài chính;20/01\r\nĐảng ủy Sở Y tế;20/01\r\n")
    )
    result = run_cli("forms", "xlsx", EXAMPLE, "--out", tmp_path / "a", "--don-vi", units)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [
        f"{_PREFIX}chi-bo-so-tai-chinh.xlsx",
        f"{_PREFIX}dang-uy-so-y-te.xlsx",
    ]
    assert f"{units}:1:1: cảnh báo: tệp dùng bảng mã Windows-1258" in result.stderr
    # A list typed in Notepad with a .VnTime font, one unit per line, a note first.
    typed = tmp_path / "don-vi.txt"
    typed.write_bytes(tcvn3("# gửi tháng 1\r\nChi bộ Sở Tài chính\r\nĐảng ủy Sở Y tế\r\n"))
    result = run_cli("forms", "xlsx", EXAMPLE, "--out", tmp_path / "b", "--don-vi", typed)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [
        f"{_PREFIX}chi-bo-so-tai-chinh.xlsx",
        f"{_PREFIX}dang-uy-so-y-te.xlsx",
    ]


def test_cli_unit_list_duplicates_by_tone_placement(tmp_path: Path) -> None:
    units = tmp_path / "don-vi.txt"
    units.write_text("Đảng ủy Sở Y tế\nĐảng uỷ Sở Y tế\n", encoding="utf-8")
    result = run_cli("forms", "xlsx", EXAMPLE, "--out", tmp_path / "out", "--don-vi", units)
    assert result.exit_code == 1 and not has_traceback(result)
    assert (
        f"{units}:2:1: ten: 'Đảng uỷ Sở Y tế' trùng với dòng 1 (sau khi chuẩn hóa chữ "
        "hoa/thường, dấu cách, mã Unicode và vị trí dấu thanh như ủy/uỷ)"
    ) in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_xlsx_per_unit(tmp_path: Path) -> None:
    units = tmp_path / "don-vi.txt"
    units.write_text("Chi bộ Sở Tài chính\nĐảng ủy Sở Y tế\n", encoding="utf-8")
    result = run_cli("forms", "xlsx", EXAMPLE, "--out", tmp_path / "out", "--don-vi", units)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [
        "tuan-cao-diem-tet-2024--chi-bo-so-tai-chinh.xlsx",
        "tuan-cao-diem-tet-2024--dang-uy-so-y-te.xlsx",
    ]
    result = run_cli("forms", "xlsx", EXAMPLE, "--out", tmp_path / "blank")
    assert result.exit_code == 0
    assert [p.name for p in (tmp_path / "blank").iterdir()] == ["tuan-cao-diem-tet-2024.xlsx"]
    result = run_cli("forms", "xlsx", EXAMPLE, "--ma", "khong-co", "--out", tmp_path / "x")
    assert result.exit_code == 1 and not has_traceback(result)
    assert "không có biểu mẫu 'khong-co'; các biểu có: tuan-cao-diem-tet-2024" in result.stderr


def test_cli_collect_exit_codes(returns: Path, tmp_path: Path) -> None:
    units = tmp_path / "don-vi.txt"
    units.write_text("\n".join(UNITS), encoding="utf-8")
    out = tmp_path / "out"
    args = ["forms", "collect", returns, "--van-ban", EXAMPLE, "--don-vi", units, "--out", out]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    assert "ô E8 (Nguồn xã hội hóa): 'abc' không phải số" in result.stdout
    assert "Đã tổng hợp 2/4 đơn vị; 1 tệp có lỗi" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "tuan-cao-diem-tet-2024-tong-hop.docx",
        "tuan-cao-diem-tet-2024-tong-hop.xlsx",
    ]
    strict = run_cli(*args[:-1], tmp_path / "strict", "--strict")
    assert strict.exit_code == 1 and not has_traceback(strict)
    assert "--nghiem-ngat" in strict.stderr and not (tmp_path / "strict").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    none = run_cli("forms", "collect", empty, "--van-ban", EXAMPLE, "--out", tmp_path / "o2")
    assert none.exit_code == 1 and "Không có tệp hợp lệ nào" in none.stderr


def test_cli_collect_clean_folder_passes_strict(tmp_path: Path) -> None:
    folder = tmp_path / "tra-ve"
    folder.mkdir()
    write(folder, "a.xlsx", fill(blank(UNITS[0]), [row("", "A", 1)]))
    units = tmp_path / "don-vi.txt"
    units.write_text(UNITS[0], encoding="utf-8")
    result = run_cli(
        "forms",
        "collect",
        folder,
        "--van-ban",
        EXAMPLE,
        "--don-vi",
        units,
        "--out",
        tmp_path / "out",
        "--strict",
    )
    assert result.exit_code == 0, result.output
    assert "Mọi đơn vị trong danh sách đều đã gửi biểu." in result.stdout


def test_cli_help_is_vietnamese() -> None:
    result = run_cli("forms", "collect", "-h")
    assert result.exit_code == 0
    assert "--van-ban VĂN_BẢN" in result.output and "Cách dùng:" in result.output
