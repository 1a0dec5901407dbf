"""PDF conversion: one soffice per file against `tetngheo_docs.pdf.convert`, in one run.

The letters are the 40-unit batch example's letters (2 pages each), issued into a temp folder.
- one soffice process per file, as a script calling ``soffice --convert-to pdf X.docx`` would
  (measured on a sample of 20);
- `pdf.convert`: many files per call, one LibreOffice per core, each with its own profile.

- the merged fast path of `tetngheo issue --pdf`: one document per core, converted once,
  split back per letter at bookmark destinations.

Issue 8's target: 1,000 letters in ≤ 50 s (≥ 25× the per-file loop). Run:
``python benchmarks/bench_pdf.py [--letters 200] [--sample 20]``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: The bundled examples are dated 2024: `issue` would refuse a past year without a reason.
BENCH_DATE = "benchmark: văn bản mẫu năm 2024"


ROOT = Path(__file__).resolve().parent.parent
OFFICE = ROOT / "directives" / "ban-tuyen-giao-duk"


def letters(work: Path, n: int) -> list[Path]:
    from tetngheo_docs import batch

    people = work / "ds.csv"
    rows = ["ten;han_nop"] + [f"Chi bộ số {i:04d};30/01/2024" for i in range(1, n + 1)]
    people.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = work / "thu"
    batch.issue(
        OFFICE / "cv-nhac-bao-cao-tuan-cao-diem-2024.yaml",
        people,
        out,
        register=work / "so.sqlite3",
        date_override=BENCH_DATE,
    )
    return sorted(p for p in out.glob("*.docx") if not p.name.startswith("000-"))


def per_file(files: list[Path], out: Path) -> float:
    exe = shutil.which("soffice")
    assert exe, "soffice not installed"
    out.mkdir()
    start = time.perf_counter()
    for f in files:
        subprocess.run(
            [exe, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(f)],
            check=True,
            capture_output=True,
        )
    return (time.perf_counter() - start) / len(files)


def batched(files: list[Path]) -> float:
    from tetngheo_docs import pdf

    start = time.perf_counter()
    pdf.convert(files)
    return (time.perf_counter() - start) / len(files)


def merged(files: list[Path]) -> float:
    from tetngheo_docs import pdf

    for p in files:
        p.with_suffix(".pdf").unlink(missing_ok=True)
    start = time.perf_counter()
    pdf.convert_letters(files)
    return (time.perf_counter() - start) / len(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--sample", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = letters(work, args.letters)
        one = per_file(files[: args.sample], work / "rieng")
        many = batched(files)
        fast = merged(files)
    print(f"{len(files)} thư 2 trang; máy 2 lõi")
    print()
    print("| cách làm | mỗi thư | 1.000 thư (ngoại suy) | so với từng tệp |")
    print("|---|---|---|---|")
    print(
        f"| một soffice cho mỗi tệp ({args.sample} thư) | {one:.2f} s | {one * 1000:.0f} s | 1× |"
    )
    print(
        f"| `tetngheo pdf` theo lô ({len(files)} thư) | {many:.3f} s | {many * 1000:.0f} s | "
        f"{one / many:.0f}× |"
    )
    print(
        f"| `tetngheo issue --pdf`: gộp mỗi lõi một tệp, chuyển một lần, tách lại "
        f"({len(files)} thư) | {fast:.3f} s | {fast * 1000:.0f} s | {one / fast:.0f}× |"
    )
    ok = fast * 1000 <= 50 and one / fast >= 25
    print()
    print("Mục tiêu (1.000 PDF ≤ 50 s, ≥ 25× từng tệp):", "ĐẠT" if ok else "CHƯA ĐẠT")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
