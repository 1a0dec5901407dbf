"""Revisions: rebuild only what changed, keep numbers, refuse changes to issued documents,
show what changed (diff, history)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.clirun import run_cli
from tests.conftest import INVITATION, ROOT, office_copy
from tetngheo_docs import api, batch, build, diff
from tetngheo_docs.errors import DirectiveError, TetngheoError

OFFICE = ROOT / "directives" / "ban-tuyen-giao-duk"
SEED = "cv-196-tuan-cao-diem-tet-2024.yaml"


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """The Ban Tuyên giáo office with forty recipients."""
    return office_copy(
        tmp_path, ["ten;so_nguoi"] + [f"Chi bộ {i};{i % 3 + 1}" for i in range(1, 41)]
    )


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.glob("*.docx")}


def _issue(office: Path, **kw: object) -> batch.IssueReport:
    return batch.issue(office / "rieng.yaml", office / "ds.csv", office / "out", workers=1, **kw)  # type: ignore[arg-type]


def test_unchanged_rebuild_writes_nothing(office: Path) -> None:
    _issue(office)
    before = _snapshot(office / "out")
    again = _issue(office)
    assert again.result.written == [] and again.result.rendered == []
    assert len(again.result.unchanged) == 40
    assert _snapshot(office / "out") == before  # same bytes, not even touched


def test_one_changed_recipient_regenerates_exactly_one_letter(office: Path) -> None:
    first = _issue(office)
    text = (office / "ds.csv").read_text(encoding="utf-8").replace("Chi bộ 7;2", "Chi bộ 7;5")
    (office / "ds.csv").write_text(text, encoding="utf-8")
    again = _issue(office)
    assert again.result.written == ["007-chi-bo-7.docx"]
    assert again.numbers == first.numbers  # the numbers do not move
    log = build.read_history(office / build.HISTORY, office / "out" / "007-chi-bo-7.docx")
    assert [r.changed for r in log][-1] == ["dòng người nhận"]


def test_changing_the_template_regenerates_all(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _issue(office)
    real = build.shared_inputs

    def other_template(*args: object, **kw: object) -> dict[str, str]:
        inputs = real(*args, **kw)  # type: ignore[arg-type]
        return {**inputs, "mau": "a different template"}

    monkeypatch.setattr(build, "shared_inputs", other_template)
    again = _issue(office)
    assert len(again.result.rendered) == 40  # every letter rendered again, none trusted
    assert again.result.written == []  # … and, the template being the same, bytes kept


def test_a_recipient_leaving_the_list_removes_its_letter(office: Path) -> None:
    _issue(office)
    lines = (office / "ds.csv").read_text(encoding="utf-8").splitlines()
    (office / "ds.csv").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    again = _issue(office)
    assert again.result.removed == ["040-chi-bo-40.docx"]
    assert not (office / "out" / "040-chi-bo-40.docx").exists()


def test_issued_document_refuses_to_change(office: Path) -> None:
    _issue(office, publish=True)
    (office / "rieng.yaml").write_text(
        INVITATION.replace("hội nghị.", "hội nghị trực tuyến."), encoding="utf-8"
    )
    before = _snapshot(office / "out")
    with pytest.raises(TetngheoError, match="đính chính"):
        _issue(office)
    assert _snapshot(office / "out") == before


def test_single_render_is_incremental_and_keeps_the_previous_version(office: Path) -> None:
    out = office / "out1"
    loaded = api.load(office / SEED)
    target, written = api.render_incremental(loaded, out)
    assert written
    assert api.render_incremental(api.load(office / SEED), out) == (target, False)
    text = (office / SEED).read_text(encoding="utf-8").replace("15/01/2024", "16/01/2024")
    (office / SEED).write_text(text, encoding="utf-8")
    assert api.render_incremental(api.load(office / SEED), out) == (target, True)
    previous = diff.previous_version(target)
    assert previous is not None
    lines = diff.text_diff(diff.units(previous.read_bytes()), diff.units(target.read_bytes()))
    assert any("ngày [-15-] {+16+} tháng 01" in line for line in lines)


def test_diff_cli_and_html(tmp_path: Path) -> None:
    a = api.render_bytes(api.load(OFFICE / SEED))
    text = (
        (OFFICE / SEED)
        .read_text(encoding="utf-8")
        .replace("Nắm tình hình tư tưởng", "Theo dõi tình hình tư tưởng")
    )
    shutil.copy(OFFICE / "tetngheo.yaml", tmp_path / "tetngheo.yaml")
    shutil.copytree(OFFICE / "bieu-mau", tmp_path / "bieu-mau")
    (tmp_path / SEED).write_text(text, encoding="utf-8")
    b = api.render_bytes(api.load(tmp_path / SEED))
    (tmp_path / "a.docx").write_bytes(a)
    (tmp_path / "b.docx").write_bytes(b)
    result = run_cli(
        "diff", tmp_path / "a.docx", tmp_path / "b.docx", "--html", tmp_path / "d.html"
    )
    assert result.exit_code == 0, result.output
    assert "[-Nắm-] {+Theo dõi+} tình hình" in result.stdout
    assert "1 chỗ khác nhau" in result.stdout
    assert "<table" in (tmp_path / "d.html").read_text(encoding="utf-8")
    same = run_cli("diff", tmp_path / "a.docx", tmp_path / "a.docx")
    assert "Không khác gì." in same.stdout


def test_history_cli(office: Path) -> None:
    _issue(office)
    text = (office / "ds.csv").read_text(encoding="utf-8").replace("Chi bộ 3;1", "Chi bộ 3;4")
    (office / "ds.csv").write_text(text, encoding="utf-8")
    _issue(office)
    result = run_cli("history", office / "out" / "003-chi-bo-3.docx")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and "dòng người nhận" in lines[1]


def test_history_in_vietnam_time_across_old_utc_records(office: Path) -> None:
    import json

    _issue(office)
    log = office / build.HISTORY
    (line,) = [x for x in log.read_text(encoding="utf-8").splitlines() if "003-chi-bo-3" in x]
    record = json.loads(line)
    assert record["time"].endswith("+07:00")
    # A record written by the previous release, in UTC, an hour later than the new one in
    # real time but earlier as text: shown in Vietnam time and ordered by the instant.
    older = dict(record, time="2099-01-01T00:00:00+00:00", new_sha256="b" * 64)
    with log.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(older, ensure_ascii=False) + "\n")
    lines = run_cli("history", office / "out" / "003-chi-bo-3.docx").stdout.splitlines()
    assert lines[-1].startswith("01/01/2099 07:00:00 (giờ Việt Nam)")
    assert "(giờ Việt Nam)" in lines[0]


def test_watch_renders_then_reports_errors_without_stopping(office: Path) -> None:
    result = run_cli("watch", office / SEED, "--out", office / "w", "--so-lan", "1")
    assert result.exit_code == 0, result.output
    assert (office / "w" / "cv-196-tuan-cao-diem-tet-2024.docx").is_file()
    (office / SEED).write_text("so: [\n", encoding="utf-8")
    broken = run_cli("watch", office / SEED, "--out", office / "w", "--so-lan", "1")
    assert broken.exit_code == 0
    assert f"{SEED}:1:" in broken.stderr or "cv-196" in broken.stderr


def test_dinh_chinh_scaffold_cites_the_original_and_renders(office: Path) -> None:
    result = run_cli("new", "dinh-chinh", office / SEED)
    assert result.exit_code == 0, result.output
    draft = office / "cv-196-tuan-cao-diem-tet-2024-dinh-chinh.yaml"
    text = draft.read_text(encoding="utf-8")
    assert "trich_yeu: V/v đính chính Công văn số 196-CV/BTGDUK" in text
    assert "Ngày 15/01/2024, Ban Tuyên giáo Đảng ủy Khối ban hành Công văn số 196-CV/BTGDUK" in text
    assert "so:" not in text.split("noi_dung")[0]  # its own number comes from the register
    with pytest.raises(DirectiveError, match="chỗ trống"):  # its blanks are still to fill
        api.load(draft)
    filled = text.replace("Tại …, đã ghi: “…”; nay sửa lại là: “…”", "Tại mục 2, đã ghi: “a”")
    draft.write_text(filled, encoding="utf-8")
    assert api.load(draft).directive.so is None
    assert run_cli("new", "dinh-chinh", office / SEED).exit_code == 1  # never overwrites


def test_rebuilt_letter_equals_a_fresh_build_byte_for_byte(office: Path, tmp_path: Path) -> None:
    """The rebuild copies the shared parts compressed from a letter it leaves alone; the
    result must be the bytes a build from scratch makes."""
    _issue(office)
    text = (office / "ds.csv").read_text(encoding="utf-8").replace("Chi bộ 7;2", "Chi bộ 7;5")
    (office / "ds.csv").write_text(text, encoding="utf-8")
    assert _issue(office).result.written == ["007-chi-bo-7.docx"]
    fresh = tmp_path / "fresh"
    shutil.copytree(office, fresh, ignore=shutil.ignore_patterns("out", "*.jsonl"))
    _issue(fresh)
    for name in ("007-chi-bo-7.docx", "008-chi-bo-8.docx"):
        assert (office / "out" / name).read_bytes() == (fresh / "out" / name).read_bytes()


def _state_rows(out: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    import contextlib
    import sqlite3

    with contextlib.closing(sqlite3.connect(out / build.STATE)) as conn:
        groups = conn.execute("SELECT * FROM nhom").fetchall()
        files = conn.execute("SELECT * FROM tep ORDER BY ten").fetchall()
    return groups, files


def test_state_keeps_shared_inputs_once_and_writes_only_what_changed(office: Path) -> None:
    _issue(office)
    groups, files = _state_rows(office / "out")
    assert len(groups) == 1 and len(files) == 40  # 40 letters, one shared group
    state = build.State.load(office / "out")
    assert state.records == build.State.load(office / "out").records
    path = office / "out" / build.STATE
    before = path.stat().st_mtime_ns
    state.save()  # nothing replaced: the file is not even opened for writing
    assert path.stat().st_mtime_ns == before
    text = (office / "ds.csv").read_text(encoding="utf-8").replace("Chi bộ 7;2", "Chi bộ 7;5")
    (office / "ds.csv").write_text(text, encoding="utf-8")
    _issue(office)
    after = _state_rows(office / "out")[1]
    assert [a for a, b in zip(after, files, strict=True) if a != b] == [
        a for a in after if a[0] == "007-chi-bo-7.docx"
    ]


def test_the_old_json_state_is_read_once_and_replaced(office: Path) -> None:
    import json

    _issue(office)
    state = build.State.load(office / "out")
    old = {
        "phien_ban": 1,
        "files": {name: {"inputs": r.inputs, "sha256": r.sha256, "stat": list(r.stat)}
                  for name, r in state.records.items()},
    }  # fmt: skip
    (office / "out" / build.STATE).unlink()
    (office / "out" / build.OLD_STATE).write_text(json.dumps(old), encoding="utf-8")
    again = _issue(office)
    assert again.result.rendered == [] and len(again.result.unchanged) == 40
    assert not (office / "out" / build.OLD_STATE).exists()
    assert len(_state_rows(office / "out")[1]) == 40


def test_state_drops_groups_no_output_uses(office: Path, tmp_path: Path) -> None:
    out = tmp_path / "out1"
    loaded = api.load(office / SEED)
    api.render_incremental(loaded, out)
    text = (office / SEED).read_text(encoding="utf-8").replace("15/01/2024", "16/01/2024")
    (office / SEED).write_text(text, encoding="utf-8")
    api.render_incremental(api.load(office / SEED), out)
    groups, files = _state_rows(out)
    assert len(groups) == 1 and len(files) == 1  # the old directive's group went with it


@pytest.mark.parametrize(
    "damage",
    [
        b"not a database at all",
        b"SQLite format 3\x00" + b"\x00" * 200,  # a cut-off database
        "drop",  # a database of the right version without its tables
        "row",  # a row pointing at a group that is not there
    ],
)
def test_damaged_state_rebuilds_everything(office: Path, damage: bytes | str) -> None:
    import contextlib
    import sqlite3

    _issue(office)
    path = office / "out" / build.STATE
    if isinstance(damage, bytes):
        path.write_bytes(damage)
    else:
        with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
            if damage == "drop":
                conn.execute("DROP TABLE tep")
            else:
                conn.execute("UPDATE tep SET nhom = 99 WHERE ten = '003-chi-bo-3.docx'")
    again = _issue(office)
    assert len(again.result.rendered) == 40 and again.result.written == []
    assert _issue(office).result.rendered == []  # and the state is whole again


def test_a_touched_but_unchanged_letter_is_kept_and_its_time_recorded(office: Path) -> None:
    import os

    _issue(office)
    letter = office / "out" / "005-chi-bo-5.docx"
    data = letter.read_bytes()
    os.utime(letter, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    again = _issue(office)
    assert again.result.rendered == [] and letter.read_bytes() == data
    record = build.State.load(office / "out").records[letter.name]
    assert record.stat == (len(data), 1_700_000_000_000_000_000)  # not read whole next time


def test_a_letter_edited_by_hand_or_deleted_is_made_again(office: Path) -> None:
    _issue(office)
    edited, deleted = office / "out" / "002-chi-bo-2.docx", office / "out" / "004-chi-bo-4.docx"
    data, gone = edited.read_bytes(), deleted.read_bytes()
    by_hand = data[:100] + bytes([data[100] ^ 1]) + data[101:]  # same size
    edited.write_bytes(by_hand)
    deleted.unlink()
    again = _issue(office)
    assert sorted(again.result.rendered) == [edited.name, deleted.name]
    assert edited.read_bytes() == data and deleted.read_bytes() == gone
    kept = diff.previous_version(edited)  # the hand-edited bytes, for `tetngheo diff`
    assert kept is not None and kept.read_bytes() == by_hand


def test_a_letter_as_new_as_the_state_is_checked_by_its_bytes(office: Path) -> None:
    """With coarse file times (FAT keeps 2 s), a letter edited in the same tick as the build
    keeps its recorded size and time; a time not older than the state's is not trusted."""
    import os

    _issue(office)
    letter = office / "out" / "002-chi-bo-2.docx"
    data = letter.read_bytes()
    _, mtime = build.State.load(office / "out").records[letter.name].stat
    letter.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])
    os.utime(letter, ns=(mtime, mtime))  # the size and time the state recorded
    os.utime(office / "out" / build.STATE, ns=(mtime, mtime))  # saved in the same tick
    again = _issue(office)
    assert again.result.rendered == [letter.name] and letter.read_bytes() == data
    third = _issue(office)  # its time is recorded again, older than the state: trusted
    assert third.result.rendered == []


def test_the_batch_check_agrees_with_the_check_of_one_file(office: Path) -> None:
    """State.unchanged_letters (rows as read, one loop) gives what `unchanged` gives for
    each letter: same inputs, a changed row, number or shared input, a touched file with
    the same bytes, a deleted file, a file put or removed since the state was read."""
    import os

    _issue(office)
    out = office / "out"
    first = build.State.load(out)
    names = sorted(first.names())
    shared = {k: v for k, v in first.get(names[0]).inputs.items() if k not in build.PER_OUTPUT}
    own = {n: (first.get(n).inputs["nguoi_nhan"], first.get(n).inputs["so"]) for n in names}
    own[names[1]] = ("khác", own[names[1]][1])  # another recipient row
    own[names[2]] = (own[names[2]][0], "999")  # another number
    os.utime(out / names[3], ns=(1_700_000_000_000_000_000,) * 2)  # touched, same bytes
    (out / names[4]).unlink()
    cases = [(shared, list(own.items())), ({**shared, "mau": "khác"}, list(own.items())[:3])]
    for common, items in cases:
        batch_state, one_state = build.State.load(out), build.State.load(out)
        for state in (batch_state, one_state):
            state.put(names[5], state.get(names[5])._replace(sha256="0" * 64))  # put since
            state.remove(names[6])
        together = batch_state.unchanged_letters(common, items)
        each = [one_state.unchanged(n, {**common, "nguoi_nhan": r, "so": s}) for n, (r, s) in items]
        assert together == each
        assert batch_state.records == one_state.records  # the touched file's time, both
        if common is shared:  # other row, other number, deleted, removed
            assert [i for i, same in enumerate(together) if not same] == [1, 2, 4, 6]
    assert together == [False] * 3  # another template: nothing is the same


def _render(office: Path, out: Path) -> tuple[Path, str]:
    """`tetngheo render SEED --out OUT`: the output and what the command said (stdout)."""
    result = run_cli("render", office / SEED, "--out", out)
    assert result.exit_code == 0, result.output
    return out / f"{Path(SEED).stem}.docx", result.stdout


def _kept(target: Path, data: bytes) -> Path:
    """Where `render` keeps bytes it replaces (named by their hash)."""
    return target.parent / diff.VERSIONS / f"{target.stem}.{build.digest_bytes(data)[:12]}.docx"


def _same_size_edit(data: bytes) -> bytes:
    """A real edit of a .docx (two words capitalised) that keeps the file's size: the parts
    are compressed again, and the zip comment makes up the difference."""
    import io
    import zipfile

    def rezip(comment: bytes) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(buf, "w") as new:
            for info in old.infolist():
                part = old.read(info)
                if info.filename == "word/document.xml":
                    part = part.replace("tuyên truyền".encode(), "TUYÊN TRUYỀN".encode(), 1)
                new.writestr(info, part, zipfile.ZIP_DEFLATED, 9)
            new.comment = comment
        return buf.getvalue()

    edited = rezip(b"")
    assert len(edited) < len(data)
    edited = rezip(b" " * (len(data) - len(edited)))
    assert len(edited) == len(data) and edited != data
    return edited


def test_a_rendered_file_edited_by_hand_is_made_again_and_the_edit_kept(office: Path) -> None:
    """README §8: `render` notices a hand-edited output, writes the right document again
    and keeps the edited bytes in .phien-ban/ (as `issue` does for its letters)."""
    import docx

    out = office / "out1"
    target, said = _render(office, out)
    assert said == f"đã ghi {target}\n"
    first = target.read_bytes()
    document = docx.Document(str(target))
    document.add_paragraph("Một đoạn thêm bằng tay trong Word.")
    document.save(str(target))  # a new size and a new time, as in Word
    edited = target.read_bytes()
    assert edited != first
    _, said = _render(office, out)
    assert target.read_bytes() == first  # the right document again, byte for byte
    kept = _kept(target, edited)
    assert kept.read_bytes() == edited
    assert said == f"đã ghi lại {target} (tệp đã bị sửa tay; bản sửa được giữ trong {kept})\n"
    log = build.read_history(out / build.LOCAL_HISTORY, target)
    assert [(r.changed, r.old_sha256) for r in log[1:]] == [
        (["tệp bị sửa tay"], build.digest_bytes(edited))
    ]
    lines = diff.text_diff(diff.units(first), diff.units(kept.read_bytes()))
    assert any("Một đoạn thêm bằng tay" in line for line in lines)  # `tetngheo diff` shows it
    assert _render(office, out)[1] == f"giữ nguyên {target} (không có gì đổi)\n"


def test_a_deleted_rendered_file_is_made_again(office: Path) -> None:
    out = office / "out1"
    target, _ = _render(office, out)
    first = target.read_bytes()
    target.unlink()
    _, said = _render(office, out)
    assert target.read_bytes() == first
    assert said == f"đã tạo lại {target} (tệp đã bị xóa)\n"
    assert not (out / diff.VERSIONS).exists()  # nothing to keep
    log = build.read_history(out / build.LOCAL_HISTORY, target)
    assert log[-1].changed == ["tệp bị xóa"] and log[-1].old_sha256 == build.digest_bytes(first)


def test_a_same_size_edit_at_the_recorded_time_is_trusted_only_if_older_than_the_state(
    office: Path,
) -> None:
    """README §8: a file with the size and modification time it had when made is not read
    again, unless that time is not older than the state's (FAT keeps times by 2 s): then
    its bytes decide."""
    import os

    out = office / "out1"
    target, _ = _render(office, out)
    first = target.read_bytes()
    _, mtime = build.State.load(out).records[target.name].stat
    edited = _same_size_edit(first)
    target.write_bytes(edited)
    os.utime(target, ns=(mtime, mtime))  # the size and time the state recorded
    assert _render(office, out)[1] == f"giữ nguyên {target} (không có gì đổi)\n"  # trusted
    assert target.read_bytes() == edited
    os.utime(out / build.STATE, ns=(mtime, mtime))  # state saved in the same tick: not trusted
    _, said = _render(office, out)
    assert target.read_bytes() == first and _kept(target, edited).read_bytes() == edited
    assert said == (
        f"đã ghi lại {target} (tệp đã bị sửa tay; bản sửa được giữ trong {_kept(target, edited)})\n"
    )


def test_without_its_state_a_rendered_file_with_the_right_bytes_is_left_alone(
    office: Path,
) -> None:
    """README §8: deleting the state rebuilds everything, but a file whose bytes do not
    change is kept (not even touched)."""
    out = office / "out1"
    target, _ = _render(office, out)
    before = target.read_bytes(), target.stat().st_mtime_ns
    (out / build.STATE).unlink()
    assert _render(office, out)[1] == f"giữ nguyên {target} (không có gì đổi)\n"
    assert (target.read_bytes(), target.stat().st_mtime_ns) == before
    assert not (out / diff.VERSIONS).exists()
    assert _render(office, out)[1] == f"giữ nguyên {target} (không có gì đổi)\n"


def test_issue_says_which_letters_were_edited_by_hand_or_deleted(office: Path) -> None:
    args = ("issue", office / "rieng.yaml", "--nguoi-nhan", office / "ds.csv")
    out = office / "out"
    assert run_cli(*args, "--out", out).exit_code == 0
    edited, deleted = out / "002-chi-bo-2.docx", out / "004-chi-bo-4.docx"
    by_hand = _same_size_edit(edited.read_bytes())
    edited.write_bytes(by_hand)
    deleted.unlink()
    result = run_cli(*args, "--out", out)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    kept = _kept(edited, by_hand)
    assert f"đã ghi lại {edited} (tệp đã bị sửa tay; bản sửa được giữ trong {kept})" in lines
    assert f"đã tạo lại {deleted} (tệp đã bị xóa)" in lines
    assert kept.read_bytes() == by_hand
