"""JSON Schema of the files a clerk writes: generated from the models, Vietnamese, matching
every bundled example; a broken copy fails it; `khoi-tao` wires it for VS Code (issue 16,
item 4)."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.clirun import run_cli
from tests.conftest import ROOT
from tetngheo_docs import schema
from tetngheo_docs.model import AGENCY_KEYS

SCHEMAS = schema.schemas()
DIRECTIVES = sorted(p for p in ROOT.glob("directives/**/*.yaml") if p.parent.name != "bieu-mau")


def _as_editor_sees(path: Path) -> Any:
    """The file as an editor's YAML parser gives it: dates it recognises turn back into the
    text that was typed (the schema speaks of text)."""

    def fix(node: Any) -> Any:
        if isinstance(node, dict):
            return {str(k): fix(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fix(v) for v in node]
        if isinstance(node, datetime.date):
            return node.isoformat()
        return node

    return fix(yaml.safe_load(path.read_text(encoding="utf-8")))


def _kind(path: Path) -> str:
    if path.name == "tetngheo.yaml":
        return "co_quan"
    if path.parent.name == "bieu-mau":
        return "bieu_mau"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "nguoi_nhan" in data:
        return "nguoi_nhan"
    return "van_ban" if isinstance(data, dict) and "noi_dung" in data else ""


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_schema_is_valid_json_schema(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMAS[name])


@pytest.mark.parametrize(
    "path", [*DIRECTIVES, *ROOT.glob("directives/**/bieu-mau/*.yaml")], ids=lambda p: p.name
)
def test_every_bundled_example_matches_its_schema(path: Path) -> None:
    kind = _kind(path)
    if not kind:
        pytest.skip("không phải văn bản, tệp cơ quan, biểu mẫu hay danh sách")
    jsonschema.validate(_as_editor_sees(path), SCHEMAS[kind])


def test_a_broken_copy_fails() -> None:
    seed = _as_editor_sees(
        ROOT / "directives/ban-tuyen-giao-duk/cv-196-tuan-cao-diem-tet-2024.yaml"
    )
    for broken in (
        {**seed, "noi_nhn": ["Như trên"]},  # a mistyped key
        {**seed, "ngay": "15.01"},  # not a date
        {**seed, "kinh_gui": {"a": "b"}},  # a mapping where lines go
        {k: v for k, v in seed.items() if k != "noi_dung"},  # required, missing
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, SCHEMAS["van_ban"])


def test_every_key_a_clerk_writes_is_described_in_vietnamese() -> None:
    props = SCHEMAS["van_ban"]["properties"]
    assert not set(props) & schema.INTERNAL
    for key, value in props.items():
        assert value.get("title") and value.get("description"), key
    assert set(SCHEMAS["co_quan"]["properties"]) == set(props) & AGENCY_KEYS
    # README §3's glossary and the schema name the same keys.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    glossary = readme[readme.index("### 3. Bảng thuật ngữ") : readme.index("### 4.")]
    listed = {m.split(".")[0] for m in re.findall(r"^\| `([a-z_.]+)`", glossary, re.M)}
    assert set(props) - {"ma"} <= listed | {"do_khan", "do_mat", "so_mat"}


def test_khoi_tao_wires_the_schema_for_the_editor(tmp_path: Path) -> None:
    result = run_cli("khoi-tao", tmp_path / "co-quan")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "co-quan"
    first = (folder / "cong-van-mau.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=luoc-do/van-ban.schema.json"
    written = json.loads((folder / "luoc-do" / "van-ban.schema.json").read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(SCHEMAS["van_ban"]))
    jsonschema.validate(_as_editor_sees(folder / "cong-van-mau.yaml"), written)
    check = run_cli("kiem-tra", folder / "cong-van-mau.yaml")
    assert check.exit_code == 0 and "cảnh báo" not in check.output, check.output


def test_luoc_do_command_writes_the_four_files(tmp_path: Path) -> None:
    result = run_cli("luoc-do", tmp_path / "ld")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "ld").iterdir()) == sorted(schema.FILES.values())
