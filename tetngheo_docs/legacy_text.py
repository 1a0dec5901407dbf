"""TCVN3/VNI text pasted into a UTF-8 directive: refused, located, or converted on request.

Text typed with a .VnTime (TCVN3) or VNI-Times font and pasted into a YAML file stays valid
UTF-8, so nothing fails: ``trich_yeu: V/v tæ chøc`` would print as it is, and upper-casing
would even turn TCVN3's ``µ`` (à) into the Greek ``Μ``. Every string of the merged
directive (agency file, directive, forms) is checked with the same syllable scoring as
recipient lists (`vn.encoding.legacy_text`). By default each affected field is an error
that shows how the value reads once converted; with ``--chuyen-ma`` the value is converted
in memory and each conversion is a warning, so that the user still fixes the file.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from tetngheo_docs.errors import Issue, Location, Severity
from tetngheo_docs.source import BlockText, Source, YamlPath, path_str
from tetngheo_docs.vn import encoding

__all__ = ["OPTION", "check", "issues"]

#: The command-line flag that converts instead of refusing (check, render, issue).
OPTION = "--chuyen-ma"
_NAMES = {"TCVN3": "TCVN3 (ABC, phông .VnTime)", "VNI": "VNI (phông VNI-Times)"}
_PREVIEW = 70


def _strings(value: Any, path: YamlPath) -> Iterator[tuple[YamlPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))


def _first_change(old: str, new: str) -> tuple[int, str, str]:
    """The first line that conversion changes (0-based) and short previews of it."""
    for n, (a, b) in enumerate(zip(old.split("\n"), new.split("\n"), strict=True)):
        if a != b:
            return n, _short(a), _short(b)
    return 0, _short(old), _short(new)  # pragma: no cover - legacy_text changed something


def _short(line: str) -> str:
    line = line.strip()
    return line if len(line) <= _PREVIEW else line[: _PREVIEW - 1].rstrip() + "…"


def _where(
    path: YamlPath,
    line: int,
    loc: Callable[[YamlPath], Location],
    blocks: Mapping[YamlPath, BlockText],
    typed: str,
) -> Location:
    """The value's position, or for a block scalar the typed line holding ``typed``."""
    where = loc(path)
    block = blocks.get(path)
    if block is None:
        return where
    for i, raw in enumerate(block.text.split("\n")):
        if typed and typed in raw:
            return Location(where.file, block.first_line + i, block.indent + raw.index(typed) + 1)
    return Location(where.file, block.first_line + line, block.indent + 1)


def _put(data: Any, path: YamlPath, value: str) -> None:
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def check(
    directive: Source, agency: Source | None, *, convert: bool = False
) -> tuple[Source, Source | None, list[Issue]]:
    """The directive and agency file checked (`issues`), converted copies when ``convert``.

    Runs before anything else reads the values: TCVN3 stores ``ư`` as 0xAD, the soft
    hyphen, which the invisible-character review would otherwise remove (``người`` →
    ``ngời``) and report as a stray character; its findings in converted fields go too.
    """
    found: list[Issue] = []
    checked: list[Source | None] = []
    for src in (directive, agency):
        if src is None:
            checked.append(None)
            continue
        data = copy.deepcopy(src.data) if convert else src.data
        problems = issues(data, src.loc, src.blocks, convert=convert)
        found += problems
        if problems:
            paths = {p.path for p in problems}
            changes: dict[str, Any] = {"data": data} if convert else {}
            findings = getattr(src, "findings", None)
            if findings:
                changes["findings"] = tuple(
                    f for f in findings if not (f.text == "\u00ad" and path_str(f.path) in paths)
                )
            src = dataclasses.replace(src, **changes)
        checked.append(src)
    new_directive, new_agency = checked
    assert new_directive is not None
    return new_directive, new_agency, found


def issues(
    data: Any,
    loc: Callable[[YamlPath], Location],
    blocks: Mapping[YamlPath, BlockText],
    *,
    convert: bool = False,
) -> list[Issue]:
    """One issue per field holding pasted TCVN3/VNI text: an error showing the converted
    reading, or (``convert``) a warning, the field converted in ``data`` itself."""
    found: list[Issue] = []
    for path, value in list(_strings(data, ())):
        if not encoding.LEGACY_HINT.search(value):
            continue  # the usual value: no Latin-1 symbol that Vietnamese never uses
        legacy = encoding.legacy_text(value)
        if legacy is None:
            continue
        kind, converted = legacy
        line, old, new = _first_change(value, converted)
        where = _where(path, line, loc, blocks, old.removesuffix("…"))
        name = _NAMES[kind]
        if convert:
            _put(data, path, converted)
            message = (
                f"đã chuyển chữ {name} sang Unicode: '{old}' → '{new}'; hãy kiểm tra, rồi sửa "
                "luôn trong tệp (gõ lại bằng bảng mã Unicode) cho lần sau"
            )
            found.append(Issue(where, path_str(path), message, Severity.WARNING))
        else:
            message = (
                f"chữ {name} dán vào tệp Unicode sẽ in sai: '{old}' đọc theo {kind} là "
                f"'{new}'; hãy gõ lại bằng bảng mã Unicode (Unikey: bảng mã Unicode), hoặc "
                f"chạy lại với {OPTION} để tự chuyển"
            )
            found.append(Issue(where, path_str(path), message))
    return found
