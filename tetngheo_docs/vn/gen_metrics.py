"""Generate liberation_serif_widths.json (advance widths) with fontTools; a developer tool."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

from tetngheo_docs.vn.metrics import base_width

STYLES = {
    "regular": "Regular",
    "bold": "Bold",
    "italic": "Italic",
    "bold_italic": "BoldItalic",
}
# Liberation Serif 2.x covers Vietnamese; 1.07 (Debian "fonts-liberation") lacks ơ, ư and
# U+1EA0–U+1EF9, whose widths then have to be derived (see `derive`).
FONT_DIRS = (
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
)
OUTPUT = Path(__file__).with_name("liberation_serif_widths.json")

TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
COMBINING = (0x0300, 0x0301, 0x0302, 0x0303, 0x0306, 0x0309, 0x031B, 0x0323)
PUNCTUATION = "“”‘’–—…•‚„‹›€₫‰′″‐−"  # U+2011 is not in Liberation Serif 2.1.5


def codepoints() -> list[int]:
    """Every codepoint the table covers, sorted."""
    cps: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    cps |= set(range(0x1EA0, 0x1EFA))
    for base in "aăâeêioôơuưy":
        for tone in TONES:
            for letter in (base, base.upper()):
                composed = unicodedata.normalize("NFC", letter + tone)
                if len(composed) == 1:
                    cps.add(ord(composed))
    cps |= {ord("đ"), ord("Đ")}
    cps |= set(COMBINING)
    cps |= {ord(c) for c in PUNCTUATION}
    return sorted(cps)


def derive(cp: int, widths: dict[int, int]) -> int | None:
    """Width of a codepoint the font lacks, from a character it has.

    Combining marks take no advance. A Vietnamese letter takes the width of the letter
    with its tone mark removed (Times New Roman and Liberation Serif 2.x draw every toned
    letter on its base's advance), then of its bare base letter.
    """
    ch = chr(cp)
    if unicodedata.combining(ch):
        return 0
    return base_width(ch, widths)


def _fc_match(style: str) -> Path | None:
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", f"Liberation Serif:style={style}"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out) if out and "LiberationSerif" in out else None


def find_fonts(font_dir: Path | None) -> dict[str, Path]:
    """Paths of the four Liberation Serif styles."""
    dirs = [font_dir] if font_dir else [Path(d) for d in FONT_DIRS]
    for d in dirs:
        paths = {key: d / f"LiberationSerif-{name}.ttf" for key, name in STYLES.items()}
        if all(p.is_file() for p in paths.values()):
            return paths
    if font_dir is None:
        found = {
            key: _fc_match(name.replace("BoldItalic", "Bold Italic"))
            for key, name in STYLES.items()
        }
        if all(found.values()):
            return {k: p for k, p in found.items() if p is not None}
    where = font_dir or ", ".join(FONT_DIRS)
    raise SystemExit(f"không tìm thấy đủ 4 kiểu phông Liberation Serif trong {where}")


def measure(path: Path) -> tuple[dict[str, Any], str]:
    """One style's entry for the JSON file, and the font's version string."""
    from fontTools.ttLib import TTFont  # development dependency only

    font = TTFont(str(path), lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    present = {cp: hmtx[cmap[cp]][0] for cp in codepoints() if cp in cmap}
    widths = dict(present)
    derived: list[str] = []
    for cp in codepoints():
        if cp in widths:
            continue
        width = derive(cp, present)
        if width is not None:
            widths[cp] = width
            derived.append(f"{cp:04X}")
    entry = {
        "unitsPerEm": font["head"].unitsPerEm,
        "widths": {f"{cp:04X}": w for cp, w in widths.items()},
        "derived": derived,
    }
    version = str(font["name"].getDebugName(5) or "")
    font.close()
    return entry, version


def build(font_dir: Path | None = None) -> str:
    """The JSON text: one line per style, sorted keys, no timestamps or paths."""
    paths = find_fonts(font_dir)
    styles: dict[str, dict[str, Any]] = {}
    versions = set()
    for key, path in paths.items():
        styles[key], version = measure(path)
        versions.add(version)
        if styles[key]["derived"]:
            print(
                f"cảnh báo: {path.name} thiếu {len(styles[key]['derived'])} ký tự; độ rộng được "
                "suy ra từ chữ cái gốc (nên dùng Liberation Serif 2.x)",
                file=sys.stderr,
            )
    head = {
        "font": "Liberation Serif",
        "font_version": "; ".join(sorted(versions)),
        "generator": "python -m tetngheo_docs.vn.gen_metrics",
        "note": "advance widths in font units, keys are hex codepoints; "
        "'derived' lists codepoints missing from the font, filled from the base letter",
    }
    lines = ["{"]
    for k in sorted(head):
        lines.append(f"{json.dumps(k)}: {json.dumps(head[k], ensure_ascii=False)},")
    lines.append('"styles": {')
    items = sorted(styles.items())
    for i, (key, entry) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        body = json.dumps(entry, sort_keys=True, separators=(",", ":"))
        lines.append(f"{json.dumps(key)}: {body}{comma}")
    lines.append("}")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # sanity check
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tetngheo_docs.vn.gen_metrics",
        description="Ghi bảng độ rộng ký tự Liberation Serif (tương thích Times New Roman).",
    )
    parser.add_argument("--font-dir", type=Path, help="thư mục chứa LiberationSerif-*.ttf")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="tệp JSON ghi ra")
    parser.add_argument(
        "--check", action="store_true", help="chỉ so sánh với tệp hiện có; mã thoát 1 nếu khác"
    )
    args = parser.parse_args(argv)
    text = build(args.font_dir)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.is_file() else ""
        if current != text:
            print(f"{args.output} khác với kết quả sinh lại", file=sys.stderr)
            return 1
        print(f"{args.output}: khớp")
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"đã ghi {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
