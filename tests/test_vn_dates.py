"""Tests for tetngheo_docs.vn.dates: parsing and the ND30 / HD36 date forms."""

from __future__ import annotations

import datetime
import unicodedata

import pytest

from tetngheo_docs.vn.dates import BLANK, dd_mm_yyyy, dia_danh_ngay, ngay_thang_nam, parse_date

D = datetime.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-15", D(2024, 1, 15)),
        ("15/01/2024", D(2024, 1, 15)),
        ("15/1/2024", D(2024, 1, 15)),
        ("5-1-2024", D(2024, 1, 5)),
        ("15.01.2024", D(2024, 1, 15)),
        ("  15/01/2024 \t", D(2024, 1, 15)),
        ("\u00a02024-01-15\n", D(2024, 1, 15)),
        ("2024-1-5", D(2024, 1, 5)),
        ("05/02/2024", D(2024, 2, 5)),
        ("29/02/2024", D(2024, 2, 29)),
        ("29/02/2000", D(2000, 2, 29)),
        ("2096-02-29", D(2096, 2, 29)),
        ("01/01/1900", D(1900, 1, 1)),
        ("31/12/2200", D(2200, 12, 31)),
        ("31.12.2023", D(2023, 12, 31)),
        ("30-4-1975", D(1975, 4, 30)),
    ],
)
def test_parse_date_accepts(text: str, expected: datetime.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2024", "ngày không tồn tại: 31/02/2024 (tháng 2 năm 2024 chỉ có 29 ngày)"),
        ("29/02/2023", "ngày không tồn tại: 29/02/2023 (tháng 2 năm 2023 chỉ có 28 ngày)"),
        ("29/02/1900", "ngày không tồn tại: 29/02/1900 (tháng 2 năm 1900 chỉ có 28 ngày)"),
        ("2100-02-29", "ngày không tồn tại: 2100-02-29 (tháng 2 năm 2100 chỉ có 28 ngày)"),
        ("31/04/2024", "ngày không tồn tại: 31/04/2024 (tháng 4 năm 2024 chỉ có 30 ngày)"),
        ("32/01/2024", "ngày không tồn tại: 32/01/2024 (tháng 1 năm 2024 chỉ có 31 ngày)"),
        ("00/01/2024", "ngày không tồn tại: 00/01/2024 (ngày phải từ 1 trở lên)"),
        ("15/13/2024", "tháng không tồn tại: 15/13/2024 (tháng phải từ 1 đến 12)"),
        ("15/00/2024", "tháng không tồn tại: 15/00/2024 (tháng phải từ 1 đến 12)"),
        ("abc", "không hiểu ngày 'abc'; hãy viết dạng 15/01/2024 hoặc 2024-01-15"),
        ("", "không hiểu ngày ''; hãy viết dạng 15/01/2024 hoặc 2024-01-15"),
        ("31/12/1899", "năm 1899 ngoài khoảng 1900–2200: 31/12/1899"),
        ("01/01/2201", "năm 2201 ngoài khoảng 1900–2200: 01/01/2201"),
    ],
)
def test_parse_date_rejects_with_message(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date(text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "text",
    [
        "15/01-2024",  # mixed separators
        "2024/01/15",  # year first needs '-'
        "15/01/24",  # two-digit year
        "15 01 2024",
        "15/01/2024 08:30",
        "2024-01-15T00:00",
        "１５/01/2024",  # full-width digits
        "١٥/01/2024",  # Arabic-Indic digits
        "115/01/2024",
        "15/001/2024",
        "ngày 15 tháng 01 năm 2024",
        "-15/01/2024",
    ],
)
def test_parse_date_rejects_shapes(text: str) -> None:
    with pytest.raises(ValueError, match="không hiểu ngày"):
        parse_date(text)


def test_parse_date_rejects_non_string() -> None:
    with pytest.raises(TypeError):
        parse_date(20240115)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("year", "leap"),
    [(1900, False), (2000, True), (2024, True), (2023, False), (2100, False), (2200, False)],
)
def test_leap_years(year: int, leap: bool) -> None:
    text = f"29/02/{year}"
    if leap:
        assert parse_date(text) == D(year, 2, 29)
    else:
        with pytest.raises(ValueError, match="chỉ có 28 ngày"):
            parse_date(text)


@pytest.mark.parametrize(
    ("month", "shown"),
    [(1, "01"), (2, "02")] + [(m, str(m)) for m in range(3, 13)],
)
def test_ngay_thang_nam_month_padding(month: int, shown: str) -> None:
    assert ngay_thang_nam(D(2024, month, 5)) == f"ngày 05 tháng {shown} năm 2024"
    assert ngay_thang_nam(D(2024, month, 15)) == f"ngày 15 tháng {shown} năm 2024"


@pytest.mark.parametrize("day", range(1, 32))
def test_ngay_thang_nam_day_padding(day: int) -> None:
    assert ngay_thang_nam(D(2024, 3, day)) == f"ngày {day:02d} tháng 3 năm 2024"


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (D(2024, 1, 5), "ngày 05 tháng 01 năm 2024"),
        (D(2024, 3, 15), "ngày 15 tháng 3 năm 2024"),
        (D(2019, 6, 29), "ngày 29 tháng 6 năm 2019"),
        (D(2022, 9, 8), "ngày 08 tháng 9 năm 2022"),
        (D(2024, 2, 5), "ngày 05 tháng 02 năm 2024"),
        (D(2018, 4, 3), "ngày 03 tháng 4 năm 2018"),
        (D(2024, 12, 31), "ngày 31 tháng 12 năm 2024"),
        (D(2024, 10, 1), "ngày 01 tháng 10 năm 2024"),
    ],
)
def test_ngay_thang_nam_examples(d: datetime.date, expected: str) -> None:
    assert ngay_thang_nam(d) == expected


def test_datetime_is_accepted_as_date() -> None:
    assert ngay_thang_nam(datetime.datetime(2024, 1, 15, 8, 30)) == "ngày 15 tháng 01 năm 2024"


@pytest.mark.parametrize(
    ("place", "d", "year", "expected"),
    [
        ("Thái Nguyên", D(2024, 1, 15), None, "Thái Nguyên, ngày 15 tháng 01 năm 2024"),
        ("Thái Nguyên", D(2024, 1, 15), 2024, "Thái Nguyên, ngày 15 tháng 01 năm 2024"),
        ("Hà Nội", D(2018, 4, 3), None, "Hà Nội, ngày 03 tháng 4 năm 2018"),
        ("Hạ Long", D(2018, 2, 20), None, "Hạ Long, ngày 20 tháng 02 năm 2018"),
        ("  Kon Tum ", None, 2024, "Kon Tum, ngày     tháng     năm 2024"),
        ("Thái Nguyên", None, 2024, "Thái Nguyên, ngày     tháng     năm 2024"),
        (
            "Thành phố Hồ Chí Minh",
            D(2019, 6, 29),
            None,
            "Thành phố Hồ Chí Minh, ngày 29 tháng 6 năm 2019",
        ),
    ],
)
def test_dia_danh_ngay(
    place: str, d: datetime.date | None, year: int | None, expected: str
) -> None:
    assert dia_danh_ngay(place, d, year) == expected


def test_undated_blank_is_five_plain_spaces() -> None:
    assert BLANK == "     "
    line = dia_danh_ngay("Thái Nguyên", None, 2024)
    assert f"ngày{BLANK}tháng{BLANK}năm 2024" in line
    assert set(line) - set("Thái Nguyên,ngàytháng năm2024") == set()


def test_undated_without_year_uses_current_year() -> None:
    year = datetime.date.today().year
    assert dia_danh_ngay("Hà Nội", None).endswith(f"năm {year}")


def test_dia_danh_ngay_nfc_place() -> None:
    nfd = unicodedata.normalize("NFD", "Thái Nguyên")
    out = dia_danh_ngay(nfd, D(2024, 1, 15))
    assert out == unicodedata.normalize("NFC", out)
    assert out.startswith("Thái Nguyên, ")


@pytest.mark.parametrize(
    ("place", "d", "year"),
    [
        ("", D(2024, 1, 15), None),
        ("   ", None, 2024),
        ("Hà Nội", D(2024, 1, 15), 2023),
        ("Hà Nội", None, 1800),
    ],
)
def test_dia_danh_ngay_rejects(place: str, d: datetime.date | None, year: int | None) -> None:
    with pytest.raises(ValueError):
        dia_danh_ngay(place, d, year)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (D(2024, 1, 15), "15/01/2024"),
        (D(2024, 3, 5), "05/03/2024"),
        (D(2024, 12, 31), "31/12/2024"),
        (D(1900, 1, 1), "01/01/1900"),
    ],
)
def test_dd_mm_yyyy(d: datetime.date, expected: str) -> None:
    assert dd_mm_yyyy(d) == expected


def test_round_trip_every_day_of_two_years() -> None:
    d = D(1999, 1, 1)
    while d.year < 2001:
        assert parse_date(dd_mm_yyyy(d)) == d
        assert parse_date(d.isoformat()) == d
        d += datetime.timedelta(days=1)
