"""Unfinished drafts cannot go out: the review notes and bracketed instructions the draft
generators leave are shown by `check`, and refused by `render --strict` and
`issue --phat-hanh`, each at its line (issue 14, item 6)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.clirun import has_traceback, run_cli
from tests.conftest import ROOT
from tetngheo_docs.register import DEFAULT_FILE

OFFICE = ROOT / "directives" / "dang-uy-bqlkkt-kon-tum"


@pytest.fixture
def draft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`tetngheo new thang 07/2024` in a copy of the Đảng ủy's monthly folder, as it comes."""
    shutil.copytree(OFFICE, tmp_path / "office")
    folder = tmp_path / "office" / "hang-thang"
    monkeypatch.chdir(folder)
    result = run_cli("new", "thang", "07/2024")
    assert result.exit_code == 0, result.output
    return folder / "thang-07-2024.yaml"


def _run(*args: str | Path) -> tuple[int, str, str]:
    result = run_cli(*args)
    assert not has_traceback(result), result.output
    return result.exit_code, result.stdout, result.stderr


NOTES = [
    (8, "so", "# XEM LẠI: để trống đến khi cấp số"),
    (9, "ngay", "# XEM LẠI: ngày ký"),
    (11, "kinh_gui", "# XEM LẠI: nơi nhận chính"),
    (14, "noi_dung", "# XEM LẠI nội dung tháng 07-2024:"),
]


def test_check_shows_every_unfinished_part_and_passes(draft: Path) -> None:
    code, out, err = _run("check", draft)
    assert code == 0 and "hợp lệ" in out
    lines = err.splitlines()
    for line, path, note in NOTES:
        assert any(
            x.startswith(f"{draft.name}:{line}:")
            and f": {path}: cảnh báo: bản nháp chưa xong" in x
            and note in x
            for x in lines
        ), (line, lines)
    assert any(
        x.startswith(
            f"{draft.name}:25:19: noi_dung: cảnh báo: bản nháp chưa xong: chỗ cần điền "
            "'[nhiệm vụ trọng tâm của tháng"
        )
        for x in lines
    )


def test_render_strict_refuses_and_writes_nothing(draft: Path) -> None:
    code, _, err = _run("render", draft, "--strict", "--out", draft.parent / "out")
    assert code == 1
    assert f"{draft.name}:25:19: noi_dung:" in err and "5 cảnh báo được tính là lỗi" in err
    assert not (draft.parent / "out").exists()
    # Without --strict a draft may be looked at.
    assert _run("render", draft, "--out", draft.parent / "out")[0] == 0


def test_publishing_a_draft_is_refused_before_any_number(draft: Path) -> None:
    people = draft.parent / "ds.csv"
    people.write_text("ten\nChi bộ Ban Quản lý\n", encoding="utf-8")
    code, _, err = _run(
        "issue", draft, "--nguoi-nhan", people, "--out", draft.parent / "o", "--phat-hanh"
    )
    assert code == 1
    assert f"{draft.name}:8:" in err and "bản nháp chưa xong" in err and "cảnh báo" not in err
    assert not (draft.parent.parent / DEFAULT_FILE).exists() and not (draft.parent / "o").exists()


def test_a_reviewed_draft_goes_out(draft: Path) -> None:
    text = draft.read_text(encoding="utf-8")
    # The clerk reads each note, then deletes it (a note after a value: just the note).
    notes_only = [x for x in text.splitlines() if not x.strip().startswith("# XEM LẠI")]
    text = "\n".join(x.split("# XEM LẠI")[0].rstrip() for x in notes_only) + "\n"
    start = text.index("[nhiệm vụ trọng tâm")
    end = text.index("]", start) + 1
    text = text[:start] + "Nghị quyết số 12-NQ/TU của Tỉnh ủy về chuyển đổi số" + text[end:]
    draft.write_text(text, encoding="utf-8")
    code, _, err = _run("render", draft, "--strict", "--out", draft.parent / "out")
    assert code == 0, err
    assert "bản nháp chưa xong" not in err


@pytest.mark.parametrize(
    "body",
    [
        "  Xem tài liệu [1] và [Dự thảo] kèm theo.\n",
        "  Trích: “văn hóa, thể thao, […] du lịch”.\n",
        '  Ghi chú # XEM LẠI là văn bản trong ngoặc kép: "# XEM LẠI".\n',
    ],
)
def test_ordinary_brackets_are_not_instructions(tmp_path: Path, body: str) -> None:
    shutil.copytree(OFFICE, tmp_path / "office")
    directive = tmp_path / "office" / "cv-tuyen-truyen-thang-03-2024.yaml"
    text = directive.read_text(encoding="utf-8")
    head, rest = text.split("noi_dung: |\n", 1)
    directive.write_text(head + "noi_dung: |\n" + body + rest, encoding="utf-8")
    code, _, err = _run("check", directive)
    assert code == 0 and "bản nháp chưa xong" not in err
