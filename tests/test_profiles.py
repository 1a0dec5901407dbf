"""Format profiles: shipped data validates; the 2026 Party profile is a data change only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import docxnorm
from tests.conftest import ROOT
from tetngheo_docs import api, profiles
from tetngheo_docs.errors import ProfileError

SEED_000 = ROOT / "directives" / "ban-tuyen-giao-duk" / "cv-196-tuan-cao-diem-tet-2024.yaml"


@pytest.mark.parametrize("name", profiles.available())
def test_shipped_profiles_validate_and_name_every_style_used(name: str) -> None:
    profile = profiles.load(name)
    assert profile.name == name
    for style in ("NoiDung", "KinhGui", "SoKyHieu", "DiaDanhNgay", "HoTen", "NoiNhanMuc"):
        profile.style(style)
    for kind, doc_type in profile.types.items():
        assert (ROOT / "templates" / name / f"{doc_type.template}.docx").is_file(), kind


def test_margins_inside_the_law() -> None:
    for name in profiles.available():
        page = profiles.load(name).page
        for edge, value in (
            ("top", page.margin_top_mm),
            ("bottom", page.margin_bottom_mm),
            ("left", page.margin_left_mm),
            ("right", page.margin_right_mm),
        ):
            low, high = page.margin_ranges[edge]
            assert low <= value <= high, (name, edge)


def test_style_sizes_inside_their_ranges() -> None:
    for name in profiles.available():
        for style_name, style in profiles.load(name).styles.items():
            if style.range:
                assert style.range[0] <= style.size <= style.range[1], (name, style_name)


def test_unknown_profile_is_refused() -> None:
    with pytest.raises(ProfileError, match="hd99"):
        profiles.load("hd99")


def test_state_profile_cannot_serve_party_documents() -> None:
    with pytest.raises(ProfileError):
        profiles.for_system("dang", "nd30")


def test_hd05_is_selected_by_data_and_changes_punctuation(tmp_path: Path) -> None:
    agency = (SEED_000.parent / "tetngheo.yaml").read_text(encoding="utf-8")
    (tmp_path / "tetngheo.yaml").write_text(agency + "the_thuc: hd05_2026\n", encoding="utf-8")
    shutil.copytree(SEED_000.parent / "bieu-mau", tmp_path / "bieu-mau")
    directive = tmp_path / SEED_000.name
    directive.write_text(
        SEED_000.read_text(encoding="utf-8").replace("tháng 01/2024./.", "tháng 01/2024."),
        encoding="utf-8",
    )
    loaded = api.load(directive)
    assert loaded.profile.name == "hd05_2026"
    assert any("chưa kiểm chứng" in w.message for w in loaded.warnings)
    text = docxnorm.text(api.render_bytes(loaded))
    assert "Kính gửi: - Các chi bộ, đảng ủy cơ sở;" in text
    assert "- Thường trực ĐUK;" in text
    assert "trong tháng\xa001/2024.\n" in text
    assert "./." not in text
