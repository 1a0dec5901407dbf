"""model.build: merging agency file + directive + CLI, parsing values, locating problems."""

from __future__ import annotations

from datetime import date

import pytest

from tetngheo_docs.errors import DirectiveError, Issue
from tetngheo_docs.model import Directive, build
from tetngheo_docs.source import Source, load_yaml_text

PARTY_AGENCY = """\
phien_ban: 1
he_thong: dang
co_quan:
  chu_quan:
    - Đảng bộ tỉnh Thái Nguyên
  ten: Ban Tuyên giáo
  ten_day_du: Ban Tuyên giáo Tỉnh ủy
  viet_tat: BTGTU
dia_danh: Thái Nguyên
nguoi_ky:
  chuc_vu: Trưởng ban
  ho_ten: Nguyễn Văn A
noi_nhan_cuoi:
  - Lưu Văn phòng
"""

STATE_AGENCY = """\
phien_ban: 1
he_thong: nha_nuoc
co_quan:
  chu_quan: UBND tỉnh Thái Nguyên
  ten: Sở Nội vụ
  viet_tat: SNV
dia_danh: Thái Nguyên
don_vi_soan_thao: VP
nguoi_ky:
  quyen_han: KT. Giám đốc
  chuc_vu: Phó Giám đốc
  ho_ten: Trần Văn B
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


def src(text: str, label: str = "cv.yaml") -> Source:
    return load_yaml_text(text, label=label)


def agency(text: str = PARTY_AGENCY) -> Source:
    return src(text, "tetngheo.yaml")


def ok(
    directive: str = DIRECTIVE,
    agency_text: str | None = PARTY_AGENCY,
    overrides: dict[str, str | None] | None = None,
) -> Directive:
    d, warnings = build(
        src(directive), agency(agency_text) if agency_text is not None else None, overrides
    )
    assert [i for i in warnings if i.is_error] == []
    return d


def errors(
    directive: str = DIRECTIVE,
    agency_text: str | None = PARTY_AGENCY,
    overrides: dict[str, str | None] | None = None,
) -> list[Issue]:
    with pytest.raises(DirectiveError) as info:
        build(src(directive), agency(agency_text) if agency_text is not None else None, overrides)
    return info.value.issues


def with_lines(text: str, **replace: str) -> str:
    """The directive with top-level `key: value` lines replaced (or appended)."""
    lines = text.splitlines()
    for key, value in replace.items():
        new = f"{key}: {value}"
        for i, line in enumerate(lines):
            if line.startswith(f"{key}:"):
                lines[i] = new
                break
        else:
            lines.append(new)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- precedence


def test_agency_fills_what_the_directive_omits() -> None:
    d = ok()
    assert d.he_thong == "dang"
    assert d.co_quan.chu_quan == ["Đảng bộ tỉnh Thái Nguyên"]
    assert d.co_quan.ten == ["Ban Tuyên giáo"]
    assert d.dia_danh == "Thái Nguyên"
    assert d.nguoi_ky.ho_ten == "Nguyễn Văn A"
    assert d.noi_nhan_cuoi == ["Lưu Văn phòng"]


def test_defaults_apply_when_no_source_sets_a_field() -> None:
    d = ok(with_lines(DIRECTIVE).replace("so: 12\n", "").replace("phien_ban: 1\n", ""))
    assert d.so is None
    assert d.phien_ban == "1"
    assert d.the_thuc == ""
    assert d.nguoi_ky.quyen_han == []


def test_directive_beats_agency() -> None:
    d = ok(with_lines(DIRECTIVE, dia_danh="Hà Nội"))
    assert d.dia_danh == "Hà Nội"


def test_cli_override_beats_directive() -> None:
    d = ok(overrides={"so": "7", "ngay": "01/03/2024"})
    assert d.so == 7
    assert d.ngay == date(2024, 3, 1)


def test_cli_option_not_given_leaves_directive_value() -> None:
    d = ok(overrides={"so": None, "ngay": None})
    assert d.so == 12
    assert d.ngay == date(2024, 1, 15)


def test_nested_mapping_is_merged_field_by_field() -> None:
    directive = DIRECTIVE + "co_quan:\n  viet_tat: BTGDUK\n"
    d = ok(directive)
    assert d.co_quan.viet_tat == "BTGDUK"
    # The rest of co_quan still comes from the agency file.
    assert d.co_quan.ten == ["Ban Tuyên giáo"]
    assert d.co_quan.chu_quan == ["Đảng bộ tỉnh Thái Nguyên"]
    assert d.co_quan.ten_day_du == "Ban Tuyên giáo Tỉnh ủy"
    assert d.nguoi_ky.chuc_vu == ["Trưởng ban"]
    assert d.ky_hieu == "CV/BTGDUK"


def test_a_directive_signer_replaces_the_agency_signer_whole() -> None:
    # The deputy signs this one: merged field by field, the agency's "Trưởng ban" stayed
    # under "K/T TRƯỞNG BAN" — the head signing for himself.
    deputy = "nguoi_ky:\n  quyen_han: K/T Trưởng ban\n  ho_ten: Lê Thị C\n"
    (issue,) = errors(DIRECTIVE + deputy)
    assert (str(issue.location), issue.path) == ("cv.yaml:12:1", "nguoi_ky.chuc_vu")
    assert issue.message.startswith("thiếu mục bắt buộc ('nguoi_ky' trong văn bản thay toàn bộ")
    d = ok(DIRECTIVE + deputy + "  chuc_vu: Phó Trưởng ban\n")
    assert (d.nguoi_ky.quyen_han, d.nguoi_ky.chuc_vu) == (["K/T Trưởng ban"], ["Phó Trưởng ban"])
    assert ok(DIRECTIVE + "nguoi_ky:\n  chuc_vu: Trưởng ban\n  ho_ten: Lê Thị C\n").nguoi_ky.ho_ten


@pytest.mark.parametrize(
    ("signer", "expected"),
    [
        (
            "  quyen_han: K/T Trưởng ban\n  chuc_vu: TRƯỞNG BAN\n",
            "'K/T Trưởng ban' là ký thay/thừa lệnh cho chức vụ 'TRƯỞNG BAN', nhưng chức vụ của "
            "người ký cũng là 'TRƯỞNG BAN'",
        ),
        (
            "  quyen_han: T/L Ban Thường vụ\n  chuc_vu: Ban  thường vụ\n",
            "chức vụ 'BAN THƯỜNG VỤ'",
        ),
        (
            "  quyen_han: [T/M Ban Thường vụ, K/T Bí thư]\n  chuc_vu: Phó Bí thư\n",
            "văn bản của tập thể cấp ủy (T/M) không ký K/T",
        ),
    ],
)
def test_check_refuses_an_authority_that_contradicts_the_title(signer: str, expected: str) -> None:
    issues = errors(DIRECTIVE + "nguoi_ky:\n" + signer + "  ho_ten: Lê Thị C\n")
    assert [i.path for i in issues] == [
        "nguoi_ky.quyen_han" + ("[1]" if "T/M" in signer else "[0]")
    ]
    assert expected in issues[0].message


def test_a_deputy_prefix_over_a_non_deputy_title_is_a_warning() -> None:
    signer = "nguoi_ky:\n  quyen_han: K/T Trưởng ban\n  chuc_vu: Ủy viên\n  ho_ten: Lê C\n"
    _, warnings = build(src(DIRECTIVE + signer), agency(PARTY_AGENCY), None)
    assert any("dùng khi cấp phó ký thay cấp trưởng" in w.message for w in warnings)


def test_a_list_in_the_directive_replaces_the_agency_list() -> None:
    d = ok(DIRECTIVE + "noi_nhan_cuoi:\n  - Lưu VT\n")
    assert d.noi_nhan_cuoi == ["Lưu VT"]


def test_cli_override_is_located_on_the_command_line() -> None:
    issues = errors(overrides={"so": "abc"})
    assert [(str(i.location), i.path) for i in issues] == [("<dòng lệnh --so>:1:1", "so")]
    assert "'abc'" in issues[0].message


# --------------------------------------------------------------------------- symbol


def test_party_symbol_is_cv_slash_abbreviation() -> None:
    assert ok().ky_hieu == "CV/BTGTU"


def test_state_symbol_is_abbreviation_dash_drafting_unit() -> None:
    assert ok(agency_text=STATE_AGENCY).ky_hieu == "SNV-VP"


def test_state_drafting_unit_from_directive_wins() -> None:
    d = ok(with_lines(DIRECTIVE, don_vi_soan_thao="TCCB"), agency_text=STATE_AGENCY)
    assert d.ky_hieu == "SNV-TCCB"


@pytest.mark.parametrize(
    ("agency_text", "symbol"),
    [(PARTY_AGENCY, "CV/BTCTU-BDVTU"), (STATE_AGENCY, "UBND-VX")],
    ids=["dang", "nha_nuoc"],
)
def test_explicit_symbol_is_kept(agency_text: str, symbol: str) -> None:
    d = ok(with_lines(DIRECTIVE, ky_hieu=symbol), agency_text=agency_text)
    assert d.ky_hieu == symbol


# --------------------------------------------------------------------------- values as typed


def test_one_key_mapping_list_item_is_read_as_text() -> None:
    # `- Lưu: VT, VX.` is a one-key mapping in YAML; the user meant the line of text.
    d = ok(DIRECTIVE + "noi_nhan_cuoi:\n  - Lưu: VT, VX.\n")
    assert d.noi_nhan_cuoi == ["Lưu: VT, VX."]


def test_norway_values_stay_text() -> None:
    d = ok(with_lines(DIRECTIVE, trich_yeu="NO"))
    assert d.trich_yeu == "NO"


def test_number_with_leading_zero_is_decimal() -> None:
    assert ok(with_lines(DIRECTIVE, so="010")).so == 10  # not octal 8


def test_iso_date_is_parsed() -> None:
    assert ok(with_lines(DIRECTIVE, ngay="2024-02-05")).ngay == date(2024, 2, 5)


def test_one_line_where_a_list_is_expected() -> None:
    directive = DIRECTIVE.replace(
        "kinh_gui:\n  - Các chi bộ, đảng ủy cơ sở\n", "kinh_gui: Bộ Nội vụ\n"
    )
    directive = directive.replace("noi_nhan:\n  - Như trên\n", "noi_nhan: Như trên\n")
    d = ok(directive)
    assert d.kinh_gui == ["Bộ Nội vụ"]
    assert d.noi_nhan == ["Như trên"]


def test_one_line_fields_have_spaces_collapsed() -> None:
    d = ok(with_lines(DIRECTIVE, trich_yeu='"V/v   triển khai  "'))
    assert d.trich_yeu == "V/v triển khai"


def test_body_is_parsed_into_blocks() -> None:
    directive = DIRECTIVE.replace(
        "  Đề nghị các chi bộ triển khai thực hiện.\n",
        "  Mở đầu\n  tiếp tục.\n\n  **1. Nhiệm vụ**\n",
    )
    d = ok(directive)
    assert [b.text for b in d.blocks] == ["Mở đầu tiếp tục.", "1. Nhiệm vụ"]
    assert d.blocks[1].style == "NoiDungKhoan"


# --------------------------------------------------------------------------- locations


def test_unknown_key_in_agency_file_is_located_there() -> None:
    issues = errors(agency_text=PARTY_AGENCY + "dia_dnh: Hà Nội\n")
    assert [(str(i.location), i.path) for i in issues] == [("tetngheo.yaml:15:1", "dia_dnh")]
    assert issues[0].message == (
        "khóa 'dia_dnh' không dùng trong tệp cơ quan; có phải ý bạn là 'dia_danh'?"
    )


def test_directive_only_key_in_agency_file_is_refused_and_not_used() -> None:
    issues = errors(agency_text=PARTY_AGENCY + "so: 5\n")
    assert [(str(i.location), i.path) for i in issues] == [("tetngheo.yaml:15:1", "so")]


def test_bad_agency_value_is_located_in_the_agency_file() -> None:
    issues = errors(agency_text=PARTY_AGENCY.replace("ho_ten: Nguyễn Văn A", 'ho_ten: ""'))
    assert [(str(i.location), i.path) for i in issues] == [
        ("tetngheo.yaml:12:11", "nguoi_ky.ho_ten")
    ]
    assert issues[0].message == "không được để trống"


def test_bad_directive_value_is_located_in_the_directive() -> None:
    issues = errors(with_lines(DIRECTIVE, ngay="31/02/2024"))
    assert [(str(i.location), i.path) for i in issues] == [("cv.yaml:4:7", "ngay")]


def test_overridden_nested_value_is_located_where_it_was_written() -> None:
    # co_quan.viet_tat comes from the directive (bad symbol), the rest from the agency file.
    issues = errors(DIRECTIVE + "co_quan:\n  viet_tat: btg\n")
    assert [(str(i.location), i.path) for i in issues] == [("cv.yaml:13:13", "co_quan.viet_tat")]
    # ... while a problem in the part the agency file supplied points into the agency file.
    issues = errors(
        DIRECTIVE + "co_quan:\n  viet_tat: BTGDUK\n",
        PARTY_AGENCY.replace("  ten: Ban Tuyên giáo", "  ten: [Ban Tuyên giáo, {a: b, c: d}]"),
    )
    assert [(str(i.location), i.path) for i in issues] == [("tetngheo.yaml:6:25", "co_quan.ten[1]")]


def test_unknown_nested_key_is_located_at_the_key() -> None:
    issues = errors(DIRECTIVE + "co_quan:\n  viet_tatt: BTGDUK\n")
    assert [(str(i.location), i.path) for i in issues] == [("cv.yaml:13:3", "co_quan.viet_tatt")]
    assert issues[0].message.endswith("có phải ý bạn là 'viet_tat'?")


def test_missing_field_without_agency_file_is_reported_per_field() -> None:
    issues = errors(agency_text=None)
    assert {i.path for i in issues} >= {"he_thong", "co_quan", "dia_danh", "nguoi_ky"}
    assert all(i.message == "thiếu mục bắt buộc" for i in issues if i.path)
    assert all(i.location.file == "cv.yaml" for i in issues)
    # One extra line says why: no agency file was found.
    (hint,) = [i for i in issues if not i.path]
    assert "không thấy tệp cơ quan tetngheo.yaml" in hint.message


def test_body_problem_is_located_inside_the_block() -> None:
    directive = DIRECTIVE.replace(
        "  Đề nghị các chi bộ triển khai thực hiện.\n",
        "  Mở đầu.\n\n  Đề nghị **các chi bộ.\n",
    )
    issues = errors(directive)
    assert [(str(i.location), i.path) for i in issues] == [("cv.yaml:11:11", "noi_dung")]


def test_party_signer_with_state_authority_form() -> None:
    directive = (
        DIRECTIVE
        + "nguoi_ky:\n  quyen_han: KT. Trưởng ban\n  chuc_vu: Phó Trưởng ban\n  ho_ten: Lê C\n"
    )
    issues = errors(directive)
    assert [(str(i.location), i.path) for i in issues] == [
        ("cv.yaml:13:14", "nguoi_ky.quyen_han[0]")
    ]
    assert "'K/T'" in issues[0].message


def test_state_signer_with_party_authority_form() -> None:
    signer = "nguoi_ky:\n  quyen_han: K/T Giám đốc\n  chuc_vu: Phó Giám đốc\n  ho_ten: Lê C\n"
    issues = errors(DIRECTIVE + signer, STATE_AGENCY)
    assert [i.path for i in issues] == ["nguoi_ky.quyen_han[0]"]
    assert "'KT.'" in issues[0].message


# --- what YAML would change or hide is never passed over in silence ------------------------------

NULL_MESSAGE = (
    "'{0}' không viết trong ngoặc là giá trị rỗng (null) của YAML, không phải chữ: hãy ghi nội "
    "dung cần in, hoặc xóa cả dòng nếu không dùng mục này (muốn in đúng chữ đó thì đặt trong "
    'ngoặc kép "{0}")'
)


@pytest.mark.parametrize("token", ["null", "~", "Null", "NULL"])
def test_a_bare_null_place_name_is_an_error_not_the_word_null(token: str) -> None:
    # It used to print "null, ngày 15 tháng 01 năm 2024".
    office = PARTY_AGENCY.replace("dia_danh: Thái Nguyên", f"dia_danh: {token}")
    assert [str(i) for i in errors(agency_text=office)] == [
        "tetngheo.yaml:9:11: dia_danh: " + NULL_MESSAGE.format(token)
    ]


def test_a_null_list_item_is_an_error_and_a_quoted_null_is_text() -> None:
    directive = DIRECTIVE.replace("  - Như trên\n", "  - Như trên\n  - ~\n")
    assert [str(i) for i in errors(directive)] == [
        "cv.yaml:12:5: noi_nhan[1]: " + NULL_MESSAGE.format("~")
    ]
    assert ok(with_lines(DIRECTIVE, dia_chi='"null"')).dia_chi == "null"


def test_text_cut_by_a_hash_is_a_warning_that_says_what_was_cut() -> None:
    directive = with_lines(
        DIRECTIVE, trich_yeu="V/v khắc phục hậu quả bão số 3 #Yagi, hỗ trợ người dân"
    )
    d, warnings = build(src(directive), agency())
    assert d.trich_yeu == "V/v khắc phục hậu quả bão số 3"
    assert [str(w) for w in warnings] == [
        "cv.yaml:5:43: trich_yeu: cảnh báo: phần sau dấu ' #' bị YAML coi là chú thích nên bị "
        'bỏ: "#Yagi, hỗ trợ người dân"; giá trị chỉ còn "V/v khắc phục hậu quả bão số 3". Nếu '
        'đó là nội dung, hãy đặt cả giá trị trong ngoặc kép "…"; nếu là chú thích, hãy cách '
        "hai dấu cách trước '# '"
    ]


def test_a_comment_written_as_one_is_not_a_warning() -> None:
    directive = with_lines(DIRECTIVE, so="12      # số do văn thư cấp")
    _, warnings = build(src(directive), agency())
    assert warnings == []


def test_zero_width_space_in_the_body_is_removed_with_a_warning() -> None:
    directive = DIRECTIVE.replace("triển khai thực hiện", "triển\u200b khai thực hiện")
    d, warnings = build(src(directive), agency())
    assert [str(w) for w in warnings] == [
        "cv.yaml:9:27: noi_dung: cảnh báo: ký tự vô hình U+200B (khoảng trắng độ rộng 0) đã "
        "được bỏ khỏi văn bản in ra; hãy xóa nó trong tệp cho sạch (thường do dán từ web/Word)"
    ]
    assert d.blocks[0].text == "Đề nghị các chi bộ triển khai thực hiện."
    assert "\u200b" not in d.noi_dung


def test_invisible_characters_in_names_and_bidi_overrides_are_refused() -> None:
    office = PARTY_AGENCY.replace("ho_ten: Nguyễn Văn A", "ho_ten: Nguyễn\ufeff Văn A")
    directive = with_lines(DIRECTIVE, trich_yeu="V/v \u202eđộ mật")
    assert [str(i) for i in errors(directive, office)] == [
        "cv.yaml:5:16: trich_yeu: ký tự điều khiển hướng chữ U+202E (ép hướng phải-sang-trái) "
        "làm trình soạn thảo hiện chữ khác thứ tự sẽ in ra; hãy xóa ký tự này (gõ lại đoạn chữ "
        "quanh vị trí này)",
        "tetngheo.yaml:12:17: nguoi_ky.ho_ten: ký tự vô hình U+FEFF (dấu BOM giữa văn bản) "
        "trong tên được in và ghi vào sổ: chương trình không tự xóa ở mục này; hãy xóa ký tự "
        "này (gõ lại chữ quanh vị trí này)",
    ]
