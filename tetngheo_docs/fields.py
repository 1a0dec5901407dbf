"""Field types of the YAML vocabulary: every value arrives as a string and is parsed here.

Shared by the directive model and the form (biểu mẫu) model. Each parser raises a
`PydanticCustomError` whose message is the Vietnamese text shown to the user.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from tetngheo_docs.vn import dates, text


def _err(message: str) -> PydanticCustomError:
    return PydanticCustomError("tetngheo", message)


def _text(value: Any) -> str:
    if isinstance(value, str):
        bad = [(i, c) for i, c in text.illegal_chars(value) if c != "\n"]
        if bad:
            idx, ch = bad[0]
            raise _err(
                f"có ký tự điều khiển {text.describe_char(ch)} ở vị trí {idx + 1}; "
                "hãy xóa nó (thường do dán từ Word)"
            )
        # One-line fields have their spaces collapsed; a block (the body) keeps its lines so
        # that problems inside it can be located by line. A non-breaking space the user typed
        # (U+00A0, U+202F, U+2007) is kept: it says where a line must not break.
        if "\n" in value.strip():
            return value.rstrip()
        return _SPACES.sub(" ", value).strip()
    raise _err(f"phải là một dòng văn bản, không phải {_kind(value)}")


#: Runs of white space other than the non-breaking ones.
_SPACES = re.compile(r"[^\S\u00a0\u202f\u2007]+")


def _required_text(value: Any) -> str:
    out = _text(value)
    if not out:
        raise _err("không được để trống")
    return out


def _line_item(value: Any) -> str:
    # `- Lưu: VT, VX.` composes to a one-key mapping in YAML; it is what the user meant.
    if isinstance(value, dict) and len(value) == 1:
        ((k, v),) = value.items()
        if isinstance(v, str):
            value = f"{k}: {v}"
    return _required_text(value)


def _lines(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value] if value.strip() else []
    if not isinstance(value, list):
        raise _err(f"phải là một dòng hoặc một danh sách dòng, không phải {_kind(value)}")
    return value


def _title_lines(value: Any) -> str:
    """A title printed on lines the user chose: one line, or a list of lines (the type title
    ``[Kết luận, của Ban Thường vụ Tỉnh ủy]``, a trích yếu). Lines are joined by ``\\n``."""
    if isinstance(value, list):
        lines = [_required_text(v) for v in value]
    else:
        lines = _text(value).split("\n")
    return "\n".join(x for x in (_SPACES.sub(" ", line).strip() for line in lines) if x)


def _required_title(value: Any) -> str:
    out = _title_lines(value)
    if not out:
        raise _err("không được để trống")
    return out


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return dates.parse_date(_required_text(value))
    except ValueError as err:
        raise _err(str(err)) from None


def _number(value: Any) -> int | None:
    if value is None or isinstance(value, int):
        return value
    raw = _text(value)
    if not raw:
        return None
    if not re.fullmatch(r"[0-9]+", raw) or not 1 <= int(raw) <= 999_999:
        raise _err(f"số văn bản phải là số nguyên từ 1 đến 999999, không phải '{raw}'")
    return int(raw)


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raw = _required_text(value).lower()
    if raw in ("có", "co", "true", "yes", "1"):
        return True
    if raw in ("không", "khong", "false", "no", "0"):
        return False
    raise _err(f"'{value}' không hợp lệ; viết 'có' hoặc 'không'")


def _system(value: Any) -> str:
    raw = _required_text(value).lower().replace("-", "_").replace(" ", "_")
    aliases = {"dang": "dang", "đảng": "dang", "nha_nuoc": "nha_nuoc", "nhà_nước": "nha_nuoc"}
    if raw not in aliases:
        raise _err(f"'{value}' không hợp lệ; chọn 'dang' (văn bản Đảng) hoặc 'nha_nuoc'")
    return aliases[raw]


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "một ánh xạ (khóa: giá trị) — nếu giá trị có dấu ': ', hãy đặt nó trong ngoặc kép"
    if isinstance(value, list):
        return "một danh sách"
    return f"'{value}'"


# What each kind of value looks like in a YAML file, for the JSON Schema editors use
# (`tetngheo_docs.schema`): an editor parses YAML itself, so `so: 12` reaches it as a number
# and `ngang: có` as text, where our loader reads every scalar as text.
_VALUE = {"type": ["string", "number", "boolean"]}
_SCALAR = {"type": ["string", "number", "boolean", "null"]}  # `key:` left empty is null there
_LINES = {"anyOf": [_SCALAR, {"type": "array", "items": _VALUE}]}
_DATE = {
    "type": "string",
    "pattern": r"^\s*([0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})\s*$",
    "examples": ["15/01/2024", "2024-01-15"],
}
_NUMBER = {"type": ["integer", "string", "null"], "examples": [196, "05"]}
_BOOL = {"type": ["boolean", "string"], "examples": ["có", "không"]}


class WithJsonSchema:
    """A field's JSON Schema, handed out as a fresh copy each time: pydantic's own
    ``WithJsonSchema`` gives out the dict itself, and pydantic 2.6 then writes a field's
    ``default`` into it — into every field sharing the shape."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        return copy.deepcopy(self.schema)


Text = Annotated[str, BeforeValidator(_text), WithJsonSchema(_SCALAR)]
RequiredText = Annotated[str, BeforeValidator(_required_text), WithJsonSchema(_VALUE)]
LineItem = Annotated[str, BeforeValidator(_line_item), WithJsonSchema(_VALUE)]
Lines = Annotated[list[LineItem], BeforeValidator(_lines), WithJsonSchema(_LINES)]
#: A title: one line or a list of lines, stored joined by "\n" (see `title_lines`).
TitleText = Annotated[str, BeforeValidator(_title_lines), WithJsonSchema(_LINES)]
RequiredTitle = Annotated[str, BeforeValidator(_required_title), WithJsonSchema(_LINES)]
Date = Annotated[date, BeforeValidator(_date), WithJsonSchema(_DATE)]
Number = Annotated[int | None, BeforeValidator(_number), WithJsonSchema(_NUMBER)]
Bool = Annotated[bool, BeforeValidator(_bool), WithJsonSchema(_BOOL)]
SystemName = Annotated[
    Literal["dang", "nha_nuoc"],
    BeforeValidator(_system),
    WithJsonSchema({"type": "string", "enum": ["dang", "nha_nuoc"]}),
]


class FrozenModel(BaseModel):
    """Base of every validated model: immutable, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def title_lines(value: str) -> list[str]:
    """The printed lines of a `TitleText` value."""
    return [line for line in value.split("\n") if line.strip()]


def one_line(value: str) -> str:
    """A `TitleText` value on one line (the register, File > Info, messages)."""
    return " ".join(title_lines(value))
