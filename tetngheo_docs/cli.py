"""Command line: options parsed, one library call, one error handler (`TetngheoError` → exit 1).

Heavy modules are imported inside the commands so ``tetngheo -h`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tetngheo_docs import __version__
from tetngheo_docs.cli_base import (  # noqa: F401 - re-exported for command modules
    CONTEXT,
    OPTIONS,
    PROG,
    _fail,
    _Group,
    _handled,
    _warn,
    register_option,
)
from tetngheo_docs.errors import Issue, IssuesError, TetngheoError

if TYPE_CHECKING:
    from tetngheo_docs import build


@click.group(PROG, cls=_Group, context_settings=CONTEXT)
@click.version_option(
    __version__,
    "--phien-ban",
    "--version",
    prog_name="tetngheo",
    message="%(prog)s %(version)s",
    help="Hiện phiên bản rồi thoát.",
)
def main() -> None:
    """tetngheo — soạn công văn, kế hoạch… đúng thể thức (ND30, HD36) từ tệp YAML."""


_agency_option = click.option(
    "--co-quan",
    "agency",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="TỆP",
    help="Tệp cơ quan (mặc định: tetngheo.yaml gần nhất, cùng thư mục hoặc thư mục cha).",
)
_strict_option = click.option(
    "--nghiem-ngat", "--strict", "strict", is_flag=True, help="Coi cảnh báo là lỗi."
)
_convert_option = click.option(
    "--chuyen-ma",
    "convert_legacy",
    is_flag=True,
    help="Chữ TCVN3/VNI dán vào tệp YAML: tự chuyển sang Unicode (báo từng chỗ để kiểm "
    "tra) thay vì từ chối.",
)
_files_argument = click.argument(
    "files",
    nargs=-1,
    required=True,
    metavar="TỆP...",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)


def _overrides(so: str | None, ngay: str | None) -> dict[str, Any]:
    return {"so": so, "ngay": ngay}


def _directives(files: tuple[Path, ...]) -> list[Path]:
    """The directives among the files; agency files (as `*.yaml` globs give) are skipped."""
    from tetngheo_docs.api import AGENCY_FILE

    out = []
    for path in files:
        if path.name == AGENCY_FILE:
            click.echo(f"{path}: bỏ qua tệp cơ quan", err=True)
        else:
            out.append(path)
    return out


@main.command("kiem-tra", aliases=("check",), context_settings=CONTEXT)
@_files_argument
@_agency_option
@_strict_option
@_convert_option
@_handled
def check(files: tuple[Path, ...], agency: Path | None, strict: bool, convert_legacy: bool) -> None:
    """Kiểm tra văn bản (không ghi tệp), báo mọi lỗi một lần."""
    from tetngheo_docs import api

    problems: list[Issue] = []
    warnings: list[Issue] = []
    for path in _directives(files):
        try:
            loaded = api.load(path, agency=agency, convert_legacy=convert_legacy)
        except IssuesError as err:
            problems.extend(err.issues)
            continue
        warnings.extend(loaded.warnings)
        click.echo(f"{path}: hợp lệ ({loaded.profile.title})")
        # The documents it cites, each checked (symbol grammar, real date): warnings.
        from tetngheo_docs import citations

        warnings.extend(citations.directive_issues(path))
        for line in citations.report(path)[1:]:
            click.echo(line)
    if problems:
        _fail(IssuesError(problems))
    _warn(warnings, strict)


@main.command("tao", aliases=("render",), context_settings=CONTEXT)
@_files_argument
@click.option(
    "--ghi-vao",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="THƯ_MỤC",
    help="Thư mục ghi tệp .docx (mặc định: thư mục out/ cạnh tệp văn bản).",
)
@_agency_option
@click.option("--so", metavar="SỐ", help="Số văn bản (ghi đè 'so' trong tệp).")
@click.option("--ngay", metavar="NGÀY", help="Ngày ban hành, ví dụ 15/01/2024 (ghi đè 'ngay').")
@click.option(
    "--cho-phep-ngay",
    "date_override",
    metavar="LÝ_DO",
    help="Vẫn ghi số ghi tay vào sổ khi ngày văn bản ở tương lai hoặc thuộc năm/nhiệm kỳ đã "
    "qua; lý do được ghi vào nhật ký của sổ.",
)
@_strict_option
@_convert_option
@click.option("--pdf", "make_pdf", is_flag=True, help="Tạo thêm tệp PDF (qua LibreOffice).")
@_handled
def render(
    files: tuple[Path, ...],
    out_dir: Path | None,
    agency: Path | None,
    so: str | None,
    ngay: str | None,
    date_override: str | None,
    strict: bool,
    convert_legacy: bool,
    make_pdf: bool,
) -> None:
    """Sinh tệp .docx đúng thể thức từ một hoặc nhiều tệp văn bản YAML."""
    from tetngheo_docs import api, batch, model

    # Validate everything first: one bad directive writes nothing at all.
    loaded, problems, warnings = [], [], []
    for path in _directives(files):
        try:
            overrides = _overrides(so, ngay)
            item = api.load(path, agency=agency, overrides=overrides, convert_legacy=convert_legacy)
        except IssuesError as err:
            problems.extend(err.issues)
            continue
        refusal = model.personal_issue(item.directive)  # ${fields}: for `tetngheo issue`
        # A number written by hand goes through the register like any other.
        hand = batch.hand_number(item, from_option=so is not None, date_override=date_override)
        refusal = refusal or hand.problem
        if refusal is not None:
            problems.append(refusal)
            continue
        loaded.append((item, hand))
        warnings.extend(item.warnings)
    if problems:
        _fail(IssuesError(problems))
    _warn(warnings, strict)
    for item, hand in loaded:
        if hand.record:
            batch.record_hand_number(item, date_override=date_override)
        elif hand.note:
            click.echo(hand.note, err=True)
    written = []
    for item, _ in loaded:
        done = api.render_output(item, out_dir or item.path.parent / "out")
        written.append(done.path)
        click.echo(_rewritten(done.path, done.revision))
    if make_pdf:
        _pdf(written)


def _rewritten(path: Path, revision: build.Revision | None) -> str:
    """What happened to one output (``revision``: a `build.Revision` when it was written):
    a file edited by hand or deleted is said so, with where the edited bytes were kept."""
    from tetngheo_docs import build, diff

    if revision is None:
        return f"giữ nguyên {path} (không có gì đổi)"
    if build.EDITED in revision.changed:
        kept = diff.kept_version(path, revision.old_sha256)
        return f"đã ghi lại {path} (tệp đã bị sửa tay; bản sửa được giữ trong {kept})"
    if build.DELETED in revision.changed:
        return f"đã tạo lại {path} (tệp đã bị xóa)"
    return f"đã ghi {path}"


def _pdf(files: list[Path]) -> None:
    from tetngheo_docs import pdf

    for target in pdf.convert(files):
        click.echo(f"đã ghi {target}")


@main.command("phat-hanh", aliases=("issue",), context_settings=CONTEXT)
@click.argument(
    "directive", metavar="TỆP", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--nguoi-nhan",
    "people",
    required=True,
    metavar="DANH_SÁCH",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Danh sách nơi nhận: .yaml, .csv hay .txt (UTF-8, UTF-16, Windows-1258, TCVN3, "
    "VNI; dấu , ; hoặc tab) hoặc .xlsx.",
)
@click.option(
    "--ghi-vao",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="THƯ_MỤC",
    help="Thư mục ghi các thư (mặc định: out/<tên tệp> cạnh văn bản).",
)
@_agency_option
@register_option()
@click.option(
    "--phat-hanh", is_flag=True, help="Ghi nhận đã phát hành trong sổ (không sửa được nữa)."
)
@click.option(
    "--so",
    metavar="SỐ",
    help="Số ghi tay (ghi đè 'so' trong tệp); vẫn được ghi vào sổ, bị từ chối nếu đã cấp.",
)
@click.option(
    "--cho-phep-ngay",
    "date_override",
    metavar="LÝ_DO",
    help="Vẫn lấy số khi ngày văn bản ở tương lai hoặc thuộc năm/nhiệm kỳ đã qua; lý do được "
    "ghi vào nhật ký của sổ.",
)
@click.option(
    "--chay-thu",
    "--dry-run",
    "dry_run",
    is_flag=True,
    help="Chỉ kiểm tra và cho biết sẽ làm gì; không ghi, không lấy số.",
)
@click.option("--pdf", "make_pdf", is_flag=True, help="Tạo thêm PDF cho mỗi thư.")
@click.option(
    "--in-gop",
    "combined",
    is_flag=True,
    help="Với --pdf: thêm một tệp in-gop.pdf gồm mọi thư để in một lần.",
)
@click.option(
    "--so-tien-trinh",
    "workers",
    type=int,
    default=None,
    metavar="N",
    help="Số tiến trình (mặc định: số lõi).",
)
@_convert_option
@_handled
def issue_command(
    directive: Path,
    people: Path,
    out_dir: Path | None,
    agency: Path | None,
    register: Path | str | None,
    phat_hanh: bool,
    so: str | None,
    date_override: str | None,
    dry_run: bool,
    workers: int | None,
    make_pdf: bool,
    combined: bool,
    convert_legacy: bool,
) -> None:
    """Phát hành một văn bản tới danh sách nơi nhận: lấy số từ sổ, mỗi nơi một tệp."""
    from tetngheo_docs import batch, build

    out = out_dir or directive.parent / "out" / directive.stem
    bar: Any = None

    def on_plan(total: int) -> None:
        nonlocal bar
        if not dry_run:
            bar = click.progressbar(length=total, label="Đang tạo thư", file=sys.stderr)
            bar.__enter__()

    def progress(n: int) -> None:
        if bar is not None:
            bar.update(n)

    try:
        report = batch.issue(
            directive,
            people,
            out,
            agency=agency,
            register=register,
            publish=phat_hanh,
            dry_run=dry_run,
            workers=workers,
            progress=progress,
            on_plan=on_plan,
            so=so,
            date_override=date_override,
            convert_legacy=convert_legacy,
        )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for warning in report.result.warnings:
        click.echo(str(warning), err=True)
    letters = report.result.letters
    opened = (
        f"Mở dãy số mới: {report.opened}, bắt đầu từ số {report.numbers[0]:02d}."
        if report.opened and report.numbers
        else ""
    )
    if report.dry_run:
        nxt = f"; số sẽ dùng: {report.numbers[0]:02d}" if report.numbers else ""
        if opened:
            click.echo(opened.replace("Mở dãy", "Sẽ mở dãy"))
        click.echo(f"Kiểm tra xong: {len(letters)} thư sẽ được tạo trong {out}{nxt}. Chưa ghi gì.")
        return
    if opened:
        click.echo(opened)
    res = report.result
    numbers = report.numbers
    if len(numbers) == 1:
        numbering = report.symbol.replace("Số: ", "số ").replace("Số ", "số ")
    elif numbers:
        numbering = f"số {numbers[0]:02d} đến {numbers[-1]:02d}"
    else:
        numbering = "chưa có số"
    status = "đã phát hành" if phat_hanh else "giữ số (chưa phát hành)"
    if make_pdf:
        from tetngheo_docs import pdf

        # The letters share one template: merged per core, converted once, split back.
        gop = out / "in-gop.pdf" if combined else None
        pdf.convert_letters([out / x.file for x in letters], workers=workers, combined=gop)
        click.echo(f"đã tạo {len(letters)} tệp PDF trong {out}" + (f" và {gop}" if gop else ""))
    for rev in res.revisions:  # letters someone edited by hand or deleted
        if build.EDITED in rev.changed or build.DELETED in rev.changed:
            click.echo(_rewritten(Path(rev.file), rev))
    for name in res.removed:
        click.echo(f"đã xóa {out / name} (nơi nhận không còn trong danh sách)")
    removed = f", {len(res.removed)} tệp bị xóa" if res.removed else ""
    click.echo(
        f"Xong: {len(letters)} thư ({numbering}, {status}): {len(res.written)} tệp được tạo "
        f"lại, {len(res.unchanged)} giữ nguyên{removed}. "
        f"Bảng kê: {report.manifest[0] if report.manifest else ''}"
    )


@main.command("pdf", context_settings=CONTEXT)
@click.argument(
    "paths",
    nargs=-1,
    required=True,
    metavar="TỆP_HOẶC_THƯ_MỤC...",
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--so-tien-trinh",
    "workers",
    type=int,
    default=None,
    metavar="N",
    help="Số LibreOffice chạy cùng lúc (mặc định: số lõi).",
)
@_handled
def pdf_command(paths: tuple[Path, ...], workers: int | None) -> None:
    """Chuyển .docx sang PDF qua LibreOffice (PDF nằm cạnh tệp .docx)."""
    from tetngheo_docs import pdf

    files: list[Path] = []
    for path in paths:
        files += sorted(path.glob("*.docx")) if path.is_dir() else [path]
    if not files:
        raise TetngheoError("không có tệp .docx nào để chuyển")
    made = pdf.convert(files, workers=workers)
    click.echo(f"đã tạo {len(made)} tệp PDF")


def _pages(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """``1``, ``2-3`` or ``tat-ca`` (``all``, the older spelling, still works)."""
    text = value.strip().lower()
    if text in ("tat-ca", "all"):
        return "all"
    first, _, last = text.partition("-")
    if not first.isdigit() or (last and not last.isdigit()):
        raise click.BadParameter(f"viết 1, 2-3 hoặc tat-ca, không phải '{value}'")
    return text


@main.command("xem-trang", aliases=("preview",), context_settings=CONTEXT)
@click.argument("path", metavar="TỆP", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--trang",
    default="1",
    show_default=True,
    metavar="TRANG",
    callback=_pages,
    help="Trang cần xem: 1, 2-3 hoặc tat-ca.",
)
@click.option(
    "--dpi", default=80, show_default=True, type=int, metavar="SỐ", help="Độ phân giải ảnh."
)
@click.option(
    "--ghi-vao",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="THƯ_MỤC",
    help="Thư mục ghi ảnh (mặc định: cạnh tệp).",
)
@_handled
def preview_command(path: Path, trang: str, dpi: int, out_dir: Path | None) -> None:
    """Ảnh PNG các trang của một văn bản (.docx hoặc .pdf), để xem nhanh."""
    from tetngheo_docs import pdf

    for image in pdf.preview(path, pages=trang, dpi=dpi, out_dir=out_dir):
        click.echo(f"đã ghi {image}")


@main.command("so-sanh", aliases=("diff",), context_settings=CONTEXT)
@click.argument(
    "old", metavar="TỆP_CŨ", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.argument(
    "new",
    metavar="[TỆP_MỚI]",
    required=False,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--html",
    "html_out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="TỆP.html",
    help="Ghi thêm trang so sánh hai cột.",
)
@_handled
def diff_command(old: Path, new: Path | None, html_out: Path | None) -> None:
    """So sánh hai bản .docx theo từng đoạn và ô bảng; một tệp: so với bản trước của nó."""
    from tetngheo_docs import diff, outputs

    if new is None:
        previous = diff.previous_version(old)
        if previous is None:
            raise TetngheoError(f"{old}: chưa có bản trước nào được lưu để so sánh")
        old, new = previous, old
    a = diff.units(old.read_bytes(), str(old))
    b = diff.units(new.read_bytes(), str(new))
    lines = diff.text_diff(a, b)
    for line in lines:
        click.echo(line)
    click.echo(f"{len(lines)} chỗ khác nhau giữa {old} và {new}" if lines else "Không khác gì.")
    if html_out is not None:
        outputs.atomic_write(html_out, diff.html_diff(a, b, str(old), str(new)).encode("utf-8"))
        click.echo(f"đã ghi {html_out}")


@main.command("lich-su", aliases=("history",), context_settings=CONTEXT)
@click.argument("path", metavar="TỆP", type=click.Path(dir_okay=False, path_type=Path))
@_handled
def history_command(path: Path) -> None:
    """Lịch sử các lần một tệp đã sinh được tạo lại: khi nào, do đổi gì."""
    from tetngheo_docs import api, build
    from tetngheo_docs.vn import dates

    logs = [path.parent / build.LOCAL_HISTORY, path.parent / build.HISTORY]
    agency = api.find_agency(path)
    if agency is not None:
        logs.append(agency.parent / build.HISTORY)
    revisions = [r for log in dict.fromkeys(logs) for r in build.read_history(log, path)]
    if not revisions:
        click.echo(f"{path}: chưa có lần tạo lại nào được ghi")
        return
    # Older logs are in UTC, newer ones in Vietnam time: ordered by the instant, not the text.
    epoch = dates.instant("1970-01-01T00:00:00+00:00")
    for r in sorted(revisions, key=lambda r: dates.instant(r.time) or epoch):
        number = f" số {r.number}" if r.number else ""
        click.echo(
            f"{dates.show_time(r.time)}{number}: {', '.join(r.changed)} — "
            f"{r.old_sha256[:12] or '(mới)'} → {r.new_sha256[:12]}"
        )


@main.command("theo-doi", aliases=("watch",), context_settings=CONTEXT)
@_files_argument
@click.option(
    "--ghi-vao",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="THƯ_MỤC",
    help="Thư mục ghi .docx (mặc định: out/ cạnh tệp).",
)
@click.option(
    "--chu-ky",
    "interval",
    default=1.0,
    show_default=True,
    metavar="GIÂY",
    help="Bao lâu kiểm tra tệp một lần.",
)
@click.option("--so-lan", "rounds", type=int, default=None, hidden=True)
def watch(
    files: tuple[Path, ...], out_dir: Path | None, interval: float, rounds: int | None
) -> None:
    """Tự sinh lại .docx mỗi khi lưu tệp văn bản (Ctrl+C để dừng); lỗi báo ngay, có vị trí."""
    import time

    from tetngheo_docs import api

    def stamp() -> dict[Path, float]:
        seen = {}
        for path in files:
            agency = api.find_agency(path)
            for p in (path, agency):
                if p is not None and p.exists():
                    seen[p] = p.stat().st_mtime
        return seen

    last: dict[Path, float] = {}
    count = 0
    click.echo("Đang theo dõi; lưu tệp để sinh lại, Ctrl+C để dừng.")
    try:
        while rounds is None or count < rounds:
            now = stamp()
            if now != last:
                last = now
                for path in files:
                    try:
                        item = api.load(path)
                        done = api.render_output(item, out_dir or path.parent / "out")
                        for issue in item.warnings:
                            click.echo(str(issue), err=True)
                        click.echo(_rewritten(done.path, done.revision))
                    except TetngheoError as err:
                        click.echo(err.format(), err=True)
            count += 1
            if rounds is None or count < rounds:
                time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("Đã dừng theo dõi.")


@main.command("luoc-do", aliases=("schema",), context_settings=CONTEXT)
@click.argument(
    "folder",
    metavar="THƯ_MỤC",
    required=False,
    default="luoc-do",
    type=click.Path(file_okay=False, path_type=Path),
)
@_handled
def schema_command(folder: Path) -> None:
    """Ghi lược đồ JSON Schema của tệp văn bản, tệp cơ quan, biểu mẫu, danh sách nơi nhận.

    \b
    Trình soạn thảo (VS Code + tiện ích YAML) dùng lược đồ để gợi ý và kiểm tra khóa khi gõ;
    thêm dòng đầu tệp: # yaml-language-server: $schema=luoc-do/van-ban.schema.json
    """
    from tetngheo_docs import schema

    for path in schema.write(folder):
        click.echo(f"đã ghi {path}")


@main.command("khoi-tao", aliases=("init",), context_settings=CONTEXT)
@click.argument("folder", metavar="THƯ_MỤC", type=click.Path(file_okay=False, path_type=Path))
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
    click.echo(f"Thử ngay: tetngheo tao {folder / scaffold.EXAMPLE_NAME}")


@main.command("the-thuc", aliases=("lint",), context_settings=CONTEXT)
@click.argument(
    "files",
    nargs=-1,
    required=True,
    metavar="TỆP_HOẶC_THƯ_MỤC...",
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--he-thong",
    "--system",
    "system",
    type=click.Choice(["dang", "nha_nuoc"]),
    help="Hệ thống văn bản (mặc định: tự nhận ra từ Quốc hiệu / tiêu đề Đảng).",
)
@click.option(
    "--ho-so",
    "--the-thuc",
    "the_thuc",
    metavar="HỒ_SƠ",
    help="Hồ sơ thể thức, ví dụ nd30, hd36, hd05_2026.",
)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.option(
    "--tom-tat",
    "brief",
    is_flag=True,
    help="Mỗi tệp một dòng: ĐẠT / KHÔNG ĐẠT, số mục đạt, cảnh báo, lỗi và mục nào lỗi.",
)
@_strict_option
@_handled
def lint(
    files: tuple[Path, ...],
    system: str | None,
    the_thuc: str | None,
    as_json: bool,
    brief: bool,
    strict: bool,
) -> None:
    """Kiểm tra thể thức tệp .docx (của tetngheo hay soạn tay) theo ND30 / HD36.

    Nhận tệp .docx hoặc thư mục (mọi tệp .docx bên trong, kể cả thư mục con; bỏ qua các bản
    cũ trong .phien-ban/ và tệp tạm ~$ của Word).
    """
    from tetngheo_docs import profiles
    from tetngheo_docs.lint import checks, report

    files = _docx_in(files)

    # A wrong profile name is one message, not one per file.
    if the_thuc and system:
        profiles.for_system(system, the_thuc)  # type: ignore[arg-type]
    elif the_thuc:
        profiles.load(the_thuc)
    results, errors = [], []
    for path in files:
        try:
            results.append(checks.lint_file(path, system=system, the_thuc=the_thuc))
        except TetngheoError as err:
            errors.append((str(path), err.format()))
    if as_json:
        click.echo(report.as_json(results, errors, strict=strict))
    else:
        for result in results:
            click.echo(
                report.one_line(result, strict=strict)
                if brief
                else report.text(result, strict=strict)
            )
        for _, message in errors:
            click.echo(message, err=True)
    if errors or any(r.failed(strict) for r in results):
        sys.exit(1)


def _docx_in(paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """Files as given; a folder gives every .docx inside it, sorted, recursively, without the
    kept versions (``.phien-ban/``), other hidden folders and Word's ``~$`` lock files."""
    from tetngheo_docs.diff import VERSIONS

    out: list[Path] = []
    for path in paths:
        if not path.is_dir():
            out.append(path)
            continue
        found = sorted(
            p
            for p in path.rglob("*")
            if p.suffix.lower() == ".docx"
            and p.is_file()
            and not p.name.startswith("~$")
            and not any(
                part == VERSIONS or part.startswith(".") for part in p.relative_to(path).parts
            )
        )
        if not found:
            raise TetngheoError(f"{path}: thư mục không có tệp .docx nào")
        out += found
    return tuple(out)


from tetngheo_docs.register_cli import register_group  # noqa: E402

main.add_command(register_group)

from tetngheo_docs.forms.cli import forms_group  # noqa: E402

main.add_command(forms_group)

from tetngheo_docs.monthly.cli import new_group  # noqa: E402

main.add_command(new_group)

from tetngheo_docs.copies_cli import copy_command  # noqa: E402

main.add_command(copy_command)

from tetngheo_docs.web.cli import serve_command  # noqa: E402

main.add_command(serve_command)
