"""tetngheo_docs: Vietnamese official correspondence (ND30 / HD36) from YAML to .docx.

The Python API (see README, "Dùng từ Python")::

    import tetngheo_docs as tn

    data = tn.render_docx({"phien_ban": 1, "loai": "cong_van", …}, agency=Path("tetngheo.yaml"))
    result = tn.check(Path("cv.yaml"))          # .ok, .errors, .warnings (located Issues)
    report = tn.issue(Path("cv.yaml"), Path("ds.csv"), Path("out"), publish=True)
    with tn.Register(Path("so-van-ban-di.sqlite3")) as reg: …

Names are imported on first use, so that ``tetngheo``'s start-up stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Checked",
    "Issue",
    "IssuesError",
    "Register",
    "Scope",
    "TetngheoError",
    "__version__",
    "check",
    "issue",
    "load",
    "render_docx",
    "render_file",
]

_LAZY = {
    "Checked": "tetngheo_docs.library",
    "check": "tetngheo_docs.library",
    "issue": "tetngheo_docs.library",
    "load": "tetngheo_docs.library",
    "render_docx": "tetngheo_docs.library",
    "render_file": "tetngheo_docs.library",
    "Register": "tetngheo_docs.register",
    "Scope": "tetngheo_docs.register",
    "Issue": "tetngheo_docs.errors",
    "IssuesError": "tetngheo_docs.errors",
    "TetngheoError": "tetngheo_docs.errors",
}

if TYPE_CHECKING:
    from tetngheo_docs.errors import Issue, IssuesError, TetngheoError
    from tetngheo_docs.library import Checked, check, issue, load, render_docx, render_file
    from tetngheo_docs.register import Register, Scope


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tetngheo_docs' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
