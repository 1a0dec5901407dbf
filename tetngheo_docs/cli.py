"""Command line: options parsed, one library call, one error handler (`TetngheoError` → exit 1).

Heavy modules are imported inside the commands so ``tetngheo -h`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from tetngheo_docs import __version__
from tetngheo_docs.errors import Issue, IssuesError, TetngheoError

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _fail(err: TetngheoError) -> None:
    click.echo(err.format(), err=True)
    sys.exit(err.exit_code)


def _warn(issues: list[Issue], strict: bool) -> None:
    for issue in issues:
        click.echo(str(issue), err=True)
    if strict and issues:
        click.echo(f"--strict: {len(issues)} cảnh báo được tính là lỗi.", err=True)
        sys.exit(1)


def _handled(func: F) -> F:
    """Turn user-caused errors into a message and exit code 1; bugs keep their traceback."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TetngheoError as err:
            _fail(err)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper  # type: ignore[return-value]


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="tetngheo")
def main() -> None:
    """tetngheo — soạn công văn, kế hoạch… đúng thể thức (ND30, HD36) từ tệp YAML."""


_agency_option = click.option(
    "--co-quan",
    "agency",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Tệp cơ quan (mặc định: tetngheo.yaml gần nhất, cùng thư mục hoặc thư mục cha).",
)
_strict_option = click.option("--strict", is_flag=True, help="Coi cảnh báo là lỗi.")
_files_argument = click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)


def _overrides(so: str | None, ngay: str | None) -> dict[str, Any]:
    return {"so": so, "ngay": ngay}


@main.command(context_settings=CONTEXT)
@_files_argument
@_agency_option
@_strict_option
@_handled
def check(files: tuple[Path, ...], agency: Path | None, strict: bool) -> None:
    """Kiểm tra văn bản (không ghi tệp), báo mọi lỗi một lần."""
    from tetngheo_docs import api

    problems: list[Issue] = []
    warnings: list[Issue] = []
    for path in files:
        try:
            loaded = api.load(path, agency=agency)
        except IssuesError as err:
            problems.extend(err.issues)
            continue
        warnings.extend(loaded.warnings)
        click.echo(f"{path}: hợp lệ ({loaded.profile.title})")
    if problems:
        _fail(IssuesError(problems))
    _warn(warnings, strict)


@main.command(context_settings=CONTEXT)
@_files_argument
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Thư mục ghi tệp .docx (mặc định: thư mục out/ cạnh tệp văn bản).",
)
@_agency_option
@click.option("--so", help="Số văn bản (ghi đè 'so' trong tệp).")
@click.option("--ngay", help="Ngày ban hành, ví dụ 15/01/2024 (ghi đè 'ngay').")
@_strict_option
@_handled
def render(
    files: tuple[Path, ...],
    out_dir: Path | None,
    agency: Path | None,
    so: str | None,
    ngay: str | None,
    strict: bool,
) -> None:
    """Sinh tệp .docx đúng thể thức từ một hoặc nhiều tệp văn bản YAML."""
    from tetngheo_docs import api

    # Validate everything first: one bad directive writes nothing at all.
    loaded, problems, warnings = [], [], []
    for path in files:
        try:
            item = api.load(path, agency=agency, overrides=_overrides(so, ngay))
        except IssuesError as err:
            problems.extend(err.issues)
            continue
        loaded.append(item)
        warnings.extend(item.warnings)
    if problems:
        _fail(IssuesError(problems))
    _warn(warnings, strict)
    for item in loaded:
        target = api.render_file(item, out_dir or item.path.parent / "out")
        click.echo(f"đã ghi {target}")


@main.command(context_settings=CONTEXT)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--he-thong",
    type=click.Choice(["dang", "nha_nuoc"]),
    default="dang",
    show_default=True,
    help="Văn bản của Đảng (HD36) hay văn bản hành chính nhà nước (ND30).",
)
@_handled
def init(folder: Path, he_thong: str) -> None:
    """Tạo thư mục cơ quan mới: tệp cơ quan + một văn bản mẫu có chú thích."""
    from tetngheo_docs import scaffold

    for path in scaffold.init(folder, he_thong):
        click.echo(f"đã tạo {path}")
    click.echo(f"Thử ngay: tetngheo render {folder / scaffold.EXAMPLE_NAME}")
