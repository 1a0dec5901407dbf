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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tetngheo_docs import __version__, outputs

STATE = ".tetngheo-build.json"
HISTORY = "lich-su-ban-hanh.jsonl"  # next to the register
LOCAL_HISTORY = ".lich-su-ban-hanh.jsonl"  # in an output folder (single renders)

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
        "phien_ban": digest(__version__),
        "van_ban": file_digest(directive),
        "co_quan": file_digest(agency),
        "bieu_mau": digest(*(file_digest(f) for f in sorted(forms))),
        "mau": file_digest(template),
        "the_thuc": digest(profile_text),
    }


@dataclass
class Record:
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

    @classmethod
    def load(cls, folder: Path) -> State:
        path = folder / STATE
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            records = {
                name: Record(dict(r["inputs"]), str(r["sha256"]), tuple(r.get("stat", (0, 0))))
                for name, r in raw.get("files", {}).items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            records = {}  # no state, or a damaged one: everything is rebuilt (never trusted)
        return cls(folder, records)

    def unchanged(self, name: str, inputs: Mapping[str, str]) -> bool:
        """Same inputs as last time and the file still has the bytes we wrote."""
        record = self.records.get(name)
        if record is None or record.inputs != dict(inputs):
            return False
        path = self.folder / name
        try:
            stat = file_stat(path)
        except OSError:
            return False
        # Same size and modification time as when we wrote it: the bytes are ours. Otherwise
        # the file was touched; its bytes decide.
        return stat == record.stat or digest_bytes(path.read_bytes()) == record.sha256

    def changed_inputs(self, name: str, inputs: Mapping[str, str]) -> list[str]:
        record = self.records.get(name)
        if record is None:
            return ["mới"]
        return [LABELS.get(k, k) for k in inputs if record.inputs.get(k) != inputs[k]] or [
            "tệp bị sửa tay"
        ]

    def save(self) -> None:
        data = {
            "phien_ban": 1,
            "files": {
                name: {"inputs": r.inputs, "sha256": r.sha256, "stat": list(r.stat)}
                for name, r in sorted(self.records.items())
            },
        }
        # Compact on purpose: json's C encoder is used only without indent (10× faster).
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
        outputs.atomic_write(self.folder / STATE, text.encode("utf-8"))


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
