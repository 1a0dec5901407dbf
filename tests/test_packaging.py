"""A plain `pip install .` ships the templates, profiles and font metrics with the code."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    build = tmp_path_factory.mktemp("build")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        cwd=build,
        capture_output=True,
    )
    (path,) = out.glob("tetngheo_docs-*.whl")
    return zipfile.ZipFile(path)


@pytest.mark.parametrize(
    "member",
    [
        "tetngheo_docs/templates/hd36/cong_van.docx",
        "tetngheo_docs/templates/nd30/cong_van.docx",
        "tetngheo_docs/profiles/hd36.yaml",
        "tetngheo_docs/profiles/nd30.yaml",
        "tetngheo_docs/vn/liberation_serif_widths.json",
        "tetngheo_docs/py.typed",
    ],
)
def test_wheel_contains_data(wheel: zipfile.ZipFile, member: str) -> None:
    assert member in wheel.namelist()


def test_wheel_templates_equal_checkout(wheel: zipfile.ZipFile) -> None:
    for name in ("hd36", "nd30"):
        shipped = wheel.read(f"tetngheo_docs/templates/{name}/cong_van.docx")
        assert shipped == (ROOT / "templates" / name / "cong_van.docx").read_bytes()


def test_wheel_declares_console_script(wheel: zipfile.ZipFile) -> None:
    (entry,) = [n for n in wheel.namelist() if n.endswith("entry_points.txt")]
    assert "tetngheo = tetngheo_docs.cli:main" in wheel.read(entry).decode()
