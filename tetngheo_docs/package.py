"""Deterministic .docx packaging: same parts in, same bytes out.

Zip timestamps are fixed, members keep the template's order, and the core properties are
written from the document's own data (its date, its subject), never from the clock. This is
what makes golden tests, "nothing changed" rebuilds and byte-identical re-renders provable.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

#: Fixed zip timestamp (the earliest a zip can hold).
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
CORE_PART = "docProps/core.xml"


@dataclass(frozen=True, slots=True)
class CoreProperties:
    """The document metadata Word shows under File > Info."""

    title: str = ""
    subject: str = ""
    author: str = ""
    created: date | None = None
    description: str = ""

    def xml(self) -> bytes:
        stamp = (self.created or date(2000, 1, 1)).isoformat() + "T00:00:00Z"
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/'
            'dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(self.title)}</dc:title>"
            f"<dc:subject>{escape(self.subject)}</dc:subject>"
            f"<dc:creator>{escape(self.author)}</dc:creator>"
            f"<dc:description>{escape(self.description)}</dc:description>"
            f"<cp:lastModifiedBy>{escape(self.author)}</cp:lastModifiedBy>"
            "<cp:revision>1</cp:revision>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
            "</cp:coreProperties>"
        ).encode()


def write_zip(members: Iterable[tuple[str, bytes]]) -> bytes:
    """Zip the members in the given order with fixed metadata ([Content_Types].xml first)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zf.writestr(info, data, compresslevel=6)
    return buf.getvalue()


def read_members(data: bytes) -> list[tuple[str, bytes]]:
    """The members of a zip, in order, content-types part first (as Word expects)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = [(i.filename, zf.read(i)) for i in zf.infolist() if not i.is_dir()]
    members.sort(key=lambda m: m[0] != "[Content_Types].xml")
    return members


def normalize(data: bytes, core: CoreProperties | None = None) -> bytes:
    """Re-zip a .docx deterministically; optionally replace its core properties."""
    members = read_members(data)
    if core is not None:
        members = [(n, core.xml() if n == CORE_PART else d) for n, d in members]
    return write_zip(members)
