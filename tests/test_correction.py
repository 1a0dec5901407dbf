"""Corrections end to end (ND30 Đ18): an issued letter is corrected (đính chính), withdrawn
(thu hồi) or replaced (thay thế) by a new document citing it, numbered from the register;
a draft's unfilled blanks keep it from being checked clean or issued."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.clirun import has_traceback, run_cli
from tests.conftest import INVITATION, ROOT, TODAY
from tetngheo_docs import placeholders
from tetngheo_docs.register import Register, Scope

LETTER = "cv-nhac-bao-cao-tuan-cao-diem-2024.yaml"  # no `so:`: numbered from the register
PEOPLE = "nguoi-nhan-40-don-vi.csv"
SCOPE = Scope.dang("BTGDUK", "CV", "2020-2025")
BLANKS = "- Tại …, đã ghi: “…”; nay sửa lại là: “…”."
FILLED = "- Tại đoạn 2, đã ghi: “gửi kèm tin, bài”; nay sửa lại là: “gửi tin, bài”."


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the Ban Tuyên giáo office folder, as the working directory."""
    folder = tmp_path / "ban-tuyen-giao-duk"
    shutil.copytree(
        ROOT / "directives" / "ban-tuyen-giao-duk",
        folder,
        ignore=shutil.ignore_patterns("out", "*.sqlite3*", "*.jsonl"),
    )
    monkeypatch.chdir(folder)
    return folder


def _issue(name: str, *more: str) -> str:
    result = run_cli("issue", name, "--nguoi-nhan", PEOPLE, "--so-tien-trinh", "1", *more)
    assert result.exit_code == 0 and not has_traceback(result), result.output
    return result.stdout


def _flat(text: str) -> str:
    return " ".join(text.split())


def _number(office: Path, key: str) -> tuple[int, str] | None:
    with Register(office / "so-van-ban-di.sqlite3") as reg:
        entry = reg.by_key(SCOPE, key)
    return None if entry is None else (entry.number, entry.status)


def _reviewed(text: str) -> str:
    """The draft once the clerk has read each "# XEM LẠI" note and deleted it."""
    notes_only = [x for x in text.splitlines() if not x.strip().startswith("# XEM LẠI")]
    return "\n".join(x.split("# XEM LẠI")[0].rstrip() for x in notes_only) + "\n"


def test_edit_issued_letter_then_the_suggested_correction_is_issued_with_the_next_number(
    office: Path,
) -> None:
    assert "số 01-CV/BTGDUK, đã phát hành" in _issue(LETTER, "--phat-hanh")
    text = (office / LETTER).read_text(encoding="utf-8")
    (office / LETTER).write_text(text.replace("gửi kèm\n  tin", "gửi\n  tin"), encoding="utf-8")

    refused = run_cli("issue", LETTER, "--nguoi-nhan", PEOPLE)
    assert refused.exit_code == 1 and not has_traceback(refused), refused.output
    suggested = re.search(r"tetngheo (new dinh-chinh \S+)", refused.stderr)
    assert suggested is not None, refused.stderr

    made = run_cli(*suggested.group(1).split())
    assert made.exit_code == 0 and not has_traceback(made), made.output
    name = LETTER.replace(".yaml", "-dinh-chinh.yaml")
    assert made.stdout.startswith(f"đã tạo {name}\n")
    draft = (office / name).read_text(encoding="utf-8")
    flat = _flat(draft)
    assert "trich_yeu: V/v đính chính Công văn số 01-CV/BTGDUK" in draft
    assert (
        "Ngày 22/01/2024, Ban Tuyên giáo Đảng ủy Khối ban hành Công văn số 01-CV/BTGDUK về việc "
        "báo cáo kết quả thực hiện “Tuần cao điểm Tết vì người nghèo” năm 2024."
    ) in flat
    assert "Điều 18" in flat and "\nso:" not in draft
    assert f"ngay: {TODAY:%d/%m/%Y}" in draft  # the day it is drafted (tests freeze "today")

    # The unfilled draft: refused by check, at the blanks' line and column, and by issue.
    line = draft.splitlines().index(f"  {BLANKS}") + 1
    check = run_cli("check", name)
    assert check.exit_code == 1 and not has_traceback(check), check.output
    assert f"{name}:{line}:9: noi_dung: bản nháp còn 3 chỗ trống “…” chưa điền" in check.stderr
    # Its review notes are shown too (warnings: a draft may be checked while being written).
    assert f"{name}:12:27: ngay: cảnh báo: bản nháp chưa xong" in check.stderr
    unfilled = run_cli("issue", name, "--nguoi-nhan", PEOPLE, "--phat-hanh")
    assert unfilled.exit_code == 1 and f"{name}:{line}:9: noi_dung:" in unfilled.stderr
    assert _number(office, name) is None  # refused before any number was taken

    (office / name).write_text(_reviewed(draft.replace(BLANKS, FILLED)), encoding="utf-8")
    good = run_cli("check", name)
    assert good.exit_code == 0, good.output
    assert "số 02-CV/BTGDUK, đã phát hành" in _issue(name, "--phat-hanh")
    assert _number(office, name) == (2, "issued")
    assert _number(office, LETTER) == (1, "issued")

    again = run_cli(*suggested.group(1).split())  # a draft is never overwritten
    assert again.exit_code == 1 and "đã có; không ghi đè" in again.stderr


def test_an_original_never_issued_or_only_reserved_is_edited_not_corrected(office: Path) -> None:
    never = run_cli("new", "dinh-chinh", LETTER)
    assert never.exit_code == 1 and not has_traceback(never), never.output
    assert never.stderr.startswith(f"{LETTER}: văn bản chưa phát hành (chưa có số)")
    assert "Không thấy sổ văn bản đi" in never.stderr and "--so-van-ban-di" in never.stderr

    (office / "khac.yaml").write_text(
        (office / LETTER).read_text(encoding="utf-8"), encoding="utf-8"
    )
    _issue("khac.yaml")  # a register exists now; the letter is not in it
    missing = run_cli("new", "thu-hoi", LETTER)
    assert missing.exit_code == 1
    assert "không có văn bản này (BTGDUK, loại CV, nhiệm kỳ 2020-2025" in missing.stderr

    reserved = run_cli("new", "thay-the", "khac.yaml")  # numbered, not published
    assert reserved.exit_code == 1
    assert "văn bản số 01-CV/BTGDUK mới giữ số, chưa phát hành" in reserved.stderr
    assert not list(office.glob("*-dinh-chinh.yaml")) + list(office.glob("*-thu-hoi.yaml"))


def test_voided_and_per_letter_numbers_are_refused_with_a_reason(office: Path) -> None:
    (office / "rieng.yaml").write_text(INVITATION, encoding="utf-8")
    (office / "ds.csv").write_text("ten,so_nguoi\nChi bộ 1,2\nChi bộ 2,3\n", encoding="utf-8")
    run = run_cli("issue", "rieng.yaml", "--nguoi-nhan", "ds.csv", "--phat-hanh")
    assert run.exit_code == 0, run.output
    per_letter = run_cli("new", "dinh-chinh", "rieng.yaml")
    assert per_letter.exit_code == 1 and not has_traceback(per_letter)
    assert "cấp số riêng cho từng nơi nhận (2 số, từ 01-CV/BTGDUK đến 02-CV/BTGDUK)" in (
        per_letter.stderr
    )
    _issue(LETTER)  # number 03, reserved
    assert run_cli("register", "void", "03", "--ly-do", "ban hành nhầm").exit_code == 0
    voided = run_cli("new", "thu-hoi", LETTER)
    assert voided.exit_code == 1
    assert "số 03-CV/BTGDUK đã hủy trong sổ văn bản đi (ban hành nhầm)" in voided.stderr


def test_register_elsewhere_is_named_with_register_option(office: Path, tmp_path: Path) -> None:
    book = tmp_path / "so-rieng.sqlite3"
    _issue(LETTER, "--phat-hanh", "--register", str(book))
    assert run_cli("new", "dinh-chinh", LETTER).exit_code == 1
    made = run_cli("new", "dinh-chinh", LETTER, "--register", book, "--out", "dc.yaml")
    assert made.exit_code == 0, made.output
    assert "Công văn số 01-CV/BTGDUK" in (office / "dc.yaml").read_text(encoding="utf-8")


def test_thu_hoi_and_thay_the_cite_the_original_and_wait_for_their_blanks(office: Path) -> None:
    _issue(LETTER, "--phat-hanh")
    for kind in ("thu-hoi", "thay-the"):
        result = run_cli("new", kind, LETTER)
        assert result.exit_code == 0 and not has_traceback(result), result.output

    withdraw = office / LETTER.replace(".yaml", "-thu-hoi.yaml")
    text = withdraw.read_text(encoding="utf-8")
    flat = _flat(text)
    assert "trich_yeu: V/v thu hồi Công văn số 01-CV/BTGDUK" in text
    assert "Do …, Ban Tuyên giáo Đảng ủy Khối thu hồi Công văn số 01-CV/BTGDUK nêu trên." in flat
    assert "đối với văn bản giấy, gửi lại văn bản đã nhận" in flat  # ND30 Đ18 khoản 3
    assert "hủy bỏ văn bản bị thu hồi trên Hệ thống" in flat
    assert run_cli("check", withdraw.name).exit_code == 1
    withdraw.write_text(text.replace("Do …,", "Do nội dung không còn phù hợp,"), "utf-8")
    assert run_cli("check", withdraw.name).exit_code == 0

    replace = office / LETTER.replace(".yaml", "-thay-the.yaml")
    text = replace.read_text(encoding="utf-8")
    flat = _flat(text)
    assert "loai: cong_van" in text and "\nso:" not in text  # same type; a number of its own
    assert "trước ngày **${han_nop}**" in text  # the original's body, as typed
    assert (
        "Công văn này thay thế Công văn số 01-CV/BTGDUK, ngày 22/01/2024 của Ban Tuyên giáo "
        "Đảng ủy Khối về việc báo cáo kết quả thực hiện"
    ) in flat
    check = run_cli("check", replace.name)
    assert check.exit_code == 1 and "noi_dung: bản nháp còn 1 chỗ trống" in check.stderr
    reminder = next(x for x in text.splitlines() if x.startswith("  … "))
    replace.write_text(_reviewed(text.replace(reminder + "\n\n", "")), encoding="utf-8")
    assert run_cli("check", replace.name).exit_code == 0
    assert "số 02-CV/BTGDUK, đã phát hành" in _issue(replace.name, "--phat-hanh")


def test_thu_hoi_of_a_decision_is_a_decision_numbered_by_hand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ubnd"
    shutil.copytree(ROOT / "directives" / "ubnd-tinh-kon-tum", folder)
    monkeypatch.chdir(folder)
    original = "qd-thanh-lap-bcd-tuan-cao-diem-2024.yaml"  # `so: 5`, issued by hand
    assert run_cli("new", "thu-hoi", original).exit_code == 0
    name = original.replace(".yaml", "-thu-hoi.yaml")
    text = (folder / name).read_text(encoding="utf-8")
    assert "loai: quyet_dinh" in text and "Về việc thu hồi Quyết định số 05/QĐ-UBND" in text
    assert (
        "Điều 1. Thu hồi Quyết định số 05/QĐ-UBND ngày 03/01/2024 của Chủ tịch Ủy ban nhân dân "
        "tỉnh Kon Tum về việc thành lập Ban Chỉ đạo"
    ) in _flat(text)
    check = run_cli("check", name)
    assert check.exit_code == 1
    paths = [line.split(": ")[1] for line in check.stderr.splitlines() if "chỗ trống" in line]
    assert paths == ["tham_quyen", "can_cu[0]", "noi_dung", "noi_dung"]

    as_letter = run_cli("new", "thu-hoi", original, "--loai", "cong_van", "--out", "cv.yaml")
    assert as_letter.exit_code == 0, as_letter.output
    assert "V/v thu hồi Quyết định số 05/QĐ-UBND" in (folder / "cv.yaml").read_text("utf-8")


@pytest.mark.parametrize(
    ("text", "blanks"),
    [
        ("Tại …, đã ghi: “…”; nay sửa lại là: “…”.", 3),
        ("Số …-CV/ĐU, ngày … tháng … năm 2024", 3),
        ('Căn cứ "..." và ‘…’', 2),
        ("văn hóa, thể thao, …", 0),  # an enumeration's ellipsis
        ("các trang mạng xã hội…", 0),  # glued to a word
        ("“Đảng ta […] đã lãnh đạo” (…)", 0),  # a cut in a quotation
        ("Họ và tên: ……………………", 0),  # a dotted line to fill in by hand
    ],
)
def test_blanks_are_lone_or_quoted_ellipses(text: str, blanks: int) -> None:
    assert len(placeholders.find(text)) == blanks
