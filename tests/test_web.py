"""`tetngheo xem-truc-tiep`: the web layer, served by uvicorn on a free loopback port and
spoken to with the standard library's HTTP client (no browser; no test-client package).

The page images need LibreOffice and pdftoppm: those tests skip without them, except in CI
(TETNGHEO_REQUIRE_SOFFICE=1), where a missing LibreOffice fails. The browser itself is
driven in test_web_browser.py.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from tests.clirun import run_cli
from tests.conftest import SEED_000, office_copy
from tetngheo_docs.web.app import create_app
from tetngheo_docs.web.office import Office

HAVE_TOOLS = all(shutil.which(t) for t in ("soffice", "pdftoppm"))
needs_office = pytest.mark.skipif(
    not HAVE_TOOLS and not os.environ.get("TETNGHEO_REQUIRE_SOFFICE"),
    reason="LibreOffice/pdftoppm not installed",
)
ROWS = ["ten;so_nguoi", "Chi bộ Sở Tài chính;2", "Đảng ủy Sở Y tế;3"]


@pytest.fixture
def office(tmp_path: Path) -> Path:
    return office_copy(tmp_path, ROWS)


class Answer:
    def __init__(self, status: int, body: bytes) -> None:
        self.status_code = status
        self.content = body
        self.text = body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.text)


class Client:
    """A few requests to the running server, with the page's token for POSTs."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token

    def _conn(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def get(self, url: str, headers: dict[str, str] | None = None) -> Answer:
        conn = self._conn()
        try:
            conn.request("GET", url, headers=headers or {})
            resp = conn.getresponse()
            return Answer(resp.status, resp.read())
        finally:
            conn.close()

    def post(self, url: str, body: dict[str, Any], *, token: bool = True) -> Answer:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["X-Tetngheo-Token"] = self.token
        conn = self._conn()
        try:
            conn.request("POST", url, body=json.dumps(body).encode(), headers=headers)
            resp = conn.getresponse()
            return Answer(resp.status, resp.read())
        finally:
            conn.close()

    def first_event(self, rel: str) -> dict[str, Any]:
        conn = self._conn()
        try:
            conn.request("GET", f"/su-kien?tep={rel}")
            resp = conn.getresponse()
            assert resp.status == 200
            while True:
                line = resp.fp.readline().decode("utf-8")
                if not line:
                    raise AssertionError("the event stream ended without an event")
                if line.startswith("data: "):
                    return json.loads(line[len("data: ") :])  # type: ignore[no-any-return]
        finally:
            conn.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def client(office: Path, tmp_path: Path) -> Iterator[Client]:
    app = create_app(office, work=tmp_path / "work")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield Client(port, app.state.server.token)
    server.should_exit = True
    thread.join(timeout=30)


def _post(client: Client, url: str, body: dict[str, Any]) -> Answer:
    return client.post(url, body)


def test_index_lists_directives_recipient_lists_forms(client: Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'lang="vi"' in page.text
    for name in (SEED_000, "chung.yaml", "rieng.yaml", "ds.csv", "bieu-mau/tuan-cao-diem-2024"):
        assert name in page.text
    assert "Cơ quan chưa có sổ" in page.text


def test_listing_kinds(office: Path) -> None:
    listing = Office(office).listing()
    assert SEED_000 in listing.directives and "rieng.yaml" in listing.directives
    assert listing.recipients == ["ds.csv"]
    assert listing.forms == ["bieu-mau/tuan-cao-diem-2024.yaml"]
    assert listing.agency == ["tetngheo.yaml"]


@pytest.mark.parametrize(
    "url",
    [
        "/van-ban?tep=../../../etc/passwd",
        "/van-ban?tep=/etc/hosts.yaml",
        "/tep?tep=..%2Foutside.csv",
        "/tai?tep=../x.docx",
        "/su-kien?tep=../rieng.yaml",
        "/anh/..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_paths_outside_the_office_are_refused(client: Client, url: str) -> None:
    assert client.get(url).status_code in (403, 404)
    if "anh" not in url:
        assert client.get(url).status_code == 403


def test_a_link_out_of_the_office_is_refused(client: Client, office: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("loai: cong_van\n", encoding="utf-8")
    (office / "link.yaml").symlink_to(outside)
    assert client.get("/van-ban?tep=link.yaml").status_code == 403
    answer = _post(client, "/luu", {"tep": "link.yaml", "noi_dung": "x: 1\n"})
    assert answer.status_code == 403
    assert outside.read_text(encoding="utf-8") == "loai: cong_van\n"


def test_other_hosts_and_posts_without_the_token_are_refused(client: Client) -> None:
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    answer = client.post("/luu", {"tep": "rieng.yaml", "noi_dung": "x"}, token=False)
    assert answer.status_code == 403


def test_file_names_are_escaped(client: Client, office: Path) -> None:
    (office / "<img src=x onerror=alert(1)>.yaml").write_text("loai: cong_van\n", encoding="utf-8")
    page = client.get("/")
    assert "<img src=x" not in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;.yaml" in page.text


def test_directive_page_holds_the_yaml(client: Client) -> None:
    page = client.get("/van-ban?tep=rieng.yaml")
    assert page.status_code == 200
    assert "mời ${ten} cử ${so_nguoi}" in page.text
    assert "/tinh/editor.js" in page.text and "ds.csv" in page.text
    assert client.get("/tinh/editor.js").status_code == 200
    assert "TetngheoEditor" in client.get("/tinh/editor.js").text


def test_save_is_atomic_and_keeps_the_previous_version(client: Client, office: Path) -> None:
    path = office / "rieng.yaml"
    before = path.read_text(encoding="utf-8")
    new = before.replace("hội nghị", "hội thảo")
    answer = _post(client, "/luu", {"tep": "rieng.yaml", "noi_dung": new})
    assert answer.status_code == 200, answer.text
    assert path.read_text(encoding="utf-8") == new
    kept = list((office / ".phien-ban").glob("rieng.*.yaml"))
    assert [k.read_text(encoding="utf-8") for k in kept] == [before]
    assert not list(office.glob(".rieng.yaml.*.tmp"))


def test_save_refuses_to_overwrite_a_change_made_elsewhere(client: Client, office: Path) -> None:
    import hashlib

    path = office / "rieng.yaml"
    base = hashlib.sha256(path.read_text(encoding="utf-8").encode()).hexdigest()
    path.write_text(path.read_text(encoding="utf-8") + "# sửa ở Notepad\n", encoding="utf-8")
    body = {"tep": "rieng.yaml", "noi_dung": "loai: cong_van\n", "ma_bam_goc": base}
    answer = _post(client, "/luu", body)
    assert answer.status_code == 409
    assert "sửa ở Notepad" in path.read_text(encoding="utf-8")
    answer = _post(client, "/luu", {**body, "ghi_de": True})
    assert answer.status_code == 200
    assert path.read_text(encoding="utf-8") == "loai: cong_van\n"


def test_save_only_existing_yaml_inside(client: Client, office: Path) -> None:
    for name in ("moi.yaml", "ds.csv"):
        answer = _post(client, "/luu", {"tep": name, "noi_dung": "x: 1\n"})
        assert answer.status_code in (400, 403)
    assert not (office / "moi.yaml").exists()


def test_schema_is_served(client: Client) -> None:
    schema = client.get("/luoc-do.json").json()
    assert "trich_yeu" in schema["properties"]


def test_recipient_names(client: Client) -> None:
    names = client.get("/nguoi-nhan?tep=ds.csv").json()["ten"]
    assert names == ["Chi bộ Sở Tài chính", "Đảng ủy Sở Y tế"]


def test_render_asks_before_a_hand_number_enters_the_register(client: Client, office: Path) -> None:
    from tetngheo_docs.register import Register, Scope

    with Register(office / "so-van-ban-di.sqlite3") as reg:
        reg.declare_start(Scope.dang("BTGDUK", "CV", "2020-2025"), 195)
    answer = _post(client, "/tao-docx", {"tep": SEED_000})
    assert answer.status_code == 409
    assert "196" in answer.json()["can_xac_nhan"]
    assert not (office / "out").exists()
    with Register(office / "so-van-ban-di.sqlite3") as reg:
        assert reg.list() == []
    answer = _post(client, "/tao-docx", {"tep": SEED_000, "xac_nhan": True})
    assert answer.status_code == 200, answer.text
    assert (office / "out" / SEED_000.replace(".yaml", ".docx")).is_file()
    with Register(office / "so-van-ban-di.sqlite3") as reg:
        assert [e.number for e in reg.list()] == [196]
    assert "196-CV/BTGDUK" in client.get("/so-van-ban-di").text


def test_render_errors_are_located(client: Client, office: Path) -> None:
    (office / "hong.yaml").write_text("phien_ban: 1\nloai: cong_van\nngay: 31/02/2024\n", "utf-8")
    answer = _post(client, "/tao-docx", {"tep": "hong.yaml"})
    assert answer.status_code == 400
    assert "ngay" in answer.json()["loi"]


def test_problems_carry_their_line(client: Client, office: Path) -> None:
    text = (office / "rieng.yaml").read_text(encoding="utf-8").replace("22/01/2024", "31/02/2024")
    (office / "rieng.yaml").write_text(text, encoding="utf-8")
    view = client.first_event("rieng.yaml")
    problems = view["van_de"]
    assert isinstance(problems, list)
    date_line = text.splitlines().index("ngay: 31/02/2024") + 1
    assert any(p["dong"] == date_line and p["loi"] for p in problems), problems


@needs_office
def test_pages_and_letter_preview(client: Client, office: Path) -> None:
    view = client.first_event(SEED_000)
    pages = view["trang"]
    assert isinstance(pages, list) and len(pages) >= 2
    image = client.get(str(pages[0]))
    assert image.status_code == 200 and image.content[:4] == b"\x89PNG"
    letter = _post(client, "/xem-thu", {"tep": "rieng.yaml", "danh_sach": "ds.csv", "stt": 1})
    assert letter.status_code == 200, letter.text
    data = letter.json()
    assert "Đảng ủy Sở Y tế" in data["ghi_chu"] and data["trang"]
    assert not (office / "out").exists()  # a preview writes nothing in the office


@needs_office
def test_pdf_button(client: Client, office: Path) -> None:
    answer = _post(client, "/tao-pdf", {"tep": SEED_000})
    assert answer.status_code == 200, answer.text
    pdf = office / "out" / SEED_000.replace(".yaml", ".pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert client.get(f"/tai?tep=out/{pdf.name}").status_code == 200


def test_command_and_alias() -> None:
    for name in ("xem-truc-tiep", "serve"):
        result = run_cli(name, "-h")
        assert result.exit_code == 0
        assert "--dia-chi, --host" in result.output and "127.0.0.1" in result.output
    assert "xem-truc-tiep (serve)" in run_cli("-h").output
