"""The pipeline, end to end: source → model → context → render → package → file.

Library entry points used by the CLI (one call per command) and by tests:
`check` validates only, `render_file` renders one directive to one .docx.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tetngheo_docs import context, model, outputs, profiles, source
from tetngheo_docs.errors import Issue
from tetngheo_docs.render import engine, templates

#: The agency file looked up next to a directive (and in its parent folders).
AGENCY_FILE = "tetngheo.yaml"


def find_agency(directive: Path) -> Path | None:
    """The nearest ``tetngheo.yaml`` in the directive's folder or above it."""
    folder = directive.resolve().parent
    for candidate in [folder, *folder.parents]:
        path = candidate / AGENCY_FILE
        if path.is_file():
            return path
    return None


def _label(path: Path) -> str:
    """A short path for messages: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class Loaded:
    """A validated directive with everything needed to render it."""

    path: Path
    directive: model.Directive
    profile: profiles.Profile
    agency: Path | None
    warnings: list[Issue] = field(default_factory=list)


def load(
    path: Path,
    *,
    agency: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Loaded:
    """Read and validate a directive with its agency file; raises with every problem found."""
    if path.name == AGENCY_FILE:
        from tetngheo_docs.errors import TetngheoError

        raise TetngheoError(f"{_label(path)}: đây là tệp cơ quan, không phải một văn bản")
    agency = agency or find_agency(path)
    directive_src = source.load_yaml(path, label=_label(path))
    agency_src = source.load_yaml(agency, label=_label(agency)) if agency else None
    directive, warnings = model.build(directive_src, agency_src, overrides)
    profile = profiles.for_system(directive.he_thong, directive.the_thuc or None)
    return Loaded(path, directive, profile, agency, warnings)


def render_bytes(loaded: Loaded) -> bytes:
    """The .docx bytes of a validated directive (same input, same bytes)."""
    d = loaded.directive
    kind = loaded.profile.doc_type(d.loai).template
    template = engine.prepare_file(templates.find(loaded.profile.name, kind))
    ctx = context.build(d, loaded.profile)
    return engine.render(template, ctx, context.core_properties(d))


def output_path(directive: Path, out_dir: Path) -> Path:
    return out_dir / f"{directive.stem}.docx"


def render_file(loaded: Loaded, out_dir: Path) -> Path:
    """Render and write atomically; returns the written path."""
    data = render_bytes(loaded)
    target = output_path(loaded.path, out_dir)
    outputs.atomic_write(target, data)
    return target
