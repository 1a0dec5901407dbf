"""The render engine: escaping, strictness, sandboxing, template intake, determinism."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests import docxnorm
from tests.conftest import ROOT
from tetngheo_docs import api, package, profiles
from tetngheo_docs import body as body_grammar
from tetngheo_docs.errors import DirectiveError, RenderError, TemplateError
from tetngheo_docs.render import builder, engine, templates
from tetngheo_docs.render.ooxml import Run
from tetngheo_docs.source import load_yaml_text

AGENCY = ROOT / "directives" / "ban-tuyen-giao-duk" / "tetngheo.yaml"
CORE = package.CoreProperties(title="t", created=date(2024, 1, 15))


def _docx(document_xml: str, header_xml: str | None = None) -> bytes:
    """A minimal .docx holding the given body (and header) XML."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    members = [
        ("[Content_Types].xml", b"<Types/>"),
        (
            "word/document.xml",
            f"<w:document {w}><w:body>{document_xml}</w:body></w:document>".encode(),
        ),
    ]
    if header_xml is not None:
        members.append(("word/header1.xml", f"<w:hdr {w}>{header_xml}</w:hdr>".encode()))
    return package.write_zip(members)


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _render_text(template: bytes, context: dict[str, object]) -> str:
    data = engine.render(engine.prepare(template, "t.docx"), context, CORE)
    return docxnorm.text(data)


@pytest.mark.parametrize(
    "value",
    [
        "SỞ KẾ HOẠCH & ĐẦU TƯ",
        "Công ty CP <Sao Mai>",
        "Dấu \"kép\" và 'đơn'",
        "</w:t></w:r></w:p><w:p><w:r><w:t>DÒNG CHÈN",
        "{{ 7*7 }} {% if true %}x{% endif %}",
        "{_{ không đổi }_}",
    ],
)
def test_values_are_escaped_and_never_re_rendered(value: str) -> None:
    template = _docx(_para("{{ x }}"), header_xml=_para("{{ x }}"))
    assert _render_text(template, {"x": value}) == value + "\n"


def test_unknown_variable_is_a_render_error_naming_the_paragraph() -> None:
    template = _docx(_para("Kính gửi {{ kinh_gui_sai }}"))
    with pytest.raises(RenderError, match=r"kinh_gui_sai.*Kính gửi"):
        _render_text(template, {})


@pytest.mark.parametrize(
    "payload",
    [
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ x|attr('__class__') }}",
        "{{ x.__class__ }}",
    ],
)
def test_hostile_template_is_refused_by_the_sandbox(payload: str) -> None:
    template = _docx(_para(payload))
    with pytest.raises((TemplateError, RenderError)):
        _render_text(template, {"x": "a"})


def test_template_with_doctype_is_refused() -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    evil = (
        f'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document {w}>'
        "<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    data = package.write_zip([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", evil)])
    with pytest.raises(TemplateError, match="DOCTYPE"):
        engine.prepare(data, "evil.docx")


def test_zip_bomb_template_is_refused_before_parsing() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<w:document/>")
        zf.writestr("word/media/bomb.bin", b"\0" * (60 * 1024 * 1024))
    with pytest.raises(TemplateError, match=r"nén bất thường|MB"):
        engine.prepare(buf.getvalue(), "bomb.docx")


def test_not_a_zip_is_refused() -> None:
    with pytest.raises(TemplateError, match=r"không phải tệp \.docx"):
        engine.prepare(b"plain text", "x.docx")


def test_syntax_error_in_template_names_the_paragraph() -> None:
    with pytest.raises(TemplateError, match=r"sai cú pháp.*Nơi nhận"):
        engine.prepare(_docx(_para("Nơi nhận {% for %}")), "t.docx")


def test_a_part_without_tags_is_copied_byte_for_byte_but_checked() -> None:
    template = _docx(_para("{{ x }}"), header_xml=_para("Trang đầu"))
    prepared = engine.prepare(template, "t.docx")
    assert "word/header1.xml" not in prepared.parts  # nothing to render
    out = engine.render(prepared, {"x": "a"}, CORE)
    header = dict(package.read_members(out))["word/header1.xml"]
    assert header == dict(package.read_members(template))["word/header1.xml"]
    with pytest.raises(TemplateError, match="đầu trang: không phải XML hợp lệ"):
        engine.prepare(_docx(_para("{{ x }}"), header_xml="<w:p>"), "t.docx")


def test_committed_templates_are_up_to_date() -> None:
    """templates/*.docx must be exactly what the builder makes from the profiles."""
    for name in profiles.available():
        profile = profiles.load(name)
        for kind, build in builder.BUILDERS.items():
            committed = templates.find(name, kind).read_bytes()
            assert committed == build(profile), (
                f"templates/{name}/{kind}.docx is stale: run python templates/build.py"
            )


def _directive(tmp_path: Path, **fields: str) -> Path:
    values = {
        "loai": "cong_van",
        "so": "5",
        "ngay": "05/01/2024",
        "trich_yeu": "V/v thử",
        "kinh_gui": "[Các chi bộ]",
        "noi_dung": "Nội dung.",
    } | fields
    lines = [f"{k}: {v}" for k, v in values.items()]
    path = tmp_path / "d.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_hostile_values_survive_end_to_end(tmp_path: Path) -> None:
    path = _directive(
        tmp_path,
        trich_yeu="'V/v Sở KH&ĐT <phối hợp> “Tết”'",
        noi_dung="'A & B < C > D'",
    )
    loaded = api.load(path, agency=AGENCY)
    # A template tag typed in YAML is refused (it would print as it is, see the next test);
    # one reaching the renderer all the same is text, never run as a template.
    tagged = (body_grammar.Block("NoiDung", (Run("A & B < C > D {{ x }}"),)),)
    loaded.directive = loaded.directive.model_copy(update={"blocks": tagged})
    text = docxnorm.text(api.render_bytes(loaded))
    assert "V/v Sở KH&ĐT <phối hợp> “Tết”" in text
    assert "A & B < C > D {{ x }}./." in text


def test_template_tag_in_a_value_is_refused_with_location(tmp_path: Path) -> None:
    path = _directive(tmp_path, noi_dung="'A {{ x }}'")
    with pytest.raises(DirectiveError) as info:
        api.load(path, agency=AGENCY)
    # Line exact; the column counts from the value's opening quote (a one-line value's
    # column inside quotes is not tracked).
    assert re.search(r"d\.yaml:6:1[34]: noi_dung: '\{\{' là thẻ của mẫu Word", info.value.format())


def test_control_character_is_refused_with_location(tmp_path: Path) -> None:
    path = _directive(tmp_path, trich_yeu='"V/v triển khai\\vnền"')
    with pytest.raises(DirectiveError) as info:
        api.load(path, agency=AGENCY)
    assert "d.yaml:4:12: trich_yeu: có ký tự điều khiển U+000B" in info.value.format()


def test_nfd_input_renders_nfc(tmp_path: Path) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "V/v Nguyễn Văn Đức")
    path = _directive(tmp_path, trich_yeu=nfd)
    text = docxnorm.text(api.render_bytes(api.load(path, agency=AGENCY)))
    assert "V/v Nguyễn Văn Đức" in text
    assert unicodedata.is_normalized("NFC", text)


def test_render_is_independent_of_input_spelling_nfc_vs_nfd(tmp_path: Path) -> None:
    import unicodedata

    src = (ROOT / "directives/ban-tuyen-giao-duk/cv-196-tuan-cao-diem-tet-2024.yaml").read_text(
        encoding="utf-8"
    )
    a, b = tmp_path / "a", tmp_path / "b"
    forms = ROOT / "directives/ban-tuyen-giao-duk/bieu-mau"
    for folder, text in ((a, src), (b, unicodedata.normalize("NFD", src))):
        folder.mkdir()
        (folder / "cv.yaml").write_text(text, encoding="utf-8")
        shutil.copytree(forms, folder / "bieu-mau")
    one = api.render_bytes(api.load(a / "cv.yaml", agency=AGENCY))
    two = api.render_bytes(api.load(b / "cv.yaml", agency=AGENCY))
    assert one == two


def test_context_source_is_loadable_from_text() -> None:
    src = load_yaml_text("a: 1\n", label="x.yaml")
    assert src.data == {"a": "1"}
