"""Incremental builds and the revision log: rebuild only what changed, say what changed.

Every output records, in ``.tetngheo-build.sqlite3`` in its folder, the hashes of what it was
made from: the tool version, the directive, the agency file, the form files it references,
the template, the profile, and (in a batch) the recipient row and the number. A rerun
renders only outputs whose inputs changed, leaves the others byte-identical, removes the
outputs of recipients that left the list, and appends one line per changed output to the
revision log kept next to the register (``lich-su-ban-hanh.jsonl``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import operator
import os
import sqlite3
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from tetngheo_docs import __version__
from tetngheo_docs.errors import OutputError
from tetngheo_docs.vn.dates import now_vn

STATE = ".tetngheo-build.sqlite3"
OLD_STATE = ".tetngheo-build.json"  # read once and replaced (tetngheo before 2026-11)
HISTORY = "lich-su-ban-hanh.jsonl"  # next to the register
LOCAL_HISTORY = ".lich-su-ban-hanh.jsonl"  # in an output folder (single renders)

#: Why an output with the same inputs is made again (in the revision log and messages).
EDITED = "tệp bị sửa tay"
DELETED = "tệp bị xóa"

#: Inputs that differ from one output of a build to the next (the rest are shared).
PER_OUTPUT = frozenset({"nguoi_nhan", "so"})

#: Names of the inputs, as shown to the user in the revision log.
LABELS = {
    "phien_ban": "phiên bản chương trình",
    "van_ban": "tệp văn bản",
    "co_quan": "tệp cơ quan",
    "bieu_mau": "biểu mẫu",
    "mau": "mẫu .docx",
    "the_thuc": "hồ sơ thể thức",
    "nguoi_nhan": "dòng người nhận",
    "so": "số văn bản",
}


def digest(*chunks: bytes | str) -> str:
    h = hashlib.sha256()
    for chunk in chunks:
        data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def file_digest(path: Path | None) -> str:
    return digest(path.read_bytes()) if path is not None and path.is_file() else ""


def shared_inputs(
    directive: Path,
    agency: Path | None,
    forms: Iterable[Path],
    template: Path,
    profile_name: str,
) -> dict[str, str]:
    """Input hashes every output of a directive shares."""
    from importlib import resources

    profile_text = (
        resources.files("tetngheo_docs.profiles").joinpath(f"{profile_name}.yaml").read_bytes()
    )
    return {
        # zlib too: a rebuild copies compressed parts from letters it leaves alone.
        "phien_ban": digest(__version__, zlib.ZLIB_RUNTIME_VERSION),
        "van_ban": file_digest(directive),
        "co_quan": file_digest(agency),
        "bieu_mau": digest(*(file_digest(f) for f in sorted(forms))),
        "mau": file_digest(template),
        "the_thuc": digest(profile_text),
    }


class Record(NamedTuple):
    inputs: dict[str, str]
    sha256: str
    stat: tuple[int, int] = (0, 0)  # (size, mtime_ns) when written: skips re-hashing


def file_stat(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


# One file's row as read from the state: (group id, (recipient row, number), sha256, size,
# mtime_ns). A batch compares its letters with these as they are, not as `Record`s.
_Stored = tuple[int, tuple[str | None, str | None], str, int, int]


@dataclass
class State:
    """What the last build of a folder made, file by file.

    Kept in a small SQLite file in the folder (`STATE`): the inputs outputs share (tool,
    directive, template, profile …) once per group, and per file its recipient row, number,
    hash and size/time. A rebuild writes only the rows of the files it replaced or removed,
    in one transaction, so a killed run leaves the previous state whole. The state is never
    trusted beyond what it says: a damaged or missing one makes the next run rebuild all.

    Files are read with `get` and changed with `put` and `remove`; the rows read from disk
    stay as they are (a batch checks 1,000s of letters against them), and `save` writes
    what was put or removed since.
    """

    folder: Path
    # The state file's modification time when read. A file's recorded size and time prove
    # its bytes only when that time is older: on a file system with coarse times (FAT
    # keeps 2 s), an edit in the same tick as the build keeps both (git's racy-clean rule).
    saved_ns: int = 0
    _groups: dict[int, dict[str, str]] = field(default_factory=dict, repr=False)
    _rows: dict[str, _Stored] = field(default_factory=dict, repr=False)  # as read
    _put: dict[str, Record] = field(default_factory=dict, repr=False)  # since read
    _gone: set[str] = field(default_factory=set, repr=False)  # removed since read
    _written: dict[str, Record] = field(default_factory=dict, repr=False)  # by the last save

    @classmethod
    def load(cls, folder: Path) -> State:
        path = folder / STATE
        stored = _read_state(path)
        if stored is not None:
            groups, rows = stored
            return cls(folder, path.stat().st_mtime_ns, groups, rows)
        # No state yet, or a damaged one; an older tool's JSON state is read once.
        return cls(folder, _put=_read_old_state(folder / OLD_STATE))

    def get(self, name: str) -> Record | None:
        if name in self._put:
            return self._put[name]
        raw = None if name in self._gone else self._rows.get(name)
        if raw is None:
            return None
        group, (row, number), sha, size, mtime = raw
        inputs = dict(self._groups[group])
        if row is not None:
            inputs["nguoi_nhan"] = row
        if number is not None:
            inputs["so"] = number
        return Record(inputs, sha, (size, mtime))

    def put(self, name: str, record: Record) -> None:
        self._put[name] = record
        self._gone.discard(name)

    def remove(self, name: str) -> None:
        self._put.pop(name, None)
        if name in self._rows:
            self._gone.add(name)

    def names(self) -> set[str]:
        return (self._rows.keys() - self._gone) | self._put.keys()

    @property
    def records(self) -> Mapping[str, Record]:
        """Every file's record, read-only (change them with `put` and `remove`)."""
        return MappingProxyType({name: r for name in self.names() if (r := self.get(name))})

    def unchanged(self, name: str, inputs: Mapping[str, str]) -> bool:
        """Same inputs as last time and the file still has the bytes we wrote.

        A file touched but not changed (same bytes, new time) has its size and time recorded
        again, so that the next run does not read it whole once more."""
        record = self.get(name)
        if record is None or record.inputs != inputs:
            return False
        path = f"{self.folder}{os.sep}{name}"
        try:
            st = os.stat(path)
            stat = (st.st_size, st.st_mtime_ns)
            # Same size and modification time as when we wrote it, before the state was
            # saved: the bytes are ours. Otherwise the file was touched; its bytes decide.
            if stat == record.stat and stat[1] < self.saved_ns:
                return True
            with open(path, "rb") as fh:
                same = digest_bytes(fh.read()) == record.sha256
        except OSError:
            return False
        if same:
            self.put(name, record._replace(stat=stat))
        return same

    def unchanged_letters(
        self, shared: Mapping[str, str], own: Iterable[tuple[str, tuple[str, str]]]
    ) -> list[bool]:
        """`unchanged` for a batch's letters, given the inputs they share and, per file, its
        own (recipient row, number). The usual letter (same inputs, same size and time) is
        checked against the row as read, in one loop; anything else goes through
        `unchanged`."""
        groups = {g for g, inputs in self._groups.items() if inputs == shared}
        rows, changed = self._rows, self._put.keys() | self._gone
        folder, stat, saved = f"{self.folder}{os.sep}", os.stat, self.saved_ns
        out = []
        for name, mine in own:
            raw = rows.get(name)
            if raw is None or name in changed:
                out.append(name in self._put and self.unchanged(name, merge(shared, mine)))
                continue
            if raw[0] not in groups or raw[1] != mine:
                out.append(False)
                continue
            try:
                st = stat(folder + name)
            except OSError:
                out.append(False)
                continue
            ours = st.st_size == raw[3] and st.st_mtime_ns == raw[4] and st.st_mtime_ns < saved
            out.append(ours or self.unchanged(name, merge(shared, mine)))
        return out

    def sha256(self, name: str) -> str:
        raw = None if name in self._put or name in self._gone else self._rows.get(name)
        if raw is not None:
            return raw[2]
        record = self.get(name)
        return record.sha256 if record is not None else ""

    def changed_inputs(
        self, name: str, inputs: Mapping[str, str], before: str | None = None
    ) -> list[str]:
        """Why an output was made again, for the revision log: the inputs that changed, and
        what had happened to the file itself. ``before``: the hash of the bytes the new ones
        replaced, "" when there was no file (see `write_output`); None when not known."""
        record = self.get(name)
        if record is None:
            return ["mới"]
        why = [LABELS.get(k, k) for k in inputs if record.inputs.get(k) != inputs[k]]
        if before == "":
            return [*why, DELETED]
        if before is not None and before != record.sha256:
            return [*why, EDITED]
        return why or [EDITED]  # same inputs, yet made again: the file was not ours

    def save(self) -> None:
        """Write the records put or removed since `load` (all of them into a new file)."""
        path = self.folder / STATE
        changed = [(n, r) for n, r in self._put.items() if self._written.get(n) is not r]
        gone = list(self._gone)  # each was read from the file
        fresh = not self._rows and not self._written  # no file read or written yet
        if changed or gone or not path.exists():
            try:
                try:
                    _write_state(path, changed, gone, fresh=fresh)
                except sqlite3.OperationalError:
                    raise
                except sqlite3.DatabaseError:  # damaged, or not ours: start the file again
                    for stale in (path, path.with_name(path.name + "-journal")):
                        stale.unlink(missing_ok=True)
                    _write_state(path, list(self.records.items()), [], fresh=True)
            except sqlite3.OperationalError as err:
                if "locked" in str(err) or "busy" in str(err):
                    raise OutputError(
                        f"thư mục {self.folder} đang được một lần chạy tetngheo khác ghi; "
                        "hãy chờ lần chạy đó xong rồi chạy lại"
                    ) from None
                raise OutputError(f"không ghi được {path}: {err}") from None
        if fresh:  # a state made anew replaces an older tool's JSON one, if any
            (self.folder / OLD_STATE).unlink(missing_ok=True)
        self._written = dict(self._put)
        for name in gone:
            del self._rows[name]
        self._gone.clear()


class Written(NamedTuple):
    """What `write_output` did."""

    sha256: str  # of the bytes the file now holds
    written: bool  # False: the file already held exactly them (left untouched)
    before: str  # sha256 of the bytes the file held before; "" when there was no file


def write_output(target: Path, data: bytes, *, durable: bool = True) -> Written:
    """Put ``data`` in ``target`` unless the file already holds exactly it. The bytes it
    replaces are kept first in ``.phien-ban/`` (`diff.keep_previous`): those of an earlier
    build, for `tetngheo diff`, and those of a file someone edited by hand, which would be
    lost otherwise. The one way `render` and `issue` write an output."""
    from tetngheo_docs import diff, outputs

    sha = digest_bytes(data)
    before = digest_bytes(target.read_bytes()) if target.is_file() else ""
    if before == sha:
        return Written(sha, False, before)
    if before:
        diff.keep_previous(target, before)
    outputs.atomic_write(target, data, durable=durable)
    return Written(sha, True, before)


def revision(
    state: State, target: Path, inputs: Mapping[str, str], written: Written, number: str
) -> Revision:
    """The revision log's line for an output `write_output` has just (re)written."""
    old = state.get(target.name)
    return Revision(
        now(),
        str(target),
        state.changed_inputs(target.name, inputs, written.before),
        # The bytes replaced (kept under this hash), or for a deleted file the ones made.
        written.before or (old.sha256 if old else ""),
        written.sha256,
        number,
    )


def merge(shared: Mapping[str, str], own: tuple[str, str]) -> dict[str, str]:
    """All the inputs of one output: those its group shares and its own (row, number)."""
    return {**shared, "nguoi_nhan": own[0], "so": own[1]}


_STATE_VERSION = 2
_STATE_SCHEMA = (
    "CREATE TABLE nhom (id INTEGER PRIMARY KEY, inputs TEXT NOT NULL UNIQUE)",
    "CREATE TABLE tep (ten TEXT PRIMARY KEY, nhom INTEGER NOT NULL REFERENCES nhom(id),"
    " nguoi_nhan TEXT, so TEXT, sha256 TEXT NOT NULL, size INTEGER NOT NULL,"
    " mtime_ns INTEGER NOT NULL)",
)


def _read_state(path: Path) -> tuple[dict[int, dict[str, str]], dict[str, _Stored]] | None:
    """The groups of shared inputs and every file's row, or None (no state, or damaged)."""
    if not path.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
            if conn.execute("PRAGMA user_version").fetchone()[0] != _STATE_VERSION:
                return None
            groups = {
                i: json.loads(text) for i, text in conn.execute("SELECT id, inputs FROM nhom")
            }
            query = "SELECT ten, nhom, nguoi_nhan, so, sha256, size, mtime_ns FROM tep"
            rows = {
                name: (group, (row, number), sha, size, mtime)
                for name, group, row, number, sha, size, mtime in conn.execute(query).fetchall()
            }
    except (sqlite3.Error, ValueError):
        return None
    if (
        not all(isinstance(g, dict) for g in groups.values())
        or not {r[0] for r in rows.values()} <= groups.keys()
    ):
        return None  # a row pointing at a group that is not there: damaged
    return groups, rows


def _write_state(
    path: Path, changed: list[tuple[str, Record]], gone: list[str], *, fresh: bool
) -> None:
    with contextlib.closing(sqlite3.connect(path, timeout=30, isolation_level=None)) as conn:
        # Rollback journal (the default: a killed run is rolled back on the next open, and
        # no journal file stays behind), not flushed: a power cut at worst damages the file,
        # and a damaged state only means a full rebuild.
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if fresh or version != _STATE_VERSION:  # new, or could not be read: made anew
                conn.execute("DROP TABLE IF EXISTS tep")
                conn.execute("DROP TABLE IF EXISTS nhom")
                for statement in _STATE_SCHEMA:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {_STATE_VERSION}")
            groups = {text: i for i, text in conn.execute("SELECT id, inputs FROM nhom")}
            rows = []
            for name, r in changed:
                shared = {k: v for k, v in sorted(r.inputs.items()) if k not in PER_OUTPUT}
                text = json.dumps(shared, ensure_ascii=False)
                if text not in groups:
                    cursor = conn.execute("INSERT INTO nhom (inputs) VALUES (?)", (text,))
                    groups[text] = cursor.lastrowid
                own = r.inputs.get("nguoi_nhan"), r.inputs.get("so")
                rows.append((name, groups[text], *own, r.sha256, *r.stat))
            conn.executemany("INSERT OR REPLACE INTO tep VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            conn.executemany("DELETE FROM tep WHERE ten = ?", [(n,) for n in gone])
            conn.execute("DELETE FROM nhom WHERE id NOT IN (SELECT nhom FROM tep)")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _read_old_state(path: Path) -> dict[str, Record]:
    """The JSON state of tetngheo before the SQLite one (every input written per file)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {
            name: Record(dict(r["inputs"]), str(r["sha256"]), tuple(r.get("stat", (0, 0))))
            for name, r in raw.get("files", {}).items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digests_bytes(datas: Iterable[bytes]) -> list[str]:
    """`digest_bytes` of each, in C loops (a batch hashes 1,000s of rows)."""
    return list(map(_HEX, map(hashlib.sha256, datas)))


_HEX = operator.methodcaller("hexdigest")


@dataclass(frozen=True)
class Revision:
    """One line of the revision log."""

    time: str
    file: str
    changed: list[str]
    old_sha256: str
    new_sha256: str
    number: str = ""

    def line(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, sort_keys=True)


def log_revisions(history: Path, revisions: list[Revision]) -> None:
    """Append to the revision log (one JSON object per line; never rewritten)."""
    if not revisions:
        return
    history.parent.mkdir(parents=True, exist_ok=True)
    with history.open("a", encoding="utf-8") as fh:
        for rev in revisions:
            fh.write(rev.line() + "\n")


def now() -> str:
    """Vietnam time with its offset, like the register's records."""
    return now_vn()


def read_history(history: Path, file: Path | None = None) -> list[Revision]:
    """The log's entries, all or those of one output file (matched by absolute path)."""
    if not history.is_file():
        return []
    out = []
    wanted = str(file.resolve()) if file is not None else None
    for line in history.read_text(encoding="utf-8").splitlines():
        try:
            raw = json.loads(line)
            rev = Revision(**raw)
        except (ValueError, TypeError):
            continue
        if wanted is None or rev.file == wanted:
            out.append(rev)
    return out
