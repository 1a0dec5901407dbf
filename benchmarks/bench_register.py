"""The register on SQLite and on PostgreSQL, in one run, on this machine.

- numbers per second: one number per transaction (``reserve``, as a single letter takes its
  number) and a whole batch in one transaction (``reserve_keys`` of 1,000 keys);
- a 1,000-letter batch (seed 000 with its landscape form, ``batch.issue``) numbered from a
  register file and from a server: target (issue 17) the server within 1.5× of the file.

The server is named by ``--pg URL`` or ``TETNGHEO_TEST_PG`` (what ``.ci/run`` sets); each
run uses a fresh schema on it and drops it afterwards.
Run: ``python benchmarks/bench_register.py [--pg postgresql://…] [--letters 1000]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_issue import BENCH_DATE, make_office

from tetngheo_docs.register import Register, Scope

SCOPE = Scope.nha_nuoc("SVHTTDL", 2024)


@contextmanager
def fresh_schema(base: str) -> Iterator[str]:
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def numbers_per_second(target: Path | str, n: int) -> tuple[float, float]:
    """(one per transaction, one batch of n) numbers per second."""
    with Register(target) as reg:
        start = time.perf_counter()
        for i in range(n):
            reg.reserve(SCOPE, f"one-{i}")
        single = n / (time.perf_counter() - start)
        start = time.perf_counter()
        reg.reserve_keys(SCOPE, [f"batch-{i}" for i in range(n)])
        batch = n / (time.perf_counter() - start)
    return single, batch


def issue_seconds(target: Callable[[Path], Path | str], letters: int) -> float:
    from tetngheo_docs import batch

    with tempfile.TemporaryDirectory() as tmp:
        directive, people = make_office(Path(tmp), letters)
        register = target(Path(tmp))
        start = time.perf_counter()
        batch.issue(
            directive, people, Path(tmp) / "out", register=register, date_override=BENCH_DATE
        )
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("TETNGHEO_TEST_PG", ""))
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--numbers", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.pg:
        print("cần máy chủ PostgreSQL: --pg postgresql://… hoặc TETNGHEO_TEST_PG")
        return 2
    rows = []
    with tempfile.TemporaryDirectory() as tmp, fresh_schema(args.pg) as url:
        file_rates = numbers_per_second(Path(tmp) / "so.sqlite3", args.numbers)
        server_rates = numbers_per_second(url, args.numbers)
    rows.append(("SQLite (tệp)", *file_rates))
    rows.append(("PostgreSQL", *server_rates))
    print(f"Số mỗi giây ({args.numbers} số), máy 2 lõi:\n")
    print("| sổ | mỗi số một giao dịch | cả lô một giao dịch |")
    print("|---|---|---|")
    for name, single, many in rows:
        print(f"| {name} | {single:,.0f} số/s | {many:,.0f} số/s |")

    ratios, files, servers = [], [], []
    for _ in range(args.rounds):
        on_file = issue_seconds(lambda d: d / "so.sqlite3", args.letters)
        with fresh_schema(args.pg) as url:
            on_server = issue_seconds(lambda _d, u=url: u, args.letters)
        files.append(on_file)
        servers.append(on_server)
        ratios.append(on_server / on_file)
    ratio = statistics.median(ratios)
    print(
        f"\nPhát hành {args.letters} thư (seed 000 + biểu ngang), trung vị {args.rounds} lần: "
        f"sổ tệp {statistics.median(files):.2f} s, sổ máy chủ {statistics.median(servers):.2f} s "
        f"→ {ratio:.2f}× (từng lần: {', '.join(f'{r:.2f}×' for r in ratios)})"
    )
    verdict = "ĐẠT" if ratio <= 1.5 else "CHƯA ĐẠT"
    print(f"Mục tiêu ≤ 1,5× sổ tệp: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
