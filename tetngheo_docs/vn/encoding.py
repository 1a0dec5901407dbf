"""Which encoding a Vietnamese text file is in, decided by reading it every possible way.

Offices save lists in five encodings: UTF-8 (with or without BOM), UTF-16 (Excel's
"Unicode Text", Notepad's "Unicode"), Windows-1258 (Excel's "CSV" on Vietnamese Windows:
base letters precomposed, tone marks as separate combining bytes), TCVN3 (ABC, the .VnTime
fonts) and VNI (VNI-Times). The three 8-bit ones decode any byte string "successfully", so
no fixed order of attempts is safe: a Windows-1258 list read as TCVN3 turns ``Sở Giáo dục``
into ``Sừề Giỏo duũc``. Instead every 8-bit (or, with NUL bytes, every UTF-16) reading is
made and scored by the share of its words that are well-formed Vietnamese syllables
(`text.is_vietnamese_syllable`); the best reading wins when no other reading with a
different text comes close, and two close readings are reported, not guessed between.

Valid UTF-8 (or a BOM) is taken as it is without scoring: 8-bit Vietnamese text practically
never forms valid UTF-8 (a lead byte C2–F4 must be followed by exactly the right number of
80–BF bytes, and the letters of these encodings are mostly C0–FF next to ASCII), and a
clean list must stay fast. Legacy text *pasted into* a UTF-8 file (TCVN3/VNI characters
read as Latin-1) is a question about text, not bytes: `legacy_text` answers it, with the
same syllable test (`text.detect_legacy`).

This module is pure: callers (recipient lists, YAML fields) turn its answers into located
messages.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from tetngheo_docs.vn import text as vntext

__all__ = [
    "LABELS",
    "Detection",
    "Reading",
    "detect",
    "differing_line",
    "legacy_text",
    "score",
]

#: How each encoding is named to a user.
LABELS = {
    "utf-8": "UTF-8",
    "utf-16-le": "UTF-16 (Unicode Text)",
    "utf-16-be": "UTF-16 (Unicode Text)",
    "utf-16": "UTF-16 (Unicode Text)",
    "cp1258": "Windows-1258",
    "tcvn3": "TCVN3 (ABC)",
    "vni": "VNI",
}

#: A reading is plausible when at least this share of its non-ASCII words are syllables …
PLAUSIBLE = 0.6
#: … and a rival reading with a different text is ruled out when it scores this much less.
MARGIN = 0.2

# A word as the scorer sees it: letters and combining marks, and the Latin-1 symbols and C1
# controls that legacy letters turn into when read the wrong way (© ® « ¬ µ ¸ …), so that a
# wrong reading's ``nh©n`` is one bad word, not the good-looking ``nh`` and ``n``.
_WORD = re.compile(r"(?:[^\W\d_]|[\u0080-\u009f\u00a1-\u00bf\u00d7\u00f7\u0300-\u036f])+")


_MARKED = "ăâêôơư"


@lru_cache(maxsize=8192)
def _syllable(word: str) -> bool:
    """A Vietnamese syllable whose tone mark sits where old or new spelling puts it
    (`hòa`, `hoà`; never `haò`) and written in lower, title or upper case: a wrong reading
    often moves a tone onto the wrong letter or makes a capital inside a word, which
    `text.is_vietnamese_syllable` alone does not see."""
    lower = word.lower()
    if not (word == lower or word.isupper() or word.istitle()):
        return False  # `tƠ`, `chÝnh`: a capital inside a word is a wrong reading's mark
    if not vntext.is_vietnamese_syllable(lower):
        return False
    decomposed = unicodedata.normalize("NFD", lower)
    letter = -1  # index, in the NFC letters, of the letter the tone mark follows
    for ch in decomposed:
        if ch in _TONE_MARKS:
            break
        if not unicodedata.combining(ch):
            letter += 1
    else:
        return True  # no tone mark
    base = vntext.nfc("".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    m = vntext.SYLLABLE_RE.fullmatch(base)
    if m is None:  # pragma: no cover - is_vietnamese_syllable matched it
        return False
    nucleus, coda = m.group(2), m.group(3)
    marked = [i for i, ch in enumerate(nucleus) if ch in _MARKED]
    if marked:
        allowed = {marked[-1]}
    elif coda or len(nucleus) == 1:
        allowed = {len(nucleus) - 1}
    elif nucleus in ("oa", "oe", "uy"):
        allowed = {0, 1}  # hòa / hoà, khỏe / khoẻ, thủy / thuỷ
    else:
        allowed = {0} if len(nucleus) == 2 else {1}
    return letter - m.start(2) in allowed


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


@dataclass(frozen=True)
class Reading:
    """One way of reading the bytes: the encoding, the NFC text, and its score."""

    encoding: str
    text: str
    good: int = 0  # non-ASCII words that are Vietnamese syllables
    bad: int = 0  # non-ASCII words that are not

    @property
    def score(self) -> float:
        total = self.good + self.bad
        return self.good / total if total else 1.0

    @property
    def label(self) -> str:
        return LABELS[self.encoding]


def score(text: str) -> tuple[int, int]:
    """(good, bad): how many non-ASCII words of ``text`` are / are not Vietnamese syllables
    (each distinct word checked once: names repeat their words)."""
    good = bad = 0
    for word, n in Counter(_WORD.findall(text)).items():
        if word.isascii():
            continue
        if _syllable(word):
            good += n
        else:
            bad += n
    return good, bad


def _scored(encoding: str, text: str) -> Reading:
    return Reading(encoding, text, *score(text))


@dataclass(frozen=True)
class Detection:
    """What `detect` found: the reading to use, or why there is none.

    ``chosen`` is set when one reading wins. Otherwise ``rivals`` holds the two close
    readings (ambiguous) or is empty (``readings`` then holds every attempt, none
    plausible); ``bad_line`` is the 1-based line of the first byte no encoding explains.
    """

    chosen: Reading | None
    rivals: tuple[Reading, ...] = ()
    readings: tuple[Reading, ...] = ()
    bad_line: int = 0


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def detect(data: bytes) -> Detection:
    """Decide the encoding of ``data`` (see the module docstring). Never raises."""
    nfc = vntext.nfc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Detection(Reading("utf-16", nfc(data.decode("utf-16"))))
        except UnicodeDecodeError as err:
            return Detection(None, bad_line=_line_of(data, err.start))
    try:
        return Detection(Reading("utf-8", nfc(data.decode("utf-8-sig"))))
    except UnicodeDecodeError as err:
        if data.startswith(b"\xef\xbb\xbf"):  # declared UTF-8, yet broken: say where
            return Detection(None, bad_line=_line_of(data, err.start))
        first_bad = err.start
    readings: list[Reading] = []
    if b"\x00" in data:  # UTF-16 without its BOM (no 8-bit text file holds NUL bytes)
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                readings.append(_scored(encoding, nfc(data.decode(encoding))))
            except UnicodeDecodeError:
                continue
    else:
        try:
            readings.append(_scored("cp1258", nfc(data.decode("cp1258"))))
        except UnicodeDecodeError:
            pass  # bytes Windows-1258 leaves undefined (0x81, 0x8D …)
        as_latin1 = data.decode("latin-1")
        readings.append(_scored("tcvn3", vntext.tcvn3_to_unicode(as_latin1)))
        readings.append(_scored("vni", vntext.vni_to_unicode(as_latin1)))
    return _choose(readings, _line_of(data, first_bad))


def _choose(readings: list[Reading], bad_line: int) -> Detection:
    plausible = sorted(
        (r for r in readings if r.good and r.score >= PLAUSIBLE),
        key=lambda r: -r.score,
    )
    if not plausible:
        return Detection(None, readings=tuple(readings), bad_line=bad_line)
    best = plausible[0]
    for other in plausible[1:]:
        if other.text != best.text and best.score - other.score < MARGIN:
            return Detection(None, rivals=(best, other), readings=tuple(readings))
    return Detection(best, readings=tuple(readings))


def differing_line(a: str, b: str) -> tuple[int, str, str]:
    """The first line (1-based) where two readings of the same bytes differ, and its two
    texts (line breaks are the same byte in every encoding tried, so lines correspond)."""
    for n, (x, y) in enumerate(zip(a.split("\n"), b.split("\n"), strict=False), start=1):
        if x != y:
            return n, x.rstrip("\r"), y.rstrip("\r")
    return 1, a.split("\n", 1)[0], b.split("\n", 1)[0]


# ------------------------------------------------------------------------ text pasted in

#: A Latin-1 character that NFC Vietnamese never uses: the cheap test before `legacy_text`.
LEGACY_HINT = re.compile(
    "["
    + "".join(
        chr(c) for c in range(0xA1, 0x100) if chr(c) not in "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ"
    )
    + "]"
)

_DECODERS = {"TCVN3": vntext.tcvn3_to_unicode, "VNI": vntext.vni_to_unicode}


def legacy_text(value: str) -> tuple[str, str] | None:
    """``(kind, converted)`` when ``value`` holds TCVN3 or VNI text pasted as Unicode
    (``V/v tæ chøc`` → ``("TCVN3", "V/v tổ chức")``), else None.

    The kind is decided over the whole value (`text.detect_legacy`: words that become
    Vietnamese syllables when decoded); only the lines whose syllable share the decoding
    raises are converted, so genuine Unicode lines next to a pasted paragraph keep their
    á, à, ô (which are legacy codes too).
    """
    if not LEGACY_HINT.search(value):
        return None
    kind = vntext.detect_legacy(value)
    if kind is None:
        return None
    decode = _DECODERS[kind]
    lines = value.split("\n")
    out = []
    for line in lines:
        if LEGACY_HINT.search(line):
            converted = decode(line)
            before, after = _share(line), _share(converted)
            out.append(converted if after > before else line)
        else:
            out.append(line)
    result = unicodedata.normalize("NFC", "\n".join(out))
    return (kind, result) if result != value else None


def _share(text: str) -> float:
    good, bad = score(text)
    return good / (good + bad) if good + bad else 0.0
