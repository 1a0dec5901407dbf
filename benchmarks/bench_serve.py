"""Live preview: page images refreshed after a save (issue 16: ≤ 2 s for a 3-page directive
on this 2-core machine), and the server's memory over 100 refreshes.

Starts `tetngheo xem-truc-tiep` on a copy of the Ban Tuyên giáo office, opens the event
stream of seed 000 (three pages) as the page does, then saves the file N times (a changed
trích yếu, written as an editor writes it) and times each save until the new page images
are served (the event arrives and every PNG of it has been fetched). Memory: the resident
size (VmRSS) of the server process, and of LibreOffice apart, after the first refreshes and
after 100 more.

Run: ``python benchmarks/bench_serve.py [--saves 10] [--refreshes 100] [--limit 2]
[--mode uno|convert-to]``; exits 1 when the median is over the limit.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFICE = ROOT / "directives" / "ban-tuyen-giao-duk"
SEED = "cv-196-tuan-cao-diem-tet-2024.yaml"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def descendants(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-eo", "pid=,ppid="], capture_output=True, text=True).stdout
    children: dict[int, list[int]] = {}
    for line in out.splitlines():
        p, pp = map(int, line.split())
        children.setdefault(pp, []).append(p)
    found, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            found.append(c)
            todo.append(c)
    return found


def office_rss(pid: int) -> int:
    total = 0
    for p in descendants(pid):
        try:
            if "soffice" in Path(f"/proc/{p}/cmdline").read_text(errors="replace"):
                total += rss_kib(p)
        except OSError:
            pass
    return total


def events(port: int, rel: str, out: queue.Queue[tuple[float, dict[str, object]]]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("GET", f"/su-kien?tep={rel}")
    resp = conn.getresponse()
    while True:
        line = resp.fp.readline().decode("utf-8")
        if not line:
            return
        if line.startswith("data: "):
            out.put((time.monotonic(), json.loads(line[6:])))


def fetch(port: int, urls: list[str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for url in urls:
        conn.request("GET", url)
        resp = conn.getresponse()
        body = resp.read()
        assert resp.status == 200 and body[:4] == b"\x89PNG", (url, resp.status)
    conn.close()


def save(path: Path, text: str) -> float:
    """Write as an editor does (a new file renamed over the old one); returns the time."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    started = time.monotonic()
    os.replace(tmp, path)
    return started


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--saves", type=int, default=10)
    ap.add_argument("--refreshes", type=int, default=100)
    ap.add_argument("--limit", type=float, default=2.0)
    ap.add_argument("--mode", choices=["uno", "convert-to"], default=None)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        office = Path(tmp) / "office"
        shutil.copytree(OFFICE, office, ignore=shutil.ignore_patterns("out", ".*", "*.sqlite3*"))
        path = office / SEED
        original = path.read_text(encoding="utf-8")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = dict(os.environ)
        if args.mode:
            env["TETNGHEO_LO_MODE"] = args.mode
        cmd = [sys.executable, "-m", "tetngheo_docs", "xem-truc-tiep", str(office)]
        server = subprocess.Popen(
            [*cmd, "--cong", str(port)], env=env, stdout=subprocess.DEVNULL, cwd=ROOT
        )
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            got: queue.Queue[tuple[float, dict[str, object]]] = queue.Queue()
            threading.Thread(target=events, args=(port, SEED, got), daemon=True).start()
            _, first = got.get(timeout=120)  # the first view starts LibreOffice
            pages = first["trang"]
            assert isinstance(pages, list)
            print(f"{SEED}: {len(pages)} pages; server pid {server.pid}")

            def refresh(i: int) -> float:
                marker = f"(lần lưu {i})"
                text = original.replace("năm 2024\n", f"năm 2024 {marker}\n", 1)
                started = save(path, text)
                while True:
                    _, view = got.get(timeout=60)
                    if marker in str(view["noi_dung"]) and view["trang"]:
                        urls = view["trang"]
                        assert isinstance(urls, list)
                        fetch(port, urls)
                        return time.monotonic() - started

            for i in range(3):  # warm-up: the first conversions load LibreOffice's parts
                refresh(i)
            rss_before, lo_before = rss_kib(server.pid), office_rss(server.pid)
            times = [refresh(100 + i) for i in range(args.saves)]
            med = statistics.median(times)
            print(
                f"save → new page images served: median {med:.2f} s over {args.saves} saves "
                f"(min {min(times):.2f}, max {max(times):.2f}); limit {args.limit:.1f} s"
            )
            for i in range(args.refreshes):
                refresh(1000 + i)
                if (i + 1) % 25 == 0:
                    print(
                        f"  after {args.saves + i + 1:4d} refreshes: server "
                        f"{rss_kib(server.pid) / 1024:.1f} MiB, LibreOffice "
                        f"{office_rss(server.pid) / 1024:.1f} MiB"
                    )
            rss_after, lo_after = rss_kib(server.pid), office_rss(server.pid)
            n = args.saves + args.refreshes
            print(
                f"server RSS: {rss_before / 1024:.1f} MiB after warm-up, "
                f"{rss_after / 1024:.1f} MiB after {n} more refreshes "
                f"({(rss_after - rss_before) / 1024:+.1f} MiB)"
            )
            print(
                f"LibreOffice RSS: {lo_before / 1024:.1f} MiB → {lo_after / 1024:.1f} MiB "
                f"({(lo_after - lo_before) / 1024:+.1f} MiB)"
            )
            work = [p for p in Path(tempfile.gettempdir()).glob("tetngheo-web-*/anh")]
            files = sum(len(list(w.iterdir())) for w in work)
            print(f"page images kept on disk: {files}")
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0 if med <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
