"""The `tetngheo` command: version, help, check, render, init, overrides, usage errors."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.clirun import has_traceback, run_cli
from tests.conftest import EXAMPLES, ROOT
from tetngheo_docs import __version__, scaffold, schema

PARTY_EXAMPLE = ROOT / "directives" / "ban-tuyen-giao-duk" / "cv-196-tuan-cao-diem-tet-2024.yaml"
INVALID = ROOT / "tests" / "fixtures" / "invalid"
PROFILE_TITLES = {
    "dang": "Hướng dẫn 36-HD/VPTW (văn bản của Đảng)",
    "nha_nuoc": "Nghị định 30/2020/NĐ-CP (văn bản hành chính)",
}


def _ids(paths: list[Path]) -> list[str]:
    return [p.parent.name for p in paths]


def _document_xml(docx: Path) -> str:
    with zipfile.ZipFile(docx) as zf:
        return zf.read("word/document.xml").decode("utf-8")


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 2
    assert PARTY_EXAMPLE in EXAMPLES


def test_version() -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"tetngheo {__version__}\n"


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_is_vietnamese(flag: str) -> None:
    result = run_cli(flag)
    assert result.exit_code == 0
    assert "soạn công văn" in result.stdout
    for command, summary in [
        ("check", "Kiểm tra văn bản"),
        ("render", "Sinh tệp .docx"),
        ("init", "Tạo thư mục cơ quan"),
    ]:
        assert command in result.stdout
        assert summary in result.stdout


def test_subcommand_help() -> None:
    result = run_cli("render", "-h")
    assert result.exit_code == 0
    for option in ("--out", "--so", "--ngay", "--co-quan", "--strict"):
        assert option in result.stdout
    assert "Thư mục ghi tệp .docx" in result.stdout


@pytest.mark.parametrize("example", EXAMPLES, ids=_ids(EXAMPLES))
def test_check_example(example: Path) -> None:
    rel = example.relative_to(ROOT)
    result = run_cli("check", rel)
    assert not has_traceback(result), result.output
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{rel}: hợp lệ (")
    assert result.stderr == ""


def test_check_all_examples_at_once() -> None:
    result = run_cli("check", *(p.relative_to(ROOT) for p in EXAMPLES))
    assert result.exit_code == 0, result.output
    valid = [line for line in result.stdout.splitlines() if ": hợp lệ (" in line]
    assert len(valid) == len(EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=_ids(EXAMPLES))
def test_render_example(example: Path, tmp_path: Path) -> None:
    result = run_cli("render", example.relative_to(ROOT), "--out", tmp_path)
    assert not has_traceback(result), result.output
    assert result.exit_code == 0, result.output
    target = tmp_path / f"{example.stem}.docx"
    assert result.stdout == f"đã ghi {target}\n"
    shown = [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")]
    assert shown == [target.name]  # (+ the hidden build state of incremental rebuilds)
    assert zipfile.is_zipfile(target)
    assert "<w:body>" in _document_xml(target)


def test_render_two_files_one_invalid_writes_nothing(tmp_path: Path) -> None:
    bad = INVALID / "impossible-date.yaml"
    result = run_cli(
        "render", PARTY_EXAMPLE.relative_to(ROOT), bad.relative_to(ROOT), "--out", tmp_path
    )
    assert not has_traceback(result), result.output
    assert result.exit_code == 1
    assert "đã ghi" not in result.stdout
    assert result.stderr.splitlines()[-1] == "Có 1 lỗi; không tệp nào được ghi."
    assert "impossible-date.yaml:5:7: ngay:" in result.stderr
    assert list(tmp_path.iterdir()) == []


BATCH_EXAMPLE = "directives/ban-tuyen-giao-duk/cv-nhac-bao-cao-tuan-cao-diem-2024.yaml"


def test_render_refuses_a_body_with_recipient_fields(tmp_path: Path) -> None:
    """`${ten}` is filled per recipient by `issue`: `render` must not make a document that
    looks final with the placeholder in it (issue 13)."""
    out = tmp_path / "out"
    result = run_cli("render", BATCH_EXAMPLE, PARTY_EXAMPLE.relative_to(ROOT), "--out", out)
    assert not has_traceback(result), result.output
    assert result.exit_code == 1
    assert result.stderr == (
        f"{BATCH_EXAMPLE}:13:19: noi_dung: nội dung có trường riêng của từng nơi nhận "
        "(${ten}, ${han_nop}) mà 'tetngheo render' không điền được; phát hành bằng: "
        f"tetngheo issue {BATCH_EXAMPLE} --nguoi-nhan DANH_SÁCH\n"
        "Có 1 lỗi; không tệp nào được ghi.\n"
    )
    assert "đã ghi" not in result.stdout
    assert not out.exists()  # not even the other, valid directive


def test_check_points_at_the_first_recipient_field() -> None:
    result = run_cli("check", BATCH_EXAMPLE)
    assert result.exit_code == 0, result.output
    assert f"{BATCH_EXAMPLE}:13:19: noi_dung: cảnh báo: nội dung dùng trường riêng" in (
        result.stderr
    )


def test_render_overrides_number_and_date(tmp_path: Path) -> None:
    result = run_cli(
        "render",
        PARTY_EXAMPLE.relative_to(ROOT),
        "--out",
        tmp_path,
        "--so",
        "7",
        "--ngay",
        "01/03/2024",
    )
    assert result.exit_code == 0, result.output
    xml = _document_xml(tmp_path / f"{PARTY_EXAMPLE.stem}.docx")
    assert "Số 07-CV/BTGDUK" in xml
    assert "ngày\xa001 tháng\xa03 năm\xa02024" in xml
    # The directive's own number and date are gone.
    assert "Số 196-CV/" not in xml
    assert "ngày 15 tháng 01 năm 2024" not in xml


def test_render_bad_override_is_located_on_the_command_line(tmp_path: Path) -> None:
    result = run_cli("render", PARTY_EXAMPLE.relative_to(ROOT), "--out", tmp_path, "--so", "0")
    assert result.exit_code == 1
    assert result.stderr == (
        "<dòng lệnh --so>:1:1: so: số văn bản phải là số nguyên từ 1 đến 999999, không phải '0'\n"
        "Có 1 lỗi; không tệp nào được ghi.\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("system", ["dang", "nha_nuoc"])
def test_init_then_render(system: str, tmp_path: Path) -> None:
    folder = tmp_path / "co-quan"
    result = run_cli("init", folder, "--he-thong", system)
    assert not has_traceback(result), result.output
    assert result.exit_code == 0, result.output
    example = folder / scaffold.EXAMPLE_NAME
    assert result.stdout.splitlines() == [
        f"đã tạo {folder / 'tetngheo.yaml'}",
        f"đã tạo {example}",
        *(f"đã tạo {folder / 'luoc-do' / n}" for n in schema.FILES.values()),
        f"Thử ngay: tetngheo tao {example}",
    ]
    checked = run_cli("check", example)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout == f"{example}: hợp lệ ({PROFILE_TITLES[system]})\n"
    out = tmp_path / "out"
    rendered = run_cli("render", example, "--out", out)
    assert rendered.exit_code == 0, rendered.output
    assert (out / "cong-van-mau.docx").is_file()


def test_init_default_output_folder_is_next_to_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "co-quan"
    assert run_cli("init", folder).exit_code == 0
    rendered = run_cli("render", folder / scaffold.EXAMPLE_NAME)
    assert rendered.exit_code == 0, rendered.output
    assert (folder / "out" / "cong-van-mau.docx").is_file()


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    folder = tmp_path / "co-quan"
    assert run_cli("init", folder).exit_code == 0
    agency = folder / "tetngheo.yaml"
    before = agency.read_bytes()
    result = run_cli("init", folder, "--he-thong", "nha_nuoc")
    assert not has_traceback(result), result.output
    assert result.exit_code == 1
    assert result.stderr == (
        f"{agency} đã có; không ghi đè. Hãy chọn thư mục khác hoặc xóa tệp đó.\n"
    )
    assert agency.read_bytes() == before


@pytest.mark.parametrize("command", ["check", "render"])
def test_missing_file_is_a_usage_error(command: str, tmp_path: Path) -> None:
    result = run_cli(command, tmp_path / "khong-co.yaml")
    assert result.exit_code == 2
    assert "khong-co.yaml" in result.stderr
    assert not has_traceback(result), result.output
    assert list(tmp_path.iterdir()) == []


def test_missing_agency_file_is_a_usage_error() -> None:
    result = run_cli("check", PARTY_EXAMPLE.relative_to(ROOT), "--co-quan", "khong-co.yaml")
    assert result.exit_code == 2
    assert "khong-co.yaml" in result.stderr


def test_check_with_agency_file_in_the_list_still_checks_the_directive() -> None:
    bad = (INVALID / "impossible-date.yaml").relative_to(ROOT)
    agency = (INVALID / "tetngheo.yaml").relative_to(ROOT)
    result = run_cli("check", bad, agency)
    assert result.exit_code == 1
    assert f"{bad}:5:7: ngay:" in result.stderr


def test_readme_command_table_names_every_command_and_alias() -> None:
    """Section 12 of the README is the one vocabulary: every command with its older names."""
    import click

    from tetngheo_docs.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### 12. Lệnh") : readme.index("### 13.")]

    def walk(group: click.Group, prefix: str, old: str) -> None:
        for name, cmd in group.commands.items():
            here = f"{prefix} {name}".strip()
            assert f"`tetngheo {here}" in table or f"`tetngheo {prefix} " in table, here
            for alias in getattr(cmd, "aliases", ()):
                assert f"`{f'{old} {alias}'.strip()}" in table, (here, alias)
            if isinstance(cmd, click.Group):
                walk(cmd, here, (getattr(cmd, "aliases", ()) or (name,))[0])

    walk(main, "", "")
    for option in ("--ghi-vao", "(`--out`)", "--chay-thu", "(`--dry-run`)", "--tom-tat"):
        assert option in table


def test_old_command_names_still_work(tmp_path: Path) -> None:
    folder = tmp_path / "co-quan"
    assert run_cli("khoi-tao", folder).exit_code == 0
    example = folder / scaffold.EXAMPLE_NAME
    old = run_cli("render", example, "--out", tmp_path / "cu")
    new = run_cli("tao", example, "--ghi-vao", tmp_path / "moi")
    assert old.exit_code == new.exit_code == 0, old.output + new.output
    assert (tmp_path / "cu" / "cong-van-mau.docx").read_bytes() == (
        tmp_path / "moi" / "cong-van-mau.docx"
    ).read_bytes()
