"""Incremental rebuild after a full 1,000-letter batch: change one recipient's row, rebuild.

Same run, same machine: the full `batch.issue` of seed 000 (+ its landscape form) to 1,000
recipients with a per-recipient field, then the same call after editing one row. Target
(issue 7): the rebuild takes ≤ 5 % of the full build.

Timings on a shared virtual machine wander from one second to the next: the same full
build took 0.85 s and 1.97 s within one run of this script. So the measurement is repeated
in rounds, each close in time: a fresh office folder, a full build, then ``--rebuilds``
rebuilds, each after editing a different row. Each round's ratio is its best rebuild over
its own full build (measured seconds apart, on the machine as it was then); the target is
checked on the median of the rounds' ratios. The best rebuild over the best full build
(as `timeit` compares) and the median over the median are printed too: they mix rounds
taken at different speeds of the machine. ``--fresh`` runs each build in a new Python
process, as each `tetngheo issue` command does: the rebuild then also pays the first-call
costs (template compilation, regular expressions, lazy imports) that the in-process run
has already paid. Run: ``python benchmarks/bench_rebuild.py [--letters 1000] [--rounds 5]
[--rebuilds 3] [--fresh]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: The bundled examples are dated 2024: `issue` would refuse a past year without a reason.
BENCH_DATE = "benchmark: văn bản mẫu năm 2024"


ROOT = Path(__file__).resolve().parent.parent
OFFICE = ROOT / "directives" / "ban-tuyen-giao-duk"


class Office:
    """A copy of the model office with a per-letter directive and a CSV of recipients."""

    def __init__(self, folder: Path, letters: int) -> None:
        self.folder = folder
        shutil.copy(OFFICE / "tetngheo.yaml", folder)
        shutil.copytree(OFFICE / "bieu-mau", folder / "bieu-mau")
        text = (OFFICE / "cv-196-tuan-cao-diem-tet-2024.yaml").read_text(encoding="utf-8")
        text = text.replace("so: 196\n", "cap_so: rieng\n").replace(
            "trong tháng 01/2024./.", "trước ngày ${han_nop}./."
        )
        (folder / "cv.yaml").write_text(text, encoding="utf-8")
        self.rows = [f"Chi bộ cơ sở số {i:04d};30/01/2024" for i in range(1, letters + 1)]
        self.people = folder / "ds.csv"
        self.save()

    def save(self) -> None:
        text = "ten;han_nop\n" + "\n".join(self.rows) + "\n"
        self.people.write_text(text, encoding="utf-8")

    def edit(self, row: int) -> None:
        self.rows[row] = self.rows[row].replace("30/01/2024", "31/01/2024")
        self.save()

    def issue(self, fresh: bool = False) -> tuple[float, int]:
        """Time `batch.issue`; ``fresh``: in a new Python process, as each `tetngheo issue`
        runs (the clock starts after the imports, which the full build pays just the same)."""
        if fresh:
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, str(self.folder)],
                capture_output=True,
                text=True,
                check=True,
            )
            seconds, count = done.stdout.split()
            return float(seconds), int(count)
        from tetngheo_docs import batch

        start = time.perf_counter()
        report = batch.issue(
            self.folder / "cv.yaml", self.people, self.folder / "out", date_override=BENCH_DATE
        )
        return time.perf_counter() - start, len(report.result.rendered)


_CHILD = """
import sys, time
from pathlib import Path
from tetngheo_docs import batch
folder = Path(sys.argv[1])
start = time.perf_counter()
report = batch.issue(folder / "cv.yaml", folder / "ds.csv", folder / "out",
                     date_override="benchmark: văn bản mẫu năm 2024")
print(time.perf_counter() - start, len(report.result.rendered))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5, help="full builds, each in a new folder")
    parser.add_argument("--rebuilds", type=int, default=3, help="rebuilds after each full build")
    parser.add_argument(
        "--fresh", action="store_true", help="each build in a new process (cold caches)"
    )
    args = parser.parse_args()
    fulls: list[float] = []
    rebuilds: list[float] = []
    rounds: list[float] = []  # each round's best rebuild over its full build
    rendered: list[int] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(max(1, args.rounds)):
            folder = Path(tmp) / f"van-phong-{i}"
            folder.mkdir()
            office = Office(folder, args.letters)
            seconds, _ = office.issue(args.fresh)
            fulls.append(seconds)
            mine = []
            for k in range(max(1, args.rebuilds)):
                office.edit((args.letters // 2 + 37 * (i * args.rebuilds + k)) % args.letters)
                seconds, count = office.issue(args.fresh)
                mine.append(seconds)
                rendered.append(count)
            rebuilds += mine
            rounds.append(min(mine) / fulls[-1])
    full, best = min(fulls), min(rebuilds)
    ratio = statistics.median(rounds)
    median = statistics.median(rebuilds) / statistics.median(fulls)
    where = "mỗi lần một tiến trình mới" if args.fresh else "trong cùng một tiến trình"
    print(f"{args.letters} thư (seed 000 + biểu ngang, mỗi thư một số), {where}")
    print()
    print("| lần chạy | thời gian (nhanh nhất) | trung vị | tệp tạo lại |")
    print("|---|---|---|---|")
    print(
        f"| đầy đủ (×{len(fulls)}) | {full:.2f} s | {statistics.median(fulls):.2f} s "
        f"| {args.letters} |"
    )
    print(
        f"| sau khi sửa 1 dòng (×{len(rebuilds)}) | {best * 1000:.0f} ms ({best / full:.1%}) "
        f"| {statistics.median(rebuilds) * 1000:.0f} ms ({median:.1%}) | {max(rendered)} |"
    )
    print()
    each = ", ".join(f"{r:.1%}" for r in rounds)
    print(f"Từng vòng (lần tạo lại nhanh nhất ÷ lần chạy đầy đủ của vòng đó): {each}")
    verdict = "ĐẠT" if ratio <= 0.05 else "CHƯA ĐẠT"
    print(f"Mục tiêu ≤ 5 % (trung vị các vòng: {ratio:.1%}): {verdict}")
    return 0 if ratio <= 0.05 and set(rendered) == {1} else 1


if __name__ == "__main__":
    sys.exit(main())
