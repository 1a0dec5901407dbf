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


#: A footnote's mark inside run text: one character of Supplementary Private Use Area-A per
#: note (U+F0000 + its number), turned into a ``w:footnoteReference`` by `run_xml`. Being
#: text, it survives every run transformation (capitals, non-breaking spaces, fields).
_NOTE_BASE = 0xF0000
NOTE_MARK = re.compile("[\U000f0000-\U000ffffd]")
#: The superscript reference run: in the text and before the note itself. Word's built-in
#: character style (LibreOffice reads the number's look from it, not from the run).
_NOTE_STYLE = "FootnoteReference"
_NOTE_RPR = f'<w:rPr><w:rStyle w:val="{_NOTE_STYLE}"/><w:vertAlign w:val="superscript"/></w:rPr>'


def note_mark(number: int) -> str:
    """The mark of footnote ``number`` (1, 2, …) inside run text."""
    return chr(_NOTE_BASE + number)


def run_xml(run: Run) -> str:
    props = ""
    if run.bold:
        props += "<w:b/><w:bCs/>"
    if run.italic:
        props += "<w:i/><w:iCs/>"
    if run.underline:
        props += '<w:u w:val="single"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    if NOTE_MARK.search(run.text):
        out, pos = [], 0
        for m in NOTE_MARK.finditer(run.text):
            if m.start() > pos:
                out.append(Run(run.text[pos : m.start()], run.bold, run.italic, run.underline))
            out.append(m.group(0))
            pos = m.end()
        if pos < len(run.text):
            out.append(Run(run.text[pos:], run.bold, run.italic, run.underline))
        return "".join(
            run_xml(x)
            if isinstance(x, Run)
            else f'<w:r>{_NOTE_RPR}<w:footnoteReference w:id="{ord(x) - _NOTE_BASE}"/></w:r>'
            for x in out
        )
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
    keep_next: bool = False  # the row stays on the page of the next one (a table's last rows)


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
            para = paragraph_xml(style, runs, align=cell.align, keep_next=cell.keep_next)
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


# --------------------------------------------------------------------------- footnotes

FOOTNOTES_PART = "word/footnotes.xml"
#: The template-context key of the footnotes (`render.engine` writes them as the part).
FOOTNOTES = "chu_thich"
_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#: The separator line above the notes and its continuation (Word's ids -1 and 0).
_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
    'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote>"
)
#: Children of w:settings that come after w:footnotePr in schema order (ECMA-376 §17.15).
_AFTER_FOOTNOTEPR = (
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)


def footnote_xml(number: int, runs: Iterable[Run], style: str) -> str:
    """One ``w:footnote``: its number (superscript, numbered by Word) then the note."""
    ref = f"<w:r>{_NOTE_RPR}<w:footnoteRef/></w:r>"
    text = "".join(run_xml(r) for r in (Run(" "), *runs))
    return (
        f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="{escape(style)}"/></w:pPr>'
        f"{ref}{text}</w:p></w:footnote>"
    )


def with_footnotes(members: Sequence[tuple[str, bytes]], notes: str) -> list[tuple[str, bytes]]:
    """The package's members with ``notes`` (`footnote_xml` elements) as its footnotes part:
    the part written (the template's own separators kept), its relationship, content type
    and the settings' footnote properties added when the template has none. No notes: the
    members as they are."""
    if not notes:
        return list(members)
    from lxml import etree

    parts = dict(members)
    w = f"{{{W_NS}}}"
    ours = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<w:footnotes xmlns:w="{W_NS}" xmlns:r="{_R_NS}">{_SEPARATORS}{notes}</w:footnotes>'
    ).encode()
    part = ours
    if FOOTNOTES_PART in parts:  # a template saved by Word: keep its separators
        root = etree.fromstring(parts[FOOTNOTES_PART])
        for note in list(root):
            if note.get(f"{w}type") in (None, "normal"):
                root.remove(note)
        if len(root):
            for note in etree.fromstring(ours):
                if note.get(f"{w}type") in (None, "normal"):
                    root.append(note)
            part = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = [(n, part if n == FOOTNOTES_PART else c) for n, c in members]
    if FOOTNOTES_PART not in parts:
        at = next((i + 1 for i, (n, _) in enumerate(out) if n == "word/document.xml"), len(out))
        out.insert(at, (FOOTNOTES_PART, part))
    rels_name = "word/_rels/document.xml.rels"
    edits = {
        "[Content_Types].xml": _content_type,
        rels_name: _relationship,
        "word/settings.xml": _footnote_settings,
        "word/styles.xml": _reference_style,
    }
    return [(n, edits[n](c) if n in edits else c) for n, c in out]


def _reference_style(xml: bytes) -> bytes:
    """The footnote reference character style (superscript), when the template has none."""
    if f'w:styleId="{_NOTE_STYLE}"'.encode() in xml:
        return xml
    style = (
        f'<w:style w:type="character" w:styleId="{_NOTE_STYLE}"><w:name w:val="footnote '
        'reference"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/>'
        '<w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
    )
    return xml.replace(b"</w:styles>", style.encode() + b"</w:styles>")


def _content_type(xml: bytes) -> bytes:
    if b'PartName="/word/footnotes.xml"' in xml:
        return xml
    override = f'<Override PartName="/word/footnotes.xml" ContentType="{_FOOTNOTES_TYPE}"/>'
    return xml.replace(b"</Types>", override.encode() + b"</Types>")


def _relationship(xml: bytes) -> bytes:
    if _FOOTNOTES_REL.encode() in xml:
        return xml
    ids = set(re.findall(rb'Id="([^"]+)"', xml))
    n = 1
    while f"rIdFn{n}".encode() in ids:
        n += 1
    rel = f'<Relationship Id="rIdFn{n}" Type="{_FOOTNOTES_REL}" Target="footnotes.xml"/>'
    return xml.replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def _footnote_settings(xml: bytes) -> bytes:
    """``w:footnotePr`` naming the separators (-1, 0), as Word writes it, in schema order."""
    from lxml import etree

    w = f"{{{W_NS}}}"
    root = etree.fromstring(xml)
    if root.find(f"{w}footnotePr") is not None:
        return xml
    pr = etree.Element(f"{w}footnotePr")
    for special in ("-1", "0"):
        etree.SubElement(pr, f"{w}footnote").set(f"{w}id", special)
    successor = next(
        (el for el in root if isinstance(el.tag, str) and el.tag[len(w) :] in _AFTER_FOOTNOTEPR),
        None,
    )
    if successor is not None:
        successor.addprevious(pr)
    else:
        root.append(pr)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
