"""Non-breaking spaces where a line must not break, put in automatically.

A văn thư does not accept "ngày" at the end of a line and "15/01/2024" on the next, a range
torn at its dash ("(03/3/1959 –" / "03/3/2024)") or "số" away from its number. These groups
get U+00A0 instead of the space (Word and LibreOffice both honour it, around a dash too):

* "ngày 15", "tháng 01", "năm 2024", "số 196" (a word and the number after it);
* a range between numbers or dates: "2021 - 2025", "03/3/1959 – 03/3/2024";
* in the header, the place name of ô 4 ("Thành phố Hồ Chí Minh") [format-rules §6].

Each change swaps one space for one NBSP, so offsets stay valid (the context maps them onto
runs). Spaces the user typed as NBSP are kept as they are (`fields`).
"""

from __future__ import annotations

import re

NBSP = "\u00a0"

#: Groups whose spaces become NBSP; every capturing group is one space.
_GROUPS = (
    # a word and the number it introduces: "ngày 15/01/2024", "tháng 6", "số 196-CV/…"
    re.compile(r"(?<![^\W\d_])(?:[Nn]gày|[Tt]háng|[Nn]ăm|[Ss]ố)( )(?=\d)"),
    # a range between numbers: "2021 - 2025", "(03/3/1959 – 03/3/2024)"
    re.compile(r"(?<=\d)( )[-–—]( )(?=\d)"),
)


def positions(text: str) -> list[int]:
    """Offsets of the spaces of ``text`` that must not break."""
    out: set[int] = set()
    for pattern in _GROUPS:
        for m in pattern.finditer(text):
            out.update(m.start(g) for g in range(1, (pattern.groups or 0) + 1))
    return sorted(out)


def keep_together(text: str) -> str:
    """``text`` with the spaces of its unbreakable groups made non-breaking."""
    chars = list(text)
    for i in positions(text):
        chars[i] = NBSP
    return "".join(chars)


def place(name: str) -> str:
    """A place name that never breaks: "Thành phố Hồ Chí Minh" on one line."""
    return NBSP.join(name.split(" "))
