"""Deterministic packaging: fixed zip metadata, stable order, core properties from data."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from tetngheo_docs import package


def test_same_members_same_bytes() -> None:
    members = [("[Content_Types].xml", b"<a/>"), ("word/document.xml", b"<b/>")]
    assert package.write_zip(members) == package.write_zip(list(members))


def test_zip_metadata_is_fixed() -> None:
    data = package.write_zip([("a.xml", b"<a/>")])
    info = zipfile.ZipFile(io.BytesIO(data)).infolist()[0]
    assert info.date_time == package.ZIP_EPOCH
    assert info.compress_type == zipfile.ZIP_DEFLATED


def test_content_types_first_on_read() -> None:
    data = package.write_zip([("word/document.xml", b"<b/>"), ("[Content_Types].xml", b"<a/>")])
    assert next(n for n, _ in package.read_members(data)) == "[Content_Types].xml"


def test_core_properties_escape_and_date() -> None:
    core = package.CoreProperties(title="V/v A & <B>", created=date(2024, 1, 15))
    xml = core.xml().decode()
    assert "<dc:title>V/v A &amp; &lt;B&gt;</dc:title>" in xml
    assert "2024-01-15T00:00:00Z" in xml


def test_stored_members_are_reused_only_for_the_same_content() -> None:
    data = package.write_zip([("[Content_Types].xml", b"<a/>" * 50), ("word/ổ.xml", b"<b/>")])
    stored = package.stored_members(data)
    assert set(stored) == {"[Content_Types].xml", "word/ổ.xml"}
    same = package.Member.reuse("[Content_Types].xml", b"<a/>" * 50, stored["[Content_Types].xml"])
    assert same is stored["[Content_Types].xml"]
    assert same == package.Member.of("[Content_Types].xml", b"<a/>" * 50)  # the same bytes
    other = package.Member.reuse("[Content_Types].xml", b"<c/>" * 50, same)
    assert other == package.Member.of("[Content_Types].xml", b"<c/>" * 50)
    renamed = package.Member.reuse("x.xml", b"<a/>" * 50, same)
    assert renamed.name == b"x.xml"
    assert package.zip_members(stored.values()) == data
    assert package.stored_members(b"not a zip") == {}
    assert package.stored_members(data[:-30]) == {}  # cut short: nothing trusted
