"""Deterministic .docx packaging: same parts in, same bytes out.

Zip timestamps are fixed, members keep the template's order, and the core properties are
written from the document's own data (its date, its subject), never from the clock. This is
what makes golden tests, "nothing changed" rebuilds and byte-identical re-renders provable.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
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


# DOS date of 1980-01-01, time 00:00:00 (ZIP_EPOCH).
_DOS_DATE, _DOS_TIME = (0 << 9) | (1 << 5) | 1, 0
_UTF8_FLAG = 0x0800


@dataclass(frozen=True, slots=True)
class Member:
    """A zip member compressed once: raw deflate data, CRC and sizes (reused across letters)."""

    name: bytes
    crc: int
    size: int
    data: bytes
    flags: int = 0

    @classmethod
    def of(cls, name: str, content: bytes) -> Member:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        raw = packer.compress(content) + packer.flush()
        encoded = name.encode("utf-8")
        flags = _UTF8_FLAG if not encoded.isascii() else 0
        return cls(encoded, zlib.crc32(content), len(content), raw, flags)

    @classmethod
    def reuse(cls, name: str, content: bytes, stored: Member | None) -> Member:
        """``stored`` (a member read back from a zip this module wrote with the same tool
        version, see `stored_members`) when it holds this content, else `of`. Deflate at a
        fixed level is deterministic, so the bytes are those `of` would make."""
        if (
            stored is not None
            and stored.size == len(content)
            and stored.name == name.encode("utf-8")
            and stored.crc == zlib.crc32(content)
        ):
            return stored
        return cls.of(name, content)


def zip_members(members: Iterable[Member]) -> bytes:
    """Assemble a zip from pre-compressed members, in order, with fixed metadata.

    Written by hand (the format is small) so that members unchanged between letters of a
    batch are compressed once and copied as bytes; `zipfile` reads the result as usual.
    """
    out = bytearray()
    central = bytearray()
    count = 0
    for m in members:
        flags = m.flags
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            flags,
            8,
            _DOS_TIME,
            _DOS_DATE,
            m.crc,
            len(m.data),
            m.size,
            len(m.name),
            0,
        )
        out += m.name
        out += m.data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            flags,
            8,
            _DOS_TIME,
            _DOS_DATE,
            m.crc,
            len(m.data),
            m.size,
            len(m.name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += m.name
        count += 1
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), start, 0)
    return bytes(out)


def stored_members(data: bytes) -> dict[str, Member]:
    """The deflated members of a zip as stored: compressed data, CRC and size, not inflated.

    A rebuild takes the members every letter of a batch shares from a letter left unchanged
    instead of compressing them again; `Member.reuse` checks each is the same content. Any
    problem reading the zip gives an empty result (the caller compresses as usual).
    """
    out: dict[str, Member] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
        for info in infos:
            if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & ~_UTF8_FLAG:
                continue
            at = info.header_offset
            fixed = data[at : at + 30]
            if len(fixed) != 30 or fixed[:4] != b"PK\x03\x04":
                continue
            name_len, extra_len = struct.unpack("<HH", fixed[26:30])
            start = at + 30 + name_len + extra_len
            raw = data[start : start + info.compress_size]
            if len(raw) == info.compress_size:
                name = info.filename.encode("utf-8")
                out[info.filename] = Member(name, info.CRC, info.file_size, raw, info.flag_bits)
    except (zipfile.BadZipFile, ValueError, struct.error, OSError):
        return {}
    return out


def write_zip(members: Iterable[tuple[str, bytes]]) -> bytes:
    """Zip the members in the given order with fixed metadata ([Content_Types].xml first)."""
    return zip_members(Member.of(name, data) for name, data in members)


def read_members(data: bytes) -> list[tuple[str, bytes]]:
    """The members of a zip, in order, content-types part first (as Word expects)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = [(i.filename, zf.read(i)) for i in zf.infolist() if not i.is_dir()]
    members.sort(key=lambda m: m[0] != "[Content_Types].xml")
    return members


#: Extended properties naming this tool, in place of the writing library's own (openpyxl
#: writes its version there since 3.1.4, which would make the bytes depend on it).
APP_PART = "docProps/app.xml"
APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"><Application>tetngheo_docs</Application></Properties>'
)


def normalize(data: bytes, core: CoreProperties | None = None, *, app: bool = False) -> bytes:
    """Re-zip an OOXML file deterministically; optionally replace its core properties and
    (``app``) its extended properties with :data:`APP_XML`."""
    replace = {}
    if core is not None:
        replace[CORE_PART] = core.xml()
    if app:
        replace[APP_PART] = APP_XML
    members = [(n, replace.get(n, d)) for n, d in read_members(data)]
    return write_zip(members)
