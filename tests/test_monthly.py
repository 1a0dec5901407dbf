"""Monthly propaganda directives: the anniversary calendar, its year arithmetic (29 February,
centuries, round years, lunar dates), the seed-004 anniversaries exactly, carrying tasks
forward, and the worked example (March 2024 → April 2024) rendering and passing lint."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from tests.clirun import has_traceback, run_cli
from tests.conftest import ROOT
from tetngheo_docs import api, lint, placeholders
from tetngheo_docs.errors import DirectiveError, Location, TetngheoError
from tetngheo_docs.monthly import amlich, new
from tetngheo_docs.monthly import calendar as lich
from tetngheo_docs.register import DEFAULT_FILE, Register, Scope
from tetngheo_docs.source import load_yaml_text

OFFICE = ROOT / "directives" / "dang-uy-bqlkkt-kon-tum"
MONTHLY = OFFICE / "hang-thang"
LOCAL = MONTHLY / lich.LOCAL_FILE
SEED_004 = OFFICE / "cv-tuyen-truyen-thang-03-2024.yaml"

#: Seed 004's anniversaries sentence, in the one date style of the program (the seed itself
#: writes "(03-3-1989 - 03/3/2024)" and "Giải phòng"; see the data file's comments).
SEED_004_ANNIVERSARIES = (
    "Tuyên truyền các ngày kỷ niệm trong tháng 03-2024, gồm: 65 năm Ngày truyền thống Bộ đội "
    "Biên phòng (03/3/1959 – 03/3/2024) và 35 năm Ngày Biên phòng toàn dân (03/3/1989 – "
    "03/3/2024); Ngày Quốc tế Phụ nữ (8/3); 49 năm Ngày Giải phóng tỉnh Kon Tum (16/3/1975 – "
    "16/3/2024); 93 năm Ngày thành lập Đoàn TNCS Hồ Chí Minh (26/3/1931 – 26/3/2024) và Tháng "
    "Thanh niên năm 2024. Tiếp tục đẩy mạnh tuyên truyền các hoạt động hướng tới 70 năm Chiến "
    "thắng Điện Biên Phủ (07/5/1954 – 07/5/2024)."
)


def _flat(text: str) -> str:
    """A draft with its wrapped comments joined back into one line each."""
    return text.replace("\n#     ", " ").replace("\n#   ", " ")


def _calendar(body: str, label: str = "ngay-ky-niem.yaml") -> lich.Calendar:
    """The shipped calendar plus one office file given as text."""
    src = load_yaml_text("phien_ban: 1\nngay_ky_niem:\n" + body, label=label)
    entries, issues = lich.parse(src)
    assert [i for i in issues if i.is_error] == []
    shipped, _ = lich.load()
    merged = {e.ma: e for e in shipped.entries}
    for ma, entry in entries:
        if entry is None:
            merged.pop(ma, None)
        else:
            merged[ma] = entry
    return lich.Calendar(tuple(merged.values()))


def _only(body: str) -> lich.Calendar:
    """A calendar holding just the entries of `body`."""
    src = load_yaml_text("phien_ban: 1\nngay_ky_niem:\n" + body, label="t.yaml")
    entries, issues = lich.parse(src)
    assert [i for i in issues if i.is_error] == []
    return lich.Calendar(tuple(e for _, e in entries if e is not None))


@pytest.fixture(scope="module")
def kon_tum() -> lich.Calendar:
    cal, warnings = lich.load([LOCAL])
    assert warnings == []
    return cal


# --------------------------------------------------------------------------- formatting, arithmetic


def test_dates_are_written_as_nd30_writes_them() -> None:
    assert lich.ngay_day_du(datetime.date(1959, 3, 3)) == "03/3/1959"
    assert lich.ngay_day_du(datetime.date(1930, 2, 3)) == "03/02/1930"
    assert lich.ngay_day_du(datetime.date(1944, 12, 22)) == "22/12/1944"
    assert lich.ngay_day_du(datetime.date(1946, 1, 6)) == "06/01/1946"
    assert lich.ngay_gon(8, 3) == "8/3"
    assert lich.khoang(datetime.date(1954, 5, 7), datetime.date(2024, 5, 7)) == (
        "(07/5/1954 – 07/5/2024)"
    )


@pytest.mark.parametrize(
    ("years", "milestone"),
    [(65, "chẵn"), (70, "tròn"), (100, "tròn"), (49, ""), (5, "chẵn"), (0, ""), (None, "")],
)
def test_round_years(years: int | None, milestone: str) -> None:
    assert lich.moc(years) == milestone


def test_year_arithmetic_across_the_calendar(kon_tum: lich.Calendar) -> None:
    def phrase(ma: str, year: int) -> str:
        entry = kon_tum.get(ma)
        assert entry is not None
        occ = entry.in_year(year)
        assert occ is not None
        return occ.phrase()

    assert phrase("sinh-nhat-bac", 2024) == (
        "134 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890 – 19/5/2024)"
    )
    assert phrase("thanh-lap-dang", 2030) == (
        "100 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2030)"
    )
    assert phrase("bao-chi-cach-mang", 2025) == (
        "100 năm Ngày Báo chí cách mạng Việt Nam (21/6/1925 – 21/6/2025)"
    )
    assert phrase("quan-doi-nhan-dan", 2024) == (
        "80 năm Ngày thành lập Quân đội nhân dân Việt Nam (22/12/1944 – 22/12/2024)"
    )
    assert phrase("tong-tuyen-cu", 2101) == (
        "155 năm Ngày Tổng tuyển cử đầu tiên bầu Quốc hội Việt Nam (06/01/1946 – 06/01/2101)"
    )
    doanh_nhan = kon_tum.get("doanh-nhan")
    assert doanh_nhan is not None
    assert doanh_nhan.in_year(2003) is None  # before the first year: no anniversary
    first = doanh_nhan.in_year(2004)
    assert first is not None and first.so_nam == 0
    assert first.phrase() == "Ngày Doanh nhân Việt Nam (13/10/2004)"  # no "0 năm"


def test_a_29_february_founding_in_common_and_leap_years() -> None:
    cal = _only(
        "  - {ma: x, ngay: 29/2, nam_dau: 2000, loai: thanh_lap, ten: Ngày X, nguon: thử}\n"
    )
    (entry,) = cal.entries
    leap = entry.in_year(2024)
    common = entry.in_year(2023)
    century = entry.in_year(2100)  # 2100 is not a leap year (divisible by 100, not 400)
    assert leap is not None and common is not None and century is not None
    assert leap.phrase() == "24 năm Ngày X (29/02/2000 – 29/02/2024)"
    assert common.phrase() == "23 năm Ngày X (29/02/2000 – 28/02/2023)"
    assert century.ngay == datetime.date(2100, 2, 28) and century.moc == "tròn"
    assert [o.entry.ma for o in cal.in_month(2023, 2)] == ["x"]
    assert cal.in_month(2023, 3) == []


def test_29_february_of_a_common_year_is_refused() -> None:
    # 1900 is divisible by 100 and not by 400: no 29 February.
    src = load_yaml_text(
        "ngay_ky_niem:\n  - {ma: x, ngay: 29/2, nam_dau: 1900, loai: le, ten: X, nguon: thử}\n",
        label="nk.yaml",
    )
    _, issues = lich.parse(src)
    assert [str(i) for i in issues] == [
        "nk.yaml:2:19: ngay_ky_niem[0].ngay: ngày không tồn tại: 29/2 năm 1900"
    ]


# --------------------------------------------------------------------------- seed 004


def test_seed_004_anniversaries_exactly(kon_tum: lich.Calendar) -> None:
    text = lich.doan_ky_niem(kon_tum, 2024, 3, label="03-2024")
    assert text == SEED_004_ANNIVERSARIES
    phrases = [o.phrase() for o in kon_tum.in_month(2024, 3)]
    assert phrases == [
        "65 năm Ngày truyền thống Bộ đội Biên phòng (03/3/1959 – 03/3/2024)",
        "35 năm Ngày Biên phòng toàn dân (03/3/1989 – 03/3/2024)",
        "Ngày Quốc tế Phụ nữ (8/3)",
        "49 năm Ngày Giải phóng tỉnh Kon Tum (16/3/1975 – 16/3/2024)",
        "93 năm Ngày thành lập Đoàn TNCS Hồ Chí Minh (26/3/1931 – 26/3/2024)",
    ]
    assert [o.moc for o in kon_tum.in_month(2024, 3)] == ["chẵn", "chẵn", "", "", ""]
    (ahead,) = kon_tum.upcoming(2024, 3)
    assert ahead.phrase() == "70 năm Chiến thắng Điện Biên Phủ (07/5/1954 – 07/5/2024)"
    assert ahead.moc == "tròn"


def test_without_the_office_file_the_province_day_is_absent() -> None:
    cal, _ = lich.load()
    assert "Kon Tum" not in lich.doan_ky_niem(cal, 2024, 3, label="03-2024")


def test_upcoming_round_anniversaries() -> None:
    cal, _ = lich.load()
    assert [o.phrase() for o in cal.upcoming(2024, 10)] == [
        "80 năm Ngày thành lập Quân đội nhân dân Việt Nam (22/12/1944 – 22/12/2024)"
    ]
    # 95 years of the Trade Union (a "chẵn" year, not a major holiday) is not announced ahead.
    assert cal.upcoming(2024, 5, 3) == []
    assert lich.doan_ky_niem(cal, 2024, 3, label="03-2024", ahead=0).endswith("năm 2024.")


def test_office_file_replaces_and_removes_shipped_days() -> None:
    cal = _calendar(
        "  - ma: quoc-te-phu-nu\n    ngay: 08/3\n    nam_dau: 1910\n    loai: quoc_te\n"
        "    ten: Ngày Quốc tế Phụ nữ\n    nguon: Hội nghị Copenhagen 1910\n"
        "  - {ma: thanh-lap-doan, bo: có}\n"
    )
    phrases = [o.phrase() for o in cal.in_month(2024, 3)]
    assert "114 năm Ngày Quốc tế Phụ nữ (08/3/1910 – 08/3/2024)" in phrases
    assert not any("Đoàn" in p for p in phrases)


# --------------------------------------------------------------------------- the lunar calendar


@pytest.mark.parametrize(
    ("year", "tet", "gio_to"),
    [
        (2023, datetime.date(2023, 1, 22), datetime.date(2023, 4, 29)),  # after a leap 2nd month
        (2024, datetime.date(2024, 2, 10), datetime.date(2024, 4, 18)),
        (2025, datetime.date(2025, 1, 29), datetime.date(2025, 4, 7)),
    ],
)
def test_lunar_holidays(year: int, tet: datetime.date, gio_to: datetime.date) -> None:
    assert amlich.am_sang_duong(1, 1, year) == tet
    assert amlich.am_sang_duong(10, 3, year) == gio_to


def test_lunar_round_trip_and_leap_months() -> None:
    assert amlich.duong_sang_am(datetime.date(2023, 3, 22)) == (1, 2, 2023, True)
    assert amlich.am_sang_duong(1, 2, 2023, leap=True) == datetime.date(2023, 3, 22)
    with pytest.raises(ValueError, match="không có tháng 3 nhuận"):
        amlich.am_sang_duong(1, 3, 2023, leap=True)
    with pytest.raises(ValueError, match="không có tháng nhuận"):
        amlich.am_sang_duong(1, 3, 2024, leap=True)
    d = datetime.date(2024, 1, 1)
    while d.year == 2024:
        day, month, year, leap = amlich.duong_sang_am(d)
        assert amlich.am_sang_duong(day, month, year, leap) == d
        d += datetime.timedelta(days=5)
    assert amlich.can_chi(2024) == "Giáp Thìn" and amlich.can_chi(1975) == "Ất Mão"


def test_lunar_commemorations_in_the_calendar() -> None:
    cal, _ = lich.load()
    april = [o.phrase() for o in cal.in_month(2024, 4)]
    assert april[0] == "Giỗ Tổ Hùng Vương (10/3 âm lịch, ngày 18/4/2024)"
    assert "Tết Nguyên đán Giáp Thìn (1/1 âm lịch, ngày 10/02/2024)" in [
        o.phrase() for o in cal.in_month(2024, 2)
    ]
    # A lunar day of month 12 can fall in January of the next solar year.
    late = _only("  - {ma: x, ngay: 20/12, am_lich: có, loai: le, ten: X, nguon: thử}\n")
    (entry,) = late.entries
    occ = entry.in_year(2024)
    assert occ is not None and occ.ngay == datetime.date(2024, 1, 30) and occ.nam_am == 2023


# --------------------------------------------------------------------------- the data files


def test_shipped_calendar_has_a_source_for_every_entry() -> None:
    cal, warnings = lich.load()
    assert warnings == []
    assert len(cal.entries) >= 40
    assert all(e.nguon for e in cal.entries)
    assert len({e.ma for e in cal.entries}) == len(cal.entries)
    majors = {e.ma for e in cal.entries if e.le_lon}
    assert majors == {  # Nghị định 145/2013/NĐ-CP, Điều 4
        "tet-nguyen-dan",
        "thanh-lap-dang",
        "gio-to-hung-vuong",
        "giai-phong-mien-nam",
        "dien-bien-phu",
        "sinh-nhat-bac",
        "cach-mang-thang-tam",
        "quoc-khanh",
    }
    assert all(any(cal.in_month(2024, m)) for m in range(1, 13))


def test_calendar_problems_are_located_and_reported_together(tmp_path: Path) -> None:
    path = tmp_path / lich.LOCAL_FILE
    path.write_text(
        "phien_ban: 1\n"
        "ngay_ky_niem:\n"
        "  - {ma: a, ngay: 31/4, loai: le, ten: A, nguon: x}\n"
        "  - {ma: b, ngay: 1/5, loai: le_hoi, ten: B, nguon: x}\n"
        "  - {ma: c, ngay: 1/5, loai: le, ten: C, nguon: x, nam_dau: 19}\n"
        "  - {ma: d, ngay: 1/5, loai: le, ten: D, nguon: x, ngu0n: y}\n"
        "  - {ma: e, ngay: 10/3, loai: le, ten: E, am_lich: có, nam_dau: 1990, nguon: x}\n"
        "  - ma: f\n    ngay: 1/5\n    loai: le\n    ten: F {nam} {tuoi}\n    nguon: x\n"
        "  - {ma: h, ngay: 2/5, loai: le, ten: H, nguon: x}\n"
        "  - {ma: h, ngay: 3/5, loai: le, ten: H2, nguon: x}\n"
        "  - {ma: g, ngay: 2/5, loai: le, ten: G}\n",
        encoding="utf-8",
    )
    with pytest.raises(DirectiveError) as err:
        lich.load([path], labels=["nk.yaml"])
    assert [str(i) for i in err.value.issues] == [
        "nk.yaml:3:19: ngay_ky_niem[0].ngay: ngày không tồn tại: 31/4",
        "nk.yaml:4:30: ngay_ky_niem[1].loai: loại 'le_hoi' không có (chọn: thanh_lap, "
        "truyen_thong, ngay_sinh, chien_thang, giai_phong, su_kien, le, ton_vinh, quoc_te)",
        "nk.yaml:5:61: ngay_ky_niem[2].nam_dau: năm viết bốn chữ số, ví dụ 1959 (không phải '19')",
        "nk.yaml:6:52: ngay_ky_niem[3].ngu0n: khóa 'ngu0n' không có trong mẫu; có phải ý bạn "
        "là 'nguon'?",
        "nk.yaml:7:65: ngay_ky_niem[4].nam_dau: ngày âm lịch không đếm số năm; bỏ 'nam_dau' "
        "hoặc 'am_lich'",
        "nk.yaml:11:10: ngay_ky_niem[5].ten: '{tuoi}' không dùng được; chỉ có {nam} và {can_chi}",
        "nk.yaml:14:10: ngay_ky_niem[7].ma: mã 'h' đã có ở dòng 13",
        "nk.yaml:15:10: ngay_ky_niem[8].ma: cảnh báo: ngày kỷ niệm 'g' chưa ghi 'nguon' (đã đối "
        "chiếu ở đâu)",
    ]


def test_office_calendar_files_are_found_up_to_the_agency(tmp_path: Path) -> None:
    office = tmp_path / "co-quan"
    sub = office / "hang-thang"
    sub.mkdir(parents=True)
    (office / lich.LOCAL_FILE).write_text("ngay_ky_niem: []\n", encoding="utf-8")
    (sub / lich.LOCAL_FILE).write_text("ngay_ky_niem: []\n", encoding="utf-8")
    (tmp_path / lich.LOCAL_FILE).write_text("ngay_ky_niem: []\n", encoding="utf-8")
    found = lich.find_local(sub, office)
    assert found == [(office / lich.LOCAL_FILE).resolve(), (sub / lich.LOCAL_FILE).resolve()]


# --------------------------------------------------------------------------- carrying forward


def test_month_references_move_on_and_full_dates_stay() -> None:
    old, new_month = new.Thang(2024, 3), new.Thang(2024, 4)
    text = (
        "trong tháng 03-2024 và Tháng 3/2024, tháng 3 năm 2024; Kế hoạch số 120-KH/TU, "
        "ngày 04 tháng 3 năm 2024; tháng 03-2023 không đổi"
    )
    moved, count = new.doi_thang(text, old, new_month)
    assert moved == (
        "trong tháng 04-2024 và Tháng 4/2024, tháng 4 năm 2024; Kế hoạch số 120-KH/TU, "
        "ngày 04 tháng 3 năm 2024; tháng 03-2023 không đổi"
    )
    assert count == 3
    assert new.doi_thang("tháng 12-2024", new.Thang(2024, 12), new.Thang(2025, 1)) == (
        "tháng 01-2025",
        1,
    )


def test_deadlines_move_a_month() -> None:
    text, pairs = new.doi_han(
        "trước ngày 28-3-2024; trước ngày 31/03/2024; ngày 25 tháng 3 năm 2024; 06-02-2024",
        new.Thang(2024, 3),
        new.Thang(2024, 4),
    )
    assert (
        text == "trước ngày 28-4-2024; trước ngày 30/04/2024; ngày 25 tháng 4 năm 2024; 06-02-2024"
    )
    assert pairs[0] == ("28-3-2024", "28-4-2024")


def test_a_hand_written_directive_is_cut_into_its_parts() -> None:
    from tetngheo_docs.source import load_yaml

    body = load_yaml(SEED_004).blocks[("noi_dung",)].text
    cut = new._cut(body)
    assert len(cut.intro) == 1 and cut.intro[0].text.startswith("Trên cơ sở hướng dẫn")
    assert [item[0].text[:2] for item in cut.items] == ["1.", "2.", "3.", "4.", "5."]
    assert cut.anniv == 4
    assert len(cut.items[4]) == 6  # the item, its four dashes and the "hướng tới" sentence
    assert len(cut.closing) == 1 and cut.closing[0].text.startswith("Đề nghị")


def test_carry_forward_from_the_seed_directive(tmp_path: Path) -> None:
    d = new.draft(new.Thang(2024, 4), previous=SEED_004, out=MONTHLY / "x.yaml")
    assert not (MONTHLY / "x.yaml").exists()  # drafting writes nothing
    body = d.text.split("noi_dung: |\n", 1)[1]
    items = [p.text for p in new.paragraphs(body.split("\nnoi_nhan:", 1)[0])]
    assert items[1].startswith("1. Tuyên truyền việc tổ chức học tập")
    assert items[4].startswith("4. Tuyên truyền những kết quả nổi bật sau 10 năm")
    assert items[5].startswith("5. Tuyên truyền các ngày kỷ niệm trong tháng 04-2024, gồm: Giỗ Tổ")
    assert "trong tháng 04-2024, cụ thể như sau:" in items[0]
    assert "trước ngày 28-4-2024" in items[6]
    assert "- 65 năm" not in d.text  # last month's list of anniversaries is not carried
    assert d.text.count("(mang sang)") == 6  # intro, four tasks, closing
    assert "Có đếm năm (“10 năm”, “03 năm”): còn đúng?" in _flat(d.text)
    assert "hạn 28-3-2024 → 28-4-2024" in _flat(d.text)


def test_a_new_year_flags_the_years_in_carried_tasks(tmp_path: Path) -> None:
    office = tmp_path / "office"
    office.mkdir()
    shutil.copy(OFFICE / "tetngheo.yaml", office)
    dec = office / "thang-12-2024.yaml"
    dec.write_text(
        "phien_ban: 1\nngay: 29/11/2024\ntrich_yeu: V/v tuyên truyền tháng 12-2024\n"
        "kinh_gui: Các chi bộ trực thuộc\nnoi_dung: |\n"
        "  Mở đầu tháng 12-2024:\n\n  1. Tuyên truyền Nghị quyết năm 2024.\n\n"
        "  Đề nghị gửi kết quả trước ngày 28-12-2024.\n",
        encoding="utf-8",
    )
    d = new.draft(new.Thang(2025, 1), previous=dec)
    assert d.path == office / "thang-01-2025.yaml"
    assert "trich_yeu: V/v tuyên truyền tháng 01-2025" in d.text
    assert "Mở đầu tháng 01-2025:" in d.text
    assert "Sang năm 2025: xem lại các cụm “năm 2024”." in _flat(d.text)
    assert "trước ngày 28-01-2025" in d.text
    assert "ngay: 31/12/2024" in d.text


def test_the_register_names_the_next_number(tmp_path: Path) -> None:
    office = tmp_path / "office"
    office.mkdir()
    agency = (OFFICE / "tetngheo.yaml").read_text(encoding="utf-8")
    agency += "nhiem_ky:\n  - {ten: 2020-2025, tu: 15/10/2020, den: 14/10/2025}\n"
    (office / "tetngheo.yaml").write_text(agency, encoding="utf-8")
    with Register(office / DEFAULT_FILE, actor="test") as reg:
        for key in ("a", "b"):
            reg.reserve(Scope.dang("ĐU", "CV", "2020-2025"), key)
    d = new.draft(new.Thang(2024, 3), out=office / "thang-03-2024.yaml")
    assert "so:                    # XEM LẠI: sổ văn bản đi: số tiếp theo 03" in d.text


# --------------------------------------------------------------------------- the worked example


def test_worked_example_march_keeps_the_computed_anniversaries(kon_tum: lich.Calendar) -> None:
    d = new.draft(new.Thang(2024, 3), out=MONTHLY / "thang-03-2024.yaml", so="112")
    committed = (MONTHLY / "thang-03-2024.yaml").read_text(encoding="utf-8")
    generated = [p.text for p in new.paragraphs(d.text.split("noi_dung: |\n")[1])]
    anniv = next(p for p in generated if "ngày kỷ niệm trong tháng" in p)
    assert anniv == "2. " + SEED_004_ANNIVERSARIES
    body = committed.split("noi_dung: |\n")[1].split("\nnoi_nhan:")[0]
    assert "5. " + SEED_004_ANNIVERSARIES in [p.text for p in new.paragraphs(body)]
    assert "so: 112\nngay: 29/02/2024\n" in committed


def test_worked_example_april_is_the_command_output() -> None:
    d = new.draft(new.Thang(2024, 4), previous=MONTHLY / "thang-03-2024.yaml")
    assert d.path == MONTHLY / "thang-04-2024.yaml"
    assert d.text == (MONTHLY / "thang-04-2024.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("thang-03-2024.yaml", []), ("thang-04-2024.yaml", ["so_ky_hieu"])],
)
def test_worked_examples_render_and_pass_lint(name: str, expected: list[str]) -> None:
    loaded = api.load(MONTHLY / name)
    # April is the command's output as it comes: its review notes are shown, nothing else.
    assert all(w.message.startswith(placeholders.REVIEW) for w in loaded.warnings)
    assert bool(loaded.warnings) == (name == "thang-04-2024.yaml")
    result = lint.lint_bytes(api.render_bytes(loaded), name, the_thuc=loaded.profile.name)
    problems = [c for c in result.checks if c.status is not lint.Status.PASS]
    # April is an unnumbered draft: the only remark is the blank number.
    assert [c.id for c in problems] == expected
    assert all(c.status is lint.Status.WARN for c in problems)
    assert not result.failed(False)


# --------------------------------------------------------------------------- the command


@pytest.fixture
def office_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    office = tmp_path / "dang-uy"
    (office / "hang-thang").mkdir(parents=True)
    shutil.copy(OFFICE / "tetngheo.yaml", office)
    shutil.copy(LOCAL, office / "hang-thang")
    monkeypatch.chdir(office / "hang-thang")
    return office / "hang-thang"


def test_new_thang_scaffolds_a_directive_that_renders(office_copy: Path) -> None:
    result = run_cli("new", "thang", "2024-03")
    assert not has_traceback(result), result.output
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "đã tạo thang-03-2024.yaml (5 ngày kỷ niệm, 1 ngày “hướng tới”)"
    )
    text = (office_copy / "thang-03-2024.yaml").read_text(encoding="utf-8")
    assert "#   tetngheo new thang 2024-03\n" in text
    assert "so:                    # XEM LẠI" in text
    assert "ngay: 29/02/2024" in text
    assert "2. " + SEED_004_ANNIVERSARIES[:40] in text
    check = run_cli("check", "thang-03-2024.yaml")
    # Valid, with every part left to review listed at its line (and nothing else).
    assert check.exit_code == 0, check.output
    notes = check.stderr.splitlines()
    assert len(notes) == 5 and all("cảnh báo: bản nháp chưa xong" in x for x in notes)
    assert notes[0].startswith("thang-03-2024.yaml:8:24: so: ")
    loaded = api.load(office_copy / "thang-03-2024.yaml")
    result_lint = lint.lint_bytes(api.render_bytes(loaded), "t.docx", the_thuc="hd36")
    assert [c.id for c in result_lint.checks if c.status is not lint.Status.PASS] == ["so_ky_hieu"]
    again = run_cli("new", "thang", "2024-03")
    assert again.exit_code == 1
    assert "đã có; dùng --ghi-de" in again.stderr
    assert run_cli("new", "thang", "2024-03", "--ghi-de", "--so", "112").exit_code == 0


def test_new_thang_preview_and_usage_errors(office_copy: Path) -> None:
    result = run_cli("new", "thang", "03-2024", "--chi-xem")
    assert result.exit_code == 0, result.output
    assert "  → hướng tới: 70 năm Chiến thắng Điện Biên Phủ (07/5/1954 – 07/5/2024)  [tròn]" in (
        result.stdout
    )
    assert not (office_copy / "thang-03-2024.yaml").exists()
    bad = run_cli("new", "thang", "2024-13")
    assert bad.exit_code == 1 and "tháng 13 không tồn tại" in bad.stderr
    ahead = run_cli("new", "thang", "2024-03", "--huong-toi", "20")
    assert ahead.exit_code == 2 and "từ 0 đến 12" in ahead.stderr


def test_new_thang_without_an_agency_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("new", "thang", "2024-03")
    assert result.exit_code == 1
    assert "không thấy tệp cơ quan tetngheo.yaml" in result.stderr
    with pytest.raises(TetngheoError):
        new.parse_thang("2024")


def test_located_issue_type_is_shared() -> None:
    # Calendar problems use the project's Issue/Location, so the CLI prints them as usual.
    src = load_yaml_text("ngay_ky_niem: 3\n", label="nk.yaml")
    _, issues = lich.parse(src)
    assert issues[0].location == Location("nk.yaml", 1, 15)
