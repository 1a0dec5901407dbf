"""tetngheo lint: rendered examples pass; each mutation of their XML is caught; hand-made
documents are read by text; effective formatting follows the style hierarchy; CLI exit codes."""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from tetngheo_docs import api
from tetngheo_docs.cli import main
from tetngheo_docs.lint import DocxReadError, LintError, LintResult, Status, lint_bytes
from tetngheo_docs.lint.effective import read_docx

PARTY = ROOT / "directives" / "ban-tuyen-giao-duk" / "cv-196-tuan-cao-diem-tet-2024.yaml"
STATE = ROOT / "directives" / "so-vhttdl-kon-tum" / "cv-123-tuan-cao-diem-tet-2024.yaml"
DOC = "word/document.xml"
STYLES = "word/styles.xml"


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {
        "party": api.render_bytes(api.load(PARTY)),
        "state": api.render_bytes(api.load(STATE)),
    }


def mutate(data: bytes, part: str, edit: Callable[[str], str]) -> bytes:
    """Unzip, edit one part's XML, re-zip (the edit must change something)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            raw = src.read(info.filename)
            if info.filename == part:
                text = raw.decode("utf-8")
                changed = edit(text)
                assert changed != text, f"mutation did not change {part}"
                raw = changed.encode("utf-8")
            dst.writestr(info.filename, raw)
    return out.getvalue()


def lint(data: bytes, **kw: str) -> LintResult:
    return lint_bytes(data, "test.docx", **kw)


def failures(result: LintResult) -> dict[str, str]:
    return {c.id: c.measured for c in result.checks if c.status is Status.FAIL}


def assert_only_fails(result: LintResult, *ids: str) -> None:
    assert set(failures(result)) == set(ids), failures(result)


# --------------------------------------------------------------------------- examples


@pytest.mark.parametrize("which", ["party", "state"])
def test_rendered_examples_pass(rendered: dict[str, bytes], which: str) -> None:
    result = lint(rendered[which])
    assert failures(result) == {}
    assert not [c for c in result.checks if c.status is Status.WARN]
    assert result.system == {"party": "dang", "state": "nha_nuoc"}[which]
    assert result.profile == {"party": "hd36", "state": "nd30"}[which]
    # Read by our style ids, and every check names its source.
    assert result.components["SoKyHieu"] == "kiểu"
    assert all(c.source for c in result.checks)


def test_expected_values_come_from_the_profile(rendered: dict[str, bytes]) -> None:
    state = lint(rendered["state"])
    assert state.check("co_chu.QuocHieu").expected == "12–13 pt"  # range
    assert state.check("co_chu.SoKyHieu").expected == "13 pt"
    assert state.check("co_chu.QuocHieu").source == "PL-I §II.1.a"
    assert state.check("le.trai").expected == "30–35 mm"
    assert state.check("le.trai").source == "PL-I §I.1–3"
    party = lint(rendered["party"])
    assert party.check("le.trai").expected == "30 mm"
    assert party.check("co_chu.TieuDeDang").measured == "15 pt"


# --------------------------------------------------------------------------- mutations


def test_letter_paper(rendered: dict[str, bytes]) -> None:
    data = mutate(
        rendered["state"],
        DOC,
        lambda x: x.replace(
            '<w:pgSz w:w="11906" w:h="16838"/>', '<w:pgSz w:w="12240" w:h="15840"/>'
        ),
    )
    result = lint(data)
    assert_only_fails(result, "trang.kho_giay")
    assert result.check("trang.kho_giay").measured == "215,9 × 279,4 mm"


def test_wrong_margins(rendered: dict[str, bytes]) -> None:
    # Left 20 mm (1134 twips): legal ranges are 30–35 (State) and 30 (Party).
    for which in ("state", "party"):
        data = mutate(rendered[which], DOC, lambda x: x.replace('w:left="1701"', 'w:left="1134"'))
        result = lint(data)
        assert_only_fails(result, "le.trai")
        assert "20 mm" in result.check("le.trai").measured
    # State allows 25 mm top; Party's 20 mm is fixed.
    top25 = lambda x: x.replace('w:top="1134"', 'w:top="1417"')  # noqa: E731
    assert lint(mutate(rendered["state"], DOC, top25)).check("le.tren").status is Status.PASS
    assert lint(mutate(rendered["party"], DOC, top25)).check("le.tren").status is Status.FAIL


def _style(xml: str, style_id: str, edit: Callable[[str], str]) -> str:
    m = re.search(rf'<w:style [^>]*w:styleId="{style_id}".*?</w:style>', xml, re.S)
    assert m
    return xml[: m.start()] + edit(m.group(0)) + xml[m.end() :]


def test_body_12pt(rendered: dict[str, bytes]) -> None:
    data = mutate(
        rendered["state"],
        STYLES,
        lambda x: _style(
            x, "NoiDung", lambda s: s.replace('<w:sz w:val="28"/>', '<w:sz w:val="24"/>')
        ),
    )
    result = lint(data)
    assert_only_fails(result, "co_chu.NoiDung")
    check = result.check("co_chu.NoiDung")
    assert check.measured.startswith("12 pt")
    assert "kiểu đoạn NoiDung" in check.measured
    assert check.expected == "13–14 pt"


def test_body_12pt_direct_run_formatting(rendered: dict[str, bytes]) -> None:
    data = mutate(
        rendered["party"],
        DOC,
        lambda x: x.replace(
            '<w:pStyle w:val="NoiDung"/></w:pPr><w:r>',
            '<w:pStyle w:val="NoiDung"/></w:pPr><w:r><w:rPr><w:sz w:val="24"/></w:rPr>',
            1,
        ),
    )
    result = lint(data)
    assert_only_fails(result, "co_chu.NoiDung")
    assert "định dạng trực tiếp" in result.check("co_chu.NoiDung").measured


def test_bold_body_style(rendered: dict[str, bytes]) -> None:
    # The toggle in the style itself: <w:b w:val="0"/> → <w:b/> makes every body line bold.
    def bold(x: str) -> str:
        for sid in ("NoiDung", "NoiDungKhoan"):
            x = _style(x, sid, lambda s: s.replace('<w:b w:val="0"/>', "<w:b/>"))
        return x

    result = lint(mutate(rendered["state"], STYLES, bold))
    assert_only_fails(result, "kieu_chu.NoiDung")
    assert result.check("kieu_chu.NoiDung").measured.startswith("đậm 100%")


def test_date_month_not_padded(rendered: dict[str, bytes]) -> None:
    data = mutate(
        rendered["party"],
        DOC,
        lambda x: x.replace("tháng\xa001 năm\xa02024", "tháng\xa01 năm\xa02024"),
    )
    result = lint(data)
    assert_only_fails(result, "ngay_thang")
    assert "tháng 01" in result.check("ngay_thang").measured


def test_date_day_not_padded_and_march_padded(rendered: dict[str, bytes]) -> None:
    data = mutate(
        rendered["state"],
        DOC,
        lambda x: x.replace("ngày\xa005 tháng\xa002", "ngày\xa05 tháng\xa003"),
    )
    measured = lint(data).check("ngay_thang").measured
    assert "ngày 05" in measured
    assert "tháng 3 không có số 0" in measured


def test_state_number_without_colon(rendered: dict[str, bytes]) -> None:
    data = mutate(rendered["state"], DOC, lambda x: x.replace("Số: 123/", "Số 123/"))
    result = lint(data)
    assert_only_fails(result, "so_ky_hieu")
    assert "thiếu dấu “:”" in result.check("so_ky_hieu").measured


def test_state_number_without_leading_zero(rendered: dict[str, bytes]) -> None:
    data = mutate(rendered["state"], DOC, lambda x: x.replace("Số: 123/", "Số: 5/"))
    result = lint(data)
    assert_only_fails(result, "so_ky_hieu")
    assert "0" in result.check("so_ky_hieu").measured


def test_party_number_with_colon(rendered: dict[str, bytes]) -> None:
    data = mutate(rendered["party"], DOC, lambda x: x.replace("Số 196-", "Số: 196-"))
    result = lint(data)
    assert_only_fails(result, "so_ky_hieu")
    assert "không có dấu “:”" in result.check("so_ky_hieu").measured


def test_word_auto_numbering_on_body_paragraph(rendered: dict[str, bytes]) -> None:
    numpr = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
    data = mutate(
        rendered["state"],
        DOC,
        lambda x: x.replace(
            '<w:pStyle w:val="NoiDung"/>', f'<w:pStyle w:val="NoiDung"/>{numpr}', 1
        ),
    )
    result = lint(data)
    assert_only_fails(result, "danh_so_tu_dong")
    assert "numId 1" in result.check("danh_so_tu_dong").measured


def test_word_auto_numbering_in_used_style(rendered: dict[str, bytes]) -> None:
    numpr = '<w:numPr><w:numId w:val="3"/></w:numPr>'
    data = mutate(
        rendered["party"],
        STYLES,
        lambda x: _style(
            x, "NoiDungKhoan", lambda s: s.replace("<w:widowControl/>", "<w:widowControl/>" + numpr)
        ),
    )
    result = lint(data)
    assert_only_fails(result, "danh_so_tu_dong")
    assert "NoiDungKhoan" in result.check("danh_so_tu_dong").measured


def test_leftover_template_tag(rendered: dict[str, bytes]) -> None:
    data = mutate(rendered["party"], DOC, lambda x: x.replace("Mạc Thị Khánh Linh", "{{ x }}"))
    result = lint(data)
    assert "the_mau" in failures(result)
    assert "{{ x }}" in result.check("the_mau").measured


def test_leftover_tag_split_across_runs(rendered: dict[str, bytes]) -> None:
    data = mutate(
        rendered["state"],
        DOC,
        lambda x: x.replace(
            "Nguyễn Văn An</w:t></w:r>",
            "Nguyễn Văn An {</w:t></w:r><w:r><w:t>% endfor %}</w:t></w:r>",
        ),
    )
    assert "the_mau" in failures(lint(data))


def test_unfilled_recipient_field_in_body_fails(rendered: dict[str, bytes]) -> None:
    """A per-recipient field left in (the bản lưu bug of issue 13) is an error, located."""
    data = mutate(
        rendered["party"],
        DOC,
        lambda x: x.replace("chương trình mang", "chương trình ${ten} mang", 1),
    )
    result = lint(data)
    assert_only_fails(result, "the_mau")
    check = result.check("the_mau")
    assert "${ten}" in check.measured
    assert check.where.startswith("thân văn bản, đoạn ")


def test_unfilled_field_in_a_table_cell_is_located(rendered: dict[str, bytes]) -> None:
    data = mutate(rendered["party"], DOC, lambda x: x.replace("Mạc Thị Khánh Linh", "${ho_ten}"))
    check = lint(data).check("the_mau")
    assert check.status is Status.FAIL and "${ho_ten}" in check.measured
    assert re.fullmatch(r"thân văn bản, bảng \d+, dòng \d+, ô 2", check.where)


def test_unfilled_field_in_a_page_header_fails(rendered: dict[str, bytes]) -> None:
    data = mutate(
        rendered["party"], "word/header2.xml", lambda x: x.replace("<w:t>2<", "<w:t>${so}<")
    )
    check = lint(data).check("the_mau")
    assert check.status is Status.FAIL and "${so}" in check.measured
    assert check.where.startswith("đầu trang (header2.xml)")


def test_lint_cli_fails_a_docx_with_a_field(rendered: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / "ban-luu.docx"
    path.write_bytes(
        mutate(
            rendered["party"],
            DOC,
            lambda x: x.replace("chương trình mang", "chương trình ${ten} mang", 1),
        )
    )
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 1, result.output
    assert "LỖI" in result.output and "${ten}" in result.output
    assert "tại thân văn bản, đoạn " in result.output


def test_nfd_text(rendered: dict[str, bytes]) -> None:
    nfd = unicodedata.normalize("NFD", "Đề nghị các cơ quan")
    assert nfd != "Đề nghị các cơ quan"
    data = mutate(rendered["state"], DOC, lambda x: x.replace("Đề nghị các cơ quan", nfd))
    result = lint(data)
    assert_only_fails(result, "nfc")
    assert "U+0300" in result.check("nfc").measured


def test_missing_kinh_gui_in_cong_van(rendered: dict[str, bytes]) -> None:
    drop = re.compile(r'<w:p><w:pPr><w:pStyle w:val="KinhGui"/>.*?</w:p>', re.S)
    for which in ("state", "party"):
        result = lint(mutate(rendered[which], DOC, lambda x: drop.sub("", x)))
        assert_only_fails(result, "kinh_gui")
        assert result.check("loai_van_ban").measured.startswith("công văn")


def test_named_type_is_not_a_cong_van(rendered: dict[str, bytes]) -> None:
    # A Party KẾ HOẠCH (type KH in the symbol) needs neither Kính gửi nor "Như trên".
    drop = re.compile(r'<w:p><w:pPr><w:pStyle w:val="KinhGui"/>.*?</w:p>', re.S)

    def edit(x: str) -> str:
        return drop.sub("", x.replace("Số 196-CV/", "Số 196-KH/"))

    result = lint(mutate(rendered["party"], DOC, edit))
    assert failures(result) == {}
    assert "KH" in result.check("loai_van_ban").measured


def test_noi_nhan_punctuation_and_nhu_tren(rendered: dict[str, bytes]) -> None:
    def edit(x: str) -> str:
        return x.replace("- Như trên;", "- Sở Tài chính;").replace(
            "- Giám đốc Sở;", "- Giám đốc Sở,"
        )

    result = lint(mutate(rendered["state"], DOC, edit))
    assert_only_fails(result, "noi_nhan.dau_cau", "noi_nhan.nhu_tren")


def test_state_signer_with_party_prefix(rendered: dict[str, bytes]) -> None:
    data = mutate(rendered["state"], DOC, lambda x: x.replace("KT. GIÁM ĐỐC", "K/T GIÁM ĐỐC"))
    assert_only_fails(lint(data), "ky.tien_to")


def test_page_number_on_first_page(rendered: dict[str, bytes]) -> None:
    data = mutate(rendered["party"], DOC, lambda x: x.replace("<w:titlePg/>", ""))
    assert_only_fails(lint(data), "so_trang.trang_dau")


def test_bold_toggle_off_in_direct_formatting(rendered: dict[str, bytes]) -> None:
    data = mutate(
        rendered["state"],
        DOC,
        lambda x: x.replace(
            "<w:r><w:t>CỘNG HÒA", '<w:r><w:rPr><w:b w:val="false"/></w:rPr><w:t>CỘNG HÒA'
        ),
    )
    result = lint(data)
    assert_only_fails(result, "kieu_chu.QuocHieu")
    assert result.check("kieu_chu.QuocHieu").measured.startswith("không đậm")


def test_liberation_serif_is_a_warning(rendered: dict[str, bytes]) -> None:
    data = mutate(
        rendered["state"], STYLES, lambda x: x.replace("Times New Roman", "Liberation Serif")
    )
    result = lint(data)
    assert failures(result) == {}
    assert result.check("phong_chu").status is Status.WARN
    assert result.failed(strict=True)


def test_doctype_is_refused(rendered: dict[str, bytes]) -> None:
    data = mutate(
        rendered["state"],
        STYLES,
        lambda x: x.replace("?>", '?><!DOCTYPE w:styles [<!ENTITY x "y">]>', 1),
    )
    with pytest.raises(DocxReadError, match="DOCTYPE"):
        lint(data)


def test_system_option_overrides_detection(rendered: dict[str, bytes]) -> None:
    result = lint(rendered["state"], system="dang")
    assert result.profile == "hd36"
    assert result.check("he_thong").status is Status.WARN
    assert "so_ky_hieu" in failures(result)


# --------------------------------------------------------------------------- effective


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _package(document: str, styles: str, theme: str | None = None) -> bytes:
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/>'
        + (
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/theme" Target="theme/theme1.xml"/>'
            if theme
            else ""
        )
        + "</Relationships>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(DOC, f"<w:document {W}><w:body>{document}</w:body></w:document>")
        z.writestr(STYLES, f"<w:styles {W}>{styles}</w:styles>")
        z.writestr("word/_rels/document.xml.rels", rels)
        if theme:
            z.writestr("word/theme/theme1.xml", theme)
    return out.getvalue()


def test_effective_basedon_chain_toggles_and_theme_fonts() -> None:
    styles = (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        '<w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi"/><w:sz w:val="20"/>'
        "</w:rPr></w:rPrDefault></w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:rPr><w:sz w:val="26"/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="A"><w:basedOn w:val="Normal"/>'
        "<w:rPr><w:b/><w:i/></w:rPr></w:style>"
        '<w:style w:type="paragraph" w:styleId="B"><w:basedOn w:val="A"/>'
        '<w:rPr><w:i w:val="0"/><w:sz w:val="28"/></w:rPr></w:style>'
        '<w:style w:type="character" w:styleId="Strong"><w:rPr><w:b/></w:rPr></w:style>'
        '<w:style w:type="table" w:styleId="T"><w:rPr><w:u w:val="single"/></w:rPr></w:style>'
    )
    theme = (
        '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:themeElements>'
        '<a:fontScheme name="x"><a:majorFont><a:latin typeface="Cambria"/></a:majorFont>'
        '<a:minorFont><a:latin typeface="Calibri"/></a:minorFont></a:fontScheme>'
        "</a:themeElements></a:theme>"
    )
    body = (
        '<w:p><w:pPr><w:pStyle w:val="B"/></w:pPr>'
        "<w:r><w:t>one</w:t></w:r>"
        '<w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>two</w:t></w:r>'
        '<w:r><w:rPr><w:b w:val="0"/><w:rFonts w:ascii="Times New Roman"/></w:rPr>'
        "<w:t>three</w:t></w:r>"
        "</w:p>"
        '<w:tbl><w:tblPr><w:tblStyle w:val="T"/></w:tblPr><w:tr><w:tc>'
        "<w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    doc = read_docx(_package(body, styles, theme), "x.docx")
    one, two, three = (r.fmt for r in doc.body[0].runs)
    assert (one.size_pt, one.bold, one.italic) == (14, True, False)  # B over A over Normal
    assert two.bold is False  # bold char style in a bold paragraph style: XOR
    assert three.bold is False and three.ascii.name == "Times New Roman"
    assert one.ascii.theme == "minorHAnsi" and one.ascii.name == "Calibri"
    assert "phông chủ đề minorHAnsi (Calibri)" == one.ascii.describe()
    cell = doc.body[1].runs[0].fmt
    assert (cell.size_pt, cell.underline) == (13, True)  # Normal + table style T
    assert doc.body[1].cell_key == (0, 0, 0)


# --------------------------------------------------------------------------- hand-made


def _hand_made() -> bytes:
    """A công văn typed in Word by hand: no styles of ours, direct formatting on runs."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = sec.bottom_margin = Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)

    def para(
        text: str,
        size: float,
        *,
        bold: bool = False,
        italic: bool = False,
        align: str = "center",
        font: str | None = "Times New Roman",
    ) -> None:
        p = doc.add_paragraph()
        p.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        }[align]
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold, run.italic = bold, italic
        if font:
            run.font.name = font

    para("UBND TỈNH KON TUM", 13)
    para("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", 13, bold=True)
    para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True)
    para("Độc lập - Tự do - Hạnh phúc", 14, bold=True)
    para("Số: 07/SVHTTDL-NVVH", 13)
    para("V/v tổ chức Tết vì người nghèo", 12)
    para("Kon Tum, ngày 5 tháng 3 năm 2024", 14, italic=True)  # day not padded
    para("Kính gửi: Ủy ban nhân dân các huyện", 14, align="left")
    para("Sở Văn hóa, Thể thao và Du lịch đề nghị các đơn vị triển khai.", 14, align="justify")
    para("Đề nghị các đơn vị thực hiện./.", 14, align="justify", font=None)  # theme font
    para("Nơi nhận:", 12, bold=True, italic=True, align="left")
    para("- Như trên;", 11, align="left")
    para("- Lưu: VT, NVVH.", 11, align="left")
    para("KT. GIÁM ĐỐC", 14, bold=True)
    para("PHÓ GIÁM ĐỐC", 14, bold=True)
    para("Nguyễn Văn An", 14, bold=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_hand_made_document_read_by_text() -> None:
    result = lint(_hand_made())
    assert result.system == "nha_nuoc"
    assert "Quốc hiệu" in result.detection
    expected = {
        "CoQuanChuQuan": "văn bản",
        "CoQuanBanHanh": "văn bản",
        "QuocHieu": "văn bản",
        "TieuNgu": "văn bản",
        "SoKyHieu": "văn bản",
        "TrichYeuCV": "văn bản",
        "DiaDanhNgay": "văn bản",
        "KinhGui": "văn bản",
        "NoiDung": "văn bản",
        "NoiNhanNhan": "văn bản",
        "NoiNhanMuc": "văn bản",
        "QuyenHan": "văn bản",
        "ChucVu": "văn bản",
        "HoTen": "văn bản",
    }
    assert result.components == expected
    # What is wrong is found: day padding, no page number, one run left in the theme font.
    assert set(failures(result)) == {"ngay_thang", "so_trang", "phong_chu"}
    assert "ngày 05" in result.check("ngay_thang").measured
    # python-docx's default theme (from Word for Mac) has Cambria as its minor font.
    assert "phông chủ đề minorHAnsi (Cambria)" in result.check("phong_chu").measured
    # What is right passes, measured through direct formatting.
    for cid in (
        "co_chu.QuocHieu",
        "kieu_chu.NoiNhanNhan",
        "co_chu.NoiNhanMuc",
        "so_ky_hieu",
        "kinh_gui",
        "noi_nhan.nhu_tren",
        "le.trai",
        "trang.kho_giay",
        "co_chu.NoiDung",
    ):
        assert result.check(cid).status is Status.PASS, result.check(cid)
    assert result.check("loai_van_ban").measured.startswith("công văn")


def _hand_made_party() -> bytes:
    """A Party công văn typed by hand with a header table and a signature table."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = sec.bottom_margin = Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)

    def put(where: object, text: str, size: float, *flags: str, first: bool = False) -> None:
        p = where.paragraphs[0] if first else where.add_paragraph()  # type: ignore[attr-defined]
        p.alignment = (
            WD_ALIGN_PARAGRAPH.LEFT
            if "left" in flags
            else WD_ALIGN_PARAGRAPH.JUSTIFY
            if "justify" in flags
            else WD_ALIGN_PARAGRAPH.CENTER
        )
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.font.name = "Times New Roman"
        run.bold, run.italic, run.underline = "b" in flags, "i" in flags, "u" in flags

    head = doc.add_table(rows=2, cols=2)
    (a, b), (c, d) = (row.cells for row in head.rows)
    put(a, "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH", 14, first=True)
    put(a, "BAN TUYÊN GIÁO", 14, "b")
    put(a, "*", 14)
    put(b, "ĐẢNG CỘNG SẢN VIỆT NAM", 15, "b", first=True)
    put(c, "Số 12-CV/BTGDUK", 14, first=True)
    put(c, "V/v tuyên truyền", 12, "i")
    put(d, "Thái Nguyên, ngày 03 tháng 4 năm 2024", 14, "i", first=True)
    put(doc, "Kính gửi: - Các chi bộ,", 14, "left")
    put(doc, "- Các đoàn thể.", 14, "left")
    put(doc, "Ban Tuyên giáo đề nghị các chi bộ thực hiện tốt.", 14, "justify")
    put(doc, "Đề nghị thực hiện./.", 14, "justify")
    sign = doc.add_table(rows=1, cols=2)
    left, right = sign.rows[0].cells
    put(left, "Nơi nhận:", 14, "left", "u", first=True)
    put(left, "- Như trên,", 12, "left")
    put(left, "- Lưu Văn phòng.", 12, "left")
    put(right, "K/T TRƯỞNG BAN", 14, "b", first=True)
    put(right, "PHÓ TRƯỞNG BAN", 14)
    put(right, "", 14)
    put(right, "Nguyễn Văn B", 14, "b")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_hand_made_party_document_with_tables() -> None:
    result = lint(_hand_made_party())
    assert result.system == "dang"
    assert set(result.components) == {
        "CoQuanChuQuan", "CoQuanBanHanh", "DauSao", "TieuDeDang", "SoKyHieu", "TrichYeuCV",
        "DiaDanhNgay", "KinhGui", "NoiDung", "NoiNhanNhan", "NoiNhanMuc", "QuyenHan",
        "ChucVu", "HoTen",
    }  # fmt: skip
    assert set(result.components.values()) == {"văn bản"}
    # Only the missing page number; the plain chức vụ and underlined Nơi nhận are right.
    assert_only_fails(result, "so_trang")
    assert result.check("kieu_chu.ChucVu").status is Status.PASS
    assert result.check("so_trang.trang_dau").status is Status.PASS


def test_python_docx_default_is_letter() -> None:
    from docx import Document

    out = io.BytesIO()
    doc = Document()
    doc.add_paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    doc.save(out)
    result = lint(out.getvalue())
    # Letter, 25.4 mm top/bottom and 31.75 mm left/right: only the left margin is legal.
    assert {"trang.kho_giay", "le.tren", "le.duoi", "le.phai"} <= set(failures(result))
    assert result.check("le.trai").status is Status.PASS


def test_unknown_system_needs_the_option() -> None:
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    with pytest.raises(LintError, match="--he-thong"):
        lint(out.getvalue())


# --------------------------------------------------------------------------- CLI


def test_cli_exit_codes(rendered: dict[str, bytes], tmp_path: Path) -> None:
    good = tmp_path / "good.docx"
    good.write_bytes(rendered["state"])
    bad = tmp_path / "bad.docx"
    bad.write_bytes(mutate(rendered["state"], DOC, lambda x: x.replace("Số: 123/", "Số 123/")))
    corrupt = tmp_path / "corrupt.docx"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip")
    runner = CliRunner()

    ok = runner.invoke(main, ["lint", str(good)])
    assert ok.exit_code == 0, ok.output
    assert "Kết quả:" in ok.output and "→ ĐẠT" in ok.output

    failed = runner.invoke(main, ["lint", str(bad)])
    assert failed.exit_code == 1
    assert "LỖI" in failed.output and "so_ky_hieu" in failed.output

    broken = runner.invoke(main, ["lint", str(corrupt)])
    assert broken.exit_code == 1
    assert "không phải tệp .docx hợp lệ" in broken.output
    assert "Traceback" not in broken.output
    assert broken.exception is None or isinstance(broken.exception, SystemExit)

    missing = runner.invoke(main, ["lint", str(tmp_path / "none.docx")])
    assert missing.exit_code == 2  # a usage error, as for every command
    assert "không tìm thấy" in missing.output


def test_cli_json_and_strict(rendered: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / "lib.docx"
    path.write_bytes(
        mutate(
            rendered["party"], STYLES, lambda x: x.replace("Times New Roman", "Liberation Serif")
        )
    )
    runner = CliRunner()
    res = runner.invoke(main, ["lint", "--json", str(path)])
    assert res.exit_code == 0
    payload = json.loads(res.stdout)
    assert payload["ok"] is True
    checks = {c["id"]: c for c in payload["files"][0]["checks"]}
    assert checks["phong_chu"]["status"] == "WARN"
    assert set(checks["co_chu.NoiDung"]) >= {"id", "status", "measured", "expected", "source"}
    assert runner.invoke(main, ["lint", "--strict", str(path)]).exit_code == 1
    wrong = runner.invoke(main, ["lint", "--the-thuc", "khong-co", str(path)])
    assert wrong.exit_code == 1
    assert "không có hồ sơ thể thức" in wrong.output


#: What a văn thư cannot look up: our design notes and their compact citation keys.
NOT_SOURCES = [
    "format-rules",
    "design.md",
    "hazards",
    "[S]",
    "[P",
    "[I",
    "PL-I",
    "PL3",
    "§",
    "row ",
    "digest",
    "typed",
]


@pytest.mark.parametrize("system", ["party", "state"])
def test_cli_cites_only_the_legal_texts(
    rendered: dict[str, bytes], tmp_path: Path, system: str
) -> None:
    path = tmp_path / "vb.docx"
    path.write_bytes(rendered[system])
    for args in (["the-thuc", str(path)], ["the-thuc", "--json", str(path)]):
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 0, res.output
        assert not [w for w in NOT_SOURCES if w in res.output], res.output
    text = CliRunner().invoke(main, ["the-thuc", str(path)]).output
    if system == "state":
        assert "[Nghị định 30/2020/NĐ-CP, Phụ lục I, Mục II, khoản 1, điểm a]" in text
        assert "[Nghị định 30/2020/NĐ-CP, Phụ lục I, Mục I, khoản 4; TCVN 6909:2001]" in text
    else:
        assert "[Hướng dẫn 36-HD/VPTW, Phụ lục 3, dòng 2]" in text
        assert "Hướng dẫn 36-HD/VPTW, Mục II, tiểu mục 1, điểm 1.1.2; Phụ lục 3, dòng 1" in text


def test_cite_translates_the_notation() -> None:
    from tetngheo_docs.lint.cite import cite

    assert cite("PL-I §II.7.đ; format-rules §11.6", party=False) == (
        "Nghị định 30/2020/NĐ-CP, Phụ lục I, Mục II, khoản 7, điểm đ"
    )
    assert cite("PL-I §V (chú thích)", party=False) == (
        "Nghị định 30/2020/NĐ-CP, Phụ lục I, Mục V, chú thích"
    )
    assert cite("HD36 ô 10b [S]", party=True) == "Hướng dẫn 36-HD/VPTW, Phụ lục 1, ô 10b"
    assert cite("HD36 PL3 'Số trang' [S]", party=True) == (
        "Hướng dẫn 36-HD/VPTW, Phụ lục 3, mục “Số trang”"
    )
    assert cite("typed I./I- section [P PL-I §V row 6b]", party=False) == (
        "Nghị định 30/2020/NĐ-CP, Phụ lục I, Mục V, dòng 6b"
    )
    assert cite("HD36 (digest) [S]", party=True) == "Hướng dẫn 36-HD/VPTW"
    # A rule of ours, not of the law, cites nothing rather than a design note.
    assert (
        cite("design.md (thẻ mẫu, trường của từng nơi nhận phải được điền hết)", party=False) == ""
    )


def test_cli_folder_and_summary(rendered: dict[str, bytes], tmp_path: Path) -> None:
    folder = tmp_path / "van-ban"
    (folder / "con").mkdir(parents=True)
    (folder / ".phien-ban").mkdir()
    (folder / "a.docx").write_bytes(rendered["state"])
    (folder / "con" / "b.docx").write_bytes(
        mutate(rendered["state"], DOC, lambda x: x.replace("Số: 123/", "Số 123/"))
    )
    (folder / ".phien-ban" / "a--cu.docx").write_bytes(b"not a docx: never read")
    (folder / "~$a.docx").write_bytes(b"Word lock file")
    (folder / "ghi-chu.txt").write_text("x")
    res = CliRunner().invoke(main, ["the-thuc", "--tom-tat", str(folder)])
    assert res.exit_code == 1, res.output
    lines = res.output.splitlines()
    assert len(lines) == 2, res.output
    assert re.fullmatch(
        rf"{re.escape(str(folder / 'a.docx'))}: ĐẠT — \d+ đạt, 0 cảnh báo, 0 lỗi", lines[0]
    )
    assert lines[1].startswith(f"{folder / 'con' / 'b.docx'}: KHÔNG ĐẠT — ")
    assert lines[1].endswith("1 lỗi; lỗi: so_ky_hieu")
    # Without --tom-tat: the full report of both files, still nothing from .phien-ban/.
    full = CliRunner().invoke(main, ["lint", str(folder)])
    assert full.output.count("Kết quả:") == 2 and "a--cu" not in full.output
    empty = tmp_path / "trong"
    empty.mkdir()
    none = CliRunner().invoke(main, ["the-thuc", str(empty)])
    assert none.exit_code == 1 and "thư mục không có tệp .docx nào" in none.output
