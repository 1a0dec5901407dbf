"""Find the shipped .docx templates (installed package data, or the checkout's templates/)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from tetngheo_docs.errors import TemplateError

_CHECKOUT = Path(__file__).resolve().parents[2] / "templates"


def builtin_dir() -> Path:
    """The folder of built-in templates: ``tetngheo_docs.templates`` once installed."""
    try:
        root = resources.files("tetngheo_docs.templates")
        path = Path(str(root))
        if path.is_dir():
            return path
    except ModuleNotFoundError:
        pass
    return _CHECKOUT


def find(profile: str, kind: str, search: list[Path] | None = None) -> Path:
    """The template of a document type for a profile; user folders first, then built-ins."""
    for folder in [*(search or []), builtin_dir()]:
        candidate = folder / profile / f"{kind}.docx"
        if candidate.is_file():
            return candidate
    raise TemplateError(
        f"không tìm thấy mẫu '{kind}' cho hồ sơ thể thức '{profile}' "
        f"(đã tìm trong {', '.join(str(f) for f in [*(search or []), builtin_dir()])})"
    )
