"""The Python API: `import tetngheo_docs` — the README's example runs as written, and a
directive can be a path, YAML text or a mapping of native Python values (issue 16, item 5)."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
from pathlib import Path

import pytest

import tetngheo_docs as tn
from tests.conftest import OFFICE, ROOT, SEED_000


def test_the_readme_example_runs(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### 14. Dùng từ Python") :]
    (code,) = re.findall(r"```python\n(.*?)```", section, re.DOTALL)[:1]
    script = tmp_path / "vi_du.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "<dict>:1:1: ngay: ngày không tồn tại" in lines[0] and lines[-1] == "113-CV/BTGDUK"


def test_import_is_light_and_lists_its_api() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import sys, tetngheo_docs; print('docx' in sys.modules)"],
        capture_output=True,
        text=True,
    )
    assert done.stdout.strip() == "False"  # names are imported on first use
    assert {"check", "render_docx", "render_file", "issue", "load", "Register"} <= set(dir(tn))
    with pytest.raises(AttributeError):
        _ = tn.nothing_here  # type: ignore[attr-defined]


def test_three_ways_to_give_a_directive_give_the_same_document() -> None:
    agency = OFFICE / "tetngheo.yaml"
    from_path = tn.render_docx(OFFICE / SEED_000)
    text = (OFFICE / SEED_000).read_text(encoding="utf-8")
    assert tn.render_docx(text, agency=agency) == from_path
    # The same directive as Python values: ints and dates, no quoting.
    loaded = tn.load(OFFICE / SEED_000)
    assert loaded.directive.so == 196
    as_data = tn.load(
        {
            "phien_ban": 1,
            "so": 196,
            "ngay": datetime.date(2024, 1, 15),
            "loai": "cong_van",
            "trich_yeu": loaded.directive.trich_yeu,
            "kinh_gui": list(loaded.directive.kinh_gui),
            "noi_dung": "Thực hiện.",
            "noi_nhan": ["Như trên"],
            "ma": None,
        },
        agency=agency,
    )
    assert as_data.directive.so == 196 and as_data.directive.ngay == datetime.date(2024, 1, 15)


def test_problems_are_located_issues_not_exceptions_from_check() -> None:
    got = tn.check({"phien_ban": 1, "so": True, "ngay": 3.5})
    assert not got.ok
    assert str(got.errors[0]).startswith("<dict>:1:1: ngay: giá trị kiểu float không dùng được")
    with pytest.raises(tn.IssuesError):
        tn.load("phien_ban: 1\n")
