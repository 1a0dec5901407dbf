"""What every command group shares: Vietnamese help and usage errors, one error handler.

Kept apart from `cli` so that command groups in other modules (register, forms, new) can
use it without importing the main group, and the main group can import them.

Click speaks English: its usage errors, help markers (``[required]``, ``[default: …]``),
metavars (``TEXT``, ``INTEGER``, ``FILES...``), confirmation prompts (``[y/N]``) and
``Aborted!``. This module is the one Vietnamese layer over it, built from click's public
classes (Context, Command, Group, the parameter types and the exceptions it raises), so that
every command is Vietnamese without saying so one by one:

- `_Command` / `_Group` write help and usage themselves (options, metavars, markers) and turn
  each click exception into a Vietnamese message naming the option *as the user typed it*
  (``--nguoi-nhan``, or the alias ``--out`` if that is what was typed), never the Python
  parameter name;
- their constructors swap each parameter's Choice / Path / INT / FLOAT type for a subclass
  that fails in Vietnamese (the value is known there, so no English message is parsed);
- commands and groups take ``aliases=(…)``: the Vietnamese name is the one shown, older and
  English spellings keep working;
- `confirm` replaces ``click.confirm``.

Why not click's gettext hook: click calls the process-wide ``gettext.gettext`` (domain
``messages``, shared with argparse and any other library), whose catalogue is chosen from
LANGUAGE/LC_*/LANG, unset on the Windows machines of most offices and ``C`` in services, so a
catalogue would need monkeypatching ``gettext`` itself or click's private module-level ``_``
(whose modules moved between 8.1 and 8.2: ``parser`` → ``_parser``). Half of what must change
is not a translated string either: Python parameter names in messages, metavars built from
type names, English choice values.
"""

from __future__ import annotations

import copy
import difflib
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from tetngheo_docs.errors import Issue, TetngheoError

F = TypeVar("F", bound=Callable[..., Any])

PROG = "tetngheo"
CONTEXT: dict[str, Any] = {
    "help_option_names": ["-h", "--tro-giup", "--help"],
    "max_content_width": 100,
}
OPTIONS = "[TÙY_CHỌN]"
#: ``--nghiem-ngat`` (``--strict``): how messages name the option.
STRICT = "--nghiem-ngat"


def _fail(err: TetngheoError) -> None:
    click.echo(err.format(), err=True)
    sys.exit(err.exit_code)


def _warn(issues: list[Issue], strict: bool) -> None:
    for issue in issues:
        click.echo(str(issue), err=True)
    if strict and issues:
        click.echo(f"{STRICT}: {len(issues)} cảnh báo được tính là lỗi.", err=True)
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


def confirm(text: str) -> None:
    """Ask a yes/no question in Vietnamese; anything but yes stops (``Đã dừng.``, exit 1)."""
    while True:
        answer = click.prompt(
            f"{text} (c/k)", default="", show_default=False, prompt_suffix=" ", err=True
        )
        answer = str(answer).strip().lower()
        if answer in ("c", "co", "có", "y", "yes"):
            return
        if answer in ("", "k", "khong", "không", "n", "no"):
            raise click.Abort()
        click.echo("Hãy trả lời c (có) hoặc k (không).", err=True)


# --------------------------------------------------------------------------- parameter types


class _Choice(click.Choice):
    """A choice that fails in Vietnamese; ``values`` maps each spelling shown to the value
    the command receives, and older spellings listed in ``aliases`` are still accepted."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        values: dict[str, str] = getattr(self, "values", {})  # set by `choice`
        aliases: dict[str, str] = getattr(self, "aliases", {})
        if isinstance(value, str) and value in values.values():
            return value  # the value itself (the register's `reserved`…): an older spelling
        key = aliases.get(value, value) if isinstance(value, str) else value
        try:
            chosen = super().convert(key, param, ctx)
        except click.BadParameter:
            shown = ", ".join(str(c) for c in self.choices)
            self.fail(f"'{value}' không phải một trong: {shown}", param, ctx)
        return values.get(chosen, chosen)


def choice(values: Sequence[str] | Mapping[str, str], aliases: Mapping[str, str] = {}) -> Any:
    """A Vietnamese choice: ``values`` are the spellings shown (a mapping gives, for each, the
    value the command receives); ``aliases`` maps old spellings to shown ones."""
    made = _Choice(list(values))
    made.values = dict(values) if isinstance(values, Mapping) else {}  # type: ignore[attr-defined]
    made.aliases = dict(aliases)  # type: ignore[attr-defined]
    return made


class _Path(click.Path):
    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            pass
        name = os.fsdecode(value)
        if not os.path.lexists(name):
            problem = f"không tìm thấy '{name}'"
        elif os.path.isdir(name) and not self.dir_okay:
            problem = f"'{name}' là thư mục, cần một tệp"
        elif not os.path.isdir(name) and not self.file_okay:
            problem = f"'{name}' là tệp, cần một thư mục"
        else:
            problem = f"không đọc hoặc ghi được '{name}' (thiếu quyền?)"
        self.fail(problem, param, ctx)


class _Int(click.types.IntParamType):
    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            pass
        self.fail(f"cần một số nguyên, không phải '{value}'", param, ctx)


class _Float(click.types.FloatParamType):
    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            pass
        self.fail(f"cần một số (ví dụ 1 hoặc 0.5), không phải '{value}'", param, ctx)


_TYPES: list[tuple[type[click.ParamType], type[click.ParamType]]] = [
    (click.Choice, _Choice),
    (click.Path, _Path),
    (click.types.IntParamType, _Int),
    (click.types.FloatParamType, _Float),
]


def _localise(param: click.Parameter) -> None:
    """Give ``param`` a type of the same kind that speaks Vietnamese (a copy: `click.INT` is
    shared by every integer option of every program)."""
    for base, ours in _TYPES:
        if type(param.type) is base:
            made = copy.copy(param.type)
            made.__class__ = ours
            param.type = made
            return


def metavar(param: click.Parameter) -> str:
    """How a parameter's value is written in help and messages (never TEXT, INTEGER…)."""
    if param.metavar:
        return param.metavar
    kind = param.type
    if isinstance(kind, click.Choice):
        text = "[" + "|".join(str(c) for c in kind.choices) + "]"
    elif isinstance(kind, click.Path):
        text = "TỆP" if not kind.dir_okay else "THƯ_MỤC" if not kind.file_okay else "ĐƯỜNG_DẪN"
    elif isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        text = "SỐ"
    else:
        text = "GIÁ_TRỊ"
    if isinstance(param, click.Argument):
        if param.nargs != 1:
            text += "..."
        if not param.required:
            text = f"[{text}]"
    return text


def _long_name(option: click.Option) -> str:
    """The option's own (first declared, Vietnamese) long name."""
    return next((o for o in option.opts if o.startswith("--")), option.opts[0])


def _typed_name(param: click.Parameter | None, ctx: click.Context | None) -> str:
    """The parameter as the user wrote it: the spelling on the command line (an alias too)."""
    if param is None:
        return "tham số"
    if not isinstance(param, click.Option):
        return metavar(param)
    names = {*param.opts, *param.secondary_opts}
    for arg in reversed(getattr(ctx, "argv", [])):
        head = str(arg).split("=", 1)[0]
        if head in names:
            return head
    return _long_name(param)


def _help_record(option: click.Option, ctx: click.Context) -> tuple[str, str] | None:
    if option.hidden:
        return None
    names = sorted(option.opts, key=lambda o: o.startswith("--"))  # -y before --khong-hoi
    spec = ", ".join(names)
    if option.secondary_opts:
        spec += " / " + ", ".join(option.secondary_opts)
    if not option.is_flag and not option.count:
        spec += f" {metavar(option)}"
    extra = []
    shown = option.show_default if option.show_default is not None else ctx.show_default
    if isinstance(shown, str):
        extra.append(f"mặc định: {shown}")
    elif shown and not option.is_flag and option.default not in (None, (), ""):
        extra.append(f"mặc định: {option.default}")
    if option.required:
        extra.append("bắt buộc")
    text = option.help or ""
    if extra:
        text = f"{text}  [{'; '.join(extra)}]" if text else f"[{'; '.join(extra)}]"
    return spec, text


# --------------------------------------------------------------------------- commands


class _Context(click.Context):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The arguments this command was given, as typed (to name options as the user did).
        self.argv: list[str] = []


class _Vietnamese:
    """Click's help and usage errors in Vietnamese (click itself speaks English)."""

    context_class = _Context
    aliases: tuple[str, ...] = ()

    def _setup(self, aliases: Iterable[str]) -> None:
        self.aliases = tuple(aliases)
        for param in self.params:  # type: ignore[attr-defined]
            _localise(param)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "Hiện hướng dẫn này rồi thoát."
            # -h, --tro-giup, --help (click 8.1 does not keep the declared order)
            option.opts = sorted(option.opts, key=lambda o: (o.startswith("--"), o == "--help"))
        return option  # type: ignore[no-any-return]

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []  # type: ignore[attr-defined]
        params = self.get_params(ctx)  # type: ignore[attr-defined]
        pieces += [metavar(p) for p in params if isinstance(p, click.Argument)]
        if isinstance(self, click.Group):
            pieces.append(self.subcommand_metavar or "")
        return pieces

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="Cách dùng: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        params = self.get_params(ctx)  # type: ignore[attr-defined]
        rows = [r for p in params if isinstance(p, click.Option) and (r := _help_record(p, ctx))]
        if rows:
            with formatter.section("Tùy chọn"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            commands = []
            for name in self.list_commands(ctx):
                cmd = self.get_command(ctx, name)
                if cmd is None or cmd.hidden:
                    continue
                also = getattr(cmd, "aliases", ())
                label = f"{name} ({', '.join(also)})" if also else name
                commands.append((label, cmd.get_short_help_str(90)))
            if commands:
                with formatter.section("Lệnh"):
                    formatter.write_dl(commands)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if isinstance(ctx, _Context):
            ctx.argv = list(args)
        if not args and getattr(self, "no_args_is_help", False) and not ctx.resilient_parsing:
            click.echo(ctx.get_help())  # the same on click 8.1 (exit 0) and 8.2+ (an error)
            ctx.exit(0)
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest: list[str] = super().parse_args(ctx, args)  # type: ignore[misc]
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            many = "các tham số" if len(rest) > 1 else "tham số"
            raise click.UsageError(
                f"thừa {many} {' '.join(rest)}: lệnh này không nhận thêm (xem cách dùng)", ctx
            )
        return rest


class _Command(_Vietnamese, click.Command):
    def __init__(self, *args: Any, aliases: Iterable[str] = (), **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS)
        super().__init__(*args, **kwargs)
        self._setup(aliases)


class _Group(_Vietnamese, click.Group):
    command_class = _Command

    def __init__(self, *args: Any, aliases: Iterable[str] = (), **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS)
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM_SỐ]...")
        super().__init__(*args, **kwargs)
        self._setup(aliases)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is None:
            found = next(
                (c for c in self.commands.values() if cmd_name in getattr(c, "aliases", ())),
                None,
            )
        return found

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = str(args[0])
        if self.get_command(ctx, name) is None and not ctx.resilient_parsing:
            if name.startswith("-"):
                self.parse_args(ctx, args)  # an unknown option: said as such
            known = [
                n for c in self.commands.values() for n in (c.name, *getattr(c, "aliases", ()))
            ]
            close = difflib.get_close_matches(name, [k for k in known if k], n=3, cutoff=0.6)
            hint = f"; có phải ý bạn là {', '.join(close)}?" if close else ""
            raise click.UsageError(f"không có lệnh '{name}'{hint}", ctx)
        return super().resolve_command(ctx, args)

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if len(args) < 2 and kwargs.get("prog_name") is None:
            kwargs["prog_name"] = PROG  # not `main`, `__main__.py` or `tetngheo.exe`
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
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
    ctx = getattr(err, "ctx", None)
    if isinstance(err, click.NoSuchOption):
        hint = f"; có phải ý bạn là {', '.join(err.possibilities)}?" if err.possibilities else ""
        return f"không có tùy chọn '{err.option_name}'{hint}"
    if isinstance(err, click.MissingParameter):
        param = err.param
        if isinstance(param, click.Option):
            return f"thiếu tùy chọn bắt buộc {_long_name(param)} {metavar(param)}"
        return f"thiếu {_typed_name(param, ctx)}"
    if isinstance(err, click.BadOptionUsage):
        if "does not take" in err.message:
            return f"{err.option_name} không nhận giá trị (viết {err.option_name} một mình)"
        return f"{err.option_name} cần một giá trị"
    if isinstance(err, click.BadArgumentUsage):
        return "số tham số không đúng (xem cách dùng)"
    if isinstance(err, click.BadParameter):
        if isinstance(err.param, click.Option):
            return f"{_typed_name(err.param, ctx)}: {err.message}"
        return err.message  # an argument: the message shows the value itself
    return err.format_message()


class _RegisterTarget(click.ParamType):
    """The register: a file path, or a ``postgresql://`` URL kept as text (a Path would fold
    its ``//``). A URL written here may not hold a password: use the environment, a pgpass
    or a service file, so that it is not in the shell's history or the process list."""

    name = "SỔ"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from tetngheo_docs.register_store import is_url

        if isinstance(value, Path) or not isinstance(value, str):
            return value
        if is_url(value):
            from urllib.parse import urlsplit

            if urlsplit(value).password is not None:
                self.fail(
                    "không ghi mật khẩu trong địa chỉ sổ ở dòng lệnh: dùng biến môi trường "
                    "PGPASSWORD, tệp ~/.pgpass hoặc tệp dịch vụ PostgreSQL",
                    param,
                    ctx,
                )
            return value
        return Path(value)


#: ``--so-van-ban-di`` (alias ``--register``) on every command that uses the register.
REGISTER = _RegisterTarget()


def register_option(help_text: str = "") -> Callable[[F], F]:
    """``--so-van-ban-di`` (alias ``--register``), the same on every command that uses the
    register; ``help_text`` replaces the general help where a command needs its own."""
    return click.option(
        "--so-van-ban-di",
        "--register",
        "register",
        type=REGISTER,
        metavar="SỔ",
        help=help_text
        or "Sổ văn bản đi: tệp, hoặc địa chỉ postgresql://máy/csdl của sổ dùng chung "
        "(mặc định: so_van_ban trong tetngheo.yaml, biến TETNGHEO_SO_VAN_BAN, hoặc "
        "so-van-ban-di.sqlite3 cạnh tetngheo.yaml).",
    )
