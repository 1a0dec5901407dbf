"""`tetngheo register …`: look at, void and export the outgoing register (sổ văn bản đi).

Registered on the main group by the last lines of `tetngheo_docs.cli`; import this module
through `tetngheo_docs.cli` (importing it first would be a circular import).

The register file is ``--register TỆP``, else ``so-van-ban-di.sqlite3`` next to the nearest
``tetngheo.yaml`` (the working directory or a folder above it). These commands never create a
register: numbers are taken when documents are issued.

A number is named by ``SỐ`` plus as many filters as needed to make it unique (``--nam``,
``--nhiem-ky``, ``--loai``, ``--day-so``, ``--so-hieu-co-quan``, ``--he-thong``); with one series
in the register the number alone is enough, and an ambiguous number is refused with the
choices listed. ``SỐ`` may also be written with its symbol (``05/KH-SVHTTDL``,
``196-CV/BTGDUK``).
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from tetngheo_docs.cli_base import (
    CONTEXT,
    REGISTER,
    _Group,
    _handled,
    choice,
    confirm,
    register_option,
)
from tetngheo_docs.errors import RegisterError, TetngheoError
from tetngheo_docs.register import (
    ACTION_LABELS,
    DEFAULT_FILE,
    REGISTER_TITLE,
    STATUS_LABELS,
    SYSTEM_LABELS,
    Entry,
    Register,
    Scope,
    parse_number,
)
from tetngheo_docs.register_store import ENV, resolve
from tetngheo_docs.vn.dates import show_time

F = TypeVar("F", bound=Callable[..., Any])

_YEAR_RE = re.compile(r"\A[0-9]{4}\Z")
_TERM_RE = re.compile(r"\A[0-9]{4}-[0-9]{4}\Z")
_NUMBER_RE = re.compile(r"\A\s*([0-9]+)\s*(?:[/-]\s*(\S.*?))?\s*\Z")
_WIDTH = 100
#: The agency file (the same name as `api.AGENCY_FILE`; a test keeps them equal).
AGENCY_FILE = "tetngheo.yaml"


# --------------------------------------------------------------------------- where is it


def _agency_file() -> Path | None:
    """The nearest tetngheo.yaml in the working directory or above it: the semantics of
    `api.find_agency`, without importing the rendering pipeline (a third of a second)."""
    folder = Path.cwd().resolve()
    for candidate in [folder, *folder.parents]:
        path = candidate / AGENCY_FILE
        if path.is_file():
            return path
    return None


def _agency_data() -> dict[str, Any]:
    """The nearest tetngheo.yaml's mapping ({} when there is none or it does not load)."""
    from tetngheo_docs import source

    path = _agency_file()
    if path is None:
        return {}
    try:
        data = source.load_yaml(path).data
    except TetngheoError:
        return {}
    return data if isinstance(data, dict) else {}


def _actor(given: str | None) -> str | None:
    """``--nguoi-thuc-hien``, else ``nguoi_thuc_hien`` of the agency file, else None (the
    register then records the operating-system account, labelled as such)."""
    if given:
        return given
    name = _agency_data().get("nguoi_thuc_hien")
    return name if isinstance(name, str) and name.strip() else None


def _new_register_path(given: Path | str | None) -> Path | str:
    """Where the register is or will be (see `register_store.resolve`)."""
    agency = _agency_file()
    value = _agency_data().get("so_van_ban")
    if given is None and agency is None and not value and not os.environ.get(ENV):
        raise RegisterError(
            "không tìm thấy sổ văn bản đi: không có tetngheo.yaml ở thư mục này hay thư mục "
            "cha. Hãy chạy lệnh trong thư mục cơ quan, hoặc chỉ rõ sổ: --so-van-ban-di "
            f"đường/dẫn/{DEFAULT_FILE} (hoặc postgresql://…)"
        )
    return resolve(given, agency_file=agency, agency_value=value)


def _scope(
    he_thong: str | None,
    so_hieu_co_quan: str | None,
    nam: str | None,
    nhiem_ky: str | None,
    loai: str | None,
    day_so: str | None,
) -> Scope:
    """The one series named by the options, completed from the agency file."""
    data = _agency_data()
    co_quan = data.get("co_quan")
    agency = so_hieu_co_quan or (co_quan.get("viet_tat") if isinstance(co_quan, dict) else None)
    system = he_thong or data.get("he_thong")
    if not isinstance(agency, str) or not agency:
        raise click.UsageError("cần --so-hieu-co-quan (hoặc co_quan.viet_tat trong tetngheo.yaml)")
    if system not in ("dang", "nha_nuoc"):
        system = "dang" if nhiem_ky else "nha_nuoc" if nam else None
    if system == "nha_nuoc":
        if not nam:
            raise click.UsageError("văn bản nhà nước đánh số theo năm: cần --nam, ví dụ --nam 2024")
        return Scope.nha_nuoc(agency, nam, day_so or "chung")
    if system == "dang":
        if not (nhiem_ky and loai):
            raise click.UsageError(
                "văn bản của Đảng đánh số theo loại và nhiệm kỳ: cần --loai và --nhiem-ky, "
                "ví dụ --loai CV --nhiem-ky 2020-2025"
            )
        return Scope.dang(agency, loai, nhiem_ky)
    raise click.UsageError("cần --he-thong dang|nha_nuoc (hoặc he_thong trong tetngheo.yaml)")


def _register_path(given: Path | str | None) -> Path | str:
    """The register these commands read: it must exist (they never create one)."""
    path = _new_register_path(given)
    if isinstance(path, str):
        return path  # a server: the connection says whether it is there
    if path.is_dir():
        raise RegisterError(
            f"{path}: đây là thư mục; --so-van-ban-di cần tệp sổ văn bản (.sqlite3)"
        )
    if not path.exists():
        raise RegisterError(
            f"chưa có sổ văn bản đi tại {path} (sổ được tạo khi cấp số đầu tiên); "
            "nếu sổ ở chỗ khác, hãy chỉ rõ --so-van-ban-di SỔ"
        )
    return path


def _agency_name(agency: str) -> str:
    """The agency's full name from tetngheo.yaml when its abbreviation is ``agency``."""
    co_quan = _agency_data().get("co_quan")
    if not isinstance(co_quan, dict) or co_quan.get("viet_tat") != agency:
        return ""
    name = co_quan.get("ten_day_du")
    return name if isinstance(name, str) else ""


# --------------------------------------------------------------------------- options


def _check_year(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not _YEAR_RE.fullmatch(value.strip()):
        raise click.BadParameter(f"năm viết bốn chữ số, ví dụ 2024 (nhận được '{value}')")
    return value.strip() if value else value


def _check_term(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not _TERM_RE.fullmatch(value.strip()):
        raise click.BadParameter(f"nhiệm kỳ viết dạng 2020-2025 (nhận được '{value}')")
    return value.strip() if value else value


_FILTERS = [
    register_option(),
    click.option(
        "--he-thong",
        type=click.Choice(["dang", "nha_nuoc"]),
        help="Chỉ văn bản của Đảng (dang) hoặc nhà nước (nha_nuoc).",
    ),
    click.option(
        "--so-hieu-co-quan",
        "so_hieu_co_quan",
        metavar="VIẾT_TẮT",
        help="Chữ viết tắt tên cơ quan trong ký hiệu, ví dụ SVHTTDL, BTGDUK.",
    ),
    click.option(
        "--nam",
        metavar="NĂM",
        callback=_check_year,
        help="Năm của dãy số (văn bản nhà nước đánh số theo năm), ví dụ 2024.",
    ),
    click.option(
        "--nhiem-ky",
        metavar="KỲ",
        callback=_check_term,
        help="Nhiệm kỳ (văn bản của Đảng đánh số theo loại và nhiệm kỳ), ví dụ 2020-2025.",
    ),
    click.option("--loai", metavar="LOẠI", help="Loại văn bản của Đảng, ví dụ CV, KH, TB."),
    click.option(
        "--day-so",
        metavar="DÃY",
        help="Dãy số của văn bản nhà nước: chung, mat (văn bản mật) hoặc mã hội đồng tư vấn.",
    ),
]
_STATUS_OPTION = click.option(
    "--trang-thai",
    "trang_thai",
    # Shown in Vietnamese; the register's own words (reserved…) still work on the command line.
    type=choice({"da-giu-so": "reserved", "da-ban-hanh": "issued", "da-huy": "void"}),
    help="Chỉ số đã giữ (da-giu-so), đã ban hành (da-ban-hanh) hoặc đã hủy (da-huy).",
)


def _filter_options(func: F) -> F:
    for option in reversed(_FILTERS):
        func = option(func)
    return func


def _filters(
    he_thong: str | None,
    so_hieu_co_quan: str | None,
    nam: str | None,
    nhiem_ky: str | None,
    loai: str | None,
    day_so: str | None,
) -> dict[str, str | None]:
    """The filters as `Register.list` keywords; contradictory ones are a usage error."""
    if nam and nhiem_ky:
        raise click.UsageError("chỉ dùng một trong --nam (nhà nước) và --nhiem-ky (Đảng)")
    if loai and day_so and loai != day_so:
        raise click.UsageError("chỉ dùng một trong --loai (Đảng) và --day-so (nhà nước)")
    return {
        "system": he_thong,
        "agency": so_hieu_co_quan,
        "period": nam or nhiem_ky,
        "series": loai or day_so,
    }


def _describe(filters: dict[str, str | None]) -> str:
    parts = []
    if filters.get("system"):
        parts.append(SYSTEM_LABELS[filters["system"] or ""])
    if filters.get("agency"):
        parts.append(f"cơ quan {filters['agency']}")
    if filters.get("series"):
        parts.append(f"dãy/loại {filters['series']}")
    if filters.get("period"):
        parts.append(f"kỳ {filters['period']}")
    if filters.get("status"):
        parts.append(STATUS_LABELS[filters["status"] or ""])
    return ", ".join(parts)


def _hint(entry: Entry, others: list[Entry]) -> str:
    """The options that tell this entry's series apart from the others'."""
    s = entry.scope
    differs = {
        name: len({getattr(o.scope, name) for o in others}) > 1
        for name in ("system", "agency", "series", "period")
    }
    parts = []
    if differs["system"]:
        parts.append(f"--he-thong {s.system}")
    if differs["agency"]:
        parts.append(f"--so-hieu-co-quan {s.agency}")
    if differs["series"]:
        parts.append(f"--{'day-so' if s.system == 'nha_nuoc' else 'loai'} {s.series}")
    if differs["period"]:
        parts.append(f"--{'nam' if s.system == 'nha_nuoc' else 'nhiem-ky'} {s.period}")
    return " ".join(parts)


def _find(reg: Register, number: str, filters: dict[str, str | None]) -> Entry:
    """The one entry named by ``number`` (``5``, ``05``, ``05/KH-SVHTTDL``) and the filters."""
    text = unicodedata.normalize("NFC", number)
    m = _NUMBER_RE.fullmatch(text)
    n = parse_number(m[1] if m else text)
    symbol = m[2] if m else None
    found = reg.list(**filters, number=n)
    if symbol:
        found = [e for e in found if e.so_ky_hieu[len(e.so) + 1 :] == symbol]
    where = _describe(filters)
    shown = f"'{number.strip()}'" if symbol else f"{n:02d}"
    if not found:
        within = f" ({where})" if where else ""
        raise RegisterError(f"không có văn bản số {shown} trong sổ{within}")
    if len(found) > 1:
        lines = [f"có {len(found)} văn bản số {shown} ở các dãy số khác nhau:"]
        lines += [f"  {e.so_ky_hieu} — {e.scope.label()}: thêm {_hint(e, found)}" for e in found]
        lines.append("Hãy thêm tùy chọn để chọn đúng một văn bản.")
        raise RegisterError("\n".join(lines))
    return found[0]


# --------------------------------------------------------------------------- output


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(entries: list[Entry]) -> list[str]:
    """Readable lines, one block per number series."""
    lines: list[str] = []
    current = None
    for e in entries:
        if e.scope != current:
            current = e.scope
            group = [x for x in entries if x.scope == current]
            counts = {s: sum(1 for x in group if x.status == s) for s in STATUS_LABELS}
            summary = ", ".join(f"{n} {STATUS_LABELS[s]}" for s, n in counts.items() if n)
            if lines:
                lines.append("")
            lines.append(f"{SYSTEM_LABELS[current.system]} — {current.label()}: {summary}")
            lines.append(f"  {'Số, ký hiệu':<20} {'Ngày':<10}  {'Trạng thái':<12} Trích yếu")
        name = " ".join(p for p in (e.type_name, e.subject) if p)
        if e.status == "void":
            name = f"[{e.note}] {name}".strip()
        date = e.row()[1] or "—"
        lines.append(
            f"  {e.so_ky_hieu:<20} {date:<10}  {STATUS_LABELS[e.status]:<12} "
            + _cut(name or "—", _WIDTH - 48)
        )
    return lines


def _details(entry: Entry, reg: Register) -> list[str]:
    rows = [
        ("Số, ký hiệu", entry.so_ky_hieu),
        ("Dãy số", f"{SYSTEM_LABELS[entry.scope.system]} — {entry.scope.label()}"),
        ("Trạng thái", STATUS_LABELS[entry.status]),
        ("Lý do hủy", entry.reason),
        ("Ngày", entry.row()[1]),
        ("Tên loại", entry.type_name),
        ("Trích yếu", entry.subject),
        ("Người ký", entry.signer),
        ("Nơi nhận", "; ".join(x.strip(" ;") for x in entry.recipients.splitlines() if x.strip())),
        ("Đơn vị lưu", entry.unit),
        ("Số lượng bản", "" if entry.copies is None else str(entry.copies)),
        ("Tệp", entry.file),
        ("SHA-256", entry.sha256),
        ("Khóa", entry.key),
    ]
    lines = [f"{label + ':':<14} {value}" for label, value in rows if value]
    lines.append("Nhật ký:")
    for row in reg.history(entry.id):
        when = show_time(row.at)
        extra = f" — {row.detail['reason']}" if row.action == "void" else ""
        if row.detail.get("override_reason"):
            extra += f" — ngày ngoài kỳ được cho phép: {row.detail['override_reason']}"
        if row.detail.get("origin") == "manual":
            extra += " — số ghi tay"
        elif row.detail.get("origin") == "imported":
            extra += " — nhập từ sổ cũ"
        lines.append(f"  {when}  {row.actor}  {ACTION_LABELS.get(row.action, row.action)}{extra}")
    return lines


# --------------------------------------------------------------------------- commands


@click.group("so-van-ban-di", cls=_Group, aliases=("register",), context_settings=CONTEXT)
def register_group() -> None:
    """Sổ văn bản đi: xem, hủy số, xuất sổ (CSV, Excel, bản in .docx).

    \b
    Sổ là tệp so-van-ban-di.sqlite3 cạnh tetngheo.yaml (hoặc --so-van-ban-di TỆP).
    Nhà nước (NĐ30): đánh số theo năm, từ 01 ngày 01/01; văn bản mật và
    hội đồng tư vấn có dãy số riêng (--day-so). Đảng (HD36): đánh số theo
    loại văn bản (--loai) và nhiệm kỳ (--nhiem-ky).
    """


@register_group.command("danh-sach", aliases=("list",), context_settings=CONTEXT)
@_filter_options
@_STATUS_OPTION
@_handled
def list_command(
    register: Path | str | None,
    he_thong: str | None,
    so_hieu_co_quan: str | None,
    nam: str | None,
    nhiem_ky: str | None,
    loai: str | None,
    day_so: str | None,
    trang_thai: str | None,
) -> None:
    """Liệt kê các số trong sổ, theo từng dãy số."""
    filters = _filters(he_thong, so_hieu_co_quan, nam, nhiem_ky, loai, day_so)
    with Register(_register_path(register)) as reg:
        entries = reg.list(**filters, status=trang_thai)
    if not entries:
        where = _describe({**filters, "status": trang_thai})
        click.echo(f"Sổ chưa có văn bản nào{f' ({where})' if where else ''}.")
        return
    for line in _table(entries):
        click.echo(line)


@register_group.command("xem", aliases=("show",), context_settings=CONTEXT)
@click.argument("number", metavar="SỐ")
@_filter_options
@_handled
def show_command(
    number: str,
    register: Path | str | None,
    he_thong: str | None,
    so_hieu_co_quan: str | None,
    nam: str | None,
    nhiem_ky: str | None,
    loai: str | None,
    day_so: str | None,
) -> None:
    """Xem một số: nội dung và nhật ký.

    \b
    SỐ: 5, 05, hoặc kèm ký hiệu: 05/KH-SVHTTDL, 196-CV/BTGDUK.
    Nếu nhiều dãy số cùng có số này (năm khác, dãy mật, loại khác…), thêm
    --nam / --nhiem-ky / --loai / --day-so / --so-hieu-co-quan; lệnh sẽ
    liệt kê các văn bản trùng số và tùy chọn cần thêm.
    """
    filters = _filters(he_thong, so_hieu_co_quan, nam, nhiem_ky, loai, day_so)
    with Register(_register_path(register)) as reg:
        entry = _find(reg, number, filters)
        for line in _details(entry, reg):
            click.echo(line)


@register_group.command("huy", aliases=("void",), context_settings=CONTEXT)
@click.argument("number", metavar="SỐ")
@click.option("--ly-do", "reason", metavar="LÝ_DO", help="Lý do hủy số (bắt buộc).")
@click.option(
    "--nguoi-thuc-hien",
    "actor",
    metavar="TÊN",
    help="Người hủy, ghi vào nhật ký (mặc định: tên đăng nhập).",
)
@click.option("--khong-hoi", "-y", "--yes", "yes", is_flag=True, help="Không hỏi lại.")
@_filter_options
@_handled
def void_command(
    number: str,
    reason: str | None,
    actor: str | None,
    yes: bool,
    register: Path | str | None,
    he_thong: str | None,
    so_hieu_co_quan: str | None,
    nam: str | None,
    nhiem_ky: str | None,
    loai: str | None,
    day_so: str | None,
) -> None:
    """Hủy một số (có lý do); số đã hủy không bao giờ được cấp lại.

    Ví dụ: tetngheo so-van-ban-di huy 05 --nam 2024 --ly-do "Ban hành nhầm, đã thu hồi"

    \b
    SỐ: 5, 05, hoặc kèm ký hiệu: 05/KH-SVHTTDL, 196-CV/BTGDUK.
    Nếu nhiều dãy số cùng có số này (năm khác, dãy mật, loại khác…), thêm
    --nam / --nhiem-ky / --loai / --day-so / --so-hieu-co-quan; lệnh sẽ
    liệt kê các văn bản trùng số và tùy chọn cần thêm.
    """
    filters = _filters(he_thong, so_hieu_co_quan, nam, nhiem_ky, loai, day_so)
    if not reason or not reason.strip():
        raise RegisterError('cần ghi lý do hủy số: --ly-do "văn bản ban hành nhầm, đã thu hồi"')
    with Register(_register_path(register), actor=_actor(actor)) as reg:
        entry = _find(reg, number, filters)
        label = f"{entry.so_ky_hieu} ({entry.scope.label()})"
        if entry.status == "void":
            click.echo(f"Số {label} đã hủy từ trước (lý do: {entry.reason}); không đổi gì.")
            return
        if not yes and sys.stdin.isatty():
            what = "đã ban hành" if entry.status == "issued" else "mới giữ số"
            confirm(f"Hủy số {label}, {what}? Số đã hủy không dùng lại được")
        entry = reg.void(entry.scope, entry.number, reason)
        following = reg.next_number(entry.scope)
    click.echo(f"Đã hủy số {label}: {entry.reason}")
    click.echo(f"Số này không được cấp lại; số tiếp theo của dãy là {following:02d}.")


@register_group.command("xuat", aliases=("export",), context_settings=CONTEXT)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(path_type=Path),
    metavar="TỆP",
    help="Ghi sổ ra tệp CSV (mở được bằng Excel).",
)
@click.option(
    "--xlsx",
    "xlsx_path",
    type=click.Path(path_type=Path),
    metavar="TỆP",
    help="Ghi sổ ra tệp Excel .xlsx.",
)
@click.option(
    "--docx",
    "docx_path",
    type=click.Path(path_type=Path),
    metavar="TỆP",
    help="Ghi bản in SỔ ĐĂNG KÝ VĂN BẢN ĐI (.docx, A4 ngang).",
)
@_filter_options
@_STATUS_OPTION
@_handled
def export_command(
    csv_path: Path | None,
    xlsx_path: Path | None,
    docx_path: Path | None,
    register: Path | str | None,
    he_thong: str | None,
    so_hieu_co_quan: str | None,
    nam: str | None,
    nhiem_ky: str | None,
    loai: str | None,
    day_so: str | None,
    trang_thai: str | None,
) -> None:
    """Xuất sổ (hoặc phần sổ chọn bằng bộ lọc) ra CSV, Excel hoặc bản in .docx."""
    from tetngheo_docs import register as book
    from tetngheo_docs.outputs import atomic_write

    if not (csv_path or xlsx_path or docx_path):
        raise click.UsageError("cần ít nhất một trong --csv TỆP, --xlsx TỆP, --docx TỆP")
    filters = _filters(he_thong, so_hieu_co_quan, nam, nhiem_ky, loai, day_so)
    with Register(_register_path(register)) as reg:
        entries = reg.list(**filters, status=trang_thai)
    outputs: list[tuple[Path, bytes]] = []
    if csv_path:
        outputs.append((csv_path, book.export_csv(entries)))
    if xlsx_path:
        outputs.append((xlsx_path, book.export_xlsx(entries)))
    if docx_path:
        agencies = {e.scope.agency for e in entries}
        name = _agency_name(agencies.pop()) if len(agencies) == 1 else ""
        outputs.append(
            (docx_path, book.register_docx(entries, title=REGISTER_TITLE, subtitle=name))
        )
    for path, data in outputs:
        atomic_write(path, data)
        click.echo(f"đã ghi {path} ({len(entries)} số)")


# --------------------------------------------------------------------------- adoption


@register_group.command("bat-dau", context_settings=CONTEXT)
@click.option(
    "--so-da-dung",
    "last_used",
    required=True,
    metavar="SỐ",
    help="Số lớn nhất đã dùng trong dãy trước khi dùng sổ này (0 nếu chưa dùng số nào).",
)
@click.option("--ghi-chu", "note", metavar="GHI_CHÚ", help="Ghi chú (ví dụ: theo sổ giấy).")
@click.option("--nguoi-thuc-hien", "actor", metavar="TÊN", help="Người khai báo, ghi vào sổ.")
@_filter_options
@_handled
def start_command(
    last_used: str,
    note: str | None,
    actor: str | None,
    register: Path | str | None,
    he_thong: str | None,
    so_hieu_co_quan: str | None,
    nam: str | None,
    nhiem_ky: str | None,
    loai: str | None,
    day_so: str | None,
) -> None:
    """Bắt đầu dùng sổ giữa năm (giữa nhiệm kỳ): khai báo số đã dùng của một dãy số.

    \b
    Ví dụ (ngày 15/5, đã ban hành 112 văn bản trên sổ giấy):
      tetngheo so-van-ban-di bat-dau --nam 2024 --so-da-dung 112
      tetngheo so-van-ban-di bat-dau --loai CV --nhiem-ky 2020-2025 --so-da-dung 40
    Số tự động tiếp theo của dãy là 113. Mỗi dãy số khai báo một lần, khi
    dãy chưa có số nào trong sổ. Muốn giữ cả sổ cũ: tetngheo so-van-ban-di nhap.
    """
    scope = _scope(he_thong, so_hieu_co_quan, nam, nhiem_ky, loai, day_so)
    with Register(_new_register_path(register), actor=_actor(actor)) as reg:
        reg.declare_start(scope, last_used, note or "")
        following = reg.next_number(scope)
    click.echo(
        f"Đã khai báo dãy số {scope.label()}: các số đến {following - 1:02d} đã dùng trước "
        f"khi có sổ; số tiếp theo là {following:02d}."
    )


#: Columns of an old register as this tool exports it (ND30 Phụ lục IV) and as offices
#: head them by hand; header names are compared lower-cased, without the trailing colon.
_IMPORT_COLUMNS = {
    "number": ("số, ký hiệu văn bản", "số ký hiệu", "số, ký hiệu", "số", "so"),
    "date": ("ngày tháng văn bản", "ngày", "ngay", "ngày văn bản"),
    "subject": ("tên loại và trích yếu nội dung văn bản", "trích yếu", "trich_yeu"),
    "signer": ("người ký", "nguoi_ky"),
    "recipients": ("nơi nhận văn bản", "nơi nhận", "noi_nhan"),
    "unit": ("đơn vị, người nhận bản lưu", "đơn vị lưu"),
    "copies": ("số lượng bản",),
    "status": ("trạng thái", "ghi chú", "ghi chu"),
}
_VOID_WORDS = ("hủy", "huỷ", "huy")


def _import_rows(path: Path) -> list[dict[str, Any]]:
    """The entries of an old register file, each with the line it came from."""
    from tetngheo_docs import recipients
    from tetngheo_docs.errors import Issue, IssuesError

    rows, issues = recipients.read_table(path, need="sổ cũ")
    if any(i.is_error for i in issues):
        raise IssuesError([i for i in issues if i.is_error])
    for warning in issues:  # an old encoding, read and converted: said, not refused
        click.echo(str(warning), err=True)
    if not rows:
        raise RegisterError(f"{path}: tệp sổ cũ không có dòng nào")
    header = set(rows[0][1])
    columns = {
        field: next((n for n in names if n in header), None)
        for field, names in _IMPORT_COLUMNS.items()
    }
    if columns["number"] is None:
        raise RegisterError(
            f"{path}:1:1: thiếu cột số văn bản: đặt tiêu đề cột là 'Số, ký hiệu văn bản' "
            "(như sổ xuất bằng tetngheo so-van-ban-di xuat) hoặc 'Số'"
        )
    out: list[dict[str, Any]] = []
    problems: list[Issue] = []
    for where, record in rows:
        raw = record[columns["number"]].strip()
        m = _NUMBER_RE.fullmatch(raw)
        try:
            number = parse_number(m[1] if m else raw)
        except RegisterError as err:
            problems.append(Issue(where, columns["number"], str(err)))
            continue
        row: dict[str, Any] = {"number": number, "key": f"so-cu:{number}"}
        if m and m[2]:
            row["symbol"] = m[2]
        for field in ("date", "subject", "signer", "recipients", "unit", "copies"):
            column = columns[field]
            if column and record.get(column, "").strip():
                row[field] = record[column].strip()
        status = record.get(columns["status"] or "", "").strip()
        if status and any(w in status.lower() for w in _VOID_WORDS):
            row["void"] = status
        out.append(row)
    if problems:
        raise IssuesError(problems)
    return out


@register_group.command("nhap", context_settings=CONTEXT)
@click.argument("file", metavar="TỆP", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--nguoi-thuc-hien", "actor", metavar="TÊN", help="Người nhập, ghi vào sổ.")
@_filter_options
@_handled
def import_command(
    file: Path,
    actor: str | None,
    register: Path | str | None,
    he_thong: str | None,
    so_hieu_co_quan: str | None,
    nam: str | None,
    nhiem_ky: str | None,
    loai: str | None,
    day_so: str | None,
) -> None:
    """Nhập sổ văn bản đi cũ (.xlsx hoặc .csv) vào một dãy số chưa có số nào.

    \b
    Cột cần có: 'Số, ký hiệu văn bản' (05/KH-UBND, 196-CV/BTGDUK hoặc 5); nên
    có: Ngày tháng văn bản, Tên loại và trích yếu, Người ký, Nơi nhận, Trạng
    thái ('đã hủy' cho số đã hủy). Số phải liền nhau từ 01. Các dòng được
    giữ với trạng thái "nhập từ sổ cũ"; số tiếp theo nối tiếp số cuối.
      tetngheo so-van-ban-di nhap so-cu-2024.xlsx --nam 2024
    """
    scope = _scope(he_thong, so_hieu_co_quan, nam, nhiem_ky, loai, day_so)
    rows = _import_rows(file)
    with Register(_new_register_path(register), actor=_actor(actor)) as reg:
        count = reg.import_entries(scope, rows)
        following = reg.next_number(scope)
    click.echo(
        f"Đã nhập {count} số từ {file} vào dãy số {scope.label()}; số tiếp theo là {following:02d}."
    )


# --------------------------------------------------------------------------- moving an office


@register_group.command("chuyen", aliases=("copy",), context_settings=CONTEXT)
@click.option(
    "--den",
    "target",
    required=True,
    type=REGISTER,
    metavar="SỔ",
    help="Sổ đích, thường là postgresql://máy-chủ/csdl (mật khẩu: PGPASSWORD, ~/.pgpass).",
)
@click.option(
    "--tu",
    "source",
    type=REGISTER,
    metavar="SỔ",
    help=f"Sổ nguồn (mặc định: {DEFAULT_FILE} của cơ quan).",
)
@click.option("--nguoi-thuc-hien", "actor", metavar="TÊN", help="Người chuyển sổ.")
@_handled
def copy_command(target: Path | str, source: Path | str | None, actor: str | None) -> None:
    """Chép toàn bộ sổ (mọi số, trạng thái, nhật ký) sang sổ khác, thường là máy chủ dùng chung.

    \b
    Ví dụ: tetngheo so-van-ban-di chuyen --den postgresql://may-chu/so_van_ban
    Chép đúng từng dòng, đối chiếu số dòng và mã băm hai bên rồi mới ghi;
    từ chối nếu dãy số nào ở sổ đích đã có số. Sổ nguồn giữ nguyên.
    """
    src_path = _register_path(source)
    with (
        Register(src_path, actor=_actor(actor)) as src,
        Register(target, actor=_actor(actor)) as dst,
    ):
        if src.where == dst.where:
            raise RegisterError("sổ nguồn và sổ đích là một; hãy chọn sổ đích khác (--den)")
        report = dst.copy_from(src)
        where = dst.where
    click.echo(f"Đã chép {src_path} → {where}:")
    for scope in report.scopes:
        click.echo(f"  {SYSTEM_LABELS[scope.system]} — {scope.label()}")
    click.echo(f"  Sổ nguồn: {report.source}")
    click.echo(f"  Sổ đích:  {report.target}")
    click.echo("Hai bên khớp từng dòng. Từ nay hãy đặt so_van_ban: … trong tetngheo.yaml.")
