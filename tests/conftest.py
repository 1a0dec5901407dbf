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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output (review the diff!)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
