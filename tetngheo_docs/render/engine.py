"""Render a .docx template with a context: docxtpl's tag grammar, our own strict engine.

A template is *prepared* once: its zip is checked (size, members, compression ratio, no
DOCTYPE, no macros), each templated part (body, headers, footers) is patched with docxtpl's
tag clean-up and compiled in a sandboxed, autoescaping, StrictUndefined Jinja environment.
Rendering then only runs the compiled parts, re-parses every result strictly and packages
the members deterministically. Values are never re-rendered as templates, and nothing is
inserted without escaping except the paragraph markup built in `ooxml`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from lxml import etree

from tetngheo_docs import ooxml_guard, package
from tetngheo_docs.errors import RenderError, TemplateError
from tetngheo_docs.render import ooxml

_TEMPLATED = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_PART_NAMES = {"document": "thân văn bản", "header": "đầu trang", "footer": "chân trang"}
#: The context key whose value (`ooxml.footnote_xml` elements) becomes the footnotes part:
#: footnotes live in a part of their own, which no template has to provide.
FOOTNOTES = ooxml.FOOTNOTES
_STRICT = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def environment() -> jinja2.Environment:
    """The only Jinja environment used: sandboxed, autoescaping, strict about names."""
    return ImmutableSandboxedEnvironment(
        autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True
    )


@dataclass(frozen=True)
class PreparedTemplate:
    """A template checked and compiled once, ready to render many times."""

    name: str
    members: tuple[tuple[str, bytes], ...]
    parts: Mapping[str, jinja2.Template]
    sources: Mapping[str, str]
    variables: frozenset[str]


def _part_label(name: str) -> str:
    stem = name.removeprefix("word/").removesuffix(".xml").rstrip("0123456789")
    return _PART_NAMES.get(stem, name)


def _text_near(source: str, lineno: int | None) -> str:
    if not lineno:
        return ""
    lines = source.splitlines()
    around = lines[max(0, lineno - 2) : lineno + 1]
    text = " ".join(re.sub(r"<[^>]+>", "", line) for line in around)
    return " ".join(text.split())[:160]


def _members(data: bytes, name: str) -> list[tuple[str, bytes]]:
    """The template's members, read through `ooxml_guard` (limits, zip bomb, sizes checked
    while inflating, no DOCTYPE/ENTITY in any encoding), then no macros, a document part."""
    try:
        pkg = ooxml_guard.open_package(data, f"mẫu {name}", "docx")
        if any(n.lower().endswith("vbaproject.bin") for n in pkg.names):
            raise TemplateError(f"mẫu {name}: có macro; chỉ nhận tệp .docx không macro")
        if "word/document.xml" not in pkg.names:
            raise TemplateError(f"mẫu {name}: thiếu word/document.xml, không phải tệp Word")
        return pkg.members()
    except ooxml_guard.PackageError as err:
        raise TemplateError(str(err)) from None


def prepare(data: bytes, name: str) -> PreparedTemplate:
    """Check and compile a template given as bytes; `name` is used in messages only."""
    env = environment()
    members: list[tuple[str, bytes]] = []
    parts: dict[str, jinja2.Template] = {}
    sources: dict[str, str] = {}
    variables: set[str] = set()
    for member, raw in _members(data, name):
        members.append((member, raw))
        if not _TEMPLATED.match(member):
            continue
        if b"{" not in raw and member != "word/document.xml":
            # Not a single brace, so no tag: the part is copied as it is, once checked.
            try:
                etree.fromstring(raw, _STRICT)
            except etree.XMLSyntaxError as err:
                raise TemplateError(
                    f"mẫu {name}, {_part_label(member)}: không phải XML hợp lệ ({err})"
                ) from err
            continue
        try:
            xml = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise TemplateError(
                f"mẫu {name}, {_part_label(member)}: không phải UTF-8 (Word luôn lưu UTF-8); "
                "hãy mở mẫu bằng Word và lưu lại"
            ) from None
        patched = DocxTemplate.patch_xml(None, xml)  # type: ignore[arg-type]
        # One paragraph per line, so Jinja's line numbers point at a paragraph.
        patched = re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)
        try:
            tree = env.parse(patched)  # parsed once: for its variables and to compile
            variables |= meta.find_undeclared_variables(tree)
            parts[member] = env.from_string(tree)
        except TemplateSyntaxError as err:
            near = _text_near(patched, err.lineno)
            raise TemplateError(
                f"mẫu {name}, {_part_label(member)}: thẻ mẫu sai cú pháp ({err.message}) "
                f"gần đoạn “{near}”"
            ) from err
        sources[member] = patched
    return PreparedTemplate(name, tuple(members), parts, sources, frozenset(variables))


@cache
def _prepare_cached(path: str, mtime_ns: int, size: int) -> PreparedTemplate:
    return prepare(Path(path).read_bytes(), Path(path).name)


def prepare_file(path: Path) -> PreparedTemplate:
    """Prepare a template file, once per process for an unchanged file."""
    try:
        st = path.stat()
    except OSError as err:
        raise TemplateError(f"không đọc được mẫu {path}: {err.strerror}") from None
    return _prepare_cached(str(path), st.st_mtime_ns, st.st_size)


def _template_line(err: BaseException) -> int | None:
    tb = err.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render_part(
    template: PreparedTemplate,
    member: str,
    context: Mapping[str, Any],
    *,
    recipient: str = "",
    verify: bool = True,
) -> bytes:
    """Render one templated part; errors name the template, the part and the paragraph."""
    compiled = template.parts[member]
    who = f" (nơi nhận: {recipient})" if recipient else ""
    where = f"mẫu {template.name}, {_part_label(member)}{who}"
    try:
        xml = compiled.render(context)
    except UndefinedError as err:
        near = _text_near(template.sources[member], _template_line(err))
        raise RenderError(f"{where}: {err.message} — gần đoạn “{near}”") from err
    except SecurityError as err:
        raise TemplateError(f"{where}: mẫu dùng thao tác không an toàn: {err}") from err
    except jinja2.TemplateError as err:
        near = _text_near(template.sources[member], _template_line(err))
        raise RenderError(f"{where}: {err} — gần đoạn “{near}”") from err
    # Undo the line breaks `prepare` put before paragraphs; values cannot contain "<w:p"
    # (their "<" is escaped), so a plain replace is exact.
    xml = xml.replace("\n<w:p>", "<w:p>").replace("\n<w:p ", "<w:p ")
    data = xml.encode("utf-8")
    if member == "word/document.xml":
        data = ooxml.apply_sections(data)
    if verify:
        try:
            etree.fromstring(data, _STRICT)
        except etree.XMLSyntaxError as err:
            raise RenderError(f"{where}: kết quả không phải XML hợp lệ ({err})") from err
    return data


def render(
    template: PreparedTemplate,
    context: Mapping[str, Any],
    core: package.CoreProperties,
    *,
    recipient: str = "",
) -> bytes:
    """Render every templated part and package the document deterministically."""
    out: list[tuple[str, bytes]] = []
    for member, raw in template.members:
        if member in template.parts:
            out.append((member, render_part(template, member, context, recipient=recipient)))
        else:
            out.append((member, core.xml() if member == package.CORE_PART else raw))
    return package.write_zip(ooxml.with_footnotes(out, str(context.get(FOOTNOTES, ""))))


class BatchRenderer:
    """Many letters from one template and one base context: every part but the body is
    rendered and compressed once; each letter renders and compresses only its body.

    The bytes equal `render` with the merged context (same writer, same parts).
    """

    BODY = "word/document.xml"

    def __init__(
        self,
        template: PreparedTemplate,
        base: Mapping[str, Any],
        core: package.CoreProperties,
        *,
        stored: Mapping[str, package.Member] | None = None,
    ) -> None:
        """``stored``: members of a letter made from the same inputs (see
        `package.stored_members`); those with the same content are not compressed again."""
        self.template = template
        self.base = dict(base)
        self.members: list[package.Member | None] = []
        stored = stored or {}
        contents: list[tuple[str, bytes]] = []
        for member, raw in template.members:
            if member == self.BODY:
                contents.append((member, b""))  # rendered per letter
            elif member in template.parts:
                contents.append((member, render_part(template, member, base)))
            else:
                contents.append((member, core.xml() if member == package.CORE_PART else raw))
        # Footnotes are the same for every letter (a note has no per-recipient field).
        for member, content in ooxml.with_footnotes(contents, str(base.get(FOOTNOTES, ""))):
            if member == self.BODY:
                self.members.append(None)
            else:
                self.members.append(package.Member.reuse(member, content, stored.get(member)))
        self._verified = False

    def render(self, overrides: Mapping[str, Any], *, recipient: str = "") -> bytes:
        context = {**self.base, **overrides}
        # The structure comes from the template and every value is escaped, so one strict
        # parse per batch proves the XML; later letters differ only in escaped text.
        body = render_part(
            self.template, self.BODY, context, recipient=recipient, verify=not self._verified
        )
        self._verified = True
        body_member = package.Member.of(self.BODY, body)
        return package.zip_members(m if m is not None else body_member for m in self.members)
