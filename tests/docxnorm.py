"""Normalise a .docx for golden comparison: pretty XML of the content parts + a text snapshot."""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CONTENT = re.compile(r"^word/(document|styles|header\d*|footer\d*)\.xml$")
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)


def parts(data: bytes) -> dict[str, str]:
    """Pretty-printed content parts, without rsid attributes (they change on every Word save)."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in sorted(zf.namelist()):
            if not CONTENT.match(name):
                continue
            root = etree.fromstring(zf.read(name), _PARSER)
            for el in root.iter():
                for attr in [a for a in el.attrib if "rsid" in a]:
                    del el.attrib[attr]
            out[name] = etree.tostring(root, pretty_print=True, encoding="unicode")
    return out


def _para_text(p: etree._Element) -> str:
    chunks = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
        chunks.append(
            el.text or "" if el.tag == f"{W}t" else ("\t" if el.tag == f"{W}tab" else "\n")
        )
    return "".join(chunks)


def text(data: bytes) -> str:
    """One line per body paragraph; a table row as its cells joined by ' | ' (paragraphs ' / ')."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = etree.fromstring(zf.read("word/document.xml"), _PARSER)
    body = root.find(f"{W}body")
    lines = []
    for child in body:
        if child.tag == f"{W}p":
            lines.append(_para_text(child))
        elif child.tag == f"{W}tbl":
            for tr in child.iter(f"{W}tr"):
                cells = [
                    " / ".join(_para_text(p) for p in tc.iter(f"{W}p")) for tc in tr.iter(f"{W}tc")
                ]
                lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"
