"""PDF through LibreOffice, for real: pages, orientation, text, batching, failures.

Needs soffice and poppler (pdfinfo, pdftotext). Where they are missing the tests are
skipped — except in CI, which installs them and sets TETNGHEO_REQUIRE_SOFFICE=1 so that a
missing LibreOffice fails instead of skipping.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from tests import docxnorm
from tests.conftest import EXAMPLES, ROOT
from tetngheo_docs import api, pdf
from tetngheo_docs.pdf import PdfError

HAVE_TOOLS = all(shutil.which(t) for t in ("soffice", "pdfinfo", "pdftotext", "pdftoppm"))
if not HAVE_TOOLS and os.environ.get("TETNGHEO_REQUIRE_SOFFICE") != "1":
    pytestmark = pytest.mark.skip(reason="LibreOffice/poppler not installed")

SEED_000 = ROOT / "directives" / "ban-tuyen-giao-duk" / "cv-196-tuan-cao-diem-tet-2024.yaml"


def _pages(pdf_path: Path) -> list[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf_path)], capture_output=True, text=True
    ).stdout
    sizes = []
    for line in info.splitlines():
        if line.startswith("Page") and "size:" in line:
            w, _, h = line.split("size:")[1].split()[:3]
            sizes.append((float(w), float(h)))
    return sizes


def _words(text: str) -> list[str]:
    """Letters-and-digits words, hyphens dropped first: pdftotext glues punctuation to words
    and removes a hyphen that ends a line ("2250-" + "CV" → "2250CV")."""
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).replace("-", ""))


def _render(directive: Path, out: Path) -> Path:
    loaded = api.load(directive)
    return api.render_file(loaded, out)


def test_seed_000_letter_and_its_landscape_form(tmp_path: Path) -> None:
    docx = _render(SEED_000, tmp_path)
    (made,) = pdf.convert([docx])
    assert made == tmp_path / "cv-196-tuan-cao-diem-tet-2024.pdf"
    pages = _pages(made)
    assert len(pages) == 3
    portrait, landscape = pages[0], pages[2]
    assert portrait[0] < portrait[1] and pages[1][0] < pages[1][1]
    assert landscape[0] > landscape[1], "the BIỂU TỔNG HỢP page must be landscape"
    text = subprocess.run(["pdftotext", str(made), "-"], capture_output=True, text=True).stdout
    assert "Số 196-CV/BTGDUK" in text
    assert "BIỂU TỔNG HỢP" in unicodedata.normalize("NFC", text)


def test_every_example_converts_and_keeps_its_vietnamese_text(tmp_path: Path) -> None:
    docs = [_render(d, tmp_path) for d in EXAMPLES]
    made = pdf.convert(docs)
    assert [p.stem for p in made] == [d.stem for d in docs]
    for docx, pdf_path in zip(docs, made, strict=True):
        expected = _words(docxnorm.text(docx.read_bytes()).replace(" | ", " ").replace(" / ", " "))
        got = set(
            _words(
                subprocess.run(
                    ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True
                ).stdout
            )
        )
        missing = [w for w in expected if w not in got]
        assert missing == [], f"{docx.name}: words lost in the PDF: {missing[:10]}"


def test_dropped_files_are_caught_and_converted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The launcher silently ignores some arguments and exits 0: we must notice."""
    docx = _render(SEED_000, tmp_path)
    copies = []
    for i in range(5):
        copy = tmp_path / f"thu-{i}.docx"
        shutil.copy(docx, copy)
        copies.append(copy)
    real = pdf._convert_chunk
    calls: list[int] = []

    def lossy(exe: str, files: list[Path], out: Path, profile: Path) -> None:
        calls.append(len(files))
        real(exe, files[:-1] if len(files) > 1 else files, out, profile)

    monkeypatch.setattr(pdf, "_convert_chunk", lossy)
    monkeypatch.setattr(pdf, "CHUNK", 2)
    made = pdf.convert(copies, workers=1)
    assert all(p.is_file() for p in made)
    assert 1 in calls, "a dropped file must be retried alone"


def test_missing_libreoffice_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TETNGHEO_SOFFICE", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(PdfError, match="apt-get install libreoffice"):
        pdf.convert([Path("x.docx")])


def test_preview_writes_png_of_page_one(tmp_path: Path) -> None:
    docx = _render(SEED_000, tmp_path)
    images = pdf.preview(docx, dpi=40)
    assert len(images) == 1 and images[0].suffix == ".png"
    assert images[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_pdf_on_a_folder(tmp_path: Path) -> None:
    from tests.clirun import run_cli

    _render(SEED_000, tmp_path)
    result = run_cli("pdf", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cv-196-tuan-cao-diem-tet-2024.pdf").is_file()


def test_batch_fast_path_merges_converts_once_and_splits(tmp_path: Path) -> None:
    """Letters merged per core, converted once, split back at bookmark destinations: each
    recipient gets its own PDF with its own name on page 1, pages numbered from 1."""
    from pypdf import PdfReader

    from tetngheo_docs import batch

    people = tmp_path / "ds.csv"
    people.write_text(
        "ten;han_nop\n" + "".join(f"Chi bộ số {i};30/01/2024\n" for i in range(1, 6)),
        encoding="utf-8",
    )
    office = ROOT / "directives" / "ban-tuyen-giao-duk"
    batch.issue(
        office / "cv-nhac-bao-cao-tuan-cao-diem-2024.yaml",
        people,
        tmp_path / "out",
        register=tmp_path / "so.sqlite3",
        workers=1,
    )
    letters = sorted((tmp_path / "out").glob("0*.docx"))
    combined = tmp_path / "out" / "in-gop.pdf"
    made = pdf.convert_letters(letters, workers=2, combined=combined)
    assert [p.stem for p in made] == [p.stem for p in letters]
    total = 0
    for docx, pdf_path in zip(letters, made, strict=True):
        pages = len(PdfReader(pdf_path).pages)
        total += pages
        first = subprocess.run(
            ["pdftotext", "-l", "1", str(pdf_path), "-"], capture_output=True, text=True
        ).stdout
        expected = docxnorm.text(docx.read_bytes())
        unit = next(x for x in expected.splitlines() if x.startswith("Kính gửi"))
        assert _words(unit) == _words(first[first.index("Kính gửi") :])[: len(_words(unit))]
    assert len(PdfReader(combined).pages) == total
