"""Format profiles as data: one YAML file per system (nd30, hd36), read into frozen models.

The template builder, the renderer (via the context) and lint all read these objects, so a
format number lives in exactly one place. Shipped profiles are validated like user input;
a malformed one is a `ProfileError`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from tetngheo_docs.errors import ProfileError

System = Literal["dang", "nha_nuoc"]

#: The profile used when a document names only its system.
DEFAULT_PROFILE: dict[str, str] = {"dang": "hd36", "nha_nuoc": "nd30"}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Page(_Frozen):
    width_mm: float
    height_mm: float
    margin_top_mm: float
    margin_bottom_mm: float
    margin_left_mm: float
    margin_right_mm: float
    header_mm: float
    footer_mm: float
    margin_ranges: dict[str, tuple[float, float]]
    source: str

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - self.margin_left_mm - self.margin_right_mm


class Font(_Frozen):
    name: str
    lang: str


class HeaderTable(_Frozen):
    left_mm: float
    right_mm: float
    indent_mm: float


class SignatureTable(_Frozen):
    left_mm: float
    right_mm: float
    signature_space_lines: int


class Rules(_Frozen):
    thickness_pt: float
    agency_ratio: float
    agency_ratio_range: tuple[float, float]
    title_ratio: float = 0.4


class AppendixRule(_Frozen):
    """Phụ lục: label and numbering, the "(Kèm theo …)" caption, the closing separator."""

    label: str
    numbering: Literal["roman", "arabic"]
    caption: str
    date_style: Literal["long", "short"]
    separator: str
    rule_mm: float = 30  # length of the short rule closing the heading (separator: rule)
    #: The caption of a document issued with a quyết định (kế hoạch, quy chế…), under its
    #: own type name and trích yếu; same fields as ``caption``.
    issued_caption: str = "(Ban hành kèm theo {loai} số {so_ky_hieu} {ngay} của {co_quan})"


class Pagination(_Frozen):
    """Where pages may break (format-rules §11.7 [I]; ND30 and HD36 are silent)."""

    #: Widow/orphan control on every paragraph style: no line alone at a page's top or foot.
    widow_control: bool = True
    #: The body lines kept on the page of the signature block: the last paragraph always
    #: keeps with it, and paragraphs before it too until this many lines are reached.
    signature_min_lines: int = 2
    #: A typed paragraph at most this long can be a title (the same bound as lint's).
    title_max_chars: int = 150
    #: The last rows of a table that keep with its total row (rows never split), so that
    #: "Tổng cộng" never stands alone at the top of a page.
    rows_with_total: int = 2


class DraftRule(_Frozen):
    text: str
    boxed: bool


class DocType(_Frozen):
    """One document type: printed name, symbol abbreviation, template, Kính gửi rule."""

    name: str
    abbr: str
    template: str
    kinh_gui: Literal["required", "optional", "none"]
    decision_label: str = ""
    #: The type may open with căn cứ (legal bases) under its title [PL-I §II.6.a].
    can_cu: bool = False


class NumberRule(_Frozen):
    format: str
    colon: bool
    pad_below: int
    cong_van_symbol: str
    typed_symbol: str


class DateRule(_Frozen):
    pad_day_below: int
    pad_months: tuple[int, ...]


class BodyRule(_Frozen):
    ending: str
    section_numbering: str
    can_cu_separator: str = ";"
    can_cu_last: str = "."
    #: Each căn cứ starts "- " (Party, format-rules §3) or not (State, PL-I §II.6.a).
    can_cu_dash: bool = False


class KinhGuiRule(_Frozen):
    separator: str
    last: str
    single_inline: bool
    label_indent_mm: float


class NoiNhanRule(_Frozen):
    label: str
    separator: str
    last: str
    archive_prefix: str


class SignerRule(_Frozen):
    prefixes: tuple[str, ...]
    foreign_prefixes: tuple[str, ...]
    title_bold: bool


class Style(_Frozen):
    """Paragraph style of one component; the builder turns it into a named Word style."""

    size: float
    bold: bool = False
    italic: bool = False
    underline: bool = False
    caps: bool = False
    align: Literal["left", "center", "right", "justify"] = "left"
    space_before: float = 0
    space_after: float = 0
    line_exact_pt: float | None = None
    first_line_mm: float = 0
    hanging_mm: float = 0  # wrapped lines indented by this much (list items)
    #: Typed items (a), -, +): ``first_line`` = laid out like every body paragraph (first
    #: line indented, wrapped lines back at the margin); ``hanging`` = wrapped lines start
    #: under the text after the marker.
    item_indent: Literal["first_line", "hanging"] = "first_line"
    #: Keep with the next paragraph (``w:keepNext``): ``true`` for every paragraph of the
    #: style (headings), ``titled`` for a typed paragraph that is a title (all bold, or short
    #: without closing punctuation: "1. Mục đích"), decided per paragraph by the context.
    keep_next: bool | Literal["titled"] = False
    #: Never split the paragraph across pages (``w:keepLines``); a ``titled`` paragraph that
    #: is a title gets it too.
    keep_lines: bool = False
    color: str | None = None  # hex RGB; only độ khẩn is not black [PL-I §III.2.b]
    contextual: bool = False  # no spacing between paragraphs of this same style
    range: tuple[float, float] | None = None
    source: str = ""


class CopyKind(_Frozen):
    """One kind of copy: the words printed (ô 1) and the register's type name."""

    label: str  # "SAO Y"
    name: str  # "Bản sao y"
    abbr: str  # symbol abbreviation: SY, TrS, SL (State); BS for every Party copy


class CopyRule(_Frozen):
    """The copy block (bản sao) appended under an issued document [ND30 PL-I Phần II §II;
    HD36 §II.3]: its kinds, numbering, separator, styles and distribution list."""

    kinds: dict[str, CopyKind]  # sao_y, trich_sao, sao_luc
    series: str  # the register series of all copies (one series for every kind)
    symbol: str  # "{abbr}-{co_quan}" (State) or "{abbr}/{co_quan}" (Party)
    label_style: Style  # the copy words (ô 1)
    agency_mark: Literal["rule", "star"]  # under the copying body: a rule or the Party "*"
    separator_space_pt: float  # space above the full-width line
    archive: str  # the last Nơi nhận item
    omitted: str  # stands for the parts left out of a TRÍCH SAO
    source: str


class Profile(_Frozen):
    name: str
    system: System
    title: str
    #: Values taken from unverified secondary sources (shown by `tetngheo` as a warning).
    unverified: tuple[str, ...] = ()
    page: Page
    font: Font
    header_table: HeaderTable
    signature_table: SignatureTable
    rules: Rules
    number: NumberRule
    date: DateRule
    body: BodyRule
    kinh_gui: KinhGuiRule
    noi_nhan: NoiNhanRule
    signer: SignerRule
    title_separator: str
    appendix: AppendixRule
    draft: DraftRule
    pagination: Pagination = Pagination()
    types: dict[str, DocType]
    styles: dict[str, Style]
    #: The copy block (tetngheo sao); None for a profile without copy rules.
    copies: CopyRule | None = None

    def doc_type(self, name: str) -> DocType:
        try:
            return self.types[name]
        except KeyError:
            raise ProfileError(f"hồ sơ thể thức '{self.name}' không có loại '{name}'") from None

    def style(self, name: str) -> Style:
        try:
            return self.styles[name]
        except KeyError:
            raise ProfileError(f"hồ sơ thể thức '{self.name}' thiếu kiểu '{name}'") from None


def available() -> list[str]:
    """Names of the shipped profiles."""
    files = resources.files(__package__)
    return sorted(p.name.removesuffix(".yaml") for p in files.iterdir() if p.name.endswith(".yaml"))


@cache
def load(name: str) -> Profile:
    """Load a shipped profile by name (``nd30``, ``hd36``)."""
    if name not in available():
        raise ProfileError(
            f"không có hồ sơ thể thức '{name}'; các hồ sơ có sẵn: {', '.join(available())}"
        )
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text("utf-8")
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return Profile.model_validate(yaml.load(text, Loader=loader))  # a safe loader
    except ValidationError as err:
        raise ProfileError(f"hồ sơ thể thức '{name}' không hợp lệ:\n{err}") from err


def for_system(system: System, name: str | None = None) -> Profile:
    """The profile named, or the default one of the system; checks they agree."""
    profile = load(name or DEFAULT_PROFILE[system])
    if profile.system != system:
        raise ProfileError(
            f"hồ sơ thể thức '{profile.name}' dành cho hệ thống '{profile.system}', "
            f"không dùng được cho '{system}'"
        )
    return profile
