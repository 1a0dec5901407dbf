"""`tetngheo sao` (alias ``copy``): a SAO Y, TRÍCH SAO or SAO LỤC copy of an issued .docx
(see `tetngheo_docs.copies`).

Registered on the main group by the last lines of `tetngheo_docs.cli`; the shared plumbing
comes from `tetngheo_docs.cli_base`, so this module imports without the main group.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from tetngheo_docs.cli_base import CONTEXT, _Command, _handled, choice, register_option
from tetngheo_docs.errors import TetngheoError

_file = click.Path(exists=True, dir_okay=False, path_type=Path)


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime.date | None:
    if value is None:
        return None
    from tetngheo_docs.vn import dates

    try:
        return dates.parse_date(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None


@click.command("sao", cls=_Command, aliases=("copy",), context_settings=CONTEXT)
@click.argument("original", metavar="VĂN_BẢN.docx", type=_file)
@click.option(
    "--hinh-thuc",
    "kind",
    type=choice(["sao-y", "trich-sao", "sao-luc"]),
    default="sao-y",
    show_default=True,
    help="Hình thức sao.",
)
@click.option(
    "--tu",
    "start",
    metavar="ĐOẠN",
    help="Trích sao: phần được trích bắt đầu từ đoạn nội dung mở đầu bằng chữ này "
    '(ví dụ "Điều 2", "II.").',
)
@click.option(
    "--den-truoc",
    "stop",
    metavar="ĐOẠN",
    help="Trích sao: phần được trích dừng trước đoạn mở đầu bằng chữ này (mặc định: hết nội dung).",
)
@click.option(
    "--ngay",
    "day",
    callback=_date,
    metavar="NGÀY",
    help="Ngày sao, ví dụ 20/02/2024 (mặc định: hôm nay).",
)
@click.option(
    "--noi-nhan",
    "recipients",
    multiple=True,
    metavar="NƠI",
    help='Nơi nhận bản sao (nhắc lại cho mỗi nơi); "Lưu" được thêm ở cuối.',
)
@click.option("--quyen-han", multiple=True, metavar="DÒNG", help="Người ký bản sao: quyền hạn.")
@click.option("--chuc-vu", multiple=True, metavar="DÒNG", help="Người ký bản sao: chức vụ.")
@click.option("--ho-ten", metavar="TÊN", help="Người ký bản sao: họ tên.")
@click.option(
    "--lan",
    default="",
    metavar="GHI_CHÚ",
    help="Sao thêm một lần nữa cùng ngày (một bản sao mới, số mới), ví dụ --lan 2.",
)
@click.option("--co-quan", "agency", type=_file, metavar="TỆP", help="Tệp cơ quan sao văn bản.")
@register_option()
@click.option("--phat-hanh", is_flag=True, help="Ghi nhận bản sao đã phát hành trong sổ.")
@_handled
def copy_command(
    original: Path,
    kind: str,
    start: str | None,
    stop: str | None,
    day: datetime.date | None,
    recipients: tuple[str, ...],
    quyen_han: tuple[str, ...],
    chuc_vu: tuple[str, ...],
    ho_ten: str | None,
    lan: str,
    agency: Path | None,
    register: Path | str | None,
    phat_hanh: bool,
) -> None:
    """Sao văn bản đã phát hành (SAO Y, TRÍCH SAO, SAO LỤC): thêm phần bản sao, ghi tệp mới."""
    from tetngheo_docs import copies

    if original.suffix.lower() != ".docx":
        raise TetngheoError(f"{original}: cần tệp .docx của văn bản đã phát hành")
    signer = {"quyen_han": list(quyen_han), "chuc_vu": list(chuc_vu), "ho_ten": ho_ten}
    made = copies.make_copy(
        original,
        kind,
        day=day,
        recipients=recipients,
        start=start,
        stop=stop,
        lan=lan,
        agency=agency,
        register=register,
        signer=signer,
        publish=phat_hanh,
    )
    if made.opened:
        click.echo(f"Mở dãy số mới: {made.opened}, bắt đầu từ số 01")
    state = "đã phát hành" if made.entry.status == "issued" else "đã giữ số"
    click.echo(
        f"{made.path}: bản sao số {made.entry.so_ky_hieu} ({state}) của văn bản số "
        f"{made.original.so_ky_hieu}"
    )
