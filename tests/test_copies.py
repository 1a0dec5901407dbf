"""`tetngheo sao`: SAO Y / TRÍCH SAO / SAO LỤC of an issued document [ND30 PL-I Phần II §II]."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import docx
import pytest

from tests.clirun import run_cli
from tetngheo_docs.register import Register

EXAMPLE = Path(__file__).resolve().parents[1] / "directives" / "so-vhttdl-kon-tum"
DIRECTIVE = "cv-123-tuan-cao-diem-tet-2024.yaml"


@pytest.fixture()
def issued(tmp_path: Path) -> Path:
    """The bundled công văn 123/SVHTTDL-NVVH, issued (--phat-hanh) to one recipient."""
    office = tmp_path / "so"
    shutil.copytree(EXAMPLE, office)
    (office / "nn.csv").write_text("ten\nPhòng Văn hóa và Thông tin huyện Đăk Hà\n", "utf-8")
    result = run_cli(
        "issue", office / DIRECTIVE, "--nguoi-nhan", office / "nn.csv",
        "--cho-phep-ngay", "ví dụ", "--phat-hanh",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return next((office / "out" / DIRECTIVE.removesuffix(".yaml")).glob("001-*.docx"))


def _texts(path: Path) -> list[str]:
    d = docx.Document(str(path))
    out = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                out += [p.text for p in cell.paragraphs]
    return out


def test_sao_y_block_number_and_rerun(issued: Path) -> None:
    before = issued.read_bytes()
    args = ["sao", issued, "--ngay", "20/02/2024", "--noi-nhan", "UBND huyện Đăk Hà"]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    made = issued.with_name(issued.stem + "-sao-y-01.docx")
    assert "bản sao số 01/SY-SVHTTDL (đã giữ số) của văn bản số 123/SVHTTDL-NVVH" in result.output
    assert issued.read_bytes() == before  # the original is never modified
    d = docx.Document(str(made))
    head, sign = d.tables[-2], d.tables[-1]
    cells = [[p.text for p in c.paragraphs] for c in head._cells]
    assert cells == [
        ["SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH", ""],
        ["SAO Y"],
        ["Số: 01/SY-SVHTTDL"],
        ["Kon Tum, ngày 20 tháng 02 năm 2024"],
    ]
    left, right = ([p.text for p in c.paragraphs] for c in sign.rows[0].cells)
    assert left == ["Nơi nhận:", "- UBND huyện Đăk Hà;", "- Lưu: VT."]
    assert right[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] and right[-1] == "Nguyễn Văn An"
    label = head.cell(0, 1).paragraphs[0]
    assert label.runs[0].font.bold and label.runs[0].font.size.pt == 14  # PL-I Phần II §II.2.b
    # the full-width line above the block: a bottom-bordered paragraph before the table
    sep = head._tbl.getprevious()
    assert sep.xpath("./w:pPr/w:pBdr/w:bottom/@w:val") == ["single"]
    assert "KT. GIÁM ĐỐC" in _texts(issued)  # the original's own text is all still there

    again = run_cli(*args)  # a rerun keeps the number and the bytes
    assert again.exit_code == 0 and "01/SY-SVHTTDL" in again.output
    second = run_cli(*args, "--lan", "2")  # another copy: the next number, same series
    assert second.exit_code == 0 and "02/SY-SVHTTDL" in second.output
    trich = run_cli(
        "sao", issued, "--hinh-thuc", "trich-sao", "--tu", "2.", "--den-truoc", "3.",
        "--ngay", "21/02/2024",
    )  # fmt: skip
    assert trich.exit_code == 0, trich.output
    assert "03/TrS-SVHTTDL" in trich.output  # one series for every kind [§II.1.c]
    body = _texts(issued.with_name(issued.stem + "-trich-sao-03.docx"))
    assert any(t.startswith("2. Vận động") for t in body)
    assert not any(t.startswith("1. Tuyên truyền") or t.startswith("3. Tổng hợp") for t in body)
    assert "…" in body and "TRÍCH SAO" in body

    lint = run_cli("the-thuc", made)
    assert lint.exit_code == 0, lint.output
    register = issued.parents[2] / "so-van-ban-di.sqlite3"
    with Register(register) as reg:
        rows = reg.list(series="BS")
    assert [(e.so_ky_hieu, e.type_name) for e in rows] == [
        ("01/SY-SVHTTDL", "Bản sao y"),
        ("02/SY-SVHTTDL", "Bản sao y"),
        ("03/TrS-SVHTTDL", "Bản trích sao"),
    ]


def test_refusals(issued: Path, tmp_path: Path) -> None:
    changed = issued.with_name("sua-tay.docx")
    changed.write_bytes(issued.read_bytes() + b"")
    d = docx.Document(str(issued))
    d.add_paragraph("thêm")
    d.save(str(changed))
    result = run_cli("sao", changed, "--ngay", "20/02/2024")
    assert result.exit_code == 1
    digest = hashlib.sha256(changed.read_bytes()).hexdigest()[:12]
    assert result.stderr.strip() == (
        f"{changed}: không có trong sổ văn bản đi như một văn bản đã phát hành (không tệp "
        f"đã phát hành nào trùng nội dung, SHA-256 {digest}…); chỉ sao được văn bản đã phát "
        "hành. Sổ ghi số 123/SVHTTDL-NVVH đã phát hành là tệp "
        "000-ban-luu.docx (nội dung khác tệp này): sao từ đúng tệp đã phát hành."
    )
    register = issued.parents[2] / "so-van-ban-di.sqlite3"
    with Register(register) as reg:
        reg.void(reg.list(number=123)[0].scope, 123, "ban hành nhầm")
    voided = run_cli("sao", issued, "--ngay", "20/02/2024")
    assert voided.exit_code == 1
    assert voided.stderr.strip() == (
        f"{issued}: số 123/SVHTTDL-NVVH (SVHTTDL, năm 2024) đã hủy trong sổ văn bản đi "
        "(ban hành nhầm); không sao văn bản đã hủy"
    )
    with Register(register) as reg:
        assert reg.list(series="BS") == []  # nothing reserved by a refused run
    trich = run_cli("sao", issued, "--hinh-thuc", "trich-sao")
    assert trich.exit_code == 1
    assert "trích sao cần --tu" in trich.stderr
