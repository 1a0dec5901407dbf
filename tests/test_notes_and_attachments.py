"""Issue 15 items 5–7: footnotes (chú thích), căn cứ on every type that uses it, a document
issued with a quyết định as itself; the document XML, its text, and lint agreeing."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from tetngheo_docs import api, batch, body, lint
from tetngheo_docs.errors import DirectiveError
from tetngheo_docs.render import ooxml

ROOT = Path(__file__).resolve().parent.parent
KON_TUM = ROOT / "directives" / "ubnd-tinh-kon-tum"
MINISTRY = ROOT / "directives" / "bo-gddt" / "cv-bao-cao-xoa-mu-chu-2024.yaml"
ISSUING = KON_TUM / "qd-ban-hanh-kh-tuan-cao-diem-2024.yaml"


def _part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def _render(folder: Path, name: str, text: str) -> bytes:
    (folder / name).write_text(text, encoding="utf-8")
    return api.render_bytes(api.load(folder / name))


@pytest.fixture
def kon_tum(tmp_path: Path) -> Path:
    shutil.copy(KON_TUM / "tetngheo.yaml", tmp_path / "tetngheo.yaml")
    return tmp_path


PLAN = """\
phien_ban: 1
loai: ke_hoach
so: 7
ngay: 05/02/2024
trich_yeu: Tổ chức Tuần cao điểm
noi_dung: |
  Tổ chức tốt phong trào[^a] trên địa bàn tỉnh[^2].

  [^a]: Phong trào thi đua “Vì người nghèo”,
  phát động năm 2021.
  [^2]: Gồm *10 huyện* và thành phố.
noi_nhan: [Các sở]
phu_luc:
  - tieu_de: Danh sách
    noi_dung: |
      | STT | Đơn vị[^x] |
      |---|---|
      | 1 | Sở Tài chính |

      [^x]: Theo Quyết định số 1/QĐ-UBND.
"""


# --------------------------------------------------------------------------- footnotes


def test_body_grammar_numbers_notes_in_the_order_of_their_marks() -> None:
    parsed = body.parse("Một[^b] hai[^a].\n\n[^a]: Chú thích A\ntiếp.\n[^b]: Chú thích *B*.")
    assert not parsed.problems
    assert parsed.blocks[0].text == f"Một{ooxml.note_mark(1)} hai{ooxml.note_mark(2)}."
    assert ["".join(r.text for r in n) for n in parsed.notes] == [
        "Chú thích B.",
        "Chú thích A tiếp.",
    ]
    assert parsed.notes[0][1].italic  # emphasis inside a note


def test_body_grammar_numbers_on_from_first_note() -> None:
    parsed = body.parse("X[^1].\n\n[^1]: Y.", first_note=4)
    assert ooxml.note_mark(4) in parsed.blocks[0].text


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("A[^1].", 0, "chú thích [^1] chưa có lời chú thích"),
        ("A.\n\n[^1]: Y.", 2, "chú thích [^1] không được gắn vào đâu"),
        ("A[^1] B[^1].\n\n[^1]: Y.", 0, "chú thích [^1] đã gắn ở dòng 1"),
        ("A[^1].\n\n[^1]: Y.\n\n[^1]: Z.", 4, "chú thích [^1] được viết hai lần"),
        ("A[^1].\n\n[^1]: ${ten}.", 2, "chú thích không dùng trường riêng"),
    ],
)
def test_body_grammar_refuses_bad_notes(text: str, line: int, message: str) -> None:
    problems = body.parse(text).problems
    assert any(p.line == line and p.message.startswith(message) for p in problems), problems


def test_footnotes_part_references_and_size(kon_tum: Path) -> None:
    data = _render(kon_tum, "kh.yaml", PLAN)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "word/footnotes.xml" in names
    notes = _part(data, "word/footnotes.xml").replace("\xa0", " ")
    assert '<w:footnote w:type="separator" w:id="-1">' in notes
    assert notes.count('<w:pStyle w:val="ChuThich"/>') == 3
    assert "Phong trào thi đua “Vì người nghèo”, phát động năm 2021." in notes
    assert re.search(r'<w:footnote w:id="3">.*Theo Quyết định số 1/QĐ-UBND\.', notes)
    document = _part(data, "word/document.xml").replace("\xa0", " ")
    assert re.findall(r'<w:footnoteReference w:id="(\d+)"/>', document) == ["1", "2", "3"]
    assert 'phong trào</w:t></w:r><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/>' in document
    assert "footnotes.xml" in _part(data, "word/_rels/document.xml.rels")
    assert 'PartName="/word/footnotes.xml"' in _part(data, "[Content_Types].xml")
    assert '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/>' in _part(
        data, "word/settings.xml"
    )
    assert 'w:styleId="FootnoteReference"' in _part(data, "word/styles.xml")
    # Same input, same bytes.
    assert api.render_bytes(api.load(kon_tum / "kh.yaml")) == data
    result = lint.lint_bytes(data, "kh.docx")
    assert result.check("co_chu.ChuThich").status is lint.Status.PASS
    assert not result.failed()


def test_footnotes_in_a_batch(kon_tum: Path) -> None:
    plan = (
        PLAN.replace("phong trào[^a]", "phong trào[^a] cho ${ten}")
        .replace("loai: ke_hoach", "loai: bao_cao\ncap_so: rieng")
        .replace("so: 7\n", "")
    )
    (kon_tum / "bc.yaml").write_text(plan, encoding="utf-8")
    (kon_tum / "ds.csv").write_text("ten\nHuyện A\nHuyện B\n", encoding="utf-8")
    batch.issue(kon_tum / "bc.yaml", kon_tum / "ds.csv", kon_tum / "out", workers=1)
    letters = sorted((kon_tum / "out").glob("*.docx"))
    assert len(letters) >= 2
    for path in letters:
        data = path.read_bytes()
        assert _part(data, "word/document.xml").count("<w:footnoteReference") == 3
        assert "Gồm " in _part(data, "word/footnotes.xml")


def test_the_ministry_example_has_its_footnote() -> None:
    data = api.render_bytes(api.load(MINISTRY))
    notes = _part(data, "word/footnotes.xml")
    assert "Quyết định số 677/QĐ-TTg ngày 03 tháng 6 năm 2022" in notes.replace("\xa0", " ")
    assert _part(data, "word/document.xml").count("<w:footnoteReference") == 1


# --------------------------------------------------------------------------- căn cứ


BASES = """\
phien_ban: 1
loai: ke_hoach
so: 8
ngay: 05/02/2024
trich_yeu: Tổ chức Tuần cao điểm
can_cu:
  - Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015
  - Căn cứ Kế hoạch số 12/KH-UBND của Ủy ban nhân dân tỉnh;
noi_dung: Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau.
noi_nhan: [Các sở]
"""


def test_can_cu_on_a_plan(kon_tum: Path) -> None:
    data = _render(kon_tum, "kh.yaml", BASES)
    document = _part(data, "word/document.xml")
    paras = re.findall(r'<w:pStyle w:val="CanCu"/>.*?<w:t[^>]*>([^<]*)</w:t>', document)
    assert [p.replace("\xa0", " ") for p in paras] == [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Căn cứ Kế hoạch số 12/KH-UBND của Ủy ban nhân dân tỉnh.",
    ]
    result = lint.lint_bytes(data, "kh.docx")
    assert result.check("kieu_chu.CanCu").status is lint.Status.PASS
    assert not result.failed()


def test_can_cu_refused_where_the_type_has_none(kon_tum: Path) -> None:
    text = BASES.replace("loai: ke_hoach", "loai: thong_bao")
    (kon_tum / "tb.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DirectiveError) as err:
        api.load(kon_tum / "tb.yaml")
    assert "Thông báo không có phần căn cứ" in str(err.value)


ITALIC_BODY = """\
phien_ban: 1
loai: ke_hoach
so: 9
ngay: 05/02/2024
trich_yeu: Tổ chức Tuần cao điểm
noi_dung: |
  *Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ
  sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày
  22 tháng 11 năm 2019;*

  *Căn cứ Quyết định số 90/QĐ-TTg ngày 18 tháng 01 năm 2022 của Thủ tướng Chính phủ phê
  duyệt Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021 - 2025.*

  Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau.
noi_nhan: [Các sở]
"""


def test_can_cu_typed_in_italics_in_the_body_passes_lint(kon_tum: Path) -> None:
    data = _render(kon_tum, "kh.yaml", ITALIC_BODY)
    document = _part(data, "word/document.xml")
    assert document.count('<w:pStyle w:val="CanCu"/>') == 2
    result = lint.lint_bytes(data, "kh.docx")
    assert not result.failed(), [c for c in result.checks if c.status is lint.Status.FAIL]
    # A document that keeps them as body paragraphs (another tool's): read as căn cứ too.
    other = document.replace('<w:pStyle w:val="CanCu"/>', '<w:pStyle w:val="NoiDung"/>')
    other = other.replace("<w:r><w:t", "<w:r><w:rPr><w:i/></w:rPr><w:t", 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "word/document.xml":
                content = other.encode("utf-8")
            dst.writestr(item, content)
    italic = _italicise_bases(out.getvalue())
    result = lint.lint_bytes(italic, "khac.docx")
    assert result.check("kieu_chu.CanCu").status is lint.Status.PASS
    assert not result.failed()


def _italicise_bases(data: bytes) -> bytes:
    """Make the căn cứ runs of a document italic by direct formatting."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "word/document.xml":
                xml = content.decode("utf-8")
                xml = re.sub(
                    r'(<w:pStyle w:val="NoiDung"/>.*?</w:pPr>)<w:r><w:t( xml:space="preserve">Căn)',
                    r"\1<w:r><w:rPr><w:i/><w:iCs/></w:rPr><w:t\2",
                    xml,
                )
                content = xml.encode("utf-8")
            dst.writestr(item, content)
    return out.getvalue()


def test_leading_can_cu_rule() -> None:
    one_upright = [("Căn cứ Kế hoạch số 1, Sở xây dựng kế hoạch như sau:", False)]
    assert body.leading_can_cu(one_upright) == 0
    assert body.leading_can_cu([("Căn cứ Luật A.", True)]) == 1
    two = [("- Căn cứ Điều lệ Đảng;", False), ("- Xét đề nghị của Ban Tổ chức,", False)]
    assert body.leading_can_cu([*two, ("Nội dung.", False)]) == 2


def test_party_can_cu_dash_and_comma(tmp_path: Path) -> None:
    office = ROOT / "directives" / "ban-tuyen-giao-duk"
    shutil.copy(office / "tetngheo.yaml", tmp_path / "tetngheo.yaml")
    text = BASES.replace("loai: ke_hoach", "loai: nghi_quyet")
    data = _render(tmp_path, "nq.yaml", text)
    document = _part(data, "word/document.xml").replace("\xa0", " ")
    assert "- Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;" in document
    assert "- Căn cứ Kế hoạch số 12/KH-UBND của Ủy ban nhân dân tỉnh," in document


# --------------------------------------------------------------------------- attached document


def test_issued_plan_has_its_own_title_block() -> None:
    data = api.render_bytes(api.load(ISSUING))
    document = _part(data, "word/document.xml").replace("\xa0", " ")
    tail = document[document.index("<w:sectPr") :]
    assert re.search(r'<w:pStyle w:val="TenLoai"/>.*?<w:t[^>]*>KẾ HOẠCH</w:t>', tail)
    assert re.search(
        r'<w:pStyle w:val="TrichYeu"/>.*?<w:t[^>]*>Tổ chức “Tuần cao điểm Tết vì người nghèo” '
        r"năm 2024</w:t>",
        tail,
    )
    assert (
        "(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày 08 tháng 01 năm 2024 của Chủ tịch "
        "Ủy ban nhân dân tỉnh Kon Tum)" in tail
    )
    assert ">Phụ lục<" not in tail
    assert "năm 2024./.</w:t>" in tail  # closed like a body
    assert _part(data, "word/document.xml").count("<w:footnoteReference") == 1
    result = lint.lint_bytes(data, ISSUING.name)
    assert not result.failed() and not result.count(lint.Status.WARN)


def test_caption_names_the_issuer_in_full(kon_tum: Path) -> None:
    text = ISSUING.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  - loai: ke_hoach.*$", "  -", text)  # a plain phụ lục
    data = _render(kon_tum, "qd.yaml", text)
    document = _part(data, "word/document.xml").replace("\xa0", " ")
    assert "của Chủ tịch Ủy ban nhân dân tỉnh Kon Tum)" in document
    assert ">Phụ lục<" in document


def test_only_a_decision_issues_a_document(kon_tum: Path) -> None:
    text = PLAN.replace("  - tieu_de: Danh sách", "  - loai: quy_che\n    tieu_de: Danh sách")
    (kon_tum / "kh.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DirectiveError) as err:
        api.load(kon_tum / "kh.yaml")
    assert "chỉ quyết định mới ban hành kèm theo một văn bản" in str(err.value)
