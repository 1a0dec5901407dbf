"""Writing outputs safely: a temp file in the target folder, fsync, then an atomic rename."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from tetngheo_docs.errors import OutputError, os_reason


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` all at once; never leaves a half-written file.

    ``durable`` flushes the file to disk before the rename. A batch passes False and syncs
    once at the end: a killed process still never leaves a half-written file (the rename is
    atomic), and after a power loss a rerun finds any lost file by its hash and rewrites it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # A temp name of this process in the same folder (the rename must not cross file
    # systems); plain os.open costs half of mkstemp's random-name search per file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    except OSError as err:
        raise OutputError(f"không ghi được {path}: {os_reason(err)}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except PermissionError as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(
            f"không ghi được {path}: {os_reason(err)} — nếu tệp đang mở trong Word, hãy đóng lại"
        ) from None
    except OSError as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"không ghi được {path}: {os_reason(err)}") from None


def write_if_changed(path: Path, data: bytes, *, durable: bool = True) -> bool:
    """`atomic_write` unless ``path`` already holds exactly ``data`` (a rebuild that changes
    nothing leaves every file, and its modification time, as it was). True when written."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass  # missing or unreadable: write it
    atomic_write(path, data, durable=durable)
    return True
