"""A warm LibreOffice: one soffice process kept running, documents converted through UNO.

Run by a Python that can ``import uno`` (Debian's python3-uno for /usr/bin/python3, or the
``python`` LibreOffice ships), not by the project's interpreter: this file imports nothing
from tetngheo_docs. Protocol on stdin/stdout, one JSON object per line:

    → {"in": "/abs/file.docx", "out": "/abs/file.pdf"}
    ← {"ok": true} or {"error": "…"}

The first line written is ``{"ready": true}`` once soffice answers. When stdin closes (the
server stopped, or was killed), soffice is terminated.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def _say(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> int:
    soffice, profile_url, pipe = sys.argv[1:4]
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile_url}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception as err:
                if office.poll() is not None or time.monotonic() > deadline:
                    _say({"error": f"soffice did not answer: {err}"})
                    return 1
                time.sleep(0.1)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        _say({"ready": True})
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                job = json.loads(line)
                doc = desktop.loadComponentFromURL(
                    uno.systemPathToFileUrl(job["in"]),
                    "_blank",
                    0,
                    (_prop("Hidden", True), _prop("ReadOnly", True)),
                )
                if doc is None:
                    raise RuntimeError("LibreOffice could not open the file")
                try:
                    doc.storeToURL(
                        uno.systemPathToFileUrl(job["out"]),
                        (_prop("FilterName", "writer_pdf_Export"),),
                    )
                finally:
                    doc.close(True)
                _say({"ok": True})
            except Exception as err:
                _say({"error": str(err)})
        try:
            desktop.terminate()
        except Exception:
            pass
        return 0
    finally:
        for stop in (office.terminate, office.kill):
            try:
                office.wait(timeout=5)
                break
            except subprocess.TimeoutExpired:
                stop()


if __name__ == "__main__":
    sys.exit(main())
