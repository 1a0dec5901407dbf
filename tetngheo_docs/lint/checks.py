"""The checks of ``tetngheo lint``: detect the system and the components, then judge each.

Every expected value comes from the format profile (`tetngheo_docs.profiles`): sizes and
their allowed ``range``, bold/italic/underline/caps/alignment per component style, page size
and ``margin_ranges``, the number format (colon, padding), date padding, Kính gửi and Nơi
nhận punctuation, the body ending. Each check carries the profile's ``source`` of the rule.

**Component detection.** Our templates give every component its own paragraph style
(``QuocHieu``, ``SoKyHieu``, ``NoiDung``…, the keys of the profiles' ``styles``), so a
document made by tetngheo is read by style id (or style name). Anything else is read by text
and position:

* Quốc hiệu / Tiêu ngữ / "ĐẢNG CỘNG SẢN VIỆT NAM" by their fixed wording (this also
  detects the system);
* the number: the first paragraph starting "Số" followed by a number shape (``Số: 05/…``,
  ``Số 196-…``, or a blank left for the number);
* the date: "<place>, ngày … tháng … năm …";
* the trích yếu of a công văn (ô 5b): the paragraph under Số in the same table cell, or a
  paragraph starting "V/v" in the header;
* the agency block: paragraphs in capitals above Số (not in the Quốc hiệu/date column when
  the header is a table); bold ones are the issuing body, plain ones before them the parent
  body (all are the issuing body when none is bold, so a missing bold is reported);
* "Kính gửi" and the dash lines after it, until an item ends with ".";
* "Nơi nhận" and the lines after it (same table cell when it is in a table, else the dash
  lines that follow);
* the signature: in the signature table's other cell (or after the recipients), the first
  line in capitals is the quyền hạn (or the head's own title), further capital lines the
  chức vụ, the last line not in capitals the name;
* a tên loại (ô 5a): the first line after the header, before Kính gửi, that is centred, in
  capitals and outside a table; a centred line right after it is its trích yếu;
* the body: the paragraphs between the header (or Kính gửi) and the signature that are not
  centred and not in a table;
* the page number: a header paragraph holding a PAGE field (or styled ``SoTrang``).

**Formatting.** Every run of a component must have a size inside the style's ``range``
(or equal to its ``size``) and its bold/italic/underline; caps styles must be typed in
capitals; alignment follows the style (FAIL for justified body text, WARN elsewhere). In
the body (``NoiDung*`` styles that are not emphasised) bold or italic words and headings are
content, so emphasis is judged over the whole body, headings left out; table text of forms
(``BangChu``) is checked for size and font only.

**Document type and Kính gửi.** The type comes from the profile's ``types``: the tên loại
line (ô 5a) names it (``KẾ HOẠCH`` → ``ke_hoach``); without one, a type abbreviation in the
number (``KH`` in ``Số: 05/KH-UBND`` or ``Số 31-KH/TU``) names it; otherwise the document is
a công văn when its Party number has the công văn abbreviation (``CV``), when it has a
trích yếu under the number (ô 5b, which only a công văn has), or when its State number has
no type abbreviation (a công văn's symbol is issuer-unit). Every other type prints its name
(ND30 PL-I §II.5.b), so "no tên loại" is the core of the rule. The type's ``kinh_gui``
(required / optional / none) then decides whether Kính gửi is missing (FAIL) or out of
place (WARN); when Kính gửi is there, Nơi nhận must start with "Như trên".
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from tetngheo_docs import profiles
from tetngheo_docs.body import leading_can_cu
from tetngheo_docs.errors import TetngheoError
from tetngheo_docs.lint.effective import Docx, Para, Run, read_docx, read_file
from tetngheo_docs.profiles import Profile, Style
from tetngheo_docs.vn.numbers import (
    PARTY_NUMBER_RE,
    STATE_NUMBER_RE,
    kiem_tra_ky_hieu_dang,
    kiem_tra_ky_hieu_nha_nuoc,
)
from tetngheo_docs.vn.text import upper_vn

__all__ = ["Check", "LintError", "LintResult", "Status", "lint_bytes", "lint_docx", "lint_file"]

# --------------------------------------------------------------------------- layout

QUOC_HIEU_RE = re.compile(r"CỘNG H(?:ÒA|OÀ) XÃ HỘI CHỦ NGHĨA VIỆT NAM")
TIEU_NGU_RE = re.compile(r"ĐỘC LẬP ?[-–—] ?TỰ DO ?[-–—] ?HẠNH PHÚC")
DANG_RE = re.compile(r"ĐẢNG CỘNG SẢN VIỆT NAM")
NUMBER_SHAPE_RE = re.compile(r"Số\s*:?\s*[0-9]*\s*[-/]\s*[A-ZĐ]")
DATE_RE = re.compile(
    r"(?P<place>[^,]{1,80}),\s*ngày\s*(?P<d>[0-9]*)\s*tháng\s*(?P<m>[0-9]*)\s*"
    r"năm\s*(?P<y>[0-9]*)\s*\.?"
)
KINH_GUI_RE = re.compile(r"kính\s*gửi\b", re.IGNORECASE)
NOI_NHAN_RE = re.compile(r"nơi\s*nhận\b", re.IGNORECASE)
DASHES = ("-", "–", "—", "+")

#: Components that form the header block.
HEADER = (
    "QuocHieu",
    "TieuNgu",
    "TieuDeDang",
    "CoQuanChuQuan",
    "CoQuanBanHanh",
    "DauSao",
    "SoKyHieu",
    "TrichYeuCV",
    "DiaDanhNgay",
    "DoKhan",
    "DoMat",
    "PhamVi",
    "DuThao",
)
SIGNATURE = ("QuyenHan", "ChucVu", "HoTen")
#: Lines read as the signature block when it is not in a table.
SIGNATURE_MAX_LINES = 8
#: The style of a type name (ô 5a).
TEN_LOAI = "TenLoai"


def norm(text: str) -> str:
    """NFC, whitespace collapsed (NBSP and tabs included), stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def is_caps(text: str) -> bool:
    """Has letters and every letter is a capital (Vietnamese diacritics kept)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and upper_vn(text) == unicodedata.normalize("NFC", text)


def is_bold(p: Para) -> bool:
    runs = p.visible_runs
    return bool(runs) and all(r.fmt.bold for r in runs)


def known_styles() -> frozenset[str]:
    names: set[str] = {TEN_LOAI}
    for name in profiles.available():
        names |= set(profiles.load(name).styles)
    return frozenset(names)


@dataclass
class Layout:
    """Components of the body paragraphs (by index) and of headers and footers."""

    paras: list[Para]
    comp: dict[int, str] = field(default_factory=dict)
    how: dict[int, str] = field(default_factory=dict)
    ten_loai: Para | None = None
    #: Components in headers and footers (page number, ô 13 address…).
    outside: dict[str, list[Para]] = field(default_factory=dict)
    #: Index of the first paragraph of the signature zone (Nơi nhận / signature).
    sig_start: int = 0

    def set(self, p: Para, name: str, how: str) -> None:
        self.comp[p.index] = name
        self.how[p.index] = how

    def members(self, name: str) -> list[Para]:
        return [p for p in self.paras if self.comp.get(p.index) == name]

    def first(self, name: str) -> Para | None:
        found = self.members(name)
        return found[0] if found else None

    def has(self, name: str) -> bool:
        return any(v == name for v in self.comp.values())

    def names(self) -> list[str]:
        """Components found, in document order, that hold some text."""
        seen: list[str] = []
        for p in self.paras:
            name = self.comp.get(p.index)
            if name and name not in seen and p.clean:
                seen.append(name)
        return seen

    def detected_by(self, name: str) -> str:
        hows = {self.how[p.index] for p in self.members(name)}
        return " + ".join(sorted(hows))


def _style_of(p: Para, known: frozenset[str]) -> str | None:
    if p.style_id in known:
        return p.style_id
    if p.style_name in known:
        return p.style_name
    return None


def detect(doc: Docx, signer_prefixes: tuple[str, ...]) -> Layout:
    """Find the components of a document (see the module docstring)."""
    known = known_styles()
    paras = doc.body
    lay = Layout(paras)
    for p in paras:
        name = _style_of(p, known)
        if name:
            lay.set(p, name, "kiểu")
            if name == TEN_LOAI and lay.ten_loai is None and p.clean:
                lay.ten_loai = p

    # Anchors recognised by their wording.
    for p in paras:
        if p.index in lay.comp or not p.clean:
            continue
        text = norm(p.text)
        up = upper_vn(text)
        if QUOC_HIEU_RE.fullmatch(up):
            lay.set(p, "QuocHieu", "văn bản")
        elif TIEU_NGU_RE.fullmatch(up):
            lay.set(p, "TieuNgu", "văn bản")
        elif DANG_RE.fullmatch(up):
            lay.set(p, "TieuDeDang", "văn bản")
        elif text == "*":
            lay.set(p, "DauSao", "văn bản")
        elif KINH_GUI_RE.match(text) and not lay.has("KinhGui"):
            lay.set(p, "KinhGui", "văn bản")
        elif NOI_NHAN_RE.match(text) and not lay.has("NoiNhanNhan"):
            lay.set(p, "NoiNhanNhan", "văn bản")
        elif DATE_RE.fullmatch(text) and not lay.has("DiaDanhNgay"):
            lay.set(p, "DiaDanhNgay", "văn bản")
        elif NUMBER_SHAPE_RE.match(text) and not lay.has("SoKyHieu"):
            lay.set(p, "SoKyHieu", "văn bản")

    _trich_yeu(lay)
    header_end = _header_end(lay)
    _agency(lay, header_end)
    header_end = _header_end(lay)
    kg_end = _kinh_gui(lay)
    sig_start = _noi_nhan_and_signature(lay, header_end, signer_prefixes)
    lay.sig_start = sig_start
    _ten_loai_and_body(lay, header_end, kg_end, sig_start)
    for part, part_paras in doc.parts.items():
        if part == doc.main:
            continue
        for p in part_paras:
            if any(_is_page_field(f) for f in p.fields):
                lay.outside.setdefault("SoTrang", []).append(p)
            elif name := _style_of(p, known):
                lay.outside.setdefault(name, []).append(p)
    return lay


def _is_page_field(instr: str) -> bool:
    return bool(re.match(r"\s*PAGE\b", instr, re.IGNORECASE))


def _next_in_cell(lay: Layout, p: Para) -> Para | None:
    for q in lay.paras[p.index + 1 :]:
        if q.cell_key != p.cell_key:
            return None
        if q.clean:
            return q
    return None


def _trich_yeu(lay: Layout) -> None:
    if lay.has("TrichYeuCV"):
        return
    so = lay.first("SoKyHieu")
    if so is not None:
        nxt = (
            _next_in_cell(lay, so)
            if so.cell_key
            else next((q for q in lay.paras[so.index + 1 :] if q.clean), None)
        )
        if nxt is not None and nxt.index not in lay.comp:
            text = norm(nxt.text)
            if so.cell_key or re.match(r"(V/v|về việc|Về việc)\b", text):
                lay.set(nxt, "TrichYeuCV", "văn bản")
                return
    limit = _header_end(lay)
    for p in lay.paras[: limit + 1]:
        if p.index not in lay.comp and norm(p.text).startswith("V/v"):
            lay.set(p, "TrichYeuCV", "văn bản")
            return


def _header_end(lay: Layout) -> int:
    idx = [p.index for p in lay.paras if lay.comp.get(p.index) in HEADER]
    if not idx:
        return -1
    tables = {lay.paras[i].table for i in idx if lay.paras[i].table is not None}
    idx += [p.index for p in lay.paras if p.table in tables and p.table is not None]
    return max(idx)


def _agency(lay: Layout, header_end: int) -> None:
    if lay.has("CoQuanBanHanh") or lay.has("CoQuanChuQuan"):
        return
    so = lay.first("SoKyHieu")
    limit = so.index if so is not None else header_end + 1
    right_cells = {
        p.cell_key
        for p in lay.paras
        if lay.comp.get(p.index) in ("QuocHieu", "TieuNgu", "TieuDeDang", "DiaDanhNgay")
        and p.cell_key
    }
    candidates = [
        p
        for p in lay.paras[: max(limit, 0)]
        if p.index not in lay.comp
        and p.clean
        and is_caps(p.clean)
        and (p.cell_key is None or p.cell_key not in right_cells)
    ]
    if not candidates:
        return
    bold = [p for p in candidates if is_bold(p)]
    if not bold:
        for p in candidates:
            lay.set(p, "CoQuanBanHanh", "văn bản")
        return
    first_bold = bold[0].index
    for p in candidates:
        name = "CoQuanChuQuan" if p.index < first_bold else "CoQuanBanHanh"
        lay.set(p, name, "văn bản")


def _kinh_gui(lay: Layout) -> int:
    """Mark the Kính gửi continuation lines; return the index of the block's last line."""
    block = lay.members("KinhGui")
    if not block:
        return -1
    if any(lay.how[p.index] == "kiểu" for p in block):
        return max(p.index for p in block)
    last = block[-1]
    for q in lay.paras[last.index + 1 :]:
        if not q.clean:
            continue
        if q.index in lay.comp or norm(last.text).endswith("."):
            break
        if not norm(q.text).startswith(DASHES):
            break
        lay.set(q, "KinhGui", "văn bản")
        last = q
    return last.index


def _noi_nhan_and_signature(lay: Layout, header_end: int, prefixes: tuple[str, ...]) -> int:
    """Mark recipients and signature; return where the signature zone starts."""
    nn = lay.first("NoiNhanNhan")
    n = len(lay.paras)
    styled_sig = [p.index for p in lay.paras if lay.comp.get(p.index) in SIGNATURE]
    if nn is not None:
        sig_start = nn.index
        if nn.table is not None:
            sig_start = min(p.index for p in lay.paras if p.table == nn.table)
        # Recipient items.
        if not lay.has("NoiNhanMuc"):
            for q in lay.paras[nn.index + 1 :]:
                if nn.cell_key is not None:
                    if q.cell_key != nn.cell_key:
                        break
                    if q.clean and q.index not in lay.comp:
                        lay.set(q, "NoiNhanMuc", "văn bản")
                    continue
                if not q.clean:
                    continue
                if q.index in lay.comp or not norm(q.text).startswith(DASHES):
                    break
                lay.set(q, "NoiNhanMuc", "văn bản")
    else:
        sig_start = min(styled_sig) if styled_sig else n
        for p in lay.paras[header_end + 1 : sig_start]:
            text = norm(p.text)
            if p.index not in lay.comp and is_caps(text) and text.startswith(prefixes):
                sig_start = p.index
                break
    if styled_sig:
        return min([sig_start, *styled_sig])

    recipients = {p.cell_key for p in lay.members("NoiNhanNhan") + lay.members("NoiNhanMuc")}
    in_table = nn is not None and nn.table is not None
    block: list[Para] = []
    for p in lay.paras[sig_start:]:
        if in_table and p.table != nn.table:  # type: ignore[union-attr]
            continue
        if not in_table and (p.table is not None or len(block) >= SIGNATURE_MAX_LINES):
            break  # a form or an appendix follows the signature
        if p.clean and p.index not in lay.comp and (p.cell_key not in recipients or not in_table):
            block.append(p)
    caps = [p for p in block if is_caps(norm(p.text))]
    for i, p in enumerate(caps):
        first_line = i == 0 or norm(p.text).startswith(prefixes)
        lay.set(p, "QuyenHan" if first_line else "ChucVu", "văn bản")
    after = [p for p in block if not is_caps(norm(p.text))]
    if caps:
        after = [p for p in after if p.index > caps[-1].index]
    if after:
        lay.set(after[-1], "HoTen", "văn bản")
    return sig_start


def _ten_loai_and_body(lay: Layout, header_end: int, kg_end: int, end: int) -> None:
    kg = lay.first("KinhGui")
    if lay.ten_loai is None:
        for p in lay.paras[header_end + 1 : kg.index if kg is not None else end]:
            if not p.clean or p.index in lay.comp:
                continue
            if p.table is None and p.align == "center" and is_caps(norm(p.text)):
                lay.ten_loai = p
                lay.set(p, TEN_LOAI, "văn bản")
                nxt = next((q for q in lay.paras[p.index + 1 :] if q.clean), None)
                if nxt is not None and nxt.index not in lay.comp and nxt.align == "center":
                    lay.set(nxt, "TrichYeu", "văn bản")
            break
    start = max(header_end, kg_end)
    if lay.ten_loai is not None:
        start = max(start, lay.ten_loai.index)
    for p in lay.paras[start + 1 : end]:
        if p.index in lay.comp or not p.clean or p.table is not None or p.align == "center":
            continue
        lay.set(p, "NoiDung", "văn bản")
    _can_cu(lay, start, end)


def _can_cu(lay: Layout, start: int, end: int) -> None:
    """Căn cứ typed at the head of the body are căn cứ, judged as such (italic in ND30,
    upright in HD36), by the renderer's own rule (`body.leading_can_cu`)."""
    head = [
        p
        for p in lay.paras[start + 1 : end]
        if p.clean and (lay.comp.get(p.index) or "").startswith(BODY_PREFIX)
    ]
    if any(lay.comp.get(p.index) == "CanCu" for p in lay.paras[:end]):
        return  # the document has its own căn cứ paragraphs (style CanCu)
    texts = [(norm(p.text), all(r.fmt.italic for r in p.visible_runs)) for p in head]
    for p in head[: leading_can_cu(texts)]:
        lay.set(p, "CanCu", "văn bản")


# --------------------------------------------------------------------------- results


class Status(StrEnum):
    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Check:
    """One verdict: what was measured, what the profile expects, and where the rule is."""

    id: str
    status: Status
    title: str
    measured: str
    expected: str
    source: str
    where: str = ""


@dataclass
class LintResult:
    file: str
    system: str
    profile: str
    profile_title: str
    detection: str
    checks: list[Check]
    components: dict[str, str]

    def count(self, status: Status) -> int:
        return sum(1 for c in self.checks if c.status is status)

    def failed(self, strict: bool = False) -> bool:
        bad = {Status.FAIL, Status.WARN} if strict else {Status.FAIL}
        return any(c.status in bad for c in self.checks)

    def check(self, id: str) -> Check:
        for c in self.checks:
            if c.id == id:
                return c
        raise KeyError(id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "system": self.system,
            "profile": self.profile,
            "profile_title": self.profile_title,
            "detection": self.detection,
            "components": self.components,
            "summary": {s.value: self.count(s) for s in Status},
            "checks": [{**asdict(c), "status": c.status.value} for c in self.checks],
        }


class LintError(TetngheoError):
    """Lint cannot judge the document (system not recognised)."""


# --------------------------------------------------------------------------- formatting

SOURCE_FONT = "format-rules §1 (Font)"
SOURCE_NUMBERING = "design.md (đánh số gõ tay, không dùng đánh số tự động của Word)"
SOURCE_TAGS = "design.md (thẻ mẫu, trường của từng nơi nhận phải được điền hết)"
SOURCE_NFC = "format-rules §4 (NFC), §11.6"
SOURCE_ENDING = "format-rules §4 (End of content)"
SOURCE_KIND = "format-rules §2/§3 (ô 5a, ô 5b)"
SOURCE_PARTS = "format-rules §2/§3"

#: Typefaces with the metrics of Times New Roman, accepted with a warning (format-rules §11.3).
METRIC_TWINS = ("Liberation Serif",)
#: Components every document of the system shows (those present in the profile).
REQUIRED = ("QuocHieu", "TieuNgu", "TieuDeDang", "CoQuanBanHanh", "SoKyHieu", "DiaDanhNgay")
#: State footnote: these sizes rise or fall together (PL-I §V footnote).
SIZE_SET = ("QuocHieu", "TieuNgu", "DiaDanhNgay")
BODY_PREFIX = "NoiDung"
#: Table text of forms: bold headers, italic notes and centred numbers are content, so
#: only its size (and font) is checked.
TABLE_TEXT = ("BangChu",)
#: Footnote text (chú thích): a cited title in italics is content, so its emphasis is not
#: judged (size, font, alignment are).
NOTE_TEXT = ("ChuThich",)
#: A docxtpl tag left in (``{{``, ``}}``, ``{%``, ``%}``) or a per-recipient field not
#: filled (``${ten}``; an open ``${`` too).
TAG_RE = re.compile(r"\{\{|\}\}|\{%|%\}|\$\{[^{}\s]{0,40}\}?")
MARGINS = {
    "top": ("le.tren", "Lề trên"),
    "bottom": ("le.duoi", "Lề dưới"),
    "left": ("le.trai", "Lề trái"),
    "right": ("le.phai", "Lề phải"),
}
ALIGN_VN = {"left": "trái", "center": "giữa", "right": "phải", "justify": "đều hai bên"}
STATUS_ORDER = {Status.FAIL: 0, Status.WARN: 1, Status.PASS: 2}
TWIPS_PER_MM = 1440 / 25.4


def num(x: float, digits: int = 1) -> str:
    """Vietnamese decimal comma, no trailing zeros: 13.0 → '13', 10.5 → '10,5'."""
    text = f"{x:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def quote(text: str, width: int = 70) -> str:
    text = norm(text)
    if len(text) > width:
        text = text[: width - 1] + "…"
    return f"“{text}”"


def range_text(lo: float, hi: float, unit: str) -> str:
    return f"{num(lo)} {unit}" if lo == hi else f"{num(lo)}–{num(hi)} {unit}"


def worst(statuses: list[Status]) -> Status:
    return min(statuses, key=STATUS_ORDER.__getitem__, default=Status.PASS)


def _ok(flag: bool) -> Status:
    return Status.PASS if flag else Status.FAIL


@dataclass
class Ctx:
    doc: Docx
    profile: Profile
    lay: Layout
    checks: list[Check] = field(default_factory=list)
    kind: str = "?"
    is_cong_van: bool = False

    def add(
        self,
        id: str,
        status: Status,
        title: str,
        measured: str,
        expected: str,
        source: str,
        where: str = "",
    ) -> None:
        self.checks.append(Check(id, status, title, measured, expected, source, where))

    def judge(
        self,
        id: str,
        title: str,
        text: str,
        problems: list[str],
        status: Status,
        expected: str,
        source: str,
    ) -> None:
        """One line's verdict: pass without problems; else ``status``, except that a draft's
        warning (an unfilled blank) with other problems beside it fails."""
        if problems and status is Status.WARN and len(problems) > 1:
            status = Status.FAIL
        measured = quote(text) + ("" if not problems else ": " + "; ".join(problems))
        self.add(id, Status.PASS if not problems else status, title, measured, expected, source)

    def source(self, *styles: str) -> str:
        found = [
            self.profile.styles[s].source
            for s in styles
            if s in self.profile.styles and self.profile.styles[s].source
        ]
        return "; ".join(dict.fromkeys(found)) or self.profile.title


# --------------------------------------------------------------------------- page


def check_page(ctx: Ctx) -> None:
    page = ctx.profile.page
    src = page.source
    sections = ctx.doc.sections
    if not sections:
        ctx.add("trang.kho_giay", Status.FAIL, "Khổ giấy", "không có w:sectPr", "A4", src)
        return
    many = len(sections) > 1
    want = sorted((round(page.width_mm * TWIPS_PER_MM), round(page.height_mm * TWIPS_PER_MM)))
    tol = round(0.5 * TWIPS_PER_MM)
    sizes: list[str] = []
    size_ok = True
    orient: list[str] = []
    orient_status = Status.PASS
    for sec in sections:
        label = f"mục {sec.index + 1}: " if many else ""
        w_, h_ = sec.width_twips, sec.height_twips
        if w_ is None or h_ is None:
            sizes.append(f"{label}không khai báo (Word dùng khổ mặc định của máy)")
            size_ok = False
            continue
        sizes.append(f"{label}{num(w_ / TWIPS_PER_MM)} × {num(h_ / TWIPS_PER_MM)} mm")
        got = sorted((w_, h_))
        if abs(got[0] - want[0]) > tol or abs(got[1] - want[1]) > tol:
            size_ok = False
        landscape = w_ > h_
        if sec.orient and (sec.orient == "landscape") != landscape:
            orient_status = worst([orient_status, Status.WARN])
            orient.append(f"{label}orient={sec.orient} trái với kích thước trang")
        if landscape and sec.index == 0:
            orient_status = Status.FAIL
            orient.append(f"{label}ngang")
        elif landscape:
            orient.append(f"{label}ngang (phụ lục, biểu mẫu)")
        else:
            orient.append(f"{label}dọc")
    ctx.add(
        "trang.kho_giay",
        _ok(size_ok),
        "Khổ giấy",
        "; ".join(sizes),
        f"A4, {num(page.width_mm)} × {num(page.height_mm)} mm",
        src,
    )
    ctx.add(
        "trang.huong",
        orient_status,
        "Hướng trang",
        "; ".join(orient),
        "dọc (trang sau có bảng, biểu mẫu được nằm ngang)",
        f"{src}; PL-I §I.2",
    )
    for key, (cid, title) in MARGINS.items():
        lo, hi = page.margin_ranges[key]
        lo_tw, hi_tw = round(lo * TWIPS_PER_MM), round(hi * TWIPS_PER_MM)
        shown: list[str] = []
        ok = True
        for sec in sections:
            label = f"mục {sec.index + 1}: " if many else ""
            value = sec.margins.get(key)
            if value is None:
                shown.append(f"{label}không khai báo")
                ok = False
                continue
            gutter = sec.margins.get("gutter", 0) if key == "left" else 0
            total = value + gutter
            extra = f" + gáy {num(gutter / TWIPS_PER_MM)} mm" if gutter else ""
            shown.append(f"{label}{num(value / TWIPS_PER_MM)} mm{extra} ({total} twip)")
            # One twip of slack: tools round millimetres to twips either way.
            if not lo_tw - 1 <= total <= hi_tw + 1:
                ok = False
        ctx.add(cid, _ok(ok), title, "; ".join(shown), range_text(lo, hi, "mm"), src)


# --------------------------------------------------------------------------- components


def _runs_of(paras: list[Para]) -> list[tuple[Para, Run]]:
    return [(p, r) for p in paras for r in p.visible_runs]


def _component_paras(ctx: Ctx, name: str) -> list[Para]:
    paras = ctx.lay.members(name) + ctx.lay.outside.get(name, [])
    return [p for p in paras if p.visible_runs]


def _plain_body(ctx: Ctx, name: str) -> bool:
    """A body style whose emphasis is content: NoiDung* that is not bold/italic/underlined."""
    spec = ctx.profile.styles.get(name)
    return (
        name.startswith(BODY_PREFIX)
        and spec is not None
        and not (spec.bold or spec.italic or spec.underline)
    )


def check_presence(ctx: Ctx) -> None:
    wanted = [n for n in REQUIRED if n in ctx.profile.styles]
    missing = [n for n in wanted if not ctx.lay.has(n)]
    found = ctx.lay.names()
    ctx.add(
        "thanh_phan",
        _ok(not missing),
        "Thành phần thể thức",
        f"thiếu {', '.join(missing)}" if missing else f"có đủ; nhận ra {len(found)} thành phần",
        ", ".join(wanted),
        SOURCE_PARTS,
    )


def check_components(ctx: Ctx) -> None:
    names = [*ctx.lay.names(), *(n for n in ctx.lay.outside if n not in ctx.lay.names())]
    body_names = [n for n in names if _plain_body(ctx, n)]
    for name in names:
        spec = ctx.profile.styles.get(name)
        paras = _component_paras(ctx, name)
        if spec is None or not paras:
            continue
        runs = _runs_of(paras)
        src = ctx.source(name)
        # Size: every run inside the profile's range (or equal to the size).
        lo, hi = spec.range if spec.range else (spec.size, spec.size)
        sizes = sorted({r.fmt.size_pt for _, r in runs})
        bad = [(p, r) for p, r in runs if not lo <= r.fmt.size_pt <= hi]
        ctx.add(
            f"co_chu.{name}",
            _ok(not bad),
            f"Cỡ chữ {name}",
            ", ".join(f"{num(s)} pt" for s in sizes)
            + (f" (từ {bad[0][1].fmt.size_from})" if bad else ""),
            range_text(lo, hi, "pt"),
            src,
            quote(bad[0][0].text) if bad else "",
        )
        if name in TABLE_TEXT:
            continue
        if name not in body_names and name not in NOTE_TEXT:
            _check_emphasis(ctx, name, spec, paras, runs, src)
        _check_caps(ctx, name, spec, paras, src)
        _check_align(ctx, name, spec, paras, src)
    if body_names:
        _check_body_emphasis(ctx, body_names)
    _check_size_set(ctx)


def _check_emphasis(
    ctx: Ctx, name: str, spec: Style, paras: list[Para], runs: list[tuple[Para, Run]], src: str
) -> None:
    problems: list[str] = []
    where = ""
    parts: list[str] = []
    for attr, yes, no in (
        ("bold", "đậm", "không đậm"),
        ("italic", "nghiêng", "không nghiêng"),
        ("underline", "gạch chân", "không gạch chân"),
    ):
        want = getattr(spec, attr)
        values = {getattr(r.fmt, attr) for _, r in runs}
        if values == {True}:
            parts.append(yes)
        elif values == {False}:
            parts.append(no)
        else:
            parts.append(f"{yes} một phần")
        wrong = [(p, r) for p, r in runs if getattr(r.fmt, attr) != want]
        if wrong:
            problems.append(attr)
            where = where or quote(wrong[0][0].text)
    ctx.add(
        f"kieu_chu.{name}",
        _ok(not problems),
        f"Kiểu chữ {name}",
        ", ".join(parts),
        ", ".join(
            [
                "đậm" if spec.bold else "không đậm",
                "nghiêng" if spec.italic else "không nghiêng",
                "gạch chân" if spec.underline else "không gạch chân",
            ]
        ),
        src,
        where,
    )


#: A body paragraph entirely in bold (italic…) no longer than this is a heading.
HEADING_MAX_CHARS = 150


def _check_body_emphasis(ctx: Ctx, names: list[str]) -> None:
    """Body text is upright and plain; emphasised words and headings are content.

    Judged over the whole body, headings left out (a paragraph entirely emphasised and at
    most `HEADING_MAX_CHARS` long, e.g. ``1. Các chi bộ`` or ``I. MỤC ĐÍCH``): more than
    half of the remaining characters in bold (italic, underlined) when the profile's body
    style is not, is a failure. A body made only of headings is judged as a whole.
    """
    spec = ctx.profile.styles.get("NoiDung") or ctx.profile.styles[names[0]]
    paras = [p for n in names for p in _component_paras(ctx, n)]
    parts: list[str] = []
    bad = False
    where = ""
    for attr, label in (("bold", "đậm"), ("italic", "nghiêng"), ("underline", "gạch chân")):
        want = getattr(spec, attr)

        def heading(p: Para, attr: str = attr, want: bool = want) -> bool:
            return len(p.clean) <= HEADING_MAX_CHARS and all(
                getattr(r.fmt, attr) != want for r in p.visible_runs
            )

        judged = [p for p in paras if not heading(p)] or paras
        runs = _runs_of(judged)
        total = sum(len(r.text.strip()) for _, r in runs) or 1
        wrong = [(p, r) for p, r in runs if getattr(r.fmt, attr) != want]
        share = sum(len(r.text.strip()) for _, r in wrong) / total
        parts.append(f"{label} {round(((1 - share) if want else share) * 100)}%")
        if share > 0.5:
            bad = True
            where = where or quote(wrong[0][0].text)
    ctx.add(
        "kieu_chu.NoiDung",
        _ok(not bad),
        "Kiểu chữ nội dung",
        ", ".join(parts) + " số ký tự (không kể đề mục)",
        ", ".join(
            [
                "đậm" if spec.bold else "không đậm",
                "nghiêng" if spec.italic else "không nghiêng",
                "gạch chân" if spec.underline else "không gạch chân",
            ]
        )
        + " (trừ một số chữ, đề mục)",
        ctx.source("NoiDung"),
        where,
    )


def _check_caps(ctx: Ctx, name: str, spec: Style, paras: list[Para], src: str) -> None:
    if not spec.caps:
        return
    lower = [p for p in paras if not is_caps(norm(p.text))]
    only_format = [p for p in lower if all(r.fmt.caps for r in p.visible_runs)]
    status = Status.PASS
    measured = "in hoa"
    if lower and len(only_format) == len(lower):
        status = Status.WARN
        measured = "chữ thường, chỉ hiện in hoa nhờ định dạng Caps"
    elif lower:
        status = Status.FAIL
        measured = "có chữ thường"
    ctx.add(
        f"chu_hoa.{name}",
        status,
        f"Chữ in hoa {name}",
        measured,
        "in hoa (gõ chữ hoa, giữ dấu)",
        f"{src}; format-rules §11.6",
        quote(lower[0].text) if lower else "",
    )


def _check_align(ctx: Ctx, name: str, spec: Style, paras: list[Para], src: str) -> None:
    wrong = [p for p in paras if p.align != spec.align]
    aligns = sorted({ALIGN_VN.get(p.align, p.align) for p in paras})
    # Justified body text is a rule [P PL-I §II.6.e]; other alignments are layout advice.
    body = name.startswith(BODY_PREFIX) and spec.align == "justify"
    ctx.add(
        f"can_le.{name}",
        Status.PASS if not wrong else (Status.FAIL if body else Status.WARN),
        f"Căn lề {name}",
        ", ".join(aligns),
        ALIGN_VN.get(spec.align, spec.align),
        src,
        quote(wrong[0].text) if wrong else "",
    )


def _single_size(ctx: Ctx, name: str) -> float | None:
    sizes = {r.fmt.size_pt for _, r in _runs_of(_component_paras(ctx, name))}
    return sizes.pop() if len(sizes) == 1 else None


def _check_size_set(ctx: Ctx) -> None:
    """ND30 PL-I §V footnote: Quốc hiệu, Tiêu ngữ and date sizes rise or fall together.

    Derived from the profile: each size's step above the bottom of its ``range`` must be
    the same (13/14/14 or 12/13/13 with ranges 12–13, 13–14, 13–14)."""
    specs = [ctx.profile.styles.get(n) for n in SIZE_SET]
    if any(s is None or s.range is None for s in specs):
        return
    sizes = [_single_size(ctx, n) for n in SIZE_SET]
    if any(s is None for s in sizes):
        return
    steps = {s - spec.range[0] for s, spec in zip(sizes, specs, strict=True)}  # type: ignore[operator,union-attr]
    expected = " hoặc ".join(
        "/".join(num(spec.range[0] + k) for spec in specs)  # type: ignore[union-attr]
        for k in sorted({0.0, *(spec.range[1] - spec.range[0] for spec in specs)})  # type: ignore[union-attr]
    )
    ctx.add(
        "co_chu.dong_bo",
        Status.PASS if len(steps) == 1 else Status.WARN,
        "Cỡ chữ Quốc hiệu / Tiêu ngữ / ngày tháng cùng tăng, giảm",
        "/".join(f"{num(s)}" for s in sizes) + " pt",  # type: ignore[arg-type]
        expected + " pt",
        "PL-I §V (chú thích)",
    )


def check_font(ctx: Ctx) -> None:
    want = ctx.profile.font.name
    counts: dict[tuple[str, Status], int] = {}
    where: dict[tuple[str, Status], str] = {}
    paras = [p for n in ctx.lay.names() for p in _component_paras(ctx, n)]
    paras += [
        p for n in ctx.lay.outside for p in _component_paras(ctx, n) if n not in ctx.lay.names()
    ]
    for p, r in _runs_of(paras):
        plain = sum(1 for c in r.text if c.isascii() and not c.isspace())
        other = sum(1 for c in r.text if not c.isascii() and not c.isspace())
        for slot, n in ((r.fmt.ascii, plain), (r.fmt.hansi, other)):
            if not n:
                continue
            if slot.theme:
                status = Status.WARN if (slot.name or "").lower() == want.lower() else Status.FAIL
            elif slot.name is None:
                status = Status.WARN
            elif slot.name.lower() == want.lower():
                status = Status.PASS
            elif slot.name in METRIC_TWINS:
                status = Status.WARN
            else:
                status = Status.FAIL
            key = (slot.describe(), status)
            counts[key] = counts.get(key, 0) + n
            where.setdefault(key, quote(p.text))
    if not counts:
        ctx.add("phong_chu", Status.FAIL, "Phông chữ", "không có chữ", want, SOURCE_FONT)
        return
    status = worst([s for _, s in counts])
    shown = sorted(counts, key=lambda k: -counts[k])
    measured = (
        shown[0][0]
        if len(shown) == 1
        else "; ".join(f"{name} ({counts[(name, s)]} ký tự)" for name, s in shown)
    )
    bad = [k for k in shown if k[1] is status and status is not Status.PASS]
    ctx.add(
        "phong_chu",
        status,
        "Phông chữ",
        measured,
        f"{want}" + (f" ({', '.join(METRIC_TWINS)}: cảnh báo)" if METRIC_TWINS else ""),
        SOURCE_FONT,
        where[bad[0]] if bad else "",
    )


# --------------------------------------------------------------------------- text rules


def _symbol_type(ctx: Ctx) -> str | None:
    """The type abbreviation written in the number, if any (``KH`` in ``Số: 05/KH-UBND``)."""
    so = ctx.lay.first("SoKyHieu")
    if so is None:
        return None
    text = norm(so.text)
    if ctx.profile.system == "dang":
        m = re.match(r"Số\s*:?\s*[0-9]*\s*-\s*([A-Za-zĐđ]+)/", text)
    else:
        m = re.match(r"Số\s*:?\s*[0-9]*\s*/\s*([A-Za-zĐđ0-9]+)-", text)
    return m.group(1) if m else None


def check_kind(ctx: Ctx) -> None:
    """Which type the document is, from the profile's ``types`` (see the module docstring)."""
    lay = ctx.lay
    types = ctx.profile.types
    by_abbr = {t.abbr: key for key, t in types.items() if t.abbr}
    cong_van = next((key for key, t in types.items() if not t.name), "cong_van")
    abbr = _symbol_type(ctx)
    kind: str | None = None
    if lay.ten_loai is not None:
        # A title block on several lines ("KẾT LUẬN" / "CỦA BAN THƯỜNG VỤ TỈNH ỦY"): the
        # type is its first line.
        title = upper_vn(norm(lay.ten_loai.text.split("\n")[0])).rstrip(":")
        kind = next((k for k, t in types.items() if t.name and upper_vn(t.name) == title), None)
        why = f"tên loại {quote(lay.ten_loai.text, 30)}"
        ctx.kind = kind or "?"
    elif abbr in by_abbr and by_abbr[abbr] != cong_van:
        ctx.kind, why = by_abbr[abbr], f"ký hiệu {abbr}, không thấy dòng tên loại"
    elif abbr in by_abbr:
        ctx.kind, why = cong_van, f"ký hiệu {abbr}"
    elif lay.has("TrichYeuCV"):
        ctx.kind, why = cong_van, "trích yếu dưới số (ô 5b), không có tên loại"
    elif lay.has("SoKyHieu") and ctx.profile.system == "nha_nuoc":
        ctx.kind, why = cong_van, "ký hiệu không có chữ viết tắt tên loại, không có tên loại"
    else:
        ctx.kind, why = "?", "không thấy tên loại, trích yếu hay ký hiệu loại"
    ctx.is_cong_van = ctx.kind == cong_van
    if ctx.kind in types:
        name = types[ctx.kind].name or "công văn"
    else:
        name = "không xác định"
    ctx.add(
        "loai_van_ban",
        Status.PASS,
        "Loại văn bản",
        f"{name} ({why})",
        "công văn: không có tên loại (ô 5a), có trích yếu dưới số (ô 5b); loại khác: in tên loại",
        SOURCE_KIND,
    )


def check_number(ctx: Ctx) -> None:
    rule = ctx.profile.number
    src = ctx.source("SoKyHieu")
    example = rule.format.format(so="05", ky_hieu="…")
    expected = (
        f"dạng “{example}”"
        + (", có dấu “:” sau “Số”" if rule.colon else ", không có dấu “:” sau “Số”")
        + f", số dưới {rule.pad_below} có số 0 đứng trước"
    )
    p = ctx.lay.first("SoKyHieu")
    if p is None:
        ctx.add("so_ky_hieu", Status.FAIL, "Số, ký hiệu", "không tìm thấy", expected, src)
        return
    text = norm(p.text)
    state = ctx.profile.system == "nha_nuoc"
    regex = STATE_NUMBER_RE if state else PARTY_NUMBER_RE
    problems: list[str] = []
    status = Status.FAIL
    has_colon = bool(re.match(r"Số\s*:", text))
    if rule.colon and not has_colon:
        problems.append("thiếu dấu “:” sau “Số”")
    if not rule.colon and has_colon:
        problems.append("văn bản Đảng không có dấu “:” sau “Số”")
    m = re.match(r"Số\s*:?\s*([0-9]*)\s*([-/])\s*(.*)\Z", text)
    if m is None:
        problems.append("không đúng dạng “Số … ký hiệu”")
    else:
        digits, sep, symbol = m.groups()
        if not digits:
            problems.append("chưa điền số (bản dự thảo)")
            status = Status.WARN
        elif int(digits) < rule.pad_below and len(digits) < 2:
            problems.append(f"số dưới {rule.pad_below} phải có số 0 đứng trước: 0{digits}")
        elif int(digits) >= rule.pad_below and digits.startswith("0"):
            problems.append(f"thừa số 0 đứng trước: {digits}")
        want_sep = "/" if state else "-"
        if sep != want_sep:
            problems.append(f"giữa số và ký hiệu phải là “{want_sep}”")
        checker = kiem_tra_ky_hieu_nha_nuoc if state else kiem_tra_ky_hieu_dang
        if (msg := checker(symbol)) is not None:
            problems.append(msg)
    if not problems and not regex.fullmatch(text):
        problems.append("không khớp mẫu số, ký hiệu (có dấu cách thừa?)")
    ctx.judge("so_ky_hieu", "Số, ký hiệu", p.text, problems, status, expected, src)


def check_date(ctx: Ctx) -> None:
    rule = ctx.profile.date
    src = ctx.source("DiaDanhNgay")
    pads = ", ".join(str(m) for m in rule.pad_months)
    expected = (
        f"“<Địa danh>, ngày DD tháng M năm YYYY”: ngày dưới {rule.pad_day_below} có số 0; "
        f"tháng {pads} có số 0, các tháng khác không"
    )
    p = ctx.lay.first("DiaDanhNgay")
    if p is None:
        ctx.add("ngay_thang", Status.FAIL, "Địa danh, ngày tháng", "không tìm thấy", expected, src)
        return
    text = norm(p.text)
    m = DATE_RE.fullmatch(text)
    problems: list[str] = []
    status = Status.FAIL
    if m is None:
        problems.append("không đúng dạng “<Địa danh>, ngày … tháng … năm …”")
    else:
        place, d, mo, y = m.group("place", "d", "m", "y")
        if not place[:1].isupper():
            problems.append("chữ cái đầu địa danh phải viết hoa")
        if text.endswith("."):
            problems.append("không có dấu chấm cuối dòng")
        if not d or not mo:
            problems.append("chưa điền ngày, tháng (bản dự thảo)")
            status = Status.WARN
        if d:
            if int(d) < rule.pad_day_below and len(d) < 2:
                problems.append(f"ngày dưới {rule.pad_day_below} phải có số 0: “ngày 0{d}”")
            elif int(d) >= rule.pad_day_below and d.startswith("0"):
                problems.append(f"thừa số 0: “ngày {d}”")
        if mo:
            month = int(mo)
            if month in rule.pad_months and len(mo) < 2:
                problems.append(f"tháng {month} phải viết “tháng {month:02d}”")
            elif month not in rule.pad_months and mo.startswith("0"):
                problems.append(f"tháng {month} không có số 0: “tháng {month}”")
        if len(y) != 4:
            problems.append("năm phải đủ 4 chữ số")
        if d and mo and len(y) == 4:
            day, month, year = int(d), int(mo), int(y)
            if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
                problems.append("ngày không tồn tại")
    ctx.judge("ngay_thang", "Địa danh, ngày tháng", p.text, problems, status, expected, src)


def _items(paras: list[Para], label_re: re.Pattern[str] | None) -> tuple[list[str], str]:
    """Dash items of a list block (continuation lines joined) and its label line."""
    items: list[str] = []
    label = ""
    for i, p in enumerate(paras):
        text = norm(p.text)
        if i == 0 and label_re is not None and (m := label_re.match(text)):
            label, rest = text[: m.end()], text[m.end() :].lstrip()
            if rest.startswith(":"):
                label, rest = label + ":", rest[1:].lstrip()
            text = rest
            if not text:
                continue
        if text.startswith(DASHES) or not items:
            items.append(text)
        else:
            items[-1] += " " + text
    return items, label


def _punctuation(items: list[str], sep: str, last: str) -> list[str]:
    problems = []
    for i, item in enumerate(items):
        want = last if i == len(items) - 1 else sep
        if not item.endswith(want):
            problems.append(f"{quote(item, 40)} phải kết thúc bằng “{want}”")
    return problems


def check_kinh_gui(ctx: Ctx) -> None:
    """Kính gửi as the profile's type requires it; label with a colon; list punctuation."""
    rule = ctx.profile.kinh_gui
    src = ctx.source("KinhGui")
    paras = ctx.lay.members("KinhGui")
    doc_type = ctx.profile.types.get(ctx.kind)
    need = doc_type.kinh_gui if doc_type else ("required" if ctx.is_cong_van else "optional")
    need_vn = {"required": "bắt buộc", "optional": "tùy trường hợp", "none": "không dùng"}[need]
    expected = f"{need_vn} với {(doc_type.name or 'công văn') if doc_type else 'loại này'}"
    if not paras:
        status = Status.FAIL if need == "required" else Status.PASS
        ctx.add("kinh_gui", status, "Kính gửi", "không có", expected, src)
        return
    items, label = _items(paras, KINH_GUI_RE)
    if need == "none":
        status = Status.WARN
    else:
        status = _ok(label.endswith(":"))
        expected = f"“Kính gửi:” (có dấu hai chấm), {expected}"
    ctx.add(
        "kinh_gui",
        status,
        "Kính gửi",
        f"“{label or norm(paras[0].text)}”, {len(items)} nơi",
        expected,
        src,
    )
    if len(items) < 2:
        return
    problems = [f"{quote(i, 40)} phải bắt đầu bằng “- ”" for i in items if not i.startswith("-")]
    problems += _punctuation(items, rule.separator, rule.last)
    ctx.add(
        "kinh_gui.dau_cau",
        _ok(not problems),
        "Dấu câu Kính gửi",
        "; ".join(problems) if problems else " ".join(i[-1] for i in items),
        f"mỗi dòng “- …{rule.separator}”, dòng cuối “{rule.last}”",
        src,
    )


def check_noi_nhan(ctx: Ctx) -> None:
    rule = ctx.profile.noi_nhan
    src = ctx.source("NoiNhanNhan", "NoiNhanMuc")
    label_p = ctx.lay.first("NoiNhanNhan")
    if label_p is None:
        ctx.add("noi_nhan", Status.FAIL, "Nơi nhận", "không có", f"“{rule.label}”", src)
        return
    label = norm(label_p.text)
    ctx.add(
        "noi_nhan",
        _ok(label == rule.label),
        "Nơi nhận",
        quote(label),
        f"“{rule.label}”",
        src,
    )
    items, _ = _items(ctx.lay.members("NoiNhanMuc"), None)
    if not items:
        ctx.add(
            "noi_nhan.dau_cau",
            Status.FAIL,
            "Dấu câu Nơi nhận",
            "không có dòng nào",
            f"mỗi dòng “- …{rule.separator}”, dòng cuối “{rule.last}”",
            src,
        )
        return
    problems = [f"{quote(i, 40)} phải bắt đầu bằng “- ”" for i in items if not i.startswith("-")]
    problems += _punctuation(items, rule.separator, rule.last)
    ctx.add(
        "noi_nhan.dau_cau",
        _ok(not problems),
        "Dấu câu Nơi nhận",
        "; ".join(problems) if problems else " ".join(i[-1] for i in items),
        f"mỗi dòng “- …{rule.separator}”, dòng cuối “{rule.last}”",
        src,
    )
    first = items[0].lstrip("".join(DASHES)).strip()
    # "Như trên" stands for the Kính gửi addressees (công văn, tờ trình / báo cáo sent up).
    if ctx.lay.has("KinhGui"):
        ctx.add(
            "noi_nhan.nhu_tren",
            _ok(first.startswith("Như trên")),
            "Nơi nhận khi có Kính gửi",
            f"dòng đầu {quote(items[0], 40)}",
            f"“- Như trên{rule.separator}”",
            src,
        )
    last = items[-1].lstrip("".join(DASHES)).strip()
    ctx.add(
        "noi_nhan.luu",
        Status.PASS if last.startswith(rule.archive_prefix) else Status.WARN,
        "Dòng lưu",
        f"dòng cuối {quote(items[-1], 40)}",
        f"“- {rule.archive_prefix}…{rule.last}”",
        src,
    )


def check_signer(ctx: Ctx) -> None:
    lines = ctx.lay.members("QuyenHan") + ctx.lay.members("ChucVu")
    if not lines:
        return
    rule = ctx.profile.signer
    src = ctx.source("QuyenHan")
    texts = [norm(p.text) for p in lines]
    foreign = [t for t in texts if t.startswith(tuple(rule.foreign_prefixes))]
    used = [pre for t in texts for pre in rule.prefixes if t.startswith(pre + " ")]
    if foreign:
        measured = ", ".join(quote(t, 30) for t in foreign) + ": dạng của hệ thống khác"
    elif used:
        measured = ", ".join(used)
    else:
        measured = "không có (người đứng đầu ký trực tiếp)"
    ctx.add(
        "ky.tien_to",
        _ok(not foreign),
        "Thẩm quyền ký",
        measured,
        ", ".join(rule.prefixes) + " hoặc không có",
        src,
        quote(foreign[0]) if foreign else "",
    )


def check_body_end(ctx: Ctx) -> None:
    # The main text ends before the signature; an appendix's own text comes after it.
    body = [
        p
        for p in ctx.lay.paras
        if (ctx.lay.comp.get(p.index) or "").startswith(BODY_PREFIX)
        and p.clean
        and p.index < ctx.lay.sig_start
    ]
    ending = ctx.profile.body.ending
    if not body:
        ctx.add("noi_dung", Status.FAIL, "Nội dung", "không tìm thấy", "có nội dung", SOURCE_PARTS)
        return
    last = norm(body[-1].text)
    ctx.add(
        "noi_dung.ket_thuc",
        Status.PASS if last.endswith(ending) else Status.WARN,
        "Kết thúc nội dung",
        f"…{last[-20:]}",
        f"kết thúc bằng “{ending}”",
        SOURCE_ENDING,
    )


# --------------------------------------------------------------------------- document-wide


def check_page_number(ctx: Ctx) -> None:
    src = ctx.source("SoTrang")
    doc = ctx.doc
    if not doc.sections:
        return
    first = doc.sections[0]

    def has_page(part: str | None) -> bool:
        return any(_is_page_field(f) for p in doc.part_paras(part) for f in p.fields)

    problems: list[str] = []
    default = first.headers.get("default")
    if default is None:
        problems.append("không có đầu trang")
    elif not has_page(default):
        problems.append("đầu trang không có trường PAGE")
    if doc.even_odd_headers and not has_page(first.headers.get("even")):
        problems.append("đầu trang trang chẵn không có trường PAGE")
    if first.page_fmt not in (None, "decimal"):
        problems.append(f"kiểu số {first.page_fmt}, cần chữ số Ả Rập")
    ctx.add(
        "so_trang",
        _ok(not problems),
        "Số trang",
        "; ".join(problems) if problems else "trường PAGE ở đầu trang",
        "trường PAGE ở đầu trang, chữ số Ả Rập, căn giữa",
        src,
    )
    if not first.title_pg and has_page(default):
        measured, ok = "trang 1 dùng đầu trang có số (thiếu w:titlePg)", False
    elif not first.title_pg:
        measured, ok = "trang 1 không có số (văn bản không đánh số trang nào)", True
    elif has_page(first.headers.get("first")):
        measured, ok = "đầu trang của trang đầu có trường PAGE", False
    else:
        measured, ok = "titlePg, đầu trang trang 1 không có số", True
    ctx.add(
        "so_trang.trang_dau",
        _ok(ok),
        "Không đánh số trang 1",
        measured,
        "trang 1 không có số trang (w:titlePg)",
        src,
    )


def _all_paras(doc: Docx) -> list[Para]:
    return [p for paras in doc.parts.values() for p in paras]


def check_auto_numbering(ctx: Ctx) -> None:
    numbered = [p for p in _all_paras(ctx.doc) if p.numbered]
    ctx.add(
        "danh_so_tu_dong",
        _ok(not numbered),
        "Đánh số tự động của Word",
        f"{len(numbered)} đoạn: {numbered[0].numbered}" if numbered else "không có",
        "không có (đánh số gõ tay: I., 1., a), -)",
        SOURCE_NUMBERING,
        quote(numbered[0].text) if numbered else "",
    )


_PART_VN = (
    ("header", "đầu trang"),
    ("footer", "chân trang"),
    ("footnotes", "chú thích cuối trang"),
    ("endnotes", "chú thích cuối văn bản"),
)


def _place(part: str, main: str) -> str:
    """A part of the package in words: ``word/header2.xml`` → ``đầu trang (header2.xml)``."""
    name = part.rsplit("/", 1)[-1]
    if part == main:
        return "thân văn bản"
    label = next((vn for prefix, vn in _PART_VN if name.startswith(prefix)), part)
    return f"{label} ({name})"


def _where(p: Para, main: str) -> str:
    """Where a paragraph is: part, then table/row/cell or paragraph number (1-based)."""
    place = _place(p.part, main)
    if p.table is not None and p.row is not None and p.cell is not None:
        return f"{place}, bảng {p.table + 1}, dòng {p.row + 1}, ô {p.cell + 1}"
    return f"{place}, đoạn {p.index + 1}"


def check_tags(ctx: Ctx) -> None:
    """No placeholder may reach a document: a docxtpl tag ``{{ }}`` / ``{% %}`` or a
    per-recipient field ``${…}`` (the body, tables, headers and footers; text boxes too)."""
    doc = ctx.doc
    hit = next((p for p in _all_paras(doc) if TAG_RE.search(p.text)), None)
    where = _where(hit, doc.main) if hit is not None else ""
    text = hit.text if hit is not None else ""
    if hit is None:  # a text box, or a tag split between paragraphs of one part
        for part, texts in doc.texts.items():
            joined = "".join(texts)
            m = TAG_RE.search(joined)
            if m:
                where = _place(part, doc.main)
                text = joined[max(0, m.start() - 30) : m.end() + 30]
                break
    tag = TAG_RE.search(text)
    ctx.add(
        "the_mau",
        _ok(not where),
        "Thẻ mẫu, trường chưa điền còn sót",
        f"có {tag.group(0) if tag else ''}: {quote(text, 50)}" if where else "không có",
        "không còn {{ }}, {% %}, ${…}",
        SOURCE_TAGS,
        where,
    )


def check_nfc(ctx: Ctx) -> None:
    texts = [p.text for p in _all_paras(ctx.doc)]
    texts += [t for ts in ctx.doc.texts.values() for t in ts]
    bad = [t for t in texts if not unicodedata.is_normalized("NFC", t)]
    measured = "mọi đoạn ở dạng NFC"
    where = ""
    if bad:
        sample = bad[0]
        marks = sorted({f"U+{ord(c):04X}" for c in sample if unicodedata.combining(c)})
        measured = f"{len(bad)} đoạn không ở dạng NFC (dấu rời {', '.join(marks[:4])})"
        where = quote(unicodedata.normalize("NFC", sample), 50)
    ctx.add("nfc", _ok(not bad), "Unicode dựng sẵn (NFC)", measured, "NFC", SOURCE_NFC, where)


# --------------------------------------------------------------------------- driver


def detect_system(lay: Layout) -> tuple[str | None, str]:
    if lay.has("TieuDeDang"):
        return "dang", "tiêu đề “ĐẢNG CỘNG SẢN VIỆT NAM”"
    if lay.has("QuocHieu") or lay.has("TieuNgu"):
        return "nha_nuoc", "Quốc hiệu"
    so = lay.first("SoKyHieu")
    if so is not None:
        text = norm(so.text)
        if re.match(r"Số\s*:", text):
            return "nha_nuoc", "dạng số “Số: …/…”"
        if re.match(r"Số\s*[0-9]*\s*-", text):
            return "dang", "dạng số “Số …-…/…”"
    return None, ""


SYSTEM_VN = {"dang": "Đảng", "nha_nuoc": "nhà nước"}


def lint_docx(doc: Docx, *, system: str | None = None, the_thuc: str | None = None) -> LintResult:
    """Judge a parsed document against the profile of its system."""
    prefixes: list[str] = []
    for name in profiles.available():
        signer = profiles.load(name).signer
        prefixes += [*signer.prefixes, *signer.foreign_prefixes]
    lay = detect(doc, tuple(dict.fromkeys(prefixes)))
    found, how = detect_system(lay)
    if the_thuc:
        profile = profiles.load(the_thuc)
        if system:
            profile = profiles.for_system(system, the_thuc)  # type: ignore[arg-type]
    elif system:
        profile = profiles.for_system(system)  # type: ignore[arg-type]
    elif found:
        profile = profiles.for_system(found)  # type: ignore[arg-type]
    else:
        raise LintError(
            f"{doc.label}: không nhận ra hệ thống văn bản (không thấy Quốc hiệu, "
            "“ĐẢNG CỘNG SẢN VIỆT NAM” hay dòng số, ký hiệu); "
            "hãy chỉ rõ --he-thong dang hoặc --he-thong nha_nuoc"
        )
    ctx = Ctx(doc, profile, lay)
    chosen = SYSTEM_VN[profile.system]
    if found and found != profile.system:
        ctx.add(
            "he_thong",
            Status.WARN,
            "Hệ thống văn bản",
            f"văn bản có vẻ là của hệ thống {SYSTEM_VN[found]} ({how})",
            f"{chosen} (theo tùy chọn)",
            profile.title,
        )
        detection = f"chỉ định: {chosen}; văn bản có vẻ là {SYSTEM_VN[found]} ({how})"
    else:
        detection = f"nhận ra từ {how}" if found and not system and not the_thuc else "chỉ định"
        ctx.add(
            "he_thong",
            Status.PASS,
            "Hệ thống văn bản",
            f"{chosen} ({detection})",
            chosen,
            profile.title,
        )
    check_presence(ctx)
    check_page(ctx)
    check_page_number(ctx)
    check_font(ctx)
    check_components(ctx)
    check_kind(ctx)
    check_number(ctx)
    check_date(ctx)
    check_kinh_gui(ctx)
    check_body_end(ctx)
    check_noi_nhan(ctx)
    check_signer(ctx)
    check_auto_numbering(ctx)
    check_tags(ctx)
    check_nfc(ctx)
    components = {name: lay.detected_by(name) for name in lay.names()}
    for name, paras in lay.outside.items():
        if any(p.clean for p in paras):
            components.setdefault(name, "trường PAGE" if name == "SoTrang" else "kiểu")
    return LintResult(
        file=doc.label,
        system=profile.system,
        profile=profile.name,
        profile_title=profile.title,
        detection=detection,
        checks=ctx.checks,
        components=components,
    )


def lint_bytes(
    data: bytes, label: str, *, system: str | None = None, the_thuc: str | None = None
) -> LintResult:
    return lint_docx(read_docx(data, label), system=system, the_thuc=the_thuc)


def lint_file(path: Path, *, system: str | None = None, the_thuc: str | None = None) -> LintResult:
    return lint_docx(read_file(path), system=system, the_thuc=the_thuc)
