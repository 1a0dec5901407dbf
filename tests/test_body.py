"""The body grammar: paragraphs, typed numbering styles, inline emphasis, the closing mark."""

from __future__ import annotations

import pytest

from tetngheo_docs import body
from tetngheo_docs.render.ooxml import Run


def test_paragraphs_split_on_blank_lines_and_join_wrapped_lines() -> None:
    parsed = body.parse("Dòng một\nvẫn đoạn một.\n\n\nĐoạn hai.\n")
    assert [b.text for b in parsed.blocks] == ["Dòng một vẫn đoạn một.", "Đoạn hai."]
    assert [b.line for b in parsed.blocks] == [0, 4]


@pytest.mark.parametrize(
    ("text", "style"),
    [
        ("I. TÌNH HÌNH", "NoiDungMuc"),
        ("IV- NHIỆM VỤ", "NoiDungMuc"),
        ("XII. KẾT LUẬN", "NoiDungMuc"),
        ("1. Các chi bộ", "NoiDungKhoan"),
        ("1.2. Phạm vi", "NoiDungKhoan"),
        ("**2. Các đoàn thể**", "NoiDungKhoan"),
        ("a) Điểm a", "NoiDungDiem"),
        ("đ) Điểm đ", "NoiDungDiem"),
        ("- Gạch đầu dòng", "NoiDungGach"),
        ("+ Ý nhỏ", "NoiDungGach"),
        ("Ít nhất 2024 người tham gia.", "NoiDung"),
        ("Internet và mạng xã hội", "NoiDung"),  # 'I' not followed by '. '
        ("Việt Nam", "NoiDung"),
    ],
)
def test_typed_numbering_selects_style(text: str, style: str) -> None:
    assert body.style_of(text) == style


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("thường", [Run("thường")]),
        ("a **đậm** b", [Run("a "), Run("đậm", bold=True), Run(" b")]),
        ("*nghiêng*", [Run("nghiêng", italic=True)]),
        ("***cả hai***", [Run("cả hai", bold=True, italic=True)]),
        (
            "**đậm *và nghiêng***",
            [Run("đậm ", bold=True), Run("và nghiêng", bold=True, italic=True)],
        ),
        (r"5 \* 3", [Run("5 * 3")]),
        ("“Tuần cao điểm” & <b>", [Run("“Tuần cao điểm” & <b>")]),
    ],
)
def test_inline_emphasis(text: str, runs: list[Run]) -> None:
    got, problems = body.parse_inline(text)
    assert list(got) == runs
    assert problems == []


def test_unclosed_bold_is_located() -> None:
    parsed = body.parse("Đoạn một.\n\nDòng đầu của đoạn hai\nrồi mở **đậm mà không đóng.")
    assert [(p.line, p.col) for p in parsed.problems] == [(3, 7)]
    assert "không đóng" in parsed.problems[0].message


@pytest.mark.parametrize(
    ("last", "ending", "expected"),
    [
        ("trong tháng 01/2024.", "./.", "trong tháng 01/2024./."),
        ("trong tháng 01/2024./.", "./.", "trong tháng 01/2024./."),
        ("phối hợp thực hiện", "./.", "phối hợp thực hiện./."),
        ("phối hợp thực hiện.", ".", "phối hợp thực hiện."),
    ],
)
def test_closing_mark(last: str, ending: str, expected: str) -> None:
    blocks = body.parse(f"Mở đầu.\n\n{last}").blocks
    assert body.close_with(blocks, ending)[-1].text == expected


def test_numbered_and_item_lines_start_their_own_paragraph() -> None:
    # Typed one per line in a block, as a clerk writes a list: each item is its own paragraph
    # (they used to merge into one, "- a - b", without a word).
    parsed = body.parse(
        "Đề nghị các đơn vị:\n"
        "- Rà soát hộ nghèo;\n"
        "- Báo cáo trước ngày 20/01/2024.\n"
        "a) Điểm a;\n"
        "b) Điểm b, viết dài\n"
        "tiếp tục ở dòng sau.\n"
        "1. Khoản một;\n"
        "1.1. Khoản con;\n"
        "II. MỤC HAI\n"
        "+ Ý nhỏ\n"
    )
    assert [(b.text, b.style, b.line) for b in parsed.blocks] == [
        ("Đề nghị các đơn vị:", "NoiDung", 0),
        ("- Rà soát hộ nghèo;", "NoiDungGach", 1),
        ("- Báo cáo trước ngày 20/01/2024.", "NoiDungGach", 2),
        ("a) Điểm a;", "NoiDungDiem", 3),
        ("b) Điểm b, viết dài tiếp tục ở dòng sau.", "NoiDungDiem", 4),
        ("1. Khoản một;", "NoiDungKhoan", 6),
        ("1.1. Khoản con;", "NoiDungKhoan", 7),
        ("II. MỤC HAI", "NoiDungMuc", 8),
        ("+ Ý nhỏ", "NoiDungGach", 9),
    ]


@pytest.mark.parametrize(
    "continuation",
    ["2024 các đơn vị báo cáo.", "1.234 người tham gia.", "(a) theo Điều 5).", "-5 độ C."],
)
def test_lines_that_only_look_numbered_continue_the_paragraph(continuation: str) -> None:
    parsed = body.parse(f"Trong năm\n{continuation}\n- Mục sau.\n")
    assert [b.text for b in parsed.blocks] == [f"Trong năm {continuation}", "- Mục sau."]
