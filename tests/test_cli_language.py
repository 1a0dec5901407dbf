"""One language on the command line (issue 14, item 8): every help page and every usage error
is Vietnamese, names options as the user typed them, and exits with 2; every older (English)
spelling of a command, option or choice still works as an alias."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from tests.clirun import run_cli
from tests.conftest import ROOT
from tetngheo_docs.cli import main

PARTY_EXAMPLE = "directives/ban-tuyen-giao-duk/cv-196-tuan-cao-diem-tet-2024.yaml"

#: Click's own English, its type metavars, and the English choice values once shown.
ENGLISH = [
    "Usage:",
    "Options:",
    "Commands:",
    "Error:",
    "Missing argument",
    "Missing option",
    "Missing parameter",
    "No such option",
    "No such command",
    "Got unexpected extra argument",
    "Invalid value",
    "is not one of",
    "is not a valid",
    "does not exist",
    "requires an argument",
    "does not take a value",
    "[required]",
    "[default:",
    "Try '",
    "for help",
    "Aborted!",
    "[y/N]",
    "Show this message",
    "Show the version",
    "TEXT",
    "INTEGER",
    "FLOAT",
    "PATH",
    "FILENAME",
    "FILES...",
    "DIRECTIVE",
    "reserved",
    "issued",
    "|all",
    " or all",
]


def _english(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH if phrase in text]


def _command_paths() -> list[tuple[str, ...]]:
    """Every command and group, by its (Vietnamese) name."""
    out: list[tuple[str, ...]] = [()]

    def walk(group: click.Group, prefix: tuple[str, ...]) -> None:
        for name, cmd in sorted(group.commands.items()):
            out.append((*prefix, name))
            if isinstance(cmd, click.Group):
                walk(cmd, (*prefix, name))

    walk(main, ())
    return out


COMMANDS = _command_paths()


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "tetngheo")
def test_every_help_page_is_vietnamese(path: tuple[str, ...]) -> None:
    result = run_cli(*path, "-h")
    text = result.stdout + result.stderr
    assert result.exit_code == 0, text
    assert text.startswith(f"Cách dùng: tetngheo {' '.join(path)}".rstrip() + " ")
    assert not _english(text), (_english(text), text)


def test_command_names_follow_one_rule() -> None:
    """Commands and long options: Vietnamese without diacritics, words joined by '-'; the
    English spellings users look for are aliases, listed after the Vietnamese name."""
    formats = {"pdf", "xlsx", "csv", "docx", "json", "html", "dpi"}
    allowed_english = {
        "--help",
        "--version",
        "--out",
        "--dry-run",
        "--strict",
        "--system",
        "--register",
        "--yes",
        "--the-thuc",
        "--host",  # xem-truc-tiep: the words every server program uses
        "--port",
    }
    for path in COMMANDS[1:]:
        cmd = main
        for name in path:
            assert isinstance(cmd, click.Group)
            cmd = cmd.commands[name]
        assert re.fullmatch(r"[a-z][a-z-]*", path[-1]), path
        ctx = click.Context(cmd, info_name=path[-1], **cmd.context_settings)
        for param in cmd.get_params(ctx):
            if not isinstance(param, click.Option) or param.hidden:
                continue
            longs = [o for o in param.opts if o.startswith("--")]
            first = longs[0]
            assert re.fullmatch(r"--[a-z0-9][a-z0-9-]*", first), (path, first)
            if first[2:] not in formats and first not in ("--tro-giup", "--phien-ban"):
                assert first not in allowed_english, (path, first)
            for alias in longs[1:]:
                assert alias in allowed_english, (path, alias)


MISTAKES = [
    # (arguments, what the message must say)
    (("tao",), "Lỗi: thiếu TỆP..."),
    (("render",), "Lỗi: thiếu TỆP..."),
    (("the-thuc",), "Lỗi: thiếu TỆP_HOẶC_THƯ_MỤC..."),
    (("soan", "thang"), "Lỗi: thiếu THÁNG"),
    (("tao", "--khong-co", PARTY_EXAMPLE), "Lỗi: không có tùy chọn '--khong-co'"),
    (("kiem-tra", "--strct", PARTY_EXAMPLE), "có phải ý bạn là --strict?"),
    (
        ("khoi-tao", "x", "--he-thong", "dang_uy"),
        "Lỗi: --he-thong: 'dang_uy' không phải một trong: dang, nha_nuoc",
    ),
    (("the-thuc", "--system", "abc", "x.docx"), "Lỗi: --system: 'abc' không phải một trong"),
    (
        ("pdf", "--so-tien-trinh", "hai", "."),
        "Lỗi: --so-tien-trinh: cần một số nguyên, không phải 'hai'",
    ),
    (("xem-trang", "x.docx", "--dpi", "cao"), "Lỗi: --dpi: cần một số nguyên, không phải 'cao'"),
    (("phat-hanh", PARTY_EXAMPLE), "Lỗi: thiếu tùy chọn bắt buộc --nguoi-nhan DANH_SÁCH"),
    (("issue", PARTY_EXAMPLE), "Lỗi: thiếu tùy chọn bắt buộc --nguoi-nhan DANH_SÁCH"),
    (
        ("phat-hanh", PARTY_EXAMPLE, "--nguoi-nhan", "khong-co.csv"),
        "Lỗi: --nguoi-nhan: không tìm thấy 'khong-co.csv'",
    ),
    (("bieu-mau", "tong-hop", "."), "Lỗi: thiếu tùy chọn bắt buộc --van-ban VĂN_BẢN"),
    (("lich-su", "a.docx", "b.docx"), "Lỗi: thừa tham số b.docx"),
    (("so-sanh", "README.md", "README.md", "pyproject.toml"), "Lỗi: thừa tham số pyproject.toml"),
    (("tao", "--so"), "Lỗi: --so cần một giá trị"),
    (("kiem-tra", "--nghiem-ngat=1", PARTY_EXAMPLE), "Lỗi: --nghiem-ngat không nhận giá trị"),
    (
        ("so-van-ban-di", "danh-sach", "--trang-thai", "lost"),
        "'lost' không phải một trong: da-giu-so, da-ban-hanh, da-huy",
    ),
    (("xem-trang", "x.docx", "--trang", "dau"), "Lỗi: --trang: viết 1, 2-3 hoặc tat-ca"),
    (("phat-hanh-thu",), "Lỗi: không có lệnh 'phat-hanh-thu'; có phải ý bạn là phat-hanh?"),
    (("so-van-ban-di", "xoa"), "Lỗi: không có lệnh 'xoa'"),
]


@pytest.mark.parametrize(
    "args, said", MISTAKES, ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_usage_mistakes_are_vietnamese(args: tuple[str, ...], said: str) -> None:
    result = run_cli(*args)
    text = result.stdout + result.stderr
    assert result.exit_code == 2, text
    assert said in result.stderr, text
    assert "Xem: tetngheo " in result.stderr or "cần một giá trị" in said or "không nhận" in said
    assert not _english(text), (_english(text), text)
    # Python parameter names never reach the user.
    for python_name in ("people", "workers", "out_dir", "he_thong", "trang_thai", "directive"):
        assert f"{python_name}:" not in text and f" {python_name}\n" not in text


def test_the_option_is_named_as_typed() -> None:
    """An alias typed is the name in the message; nothing typed: the Vietnamese name."""
    for flag in ("--so-tien-trinh",):
        result = run_cli("pdf", flag, "x", ".")
        assert f"Lỗi: {flag}: cần một số nguyên" in result.stderr
    typed = run_cli("the-thuc", "--he-thong", "abc", "x.docx")
    assert "Lỗi: --he-thong: 'abc'" in typed.stderr
    alias = run_cli("lint", "--system", "abc", "x.docx")
    assert "Lỗi: --system: 'abc'" in alias.stderr
    assert "Xem: tetngheo lint -h" in alias.stderr


def test_english_spellings_still_work(tmp_path: Path) -> None:
    out = tmp_path / "out"
    old = run_cli("render", PARTY_EXAMPLE, "--out", out, "--strict")
    assert old.exit_code == 0, old.output
    new = run_cli("tao", PARTY_EXAMPLE, "--ghi-vao", tmp_path / "moi", "--nghiem-ngat")
    assert new.exit_code == 0, new.output
    assert (out / "cv-196-tuan-cao-diem-tet-2024.docx").read_bytes() == (
        tmp_path / "moi" / "cv-196-tuan-cao-diem-tet-2024.docx"
    ).read_bytes()
    assert run_cli("check", PARTY_EXAMPLE).exit_code == 0
    assert run_cli("--version").stdout == run_cli("--phien-ban").stdout
    assert run_cli("--help").stdout == run_cli("--tro-giup").stdout == run_cli("-h").stdout


def test_register_status_accepts_both_spellings(tmp_path: Path) -> None:
    missing = tmp_path / "khong-co.sqlite3"
    for status in ("da-giu-so", "reserved", "da-huy", "void"):
        result = run_cli(
            "so-van-ban-di", "danh-sach", "--trang-thai", status, "--register", missing
        )
        assert result.exit_code == 1, result.output  # no register: the choice itself was fine
        assert "chưa có sổ văn bản đi" in result.stderr


def test_help_shows_markers_in_vietnamese() -> None:
    issue = run_cli("phat-hanh", "-h").stdout
    assert "[bắt buộc]" in issue
    assert "--chay-thu, --dry-run" in issue
    assert "--ghi-vao, --out THƯ_MỤC" in issue
    preview = run_cli("xem-trang", "-h").stdout
    assert "[mặc định: 80]" in preview and "--dpi SỐ" in preview
    top = run_cli("-h").stdout
    assert "phat-hanh (issue)" in top and "so-van-ban-di (register)" in top
    assert "Lệnh:" in top and "Tùy chọn:" in top


def test_no_arguments_shows_the_help() -> None:
    result = run_cli()
    assert result.exit_code == 0
    assert result.stdout.startswith("Cách dùng: tetngheo [TÙY_CHỌN] LỆNH")


def test_confirmation_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    from tetngheo_docs import cli_base

    answers = iter(["x", "k"])
    asked: list[str] = []

    def prompt(text: str, **kwargs: object) -> str:
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(click, "prompt", prompt)
    with pytest.raises(click.Abort):
        cli_base.confirm("Hủy số 05?")
    assert asked == ["Hủy số 05? (c/k)", "Hủy số 05? (c/k)"]
    answers = iter(["có"])
    cli_base.confirm("Hủy số 05?")  # yes: returns
