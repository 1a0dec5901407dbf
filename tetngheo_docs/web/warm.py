"""LibreOffice kept warm for the live preview: one soffice process, reused for every view.

Two ways, chosen once when the first page is asked for:

* ``uno`` — `uno_worker.py` runs under a Python that has LibreOffice's ``uno`` module
  (Debian: package python3-uno) and keeps one ``soffice --headless --accept=pipe…`` alive;
  each conversion is a load + export in that process (about 0.3 s for three pages here,
  against about 1 s for a new soffice);
* ``convert-to`` — without ``uno``: the project's usual path (`tetngheo_docs.pdf`), a new
  ``soffice --convert-to`` per view, but into one persistent profile folder, so LibreOffice's
  first-start set-up is paid once.

Conversions are serialised (one soffice, one document at a time). A worker that dies or
stops answering is replaced on the next conversion.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

from tetngheo_docs import pdf
from tetngheo_docs.pdf import PdfError

#: Seconds a warm conversion may take before the worker is considered stuck.
TIMEOUT = 60.0
#: Seconds LibreOffice may take to start and answer.
START_TIMEOUT = 90.0
#: Conversions after which the warm soffice is replaced by a new one: LibreOffice keeps
#: caches that grow with every document; a restart (about 1.5 s) every few hundred views
#: keeps a server left open all week at a steady size.
RECYCLE = 200
_WORKER = Path(__file__).with_name("uno_worker.py")


def uno_python() -> str | None:
    """A Python that can ``import uno``: $TETNGHEO_UNO_PYTHON, LibreOffice's own, or the
    system's python3; None when there is none."""
    explicit = os.environ.get("TETNGHEO_UNO_PYTHON")
    candidates = [explicit] if explicit else []
    try:
        office = Path(os.path.realpath(pdf.soffice())).parent
        candidates += [str(office / "python"), str(office / "python.exe")]
    except PdfError:
        pass
    candidates += ["/usr/bin/python3", shutil.which("python3") or ""]
    for exe in candidates:
        if exe and Path(exe).is_file():
            probe = subprocess.run(
                [exe, "-c", "import uno"], capture_output=True, env=_clean_env(), timeout=30
            )
            if probe.returncode == 0:
                return exe
    return None


def _clean_env() -> dict[str, str]:
    """The environment without this virtual environment's Python settings."""
    env = dict(os.environ)
    for key in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"):
        env.pop(key, None)
    return env


class WarmOffice:
    """One LibreOffice for a server's lifetime; `to_pdf` converts, `close` stops it."""

    def __init__(self, work: Path, *, mode: str | None = None) -> None:
        """``work``: a folder of the server's own (the profile lives there). ``mode``:
        ``uno`` or ``convert-to`` to force one (tests, benchmarks); by default ``uno`` when
        available."""
        self.work = work
        self.profile = work / "lo-profile"
        #: ``TETNGHEO_LO_MODE`` forces a way too (the benchmark compares both).
        self._forced = mode or os.environ.get("TETNGHEO_LO_MODE") or None
        self.mode: str | None = None
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._pump_thread: threading.Thread | None = None
        self._served = 0  # conversions by the running soffice
        #: How many conversions, and how many soffice processes were started for them.
        self.conversions = 0
        self.starts = 0

    # -- public

    def to_pdf(self, docx: Path, target: Path) -> Path:
        """Convert ``docx`` to the PDF ``target`` (replaced); returns ``target``."""
        with self._lock:
            if self.mode is None:
                self.mode = self._forced or ("uno" if uno_python() else "convert-to")
            if self.mode == "uno":
                self._convert_warm(docx, target)
            else:
                self._convert_cold(docx, target)
            self.conversions += 1
        if not target.is_file() or target.stat().st_size == 0:
            raise PdfError(f"LibreOffice không tạo được PDF cho {docx.name}")
        return target

    def close(self) -> None:
        """Stop the warm soffice (its worker ends it when its input closes)."""
        with self._lock:
            self._stop()

    @property
    def pid(self) -> int | None:
        """The worker's process id (soffice is its child), for tests and measurements."""
        return self._proc.pid if self._proc is not None else None

    # -- the two ways

    def _convert_cold(self, docx: Path, target: Path) -> None:
        out = docx.parent
        pdf._convert_chunk(pdf.soffice(), [docx], out, self.profile)
        made = out / f"{docx.stem}.pdf"
        self.starts += 1
        if made != target and made.is_file():
            os.replace(made, target)

    def _convert_warm(self, docx: Path, target: Path) -> None:
        if self._alive() and self._served >= RECYCLE:
            self._stop()
        for attempt in (1, 2):
            proc = self._proc if self._alive() else self._start()
            assert proc.stdin is not None
            try:
                proc.stdin.write(json.dumps({"in": str(docx), "out": str(target)}) + "\n")
                proc.stdin.flush()
            except OSError:
                self._stop()
                continue
            answer = self._read(TIMEOUT)
            if answer is None:  # stuck or dead: a new one, once
                self._stop()
                if attempt == 2:
                    raise PdfError(f"LibreOffice không trả lời khi chuyển {docx.name}")
                continue
            if "error" in answer:
                raise PdfError(f"LibreOffice không chuyển được {docx.name}: {answer['error']}")
            self._served += 1
            return

    # -- the worker

    def _alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _start(self) -> subprocess.Popen[str]:
        exe = uno_python()
        if exe is None:
            raise PdfError("không tìm thấy Python có mô-đun uno của LibreOffice (python3-uno)")
        self.work.mkdir(parents=True, exist_ok=True)
        pipe = f"tetngheo-{os.getpid()}-{id(self)}-{self.starts}"
        proc = subprocess.Popen(
            [exe, str(_WORKER), pdf.soffice(), self.profile.as_uri(), pipe],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            env=_clean_env(),
        )
        self.starts += 1
        self._proc = proc
        self._served = 0
        self._lines = queue.Queue()
        self._pump_thread = threading.Thread(
            target=self._pump, args=(proc, self._lines), daemon=True
        )
        self._pump_thread.start()
        ready = self._read(START_TIMEOUT)
        if ready is None or not ready.get("ready"):
            self._stop()
            why = ready.get("error") if ready else "không trả lời"
            raise PdfError(f"không khởi động được LibreOffice: {why}")
        return proc

    @staticmethod
    def _pump(proc: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    def _read(self, timeout: float) -> dict[str, object] | None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return None
            if line is None:
                return None
            try:
                answer = json.loads(line)
            except ValueError:
                continue  # a stray line (LibreOffice's own warnings): not an answer
            if isinstance(answer, dict):
                return answer

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if self._pump_thread is not None:
            self._pump_thread.join(timeout=5)  # it ends at the closed output
        if proc.stdout is not None:
            proc.stdout.close()
