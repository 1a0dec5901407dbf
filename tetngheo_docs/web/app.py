"""The live preview as a Starlette application (`create_app`); `tetngheo xem-truc-tiep` runs it.

A sibling of the command line (design: "Outer layers"): it parses what the browser sends,
calls the same library functions, and turns `TetngheoError` into a message. Safety:

* every path is relative to the office folder; one that leaves it is refused (403);
* the Host header must be one the server was started for (against DNS rebinding), and
  every POST must carry the page's token in ``X-Tetngheo-Token``: a page of another site
  cannot set that header without a CORS preflight, which this server never grants;
* templates are autoescaped Jinja2; nothing the browser sends is evaluated;
* nothing is numbered or issued without an explicit confirmation: rendering a directive
  whose hand-written number would enter the register asks first (HTTP 409 → a dialog).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from tetngheo_docs import __version__, api
from tetngheo_docs.errors import IssuesError, TetngheoError
from tetngheo_docs.web.office import REGISTER_FILE, Forbidden, Office
from tetngheo_docs.web.preview import Previewer, problem
from tetngheo_docs.web.warm import WarmOffice

HERE = Path(__file__).parent
#: Seconds between two looks at the files of an open directive.
POLL = 0.2
#: Seconds between two keep-alive comments on an idle event stream.
KEEPALIVE = 15.0
#: The largest YAML file the editor may save.
MAX_SAVE = 2_000_000
YAML = (".yaml", ".yml")
_IMAGE = re.compile(r"^k[0-9a-f]{12}-v\d+-\d+\.png$")
LOOPBACK = ["127.0.0.1", "localhost", "::1", "[::1]"]

Handler = Callable[[Request], Awaitable[Response]]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Server:
    """What every request shares: the office, the warm LibreOffice, the previews."""

    def __init__(self, root: Path, *, work: Path | None = None, mode: str | None = None):
        self.office = Office(root)
        self._own_work = work is None
        self.work = work or Path(tempfile.mkdtemp(prefix="tetngheo-web-"))
        self.warm = WarmOffice(self.work, mode=mode)
        self.previewer = Previewer(self.work, self.warm)
        self.token = secrets.token_urlsafe(24)
        #: Set when the server is asked to stop: open event streams end at once.
        self.stopping = False
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(HERE / "templates")),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )

    def close(self) -> None:
        self.warm.close()
        if self._own_work:
            shutil.rmtree(self.work, ignore_errors=True)

    def page(self, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        template = self.env.get_template(name)
        html = template.render(
            token=self.token, version=__version__, root=self.office.root.name, **values
        )
        return HTMLResponse(html, status_code=status)


def _guarded(handler: Handler) -> Handler:
    """Paths outside the office: 403; user errors: their Vietnamese message (400)."""

    async def wrapper(request: Request) -> Response:
        try:
            return await handler(request)
        except Forbidden:
            return PlainTextResponse("Không được phép: đường dẫn nằm ngoài thư mục cơ quan.", 403)
        except IssuesError as err:
            return JSONResponse(
                {"loi": err.format(), "van_de": [problem(i, "") for i in err.issues]}, 400
            )
        except TetngheoError as err:
            return JSONResponse({"loi": err.format()}, 400)

    wrapper.__name__ = handler.__name__
    return wrapper


def _posted(handler: Handler) -> Handler:
    """A POST must carry the page's token (no other site can send it)."""

    async def wrapper(request: Request) -> Response:
        server: Server = request.app.state.server
        sent = request.headers.get("x-tetngheo-token", "")
        if not secrets.compare_digest(sent, server.token):
            return PlainTextResponse("Thiếu mã phiên của trang; hãy tải lại trang.", 403)
        return await handler(request)

    wrapper.__name__ = handler.__name__
    return wrapper


async def _body(request: Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except ValueError:
        raise TetngheoError("yêu cầu không phải JSON hợp lệ") from None
    if not isinstance(data, dict):
        raise TetngheoError("yêu cầu không hợp lệ")
    return data


def _server(request: Request) -> Server:
    server: Server = request.app.state.server
    return server


# --------------------------------------------------------------------------- pages


@_guarded
async def index(request: Request) -> Response:
    server = _server(request)
    listing = await run_in_threadpool(server.office.listing)
    return server.page("index.html", listing=listing)


@_guarded
async def directive_page(request: Request) -> Response:
    server = _server(request)
    rel = request.query_params.get("tep", "")
    path = server.office.path(rel, suffixes=YAML)
    if not path.is_file():
        return server.page("loi.html", 404, message=f"Không có tệp {rel}.")
    text = path.read_text(encoding="utf-8-sig")
    listing = await run_in_threadpool(server.office.listing)
    return server.page(
        "van_ban.html", rel=server.office.rel(path), text=text, recipients=listing.recipients
    )


@_guarded
async def file_page(request: Request) -> Response:
    """A recipient list, a form or the agency file, read-only."""
    server = _server(request)
    rel = request.query_params.get("tep", "")
    path = server.office.path(rel, suffixes=(*YAML, ".csv", ".txt", ".xlsx"))
    if not path.is_file():
        return server.page("loi.html", 404, message=f"Không có tệp {rel}.")
    names: list[str] = []
    text = ""
    problems: list[str] = []
    if path.suffix.lower() in (".csv", ".txt", ".xlsx") or "nguoi_nhan" in path.read_text(
        encoding="utf-8-sig", errors="replace"
    ):
        try:
            names = await run_in_threadpool(Previewer.names, path)
        except IssuesError as err:
            problems = [str(i) for i in err.issues]
    if path.suffix.lower() != ".xlsx":
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    return server.page(
        "tep.html", rel=server.office.rel(path), text=text, names=names, problems=problems
    )


@_guarded
async def register_page(request: Request) -> Response:
    server = _server(request)
    path = server.office.root / REGISTER_FILE
    if not path.is_file():
        return server.page("so.html", entries=[], missing=True)

    def read() -> list[Any]:
        from tetngheo_docs.register import Register

        with Register(path) as reg:
            return reg.list()

    entries = await run_in_threadpool(read)
    return server.page("so.html", entries=entries, missing=False)


@_guarded
async def image(request: Request) -> Response:
    name = request.path_params["name"]
    if not _IMAGE.match(name):
        raise Forbidden(name)
    found = _server(request).previewer.image(name)
    if found is None:
        return PlainTextResponse("Ảnh không còn (trang đã được tạo lại).", 404)
    return FileResponse(found, media_type="image/png", headers={"Cache-Control": "no-store"})


@_guarded
async def download(request: Request) -> Response:
    server = _server(request)
    path = server.office.path(request.query_params.get("tep", ""), suffixes=(".docx", ".pdf"))
    if not path.is_file():
        return PlainTextResponse("Không có tệp.", 404)
    return FileResponse(path, filename=path.name)


async def no_icon(request: Request) -> Response:
    return Response(status_code=204)


async def schema(request: Request) -> Response:
    from tetngheo_docs import schema as schemas

    return JSONResponse(schemas.schemas()["van_ban"])


@_guarded
async def recipient_names(request: Request) -> Response:
    server = _server(request)
    path = server.office.path(
        request.query_params.get("tep", ""), suffixes=(*YAML, ".csv", ".txt", ".xlsx")
    )
    return JSONResponse({"ten": await run_in_threadpool(Previewer.names, path)})


# --------------------------------------------------------------------------- live view


@_guarded
async def events(request: Request) -> Response:
    """Server-sent events: a ``trang`` event with the view whenever a file changed."""
    server = _server(request)
    path = server.office.path(request.query_params.get("tep", ""), suffixes=YAML)

    async def stream() -> AsyncIterator[str]:
        last: tuple[Any, ...] | None = None
        quiet = 0.0
        while not server.stopping and not await request.is_disconnected():
            stamp = await run_in_threadpool(server.previewer.stamp, path)
            if stamp != last:
                view = await run_in_threadpool(server.previewer.current, path)
                last = await run_in_threadpool(server.previewer.stamp, path)
                data = view.as_json()
                data["ma_bam"] = _digest(view.text)
                yield f"event: trang\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
                quiet = 0.0
            else:
                quiet += POLL
                if quiet >= KEEPALIVE:
                    quiet = 0.0
                    yield ": con-ket-noi\n\n"
            await asyncio.sleep(POLL)

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)


# --------------------------------------------------------------------------- actions


@_posted
@_guarded
async def save(request: Request) -> Response:
    """Save the editor's text: atomically, the previous version kept in ``.phien-ban/``."""
    server = _server(request)
    data = await _body(request)
    path = server.office.path(str(data.get("tep", "")), suffixes=YAML)
    text = data.get("noi_dung")
    if not isinstance(text, str) or len(text.encode("utf-8")) > MAX_SAVE:
        raise TetngheoError("nội dung không hợp lệ hoặc quá lớn")
    if not path.is_file():
        raise TetngheoError("chỉ lưu được tệp đã có trong thư mục cơ quan")

    def write() -> dict[str, Any]:
        from tetngheo_docs import diff, outputs

        old = path.read_bytes()
        current = old.decode("utf-8-sig", errors="replace")
        base = data.get("ma_bam_goc")
        if base and base != _digest(current) and not data.get("ghi_de"):
            return {"xung_dot": "Tệp đã được sửa ở nơi khác sau khi bạn mở; lưu đè?"}
        if current == text:
            return {"da_luu": False, "ma_bam": _digest(text)}
        diff.keep_previous(path, hashlib.sha256(old).hexdigest())
        outputs.atomic_write(path, text.encode("utf-8"))
        return {"da_luu": True, "ma_bam": _digest(text)}

    answer = await run_in_threadpool(write)
    return JSONResponse(answer, 409 if "xung_dot" in answer else 200)


def _render(server: Server, path: Path, confirmed: bool) -> dict[str, Any]:
    """`tetngheo tao` for one file; a hand number that would enter the register is asked
    about first (``can_xac_nhan``) unless ``confirmed``."""
    from tetngheo_docs import batch
    from tetngheo_docs.errors import DirectiveError

    loaded = api.load(path)
    hand = batch.hand_number(loaded)
    if hand.problem is not None:
        raise DirectiveError([hand.problem])
    if hand.record and not confirmed:
        return {
            "can_xac_nhan": f"Số {loaded.directive.so} sẽ được ghi vào sổ văn bản đi "
            "(số đã ghi không cấp lại cho văn bản khác). Tiếp tục?"
        }
    if hand.record:
        batch.record_hand_number(loaded)
    done = api.render_output(loaded, path.parent / "out")
    answer: dict[str, Any] = {"tep": server.office.rel(done.path)}
    if hand.note:
        answer["ghi_chu"] = hand.note
    return answer


@_posted
@_guarded
async def render_docx(request: Request) -> Response:
    server = _server(request)
    data = await _body(request)
    path = server.office.path(str(data.get("tep", "")), suffixes=YAML)
    answer = await run_in_threadpool(_render, server, path, bool(data.get("xac_nhan")))
    return JSONResponse(answer, 409 if "can_xac_nhan" in answer else 200)


@_posted
@_guarded
async def render_pdf(request: Request) -> Response:
    server = _server(request)
    data = await _body(request)
    path = server.office.path(str(data.get("tep", "")), suffixes=YAML)

    def make() -> dict[str, Any]:
        from tetngheo_docs import outputs

        answer = _render(server, path, bool(data.get("xac_nhan")))
        if "can_xac_nhan" in answer:
            return answer
        docx = server.office.path(answer["tep"])
        tmp = server.work / "tmp"
        tmp.mkdir(exist_ok=True)
        made = server.warm.to_pdf(docx, tmp / f"{secrets.token_hex(6)}.pdf")
        target = docx.with_suffix(".pdf")
        try:
            outputs.atomic_write(target, made.read_bytes())
        finally:
            made.unlink(missing_ok=True)
        return {**answer, "tep": server.office.rel(target)}

    answer = await run_in_threadpool(make)
    return JSONResponse(answer, 409 if "can_xac_nhan" in answer else 200)


@_posted
@_guarded
async def letter(request: Request) -> Response:
    """The letter one recipient would receive: pages only, nothing written, no number."""
    server = _server(request)
    data = await _body(request)
    path = server.office.path(str(data.get("tep", "")), suffixes=YAML)
    people = server.office.path(
        str(data.get("danh_sach", "")), suffixes=(*YAML, ".csv", ".txt", ".xlsx")
    )
    try:
        index = int(data.get("stt", 0))
    except (TypeError, ValueError):
        raise TetngheoError("số thứ tự nơi nhận không hợp lệ") from None
    view = await run_in_threadpool(server.previewer.letter, path, people, index)
    return JSONResponse(view.as_json())


# --------------------------------------------------------------------------- the app


def create_app(
    root: Path,
    *,
    hosts: list[str] | None = None,
    work: Path | None = None,
    mode: str | None = None,
) -> Starlette:
    """The application for the office folder ``root``. ``hosts``: Host header values
    accepted (default: loopback names only); ``mode``: force the LibreOffice way
    (`warm.WarmOffice`)."""
    server = Server(root, work=work, mode=mode)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await run_in_threadpool(server.close)

    routes = [
        Route("/", index),
        Route("/van-ban", directive_page),
        Route("/tep", file_page),
        Route("/so-van-ban-di", register_page),
        Route("/su-kien", events),
        Route("/anh/{name}", image),
        Route("/tai", download),
        Route("/luoc-do.json", schema),
        Route("/favicon.ico", no_icon),
        Route("/nguoi-nhan", recipient_names),
        Route("/luu", save, methods=["POST"]),
        Route("/tao-docx", render_docx, methods=["POST"]),
        Route("/tao-pdf", render_pdf, methods=["POST"]),
        Route("/xem-thu", letter, methods=["POST"]),
        Mount("/tinh", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=hosts or LOOPBACK)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.server = server
    return app
