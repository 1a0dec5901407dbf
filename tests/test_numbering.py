"""Numbers a văn thư can trust, walked as she would: every number through the register
(automatic or written by hand), adopting the tool mid-year, odd dates, voided numbers, a
run that fails consuming nothing, and a killed run whose workers stop (issue 13)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from tests.clirun import has_traceback, run_cli
from tests.conftest import SEED_000, cp1258, office_copy
from tetngheo_docs.register import DEFAULT_FILE, Register, Scope

PARTY = Scope.dang("BTGDUK", "CV", "2020-2025")


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    rows = ["ten;han_nop;so_nguoi"] + [f"Chi bộ số {i};30/01/2024;{i % 3 + 1}" for i in range(1, 4)]
    folder = office_copy(tmp_path, rows)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("USER", "lan")
    return folder


def _run(*args: str | Path) -> tuple[int, str]:
    result = run_cli(*args)
    assert not has_traceback(result), result.output
    # Both streams, whatever the click version (8.1 keeps stderr out of `output`).
    return result.exit_code, result.stdout + result.stderr


def _issue(office: Path, directive: str, *extra: str, out: str = "out") -> tuple[int, str]:
    return _run(
        "issue",
        office / directive,
        "--nguoi-nhan",
        office / "ds.csv",
        "--out",
        office / out,
        *extra,
    )


def _entries(office: Path) -> list[tuple[int, str, str, str]]:
    path = office / DEFAULT_FILE
    if not path.exists():
        return []
    with Register(path) as reg:
        return [(e.number, e.key, e.status, e.origin) for e in reg.list()]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("*")} if folder.is_dir() else {}


def _with_so(office: Path, name: str, number: int) -> str:
    text = (office / "chung.yaml").read_text(encoding="utf-8")
    (office / name).write_text(f"so: {number}\n{text}", encoding="utf-8")
    return name


# --------------------------------------------------------------------------- hand numbers


def test_hand_number_already_issued_is_refused_naming_the_holder(office: Path) -> None:
    assert _issue(office, "chung.yaml", "--phat-hanh")[0] == 0
    # Last month's file copied with its number left in: `so: 1` again.
    copy = _with_so(office, "copy.yaml", 1)
    code, out = _issue(office, copy, out="out2")
    assert code == 1
    assert "copy.yaml:1:1: so: số 01-CV/BTGDUK" in out
    assert "đã cấp cho văn bản khác" in out and "khóa 'chung.yaml', đã ban hành" in out
    assert "bỏ 'so'" in out and "số tiếp theo (02)" in out
    assert not (office / "out2").exists()
    assert _entries(office) == [(1, "chung.yaml", "issued", "auto")]


def test_hand_number_is_entered_in_the_register(office: Path) -> None:
    assert _issue(office, _with_so(office, "tay.yaml", 1))[0] == 0
    assert _entries(office) == [(1, "tay.yaml", "reserved", "manual")]
    code, out = _issue(office, "chung.yaml", out="out2")  # the next automatic number
    assert code == 0 and "số 02-CV/BTGDUK" in out
    other = (office / "chung.yaml").read_text(encoding="utf-8").replace("V/v", "V/v nhắc lại")
    (office / "khac.yaml").write_text(other, encoding="utf-8")
    code, out = _issue(office, "khac.yaml", "--so", "2", out="out3")
    assert code == 1 and "--so 2: số 02-CV/BTGDUK" in out


def test_render_refuses_a_hand_number_the_register_gave_away(office: Path) -> None:
    assert _issue(office, "chung.yaml")[0] == 0
    code, out = _run("render", office / SEED_000, "--so", "1", "--out", office / "r")
    assert code == 1 and f"{SEED_000}:1:1: so: --so 1: số 01-CV/BTGDUK" in out
    assert not (office / "r").exists()
    # The next number, by hand: entered in the register, then rendered.
    code, out = _run("render", office / SEED_000, "--so", "2", "--out", office / "r")
    assert code == 0, out
    assert _entries(office) == [
        (1, "chung.yaml", "reserved", "auto"),
        (2, SEED_000, "reserved", "manual"),
    ]
    # Rendered again: its own number, nothing new; the next automatic number follows it.
    assert _run("render", office / SEED_000, "--so", "2", "--out", office / "r")[0] == 0
    code, out = _issue(office, "rieng.yaml")  # one number per letter, after 02
    assert code == 0 and "số 03 đến 05" in out


def test_render_of_a_hand_number_in_a_closed_term_needs_a_reason(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tetngheo_docs.vn import dates

    assert _issue(office, "chung.yaml")[0] == 0  # the office has a register
    monkeypatch.setattr(dates, "today_vn", lambda: date(2026, 12, 4))
    code, out = _run("render", office / SEED_000, "--so", "2", "--out", office / "r")
    assert code == 1 and "thuộc nhiệm kỳ 2020-2025 đã kết thúc" in out
    assert len(_entries(office)) == 1 and not (office / "r").exists()
    reason = ["--cho-phep-ngay", "in lại bản lưu năm 2024"]
    assert _run("render", office / SEED_000, "--so", "2", "--out", office / "r", *reason)[0] == 0
    assert _entries(office)[-1] == (2, SEED_000, "reserved", "manual")


def test_render_without_a_register_says_the_number_is_not_in_one(office: Path) -> None:
    code, out = _run("render", office / SEED_000, "--out", office / "r")
    assert code == 0
    assert "số 196 chưa được ghi vào sổ văn bản đi" in out and "register bat-dau" in out
    assert not (office / DEFAULT_FILE).exists()


# --------------------------------------------------------------------------- mid-year adoption


def test_start_mid_year_with_112_numbers_used(office: Path) -> None:
    code, out = _run(
        "register", "bat-dau", "--loai", "CV", "--nhiem-ky", "2020-2025", "--so-da-dung", "112"
    )
    assert code == 0, out
    assert "số tiếp theo là 113" in out
    code, out = _issue(office, "chung.yaml", "--phat-hanh")
    assert code == 0 and "số 113-CV/BTGDUK" in out
    code, out = _issue(office, _with_so(office, "cu.yaml", 57), out="o2")
    assert code == 1 and "số 57 nằm trong các số đã dùng trước khi có sổ này" in out
    code, out = _run(
        "register", "bat-dau", "--loai", "CV", "--nhiem-ky", "2020-2025", "--so-da-dung", "120"
    )
    assert code == 1 and "đã có số trong sổ" in out


def test_first_hand_number_in_an_empty_series_sets_where_it_stands(office: Path) -> None:
    assert _issue(office, _with_so(office, "dau-tien.yaml", 113))[0] == 0
    code, out = _issue(office, "chung.yaml", out="o2")
    assert code == 0 and "số 114-CV/BTGDUK" in out


def test_import_old_register_saved_by_excel_on_vietnamese_windows(office: Path) -> None:
    # Excel "CSV" on Vietnamese Windows: Windows-1258 bytes, ';' between cells, CRLF.
    rows = [
        "Số, ký hiệu văn bản;Ngày tháng văn bản;Tên loại và trích yếu nội dung văn bản;"
        "Người ký;Trạng thái",
        "01-CV/BTGDUK;05/01/2024;Công văn V/v học tập Nghị quyết;Nguyễn Văn Hùng;",
        "02-CV/BTGDUK;08/01/2024;Công văn V/v tuyên truyền Tết;Nguyễn Văn Hùng;đã hủy",
        "03-CV/BTGDUK;10/01/2024;Công văn V/v báo cáo tháng;Trần Thị Mai;",
    ]
    data = cp1258("\r\n".join(rows) + "\r\n")
    (office / "so-cu.csv").write_bytes(data)
    code, out = _run(
        "register", "nhap", office / "so-cu.csv", "--loai", "CV", "--nhiem-ky", "2020-2025"
    )
    assert code == 0, out
    assert "Đã nhập 3 số" in out and "số tiếp theo là 04" in out
    with Register(office / DEFAULT_FILE) as reg:
        one, two, _ = reg.list()
    assert one.subject == "Công văn V/v học tập Nghị quyết" and one.signer == "Nguyễn Văn Hùng"
    assert (one.origin, one.status, two.status) == ("imported", "issued", "void")
    code, out = _run("register", "list")
    assert "Nhập từ sổ cũ" not in out or code == 0
    code, out = _issue(office, "chung.yaml")
    assert code == 0 and "số 04-CV/BTGDUK" in out


def test_import_with_a_missing_number_writes_nothing(office: Path) -> None:
    (office / "so-cu.csv").write_text("Số;Trích yếu\n1;A\n3;C\n", encoding="utf-8")
    code, out = _run(
        "register", "nhap", office / "so-cu.csv", "--loai", "CV", "--nhiem-ky", "2020-2025"
    )
    assert code == 1 and "sổ cũ thiếu số 02" in out
    assert _entries(office) == []


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 1, 10), "22/01/2024 còn ở tương lai (hôm nay 10/01/2024)"),
        (date(2026, 12, 4), "thuộc nhiệm kỳ 2020-2025 đã kết thúc (14/10/2025)"),
    ],
)
def test_odd_dates_are_refused_unless_overridden(
    office: Path, monkeypatch: pytest.MonkeyPatch, today: date, expected: str
) -> None:
    from tetngheo_docs.vn import dates

    monkeypatch.setattr(dates, "today_vn", lambda: today)
    code, out = _issue(office, "chung.yaml")
    assert code == 1
    assert "chung.yaml:7:1: ngay: ngày văn bản" in out and expected in out
    assert "--cho-phep-ngay" in out
    assert _entries(office) == [] and not (office / "out").exists()
    code, out = _issue(office, "chung.yaml", "--cho-phep-ngay", "ký ngày 22/01, nhập muộn")
    assert code == 0, out
    with Register(office / DEFAULT_FILE) as reg:
        (row,) = reg.history(1)
    assert row.detail["override_reason"] == "ký ngày 22/01, nhập muộn"
    assert expected.split(" (")[0] in row.detail["date_override"]
    assert (
        "ngày ngoài kỳ được cho phép: ký ngày 22/01, nhập muộn" in _run("register", "show", "1")[1]
    )


def test_state_document_dated_in_a_past_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from tests.conftest import ROOT
    from tetngheo_docs.vn import dates

    folder = tmp_path / "so"
    shutil.copytree(ROOT / "directives" / "so-vhttdl-kon-tum", folder)
    (folder / "ds.csv").write_text("ten\nPhòng Văn hóa\n", encoding="utf-8")
    monkeypatch.setattr(dates, "today_vn", lambda: date(2025, 1, 3))
    directive = next(p for p in folder.glob("cv-*.yaml"))
    code, out = _run("issue", directive, "--nguoi-nhan", folder / "ds.csv", "--out", folder / "o")
    assert code == 1 and "thuộc năm 2024 đã kết thúc" in out and "năm 2025 có dãy số mới" in out


def test_a_new_series_is_announced(office: Path) -> None:
    code, out = _issue(office, "chung.yaml", "--dry-run")
    assert code == 0 and "Sẽ mở dãy số mới: BTGDUK, loại CV, nhiệm kỳ 2020-2025" in out
    assert not (office / DEFAULT_FILE).exists()  # a dry run writes nothing
    code, out = _issue(office, "chung.yaml")
    assert "Mở dãy số mới: BTGDUK, loại CV, nhiệm kỳ 2020-2025, bắt đầu từ số 01." in out
    code, out = _issue(office, "chung.yaml")
    assert "Mở dãy số mới" not in out


# --------------------------------------------------------------------------- voided numbers


def test_rerun_of_a_voided_number_stops_before_any_file(office: Path) -> None:
    assert _issue(office, "chung.yaml")[0] == 0
    assert _run("register", "void", "1", "--ly-do", "sai người ký", "-y")[0] == 0
    (office / "out" / "001-chi-bo-so-1.docx").unlink()  # a rerun would have to write it
    before = _files(office / "out")
    for extra in ((), ("--phat-hanh",)):
        code, out = _issue(office, "chung.yaml", *extra)
        assert code == 1
        assert "số 01-CV/BTGDUK" in out and "đã hủy (sai người ký)" in out
        assert "không bao giờ in lại" in out and "đặt 'ma:' mới" in out
        assert _files(office / "out") == before
    # The way forward works: a new id, a new number.
    text = (office / "chung.yaml").read_text(encoding="utf-8")
    (office / "chung.yaml").write_text("ma: cv-nhac-bao-cao-lan-2\n" + text, encoding="utf-8")
    code, out = _issue(office, "chung.yaml")
    assert code == 0 and "số 02-CV/BTGDUK" in out


# --------------------------------------------------------------------------- check first


def test_uncreatable_out_consumes_no_number(office: Path) -> None:
    (office / "a-file").write_text("x", encoding="utf-8")
    code, out = _issue(office, "chung.yaml", out="a-file/out")
    assert code == 1
    assert "a-file/out: không tạo hoặc không ghi được thư mục ra" in out
    assert "Chưa lấy số nào, chưa ghi tệp nào." in out
    assert not (office / DEFAULT_FILE).exists()


def test_broken_template_consumes_no_number(office: Path) -> None:
    (office / "mau.docx").write_bytes(b"not a zip")
    text = (office / "tetngheo.yaml").read_text(encoding="utf-8")
    assert "mau:" not in text
    _issue(office, "chung.yaml", "--dry-run")  # nothing yet
    # A missing recipient field, then a bad list: nothing reserved either way.
    (office / "ds.csv").write_text("ten;han_nop\nChi bộ A;\n", encoding="utf-8")
    code, out = _issue(office, "chung.yaml")
    assert code == 1 and "thiếu giá trị cột 'han_nop'" in out
    assert _entries(office) == [] and not (office / "out").exists()


@pytest.mark.skipif(sys.platform != "linux", reason="Linux: workers die with their parent")
def test_workers_stop_when_the_main_process_is_killed(office: Path) -> None:
    people = office / "ds300.csv"
    people.write_text(
        "ten;so_nguoi\n" + "".join(f"Chi bộ {i:03d};2\n" for i in range(600)), encoding="utf-8"
    )
    out = office / "out-kill"
    cmd = [
        sys.executable,
        "-m",
        "tetngheo_docs",
        "issue",
        str(office / "rieng.yaml"),
        "--nguoi-nhan",
        str(people),
        "--out",
        str(out),
        "--so-tien-trinh",
        "2",
        "--cho-phep-ngay",
        "kiểm thử: văn bản mẫu năm 2024",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.docx"))) < 30:
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    at_kill = len(list(out.glob("*.docx")))
    time.sleep(1.5)
    # Each worker may finish the one letter it was writing; none starts another (before,
    # each finished its whole chunk: some 40 more letters, which no register recorded).
    assert len(list(out.glob("*.docx"))) - at_kill <= 2


# --------------------------------------------------------------------------- readable records


def test_records_name_the_configured_clerk_in_vietnam_time(office: Path) -> None:
    agency = office / "tetngheo.yaml"
    agency.write_text(
        agency.read_text(encoding="utf-8") + "nguoi_thuc_hien: Nguyễn Thị Lan\n", encoding="utf-8"
    )
    assert _issue(office, "chung.yaml")[0] == 0
    with Register(office / DEFAULT_FILE) as reg:
        (entry,) = reg.list()
        (row,) = reg.history(entry.id)
    assert entry.actor == row.actor == "Nguyễn Thị Lan"
    assert row.at.endswith("+07:00")
    history = (office / "lich-su-ban-hanh.jsonl").read_text(encoding="utf-8")
    assert '+07:00"' in history
    out = _run("register", "show", "1")[1]
    assert "(giờ Việt Nam)  Nguyễn Thị Lan  giữ số" in out


def test_without_a_configured_clerk_the_os_account_is_labelled(office: Path) -> None:
    assert _issue(office, "chung.yaml")[0] == 0
    with Register(office / DEFAULT_FILE) as reg:
        assert reg.list()[0].actor == "tài khoản máy: lan"
