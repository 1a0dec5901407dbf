"""Golden tests: every worked example renders to the reviewed normalised XML + text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import docxnorm
from tests.conftest import EXAMPLES, ROOT
from tetngheo_docs import api

GOLDEN = ROOT / "tests" / "golden"


def _case(path: Path) -> str:
    return f"{path.parent.name}--{path.stem}"


@pytest.mark.parametrize("directive", EXAMPLES, ids=_case)
def test_example_matches_golden(directive: Path, update_golden: bool) -> None:
    data = api.render_bytes(api.load(directive))
    expected = {f"{name.replace('/', '__')}": xml for name, xml in docxnorm.parts(data).items()}
    expected["text.txt"] = docxnorm.text(data)
    folder = GOLDEN / _case(directive)
    if update_golden:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
        for name, content in expected.items():
            (folder / name).write_text(content, encoding="utf-8")
        pytest.skip("golden files rewritten")
    assert folder.is_dir(), f"no golden files for {folder.name}: run pytest --update-golden"
    stored = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}
    assert sorted(stored) == sorted(expected)
    for name, content in expected.items():
        assert content == stored[name], f"{folder.name}/{name} differs from the golden file"


@pytest.mark.parametrize("directive", EXAMPLES, ids=_case)
def test_two_renders_are_byte_identical(directive: Path) -> None:
    first = api.render_bytes(api.load(directive))
    second = api.render_bytes(api.load(directive))
    assert first == second


@pytest.mark.parametrize("directive", EXAMPLES, ids=_case)
def test_example_passes_lint(directive: Path) -> None:
    """Every worked example conforms to its profile, warnings included."""
    from tetngheo_docs import lint

    loaded = api.load(directive)
    result = lint.lint_bytes(api.render_bytes(loaded), directive.name, the_thuc=loaded.profile.name)
    problems = [str(c) for c in result.checks if c.status is not lint.Status.PASS]
    assert problems == []
