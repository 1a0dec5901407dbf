"""`tetngheo forms …`: the .xlsx sent to the units, and the collection of their returns.

Registered on the main group at the end of `tetngheo_docs.cli` (import that module, not this
one, first: this one borrows its click classes and error handling).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tetngheo_docs.cli_base import CONTEXT, STRICT, _Group, _handled
from tetngheo_docs.errors import TetngheoError

if TYPE_CHECKING:
    from tetngheo_docs.api import Loaded
    from tetngheo_docs.forms.model import BieuMau


@click.group("bieu-mau", cls=_Group, aliases=("forms",), context_settings=CONTEXT)
def forms_group() -> None:
    """Biểu mẫu: tệp .xlsx gửi các đơn vị, tổng hợp biểu các đơn vị gửi về."""


_units_option = click.option(
    "--don-vi",
    "units_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="TỆP",
    help="Danh sách đơn vị, đọc như danh sách nơi nhận của 'issue --nguoi-nhan': tệp .txt "
    "mỗi dòng một đơn vị, .csv (UTF-8, UTF-16, Windows-1258, TCVN3, VNI; cột 'ten'), .xlsx, "
    "hoặc .yaml có mục don_vi: là danh sách tên.",
)


def _units(path: Path) -> list[str]:
    """The names of a unit list, its warnings (an encoding converted…) shown first."""
    from tetngheo_docs.forms import collect

    read = collect.read_units(path)
    for warning in read.warnings:
        click.echo(str(warning), err=True)
    return [r.name for r in read.recipients]


def _symbol(loaded: Loaded) -> str:
    from tetngheo_docs import context

    try:
        number = context.so_ky_hieu(loaded.directive, loaded.profile)
    except ValueError:
        return ""
    return number.removeprefix("Số:").removeprefix("Số").strip()


def _forms(loaded: Loaded, ma: str | None) -> list[BieuMau]:
    forms = list(loaded.directive.bieu_mau)
    if not forms:
        raise TetngheoError(f"{loaded.path}: văn bản không có biểu mẫu nào (mục bieu_mau)")
    if ma is None:
        return forms
    chosen = [f for f in forms if f.ma == ma]
    if not chosen:
        known = ", ".join(f.ma for f in forms)
        raise TetngheoError(f"{loaded.path}: không có biểu mẫu '{ma}'; các biểu có: {known}")
    return chosen


def _file_names(ma: str, units: list[str]) -> list[str]:
    """`<ma>--<slug>.xlsx` per unit; a slug shared by two units gets -2, -3 …"""
    from tetngheo_docs.vn.text import slug_ascii

    out, used = [], set()
    for i, unit in enumerate(units, start=1):
        slug = slug_ascii(unit) or f"don-vi-{i}"
        name, n = slug, 1
        while name in used:
            n += 1
            name = f"{slug}-{n}"
        used.add(name)
        out.append(f"{ma}--{name}.xlsx")
    return out


@forms_group.command("xlsx", context_settings=CONTEXT)
@click.argument(
    "directive",
    metavar="VĂN_BẢN",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--ghi-vao",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="THƯ_MỤC",
    help="Thư mục ghi tệp .xlsx (mặc định: thư mục out/ cạnh tệp văn bản).",
)
@click.option("--ma", metavar="MÃ", help="Chỉ biểu có mã này (mặc định: mọi biểu của văn bản).")
@_units_option
@_handled
def xlsx_command(
    directive: Path, out_dir: Path | None, ma: str | None, units_file: Path | None
) -> None:
    """Sinh tệp .xlsx của biểu mẫu để gửi các đơn vị (mỗi đơn vị một tệp với --don-vi)."""
    from tetngheo_docs import api, context, outputs
    from tetngheo_docs.forms import xlsx

    loaded = api.load(directive)
    forms = _forms(loaded, ma)
    units = _units(units_file) if units_file else []
    d = loaded.directive
    caption = context.attachment_caption(d, loaded.profile)
    target = out_dir or directive.parent / "out"
    symbol = _symbol(loaded)
    for form in forms:
        jobs = list(zip(_file_names(form.ma, units), units, strict=True)) or [
            (f"{form.ma}.xlsx", "")
        ]
        for name, unit in jobs:
            data = xlsx.form_xlsx(
                form,
                caption=caption,
                unit=unit,
                place=d.dia_danh,
                year=d.ngay.year,
                symbol=symbol,
            )
            outputs.atomic_write(target / name, data)
            click.echo(f"đã ghi {target / name}")


@forms_group.command("tong-hop", aliases=("collect",), context_settings=CONTEXT)
@click.argument(
    "folder",
    metavar="THƯ_MỤC",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "--van-ban",
    "directive",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="VĂN_BẢN",
    help="Văn bản (tệp .yaml) đã gửi biểu mẫu đi.",
)
@click.option("--ma", metavar="MÃ", help="Mã biểu cần tổng hợp (khi văn bản có nhiều biểu).")
@_units_option
@click.option(
    "--ghi-vao",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="THƯ_MỤC",
    help="Thư mục ghi biểu tổng hợp (mặc định: thư mục out/ cạnh tệp văn bản).",
)
@click.option(
    "--nghiem-ngat",
    "--strict",
    "strict",
    is_flag=True,
    help="Có lỗi hay cảnh báo nào (kể cả đơn vị chưa gửi) thì dừng, không ghi biểu tổng hợp.",
)
@_handled
def collect_command(
    folder: Path,
    directive: Path,
    ma: str | None,
    units_file: Path | None,
    out_dir: Path | None,
    strict: bool,
) -> None:
    """Đọc các tệp .xlsx đơn vị gửi về, kiểm tra, báo cáo và ghi biểu tổng hợp (.docx, .xlsx)."""
    from tetngheo_docs import api, context, outputs
    from tetngheo_docs.forms import collect

    loaded = api.load(directive)
    forms = _forms(loaded, ma)
    if len(forms) > 1:
        known = ", ".join(f.ma for f in forms)
        raise TetngheoError(f"văn bản có {len(forms)} biểu mẫu ({known}): chọn một bằng --ma")
    form = forms[0]
    units = _units(units_file) if units_file else None
    result = collect.collect(folder, form, recipients=units)
    for line in result.report_lines():
        click.echo(line)
    if not result.valid:
        click.echo("Không có tệp hợp lệ nào: không ghi biểu tổng hợp.", err=True)
        sys.exit(1)
    if strict and (result.errors or result.warnings or result.missing):
        click.echo(
            f"{STRICT}: có lỗi, cảnh báo hoặc đơn vị chưa gửi; không ghi biểu tổng hợp.", err=True
        )
        sys.exit(1)
    d = loaded.directive
    caption = context.attachment_caption(d, loaded.profile)
    target = out_dir or directive.parent / "out"
    outputs_ = {
        f"{form.ma}-tong-hop.docx": result.summary_docx(
            loaded.profile, caption=caption, place=d.dia_danh, when=d.ngay
        ),
        f"{form.ma}-tong-hop.xlsx": result.summary_xlsx(
            caption=caption, place=d.dia_danh, year=d.ngay.year, symbol=_symbol(loaded)
        ),
    }
    for name, data in outputs_.items():
        outputs.atomic_write(target / name, data)
        click.echo(f"đã ghi {target / name}")
