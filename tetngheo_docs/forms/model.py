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

from pydantic import BeforeValidator, WithJsonSchema, model_validator
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


def _off(value: Any) -> bool:
    return isinstance(value, bool | str) and str(value).strip().lower() in _NO


def _on(value: Any) -> bool:
    return isinstance(value, bool | str) and str(value).strip().lower() in _YES


_YES = frozenset({"có", "co", "true", "yes"})
_NO = frozenset({"không", "khong", "false", "no", ""})


def _label(default: str) -> Any:
    """A text that can also be switched: ``có`` → `default`, ``không`` → "" (left out),
    any other text → itself."""

    def parse(value: Any) -> str:
        if value is None or _on(value):
            return default
        if _off(value):
            return ""
        if not isinstance(value, str):
            raise PydanticCustomError("tetngheo", f"'{value}' không hợp lệ; viết một dòng chữ")
        return " ".join(value.split())

    return parse


def _caption(value: Any) -> str | None:
    """``kem_theo``: absent (None) → the letter's "(Kèm theo …)"; ``không`` → none; text."""
    if value is None or _on(value):
        return None
    if _off(value):
        return ""
    return " ".join(str(value).split())


#: Column-number row styles: "(1) (2) (3)", "1 2 3", or letters for the text columns and
#: numbers for the figures ("A B 1 2 3", as statistical report forms number them).
ColumnNumbers = Literal["", "(1)", "1", "A"]


def _column_numbers(value: Any) -> str:
    if _on(value):
        return "(1)"
    if _off(value):
        return ""
    raw = str(value).strip()
    if raw in ("(1)", "1", "A"):
        return raw
    raise PydanticCustomError(
        "tetngheo",
        f"so_cot '{raw}' không hợp lệ; viết 'có' (dòng (1), (2)…), '1' (1, 2…), "
        "'A' (A, B cho cột chữ, 1, 2… cho cột số) hoặc 'không'",
    )


_SCHEMA_LABEL = {"type": ["string", "boolean", "null"], "examples": ["có", "không", "Cộng"]}

TotalLabel = Annotated[str, BeforeValidator(_label("Tổng cộng")), WithJsonSchema(_SCHEMA_LABEL)]
UnitLabel = Annotated[str, BeforeValidator(_label("Đơn vị:")), WithJsonSchema(_SCHEMA_LABEL)]
Caption = Annotated[str | None, BeforeValidator(_caption), WithJsonSchema(_SCHEMA_LABEL)]
ColumnNumbersField = Annotated[
    ColumnNumbers,
    BeforeValidator(_column_numbers),
    WithJsonSchema({"type": ["string", "boolean"], "examples": ["có", "(1)", "1", "A"]}),
]


class Cot(FrozenModel):
    """A column, or a group of columns (``cot:`` inside) whose header spans its children."""

    ten: RequiredText
    kieu: KindField = "van_ban"
    bat_buoc: Bool = False
    rong: Number = None  # width in mm; measured from the header (and values) when absent
    #: Header rows this cell takes: a group's title may span several rows above its
    #: children; a leaf spans down to the last header row whatever this says.
    so_dong: Number = None
    cot: list[Cot] = []


_PLACEHOLDERS = frozenset({"…", "...", "…."})


class Dong(FrozenModel):
    """A fixed row: a group row (``nhom: I``, ``ten: …``), a section row spanning the width
    (``muc: I. Khu vực thành thị``), a "…" placeholder row (the text ``…``), or a labelled
    data row (``ten: Chi bộ A``, or the label alone as text)."""

    nhom: Text = ""
    ten: Text = ""
    muc: Text = ""
    #: Every cell of the row, left to right (a table of figures in a phụ lục); an empty
    #: STT cell is numbered. Written as a YAML list: ``- [1, Phường A, 1.250, 32]``.
    o: list[Text] = []

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"ten": value}
        if isinstance(value, list):
            return {"o": value}
        return value

    def label(self, column: int) -> str:
        """The row's label: ``ten``, or its cell in the label column."""
        if self.ten or not self.o:
            return self.ten
        return self.o[column] if column < len(self.o) else ""

    @property
    def placeholder(self) -> bool:
        return not self.nhom and not self.muc and self.ten.strip() in _PLACEHOLDERS

    @property
    def is_data(self) -> bool:
        """A row the units fill in (not a group, section or placeholder row)."""
        return not self.nhom and not self.muc and not self.placeholder


class NguoiKy(FrozenModel):
    """One signer of a form: title ("Người lập biểu"), the note under it, a name."""

    chuc_danh: RequiredText
    ghi_chu: Text = "(Ký, ghi rõ họ tên)"
    ho_ten: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"chuc_danh": value}
        return value


def _signers(value: Any) -> Any:
    if value is None:
        return None
    if _off(value):
        return []
    if isinstance(value, str | dict):
        return [value]
    return value


_SCALAR = {"type": ["string", "number", "boolean"]}
_TEXT = {"type": ["string", "number", "null"]}
_SIGNER = {
    "type": "object",
    "properties": {k: _TEXT for k in ("chuc_danh", "ghi_chu", "ho_ten")},
    "required": ["chuc_danh"],
    "additionalProperties": False,
}
Signers = Annotated[
    list[NguoiKy] | None,
    BeforeValidator(_signers),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": ["string", "boolean"]},
                _SIGNER,
                {"type": "array", "maxItems": 3, "items": {"anyOf": [{"type": "string"}, _SIGNER]}},
            ]
        }
    ),
]
_ROW = {
    "anyOf": [
        _SCALAR,
        {"type": "array", "items": {"type": ["string", "number", "null"]}},
        {
            "type": "object",
            "properties": {
                **{k: _TEXT for k in ("nhom", "ten", "muc")},
                "o": {"type": "array", "items": {"type": ["string", "number", "null"]}},
            },
            "additionalProperties": False,
        },
    ]
}
Rows = Annotated[list[Dong], WithJsonSchema({"type": "array", "items": _ROW})]


class Bang(FrozenModel):
    """A table: multi-level header, fixed or blank rows, the column-number row, the total.

    The model shared by forms (`BieuMau`) and the tables of a phụ lục (``bang:``)."""

    tieu_de: Text = ""
    cot: list[Cot]
    so_cot: ColumnNumbersField = "(1)"
    dong: Rows = []
    dong_trong: Number = 5
    tong_cong: TotalLabel = "Tổng cộng"
    #: A column (its number in the (1) (2) … row, or its header) whose total is also
    #: written in words under the table: "Bằng chữ: …".
    bang_chu: Text = ""
    ngang: Orientation = "tu_dong"

    @model_validator(mode="after")
    def _check(self) -> Bang:
        if not self.cot:
            raise PydanticCustomError("tetngheo", "bảng cần ít nhất một cột")
        n = len(self.leaves)
        for k, d in enumerate(self.dong):
            if d.o and len(d.o) != n:
                raise PydanticCustomError(
                    "tetngheo",
                    f"dòng {k + 1} có {len(d.o)} ô, bảng có {n} cột",
                )
        if self.bang_chu and self.words_column() is None:
            raise PydanticCustomError(
                "tetngheo",
                f"bang_chu '{self.bang_chu}': không có cột số tiền hay số nguyên nào như vậy; "
                "ghi số thứ tự cột, ví dụ 5, hoặc tên cột",
            )
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
        """Header rows with spans: a group spans its leaves (and ``so_dong`` rows); a leaf
        spans down to the bottom."""
        depth = self.header_depth
        rows: list[list[HeaderCell]] = [[] for _ in range(depth)]
        col = 0

        def place(cot: Cot, level: int) -> None:
            nonlocal col
            if cot.cot:
                width = sum(1 for _ in _leaves(cot.cot))
                tall = _own_rows(cot)
                rows[level].append(HeaderCell(cot.ten, level, col, width, tall))
                for child in cot.cot:
                    place(child, level + tall)
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

    def column_number(self, i: int) -> str:
        """The text of column `i` in the column-number row."""
        if self.so_cot == "A":
            leaves = self.leaves
            if leaves[i].kieu in ("van_ban", "stt") and all(
                c.kieu in ("van_ban", "stt") for c in leaves[:i]
            ):
                return "ABCDEFGHIJ"[i] if i < 10 else str(i + 1)
            first_number = next(
                (k for k, c in enumerate(leaves) if c.kieu not in ("van_ban", "stt")), 0
            )
            return str(i - first_number + 1)
        return f"({i + 1})" if self.so_cot == "(1)" else str(i + 1)

    def total_label_span(self) -> tuple[int, int]:
        """(first column, count) the total row's label covers: the label column and the
        STT or text columns before it."""
        label = self.label_column()
        first = label
        while first > 0 and self.leaves[first - 1].kieu in ("stt", "van_ban"):
            first -= 1
        return first, label - first + 1

    def words_column(self) -> int | None:
        """The column of ``bang_chu`` (see there), or None."""
        if not self.bang_chu:
            return None
        want = self.bang_chu.strip().strip("()")
        for i, c in enumerate(self.leaves):
            if c.kieu not in ("tien", "so_nguyen"):
                continue
            if want in (str(i + 1), self.column_number(i).strip("()")) or (
                " ".join(c.ten.split()).lower() == " ".join(want.split()).lower()
            ):
                return i
        return None

    @property
    def data_rows(self) -> int:
        """How many rows the units fill in (the fixed data rows, or the blank ones)."""
        if self.dong:
            return sum(1 for d in self.dong if d.is_data)
        return int(self.dong_trong or 0)


class BieuMau(Bang):
    """One reporting form."""

    ma: FormId
    phien_ban: Number = 1
    tieu_de: RequiredText
    tieu_de_phu: Text = ""
    #: The "(Kèm theo …)" line: absent → the letter's; ``không`` → none; any text → itself.
    kem_theo: Caption = None
    #: The line where the unit writes its name ("Đơn vị:"); ``không`` → none.
    don_vi: UnitLabel = "Đơn vị:"
    #: Lines under the unit line: the deadline, where to send ("Thời hạn gửi: …").
    han_nop: Lines = []
    #: Text between the heading and the table.
    truoc_bang: Lines = []
    ghi_chu: Lines = []
    #: Signers under the table, left to right (at most three); ``không`` → none. Absent:
    #: ``nguoi_lap`` and ``thu_truong``.
    ky: Signers = None
    #: The "place, ngày … tháng … năm …" line above the last signer.
    ngay_ky: Bool = True
    nguoi_lap: Text = "Người lập biểu"
    thu_truong: Text = "Thủ trưởng đơn vị"

    @model_validator(mode="after")
    def _signer_count(self) -> BieuMau:
        if self.ky is not None and len(self.ky) > 3:
            raise PydanticCustomError("tetngheo", "biểu mẫu có nhiều nhất ba người ký")
        return self

    def caption(self, letter: str) -> str:
        """The "(Kèm theo …)" line under the title: `letter`'s unless ``kem_theo`` says."""
        return letter if self.kem_theo is None else self.kem_theo

    def signers(self) -> list[NguoiKy]:
        """The signature area, left to right."""
        if self.ky is not None:
            return list(self.ky)
        out = [NguoiKy(chuc_danh=x) for x in (self.nguoi_lap, self.thu_truong) if x]
        return out


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


def _own_rows(c: Cot) -> int:
    return max(int(c.so_dong or 1), 1) if c.cot else 1


def _depth(c: Cot) -> int:
    return _own_rows(c) + max((_depth(x) for x in c.cot), default=0)
