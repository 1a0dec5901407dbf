"""The outgoing register: numbering scopes, idempotency, voiding, audit, triggers, exports,
and real processes racing and being killed (hazards.md T11–T13)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tetngheo_docs.errors import RegisterError
from tetngheo_docs.register import (
    COLUMNS,
    MAX_NUMBER,
    REGISTER_TITLE,
    Entry,
    Register,
    Scope,
    export_csv,
    export_xlsx,
    register_docx,
)

ROOT = Path(__file__).resolve().parent.parent
STATE = Scope.nha_nuoc("SVHTTDL", 2024)
PARTY = Scope.dang("BTGDUK", "CV", "2020-2025")
SHA_A = "a" * 64
SHA_B = "b" * 64


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """The register on each back end: a file (SQLite), or a server (a fresh schema)."""
    if request.param == "sqlite":
        return tmp_path / "so" / "so-van-ban-di.sqlite3"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def file_db(tmp_path: Path) -> Path:
    """A register file: for what only a file has (WAL, a backup copy, SQLite's locks)."""
    return tmp_path / "so" / "so-van-ban-di.sqlite3"


@pytest.fixture
def reg(db: Path | str) -> Iterator[Register]:
    with Register(db, actor="văn thư") as register:
        yield register


class _RawPg:
    """A plain psycopg connection with SQLite's ``?`` parameters, for tampering tests."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)

    def execute(self, sql: str, args: tuple[object, ...] = ()) -> Any:
        return self.conn.execute(sql.replace("?", "%s"), args)

    def close(self) -> None:
        self.conn.close()


def _raw(db: Path | str) -> contextlib.closing[Any]:
    """The database behind the register, without the register's code in between."""
    if isinstance(db, str):
        return contextlib.closing(_RawPg(db))
    return contextlib.closing(sqlite3.connect(db, isolation_level=None))


def _integrity_errors() -> tuple[type[BaseException], ...]:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dev dependency
        return (sqlite3.IntegrityError,)
    return (sqlite3.IntegrityError, psycopg.errors.IntegrityError)


def _audit_count(db: Path | str) -> int:
    with _raw(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0])


def _numbers(db: Path | str, scope: Scope) -> list[int]:
    with _raw(db) as conn:
        rows = conn.execute(
            "SELECT number FROM entries WHERE system=? AND agency=? AND series=? AND period=?"
            " ORDER BY number",
            (scope.system, scope.agency, scope.series, scope.period),
        ).fetchall()
    return [r[0] for r in rows]


# --------------------------------------------------------------------------- allocation


def test_file_and_folder_created_wal_and_full_sync(file_db: Path) -> None:
    with Register(file_db) as reg:
        assert file_db.is_file()
        assert reg.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert reg.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert reg.conn.conn.isolation_level is None  # type: ignore[attr-defined]
        assert reg.next_number(STATE) == 1


def test_numbers_start_at_one_and_count_up(reg: Register) -> None:
    got = [reg.reserve(STATE, f"k{i}").number for i in range(12)]
    assert got == list(range(1, 13))
    assert reg.next_number(STATE) == 13
    assert reg.get(STATE, 5).so == "05"
    assert reg.get(STATE, 12).so == "12"


def test_reserve_is_idempotent(reg: Register, db: Path | str) -> None:
    first = reg.reserve(STATE, "cv-123", subject="Tuần cao điểm")
    again = reg.reserve(STATE, "cv-123", subject="something else")
    assert again == first
    assert again.subject == "Tuần cao điểm"  # a rerun changes nothing
    assert reg.next_number(STATE) == 2
    assert _audit_count(db) == 1
    assert reg.by_key(STATE, "cv-123") == first
    assert reg.by_key(STATE, "nope") is None


def test_reserve_many_contiguous_keeping_existing_keys(reg: Register) -> None:
    assert reg.reserve(STATE, "b").number == 1
    entries = reg.reserve_many(STATE, ["a", "b", "c", "d", "a"])
    assert [(e.key, e.number) for e in entries] == [
        ("a", 2),
        ("b", 1),
        ("c", 3),
        ("d", 4),
        ("a", 2),
    ]
    # A rerun (after a crash, say) returns the same numbers and takes none.
    assert [e.number for e in reg.reserve_many(STATE, ["d", "c", "b", "a"])] == [4, 3, 1, 2]
    assert reg.next_number(STATE) == 5


def test_reserve_many_refuses_all_or_nothing(reg: Register, db: Path | str) -> None:
    with pytest.raises(RegisterError, match="khóa văn bản trống"):
        reg.reserve_many(STATE, ["a", "b", "  "])
    assert reg.next_number(STATE) == 1
    assert _audit_count(db) == 0


def test_reserve_keys_is_reserve_many_without_the_columns(reg: Register) -> None:
    keys = [f"cv#{i}" for i in range(1200)]  # more keys than one IN (...) query takes
    light = reg.reserve_keys(STATE, keys, subject="Nhắc báo cáo")
    full = reg.reserve_many(STATE, [*reversed(keys), "cv#new"])
    assert [(r.id, r.number, r.key, r.status) for r in light] == [
        (e.id, e.number, e.key, e.status) for e in reversed(full[:-1])
    ]
    assert [r.number for r in light] == list(range(1, 1201))
    assert full[-1].number == 1201 and full[0].subject == "Nhắc báo cáo"
    # A few keys of a long series are looked up by key, not by reading the series.
    few = reg.reserve_keys(STATE, ["cv#7", "cv#1100", "cv#again"])
    assert [(r.key, r.number) for r in few] == [("cv#7", 8), ("cv#1100", 1101), ("cv#again", 1202)]


def test_each_gives_every_letter_its_own_recipient(reg: Register, db: Path | str) -> None:
    each = {"a": {"recipients": "Chi bộ A"}, "b": {"recipients": "Chi bộ B"}}
    entries = reg.reserve_many(STATE, ["a", "b", "c"], each=each, recipients="Các chi bộ")
    assert [e.recipients for e in entries] == ["Chi bộ A", "Chi bộ B", "Các chi bộ"]
    with pytest.raises(RegisterError, match="ngày"):  # a bad field of a later key: nothing
        reg.reserve_many(STATE, ["d", "e"], each={"e": {"date": "hôm qua"}})
    assert reg.next_number(STATE) == 4
    assert _audit_count(db) == 3


def test_scopes_are_separate(reg: Register) -> None:
    scopes = [
        Scope.nha_nuoc("SVHTTDL", 2024),
        Scope.nha_nuoc("SVHTTDL", 2025),  # a new year starts again at 01
        Scope.nha_nuoc("SVHTTDL", 2024, "mat"),  # confidential documents: own series
        Scope.nha_nuoc("SVHTTDL", 2024, "HĐTĐ"),  # an advisory body with the agency's seal
        Scope.nha_nuoc("UBND", 2024),
        Scope.dang("BTGDUK", "CV", "2020-2025"),
        Scope.dang("BTGDUK", "KH", "2020-2025"),  # Party: per document type
        Scope.dang("BTGDUK", "CV", "2025-2030"),  # … and per committee term
        Scope("dang", "SVHTTDL", "chung", "2020-2025"),
    ]
    for scope in scopes:
        assert [reg.reserve(scope, f"k{i}").number for i in range(3)] == [1, 2, 3]
    for scope in scopes:
        assert reg.next_number(scope) == 4
    assert len(reg.scopes()) == len(scopes)
    assert len(reg.list()) == 3 * len(scopes)
    assert {e.number for e in reg.list(series="mat")} == {1, 2, 3}
    assert len(reg.list(system="dang", period="2020-2025")) == 9


def test_same_key_in_two_scopes_gets_two_numbers(reg: Register) -> None:
    reg.reserve(STATE, "x")
    a = reg.reserve(STATE, "same")
    b = reg.reserve(Scope.nha_nuoc("SVHTTDL", 2025), "same")
    assert (a.number, b.number) == (2, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nha_nuoc", "SVHTTDL", "chung", "24"), "năm không hợp lệ"),
        (("nha_nuoc", "SVHTTDL", "chung", "2020-2025"), "năm không hợp lệ"),
        (("dang", "BTGDUK", "CV", "2024"), "nhiệm kỳ không hợp lệ"),
        (("dang", "BTGDUK", "CV", "2025-2020"), "nhiệm kỳ không hợp lệ"),
        (("tinh", "BTGDUK", "CV", "2020-2025"), "hệ thống không hợp lệ"),
        (("dang", "BTG DUK", "CV", "2020-2025"), "ký hiệu cơ quan không hợp lệ"),
        (("dang", "", "CV", "2020-2025"), "ký hiệu cơ quan không hợp lệ"),
        (("dang", "BTGDUK", "CV/X", "2020-2025"), "dãy số / loại không hợp lệ"),
        (("nha_nuoc", "SVHTTDL", "chung", 2024), "phải là chuỗi"),
    ],
)
def test_bad_scopes_refused(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(RegisterError, match=message):
        Scope(*args)  # type: ignore[arg-type]


def test_scope_text_is_nfc() -> None:
    nfd = "To\u0302\u0309"  # "Tổ" decomposed, as some keyboards type it
    assert Scope.nha_nuoc("UBND", 2024, nfd) == Scope.nha_nuoc("UBND", 2024, "Tổ")
    assert Scope.nha_nuoc(" UBND ", "2024").agency == "UBND"
    assert Scope.dang("BTGDUK", "CV", "2020 – 2025") == PARTY  # en dash, as Word types it


def test_year_boundary_refused(reg: Register, db: Path | str) -> None:
    """ND30: the number belongs to the year of signing; no silent backdating."""
    with pytest.raises(RegisterError, match="không thuộc năm 2024"):
        reg.reserve(STATE, "late", date="02/01/2025")
    with pytest.raises(RegisterError, match="ngoài nhiệm kỳ"):
        reg.reserve(PARTY, "old", date="2019-12-31")
    assert reg.next_number(STATE) == 1 and reg.next_number(PARTY) == 1
    assert _audit_count(db) == 0
    assert reg.reserve(STATE, "ok", date="31/12/2024").date == "2024-12-31"


@pytest.mark.parametrize("bad", ["32/01/2024", "2024-13-01", "hôm qua", "15-01-2024"])
def test_bad_dates_refused(reg: Register, bad: str) -> None:
    with pytest.raises(RegisterError, match="ngày văn bản"):
        reg.reserve(STATE, "k", date=bad)
    assert reg.next_number(STATE) == 1


def test_unknown_field_is_a_programming_error(reg: Register) -> None:
    with pytest.raises(TypeError, match="trich_yeu"):
        reg.reserve(STATE, "k", trich_yeu="x")
    assert reg.next_number(STATE) == 1


# --------------------------------------------------------------------------- issue / void


def test_issue_and_reissue_same_content(reg: Register, db: Path | str) -> None:
    entry = reg.reserve(STATE, "k", symbol="KH-SVHTTDL", date="2024-01-15")
    issued = reg.issue(entry.id, file="out/kh.docx", sha256=SHA_A.upper(), copies=10)
    assert (issued.status, issued.file, issued.sha256, issued.copies) == (
        "issued",
        "out/kh.docx",
        SHA_A,
        10,
    )
    before = _audit_count(db)
    assert reg.issue(entry.id, file="out/kh.docx", sha256=SHA_A) == issued  # no-op
    assert _audit_count(db) == before
    with pytest.raises(RegisterError, match="nội dung khác"):
        reg.issue(entry.id, file="out/kh.docx", sha256=SHA_B)
    assert reg.get(STATE, 1).sha256 == SHA_A


def test_void_keeps_the_number_used(reg: Register) -> None:
    reg.reserve_many(STATE, ["a", "b", "c"])
    voided = reg.void(STATE, 2, "Ban hành nhầm, đã thu hồi")
    assert (voided.status, voided.reason, voided.key) == ("void", "Ban hành nhầm, đã thu hồi", "b")
    assert reg.reserve(STATE, "d").number == 4
    assert reg.reserve(STATE, "b").number == 2  # the key keeps its (void) entry
    assert reg.reserve(STATE, "b").status == "void"
    assert reg.void(STATE, "02", "again") == voided  # voiding twice changes nothing
    assert voided.note == "Đã hủy: Ban hành nhầm, đã thu hồi"


def test_void_an_issued_number(reg: Register) -> None:
    entry = reg.reserve(PARTY, "k")
    reg.issue(entry.id, sha256=SHA_A)
    assert reg.void(PARTY, 1, "Thu hồi").status == "void"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_void_without_reason_refused(reg: Register, db: Path | str, reason: str | None) -> None:
    reg.reserve(STATE, "a")
    before = _audit_count(db)
    with pytest.raises(RegisterError, match="cần ghi lý do"):
        reg.void(STATE, 1, reason)  # type: ignore[arg-type]
    assert reg.get(STATE, 1).status == "reserved"
    assert _audit_count(db) == before


def test_void_unknown_number_refused(reg: Register) -> None:
    with pytest.raises(RegisterError, match="chưa có số nào"):
        reg.void(STATE, 1, "x")
    reg.reserve(STATE, "a")
    with pytest.raises(RegisterError, match=r"số 02 chưa được cấp .*số lớn nhất: 1"):
        reg.void(STATE, 2, "x")
    assert reg.next_number(STATE) == 2


def test_void_entry_cannot_be_issued(reg: Register, db: Path | str) -> None:
    entry = reg.reserve(STATE, "a")
    reg.void(STATE, 1, "Nhầm")
    before = _audit_count(db)
    with pytest.raises(RegisterError, match="đã hủy"):
        reg.issue(entry.id, sha256=SHA_A)
    assert reg.get(STATE, 1).status == "void"
    assert reg.next_number(STATE) == 2
    assert _audit_count(db) == before


@pytest.mark.parametrize(
    "bad", [0, -7, 2**63, 2**31, MAX_NUMBER + 1, "1a", "", " ", "٣", True, 1.0]
)
def test_bad_numbers_refused_and_consume_nothing(
    reg: Register, db: Path | str, bad: object
) -> None:
    reg.reserve(STATE, "a")
    before = (_audit_count(db), reg.next_number(STATE))
    with pytest.raises(RegisterError, match="số văn bản"):
        reg.void(STATE, bad, "x")  # type: ignore[arg-type]
    with pytest.raises(RegisterError, match="số văn bản"):
        reg.get(STATE, bad)  # type: ignore[arg-type]
    assert (_audit_count(db), reg.next_number(STATE)) == before


def test_update_is_audited(reg: Register) -> None:
    entry = reg.reserve(STATE, "a", subject="cũ")
    assert reg.update(entry.id, subject="cũ") == entry  # no change, no row
    updated = reg.update(entry.id, subject="mới", copies="5")
    assert (updated.subject, updated.copies) == ("mới", 5)
    last = reg.history(entry.id)[-1]
    assert last.action == "update"
    assert last.detail == {"changes": {"copies": [None, 5], "subject": ["cũ", "mới"]}}


def test_every_action_has_one_audit_row(db: Path | str) -> None:
    with Register(db, actor="Nguyễn Thị Văn Thư") as reg:
        a = reg.reserve(STATE, "a", subject="Kế hoạch")
        reg.issue(a.id, file="a.docx", sha256=SHA_A)
        reg.update(a.id, copies=3)
        reg.void(STATE, 1, "Thu hồi")
        rows = reg.history(a.id)
    assert [r.action for r in rows] == ["reserve", "issue", "update", "void"]
    assert [(r.old_status, r.new_status) for r in rows] == [
        (None, "reserved"),
        ("reserved", "issued"),
        ("issued", "issued"),
        ("issued", "void"),
    ]
    assert {r.actor for r in rows} == {"Nguyễn Thị Văn Thư"}
    # Vietnam time with its offset (ISO 8601), as a văn thư reads it.
    assert all(r.at.endswith("+07:00") and r.at[:4].isdigit() for r in rows)
    assert rows[0].detail["scope"] == STATE.as_dict()
    assert rows[0].detail["number"] == 1
    assert rows[1].detail["sha256"] == SHA_A
    assert rows[3].detail == {"reason": "Thu hồi"}
    assert _audit_count(db) == 4


def test_default_actor_is_the_labelled_login(
    db: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "vanthu01")
    with Register(db) as reg:
        assert reg.reserve(STATE, "a").actor == "tài khoản máy: vanthu01"
        assert reg.history(1)[0].actor == "tài khoản máy: vanthu01"


# --------------------------------------------------------------------------- the database


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM entries",
        "DELETE FROM entries WHERE number = 2",
        "UPDATE entries SET number = 99 WHERE number = 1",
        "UPDATE entries SET number = number + 1",
        "UPDATE entries SET key = 'x' WHERE number = 1",
        "UPDATE entries SET period = '2025' WHERE number = 1",
        "UPDATE entries SET agency = 'UBND'",
        "UPDATE entries SET status = 'reserved' WHERE number = 2",
        "UPDATE entries SET status = 'void', reason = '' WHERE number = 1",
        "UPDATE audit SET actor = 'someone'",
        "DELETE FROM audit",
        "INSERT INTO entries (system, agency, series, period, number, key, status, created_at,"
        " updated_at, actor) VALUES ('nha_nuoc', 'SVHTTDL', 'chung', '2024', 5, 'gap',"
        " 'reserved', '', '', '')",
        "INSERT INTO entries (system, agency, series, period, number, key, status, created_at,"
        " updated_at, actor) VALUES ('nha_nuoc', 'SVHTTDL', 'chung', '2024', 2, 'dup',"
        " 'reserved', '', '', '')",
    ],
)
def test_database_refuses_tampering(reg: Register, db: Path | str, sql: str) -> None:
    reg.reserve_many(STATE, ["a", "b", "c"])
    reg.void(STATE, 2, "Nhầm")
    with _raw(db) as conn, pytest.raises(_integrity_errors()):
        conn.execute(sql)
    assert _numbers(db, STATE) == [1, 2, 3]
    assert reg.get(STATE, 2).status == "void"


def test_reopen_keeps_everything(db: Path | str) -> None:
    with Register(db) as reg:
        reg.reserve_many(STATE, ["a", "b"])
    with Register(db) as reg:
        assert reg.reserve(STATE, "b").number == 2
        assert reg.reserve(STATE, "c").number == 3


def test_not_a_register_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.sqlite3"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(RegisterError, match="không phải tệp sổ văn bản"):
        Register(bad)
    with pytest.raises(RegisterError, match="thư mục"):
        Register(tmp_path)


def test_newer_schema_refused(file_db: Path) -> None:
    Register(file_db).close()
    with _raw(file_db) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(RegisterError, match="phiên bản tetngheo mới hơn"):
        Register(file_db)


def test_busy_register_is_a_message(file_db: Path) -> None:
    Register(file_db).close()
    with _raw(file_db) as conn:
        conn.execute("BEGIN IMMEDIATE")
        with Register(file_db, timeout=0.2) as reg, pytest.raises(RegisterError, match="đang bận"):
            reg.reserve(STATE, "a")
        conn.execute("ROLLBACK")


def test_backup(reg: Register, tmp_path: Path) -> None:
    reg.reserve_many(STATE, ["a", "b"])
    if reg.path is None:  # a server keeps its own backups
        with pytest.raises(RegisterError, match="sao lưu bằng pg_dump"):
            reg.backup(tmp_path / "copy.sqlite3")
        return
    reg.backup(tmp_path / "copy.sqlite3")
    with Register(tmp_path / "copy.sqlite3") as copy:
        assert [e.key for e in copy.list()] == ["a", "b"]


# --------------------------------------------------------------------------- display, exports


def _sample(reg: Register) -> list[Entry]:
    a = reg.reserve(
        STATE,
        "kh-55",
        symbol="KH-SVHTTDL",
        date="15/01/2024",
        type_name="Kế hoạch",
        subject="Phát động phong trào “Vì người nghèo”",
        signer="Nguyễn Văn An",
        recipients="UBND các huyện;\nPhòng VHTT",
        unit="VP; Lưu: VT",
        copies=12,
    )
    reg.issue(a.id, file="kh-55.docx", sha256=SHA_A)
    reg.reserve(STATE, "evil", subject='=HYPERLINK("http://x")', signer="+1", unit="-7")
    reg.reserve(STATE, "evil2", recipients="@SUM(A1)", type_name="-2+3")
    reg.void(STATE, 3, "Ban hành nhầm")
    reg.reserve(PARTY, "cv-196", date="2024-01-10", subject="V/v Tuần cao điểm")
    return reg.list()


def test_display_forms(reg: Register) -> None:
    entries = {(e.scope.system, e.number): e for e in _sample(reg)}
    assert entries["nha_nuoc", 1].so_ky_hieu == "01/KH-SVHTTDL"
    assert entries["nha_nuoc", 2].so_ky_hieu == "02"
    assert entries["dang", 1].so_ky_hieu == "01-CV/BTGDUK"
    row = entries["nha_nuoc", 1].row()
    assert row[:3] == [
        "01/KH-SVHTTDL",
        "15/01/2024",
        "Kế hoạch Phát động phong trào “Vì người nghèo”",
    ]
    assert row[6] == 12
    assert entries["nha_nuoc", 3].row()[9] == "Đã hủy: Ban hành nhầm"
    assert entries["nha_nuoc", 2].row()[9] == "Đã giữ số, chưa ban hành"


def test_csv_export(reg: Register) -> None:
    data = export_csv(_sample(reg))
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0][:10]) == COLUMNS
    assert rows[0][10:] == ["Trạng thái", "Dãy số", "Tệp", "SHA-256"]
    by_number = {r[0]: r for r in rows[1:]}
    assert set(by_number) == {"01/KH-SVHTTDL", "02", "03", "01-CV/BTGDUK"}
    assert by_number["02"][2] == '\'=HYPERLINK("http://x")'
    assert by_number["02"][3] == "'+1"
    assert by_number["02"][5] == "'-7"
    assert by_number["03"][2] == "'-2+3"
    assert by_number["03"][4] == "'@SUM(A1)"
    assert by_number["03"][9] == "Đã hủy: Ban hành nhầm"
    assert by_number["03"][10] == "đã hủy"
    assert by_number["01/KH-SVHTTDL"][4] == "UBND các huyện;\nPhòng VHTT"
    assert by_number["01/KH-SVHTTDL"][6] == "12"
    assert by_number["01/KH-SVHTTDL"][13] == SHA_A
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_exports_escape_tab_and_cr_starts() -> None:
    """Entries built elsewhere (not stripped by the register) are escaped too."""
    entry = Entry(1, STATE, 1, "k", "reserved", "", "", "", subject="\t=1", signer="\r=2")
    rows = list(csv.reader(io.StringIO(export_csv([entry]).decode("utf-8-sig"), newline="")))
    assert rows[1][2] == "'\t=1"
    assert rows[1][3] == "'\r=2"


def test_xlsx_export(reg: Register) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(export_xlsx(_sample(reg))))
    ws = wb.active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert tuple(rows[0][:10]) == COLUMNS
    values = [v for row in rows[1:] for v in row if isinstance(v, str)]
    assert '\'=HYPERLINK("http://x")' in values
    assert "'@SUM(A1)" in values
    assert not any(v.startswith(("=", "+", "-", "@")) for v in values)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
    assert any(r[0] == "01/KH-SVHTTDL" and r[6] == 12 for r in rows[1:])
    with zipfile.ZipFile(io.BytesIO(export_xlsx(reg.list()))) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet


def _docx_text(data: bytes) -> tuple[list[list[str]], list[str]]:
    from docx import Document

    doc = Document(io.BytesIO(data))
    tables = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    return tables, [p.text for p in doc.paragraphs]


def test_register_docx(reg: Register) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    entries = _sample(reg)
    data = register_docx(entries, title="Sổ đăng ký văn bản đi", subtitle="Sở VHTTDL Kon Tum")
    assert data == register_docx(
        entries, title="Sổ đăng ký văn bản đi", subtitle="Sở VHTTDL Kon Tum"
    )
    assert data == reg.register_docx(
        entries, title="Sổ đăng ký văn bản đi", subtitle="Sở VHTTDL Kon Tum"
    )
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert len(doc.tables) == 2  # one table per number series
    for table in doc.tables:
        assert tuple(c.text for c in table.rows[0].cells) == COLUMNS
        assert [c.text for c in table.rows[1].cells] == [f"({i})" for i in range(1, 11)]
        for row in table.rows[:2]:
            assert row._tr.trPr.find(qn("w:tblHeader")) is not None
        assert table.rows[2]._tr.trPr.find(qn("w:tblHeader")) is None
        assert table.style.name == "Table Grid"
        tags = [child.tag.split("}")[1] for child in table._tbl.tblPr]
        assert tags == ["tblStyle", "tblW", "jc", "tblLayout", "tblCellMar", "tblLook"]
    texts = [p.text for p in doc.paragraphs]
    assert texts.count(REGISTER_TITLE) == 2
    assert "Năm 2024" in texts and "Loại CV — Nhiệm kỳ 2020-2025" in texts
    title = next(p for p in doc.paragraphs if p.text == REGISTER_TITLE)
    assert title.runs[-1].bold and title.runs[-1].font.size.pt == 13
    assert doc.styles["Normal"].font.name == "Times New Roman"
    party, state = ([c.text for c in t.rows[2].cells] for t in doc.tables)
    assert party[:3] == ["01-CV/BTGDUK", "10/01/2024", "V/v Tuần cao điểm"]
    assert state[:2] == ["01/KH-SVHTTDL", "15/01/2024"]
    assert state[4] == "UBND các huyện;\nPhòng VHTT"
    assert [c.text for c in doc.tables[1].rows[4].cells][9] == "Đã hủy: Ban hành nhầm"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        core = zf.read("docProps/core.xml").decode()
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert "2024-01-15T00:00:00Z" in core


def test_register_docx_empty() -> None:
    tables, texts = _docx_text(register_docx([], title=REGISTER_TITLE))
    assert tables == [list(COLUMNS)]
    assert texts[0] == REGISTER_TITLE


# --------------------------------------------------------------------------- real processes

_WORKER = """
import json, sys, time
from pathlib import Path
from tetngheo_docs.register import Register, Scope
db, prefix, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
scope = Scope.nha_nuoc("SVHTTDL", 2024)
with Register(db, actor=prefix, timeout=30) as reg:
    while not go.exists():
        time.sleep(0.002)
    numbers, waits = [], []
    for i in range(count):
        t = time.perf_counter()
        numbers.append(reg.reserve(scope, f"{prefix}-{i}").number)
        waits.append(time.perf_counter() - t)
print(json.dumps({"numbers": numbers, "waits": waits}))
"""

_READER = """
import sys, time
from pathlib import Path
from tetngheo_docs.register import Register
db, go, stop = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
reads = 0
with Register(db, timeout=30) as reg:
    while not go.exists():
        time.sleep(0.002)
    while not stop.exists():
        numbers = [e.number for e in reg.list()]
        assert numbers == list(range(1, len(numbers) + 1)), numbers
        reads += 1
print(reads)
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    return env


def test_processes_get_contiguous_distinct_numbers(db: Path | str, tmp_path: Path) -> None:
    """T11: 4 writers × 250 (a file) or 8 × 250 (a server, separate connections) + 2 readers,
    real processes, one scope → 1..N, no errors."""
    writers_n = 8 if isinstance(db, str) else 4
    total = writers_n * 250
    go, stop = tmp_path / "go", tmp_path / "stop"
    start = time.perf_counter()
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(db), f"p{i}", "250", str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for i in range(writers_n)
    ]
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", _READER, str(db), str(go), str(stop)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for _ in range(2)
    ]
    time.sleep(0.3)  # let every process open the (new) register first
    go.touch()
    try:
        results = [p.communicate(timeout=60) for p in writers]
    finally:
        stop.touch()
        reads = [p.communicate(timeout=60) for p in readers]
    elapsed = time.perf_counter() - start
    for p, (_out, err) in zip(writers + readers, results + reads, strict=True):
        assert p.returncode == 0, err
        assert err == ""
    data = [json.loads(out) for out, _ in results]
    numbers = [n for d in data for n in d["numbers"]]
    assert sorted(numbers) == list(range(1, total + 1))
    for d in data:
        assert d["numbers"] == sorted(d["numbers"])
    waits = sorted(w for d in data for w in d["waits"])
    p95 = waits[int(len(waits) * 0.95)]
    print(
        f"\nT11: {total} numbers in {elapsed:.2f} s, p95 {p95 * 1000:.1f} ms, "
        f"max {waits[-1] * 1000:.1f} ms, reads {[int(o) for o, _ in reads]}"
    )
    with Register(db) as reg:
        assert reg.next_number(STATE) == total + 1
        assert len({e.key for e in reg.list()}) == total


_KILLED = """
import sys
from pathlib import Path
from tetngheo_docs.register import Register, Scope
db, batch = sys.argv[1], int(sys.argv[2])
scope = Scope.nha_nuoc("SVHTTDL", 2024)
with Register(db, actor="killed") as reg:
    i = reg.next_number(scope) - 1
    while True:
        keys = [f"k{j}" for j in range(i, i + batch)]
        entries = reg.reserve_many(scope, keys) if batch > 1 else [reg.reserve(scope, keys[0])]
        i += batch
        print(entries[-1].number, flush=True)
"""


def _check_after_kill(db: Path | str, committed: int, batch: int) -> int:
    with _raw(db) as conn:
        if isinstance(db, Path):
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT number, key FROM entries ORDER BY number").fetchall()
        audit = conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    numbers = [n for n, _ in rows]
    assert numbers == list(range(1, len(numbers) + 1))  # contiguous, no duplicate
    assert len(numbers) >= committed  # nothing reported as committed was lost (T13)
    assert len(numbers) % batch == 0  # a killed batch is all or nothing
    assert all(key == f"k{n - 1}" for n, key in rows)
    assert audit == len(numbers)
    return len(numbers)


@pytest.mark.parametrize("batch", [1, 50])
def test_killed_mid_run(db: Path | str, batch: int) -> None:
    """T10/T13: SIGKILL a process while it reserves; reopen: intact, contiguous, and the
    same keys get the same numbers again."""
    Register(db).close()
    rng = random.Random(batch)
    total = 0
    for _ in range(4):
        proc = subprocess.Popen(
            [sys.executable, "-c", _KILLED, str(db), str(batch)],
            stdout=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        assert proc.stdout is not None
        target = total + rng.randrange(5, 40) * batch
        committed = total
        for line in proc.stdout:
            committed = int(line)
            if committed >= target:
                break
        time.sleep(rng.random() * 0.02)  # land anywhere: inside a transaction or between
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL
        total = _check_after_kill(db, committed, batch)
    with Register(db) as reg:
        again = reg.reserve_many(STATE, [f"k{j}" for j in range(total)])
        assert [e.number for e in again] == list(range(1, total + 1))
        assert reg.reserve(STATE, "after").number == total + 1


# --------------------------------------------------------------------------- hand-written numbers


def test_hand_number_is_recorded_like_any_other(reg: Register) -> None:
    got = reg.reserve_number(STATE, "qd-05.yaml", 1, subject="Quyết định")
    entry = reg.entry(got.id)
    assert (entry.number, entry.status, entry.origin) == (1, "reserved", "manual")
    assert reg.history(entry.id)[0].detail["origin"] == "manual"
    assert reg.reserve(STATE, "cv-06.yaml").number == 2  # automatic numbers follow
    # The same document with the same number again: the same entry, nothing new.
    assert reg.reserve_number(STATE, "qd-05.yaml", "01").id == got.id


def test_hand_number_held_by_another_document_is_refused(reg: Register, db: Path | str) -> None:
    reg.reserve(STATE, "cv-01.yaml", subject="V/v tổ chức Tết")
    before = _audit_count(db)
    with pytest.raises(RegisterError) as info:
        reg.reserve_number(STATE, "cv-khac.yaml", 1)
    message = str(info.value)
    assert "đã cấp cho văn bản khác: V/v tổ chức Tết" in message
    assert "khóa 'cv-01.yaml'" in message and "số tiếp theo (02)" in message
    assert _audit_count(db) == before and reg.next_number(STATE) == 2


def test_voided_number_is_never_given_by_hand(reg: Register) -> None:
    reg.reserve(STATE, "cv-01.yaml")
    reg.void(STATE, 1, "ban hành nhầm")
    with pytest.raises(RegisterError, match=r"đã hủy \(ban hành nhầm\); số đã hủy không cấp lại"):
        reg.reserve_number(STATE, "cv-moi.yaml", 1)
    with pytest.raises(RegisterError, match="đã hủy"):  # its own document cannot take it back
        reg.reserve_number(STATE, "cv-01.yaml", 1)


def test_hand_number_may_not_leave_a_gap(reg: Register) -> None:
    reg.reserve(STATE, "cv-01.yaml")
    with pytest.raises(RegisterError, match="bỏ trống các số 02–04"):
        reg.reserve_number(STATE, "cv-05.yaml", 5)
    reg.reserve_number(STATE, "cv-02.yaml", 2)  # the next number, by hand: fine


def test_a_document_keeps_the_number_it_holds(reg: Register) -> None:
    reg.reserve(STATE, "cv-01.yaml")
    with pytest.raises(RegisterError, match="đã giữ số 01"):
        reg.reserve_number(STATE, "cv-01.yaml", 2)


def test_hand_number_in_an_empty_series_starts_it(reg: Register) -> None:
    # 15 May: 112 documents issued on paper, the first one here is numbered 113 by hand.
    reg.reserve_number(STATE, "cv-113.yaml", 113)
    assert reg.start(STATE) == 112
    assert reg.reserve(STATE, "cv-tiep.yaml").number == 114
    with pytest.raises(RegisterError, match="đã dùng trước khi có sổ này"):
        reg.reserve_number(STATE, "cv-cu.yaml", 50)


def test_declared_start(reg: Register) -> None:
    reg.declare_start(STATE, 112, "theo sổ giấy")
    assert reg.next_number(STATE) == 113
    reg.declare_start(STATE, 111)  # corrected while the series is empty
    assert reg.reserve(STATE, "cv.yaml").number == 112
    with pytest.raises(RegisterError, match="đã có số trong sổ"):
        reg.declare_start(STATE, 200)
    assert reg.reserve(PARTY, "cv.yaml").number == 1  # other series untouched


def test_import_old_register(reg: Register) -> None:
    rows = [
        {"number": 1, "symbol": "QĐ-SVHTTDL", "date": "05/01/2024", "subject": "QĐ 1"},
        {"number": "2", "subject": "CV 2", "void": "Đã hủy: nhầm"},
        {"number": 3, "subject": "CV 3", "signer": "Nguyễn Văn A"},
    ]
    assert reg.import_entries(STATE, rows) == 3
    one, two, three = reg.list()
    assert (one.origin, one.status, one.date, one.so_ky_hieu) == (
        "imported",
        "issued",
        "2024-01-05",
        "01/QĐ-SVHTTDL",
    )
    assert (two.status, two.reason) == ("void", "Đã hủy: nhầm")
    assert three.note == "Nhập từ sổ cũ"
    assert reg.reserve(STATE, "cv-moi.yaml").number == 4
    with pytest.raises(RegisterError, match="đã có số trong sổ"):
        reg.import_entries(STATE, rows)


def test_import_refuses_a_gap_and_writes_nothing(reg: Register, db: Path | str) -> None:
    before = _audit_count(db)
    with pytest.raises(RegisterError, match="sổ cũ thiếu số 02"):
        reg.import_entries(STATE, [{"number": 1}, {"number": 3}])
    assert reg.list() == [] and _audit_count(db) == before


def test_schema_1_register_is_migrated(tmp_path: Path) -> None:
    # A register made by the previous release: its entries, numbers and audit survive, and
    # it gains hand-written numbers and declared starts.
    db = tmp_path / "so-van-ban-di.sqlite3"
    db.write_bytes((ROOT / "tests" / "fixtures" / "register-schema-1.sqlite3").read_bytes())
    state = Scope.nha_nuoc("UBND", 2024)
    with Register(db) as reg:
        entries = reg.list()
        assert [(e.number, e.status, e.origin) for e in entries] == [
            (1, "issued", "auto"),
            (2, "void", "auto"),
            (3, "reserved", "auto"),
        ]
        assert reg.history(1)[0].actor == "Nguyễn Thị Lan"
        assert reg.reserve_number(state, "cv-04.yaml", 4).number == 4
        with pytest.raises(RegisterError, match="đã hủy"):
            reg.reserve_number(state, "cv-x.yaml", 2)
        reg.declare_start(Scope.nha_nuoc("UBND", 2025), 10)
        assert reg.next_number(Scope.nha_nuoc("UBND", 2025)) == 11
    with _raw(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2


def test_times_are_vietnam_time_with_offset(reg: Register) -> None:
    entry = reg.reserve(STATE, "a")
    assert entry.created_at.endswith("+07:00")
    from tetngheo_docs.vn.dates import show_time

    assert show_time("2024-01-15T01:30:00.000000Z") == "15/01/2024 08:30:00 (giờ Việt Nam)"
    assert show_time(entry.created_at).endswith("(giờ Việt Nam)")


# --------------------------------------------------------------------------- first use at once


def _open_and_reserve(path: str, key: str, go: Any, out: Any, no_link: bool) -> None:
    if no_link:  # a file system without hard links (FAT): the file is set up in place

        def refuse(*_: object) -> None:
            raise OSError(1, "no links")

        os.link = refuse  # type: ignore[assignment]
    go.wait()
    try:
        with Register(Path(path)) as reg:
            out.put(("ok", reg.reserve(STATE, key).number))
    except Exception as err:  # the test reports what failed
        out.put(("fail", str(err)))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork to start four at once")
@pytest.mark.parametrize("no_link", [False, True], ids=["link", "in-place"])
def test_four_processes_create_the_register_at_once(tmp_path: Path, no_link: bool) -> None:
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    for trial in range(8):
        db = tmp_path / f"{trial}" / "so-van-ban-di.sqlite3"
        go, out = ctx.Event(), ctx.Queue()
        procs = [
            ctx.Process(target=_open_and_reserve, args=(str(db), f"k{i}", go, out, no_link))
            for i in range(4)
        ]
        for p in procs:
            p.start()
        time.sleep(0.1)
        go.set()
        results = [out.get(timeout=60) for _ in procs]
        for p in procs:
            p.join(timeout=60)
        assert [r for r in results if r[0] != "ok"] == []
        assert sorted(r[1] for r in results) == [1, 2, 3, 4]
        assert not list(db.parent.glob("*.tmp"))


# --------------------------------------------------------------------------- a server restarting

_RESERVE_ALL = """
import sys
from tetngheo_docs.errors import RegisterError
from tetngheo_docs.register import Register, Scope
url, count = sys.argv[1], int(sys.argv[2])
scope = Scope.nha_nuoc("SVHTTDL", 2024)
try:
    with Register(url, timeout=5) as reg:
        for i in range(count):
            print(reg.reserve(scope, f"k{i}").number, flush=True)
except RegisterError as err:
    print(err, file=sys.stderr)
    sys.exit(1)
"""


def test_server_restart_mid_batch_stops_clearly_and_the_rerun_completes(pg_url: str) -> None:
    """A batch whose server restarts stops with a message (not a traceback); running the
    same command again gives every key the same number and finishes, with no gap."""
    data, pgbin = os.environ.get("TETNGHEO_TEST_PG_DATA"), os.environ.get("TETNGHEO_TEST_PG_BIN")
    if not (data and pgbin):
        if os.environ.get("CI"):
            pytest.fail("CI: cần TETNGHEO_TEST_PG_DATA và TETNGHEO_TEST_PG_BIN để khởi động lại")
        pytest.skip("cần quyền khởi động lại máy chủ thử (TETNGHEO_TEST_PG_DATA, _BIN)")
    proc = subprocess.Popen(
        [sys.executable, "-c", _RESERVE_ALL, pg_url, "100000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if int(line) >= 200:
            break
    restart = f"{pgbin}/pg_ctl -D {data} -m fast -w restart >/dev/null"
    subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", restart], check=True, timeout=60)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "mất kết nối tới sổ văn bản" in err and "chạy lại đúng lệnh đó" in err
    assert "Traceback" not in err and "password" not in err
    with Register(pg_url) as reg:
        done = reg.next_number(STATE) - 1
        again = reg.reserve_many(STATE, [f"k{i}" for i in range(done + 50)])
    assert [e.number for e in again] == list(range(1, done + 51))
    assert _numbers(pg_url, STATE) == list(range(1, done + 51))


# --------------------------------------------------------------------------- moving an office


def _office_register(path: Path) -> Register:
    reg = Register(path, actor="Nguyễn Thị Lan")
    reg.declare_start(STATE, 112, "theo sổ giấy")
    for i in range(6):
        reg.reserve(STATE, f"cv-{i}", subject=f"Công văn {i}", symbol="SVHTTDL-VP")
        reg.reserve(PARTY, f"bt-{i}")
    reg.issue(reg.get(STATE, 113).id, file="cv-0.docx", sha256=SHA_A)
    reg.void(STATE, 115, "Ban hành nhầm")
    reg.reserve_number(Scope.nha_nuoc("SVHTTDL", 2025), "tay", 7)
    return reg


def test_copy_a_file_register_to_a_server_exactly(tmp_path: Path, pg_url: str) -> None:
    with _office_register(tmp_path / "so.sqlite3") as src, Register(pg_url) as dst:
        report = dst.copy_from(src)
        assert report.source == report.target == dst.fingerprint() == src.fingerprint()
        assert (report.source.entries, report.source.starts, report.source.audit) == (13, 2, 15)
        assert [(e.number, e.status, e.origin) for e in dst.list(series="chung", period="2024")][
            :3
        ] == [(113, "issued", "auto"), (114, "reserved", "auto"), (115, "void", "auto")]
        assert dst.next_number(STATE) == 119 and dst.reserve(PARTY, "moi").number == 7
        assert [h.actor for h in dst.history(dst.get(STATE, 115).id)] == ["Nguyễn Thị Lan"] * 2
        with pytest.raises(RegisterError, match="đã có số hoặc đã khai báo; không chép đè"):
            dst.copy_from(src)


def test_copy_refuses_into_a_used_series_and_writes_nothing(tmp_path: Path, db: Path | str) -> None:
    with _office_register(tmp_path / "src.sqlite3") as src, Register(db) as dst:
        dst.reserve(PARTY, "da-co")
        before = dst.fingerprint()
        with pytest.raises(RegisterError, match="loại CV, nhiệm kỳ 2020-2025"):
            dst.copy_from(src)
        assert dst.fingerprint() == before
