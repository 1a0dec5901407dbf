"""An office's own Word template (`mau:` in tetngheo.yaml): used when declared, and checked
before use — known tags only, sandboxed, the result linted (issue 16, item 6)."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.clirun import has_traceback, run_cli
from tests.conftest import OFFICE, SEED_000
from tetngheo_docs.render import templates

BUILTIN = templates.builtin_dir() / "hd36" / "cong_van.docx"


def _variant(edit_document=None, edit_styles=None, extra: dict[str, bytes] | None = None) -> bytes:
    """The built-in Party công văn template with its XML edited as Word would save it."""
    out = io.BytesIO()
    with zipfile.ZipFile(BUILTIN) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml" and edit_document:
                data = edit_document(data.decode()).encode()
            if info.filename == "word/styles.xml" and edit_styles:
                data = edit_styles(data.decode()).encode()
            dst.writestr(info, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    folder = tmp_path / "office"
    shutil.copytree(OFFICE, folder)
    (folder / "mau").mkdir()
    agency = folder / "tetngheo.yaml"
    agency.write_text(
        agency.read_text(encoding="utf-8") + "mau: {cong_van: mau/cong-van-rieng.docx}\n",
        encoding="utf-8",
    )
    return folder


def _render(office: Path) -> tuple[int, str]:
    result = run_cli("tao", office / SEED_000, "--ghi-vao", office / "out")
    assert not has_traceback(result), result.output
    return result.exit_code, result.output


def test_the_office_letterhead_is_used(office: Path) -> None:
    # The office's variant: its own closing line at the foot of the letter.
    def add_line(xml: str) -> str:
        at = xml.rindex("<w:sectPr")
        line = "<w:p><w:r><w:t>Văn phòng một cửa: 0208.3855.666</w:t></w:r></w:p>"
        return xml[:at] + line + xml[at:]

    (office / "mau" / "cong-van-rieng.docx").write_bytes(_variant(edit_document=add_line))
    code, out = _render(office)
    assert code == 0, out
    with zipfile.ZipFile(office / "out" / "cv-196-tuan-cao-diem-tet-2024.docx") as zf:
        text = zf.read("word/document.xml").decode()
    assert "Văn phòng một cửa" in text and "196-CV/BTGDUK" in text
    assert run_cli("the-thuc", office / "out" / "cv-196-tuan-cao-diem-tet-2024.docx").exit_code == 0


def test_an_unknown_tag_is_refused_before_rendering(office: Path) -> None:
    def typo(xml: str) -> str:
        return xml.replace("{{ so_ky_hieu }}", "{{ so_ky_heiu }}", 1)

    (office / "mau" / "cong-van-rieng.docx").write_bytes(_variant(edit_document=typo))
    code, out = _render(office)
    assert code == 1
    assert re.search(r"tetngheo\.yaml:\d+:1: mau: mẫu cong-van-rieng\.docx dùng thẻ không có", out)
    assert "{{ so_ky_heiu }}" in out and not (office / "out").exists()


def test_a_template_that_breaks_the_format_rules_is_refused(office: Path) -> None:
    # Someone changed the body font to 11 pt in Word: the output would not meet HD36.
    def small(xml: str) -> str:
        return xml.replace('w:sz w:val="28"', 'w:sz w:val="22"')

    (office / "mau" / "cong-van-rieng.docx").write_bytes(_variant(edit_styles=small))
    code, out = _render(office)
    assert code == 1 and "sai thể thức" in out and not (office / "out").exists()


def test_a_template_with_code_or_a_macro_is_refused(office: Path) -> None:
    def escape(xml: str) -> str:
        return xml.replace("{{ so_ky_hieu }}", "{{ so_ky_hieu.__class__.__mro__ }}", 1)

    (office / "mau" / "cong-van-rieng.docx").write_bytes(_variant(edit_document=escape))
    code, out = _render(office)
    assert code == 1 and "Traceback" not in out
    (office / "mau" / "cong-van-rieng.docx").write_bytes(
        _variant(extra={"word/vbaProject.bin": b"\0" * 64})
    )
    code, out = _render(office)
    assert code == 1 and "có macro" in out


def test_a_missing_template_is_named(office: Path) -> None:
    code, out = _render(office)
    assert code == 1 and "không thấy mẫu riêng" in out and "cong-van-rieng.docx" in out
