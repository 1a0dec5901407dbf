"""Shared fixtures: repository paths and the --update-golden flag."""

from __future__ import annotations

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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output (review the diff!)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
