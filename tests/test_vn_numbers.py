"""Tests for tetngheo_docs.vn.numbers: số và ký hiệu, grouping, Roman numerals, điểm letters."""

from __future__ import annotations

import unicodedata

import pytest

from tetngheo_docs.vn.numbers import (
    DIEM_LETTERS,
    PARTY_NUMBER_RE,
    STATE_NUMBER_RE,
    chu_cai,
    kiem_tra_ky_hieu_dang,
    kiem_tra_ky_hieu_nha_nuoc,
    nhom_nghin,
    parse_so_nguyen,
    so_ky_hieu_dang,
    so_ky_hieu_nha_nuoc,
    so_la_ma,
    so_van_ban,
)

STATE_SYMBOLS = [
    "UBND-VX",
    "KH-UBND",
    "QĐ-TTg",
    "KH-SVHTTDL",
    "CTr-UBND",
    "QĐ-BNV",
    "BNV-VP",
    "CT-UBND",
    "QyĐ-UBND",
    "TTr-SNV",
    "SKH-KH&ĐT",
    "BC-UBND2",
]
PARTY_SYMBOLS = [
    "CV/BTGDUK",
    "KH/TU",
    "BS/UBKTTU",
    "CV/BTGĐUK",
    "CV/BTCTU-BDVTU",
    "HD/VPTW",
    "QĐ/TW",
    "QĐi/TW",
    "KH/BCĐ",
    "NQ/TU",
    "CV/ĐUK",
    "CV/ThU",
]


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "01"), (5, "05"), (9, "09"), (10, "10"), (99, "99"), (196, "196"), (999999, "999999")],
)
def test_so_van_ban(n: int, expected: str) -> None:
    assert so_van_ban(n) == expected


@pytest.mark.parametrize("n", [0, -1, -7, 1_000_000, 2**63, 10**100])
def test_so_van_ban_out_of_range(n: int) -> None:
    with pytest.raises(ValueError, match="số văn bản phải từ 1 đến 999999"):
        so_van_ban(n)


@pytest.mark.parametrize("n", [True, 1.0, "05", None])
def test_so_van_ban_wrong_type(n: object) -> None:
    with pytest.raises(TypeError):
        so_van_ban(n)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("so", "ky_hieu", "expected"),
    [
        (5, "UBND-VX", "Số: 05/UBND-VX"),
        (12, "UBND-VX", "Số: 12/UBND-VX"),
        (2973, "KH-UBND", "Số: 2973/KH-UBND"),
        (1705, "QĐ-TTg", "Số: 1705/QĐ-TTg"),
        (55, "KH-SVHTTDL", "Số: 55/KH-SVHTTDL"),
        (None, "UBND-VX", "Số:      /UBND-VX"),
        (None, "KH-UBND", "Số:      /KH-UBND"),
        (8, " CT-UBND ", "Số: 08/CT-UBND"),
    ],
)
def test_so_ky_hieu_nha_nuoc(so: int | None, ky_hieu: str, expected: str) -> None:
    assert so_ky_hieu_nha_nuoc(so, ky_hieu) == expected


@pytest.mark.parametrize(
    ("so", "ky_hieu", "expected"),
    [
        (196, "CV/BTGDUK", "Số 196-CV/BTGDUK"),
        (92, "CV/BTGĐUK", "Số 92-CV/BTGĐUK"),
        (5, "CT/TW", "Số 05-CT/TW"),
        (1, "KH/BCĐ", "Số 01-KH/BCĐ"),
        (24, "BS/UBKTTU", "Số 24-BS/UBKTTU"),
        (None, "CV/BTGDUK", "Số      -CV/BTGDUK"),
    ],
)
def test_so_ky_hieu_dang(so: int | None, ky_hieu: str, expected: str) -> None:
    assert so_ky_hieu_dang(so, ky_hieu) == expected


def test_unnumbered_blank_is_six_spaces() -> None:
    assert so_ky_hieu_nha_nuoc(None, "UBND-VX") == "Số:" + " " * 6 + "/UBND-VX"
    assert so_ky_hieu_dang(None, "CV/BTGDUK") == "Số" + " " * 6 + "-CV/BTGDUK"


@pytest.mark.parametrize(
    ("func", "so", "ky_hieu"),
    [
        (so_ky_hieu_nha_nuoc, 5, "CV/BTGDUK"),
        (so_ky_hieu_nha_nuoc, 5, "UBND"),
        (so_ky_hieu_nha_nuoc, 0, "UBND-VX"),
        (so_ky_hieu_dang, 196, "KH-UBND"),
        (so_ky_hieu_dang, 1_000_000, "CV/TU"),
        (so_ky_hieu_dang, -1, "CV/TU"),
    ],
)
def test_so_ky_hieu_rejects(func: object, so: int, ky_hieu: str) -> None:
    with pytest.raises(ValueError):
        func(so, ky_hieu)  # type: ignore[operator]


@pytest.mark.parametrize(("so", "error"), [(True, TypeError), (5.0, TypeError), ("5", TypeError)])
def test_so_ky_hieu_rejects_what_is_not_an_int(so: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        so_ky_hieu_dang(so, "CV/TU")  # type: ignore[arg-type]


@pytest.mark.parametrize("ky_hieu", STATE_SYMBOLS)
def test_state_symbols_ok(ky_hieu: str) -> None:
    assert kiem_tra_ky_hieu_nha_nuoc(ky_hieu) is None
    assert STATE_NUMBER_RE.fullmatch(so_ky_hieu_nha_nuoc(7, ky_hieu))


@pytest.mark.parametrize("ky_hieu", PARTY_SYMBOLS)
def test_party_symbols_ok(ky_hieu: str) -> None:
    assert kiem_tra_ky_hieu_dang(ky_hieu) is None
    assert PARTY_NUMBER_RE.fullmatch(so_ky_hieu_dang(7, ky_hieu))


@pytest.mark.parametrize(
    ("ky_hieu", "fragment"),
    [
        ("", "trống"),
        ("UBND/VX", "không được chứa dấu '/'"),
        ("CV/BTGDUK", "không được chứa dấu '/'"),
        ("UBND VX", "dấu cách"),
        ("UBND-VX ", "dấu cách"),
        ("ubnd-VX", "phải bắt đầu bằng chữ in hoa"),
        ("KH-ubnd", "phải bắt đầu bằng chữ in hoa"),
        ("UBND", "ít nhất hai nhóm"),
        ("KH-", "nhóm rỗng"),
        ("-KH", "nhóm rỗng"),
        ("KH--UBND", "nhóm rỗng"),
        ("KH-UBND_1", "'_'"),
        ("KH.UBND", "'.'"),
        ("QĐ-ỦY", "'Ủ'"),
        ("KH&ĐT-UBND", "'&'"),
        ("05/UBND-VX", "không kèm 'Số'"),
        ("Số: 05/UBND-VX", "không kèm 'Số'"),
        ("KH-1UBND", "chữ in hoa"),
    ],
)
def test_state_symbol_problems(ky_hieu: str, fragment: str) -> None:
    message = kiem_tra_ky_hieu_nha_nuoc(ky_hieu)
    assert message is not None
    assert fragment in message


@pytest.mark.parametrize(
    ("ky_hieu", "fragment"),
    [
        ("", "trống"),
        ("CV-BTGDUK", "LOẠI/CƠ QUAN"),
        ("KH-UBND", "LOẠI/CƠ QUAN"),
        ("CVBTGDUK", "LOẠI/CƠ QUAN"),
        ("cv/TU", "phải bắt đầu bằng chữ in hoa"),
        ("CV/btg", "phải bắt đầu bằng chữ in hoa"),
        ("CV/", "thiếu cơ quan"),
        ("/TU", "thiếu tên loại"),
        ("CV/TU/X", "một dấu '/'"),
        ("C1/TU", "'1'"),
        ("CV/BTG DUK", "dấu cách"),
        ("CV/TU-", "nhóm rỗng"),
        ("K-H/TU", "không chứa dấu '-'"),
        ("196-CV/BTGDUK", "không kèm 'Số'"),
        ("CV/TỈNH", "'Ỉ'"),
    ],
)
def test_party_symbol_problems(ky_hieu: str, fragment: str) -> None:
    message = kiem_tra_ky_hieu_dang(ky_hieu)
    assert message is not None
    assert fragment in message


def test_symbol_check_normalises_to_nfc() -> None:
    # Đ has no decomposition, but QĐ written with a decomposed letter elsewhere must pass.
    assert kiem_tra_ky_hieu_nha_nuoc(unicodedata.normalize("NFD", "QĐ-TTg")) is None


@pytest.mark.parametrize(
    "text",
    [
        "Số: 05/UBND-VX",
        "Số: 15/QĐ-BNV",
        "Số: 05/BNV-VP",
        "Số: 12/UBND-VX",
        "Số: 2973/KH-UBND",
        "Số: 55/KH-SVHTTDL",
        "Số: 119/KH-UBND",
        "Số: 08/CT-UBND",
        "Số: 1705/QĐ-TTg",
        "Số: 10/CTr-UBND",
    ],
)
def test_state_number_re_matches(text: str) -> None:
    assert STATE_NUMBER_RE.fullmatch(text)
    assert STATE_NUMBER_RE.match(text)
    assert not PARTY_NUMBER_RE.match(text)


@pytest.mark.parametrize(
    "text",
    [
        "Số: 5/UBND-VX",  # no leading zero
        "Số: 00/UBND-VX",
        "Số: 012/UBND-VX",
        "Số 05/UBND-VX",  # no colon
        "Số:05/UBND-VX",
        "Số: 05/UBND",  # one group
        "Số: 05/UBND-VX/2024",
        "Số: 05/UBND-VX\n",  # trailing newline
        "Số:      /UBND-VX",  # draft is not a final number
        "Số: 30/2020/NĐ-CP",  # legal normative form, other regime
        "Số: 05/ubnd-VX",
    ],
)
def test_state_number_re_rejects(text: str) -> None:
    assert not STATE_NUMBER_RE.match(text)


@pytest.mark.parametrize(
    "text",
    [
        "Số 196-CV/BTGDUK",
        "Số 92-CV/BTGĐUK",
        "Số 2250-CV/BTGTU",
        "Số 36-HD/VPTW",
        "Số 127-QĐ/TW",
        "Số 31-KH/TU",
        "Số 01-KH/BCĐ",
        "Số 05-CT/TW",
        "Số 24-BS/UBKTTU",
        "Số 08-QĐi/TW",
        "Số 12-CV/BTCTU-BDVTU",
    ],
)
def test_party_number_re_matches(text: str) -> None:
    assert PARTY_NUMBER_RE.fullmatch(text)
    assert not STATE_NUMBER_RE.match(text)


@pytest.mark.parametrize(
    "text",
    [
        "Số: 196-CV/BTGDUK",  # colon
        "Số 1-CV/TU",
        "Số 196/CV-BTGDUK",
        "Số 196-CV-BTGDUK",
        "Số 196-CV/BTGDUK\n",
        "Số 196-C1/TU",
        "Số      -CV/BTGDUK",
    ],
)
def test_party_number_re_rejects(text: str) -> None:
    assert not PARTY_NUMBER_RE.match(text)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1000, "1.000"),
        (1234, "1.234"),
        (1234567, "1.234.567"),
        (-1234, "-1.234"),
        (-999, "-999"),
        (10**12, "1.000.000.000.000"),
    ],
)
def test_nhom_nghin(n: int, expected: str) -> None:
    assert nhom_nghin(n) == expected
    assert parse_so_nguyen(expected) == n


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234.567", 1234567),
        ("1234567", 1234567),
        ("1 234 567", 1234567),
        ("1\u00a0234\u00a0567", 1234567),
        ("1\u202f234", 1234),
        (" 42 ", 42),
        ("0", 0),
        ("007", 7),
        ("-1.234", -1234),
        ("12.345", 12345),
    ],
)
def test_parse_so_nguyen(text: str, expected: int) -> None:
    assert parse_so_nguyen(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1,5", "dấu ','"),
        ("1.234,5", "dấu ','"),
        ("1.23", "đúng 3 chữ số"),
        ("1.2345", "đúng 3 chữ số"),
        ("1234.567", "đúng 3 chữ số"),
        ("abc", "không phải số nguyên"),
        ("", "ô trống"),
        ("1.234 567", "không phải số nguyên"),
        ("12 34", "không phải số nguyên"),
        ("1e3", "không phải số nguyên"),
        ("١٢٣", "không phải số nguyên"),
        ("--1", "không phải số nguyên"),
        ("+5", "không phải số nguyên"),
    ],
)
def test_parse_so_nguyen_rejects(text: str, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_so_nguyen(text)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "I"),
        (4, "IV"),
        (9, "IX"),
        (14, "XIV"),
        (40, "XL"),
        (90, "XC"),
        (400, "CD"),
        (1994, "MCMXCIV"),
        (2024, "MMXXIV"),
        (3999, "MMMCMXCIX"),
    ],
)
def test_so_la_ma(n: int, expected: str) -> None:
    assert so_la_ma(n) == expected


@pytest.mark.parametrize("n", [0, -1, 4000, 10**9])
def test_so_la_ma_out_of_range(n: int) -> None:
    with pytest.raises(ValueError):
        so_la_ma(n)


def test_so_la_ma_all_distinct() -> None:
    assert len({so_la_ma(n) for n in range(1, 4000)}) == 3999


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "a"), (4, "d"), (5, "đ"), (6, "e"), (7, "g"), (10, "k"), (22, "x"), (23, "y")],
)
def test_chu_cai(n: int, expected: str) -> None:
    assert chu_cai(n) == expected


def test_chu_cai_full_sequence() -> None:
    expected = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
    assert [chu_cai(n) for n in range(1, 24)] == expected
    assert list(DIEM_LETTERS) == expected


@pytest.mark.parametrize("n", [0, -1, 24, 100])
def test_chu_cai_out_of_range(n: int) -> None:
    with pytest.raises(ValueError):
        chu_cai(n)
