"""The README's picture of `tetngheo xem-truc-tiep` (xem-truc-tiep.png, beside this file).

Serves a copy of the Ban Tuyên giáo office, opens seed 000 in Debian's headless chromium
(through Playwright, never a downloaded browser), saves the file with a wrong date as another
editor would, waits for the error at its line, and takes the screenshot.

Run: ``python directives/gallery/xem-truc-tiep.py`` (needs chromium, LibreOffice, playwright).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OFFICE = HERE.parent / "ban-tuyen-giao-duk"
SEED = "cv-196-tuan-cao-diem-tet-2024.yaml"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    from playwright.sync_api import expect, sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        office = Path(tmp) / "ban-tuyen-giao-duk"
        shutil.copytree(OFFICE, office, ignore=shutil.ignore_patterns("out", ".*", "*.sqlite3*"))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        cmd = [sys.executable, "-m", "tetngheo_docs", "xem-truc-tiep", str(office)]
        server = subprocess.Popen([*cmd, "--cong", str(port)], stdout=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
                page = browser.new_page(viewport={"width": 1400, "height": 820})
                page.goto(f"http://127.0.0.1:{port}/van-ban?tep={SEED}")
                expect(page.locator("#trang img.page").first).to_be_visible(timeout=60_000)
                path = office / SEED
                text = path.read_text(encoding="utf-8")
                path.write_text(text.replace("ngay: 15/01/2024", "ngay: 31/02/2024"), "utf-8")
                expect(page.locator("#van-de li.loi").first).to_be_visible(timeout=30_000)
                page.locator("#van-de li.loi").first.click()
                page.wait_for_timeout(300)
                page.screenshot(path=str(HERE / "xem-truc-tiep.png"))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(HERE / "xem-truc-tiep.png")


if __name__ == "__main__":
    main()
