"""Collecting 500 returned forms (issue: target ≤ 10 s on this 2-core machine).

Generates N returns of seed 000's BIỂU TỔNG HỢP in a temporary folder, each filled the way a
unit does it (its name typed in, three activities, numbers as numbers or as Vietnamese text
"1.234.567" / "1 234 567"), one in fifty with a mistake (text in a money column, a wrong
total typed over the formula), and a recipient list with 20 more units than returns. Then
times `forms.collect.collect` (reading, checking, matching; median of 3 runs) and, apart, the
two summary outputs (.docx and .xlsx) of the result.

Run: ``python benchmarks/bench_collect.py [--files 500] [--limit 10]``; exits 1 over the limit.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = ROOT / "directives" / "ban-tuyen-giao-duk" / "cv-196-tuan-cao-diem-tet-2024.yaml"


def unit_name(i: int) -> str:
    return f"Chi bộ cơ sở số {i:04d}"


def _blank() -> bytes:
    from tetngheo_docs import api, context
    from tetngheo_docs.forms import xlsx

    loaded = api.load(SEED)
    caption = context.attachment_caption(loaded.directive, loaded.profile)
    form = loaded.directive.bieu_mau[0]
    return xlsx.form_xlsx(form, caption=caption, place="Thái Nguyên", year=2024)


def _make(args: tuple[bytes, Path, int]) -> None:
    from tests.formfill import fill

    blank, folder, i = args
    money = [1_000_000 * (i % 17 + 1), f"{(i % 5 + 1) * 250_000:,}".replace(",", "."), 3_500_000]
    rows = [
        ("22/01/2024", "Ủng hộ Quỹ “Vì người nghèo”", money[0], money[0], None, None, None),
        ("26/01/2024", "Thăm, tặng quà hộ nghèo", money[1], money[1], None, None, "Công đoàn"),
        ("30/01/2024", "Trao quà Tết", "3 500 000", None, "3 500 000", None, None),
    ]
    total = None
    if i % 50 == 7:
        rows[2] = (*rows[2][:4], "ba triệu rưỡi", *rows[2][5:])
        total = {2: 1}
    data = fill(blank, rows, unit=unit_name(i), total=total)
    (folder / f"tuan-cao-diem-tet-2024--{i:04d}.xlsx").write_bytes(data)


def generate(folder: Path, files: int) -> None:
    blank = _blank()
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_make, [(blank, folder, i) for i in range(1, files + 1)], chunksize=25))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--limit", type=float, default=10.0, help="seconds allowed for collect")
    parser.add_argument("--runs", type=int, default=3)
    opts = parser.parse_args()

    from tetngheo_docs import api, context
    from tetngheo_docs.forms import collect

    loaded = api.load(SEED)
    form = loaded.directive.bieu_mau[0]
    caption = context.attachment_caption(loaded.directive, loaded.profile)
    recipients = [unit_name(i) for i in range(1, opts.files + 21)]
    with tempfile.TemporaryDirectory(prefix="bench-collect-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        generate(folder, opts.files)
        made = time.perf_counter() - start
        times = []
        for _ in range(opts.runs):
            start = time.perf_counter()
            result = collect.collect(folder, form, recipients=recipients)
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        docx = result.summary_docx(
            loaded.profile, caption=caption, place="Thái Nguyên", when=date(2024, 1, 15)
        )
        xlsx_bytes = result.summary_xlsx(caption=caption, year=2024)
        summary = time.perf_counter() - start

    seconds = statistics.median(times)
    print(f"(tạo {opts.files} tệp mẫu: {made:.1f} s, không tính)")
    print(result.report_lines()[-1])
    print()
    print(f"| {'bước':<34} | {'tệp':>5} | {'giây':>6} | {'tệp/giây':>8} |")
    print(f"|{'-' * 36}|{'-' * 7}|{'-' * 8}|{'-' * 10}|")
    print(
        f"| {'collect (trung vị ' + str(opts.runs) + ' lần)':<34} | {opts.files:>5} | "
        f"{seconds:>6.2f} | {opts.files / seconds:>8.0f} |"
    )
    print(f"| {'biểu tổng hợp .docx + .xlsx':<34} | {opts.files:>5} | {summary:>6.2f} | {'':>8} |")
    print(
        f"\n(.docx {len(docx):,} byte, .xlsx {len(xlsx_bytes):,} byte; "
        f"{len(result.summary_rows())} dòng)"
    )
    expected_bad = sum(1 for i in range(1, opts.files + 1) if i % 50 == 7)
    assert result.count(collect.Status.ERRORS) == expected_bad, result.report_lines()[-1]
    if seconds > opts.limit:
        print(f"QUÁ GIỚI HẠN: {seconds:.2f} s > {opts.limit:.0f} s", file=sys.stderr)
        return 1
    print(f"Đạt: {seconds:.2f} s ≤ {opts.limit:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
