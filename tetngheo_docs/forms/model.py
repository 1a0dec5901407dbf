"""Reporting forms (biểu mẫu) as data: columns with multi-level headers, rows, totals.

A form is written in YAML inside a directive (``bieu_mau:``) or in its own file referenced by
``tep:``. The same definition drives the form section of the .docx, the .xlsx sent to the
units, and the reading back of their returns (`collect`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, model_validator
from pydantic_core import PydanticCustomError

from tetngheo_docs.fields import Bool, FrozenModel, Lines, Number, RequiredText, Text

#: Column kinds: text, whole numbers, money in VND (no decimals), percent, date, row number.
Kind = Literal["van_ban", "so_nguyen", "tien", "phan_tram", "ngay", "stt"]
NUMERIC_KINDS = frozenset({"so_nguyen", "tien", "phan_tram"})
_KIND_ALIASES = {
    "text": "van_ban",
    "văn bản": "van_ban",
    "so": "so_nguyen",
    "số": "so_nguyen",
    "số nguyên": "so_nguyen",
    "tiền": "tien",
    "vnd": "tien",
    "%": "phan_tram",
    "phần trăm": "phan_tram",
    "ngày": "ngay",
}


def _kind(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("tetngheo", "kiểu cột phải là một từ như 'tien', 'so_nguyen'")
    raw = value.strip().lower()
    return _KIND_ALIASES.get(raw, raw)


def _orientation(value: Any) -> str:
    raw = str(value).strip().lower()
    mapping = {
        "tu_dong": "tu_dong",
        "tự động": "tu_dong",
        "có": "co",
        "co": "co",
        "không": "khong",
        "khong": "khong",
        "true": "co",
        "false": "khong",
    }
    if raw not in mapping:
        raise PydanticCustomError(
            "tetngheo", f"'{value}' không hợp lệ; viết 'tu_dong', 'có' hoặc 'không'"
        )
    return mapping[raw]


def _form_id(value: Any) -> str:
    raw = str(value).strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", raw):
        raise PydanticCustomError(
            "tetngheo",
            f"mã biểu mẫu '{raw}' chỉ gồm chữ thường không dấu, số và '-', "
            "ví dụ 'tuan-cao-diem-2024'",
        )
    return raw


KindField = Annotated[Kind, BeforeValidator(_kind)]
Orientation = Annotated[Literal["tu_dong", "co", "khong"], BeforeValidator(_orientation)]
FormId = Annotated[str, BeforeValidator(_form_id)]


class Cot(FrozenModel):
    """A column, or a group of columns (``cot:`` inside) whose header spans its children."""

    ten: RequiredText
    kieu: KindField = "van_ban"
    bat_buoc: Bool = False
    rong: Number = None  # width in mm; computed from the header when absent
    cot: list[Cot] = []


class Dong(FrozenModel):
    """A fixed row: a group row (``nhom: I``) or a labelled data row (``ten: Chi bộ A``)."""

    nhom: Text = ""
    ten: Text = ""


class BieuMau(FrozenModel):
    """One reporting form."""

    ma: FormId
    phien_ban: Number = 1
    tieu_de: RequiredText
    tieu_de_phu: Text = ""
    ngang: Orientation = "tu_dong"
    cot: list[Cot]
    so_cot: Bool = True
    dong: list[Dong] = []
    dong_trong: Number = 5
    tong_cong: Bool = True
    ghi_chu: Lines = []
    nguoi_lap: Text = "Người lập biểu"
    thu_truong: Text = "Thủ trưởng đơn vị"

    @model_validator(mode="after")
    def _has_columns(self) -> BieuMau:
        if not self.cot:
            raise PydanticCustomError("tetngheo", "biểu mẫu cần ít nhất một cột")
        return self

    # ----------------------------------------------------------------- derived layout

    @property
    def leaves(self) -> list[Cot]:
        """The data columns, left to right."""
        return list(_leaves(self.cot))

    @property
    def header_depth(self) -> int:
        return max(_depth(c) for c in self.cot)

    def header_cells(self) -> list[list[HeaderCell]]:
        """Header rows with spans: a group spans its leaves; a leaf spans down to the bottom."""
        depth = self.header_depth
        rows: list[list[HeaderCell]] = [[] for _ in range(depth)]
        col = 0

        def place(cot: Cot, level: int) -> None:
            nonlocal col
            if cot.cot:
                width = sum(1 for _ in _leaves(cot.cot))
                rows[level].append(HeaderCell(cot.ten, level, col, width, 1))
                for child in cot.cot:
                    place(child, level + 1)
            else:
                rows[level].append(HeaderCell(cot.ten, level, col, 1, depth - level))
                col += 1

        for cot in self.cot:
            place(cot, 0)
        return rows

    @property
    def has_numbers(self) -> bool:
        return any(c.kieu in NUMERIC_KINDS for c in self.leaves)

    def label_column(self) -> int:
        """Index of the column holding row labels (the first text column)."""
        for i, c in enumerate(self.leaves):
            if c.kieu == "van_ban":
                return i
        return 0


@dataclass(frozen=True, slots=True)
class HeaderCell:
    """A header cell: its text, first row and column, and how far it spans."""

    text: str
    row: int
    col: int
    colspan: int
    rowspan: int


def _leaves(cols: list[Cot]) -> Iterator[Cot]:
    for c in cols:
        if c.cot:
            yield from _leaves(c.cot)
        else:
            yield c


def _depth(c: Cot) -> int:
    return 1 + max((_depth(x) for x in c.cot), default=0)
