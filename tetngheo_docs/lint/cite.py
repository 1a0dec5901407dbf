"""What `lint` cites: the legal texts a văn thư has on the desk, never our design notes.

The profiles and checks keep their sources in the compact notation of
``spec/format-rules.md`` (``PL-I §II.9.d``, ``HD36 PL3 row 2``, ``format-rules §4 (NFC)``,
confidence marks ``[S]``…). `cite` turns one into what a reader can look up:
``Nghị định 30/2020/NĐ-CP, Phụ lục I, Mục II, khoản 9, điểm d`` or
``Hướng dẫn 36-HD/VPTW, Phụ lục 3, dòng 2``. Our own notes (format-rules, design.md, hazards) are
dropped; a check based only on them cites the legal text it belongs to, or nothing when the
rule is ours (a template tag left in a document is no legal matter).
"""

from __future__ import annotations

import re

ND30 = "Nghị định 30/2020/NĐ-CP"
HD36 = "Hướng dẫn 36-HD/VPTW"

#: Sources that are our notes, per system: what to cite instead ("" = nothing to cite).
_NOTES: dict[str, tuple[str, str]] = {
    # (State, Party)
    "format-rules §1 (Font)": (
        f"{ND30}, Phụ lục I, Mục I, khoản 4; TCVN 6909:2001",
        f"{HD36}; TCVN 6909:2001",
    ),
    "format-rules §4 (NFC), §11.6": ("TCVN 6909:2001", "TCVN 6909:2001"),
    "format-rules §4 (End of content)": (f"{ND30}, Phụ lục III, Mẫu 1.4, 1.5", HD36),
    "format-rules §2/§3 (ô 5a, ô 5b)": (
        f"{ND30}, Phụ lục I, Mục II, khoản 5",
        f"{HD36}, Phụ lục 1, ô 5a, 5b",
    ),
    "format-rules §2/§3": (f"{ND30}, Điều 8; Phụ lục I, Mục II", f"{HD36}, Mục II"),
    "design.md (đánh số gõ tay, không dùng đánh số tự động của Word)": (
        f"{ND30}, Phụ lục III (các mẫu trình bày)",
        HD36,
    ),
    "design.md (thẻ mẫu, trường của từng nơi nhận phải được điền hết)": ("", ""),
}
_OURS = re.compile(r"format-rules|design\.md|hazards|aesthetics|anchors|seed", re.IGNORECASE)
_MARK = re.compile(r"\[(?P<tag>[PSI])\b\s*(?P<ref>[^\]]*)\]")
_PAREN = re.compile(r"\s*\(([^)]*)\)")
_SECTION = re.compile(r"§\s*([IVX]+)((?:\.[0-9a-zđ–-]+)*)")


def _section(text: str, *, party: bool = False) -> str:
    """``§II.9.d`` → ``Mục II, khoản 9, điểm d`` (ND30 Phụ lục I, Phần I); with ``party``,
    HD36's own numbering: ``§II.1.1.2`` → ``Mục II, tiểu mục 1, điểm 1.1.2``."""
    m = _SECTION.search(text)
    if not m:
        return ""
    parts = [p for p in m[2].split(".") if p]
    out = [f"Mục {m[1]}"]
    if parts:
        out.append(f"{'tiểu mục' if party else 'khoản'} {parts[0]}")
    if len(parts) > 1:
        out.append(f"điểm {'.'.join(parts) if party else parts[1]}")
    return ", ".join(out)


def _piece(text: str, document: str) -> tuple[str, str]:
    """One ``;``-separated piece: (citation, the document it belongs to, for the next)."""
    text = text.strip()
    if not text or _OURS.search(text):
        return "", document
    note = ""
    for m in _PAREN.finditer(text):
        if m[1].strip() == "chú thích":  # ND30 PL-I §V footnote
            note = ", chú thích"
    bare = _PAREN.sub("", text).strip()
    if bare.startswith(("HD36", "HD05")):
        document, bare = HD36, bare[4:].strip()
    elif bare.startswith("ND30"):
        document, bare = ND30, bare[4:].strip()
    elif bare.startswith(("PL-I", "PL-III", "Mẫu")):
        document = ND30
    if bare.startswith("PL-III"):
        rest = bare[6:].strip()
        where = "Phụ lục III" + (f", {rest}" if rest.startswith("Mẫu") else "")
        return f"{ND30}, {where}", ND30
    if bare.startswith("Mẫu"):
        return f"{ND30}, Phụ lục III, {bare}", ND30
    if bare.startswith("PL-I"):
        section = _section(bare)
        row = re.search(r"row\s*(\w+)", bare)
        extra = f", dòng {row[1]}" if row else ""
        return f"{ND30}, Phụ lục I" + (f", {section}" if section else "") + extra + note, ND30
    if document == ND30 and re.match(r"Đ\s*\d+", bare):
        return f"{ND30}, Điều {bare[1:].strip()}", ND30
    if not document:
        return "", document
    if bare.startswith("PL"):
        number = re.match(r"PL\s*(\d+)", bare)
        row = re.search(r"row\s*(\d+)", bare)
        named = re.search(r"'([^']+)'", bare)
        where = f"Phụ lục {number[1]}" if number else "Phụ lục"
        if row:
            where += f", dòng {row[1]}"
        elif named:
            where += f", mục “{named[1]}”"
        return f"{document}, {where}", document
    if bare.startswith("ô"):
        return f"{document}, Phụ lục 1, {bare}", document
    if bare.startswith("§"):
        section = _section(bare, party=document == HD36)
        return f"{document}, {section}", document
    if not bare:
        return document, document
    return "", document


def cite(source: str, *, party: bool) -> str:
    """The legal references in ``source`` (a profile's or a check's), as a reader finds them."""
    source = source.strip()
    if source in _NOTES:
        return _NOTES[source][1 if party else 0]
    if source.startswith(("Nghị định", "Hướng dẫn")):
        return _PAREN.sub("", source).strip()  # a profile's own title
    marks = [m["ref"].strip() for m in _MARK.finditer(source) if m["tag"] == "P" and m["ref"]]
    text = _MARK.sub("", source)
    pieces: list[str] = []
    document = shown = ""
    for raw in [*text.split(";"), *marks]:
        if not raw.strip():
            continue
        said, document = _piece(raw, document)
        if not said or said in pieces:
            continue
        if shown and said.startswith(f"{shown}, "):
            said = said[len(shown) + 2 :]  # the same text as the piece before: named once
        pieces.append(said)
        shown = document
    if not pieces:
        # Our notation without a section (a style's own choice): the text it belongs to.
        return HD36 if party else f"{ND30}, Phụ lục I"
    return "; ".join(pieces)
