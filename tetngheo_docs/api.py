"""The pipeline, end to end: source → model → context → render → package → file.

Library entry points used by the CLI (one call per command) and by tests:
`check` validates only, `render_file` renders one directive to one .docx.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from tetngheo_docs import context, model, profiles, source
from tetngheo_docs.errors import Issue
from tetngheo_docs.render import engine, templates

if TYPE_CHECKING:
    from tetngheo_docs import build

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
    #: Loaded with pasted TCVN3/VNI text converted (``--chuyen-ma``): reload it the same way.
    convert_legacy: bool = False

    @property
    def template(self) -> Path:
        """The .docx template of this directive's type: the office's own (``mau:`` in the
        agency file) if it declares one, else the built-in one of its profile."""
        from tetngheo_docs import office_template

        kind = self.profile.doc_type(self.directive.loai).template
        own = office_template.path_for(self.directive.mau, kind, self.agency)
        return own if own is not None else templates.find(self.profile.name, kind)

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
    convert_legacy: bool = False,
) -> Loaded:
    """Read and validate a directive with its agency file; raises with every problem found
    (``convert_legacy``: pasted TCVN3/VNI text is converted, with a warning, not refused)."""
    if path.name == AGENCY_FILE:
        from tetngheo_docs.errors import TetngheoError

        raise TetngheoError(f"{_label(path)}: đây là tệp cơ quan, không phải một văn bản")
    agency = agency or find_agency(path)
    directive_src = source.load_yaml(path, label=_label(path))
    agency_src = source.load_yaml(agency, label=_label(agency)) if agency else None
    directive, warnings = model.build(
        directive_src, agency_src, overrides, convert_legacy=convert_legacy
    )
    profile = profiles.for_system(directive.he_thong, directive.the_thuc or None)
    loaded = Loaded(path, directive, profile, agency, warnings, convert_legacy)
    if directive.mau:  # an office's own template is checked before it is used
        from tetngheo_docs import office_template
        from tetngheo_docs.errors import DirectiveError

        problems = office_template.issues(loaded)
        if problems:
            raise DirectiveError(problems)
    return loaded


def render_bytes(loaded: Loaded) -> bytes:
    """The .docx bytes of a validated directive (same input, same bytes); a directive
    whose body has per-recipient ``${fields}`` is refused (`tetngheo issue` fills them)."""
    d = loaded.directive
    refusal = model.personal_issue(d)
    if refusal is not None:
        from tetngheo_docs.errors import DirectiveError

        raise DirectiveError([refusal])
    template = engine.prepare_file(loaded.template)
    ctx = context.build(d, loaded.profile)
    return engine.render(template, ctx, context.core_properties(d))


def output_path(directive: Path, out_dir: Path) -> Path:
    return out_dir / f"{directive.stem}.docx"


def render_file(loaded: Loaded, out_dir: Path) -> Path:
    """Render and write atomically; returns the written path."""
    return render_output(loaded, out_dir).path


def render_incremental(loaded: Loaded, out_dir: Path) -> tuple[Path, bool]:
    """`render_output` as (path, whether it was (re)written)."""
    done = render_output(loaded, out_dir)
    return done.path, done.written


class Rendered(NamedTuple):
    """What `render_output` did with one output."""

    path: Path
    written: bool
    revision: build.Revision | None = None  # why it was (re)written: in the revision log


def render_output(loaded: Loaded, out_dir: Path) -> Rendered:
    """Render unless nothing it is made from changed since the last build of ``out_dir``
    and the file still holds what that build wrote; write the file unless it already holds
    the new bytes. Bytes replaced are kept in ``.phien-ban/`` — a hand-edited file's too —
    and each rewrite goes to the revision log, with why."""
    from tetngheo_docs import build

    target = output_path(loaded.path, out_dir)
    inputs = loaded.inputs()
    out_dir.mkdir(parents=True, exist_ok=True)
    state = build.State.load(out_dir)
    if state.unchanged(target.name, inputs):
        return Rendered(target, False)
    written = build.write_output(target, render_bytes(loaded))
    revision = None
    if written.written:
        number = str(loaded.directive.so or "")
        revision = build.revision(state, target.resolve(), inputs, written, number)
        # A single render has no register: its log stays with its output.
        build.log_revisions(out_dir / build.LOCAL_HISTORY, [revision])
    state.put(target.name, build.Record(inputs, written.sha256, build.file_stat(target)))
    state.save()
    return Rendered(target, written.written, revision)
