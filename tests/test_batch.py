"""Batch issue: modes, numbers from the register, identical text to the single path, resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import docxnorm
from tests.conftest import ROOT, office_copy
from tetngheo_docs import api, batch, build
from tetngheo_docs.errors import DirectiveError
from tetngheo_docs.register import Register

OFFICE = ROOT / "directives" / "ban-tuyen-giao-duk"
BATCH_DIRECTIVE = OFFICE / "cv-nhac-bao-cao-tuan-cao-diem-2024.yaml"
LIST_40 = OFFICE / "nguoi-nhan-40-don-vi.csv"


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """The Ban Tuyên giáo office with five recipients."""
    rows = ["ten;han_nop;so_nguoi"] + [f"Chi bộ số {i};30/01/2024;{i % 3 + 1}" for i in range(1, 6)]
    return office_copy(tmp_path, rows)


def _issue(folder: Path, directive: str, **kw: object) -> batch.IssueReport:
    return batch.issue(
        folder / directive,
        folder / kw.pop("people", "ds.csv"),  # type: ignore[operator]
        folder / "out",
        workers=1,
        **kw,  # type: ignore[arg-type]
    )


def test_shared_number_each_copy_names_its_unit(office: Path) -> None:
    report = _issue(office, "chung.yaml")
    files = sorted(p.name for p in (office / "out").glob("*.docx"))
    assert files[0] == "000-ban-luu.docx" and len(files) == 6
    assert report.numbers == [1]
    archive = docxnorm.text((office / "out" / files[0]).read_bytes())
    assert "Kính gửi: - Chi bộ số 1," in archive and "- Chi bộ số 5." in archive
    one = docxnorm.text((office / "out" / "003-chi-bo-so-3.docx").read_bytes())
    assert "Kính gửi: Chi bộ số 3\n" in one
    assert "đề nghị Chi bộ số\xa03 tổng hợp" in one and "trước ngày\xa030/01/2024" in one
    assert "Số 01-CV/BTGDUK" in one


def test_one_number_per_letter_is_contiguous(office: Path) -> None:
    first = _issue(office, "rieng.yaml")
    assert first.numbers == [1, 2, 3, 4, 5]
    with Register(office / "so-van-ban-di.sqlite3") as reg:
        entries = reg.list(series="CV")
    assert sorted(e.number for e in entries) == [1, 2, 3, 4, 5]
    # Each number is one letter to one unit: its register line names that unit.
    assert {e.number: e.recipients for e in entries}[4] == "Chi bộ số 4"
    text = docxnorm.text((office / "out" / "004-chi-bo-so-4.docx").read_bytes())
    assert "Số 04-CV/BTGDUK" in text and "cử 2 đồng chí" in text


def test_rerun_keeps_numbers_and_bytes(office: Path) -> None:
    _issue(office, "rieng.yaml")
    before = {p.name: p.read_bytes() for p in (office / "out").glob("*.docx")}
    again = _issue(office, "rieng.yaml")
    assert again.numbers == [1, 2, 3, 4, 5]
    assert again.result.written == []
    assert {p.name: p.read_bytes() for p in (office / "out").glob("*.docx")} == before


def test_missing_field_is_located_before_anything_is_written(office: Path) -> None:
    (office / "ds.csv").write_text("ten;so_nguoi\nChi bộ A;2\nChi bộ B;\n", encoding="utf-8")
    with pytest.raises(DirectiveError) as info:
        _issue(office, "rieng.yaml")
    assert "ds.csv:3:1: so_nguoi: 'Chi bộ B' thiếu giá trị cột 'so_nguoi'" in info.value.format()
    assert not (office / "out").exists()
    assert not (office / "so-van-ban-di.sqlite3").exists()


def test_dry_run_writes_and_reserves_nothing(office: Path) -> None:
    report = _issue(office, "rieng.yaml", dry_run=True)
    assert len(report.result.letters) == 5
    assert not (office / "out").exists()
    assert not (office / "so-van-ban-di.sqlite3").exists()


def test_manifest_lists_every_file_with_its_hash(office: Path) -> None:
    import hashlib

    _issue(office, "rieng.yaml")
    rows = json.loads((office / "out" / "bang-ke.json").read_text(encoding="utf-8"))
    assert [r["so"] for r in rows] == [f"Số 0{i}-CV/BTGDUK" for i in range(1, 6)]
    for row in rows:
        data = (office / "out" / row["tep"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"]
    assert (office / "out" / "bang-ke.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    "values",
    [
        ["Chi bộ số 1", "Số 05-CV/X", "ab" * 32],  # the usual: no quoting, no formula
        ['Chi bộ "A", B', "=1+1", "-x", "@y", "\tz", "line\nbreak", "{}", "\\", "\u2028"],
    ],
)
def test_manifest_text_equals_csv_and_json_modules(values: list[str]) -> None:
    names = ("stt", "tep", "ghi {chú} 100%s")
    columns = {name: [f"{v}{i}" for i, v in enumerate(values)] for name in names}
    _same_as_csv_and_json_modules(columns)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text("aộ 1,;\"'=+-@{}%\\\t\r\n\x00\u2028", max_size=8), min_size=1, max_size=4),
    st.lists(st.text('aộ 1,;"=+-@{}%\\\t\n', max_size=8), max_size=6),
)
def test_manifest_of_any_values_equals_csv_and_json_modules(
    names: list[str], values: list[str]
) -> None:
    columns = {name: [f"{v}{i}" for i, v in enumerate(values)] for name in dict.fromkeys(names)}
    _same_as_csv_and_json_modules(columns)


def _same_as_csv_and_json_modules(columns: dict[str, list[str]]) -> None:
    import csv
    import io

    rows = [dict(zip(columns, r, strict=True)) for r in zip(*columns.values(), strict=True)]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: batch._csv_safe(v) for k, v in row.items()} for row in rows)
    assert batch.manifest_csv(columns) == buf.getvalue()
    lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    assert batch.manifest_json(columns) == f"[\n{lines}\n]\n"
    assert json.loads(batch.manifest_json(columns)) == rows


def test_publish_marks_issued(office: Path) -> None:
    _issue(office, "rieng.yaml", publish=True)
    with Register(office / "so-van-ban-di.sqlite3") as reg:
        assert {e.status for e in reg.list()} == {"issued"}


def test_batch_letter_text_equals_single_path(office: Path) -> None:
    """A batch letter says exactly what `render` says for that one recipient and number."""
    _issue(office, "chung.yaml")
    batch_text = docxnorm.text((office / "out" / "002-chi-bo-so-2.docx").read_bytes())
    single = office / "single.yaml"
    single.write_text(
        BATCH_DIRECTIVE.read_text(encoding="utf-8")
        .replace("${ten}", "Chi bộ số 2")
        .replace("${han_nop}", "30/01/2024")
        .replace("kinh_gui: Các chi bộ, đảng bộ cơ sở trực thuộc", "kinh_gui: Chi bộ số 2")
        + "so: 1\n",
        encoding="utf-8",
    )
    single_bytes = api.render_bytes(api.load(single))
    assert docxnorm.text(single_bytes) == batch_text
    assert single_bytes == (office / "out" / "002-chi-bo-so-2.docx").read_bytes()


def test_parallel_workers_give_the_same_files(office: Path, tmp_path: Path) -> None:
    people = office / "big.csv"
    rows = ["ten;so_nguoi"] + [f"Chi bộ {i};{i % 4 + 1}" for i in range(60)]
    people.write_text("\n".join(rows) + "\n", encoding="utf-8")
    serial = batch.issue(
        office / "rieng.yaml", people, tmp_path / "a", workers=1, register=tmp_path / "a.sqlite3"
    )
    parallel = batch.issue(
        office / "rieng.yaml", people, tmp_path / "b", workers=2, register=tmp_path / "b.sqlite3"
    )
    assert serial.numbers == parallel.numbers == list(range(1, 61))
    for name in serial.result.hashes:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "CON",
        "😀😀",
        "x" * 600,
        "Chi bộ\u202etxt.exe",
        "a/b\\c:d*e?f",
        "...",
        "",
    ],
)
def test_hostile_names_stay_inside_and_are_windows_safe(tmp_path: Path, name: str) -> None:
    file = batch.safe_name(name, 7)
    assert file.startswith("007-") and file.endswith(".docx")
    assert file.isascii() and len(file.encode()) <= 80
    assert not any(c in file for c in '<>:"/\\|?*')
    assert batch.inside(tmp_path, file).parent == tmp_path.resolve()


def test_kill_and_resume(office: Path) -> None:
    """A real process killed mid-batch; the same command completes it: numbers contiguous,
    no duplicate, no half-written or temp file, register rows == files == manifest."""
    people = office / "big.csv"
    rows = ["ten;so_nguoi"] + [f"Đơn vị {i:03d};{i % 4 + 1}" for i in range(300)]
    people.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = office / "out"
    cmd = [
        sys.executable,
        "-m",
        "tetngheo_docs",
        "issue",
        str(office / "rieng.yaml"),
        "--nguoi-nhan",
        str(people),
        "--out",
        str(out),
        "--so-tien-trinh",
        "1",
        # Another process: the suite's fixed "today" does not reach it.
        "--cho-phep-ngay",
        "kiểm thử: văn bản mẫu năm 2024",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(list(out.glob("*.docx"))) < 40:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = len(list(out.glob("*.docx")))
    assert 0 < partial < 300, "the kill must land mid-batch"
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    files = sorted(out.glob("*.docx"))
    assert len(files) == 300
    assert not list(out.glob(".*.tmp"))
    manifest = json.loads((out / "bang-ke.json").read_text(encoding="utf-8"))
    assert len(manifest) == 300
    with Register(office / "so-van-ban-di.sqlite3") as reg:
        numbers = sorted(e.number for e in reg.list())
    assert numbers == list(range(1, 301))
    import zipfile

    for f in files:
        assert zipfile.ZipFile(f).testzip() is None


_TEXT = st.text("aộ'\"%\\ \n{}()[]", max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_TEXT, st.dictionaries(_TEXT, _TEXT, max_size=3)), max_size=5),
    st.booleans(),
)
def test_row_digests_hash_the_repr_of_each_row(
    rows: list[tuple[str, dict[str, str]]], same_fields: bool
) -> None:
    """The row hash is the hash of repr((name, sorted(fields))), whether the rows share
    their fields (one format for all) or not (YAML lists)."""
    from tetngheo_docs.errors import Location
    from tetngheo_docs.recipients import Recipient

    if same_fields and rows:  # every row with the first row's fields
        keys = list(rows[0][1])
        rows = [(name, {k: f"{name}{i}" for i, k in enumerate(keys)}) for name, _ in rows]
    people = [Recipient(name, name, fields, Location("ds.csv")) for name, fields in rows]
    expected = [
        build.digest_bytes(repr((r.name, sorted(r.fields.items()))).encode()) for r in people
    ]
    assert batch.row_digests(people) == expected


# --------------------------------------------------------------------------- the archive copy


def _docx_text(path: Path) -> tuple[list[str], list[list[str]]]:
    """Paragraphs and table rows of a .docx, as a person reading it (python-docx)."""
    import docx

    document = docx.Document(str(path))
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    return [p.text for p in document.paragraphs], rows


def test_readme_example_archive_copy_shows_every_recipient_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's own command (issue 13): the bản lưu of a shared number lists every unit
    in Kính gửi and, with its deadline, in an attached list; no `${…}` is left anywhere."""
    import csv
    import shutil

    from tests.clirun import run_cli

    shutil.copytree(OFFICE, tmp_path / "ban-tuyen-giao-duk")
    monkeypatch.chdir(tmp_path)
    folder = Path("ban-tuyen-giao-duk")
    result = run_cli(
        "issue",
        folder / BATCH_DIRECTIVE.name,
        "--nguoi-nhan",
        folder / LIST_40.name,
        "--out",
        "x",
        "--so-tien-trinh",
        "1",
    )
    assert result.exit_code == 0, result.output
    paragraphs, rows = _docx_text(tmp_path / "x" / batch.ARCHIVE_NAME)
    text = "\n".join(paragraphs + ["\t".join(r) for r in rows])
    assert "${" not in text and "{{" not in text and "{%" not in text
    people = list(csv.DictReader(LIST_40.read_text("utf-8-sig").splitlines(), delimiter=";"))
    assert len(people) == 40
    listed = rows[rows.index(["STT", "Nơi nhận", "Hạn nộp"]) + 1 :]
    assert listed == [[str(i), p["ten"], p["han_nop"]] for i, p in enumerate(people, start=1)]
    kinh_gui = paragraphs[: paragraphs.index(next(p for p in paragraphs if "Thực hiện" in p))]
    assert len(kinh_gui) == 40 and all(
        p["ten"] in line for p, line in zip(people, kinh_gui, strict=True)
    )
    assert (
        "đề nghị (nơi nhận theo danh sách kèm theo) tổng hợp" in text
        and "trước ngày (hạn nộp theo danh sách kèm theo)." in text
    )
    assert "DANH SÁCH NƠI NHẬN" in paragraphs
    assert (
        "(Kèm theo Công văn số 01-CV/BTGDUK, ngày 22/01/2024 của Ban Tuyên giáo Đảng ủy Khối)"
        in paragraphs
    )
    # Each letter is filled for its own unit; lint passes the archive copy.
    one = "\n".join(_docx_text(tmp_path / "x" / "004-chi-bo-uy-ban-kiem-tra-tinh-uy.docx")[0])
    assert "đề nghị Chi bộ Ủy ban Kiểm tra Tỉnh ủy tổng hợp" in one
    assert "trước ngày\xa031/01/2024." in one and "${" not in one
    lint = run_cli("lint", Path("x") / batch.ARCHIVE_NAME)
    assert lint.exit_code == 0, lint.output


def test_archive_copy_follows_a_changed_field(office: Path) -> None:
    """The bản lưu shows every recipient's fields: changing one deadline rewrites it."""
    _issue(office, "chung.yaml")
    csv_path = office / "ds.csv"
    csv_path.write_text(
        csv_path.read_text(encoding="utf-8").replace(
            "Chi bộ số 4;30/01/2024", "Chi bộ số 4;05/02/2024"
        ),
        encoding="utf-8",
    )
    again = _issue(office, "chung.yaml")
    assert sorted(again.result.written) == [batch.ARCHIVE_NAME, "004-chi-bo-so-4.docx"]
    rows = _docx_text(office / "out" / batch.ARCHIVE_NAME)[1]
    assert ["4", "Chi bộ số 4", "05/02/2024"] in rows


ANNEXED = """\
phien_ban: 1
loai: cong_van
ngay: 22/01/2024
trich_yeu: V/v phân bổ chỉ tiêu
kinh_gui: Các chi bộ
noi_dung: |
  Ban Tuyên giáo giao ${ten} chỉ tiêu tại phụ lục kèm theo.
phu_luc:
  - tieu_de: Chỉ tiêu của đơn vị
    noi_dung: |
      | Đơn vị | Số người |
      |---|---|
      | ${ten} | ${so_nguoi} |
noi_nhan: [Như trên]
"""


def test_fields_in_an_appendix_table_are_filled_and_captioned(office: Path) -> None:
    """`${…}` in a phụ lục (a pipe table too) is filled per letter and pointed to in the
    archive copy; every caption carries the number the register gave."""
    (office / "pl.yaml").write_text(ANNEXED, encoding="utf-8")
    _issue(office, "pl.yaml")
    paragraphs, rows = _docx_text(office / "out" / "002-chi-bo-so-2.docx")
    assert ["Chi bộ số 2", "3"] in rows
    caption = "(Kèm theo Công văn số 01-CV/BTGDUK, ngày 22/01/2024 của Ban Tuyên giáo Đảng ủy Khối)"
    assert caption in paragraphs
    paragraphs, rows = _docx_text(office / "out" / batch.ARCHIVE_NAME)
    text = "\n".join(paragraphs + ["\t".join(r) for r in rows])
    assert "${" not in text
    assert ["(nơi nhận theo danh sách kèm theo)", "(số người theo danh sách kèm theo)"] in rows
    assert ["STT", "Nơi nhận", "Số người"] in rows and ["5", "Chi bộ số 5", "3"] in rows
    assert paragraphs.count(caption) == 2  # the phụ lục and the list of recipients
