"""The one place where Vietnamese formatting happens: Directive + Profile → template context.

Templates only loop and test; every date, number, symbol, capitalisation, punctuation of
recipient lists and every computed indent or rule length is decided here, from the profile.
The context uses the directive's own vocabulary (co_quan, so_ky_hieu, kinh_gui, …).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup

from tetngheo_docs import body as body_grammar
from tetngheo_docs.fields import one_line, title_lines
from tetngheo_docs.model import Directive
from tetngheo_docs.package import CoreProperties
from tetngheo_docs.profiles import Profile
from tetngheo_docs.render.ooxml import (
    FOOTNOTES,
    Cell,
    Indent,
    Run,
    block,
    final_section,
    footnote_xml,
    line_breaks,
    paragraph_xml,
    section_break,
    table_xml,
)
from tetngheo_docs.vn import dates, nbsp, numbers, text
from tetngheo_docs.vn.metrics import text_width_mm

_TRAILING = re.compile(r"[\s,;.]+$")
KINH_GUI = "Kính gửi:"


def punctuate(items: list[str], separator: str, last: str, *, dash: bool = True) -> list[str]:
    """``- item;`` … ``- last.``: the system's separators, whatever the user typed."""
    out = []
    for i, item in enumerate(items):
        core = _TRAILING.sub("", item.strip())
        core = core.removeprefix("- ").removeprefix("-").strip() if dash else core
        end = last if i == len(items) - 1 else separator
        out.append(f"- {core}{end}" if dash else f"{core}{end}")
    return out


def so_ky_hieu(d: Directive, profile: Profile) -> str:
    return number_line(d.so, d.ky_hieu, profile)


def numberer(ky_hieu: str, profile: Profile) -> Callable[[int | None], str]:
    """`number_line` for one symbol and many numbers (a batch's letters and bảng kê); a bad
    symbol is refused here, before any number."""
    return numbers.so_ky_hieu_format(ky_hieu, party=not profile.number.colon)


def number_line(so: int | None, ky_hieu: str, profile: Profile) -> str:
    """``Số: 05/UBND-VX`` or ``Số 196-CV/BTGDUK`` for any number."""
    return numberer(ky_hieu, profile)(so)


def _agency_rule(d: Directive, profile: Profile) -> Markup:
    """State: a rule under the issuing body, a share of its longest line [PL-I §II.2.b]."""
    ratio = profile.rules.agency_ratio
    if ratio <= 0:
        return Markup("")
    style = profile.style("CoQuanBanHanh")
    cell = profile.header_table.left_mm
    longest = max(
        (text_width_mm(text.upper_vn(line), style.size, bold=style.bold) for line in d.co_quan.ten),
        default=0.0,
    )
    length = min(longest, cell) * ratio
    side = (cell - length) / 2
    return block(
        [
            paragraph_xml(
                "GachNgang",
                [],
                indent=Indent(side, side),
                bottom_border_pt=profile.rules.thickness_pt,
            )
        ]
    )


def _kinh_gui(d: Directive, profile: Profile) -> Markup:
    return kinh_gui_block(list(d.kinh_gui), profile)


def kinh_gui_block(names: list[str], profile: Profile) -> Markup:
    """The Kính gửi paragraphs for these addressees, laid out per the profile."""
    if not names:
        return Markup("")
    rule = profile.kinh_gui
    size = profile.style("KinhGui").size
    start = rule.label_indent_mm
    label_w = text_width_mm(KINH_GUI + " ", size)
    dash_w = text_width_mm("- ", size)
    if len(names) == 1 and rule.single_inline:
        item = _TRAILING.sub("", names[0]).removeprefix("- ")
        runs = [Run(f"{KINH_GUI} {item}")]
        return block(
            [paragraph_xml("KinhGui", runs, indent=Indent(start + label_w, hanging=label_w))]
        )
    items = punctuate(names, rule.separator, rule.last)
    paragraphs = []
    if profile.system == "dang":
        # Seed 000: the first addressee on the label line, the others aligned under it.
        left = start + label_w + dash_w
        first = True
        for item in items:
            if first:
                runs = [Run(f"{KINH_GUI} {item}")]
                ind = Indent(left, hanging=label_w + dash_w)
                first = False
            else:
                runs = [Run(item)]
                ind = Indent(left, hanging=dash_w)
            paragraphs.append(paragraph_xml("KinhGui", runs, indent=ind))
        return block(paragraphs)
    # ND30: "Kính gửi:" on its own line, the dashes under its colon [PL-I §II.9.b].
    paragraphs.append(paragraph_xml("KinhGui", [Run(KINH_GUI)], indent=Indent(start)))
    left = start + text_width_mm(KINH_GUI[:-1], size) + dash_w
    for item in items:
        paragraphs.append(
            paragraph_xml("KinhGui", [Run(item)], indent=Indent(left, hanging=dash_w))
        )
    return block(paragraphs)


def _noi_nhan(d: Directive, profile: Profile) -> list[str]:
    rule = profile.noi_nhan
    items = list(d.noi_nhan)
    has_archive = any(i.strip().removeprefix("- ").startswith("Lưu") for i in items)
    items += [t for t in d.noi_nhan_cuoi if not (has_archive and t.startswith("Lưu"))]
    return punctuate(items, rule.separator, rule.last)


def _signer(d: Directive, profile: Profile) -> dict[str, Any]:
    authority = [text.upper_vn(x) for x in d.nguoi_ky.quyen_han]
    titles = [text.upper_vn(x) for x in d.nguoi_ky.chuc_vu]
    if not authority:
        # A head signing directly: the title is the block's first (bold) line.
        authority, titles = titles, []
    # The blank lines left for signature and seal; a copy says "(Đã ký)" in the middle.
    space = [""] * profile.signature_table.signature_space_lines
    if d.nguoi_ky.da_ky and space:
        space[len(space) // 2 - (1 if len(space) > 1 else 0)] = "(Đã ký)"
    return {
        "quyen_han": authority,
        "chuc_vu": titles,
        "khoang_ky": space,
        "ho_ten": d.nguoi_ky.ho_ten,
    }


def _joint_signers(d: Directive, profile: Profile) -> Markup:
    """Liên tịch: the other body's signer on the left, level with the main signer; Nơi nhận
    follows under it [ND30 Đ13; the host body signs on the right]."""
    if not d.nguoi_ky_lien_tich:
        return Markup("")
    out = []
    for signer in d.nguoi_ky_lien_tich:
        lines = _signer(d.model_copy(update={"nguoi_ky": signer}), profile)
        out += [paragraph_xml("QuyenHan", [Run(x)]) for x in lines["quyen_han"]]
        out += [paragraph_xml("ChucVu", [Run(x)]) for x in lines["chuc_vu"]]
        out += [paragraph_xml("HoTen", [Run(x)]) for x in lines["khoang_ky"]]
        out.append(paragraph_xml("HoTen", [Run(lines["ho_ten"])]))
        out.append(paragraph_xml("HoTen", []))
    return block(out)


def _box(style: str, label: str, profile: Profile, cell_mm: float, *, boxed: bool) -> str:
    """A mark centred in a header cell; boxed marks get a single-line frame [PL-I §III.2]."""
    spec = profile.style(style)
    shown = text.upper_vn(label) if spec.caps else label
    if not boxed:
        return paragraph_xml(style, [Run(shown)])
    width = text_width_mm(shown, spec.size, bold=spec.bold, italic=spec.italic)
    box = min(cell_mm, max(30.0, width + 6))
    side = (cell_mm - box) / 2
    return paragraph_xml(style, [Run(shown)], indent=Indent(side, side), box_pt=0.75)


def _marks(d: Directive, profile: Profile) -> tuple[Markup, Markup]:
    """Left column: độ mật, độ khẩn (ô 10a/10b). Right column top: phạm vi, dự thảo (ô 11)."""
    left_mm, right_mm = profile.header_table.left_mm, profile.header_table.right_mm
    left = []
    if d.do_mat:
        left.append(_box("DoMat", d.do_mat, profile, left_mm, boxed=True))
    if d.do_khan:
        left.append(_box("DoKhan", d.do_khan, profile, left_mm, boxed=True))
    right = []
    if d.pham_vi_luu_hanh:
        right.append(_box("PhamVi", d.pham_vi_luu_hanh, profile, right_mm, boxed=True))
    if d.du_thao is not None:
        label = profile.draft.text.format(n=d.du_thao)
        right.append(_box("DuThao", label, profile, right_mm, boxed=profile.draft.boxed))
    # Adjacent paragraphs with the same frame merge into one box; a spacer keeps them apart.
    return block(_spaced(left)), block(_spaced(right))


def _spaced(paragraphs: list[str]) -> list[str]:
    out: list[str] = []
    for p in paragraphs:
        if out:
            out.append(paragraph_xml("GachNgang", []))
        out.append(p)
    return out


def _roman(n: int) -> str:
    return numbers.so_la_ma(n)


def issuer(d: Directive) -> str:
    """Who issues the document, named in full for a caption: the agency's full name, or for
    a quyết định its authority (PL-III Mẫu 1.3) completed by that name when the authority
    line stops short of it — "Chủ tịch Ủy ban nhân dân tỉnh" of "Ủy ban nhân dân tỉnh Kon
    Tum" is "Chủ tịch Ủy ban nhân dân tỉnh Kon Tum"."""
    agency = d.co_quan.ten_day_du or " ".join(d.co_quan.ten)
    authority = " ".join(d.tham_quyen.split())
    if not authority:
        return agency
    words, full = authority.split(" "), agency.split(" ")
    fold = [text.upper_vn(x) for x in words]
    full_fold = [text.upper_vn(x) for x in full]
    n = len(full_fold)
    if any(fold[i : i + n] == full_fold for i in range(len(fold) - n + 1)):
        return authority  # already names the agency
    for k in range(min(len(words), n), 0, -1):  # the authority ends where the name starts
        if fold[-k:] == full_fold[:k]:
            return " ".join([*words[: len(words) - k], *full])
    return authority


def attachment_caption(d: Directive, profile: Profile, *, issued: bool = False) -> str:
    """ "(Kèm theo Công văn số 196-CV/BTGDUK, ngày 15/01/2024 của …)" from the document;
    ``issued``: the caption of a document issued with it ("(Ban hành kèm theo …)")."""
    rule = profile.appendix
    doc_type = profile.doc_type(d.loai)
    kind = (doc_type.name or "Công văn").capitalize()
    number = so_ky_hieu(d, profile).removeprefix("Số:").removeprefix("Số").strip()
    if rule.date_style == "long":
        when = dates.ngay_thang_nam(d.ngay)
    else:
        # dd/m/yyyy with the ND30 padding (day < 10, months 1–2): "15/01/2024", "08/9/2022".
        day = f"{d.ngay.day:02d}"
        month = f"{d.ngay.month:02d}" if d.ngay.month in profile.date.pad_months else d.ngay.month
        when = f"ngày {day}/{month}/{d.ngay.year}"
    # A quyết định is issued by the authority that signs it (PL-III Mẫu 1.3), named in full.
    pattern = rule.issued_caption if issued else rule.caption
    return pattern.format(loai=kind, so_ky_hieu=number, ngay=when, co_quan=issuer(d))


def _appendix(d: Directive, profile: Profile, i: int, caption: str) -> tuple[bool, str]:
    annex, blocks = d.phu_luc[i], d.appendix_blocks[i]
    if annex.loai:
        return issued_section(d, profile, i)
    rule = profile.appendix
    # Documents issued with the letter are not phụ lục: they do not count in the numbering.
    plain = [k for k, a in enumerate(d.phu_luc) if not a.loai]
    if len(plain) == 1:
        label = rule.label
    elif rule.numbering == "roman":
        label = f"{rule.label} {_roman(plain.index(i) + 1)}"
    else:
        label = f"{rule.label} {plain.index(i) + 1}"
    from tetngheo_docs.forms import docx as form_docx

    tables = "".join(
        form_docx.appendix_table(t, profile, landscape=annex.ngang) for t in annex.bang
    )
    return annex_section(
        profile,
        list(blocks),
        caption,
        label=label,
        title=annex.tieu_de,
        landscape=annex.ngang,
        tables=tables,
    )


def issued_section(d: Directive, profile: Profile, i: int) -> tuple[bool, str]:
    """A document issued with a quyết định, as itself [format-rules §10.1; PL-III Mẫu 1.3]:
    its type name (TenLoai) and trích yếu (TrichYeu) as on a document's first page, the
    italic "(Ban hành kèm theo Quyết định số … ngày … của …)", the title separator, then its
    body, closed like a body ("./.")."""
    annex, blocks = d.phu_luc[i], d.appendix_blocks[i]
    page = profile.page
    landscape = annex.ngang
    width = (page.height_mm - page.margin_left_mm - page.margin_right_mm) if landscape else None
    width = width or page.text_width_mm
    name = profile.doc_type(annex.loai).name
    subject = title_lines(annex.tieu_de)
    out = [
        paragraph_xml("TenLoai", [Run(text.upper_vn(name))]),
        # One paragraph per line the user gave (the style keeps them with what follows).
        *(paragraph_xml("TrichYeu", [Run(nbsp.keep_together(x))]) for x in subject),
        paragraph_xml("PhuLucKemTheo", [Run(attachment_caption(d, profile, issued=True))]),
    ]
    sep = profile.title_separator
    if sep == "rule":
        style = profile.style("TrichYeu")
        longest = max(text_width_mm(x, style.size, bold=style.bold) for x in subject)
        side = (width - min(longest, width) * profile.rules.title_ratio) / 2
        rule = paragraph_xml(
            "GachNgang", [], indent=Indent(side, side), bottom_border_pt=profile.rules.thickness_pt
        )
        out.append(rule)
    else:
        out.append(paragraph_xml("PhuLucKemTheo", [Run(sep)]))
    out.append(_blocks(list(blocks), profile, width, ending=profile.body.ending))
    return landscape, "".join(out)


def annex_section(
    profile: Profile,
    blocks: list[body_grammar.Block | body_grammar.TableBlock],
    caption: str,
    *,
    label: str = "",
    title: str = "",
    landscape: bool = False,
    tables: str = "",
) -> tuple[bool, str]:
    """An attachment's section: label, title, "(Kèm theo …)", separator, then its blocks
    and `tables` (a phụ lục's ``bang:``, built by `forms.docx`; the bản lưu's list of
    recipients)."""
    rule = profile.appendix
    page = profile.page
    width = page.height_mm - page.margin_left_mm - page.margin_right_mm
    width = width if landscape else page.text_width_mm
    out = [paragraph_xml("PhuLucSo", [Run(label)])] if label else []
    if title:
        out.append(paragraph_xml("PhuLucTieuDe", [Run(text.upper_vn(title))]))
    out.append(paragraph_xml("PhuLucKemTheo", [Run(caption)]))
    if rule.separator == "rule":
        side = (width - rule.rule_mm) / 2
        out.append(
            paragraph_xml(
                "GachNgang",
                [],
                indent=Indent(side, side),
                bottom_border_pt=profile.rules.thickness_pt,
            )
        )
        out.append(paragraph_xml("BangChu", []))  # air between the rule and a table
    else:
        out.append(paragraph_xml("PhuLucKemTheo", [Run(rule.separator)]))
    out.append(_blocks(blocks, profile, width, ending=""))
    out.append(tables)
    return landscape, "".join(out)


def _attachments(d: Directive, profile: Profile) -> Markup:
    return attachments(d, profile)


def attachments(d: Directive, profile: Profile, extra: Sequence[tuple[bool, str]] = ()) -> Markup:
    """Phụ lục, biểu mẫu, then ``extra`` sections (see `annex_section`), each in its own
    section with page numbers from 1."""
    from tetngheo_docs.forms import docx as form_docx

    if not d.phu_luc and not d.bieu_mau and not extra:
        return Markup("")
    caption = attachment_caption(d, profile)
    parts = [_appendix(d, profile, i, caption) for i in range(len(d.phu_luc))]
    for form in d.bieu_mau:
        parts.append(
            form_docx.section_body(form, profile, caption=caption, place=d.dia_danh, when=d.ngay)
        )
    parts += extra
    out = []
    previous_landscape = False
    for i, (landscape, xml) in enumerate(parts):
        out.append(section_break(landscape=previous_landscape, restart=i > 0))
        out.append(xml)
        previous_landscape = landscape
    out.append(final_section(landscape=previous_landscape, restart=True))
    return block(out)


def _body(d: Directive, profile: Profile) -> Markup:
    return body_block(list(d.blocks), profile)


def body_block(
    blocks: list[body_grammar.Block | body_grammar.TableBlock], profile: Profile
) -> Markup:
    """The body paragraphs (and tables), closed with the profile's ending mark."""
    blocks = _can_cu_first(blocks)
    return Markup(_blocks(blocks, profile, profile.page.text_width_mm, ending=profile.body.ending))


def _can_cu_first(
    blocks: list[body_grammar.Block | body_grammar.TableBlock],
) -> list[body_grammar.Block | body_grammar.TableBlock]:
    """Căn cứ typed at the head of the body are căn cứ (style ``CanCu``, whose italic or
    upright is the rule's, PL-I §II.6.a / format-rules §3): by `body.leading_can_cu`, the
    rule lint reads them by."""
    heads: list[tuple[str, bool]] = []
    for b in blocks:
        if not isinstance(b, body_grammar.Block):
            break
        visible = [r for r in b.runs if r.text.strip()]
        heads.append((b.text, bool(visible) and all(r.italic for r in visible)))
    n = body_grammar.leading_can_cu(heads)
    restyled: list[body_grammar.Block | body_grammar.TableBlock] = []
    for b in blocks[:n]:
        assert isinstance(b, body_grammar.Block)
        runs = tuple(Run(r.text, r.bold, False, r.underline) for r in b.runs)
        restyled.append(body_grammar.Block("CanCu", runs, b.line))
    return [*restyled, *blocks[n:]]


def _blocks(
    blocks: list[body_grammar.Block | body_grammar.TableBlock],
    profile: Profile,
    width_mm: float,
    *,
    ending: str,
) -> str:
    blocks = body_grammar.close_with(blocks, ending)
    # The body's last lines stay on the page of the signature block [format-rules §11.7].
    with_signature = _kept_with_signature(blocks, profile, width_mm) if ending else set()
    paragraphs = []
    for i, b in enumerate(blocks):
        if isinstance(b, body_grammar.TableBlock):
            paragraphs.append(body_table(b, width_mm, profile.style("BangChu").size))
            continue
        runs = b.runs
        if profile.style(b.style).caps:  # CAPS is emitted as text, never as w:caps [§11.6]
            runs = tuple(Run(text.upper_vn(r.text), r.bold, r.italic, r.underline) for r in runs)
        runs = keep_together(runs)
        title = is_title(b, profile)
        indent = _hanging(b, profile)
        paragraphs.append(
            paragraph_xml(
                b.style,
                runs,
                indent=indent,
                keep_next=title or i in with_signature,
                keep_lines=title,
            )
        )
    return "".join(paragraphs)


def keep_together(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """Runs with the spaces of unbreakable groups ("ngày 15/01/2024", "số 196", ranges)
    made non-breaking (`vn.nbsp`), groups that cross emphasis included."""
    joined = "".join(r.text for r in runs)
    spots = set(nbsp.positions(joined))
    if not spots:
        return runs
    out, start = [], 0
    for r in runs:
        chars = [nbsp.NBSP if start + k in spots else c for k, c in enumerate(r.text)]
        out.append(Run("".join(chars), r.bold, r.italic, r.underline))
        start += len(r.text)
    return tuple(out)


_CLOSING = (".", ";", ",", "!", "?", "…")


def is_title(b: body_grammar.Block, profile: Profile) -> bool:
    """A typed paragraph that is a title keeps with its text (style ``keep_next: titled``):
    short, and entirely bold or without closing punctuation ("1. Mục đích", "Điều 1. Phạm
    vi điều chỉnh", "a) Đối với cấp tỉnh:")."""
    if profile.style(b.style).keep_next != "titled":
        return False
    content = b.text.strip()
    if not content or len(content) > profile.pagination.title_max_chars:
        return False
    visible = [r for r in b.runs if r.text.strip()]
    return all(r.bold for r in visible) or not content.endswith(_CLOSING)


def _kept_with_signature(
    blocks: list[body_grammar.Block | body_grammar.TableBlock], profile: Profile, width_mm: float
) -> set[int]:
    """Indexes of the last paragraphs that keep with the signature block: the last one, and
    those before it until ``pagination.signature_min_lines`` lines (estimated from measured
    widths) go with it."""
    kept: set[int] = set()
    lines = 0
    for i in range(len(blocks) - 1, -1, -1):
        b = blocks[i]
        if isinstance(b, body_grammar.TableBlock):
            break
        kept.add(i)
        style = profile.style(b.style)
        bold = bool(b.runs) and all(r.bold for r in b.runs if r.text.strip())
        width = text_width_mm(b.text, style.size, bold=bold) + style.first_line_mm
        lines += max(1, -(-int(width) // max(1, int(width_mm))))
        if lines >= profile.pagination.signature_min_lines:
            break
    return kept


_MARKER = re.compile(r"^(?:[a-zđ]\)|[-+–])\s")


def _hanging(b: body_grammar.Block, profile: Profile) -> Indent | None:
    """A typed item (``a)``, ``-``, ``+``) laid out ``item_indent: hanging``: the first line
    keeps the body's first-line indent, wrapped lines start after the marker. The shipped
    profiles lay items out like every body paragraph (``first_line``, PL-I §II.6.e)."""
    style = profile.style(b.style)
    m = _MARKER.match(b.text) if style.item_indent == "hanging" else None
    if m is None:
        return None
    first = b.runs[0] if b.runs else Run("")
    marker = text_width_mm(m.group(0), style.size, bold=first.bold, italic=first.italic)
    return Indent(left=style.first_line_mm + marker, hanging=marker)


def column_widths(texts: list[list[str]], total_mm: float, size_pt: float = 13) -> list[float]:
    """Share ``total_mm`` between columns: each gets at least its longest word (the header in
    bold), and the rest goes to the columns whose lines are longest, up to ~70 mm of text."""
    padding = 2 * 1.0 + 1.0  # cell margins + a little air
    n = max(len(r) for r in texts)
    minimum = [8.0] * n
    natural = [8.0] * n
    for r, row in enumerate(texts):
        bold = r == 0
        for i, cell in enumerate(row):
            words = cell.split()
            longest = max((text_width_mm(w, size_pt, bold=bold) for w in words), default=0.0)
            minimum[i] = max(minimum[i], longest + padding)
            natural[i] = max(natural[i], min(text_width_mm(cell, size_pt, bold=bold), 70) + padding)
    if sum(minimum) >= total_mm:
        return [w * total_mm / sum(minimum) for w in minimum]
    spare = total_mm - sum(minimum)
    extra = [max(0.0, nat - low) for nat, low in zip(natural, minimum, strict=True)]
    if sum(extra) <= spare:
        grown = [low + e for low, e in zip(minimum, extra, strict=True)]
        return [w * total_mm / sum(grown) for w in grown]
    return [low + spare * e / sum(extra) for low, e in zip(minimum, extra, strict=True)]


def body_table(table: body_grammar.TableBlock, width_mm: float, profile_size: float = 13) -> str:
    """A pipe table of the body as a bordered Word table with a repeated bold header row."""
    texts = [["".join(r.text for r in c) for c in row] for row in (table.header, *table.rows)]
    widths = column_widths(texts, width_mm, profile_size)
    head = [Cell(c, align="center", bold=True) for c in table.header]
    rows = [
        [Cell(c, align=a) for c, a in zip(row, table.aligns, strict=True)] for row in table.rows
    ]
    return table_xml([head, *rows], widths, style=table.style) + paragraph_xml("BangChu", [])


def _title_separator(d: Directive, profile: Profile) -> Markup:
    """Under a named type's trích yếu: a rule of 1/3–1/2 its line (ND30) or "-----" (HD36)."""
    sep = profile.title_separator
    if sep != "rule":
        return block([paragraph_xml("TrichYeu", [Run(sep)])])
    style = profile.style("TrichYeu")
    width = profile.page.text_width_mm
    longest = max(text_width_mm(x, style.size, bold=style.bold) for x in title_lines(d.trich_yeu))
    line = min(longest, width)
    side = (width - line * profile.rules.title_ratio) / 2
    return block(
        [
            paragraph_xml(
                "GachNgang",
                [],
                indent=Indent(side, side),
                bottom_border_pt=profile.rules.thickness_pt,
            )
        ]
    )


def _lines(lines: list[str]) -> Markup:
    """Lines of one title paragraph (line breaks between them), groups kept unbroken."""
    return line_breaks([nbsp.keep_together(x) for x in lines])


def _type_title(d: Directive, name: str) -> Markup:
    """The tên loại (ô 5a), CAPS: the type's name, or the lines the user gave (a Party title
    block "KẾT LUẬN" / "CỦA BAN THƯỜNG VỤ TỈNH ỦY")."""
    if not name:
        return Markup("")
    lines = title_lines(d.ten_loai) if d.ten_loai else [name]
    return _lines([text.upper_vn(x) for x in lines])


def _place_and_date(d: Directive) -> str:
    """Ô 4: the place name never broken, nor "ngày 05", "tháng 02", "năm 2024" [§6]."""
    return nbsp.keep_together(dates.dia_danh_ngay(nbsp.place(d.dia_danh), d.ngay))


def build(d: Directive, profile: Profile) -> dict[str, Any]:
    """The template context of a document (công văn or a named type)."""
    doc_type = profile.doc_type(d.loai)
    marks_left, marks_right = _marks(d, profile)
    can_cu = punctuate(
        list(d.can_cu),
        profile.body.can_cu_separator,
        profile.body.can_cu_last,
        dash=profile.body.can_cu_dash,
    )
    can_cu = [nbsp.keep_together(x) for x in can_cu]
    return {
        "loai": d.loai,
        "ten_loai": _type_title(d, doc_type.name),
        "gach_trich_yeu": _title_separator(d, profile) if doc_type.name else Markup(""),
        "tham_quyen": text.upper_vn(d.tham_quyen),
        "can_cu": can_cu,
        "nhan_quyet_dinh": doc_type.decision_label,
        "he_thong": d.he_thong,
        "co_quan": {
            "chu_quan": [text.upper_vn(x) for x in d.co_quan.chu_quan],
            "ban_hanh": [text.upper_vn(x) for x in d.co_quan.ten],
        },
        "gach_co_quan": _agency_rule(d, profile),
        "so_ky_hieu": so_ky_hieu(d, profile),
        "trich_yeu": _lines(title_lines(d.trich_yeu)),
        "dia_danh_ngay": _place_and_date(d),
        "kinh_gui": _kinh_gui(d, profile),
        "noi_dung": _body(d, profile),
        "noi_nhan": _noi_nhan(d, profile),
        "nguoi_ky": _signer(d, profile),
        "ky_lien_tich": _joint_signers(d, profile),
        "dau_trai": marks_left,
        "dau_phai": marks_right,
        "phu_luc": _attachments(d, profile),
        "dia_chi": d.dia_chi,
        FOOTNOTES: _footnotes(d, profile),
    }


def _footnotes(d: Directive, profile: Profile) -> Markup:
    """The notes of the body and phụ lục as footnotes (``ChuThich``, the profile's size),
    numbered by Word in the order of their marks."""
    return block(
        [
            footnote_xml(i, keep_together(runs), "ChuThich")
            for i, runs in enumerate(d.notes, start=1)
        ]
    )


def core_properties(d: Directive) -> CoreProperties:
    """File > Info metadata from the document itself (never from the clock)."""
    agency = d.co_quan.ten_day_du or " ".join(d.co_quan.ten)
    return CoreProperties(
        title=one_line(d.trich_yeu),
        # The symbol without the number: copies of one batch share their metadata.
        subject=d.ky_hieu,
        author=agency,
        created=d.ngay,
        description="tetngheo_docs",
    )
