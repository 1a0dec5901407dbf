"""`tetngheo xem-truc-tiep` in a real browser: Debian's chromium driven by Playwright.

Playwright is pointed at /usr/bin/chromium (``executable_path``); it never downloads a
browser. Without chromium (or Playwright, or LibreOffice) the test is skipped with the
reason — except in CI (``CI`` set), where `.ci/run` installs them, so a missing one fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SEED_000, office_copy

CHROMIUM = os.environ.get("TETNGHEO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
#: Flags for a headless chromium on a machine without network or display (as root).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing() -> str | None:
    if not Path(CHROMIUM).is_file():
        return "chromium not installed (Debian: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        return "LibreOffice/pdftoppm not installed"
    return None


MISSING = _missing()
if MISSING and os.environ.get("CI"):
    pytest.fail(f"CI must run the browser test: {MISSING}", pytrace=False)
pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`tetngheo xem-truc-tiep` run as a user runs it, on a copy of an office folder."""
    office = office_copy(tmp_path, ["ten;so_nguoi", "Chi bộ Sở Tài chính;2"])
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tetngheo_docs", "xem-truc-tiep", str(office), "--cong", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}", office
    finally:
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
        assert b"Traceback" not in out, out.decode(errors="replace")


def test_live_preview_in_chromium(served: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, office = served
    path = office / SEED_000
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.set_default_timeout(30_000)

        # The list of the office's files; a directive opens with its pages as images.
        page.goto(base + "/")
        page.get_by_role("link", name=SEED_000).click()
        expect(page.locator("#trang img.page").first).to_be_visible()
        assert page.locator("#trang img.page").count() >= 2
        assert page.locator(".cm-editor").count() == 1  # the CodeMirror bundle loaded
        first = page.locator("#app").get_attribute("data-phien")

        # Saved in another editor: the pages and the text are refreshed.
        text = path.read_text(encoding="utf-8")
        edited = text.replace("V/v đẩy mạnh tuyên truyền", "V/v tiếp tục đẩy mạnh tuyên truyền")
        assert edited != text
        path.write_text(edited, encoding="utf-8")
        expect(page.locator("#app")).not_to_have_attribute("data-phien", first or "")
        expect(page.locator(".cm-content")).to_contain_text("tiếp tục đẩy mạnh")

        # An error is shown at its line; clicking it puts the cursor on that line.
        broken = edited.replace("ngay: 15/01/2024", "ngay: 31/02/2024")
        line = broken.splitlines().index("ngay: 31/02/2024") + 1
        path.write_text(broken, encoding="utf-8")
        problem = page.locator(f'#van-de li.loi[data-dong="{line}"]')
        expect(problem).to_be_visible()
        expect(problem).to_contain_text(f"Dòng {line}")
        problem.click()
        expect(page.locator(".cm-activeLine")).to_contain_text("ngay: 31/02/2024")

        # Fixed in the browser and saved (Ctrl+S): written, the old text kept aside.
        page.keyboard.press("Home")
        page.keyboard.press("Shift+End")
        page.keyboard.type("ngay: 16/01/2024")
        page.keyboard.press("Control+s")
        expect(page.locator("#trang-thai")).to_contain_text("Đã lưu")
        assert "ngay: 16/01/2024" in path.read_text(encoding="utf-8")
        kept = list((office / ".phien-ban").glob(f"{path.stem}.*.yaml"))
        assert [k.read_text(encoding="utf-8") for k in kept] == [broken]
        expect(page.locator("#van-de li.loi")).to_have_count(0)

        # Completion of keys from the schema.
        page.locator(".cm-content").click()
        page.keyboard.press("Control+End")
        page.keyboard.type("\ntrich")
        expect(page.locator(".cm-tooltip-autocomplete")).to_contain_text("trich_yeu")
        page.keyboard.press("Escape")
        browser.close()
    assert errors == []
