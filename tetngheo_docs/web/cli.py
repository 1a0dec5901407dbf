"""``tetngheo xem-truc-tiep`` (alias ``serve``): the live preview of an office folder."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from tetngheo_docs.cli_base import CONTEXT, _Command, _handled

DEFAULT_PORT = 8765


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command("xem-truc-tiep", cls=_Command, aliases=("serve",), context_settings=CONTEXT)
@click.argument(
    "folder",
    metavar="[THƯ_MỤC]",
    required=False,
    default=".",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "--dia-chi",
    "--host",
    "host",
    default="127.0.0.1",
    show_default=True,
    metavar="ĐỊA_CHỈ",
    help="Địa chỉ nghe. Mặc định chỉ máy này mở được trang. Địa chỉ khác (0.0.0.0) cho mọi "
    "máy trong mạng xem, sửa, lưu tệp và ghi số tay vào sổ mà không cần mật khẩu: chỉ dùng "
    "trong mạng tin cậy.",
)
@click.option(
    "--cong",
    "--port",
    "port",
    type=int,
    default=DEFAULT_PORT,
    show_default=True,
    metavar="SỐ",
    help="Cổng nghe.",
)
@_handled
def serve_command(folder: Path, host: str, port: int) -> None:
    """Xem trực tiếp trong trình duyệt: danh sách văn bản, ảnh trang tự cập nhật khi lưu tệp,
    lỗi theo dòng, soạn và lưu ngay trên trang (Ctrl+C để dừng)."""
    import uvicorn

    from tetngheo_docs.web.app import LOOPBACK, create_app

    hosts = LOOPBACK if _loopback(host) else ["*"]
    app = create_app(folder, hosts=hosts)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if not _loopback(host):
        click.echo(
            f"Cảnh báo: đang mở cho các máy khác ({host}); ai vào được mạng này cũng sửa được "
            "tệp của thư mục cơ quan.",
            err=True,
        )
    click.echo(f"Đang chạy tại http://{shown}:{port}/ — thư mục {folder.resolve()}")
    click.echo("Mở địa chỉ đó trong trình duyệt; Ctrl+C để dừng.")
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5
    )

    class _Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: object) -> None:
            app.state.server.stopping = True  # the pages' event streams end first
            super().handle_exit(sig, frame)  # type: ignore[arg-type]

    _Server(config).run()
