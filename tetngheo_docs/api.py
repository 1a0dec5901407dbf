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

    @property
    def template(self) -> Path:
        """The .docx template of this directive's type in its profile."""
        kind = self.profile.doc_type(self.directive.loai).template
        return templates.find(self.profile.name, kind)

    def inputs(self) -> dict[str, str]:
        """Hashes of everything its output is made from (see `build`)."""
        from tetngheo_docs import build

        forms = [Path(f) for f in self.directive.form_files]
        return build.shared_inputs(self.path, self.agency, forms, self.template, self.profile.name)


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
    template = engine.prepare_file(loaded.template)
    ctx = context.build(d, loaded.profile)
    return engine.render(template, ctx, context.core_properties(d))


def output_path(directive: Path, out_dir: Path) -> Path:
    return out_dir / f"{directive.stem}.docx"


def render_file(loaded: Loaded, out_dir: Path) -> Path:
    """Render and write atomically; returns the written path."""
    return render_incremental(loaded, out_dir)[0]


def render_incremental(loaded: Loaded, out_dir: Path) -> tuple[Path, bool]:
    """Render unless nothing it is made from changed since the last build of ``out_dir``;
    returns the path and whether it was (re)written. Changes go to the revision log."""
    from tetngheo_docs import build

    d = loaded.directive
    target = output_path(loaded.path, out_dir)
    inputs = loaded.inputs()
    out_dir.mkdir(parents=True, exist_ok=True)
    state = build.State.load(out_dir)
    if state.unchanged(target.name, inputs):
        return target, False
    data = render_bytes(loaded)
    sha = build.digest_bytes(data)
    old = state.get(target.name)
    changed = old is None or old.sha256 != sha or not target.is_file()
    if changed:
        if old is not None and target.is_file():
            from tetngheo_docs import diff

            diff.keep_previous(target, build.digest_bytes(target.read_bytes()))
        outputs.atomic_write(target, data)
        revision = build.Revision(
            build.now(),
            str(target.resolve()),
            state.changed_inputs(target.name, inputs),
            old.sha256 if old else "",
            sha,
            str(d.so or ""),
        )
        # A single render has no register: its log stays with its output.
        build.log_revisions(out_dir / build.LOCAL_HISTORY, [revision])
    state.put(target.name, build.Record(inputs, sha, build.file_stat(target)))
    state.save()
    return target, changed
