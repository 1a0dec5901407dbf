"""One exception tree for the whole pipeline, caught once in the CLI.

Every error a user can cause is a `TetngheoError`. Those that point into a file carry
`Issue` objects printed compiler-style (``file:line:col: yaml.path: message``) so that an
editor can jump to them. Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Severity(StrEnum):
    """How serious an issue is; warnings become errors under ``--strict``."""

    ERROR = "lỗi"
    WARNING = "cảnh báo"


class Location(NamedTuple):
    """A place in a source file; line and column are 1-based (as editors count). A tuple:
    a YAML file makes one per node, a recipient list one per row."""

    file: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in user input, with where it is and what to do about it."""

    location: Location
    path: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.location}: "
        path = f"{self.path}: " if self.path else ""
        prefix = "cảnh báo: " if self.severity is Severity.WARNING else ""
        return f"{where}{path}{prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class TetngheoError(Exception):
    """Base of every error caused by user input; the CLI prints it and exits 1."""

    exit_code = 1

    def format(self) -> str:
        """The text shown to the user (Vietnamese)."""
        return str(self)


class IssuesError(TetngheoError):
    """Raised with every problem found in one pass, each located in its file."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = sorted(
            issues, key=lambda i: (i.location.file, i.location.line, i.location.col, i.path)
        )
        super().__init__(self.format())

    def format(self) -> str:
        errors = sum(1 for i in self.issues if i.is_error)
        lines = [str(i) for i in self.issues]
        lines.append(f"Có {errors} lỗi; không tệp nào được ghi.")
        return "\n".join(lines)


class SourceError(IssuesError):
    """A YAML file could not be read: encoding, syntax, aliases, duplicates, limits."""


class DirectiveError(IssuesError):
    """A directive (or agency file) was read but its content is invalid."""


class ProfileError(TetngheoError):
    """A format profile is missing or malformed (a bug in shipped data or a user profile)."""


class TemplateError(TetngheoError):
    """A .docx template is unusable: unsafe zip, DOCTYPE, bad Jinja, unknown variable."""


class RenderError(TetngheoError):
    """Rendering a template with a valid context failed; says template, part and paragraph."""


class OutputError(TetngheoError):
    """An output file could not be written (permissions, file open in Word, disk full)."""


class RegisterError(TetngheoError):
    """The outgoing register (sổ văn bản đi) refused a request: unknown or invalid number,
    void without a reason, a void entry issued, a busy or unreadable register file."""


_OS_REASONS = {
    "ENOENT": "không có thư mục hoặc tệp đó",
    "EACCES": "không có quyền",
    "EPERM": "không được phép",
    "EROFS": "ổ đĩa chỉ đọc",
    "ENOSPC": "ổ đĩa đã đầy",
    "EDQUOT": "vượt hạn mức dung lượng",
    "ENOTDIR": "một phần của đường dẫn là tệp, không phải thư mục",
    "EISDIR": "đây là thư mục",
    "EEXIST": "đã có tệp trùng tên",
    "ENAMETOOLONG": "tên quá dài",
    "EBUSY": "tệp đang được chương trình khác dùng",
}


def os_reason(err: OSError) -> str:
    """The reason of an operating-system error in Vietnamese (the OS's own text is English)."""
    import errno

    name = errno.errorcode.get(err.errno or 0, "")
    return _OS_REASONS.get(name) or (f"lỗi hệ thống {name}" if name else type(err).__name__)
