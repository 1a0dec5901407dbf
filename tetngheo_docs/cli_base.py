"""What every command group shares: Vietnamese help and usage errors, one error handler.

Kept apart from `cli` so that command groups in other modules (register, forms, new) can
use it without importing the main group, and the main group can import them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from tetngheo_docs.errors import Issue, TetngheoError

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
OPTIONS = "[TÙY_CHỌN]"


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


class _Vietnamese:
    """Click's help and usage errors in Vietnamese (click itself speaks English)."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "Hiện hướng dẫn này rồi thoát."
        return option  # type: ignore[no-any-return]

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="Cách dùng: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [r for p in self.get_params(ctx) if (r := p.get_help_record(ctx))]  # type: ignore[attr-defined]
        if rows:
            with formatter.section("Tùy chọn"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            commands = [
                (name, cmd.get_short_help_str(60))
                for name in self.list_commands(ctx)
                if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden
            ]
            if commands:
                with formatter.section("Lệnh"):
                    formatter.write_dl(commands)


class _Command(_Vietnamese, click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS)
        super().__init__(*args, **kwargs)


class _Group(_Vietnamese, click.Group):
    command_class = _Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS)
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM_SỐ]...")
        super().__init__(*args, **kwargs)

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.Exit as exit_:
            sys.exit(exit_.exit_code)
        except click.Abort:
            click.echo("Đã dừng.", err=True)
            sys.exit(1)
        except click.ClickException as err:
            click.echo(f"Lỗi: {_usage_message(err)}", err=True)
            ctx = getattr(err, "ctx", None)
            if ctx is not None:
                click.echo(f"Xem: {ctx.command_path} -h", err=True)
            sys.exit(err.exit_code)


def _usage_message(err: click.ClickException) -> str:
    """The Vietnamese text of a command-line usage error."""
    if isinstance(err, click.NoSuchOption):
        hint = f"; có phải ý bạn là {', '.join(err.possibilities)}?" if err.possibilities else ""
        return f"không có tùy chọn '{err.option_name}'{hint}"
    if isinstance(err, click.MissingParameter):
        name = err.param.human_readable_name if err.param else "tham số"
        return f"thiếu {name}"
    if isinstance(err, click.BadParameter):
        name = err.param.human_readable_name if err.param else "tham số"
        message = err.message
        if "does not exist" in message:
            target = message.split("'")[1] if "'" in message else message
            return f"{name}: không tìm thấy '{target}'"
        if "is a directory" in message:
            return f"{name}: đây là thư mục, cần một tệp"
        return f"{name}: giá trị không hợp lệ ({message})"
    if isinstance(err, click.UsageError) and "No such command" in err.message:
        return f"không có lệnh {err.message.split(' ', 3)[-1]}"
    return err.format_message()
