"""The office folder as the web page sees it: what is in it, and which paths are allowed.

Every path from the browser is relative to the office folder and is refused (`Forbidden`,
HTTP 403) when it leaves it — ``..``, an absolute path, or a symbolic link pointing out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from tetngheo_docs.api import AGENCY_FILE
from tetngheo_docs.diff import VERSIONS

#: The register file an office keeps beside its agency file.
REGISTER_FILE = "so-van-ban-di.sqlite3"
RECIPIENT_SUFFIXES = (".csv", ".txt", ".xlsx")
#: Folders never listed: outputs, kept versions, the editor's and tools' own.
SKIPPED = {"out", VERSIONS, "node_modules", "__pycache__", "luoc-do"}
#: At most this many files are listed (a clerk's folder, not a disk).
LIMIT = 2000


class Forbidden(Exception):
    """A path outside the office folder (or not allowed there)."""


@dataclass
class Listing:
    directives: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    agency: list[str] = field(default_factory=list)
    register: str | None = None


class Office:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def path(self, rel: str, *, suffixes: tuple[str, ...] | None = None) -> Path:
        """The file ``rel`` names inside the office; `Forbidden` if it leaves it."""
        pure = PurePosixPath(rel.replace("\\", "/"))
        if not rel or pure.is_absolute() or ".." in pure.parts or ":" in rel or "\0" in rel:
            raise Forbidden(rel)
        found = (self.root / pure).resolve()
        if not found.is_relative_to(self.root) or found == self.root:
            raise Forbidden(rel)
        if suffixes is not None and found.suffix.lower() not in suffixes:
            raise Forbidden(rel)
        return found

    def rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def listing(self) -> Listing:
        out = Listing()
        for path in self._files():
            rel = self.rel(path)
            suffix = path.suffix.lower()
            if path.name == AGENCY_FILE:
                out.agency.append(rel)
            elif suffix in (".yaml", ".yml"):
                kind = kind_of(path)
                if kind == "directive":
                    out.directives.append(rel)
                elif kind == "form":
                    out.forms.append(rel)
                elif kind == "recipients":
                    out.recipients.append(rel)
            elif suffix in RECIPIENT_SUFFIXES and not _returned_form(path):
                out.recipients.append(rel)
        if (self.root / REGISTER_FILE).is_file():
            out.register = REGISTER_FILE
        return out

    def _files(self) -> list[Path]:
        found: list[Path] = []
        stack = [self.root]
        while stack and len(found) < LIMIT:
            folder = stack.pop()
            try:
                entries = sorted(folder.iterdir())
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith((".", "~$")) or entry.name in SKIPPED:
                    continue
                if entry.is_symlink() and not entry.resolve().is_relative_to(self.root):
                    continue
                if entry.is_dir():
                    stack.append(entry)
                elif entry.is_file():
                    found.append(entry)
        return sorted(found, key=lambda p: self.rel(p))


def kind_of(path: Path) -> str:
    """``directive``, ``form``, ``recipients`` or ``other``, from the file's top-level keys."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return "directive"  # broken YAML: most likely a directive being written; shown so
    if not isinstance(data, dict):
        return "other"
    keys = set(data)
    if "nguoi_nhan" in keys and not keys & {"loai", "trich_yeu", "noi_dung"}:
        return "recipients"
    if "cot" in keys and "loai" not in keys:
        return "form"
    if keys & {"loai", "trich_yeu", "noi_dung", "kinh_gui"}:
        return "directive"
    return "other"


def _returned_form(path: Path) -> bool:
    """A workbook a unit sent back (``tra-ve/``, ``ma--don-vi.xlsx``): not a recipient list."""
    return path.suffix.lower() == ".xlsx" and ("--" in path.stem or path.parent.name == "tra-ve")
