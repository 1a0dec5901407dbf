"""Tests for tetngheo_docs.vn.text: NFC, case, control and invisible chars, slugs, TCVN3/VNI."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tetngheo_docs.vn.text import (
    INVISIBLE,
    describe_char,
    detect_legacy,
    illegal_chars,
    is_vietnamese_syllable,
    nfc,
    slug_ascii,
    slugs_ascii,
    strip_invisible,
    tcvn3_to_unicode,
    unicode_to_tcvn3,
    unicode_to_vni,
    upper_vn,
    vni_to_unicode,
)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# ------------------------------------------------------------------------------- NFC, case


def test_nfc_counts_code_points() -> None:
    name = "Nguyễn Văn Đức"
    assert len(nfd(name)) == 19
    assert len(nfc(nfd(name))) == 14
    assert nfc(nfd(name)) == name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("đ", "Đ"),
        ("Ủy ban", "ỦY BAN"),
        ("ủy", "ỦY"),
        ("uỷ ban", "UỶ BAN"),
        ("hòa bình", "HÒA BÌNH"),
        ("ă â ê ô ơ ư đ", "Ă Â Ê Ô Ơ Ư Đ"),
        ("cộng hòa xã hội chủ nghĩa việt nam", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("Đảng ủy Khối các cơ quan", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN"),
        ("Số 12/UBND-VX", "SỐ 12/UBND-VX"),
    ],
)
def test_upper_vn(text: str, expected: str) -> None:
    assert upper_vn(text) == expected
    out = upper_vn(nfd(text))
    assert out == expected
    assert unicodedata.is_normalized("NFC", out)


def test_upper_vn_every_letter_stays_one_code_point() -> None:
    for base in "aăâeêioôơuưy":
        for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"):
            letter = nfc(base + tone)
            upper = upper_vn(letter)
            assert len(letter) == 1
            assert len(upper) == 1, letter
            assert upper.lower() == letter


# -------------------------------------------------------------------------- illegal chars


@pytest.mark.parametrize("cp", list(range(0x00, 0x20)) + list(range(0x7F, 0xA0)))
def test_illegal_controls_reported(cp: int) -> None:
    s = f"ab{chr(cp)}c"
    assert illegal_chars(s) == [(2, chr(cp))]


@pytest.mark.parametrize("ch", ["\ufffe", "\uffff", "\ud800", "\udbff", "\udc00", "\udfff"])
def test_illegal_noncharacters_and_surrogates(ch: str) -> None:
    assert illegal_chars("x" + ch) == [(1, ch)]


@pytest.mark.parametrize(
    "s",
    [
        " ~",
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        "\u00a0\u00ad\u200b\u202e",
        "\ufffd\ufeff",
        "😀 €₫",
        nfd("Nguyễn"),
    ],
)
def test_legal_text_not_reported(s: str) -> None:
    assert illegal_chars(s) == []


def test_illegal_positions() -> None:
    s = "triển khai\x0bnền\tvà\x07"
    assert illegal_chars(s) == [(10, "\x0b"), (14, "\t"), (17, "\x07")]


@pytest.mark.parametrize(
    ("ch", "expected"),
    [
        ("\x0b", "U+000B (ngắt dòng mềm của Word)"),
        ("\t", "U+0009 (tab)"),
        ("\x07", "U+0007 (BEL)"),
        ("\n", "U+000A (xuống dòng)"),
        ("\x0c", "U+000C (ngắt trang)"),
        ("\x01", "U+0001 (ký tự điều khiển SOH)"),
        ("\x1f", "U+001F (ký tự điều khiển US)"),
        ("\x85", "U+0085 (ký tự điều khiển C1)"),
        ("\ud800", "U+D800 (nửa cặp surrogate đơn lẻ, không mã hóa được)"),
        ("\u202e", "U+202E (điều khiển hướng chữ RLO, đảo ngược chữ)"),
        ("\u200b", "U+200B (khoảng trắng độ rộng 0)"),
        ("a", "U+0061 (LATIN SMALL LETTER A)"),
        ("ệ", "U+1EC7 (LATIN SMALL LETTER E WITH CIRCUMFLEX AND DOT BELOW)"),
        ("😀", "U+1F600 (GRINNING FACE)"),
    ],
)
def test_describe_char(ch: str, expected: str) -> None:
    assert describe_char(ch) == expected


def test_describe_every_illegal_char() -> None:
    for cp in list(range(0x20)) + list(range(0x7F, 0xA0)) + [0xFFFE, 0xFFFF, 0xDABC]:
        text = describe_char(chr(cp))
        assert text.startswith(f"U+{cp:04X} (")
        assert text.endswith(")")


@pytest.mark.parametrize("s", ["", "ab"])
def test_describe_char_needs_one_char(s: str) -> None:
    with pytest.raises(ValueError):
        describe_char(s)


# ------------------------------------------------------------------------------ invisible


@pytest.mark.parametrize(
    "cp",
    [
        *(0x200B, 0x200C, 0x200D, 0xFEFF),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ],
)
def test_strip_invisible(cp: int) -> None:
    assert chr(cp) in INVISIBLE
    assert strip_invisible(f"Hà{chr(cp)} Nội{chr(cp)}") == "Hà Nội"


def test_strip_invisible_keeps_visible_text() -> None:
    s = "Cộng hòa\u00a0xã hội – “chủ nghĩa” \t\n😀"
    assert strip_invisible(s) == s
    assert strip_invisible("hóa đơn\u202egnp.exe") == "hóa đơngnp.exe"


# ----------------------------------------------------------------------------------- slug

SLUG_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chi bộ Văn phòng Đảng ủy", "chi-bo-van-phong-dang-uy"),
        ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN", "dang-uy-khoi-cac-co-quan"),
        ("Nguyễn Văn Đức", "nguyen-van-duc"),
        ("Sở KH&ĐT", "so-kh-dt"),
        ("Sở KH-ĐT", "so-kh-dt"),
        ("  --Hello__World--  ", "hello-world"),
        ("Công văn số 05/UBND-VX", "cong-van-so-05-ubnd-vx"),
        ("CON", "con"),
        ("con.txt", "con-txt"),
        ("COM1", "com1"),
        ('a/b\\c:d*e?f"g<h>i|j', "a-b-c-d-e-f-g-h-i-j"),
        ("file.docx.", "file-docx"),
        ("trailing space ", "trailing-space"),
        ("../../etc/passwd", "etc-passwd"),
        ("C:\\Users\\Văn thư\\Desktop", "c-users-van-thu-desktop"),
        ("Ｕỷ ban ＮＤ", "uy-ban-nd"),
        ("hóa đơn\u202egnp.exe", "hoa-dongnp-exe"),
        ("a\u200bb", "ab"),
        ("Œuvre Straße Øresund Æsir", "oeuvre-strasse-oresund-aesir"),
        ("ﬁnal", "final"),
        ("😀🎉", ""),
        ("...", ""),
        ("", ""),
        ("Москва", ""),
        ("Phòng 2.01 — tầng 3", "phong-2-01-tang-3"),
    ],
)
def test_slug_ascii(text: str, expected: str) -> None:
    assert slug_ascii(text) == expected
    assert slug_ascii(nfd(text)) == expected


def test_slug_cut_on_boundary() -> None:
    text = "Ủy ban nhân dân tỉnh Thái Nguyên về việc triển khai thực hiện kế hoạch năm 2024"
    full = slug_ascii(text, max_len=500)
    assert full.startswith("uy-ban-nhan-dan-tinh-thai-nguyen-ve-viec")
    cut = slug_ascii(text)
    assert len(cut) <= 60
    assert full.startswith(cut)
    assert full[len(cut)] == "-"
    assert slug_ascii(text, max_len=6) == "uy-ban"  # boundary right after the cut
    assert slug_ascii(text, max_len=7) == "uy-ban"
    assert slug_ascii(text, max_len=1) == "u"


def test_slug_hard_cut_without_boundary() -> None:
    assert slug_ascii("a" * 100, max_len=60) == "a" * 60
    assert slug_ascii("abcdefghij-k", max_len=5) == "abcde"


@pytest.mark.parametrize("max_len", [0, -1])
def test_slug_max_len_must_be_positive(max_len: int) -> None:
    with pytest.raises(ValueError):
        slug_ascii("abc", max_len=max_len)


@pytest.mark.parametrize("max_len", [1, 2, 3, 5, 8, 13, 60])
def test_slug_shape(max_len: int) -> None:
    samples = [
        "Chi bộ Văn phòng Đảng ủy",
        "x" * 70 + " y",
        "a-b-c-d-e-f-g-h",
        "Tỉnh ủy Thái Nguyên / Ban Tuyên giáo",
        "--__--",
    ]
    for text in samples:
        slug = slug_ascii(text, max_len=max_len)
        assert len(slug) <= max_len
        assert slug == "" or SLUG_RE.fullmatch(slug), slug


# ----------------------------------------------------------------- legacy encodings: tables

# Written out independently of the module, in the order plain, sắc, huyền, hỏi, ngã, nặng.
LETTERS = [
    "aáàảãạ",
    "ăắằẳẵặ",
    "âấầẩẫậ",
    "eéèẻẽẹ",
    "êếềểễệ",
    "iíìỉĩị",
    "oóòỏõọ",
    "ôốồổỗộ",
    "ơớờởỡợ",
    "uúùủũụ",
    "ưứừửữự",
    "yýỳỷỹỵ",
]
TCVN3_ROWS = [
    "a\xb8\xb5\xb6\xb7\xb9",
    "\xa8\xbe\xbb\xbc\xbd\xc6",
    "\xa9\xca\xc7\xc8\xc9\xcb",
    "e\xd0\xcc\xce\xcf\xd1",
    "\xaa\xd5\xd2\xd3\xd4\xd6",
    "i\xdd\xd7\xd8\xdc\xde",
    "o\xe3\xdf\xe1\xe2\xe4",
    "\xab\xe8\xe5\xe6\xe7\xe9",
    "\xac\xed\xea\xeb\xec\xee",
    "u\xf3\xef\xf1\xf2\xf4",
    "\xad\xf8\xf5\xf6\xf7\xf9",
    "y\xfd\xfa\xfb\xfc\xfe",
]
TCVN3_CAPITALS = {"Ă": "\xa1", "Â": "\xa2", "Ê": "\xa3", "Ô": "\xa4", "Ơ": "\xa5", "Ư": "\xa6"}
VNI_ROWS = [
    ("a", "aù", "aø", "aû", "aõ", "aï"),
    ("aê", "aé", "aè", "aú", "aü", "aë"),
    ("aâ", "aá", "aà", "aå", "aã", "aä"),
    ("e", "eù", "eø", "eû", "eõ", "eï"),
    ("eâ", "eá", "eà", "eå", "eã", "eä"),
    ("i", "í", "ì", "æ", "ó", "ò"),
    ("o", "où", "oø", "oû", "oõ", "oï"),
    ("oâ", "oá", "oà", "oå", "oã", "oä"),
    ("ô", "ôù", "ôø", "ôû", "ôõ", "ôï"),
    ("u", "uù", "uø", "uû", "uõ", "uï"),
    ("ö", "öù", "öø", "öû", "öõ", "öï"),
    ("y", "yù", "yø", "yû", "yõ", "î"),
]
TCVN3_PAIRS = [
    (letter, code)
    for letters, codes in zip(LETTERS, TCVN3_ROWS, strict=True)
    for letter, code in zip(letters, codes, strict=True)
] + [("đ", "\xae"), ("Đ", "\xa7"), *TCVN3_CAPITALS.items()]
VNI_PAIRS = [
    (letter, seq)
    for letters, seqs in zip(LETTERS, VNI_ROWS, strict=True)
    for letter, seq in zip(letters, seqs, strict=True)
] + [("đ", "ñ")]


def test_tables_cover_the_alphabet() -> None:
    # 67 lowercase letters; TCVN3 adds 7 capitals (74 codes), VNI has every capital too.
    assert len({letter for letter, _ in TCVN3_PAIRS if not letter.isascii()}) == 67 + 7
    assert len({code for _, code in TCVN3_PAIRS if len(code) == 1 and not code.isascii()}) == 74
    assert len({letter for letter, _ in VNI_PAIRS if not letter.isascii()}) == 67


@pytest.mark.parametrize(("letter", "code"), TCVN3_PAIRS)
def test_tcvn3_letter(letter: str, code: str) -> None:
    assert unicode_to_tcvn3(letter) == code
    assert tcvn3_to_unicode(code) == letter


def test_tcvn3_toned_capitals_use_lowercase_codes() -> None:
    for letters, codes in zip(LETTERS, TCVN3_ROWS, strict=True):
        for letter, code in zip(letters[1:], codes[1:], strict=True):
            assert unicode_to_tcvn3(letter.upper()) == code


@pytest.mark.parametrize(("letter", "seq"), VNI_PAIRS)
def test_vni_letter(letter: str, seq: str) -> None:
    assert unicode_to_vni(letter) == seq
    assert vni_to_unicode(seq) == letter
    assert unicode_to_vni(letter.upper()) == seq.upper()
    assert vni_to_unicode(seq.upper()) == letter.upper()


WORDS = (
    "cộng hòa xã hội chủ nghĩa việt nam độc lập tự do hạnh phúc ủy ban nhân dân tỉnh "
    "thái nguyên đảng khối các cơ quan người thuở quyết khuya giữa nghiêng ngoằn ngoèo "
    "chuyển đổi ưu tiên trưởng phường xã hướng dẫn kế hoạch thường vụ tuyên giáo ấy ẩn "
    "ẫm ậm ắt ằn ẳng ẵm ặt ếch ề ể ễ ệ ĩa ỉ ị ọ ỏ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ụ ủ ứ ừ ử ữ ự ỳ ỷ ỹ ỵ ý"
).split()


@pytest.mark.parametrize("word", WORDS)
def test_round_trip_words(word: str) -> None:
    assert tcvn3_to_unicode(unicode_to_tcvn3(word)) == word
    assert vni_to_unicode(unicode_to_vni(word)) == word
    title = word[0].upper() + word[1:]
    assert vni_to_unicode(unicode_to_vni(title)) == title
    assert vni_to_unicode(unicode_to_vni(upper_vn(word))) == upper_vn(word)
    # .VnTime has no toned capitals: they come back in lower case.
    assert tcvn3_to_unicode(unicode_to_tcvn3(upper_vn(word))).lower() == word


def test_round_trip_nfd_input() -> None:
    text = "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert vni_to_unicode(unicode_to_vni(nfd(text))) == text
    assert unicode_to_tcvn3(nfd(text)) == "Céng hßa x· héi chñ nghÜa ViÖt Nam"


# Samples written by hand (and quoted in hazards.md §2.3), not produced by the module.
TCVN3_LITERAL = [
    ("ñy ban nh©n d©n tØnh", "ủy ban nhân dân tỉnh"),
    ("Céng hßa x· héi chñ nghÜa", "Cộng hòa xã hội chủ nghĩa"),
    ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("§¶ng bé tØnh Th¸i Nguyªn", "Đảng bộ tỉnh Thái Nguyên"),
    ("B¶o Th¾ng", "Bảo Thắng"),
    ("M\xadêng Kh\xad¬ng", "Mường Khương"),
    ("B¸t X¸t", "Bát Xát"),
    ("TiÕng ViÖt", "Tiếng Việt"),
    ("ng\xadêi d©n", "người dân"),
]
VNI_LITERAL = [
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("Xin chaøo caùc baïn", "Xin chào các bạn"),
    ("ngöôøi daân", "người dân"),
    ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Ñaûng boä tænh Thaùi Nguyeân", "Đảng bộ tỉnh Thái Nguyên"),
    ("tieáng Vieät", "tiếng Việt"),
    ("UÛy ban nhaân daân", "Ủy ban nhân dân"),
]


@pytest.mark.parametrize(("legacy", "unicode"), TCVN3_LITERAL)
def test_tcvn3_literal_samples(legacy: str, unicode: str) -> None:
    assert tcvn3_to_unicode(legacy) == unicode
    assert detect_legacy(legacy) == "TCVN3"


@pytest.mark.parametrize(("legacy", "unicode"), VNI_LITERAL)
def test_vni_literal_samples(legacy: str, unicode: str) -> None:
    assert vni_to_unicode(legacy) == unicode
    assert detect_legacy(legacy) == "VNI"


# ---------------------------------------------------------------- legacy encodings: detection

GENUINE = [
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Độc lập - Tự do - Hạnh phúc",
    "Ủy ban nhân dân tỉnh Thái Nguyên",
    "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH THÁI NGUYÊN",
    "Ban Tuyên giáo Đảng ủy Khối",
    "Nguyễn Văn Đức, Trần Thị Hòa, Lê Lợi",
    "hòa bình, của chúng ta, ưu tiên hàng đầu",
    "Thực hiện Nghị quyết số 18-NQ/TW ngày 25-10-2017",
    "Kính gửi: Các sở, ban, ngành; Ủy ban nhân dân các huyện",
    "Nơi nhận: Như trên; Lưu: VT, VX.",
    "Hà Nội, ngày 03 tháng 4 năm 2018",
    "Thành phố Hồ Chí Minh, ngày 29 tháng 6 năm 2019",
    "Quyết định về việc ban hành Quy chế làm việc",
    "người dân được hưởng lợi từ chính sách mới",
    "khuyến khích phát triển kinh tế tập thể, hợp tác xã",
    "Chi bộ Văn phòng Đảng ủy đã tổ chức sinh hoạt chuyên đề",
    "Sở Kế hoạch và Đầu tư; Sở KH&ĐT; Sở Tài chính",
    "quốc phòng, an ninh, trật tự an toàn xã hội",
    "Điều 5. Trách nhiệm thi hành; § 3, © 2024, ½, 3×4, ±5 °C",
    "Uỷ ban kiểm tra Tỉnh uỷ; hoà giải; thuỷ lợi; khoẻ mạnh",
    "giữa nghiêng khuya thuở quyết toán ngoằn ngoèo",
    "Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch",
    "Đà Nẵng, Huế, Cần Thơ, Hải Phòng, Quảng Ninh, Bà Rịa - Vũng Tàu",
    "Phạm Minh Chính, Võ Văn Thưởng, Tô Lâm",
    "mùa xuân, ước mơ, sương mù, chương trình, phương án",
    "T/M BAN THƯỜNG VỤ, K/T TRƯỞNG BAN, PHÓ TRƯỞNG BAN",
    "Tăng cường công tác tuyên truyền, phổ biến, giáo dục pháp luật",
    "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",
    "nghiên cứu, đề xuất, triển khai thực hiện có hiệu quả",
    "Lưu ý: không dùng phông chữ .VnTime hoặc VNI-Times nữa",
    "Ủy ban",
    "Thái Nguyên",
    "Nguyễn",
    "ưu tiên",
    "của",
    "hòa",
]
FOREIGN = [
    "café, naïve, Noël, Zürich, façade, señor, Müller, Ångström",
    "« Liberté, égalité, fraternité » à Paris, où l'on a bu du thé",
    "Où est le café à côté de la gare? Voilà, c'est très près",
    "Le garçon a mangé une crème brûlée à Noël",
    "Ça m'a coûté cher, hélas, mais la forêt était belle",
    "Müller, Schröder und Jäger aßen Käse in Köln",
    "Señor Núñez y la niña comieron piñas en Córdoba",
    "Crème brûlée, piñata, jalapeño, smörgåsbord, Bjørn, Øresund",
    "São João, ação, coração, pão, irmã, avó, você",
    "Smørrebrød, blåbær og rødgrød med fløde på Ærø",
    "Åsa Lindström och Björn Ulvaeus i Göteborg",
    "naïve coöperation, Zoë, Chloë, résumé, déjà vu, fiancé",
    "½ kg, 3×4 m², ±0,5 °C, © 2024, ® ™, § 12, ¶ 3, « » ¡ ¿ µ",
    "Đà Nẵng Cafe & Bistro – Phở 24 – ÉLAN Spa – Crème de la crème",
    "The quick brown fox jumps over the lazy dog",
    "el ñu",
    "café",
    "naïve",
    "",
]
# Pure Vietnamese phrases to encode (proper nouns included, no foreign words).
TO_ENCODE = [p for p in GENUINE[:30] if "©" not in p]


def test_genuine_list_is_large_enough() -> None:
    assert len(GENUINE) >= 30
    assert len(TO_ENCODE) >= 25


@pytest.mark.parametrize("text", GENUINE + FOREIGN)
def test_no_false_positive(text: str) -> None:
    assert detect_legacy(text) is None
    assert detect_legacy(nfd(text)) is None


@pytest.mark.parametrize("text", GENUINE)
def test_genuine_words_are_syllables(text: str) -> None:
    for word in re.findall(r"\w+", text):
        if word.isalpha() and not word.isascii() and word != "ĐT":
            assert is_vietnamese_syllable(word), word


@pytest.mark.parametrize(
    ("word", "ok"),
    [
        ("nghiêng", True),
        ("khuya", True),
        ("người", True),
        ("thuở", True),
        ("quốc", True),
        ("giữa", True),
        ("hoà", True),
        ("hòa", True),
        ("kèm", True),
        ("ghế", True),
        ("café", False),
        ("kan", False),  # k only before i, e, ê, y
        ("cem", False),  # c never before e
        ("ghà", False),
        ("tàc", False),  # -c only with sắc or nặng
        ("oọ", False),  # oo needs a final consonant (xoong)
        ("treõn", False),
        ("nhaọn", False),
        ("hàá", False),  # two tone marks
        ("ăn", True),
        ("ă", False),  # ă needs a final consonant
    ],
)
def test_is_vietnamese_syllable(word: str, ok: bool) -> None:
    assert is_vietnamese_syllable(word) is ok


@pytest.mark.parametrize("text", TO_ENCODE)
def test_detect_constructed_tcvn3(text: str) -> None:
    assert detect_legacy(unicode_to_tcvn3(text)) == "TCVN3"


@pytest.mark.parametrize("text", TO_ENCODE)
def test_detect_constructed_vni(text: str) -> None:
    assert detect_legacy(unicode_to_vni(text)) == "VNI"
    assert detect_legacy(unicode_to_vni(upper_vn(text))) == "VNI"


@pytest.mark.parametrize("text", TO_ENCODE)
def test_convert_constructed(text: str) -> None:
    assert vni_to_unicode(unicode_to_vni(text)) == text
    back = tcvn3_to_unicode(unicode_to_tcvn3(text))
    assert back.lower() == text.lower()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nh©n", "TCVN3"),
        ("ViÖt", "TCVN3"),
        ("TiÕng ViÖt", "TCVN3"),
        ("Vieät", "VNI"),
        ("Coäng hoøa", "VNI"),
        ("ñy", None),  # two letters, and both encodings could explain it
        ("§", None),
        ("Hà Nội ViÖt", None),
    ],
)
def test_detect_short_texts(text: str, expected: str | None) -> None:
    assert detect_legacy(text) == expected


def test_detect_mixed_document_with_legacy_paragraph() -> None:
    text = "Kính gửi: Ủy ban nhân dân tỉnh.\n" + unicode_to_tcvn3(
        "Thực hiện kế hoạch của Tỉnh ủy về công tác tuyên truyền"
    )
    assert detect_legacy(text) == "TCVN3"


# Letters, marks, spaces and separators that slugs and file names meet in recipient lists.
_SLUG_ALPHABET = "aăâbdđeêioôơuưyAĐÀẢỘ 0129-_&/.,()ﬁ①ｶßÆǅ\t\n\u00a0\u200b\u0301\u0323😀"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet=_SLUG_ALPHABET, max_size=70), max_size=8),
    st.sampled_from([1, 4, 60]),
)
def test_slugs_ascii_equals_slug_ascii_of_each(texts: list[str], max_len: int) -> None:
    assert slugs_ascii(texts, max_len) == [slug_ascii(t, max_len) for t in texts]
