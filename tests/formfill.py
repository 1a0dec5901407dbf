"""Fill a unit's .xlsx form the way a unit would, with openpyxl (tests and the benchmark).

Cells are found through the workbook's defined names, as `collect` finds them.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import load_workbook

from tetngheo_docs import package
from tetngheo_docs.forms import xlsx


def cells(wb: Any, name: str) -> tuple[tuple[Any, ...], ...]:
    """The cells a defined name points at, as rows."""
    ((sheet, ref),) = wb.defined_names[name].destinations
    found = wb[sheet][ref.replace("$", "")]
    return found if isinstance(found, tuple) else ((found,),)


def fill(
    blank: bytes,
    rows: Sequence[Sequence[object]] = (),
    *,
    unit: str | None = None,
    total: Mapping[int, object] | None = None,
    cell: Mapping[str, object] | None = None,
) -> bytes:
    """Type `unit`, then `rows` from the first data row, then over total cells (by column
    index), then any cell by coordinate; saved deterministically."""
    wb = load_workbook(io.BytesIO(blank))
    if unit is not None:
        cells(wb, xlsx.NAME_UNIT)[0][0].value = unit
    data = cells(wb, xlsx.NAME_DATA)
    assert len(rows) <= len(data), "more rows than the form has"
    for row_cells, values in zip(data, rows, strict=False):
        for c, value in zip(row_cells, values, strict=False):  # short rows: the rest empty
            if value is not ...:  # ... leaves a cell as it is (a fixed label, a number)
                c.value = value
    for col, value in (total or {}).items():
        cells(wb, xlsx.NAME_TOTAL)[0][col].value = value
    ws = wb[xlsx.SHEET]
    for coord, value in (cell or {}).items():
        ws[coord] = value
    out = io.BytesIO()
    wb.save(out)
    return package.normalize(out.getvalue(), package.CoreProperties(author="test"))
