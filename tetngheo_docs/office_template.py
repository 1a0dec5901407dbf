"""An office's own Word template (``mau:`` in tetngheo.yaml), checked before it is used.

An office may keep a variant of the built-in template — its letterhead, its own paragraph
styles — in its folder. Before a directive is rendered with it:

* the file is read like any user file (`ooxml_guard`: limits, no macros, no DOCTYPE) and its
  tags compiled in the sandboxed environment every template uses (`render.engine`);
* every name its tags use must be one the context provides (a template copied from an
  older version, or with a typo, is refused, naming the tag), so a tag never prints empty;
* the document it produces is linted against the directive's profile: a template that
  breaks a format rule is refused with the rules it breaks.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tetngheo_docs.errors import Issue, Location, TemplateError, TetngheoError

if TYPE_CHECKING:
    from tetngheo_docs.api import Loaded

__all__ = ["issues", "path_for"]


def path_for(directive_mau: dict[str, str], kind: str, agency: Path | None) -> Path | None:
    """The office's template for a document type, if it declares one."""
    chosen = directive_mau.get(kind) or directive_mau.get("*")
    if not chosen:
        return None
    base = agency.parent if agency is not None else Path.cwd()
    return (base / chosen).resolve()


def _where(loaded: Loaded) -> Location:
    from tetngheo_docs import source

    if loaded.agency is None:
        return Location(str(loaded.path))
    try:
        return source.load_yaml(loaded.agency, label=str(loaded.agency)).key_loc(("mau",))
    except TetngheoError:  # it loaded a moment ago; a location is only a courtesy
        return Location(str(loaded.agency))


def issues(loaded: Loaded) -> list[Issue]:
    """What stops this office template from being used (empty when it may be)."""
    from tetngheo_docs import api, context, lint
    from tetngheo_docs.render import engine

    d = loaded.directive
    path = loaded.template
    label = path.name
    if not path.is_file():
        return [Issue(_where(loaded), "mau", f"không thấy mẫu riêng {path}")]
    try:
        prepared = engine.prepare_file(path)
    except TemplateError as err:
        return [Issue(_where(loaded), "mau", str(err))]
    known = set(context.build(d, loaded.profile)) | set(engine.environment().globals)
    unknown = sorted(prepared.variables - known)
    if unknown:
        names = ", ".join("{{ " + n + " }}" for n in unknown)
        return [
            Issue(
                _where(loaded),
                "mau",
                f"mẫu {label} dùng thẻ không có trong tetngheo ({names}); hãy sửa theo mẫu "
                "gốc (thư mục templates/ của chương trình) — thẻ lạ sẽ in ra rỗng hoặc lỗi",
            )
        ]
    try:
        data = api.render_bytes(loaded)
    except TemplateError as err:
        return [Issue(_where(loaded), "mau", str(err))]
    result = lint.lint_bytes(data, label, the_thuc=loaded.profile.name)
    broken = [c for c in result.checks if c.status is lint.Status.FAIL]
    if not broken:
        return []
    where = _where(loaded)  # the agency file is read again only to place a problem
    return [
        Issue(
            where,
            "mau",
            f"văn bản tạo từ mẫu {label} sai thể thức: {c.title} — đo được {c.measured}, cần "
            f"{c.expected}",
        )
        for c in broken
    ]
