"""Hostile directives from the user's side: what YAML would change or hide is said, located.

Nothing the clerk typed is changed or dropped silently, and every message is Vietnamese,
``file:line:col: path: message``, with how to fix it. Then property tests over the loader
(random Unicode, random trees, random fragments, random bytes in several encodings) and a
sweep of generated hostile files through `tetngheo check`: never a traceback.
"""

from __future__ import annotations

import random
import re
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.clirun import has_traceback, run_cli
from tests.conftest import cp1258
from tetngheo_docs.errors import SourceError
from tetngheo_docs.source import load_yaml_text

LOCATED = re.compile(r"^[^:]+:\d+:\d+: ")

AGENCY = """\
phien_ban: 1
he_thong: dang
co_quan:
  chu_quan:
    - Đảng bộ tỉnh Thái Nguyên
  ten: Ban Tuyên giáo
  viet_tat: BTGTU
dia_danh: Thái Nguyên
nguoi_ky:
  chuc_vu: Trưởng ban
  ho_ten: Nguyễn Văn A
"""

DIRECTIVE = """\
phien_ban: 1
loai: cong_van
so: 12
ngay: 15/01/2024
trich_yeu: V/v triển khai nhiệm vụ tuyên truyền
kinh_gui:
  - Các chi bộ, đảng ủy cơ sở
noi_dung: |
  Đề nghị các chi bộ triển khai thực hiện.
noi_nhan:
  - Như trên
"""


def office(tmp_path: Path, directive: str, agency: str = AGENCY) -> Path:
    (tmp_path / "tetngheo.yaml").write_text(agency, encoding="utf-8")
    path = tmp_path / "cv.yaml"
    path.write_text(directive, encoding="utf-8", newline="")
    return path


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # messages name files as typed: cv.yaml, tetngheo.yaml


# --- the clerk's cases, through the command -------------------------------------------------------


def test_check_says_what_a_hash_cut_from_the_subject(tmp_path: Path) -> None:
    text = DIRECTIVE.replace(
        "trich_yeu: V/v triển khai nhiệm vụ tuyên truyền",
        "trich_yeu: V/v khắc phục hậu quả bão số 3 #Yagi, hỗ trợ người dân",
    )
    office(tmp_path, text)
    result = run_cli("check", "cv.yaml")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "cv.yaml:5:43: trich_yeu: cảnh báo: phần sau dấu ' #' bị YAML coi là chú thích nên bị "
        'bỏ: "#Yagi, hỗ trợ người dân"; giá trị chỉ còn "V/v khắc phục hậu quả bão số 3". Nếu '
        'đó là nội dung, hãy đặt cả giá trị trong ngoặc kép "…"; nếu là chú thích, hãy cách '
        "hai dấu cách trước '# '\n"
    )
    strict = run_cli("check", "cv.yaml", "--strict")
    assert strict.exit_code == 1


def test_render_refuses_a_null_place_name_instead_of_printing_null(tmp_path: Path) -> None:
    office(tmp_path, DIRECTIVE, AGENCY.replace("dia_danh: Thái Nguyên", "dia_danh: null"))
    result = run_cli("render", "cv.yaml")
    assert not has_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == (
        "tetngheo.yaml:8:11: dia_danh: 'null' không viết trong ngoặc là giá trị rỗng (null) của "
        "YAML, không phải chữ: hãy ghi nội dung cần in, hoặc xóa cả dòng nếu không dùng mục "
        'này (muốn in đúng chữ đó thì đặt trong ngoặc kép "null")\n'
        "Có 1 lỗi; không tệp nào được ghi.\n"
    )
    assert not (tmp_path / "out").exists()


def test_render_prints_list_items_typed_one_per_line_as_paragraphs(tmp_path: Path) -> None:
    text = DIRECTIVE.replace(
        "  Đề nghị các chi bộ triển khai thực hiện.\n",
        "  Đề nghị các chi bộ:\n  - Rà soát hộ nghèo;\n  - Báo cáo trước ngày 20/01/2024.\n",
    )
    office(tmp_path, text)
    result = run_cli("render", "cv.yaml", "--out", "out")
    assert result.exit_code == 0, result.output
    import docx

    paragraphs = [p.text for p in docx.Document(str(tmp_path / "out" / "cv.docx")).paragraphs]
    assert "- Rà soát hộ nghèo;" in paragraphs
    assert "- Báo cáo trước ngày\xa020/01/2024./." in paragraphs


def test_check_reports_a_line_separator_where_the_editor_shows_it(tmp_path: Path) -> None:
    # Notepad shows U+2028 as nothing at all and does not break the line there; YAML does.
    text = DIRECTIVE.replace("nhiệm vụ tuyên truyền", "nhiệm vụ\u2028tuyên truyền").replace(
        "so: 12", "so: 12\x1f"
    )
    office(tmp_path, text)
    result = run_cli("check", "cv.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        "cv.yaml:3:7: so: ký tự điều khiển U+001F không được phép trong YAML (thường do dán từ "
        "Word/PDF); hãy xóa ký tự này\n"
        "cv.yaml:5:35: trich_yeu: ký tự U+2028 (LINE SEPARATOR, ngắt dòng vô hình): YAML coi nó "
        "là xuống dòng nhưng trình soạn thảo không hiện ra, nên nội dung và số dòng bị lệch; hãy "
        "xóa ký tự này (nếu cần xuống dòng thì nhấn Enter)\n"
        "Có 2 lỗi; không tệp nào được ghi.\n"
    )


def test_check_names_the_field_of_an_indentation_error(tmp_path: Path) -> None:
    text = DIRECTIVE.replace("noi_nhan:\n  - Như trên\n", "noi_nhan:\n  - Như trên\n - Lưu VT\n")
    office(tmp_path, text)
    result = run_cli("check", "cv.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        "cv.yaml:12:2: noi_nhan[0]: thụt lề không đúng: dòng này không thẳng hàng với các "
        "khóa/mục cùng cấp ở trên; hãy kiểm tra số dấu cách đầu dòng\n"
        "Có 1 lỗi; không tệp nào được ghi.\n"
    )


def test_check_removes_a_zero_width_space_from_the_body_and_says_so(tmp_path: Path) -> None:
    office(tmp_path, DIRECTIVE.replace("các chi bộ triển", "các chi\u200b bộ triển"))
    result = run_cli("check", "cv.yaml")
    assert result.exit_code == 0
    assert result.stderr == (
        "cv.yaml:9:18: noi_dung: cảnh báo: ký tự vô hình U+200B (khoảng trắng độ rộng 0) đã "
        "được bỏ khỏi văn bản in ra; hãy xóa nó trong tệp cho sạch (thường do dán từ web/Word)\n"
    )


# --- properties of the loader -------------------------------------------------------------------


def _located_or_loaded(content: str | bytes) -> Any:
    """Load; a refusal must be located issues only. Returns the data (None when refused)."""
    try:
        src = load_yaml_text(content, label="d.yaml")
    except SourceError as exc:
        assert exc.issues
        for issue in exc.issues:
            assert LOCATED.match(str(issue)), str(issue)
        return None
    assert isinstance(src.data, dict)
    _, issues = src.review({"co_quan"})
    assert all(LOCATED.match(str(i)) for i in issues)
    return src.data


_FRAGMENTS = [
    *("a", "noi_dung", "Đức", "ủy ban", "x y", "12", "14:30", "null", "~", "NO", "V/v"),
    *(": ", ":", "- ", "-", "? ", "[", "]", "{", "}", ", ", "#", " #", "  # c", "&a ", "*a"),
    *("!!int ", "!x ", "'", '"', "|", ">", "|-", "\n", "\r\n", "\r", "  ", "    ", "\t"),
    *("---", "...", "%YAML 1.1", "\\", "\\x", "@", "`", "%"),
    *("\x00", "\x07", "\x0b", "\x1f", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff"),
    *("\u200b", "\u202e", "\u00ad", "\ud800", "\U0001f600", "\u0301"),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_random_unicode_is_loaded_or_refused_with_located_messages(text: str) -> None:
    _located_or_loaded(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=60))
def test_random_yaml_fragments_are_loaded_or_refused_with_located_messages(
    pieces: list[str],
) -> None:
    _located_or_loaded("".join(pieces))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([*_FRAGMENTS, "ă", "ơ", "ư", "đ", "ế", "ộ"]), max_size=60),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258", "latin-1"]),
)
def test_random_text_in_any_encoding_is_loaded_or_refused(pieces: list[str], encoding: str) -> None:
    text = "".join(pieces)
    if encoding == "cp1258":
        try:
            raw = cp1258(text.replace("\ud800", ""))
        except UnicodeEncodeError:
            return
    elif encoding == "latin-1":
        raw = text.encode(encoding, "replace")
    else:
        raw = text.encode(encoding, "surrogatepass")
    _located_or_loaded(raw)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_are_loaded_or_refused(raw: bytes) -> None:
    _located_or_loaded(raw)


# Trees of what a directive holds (mappings with text keys, lists, text), written out as a
# clerk or a tool would write them, must load back exactly (NFC, as every value is).

_KEY = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
_PLAIN = st.from_regex(r"[A-Za-zĐđÀ-ỹ][A-Za-zĐđÀ-ỹ0-9 ,./()]{0,30}", fullmatch=True)
_ANY_TEXT = st.text(max_size=40)
_LINES = st.lists(_PLAIN, min_size=1, max_size=4)
_LEAF = st.one_of(_PLAIN, _ANY_TEXT, _LINES.map(lambda lines: "\n".join(lines) + "\n"))
_TREE = st.recursive(
    _LEAF,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEY, inner, max_size=4)),
    max_leaves=20,
)

_SAFE_PLAIN = re.compile(r"[A-Za-zĐđÀ-ỹ][A-Za-zĐđÀ-ỹ0-9 ,./()]*")


def _quoted(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif (
            ch.isprintable()
            and ch not in "\u2028\u2029\x85\ufeff"
            and not (0xD800 <= ord(ch) <= 0xDFFF)
        ):
            out.append(ch)
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _scalar(text: str, indent: int) -> str:
    """One value, inline after ``key: `` / ``- ``: plain when YAML keeps it as typed, a
    literal block for text in lines, else double-quoted with escapes."""
    if (
        _SAFE_PLAIN.fullmatch(text)
        and not text.endswith(" ")
        and "  " not in text
        and text not in ("null", "Null", "NULL")
    ):
        return text
    lines = text[:-1].split("\n") if text.endswith("\n") else None
    if lines and all(_SAFE_PLAIN.fullmatch(line) and not line.endswith(" ") for line in lines):
        pad = " " * (indent + 2)
        return "|\n" + "".join(f"{pad}{line}\n" for line in lines).rstrip("\n")
    return _quoted(text)


def _emit(value: Any, indent: int = 0) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        rows = (f"{pad}{k}: {_emit(v, indent + 2)}".rstrip(" ") for k, v in value.items())
        return "\n" + "\n".join(rows)
    if isinstance(value, list):
        if not value:
            return "[]"
        # A collection as an item starts on the dash's line: "- - a", "- k: v".
        rows = (f"{pad}- {_item(v, indent + 2)}".rstrip(" ") for v in value)
        return "\n" + "\n".join(rows)
    return _scalar(value, indent)


def _item(value: Any, indent: int) -> str:
    text = _emit(value, indent)
    if isinstance(value, dict | list) and value:
        return text.lstrip("\n")[indent:]  # the first row goes on the dash's line
    return text


def _nfc(value: Any) -> Any:
    if isinstance(value, dict):
        return {unicodedata.normalize("NFC", k): _nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    return unicodedata.normalize("NFC", value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_KEY, _TREE, min_size=1, max_size=5))
def test_yaml_written_from_a_tree_loads_back_as_that_tree(tree: dict[str, Any]) -> None:
    text = _emit(tree).lstrip("\n") + "\n"
    src = load_yaml_text(text, label="d.yaml")
    assert src.data == _nfc(tree), text


# --- a sweep of hostile files through `tetngheo check` ------------------------------------------

_HOSTILE = [
    *_FRAGMENTS,
    *(" #Yagi", "null", "\u200b", "\u202e", "\u2028", "\t", "\x0b", "*Như trên*", "Lưu: VT"),
    *("{{ 7*7 }}", "${ten}", "…", "31/02/2024", "2024-13-01", "0", "９", "\ufeffso: 1"),
]


def _hostile_inputs(n: int, seed: int = 20240115) -> list[str]:
    rng = random.Random(seed)
    lines = DIRECTIVE.splitlines(keepends=True)
    out = []
    for i in range(n):
        if i % 4 == 0:  # pure noise
            out.append("".join(rng.choices(_HOSTILE, k=rng.randint(0, 30))))
            continue
        mutated = list(lines)
        for _ in range(rng.randint(1, 3)):
            row = rng.randrange(len(mutated))
            line = mutated[row]
            col = rng.randint(0, max(len(line) - 1, 0))
            action = rng.random()
            fragment = rng.choice(_HOSTILE)
            if action < 0.6:
                mutated[row] = line[:col] + fragment + line[col:]
            elif action < 0.8:
                mutated[row] = line[:col] + fragment + line[col + 1 :]
            else:
                del mutated[row]
                if not mutated:
                    mutated = [fragment]
        out.append("".join(mutated))
    return out


def test_two_thousand_hostile_files_through_check_never_give_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "tetngheo.yaml").write_text(AGENCY, encoding="utf-8")
    path = tmp_path / "cv.yaml"
    started = time.perf_counter()
    outcomes = {0: 0, 1: 0}
    for text in _hostile_inputs(2000):
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        result = run_cli("check", "cv.yaml")
        assert not has_traceback(result), (text, result.output)
        assert result.exit_code in (0, 1), (text, result.output)
        outcomes[result.exit_code] += 1
        for line in result.stderr.splitlines():
            assert LOCATED.match(line) or line.startswith("Có "), (text, line)
    assert outcomes[0] > 50 and outcomes[1] > 500  # both kinds of outcome really exercised
    assert time.perf_counter() - started < 20
