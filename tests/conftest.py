"""Shared fixtures: repository paths and the --update-golden flag."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(ROOT.glob("directives/*/*.yaml"))
EXAMPLES = [p for p in EXAMPLES if p.name != "tetngheo.yaml"]
#: Directives written for `tetngheo issue` (their body uses ${field} of each recipient).
BATCH_EXAMPLES = [p for p in EXAMPLES if "${" in p.read_text(encoding="utf-8")]
EXAMPLES = [p for p in EXAMPLES if p not in BATCH_EXAMPLES]


OFFICE = ROOT / "directives" / "ban-tuyen-giao-duk"
SEED_000 = "cv-196-tuan-cao-diem-tet-2024.yaml"
BATCH_DIRECTIVE = "cv-nhac-bao-cao-tuan-cao-diem-2024.yaml"

#: A per-letter directive (cap_so: rieng) using two recipient fields, for batch tests.
INVITATION = """\
phien_ban: 1
loai: cong_van
cap_so: rieng
ngay: 22/01/2024
trich_yeu: V/v mời dự hội nghị
kinh_gui: Các đơn vị
noi_dung: |
  Ban Tuyên giáo mời ${ten} cử ${so_nguoi} đồng chí dự hội nghị.
noi_nhan: [Như trên]
"""


def office_copy(tmp_path: Path, rows: list[str]) -> Path:
    """A copy of the Ban Tuyên giáo office: agency file, seed 000 with its form, the batch
    directive as ``chung.yaml``, INVITATION as ``rieng.yaml`` and ``ds.csv`` from ``rows``."""
    import shutil

    folder = tmp_path / "office"
    folder.mkdir()
    for name in ("tetngheo.yaml", SEED_000):
        shutil.copy(OFFICE / name, folder / name)
    shutil.copytree(OFFICE / "bieu-mau", folder / "bieu-mau")
    shutil.copy(OFFICE / BATCH_DIRECTIVE, folder / "chung.yaml")
    (folder / "rieng.yaml").write_text(INVITATION, encoding="utf-8")
    (folder / "ds.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


#: "Today" for the whole suite: the bundled examples and fixtures are dated in 2024, and
#: `issue` refuses a date in a year already over (tests of that rule set their own day).
TODAY = date(2024, 12, 31)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> date:
    from tetngheo_docs.vn import dates

    monkeypatch.setattr(dates, "today_vn", lambda: TODAY)
    return TODAY


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows (Excel's "CSV") writes it: base letters
    precomposed, tone marks as separate combining characters."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in parts if c not in _TONES)
        out.append(unicodedata.normalize("NFC", base) + "".join(c for c in parts if c in _TONES))
    return "".join(out).encode("cp1258")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output (review the diff!)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


# --------------------------------------------------------------------------- PostgreSQL

#: A PostgreSQL server for the register tests: `.ci/run` starts a throwaway cluster and sets
#: this to a URL (no password: the cluster trusts local connections). Outside CI, without it,
#: those tests are skipped and say why; in CI a missing server is a failure.
PG_ENV = "TETNGHEO_TEST_PG"


def pg_server() -> str:
    url = os.environ.get(PG_ENV, "")
    if not url:
        why = f"cần máy chủ PostgreSQL: đặt {PG_ENV}=postgresql://… (.ci/run tự dựng một máy chủ)"
        if os.environ.get("CI"):
            pytest.fail(f"CI: {why}")
        pytest.skip(why)
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A register URL on its own fresh schema of the test server, dropped afterwards."""
    import uuid

    import psycopg

    base = pg_server()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
