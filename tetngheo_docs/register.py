"""The outgoing register (sổ văn bản đi): one SQLite file, numbers that are never reused.

Numbering scopes (format-rules.md §5, hazards.md §1 items 9–10):

* State bodies (ND30): agency × series × calendar year, from 01 on 1 January. The ordinary
  series is ``"chung"``; confidential documents (``"mat"``) and each advisory body that uses the
  agency's seal (its own code) keep their own series.
* Party bodies (HD36): agency × document type × committee term (``"2020-2025"``).

A number is allocated as ``MAX(number) + 1`` inside ``BEGIN IMMEDIATE`` (the write lock is taken
before the read, so two writers can never see the same maximum), backed by
``UNIQUE(scope, number)`` and ``UNIQUE(scope, key)``. Triggers refuse DELETE, any change of a
number, scope or key, a gap in a scope, a step back in status, and any change to the audit
table. The life of an entry is ``reserved`` → ``issued``, or either → ``void``; a voided
number stays used forever (ND30 Art. 18: a mistake is corrected by a new document).

Every change appends one audit row. Refused requests raise `RegisterError` (Vietnamese
message) before any write, so they consume no number.
"""

from __future__ import annotations

import builtins
import contextlib
import csv
import getpass
import hashlib
import io
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple

from tetngheo_docs.errors import RegisterError
from tetngheo_docs.register_store import Store, open_store
from tetngheo_docs.vn import numbers
from tetngheo_docs.vn.dates import now_vn

__all__ = [
    "COLUMNS",
    "DEFAULT_FILE",
    "MAX_NUMBER",
    "REGISTER_TITLE",
    "AuditRow",
    "Entry",
    "Register",
    "Scope",
    "export_csv",
    "export_xlsx",
    "parse_number",
    "register_docx",
]

System = Literal["dang", "nha_nuoc"]
Status = Literal["reserved", "issued", "void"]
Origin = Literal["auto", "manual", "imported"]

#: The register's file name next to the agency's tetngheo.yaml.
DEFAULT_FILE = "so-van-ban-di.sqlite3"
#: Largest number the register hands out or accepts (a signed 32-bit integer).
MAX_NUMBER = 2**31 - 1
#: Heading of the printed register.
REGISTER_TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
#: Columns of the register in the order of ND30 Phụ lục IV.
COLUMNS = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
#: Extra machine-readable columns after the ten of the register (CSV and XLSX only).
EXTRA_COLUMNS = ("Trạng thái", "Dãy số", "Tệp", "SHA-256")

STATUS_LABELS: Mapping[str, str] = {
    "reserved": "đã giữ số",
    "issued": "đã ban hành",
    "void": "đã hủy",
}
ACTION_LABELS: Mapping[str, str] = {
    "reserve": "giữ số",
    "issue": "ban hành",
    "reissue": "ban hành lại",
    "update": "cập nhật",
    "void": "hủy số",
}
SYSTEM_LABELS: Mapping[str, str] = {"dang": "Đảng", "nha_nuoc": "Nhà nước"}

#: Descriptive fields a caller may set on an entry (``**meta``).
META_FIELDS = (
    "symbol",
    "date",
    "type_name",
    "subject",
    "signer",
    "recipients",
    "unit",
    "copies",
)
_TEXT_LIMIT = 10_000
_KEY_LIMIT = 500
_NAME_RE = re.compile(r"\A[^\s/\\]{1,50}\Z")
_YEAR_RE = re.compile(r"\A[0-9]{4}\Z")
_TERM_RE = re.compile(r"\A([0-9]{4})-([0-9]{4})\Z")
_SHA_RE = re.compile(r"\A[0-9a-f]{64}\Z")
_DMY_RE = re.compile(r"\A([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})\Z")
_ISO_RE = re.compile(r"\A([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SCHEMA_VERSION = 2


# --------------------------------------------------------------------------- values


def _nfc(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise RegisterError(f"{what} phải là chuỗi ký tự, nhận được {type(value).__name__}")
    return unicodedata.normalize("NFC", value).strip()


def _text(value: object, what: str) -> str:
    """A descriptive text: NFC, stripped, no control characters except tab and newline."""
    text = _nfc(value, what)
    if _CONTROL_RE.search(text):
        raise RegisterError(f"{what} chứa ký tự điều khiển không in được")
    if len(text) > _TEXT_LIMIT:
        raise RegisterError(f"{what} quá dài ({len(text)} ký tự, tối đa {_TEXT_LIMIT})")
    return text


def parse_number(value: object) -> int:
    """A document number from an int or a string of digits (``5``, ``"05"``); refuses
    ``0``, negatives, ``"1a"``, booleans and anything above `MAX_NUMBER`."""
    if isinstance(value, bool):
        raise RegisterError(f"số văn bản không hợp lệ: {value!r}")
    if isinstance(value, str):
        text = value.strip()
        if not text.isascii() or not text.isdigit():
            raise RegisterError(
                f"số văn bản không hợp lệ: '{value}' (chỉ gồm chữ số, ví dụ 5 hoặc 05)"
            )
        if len(text) > 12:
            raise RegisterError(f"số văn bản quá lớn: '{value}' (tối đa {MAX_NUMBER})")
        value = int(text)
    if not isinstance(value, int):
        raise RegisterError(f"số văn bản phải là số nguyên, nhận được {type(value).__name__}")
    if value < 1:
        raise RegisterError(f"số văn bản phải từ 1 trở lên, nhận được {value}")
    if value > MAX_NUMBER:
        raise RegisterError(f"số văn bản quá lớn: {value} (tối đa {MAX_NUMBER})")
    return value


def _copies(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_NUMBER:
        raise RegisterError(f"số lượng bản không hợp lệ: {value!r}")
    return value


def _iso_date(value: object) -> str:
    """``2024-01-15``, ``15/01/2024``, ``15/1/2024`` or a `date` → ``"2024-01-15"``."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = _nfc(value, "ngày văn bản")
    if m := _ISO_RE.fullmatch(text):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif m := _DMY_RE.fullmatch(text):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    else:
        raise RegisterError(
            f"ngày văn bản không hợp lệ: '{text}' (viết 15/01/2024 hoặc 2024-01-15)"
        )
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        raise RegisterError(f"ngày văn bản không có thật: '{text}'") from None


def _sha256(value: object) -> str:
    text = _nfc(value, "sha256").lower()
    if text and not _SHA_RE.fullmatch(text):
        raise RegisterError(f"sha256 không hợp lệ: '{text}' (64 chữ số hệ 16)")
    return text


def _dmy(iso: str) -> str:
    """``"2024-01-15"`` → ``"15/01/2024"`` (as văn thư write it in the register)."""
    if m := _ISO_RE.fullmatch(iso):
        return f"{m[3]}/{m[2]}/{m[1]}"
    return iso


def os_account() -> str:
    """The operating-system account, labelled as such: ``tài khoản máy: lan``."""
    name = os.environ.get("USER") or os.environ.get("USERNAME")
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "?"
    return f"tài khoản máy: {name}"


# --------------------------------------------------------------------------- scope


@dataclass(frozen=True)
class Scope:
    """One number series: numbers run 1, 2, 3 … inside it and nowhere else.

    ``agency`` is the agency's symbol abbreviation (``SVHTTDL``, ``BTGDUK``). For State bodies
    ``series`` is ``"chung"``, ``"mat"`` (confidential) or an advisory body's code, and
    ``period`` the calendar year; for Party bodies ``series`` is the document type
    abbreviation (``CV``, ``KH``) and ``period`` the committee term (``2020-2025``).
    """

    system: System
    agency: str
    series: str
    period: str

    def __post_init__(self) -> None:
        if self.system not in ("dang", "nha_nuoc"):
            raise RegisterError(f"hệ thống không hợp lệ: {self.system!r} (dang hoặc nha_nuoc)")
        for name, what in (("agency", "ký hiệu cơ quan"), ("series", "dãy số / loại")):
            value = _nfc(getattr(self, name), what)
            if not _NAME_RE.fullmatch(value):
                raise RegisterError(
                    f"{what} không hợp lệ: '{value}' (1–50 ký tự, không dấu cách, không '/')"
                )
            object.__setattr__(self, name, value)
        period = _nfc(self.period, "kỳ đánh số")
        if self.system == "dang":  # "2020 – 2025" as typed in Word → "2020-2025"
            period = re.sub(r"\s*[-\u2013\u2014]\s*", "-", period)
        object.__setattr__(self, "period", period)
        if self.system == "nha_nuoc":
            if not _YEAR_RE.fullmatch(period) or not 1900 <= int(period) <= 9999:
                raise RegisterError(
                    f"năm không hợp lệ: '{period}' (văn bản nhà nước đánh số theo năm, ví dụ 2024)"
                )
        else:
            m = _TERM_RE.fullmatch(period)
            if not m or not 1900 <= int(m[1]) < int(m[2]) <= 9999:
                raise RegisterError(
                    f"nhiệm kỳ không hợp lệ: '{period}' (văn bản của Đảng đánh số theo loại "
                    "và nhiệm kỳ, ví dụ 2020-2025)"
                )

    @classmethod
    def nha_nuoc(cls, agency: str, year: int | str, series: str = "chung") -> Scope:
        """A State series: ``Scope.nha_nuoc("SVHTTDL", 2024)``; ``series="mat"`` for
        confidential documents, an advisory body's code for its own series."""
        return cls("nha_nuoc", agency, series, str(year))

    @classmethod
    def dang(cls, agency: str, loai: str, term: str) -> Scope:
        """A Party series: ``Scope.dang("BTGDUK", "CV", "2020-2025")``."""
        return cls("dang", agency, loai, term)

    def label(self) -> str:
        """How the series is named to a user: ``SVHTTDL, năm 2024`` …"""
        if self.system == "nha_nuoc":
            series = {"chung": "", "mat": ", dãy số mật", "BS": ", dãy số bản sao"}.get(
                self.series, f", dãy số riêng {self.series}"
            )
            return f"{self.agency}{series}, năm {self.period}"
        return f"{self.agency}, loại {self.series}, nhiệm kỳ {self.period}"

    def period_label(self) -> str:
        """The series as a register's subheading: ``Năm 2024``, ``Dãy số mật — Năm 2024``,
        ``Loại CV — Nhiệm kỳ 2020-2025``."""
        if self.system == "nha_nuoc":
            series = {"chung": "", "mat": "Dãy số mật — ", "BS": "Dãy số bản sao — "}.get(
                self.series, f"Dãy số riêng {self.series} — "
            )
            return f"{series}Năm {self.period}"
        return f"Loại {self.series} — Nhiệm kỳ {self.period}"

    def as_dict(self) -> dict[str, str]:
        return {
            "system": self.system,
            "agency": self.agency,
            "series": self.series,
            "period": self.period,
        }

    def _check_date(self, iso: str) -> None:
        """The period comes from the signing date (ND30: numbers run within the year)."""
        if not iso:
            return
        year = int(iso[:4])
        if self.system == "nha_nuoc" and year != int(self.period):
            raise RegisterError(
                f"ngày {_dmy(iso)} không thuộc năm {self.period}: văn bản nhà nước lấy số "
                f"trong năm ký ban hành (sổ năm {year})"
            )
        if self.system == "dang":
            start, end = (int(y) for y in self.period.split("-"))
            if not start <= year <= end:
                raise RegisterError(f"ngày {_dmy(iso)} nằm ngoài nhiệm kỳ {self.period}")


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Entry:
    """One line of the register. ``actor`` is who made the last change (see `history`)."""

    id: int
    scope: Scope
    number: int
    key: str
    status: Status
    created_at: str
    updated_at: str
    actor: str
    symbol: str = ""
    date: str = ""
    type_name: str = ""
    subject: str = ""
    signer: str = ""
    recipients: str = ""
    unit: str = ""
    copies: int | None = None
    file: str = ""
    sha256: str = ""
    reason: str = ""
    #: Where the number came from: ``auto`` (the next in the series), ``manual`` (written by
    #: hand in the directive or with ``--so``) or ``imported`` (from the office's old register).
    origin: Origin = "auto"

    @property
    def so(self) -> str:
        """The number as printed: ``"05"``, ``"196"``."""
        return (
            numbers.so_van_ban(self.number) if self.number <= numbers.MAX_SO else str(self.number)
        )

    @property
    def so_ky_hieu(self) -> str:
        """Number and symbol as in the register: ``05/KH-SVHTTDL``, ``196-CV/BTGDUK``.

        ``symbol`` is the part after the number (``KH-SVHTTDL``; ``CV/BTGDUK``); a Party entry
        without one gets ``TYPE/AGENCY`` from its scope.
        """
        if self.scope.system == "dang":
            symbol = self.symbol or f"{self.scope.series}/{self.scope.agency}"
            return f"{self.so}-{symbol}"
        return f"{self.so}/{self.symbol}" if self.symbol else self.so

    @property
    def note(self) -> str:
        """The Ghi chú column: empty when issued, else the status (and the void reason)."""
        if self.status == "void":
            return f"Đã hủy: {self.reason}" if self.reason else "Đã hủy"
        if self.status == "reserved":
            return "Đã giữ số, chưa ban hành"
        if self.origin == "imported":
            return "Nhập từ sổ cũ"
        return ""

    def row(self) -> list[str | int | None]:
        """The ten register columns (`COLUMNS`)."""
        name = " ".join(part for part in (self.type_name, self.subject) if part)
        return [
            self.so_ky_hieu,
            _dmy(self.date),
            name,
            self.signer,
            self.recipients,
            self.unit,
            self.copies,
            "",
            "",
            self.note,
        ]


class Fingerprint(NamedTuple):
    """What must survive a copy exactly: how many entries, declared starts and audit rows,
    and one SHA-256 over all of them (ids aside)."""

    entries: int
    starts: int
    audit: int
    sha256: str

    def __str__(self) -> str:
        return (
            f"{self.entries} số, {self.starts} khai báo bắt đầu, {self.audit} dòng nhật ký, "
            f"SHA-256 {self.sha256[:16]}…"
        )


class CopyReport(NamedTuple):
    """A finished copy: the series copied, the source's fingerprint and the target's."""

    scopes: list[Scope]
    source: Fingerprint
    target: Fingerprint


class Reservation(NamedTuple):
    """The part of an entry a batch needs (see `Register.reserve_keys`)."""

    id: int
    number: int
    key: str
    status: Status


@dataclass(frozen=True)
class AuditRow:
    """One change to one entry: who, when (Vietnam time), what, and the details as a mapping."""

    id: int
    entry_id: int
    at: str
    actor: str
    action: str
    old_status: str | None
    new_status: str | None
    detail: Mapping[str, Any]


_ENTRY_COLUMNS = [f.name for f in fields(Entry) if f.name not in ("id", "scope")]
_SELECT = (
    "SELECT id, system, agency, series, period, "
    + ", ".join(c for c in _ENTRY_COLUMNS)
    + " FROM entries"
)
_SCOPE_WHERE = "system = ? AND agency = ? AND series = ? AND period = ?"
_IN_CHUNK = 500  # keys per IN (...) query, well under SQLite's 999-parameter floor


def _entry(row: Sequence[Any]) -> Entry:
    values = tuple(row)
    scope = Scope(*values[1:5])
    return Entry(values[0], scope, *values[5:])


def _scope_args(scope: Scope) -> tuple[str, str, str, str]:
    if not isinstance(scope, Scope):
        raise TypeError(f"scope must be a Scope, not {type(scope).__name__}")
    return (scope.system, scope.agency, scope.series, scope.period)


def _meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    """Validated descriptive fields; unknown names are a programming error (TypeError)."""
    unknown = sorted(set(meta) - set(META_FIELDS))
    if unknown:
        raise TypeError(f"unknown register field(s): {', '.join(unknown)}")
    labels = {
        "symbol": "ký hiệu",
        "type_name": "tên loại",
        "subject": "trích yếu",
        "signer": "người ký",
        "recipients": "nơi nhận",
        "unit": "đơn vị lưu",
    }
    out: dict[str, Any] = {}
    for name, value in meta.items():
        if name == "date":
            out[name] = _iso_date(value)
        elif name == "copies":
            out[name] = _copies(value)
        else:
            out[name] = _text("" if value is None else value, labels[name])
    if " " in out.get("symbol", "").strip():
        raise RegisterError(f"ký hiệu không được chứa dấu cách: '{out['symbol']}'")
    return out


# --------------------------------------------------------------------------- schema

#: Schema 2: where a series starts (an office adopting the register mid-year declares the
#: numbers it has already used on paper) and a contiguity rule that counts from there.
_SERIES_SCHEMA = [
    """
    CREATE TABLE IF NOT EXISTS series (
        system      TEXT NOT NULL CHECK (system IN ('dang', 'nha_nuoc')),
        agency      TEXT NOT NULL,
        series      TEXT NOT NULL,
        period      TEXT NOT NULL,
        start       INTEGER NOT NULL CHECK (start BETWEEN 0 AND 2147483646),
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        note        TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (system, agency, series, period)
    )
    """,
    # Where a series starts may be corrected only while it has no entry.
    """
    CREATE TRIGGER IF NOT EXISTS series_fixed BEFORE UPDATE ON series
    WHEN EXISTS (SELECT 1 FROM entries WHERE system = OLD.system AND agency = OLD.agency
                   AND series = OLD.series AND period = OLD.period)
    BEGIN
        SELECT RAISE(ABORT, 'sổ văn bản đi: dãy số đã có số; không đổi được số bắt đầu');
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS series_no_delete BEFORE DELETE ON series
    BEGIN
        SELECT RAISE(ABORT, 'sổ văn bản đi: không được xóa khai báo dãy số');
    END
    """,
    # Numbers are never skipped: a new row is MAX + 1 of its scope, or follows the numbers
    # declared used before the register when the scope has no row yet.
    "DROP TRIGGER IF EXISTS entries_contiguous",
    """
    CREATE TRIGGER entries_contiguous BEFORE INSERT ON entries
    WHEN NEW.number <> COALESCE(
            (SELECT MAX(number) FROM entries
              WHERE system = NEW.system AND agency = NEW.agency
                AND series = NEW.series AND period = NEW.period),
            (SELECT start FROM series
              WHERE system = NEW.system AND agency = NEW.agency
                AND series = NEW.series AND period = NEW.period),
            0) + 1
    BEGIN
        SELECT RAISE(ABORT, 'sổ văn bản đi: số phải liền sau số lớn nhất của dãy (không bỏ số)');
    END
    """,
]
SQLITE_SCHEMA = [
    """
    CREATE TABLE IF NOT EXISTS entries (
        id          INTEGER PRIMARY KEY,
        system      TEXT NOT NULL CHECK (system IN ('dang', 'nha_nuoc')),
        agency      TEXT NOT NULL CHECK (length(agency) > 0),
        series      TEXT NOT NULL CHECK (length(series) > 0),
        period      TEXT NOT NULL CHECK (length(period) > 0),
        number      INTEGER NOT NULL CHECK (typeof(number) = 'integer'
                                            AND number BETWEEN 1 AND 2147483647),
        key         TEXT NOT NULL CHECK (length(key) > 0),
        status      TEXT NOT NULL CHECK (status IN ('reserved', 'issued', 'void')),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        actor       TEXT NOT NULL,
        symbol      TEXT NOT NULL DEFAULT '',
        date        TEXT NOT NULL DEFAULT '',
        type_name   TEXT NOT NULL DEFAULT '',
        subject     TEXT NOT NULL DEFAULT '',
        signer      TEXT NOT NULL DEFAULT '',
        recipients  TEXT NOT NULL DEFAULT '',
        unit        TEXT NOT NULL DEFAULT '',
        copies      INTEGER CHECK (copies IS NULL OR copies >= 0),
        file        TEXT NOT NULL DEFAULT '',
        sha256      TEXT NOT NULL DEFAULT '',
        reason      TEXT NOT NULL DEFAULT '',
        origin      TEXT NOT NULL DEFAULT 'auto'
                    CHECK (origin IN ('auto', 'manual', 'imported')),
        UNIQUE (system, agency, series, period, number),
        UNIQUE (system, agency, series, period, key),
        CHECK (status <> 'void' OR length(reason) > 0)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS audit (
        id          INTEGER PRIMARY KEY,
        entry_id    INTEGER NOT NULL REFERENCES entries (id),
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        action      TEXT NOT NULL
                    CHECK (action IN ('reserve', 'issue', 'reissue', 'update', 'void')),
        old_status  TEXT,
        new_status  TEXT,
        detail      TEXT NOT NULL DEFAULT '{}'
    )
    """,
    "CREATE INDEX IF NOT EXISTS audit_entry ON audit (entry_id)",
    """
    CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries
    BEGIN
        SELECT RAISE(ABORT, 'sổ văn bản đi: không được xóa số đã cấp (hãy hủy số, có lý do)');
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS entries_fixed BEFORE UPDATE ON entries
    WHEN NEW.id IS NOT OLD.id OR NEW.system IS NOT OLD.system
      OR NEW.agency IS NOT OLD.agency OR NEW.series IS NOT OLD.series
      OR NEW.period IS NOT OLD.period OR NEW.number IS NOT OLD.number
      OR NEW.key IS NOT OLD.key OR NEW.created_at IS NOT OLD.created_at
    BEGIN
        SELECT RAISE(ABORT, 'sổ văn bản đi: không được đổi số, dãy số hoặc khóa đã cấp');
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS entries_status BEFORE UPDATE OF status ON entries
    WHEN (OLD.status = 'void' AND NEW.status <> 'void')
      OR (OLD.status = 'issued' AND NEW.status = 'reserved')
    BEGIN
        SELECT RAISE(ABORT, 'sổ văn bản đi: số đã hủy hoặc đã ban hành không quay lại được');
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN
        SELECT RAISE(ABORT, 'sổ văn bản đi: nhật ký chỉ được ghi thêm, không được sửa');
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN
        SELECT RAISE(ABORT, 'sổ văn bản đi: nhật ký chỉ được ghi thêm, không được xóa');
    END
    """,
    *_SERIES_SCHEMA,
    f"PRAGMA user_version = {SCHEMA_VERSION}",
]
#: SQLite migrations by the version they start from (schema 1: registers made before
#: mid-year adoption and hand-written numbers); a new file gets `SQLITE_SCHEMA` whole.
SQLITE_MIGRATIONS: dict[int, list[str]] = {}
SQLITE_MIGRATIONS[1] = [
    "ALTER TABLE entries ADD COLUMN origin TEXT NOT NULL DEFAULT 'auto'"
    " CHECK (origin IN ('auto', 'manual', 'imported'))",
    *_SERIES_SCHEMA,
    f"PRAGMA user_version = {SCHEMA_VERSION}",
]

# PostgreSQL: the same tables, constraints and refusals (plpgsql triggers raising an
# integrity error, as SQLite's RAISE(ABORT) does), versioned in tetngheo_schema_version.
# PG_MIGRATIONS[n] takes a database from version n to n + 1; the steps mirror SQLite's.
_PG_REFUSE = """
    CREATE OR REPLACE FUNCTION tetngheo_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'integrity_constraint_violation';
    END $$
"""


def _pg_contiguous(start: bool) -> str:
    """The contiguity rule as a trigger function (with the declared start from schema 2)."""
    declared = (
        "(SELECT start FROM series WHERE system = NEW.system AND agency = NEW.agency"
        " AND series = NEW.series AND period = NEW.period),"
        if start
        else ""
    )
    return f"""
    CREATE OR REPLACE FUNCTION tetngheo_contiguous() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.number <> COALESCE(
            (SELECT max(number) FROM entries WHERE system = NEW.system
               AND agency = NEW.agency AND series = NEW.series AND period = NEW.period),
            {declared} 0) + 1 THEN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE =
                'sổ văn bản đi: số phải liền sau số lớn nhất của dãy (không bỏ số)';
        END IF;
        RETURN NEW;
    END $$
    """


def _pg_refuse(name: str, when: str, table: str, message: str, row: bool = True) -> str:
    each = "FOR EACH ROW" if row else "FOR EACH STATEMENT"
    return (
        f"CREATE TRIGGER {name} BEFORE {when} ON {table} {each} "
        f"EXECUTE FUNCTION tetngheo_refuse('{message}')"
    )


PG_MIGRATIONS: list[list[str]] = [
    [  # 0 -> 1: the register as SQLite schema 1 has it
        "CREATE TABLE tetngheo_schema_version ("
        " version INTEGER PRIMARY KEY, at TIMESTAMPTZ NOT NULL)",
        """
        CREATE TABLE entries (
            id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            system      TEXT NOT NULL CHECK (system IN ('dang', 'nha_nuoc')),
            agency      TEXT NOT NULL CHECK (length(agency) > 0),
            series      TEXT NOT NULL CHECK (length(series) > 0),
            period      TEXT NOT NULL CHECK (length(period) > 0),
            number      INTEGER NOT NULL CHECK (number BETWEEN 1 AND 2147483647),
            key         TEXT NOT NULL CHECK (length(key) > 0),
            status      TEXT NOT NULL CHECK (status IN ('reserved', 'issued', 'void')),
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL,
            actor       TEXT NOT NULL,
            symbol      TEXT NOT NULL DEFAULT '',
            date        TEXT NOT NULL DEFAULT '',
            type_name   TEXT NOT NULL DEFAULT '',
            subject     TEXT NOT NULL DEFAULT '',
            signer      TEXT NOT NULL DEFAULT '',
            recipients  TEXT NOT NULL DEFAULT '',
            unit        TEXT NOT NULL DEFAULT '',
            copies      INTEGER CHECK (copies IS NULL OR copies >= 0),
            file        TEXT NOT NULL DEFAULT '',
            sha256      TEXT NOT NULL DEFAULT '',
            reason      TEXT NOT NULL DEFAULT '',
            UNIQUE (system, agency, series, period, number),
            UNIQUE (system, agency, series, period, key),
            CHECK (status <> 'void' OR length(reason) > 0)
        )
        """,
        """
        CREATE TABLE audit (
            id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            entry_id    BIGINT NOT NULL REFERENCES entries (id),
            at          TEXT NOT NULL,
            actor       TEXT NOT NULL,
            action      TEXT NOT NULL
                        CHECK (action IN ('reserve', 'issue', 'reissue', 'update', 'void')),
            old_status  TEXT,
            new_status  TEXT,
            detail      TEXT NOT NULL DEFAULT '{}'
        )
        """,
        "CREATE INDEX audit_entry ON audit (entry_id)",
        _PG_REFUSE,
        _pg_contiguous(start=False),
        "CREATE TRIGGER entries_contiguous BEFORE INSERT ON entries FOR EACH ROW"
        " EXECUTE FUNCTION tetngheo_contiguous()",
        _pg_refuse(
            "entries_no_delete",
            "DELETE",
            "entries",
            "sổ văn bản đi: không được xóa số đã cấp (hãy hủy số, có lý do)",
        ),
        _pg_refuse(
            "entries_no_truncate",
            "TRUNCATE",
            "entries",
            "sổ văn bản đi: không được xóa số đã cấp (hãy hủy số, có lý do)",
            row=False,
        ),
        "CREATE TRIGGER entries_fixed BEFORE UPDATE ON entries FOR EACH ROW WHEN ("
        " NEW.id IS DISTINCT FROM OLD.id OR NEW.system IS DISTINCT FROM OLD.system"
        " OR NEW.agency IS DISTINCT FROM OLD.agency OR NEW.series IS DISTINCT FROM OLD.series"
        " OR NEW.period IS DISTINCT FROM OLD.period OR NEW.number IS DISTINCT FROM OLD.number"
        " OR NEW.key IS DISTINCT FROM OLD.key OR NEW.created_at IS DISTINCT FROM OLD.created_at)"
        " EXECUTE FUNCTION tetngheo_refuse("
        "'sổ văn bản đi: không được đổi số, dãy số hoặc khóa đã cấp')",
        "CREATE TRIGGER entries_status BEFORE UPDATE OF status ON entries FOR EACH ROW WHEN ("
        " (OLD.status = 'void' AND NEW.status <> 'void')"
        " OR (OLD.status = 'issued' AND NEW.status = 'reserved'))"
        " EXECUTE FUNCTION tetngheo_refuse("
        "'sổ văn bản đi: số đã hủy hoặc đã ban hành không quay lại được')",
        _pg_refuse(
            "audit_no_update",
            "UPDATE",
            "audit",
            "sổ văn bản đi: nhật ký chỉ được ghi thêm, không được sửa",
        ),
        _pg_refuse(
            "audit_no_delete",
            "DELETE",
            "audit",
            "sổ văn bản đi: nhật ký chỉ được ghi thêm, không được xóa",
        ),
        _pg_refuse(
            "audit_no_truncate",
            "TRUNCATE",
            "audit",
            "sổ văn bản đi: nhật ký chỉ được ghi thêm, không được xóa",
            row=False,
        ),
    ],
    [  # 1 -> 2: where a series starts, and where each number came from
        "ALTER TABLE entries ADD COLUMN origin TEXT NOT NULL DEFAULT 'auto'"
        " CHECK (origin IN ('auto', 'manual', 'imported'))",
        """
        CREATE TABLE series (
            system      TEXT NOT NULL CHECK (system IN ('dang', 'nha_nuoc')),
            agency      TEXT NOT NULL,
            series      TEXT NOT NULL,
            period      TEXT NOT NULL,
            start       INTEGER NOT NULL CHECK (start BETWEEN 0 AND 2147483646),
            at          TEXT NOT NULL,
            actor       TEXT NOT NULL,
            note        TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (system, agency, series, period)
        )
        """,
        """
        CREATE FUNCTION tetngheo_series_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM entries WHERE system = OLD.system AND agency = OLD.agency
                         AND series = OLD.series AND period = OLD.period) THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE =
                    'sổ văn bản đi: dãy số đã có số; không đổi được số bắt đầu';
            END IF;
            RETURN NEW;
        END $$
        """,
        "CREATE TRIGGER series_fixed BEFORE UPDATE ON series FOR EACH ROW"
        " EXECUTE FUNCTION tetngheo_series_fixed()",
        _pg_refuse(
            "series_no_delete",
            "DELETE",
            "series",
            "sổ văn bản đi: không được xóa khai báo dãy số",
        ),
        _pg_contiguous(start=True),
    ],
]


# --------------------------------------------------------------------------- register


class Register:
    """The register file. Open it, use it, `close` it (or use it as a context manager).

    Every write runs in its own ``BEGIN IMMEDIATE`` transaction with ``synchronous=FULL`` in
    WAL mode, so a committed allocation survives a crash of the process, and concurrent
    writers (other processes, other clerks on a shared folder) wait up to ``timeout``
    seconds for each other instead of failing or duplicating numbers.
    """

    def __init__(
        self, path: Path | str, *, actor: str | None = None, timeout: float = 30.0
    ) -> None:
        """``path``: the register file (SQLite), or a ``postgresql://`` URL (a server)."""
        self.actor = _text(actor, "người thực hiện") if actor else os_account()
        self.timeout = timeout
        self._db: Store | None = open_store(path, timeout)
        #: The file of a SQLite register; None for a register on a server.
        self.path = self._db.path
        #: How the register is named in messages (a URL never shows its password).
        self.where = self._db.label
        try:
            self._migrate()
        except BaseException:
            self.close()
            raise

    # -- plumbing

    def close(self) -> None:
        """Close the database connection (idempotent)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def conn(self) -> Store:
        if self._db is None:
            raise RegisterError("sổ văn bản đã đóng")
        return self._db

    def _errors(self) -> contextlib.AbstractContextManager[None]:
        """Database errors as messages a văn thư can act on."""
        return self.conn.errors()

    def _write(self) -> contextlib.AbstractContextManager[Store]:
        """One transaction, committed at the end, rolled back on any error."""
        return self.conn.transaction()

    def _migrate(self) -> None:
        with self._errors():
            version = self.conn.schema_version()
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise RegisterError(
                f"sổ văn bản {self.where} được tạo bởi phiên bản tetngheo mới hơn "
                f"(lược đồ {version}); hãy cập nhật tetngheo"
            )
        self.conn.upgrade(SCHEMA_VERSION)

    def _audit(
        self,
        conn: Store,
        entry_id: int,
        at: str,
        action: str,
        old: str | None,
        new: str | None,
        detail: Mapping[str, Any],
    ) -> None:
        conn.execute(
            "INSERT INTO audit (entry_id, at, actor, action, old_status, new_status, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                entry_id,
                at,
                self.actor,
                action,
                old,
                new,
                json.dumps(detail, ensure_ascii=False, sort_keys=True),
            ),
        )

    def _fetch(self, conn: Store, where: str, args: Sequence[Any]) -> Entry | None:
        row = conn.execute(f"{_SELECT} WHERE {where}", args).fetchone()
        return _entry(row) if row is not None else None

    def _by_id(self, conn: Store, entry_id: int) -> Entry:
        if isinstance(entry_id, bool) or not isinstance(entry_id, int):
            raise RegisterError(f"mã mục sổ không hợp lệ: {entry_id!r}")
        found = self._fetch(conn, "id = ?", (entry_id,))
        if found is None:
            raise RegisterError(f"không có mục sổ mã {entry_id}")
        return found

    def _update(
        self,
        conn: Store,
        entry: Entry,
        changes: Mapping[str, Any],
        action: str,
        detail: Mapping[str, Any],
    ) -> Entry:
        at = now_vn()
        values = {**changes, "updated_at": at, "actor": self.actor}
        sets = ", ".join(f"{name} = ?" for name in values)
        conn.execute(f"UPDATE entries SET {sets} WHERE id = ?", (*values.values(), entry.id))
        new_status = changes.get("status", entry.status)
        self._audit(conn, entry.id, at, action, entry.status, new_status, detail)
        return self._by_id(conn, entry.id)

    @classmethod
    def _keys(cls, keys: Sequence[object]) -> list[str]:
        """`_key` for many keys; a batch's keys (already clean) are checked in one pass."""
        texts = [k for k in keys if isinstance(k, str)]
        if len(texts) == len(keys):
            joined = "\n".join(texts)  # NFC as a whole iff each is: \n never composes
            if (
                unicodedata.is_normalized("NFC", joined)
                and not _CONTROL_RE.search(joined)
                and all(0 < len(k) <= _KEY_LIMIT and k == k.strip() for k in texts)
            ):
                return texts
        return [cls._key(k) for k in keys]

    @staticmethod
    def _key(key: object) -> str:
        text = _text(key, "khóa văn bản")
        if not text:
            raise RegisterError("khóa văn bản trống: cần một khóa để giữ số không bị cấp hai lần")
        if len(text) > _KEY_LIMIT:
            raise RegisterError(f"khóa văn bản quá dài (tối đa {_KEY_LIMIT} ký tự)")
        return text

    def _next(self, conn: Store, scope: Scope) -> int:
        """MAX + 1 of the series, or the number after those declared used before the register."""
        args = _scope_args(scope)
        return int(
            conn.execute(
                f"SELECT COALESCE((SELECT MAX(number) FROM entries WHERE {_SCOPE_WHERE}),"
                f" (SELECT start FROM series WHERE {_SCOPE_WHERE}), 0) + 1",
                (*args, *args),
            ).fetchone()[0]
        )

    def _insert(
        self,
        conn: Store,
        scope: Scope,
        key: str,
        meta: Mapping[str, Any],
        *,
        origin: Origin = "auto",
        status: Status = "reserved",
        audit: Mapping[str, Any] | None = None,
        number: int | None = None,
    ) -> Reservation:
        """A new entry with the series' next number (``number``: that next number, known
        by a caller that holds the series and is inserting several)."""
        number = self._next(conn, scope) if number is None else number
        if number > MAX_NUMBER:
            raise RegisterError(f"dãy số {scope.label()} đã hết số (tối đa {MAX_NUMBER})")
        at = now_vn()
        values = {
            "system": scope.system,
            "agency": scope.agency,
            "series": scope.series,
            "period": scope.period,
            "number": number,
            "key": key,
            "status": status,
            "created_at": at,
            "updated_at": at,
            "actor": self.actor,
            "origin": origin,
            **meta,
        }
        entry_id = int(
            conn.execute(
                f"INSERT INTO entries ({', '.join(values)})"
                f" VALUES ({', '.join('?' * len(values))}) RETURNING id",
                tuple(values.values()),
            ).fetchone()[0]
        )
        detail = {"scope": scope.as_dict(), "number": number, "key": key, **meta, **(audit or {})}
        if origin != "auto":
            detail["origin"] = origin
        self._audit(conn, entry_id, at, "reserve", None, status, detail)
        return Reservation(entry_id, number, key, status)

    # -- allocation

    def reserve(self, scope: Scope, key: str, **meta: Any) -> Entry:
        """The number for ``key`` in ``scope``: a new one (status ``reserved``) the first
        time, the same entry (unchanged) every later time. ``meta`` sets descriptive fields
        of a new entry (`META_FIELDS`)."""
        return self.reserve_many(scope, [key], **meta)[0]

    def reserve_many(
        self,
        scope: Scope,
        keys: Sequence[str],
        *,
        each: Mapping[str, Mapping[str, Any]] | None = None,
        **meta: Any,
    ) -> list[Entry]:
        """Numbers for many keys in one transaction: new keys get contiguous numbers in the
        given order, keys already in the register keep theirs (a rerun after a crash).

        ``meta`` describes every new entry; ``each`` adds fields for some keys (a batch with
        one number per letter records each letter's own Nơi nhận)."""
        with self._write() as conn:
            found = self._reserve(conn, scope, keys, each, meta)
            entries: dict[int, Entry] = {}
            ids = list(dict.fromkeys(r.id for r in found))
            for i in range(0, len(ids), _IN_CHUNK):
                part = ids[i : i + _IN_CHUNK]
                marks = ", ".join("?" * len(part))
                for row in conn.execute(f"{_SELECT} WHERE id IN ({marks})", part):
                    entries[row[0]] = _entry(row)
        return [entries[r.id] for r in found]

    def reserve_keys(
        self,
        scope: Scope,
        keys: Sequence[str],
        *,
        each: Mapping[str, Mapping[str, Any]] | None = None,
        audit: Mapping[str, Any] | None = None,
        **meta: Any,
    ) -> list[Reservation]:
        """`reserve_many` returning only id, number, key and status: what a batch needs,
        without reading every column of 1,000 entries on each rebuild. ``audit`` adds to
        the audit row of each new entry (an accepted date override and its reason)."""
        with self._write() as conn:
            return self._reserve(conn, scope, keys, each, meta, audit)

    def _reserve(
        self,
        conn: Store,
        scope: Scope,
        keys: Sequence[str],
        each: Mapping[str, Mapping[str, Any]] | None,
        meta: Mapping[str, Any],
        audit: Mapping[str, Any] | None = None,
    ) -> list[Reservation]:
        _scope_args(scope)
        if isinstance(keys, str):
            raise TypeError("keys must be a sequence of strings, not one string")
        clean = self._keys(keys)
        values = _meta(meta)
        scope._check_date(values.get("date", ""))
        conn.lock_series(_scope_args(scope))  # a server: one allocator per series at a time
        known = self._known(conn, scope, clean)
        if all(map(known.__contains__, clean)):  # a rerun: every key has its number already
            return list(map(known.__getitem__, clean))
        own: dict[str, Mapping[str, Any]] | None = None  # `each` by clean key, when needed
        out: list[Reservation] = []
        nxt = self._next(conn, scope)  # the series is ours until the commit: count locally
        for key in clean:  # a bad field of a later key rolls back the whole transaction
            found = known.get(key)
            if found is None:
                if own is None:  # each's keys are usually among keys: checked already
                    checked = dict(zip(keys, clean, strict=True))
                    own = {checked.get(k) or self._key(k): v for k, v in (each or {}).items()}
                fields = _meta({**meta, **own[key]}) if key in own else values
                found = known[key] = self._insert(conn, scope, key, fields, audit=audit, number=nxt)
                nxt += 1
            out.append(found)
        return out

    def _known(self, conn: Store, scope: Scope, keys: Sequence[str]) -> dict[str, Reservation]:
        """The entries of ``keys`` already in ``scope``, looked up in a few queries (a rerun
        of a 1,000-letter batch finds all of them without 1,000 round trips)."""
        args = _scope_args(scope)
        found: dict[str, Reservation] = {}
        unique = list(dict.fromkeys(keys))
        # Numbers run 1..last without gaps, so `last` is the series' size (from its index).
        last = conn.execute(
            f"SELECT COALESCE(MAX(number), 0) FROM entries WHERE {_SCOPE_WHERE}", args
        ).fetchone()[0]
        if last == 0:
            return found
        if 2 * len(unique) >= last:  # most of the series: one pass over it beats lookups
            wanted = set(unique)
            rows = conn.execute(
                f"SELECT id, number, key, status FROM entries WHERE {_SCOPE_WHERE}", args
            ).fetchall()
            return {row[2]: Reservation._make(row) for row in rows if row[2] in wanted}
        for i in range(0, len(unique), _IN_CHUNK):
            part = unique[i : i + _IN_CHUNK]
            marks = ", ".join("?" * len(part))
            rows = conn.execute(
                f"SELECT id, number, key, status FROM entries WHERE {_SCOPE_WHERE} "
                f"AND key IN ({marks})",
                (*args, *part),
            )
            for row in rows:
                found[row[2]] = Reservation(*row)
        return found

    def lookup(self, scope: Scope, keys: Sequence[str]) -> dict[str, Reservation]:
        """The entries already held by ``keys`` in ``scope`` (reads only: a run checks what
        it would get before it reserves anything)."""
        with self._errors():
            return self._known(self.conn, scope, self._keys(list(keys)))

    def holder(self, scope: Scope, number: int | str) -> Entry | None:
        """The entry holding ``number`` in ``scope``, if any (any status)."""
        n = parse_number(number)
        with self._errors():
            return self._fetch(
                self.conn, f"{_SCOPE_WHERE} AND number = ?", (*_scope_args(scope), n)
            )

    def start(self, scope: Scope) -> int:
        """The last number used before this register (declared or imported start); 0 if none."""
        with self._errors():
            row = self.conn.execute(
                f"SELECT start FROM series WHERE {_SCOPE_WHERE}", _scope_args(scope)
            ).fetchone()
        return int(row[0]) if row else 0

    def _refuse_manual(self, conn: Store, scope: Scope, key: str, n: int) -> None:
        """Why ``n`` cannot be given to ``key`` by hand, if it cannot (`RegisterError`)."""
        args = _scope_args(scope)
        mine = self._fetch(conn, f"{_SCOPE_WHERE} AND key = ?", (*args, key))
        holder = self._fetch(conn, f"{_SCOPE_WHERE} AND number = ?", (*args, n))
        if mine is not None and mine.number == n:
            if mine.status == "void":
                raise RegisterError(void_message(mine))
            return
        if mine is not None:
            raise RegisterError(
                f"văn bản này ('{key}') đã giữ số {mine.so_ky_hieu} trong dãy số "
                f"{scope.label()}; không ghi số khác cho nó — hãy ghi so: {mine.so} hoặc bỏ 'so' "
                "để dùng số đã giữ"
            )
        nxt = self._next(conn, scope)
        if holder is not None:
            if holder.status == "void":
                raise RegisterError(
                    f"số {holder.so_ky_hieu} ({scope.label()}) đã hủy ({holder.reason}); số đã "
                    f"hủy không cấp lại. Hãy bỏ 'so' để lấy số tiếp theo ({nxt:02d})"
                )
            what = " ".join(p for p in (holder.type_name, holder.subject) if p) or holder.key
            raise RegisterError(
                f"số {holder.so_ky_hieu} ({scope.label()}) đã cấp cho văn bản khác: {what} "
                f"(khóa '{holder.key}', {STATUS_LABELS[holder.status]}). Không cấp một số hai "
                f"lần: hãy bỏ 'so' trong tệp (hoặc --so) để lấy số tiếp theo ({nxt:02d})"
            )
        start = conn.execute(f"SELECT start FROM series WHERE {_SCOPE_WHERE}", args).fetchone()
        if start is not None and n <= start[0]:
            raise RegisterError(
                f"số {n:02d} nằm trong các số đã dùng trước khi có sổ này (đến số "
                f"{start[0]:02d}, dãy số {scope.label()}); hãy bỏ 'so' để lấy số tiếp theo "
                f"({nxt:02d})"
            )
        if n > nxt and (start is not None or nxt > 1):
            raise RegisterError(
                f"số {n:02d} bỏ trống các số {nxt:02d}–{n - 1:02d} của dãy số {scope.label()}; "
                f"số không được bỏ trống: hãy bỏ 'so' để lấy số tiếp theo ({nxt:02d}), hoặc nếu "
                "các số kia đã dùng ngoài phần mềm, hãy nhập sổ cũ (tetngheo register nhap)"
            )

    def check_manual(self, scope: Scope, key: str, number: int | str) -> None:
        """Refuse (`RegisterError`) a number written by hand that ``reserve_number`` would
        refuse; reads only."""
        with self._errors():
            self._refuse_manual(self.conn, scope, self._key(key), parse_number(number))

    def reserve_number(
        self,
        scope: Scope,
        key: str,
        number: int | str,
        *,
        audit: Mapping[str, Any] | None = None,
        **meta: Any,
    ) -> Reservation:
        """Record a number written by hand (``so:`` or ``--so``) for ``key``, like any other.

        The same key and number again returns the entry. Refused: a number held by another
        document (named), a voided number, a number among those used before the register,
        a number that would leave a gap, another number for a key that holds one. In a
        series with no entry and no declared start, the hand-written number starts it: the
        numbers before it count as used before the register, and automatic numbers follow.
        """
        clean = self._key(key)
        n = parse_number(number)
        values = _meta(meta)
        scope._check_date(values.get("date", ""))
        with self._write() as conn:
            conn.lock_series(_scope_args(scope))
            self._refuse_manual(conn, scope, clean, n)
            args = _scope_args(scope)
            mine = self._fetch(conn, f"{_SCOPE_WHERE} AND key = ?", (*args, clean))
            if mine is not None:
                return Reservation(mine.id, mine.number, mine.key, mine.status)
            if self._next(conn, scope) != n:  # an empty, undeclared series: n starts it
                self._set_start(conn, scope, n - 1, f"bắt đầu từ số ghi tay {n:02d}")
            return self._insert(conn, scope, clean, values, origin="manual", audit=audit)

    def _set_start(self, conn: Store, scope: Scope, last: int, note: str) -> None:
        conn.execute(
            "INSERT INTO series (system, agency, series, period, start, at, actor, note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (system, agency, series, period)"
            " DO UPDATE SET start = excluded.start, at = excluded.at, actor = excluded.actor,"
            " note = excluded.note",
            (*_scope_args(scope), last, now_vn(), self.actor, note),
        )

    def declare_start(self, scope: Scope, last_used: int | str, note: str = "") -> None:
        """Adoption mid-year or mid-term: numbers 1..``last_used`` of ``scope`` were used
        before this register (on paper), so the next automatic number is ``last_used + 1``.
        Refused once the series has an entry; 0 declares a series that starts at 01."""
        last = 0 if str(last_used).strip() in ("0", "00") else parse_number(last_used)
        if last >= MAX_NUMBER:
            raise RegisterError(f"số đã dùng quá lớn: {last}")
        why = _text(note or "khai báo khi bắt đầu dùng sổ", "ghi chú")
        with self._write() as conn:
            conn.lock_series(_scope_args(scope))
            used = conn.execute(
                f"SELECT MAX(number) FROM entries WHERE {_SCOPE_WHERE}", _scope_args(scope)
            ).fetchone()[0]
            if used is not None:
                raise RegisterError(
                    f"dãy số {scope.label()} đã có số trong sổ (đến số {used:02d}); chỉ khai "
                    "báo số bắt đầu cho dãy số chưa có số nào"
                )
            self._set_start(conn, scope, last, why)

    def import_entries(self, scope: Scope, rows: Sequence[Mapping[str, Any]]) -> int:
        """Enter an office's existing register (numbers used before this one) as ``imported``
        entries: ``rows`` each have ``number`` and any `META_FIELDS`, optionally ``void``
        (a reason: the number was cancelled). Only into a series with no entry; the numbers
        must run without gaps from 01, or from the declared start. All or nothing."""
        if not rows:
            raise RegisterError("tệp sổ cũ không có dòng nào")
        ordered = sorted(rows, key=lambda r: parse_number(r["number"]))
        with self._write() as conn:
            conn.lock_series(_scope_args(scope))
            used = conn.execute(
                f"SELECT MAX(number) FROM entries WHERE {_SCOPE_WHERE}", _scope_args(scope)
            ).fetchone()[0]
            if used is not None:
                raise RegisterError(
                    f"dãy số {scope.label()} đã có số trong sổ (đến số {used:02d}); chỉ nhập sổ "
                    "cũ vào dãy số chưa có số nào"
                )
            for row in ordered:
                n = parse_number(row["number"])
                expected = self._next(conn, scope)
                if n != expected:
                    raise RegisterError(
                        f"sổ cũ thiếu số {expected:02d} (dòng tiếp theo là số {n:02d}); số "
                        "không được bỏ trống — hãy thêm dòng cho số đó (số đã hủy ghi "
                        "'đã hủy' ở cột Trạng thái) rồi nhập lại"
                        if n > expected
                        else f"sổ cũ có số {n:02d} hai lần"
                    )
                meta = {k: v for k, v in row.items() if k in META_FIELDS}
                values = _meta(meta)
                reason = str(row.get("void") or "").strip()
                entry = self._insert(
                    conn,
                    scope,
                    self._key(str(row.get("key") or f"so-cu:{n}")),
                    values,
                    origin="imported",
                    status="issued",
                )
                if reason:
                    found = self._by_id(conn, entry.id)
                    changes = {"status": "void", "reason": _text(reason, "lý do hủy")}
                    self._update(conn, found, changes, "void", {"reason": changes["reason"]})
        return len(ordered)

    def issue(self, entry_id: int, *, file: str = "", sha256: str = "", **meta: Any) -> Entry:
        """Mark a reserved entry issued (with its file and its sha256).

        Issuing an issued entry again with the same sha256 (or none) changes no status; given
        metadata that differs is recorded as an update. Issuing it with a different sha256 is
        refused: per ND30 a changed document is a new document with a new number. A void
        entry can never be issued.
        """
        file_text = _text(file, "tệp")
        digest = _sha256(sha256)
        values = _meta(meta)
        with self._write() as conn:
            entry = self._by_id(conn, entry_id)
            entry.scope._check_date(values.get("date", ""))
            if entry.status == "void":
                raise RegisterError(
                    f"số {entry.so_ky_hieu} ({entry.scope.label()}) đã hủy "
                    f"({entry.reason}); không ban hành được — hãy lấy số mới"
                )
            if entry.status == "issued":
                if digest and entry.sha256 and digest != entry.sha256:
                    raise RegisterError(
                        f"số {entry.so_ky_hieu} ({entry.scope.label()}) đã ban hành với nội "
                        "dung khác; văn bản sửa đổi phải là văn bản mới với số mới (NĐ30 Đ18)"
                    )
                if file_text:
                    values["file"] = file_text
                if digest:
                    values["sha256"] = digest
                changes = _diff(entry, values)
                if not changes:
                    return entry
                return self._update(
                    conn, entry, changes, "update", {"changes": _pairs(entry, changes)}
                )
            changes = {**values, "status": "issued", "file": file_text, "sha256": digest}
            detail = {"file": file_text, "sha256": digest, **values}
            return self._update(conn, entry, changes, "issue", detail)

    def update(self, entry_id: int, **meta: Any) -> Entry:
        """Change descriptive fields (`META_FIELDS`) of an entry; audited as ``update``."""
        values = _meta(meta)
        with self._write() as conn:
            entry = self._by_id(conn, entry_id)
            entry.scope._check_date(values.get("date", ""))
            changes = _diff(entry, values)
            if not changes:
                return entry
            return self._update(conn, entry, changes, "update", {"changes": _pairs(entry, changes)})

    def void(self, scope: Scope, number: int | str, reason: str) -> Entry:
        """Cancel a number (reserved or issued) with a reason; it is never handed out again.
        Voiding a void entry again changes nothing and returns it."""
        args = _scope_args(scope)
        n = parse_number(number)
        why = _text("" if reason is None else reason, "lý do hủy")
        if not why:
            raise RegisterError("cần ghi lý do hủy số (ví dụ: văn bản ban hành nhầm, đã thu hồi)")
        with self._write() as conn:
            entry = self._fetch(conn, f"{_SCOPE_WHERE} AND number = ?", (*args, n))
            if entry is None:
                raise RegisterError(self._unknown(conn, scope, n))
            if entry.status == "void":
                return entry
            changes = {"status": "void", "reason": why}
            return self._update(conn, entry, changes, "void", {"reason": why})

    def _unknown(self, conn: Store, scope: Scope, number: int) -> str:
        last = conn.execute(
            f"SELECT MAX(number) FROM entries WHERE {_SCOPE_WHERE}", _scope_args(scope)
        ).fetchone()[0]
        shown = numbers.so_van_ban(number) if number <= numbers.MAX_SO else str(number)
        if last is None:
            return f"số {shown} chưa được cấp: dãy số {scope.label()} chưa có số nào"
        return f"số {shown} chưa được cấp trong dãy số {scope.label()} (số lớn nhất: {last})"

    # -- reading

    def get(self, scope: Scope, number: int | str) -> Entry:
        """The entry with this number; `RegisterError` if it was never allocated."""
        args = _scope_args(scope)
        n = parse_number(number)
        with self._errors():
            entry = self._fetch(self.conn, f"{_SCOPE_WHERE} AND number = ?", (*args, n))
            if entry is None:
                raise RegisterError(self._unknown(self.conn, scope, n))
        return entry

    def by_key(self, scope: Scope, key: str) -> Entry | None:
        """The entry reserved for ``key`` in ``scope``, if any."""
        with self._errors():
            return self._fetch(
                self.conn, f"{_SCOPE_WHERE} AND key = ?", (*_scope_args(scope), self._key(key))
            )

    def entry(self, entry_id: int) -> Entry:
        """The entry with this id."""
        with self._errors():
            return self._by_id(self.conn, entry_id)

    def next_number(self, scope: Scope) -> int:
        """The number the next reservation in ``scope`` would get (a peek; reserves nothing)."""
        with self._errors():
            return self._next(self.conn, scope)

    def history(self, entry_id: int) -> builtins.list[AuditRow]:
        """Every change to an entry, oldest first."""
        with self._errors():
            rows = self.conn.execute(
                "SELECT id, entry_id, at, actor, action, old_status, new_status, detail"
                " FROM audit WHERE entry_id = ? ORDER BY id",
                (entry_id,),
            ).fetchall()
        return [AuditRow(*row[:7], json.loads(row[7])) for row in rows]

    def scopes(self) -> builtins.list[Scope]:
        """Every scope that has at least one entry."""
        with self._errors():
            rows = self.conn.execute(
                "SELECT DISTINCT system, agency, series, period FROM entries"
                " ORDER BY system, agency, period, series"
            ).fetchall()
        return [Scope(*row) for row in rows]

    def backup(self, target: Path) -> None:
        """A consistent copy of a register file (SQLite's backup API, safe while others write)."""
        self.conn.backup(target)

    # -- moving an office

    def fingerprint(self, scopes: Sequence[Scope] | None = None) -> Fingerprint:
        """Counts and SHA-256 of every entry, declared start and audit row of ``scopes`` (all
        by default), in a form independent of the back end and of row ids: what a copy must
        keep exactly."""
        wanted = None if scopes is None else {_scope_args(x) for x in scopes}
        with self._errors():
            entries = self.conn.execute(
                f"{_SELECT} ORDER BY system, agency, series, period, number"
            ).fetchall()
            starts = self.conn.execute(
                "SELECT system, agency, series, period, start, at, actor, note FROM series"
                " ORDER BY system, agency, series, period"
            ).fetchall()
            audit = self.conn.execute(
                "SELECT a.at, a.actor, a.action, a.old_status, a.new_status, a.detail,"
                " e.system, e.agency, e.series, e.period, e.number"
                " FROM audit a JOIN entries e ON e.id = a.entry_id ORDER BY a.id"
            ).fetchall()
        rows = [
            ("entry", *(_entry(r).scope.as_dict().values()), *tuple(r)[5:])
            for r in entries
            if wanted is None or tuple(r[1:5]) in wanted
        ]
        rows += [("start", *r) for r in starts if wanted is None or tuple(r[:4]) in wanted]
        trail = [("audit", *r) for r in audit if wanted is None or tuple(r[6:10]) in wanted]
        digest = hashlib.sha256(
            json.dumps([list(x) for x in rows + trail], ensure_ascii=False).encode()
        ).hexdigest()
        entry_count = sum(1 for r in rows if r[0] == "entry")
        return Fingerprint(entry_count, len(rows) - entry_count, len(trail), digest)

    def copy_from(self, source: Register) -> CopyReport:
        """Copy every entry, declared start and audit row of ``source`` into this register,
        exactly (statuses, times, actors, reasons and the audit trail as they are), in one
        transaction. Refused when any of the source's series already has an entry or a
        declared start here. The two fingerprints are compared before the commit."""
        scopes = source.series_all()
        with self._errors():
            src_entries = source.conn.execute(f"{_SELECT} ORDER BY id").fetchall()
            src_starts = source.conn.execute(
                "SELECT system, agency, series, period, start, at, actor, note FROM series"
            ).fetchall()
            src_audit = source.conn.execute(
                "SELECT entry_id, at, actor, action, old_status, new_status, detail FROM audit"
                " ORDER BY id"
            ).fetchall()
        expected = source.fingerprint()
        with self._write() as conn:
            for scope in scopes:
                conn.lock_series(_scope_args(scope))
                used = conn.execute(
                    f"SELECT (SELECT COUNT(*) FROM entries WHERE {_SCOPE_WHERE}),"
                    f" (SELECT COUNT(*) FROM series WHERE {_SCOPE_WHERE})",
                    (*_scope_args(scope), *_scope_args(scope)),
                ).fetchone()
                if used[0] or used[1]:
                    raise RegisterError(
                        f"dãy số {scope.label()} ở {self.where} đã có số hoặc đã khai báo; "
                        "không chép đè — chỉ chép vào dãy số chưa dùng"
                    )
            for row in src_starts:
                conn.execute(
                    "INSERT INTO series (system, agency, series, period, start, at, actor, note)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    tuple(row),
                )
            ids: dict[int, int] = {}
            columns = ["system", "agency", "series", "period", *_ENTRY_COLUMNS]
            insert = (
                f"INSERT INTO entries ({', '.join(columns)})"
                f" VALUES ({', '.join('?' * len(columns))}) RETURNING id"
            )
            for row in sorted(src_entries, key=lambda r: (tuple(r[1:5]), r[5])):
                values = tuple(row)
                ids[values[0]] = int(conn.execute(insert, values[1:]).fetchone()[0])
            for row in src_audit:
                values = tuple(row)
                conn.execute(
                    "INSERT INTO audit (entry_id, at, actor, action, old_status, new_status,"
                    " detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (ids[values[0]], *values[1:]),
                )
            got = self.fingerprint(scopes)
            if got != expected:  # rolled back: nothing half-copied stays
                raise RegisterError(
                    f"bản chép vào {self.where} không khớp với sổ gốc ({got} ≠ {expected}); "
                    "đã hủy, không ghi gì"
                )
        return CopyReport(scopes, expected, got)

    def series_all(self) -> builtins.list[Scope]:
        """Every series with an entry or a declared start."""
        with self._errors():
            rows = self.conn.execute(
                "SELECT system, agency, series, period FROM entries"
                " UNION SELECT system, agency, series, period FROM series"
            ).fetchall()
        return sorted({Scope(*row) for row in rows}, key=lambda x: tuple(x.as_dict().values()))

    def list(
        self,
        *,
        system: str | None = None,
        agency: str | None = None,
        series: str | None = None,
        period: str | None = None,
        status: str | None = None,
        number: int | None = None,
    ) -> builtins.list[Entry]:
        """Entries matching every filter given, by scope then number."""
        where, args = [], []
        for column, value in (
            ("system", system),
            ("agency", agency),
            ("series", series),
            ("period", period),
            ("status", status),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(unicodedata.normalize("NFC", str(value)).strip())
        if number is not None:
            where.append("number = ?")
            args.append(parse_number(number))
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        with self._errors():
            rows = self.conn.execute(
                f"{_SELECT}{clause} ORDER BY system, agency, period, series, number", args
            ).fetchall()
        return [_entry(row) for row in rows]

    # -- exports (the entries need not come from this register)

    def export_csv(self, entries: Iterable[Entry]) -> bytes:
        return export_csv(entries)

    def export_xlsx(self, entries: Iterable[Entry]) -> bytes:
        return export_xlsx(entries)

    def register_docx(
        self, entries: Iterable[Entry], *, title: str = REGISTER_TITLE, subtitle: str = ""
    ) -> bytes:
        return register_docx(entries, title=title, subtitle=subtitle)


def void_message(entry: Entry) -> str:
    """What a run that would print a voided number says: why, and how to go on."""
    return (
        f"số {entry.so_ky_hieu} ({entry.scope.label()}) của văn bản này đã hủy ({entry.reason}); "
        "số đã hủy không bao giờ in lại. Nếu văn bản vẫn cần ban hành, nó là văn bản mới với "
        "số mới: đặt 'ma:' mới trong tệp (ví dụ ma: cv-ban-hanh-lai) rồi chạy lại"
    )


def _diff(entry: Entry, values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if getattr(entry, k) != v}


def _pairs(entry: Entry, changes: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {k: [getattr(entry, k), v] for k, v in changes.items()}


# --------------------------------------------------------------------------- exports

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    """A cell value that a spreadsheet will not run as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _table(entries: Iterable[Entry]) -> Iterator[list[object]]:
    for e in entries:
        extra = [STATUS_LABELS[e.status], e.scope.label(), e.file, e.sha256]
        yield [_safe(v) for v in [*e.row(), *extra]]


def export_csv(entries: Iterable[Entry]) -> bytes:
    """The register as CSV for Excel: UTF-8 with BOM, CRLF, formula-safe cells."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([*COLUMNS, *EXTRA_COLUMNS])
    for row in _table(entries):
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode("utf-8-sig")


def export_xlsx(entries: Iterable[Entry]) -> bytes:
    """The register as an Excel workbook: bold header, frozen, filters, formula-safe text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sổ văn bản đi"
    header = [*COLUMNS, *EXTRA_COLUMNS]
    ws.append(header)
    for row in _table(entries):
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    widths = [16, 12, 50, 20, 30, 20, 8, 12, 10, 28, 14, 30, 30, 20]
    letters = "ABCDEFGHIJKLMN"
    for letter, width in zip(letters, widths, strict=True):
        ws.column_dimensions[letter].width = width
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{letters[len(header) - 1]}{ws.max_row}"
    fixed = datetime(2000, 1, 1)
    wb.properties.creator = "tetngheo"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# Printed register: A4 landscape, margins as a landscape page of the rule book (§10.3).
_WIDTHS_MM = (36.0, 24.0, 50.0, 24.0, 30.0, 24.0, 14.0, 16.0, 14.0, 20.0)
_CELL_MARGIN_MM = 1.0
_CENTERED = {0, 1, 6, 7}
_FONT = "Times New Roman"


def _groups(entries: Sequence[Entry]) -> builtins.list[tuple[Scope | None, builtins.list[Entry]]]:
    """Entries grouped by scope, in order of first appearance (one printed table each)."""
    groups: dict[Scope, builtins.list[Entry]] = {}
    for e in entries:
        groups.setdefault(e.scope, []).append(e)
    return builtins.list(groups.items()) or [(None, [])]


def register_docx(
    entries: Iterable[Entry], *, title: str = REGISTER_TITLE, subtitle: str = ""
) -> bytes:
    """The printed register: landscape A4, Times New Roman, the ten ND30 columns in a
    bordered table whose two header rows repeat on every page. Each number series gets its
    own table, starting on a new page, headed by ``title`` (in capitals), ``subtitle`` (the
    agency's name, say; its abbreviation when empty) and the series (``Năm 2024``,
    ``Loại CV — Nhiệm kỳ 2020-2025``). Same entries, same bytes."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from tetngheo_docs import package

    rows = builtins.list(entries)
    title = unicodedata.normalize("NFC", title).strip()
    subtitle = unicodedata.normalize("NFC", subtitle).strip()
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = _FONT
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    assert rfonts is not None
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(slot), _FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    rpr.append(lang)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    # Page and margins from the State profile (the register form is ND30 Phụ lục IV),
    # turned landscape with the same margins on the displayed edges [format-rules §10.3].
    from tetngheo_docs import profiles

    page = profiles.load("nd30").page
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(page.height_mm), Mm(page.width_mm)
    section.top_margin = Mm(page.margin_top_mm)
    section.bottom_margin = Mm(page.margin_bottom_mm)
    section.left_margin = Mm(page.margin_left_mm)
    section.right_margin = Mm(page.margin_right_mm)
    section.header_distance = Mm(page.header_mm)
    section.footer_distance = Mm(page.footer_mm)
    page = section.header.paragraphs[0]
    page.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        run = page.add_run()
        if kind is None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)

    twips = [str(round(width * 1440 / 25.4)) for width in _WIDTHS_MM]
    numbered = [f"({i})" for i in range(1, len(COLUMNS) + 1)]

    def heading(text: str, *, bold: bool, after: float, page_break: bool = False) -> None:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(after)
        if page_break:
            p.add_run().add_break(WD_BREAK.PAGE)
        run = p.add_run(text)
        run.bold = bold
        run.font.size = Pt(13)

    def add_table(body: Sequence[Sequence[str]]) -> None:
        table = doc.add_table(rows=2 + len(body), cols=len(COLUMNS))
        table.style = doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        # table.autofit = False gave w:tblLayout fixed; keep the schema order of w:tblPr
        # (… tblW, jc, …, tblLayout, tblCellMar, tblLook).
        tbl_pr = table._tbl.tblPr
        tbl_w = tbl_pr.find(qn("w:tblW"))
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(sum(int(w) for w in twips)))
        margins = OxmlElement("w:tblCellMar")
        for edge in ("left", "right"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:w"), str(round(_CELL_MARGIN_MM * 1440 / 25.4)))
            el.set(qn("w:type"), "dxa")
            margins.append(el)
        look = tbl_pr.find(qn("w:tblLook"))
        if look is not None:
            look.addprevious(margins)
        else:
            tbl_pr.append(margins)
        for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=True):
            col.set(qn("w:w"), width)
        all_rows = [(COLUMNS, True), (numbered, True), *((values, False) for values in body)]
        for row, (values, header) in zip(table.rows, all_rows, strict=True):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if header:
                tr_pr.append(OxmlElement("w:tblHeader"))
            for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                cell.width = Mm(_WIDTHS_MM[i])
                p = cell.paragraphs[0]
                centered = header or i in _CENTERED
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER if centered else WD_ALIGN_PARAGRAPH.LEFT
                p.paragraph_format.space_before = Pt(2)
                p.paragraph_format.space_after = Pt(2)
                lines = value.split("\n")
                for n, line in enumerate(lines):
                    run = p.add_run(line)
                    run.bold = header and values is COLUMNS
                    if n < len(lines) - 1:
                        run.add_break()

    for index, (scope, group) in enumerate(_groups(rows)):
        heading(title.upper(), bold=True, after=0, page_break=index > 0)
        if scope is None:
            if subtitle:
                heading(subtitle, bold=False, after=0)
            heading("", bold=False, after=6)
            add_table([["", "", "(Chưa có văn bản nào)", *[""] * (len(COLUMNS) - 3)]])
            continue
        heading(subtitle or scope.agency, bold=False, after=0)
        heading(scope.period_label(), bold=False, after=12)
        add_table([[("" if v is None else str(v)) for v in e.row()] for e in group])

    dates = [e.date for e in rows if e.date]
    created = date.fromisoformat(max(dates)) if dates else None
    core = package.CoreProperties(title=title, subject=subtitle, author="tetngheo", created=created)
    buf = io.BytesIO()
    doc.save(buf)
    return package.normalize(buf.getvalue(), core)
