"""The formatting layer: number lines for many numbers at once."""

from __future__ import annotations

import pytest

from tetngheo_docs import context, profiles


@pytest.mark.parametrize(("profile", "symbol"), [("nd30", "UBND-VX"), ("hd36", "CV/BTGDUK")])
def test_numberer_equals_number_line(profile: str, symbol: str) -> None:
    p = profiles.load(profile)
    line = context.numberer(symbol, p)
    for so in (None, 1, 9, 10, 196, 999999):
        assert line(so) == context.number_line(so, symbol, p)


def test_numberer_checks_the_symbol_once_and_up_front() -> None:
    with pytest.raises(ValueError, match="ký hiệu"):
        context.numberer("CV BTG", profiles.load("hd36"))
    with pytest.raises(ValueError):
        context.numberer("CV/BTGDUK", profiles.load("hd36"))(0)
