"""Where the register lives: one interface, two back ends.

`tetngheo_docs.register` holds the register's semantics (scopes, reserve → issue → void,
refusals, audit). This module holds what differs between the two places it can live:

* **SQLite** (the embedded default): a file path. One writer at a time
  (``BEGIN IMMEDIATE``), WAL, ``synchronous=FULL``; schema version in ``user_version``.
* **PostgreSQL**: a ``postgresql://`` URL, for a whole office on one server (psycopg 3).
  Each allocation runs in a transaction that first takes a transaction-scoped advisory lock
  on its series, so two clerks never read the same maximum; the same UNIQUE constraints and
  the same refusals as the SQLite triggers are plpgsql triggers; the audit log is
  append-only; the schema version is a table, migrations an ordered list.

Both take SQL written once with ``?`` parameters (PostgreSQL's ``%s`` is substituted) and
never build SQL from values. Credentials never come from the command line: a URL given
there may not hold a password (use the environment, a pgpass or a service file), and every
message shows the URL without one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from tetngheo_docs.errors import RegisterError, os_reason

__all__ = ["ENV", "Store", "exists", "is_url", "open_store", "resolve", "safe_url"]

#: The environment variable naming the register (a file path or a postgresql:// URL) when
#: neither ``--register`` nor the agency file does.
ENV = "TETNGHEO_SO_VAN_BAN"
_URL = re.compile(r"\A(postgres|postgresql)://", re.IGNORECASE)
#: The advisory lock key under which one client migrates a server's schema.
_MIGRATION_LOCK = 7412398


def resolve(
    given: Path | str | None,
    *,
    agency_file: Path | None,
    agency_value: object = None,
    folder: Path | None = None,
) -> Path | str:
    """Which register to use, in order: ``--so-van-ban-di`` (``given``), ``so_van_ban`` in
    the agency file (a path relative to it, or a URL), the environment variable `ENV`,
    else ``so-van-ban-di.sqlite3`` next to the agency file (or in ``folder``)."""
    from tetngheo_docs.register import DEFAULT_FILE

    for value, base in (
        (given, Path.cwd()),
        (agency_value, agency_file.parent if agency_file else Path.cwd()),
        (os.environ.get(ENV), Path.cwd()),
    ):
        if isinstance(value, Path):
            return value
        if isinstance(value, str) and value.strip():
            text = value.strip()
            return text if is_url(text) else base / text
    home = agency_file.parent if agency_file else (folder or Path.cwd())
    return home / DEFAULT_FILE


def exists(target: Path | str) -> bool:
    """Whether a register is there already (a server is taken to be)."""
    return is_url(target) or Path(target).is_file()


def is_url(target: object) -> bool:
    """Whether ``target`` names a PostgreSQL register rather than a file."""
    return isinstance(target, str) and bool(_URL.match(target.strip()))


def safe_url(url: str) -> str:
    """The URL as shown to a user: no password, ever."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"{user}{host}{port}", parts.path, parts.query, ""))


class Cursor(Protocol):
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Store(Protocol):
    """What `Register` needs from where it is kept."""

    #: How the register is named in messages (a path, or a URL without password).
    label: str
    #: The file, for a SQLite register (None on a server).
    path: Path | None

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Cursor: ...
    def transaction(self) -> contextlib.AbstractContextManager[Store]: ...
    def lock_series(self, args: Sequence[str]) -> None: ...
    def errors(self) -> contextlib.AbstractContextManager[None]: ...
    def schema_version(self) -> int: ...
    def upgrade(self, target: int) -> None: ...
    def backup(self, target: Path) -> None: ...
    def close(self) -> None: ...


def open_store(target: Path | str, timeout: float) -> Store:
    """The store named by ``target``: a ``postgresql://`` URL, else a file path."""
    if is_url(target):
        return PostgresStore(str(target).strip(), timeout)
    return SqliteStore(Path(target), timeout)


# --------------------------------------------------------------------------- SQLite


class SqliteStore:
    """The register file: SQLite, WAL, one writer at a time."""

    def __init__(self, path: Path, timeout: float) -> None:
        from tetngheo_docs.register import SCHEMA_VERSION

        self.path: Path | None = path
        self.label = str(path)
        self.timeout = timeout
        if path.is_dir():
            raise RegisterError(f"{path}: đây là thư mục, cần đường dẫn tệp sổ văn bản")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                _create_sqlite(path)
            conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        except OSError as err:
            raise RegisterError(f"không tạo được sổ văn bản {path}: {os_reason(err)}") from None
        except sqlite3.Error as err:
            raise RegisterError(f"không mở được sổ văn bản {path}: {err}") from None
        self._conn: sqlite3.Connection | None = conn
        self._target = SCHEMA_VERSION
        try:
            with self.errors():
                conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
                self._set_up(conn)
        except BaseException:
            self.close()
            raise

    def _set_up(self, conn: sqlite3.Connection) -> None:
        """WAL mode, durable commits. The switch to WAL does not wait for a busy database
        (SQLite calls no busy handler for it), so it is retried here until ``timeout``: a
        register made in place by several processes at once."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RegisterError("sổ văn bản đã đóng")
        return self._conn

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Cursor:
        return self.conn.execute(sql, args)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[SqliteStore]:
        """``BEGIN IMMEDIATE … COMMIT``: the write lock before the first read."""
        conn = self.conn
        with self.errors():
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def lock_series(self, args: Sequence[str]) -> None:
        """Nothing to do: ``BEGIN IMMEDIATE`` already serialises every writer."""

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """SQLite errors as messages a văn thư can act on."""
        try:
            yield
        except sqlite3.OperationalError as err:
            text = str(err)
            if "locked" in text or "busy" in text:
                raise RegisterError(
                    f"sổ văn bản {self.label} đang bận (có người khác đang ghi) quá "
                    f"{self.timeout:g} giây; hãy thử lại"
                ) from None
            if "readonly" in text:
                raise RegisterError(f"không có quyền ghi sổ văn bản {self.label}") from None
            raise RegisterError(f"sổ văn bản {self.label}: lỗi cơ sở dữ liệu ({text})") from None
        except sqlite3.DatabaseError as err:
            if isinstance(err, sqlite3.IntegrityError):
                raise
            raise RegisterError(
                f"{self.label} không phải tệp sổ văn bản đi hợp lệ hoặc đã hỏng ({err})"
            ) from None

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def upgrade(self, target: int) -> None:
        """Bring the schema to ``target`` in one write transaction (a writer that waited
        finds it done)."""
        from tetngheo_docs.register import SQLITE_MIGRATIONS, SQLITE_SCHEMA

        with self.transaction():
            version = self.schema_version()
            if version < target:
                for statement in SQLITE_MIGRATIONS[version] if version else SQLITE_SCHEMA:
                    self.conn.execute(statement)

    def backup(self, target: Path) -> None:
        """A consistent copy (SQLite's backup API, safe while others write)."""
        with self.errors(), contextlib.closing(sqlite3.connect(target)) as dest:
            self.conn.backup(dest)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _create_sqlite(path: Path) -> None:
    """Make a new register file whole, then put it in place with one atomic link.

    Switching a new database to WAL mode takes a lock that SQLite's busy handler does not
    wait for, so several processes creating the same register at once failed with
    "database is locked". Each now builds a complete file (WAL, schema) under its own name;
    the first link wins and the others find a finished register. Where the file system has
    no hard links (FAT), the file is opened in place and the set-up retries.
    """
    from tetngheo_docs.register import SQLITE_SCHEMA

    tmp = path.with_name(f".{path.name}.{os.getpid()}.{id(path):x}.tmp")
    try:
        with contextlib.closing(sqlite3.connect(tmp, isolation_level=None)) as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            for statement in SQLITE_SCHEMA:
                conn.execute(statement)
            conn.execute("COMMIT")
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    except (OSError, sqlite3.Error):
        pass  # no hard links or no room for a second file: set up in place (with retries)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()


# --------------------------------------------------------------------------- PostgreSQL


class PostgresStore:
    """The register on a PostgreSQL server (psycopg 3)."""

    path: Path | None = None

    def __init__(self, url: str, timeout: float) -> None:
        self.label = safe_url(url)
        self.timeout = timeout
        try:
            import psycopg
        except ImportError:
            raise RegisterError(
                f"sổ văn bản {self.label} ở máy chủ PostgreSQL cần gói psycopg: "
                "pip install 'tetngheo_docs[postgres]'"
            ) from None
        self._psycopg = psycopg
        ms = int(timeout * 1000)
        try:
            self._conn = psycopg.connect(
                url,
                autocommit=True,
                connect_timeout=max(1, int(timeout)),
                application_name="tetngheo",
            )
            # Not as connection options: those of the URL (a search_path, say) stay in force.
            self._conn.execute(f"SET lock_timeout = {ms}")
            self._conn.execute(f"SET statement_timeout = {ms * 4}")
        except psycopg.Error as err:
            raise RegisterError(
                f"không kết nối được sổ văn bản {self.label}: {_pg_reason(err)}"
            ) from None
        self._sql: dict[str, str] = {}

    @property
    def conn(self) -> Any:
        if self._conn is None or self._conn.closed:
            raise RegisterError(f"mất kết nối tới sổ văn bản {self.label}")
        return self._conn

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Cursor:
        text = self._sql.get(sql)
        if text is None:
            text = self._sql[sql] = sql.replace("%", "%%").replace("?", "%s")
        return self.conn.execute(text, tuple(args))  # type: ignore[no-any-return]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[PostgresStore]:
        with self.errors(), self.conn.transaction():
            yield self

    def lock_series(self, args: Sequence[str]) -> None:
        """Serialise allocations in one series: a lock held until the transaction ends."""
        digest = hashlib.blake2b("\x1f".join(args).encode(), digest_size=8).digest()
        key = int.from_bytes(digest, "big", signed=True)
        self.execute("SELECT pg_advisory_xact_lock(?)", (key,))

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """Server errors as messages a văn thư can act on (the URL without password)."""
        pg = self._psycopg
        try:
            yield
        except pg.errors.LockNotAvailable:
            raise RegisterError(
                f"sổ văn bản {self.label} đang bận (có người khác đang ghi) quá "
                f"{self.timeout:g} giây; hãy thử lại"
            ) from None
        except pg.errors.InsufficientPrivilege as err:
            raise RegisterError(
                f"tài khoản không có quyền này trên sổ văn bản {self.label} ({_pg_reason(err)})"
            ) from None
        except (pg.errors.IntegrityError, pg.errors.RaiseException):
            raise
        except pg.OperationalError as err:
            raise RegisterError(
                f"mất kết nối tới sổ văn bản {self.label} ({_pg_reason(err)}); việc đang làm dở "
                "chưa được ghi — khi máy chủ chạy lại, hãy chạy lại đúng lệnh đó"
            ) from None
        except pg.Error as err:
            raise RegisterError(
                f"sổ văn bản {self.label}: lỗi cơ sở dữ liệu ({_pg_reason(err)})"
            ) from None

    def schema_version(self) -> int:
        row = self.execute("SELECT to_regclass('tetngheo_schema_version')").fetchone()
        if row[0] is None:
            return 0
        row = self.execute("SELECT max(version) FROM tetngheo_schema_version").fetchone()
        return int(row[0] or 0)

    def upgrade(self, target: int) -> None:
        """One server, many clerks: the first to arrive migrates, the others wait for it.

        The lock is a session lock taken before the transaction: a transaction that started
        before another one created the tables would not see them by name (its catalog view
        is not refreshed by an advisory lock), and would try to create them again."""
        from tetngheo_docs.register import PG_MIGRATIONS

        with self.errors():
            self.execute("SELECT pg_advisory_lock(?)", (_MIGRATION_LOCK,))
            try:
                with self.transaction():
                    version = self.schema_version()
                    for step in range(version, target):
                        for statement in PG_MIGRATIONS[step]:
                            self.execute(statement)
                        self.execute(
                            "INSERT INTO tetngheo_schema_version (version, at) VALUES (?, now())",
                            (step + 1,),
                        )
            finally:
                self.execute("SELECT pg_advisory_unlock(?)", (_MIGRATION_LOCK,))

    def backup(self, target: Path) -> None:
        raise RegisterError(
            f"sổ văn bản {self.label} ở máy chủ PostgreSQL: sao lưu bằng pg_dump của máy chủ"
        )

    def close(self) -> None:
        if self._conn is not None and not self._conn.closed:
            self._conn.close()


def _pg_reason(err: Exception) -> str:
    """The server's reason in one line, with any password it might quote removed."""
    text = " ".join(str(err).split())
    return re.sub(r"password=\S+", "password=***", text)[:300]
