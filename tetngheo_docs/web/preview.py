"""Page images of a directive, made again when any file it is made from changes.

A view is built through the same library calls as the command line (`api.load`,
`api.render_bytes`, the lint checks), converted by the warm LibreOffice (`warm`) and cut
into PNG pages by pdftoppm. Only the newest images of each directive are kept, so a server
left open all day uses the same disk and memory after the hundredth save as after the first.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tetngheo_docs import api, model
from tetngheo_docs.errors import Issue, IssuesError, TetngheoError
from tetngheo_docs.pdf import PdfError
from tetngheo_docs.web.warm import WarmOffice

#: Resolution of the page images (a page is about 500 px wide at 60 dpi).
DPI = 60


@dataclass
class View:
    """What the page shows for one directive at one moment."""

    version: int
    pages: list[str] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    text: str = ""
    seconds: float = 0.0
    personal: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "phien": self.version,
            "trang": [f"/anh/{p}" for p in self.pages],
            "van_de": self.problems,
            "ghi_chu": self.note,
            "noi_dung": self.text,
            "giay": round(self.seconds, 3),
            "truong_rieng": self.personal,
        }


def problem(issue: Issue, own_label: str) -> dict[str, Any]:
    """An issue as the page lists it; ``dong`` only when it is in the directive itself."""
    own = issue.location.file == own_label
    return {
        "dong": issue.location.line if own else None,
        "cot": issue.location.col if own else None,
        "tep": "" if own else issue.location.file,
        "duong_dan": issue.path,
        "thong_bao": issue.message,
        "loi": issue.is_error,
    }


class Previewer:
    def __init__(self, work: Path, warm: WarmOffice, *, dpi: int = DPI) -> None:
        self.work = work
        self.images = work / "anh"
        self.images.mkdir(parents=True, exist_ok=True)
        self.warm = warm
        self.dpi = dpi
        self._views: dict[Path, tuple[tuple[Any, ...], View]] = {}
        self._inputs: dict[Path, list[Path]] = {}
        self._locks: dict[Path, threading.Lock] = {}
        self._guard = threading.Lock()
        self._counter = 0
        self._letters: dict[Path, list[str]] = {}

    # -- what to watch

    def stamp(self, path: Path) -> tuple[Any, ...]:
        """The state of every file the directive is made from (cheap: one stat each)."""
        out: list[Any] = []
        for p in [path, *self._inputs.get(path, [])]:
            try:
                st = p.stat()
                out.append((str(p), st.st_mtime_ns, st.st_size))
            except OSError:
                out.append((str(p), None, None))
        return tuple(out)

    def current(self, path: Path) -> View:
        """The view of ``path``, built again only when a file it is made from changed."""
        with self._guard:
            lock = self._locks.setdefault(path, threading.Lock())
        with lock:
            stamp = self.stamp(path)
            cached = self._views.get(path)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            view = self._build(path, cached[1] if cached else None)
            self._views[path] = (self.stamp(path), view)
            return view

    # -- building

    def _next(self) -> int:
        with self._guard:
            self._counter += 1
            return self._counter

    def _build(self, path: Path, before: View | None) -> View:
        started = time.monotonic()
        version = self._next()
        view = View(version)
        try:
            view.text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            view.note = f"không đọc được tệp: {err}"
            return view
        label = api._label(path)
        try:
            loaded = api.load(path)
        except IssuesError as err:
            view.problems = [problem(i, label) for i in err.issues]
            view.note = "Còn lỗi: ảnh trang là của lần tạo được gần nhất."
            view.pages = before.pages if before else []
            view.seconds = time.monotonic() - started
            return view
        except TetngheoError as err:
            view.note = err.format()
            view.pages = before.pages if before else []
            return view
        self._inputs[path] = _inputs_of(loaded)
        issues = list(loaded.warnings)
        try:
            from tetngheo_docs import citations

            issues += citations.directive_issues(path)
        except TetngheoError:
            pass
        view.problems = [problem(i, label) for i in issues]
        if model.personal_issue(loaded.directive) is not None:
            view.personal = True
            view.note = (
                "Văn bản có trường riêng của từng nơi nhận (${…}): chọn danh sách nơi nhận và "
                "một đơn vị rồi bấm «Xem thư» để xem bản của đơn vị đó."
            )
            view.pages = before.pages if before else []
            view.seconds = time.monotonic() - started
            return view
        try:
            data = api.render_bytes(loaded)
            view.pages = self.pages(path, data, version)
            view.problems += self.lint(data, label)
        except TetngheoError as err:
            view.note = err.format()
            view.pages = before.pages if before else []
        view.seconds = time.monotonic() - started
        if before is not None and before.pages != view.pages:
            self._drop(before.pages)
        return view

    def pages(self, path: Path, data: bytes, version: int) -> list[str]:
        """PNG images of the .docx bytes ``data``; returns their names in `images`."""
        key = hashlib.sha256(str(path).encode()).hexdigest()[:12]
        stem = f"k{key}-v{version}"
        tmp = self.work / "tmp"
        tmp.mkdir(exist_ok=True)
        docx = tmp / f"{stem}.docx"
        pdf_file = tmp / f"{stem}.pdf"
        docx.write_bytes(data)
        try:
            self.warm.to_pdf(docx, pdf_file)
            exe = shutil.which("pdftoppm")
            if exe is None:
                raise PdfError("chưa cài pdftoppm (gói poppler-utils)")
            done = subprocess.run(
                [exe, "-png", "-r", str(self.dpi), str(pdf_file), str(self.images / stem)],
                capture_output=True,
                timeout=120,
            )
            if done.returncode != 0:
                raise PdfError(f"pdftoppm lỗi: {done.stderr.decode(errors='replace').strip()}")
        finally:
            docx.unlink(missing_ok=True)
            pdf_file.unlink(missing_ok=True)
        made = sorted(self.images.glob(f"{stem}-*.png"), key=lambda p: int(p.stem.rsplit("-")[-1]))
        if not made:
            raise PdfError(f"không tạo được ảnh trang của {path.name}")
        return [p.name for p in made]

    def lint(self, data: bytes, label: str) -> list[dict[str, Any]]:
        """The format checks (`tetngheo the-thuc`) that fail or warn, as problems."""
        from tetngheo_docs.lint import checks

        try:
            result = checks.lint_bytes(data, label)
        except TetngheoError:
            return []
        out = []
        for c in result.checks:
            if c.status is checks.Status.PASS:
                continue
            where = f" ({c.where})" if c.where else ""
            out.append(
                {
                    "dong": None,
                    "cot": None,
                    "tep": "thể thức",
                    "duong_dan": c.id,
                    "thong_bao": f"{c.title}{where}: {c.measured}; cần {c.expected}",
                    "loi": c.status is checks.Status.FAIL,
                }
            )
        return out

    def letter(self, path: Path, recipient_list: Path, index: int) -> View:
        """The letter one recipient of ``recipient_list`` would receive (no number is taken:
        the number line stays blank, as in a draft)."""
        from tetngheo_docs import batch, recipients

        started = time.monotonic()
        view = View(self._next())
        loaded = api.load(path)
        people = recipients.read(recipient_list, api._label(recipient_list))
        batch.check_fields(loaded, people)
        everyone = people.recipients
        if not 0 <= index < len(everyone):
            raise TetngheoError(f"danh sách có {len(everyone)} nơi nhận, không có số {index + 1}")
        chosen = everyone[index]
        maker = batch.LetterMaker(loaded, people=everyone)
        letter = batch.Letter(index + 1, chosen, None, "xem-thu.docx", "xem-thu")
        data = maker.render(letter, [r.name for r in everyone])
        view.pages = self.pages(path.with_name(f"{path.name}#thu"), data, view.version)
        view.note = f"Thư gửi {chosen.name} (bản xem thử, chưa lấy số)."
        view.seconds = time.monotonic() - started
        with self._guard:
            old = self._letters.get(path, [])
            self._letters[path] = view.pages
        self._drop(old)
        return view

    @staticmethod
    def names(recipient_list: Path) -> list[str]:
        """The recipients' names, in order (for the choice on the page)."""
        from tetngheo_docs import recipients

        return [
            r.name for r in recipients.read(recipient_list, api._label(recipient_list)).recipients
        ]

    def _drop(self, pages: list[str]) -> None:
        for name in pages:
            (self.images / name).unlink(missing_ok=True)

    def image(self, name: str) -> Path | None:
        found = self.images / name
        return found if found.is_file() else None


def _inputs_of(loaded: api.Loaded) -> list[Path]:
    """The other files a directive is made from: its agency file, forms, own template."""
    out: list[Path] = []
    if loaded.agency is not None:
        out.append(loaded.agency)
    out += [Path(f) for f in loaded.directive.form_files]
    try:
        template = loaded.template
        if loaded.directive.mau:
            out.append(template)
    except TetngheoError:
        pass
    return out
