"""Hostile and damaged Office files, as a user would hand them to the CLI.

Every file is built here: zip bombs of a few hundred KB that inflate to hundreds of MB, a
member whose header lies about its size, DOCTYPE/ENTITY parts in every encoding an XML
parser honours, a truncated zip, a text file renamed .xlsx. Each goes through the commands
that read it (``issue --nguoi-nhan``, ``forms collect``, ``diff``, ``lint``, and the template
engine) and must end in a Vietnamese message naming the file (and the part), exit code 1,
no traceback. The bombs run in a child process so that wall time and peak memory are its
own (`resource.getrusage` of that process, which also caps its address space so that a
regression fails the test instead of the machine).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from tests.clirun import has_traceback, run_cli
from tests.conftest import ROOT, office_copy
from tetngheo_docs import package
from tetngheo_docs.errors import TemplateError
from tetngheo_docs.render import engine

MiB = 1024 * 1024
EXAMPLE = ROOT / "directives" / "ban-tuyen-giao-duk" / "cv-196-tuan-cao-diem-tet-2024.yaml"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SST_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: Budgets for refusing a bomb (the brief: under 2 s and 200 MB, on a 2-core machine).
MAX_SECONDS = 2.0
MAX_RSS_MB = 200


# --------------------------------------------------------------------------- builders


def deflate_fill(prefix: bytes, size: int, suffix: bytes) -> tuple[bytes, int, int]:
    """Raw deflate data of ``prefix + b"a" * size + suffix`` (size a multiple of 1 MiB),
    its CRC and its length, built from one compressed MiB repeated (full flushes make
    blocks independent), so a 600 MB member costs milliseconds to make."""
    fill = b"a" * MiB
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = head.compress(prefix) + head.flush(zlib.Z_FULL_FLUSH)
    body = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = body.compress(fill) + body.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    last = tail.compress(suffix) + tail.flush()
    crc = zlib.crc32(prefix)
    for _ in range(size // MiB):
        crc = zlib.crc32(fill, crc)
    crc = zlib.crc32(suffix, crc)
    return first + block * (size // MiB) + last, crc, len(prefix) + size + len(suffix)


def with_member(base: bytes, name: str, member: package.Member) -> bytes:
    """``base`` (a zip) with ``name`` replaced by a pre-built member."""
    assert name in dict(package.read_members(base))
    members = [
        member if n == name else package.Member.of(n, d) for n, d in package.read_members(base)
    ]
    return package.zip_members(members)


def bomb_member(name: str, prefix: bytes, size: int, suffix: bytes, *, lie: bool = False):
    raw, crc, total = deflate_fill(prefix, size, suffix)
    if lie:  # the header says 2 KB, with the CRC of those 2 KB: only a bounded read sees it
        start = (prefix + b"a" * 2048)[:2048]
        return package.Member(name.encode(), zlib.crc32(start), 2048, raw)
    return package.Member(name.encode(), crc, total, raw)


@cache
def base_docx() -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Kính gửi: Chi bộ số 1")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@cache
def base_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["ten", "so_nguoi"])
    ws.append(["Chi bộ số 1", "3"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def docx_bomb(*, lie: bool = False, size: int = 900 * MiB) -> bytes:
    """~900 KB holding a 900 MB document.xml (one paragraph of "a")."""
    prefix = f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode()
    suffix = b"</w:t></w:r></w:p></w:body></w:document>"
    member = bomb_member("word/document.xml", prefix, size, suffix, lie=lie)
    return with_member(base_docx(), "word/document.xml", member)


def xlsx_bomb(*, lie: bool = False, size: int = 600 * MiB) -> bytes:
    """~600 KB holding a 600 MB styles part (read whole by openpyxl when it opens a file)."""
    prefix = f'<styleSheet xmlns="{SST_NS}"><numFmts count="1"><numFmt numFmtId="164" '
    prefix += 'formatCode="'
    suffix = b'"/></numFmts></styleSheet>'
    member = bomb_member("xl/styles.xml", prefix.encode(), size, suffix, lie=lie)
    return with_member(base_xlsx(), "xl/styles.xml", member)


ENTITIES = (
    '<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY x SYSTEM "file:///etc/passwd">]>'
)


def _encode(xml: str, encoding: str) -> bytes:
    """An XML text in one of the encodings a parser honours, declaration to match."""
    declared = {"utf-16-be": "UTF-16", "utf-16": "UTF-16", "utf-32": "UTF-32"}
    if encoding == "utf-7":  # "<" is written +ADw-: invisible to a byte search for "<!"
        body = xml.replace("<!", "+ADw-!").replace("[", "+AFs-").replace("]", "+AF0-")
        return ('<?xml version="1.0" encoding="UTF-7"?>' + body).encode("ascii")
    head = f'<?xml version="1.0" encoding="{declared.get(encoding, encoding.upper())}"?>'
    return (head + xml).encode(encoding)


ENCODINGS = ["utf-8", "utf-16", "utf-16-be", "utf-32", "utf-7"]


def docx_doctype(encoding: str) -> bytes:
    xml = (
        ENTITIES + f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&d;&x;</w:t></w:r>'
        "</w:p></w:body></w:document>"
    )
    member = package.Member.of("word/document.xml", _encode(xml, encoding))
    return with_member(base_docx(), "word/document.xml", member)


def xlsx_doctype(encoding: str) -> bytes:
    sheet = package.read_members(base_xlsx())
    xml = dict(sheet)["xl/worksheets/sheet1.xml"].decode("utf-8")
    xml = xml[xml.index("<worksheet") :].replace("<v>1</v>", "<v>1</v>", 1)
    evil = ENTITIES + xml
    member = package.Member.of("xl/worksheets/sheet1.xml", _encode(evil, encoding))
    return with_member(base_xlsx(), "xl/worksheets/sheet1.xml", member)


def truncated(data: bytes) -> bytes:
    return data[: len(data) * 2 // 3]


# --------------------------------------------------------------------------- running


def office(tmp_path: Path) -> Path:
    return office_copy(tmp_path, ["ten;so_nguoi", "Chi bộ số 1;3"])


def issue_args(tmp_path: Path, people: Path) -> list[str | Path]:
    folder = office(tmp_path)
    return ["issue", folder / "rieng.yaml", "--nguoi-nhan", people, "--out", folder / "out"]


def collect_args(tmp_path: Path, returned: Path) -> list[str | Path]:
    return ["forms", "collect", returned.parent, "--van-ban", EXAMPLE, "--out", tmp_path / "th"]


_CHILD = """
import json, resource, sys, time
from datetime import date
limit = 3 * 1024 ** 3  # a regression fails here instead of exhausting the machine
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from tetngheo_docs.vn import dates
dates.today_vn = lambda: date(2024, 12, 31)  # as tests/conftest.py does
from tests.clirun import has_traceback, run_cli
start = time.perf_counter()
result = run_cli(*sys.argv[1:])
seconds = time.perf_counter() - start
print(json.dumps({
    "code": result.exit_code,
    "output": result.output,
    "traceback": has_traceback(result),
    "exception": repr(result.exception),
    "seconds": seconds,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def measured(*args: str | Path) -> dict[str, object]:
    """Run `tetngheo ARGS` in a fresh process; its exit code, output, time and peak RSS."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0 and lines, f"child failed: {done.stderr[-2000:]}"
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def assert_refused_fast(run: dict[str, object], *needles: str) -> None:
    output = f"{run['output']}\n{run['exception']}"
    assert run["code"] == 1, output[-2000:]
    assert not run["traceback"], output[-2000:]
    for needle in needles:
        assert needle in output, output[-2000:]
    assert float(run["seconds"]) < MAX_SECONDS, run["seconds"]  # type: ignore[arg-type]
    assert float(run["rss_mb"]) < MAX_RSS_MB, run["rss_mb"]  # type: ignore[arg-type]


# --------------------------------------------------------------------------- bombs


def test_issue_refuses_an_xlsx_bomb_fast_and_small(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(xlsx_bomb())
    assert bomb.stat().st_size < 1 * MiB  # ~600 KB that inflate to 600 MB
    run = measured(*issue_args(tmp_path, bomb))
    assert_refused_fast(run, "bomb.xlsx", "xl/styles.xml", "zip bomb", "600 MB")
    assert not list((tmp_path / "office").glob("out/*.docx"))


def test_issue_refuses_an_xlsx_member_lying_about_its_size(tmp_path: Path) -> None:
    bomb = tmp_path / "lie.xlsx"
    bomb.write_bytes(xlsx_bomb(lie=True))
    run = measured(*issue_args(tmp_path, bomb))
    assert_refused_fast(run, "lie.xlsx", "xl/styles.xml", "nhiều dữ liệu hơn kích thước khai báo")


@pytest.mark.parametrize("lie", [False, True], ids=["bomb", "lying-header"])
def test_collect_refuses_an_xlsx_bomb_fast_and_small(tmp_path: Path, lie: bool) -> None:
    folder = tmp_path / "tra-ve"
    folder.mkdir()
    bomb = folder / "bomb.xlsx"
    bomb.write_bytes(xlsx_bomb(lie=lie))
    run = measured(*collect_args(tmp_path, bomb))
    reason = "nhiều dữ liệu hơn kích thước khai báo" if lie else "zip bomb"
    assert_refused_fast(run, "bomb.xlsx", "xl/styles.xml", reason)


@pytest.mark.parametrize("lie", [False, True], ids=["bomb", "lying-header"])
def test_diff_refuses_a_docx_bomb_fast_and_small(tmp_path: Path, lie: bool) -> None:
    good, bomb = tmp_path / "a.docx", tmp_path / "bomb.docx"
    good.write_bytes(base_docx())
    bomb.write_bytes(docx_bomb(lie=lie))
    assert bomb.stat().st_size < 1 * MiB  # ~900 KB that inflate to 900 MB
    run = measured("diff", good, bomb)
    reason = "nhiều dữ liệu hơn kích thước khai báo" if lie else "zip bomb"
    assert_refused_fast(run, "bomb.docx", "word/document.xml", reason)


@pytest.mark.parametrize("lie", [False, True], ids=["bomb", "lying-header"])
def test_lint_refuses_a_docx_bomb_fast_and_small(tmp_path: Path, lie: bool) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(docx_bomb(lie=lie))
    run = measured("lint", bomb)
    reason = "nhiều dữ liệu hơn kích thước khai báo" if lie else "giải nén ra 900 MB, quá giới"
    assert_refused_fast(run, "bomb.docx", "word/document.xml", reason)


def test_ratio_alone_marks_a_bomb_below_the_size_limits(tmp_path: Path) -> None:
    """30 MB of one byte in 30 KB: under the per-part and total limits, over the ratio."""
    bomb = tmp_path / "nho.docx"
    bomb.write_bytes(docx_bomb(size=30 * MiB))
    result = run_cli("lint", bomb)
    assert result.exit_code == 1 and not has_traceback(result)
    assert "phần word/document.xml: nén bất thường" in result.stderr
    assert "zip bomb" in result.stderr


def test_lint_survives_impossible_numbers(tmp_path: Path) -> None:
    """A well-formed part with sizes and margins like ``1e400`` (infinity): a finding or a
    message, never an OverflowError."""
    xml = dict(package.read_members(base_docx()))["word/document.xml"].decode("utf-8")
    xml = xml.replace('w:top="1440"', 'w:top="1e400"').replace(
        "<w:r>", '<w:r><w:rPr><w:sz w:val="1e400"/></w:rPr>', 1
    )
    assert "1e400" in xml
    odd = tmp_path / "so-la.docx"
    member = package.Member.of("word/document.xml", xml.encode())
    odd.write_bytes(with_member(base_docx(), "word/document.xml", member))
    result = run_cli("lint", odd)
    assert not has_traceback(result), repr(result.exception)
    assert result.exit_code == 1 and str(odd) in result.output


# --------------------------------------------------------------------------- the sweep

DOCX_FILES: dict[str, tuple[Callable[[], bytes], str]] = {
    **{
        f"doctype-{enc}": (lambda enc=enc: docx_doctype(enc), "word/document.xml: có khai báo")
        for enc in ENCODINGS
    },
    "truncated": (lambda: truncated(base_docx()), "bị cắt cụt"),
    "not-a-zip": (lambda: b"%PDF-1.4\n% not a Word file\n", "không phải tệp .docx hợp lệ"),
    "old-word": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Word cũ"),
}
XLSX_FILES: dict[str, tuple[Callable[[], bytes], str]] = {
    **{
        f"doctype-{enc}": (
            lambda enc=enc: xlsx_doctype(enc),
            "xl/worksheets/sheet1.xml: có khai báo DOCTYPE",
        )
        for enc in ENCODINGS
    },
    "truncated": (lambda: truncated(base_xlsx()), "bị cắt cụt"),
    "not-a-zip": (lambda: "ten;so_nguoi\nChi bộ 1;3\n".encode(), "không phải tệp .xlsx hợp lệ"),
}


@pytest.mark.parametrize("kind", sorted(DOCX_FILES))
def test_diff_and_lint_refuse_hostile_docx(tmp_path: Path, kind: str) -> None:
    build, needle = DOCX_FILES[kind]
    good, bad = tmp_path / "a.docx", tmp_path / f"{kind}.docx"
    good.write_bytes(base_docx())
    bad.write_bytes(build())
    for args in (("diff", good, bad), ("diff", bad, good), ("lint", bad)):
        result = run_cli(*args)
        assert result.exit_code == 1, (args, result.output)
        assert not has_traceback(result), (args, result.output)
        assert f"{bad}: " in result.stderr and needle in result.stderr, (args, result.stderr)


@pytest.mark.parametrize("kind", sorted(XLSX_FILES))
def test_issue_refuses_hostile_recipient_xlsx(tmp_path: Path, kind: str) -> None:
    build, needle = XLSX_FILES[kind]
    bad = tmp_path / f"{kind}.xlsx"
    bad.write_bytes(build())
    result = run_cli(*issue_args(tmp_path, bad))
    assert result.exit_code == 1, result.output
    assert not has_traceback(result), result.output
    assert f"{bad}:1:1: " in result.stderr and needle in result.stderr, result.stderr
    assert not list((tmp_path / "office").glob("out/*.docx"))


@pytest.mark.parametrize("kind", sorted(XLSX_FILES))
def test_collect_refuses_hostile_returned_xlsx(tmp_path: Path, kind: str) -> None:
    build, needle = XLSX_FILES[kind]
    folder = tmp_path / "tra-ve"
    folder.mkdir()
    bad = folder / f"{kind}.xlsx"
    bad.write_bytes(build())
    result = run_cli(*collect_args(tmp_path, bad))
    assert result.exit_code == 1, result.output
    assert not has_traceback(result), result.output
    assert f"{kind}.xlsx" in result.output and needle in result.output, result.output


@pytest.mark.parametrize(
    "build, needle",
    [
        (lambda: docx_bomb(), "phần word/document.xml: giải nén ra 900 MB"),
        (lambda: docx_bomb(lie=True), "nhiều dữ liệu hơn kích thước khai báo"),
        (lambda: docx_doctype("utf-16"), "word/document.xml: có khai báo DOCTYPE"),
        (lambda: docx_doctype("utf-7"), "word/document.xml: có khai báo DOCTYPE"),
        (lambda: truncated(base_docx()), "bị cắt cụt"),
    ],
    ids=["bomb", "lying-header", "doctype-utf-16", "doctype-utf-7", "truncated"],
)
def test_an_office_template_is_opened_with_the_same_limits(
    build: Callable[[], bytes], needle: str
) -> None:
    with pytest.raises(TemplateError) as caught:
        engine.prepare(build(), "mau-rieng.docx")
    assert caught.value.format().startswith("mẫu mau-rieng.docx: ")
    assert needle in caught.value.format()


# --------------------------------------------------------------------------- the guard itself


def test_guard_accepts_real_office_files() -> None:
    """Our own outputs and the libraries' files pass, with room to spare."""
    from tetngheo_docs import ooxml_guard

    for data in (base_docx(), base_xlsx()):
        pkg = ooxml_guard.check(data, "x")
        assert pkg.names
    template = (ROOT / "templates").rglob("*.docx")
    for path in template:
        ooxml_guard.check(path.read_bytes(), str(path))


def test_a_large_ordinary_list_passes(tmp_path: Path) -> None:
    """A 5,000-row recipient list with many columns is far inside the limits."""
    from openpyxl import Workbook

    from tetngheo_docs import ooxml_guard

    wb = Workbook()
    ws = wb.active
    ws.append(["ten", "dia_chi", "dien_thoai", "email", "ghi_chu"])
    for i in range(5000):
        ws.append([f"Chi bộ số {i}", f"Số {i}, đường Lê Lợi", f"0{i:09d}", f"cb{i}@x.vn", "—"])
    buf = io.BytesIO()
    wb.save(buf)
    pkg = ooxml_guard.check(buf.getvalue(), "ds.xlsx", "xlsx")
    assert "xl/worksheets/sheet1.xml" in pkg.names


def test_libraries_never_expand_entities() -> None:
    """Second line of defence, verified: python-docx's parser, openpyxl's ``fromstring``
    (lxml, entities off) and its ``iterparse`` (defusedxml) leave entities unexpanded or
    refuse them; our own parser does too."""
    from docx.oxml.parser import parse_xml
    from openpyxl import DEFUSEDXML
    from openpyxl.xml.functions import fromstring, iterparse

    from tetngheo_docs import ooxml_guard

    xml = b'<!DOCTYPE r [<!ENTITY s "SECRET">]><r>&s;</r>'
    assert "SECRET" not in (parse_xml(xml).text or "")
    assert "SECRET" not in (fromstring(xml).text or "")
    assert DEFUSEDXML
    with pytest.raises(Exception, match=r"EntitiesForbidden|entity"):
        list(iterparse(io.BytesIO(xml)))
    with pytest.raises(ooxml_guard.PackageError, match="DOCTYPE"):
        ooxml_guard.parse_xml(xml, "x.docx", "word/document.xml")
