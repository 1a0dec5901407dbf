"""`tetngheo register list | show | void | export`: where the register is found, scoping a
number, Vietnamese messages and exit codes, and the exported files."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from tests.clirun import has_traceback, run_cli
from tests.conftest import ROOT
from tetngheo_docs import api
from tetngheo_docs.register import COLUMNS, DEFAULT_FILE, REGISTER_TITLE, Register, Scope
from tetngheo_docs.register_cli import AGENCY_FILE

STATE = Scope.nha_nuoc("SVHTTDL", 2024)
SECRET = Scope.nha_nuoc("SVHTTDL", 2024, "mat")
PARTY = Scope.dang("BTGDUK", "CV", "2020-2025")


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An agency folder (Sở VHTTDL Kon Tum) with a register of a few numbers; the working
    directory is a subfolder, so the register is found by searching upwards."""
    folder = tmp_path / "so-vhttdl"
    folder.mkdir()
    shutil.copy(ROOT / "directives" / "so-vhttdl-kon-tum" / "tetngheo.yaml", folder)
    with Register(folder / DEFAULT_FILE, actor="vanthu") as reg:
        kh = reg.reserve(
            STATE,
            "kh-55",
            symbol="KH-SVHTTDL",
            date="15/01/2024",
            type_name="Kế hoạch",
            subject="Phát động phong trào vì người nghèo",
            signer="Nguyễn Văn An",
            copies=12,
        )
        reg.issue(kh.id, file="out/kh-55.docx", sha256="a" * 64)
        reg.reserve(STATE, "cv-2", symbol="SVHTTDL-VP", date="16/01/2024", subject="=1+1")
        reg.reserve(STATE, "cv-3", symbol="SVHTTDL-VP", date="17/01/2024")
        reg.reserve(SECRET, "bc-1", symbol="BC-SVHTTDL", date="2024-02-01", subject="Mật")
    work = folder / "drafts"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("USER", "tester")
    return folder


def _ok(*args: str | Path) -> str:
    result = run_cli("register", *args)
    assert not has_traceback(result), result.output
    assert result.exit_code == 0, result.output
    return result.stdout


def _fails(*args: str | Path, code: int = 1) -> str:
    result = run_cli("register", *args)
    assert not has_traceback(result), result.output
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    return result.stderr


def test_agency_file_name_matches_the_pipeline() -> None:
    assert AGENCY_FILE == api.AGENCY_FILE


def test_help_lists_the_commands() -> None:
    assert "register" in run_cli("-h").stdout
    out = run_cli("register", "-h").stdout
    for command in ("list", "show", "void", "export"):
        assert command in out
    assert "Sổ văn bản đi" in out
    assert "--ly-do" in run_cli("register", "void", "-h").stdout


def test_list_finds_the_register_upwards(office: Path) -> None:
    out = _ok("list")
    assert "Nhà nước — SVHTTDL, năm 2024: 2 đã giữ số, 1 đã ban hành" in out
    assert "Nhà nước — SVHTTDL, dãy số mật, năm 2024: 1 đã giữ số" in out
    assert "01/KH-SVHTTDL" in out and "15/01/2024" in out and "đã ban hành" in out
    assert "02/SVHTTDL-VP" in out


def test_list_filters(office: Path) -> None:
    out = _ok("list", "--trang-thai", "issued")
    assert "01/KH-SVHTTDL" in out and "02/SVHTTDL-VP" not in out
    out = _ok("list", "--day-so", "mat")
    assert "01/BC-SVHTTDL" in out and "KH-SVHTTDL" not in out
    assert _ok("list", "--nhiem-ky", "2020-2025") == "Sổ chưa có văn bản nào (kỳ 2020-2025).\n"
    assert "Sổ chưa có văn bản nào" in _ok("list", "--loai", "CV", "--he-thong", "dang")


def test_list_bad_filters_are_usage_errors(office: Path) -> None:
    assert "năm viết bốn chữ số" in _fails("list", "--nam", "24", code=2)
    assert "nhiệm kỳ viết dạng 2020-2025" in _fails("list", "--nhiem-ky", "2020", code=2)
    assert "--nam" in _fails("list", "--nam", "2024", "--nhiem-ky", "2020-2025", code=2)
    assert "--trang-thai: 'lost' không phải một trong: da-giu-so, da-ban-hanh, da-huy" in (
        _fails("list", "--trang-thai", "lost", code=2)
    )


def test_no_register_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    err = _fails("list")
    assert "không có tetngheo.yaml" in err and "--so-van-ban-di" in err
    err = _fails("list", "--register", tmp_path / "none.sqlite3")
    assert "chưa có sổ văn bản đi" in err
    assert not (tmp_path / "none.sqlite3").exists()  # looking never creates a register
    (tmp_path / "bad.sqlite3").write_text("hello" * 100)
    assert "không phải tệp sổ văn bản" in _fails("list", "--register", tmp_path / "bad.sqlite3")


def test_explicit_register_path(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert "01/KH-SVHTTDL" in _ok("list", "--register", office / DEFAULT_FILE)


def test_show(office: Path) -> None:
    out = _ok("show", "1", "--day-so", "chung")
    assert "Số, ký hiệu:   01/KH-SVHTTDL" in out
    assert "Trạng thái:    đã ban hành" in out
    assert "Số lượng bản:  12" in out
    assert "vanthu  giữ số" in out and "vanthu  ban hành" in out
    assert _ok("show", "01/KH-SVHTTDL") == out  # the number with its symbol is unique
    assert _ok("show", "01", "--nam", "2024", "--day-so", "chung") == out


def test_show_ambiguous_number_lists_the_choices(office: Path) -> None:
    err = _fails("show", "1")
    assert "có 2 văn bản số 01 ở các dãy số khác nhau" in err
    assert "01/KH-SVHTTDL — SVHTTDL, năm 2024: thêm --day-so chung" in err
    assert "01/BC-SVHTTDL — SVHTTDL, dãy số mật, năm 2024: thêm --day-so mat" in err


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("9", "không có văn bản số 09 trong sổ"),
        ("1a", "số văn bản không hợp lệ: '1a'"),
        ("0", "số văn bản phải từ 1 trở lên"),
        ("-7", "không có tùy chọn '-7'"),
        ("99999999999999999999999", "số văn bản quá lớn"),
        ("02/KH-SVHTTDL", "không có văn bản số '02/KH-SVHTTDL' trong sổ"),
    ],
)
def test_show_bad_numbers(office: Path, number: str, message: str) -> None:
    code = 2 if number.startswith("-") else 1
    assert message in _fails("show", number, code=code)


def test_void(office: Path) -> None:
    out = _ok("void", "2", "--ly-do", "Ban hành nhầm", "--day-so", "chung")
    assert "Đã hủy số 02/SVHTTDL-VP (SVHTTDL, năm 2024): Ban hành nhầm" in out
    assert "số tiếp theo của dãy là 04" in out
    with Register(office / DEFAULT_FILE) as reg:
        entry = reg.get(STATE, 2)
        assert (entry.status, entry.reason) == ("void", "Ban hành nhầm")
        assert reg.history(entry.id)[-1].actor == "tài khoản máy: tester"
        assert reg.reserve(STATE, "new").number == 4  # the voided number is never reused
    assert "đã hủy từ trước" in _ok("void", "02/SVHTTDL-VP", "--ly-do", "lại")
    out = _ok("show", "02/SVHTTDL-VP")
    assert "Lý do hủy:     Ban hành nhầm" in out and "hủy số — Ban hành nhầm" in out
    assert "Đã hủy: Ban hành nhầm" in _ok("list")


def test_void_actor_option(office: Path) -> None:
    _ok("void", "3", "--day-so", "chung", "--ly-do", "Nhầm", "--nguoi-thuc-hien", "Trần Thị B")
    with Register(office / DEFAULT_FILE) as reg:
        assert reg.history(reg.get(STATE, 3).id)[-1].actor == "Trần Thị B"


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["2", "--day-so", "chung"], "cần ghi lý do hủy số", 1),
        (["2", "--day-so", "chung", "--ly-do", "  "], "cần ghi lý do hủy số", 1),
        (["9", "--ly-do", "x"], "không có văn bản số 09", 1),
        (["1a", "--ly-do", "x"], "số văn bản không hợp lệ", 1),
        (["1", "--ly-do", "x"], "có 2 văn bản số 01", 1),
        (["--ly-do", "x"], "thiếu SỐ", 2),
    ],
)
def test_void_refused_changes_nothing(
    office: Path, args: list[str], message: str, code: int
) -> None:
    assert message in _fails("void", *args, code=code)
    with Register(office / DEFAULT_FILE) as reg:
        assert [e.status for e in reg.list()] == ["issued", "reserved", "reserved", "reserved"]
        assert reg.next_number(STATE) == 4
        assert sum(len(reg.history(e.id)) for e in reg.list()) == 5


def test_export(office: Path, tmp_path: Path) -> None:
    out = _ok(
        "export",
        "--csv",
        tmp_path / "so.csv",
        "--xlsx",
        tmp_path / "so.xlsx",
        "--docx",
        tmp_path / "out" / "so.docx",
        "--day-so",
        "chung",
    )
    assert out.count("(3 số)") == 3
    data = (tmp_path / "so.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0][:10]) == COLUMNS
    assert [r[0] for r in rows[1:]] == ["01/KH-SVHTTDL", "02/SVHTTDL-VP", "03/SVHTTDL-VP"]
    assert rows[2][2] == "'=1+1"

    from docx import Document
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "so.xlsx").active
    assert ws is not None and ws["A1"].value == COLUMNS[0] and ws["C3"].value == "'=1+1"
    doc = Document(str(tmp_path / "out" / "so.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == [
        REGISTER_TITLE,
        "Sở Văn hóa, Thể thao và Du lịch tỉnh Kon Tum",  # the full name from tetngheo.yaml
        "Năm 2024",
    ]
    assert tuple(c.text for c in doc.tables[0].rows[0].cells) == COLUMNS
    assert len(doc.tables[0].rows) == 2 + 3


def test_export_is_deterministic(office: Path, tmp_path: Path) -> None:
    _ok("export", "--docx", tmp_path / "a.docx")
    _ok("export", "--docx", tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()


def test_export_needs_a_target(office: Path) -> None:
    assert "cần ít nhất một trong --csv" in _fails("export", code=2)


def test_export_empty_selection(office: Path, tmp_path: Path) -> None:
    out = _ok("export", "--csv", tmp_path / "e.csv", "--nam", "2030")
    assert "(0 số)" in out
    assert (tmp_path / "e.csv").read_bytes().decode("utf-8-sig").count("\r\n") == 1


def test_export_unwritable_target(office: Path, tmp_path: Path) -> None:
    (tmp_path / "folder.csv").mkdir()
    assert "không ghi được" in _fails("export", "--csv", tmp_path / "folder.csv")
