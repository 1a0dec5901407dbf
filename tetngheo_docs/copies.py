"""`tetngheo sao`: a copy (bản sao) of an issued document — SAO Y, TRÍCH SAO, SAO LỤC.

ND30 Phụ lục I Phần II §II (paper copies) and PL-III Mẫu 3.1; HD36 §II.3 for Party bodies:

* the copy parts stand on the same sheet, right after the last part of the copied document,
  under a solid line as wide as the text area (§II.2.a);
* the copy words CAPS bold 13–14 (§II.2.b); the copying body, number, place and date, signer
  and Nơi nhận as the same parts of a document (§II.2.c);
* the number is the copies' own, shared by every kind and running per year from 01 (State,
  §II.1.c: ``Số: 05/SY-UBND``) or per committee term in the type series BS (Party, HD36 PL3:
  ``Số 24-BS/UBKTTU``).

Only an issued document is copied: the .docx must be the file the register recorded when the
document was issued (``tetngheo issue --phat-hanh``), found by its SHA-256. The original is
never modified; the copy is a new file beside it (``X-sao-y-05.docx``). Everything is checked
before the copy's number is reserved; the copy's register key is stable per original, kind,
date and part, so a rerun keeps its number. Layout values come from the profile's ``copies``
section and its styles (see `tetngheo_docs.profiles.CopyRule`).
"""

from __future__ import annotations

import copy as _copy
import datetime
import hashlib
import io
import json
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tetngheo_docs import api, context, model, profiles, source
from tetngheo_docs.errors import TetngheoError
from tetngheo_docs.vn import dates, numbers, text
from tetngheo_docs.vn.metrics import text_width_mm

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import _Cell

    from tetngheo_docs.register import Entry, Register, Scope

__all__ = ["KINDS", "CopyResult", "make_copy"]

#: Command values → profile kinds. The file name uses the command value (``X-sao-y-05.docx``).
KINDS: dict[str, str] = {"sao-y": "sao_y", "trich-sao": "trich_sao", "sao-luc": "sao_luc"}

#: Paragraph styles of a document's content (what a TRÍCH SAO may leave out).
_CONTENT = re.compile(r"\A(NoiDung\w*|TieuDePhan|CanCu|NhanQuyetDinh)\Z")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NUMBER_LINE = re.compile(r"Số:?\s*([0-9]+)\s*([/-])\s*(\S+)")


@dataclass(frozen=True)
class CopyResult:
    """A copy made: its file, its register entry, and the series opened by it (if new)."""

    path: Path
    entry: Entry
    original: Entry
    opened: str


def _fail(path: Path, message: str) -> TetngheoError:
    return TetngheoError(f"{path}: {message}")


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s).strip()


# --------------------------------------------------------------------------- the agency


def _agency(original: Path, agency: Path | None, day: datetime.date, signer: dict[str, Any]):  # type: ignore[no-untyped-def]
    """The copying body as a validated directive (the agency file plus the copy's date and
    signer); errors point into the agency file."""
    found = agency or api.find_agency(original)
    if found is None:
        raise _fail(
            original,
            "không thấy tệp cơ quan tetngheo.yaml (cùng thư mục hoặc thư mục cha); chỉ rõ bằng "
            "--co-quan TỆP",
        )
    label = api._label(found)
    lines = [
        "loai: ke_hoach",
        f"ngay: {day:%d/%m/%Y}",
        "trich_yeu: bản sao",
        "noi_dung: bản sao",
    ]
    given = {k: v for k, v in signer.items() if v}
    if given:  # merged field by field over the agency's nguoi_ky (JSON is YAML flow)
        lines.append(f"nguoi_ky: {json.dumps(given, ensure_ascii=False)}")
    agency_src = source.load_yaml(found, label=label)
    directive_src = source.load_yaml_text("\n".join(lines) + "\n", label=label)
    d, _warnings = model.build(directive_src, agency_src)
    return found, d


# --------------------------------------------------------------------------- the original


def _find_original(reg: Register, original: Path, data: bytes) -> Entry:
    """The register entry of the issued document whose file is ``data`` (by SHA-256)."""
    digest = hashlib.sha256(data).hexdigest()
    matches = [e for e in reg.list() if e.sha256 == digest]
    for entry in matches:
        if entry.status == "void":
            reason = f" ({entry.reason})" if entry.reason else ""
            raise _fail(
                original,
                f"số {entry.so_ky_hieu} ({entry.scope.label()}) đã hủy trong sổ văn bản đi"
                f"{reason}; không sao văn bản đã hủy",
            )
    if matches:
        return matches[0]
    # Not the issued file: say what the register knows of the number printed on it.
    printed = _printed_number(data)
    hint = ""
    if printed is not None:
        n, symbol = printed
        held = [e for e in reg.list(number=n) if e.so_ky_hieu.endswith(symbol)]
        if held and held[0].status == "void":
            reason = f" ({held[0].reason})" if held[0].reason else ""
            raise _fail(
                original,
                f"số {held[0].so_ky_hieu} đã hủy trong sổ văn bản đi{reason}; không sao văn bản "
                "đã hủy",
            )
        if held and held[0].status == "reserved":
            hint = (
                f" Số {held[0].so_ky_hieu} mới giữ số, chưa phát hành: phát hành trước "
                "(tetngheo phat-hanh … --phat-hanh), rồi sao từ tệp đã phát hành."
            )
        elif held:
            hint = (
                f" Sổ ghi số {held[0].so_ky_hieu} đã phát hành là tệp {held[0].file} (nội dung "
                "khác tệp này): sao từ đúng tệp đã phát hành."
            )
    raise _fail(
        original,
        "không có trong sổ văn bản đi như một văn bản đã phát hành (không tệp đã phát hành "
        f"nào trùng nội dung, SHA-256 {digest[:12]}…); chỉ sao được văn bản đã phát hành." + hint,
    )


def _printed_number(data: bytes) -> tuple[int, str] | None:
    """The number and symbol printed on page 1 (``Số: 05/KH-UBND``), if any."""
    import docx

    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception:
        return None
    texts = [
        p.text for t in doc.tables[:1] for row in t.rows for c in row.cells for p in c.paragraphs
    ]
    for line in texts + [p.text for p in doc.paragraphs[:10]]:
        m = _NUMBER_LINE.search(line)
        if m:
            return int(m[1]), m[3]
    return None


# --------------------------------------------------------------------------- trích sao


def _style_id(p: Any) -> str:
    ppr = p.find(f"{_W}pPr")
    st = ppr.find(f"{_W}pStyle") if ppr is not None else None
    return st.get(f"{_W}val", "") if st is not None else ""


def _para_text(p: Any) -> str:
    return _nfc("".join(t.text or "" for t in p.iter(f"{_W}t")))


def _content(body: Any) -> list[Any]:
    """The top-level elements of the document's content: from its first content paragraph
    to its last (tables between them included)."""
    kids = list(body)
    marks = [i for i, el in enumerate(kids) if el.tag == f"{_W}p" and _CONTENT.match(_style_id(el))]
    if not marks:
        return []
    return kids[marks[0] : marks[-1] + 1]


def _part(body: Any, start: str, stop: str | None, original: Path) -> tuple[list[Any], list[Any]]:
    """(kept, left out) content elements of a TRÍCH SAO: from the paragraph beginning with
    ``start`` up to the one beginning with ``stop`` (not included) or the end."""
    content = _content(body)
    if not content:
        raise _fail(
            original,
            "không nhận ra phần nội dung của văn bản (văn bản không do tetngheo tạo?): không "
            "trích sao được; hãy dùng --hinh-thuc sao-y",
        )

    def find(prefix: str, after: int, option: str) -> int:
        want = _nfc(prefix).casefold()
        for i in range(after, len(content)):
            if content[i].tag == f"{_W}p" and _para_text(content[i]).casefold().startswith(want):
                return i
        where = "" if after == 0 else " sau đoạn bắt đầu trích"
        raise _fail(
            original,
            f'{option} "{_nfc(prefix)}": không có đoạn nội dung nào{where} bắt đầu như vậy',
        )

    first = find(start, 0, "--tu")
    last = find(stop, first + 1, "--den-truoc") if stop else len(content)
    kept = content[first:last]
    return kept, [el for el in content if el not in kept]


def _omit(
    doc: Document, body: Any, left_out: Sequence[Any], kept: Sequence[Any], marker: str
) -> None:
    """Remove the parts left out; a run of removed elements becomes one ``…`` paragraph."""
    kept_ids = {id(el) for el in kept}
    content = _content(body)
    gap: list[Any] = []
    runs: list[list[Any]] = []
    for el in content:
        if id(el) in kept_ids:
            if gap:
                runs.append(gap)
                gap = []
        else:
            gap.append(el)
    if gap:
        runs.append(gap)
    for group in runs:
        mark = _copy.deepcopy(kept[0]) if kept and kept[0].tag == f"{_W}p" else None
        if mark is not None:
            for r in list(mark):
                if r.tag != f"{_W}pPr":
                    mark.remove(r)
            run = mark.makeelement(f"{_W}r", {})
            t = run.makeelement(f"{_W}t", {})
            t.text = marker
            run.append(t)
            mark.append(run)
            group[0].addprevious(mark)
        for el in group:
            body.remove(el)
    del doc  # the document object only keeps the body alive for the caller


# --------------------------------------------------------------------------- the block


def _apply(p: Any, spec: profiles.Style, font: str, name: str, styles: set[str]) -> None:
    """Paragraph and run formatting of a profile style, written directly (the original may
    come from an office's own template without our styles); the named style too if present."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    if name in styles:
        p.style = name
    pf = p.paragraph_format
    pf.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[spec.align]
    pf.space_before = Pt(spec.space_before)
    pf.space_after = Pt(spec.space_after)
    pf.first_line_indent = Mm(0)
    if spec.line_exact_pt:
        from docx.enum.text import WD_LINE_SPACING

        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(spec.line_exact_pt)
    if spec.hanging_mm:
        pf.left_indent = Mm(spec.hanging_mm)
        pf.first_line_indent = -Mm(spec.hanging_mm)
    for run in p.runs:
        f = run.font
        f.name = font
        f.size = Pt(spec.size)
        f.bold = spec.bold
        f.italic = spec.italic
        f.underline = spec.underline


def _add(
    cell: _Cell,
    spec: profiles.Style,
    line: str,
    font: str,
    name: str,
    styles: set[str],
    *,
    first: bool,
) -> Any:
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    if line:
        p.add_run(text.upper_vn(line) if spec.caps else line)
    _apply(p, spec, font, name, styles)
    return p


def _borderless(table: Any, widths_mm: Sequence[float], indent_mm: float) -> None:
    """The header and signature bands' table layout, rows kept whole on a page."""
    from tetngheo_docs.render import builder

    builder.borderless(table, widths_mm, indent_mm)
    builder.cant_split(table)


def _border(p: Any, side: str, thickness_pt: float) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(max(2, round(thickness_pt * 8))))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), "000000")
    bdr.append(line)
    # pBdr follows keepNext … pageBreakBefore … widowControl, numPr, suppressLineNumbers
    spacing = ppr.find(qn("w:spacing"))
    if spacing is not None:
        spacing.addprevious(bdr)
    else:
        ppr.append(bdr)


@dataclass(frozen=True)
class _Block:
    """Everything printed in the copy block."""

    label: str  # SAO Y
    agency: list[str]  # the copying body's name lines
    number: str  # Số: 05/SY-UBND
    place_date: str
    recipients: list[str]  # punctuated, with the archive item
    authority: list[str]
    titles: list[str]
    name: str


def append_block(doc: Document, block: _Block, profile: profiles.Profile) -> None:
    """The separator line and the two two-column tables of PL-III Mẫu 3.1, at the end."""
    from docx.shared import Pt

    rule = profile.copies
    assert rule is not None
    font = profile.font.name
    # Direct formatting only, no named styles: `tetngheo the-thuc` recognises a document's
    # parts by their styles, so the copy block is not read as a second Nơi nhận or signature
    # of the copied document (its values are the profile's, checked by tests/test_copies.py).
    styles: set[str] = set()

    sep = doc.add_paragraph()
    sep.paragraph_format.space_before = Pt(rule.separator_space_pt)
    sep.paragraph_format.space_after = Pt(6)
    sep.paragraph_format.keep_with_next = True
    _border(sep, "bottom", profile.rules.thickness_pt)

    ht = profile.header_table
    head = doc.add_table(rows=2, cols=2)
    _borderless(head, [ht.left_mm, ht.right_mm], ht.indent_mm)
    (a, b), (c, d) = (r.cells for r in head.rows)
    agency_style = profile.style("CoQuanBanHanh")
    for i, line in enumerate(block.agency):
        _add(a, agency_style, line, font, "CoQuanBanHanh", styles, first=i == 0)
    if rule.agency_mark == "rule" and profile.rules.agency_ratio > 0:
        longest = max(
            (
                text_width_mm(text.upper_vn(x), agency_style.size, bold=agency_style.bold)
                for x in block.agency
            ),
            default=0.0,
        )
        length = min(longest, ht.left_mm) * profile.rules.agency_ratio
        p = _add(a, profile.style("GachNgang"), "", font, "GachNgang", styles, first=False)
        side = (ht.left_mm - length) / 2
        from docx.shared import Mm

        p.paragraph_format.left_indent = Mm(side)
        p.paragraph_format.right_indent = Mm(side)
        _border(p, "bottom", profile.rules.thickness_pt)
    elif rule.agency_mark == "star":
        _add(a, profile.style("DauSao"), "*", font, "DauSao", styles, first=False)
    _add(b, rule.label_style, block.label, font, "BanSao", styles, first=True)
    _add(c, profile.style("SoKyHieu"), block.number, font, "SoKyHieu", styles, first=True)
    _add(d, profile.style("DiaDanhNgay"), block.place_date, font, "DiaDanhNgay", styles, first=True)

    for cell in (a, b, c, d):  # the block stays on one page with the signature
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True
    spacer = doc.add_paragraph()
    spacer.paragraph_format.keep_with_next = True
    st = profile.signature_table
    sign = doc.add_table(rows=1, cols=2)
    _borderless(sign, [st.left_mm, st.right_mm], ht.indent_mm)
    left, right = sign.rows[0].cells
    _add(
        left,
        profile.style("NoiNhanNhan"),
        profile.noi_nhan.label,
        font,
        "NoiNhanNhan",
        styles,
        first=True,
    )
    for item in block.recipients:
        _add(left, profile.style("NoiNhanMuc"), item, font, "NoiNhanMuc", styles, first=False)
    first = True
    for line in block.authority:
        _add(right, profile.style("QuyenHan"), line, font, "QuyenHan", styles, first=first)
        first = False
    for line in block.titles:
        _add(right, profile.style("ChucVu"), line, font, "ChucVu", styles, first=first)
        first = False
    for _ in range(st.signature_space_lines):
        _add(right, profile.style("HoTen"), "", font, "HoTen", styles, first=first)
        first = False
    _add(right, profile.style("HoTen"), block.name, font, "HoTen", styles, first=first)


# --------------------------------------------------------------------------- the command


def _scope(d: Any, series: str, day: datetime.date, where: Path) -> Scope:
    from tetngheo_docs.register import Scope

    agency = d.co_quan.viet_tat
    if not agency:
        raise _fail(where, "co_quan.viet_tat: cần chữ viết tắt tên cơ quan để ghi số bản sao")
    if d.he_thong == "nha_nuoc":
        return Scope.nha_nuoc(agency, day.year, series)
    for term in d.nhiem_ky:
        if term.tu <= day and (term.den is None or day <= term.den):
            return Scope.dang(agency, series, term.ten)
    raise _fail(
        where,
        f"nhiem_ky: văn bản Đảng đánh số theo nhiệm kỳ: tệp cơ quan cần 'nhiem_ky' có kỳ chứa "
        f"ngày sao {day:%d/%m/%Y}",
    )


def _key(
    digest: str, kind: str, day: datetime.date, part: tuple[str, str | None] | None, lan: str
) -> str:
    key = f"sao:{digest}:{kind}:{day.isoformat()}"
    if part is not None:
        key += ":" + hashlib.sha256(repr(part).encode()).hexdigest()[:16]
    if lan:
        key += f":{_nfc(lan)}"
    return key


def make_copy(
    original: Path,
    kind: str,
    *,
    day: datetime.date | None = None,
    recipients: Sequence[str] = (),
    start: str | None = None,
    stop: str | None = None,
    lan: str = "",
    agency: Path | None = None,
    register: Path | str | None = None,
    signer: dict[str, Any] | None = None,
    publish: bool = False,
    today: datetime.date | None = None,
) -> CopyResult:
    """Make a copy of an issued .docx beside it; see the module docstring."""
    import docx

    from tetngheo_docs import ooxml_guard
    from tetngheo_docs.outputs import atomic_write
    from tetngheo_docs.register import Register
    from tetngheo_docs.register_store import exists, resolve

    if kind not in KINDS:
        raise TetngheoError(f"hình thức sao không hợp lệ: '{kind}' (sao-y, trich-sao, sao-luc)")
    if kind == "trich-sao" and not (start or "").strip():
        raise _fail(
            original, 'trích sao cần --tu "ĐOẠN ĐẦU": phần nội dung được trích bắt đầu từ đâu'
        )
    if kind != "trich-sao" and (start or stop):
        raise _fail(original, "--tu và --den-truoc chỉ dùng với --hinh-thuc trich-sao")
    now = today or dates.today_vn()
    day = day or now
    data = original.read_bytes()
    ooxml_guard.check(data, str(original))
    found, d = _agency(original, agency, day, signer or {})
    profile = profiles.for_system(d.he_thong, d.the_thuc or None)
    rule = profile.copies
    if rule is None:
        raise _fail(found, f"hồ sơ thể thức '{profile.name}' chưa có quy định về bản sao")
    copy_kind = rule.kinds[KINDS[kind]]
    if day > now:
        raise _fail(original, f"ngày sao {day:%d/%m/%Y} còn ở tương lai (hôm nay {now:%d/%m/%Y})")

    reg_path = resolve(
        register, agency_file=found, agency_value=d.so_van_ban, folder=original.parent
    )
    if not exists(reg_path):
        raise _fail(
            original,
            f"không thấy sổ văn bản đi {reg_path}: chỉ sao được văn bản đã phát hành qua sổ; nếu "
            "sổ ở chỗ khác, chỉ rõ bằng --so-van-ban-di SỔ",
        )
    doc = docx.Document(io.BytesIO(data))
    body = doc.element.body
    part = (start or "", stop) if kind == "trich-sao" else None
    if part is not None:
        kept, left_out = _part(body, part[0], stop, original)
        _omit(doc, body, left_out, kept, rule.omitted)
    scope = _scope(d, rule.series, day, found)
    symbol = rule.symbol.format(abbr=copy_kind.abbr, co_quan=d.co_quan.viet_tat)
    line = numbers.so_ky_hieu_format(symbol, party=not profile.number.colon)
    digest = hashlib.sha256(data).hexdigest()
    key = _key(digest, kind, day, part, lan)
    items = [*recipients, rule.archive]
    signed = context._signer(d, profile)
    block = _Block(
        label=copy_kind.label,
        agency=list(d.co_quan.ten),
        number=line(None),
        place_date=dates.dia_danh_ngay(d.dia_danh, day),
        recipients=context.punctuate(items, profile.noi_nhan.separator, profile.noi_nhan.last),
        authority=signed["quyen_han"],
        titles=signed["chuc_vu"],
        name=signed["ho_ten"],
    )
    folder = original.parent
    if not os.access(folder, os.W_OK):
        raise _fail(original, f"không ghi được vào thư mục {folder}")
    append_block(_copy_doc(doc), block, profile)  # a dry composition: fails before a number

    with Register(reg_path, actor=d.nguoi_thuc_hien or None) as reg:
        source_entry = _find_original(reg, original, data)
        issued = dates.parse_date(source_entry.date) if source_entry.date else None
        if issued is not None and day < issued:
            raise _fail(
                original,
                f"ngày sao {day:%d/%m/%Y} trước ngày ban hành {issued:%d/%m/%Y} "
                "của văn bản được sao",
            )
        known = reg.by_key(scope, key)
        if known is not None and known.status == "void":
            raise _fail(
                original,
                f"bản sao số {known.so_ky_hieu} đã hủy ({known.reason}); muốn sao lần nữa thì "
                'thêm --lan "…" để có bản sao mới với số mới',
            )
        opening = "" if known or reg.next_number(scope) != reg.start(scope) + 1 else scope.label()
        what = source_entry.type_name or "Văn bản"
        when = f" ngày {dates.dd_mm_yyyy(issued)}" if issued else ""
        entry = reg.reserve(
            scope,
            key,
            symbol=symbol,
            date=day.isoformat(),
            type_name=copy_kind.name,
            subject=f"{copy_kind.label.capitalize()} {what} số {source_entry.so_ky_hieu}{when}",
            signer=block.name,
            recipients="; ".join(recipients),
        )
        final = _Block(**{**block.__dict__, "number": line(entry.number)})
        append_block(doc, final, profile)
        out = io.BytesIO()
        doc.save(out)
        from tetngheo_docs import package

        core = package.CoreProperties(
            title=f"{copy_kind.name} {source_entry.so_ky_hieu}",
            subject=entry.subject,
            author=" ".join(d.co_quan.ten),
            created=day,
        )
        made = package.normalize(out.getvalue(), core, app=True)
        path = folder / f"{original.stem}-{kind}-{entry.so}.docx"
        if (
            entry.status == "issued"
            and entry.sha256
            and entry.sha256 != hashlib.sha256(made).hexdigest()
        ):
            raise _fail(
                original,
                f"bản sao số {entry.so_ky_hieu} đã phát hành với nội dung khác; muốn sao lần nữa "
                'thì thêm --lan "…" để có bản sao mới với số mới',
            )
        atomic_write(path, made)
        if publish:
            entry = reg.issue(entry.id, file=path.name, sha256=hashlib.sha256(made).hexdigest())
    return CopyResult(path, entry, source_entry, opening)


def _copy_doc(doc: Document) -> Document:
    """A throwaway copy of the document (for the dry composition)."""
    import docx

    out = io.BytesIO()
    doc.save(out)
    return docx.Document(io.BytesIO(out.getvalue()))
