"""Documents cited in a directive (văn bản được dẫn): found, parsed and checked.

A body cites documents the way every office does::

    Kế hoạch số 01-KH/BCĐ, ngày 25/12/2023 của Ban Chỉ đạo …
    Nghị quyết số 18-NQ/TW, ngày 25-10-2017 của Ban Chấp hành Trung ương Đảng …
    Chỉ thị số 08/CT-UBND, ngày 06-02-2024 của Ủy ban nhân dân tỉnh …
    Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ …

A citation is found by its number and symbol, which are distinctive enough on their own
(``2250-CV/BTGTU`` is cited in seed 004 without a document type); the type name before it
("Kế hoạch số") and the date after it (", ngày 25/12/2023", "ngày 26 tháng 02 năm 2024") are
taken when present. Three grammars are told apart by their shape:

* Party (HD36): ``NUMBER-TYPE/ISSUER`` — ``18-NQ/TW``, ``92-CV/BTGĐUK``;
* State (ND30): ``NUMBER/TYPE-ISSUER`` or ``NUMBER/ISSUER-UNIT`` — ``08/CT-UBND``;
* legal normative documents (Luật Ban hành VBQPPL): ``NUMBER/YEAR/TYPE-ISSUER`` —
  ``30/2020/NĐ-CP``, ``20/2023/QH15``.

Problems are warnings (the cited document is someone else's; the directive still renders),
each at the line and column of the citation: a symbol that breaks its system's grammar, a
type name that does not match the symbol ("Kế hoạch số 01-NQ/…"), a date that does not exist
(31/02), a date after the directive's own, a normative document whose year is not the year of
its date.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tetngheo_docs.errors import Issue, Location, Severity
from tetngheo_docs.vn import numbers

__all__ = [
    "Citation",
    "directive_citations",
    "directive_issues",
    "issues",
    "parse",
    "report",
]

SYSTEM_LABELS = {
    "dang": "Đảng",
    "nha_nuoc": "nhà nước",
    "qppl": "văn bản quy phạm pháp luật",
}

#: Type names and the abbreviations their symbols may carry (HD36 §III; ND30 PL-III; Luật
#: Ban hành VBQPPL). "Công văn", "Văn bản" are not checked (a State công văn has no type).
TYPE_ABBR: dict[str, frozenset[str]] = {
    "nghị quyết liên tịch": frozenset({"NQLT"}),
    "nghị quyết": frozenset({"NQ"}),
    "quyết định": frozenset({"QĐ"}),
    "chỉ thị": frozenset({"CT"}),
    "kết luận": frozenset({"KL"}),
    "quy định": frozenset({"QĐ", "QyĐ"}),
    "quy chế": frozenset({"QC"}),
    "thông tri": frozenset({"TT"}),
    "hướng dẫn": frozenset({"HD"}),
    "báo cáo": frozenset({"BC"}),
    "kế hoạch": frozenset({"KH"}),
    "chương trình": frozenset({"CTr"}),
    "thông báo": frozenset({"TB"}),
    "tờ trình": frozenset({"TTr"}),
    "biên bản": frozenset({"BB"}),
    "đề án": frozenset({"ĐA"}),
    "phương án": frozenset({"PA"}),
    "nghị định": frozenset({"NĐ"}),
    "thông tư liên tịch": frozenset({"TTLT"}),
    "thông tư": frozenset({"TT"}),
    "công điện": frozenset({"CĐ"}),
    "giấy mời": frozenset({"GM"}),
}
_OTHER_TYPES = ("công văn", "văn bản", "luật", "pháp lệnh", "lệnh", "sắc lệnh", "quyết nghị")
_KNOWN_ABBR = frozenset().union(*TYPE_ABBR.values())

# The number and symbol; the symbol ends on a letter or digit (not the comma after it).
_SYM = r"[A-ZĐ][A-Za-zĐđ0-9&/\-]*[A-Za-zĐđ0-9]|[A-ZĐ]"
_TOKEN_RE = re.compile(
    rf"(?<![\w/.\-])(?P<so>[0-9]{{1,7}})"
    rf"(?:/(?P<nam>[0-9]{{4}})/(?P<qppl>{_SYM})|(?P<sep>[-/])(?P<sym>{_SYM}))(?![\w])"
)
_TYPES = sorted([*TYPE_ABBR, *_OTHER_TYPES], key=len, reverse=True)
_TYPE_BEFORE_RE = re.compile(
    r"(?P<loai>" + "|".join(re.escape(t) for t in _TYPES) + r")\s+(?:số\s+)?\Z",
    re.IGNORECASE,
)
_DATE_AFTER_RE = re.compile(
    r"\s*,?\s*(?:ban\s+hành\s+|được\s+ban\s+hành\s+)?ngày\s+"
    r"(?P<date>(?P<d>[0-9]{1,2})\s*(?P<s1>[-/.])\s*(?P<m>[0-9]{1,2})\s*(?P<s2>[-/.])\s*"
    r"(?P<y>[0-9]{4})|(?P<d2>[0-9]{1,2})\s+tháng\s+(?P<m2>[0-9]{1,2})\s+năm\s+(?P<y2>[0-9]{4}))"
    r"(?![0-9])",
    re.IGNORECASE,
)
_QH_RE = re.compile(r"\A(UBTV)?QH[0-9]{1,2}\Z")


@dataclass(frozen=True)
class Citation:
    """One cited document, as typed, with what was read from it."""

    loai: str  # "Kế hoạch", or "" when the type name is not written
    so: str  # "01"
    ky_hieu: str  # "KH/BCĐ", "CT-UBND", "2020/NĐ-CP"
    he_thong: str  # "dang" | "nha_nuoc" | "qppl"
    ngay: datetime.date | None
    ngay_text: str  # the date as typed ("25-10-2017"), "" when absent
    text: str  # the whole citation, whitespace collapsed
    location: Location
    problems: tuple[str, ...] = ()

    @property
    def so_ky_hieu(self) -> str:
        """`18-NQ/TW`, `08/CT-UBND`, `30/2020/NĐ-CP`."""
        return f"{self.so}{'-' if self.he_thong == 'dang' else '/'}{self.ky_hieu}"

    def describe(self) -> str:
        """`Nghị quyết số 18-NQ/TW, ngày 25/10/2017 (Đảng)`."""
        head = f"{self.loai} số {self.so_ky_hieu}" if self.loai else self.so_ky_hieu
        if self.ngay is not None:
            head += f", ngày {self.ngay:%d/%m/%Y}"
        elif self.ngay_text:
            head += f", ngày {self.ngay_text}"
        return f"{head} ({SYSTEM_LABELS[self.he_thong]})"


# --------------------------------------------------------------------------- parsing


def _position(text: str, offset: int, where: Location) -> Location:
    """Location of `offset` in `text` that starts at `where`; every line of a block scalar
    starts at the block's column."""
    line = text.count("\n", 0, offset)
    col = offset - (text.rfind("\n", 0, offset) + 1)
    return Location(where.file, where.line + line, where.col + col)


def _read_date(m: re.Match[str]) -> tuple[datetime.date | None, str, str | None]:
    """(date, as typed, problem) of a matched date."""
    typed = " ".join(m["date"].split())
    if m["d"] is not None:
        day, month, year = int(m["d"]), int(m["m"]), int(m["y"])
        mixed = m["s1"] != m["s2"]
    else:
        day, month, year = int(m["d2"]), int(m["m2"]), int(m["y2"])
        mixed = False
    if not 1 <= month <= 12:
        return None, typed, f"ngày {typed}: tháng {month} không tồn tại"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return (
            None,
            typed,
            (f"ngày không tồn tại: {typed} (tháng {month} năm {year} chỉ có {last} ngày)"),
        )
    if mixed:
        return (
            datetime.date(year, month, day),
            typed,
            (
                f"ngày {typed} dùng hai dấu phân cách khác nhau; viết {day:02d}/{month:02d}/{year} "
                f"hoặc {day:02d}-{month:02d}-{year}"
            ),
        )
    return datetime.date(year, month, day), typed, None


def _type_name(before: str) -> str:
    m = _TYPE_BEFORE_RE.search(before)
    if not m:
        return ""
    name = m["loai"]
    return name[0].upper() + name[1:]


def _symbol_problems(system: str, so: str, sym: str, nam: str, loai: str) -> list[str]:
    problems: list[str] = []
    if int(so) == 0:
        problems.append("số văn bản phải từ 1 trở lên")
    if system == "dang":
        msg = numbers.kiem_tra_ky_hieu_dang(sym)
        kind = sym.split("/", 1)[0]
    elif system == "nha_nuoc":
        msg = numbers.kiem_tra_ky_hieu_nha_nuoc(sym)
        kind = sym.split("-", 1)[0]
    else:
        kind = sym.split("-", 1)[0]
        msg = None if _QH_RE.fullmatch(sym) else numbers.kiem_tra_ky_hieu_nha_nuoc(sym)
        if msg is not None:
            msg = (
                f"ký hiệu văn bản quy phạm pháp luật '{so}/{nam}/{sym}' không đúng mẫu "
                "SỐ/NĂM/LOẠI-CƠ QUAN (ví dụ 30/2020/NĐ-CP, 20/2023/QH15)"
            )
    if msg is not None:
        problems.append(msg)
        return problems
    expected = TYPE_ABBR.get(loai.lower())
    if expected and kind in _KNOWN_ABBR and kind not in expected:
        problems.append(
            f"ký hiệu {kind} không khớp với tên loại '{loai}' "
            f"(cần {' hoặc '.join(sorted(expected))})"
        )
    return problems


def parse(
    text: str, location: Location | None = None, *, ngay: datetime.date | None = None
) -> list[Citation]:
    """Every citation in `text`, in order. `location` is where `text` starts (its following
    lines are taken to start at the same column, as in a YAML block); `ngay` is the citing
    document's date (a cited date after it is a problem)."""
    where = location or Location("<văn bản>")
    text = unicodedata.normalize("NFC", text)
    found: list[Citation] = []
    for m in _TOKEN_RE.finditer(text):
        so = m["so"]
        if m["qppl"] is not None:
            system, sym, nam = "qppl", m["qppl"], m["nam"]
        else:
            system = "dang" if m["sep"] == "-" else "nha_nuoc"
            sym, nam = m["sym"], ""
        if system == "nha_nuoc" and re.match(r"[0-9]", sym):
            continue  # 10/2/2024 is a date, not a document
        loai = _type_name(text[max(0, m.start() - 60) : m.start()])
        start = m.start()
        if loai:
            before = _TYPE_BEFORE_RE.search(text[max(0, m.start() - 60) : m.start()])
            assert before is not None
            start = max(0, m.start() - 60) + before.start()
        end = m.end()
        problems = _symbol_problems(system, so, sym, nam, loai)
        date, typed = None, ""
        dm = _DATE_AFTER_RE.match(text, m.end())
        if dm is not None:
            end = dm.end()
            date, typed, problem = _read_date(dm)
            if problem:
                problems.append(problem)
            if date is not None and ngay is not None and date > ngay:
                problems.append(f"ngày {typed} sau ngày ban hành văn bản này ({ngay:%d/%m/%Y})")
            if date is not None and system == "qppl" and int(nam) != date.year:
                problems.append(f"ký hiệu ghi năm {nam} nhưng văn bản ngày {typed}")
        found.append(
            Citation(
                loai=loai,
                so=so,
                ky_hieu=f"{nam}/{sym}" if system == "qppl" else sym,
                he_thong=system,
                ngay=date,
                ngay_text=typed,
                text=" ".join(text[start:end].split()),
                location=_position(text, m.start(), where),
                problems=tuple(problems),
            )
        )
    return found


def issues(
    text: str,
    location: Location,
    path: str = "noi_dung",
    *,
    ngay: datetime.date | None = None,
) -> list[Issue]:
    """The problems of the citations in `text` as warnings, each at its line and column."""
    out = []
    for c in parse(text, location, ngay=ngay):
        for problem in c.problems:
            out.append(
                Issue(
                    c.location,
                    path,
                    f"văn bản được dẫn {c.so_ky_hieu}: {problem}",
                    Severity.WARNING,
                )
            )
    return out


# --------------------------------------------------------------------------- a directive file


def _fields(data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """The text fields of a directive where documents are cited."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    for key in ("trich_yeu", "noi_dung"):
        if isinstance(data.get(key), str):
            out.append(((key,), data[key]))
    can_cu = data.get("can_cu")
    if isinstance(can_cu, str):
        out.append((("can_cu",), can_cu))
    for i, item in enumerate(can_cu if isinstance(can_cu, list) else []):
        if isinstance(item, str):
            out.append((("can_cu", i), item))
    annexes = data.get("phu_luc")
    for i, annex in enumerate(annexes if isinstance(annexes, list) else []):
        if isinstance(annex, dict) and isinstance(annex.get("noi_dung"), str):
            out.append((("phu_luc", i, "noi_dung"), annex["noi_dung"]))
    return out


def _label(path: Path) -> str:
    """The path as messages show it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _scan(path: Path) -> list[tuple[str, Citation]]:
    from tetngheo_docs import source
    from tetngheo_docs.vn import dates

    src = source.load_yaml(path, label=_label(path))
    data = src.data if isinstance(src.data, dict) else {}
    ngay = None
    if isinstance(data.get("ngay"), str):
        try:
            ngay = dates.parse_date(data["ngay"])
        except ValueError:
            ngay = None
    out = []
    for yaml_path, value in _fields(data):
        block = src.blocks.get(yaml_path)
        if block is not None:
            text, where = block.text, Location(src.file, block.first_line, block.indent + 1)
        else:
            text, where = value, src.loc(yaml_path)
        out.extend((source.path_str(yaml_path), c) for c in parse(text, where, ngay=ngay))
    return sorted(out, key=lambda pc: (pc[1].location.line, pc[1].location.col))


def directive_citations(path: Path) -> list[Citation]:
    """Every citation of a directive file (body, căn cứ, trích yếu, appendices)."""
    return [c for _, c in _scan(path)]


def directive_issues(path: Path) -> list[Issue]:
    """The citation warnings of a directive file, located (for `tetngheo check`)."""
    out = []
    for yaml_path, c in _scan(path):
        for problem in c.problems:
            out.append(
                Issue(
                    c.location,
                    yaml_path,
                    f"văn bản được dẫn {c.so_ky_hieu}: {problem}",
                    Severity.WARNING,
                )
            )
    return out


def report(directive_path: Path) -> list[str]:
    """The documents a directive cites, one line each (the same document cited twice is one
    line, with every line number); empty when it cites none."""
    merged: dict[tuple[str, str], list[Citation]] = {}
    for c in directive_citations(directive_path):
        merged.setdefault((c.he_thong, c.so_ky_hieu), []).append(c)
    if not merged:
        return []
    lines = [f"{directive_path}: dẫn {len(merged)} văn bản:"]
    for group in merged.values():
        best = next((c for c in group if c.ngay is not None), group[0])
        best = next((c for c in group if c.loai and c.ngay is not None), best)
        rows = sorted({c.location.line for c in group})
        where = ", ".join(str(r) for r in rows)
        mark = " [cần xem]" if any(c.problems for c in group) else ""
        lines.append(f"  - {best.describe()} — dòng {where}{mark}")
    return lines
