"""source: safe YAML loading — strings only, every problem located, nothing from PyYAML escapes.

Every test runs against both PyYAML back ends (pure Python and libyaml) because their error
texts differ and the module must translate both into the same Vietnamese message.
"""

from __future__ import annotations

import codecs
import random
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tetngheo_docs import source
from tetngheo_docs.errors import Location, SourceError
from tetngheo_docs.source import Source, load_yaml, load_yaml_text, path_str

LOADERS = [pytest.param(yaml.BaseLoader, id="py")]
if getattr(yaml, "CBaseLoader", None) is not None:
    LOADERS.append(pytest.param(yaml.CBaseLoader, id="c"))


@pytest.fixture(params=LOADERS, autouse=True)
def backend(request: pytest.FixtureRequest) -> Iterator[type]:
    saved = source._LOADER
    source._LOADER = request.param
    try:
        yield request.param
    finally:
        source._LOADER = saved


def issues_of(content: str | bytes, label: str = "d.yaml") -> list[str]:
    with pytest.raises(SourceError) as info:
        load_yaml_text(content, label=label)
    return [str(issue) for issue in info.value.issues]


# Messages, spelled out here (not imported) so a wording change is a visible test change.
TAB = "ký tự tab không được dùng trong YAML; hãy thay bằng dấu cách"
ALIAS = (
    "không dùng neo/bí danh YAML (& và *), ở đây là '{}'; hãy viết lại giá trị — nếu là văn "
    'bản bắt đầu bằng * hoặc & (như *Như trên*), hãy đặt cả giá trị trong ngoặc kép "…"'
)
COLON = (
    "dấu hai chấm ': ' nằm giữa giá trị; hãy đặt cả giá trị trong ngoặc kép \"…\" hoặc dùng khối |"
)
INDENT = (
    "thụt lề không đúng: dòng này không thẳng hàng với các khóa/mục cùng cấp ở trên; "
    "hãy kiểm tra số dấu cách đầu dòng"
)
EXTRA = (
    "có văn bản thừa sau giá trị; nếu giá trị bắt đầu bằng ngoặc kép, ngoặc đơn, [ hoặc {, "
    'hãy đặt cả giá trị trong ngoặc kép "…" (ví dụ "[Dự thảo] Kế hoạch")'
)
EMPTY = "tệp trống: cần một ánh xạ (khóa: giá trị)"
NOT_MAP = "cấp ngoài cùng của tệp phải là một ánh xạ (khóa: giá trị), nhưng đây là {}"
TAG = "không dùng thẻ kiểu YAML '{}'; mọi giá trị đều được đọc là văn bản — hãy bỏ thẻ này"
CTRL = (
    "ký tự điều khiển {} không được phép trong YAML (thường do dán từ Word/PDF); hãy xóa ký tự này"
)
NOT_UTF8 = (
    "tệp không phải UTF-8 (byte 0x{:02X} ở dòng {}); hãy lưu lại với bảng mã UTF-8 "
    "(có thể tệp đang dùng bảng mã cũ TCVN3, VNI hoặc Windows-1258)"
)
BREAK = (
    "ký tự {}: YAML coi nó là xuống dòng nhưng trình soạn thảo không hiện ra, nên nội dung và số "
    "dòng bị lệch; hãy xóa ký tự này (nếu cần xuống dòng thì nhấn Enter)"
)
START = "ký tự '{}' không được đứng đầu một giá trị YAML; hãy đặt cả giá trị trong ngoặc kép \"…\""

FAILURES: list[tuple[str, str | bytes, list[str]]] = [
    ("tab", "so: 12\nnoi_nhan:\n\t- UBND tỉnh\n", [f"d.yaml:3:1: noi_nhan: {TAB}"]),
    (
        "two tabs on two lines",
        "so: 12\t# số\nnoi_nhan:\n  - a\n\t- b\n",
        [f"d.yaml:1:7: so: {TAB}", f"d.yaml:4:1: noi_nhan[0]: {TAB}"],
    ),
    (
        "tab on a whitespace-only line (libyaml would accept it)",
        "a: 1\n \t\nb: 2\n",
        [f"d.yaml:2:2: a: {TAB}"],
    ),
    (
        "duplicate key",
        "so: 12\nngay: 15/01/2024\ntrich_yeu: x\nngay: 16/01/2024\n",
        ["d.yaml:4:1: khóa 'ngay' bị lặp (đã có ở dòng 2)"],
    ),
    (
        "duplicate key nested, reported at each repetition",
        "nguoi_ky:\n  ten: A\n  chuc_vu: B\n  ten: C\n  ten: D\n",
        [
            "d.yaml:4:3: nguoi_ky: khóa 'ten' bị lặp (đã có ở dòng 2)",
            "d.yaml:5:3: nguoi_ky: khóa 'ten' bị lặp (đã có ở dòng 2)",
        ],
    ),
    (
        "duplicate key after NFC normalisation",
        "Đức: 1\n" + unicodedata.normalize("NFD", "Đức: 2\n"),
        ["d.yaml:2:1: khóa 'Đức' bị lặp (đã có ở dòng 1)"],
    ),
    ("alias", "a: x\nb: *a\n", ["d.yaml:2:4: b: " + ALIAS.format("*a")]),
    ("anchor", "co_quan: &cq UBND\n", ["d.yaml:1:10: co_quan: " + ALIAS.format("&cq")]),
    (
        "anchor and alias (billion-laughs style)",
        "a: &a [x, x]\nb: [*a, *a]\n",
        [
            "d.yaml:1:4: a: " + ALIAS.format("&a"),
            "d.yaml:2:5: b[0]: " + ALIAS.format("*a"),
            "d.yaml:2:9: b[1]: " + ALIAS.format("*a"),
        ],
    ),
    (
        "*Như trên* (scanner error, non-ASCII alias name)",
        "noi_nhan:\n  - *Như trên*;\n",
        ["d.yaml:2:5: noi_nhan[0]: " + ALIAS.format("*Như")],
    ),
    (
        "*Nhu tren* (ASCII: alias event, then extra text that is not reported twice)",
        "noi_nhan:\n  - *Nhu tren*\n",
        ["d.yaml:2:5: noi_nhan[0]: " + ALIAS.format("*Nhu")],
    ),
    (
        "python tag",
        'x: !!python/object/apply:os.system ["echo pwned"]\n',
        ["d.yaml:1:4: x: " + TAG.format("!!python/object/apply:os.system")],
    ),
    ("int tag", "so: !!int 12\n", ["d.yaml:1:5: so: " + TAG.format("!!int")]),
    ("local tag", "so: !so 12\n", ["d.yaml:1:5: so: " + TAG.format("!so")]),
    (
        "V/v: inside a value",
        "so: 12\ntrich_yeu: V/v: tổ chức hội nghị\n",
        [f"d.yaml:2:15: trich_yeu: {COLON}"],
    ),
    (
        "Lưu: VT inside a list item that is already a mapping",
        "noi_nhan:\n  - Như trên;\n  - Lưu: VT: VP.\n",
        [f"d.yaml:3:12: noi_nhan[1].Lưu: {COLON}"],
    ),
    (
        "unclosed double quote, shown where it opens",
        'so: 12\ntrich_yeu: "V/v tổ chức\nnoi_dung: x\n',
        [
            'd.yaml:2:12: trich_yeu: dấu ngoặc " mở ở đây chưa được đóng (đến cuối tệp vẫn '
            'chưa thấy dấu đóng); hãy thêm dấu " ở cuối giá trị'
        ],
    ),
    (
        "unclosed single quote before a document marker",
        "a: 'x\n---\nb: c\n",
        [
            "d.yaml:1:4: a: dấu ngoặc ' mở ở đây chưa được đóng (đến dấu --- vẫn "
            "chưa thấy dấu đóng); hãy thêm dấu ' ở cuối giá trị"
        ],
    ),
    (
        "bad indentation of a list item",
        "noi_nhan:\n  - a\n  - b\n - c\n",
        [f"d.yaml:4:2: noi_nhan[1]: {INDENT}"],
    ),
    (
        "bad indentation of a key",
        "nguoi_ky:\n  ten: A\n chuc_vu: B\n",
        [f"d.yaml:3:2: nguoi_ky.ten: {INDENT}"],
    ),
    (
        "text after a flow list",
        "trich_yeu: [Dự thảo] Kế hoạch\n",
        [f"d.yaml:1:22: trich_yeu: {EXTRA}"],
    ),
    ("text after a quoted value", "ten: 'Lê' Lợi\n", [f"d.yaml:1:11: ten: {EXTRA}"]),
    (
        "line without colon",
        "so: 12\nKính gửi UBND\nngay: x\n",
        [
            "d.yaml:2:1: so: dòng này thiếu dấu hai chấm ':' sau khóa (hoặc là phần tiếp của giá "
            "trị ở dòng trên nhưng thụt lề sai); hãy thêm ': ' hoặc thụt lề dòng này vào trong giá "
            "trị"
        ],
    ),
    (
        "unknown escape in double quotes",
        'duong_dan: "C:\\Users\\vanthu"\n',
        [
            "d.yaml:1:17: duong_dan: dấu '\\' trong ngoặc kép \"…\" bắt đầu một mã thoát không "
            "hợp lệ; hãy dùng ngoặc đơn '…' hoặc viết '\\\\'"
        ],
    ),
    (
        "list item on the key's line",
        "noi_nhan: - UBND\n",
        [
            "d.yaml:1:11: noi_nhan: dấu '- ' (mục danh sách) không được đặt ngay sau khóa trên "
            "cùng một dòng; hãy xuống dòng và thụt lề mục danh sách, hoặc đặt cả giá trị trong "
            'ngoặc kép "…"'
        ],
    ),
    ("@ starts a value", "email: @vanthu\n", ["d.yaml:1:8: email: " + START.format("@")]),
    ("comma starts a flow item", "a: [,]\n", ["d.yaml:1:5: a[0]: " + START.format(",")]),
    (
        "text on the block-scalar line",
        "noi_dung: |Kính gửi\n  x\n",
        [
            "d.yaml:1:12: noi_dung: sau dấu | hoặc > phải xuống dòng ngay; hãy viết nội dung ở "
            "các dòng dưới, thụt lề vào trong"
        ],
    ),
    (
        "unclosed flow list",
        "a: [x, y\nb: c\n",
        [
            "d.yaml:2:2: a: danh sách/ánh xạ trong ngoặc [ ] hoặc { } (mở ở dòng 1) chưa đóng hoặc "
            'thiếu dấu phẩy; nếu đây là văn bản, hãy đặt cả giá trị trong ngoặc kép "…"'
        ],
    ),
    ("empty file", "", [f"d.yaml:1:1: {EMPTY}"]),
    ("whitespace only", "  \n\n", [f"d.yaml:1:1: {EMPTY}"]),
    ("comments only", "# Kế hoạch\n   # chưa viết\n", [f"d.yaml:1:1: {EMPTY}"]),
    ("document marker only", "---\n# x\n", [f"d.yaml:1:1: {EMPTY}"]),
    ("list at top level", "\n- a\n- b\n", ["d.yaml:2:1: " + NOT_MAP.format("một danh sách")]),
    ("scalar at top level", "Kế hoạch\n", ["d.yaml:1:1: " + NOT_MAP.format("một giá trị đơn")]),
    (
        "two documents",
        "so: 1\n---\nso: 2\n",
        [
            "d.yaml:2:1: tệp chứa hơn một tài liệu YAML (tài liệu thứ hai bắt đầu ở đây); mỗi "
            "tệp chỉ được có một tài liệu — hãy bỏ dấu '---' thừa"
        ],
    ),
    (
        "two documents, both explicit",
        "---\nso: 1\n---\nso: 2\n",
        [
            "d.yaml:3:1: tệp chứa hơn một tài liệu YAML (tài liệu thứ hai bắt đầu ở đây); mỗi "
            "tệp chỉ được có một tài liệu — hãy bỏ dấu '---' thừa"
        ],
    ),
    (
        "a list, then a second document",
        "- a\n---\nb: c\n",
        [
            "d.yaml:1:1: " + NOT_MAP.format("một danh sách"),
            "d.yaml:2:1: tệp chứa hơn một tài liệu YAML (tài liệu thứ hai bắt đầu ở đây); mỗi "
            "tệp chỉ được có một tài liệu — hãy bỏ dấu '---' thừa",
        ],
    ),
    (
        "non-scalar keys",
        "[a, b]: x\n? - c\n: y\nz: 1\n",
        [
            "d.yaml:1:1: khóa phải là văn bản đơn giản, không được là danh sách hoặc ánh xạ",
            "d.yaml:2:3: khóa phải là văn bản đơn giản, không được là danh sách hoặc ánh xạ",
        ],
    ),
    (
        "raw \\x0b (Word soft line break)",
        "a: b\nc: x\x0by\n",
        ["d.yaml:2:5: c: " + CTRL.format("U+000B")],
    ),
    (
        "several control characters, each named",
        "a: \x07\nb: x\x00\x1f\n",
        [
            "d.yaml:1:4: a: " + CTRL.format("U+0007"),
            "d.yaml:2:5: b: " + CTRL.format("U+0000"),
            "d.yaml:2:6: b: " + CTRL.format("U+001F"),
        ],
    ),
    (
        "NEL, then a control character: each at the editor's line (not one line off)",
        "a: x\x85\nb: \x1f\n",
        [
            "d.yaml:1:5: a: " + BREAK.format("U+0085 (NEL, xuống dòng kiểu cũ)"),
            "d.yaml:2:4: b: " + CTRL.format("U+001F"),
        ],
    ),
    (
        "U+2028 inside a value, a NUL on the next line",
        "trich_yeu: V/v tổ chức\u2028hội nghị\nngay: 15/01/2024\x00\n",
        [
            "d.yaml:1:23: trich_yeu: " + BREAK.format("U+2028 (LINE SEPARATOR, ngắt dòng vô hình)"),
            "d.yaml:2:17: ngay: " + CTRL.format("U+0000"),
        ],
    ),
    (
        "U+2029 in a block, a BEL below it",
        "noi_dung: |\n  Đoạn một.\u2029Đoạn hai.\n  x\x07\n",
        [
            "d.yaml:2:12: noi_dung: "
            + BREAK.format("U+2029 (PARAGRAPH SEPARATOR, ngắt đoạn vô hình)"),
            "d.yaml:3:4: noi_dung: " + CTRL.format("U+0007"),
        ],
    ),
    (
        "lone surrogate in a str",
        "a: x\ud800\n",
        ["d.yaml:1:5: a: ký tự U+D800 không hợp lệ trong YAML; hãy xóa ký tự này"],
    ),
    (
        "600-deep flow list",
        "a: " + "[" * 600 + "]" * 600 + "\n",
        ["d.yaml:1:23: a[0][0]…[0][0]: lồng quá sâu (hơn 20 cấp danh sách/ánh xạ lồng nhau)"],
    ),
    (
        "300,000 unclosed brackets",
        "a: " + "[" * 300_000,
        ["d.yaml:1:23: a[0][0]…[0][0]: lồng quá sâu (hơn 20 cấp danh sách/ánh xạ lồng nhau)"],
    ),
    (
        "cp1258 bytes",
        b"so: 12\nten: \xd0\xfd\xecc\n",
        ["d.yaml:2:6: " + NOT_UTF8.format(0xD0, 2)],
    ),
    (
        "latin-1 bytes",
        "a: b\n\nx: café\n".encode("latin-1"),
        ["d.yaml:3:7: " + NOT_UTF8.format(0xE9, 3)],
    ),
    (
        "BOM then bad UTF-8",
        codecs.BOM_UTF8 + b"a: \xff\n",
        ["d.yaml:1:4: " + NOT_UTF8.format(0xFF, 1)],
    ),
    (
        "UTF-16 without BOM",
        "so: 12\nten: Đức\n".encode("utf-16-le"),
        ["d.yaml:1:1: tệp có vẻ là UTF-16 không có dấu BOM; hãy lưu lại với bảng mã UTF-8"],
    ),
    (
        "UTF-16 BOM with a truncated body",
        codecs.BOM_UTF16_LE + "a: b".encode("utf-16-le") + b"\x00",
        [
            "d.yaml:1:1: tệp có dấu BOM UTF-16 nhưng nội dung bị hỏng (từ byte thứ 10); "
            "hãy lưu lại với bảng mã UTF-8"
        ],
    ),
    (
        "many problems in one pass, sorted by position",
        "a: !!int 1\nb: *x\nc: 1\nc: 2\n",
        [
            "d.yaml:1:4: a: " + TAG.format("!!int"),
            "d.yaml:2:4: b: " + ALIAS.format("*x"),
            "d.yaml:4:1: khóa 'c' bị lặp (đã có ở dòng 3)",
        ],
    ),
]


@pytest.mark.parametrize(
    ("content", "expected"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES]
)
def test_failure_messages(content: str | bytes, expected: list[str]) -> None:
    assert issues_of(content) == expected


def test_reader_error_offset_becomes_line_col(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the pre-scan, the YAML reader's own error (a character offset for PyYAML, a UTF-8
    # byte offset for libyaml) must still come out as line:col with the character named.
    monkeypatch.setattr(source, "_prescan", lambda *args: [])
    assert issues_of("địa_chỉ: Hà Nội\nđ: x\x0by\n") == ["d.yaml:2:5: " + CTRL.format("U+000B")]


def test_tabs_are_capped_at_twenty_with_a_summary() -> None:
    got = issues_of("a: 1\n" + "\tb\n" * 25)
    assert got[:20] == [f"d.yaml:{n}:1: a: {TAB}" for n in range(2, 22)]
    assert got[20:] == ["d.yaml:22:1: a: còn 5 dòng khác cũng có ký tự tab"]


def test_too_many_nodes(backend: type) -> None:
    if backend is yaml.BaseLoader:
        pytest.skip("slow with the pure-Python scanner; same event logic as libyaml")
    got = issues_of("a: [" + "x," * 50_001 + "]\n")
    assert got == [
        "d.yaml:1:99999: a[49996]: tệp có quá nhiều phần tử (hơn 50.000); hãy chia nhỏ tệp"
    ]


def test_oversized_file(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * 1_100_000 + b"\n")
    with pytest.raises(SourceError) as info:
        load_yaml(big, label="big.yaml")
    assert [str(i) for i in info.value.issues] == [
        "big.yaml:1:1: tệp quá lớn (1.100.004 byte); giới hạn là 1 MB (1.048.576 byte)"
    ]
    assert issues_of("a: " + "ư" * 600_000) == [
        "d.yaml:1:1: tệp quá lớn (1.200.003 byte); giới hạn là 1 MB (1.048.576 byte)"
    ]


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        load_yaml(tmp_path / "khong-co.yaml", label="khong-co.yaml")
    assert str(info.value.issues[0]) == "khong-co.yaml:1:1: không tìm thấy tệp"
    with pytest.raises(SourceError) as info:
        load_yaml(tmp_path, label="thu-muc")
    assert str(info.value.issues[0]) == "thu-muc:1:1: đây là thư mục, không phải tệp"


def test_source_error_text_is_compiler_style() -> None:
    with pytest.raises(SourceError) as info:
        load_yaml_text("a: 1\na: 2\n", label="directives/x.yaml")
    assert info.value.format() == (
        "directives/x.yaml:2:1: khóa 'a' bị lặp (đã có ở dòng 1)\nCó 1 lỗi; không tệp nào được ghi."
    )


# --- what loads ---------------------------------------------------------------------------------


def test_scalars_stay_exactly_as_typed() -> None:
    text = (
        "a: NO\nb: off\nc: yes\nd: 010\ne: 0777\nf: 02437562345\ng: 14:30\nh: 1:30:00\n"
        "i: 2024-01-15\nj: 2025-02-31\nk: 2024-01-15 08:30:00\nl: 1.234\nm: 1.10\nn: 1e3\n"
        "o: ~\np: null\nq:\nr: ''\ns: '010'\nt: 2024-01-15T25:00:00\n"
    )
    assert load_yaml_text(text, label="d.yaml").data == {
        "a": "NO",
        "b": "off",
        "c": "yes",
        "d": "010",
        "e": "0777",
        "f": "02437562345",
        "g": "14:30",
        "h": "1:30:00",
        "i": "2024-01-15",
        "j": "2025-02-31",
        "k": "2024-01-15 08:30:00",
        "l": "1.234",
        "m": "1.10",
        "n": "1e3",
        "o": "~",
        "p": "null",
        "q": "",
        "r": "",
        "s": "010",
        "t": "2024-01-15T25:00:00",
    }


def test_keys_are_strings_too() -> None:
    data = load_yaml_text("1: a\nyes: b\n~: c\n2024-01-15: d\n", label="d.yaml").data
    assert data == {"1": "a", "yes": "b", "~": "c", "2024-01-15": "d"}


def test_nfd_becomes_nfc() -> None:
    text = unicodedata.normalize("NFD", "người_ký: Nguyễn Văn Đức\nnơi_nhận: [Ủy ban]\n")
    src = load_yaml_text(text, label="d.yaml")
    assert src.data == {"người_ký": "Nguyễn Văn Đức", "nơi_nhận": ["Ủy ban"]}
    for value in (*src.data, src.data["người_ký"], src.data["nơi_nhận"][0]):
        assert unicodedata.is_normalized("NFC", value)
    assert ("người_ký",) in src.key_locations


def test_block_scalars_and_quotes_keep_text() -> None:
    text = 'a: |\n  Dòng 1\n  Dòng 2\nb: >-\n  gấp\n  dòng\nc: "x: y # z"\nd: Số 12 #ghi chú\n'
    assert load_yaml_text(text, label="d.yaml").data == {
        "a": "Dòng 1\nDòng 2\n",
        "b": "gấp dòng",
        "c": "x: y # z",
        "d": "Số 12",
    }


NESTED = """\
so: 12
nguoi_ky:
  ten: Nguyễn Văn A
  chuc_vu: Chủ tịch
noi_nhan:
  - Như trên;
  - Lưu: VT, VP.
  -   ten: Sở Tài chính
      dia_chi: [Hà Nội, {tinh: Hà Tĩnh}]
trong: {}
"""


def test_locations_of_nested_values() -> None:
    src = load_yaml_text(NESTED, label="d.yaml")
    assert src.data["noi_nhan"][1] == {"Lưu": "VT, VP."}  # the validator decides
    f = "d.yaml"
    expected_values = {
        (): (1, 1),
        ("so",): (1, 5),
        ("nguoi_ky",): (3, 3),
        ("nguoi_ky", "ten"): (3, 8),
        ("nguoi_ky", "chuc_vu"): (4, 12),
        ("noi_nhan",): (6, 3),
        ("noi_nhan", 0): (6, 5),
        ("noi_nhan", 1): (7, 5),
        ("noi_nhan", 1, "Lưu"): (7, 10),
        ("noi_nhan", 2): (8, 7),
        ("noi_nhan", 2, "ten"): (8, 12),
        ("noi_nhan", 2, "dia_chi"): (9, 16),
        ("noi_nhan", 2, "dia_chi", 0): (9, 17),
        ("noi_nhan", 2, "dia_chi", 1): (9, 25),
        ("noi_nhan", 2, "dia_chi", 1, "tinh"): (9, 32),
        ("trong",): (10, 8),
    }
    assert dict(src.locations) == {p: Location(f, *lc) for p, lc in expected_values.items()}
    expected_keys = {
        ("so",): (1, 1),
        ("nguoi_ky",): (2, 1),
        ("nguoi_ky", "ten"): (3, 3),
        ("nguoi_ky", "chuc_vu"): (4, 3),
        ("noi_nhan",): (5, 1),
        ("noi_nhan", 1, "Lưu"): (7, 5),
        ("noi_nhan", 2, "ten"): (8, 7),
        ("noi_nhan", 2, "dia_chi"): (9, 7),
        ("noi_nhan", 2, "dia_chi", 1, "tinh"): (9, 26),
        ("trong",): (10, 1),
    }
    assert dict(src.key_locations) == {p: Location(f, *lc) for p, lc in expected_keys.items()}


def test_loc_falls_back_to_ancestor_then_start() -> None:
    src = load_yaml_text(NESTED, label="d.yaml")
    assert src.loc(("noi_nhan", 7, "ten")) == Location("d.yaml", 6, 3)
    assert src.loc(("khong_co",)) == Location("d.yaml", 1, 1)
    assert src.key_loc(("nguoi_ky", "ten")) == Location("d.yaml", 3, 3)
    assert src.key_loc(("noi_nhan", 0)) == Location("d.yaml", 6, 5)  # no key: value location
    assert Source("x.yaml", {}, {}, {}).loc(("a", 0)) == Location("x.yaml", 1, 1)


def test_locations_count_code_points_and_yaml_line_breaks() -> None:
    src = load_yaml_text("ủy_ban: x\r\nđịa_chỉ: [ỹ, ăâ]\rz: 😀 a\n", label="d.yaml")
    assert src.loc(("địa_chỉ", 1)) == Location("d.yaml", 2, 14)
    assert src.loc(("z",)) == Location("d.yaml", 3, 4)
    assert src.data["z"] == "😀 a"


@pytest.mark.parametrize(
    "raw",
    [
        codecs.BOM_UTF8 + "so: 12\nten: Đức\n".encode(),
        codecs.BOM_UTF16_LE + "so: 12\nten: Đức\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "so: 12\nten: Đức\n".encode("utf-16-be"),
        codecs.BOM_UTF32_LE + "so: 12\nten: Đức\n".encode("utf-32-le"),
        "\ufeffso: 12\nten: Đức\n",
    ],
    ids=["utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "str-with-bom"],
)
def test_bom_files_load(raw: str | bytes, tmp_path: Path) -> None:
    src = load_yaml_text(raw, label="d.yaml")
    assert src.data == {"so": "12", "ten": "Đức"}
    assert src.loc(("ten",)) == Location("d.yaml", 2, 6)
    if isinstance(raw, bytes):
        path = tmp_path / "vb.yaml"
        path.write_bytes(raw)
        from_file = load_yaml(path)
        assert from_file.file == str(path)
        assert from_file.data == src.data
        assert from_file.loc(("so",)) == Location(str(path), 1, 5)


def test_fixture_file_roundtrip(tmp_path: Path) -> None:
    path = tmp_path / "thang-03.yaml"
    path.write_text(NESTED, encoding="utf-8")
    src = load_yaml(path, label="directives/thang-03.yaml")
    assert src.file == "directives/thang-03.yaml"
    assert src.loc(("nguoi_ky", "ten")) == Location("directives/thang-03.yaml", 3, 8)


def test_mappings_are_read_only() -> None:
    src = load_yaml_text("a: b\n", label="d.yaml")
    with pytest.raises(TypeError):
        src.locations[("x",)] = Location("d.yaml")  # type: ignore[index]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), ""),
        (("so",), "so"),
        (("noi_nhan", 2, "ten"), "noi_nhan[2].ten"),
        ((0, "a"), "[0].a"),
        (("a", 0, 1), "a[0][1]"),
    ],
)
def test_path_str(path: tuple[str | int, ...], text: str) -> None:
    assert path_str(path) == text


# --- nothing else escapes ------------------------------------------------------------------------

_YAML_ALPHABET = [
    *"ab:- \n\t[]{},#&*!|>'\"?%@`~.\\0",
    *("\x0b", "\x00", "\x85", "\u2028", "Đ", "\ufeff", "\udc80"),
]
_RANDOM = random.Random(20240115)
_SNIPPETS = ["".join(_RANDOM.choices(_YAML_ALPHABET, k=_RANDOM.randint(0, 40))) for _ in range(400)]


def test_only_source_or_source_error() -> None:
    # Seeded random YAML-ish text, once per back end (autouse fixture). Anything raised other
    # than SourceError fails the test; every issue has a real position.
    for text in _SNIPPETS:
        try:
            result = load_yaml_text(text, label="f.yaml")
        except SourceError as exc:
            assert exc.issues, text
            assert all(i.location.line >= 1 and i.location.col >= 1 for i in exc.issues), text
        else:
            assert isinstance(result.data, dict), text


# --- our depth limit speaks before any parser's own ----------------------------------------------

DEEP = "lồng quá sâu (hơn 20 cấp danh sách/ánh xạ lồng nhau)"


class _StrictScannerLoader(yaml.BaseLoader):
    """A stand-in for a stricter future parser: the scanner refuses flow level 26 (in English)."""

    def fetch_flow_collection_start(self, TokenClass):  # type: ignore[no-untyped-def]
        if self.flow_level >= 25:
            raise yaml.scanner.ScannerError(
                None, None, "exceeded maximum nesting depth", self.get_mark()
            )
        super().fetch_flow_collection_start(TokenClass)


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("a: " + "[" * 3000, "1:23: a[0][0]…[0][0]"),
        ("a: " + "{x: " * 3000, "1:80: a.x.x…x.x"),
        ("a: " + "[x, " * 3000, "1:80: a[1][1]…[1][1]"),
        ("a:\n  b:\n    c: " + "[" * 3000, "3:25: a.b.c…[0][0]"),
        ("- " + '["x", ' * 3000, "1:117: [0][1][1]…[1][1]"),
        ('a: ["]]]]", ' + "[" * 3000, "1:31: a[1][0]…[0][0]"),
        ("a: [ # ]]]]\n  " + "[" * 3000, "2:21: a[0][0]…[0][0]"),
    ],
)
def test_depth_limit_independent_of_the_parser(content: str, where: str) -> None:
    # Whatever the parser's own limit and however far it looks ahead, the message is ours,
    # with the path of the collection that holds the one too many (its middle elided).
    expected = [f"d.yaml:{where}: {DEEP}"]
    assert issues_of(content) == expected
    saved = source._LOADER
    source._LOADER = _StrictScannerLoader
    try:
        assert issues_of(content) == expected
    finally:
        source._LOADER = saved


@pytest.mark.parametrize(
    "content",
    [
        "a: |\n  " + "[" * 3000 + "\n",
        "a: '" + "[" * 3000 + "'\n",
        'a: "' + "{" * 3000 + '"\n',
        "# " + "[" * 3000 + "\na: b\n",
        "a: V/v [dự thảo] " + "[" * 3000 + "\n",
        "a: [" + "x, " * 100 + "]\n" + "".join(f"b{n}: [c]\n" for n in range(40)),
    ],
)
def test_brackets_in_text_are_not_nesting(content: str) -> None:
    load_yaml_text(content, label="d.yaml")


_YAML_PIECES = ["[", "{", "]", "}", ", ", "a", ": ", "\n", "  ", "- ", '"', "'", "#", "|", " "]


def test_prescan_never_misses_an_opener_the_parser_nests() -> None:
    # The pre-scan may count too much, never too little: wherever the pure-Python parser
    # opens flow level MAX_DEPTH, the pre-scan has flagged an offset at or before it (block
    # levels come as events before any look-ahead, so the builder counts those itself).
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(st.lists(st.sampled_from(_YAML_PIECES), max_size=80), st.integers(20, 40))
    def check(pieces: list[str], n: int) -> None:
        text = "".join(pieces) + "[" * n
        loader = yaml.BaseLoader(text)
        flows: list[bool] = []
        deepest = None
        try:
            while loader.check_event():
                event = loader.get_event()
                if isinstance(event, yaml.CollectionStartEvent):
                    flows.append(bool(event.flow_style))
                    if sum(flows) >= source.MAX_DEPTH and deepest is None:
                        deepest = event.start_mark.index
                elif isinstance(event, yaml.CollectionEndEvent):
                    flows.pop()
        except yaml.YAMLError:
            pass
        if deepest is not None:
            flagged = source._deep_flow_offset(text)
            assert flagged is not None and flagged <= deepest

    check()


# --- what YAML would drop or hide, found with its place (Source.review decides) -----------------


def test_findings_of_nulls_cut_comments_and_invisible_characters() -> None:
    text = (
        "trich_yeu: Số 12 #quan trọng\n"
        "ghi_chu: Ban  # chú thích viết đúng cách\n"
        "noi_nhan: [Như trên, ~, Lưu #VT\n  ]\n"
        "dia_danh: 'null'\n"
        "ten\u200b: x\n"
        "noi_dung: |\n"
        "  Một\u00ad hai\n"
    )
    src = load_yaml_text(text, label="d.yaml")
    assert src.data["noi_nhan"] == ["Như trên", "~", "Lưu"]  # as YAML reads it, untouched
    got = [(f.kind, path_str(f.path), f.location.line, f.location.col) for f in src.findings]
    assert got == [
        ("comment", "trich_yeu", 1, 18),
        ("null", "noi_nhan[1]", 3, 22),
        ("comment", "noi_nhan[2]", 3, 29),
        ("key", "ten\u200b", 6, 4),
        ("invisible", "noi_dung", 8, 6),
    ]
    cleaned, issues = src.review()
    assert cleaned.data["noi_dung"] == "Một hai\n"
    assert cleaned.blocks[("noi_dung",)].text == "Một hai"
    assert src.data["noi_dung"] == "Một\u00ad hai\n"  # the loaded source is left as it was
    assert [(i.location.line, i.is_error) for i in issues] == [
        (1, False),
        (3, True),
        (3, False),
        (6, True),
        (8, False),
    ]
