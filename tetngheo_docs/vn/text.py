"""Vietnamese text: NFC, upper case, illegal and invisible characters, slugs, TCVN3/VNI."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = [
    "INVISIBLE",
    "describe_char",
    "detect_legacy",
    "illegal_chars",
    "is_vietnamese_syllable",
    "nfc",
    "slug_ascii",
    "slugs_ascii",
    "strip_invisible",
    "tcvn3_to_unicode",
    "tone_key",
    "unicode_to_tcvn3",
    "unicode_to_vni",
    "upper_vn",
    "vni_to_unicode",
]


# --------------------------------------------------------------------------- normalisation


def nfc(s: str) -> str:
    """Unicode NFC (composed) form; never NFKC, which would wreck legacy text (¼, ª, µ …)."""
    return unicodedata.normalize("NFC", s)


def upper_vn(s: str) -> str:
    """Upper case keeping Vietnamese diacritics: `đ` → `Đ`, `Ủy` → `ỦY`; NFC in and out."""
    return nfc(nfc(s).upper())


# --------------------------------------------------------------- illegal / invisible chars


def illegal_chars(s: str) -> list[tuple[int, str]]:
    """Index and character of everything that must not reach a .docx as is.

    Reported: all of U+0000–U+001F (including tab, CR and LF, which docxtpl gives meaning
    to; the caller decides what to keep), U+007F–U+009F, U+FFFE, U+FFFF and surrogates
    U+D800–U+DFFF (a Python `str` only holds them unpaired, e.g. after `surrogateescape`).
    """
    return [(m.start(), m.group()) for m in ILLEGAL_RE.finditer(s)]


#: What `illegal_chars` reports, for a quick `search` over text that usually has none.
ILLEGAL_RE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


_C0_NAMES = (
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL",
    "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
    "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB",
    "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
)  # fmt: skip

_DESCRIPTIONS = {
    0x00: "NUL, ký tự rỗng",
    0x07: "BEL",
    0x08: "BS, xóa lùi",
    0x09: "tab",
    0x0A: "xuống dòng",
    0x0B: "ngắt dòng mềm của Word",
    0x0C: "ngắt trang",
    0x0D: "về đầu dòng, CR",
    0x1B: "ESC",
    0x7F: "DEL",
    0x00A0: "khoảng trắng không ngắt, NBSP",
    0x00AD: "gạch nối mềm",
    0x200B: "khoảng trắng độ rộng 0",
    0x200C: "ký tự không nối độ rộng 0, ZWNJ",
    0x200D: "ký tự nối độ rộng 0, ZWJ",
    0x200E: "dấu hướng trái sang phải, LRM",
    0x200F: "dấu hướng phải sang trái, RLM",
    0x202A: "điều khiển hướng chữ LRE",
    0x202B: "điều khiển hướng chữ RLE",
    0x202C: "điều khiển hướng chữ PDF",
    0x202D: "điều khiển hướng chữ LRO",
    0x202E: "điều khiển hướng chữ RLO, đảo ngược chữ",
    0x2060: "ký tự nối từ độ rộng 0, WJ",
    0x2066: "điều khiển hướng chữ LRI",
    0x2067: "điều khiển hướng chữ RLI",
    0x2068: "điều khiển hướng chữ FSI",
    0x2069: "điều khiển hướng chữ PDI",
    0x061C: "dấu hướng chữ Ả Rập, ALM",
    0xFEFF: "BOM, khoảng trắng độ rộng 0",
    0xFFFE: "không phải ký tự Unicode",
    0xFFFF: "không phải ký tự Unicode",
}


def describe_char(c: str) -> str:
    """Name one character for a user: `U+000B (ngắt dòng mềm của Word)`, `U+0009 (tab)`."""
    if len(c) != 1:
        raise ValueError(f"describe_char cần đúng một ký tự, nhận được {len(c)}")
    cp = ord(c)
    if cp in _DESCRIPTIONS:
        what = _DESCRIPTIONS[cp]
    elif cp <= 0x1F:
        what = f"ký tự điều khiển {_C0_NAMES[cp]}"
    elif 0x80 <= cp <= 0x9F:
        what = "ký tự điều khiển C1"
    elif 0xD800 <= cp <= 0xDFFF:
        what = "nửa cặp surrogate đơn lẻ, không mã hóa được"
    else:
        what = unicodedata.name(c, "ký tự không tên")
    return f"U+{cp:04X} ({what})"


# Zero-width characters and bidirectional controls. Beyond the obvious ones (U+200B–U+200D,
# U+FEFF, U+202A–U+202E, U+2066–U+2069) this also drops the bidi marks LRM/RLM/ALM and the
# word joiner, which are just as invisible and just as useless in a Vietnamese document.
INVISIBLE: frozenset[str] = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u2060", "\ufeff", "\u061c"]
)
# A character class, not a translate table: 5× faster on the usual text that has none.
_INVISIBLE_RE = re.compile("[" + "".join(sorted(INVISIBLE)) + "]")


def strip_invisible(s: str) -> str:
    """Remove zero-width characters and bidi controls (see `INVISIBLE`)."""
    return _INVISIBLE_RE.sub("", s)


def has_invisible(s: str) -> bool:
    """Whether `strip_invisible` would change ``s``."""
    return _INVISIBLE_RE.search(s) is not None


# ------------------------------------------------------------------------------------ slug

# Letters that do not decompose under NFKD but have an obvious ASCII spelling.
_SLUG_MAP = str.maketrans(
    {
        "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE",
        "œ": "oe", "Œ": "OE", "ß": "ss", "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th",
        "ı": "i", "&": " ",
    }
)  # fmt: skip
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _fold_char(ch: str) -> str:
    """One character as the slug sees it: đ/Đ → d, marks stripped (NFKD, so full-width and
    ligature forms fold too), lower case; anything else is left for `_NON_ALNUM`."""
    text = strip_invisible(nfc(ch)).translate(_SLUG_MAP)
    text = unicodedata.normalize("NFKD", text).translate(_SLUG_MAP)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


class _FoldTable(dict[int, str]):
    """`str.translate` table filled on first use: a batch slugs 1,000 names in one pass each.

    Folding is per character (marks of a decomposed sequence are dropped on their own, the
    only context rule of `str.lower` maps Greek to Greek), so the slug equals folding the
    whole string at once. Bounded: hostile input cannot grow it past `_FOLD_LIMIT` entries.
    """

    def __missing__(self, code: int) -> str:
        value = _fold_char(chr(code))
        if len(self) < _FOLD_LIMIT:
            self[code] = value
        return value


_FOLD_LIMIT = 20_000
_FOLD = _FoldTable()


def slug_ascii(s: str, max_len: int = 60) -> str:
    """ASCII slug: `Chi bộ Văn phòng Đảng ủy` → `chi-bo-van-phong-dang-uy`.

    đ/Đ → d, marks stripped (NFKD, so full-width and ligature forms fold too), lower case,
    every run of other characters → one '-', no '-' at either end. Longer results are cut
    to at most `max_len` characters, on a '-' boundary when there is one. May return ''
    (emoji-only or non-Latin input); callers that need a file name must handle that and
    Windows reserved names (`con`, `nul`, …) themselves.
    """
    if max_len < 1:
        raise ValueError("max_len phải từ 1 trở lên")
    return _cut(_NON_ALNUM.sub("-", s.translate(_FOLD)).strip("-"), max_len)


def slugs_ascii(texts: Sequence[str], max_len: int = 60) -> list[str]:
    """`slug_ascii` of each text, folded in one pass over all of them (one per line: a run
    of other characters never crosses a line break, and nothing folds into one)."""
    if max_len < 1:
        raise ValueError("max_len phải từ 1 trở lên")
    lines = len(texts) - 1
    folded = "\n".join(texts).translate(_FOLD)
    if lines < 1 or folded.count("\n") != lines:  # a text holds a line break itself
        return [slug_ascii(t, max_len) for t in texts]
    bare = folded.replace(" ", "").replace("-", "").replace("\n", "")
    if folded.isascii() and bare.isalnum() and bare.islower():
        # Only a-z, 0-9, spaces and '-' (the usual names): the runs to join are plain.
        dashed = folded.replace(" ", "-")
        slugs = (_DASHES.sub("-", dashed) if "--" in dashed else dashed).split("\n")
    else:
        slugs = _NON_ALNUM_LINES.sub("-", folded).split("\n")
    return [
        slug if len(slug) <= max_len else _cut(slug, max_len)
        for slug in [s.strip("-") for s in slugs]
    ]


_NON_ALNUM_LINES = re.compile(r"[^a-z0-9\n]+")
_DASHES = re.compile("-{2,}")


def _cut(slug: str, max_len: int) -> str:
    """At most ``max_len`` characters, cut on a '-' boundary when there is one."""
    if len(slug) <= max_len:
        return slug
    if slug[max_len] == "-":
        return slug[:max_len].rstrip("-")
    head = slug[:max_len]
    cut = head.rfind("-")
    return head[:cut] if cut > 0 else head


# --------------------------------------------------------------------- Vietnamese letters

# Old ("hòa", "khỏe", "thủy") and new ("hoà", "khoẻ", "thuỷ") tone placement in the open
# syllables -oa, -oe, -uy: the same word, one key (lower case; see `tone_key`).
_NEW_PLACEMENT = {
    nfc(v + t) + w: v + nfc(w + t)
    for v, w in (("o", "a"), ("o", "e"), ("u", "y"))
    for t in ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
}
_OLD_PLACEMENT_RE = re.compile("|".join(_NEW_PLACEMENT))


def tone_key(s: str) -> str:
    """Lower-case NFC text with old tone placement moved to the new one (`hòa` → `hoà`,
    `ủy` → `uỷ`), for comparing names typed either way; not for display."""
    return _OLD_PLACEMENT_RE.sub(lambda m: _NEW_PLACEMENT[m.group()], s)


_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TONES = (_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT)  # huyền, hỏi, ngã, sắc, nặng
_TONE_SET = frozenset(_TONES)
_VOWELS = "aăâeêioôơuưy"


def _toned(base: str, tone: str) -> str:
    return nfc(base + tone)


# ------------------------------------------------------------------------------ TCVN3 (ABC)

# TCVN 5712:1993 VN3, the "ABC" set of the .VnTime fonts: 67 lowercase letters plus the seven
# capitals Ă Â Ê Ô Ơ Ư Đ, 74 codes in 0xA1–0xFE. Toned capitals have no code: .VnTime text
# uses the lowercase code and the .VnTimeH font draws every code as a capital, so capitals
# cannot be recovered from the bytes (apply `upper_vn` to text known to be .VnTimeH).
# Rows: plain, huyền, hỏi, ngã, sắc, nặng; None = the ASCII letter itself.
_TCVN3_ROWS: dict[str, tuple[int | None, int, int, int, int, int]] = {
    "a": (None, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (None, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (None, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (None, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (None, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (None, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TCVN3_CAPITALS = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}


def _build_tcvn3() -> dict[str, str]:
    """Legacy character (as pasted, i.e. read as Latin-1) → Unicode letter."""
    table: dict[str, str] = {}
    for base, row in _TCVN3_ROWS.items():
        letters = (base, *(_toned(base, t) for t in _TONES))
        for code, letter in zip(row, letters, strict=True):
            if code is not None:
                table[chr(code)] = letter
    table[chr(0xAE)] = "đ"
    for letter, code in _TCVN3_CAPITALS.items():
        table[chr(code)] = letter
    return table


_TCVN3_DECODE = _build_tcvn3()
_TCVN3_ENCODE: dict[str, str] = {v: k for k, v in _TCVN3_DECODE.items()}
# Toned capitals (and plain Ă/Â/… already present) fall back to the lowercase code.
for _letter in list(_TCVN3_ENCODE):
    _cap = _letter.upper()
    if _cap not in _TCVN3_ENCODE:
        _TCVN3_ENCODE[_cap] = _TCVN3_ENCODE[_letter]
del _letter, _cap
_TCVN3_DECODE_TABLE = str.maketrans(_TCVN3_DECODE)
_TCVN3_ENCODE_TABLE = str.maketrans(_TCVN3_ENCODE)


def tcvn3_to_unicode(s: str) -> str:
    """Convert TCVN3 (ABC, .VnTime) text pasted as Latin-1 characters to Unicode NFC.

    Every one of the 74 TCVN3 codes is converted, so run it only on text that
    `detect_legacy` reports as TCVN3: genuine Latin-1 letters (é, ô, ñ …) change too.
    """
    return nfc(s).translate(_TCVN3_DECODE_TABLE)


def unicode_to_tcvn3(s: str) -> str:
    """Encode Unicode Vietnamese as TCVN3 characters; toned capitals become lowercase codes."""
    return nfc(s).translate(_TCVN3_ENCODE_TABLE)


# ------------------------------------------------------------------------------ VNI Windows

# VNI (VNI-Times …): base letter plus one mark character. Lowercase forms; capitals use the
# upper-case Latin-1 twin of every character (aø → AØ, ô → Ô, ñ → Ñ).
_VNI_TONE_SUFFIX = ("ø", "û", "õ", "ù", "ï")  # huyền, hỏi, ngã, sắc, nặng
_VNI_PLAIN = {"a": "a", "ă": "aê", "â": "aâ", "e": "e", "ê": "eâ", "i": "i", "o": "o",
              "ô": "oâ", "ơ": "ô", "u": "u", "ư": "ö", "y": "y"}  # fmt: skip
_VNI_SPECIAL = {
    "â": ("aà", "aå", "aã", "aá", "aä"),
    "ê": ("eà", "eå", "eã", "eá", "eä"),
    "ô": ("oà", "oå", "oã", "oá", "oä"),
    "ă": ("aè", "aú", "aü", "aé", "aë"),
    "i": ("ì", "æ", "ó", "í", "ò"),
    "y": ("yø", "yû", "yõ", "yù", "î"),
}


def _build_vni() -> dict[str, str]:
    """Unicode letter → VNI sequence, lower and upper case."""
    table: dict[str, str] = {}
    for base in _VOWELS:
        plain = _VNI_PLAIN[base]
        if plain != base:
            table[base] = plain
        forms = _VNI_SPECIAL.get(base) or tuple(plain + s for s in _VNI_TONE_SUFFIX)
        for tone, seq in zip(_TONES, forms, strict=True):
            table[_toned(base, tone)] = seq
    table["đ"] = "ñ"
    for letter, seq in list(table.items()):
        table[letter.upper()] = seq.upper()
    return table


_VNI_ENCODE = _build_vni()
_VNI_DECODE: dict[str, str] = {seq: letter for letter, seq in _VNI_ENCODE.items()}
# Title-case artefacts (capital base, lowercase mark: "Uû") decode to the capital too.
for _seq, _letter in list(_VNI_DECODE.items()):
    if len(_seq) == 2 and _seq[0].isupper():
        _VNI_DECODE.setdefault(_seq[0] + _seq[1].lower(), _letter)
del _seq, _letter
_VNI_RE = re.compile(
    "|".join(re.escape(k) for k in sorted(_VNI_DECODE, key=lambda k: (-len(k), k)))
)


def vni_to_unicode(s: str) -> str:
    """Convert VNI (VNI-Times) text pasted as Latin-1 characters to Unicode NFC.

    Run it only on text that `detect_legacy` reports as VNI: genuine Latin-1 letters
    (ô, í, ó …) are VNI codes too and would change.
    """
    return nfc(_VNI_RE.sub(lambda m: _VNI_DECODE[m.group(0)], nfc(s)))


def unicode_to_vni(s: str) -> str:
    """Encode Unicode Vietnamese as VNI character sequences (lossless, case kept)."""
    return "".join(_VNI_ENCODE.get(ch, ch) for ch in nfc(s))


# ------------------------------------------------------------------------ legacy detection

_ONSET = r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_NUCLEI = (
    "iêu yêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu "
    "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui uô uơ uy ưa ưi ưu ươ yê "
    "a ă â e ê i o ô ơ u ư y"
).split()
_CODA = r"(ch|ng|nh|[cmnpt])?"
_SYLLABLE_RE = re.compile(_ONSET + "(" + "|".join(_NUCLEI) + ")" + _CODA)
#: Onset, vowel cluster and final consonant of a toneless syllable (groups 1–3).
SYLLABLE_RE = _SYLLABLE_RE
# Nuclei ending in a glide (i/y/o/u) take no final consonant; these need one.
_OPEN_ONLY = frozenset(
    "iêu yêu oai oao oay oeo uây uôi uya uyu ươi ươu ai ao au ay âu ây eo êu ia iu oi ôi ơi "
    "ua ui ưa ưi ưu".split()
)
_CODA_NEEDED = frozenset("iê yê uô ươ uyê uâ oă ă â oo".split())
_PALATAL_NUCLEI = frozenset("a ê i y oa uê uy".split())  # the only ones before -ch / -nh
_FRONT = ("i", "e", "ê", "y")


def is_vietnamese_syllable(word: str) -> bool:
    """True when `word` is spelt like one Vietnamese syllable.

    Checks onset + vowel cluster + final consonant, one tone mark at most, tones allowed
    before -c/-ch/-p/-t (sắc, nặng), c/k and g/gh spelling; it does not check the
    position of the tone mark (so both `hòa` and `hoà` pass).
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in decomposed if ch in _TONE_SET]
    if len(tones) > 1:
        return False
    base = nfc("".join(ch for ch in decomposed if ch not in _TONE_SET))
    m = _SYLLABLE_RE.fullmatch(base)
    if m is None:
        return False
    onset, nucleus, coda = m.group(1) or "", m.group(2), m.group(3) or ""
    if (coda and nucleus in _OPEN_ONLY) or (not coda and nucleus in _CODA_NEEDED):
        return False
    if coda in ("ch", "nh") and nucleus not in _PALATAL_NUCLEI:
        return False
    if coda in ("c", "ch", "p", "t") and tones and tones[0] not in (_ACUTE, _DOT):
        return False
    front = nucleus.startswith(_FRONT)
    if (onset == "c" and front) or (onset == "k" and not front):
        return False
    return not (onset in ("gh", "ngh") and not front)


# Latin-1 letters that genuine (NFC) Vietnamese uses; every other Latin-1 character in a
# word is a sign of legacy text (or of a foreign word, which then fails the syllable test).
_VN_LATIN1 = frozenset("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_TCVN3_STRONG = frozenset(_TCVN3_DECODE) - _VN_LATIN1
_VNI_STRONG = (
    frozenset("".join(_VNI_DECODE))
    - _VN_LATIN1
    - frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
)
_WORD_RE = re.compile(r"[A-Za-z\u00a1-\u00ff\u0100-\u024f\u0300-\u036f\u1e00-\u1eff]+")


def _legacy_counts(s: str) -> tuple[int, int, int, int, int]:
    """Evidence over the words of `s`.

    Returns (TCVN3 strong, VNI strong, TCVN3 weak, VNI weak, non-ASCII words). A word is
    evidence for an encoding when it decodes, in that encoding, to a Vietnamese syllable
    and changes in doing so; it is strong evidence when it holds a Latin-1 character NFC
    Vietnamese never uses, weak evidence when it is not a Vietnamese syllable as it stands
    (`TiÕng`, `Vieät`).
    """
    counts = [0, 0, 0, 0]
    non_ascii = 0
    for word in _WORD_RE.findall(nfc(s)):
        if word.isascii():
            continue
        non_ascii += 1
        if len(word) < 2:  # "§", "©": too weak to count
            continue
        chars = set(word)
        as_is = None
        for i, (decoded, strong) in enumerate(
            (
                (word.translate(_TCVN3_DECODE_TABLE), _TCVN3_STRONG),
                (vni_to_unicode(word), _VNI_STRONG),
            )
        ):
            if decoded == word or not is_vietnamese_syllable(decoded):
                continue
            if chars & strong:
                counts[i] += 1
            else:
                if as_is is None:
                    as_is = is_vietnamese_syllable(word)
                if not as_is:
                    counts[i + 2] += 1
    return counts[0], counts[1], counts[2], counts[3], non_ascii


def detect_legacy(s: str) -> str | None:
    """`"TCVN3"` or `"VNI"` when `s` looks like legacy Vietnamese pasted as Unicode, else None.

    A word is evidence for an encoding when it decodes, in that encoding, to a well-formed
    Vietnamese syllable (`ñy` → `ủy`, `Coäng` → `Cộng`) and either holds a Latin-1
    character that NFC Vietnamese never uses (©, ß, ñ, ø, û …: strong evidence) or is not a
    Vietnamese syllable as it stands (weak evidence). The encoding needs at least one strong
    word and two words in all, or a single strong word of 3+ letters when it is the only
    non-ASCII word. Genuine Vietnamese (every word a syllable, no such characters) and
    ordinary French, German or Spanish words are therefore not reported.
    """
    tcvn, vni, tcvn_weak, vni_weak, non_ascii = _legacy_counts(s)
    scores = {"TCVN3": (tcvn + tcvn_weak, tcvn), "VNI": (vni + vni_weak, vni)}
    if scores["TCVN3"] == scores["VNI"]:
        return None
    kind = max(scores, key=lambda k: scores[k])
    total, strong = scores[kind]
    if strong == 0:
        return None
    if total >= 2:
        return kind
    if non_ascii == 1:
        word = next(w for w in _WORD_RE.findall(nfc(s)) if not w.isascii())
        return kind if len(word) >= 3 else None
    return None
