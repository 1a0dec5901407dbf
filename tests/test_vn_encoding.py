"""Encodings detected by scoring every reading: lists as offices save them, YAML with pasted
TCVN3/VNI text, and the messages a user reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.clirun import has_traceback, run_cli
from tests.conftest import OFFICE, SEED_000, cp1258
from tetngheo_docs.vn import encoding
from tetngheo_docs.vn import text as vntext

#: Units of a province as its lists name them (Đắk Lắk: place names that are not Vietnamese
#: syllables, abbreviations, both tone placements).
UNITS = [
    "Sở Giáo dục và Đào tạo",
    "Sở Tài chính",
    "Sở Kế hoạch và Đầu tư",
    "Sở Y tế",
    "Sở Tư pháp",
    "Sở Nội vụ",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Tài nguyên và Môi trường",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Giao thông vận tải",
    "Sở Xây dựng",
    "Sở Công Thương",
    "Sở Thông tin và Truyền thông",
    "Sở Khoa học và Công nghệ",
    "Ban Dân tộc tỉnh",
    "Thanh tra tỉnh",
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
    "Đảng ủy Khối các cơ quan tỉnh",
    "Đảng ủy Khối Doanh nghiệp tỉnh",
    "Đảng ủy Quân sự tỉnh",
    "Đảng ủy Công an tỉnh",
    "Chi bộ Sở Tài chính",
    "Chi bộ Văn phòng Đảng ủy Khối",
    "Chi bộ Trường Chính trị tỉnh",
    "Chi bộ Đài Phát thanh và Truyền hình tỉnh",
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Hội Nông dân tỉnh",
    "Hội Cựu chiến binh tỉnh",
    "Liên đoàn Lao động tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Kho bạc Nhà nước tỉnh",
    "Bệnh viện Đa khoa tỉnh",
    "UBND huyện Krông Pắc",
    "UBND huyện Ea H'leo",
    "UBND thị xã Buôn Hồ",
    "UBND thành phố Buôn Ma Thuột",
    "Huyện ủy Cư Kuin",
    "Thị ủy Buôn Hồ",
    "Đảng ủy xã Hòa Thắng",
    "Đảng ủy phường Tân Hoà",
    "Chi bộ thôn Thủy Lợi",
    "Trường THPT Chu Văn An",
    "Huyện ủy Lắk",
]


def tcvn3(text: str) -> bytes:
    """A list typed in Notepad with a .VnTime (TCVN3) font."""
    return vntext.unicode_to_tcvn3(text).encode("latin-1")


def vni(text: str) -> bytes:
    """A list typed with a VNI-Times font."""
    return vntext.unicode_to_vni(text).encode("latin-1")


def _as_tcvn3_reads(text: str) -> str:
    """TCVN3 has no toned capitals: `Ủy` is stored, and read back, as `ủy`."""
    return vntext.tcvn3_to_unicode(vntext.unicode_to_tcvn3(text))


ENCODERS = {
    "utf-8": (lambda t: t.encode("utf-8"), "utf-8"),
    "utf-8-sig": (lambda t: t.encode("utf-8-sig"), "utf-8"),
    "utf-16": (lambda t: t.encode("utf-16"), "utf-16"),
    "utf-16-le": (lambda t: t.encode("utf-16-le"), "utf-16-le"),
    "cp1258-excel": (cp1258, "cp1258"),
    "cp1258-precomposed": (lambda t: _cp1258_precomposed(t), "cp1258"),
    "tcvn3": (tcvn3, "tcvn3"),
    "vni": (vni, "vni"),
}


def _list(names: list[str]) -> str:
    return "ten;han_nop\r\n" + "".join(f"{n};20/01/2024\r\n" for n in names)


def _cp1258_precomposed(text: str) -> bytes:
    """Windows-1258 as other programs write it: a letter precomposed where the code page
    has it (à, á, â, ô …), base letter + tone byte where it has not."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            out += cp1258(ch)
    return out


def test_the_corpus_has_enough_names() -> None:
    assert len(UNITS) >= 40


@pytest.mark.parametrize("name", list(ENCODERS))
def test_the_whole_list_is_read_in_every_encoding(name: str) -> None:
    encode, expected = ENCODERS[name]
    text = _list(UNITS)
    found = encoding.detect(encode(text))
    assert found.chosen is not None, found
    assert found.chosen.encoding == expected
    assert found.chosen.text.lstrip("\ufeff") == (
        _as_tcvn3_reads(text) if name == "tcvn3" else text
    )


@pytest.mark.parametrize("name", ["cp1258-excel", "tcvn3", "vni"])
@pytest.mark.parametrize("unit", UNITS)
def test_a_one_name_list_is_read_right_or_refused(name: str, unit: str) -> None:
    encode, expected = ENCODERS[name]
    text = _list([unit])
    found = encoding.detect(encode(text))
    assert found.chosen is not None
    assert found.chosen.encoding == expected
    assert found.chosen.text.lower() == text.lower()


def test_windows_1258_is_not_read_as_tcvn3() -> None:
    found = encoding.detect(cp1258("ten\r\nSở Giáo dục và Đào tạo\r\n"))
    assert found.chosen is not None
    assert found.chosen.encoding == "cp1258"
    assert "Sở Giáo dục và Đào tạo" in found.chosen.text
    tcvn3_reading = next(r for r in found.readings if r.encoding == "tcvn3")
    assert tcvn3_reading.text.split("\r\n")[1] == "Sừề Giaỡo duũc vaè éaèo taũo"
    assert tcvn3_reading.score < encoding.PLAUSIBLE


def test_two_plausible_readings_are_both_shown() -> None:
    found = encoding.detect(cp1258("ten\r\nThôn Tân Sơn\r\n"))
    assert found.chosen is None
    first, second = found.rivals
    assert encoding.differing_line(first.text, second.text) == (2, "Thôn Tân Sơn", "Thụn Tõn Sừn")


def test_the_score_counts_syllables_with_their_tone_in_place() -> None:
    assert encoding.score("Đảng ủy xã Hòa Thắng, Tân Hoà") == (7, 0)
    assert encoding.score("haò tƠ chÝnh") == (0, 3)  # tone misplaced, capital inside a word
    assert encoding.score("nh©n d©n") == (0, 2)  # a legacy symbol is part of the word
    assert encoding.score("UBND Krông Pắc") == (1, 1)  # ASCII words are not counted


def test_legacy_text_converts_only_the_pasted_lines() -> None:
    value = "Dòng gõ đúng Unicode: tổ chức.\n" + vntext.unicode_to_tcvn3(
        "Dòng dán từ .VnTime: tổ chức"
    )
    kind, converted = encoding.legacy_text(value) or ("", "")
    assert kind == "TCVN3"
    assert converted == "Dòng gõ đúng Unicode: tổ chức.\nDòng dán từ .VnTime: tổ chức"
    assert encoding.legacy_text("Café Tây Hồ, Hà Nội") is None


# ------------------------------------------------------------------ YAML with pasted text


@pytest.fixture
def office(tmp_path: Path) -> Path:
    folder = tmp_path / "office"
    folder.mkdir()
    shutil.copy(OFFICE / "tetngheo.yaml", folder / "tetngheo.yaml")
    shutil.copytree(OFFICE / "bieu-mau", folder / "bieu-mau")
    text = (OFFICE / SEED_000).read_text(encoding="utf-8")
    old = "trich_yeu: V/v đẩy mạnh tuyên truyền “Tuần cao điểm Tết vì người nghèo” năm 2024"
    assert old in text
    pasted = "trich_yeu: V/v tæ chøc tuyªn truyÒn “TuÇn cao ®iÓm TÕt v× ng\u00adêi nghÌo”"
    (folder / "cv.yaml").write_text(text.replace(old, pasted), encoding="utf-8")
    return folder


PASTED = "V/v tæ chøc tuyªn truyÒn “TuÇn cao ®iÓm TÕt v× ng\u00adêi nghÌo”"
CONVERTED = "V/v tổ chức tuyên truyền “Tuần cao điểm Tết vì người nghèo”"


def test_pasted_tcvn3_in_a_directive_is_refused_with_its_reading(office: Path) -> None:
    result = run_cli("check", office / "cv.yaml")
    assert result.exit_code == 1
    assert not has_traceback(result)
    assert (
        f"{office / 'cv.yaml'}:7:12: trich_yeu: chữ TCVN3 (ABC, phông .VnTime) dán vào tệp "
        f"Unicode sẽ in sai: '{PASTED}' đọc theo TCVN3 là '{CONVERTED}'; hãy gõ lại bằng bảng "
        "mã Unicode (Unikey: bảng mã Unicode), hoặc chạy lại với --chuyen-ma để tự chuyển"
    ) in result.output
    assert "U+00AD" not in result.output  # TCVN3's ư, not a stray soft hyphen


def test_chuyen_ma_converts_and_says_so(office: Path) -> None:
    result = run_cli("check", office / "cv.yaml", "--chuyen-ma")
    assert result.exit_code == 0, result.output
    assert (
        f"{office / 'cv.yaml'}:7:12: trich_yeu: cảnh báo: đã chuyển chữ TCVN3 (ABC, phông "
        f".VnTime) sang Unicode: '{PASTED}' → '{CONVERTED}'; hãy kiểm tra, rồi sửa luôn trong "
        "tệp (gõ lại bằng bảng mã Unicode) cho lần sau"
    ) in result.output
    from tetngheo_docs import api

    loaded = api.load(office / "cv.yaml", convert_legacy=True)
    assert loaded.directive.trich_yeu == CONVERTED


def test_pasted_vni_in_a_block_is_located_at_its_line(office: Path) -> None:
    path = office / "cv.yaml"
    text = path.read_text(encoding="utf-8").replace(f"trich_yeu: {PASTED}", "trich_yeu: V/v X")
    marker = "noi_dung: |\n"
    assert marker in text
    head, tail = text.split(marker, 1)
    pasted = "Cộng hòa xã hội chủ nghĩa"
    line = "  " + vntext.unicode_to_vni(pasted) + "\n"
    path.write_text(head + marker + line + tail, encoding="utf-8")
    number = (head + marker).count("\n") + 1
    result = run_cli("check", path)
    assert result.exit_code == 1
    expected = (
        f"{path}:{number}:3: noi_dung: chữ VNI (phông VNI-Times) dán vào tệp Unicode sẽ in sai: "
        f"'{vntext.unicode_to_vni(pasted)}' đọc theo VNI là '{pasted}'"
    )
    assert expected in result.output
