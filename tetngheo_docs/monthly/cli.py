"""`tetngheo new …`: drafts that the program writes for you (``new thang``: the monthly
propaganda directive; ``new dinh-chinh | thu-hoi | thay-the``: the document that corrects,
withdraws or replaces an issued one, see `tetngheo_docs.correction`).

Registered on the main group by the last lines of `tetngheo_docs.cli`; the shared plumbing
comes from `tetngheo_docs.cli_base`, so this module imports without the main group.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tetngheo_docs.cli_base import CONTEXT, _Group, _handled, register_option

_file = click.Path(exists=True, dir_okay=False, path_type=Path)


def _months_ahead(ctx: click.Context, param: click.Parameter, value: str) -> int:
    if not value.strip().isdigit() or not 0 <= int(value) <= 12:
        raise click.BadParameter(f"cần một số từ 0 đến 12, không phải '{value}'")
    return int(value)


@click.group("soan", cls=_Group, aliases=("new",), context_settings=CONTEXT)
def new_group() -> None:
    """Soạn sẵn bản nháp: công văn tuyên truyền hằng tháng; đính chính, thu hồi, thay thế."""


@new_group.command("thang", context_settings=CONTEXT)
@click.argument("thang", metavar="THÁNG")
@click.option(
    "--tu",
    "previous",
    type=_file,
    metavar="TỆP",
    help="Công văn tháng trước: mang sang mở đầu, các nhiệm vụ và đoạn kết (đánh dấu XEM LẠI).",
)
@click.option(
    "--ghi-vao",
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="TỆP",
    help="Tệp sẽ tạo (mặc định: thang-MM-YYYY.yaml cạnh --tu, hoặc ở thư mục hiện tại).",
)
@click.option(
    "--co-quan",
    "agency",
    type=_file,
    metavar="TỆP",
    help="Tệp cơ quan (mặc định: tetngheo.yaml gần nhất ở thư mục của tệp sẽ tạo hoặc cha).",
)
@click.option(
    "--ngay-ky-niem",
    "calendars",
    type=_file,
    multiple=True,
    metavar="TỆP",
    help="Thêm tệp ngày kỷ niệm của cơ quan (ngoài ngay-ky-niem.yaml tự tìm thấy).",
)
@click.option("--so", metavar="SỐ", help="Số văn bản (mặc định: để trống, điền khi cấp số).")
@click.option(
    "--ngay",
    metavar="NGÀY",
    help="Ngày ký, ví dụ 29/02/2024 (mặc định: ngày làm việc cuối của tháng trước).",
)
@click.option(
    "--huong-toi",
    "huong_toi",
    default="2",
    callback=_months_ahead,
    metavar="N",
    help="Số tháng (0–12, mặc định 2) xem trước để nhắc ngày kỷ niệm tròn năm (“hướng tới …”).",
)
@click.option("--ghi-de", is_flag=True, help="Thay tệp đã có.")
@click.option(
    "--chi-xem", is_flag=True, help="Chỉ in các ngày kỷ niệm và bản nháp ra màn hình; không ghi."
)
@_handled
def thang_command(
    thang: str,
    previous: Path | None,
    out: Path | None,
    agency: Path | None,
    calendars: tuple[Path, ...],
    so: str | None,
    ngay: str | None,
    huong_toi: int,
    ghi_de: bool,
    chi_xem: bool,
) -> None:
    """Soạn công văn tuyên truyền tháng THÁNG (2024-03): ngày kỷ niệm, nhiệm vụ mang sang."""
    from tetngheo_docs.monthly import calendar, new

    month = new.parse_thang(thang)
    d = new.draft(
        month,
        out=out,
        agency=agency,
        previous=previous,
        calendars=calendars,
        so=so,
        ngay=ngay,
        ahead=huong_toi,
    )
    for issue in d.warnings:
        click.echo(str(issue), err=True)
    label = month.nhan("dang")
    if chi_xem:
        click.echo(f"Ngày kỷ niệm tháng {label}:")
        for occ in d.occurrences:
            mark = f"  [{occ.moc}]" if occ.moc else ""
            click.echo(f"  - {calendar.ngay_day_du(occ.ngay)}  {occ.phrase()}{mark}")
        for occ in d.upcoming:
            click.echo(f"  → hướng tới: {occ.phrase()}  [{occ.moc}]")
        click.echo("")
        sys.stdout.write(d.text)
        return
    path = new.show(new.write(d, overwrite=ghi_de))
    carried = f", {d.carried} mục mang sang từ {new.show(d.previous)}" if d.previous else ""
    click.echo(
        f"đã tạo {path} ({len(d.occurrences)} ngày kỷ niệm, {len(d.upcoming)} ngày “hướng tới”"
        f"{carried})"
    )
    click.echo(f"Xem các dòng “XEM LẠI” trong tệp, rồi: tetngheo tao {path}")


_original_argument = click.argument(
    "original", metavar="VĂN_BẢN", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
_register_option = register_option(
    "Sổ văn bản đi nơi tìm số văn bản gốc: tệp hoặc postgresql://… (mặc định: như lệnh phat-hanh)."
)
_draft_out_option = click.option(
    "--ghi-vao",
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="TỆP",
    help="Tệp sẽ tạo (mặc định: cạnh văn bản gốc, tên thêm -dinh-chinh, -thu-hoi, -thay-the).",
)
_draft_agency_option = click.option(
    "--co-quan",
    "agency",
    type=_file,
    metavar="TỆP",
    help="Tệp cơ quan (mặc định: tetngheo.yaml gần nhất, cùng thư mục hoặc thư mục cha).",
)


def _correction(
    kind: str,
    original: Path,
    out: Path | None,
    agency: Path | None,
    register: Path | str | None,
    loai: str | None = None,
) -> None:
    from tetngheo_docs import correction

    target = correction.scaffold(
        original, kind, out=out, agency=agency, register=register, loai=loai
    )
    click.echo(f"đã tạo {target}")
    click.echo(
        "Điền mọi chỗ trống “…” và xem các dòng “XEM LẠI” trong tệp; kiểm tra bằng "
        f"tetngheo kiem-tra {target}, rồi phát hành: tetngheo phat-hanh {target} --nguoi-nhan "
        "DANH_SÁCH --phat-hanh"
    )


@new_group.command("dinh-chinh", context_settings=CONTEXT)
@_original_argument
@_draft_out_option
@_draft_agency_option
@_register_option
@_handled
def dinh_chinh_command(
    original: Path, out: Path | None, agency: Path | None, register: Path | str | None
) -> None:
    """Soạn công văn đính chính một văn bản đã phát hành (sai sót về thể thức, trình bày)."""
    _correction("dinh-chinh", original, out, agency, register)


@new_group.command("thu-hoi", context_settings=CONTEXT)
@_original_argument
@click.option(
    "--loai",
    type=click.Choice(["cong_van", "quyet_dinh"]),
    default=None,
    help="Thu hồi bằng công văn hay quyết định (mặc định: quyết định nếu văn bản gốc là quyết "
    "định, còn lại công văn).",
)
@_draft_out_option
@_draft_agency_option
@_register_option
@_handled
def thu_hoi_command(
    original: Path,
    loai: str | None,
    out: Path | None,
    agency: Path | None,
    register: Path | str | None,
) -> None:
    """Soạn văn bản thu hồi một văn bản đã phát hành (nơi nhận gửi lại hoặc hủy bản điện tử)."""
    _correction("thu-hoi", original, out, agency, register, loai)


@new_group.command("thay-the", context_settings=CONTEXT)
@_original_argument
@_draft_out_option
@_draft_agency_option
@_register_option
@_handled
def thay_the_command(
    original: Path, out: Path | None, agency: Path | None, register: Path | str | None
) -> None:
    """Soạn văn bản thay thế một văn bản đã phát hành có sai sót về nội dung (cùng loại)."""
    _correction("thay-the", original, out, agency, register)
