"""Open an untrusted Office file (.docx, .xlsx) with limits, before any library reads it.

Every .docx or .xlsx that comes from a user — a recipient list, a returned form, a file
given to ``diff`` or ``lint``, an office's own template — goes through `open_package` first:

1. **Before anything is inflated**, the zip's central directory is judged: the file size,
   the number of members, each member's declared unpacked size, their total, and the
   compression ratio (a "zip bomb" packs hundreds of MB of one repeated byte into a few
   hundred KB). Encrypted members, unknown compression methods, duplicate names and
   truncated data are refused too.
2. **While inflating**, the declared sizes are not trusted: each member is inflated in
   bounded chunks and must end exactly at its declared size with its declared CRC. A member
   whose header lies (declares 2 KB, holds 500 MB) is stopped one chunk past the lie.
   `zipfile.ZipFile.read` is not bounded this way (it inflates all the data, then cuts), so
   once a package is verified, later readers (openpyxl, lxml) only ever inflate sizes
   checked here.
3. **Every XML part** (``.xml``, ``.rels``, ``.vml``, or anything that starts like XML) has
   its prolog decoded the way an XML parser would — byte-order mark, UTF-16/UTF-32 without
   one, a declared encoding (UTF-7 included) — and a ``<!DOCTYPE``/``<!ENTITY`` there is
   refused. OOXML parts never have one; a DTD only serves entity attacks (billion laughs,
   XXE). `parse_xml` then parses with entities off, no DTD, no network, no huge trees.

Every problem is a `PackageError` whose message (Vietnamese) names the file and the part;
callers re-raise it as their own error type. The limits are in `LIMITS`, the one place
they are named.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from tetngheo_docs.errors import TetngheoError

if TYPE_CHECKING:
    from lxml import etree

__all__ = [
    "LIMITS",
    "Limits",
    "Package",
    "PackageError",
    "check",
    "open_package",
    "parse_xml",
]

MiB = 1024 * 1024
Kind = Literal["docx", "xlsx"]


@dataclass(frozen=True, slots=True)
class Limits:
    """What an Office file may hold. Real files are far below: a 40-page report with photos
    is 5–30 MB on disk with a 1–10 MB ``document.xml``; a 5,000-row list is a 1–3 MB sheet;
    Word and Excel XML compresses 5–30 times, photos not at all."""

    #: The file itself, as stored on disk.
    file_bytes: int = 50 * MiB
    #: Members (parts) in the zip: a long report with images has a few hundred.
    members: int = 2000
    #: One member, unpacked.
    member_bytes: int = 64 * MiB
    #: All members, unpacked.
    total_bytes: int = 256 * MiB
    #: Unpacked / packed size above which a member is a zip bomb…
    ratio: int = 100
    #: …once it unpacks to more than this (small parts may compress any amount).
    ratio_from: int = 1 * MiB
    #: Characters of an XML part read before its root element (declaration, comments).
    prolog_chars: int = 64 * 1024


LIMITS = Limits()

_CHUNK_OUT = 1 * MiB  # inflated bytes per step
_CHUNK_IN = 64 * 1024  # compressed bytes fed per step
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CENTRAL_SIG = b"PK\x01\x02"
_LOCAL_SIG = b"PK\x03\x04"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DECL_ENCODING = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_WHAT = {"docx": "tệp .docx", "xlsx": "tệp .xlsx"}
_APP = {"docx": "Word", "xlsx": "Excel"}


class PackageError(TetngheoError):
    """An Office file refused: damaged, not a zip, a zip bomb, a DOCTYPE in a part."""

    def __init__(self, label: str, reason: str, part: str | None = None) -> None:
        self.label = label
        self.part = part
        self.reason = reason
        super().__init__(f"{label}: {self.detail}")

    @property
    def detail(self) -> str:
        """The message without the file name (for callers that place the name themselves)."""
        return f"phần {self.part}: {self.reason}" if self.part else self.reason


def _mb(n: int) -> str:
    return f"{n / MiB:.0f} MB" if n >= 10 * MiB else f"{n / MiB:.1f} MB".replace(".", ",")


# --------------------------------------------------------------------------- the zip


class Package:
    """A zip whose directory passed the limits; members are read only through `read`."""

    def __init__(self, data: bytes, label: str, kind: Kind, limits: Limits) -> None:
        self.data = data
        self.label = label
        self.kind = kind
        self.limits = limits
        self._verified = False
        what = _WHAT[kind]
        if len(data) > limits.file_bytes:
            raise self._fail(f"tệp lớn hơn {_mb(limits.file_bytes)} ({_mb(len(data))})")
        if data[:8] == _OLE_MAGIC:
            raise self._fail(
                f"đây là tệp {_APP[kind]} cũ (97-2003) hoặc tệp có đặt mật khẩu; hãy mở bằng "
                f"{_APP[kind]} và lưu lại dạng .{kind} không đặt mật khẩu"
            )
        # Every central-directory entry zipfile builds starts with this signature, so this
        # bounds the entries (and their memory) before zipfile parses the directory.
        if data.count(_CENTRAL_SIG) > 2 * limits.members + 16:
            raise self._fail(self._too_many(data.count(_CENTRAL_SIG)))
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                self.infos = zf.infolist()
        except Exception:  # zipfile raises many kinds of errors on hostile bytes
            raise self._fail(
                f"không phải {what} hợp lệ ({what} là một tệp nén zip; tệp này hỏng, bị cắt "
                "cụt hoặc là định dạng khác)"
            ) from None
        self._check_directory()
        self.by_name = {i.filename: i for i in self.infos}

    def _fail(self, reason: str, part: str | None = None) -> PackageError:
        return PackageError(self.label, reason, part)

    def _too_many(self, count: int) -> str:
        return (
            f"có {count} phần, quá giới hạn {self.limits.members}; không phải một tệp "
            f"{_APP[self.kind]} bình thường"
        )

    def _check_directory(self) -> None:
        limits = self.limits
        if len(self.infos) > limits.members:
            raise self._fail(self._too_many(len(self.infos)))
        seen: set[str] = set()
        total = 0
        for info in self.infos:
            name = info.filename
            if name in seen:
                raise self._fail("có hai phần trùng tên (tệp bị sửa bất thường)", name)
            seen.add(name)
            if info.flag_bits & 0x1:
                raise self._fail(
                    "được mã hóa (đặt mật khẩu); hãy lưu lại tệp không đặt mật khẩu", name
                )
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise self._fail(
                    f"nén bằng phương thức không hỗ trợ (mã {info.compress_type})", name
                )
            size = info.file_size
            if size > limits.member_bytes:
                raise self._fail(
                    f"giải nén ra {_mb(size)}, quá giới hạn {_mb(limits.member_bytes)} cho một "
                    "phần — tệp bất thường (zip bomb?), bị từ chối",
                    name,
                )
            if size > limits.ratio_from and size > limits.ratio * max(info.compress_size, 1):
                ratio = size // max(info.compress_size, 1)
                raise self._fail(
                    f"nén bất thường: {_mb(info.compress_size)} giải nén ra {_mb(size)} (gấp "
                    f"{ratio} lần, giới hạn {limits.ratio} lần) — dấu hiệu “bom nén” "
                    "(zip bomb), bị từ chối",
                    name,
                )
            total += size
        if total > limits.total_bytes:
            raise self._fail(
                f"giải nén ra tổng cộng {_mb(total)}, quá giới hạn {_mb(limits.total_bytes)} "
                "— tệp bất thường (zip bomb?), bị từ chối"
            )

    @property
    def names(self) -> list[str]:
        """Member names, in the zip's order (directories left out)."""
        return [i.filename for i in self.infos if not i.is_dir()]

    def _compressed(self, info: zipfile.ZipInfo) -> memoryview:
        """The member's compressed bytes, located the way `zipfile` locates them."""
        at = info.header_offset
        fixed = self.data[at : at + 30]
        if len(fixed) != 30 or fixed[:4] != _LOCAL_SIG:
            raise self._fail("dữ liệu hỏng (không tìm thấy đầu phần trong tệp nén)", info.filename)
        name_len, extra_len = struct.unpack("<HH", fixed[26:30])
        start = at + 30 + name_len + extra_len
        raw = memoryview(self.data)[start : start + info.compress_size]
        if len(raw) != info.compress_size:
            raise self._fail("dữ liệu nén bị cắt cụt (tệp chép thiếu?)", info.filename)
        return raw

    def chunks(self, name: str) -> Iterator[bytes]:
        """Inflate one member in bounded chunks; it must end exactly at its declared size,
        with its declared CRC. A member holding more than it declares is stopped at once."""
        info = self.by_name.get(name)
        if info is None:
            raise self._fail("không có trong tệp", name)
        raw = self._compressed(info)
        declared = info.file_size
        produced = crc = 0
        if info.compress_type == zipfile.ZIP_STORED:
            if len(raw) != declared:
                raise self._lied(name, declared)
            for at in range(0, declared, _CHUNK_OUT):
                out = bytes(raw[at : at + _CHUNK_OUT])
                crc = zlib.crc32(out, crc)
                yield out
        else:
            inflater = zlib.decompressobj(-15)
            at = 0
            while not inflater.eof:
                tail = inflater.unconsumed_tail
                if tail:
                    feed = tail
                else:
                    feed = raw[at : at + _CHUNK_IN]
                    at += len(feed)
                    if not feed:
                        raise self._fail("dữ liệu nén bị cắt cụt hoặc hỏng", name)
                try:
                    out = inflater.decompress(feed, _CHUNK_OUT)
                except zlib.error:
                    raise self._fail("dữ liệu nén hỏng, không giải nén được", name) from None
                produced += len(out)
                if produced > declared:
                    raise self._lied(name, declared)
                crc = zlib.crc32(out, crc)
                if out:
                    yield out
            if produced != declared:
                raise self._fail(
                    f"giải nén ra {produced} byte, khác kích thước khai báo {declared} byte "
                    "(tệp hỏng)",
                    name,
                )
        if crc != info.CRC:
            raise self._fail("sai mã kiểm tra CRC (tệp hỏng hoặc bị sửa)", name)

    def _lied(self, name: str, declared: int) -> PackageError:
        return self._fail(
            f"chứa nhiều dữ liệu hơn kích thước khai báo ({declared} byte) — tệp bị sửa có "
            "chủ ý (zip bomb?), bị từ chối",
            name,
        )

    def read(self, name: str) -> bytes:
        """A member's bytes (bounded, verified); an XML part also has its prolog checked."""
        out = bytearray()
        head = _Head(self, name)
        for chunk in self.chunks(name):
            head.feed(chunk)
            out += chunk
        head.done()
        return bytes(out)

    def verify(self) -> Package:
        """Inflate every member without keeping it: sizes, CRCs and XML prologs all checked,
        so a library given the same bytes afterwards only inflates what was checked here."""
        if not self._verified:
            for name in self.names:
                head = _Head(self, name)
                for chunk in self.chunks(name):
                    head.feed(chunk)
                head.done()
            self._verified = True
        return self

    def members(self) -> list[tuple[str, bytes]]:
        """Every member, in order, ``[Content_Types].xml`` first (as Word expects)."""
        out = [(name, self.read(name)) for name in self.names]
        out.sort(key=lambda m: m[0] != "[Content_Types].xml")
        self._verified = True
        return out


def open_package(data: bytes, label: str, kind: Kind = "docx", limits: Limits = LIMITS) -> Package:
    """Judge a zip's directory (nothing inflated yet); raises `PackageError`."""
    return Package(data, label, kind, limits)


def check(data: bytes, label: str, kind: Kind = "docx", limits: Limits = LIMITS) -> Package:
    """`open_package` and `Package.verify`: the bytes are then safe to give to openpyxl or
    python-docx (which parse with entities off; no part has a DTD)."""
    return open_package(data, label, kind, limits).verify()


# --------------------------------------------------------------------------- XML prologs


def _encodings(head: bytes) -> tuple[str, bytes] | None:
    """The encoding an XML parser would pick from the first bytes (XML 1.0, appendix F),
    and the byte-order mark to skip; None when the bytes are not XML in any encoding."""
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    )
    for bom, name in boms:
        if head.startswith(bom):
            return name, bom
    patterns = (
        (b"\x00\x00\x00<", "utf-32-be"),
        (b"<\x00\x00\x00", "utf-32-le"),
        (b"\x00<\x00", "utf-16-be"),
        (b"<\x00", "utf-16-le"),
    )
    for pattern, name in patterns:
        if head.startswith(pattern):
            return name, b""
    if head.lstrip(b" \t\r\n").startswith(b"<"):
        return "utf-8", b""
    return None


class _Head:
    """Collects the start of a member until its XML prolog can be judged."""

    def __init__(self, pkg: Package, name: str) -> None:
        self.pkg = pkg
        self.name = name
        self.required = name.lower().endswith(_XML_SUFFIXES)
        self.buf = bytearray()
        self.judged = False
        self.limit = pkg.limits.prolog_chars * 4  # bytes: up to 4 per character

    def feed(self, chunk: bytes) -> None:
        if self.judged:
            return
        self.buf += chunk[: self.limit - len(self.buf)]
        if len(self.buf) >= self.limit:
            self._judge(final=True)
        else:
            self._judge(final=False)

    def done(self) -> None:
        if not self.judged:
            self._judge(final=True)

    def _fail(self, reason: str) -> PackageError:
        return PackageError(self.pkg.label, reason, self.name)

    def _judge(self, final: bool) -> None:
        head = bytes(self.buf)
        if len(head) < 4 and not final:
            return
        found = _encodings(head)
        if found is None:
            self.judged = True
            if self.required and head.strip():
                raise self._fail("không phải XML hợp lệ (nội dung không bắt đầu bằng thẻ XML)")
            return
        encoding, bom = found
        candidates = [encoding]
        if encoding == "utf-8":  # ASCII-compatible bytes: the declaration may say otherwise
            declared = _DECL_ENCODING.match(head[len(bom) :].lstrip(b" \t\r\n"))
            if declared:
                name = declared.group(1).decode("ascii")
                try:
                    candidates.append(codecs.lookup(name).name)
                except LookupError:
                    self.judged = True
                    raise self._fail(
                        f"khai báo bảng mã lạ '{name}' (tệp Office chỉ dùng UTF-8/UTF-16), "
                        "bị từ chối"
                    ) from None
        verdicts = [self._prolog(head[len(bom) :], enc, final) for enc in dict.fromkeys(candidates)]
        if "doctype" in verdicts:
            self.judged = True
            raise self._fail(
                "có khai báo DOCTYPE/ENTITY (tệp Word/Excel thật không bao giờ có; đây là dấu "
                "hiệu tấn công XML), bị từ chối"
            )
        if "more" in verdicts and not final:
            return
        self.judged = True
        if verdicts[0] == "bad" or (verdicts[0] == "more" and len(head) >= self.limit):
            if self.required or verdicts[0] == "more":
                raise self._fail(
                    "không phải XML hợp lệ (sai mã hóa ký tự hoặc phần mở đầu quá dài)"
                )

    def _prolog(self, data: bytes, encoding: str, final: bool) -> str:
        """'ok' (the root element is reached), 'doctype', 'bad' or 'more' (need more data)."""
        # Undecodable bytes become U+FFFD: inside the prolog that is "bad", after it harmless.
        try:
            text = codecs.getincrementaldecoder(encoding)("replace").decode(data, final=False)
        except LookupError:
            return "bad"
        text = text[: self.pkg.limits.prolog_chars]
        at = 0
        while True:
            while at < len(text) and text[at] in " \t\r\n\ufeff":
                at += 1
            rest = text[at:]
            if not rest:
                return "more"
            if rest.startswith("<?"):
                end = rest.find("?>")
                if end < 0:
                    return "bad" if final else "more"
                at += end + 2
            elif rest.startswith("<!--"):
                end = rest.find("-->", 4)
                if end < 0:
                    return "bad" if final else "more"
                at += end + 3
            elif rest in ("<", "<!", "<!-") and not final:
                return "more"
            elif rest.startswith("<!"):
                return "doctype"
            elif rest.startswith("<"):
                return "ok"
            else:
                return "bad"


# --------------------------------------------------------------------------- parsing


def parse_xml(raw: bytes, label: str, part: str) -> etree._Element:
    """Parse one part strictly: no entities resolved, no DTD loaded, no network, no huge
    trees; a syntax error or a DTD becomes a `PackageError` naming the part."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as err:
        line, col = err.position
        raise PackageError(
            label, f"không phải XML hợp lệ (lỗi ở dòng {line}, cột {col})", part
        ) from None
    except ValueError:  # e.g. an encoding declaration lxml refuses for bytes
        raise PackageError(label, "không phải XML hợp lệ", part) from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise PackageError(label, "có khai báo DOCTYPE/ENTITY, bị từ chối", part)
    return root
