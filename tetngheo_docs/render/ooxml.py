"""The only place that writes raw WordprocessingML as text: escaped runs and paragraphs.

The context stage uses these to turn computed blocks (body, Kính gửi, a rule of measured
length) into paragraph XML that templates insert with docxtpl's ``{{p name }}`` tag. Text is
always escaped here; the result is wrapped in `Markup` so the autoescaping Jinja environment
inserts it as XML. Imports nothing from the rest of the package above `vn`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from markupsafe import Markup

from tetngheo_docs.vn.metrics import mm_to_twips

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}
#: Children of w:sectPr that come after w:pgNumType in schema order.
_AFTER_PGNUMTYPE = (
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
)


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text with direct emphasis (the paragraph style gives everything else)."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass(frozen=True, slots=True)
class Indent:
    """Paragraph indents in mm; ``hanging`` > 0 pulls the first line out to the left."""

    left: float = 0
    right: float = 0
    first_line: float | None = None
    hanging: float | None = None

    def xml(self) -> str:
        attrs = [f'w:left="{mm_to_twips(self.left)}"', f'w:right="{mm_to_twips(self.right)}"']
        if self.hanging is not None:
            attrs.append(f'w:hanging="{mm_to_twips(self.hanging)}"')
        elif self.first_line is not None:
            attrs.append(f'w:firstLine="{mm_to_twips(self.first_line)}"')
        return f"<w:ind {' '.join(attrs)}/>"


def run_xml(run: Run) -> str:
    props = ""
    if run.bold:
        props += "<w:b/><w:bCs/>"
    if run.italic:
        props += "<w:i/><w:iCs/>"
    if run.underline:
        props += '<w:u w:val="single"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(run.text)}</w:t></w:r>'


def paragraph_xml(
    style: str,
    runs: Iterable[Run],
    *,
    indent: Indent | None = None,
    bottom_border_pt: float | None = None,
    box_pt: float | None = None,
    keep_next: bool = False,
    keep_lines: bool = False,
    align: str | None = None,
) -> str:
    """One ``<w:p>`` in the named style; direct formatting only where it is computed.

    Children of ``w:pPr`` are written in schema order (keepNext, keepLines, pBdr, ind, jc).
    """
    ppr = f'<w:pStyle w:val="{escape(style)}"/>'
    if keep_next:
        ppr += "<w:keepNext/>"
    if keep_lines:
        ppr += "<w:keepLines/>"
    if bottom_border_pt is not None or box_pt is not None:
        # Border width is in eighths of a point.
        size = max(2, round((box_pt or bottom_border_pt or 0.5) * 8))
        edges = ("top", "left", "bottom", "right") if box_pt is not None else ("bottom",)
        ppr += (
            "<w:pBdr>"
            + "".join(
                f'<w:{e} w:val="single" w:sz="{size}" w:space="1" w:color="000000"/>' for e in edges
            )
            + "</w:pBdr>"
        )
    if indent is not None:
        ppr += indent.xml()
    if align is not None:
        ppr += f'<w:jc w:val="{_JC[align]}"/>'
    body = "".join(run_xml(r) for r in runs)
    return f"<w:p><w:pPr>{ppr}</w:pPr>{body}</w:p>"


def line_breaks(lines: Sequence[str]) -> Markup:
    """Text for a ``{{ name }}`` tag inside a run: the lines escaped, joined by ``w:br``
    (Shift+Enter in Word), so one paragraph keeps its style and spacing over many lines."""
    joined = '</w:t><w:br/><w:t xml:space="preserve">'.join(escape(x) for x in lines)
    return Markup(joined)  # every line was escaped above


def block(paragraphs: Sequence[str]) -> Markup:
    """Join paragraph XML for insertion by a ``{{p name }}`` tag."""
    return Markup("".join(paragraphs))  # every text node was escaped above


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: its paragraphs' runs, alignment, and how many columns it spans."""

    runs: tuple[Run, ...]
    align: str = "left"
    span: int = 1
    bold: bool = False
    vmerge: str | None = None  # "restart" on the first row of a vertical merge, "continue" below


def table_xml(
    rows: Sequence[Sequence[Cell]],
    widths_mm: Sequence[float],
    *,
    style: str = "BangChu",
    header_rows: int = 1,
    border_pt: float = 0.5,
    borders: bool = True,
) -> str:
    """A bordered table; the first ``header_rows`` repeat on every page (``tblHeader``)."""
    size = max(2, round(border_pt * 8))
    edge = (
        f'w:val="single" w:sz="{size}" w:space="0" w:color="000000"' if borders else 'w:val="nil"'
    )
    edges = "".join(
        f"<w:{e} {edge}/>" for e in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    total = sum(mm_to_twips(w) for w in widths_mm)
    grid = "".join(f'<w:gridCol w:w="{mm_to_twips(w)}"/>' for w in widths_mm)
    out = [
        "<w:tbl><w:tblPr>"
        f'<w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders>{edges}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>"
        f"<w:tblGrid>{grid}</w:tblGrid>"
    ]
    for r, row in enumerate(rows):
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if r < header_rows else "")
        out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>")
        col = 0
        for cell in row:
            width = sum(mm_to_twips(w) for w in widths_mm[col : col + cell.span])
            span = f'<w:gridSpan w:val="{cell.span}"/>' if cell.span > 1 else ""
            if cell.vmerge:
                span += f'<w:vMerge w:val="{cell.vmerge}"/>'

            runs = [Run(x.text, x.bold or cell.bold, x.italic, x.underline) for x in cell.runs]
            para = paragraph_xml(style, runs, align=cell.align)
            out.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}'
                f'<w:vAlign w:val="center"/></w:tcPr>{para}</w:tc>'
            )
            col += cell.span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


# --------------------------------------------------------------------------- sections

# A section break is written by the context as a placeholder processing instruction inside
# an empty ``w:sectPr``; `apply_sections` replaces it by a copy of the template's own section
# properties (so headers, margins and page-number fields stay the template's), changed only
# where the placeholder says: orientation and restarting page numbers.
_SECTION_PI = "tetngheo-section"


def section_break(*, landscape: bool = False, restart: bool = False) -> str:
    """A paragraph that ends the current section with the given properties."""
    spec = f"{'landscape' if landscape else 'portrait'} {'restart' if restart else 'continue'}"
    # The paragraph that carries the break is 1 pt high: after a signature table that ends
    # at the foot of a page, a full-height empty line would spill onto a blank page.
    tiny = '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
    tiny += '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'
    return f"<w:p><w:pPr>{tiny}<w:sectPr><?{_SECTION_PI} {spec}?></w:sectPr></w:pPr></w:p>"


def final_section(*, landscape: bool = False, restart: bool = False) -> str:
    """Properties of the document's last section (the body-level ``sectPr``)."""
    spec = f"{'landscape' if landscape else 'portrait'} {'restart' if restart else 'continue'}"
    return f"<?{_SECTION_PI}-final {spec}?>"


_PLACEHOLDER = re.compile(
    rf"<w:sectPr><\?{_SECTION_PI}( [^?]*)\?></w:sectPr>|<\?{_SECTION_PI}-final( [^?]*)\?>"
)


def apply_sections(document_xml: bytes) -> bytes:
    """Expand section placeholders into real ``w:sectPr`` elements (see `section_break`).

    Works on the serialised XML with the template's own body-level sectPr as the model, so
    a batch pays for it with string replacement, not a parse per letter.
    """
    if _SECTION_PI.encode() not in document_xml:
        return document_xml
    xml = document_xml.decode("utf-8")
    start, end = _body_sectpr(xml)
    model = xml[start:end]
    final: list[str] = []

    def expand(m: re.Match[str]) -> str:
        if m.group(2) is not None:
            final.append(m.group(2).strip())
            return ""
        return section_variant(model, m.group(1).strip())

    xml = _PLACEHOLDER.sub(expand, xml)
    if final:
        start, end = _body_sectpr(xml)
        xml = xml[:start] + section_variant(model, final[-1]) + xml[end:]
    return xml.encode("utf-8")


def _body_sectpr(xml: str) -> tuple[int, int]:
    """Span of the body-level ``w:sectPr``: the body's last child, so the last one."""
    start = xml.rfind("<w:sectPr")
    end = xml.find("</w:sectPr>", start)
    if start < 0 or end < 0 or "</w:body>" not in xml[end:]:
        raise ValueError("document.xml has no body-level w:sectPr")
    return start, end + len("</w:sectPr>")


@lru_cache(maxsize=64)
def section_variant(model: str, spec: str) -> str:
    """The template's sectPr changed as ``spec`` says ("landscape restart", …)."""
    from lxml import etree

    w = f"{{{W_NS}}}"
    holder = etree.fromstring(
        f'<w:x xmlns:w="{W_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships">{model}</w:x>'
    )
    sect = holder[0]
    _section_spec(sect, spec, w)
    text = etree.tostring(sect, encoding="unicode")
    # Drop the namespace declarations lxml repeats on the fragment's root.
    return re.sub(r' xmlns:(w|r)="[^"]*"', "", text)


def _section_spec(sect: object, spec: str, w: str) -> None:
    from lxml import etree

    words = spec.split()
    pg_sz = sect.find(f"{w}pgSz")  # type: ignore[attr-defined]
    width, height = int(pg_sz.get(f"{w}w")), int(pg_sz.get(f"{w}h"))
    landscape = "landscape" in words
    if landscape != (width > height):
        pg_sz.set(f"{w}w", str(height))
        pg_sz.set(f"{w}h", str(width))
    if landscape:
        pg_sz.set(f"{w}orient", "landscape")
    else:
        pg_sz.attrib.pop(f"{w}orient", None)
    if "restart" in words:
        # Later sections (appendices) show the empty default footer on their first page too:
        # the ô 13 address belongs to page 1 of the document only [PL-I §III.4].
        refs = {r.get(f"{w}type"): r for r in sect.findall(f"{w}footerReference")}  # type: ignore[attr-defined]
        if "first" in refs and "default" in refs:
            rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
            refs["first"].set(rid, refs["default"].get(rid))
    for old in sect.findall(f"{w}pgNumType"):  # type: ignore[attr-defined]
        sect.remove(old)  # type: ignore[attr-defined]
    if "restart" in words:
        num = etree.Element(f"{w}pgNumType")
        num.set(f"{w}start", "1")
        after = [sect.find(f"{w}{tag}") for tag in _AFTER_PGNUMTYPE]  # type: ignore[attr-defined]
        successor = next((el for el in after if el is not None), None)
        if successor is not None:
            successor.addprevious(num)
        else:
            sect.append(num)  # type: ignore[attr-defined]
    # A section break starts the next section on a new page.
    for old in sect.findall(f"{w}type"):  # type: ignore[attr-defined]
        sect.remove(old)  # type: ignore[attr-defined]
