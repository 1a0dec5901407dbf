"""Recipient lists: encodings, delimiters, formats, duplicates and located problems."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import cp1258 as _cp1258
from tetngheo_docs import recipients
from tetngheo_docs.errors import Location
from tetngheo_docs.recipients import RecipientError
from tetngheo_docs.vn import text as vntext

NAMES = ["Chi bộ Sở Tài chính", "Đảng ủy Công an tỉnh", "Chi bộ Văn phòng Đảng ủy Khối"]


def _csv(delimiter: str = ";") -> str:
    rows = [f"ten{delimiter}han_nop"] + [f"{n}{delimiter}20/01/2024" for n in NAMES]
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize(
    ("encoding", "warns"),
    [("utf-8", False), ("utf-8-sig", False), ("utf-16", False), ("cp1258", True), ("tcvn3", True)],
)
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_encodings_and_delimiters(
    tmp_path: Path, encoding: str, warns: bool, delimiter: str
) -> None:
    text = _csv(delimiter)
    if encoding == "cp1258":
        data = _cp1258(text)
    elif encoding == "tcvn3":
        data = vntext.unicode_to_tcvn3(text).encode("latin-1")
    else:
        data = text.encode(encoding)
    path = tmp_path / "ds.csv"
    path.write_bytes(data)
    got = recipients.read(path)
    assert [r.name for r in got.recipients] == NAMES
    assert all(r.fields == {"han_nop": "20/01/2024"} for r in got.recipients)
    assert bool(got.warnings) is warns


def test_undecodable_bytes_are_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    path.write_bytes(b"ten\n" + bytes([0x81, 0x8D, 0x8F, 0x90]) * 5 + b"\n")
    with pytest.raises(RecipientError) as info:
        recipients.read(path)
    assert "CSV UTF-8" in info.value.format()


def test_pasted_vni_text_in_utf8_is_converted_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    vni = vntext.unicode_to_vni("Chi bộ Sở Tài chính")
    path.write_text(f"ten\n{vni}\nChi bộ B\n", encoding="utf-8")
    got = recipients.read(path)
    assert got.recipients[0].name == "Chi bộ Sở Tài chính"
    assert "VNI" in str(got.warnings[0])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("ten\nChi bộ A\nchi  bộ a\n", "ds.csv:3:1: ten: 'chi bộ a' trùng với dòng 2"),
        ('ten,x\n"Chi bộ A,1\nB,2\n', "ds.csv:3:1: dấu ngoặc kép không đóng"),
        ("ten,x\nA,1,2\nB,2\n", "ds.csv:2:1: dòng có 3 ô nhưng tiêu đề có 2 cột"),
        ("ten,ten\nA,B\n", "ds.csv:1:2: cột 'ten' bị lặp (đã có ở cột 1)"),
        ("don_vi_nhan,x\nA,1\n", "ds.csv:1:1: thiếu cột tên đơn vị"),
        ("ten,x\n,1\nB,2\n", "ds.csv:2:1: ten: dòng không có tên đơn vị"),
        ("ten\n", "ds.csv:1:1: danh sách không có người nhận nào"),
    ],
)
def test_located_problems(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "ds.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RecipientError) as info:
        recipients.read(path, label="ds.csv")
    assert expected in info.value.format()


def _problems(path: Path, content: str) -> list[str]:
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RecipientError) as info:
        recipients.read(path, label="ds.csv")
    return [str(i) for i in info.value.issues]


_SAME = "(sau khi chuẩn hóa chữ hoa/thường, dấu cách và mã Unicode)"


def test_blank_rows_are_skipped_and_later_rows_keep_their_lines(tmp_path: Path) -> None:
    # An empty line, a row of delimiters, a row of spaces: skipped. A row with text in a
    # later cell only is not blank: it has no name.
    assert _problems(tmp_path / "ds.csv", "ten;x\nA;1\n\n;\n  ; \n  ;2\nA;3\n") == [
        "ds.csv:6:1: ten: dòng không có tên đơn vị",
        f"ds.csv:7:1: ten: 'A' trùng với dòng 2 {_SAME}",
    ]


def test_a_key_column_decides_what_is_the_same_unit(tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    assert _problems(path, "ten;ma\nChi bộ A;CB1\nChi bộ C;CB2\nChi bộ B;cb1\n") == [
        f"ds.csv:4:1: ten: 'Chi bộ B' trùng với dòng 2 {_SAME}"
    ]
    path.write_text("ten;ma\nChi bộ A;CB1\nChi bộ A;CB2\nChi bộ B;\n", encoding="utf-8")
    got = recipients.read(path)
    assert [(r.name, r.key) for r in got.recipients] == [
        ("Chi bộ A", "CB1"),
        ("Chi bộ A", "CB2"),
        ("Chi bộ B", "chi bộ b"),
    ]


def test_nfc_and_nfd_names_are_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    nfd = unicodedata.normalize("NFD", "Chi bộ Sở Tài chính")
    path.write_text(f"ten\nChi bộ Sở Tài chính\n{nfd}\n", encoding="utf-8")
    with pytest.raises(RecipientError, match="trùng"):
        recipients.read(path)


def test_yaml_list(tmp_path: Path) -> None:
    path = tmp_path / "ds.yaml"
    path.write_text(
        "nguoi_nhan:\n  - Chi bộ A\n  - {ten: Chi bộ B, han_nop: 20/01/2024}\n", encoding="utf-8"
    )
    got = recipients.read(path)
    assert [(r.name, r.fields) for r in got.recipients] == [
        ("Chi bộ A", {}),
        ("Chi bộ B", {"han_nop": "20/01/2024"}),
    ]
    assert got.recipients[1].location.line == 3


def test_xlsx_list_and_numeric_phone_warning(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Tên", "Điện thoại", "Số bản"])
    ws.append(["Chi bộ A", 912345678, 3])
    ws.append(["Chi bộ B", "0912345678", 2])
    path = tmp_path / "ds.xlsx"
    wb.save(path)
    got = recipients.read(path)
    assert [r.name for r in got.recipients] == ["Chi bộ A", "Chi bộ B"]
    assert got.recipients[0].fields["số_bản"] == "3"
    assert any("mất số 0" in str(w) for w in got.warnings)


def test_corrupt_xlsx_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "ds.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(RecipientError, match="không mở được"):
        recipients.read(path)


def test_control_character_in_a_field(tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    path.write_text("ten,ghi_chu\nChi bộ A,abc\x0bdef\n", encoding="utf-8")
    with pytest.raises(RecipientError, match="U\\+000B"):
        recipients.read(path)


# What recipient lists hold, tidy or not: Vietnamese in NFC and NFD, spaces of all kinds,
# invisible characters, compatibility forms, legacy symbols and control characters.
_ROW_ALPHABET = "aăbđêoôơưÀĐỘ 09-,;\"'/\t\u00a0\u3000\u200b\u202e\u0301\u0323ﬁ①ｶµ¥\x01\x0b\x85"


_WORDS = st.lists(st.text(alphabet="aăbđêoôơưÀĐỘ09-", min_size=1, max_size=5), max_size=3)
_TIDY = _WORDS.map(" ".join)
# One flaw in an otherwise tidy value: each is something the check over the whole list must
# catch (a space too many, other whitespace, invisible, control or compatibility characters).
_FLAW = st.sampled_from(["  ", " ", "\u00a0", "\t", "\u200b", "\x01", "\n", "ﬁ", "①"])
_FLAWED = st.builds(lambda a, f, b: a + f + b, _TIDY, _FLAW, _TIDY)
_VALUE = st.one_of(  # mostly tidy values (the fast path), then flawed, decomposed, anything
    _TIDY,
    st.sampled_from(["", "A", "a", "Đ", "đ"]),
    _FLAWED,
    _TIDY.map(lambda v: unicodedata.normalize("NFD", v)),
    st.text(_ROW_ALPHABET),
)


def _same_as_value_by_value(cells: list[tuple[str, str, str]]) -> None:
    """`_clean` lets a tidy list skip the tidying and identity of each value: the result
    (recipients, keys, fields, problems) must be the same as checking every value."""
    rows = [
        (Location("ds.csv", i + 2, 1), {"ten": a, "ma": b, "han nop": c})
        for i, (a, b, c) in enumerate(cells)
    ]

    def finish() -> object:
        try:
            return recipients._finish(list(rows), [], "ds.csv")
        except RecipientError as err:
            return err.issues

    fast = finish()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(recipients, "_clean", lambda rows: recipients._Clean(False, False, True))
        assert finish() == fast


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(_VALUE, _VALUE, _VALUE), max_size=6))
def test_checks_over_the_whole_list_equal_checks_value_by_value(
    cells: list[tuple[str, str, str]],
) -> None:
    _same_as_value_by_value(cells)


@pytest.mark.parametrize(
    "flaw", ["  ", " ", "\u00a0", "\t", "\u200b", "\x01", "\n", "ﬁ", "①", "e\u0301", "\u0301"]
)
@pytest.mark.parametrize("column", [0, 1, 2])
@pytest.mark.parametrize("place", ["{}Chi bộ Sở", "Chi bộ{}Sở", "Chi bộ Sở{}"])
def test_one_flaw_in_a_tidy_list(flaw: str, column: int, place: str) -> None:
    # Row 2 is row 1 with the flaw, in its name, its key or a field: tidying or folding the
    # flaw away makes the two the same unit.
    cells = [[f"Chi bộ số {i}", "", "20/01/2024"] for i in range(3)]
    cells[1][column] = place.format("")
    cells[2][column] = place.format(flaw)
    _same_as_value_by_value([(a, b, c) for a, b, c in cells])


def test_what_clean_skips_in_a_printable_list_is_never_printable() -> None:
    """`_clean` skips the searches for control, invisible and odd whitespace characters
    when the list is printable: none of them may be printable (checked on every code point
    of this Python's Unicode database)."""
    printable = "".join(filter(str.isprintable, map(chr, range(0x110000))))
    assert len(printable) > 100_000
    assert recipients._CONTROL.search(printable) is None
    assert recipients._ODD_SPACE.search(printable) is None
    assert not vntext.has_invisible(printable)
