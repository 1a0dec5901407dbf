"""Incremental builds and the revision log: rebuild only what changed, say what changed.

Every output records, in ``.tetngheo-build.json`` in its folder, the hashes of what it was
made from: the tool version, the directive, the agency file, the form files it references,
the template, the profile, and (in a batch) the recipient row and the number. A rerun
renders only outputs whose inputs changed, leaves the others byte-identical, removes the
outputs of recipients that left the list, and appends one line per changed output to the
revision log kept next to the register (``lich-su-ban-hanh.jsonl``).
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from tetngheo_docs import __version__, outputs

STATE = ".tetngheo-build.json"
HISTORY = "lich-su-ban-hanh.jsonl"  # next to the register
LOCAL_HISTORY = ".lich-su-ban-hanh.jsonl"  # in an output folder (single renders)

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


@dataclass
class State:
    """What the last build of a folder made, file by file."""

    folder: Path
    records: dict[str, Record] = field(default_factory=dict)
    # As read from disk: each record with its JSON entry, and the shared-input groups the
    # entries point into. `save` writes an untouched record's entry back as it was read.
    _read: dict[str, tuple[Record, dict[str, Any]]] = field(default_factory=dict, repr=False)
    _groups: list[dict[str, str]] = field(default_factory=list, repr=False)

    @classmethod
    def load(cls, folder: Path) -> State:
        path = folder / STATE
        read: dict[str, tuple[Record, dict[str, Any]]] = {}
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            groups = [{str(k): str(v) for k, v in g.items()} for g in raw.get("nhom", [])]
            for name, r in raw.get("files", {}).items():
                if "inputs" in r:  # phien_ban 1: every input written out per file
                    inputs = dict(r["inputs"])
                else:
                    inputs = {**groups[r["nhom"]], **r["rieng"]}
                stat = tuple(r.get("stat", (0, 0)))
                read[name] = (Record(inputs, str(r["sha256"]), stat), r)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            read, groups = {}, []  # no state, or a damaged one: all is rebuilt (never trusted)
        records = {name: record for name, (record, _) in read.items()}
        if any("inputs" in entry for _, entry in read.values()):
            read = {}  # an old state: written anew in the grouped form
        return cls(folder, records, read, groups)

    def unchanged(self, name: str, inputs: Mapping[str, str]) -> bool:
        """Same inputs as last time and the file still has the bytes we wrote."""
        record = self.records.get(name)
        if record is None or record.inputs != inputs:
            return False
        path = f"{self.folder}{os.sep}{name}"  # plain strings: called once per letter
        try:
            st = os.stat(path)
            # Same size and modification time as when we wrote it: the bytes are ours.
            # Otherwise the file was touched; its bytes decide.
            if (st.st_size, st.st_mtime_ns) == record.stat:
                return True
            with open(path, "rb") as fh:
                return digest_bytes(fh.read()) == record.sha256
        except OSError:
            return False

    def changed_inputs(self, name: str, inputs: Mapping[str, str]) -> list[str]:
        record = self.records.get(name)
        if record is None:
            return ["mới"]
        return [LABELS.get(k, k) for k in inputs if record.inputs.get(k) != inputs[k]] or [
            "tệp bị sửa tay"
        ]

    def save(self) -> None:
        """Write the state; the inputs outputs share (directive, template, …) are written
        once per group, so a 1,000-letter folder's state stays small and quick to read, and
        a rebuild only works out the entries of the records it replaced."""
        group_list = list(self._groups)
        groups = {tuple(sorted(g.items())): i for i, g in enumerate(group_list)}
        files: dict[str, dict[str, Any]] = {}
        for name, r in sorted(self.records.items()):
            read = self._read.get(name)
            if read is not None and read[0] is r:
                files[name] = read[1]
                continue
            shared = tuple(sorted((k, v) for k, v in r.inputs.items() if k not in PER_OUTPUT))
            index = groups.get(shared)
            if index is None:
                index = groups[shared] = len(group_list)
                group_list.append(dict(shared))
            own = {k: v for k, v in r.inputs.items() if k in PER_OUTPUT}
            files[name] = {"nhom": index, "rieng": own, "sha256": r.sha256, "stat": list(r.stat)}
        used = sorted({f["nhom"] for f in files.values()})
        if len(used) < len(group_list):  # drop groups no output uses any more
            renumber = {old: new for new, old in enumerate(used)}
            files = {n: {**f, "nhom": renumber[f["nhom"]]} for n, f in files.items()}
            group_list = [group_list[old] for old in used]
        data = {"phien_ban": 2, "nhom": group_list, "files": files}
        # Compact on purpose: json's C encoder is used only without indent (10× faster).
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
        # Not flushed here: a state lost in a power cut only makes the next run rebuild, and
        # a record whose file was lost is caught by the file's size, time and hash.
        outputs.write_if_changed(self.folder / STATE, text.encode("utf-8"), durable=False)
        self._read = {name: (r, files[name]) for name, r in self.records.items()}
        self._groups = group_list


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
    return datetime.now(UTC).replace(microsecond=0).isoformat()


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
