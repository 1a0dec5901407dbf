"""The only place that writes raw WordprocessingML as text: escaped runs and paragraphs.

The context stage uses these to turn computed blocks (body, Kính gửi, a rule of measured
length) into paragraph XML that templates insert with docxtpl's ``{{p name }}`` tag. Text is
always escaped here; the result is wrapped in `Markup` so the autoescaping Jinja environment
inserts it as XML. Imports nothing from the rest of the package above `vn`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from markupsafe import Markup

from tetngheo_docs.vn.metrics import mm_to_twips

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


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
    keep_next: bool = False,
) -> str:
    """One ``<w:p>`` in the named style; direct formatting only where it is computed."""
    ppr = f'<w:pStyle w:val="{escape(style)}"/>'
    if keep_next:
        ppr += "<w:keepNext/>"
    if bottom_border_pt is not None:
        # Border width is in eighths of a point.
        size = max(2, round(bottom_border_pt * 8))
        ppr += (
            f'<w:pBdr><w:bottom w:val="single" w:sz="{size}" w:space="1" w:color="000000"/>'
            "</w:pBdr>"
        )
    if indent is not None:
        ppr += indent.xml()
    body = "".join(run_xml(r) for r in runs)
    return f"<w:p><w:pPr>{ppr}</w:pPr>{body}</w:p>"


def block(paragraphs: Sequence[str]) -> Markup:
    """Join paragraph XML for insertion by a ``{{p name }}`` tag."""
    return Markup("".join(paragraphs))  # every text node was escaped above
