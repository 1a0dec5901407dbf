"""Invalid directives: each fixture gives exactly the reviewed message, exit 1, and no file.

Every ``tests/fixtures/invalid/<failure>.yaml`` is checked against ``<failure>.txt``, the exact
stderr of ``tetngheo check <file> --co-quan tests/fixtures/invalid/tetngheo.yaml`` run from
the repository root (so paths print relative). Fixtures whose ``.txt`` holds the output the
product *should* give, for a known bug, are listed in ``KNOWN_BUGS`` and expected to fail
(strictly: the test flips to an error once the bug is fixed, so the mark gets removed).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clirun import has_traceback, run_cli
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "invalid"
AGENCY = FIXTURES / "tetngheo.yaml"
AGENCY_ARG = AGENCY.relative_to(ROOT).as_posix()
CASES = sorted(p for p in FIXTURES.glob("*.yaml") if p.name != AGENCY.name)

#: fixture stem -> why its .txt (the correct output) does not match what the product prints.
KNOWN_BUGS: dict[str, str] = {}


def _arg(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _params() -> list[object]:
    out: list[object] = []
    for path in CASES:
        marks = []
        if path.stem in KNOWN_BUGS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[path.stem]))
        out.append(pytest.param(path, id=path.stem, marks=marks))
    return out


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_fixture_set_is_complete() -> None:
    assert len(CASES) - len(KNOWN_BUGS) >= 14
    for path in CASES:
        assert path.with_suffix(".txt").is_file(), f"{path.name} has no expected output"
    orphans = {p.stem for p in FIXTURES.glob("*.txt")} - {p.stem for p in CASES}
    assert not orphans, f"expected outputs without a fixture: {sorted(orphans)}"
    assert set(KNOWN_BUGS) <= {p.stem for p in CASES}


@pytest.mark.parametrize("path", _params())
def test_check_reports_exactly(path: Path) -> None:
    expected = path.with_suffix(".txt").read_text(encoding="utf-8")
    result = run_cli("check", _arg(path), "--co-quan", AGENCY_ARG)
    assert not has_traceback(result), result.output
    assert result.stderr == expected
    assert result.exit_code == 1
    assert result.stdout == ""


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_render_writes_nothing(path: Path, tmp_path: Path) -> None:
    check = run_cli("check", _arg(path), "--co-quan", AGENCY_ARG)
    result = run_cli("render", _arg(path), "--co-quan", AGENCY_ARG, "--out", tmp_path)
    assert not has_traceback(result), result.output
    assert result.exit_code == 1
    # render validates exactly like check and reports the same problems.
    assert result.stderr == check.stderr
    assert result.stderr.endswith("không tệp nào được ghi.\n")
    assert "đã ghi" not in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_console_script_end_to_end() -> None:
    path = FIXTURES / "several-errors.yaml"
    env = {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "tetngheo_docs", "check", _arg(path), "--co-quan", AGENCY_ARG],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    assert proc.stderr == path.with_suffix(".txt").read_text(encoding="utf-8")
