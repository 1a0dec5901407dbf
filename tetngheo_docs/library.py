"""The Python API: what ``import tetngheo_docs`` offers a developer (re-exported there).

The command line is one user of these functions; a script, a web page or a notebook is
another. A directive can be given three ways:

* a `pathlib.Path` to a ``.yaml`` file (its ``tetngheo.yaml`` is found as the CLI finds it);
* a ``str`` holding YAML text;
* a mapping of native Python values: ``{"phien_ban": 1, "ngay": date(2024, 1, 15), …}``.
  Numbers, dates, booleans, lists and nested mappings are turned into the text a văn thư
  would have typed (``15/01/2024``, ``có``); ``None`` leaves a key out.

Every problem is raised as `tetngheo_docs.errors.IssuesError` (its ``issues`` each located
``file:line:col: path: message``, in Vietnamese); `check` returns them instead.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tetngheo_docs import api, model, profiles, source
from tetngheo_docs.errors import DirectiveError, Issue, IssuesError, Location

__all__ = ["Checked", "DirectiveInput", "check", "issue", "load", "render_docx", "render_file"]

#: A directive or an agency file: a path, YAML text, or a mapping of Python values.
DirectiveInput = Path | str | Mapping[str, Any]

_DICT_LABEL = "<dict>"
_TEXT_LABEL = "<văn bản>"


@dataclass(frozen=True)
class Checked:
    """What `check` found: ``ok`` when there is no error (warnings may remain)."""

    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def load(
    directive: DirectiveInput,
    *,
    agency: DirectiveInput | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> api.Loaded:
    """Read and validate a directive; raises `IssuesError` listing every problem.

    ``agency``: the agency file (path, YAML text or mapping); by default, for a path, the
    nearest ``tetngheo.yaml`` above it, else none. ``overrides`` win over both, as the
    command line's ``--so`` and ``--ngay`` do (native values allowed).
    """
    extra = {k: _text(v, (k,)) for k, v in (overrides or {}).items() if v is not None}
    if isinstance(directive, Path) and (agency is None or isinstance(agency, Path)):
        return api.load(directive, agency=agency, overrides=extra)
    # Files a text or a mapping names (``bieu_mau: [{tep: …}]``) are found beside the
    # agency file when it is a file, else in the working directory.
    home = agency.parent if isinstance(agency, Path) else None
    src = _source(directive, _TEXT_LABEL, home)
    agency_src = _source(agency, "tetngheo.yaml") if agency is not None else None
    built, warnings = model.build(src, agency_src, extra)
    profile = profiles.for_system(built.he_thong, built.the_thuc or None)
    where = directive if isinstance(directive, Path) else Path(src.file)
    agency_path = agency if isinstance(agency, Path) else None
    return api.Loaded(where, built, profile, agency_path, warnings)


def check(
    directive: DirectiveInput,
    *,
    agency: DirectiveInput | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Checked:
    """Validate without raising: every error and warning, each located."""
    try:
        loaded = load(directive, agency=agency, overrides=overrides)
    except IssuesError as err:
        return Checked(
            [i for i in err.issues if i.is_error], [i for i in err.issues if not i.is_error]
        )
    return Checked([], list(loaded.warnings))


def render_docx(
    directive: DirectiveInput,
    *,
    agency: DirectiveInput | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> bytes:
    """The .docx bytes of a directive (same input, same bytes). A directive whose body has
    per-recipient ``${fields}`` is refused: `issue` fills them. (Not called ``render``:
    that name is the package's rendering layer, ``tetngheo_docs.render``.)"""
    return api.render_bytes(load(directive, agency=agency, overrides=overrides))


def render_file(directive: Path, out_dir: Path | None = None) -> Path:
    """Render a directive file into ``out_dir`` (default: ``out/`` beside it), as
    ``tetngheo tao`` does: unchanged inputs are not rendered again, a hand-edited output is
    made again with the edit kept in ``.phien-ban/``. Returns the written path. A number
    written by hand is checked against the register as ``tetngheo tao`` checks it."""
    from tetngheo_docs import batch

    loaded = api.load(directive)
    hand = batch.hand_number(loaded)
    if hand.problem is not None:
        raise DirectiveError([hand.problem])
    if hand.record:
        batch.record_hand_number(loaded)
    return api.render_output(loaded, out_dir or directive.parent / "out").path


def issue(directive: Path, recipients: Path, out: Path, **options: Any) -> Any:
    """Issue a directive to a recipient list, numbered from the register, one letter per
    recipient, as ``tetngheo phat-hanh`` does; returns a `batch.IssueReport`. ``options``:
    those of `batch.issue` (``publish``, ``dry_run``, ``register``, ``so``,
    ``date_override``, ``workers``…)."""
    from tetngheo_docs import batch

    return batch.issue(directive, recipients, out, **options)


# --------------------------------------------------------------------------- inputs


def _source(value: DirectiveInput, label: str, home: Path | None = None) -> source.Source:
    if isinstance(value, Path):
        return source.load_yaml(value, label=api._label(value))
    if isinstance(value, str):
        return source.load_yaml_text(value, label=str(home / label) if home else label)
    if isinstance(value, Mapping):
        where = str(home / _DICT_LABEL) if home else _DICT_LABEL
        return source.Source(file=where, data=_tree(value, ()))
    raise TypeError(f"a directive is a Path, YAML text or a mapping, not {type(value).__name__}")


def _tree(value: Mapping[str, Any], path: tuple[str | int, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        if item is None:
            continue
        out[str(key)] = _node(item, (*path, str(key)))
    return out


def _node(value: Any, path: tuple[str | int, ...]) -> Any:
    if isinstance(value, Mapping):
        return _tree(value, path)
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [_node(v, (*path, i)) for i, v in enumerate(value) if v is not None]
    return _text(value, path)


def _text(value: Any, path: tuple[str | int, ...]) -> Any:
    """A native value as the text a văn thư would type."""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, str):
        return value
    where = source.path_str(path)
    raise DirectiveError(
        [
            Issue(
                Location(_DICT_LABEL),
                where,
                f"giá trị kiểu {type(value).__name__} không dùng được; hãy dùng văn bản, số "
                "nguyên, ngày (datetime.date), đúng/sai, danh sách hoặc ánh xạ",
            )
        ]
    )
