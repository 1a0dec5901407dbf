"""Text width in Times New Roman (via Liberation Serif metrics) and unit conversions."""

from __future__ import annotations

import functools
import json
import math
import unicodedata
from importlib import resources
from typing import Any

__all__ = [
    "MM_PER_PT",
    "TWIPS_PER_MM",
    "char_width_units",
    "mm_to_twips",
    "pt_to_half_points",
    "text_width_mm",
]

DATA_FILE = "liberation_serif_widths.json"
MM_PER_PT = 25.4 / 72
TWIPS_PER_MM = 1440 / 25.4


@functools.cache
def _data() -> dict[str, Any]:
    text = resources.files("tetngheo_docs.vn").joinpath(DATA_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@functools.cache
def _style(bold: bool, italic: bool) -> tuple[int, dict[int, int]]:
    key = {(False, False): "regular", (True, False): "bold", (False, True): "italic"}.get(
        (bold, italic), "bold_italic"
    )
    entry = _data()["styles"][key]
    widths = {int(cp, 16): int(w) for cp, w in entry["widths"].items()}
    return int(entry["unitsPerEm"]), widths


def _lookup(ch: str, widths: dict[int, int]) -> int:
    """Advance of one character, with the fallbacks documented on `text_width_mm`."""
    cp = ord(ch)
    if cp in widths:
        return widths[cp]
    if unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    base = base_width(ch, widths)
    return base if base is not None else widths[ord("n")]


def base_width(ch: str, widths: dict[int, int]) -> int | None:
    """The advance of a Vietnamese letter's nearest base (``ở`` → ``ơ`` → ``o``): Times New
    Roman and Liberation Serif draw every toned letter on its base's advance."""
    nfd = unicodedata.normalize("NFD", ch)
    for end in range(len(nfd) - 1, 0, -1):
        candidate = unicodedata.normalize("NFC", nfd[:end])
        if len(candidate) == 1 and ord(candidate) in widths:
            return widths[ord(candidate)]
    return None


def char_width_units(ch: str, *, bold: bool = False, italic: bool = False) -> float:
    """Advance width of one character in ems (1.0 = the font size)."""
    upem, widths = _style(bool(bold), bool(italic))
    return _lookup(ch, widths) / upem


#: Word processors and spreadsheets lay text out with hinted advance widths, a few per cent
#: wider than the font's own metrics (a bold "1.160.000.000" measured to fit its cell wrapped
#: in LibreOffice): multiply a measured width by this before promising one line.
HINTING = 1.06


def text_width_mm(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    """Width of `text` set on one line in Times New Roman at `size_pt`, in millimetres.

    The text is measured in NFC, the form the renderer writes (NFD `u` + horn would
    otherwise count as the narrower `u`). Uses Liberation Serif advance widths (same
    metrics as Times New Roman), no kerning (Word's default). A character missing from the
    table takes the width of itself with trailing marks removed (`ở` → `ơ`), which ends at
    the first character of its NFD decomposition, else the width of 'n'. Combining marks,
    format characters (zero-width space, bidi controls) and control characters take no
    width.
    """
    upem, widths = _style(bool(bold), bool(italic))
    units = sum(_lookup(ch, widths) for ch in unicodedata.normalize("NFC", text))
    return units / upem * size_pt * MM_PER_PT


def _round_half_up(x: float) -> int:
    return int(math.copysign(math.floor(abs(x) + 0.5), x))


def mm_to_twips(mm: float) -> int:
    """Millimetres to twips (1/1440 inch; 1 mm ≈ 56.69 twips), rounded half away from zero."""
    return _round_half_up(mm * TWIPS_PER_MM)


def pt_to_half_points(pt: float) -> int:
    """Points to the half-points Word uses for font sizes (`w:sz`): 13 → 26, 13.5 → 27."""
    return _round_half_up(pt * 2)
