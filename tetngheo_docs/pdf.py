"""PDF and page previews through LibreOffice (headless), batched and checked.

LibreOffice's cost is per process start and per document, not per page, so files are
converted many per call, one process per core, each with its own profile folder (two
soffice processes sharing a profile block each other). The ``soffice`` launcher silently
ignores file arguments beyond about 250 and still exits 0, so calls are chunked and every
expected PDF is checked afterwards: a missing one is an error, never a silent gap.

Fonts: Times New Roman is not installable on Linux; Liberation Serif has the same metrics
and LibreOffice substitutes it, so line breaks and page breaks match Word's.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tetngheo_docs.errors import TetngheoError

#: Files per soffice call; the launcher drops arguments beyond ~250 (issue 8).
CHUNK = 200
#: Seconds allowed per document in a call (plus a fixed start-up allowance).
SECONDS_PER_DOC = 10.0
STARTUP_SECONDS = 60.0

INSTALL_HINT = (
    "chưa cài LibreOffice (lệnh soffice). Trên Debian/Ubuntu: "
    "sudo apt-get install libreoffice-writer-nogui fonts-liberation2 poppler-utils; "
    "trên Windows/macOS: cài LibreOffice từ libreoffice.org rồi thêm thư mục chương trình "
    "vào PATH, hoặc đặt biến môi trường TETNGHEO_SOFFICE=đường/dẫn/soffice"
)


class PdfError(TetngheoError):
    """LibreOffice is missing, timed out, or did not produce an expected PDF."""


def soffice() -> str:
    """The soffice executable: $TETNGHEO_SOFFICE, else soffice/libreoffice on PATH."""
    explicit = os.environ.get("TETNGHEO_SOFFICE")
    if explicit:
        if Path(explicit).is_file():
            return explicit
        raise PdfError(f"TETNGHEO_SOFFICE={explicit} không phải tệp chạy được")
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(INSTALL_HINT)


def _convert_chunk(
    exe: str,
    files: Sequence[Path],
    out_dir: Path,
    profile: Path,
    *,
    export: str = "pdf:writer_pdf_Export",
    documents: int | None = None,
) -> None:
    """One soffice call converting ``files``; ``documents`` (letters inside a merged file)
    sizes the timeout."""
    cmd = [
        exe,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        export,
        "--outdir",
        str(out_dir),
        *[str(f) for f in files],
    ]
    timeout = STARTUP_SECONDS + SECONDS_PER_DOC * (documents or len(files))
    try:
        subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise PdfError(
            f"LibreOffice không xong sau {timeout:.0f} giây ({len(files)} tệp, bắt đầu từ "
            f"{files[0].name}); hãy thử lại với ít tệp hơn"
        ) from None


def convert(
    files: Sequence[Path], out_dir: Path | None = None, *, workers: int | None = None
) -> list[Path]:
    """Convert .docx files to PDF (next to each file unless ``out_dir``); returns the PDFs.

    Every expected PDF is checked to exist and to be newer than the call; a missing one
    is converted again alone once, then reported.
    """
    if not files:
        return []
    exe = soffice()
    files = [f.resolve() for f in files]
    targets = {f: (out_dir or f.parent).resolve() / f"{f.stem}.pdf" for f in files}
    if len(set(targets.values())) != len(targets):
        raise PdfError("hai tệp .docx trùng tên sẽ ghi đè lên cùng một tệp PDF; hãy đổi tên")
    # Group by output folder (soffice takes one --outdir per call), then by chunk.
    groups: dict[Path, list[Path]] = {}
    for f, pdf in targets.items():
        groups.setdefault(pdf.parent, []).append(f)
    jobs = [
        (folder, chunk[i : i + CHUNK])
        for folder, chunk in groups.items()
        for i in range(0, len(chunk), CHUNK)
    ]
    n = max(1, min(workers or os.cpu_count() or 1, len(jobs), 8))
    # Spread files over the workers (one soffice per core, its own profile).
    if len(jobs) < n:
        jobs = [(folder, chunk[i::n]) for folder, chunk in jobs for i in range(n) if chunk[i::n]]
    with tempfile.TemporaryDirectory(prefix="tetngheo-soffice-") as tmp:
        profiles = [Path(tmp) / f"profile{i}" for i in range(n)]
        before = {pdf: _mtime(pdf) for pdf in targets.values()}
        with ThreadPoolExecutor(n) as pool:
            futures = [
                pool.submit(_convert_chunk, exe, chunk, folder, profiles[i % n])
                for i, (folder, chunk) in enumerate(jobs)
            ]
            for fut in futures:
                fut.result()
        missing = [f for f, pdf in targets.items() if not _fresh(pdf, before[pdf])]
        for f in missing:  # once more, alone: the launcher may have dropped it
            _convert_chunk(exe, [f], targets[f].parent, profiles[0])
        missing = [f for f in missing if not _fresh(targets[f], before[targets[f]])]
    if missing:
        names = ", ".join(f.name for f in missing[:5])
        more = f" và {len(missing) - 5} tệp khác" if len(missing) > 5 else ""
        raise PdfError(f"LibreOffice không tạo được PDF cho {names}{more}")
    return [targets[f] for f in files]


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def _fresh(path: Path, before: float | None) -> bool:
    now = _mtime(path)
    return now is not None and (before is None or now > before) and path.stat().st_size > 0


def preview(
    docx: Path, *, pages: str = "1", dpi: int = 80, out_dir: Path | None = None
) -> list[Path]:
    """PNG images of the given pages (``1``, ``1-3`` or ``all``) of a .docx or .pdf."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise PdfError("chưa cài pdftoppm (gói poppler-utils): sudo apt-get install poppler-utils")
    out_dir = (out_dir or docx.parent).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tetngheo-preview-") as tmp:
        if docx.suffix.lower() == ".pdf":
            pdf = docx
        else:
            (pdf,) = convert([docx], Path(tmp))
        first, last = _page_range(pages)
        prefix = out_dir / docx.stem
        cmd = [exe, "-png", "-r", str(dpi), "-f", str(first)]
        if last is not None:
            cmd += ["-l", str(last)]
        done = subprocess.run([*cmd, str(pdf), str(prefix)], capture_output=True, timeout=120)
        if done.returncode != 0:
            raise PdfError(f"pdftoppm lỗi: {done.stderr.decode(errors='replace').strip()}")
    made = sorted(out_dir.glob(f"{docx.stem}-*.png"))
    if not made:
        raise PdfError(f"không tạo được ảnh trang {pages} của {docx.name}")
    return made


def _page_range(pages: str) -> tuple[int, int | None]:
    if pages == "all":
        return 1, None
    try:
        if "-" in pages:
            a, b = pages.split("-", 1)
            return int(a), int(b)
        return int(pages), int(pages)
    except ValueError:
        raise PdfError(f"trang '{pages}' không hợp lệ; viết 1, 2-3 hoặc all") from None


# --------------------------------------------------------------------------- fast path

_MARK = "tetngheo_thu_"
_FIRST_P = re.compile(r"<w:p(?=[ >])[^>]*>")


def _with_restart(sectpr: str) -> str:
    """The same section properties with page numbers restarting at 1."""
    from tetngheo_docs.render.ooxml import section_variant

    width = re.search(r'<w:pgSz[^>]*w:w="(\d+)"[^>]*w:h="(\d+)"', sectpr)
    landscape = bool(width and int(width.group(1)) > int(width.group(2)))
    return section_variant(sectpr, f"{'landscape' if landscape else 'portrait'} restart")


def merge_letters(files: Sequence[Path]) -> bytes:
    """One .docx holding the letters of a batch (same template), each its own run of
    sections with page numbers from 1, each starting with a bookmark ``tetngheo_thu_NNNNN``
    that LibreOffice exports as a named PDF destination: the marker the split uses."""
    from tetngheo_docs import package

    bodies: list[tuple[str, str]] = []
    members = None
    for i, f in enumerate(files):
        parts = dict(package.read_members(f.read_bytes()))
        if members is None:
            members = package.read_members(f.read_bytes())
        xml = parts["word/document.xml"].decode("utf-8")
        open_body = xml.index("<w:body>") + len("<w:body>")
        start = xml.rfind("<w:sectPr")
        end = xml.index("</w:sectPr>", start) + len("</w:sectPr>")
        inner, final = xml[open_body:start], xml[start:end]
        mark = (
            f'<w:bookmarkStart w:id="{900000 + i}" w:name="{_MARK}{i:05d}"/>'
            f'<w:bookmarkEnd w:id="{900000 + i}"/>'
        )
        p = _FIRST_P.search(inner)
        if p is None:
            raise PdfError(f"{f.name}: không có đoạn văn nào để đánh dấu")
        at = p.end()
        if inner.startswith("<w:pPr>", at):
            at = inner.index("</w:pPr>", at) + len("</w:pPr>")
        inner = inner[:at] + mark + inner[at:]
        # Page numbers restart with each letter: on its first section's properties.
        first_sect = inner.find("<w:sectPr")
        if first_sect >= 0:
            close = inner.index("</w:sectPr>", first_sect) + len("</w:sectPr>")
            inner = inner[:first_sect] + _with_restart(inner[first_sect:close]) + inner[close:]
        else:
            final = _with_restart(final)
        bodies.append((inner, final))
    assert members is not None
    head = dict(members)["word/document.xml"].decode("utf-8")
    head = head[: head.index("<w:body>") + len("<w:body>")]
    chunks = [head]
    for k, (inner, final) in enumerate(bodies):
        chunks.append(inner)
        if k < len(bodies) - 1:
            chunks.append(f"<w:p><w:pPr>{final}</w:pPr></w:p>")
        else:
            chunks.append(final)
    chunks.append("</w:body></w:document>")
    merged = "".join(chunks).encode("utf-8")
    return package.write_zip(
        (name, merged if name == "word/document.xml" else data) for name, data in members
    )


_PDF_BOOKMARKS = (
    'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
)


def _convert_merged(exe: str, docx: Path, profile: Path, letters: int) -> Path:
    _convert_chunk(exe, [docx], docx.parent, profile, export=_PDF_BOOKMARKS, documents=letters)
    pdf = docx.with_suffix(".pdf")
    if not pdf.is_file():
        raise PdfError(f"LibreOffice không tạo được {pdf.name}")
    return pdf


def _split(merged: Path, files: Sequence[Path]) -> list[Path]:
    """Cut the merged PDF back into one PDF per letter at the bookmark destinations."""
    from pypdf import PdfReader, PdfWriter

    from tetngheo_docs import outputs

    reader = PdfReader(merged)
    starts: dict[int, int] = {}
    for name, dest in reader.named_destinations.items():
        clean = name.lstrip("/").replace("5F", "_")
        if clean.startswith(_MARK):
            starts[int(clean[len(_MARK) :])] = reader.get_destination_page_number(dest)
    if sorted(starts) != list(range(len(files))):
        raise PdfError(
            f"bản gộp có {len(starts)} dấu mốc cho {len(files)} thư; không tách được an toàn"
        )
    order = [starts[i] for i in range(len(files))] + [len(reader.pages)]
    if any(b <= a for a, b in itertools.pairwise(order)):
        raise PdfError("dấu mốc các thư không theo thứ tự trang; không tách được an toàn")
    made = []
    for i, f in enumerate(files):
        writer = PdfWriter()
        for page in range(order[i], order[i + 1]):
            writer.add_page(reader.pages[page])
        buf = io.BytesIO()
        writer.write(buf)
        target = f.with_suffix(".pdf")
        outputs.atomic_write(target, buf.getvalue(), durable=False)
        made.append(target)
    return made


def convert_letters(
    files: Sequence[Path], *, workers: int | None = None, combined: Path | None = None
) -> list[Path]:
    """The fast path for the letters of one batch: merged into one document per core,
    converted once each, split back into one PDF per letter at robust markers (bookmarks,
    not text). ``combined`` also writes the merged print file (in gộp)."""
    if not files:
        return []
    exe = soffice()
    files = [f.resolve() for f in files]
    n = max(1, min(workers or os.cpu_count() or 1, len(files), 8))
    size = -(-len(files) // n)
    groups = [files[i : i + size] for i in range(0, len(files), size)]
    with tempfile.TemporaryDirectory(prefix="tetngheo-gop-") as tmp:
        work = Path(tmp)

        def one(k: int, group: list[Path]) -> tuple[list[Path], Path]:
            docx = work / f"gop-{k}.docx"
            docx.write_bytes(merge_letters(group))
            merged = _convert_merged(exe, docx, work / f"profile{k}", len(group))
            return _split(merged, group), merged

        with ThreadPoolExecutor(len(groups)) as pool:
            results = list(pool.map(lambda kg: one(*kg), enumerate(groups)))
        if combined is not None:
            from pypdf import PdfWriter

            from tetngheo_docs import outputs

            writer = PdfWriter()
            for _, merged in results:
                writer.append(str(merged))
            buf = io.BytesIO()
            writer.write(buf)
            outputs.atomic_write(combined, buf.getvalue())
    return [p for made, _ in results for p in made]
