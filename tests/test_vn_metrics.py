"""Tests for tetngheo_docs.vn.metrics and its data file (Liberation Serif advance widths)."""

from __future__ import annotations

import json
import unicodedata
from importlib import resources
from pathlib import Path

import pytest

from tetngheo_docs.vn import gen_metrics
from tetngheo_docs.vn.metrics import (
    char_width_units,
    mm_to_twips,
    pt_to_half_points,
    text_width_mm,
)

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


def _data() -> dict[str, object]:
    text = resources.files("tetngheo_docs.vn").joinpath("liberation_serif_widths.json")
    return json.loads(text.read_text(encoding="utf-8"))


# Figures quoted in format-rules.md §11 (and §6 for the long date line).
@pytest.mark.parametrize(
    ("text", "size", "bold", "italic", "expected_mm"),
    [
        (QUOC_HIEU, 13, True, False, 95.7),
        (QUOC_HIEU, 12, True, False, 88.3),
        (TIEU_NGU, 14, True, False, 60.5),
        (TIEU_NGU, 13, True, False, 56.1),
        ("ĐẢNG CỘNG SẢN VIỆT NAM", 15, True, False, 73.0),
        ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH THÁI NGUYÊN", 14, False, False, 119.0),
        ("Thành phố Hồ Chí Minh, ngày 29 tháng 6 năm 2019", 14, False, True, 104.0),
    ],
)
def test_rule_book_figures(
    text: str, size: float, bold: bool, italic: bool, expected_mm: float
) -> None:
    width = text_width_mm(text, size, bold=bold, italic=italic)
    assert width == pytest.approx(expected_mm, abs=1.0)
    # NFD input measures the same: combining marks take no advance.
    decomposed = unicodedata.normalize("NFD", text)
    assert text_width_mm(decomposed, size, bold=bold, italic=italic) == pytest.approx(width)


@pytest.mark.parametrize(
    ("text", "size", "bold", "italic", "expected_mm"),
    [
        # Exact values from the font units (Liberation Serif 2.1.5, 2048 units per em).
        ("n", 12, False, False, 1024 / 2048 * 12 * 25.4 / 72),
        ("M", 10, False, False, 1821 / 2048 * 10 * 25.4 / 72),
        (" ", 14, True, False, 512 / 2048 * 14 * 25.4 / 72),
        ("", 14, False, False, 0.0),
    ],
)
def test_exact_widths(text: str, size: float, bold: bool, italic: bool, expected_mm: float) -> None:
    assert text_width_mm(text, size, bold=bold, italic=italic) == pytest.approx(expected_mm)


def test_width_scales_with_size() -> None:
    assert text_width_mm(QUOC_HIEU, 26, bold=True) == pytest.approx(
        2 * text_width_mm(QUOC_HIEU, 13, bold=True)
    )


def test_styles_differ() -> None:
    widths = {
        (b, i): text_width_mm("Hạnh phúc ĐẢNG ỦY", 14, bold=b, italic=i)
        for b in (False, True)
        for i in (False, True)
    }
    assert len(set(widths.values())) == 4


@pytest.mark.parametrize(
    ("ch", "same_as"),
    [
        ("ở", "ơ"),
        ("Ự", "Ư"),
        ("ậ", "a"),
        ("Ế", "E"),
        ("ĩ", "i"),
        ("ỵ", "y"),
    ],
)
def test_toned_letters_take_base_width(ch: str, same_as: str) -> None:
    for bold in (False, True):
        assert char_width_units(ch, bold=bold) == char_width_units(same_as, bold=bold)


def test_horned_letters_are_wider() -> None:
    assert char_width_units("ơ") > char_width_units("o")
    assert char_width_units("Ư") > char_width_units("U")


@pytest.mark.parametrize(
    ("ch", "fallback"),
    [
        ("ǘ", "ü"),  # not in the table: NFD u + ¨ + ´ → ü
        ("ḿ", "m"),
        ("Ǻ", "Å"),
        ("😀", "n"),  # nothing to decompose: width of 'n'
        ("漢", "n"),
    ],
)
def test_fallback_for_unknown_chars(ch: str, fallback: str) -> None:
    assert char_width_units(ch) == char_width_units(fallback)


@pytest.mark.parametrize("ch", ["\u0301", "\u0323", "\u200b", "\u202e", "\ufeff", "\n", "\t"])
def test_zero_width_chars(ch: str) -> None:
    assert char_width_units(ch) == 0


@pytest.mark.parametrize(
    ("mm", "twips"),
    [
        (0, 0),
        (10, 567),
        (25.4, 1440),
        (20, 1134),
        (30, 1701),
        (15, 850),
        (165, 9354),
        (-3.5, -198),
        (1, 57),
    ],
)
def test_mm_to_twips(mm: float, twips: int) -> None:
    assert mm_to_twips(mm) == twips


@pytest.mark.parametrize(
    ("pt", "half"), [(13, 26), (14, 28), (12.5, 25), (13.5, 27), (0, 0), (10.26, 21)]
)
def test_pt_to_half_points(pt: float, half: int) -> None:
    assert pt_to_half_points(pt) == half


# ----------------------------------------------------------------------------- data file


def test_data_file_shape() -> None:
    data = _data()
    styles = data["styles"]
    assert isinstance(styles, dict)
    assert sorted(styles) == ["bold", "bold_italic", "italic", "regular"]
    wanted = {f"{cp:04X}" for cp in gen_metrics.codepoints()}
    for entry in styles.values():
        assert entry["unitsPerEm"] == 2048
        assert set(entry["widths"]) == wanted
        assert list(entry["widths"]) == sorted(entry["widths"])
        assert entry["derived"] == []  # generated from a font with full Vietnamese coverage


def test_codepoint_set_covers_vietnamese() -> None:
    cps = set(gen_metrics.codepoints())
    assert set(range(0x20, 0x7F)) <= cps
    assert set(range(0xA0, 0x100)) <= cps
    assert set(range(0x1EA0, 0x1EFA)) <= cps
    for ch in "ăâđêôơưĂÂĐÊÔƠƯĩĨũŨ“”‘’–—…•\u0300\u0301\u0303\u0309\u0323":
        assert ord(ch) in cps, ch


def test_data_file_is_compact_and_deterministic() -> None:
    path = Path(gen_metrics.OUTPUT)
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 20
    assert "\t" not in text


def test_derive_rule() -> None:
    present = {ord("o"): 1024, ord("ơ"): 1083, ord("a"): 909}
    assert gen_metrics.derive(ord("ở"), present) == 1083
    assert gen_metrics.derive(ord("ậ"), present) == 909
    assert gen_metrics.derive(0x0309, present) == 0
    assert gen_metrics.derive(ord("x"), present) is None


def test_installed_font_agrees_with_data() -> None:
    """Widths the installed Liberation Serif has must match the committed table.

    Liberation Serif 1.07 (Debian fonts-liberation) lacks ơ, ư and U+1EA0–U+1EF9 and draws
    U+00B7 at 512 units instead of 682; the table comes from 2.1.5, which has them all.
    """
    pytest.importorskip("fontTools")
    try:
        paths = gen_metrics.find_fonts(None)
    except SystemExit:
        pytest.skip("Liberation Serif is not installed")
    styles = _data()["styles"]
    assert isinstance(styles, dict)
    for key in ("regular", "bold"):
        entry, _version = gen_metrics.measure(paths[key])
        measured = entry["widths"]
        derived = set(entry["derived"])
        table = styles[key]["widths"]
        diffs = {cp for cp, width in measured.items() if cp not in derived and table[cp] != width}
        assert diffs <= {"00B7"}
