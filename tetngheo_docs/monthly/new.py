"""`tetngheo new thang`: draft the monthly propaganda directive (công văn tuyên truyền tháng).

The draft is a directive YAML that renders as it is:

* the header (cơ quan, địa danh, người ký) comes from the agency file, found as for any
  directive (the nearest ``tetngheo.yaml`` above the draft, or ``--co-quan``);
* ``so:`` is left as the slot for the number (taken when the letter is issued; the outgoing
  register's next number is named in a comment when the register exists), ``ngay:`` is the
  last working day of the month before;
* the body has the month's anniversaries computed from the calendar (`calendar`), and — with
  ``--tu`` — the opening, the recurring tasks and the closing of last month's directive carried
  forward: month references moved on ("tháng 03-2024" → "tháng 04-2024"), the reporting
  deadline moved a month, the items renumbered;
* every carried or computed part is listed in a ``# XEM LẠI`` comment above ``noi_dung`` (a
  YAML comment cannot sit inside the body block), with what changed and what to check.

The same inputs give the same file, byte for byte (no time stamps), so a draft can be
regenerated and compared.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime
import itertools
import os
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tetngheo_docs.errors import Issue, TetngheoError
from tetngheo_docs.monthly import calendar as lich

__all__ = ["Draft", "Thang", "draft", "parse_thang", "show", "write"]

_WIDTH = 96  # line width of the YAML written (the body is indented by two spaces)
_MONTH_RE = (
    re.compile(r"\A\s*(?P<y>[0-9]{4})\s*[-/.]\s*(?P<m>[0-9]{1,2})\s*\Z"),
    re.compile(r"\A\s*(?:tháng\s+)?(?P<m>[0-9]{1,2})\s*[-/.]\s*(?P<y>[0-9]{4})\s*\Z", re.I),
)
_ITEM_RE = re.compile(r"\A(?P<stars>\*{0,3})(?P<n>[0-9]{1,2})\.\s+")
_ANNIV_RE = re.compile(r"ngày kỷ niệm", re.IGNORECASE)
_CLOSING_RE = re.compile(
    r"\A\**(Đề nghị|Yêu cầu|Trên đây|Nhận được|Kết quả (thực hiện|tuyên truyền))", re.IGNORECASE
)
_YEARS_RE = re.compile(r"(?<![0-9])[0-9]{1,3} năm(?! [0-9])")
_CARRIED_KEYS = (
    "loai",
    "ky_hieu",
    "don_vi_soan_thao",
    "trich_yeu",
    "kinh_gui",
    "noi_nhan",
    "nguoi_ky",
    "do_khan",
    "pham_vi_luu_hanh",
)


# --------------------------------------------------------------------------- months


@dataclass(frozen=True, order=True)
class Thang:
    """A month of a year."""

    nam: int
    thang: int

    def truoc(self) -> Thang:
        return Thang(self.nam - 1, 12) if self.thang == 1 else Thang(self.nam, self.thang - 1)

    def sau(self) -> Thang:
        return Thang(self.nam + 1, 1) if self.thang == 12 else Thang(self.nam, self.thang + 1)

    def nhan(self, system: str) -> str:
        """The month as the letter writes it: Party "03-2024" (seed 004), State "3/2024"
        (months 1 and 2 on two digits, as ND30 writes dates)."""
        if system == "dang":
            return f"{self.thang:02d}-{self.nam}"
        month = f"{self.thang:02d}" if self.thang in (1, 2) else str(self.thang)
        return f"{month}/{self.nam}"

    def ten_tep(self) -> str:
        return f"thang-{self.thang:02d}-{self.nam}.yaml"

    def ngay_lam_viec_cuoi(self) -> datetime.date:
        """The last Monday–Friday of the month."""
        d = datetime.date(self.nam, self.thang, _stdcal.monthrange(self.nam, self.thang)[1])
        while d.weekday() >= 5:
            d -= datetime.timedelta(days=1)
        return d

    def ngay(self, day: int) -> datetime.date:
        """The `day` of the month, or its last day when the month is shorter."""
        return datetime.date(
            self.nam, self.thang, min(day, _stdcal.monthrange(self.nam, self.thang)[1])
        )


def parse_thang(text: str) -> Thang:
    """`2024-03`, `2024/3`, `03-2024`, `3/2024`, `tháng 3/2024`."""
    for pattern in _MONTH_RE:
        m = pattern.fullmatch(text)
        if m:
            month, year = int(m["m"]), int(m["y"])
            if not 1 <= month <= 12:
                raise TetngheoError(f"tháng {month} không tồn tại (tháng từ 1 đến 12): {text}")
            if not lich.MIN_YEAR <= year <= lich.MAX_YEAR:
                raise TetngheoError(f"năm {year} ngoài khoảng {lich.MIN_YEAR}–{lich.MAX_YEAR}")
            return Thang(year, month)
    raise TetngheoError(f"không hiểu tháng '{text}'; viết dạng 2024-03 (năm-tháng) hoặc 03-2024")


# --------------------------------------------------------------------------- the body


@dataclass
class Para:
    """A body paragraph as typed: its lines (stripped), joined with spaces when printed."""

    lines: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def is_table(self) -> bool:
        return all(line.startswith("|") for line in self.lines)

    def replaced(self, text: str) -> Para:
        return self if text == self.text else Para([text])


def paragraphs(body: str) -> list[Para]:
    """Split a body the way the body grammar does: blank lines separate paragraphs."""
    out: list[Para] = []
    current: list[str] = []
    for raw in [*body.split("\n"), ""]:
        line = raw.strip()
        if line:
            current.append(line)
        elif current:
            out.append(Para(current))
            current = []
    return out


@dataclass
class Part:
    """A piece of the drafted body and its line in the review comment."""

    kind: str  # "mo_dau" | "muc" | "ky_niem" | "ket"
    paras: list[Para]
    note: str = ""


def _excerpt(text: str, limit: int = 70) -> str:
    plain = text.replace("*", "")
    plain = _ITEM_RE.sub("", plain)
    if len(plain) <= limit:
        return plain
    return plain[: plain.rfind(" ", 0, limit)] + "…"


def _keep_padding(old: str, value: int) -> str:
    return f"{value:02d}" if len(old) == 2 else str(value)


def doi_thang(text: str, old: Thang, new: Thang) -> tuple[str, int]:
    """Move references to the month `old` ("tháng 03-2024", "tháng 3/2024", "tháng 3 năm
    2024") to `new`, keeping how they are written; full dates ("ngày 04 tháng 3 năm 2024")
    are left alone. Returns the text and the number of changes."""
    count = 0

    def short(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f"{m['t']}{_keep_padding(m['m'], new.thang)}{m['s']}{new.nam}"

    def long(m: re.Match[str]) -> str:
        nonlocal count
        if re.search(r"ngày\s+[0-9]{1,2}\s*\Z", text[: m.start()], re.IGNORECASE):
            return m[0]
        count += 1
        return f"{m['t']}{_keep_padding(m['m'], new.thang)}{m['s']}{new.nam}"

    month = rf"(?P<m>0?{old.thang})"
    text = re.sub(rf"(?P<t>[Tt]háng\s+){month}(?P<s>\s*[-/.]\s*){old.nam}(?![0-9])", short, text)
    text = re.sub(rf"(?P<t>[Tt]háng\s+){month}(?P<s>\s+năm\s+){old.nam}(?![0-9])", long, text)
    return text, count


def doi_han(text: str, old: Thang, new: Thang) -> tuple[str, list[tuple[str, str]]]:
    """Move full dates inside `old` (a deadline "trước ngày 28-3-2024") to the same day of
    `new`; returns the text and the (before, after) pairs."""
    changes: list[tuple[str, str]] = []

    def numeric(m: re.Match[str]) -> str:
        if int(m["m"]) != old.thang or int(m["y"]) != old.nam:
            return m[0]
        d = new.ngay(int(m["d"]))
        sep = m["s"]
        out = f"{_keep_padding(m['d'], d.day)}{sep}{_keep_padding(m['m'], d.month)}{sep}{d.year}"
        changes.append((m[0], out))
        return out

    def words(m: re.Match[str]) -> str:
        if int(m["m"]) != old.thang or int(m["y"]) != old.nam:
            return m[0]
        d = new.ngay(int(m["d"]))
        out = (
            f"{m['n']}{_keep_padding(m['d'], d.day)}{m['t']}{_keep_padding(m['m'], d.month)}"
            f"{m['a']}{d.year}"
        )
        changes.append((m[0], out))
        return out

    text = re.sub(
        r"(?<![0-9])(?P<d>[0-9]{1,2})(?P<s>[-/.])(?P<m>[0-9]{1,2})(?P=s)(?P<y>[0-9]{4})(?![0-9])",
        numeric,
        text,
    )
    text = re.sub(
        r"(?P<n>ngày\s+)(?P<d>[0-9]{1,2})(?P<t>\s+tháng\s+)(?P<m>[0-9]{1,2})(?P<a>\s+năm\s+)"
        r"(?P<y>[0-9]{4})(?![0-9])",
        words,
        text,
        flags=re.IGNORECASE,
    )
    return text, changes


def _renumber(para: Para, n: int) -> Para:
    m = _ITEM_RE.match(para.text)
    if m is None:
        return para
    if int(m["n"]) == n:
        return para
    text = f"{m['stars']}{n}. {para.text[m.end() :]}"
    return Para([text])


@dataclass
class _Previous:
    """Last month's directive cut into its parts."""

    intro: list[Para]
    items: list[list[Para]]
    anniv: int | None  # index in items of the anniversaries item
    closing: list[Para]


def _cut(body: str) -> _Previous:
    paras = paragraphs(body)
    heads = [i for i, p in enumerate(paras) if not p.is_table and _ITEM_RE.match(p.text)]
    if not heads:
        return _Previous([], [paras] if paras else [], None, [])
    intro = paras[: heads[0]]
    closing_at = len(paras)
    for i in range(heads[-1] + 1, len(paras)):
        if not paras[i].is_table and _CLOSING_RE.match(paras[i].text):
            closing_at = i
            break
    items = []
    bounds = [*heads, closing_at]
    for a, b in itertools.pairwise(bounds):
        items.append(paras[a:b])
    anniv = next((i for i, item in enumerate(items) if _ANNIV_RE.search(item[0].text)), None)
    return _Previous(intro, items, anniv, paras[closing_at:])


# --------------------------------------------------------------------------- YAML writing


_PLAIN_START = set("-?:,[]{}#&*!|>'\"%@`")


def _scalar(value: str) -> str:
    """A one-line YAML scalar, quoted when YAML would read it differently."""
    if value == "":
        return '""'
    needs = (
        value[0] in _PLAIN_START
        or value != value.strip()
        or ": " in value
        or " #" in value
        or value.endswith(":")
        or "\t" in value
    )
    if not needs:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _value(key: str, value: Any, indent: int = 0) -> list[str]:
    pad = " " * indent
    if isinstance(value, str):
        if "\n" in value.strip():
            lines = [f"{pad}{key}: |"]
            lines += [f"{pad}  {line}" if line.strip() else "" for line in value.split("\n")]
            return lines
        return [f"{pad}{key}: {_scalar(value)}".rstrip()]
    if isinstance(value, list):
        lines = [f"{pad}{key}:"]
        for item in value:
            if isinstance(item, dict):
                sub = [_value(k, v, indent + 4) for k, v in item.items()]
                flat = [line for chunk in sub for line in chunk]
                if flat:
                    flat[0] = f"{pad}  - " + flat[0].lstrip()
                lines += flat
            else:
                lines.append(f"{pad}  - {_scalar(str(item))}")
        return lines
    if isinstance(value, dict):
        lines = [f"{pad}{key}:"]
        for k, v in value.items():
            lines += _value(k, v, indent + 2)
        return lines
    return [f"{pad}{key}: {_scalar(str(value))}"]


def _comment(text: str, first: str = "# ", rest: str = "#   ") -> list[str]:
    return textwrap.wrap(
        text,
        width=_WIDTH + 4,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _body(parts: Sequence[Part]) -> list[str]:
    lines = ["noi_dung: |"]
    paras = [p for part in parts for p in part.paras]
    for i, para in enumerate(paras):
        if i:
            lines.append("")
        if para.is_table:
            lines += [f"  {line}" for line in para.lines]
            continue
        wrapped = textwrap.wrap(
            para.text, width=_WIDTH - 2, break_long_words=False, break_on_hyphens=False
        )
        lines += [f"  {line}" for line in wrapped]
    return lines


# --------------------------------------------------------------------------- drafting


@dataclass
class Draft:
    """A drafted monthly directive, ready to write."""

    path: Path
    text: str
    thang: Thang
    occurrences: list[lich.Occurrence]
    upcoming: list[lich.Occurrence]
    parts: list[Part]
    agency: Path
    calendars: list[Path]
    previous: Path | None
    warnings: list[Issue] = field(default_factory=list)

    @property
    def carried(self) -> int:
        return sum(1 for p in self.parts if p.kind == "muc" and self.previous is not None)


def _rel(path: Path, base: Path) -> str:
    """`path` as written in the draft's comments: relative to the draft's folder."""
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        try:
            return os.path.relpath(path.resolve(), base.resolve())
        except ValueError:
            return str(path)


def _next_number(agency: Path, data: dict[str, Any], ngay: datetime.date) -> int | None:
    """The outgoing register's next number for this letter (a peek; nothing is reserved)."""
    from tetngheo_docs.register import DEFAULT_FILE, Register, Scope
    from tetngheo_docs.vn import dates

    path = agency.parent / DEFAULT_FILE
    co_quan = data.get("co_quan")
    abbr = co_quan.get("viet_tat") if isinstance(co_quan, dict) else None
    if not path.is_file() or not isinstance(abbr, str) or not abbr:
        return None
    try:
        if data.get("he_thong") == "nha_nuoc":
            scope = Scope.nha_nuoc(abbr, ngay.year)
        else:
            scope = None
            terms = data.get("nhiem_ky")
            for term in terms if isinstance(terms, list) else []:
                if not isinstance(term, dict):
                    continue
                tu = dates.parse_date(str(term.get("tu", "")))
                den = dates.parse_date(str(term["den"])) if term.get("den") else None
                if tu <= ngay and (den is None or ngay <= den):
                    scope = Scope.dang(abbr, "CV", str(term.get("ten", "")))
            if scope is None:
                return None
        with Register(path) as register:
            return register.next_number(scope)
    except (TetngheoError, ValueError):
        return None


def _system(data: dict[str, Any]) -> str:
    raw = str(data.get("he_thong", "dang")).strip().lower().replace(" ", "_")
    return "nha_nuoc" if raw in ("nha_nuoc", "nhà_nước") else "dang"


def draft(
    month: Thang,
    *,
    out: Path | None = None,
    agency: Path | None = None,
    previous: Path | None = None,
    calendars: Sequence[Path] = (),
    so: str | None = None,
    ngay: str | None = None,
    ahead: int = 2,
) -> Draft:
    """Draft the directive of `month`; validates it as `tetngheo check` would, raising with
    every problem (nothing is written here)."""
    from tetngheo_docs import api, model, source
    from tetngheo_docs.vn import dates

    if previous is not None:
        target = out or previous.parent / month.ten_tep()
    else:
        target = out or Path.cwd() / month.ten_tep()
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise TetngheoError(f"{target}: tệp văn bản cần đuôi .yaml")
    folder = target.parent
    agency_path = agency or api.find_agency(target)
    if agency_path is None:
        raise TetngheoError(
            f"không thấy tệp cơ quan {api.AGENCY_FILE} ở {folder} hay thư mục cha: tạo bằng "
            "'tetngheo khoi-tao' hoặc chỉ rõ bằng --co-quan"
        )
    agency_src = source.load_yaml(agency_path, label=_rel(agency_path, Path.cwd()))
    agency_data = agency_src.data if isinstance(agency_src.data, dict) else {}
    system = _system(agency_data)
    co_quan = agency_data.get("co_quan")
    ten = co_quan.get("ten_day_du", "") if isinstance(co_quan, dict) else ""
    ten = ten if isinstance(ten, str) and ten else "cơ quan"

    local = lich.find_local(folder, agency_path.parent)
    files = [*local, *(p for p in calendars if p.resolve() not in {q.resolve() for q in local})]
    cal, warnings = lich.load(files, labels=[_rel(p, Path.cwd()) for p in files])

    if ngay is not None:
        try:
            issued = dates.parse_date(ngay)
        except ValueError as err:
            raise TetngheoError(f"--ngay: {err}") from None
    else:
        issued = month.truoc().ngay_lam_viec_cuoi()
    label = month.nhan(system)
    occurrences = cal.in_month(month.nam, month.thang)
    upcoming = cal.upcoming(month.nam, month.thang, ahead) if ahead else []
    anniv_text = lich.doan_ky_niem(cal, month.nam, month.thang, label=label, ahead=ahead)

    carried: dict[str, Any] = {}
    prev: _Previous | None = None
    old = month.truoc()
    if previous is not None:
        prev_src = source.load_yaml(previous, label=_rel(previous, Path.cwd()))
        data = prev_src.data if isinstance(prev_src.data, dict) else {}
        block = prev_src.blocks.get(("noi_dung",))
        body = block.text if block is not None else data.get("noi_dung")
        if not isinstance(body, str) or not body.strip():
            raise TetngheoError(f"{previous}: không có 'noi_dung' để mang sang")
        prev = _cut(body)
        for key in _CARRIED_KEYS:
            if key in data:
                carried[key] = data[key]
        if isinstance(carried.get("trich_yeu"), str):
            carried["trich_yeu"] = doi_thang(carried["trich_yeu"], old, month)[0]

    names = {_rel(p, Path.cwd()): _rel(p, folder) for p in files}
    parts = _parts(month, old, label, ten, system, anniv_text, occurrences, upcoming, prev, names)
    prev_name = _rel(previous, folder) if previous is not None else ""
    next_no = _next_number(agency_path, agency_data, issued) if so is None else None
    text = _render(
        month=month,
        label=label,
        system=system,
        parts=parts,
        carried=carried,
        so=so,
        issued=issued,
        next_no=next_no,
        prev_name=prev_name,
        calendars=[_rel(p, folder) for p in files],
        agency_note=_agency_note(agency_path, target),
        command=_command(month, prev_name, so, ngay, ahead),
        needs_unit=system == "nha_nuoc" and not agency_data.get("don_vi_soan_thao"),
        has_archive_line=bool(agency_data.get("noi_nhan_cuoi")),
    )
    label_out = _rel(target, Path.cwd())
    directive_src = source.load_yaml_text(text, label=label_out)
    _, problems = model.build(directive_src, agency_src)
    return Draft(
        path=target,
        text=text,
        thang=month,
        occurrences=occurrences,
        upcoming=upcoming,
        parts=parts,
        agency=agency_path,
        calendars=files,
        previous=previous,
        warnings=[*warnings, *problems],
    )


def _command(month: Thang, prev_name: str, so: str | None, ngay: str | None, ahead: int) -> str:
    """The command that makes this draft, with paths relative to the draft's folder."""
    words = ["tetngheo new thang", f"{month.nam}-{month.thang:02d}"]
    if prev_name:
        words.append(f"--tu {prev_name}")
    if so is not None:
        words.append(f"--so {so}")
    if ngay is not None:
        words.append(f"--ngay {ngay}")
    if ahead != 2:
        words.append(f"--huong-toi {ahead}")
    return " ".join(words)


def _agency_note(agency: Path, target: Path) -> str:
    """Empty when the draft finds its agency file by itself, else how to point to it."""
    from tetngheo_docs import api

    found = api.find_agency(target)
    if found is not None and found.resolve() == agency.resolve():
        return ""
    return f"render với --co-quan {agency}"


def _parts(
    month: Thang,
    old: Thang,
    label: str,
    ten: str,
    system: str,
    anniv_text: str,
    occurrences: list[lich.Occurrence],
    upcoming: list[lich.Occurrence],
    prev: _Previous | None,
    names: dict[str, str],
) -> list[Part]:
    deadline = month.ngay(28)
    deadline_text = (
        f"{deadline.day}-{deadline.month}-{deadline.year}"
        if system == "dang"
        else f"{deadline.day}/{deadline.month}/{deadline.year}"
    )
    anniv_note = _anniv_note(label, occurrences, upcoming, names)
    if prev is None:
        intro = Part(
            "mo_dau",
            [
                Para(
                    [
                        f"Thực hiện hướng dẫn của cấp trên về công tác tuyên truyền tháng {label}, "
                        f"{ten} đề nghị các cơ quan, đơn vị tập trung triển khai các hoạt động "
                        f"tuyên truyền về một số nhiệm vụ trọng tâm trong tháng {label}, cụ thể "
                        "như sau:"
                    ]
                )
            ],
            "đoạn mở đầu (mẫu): dẫn văn bản hướng dẫn tuyên truyền của cấp trên trong tháng",
        )
        task = Part(
            "muc",
            [
                Para(
                    [
                        "1. Tuyên truyền [nhiệm vụ trọng tâm của tháng: nghị quyết, chỉ thị, kế "
                        "hoạch của cấp trên; phong trào thi đua; tài liệu học tập]."
                    ]
                )
            ],
            "mục 1 (chỗ trống): gõ các nhiệm vụ trọng tâm của tháng, mỗi nhiệm vụ một mục",
        )
        parts = [intro, task]
        if anniv_text:
            parts.append(Part("ky_niem", [Para([f"2. {anniv_text}"])], "mục 2 " + anniv_note))
        parts.append(
            Part(
                "ket",
                [
                    Para(
                        [
                            "Đề nghị các cơ quan, đơn vị quan tâm triển khai thực hiện; kết quả "
                            f"tuyên truyền gửi về {ten} trước ngày {deadline_text} để tổng hợp, "
                            "báo cáo."
                        ]
                    )
                ],
                f"đoạn kết (mẫu): hạn gửi kết quả {deadline_text}",
            )
        )
        return parts
    return _carry(month, old, system, anniv_text, anniv_note, prev)


def _anniv_note(
    label: str,
    occurrences: list[lich.Occurrence],
    upcoming: list[lich.Occurrence],
    names: dict[str, str],
) -> str:
    """What the computed anniversaries item holds, for the review comment."""
    note = f"(tự tính) ngày kỷ niệm tháng {label}: {len(occurrences)} ngày"
    rounds = [f"{o.so_nam} năm {o.ten} ({o.moc})" for o in occurrences if o.moc]
    if rounds:
        note += "; tròn, chẵn năm: " + ", ".join(rounds)
    local = [
        f"{o.ten} ({names.get(o.entry.location.file, o.entry.location.file)})"
        for o in occurrences
        if o.entry.location.file != lich.SHIPPED_LABEL
    ]
    if local:
        note += "; lịch của cơ quan: " + ", ".join(local)
    lunar = [
        f"{o.ten} ({o.entry.ngay}/{o.entry.thang} âm lịch = {lich.ngay_day_du(o.ngay)})"
        for o in occurrences
        if o.entry.am_lich
    ]
    if lunar:
        note += "; âm lịch: " + ", ".join(lunar)
    if upcoming:
        note += "; hướng tới: " + ", ".join(f"{o.so_nam} năm {o.ten} ({o.moc})" for o in upcoming)
    return note + " — thêm, bớt theo hướng dẫn của cấp trên"


def _carry(
    month: Thang, old: Thang, system: str, anniv_text: str, anniv_note: str, prev: _Previous
) -> list[Part]:
    from tetngheo_docs import citations

    parts: list[Part] = []
    year_note = (
        f" Sang năm {month.nam}: xem lại các cụm “năm {old.nam}”." if month.nam != old.nam else ""
    )
    if prev.intro:
        paras, changed = _moved(prev.intro, old, month)
        cited = [c.describe() for p in prev.intro for c in citations.parse(p.text)]
        note = "đoạn mở đầu (mang sang)"
        if changed:
            note += f": đã đổi “tháng {old.nhan(system)}” → “tháng {month.nhan(system)}”"
        if cited:
            note += "; đang dẫn " + "; ".join(cited) + " — thay bằng văn bản hướng dẫn của tháng"
        parts.append(Part("mo_dau", paras, note + "." + year_note))
    items = list(prev.items)
    anniv_at = prev.anniv if prev.anniv is not None else len(items)
    n = 0
    for i in range(max(len(items), anniv_at + 1)):
        if i == anniv_at:
            if anniv_text:
                n += 1
                parts.append(
                    Part("ky_niem", [Para([f"{n}. {anniv_text}"])], f"mục {n} {anniv_note}")
                )
            continue
        if i >= len(items):
            continue
        n += 1
        paras, changed = _moved(items[i], old, month)
        paras[0] = _renumber(paras[0], n)
        text = " ".join(p.text for p in paras)
        note = (
            f"mục {n} (mang sang): “{_excerpt(paras[0].text)}” — còn là nhiệm vụ tháng "
            f"{month.nhan(system)}?"
        )
        if changed:
            note += f" Đã đổi {changed} chỗ ghi tháng."
        years = sorted(set(_YEARS_RE.findall(text)), key=lambda s: text.index(s))
        if years:
            note += " Có đếm năm (" + ", ".join(f"“{y}”" for y in years) + "): còn đúng?"
        parts.append(Part("muc", paras, note + year_note))
    if prev.closing:
        paras, changed = _moved(prev.closing, old, month)
        moved: list[tuple[str, str]] = []
        out = []
        for p in paras:
            text, pairs = doi_han(p.text, old, month)
            moved += pairs
            out.append(p.replaced(text))
        note = "đoạn kết (mang sang)"
        if moved:
            note += ": hạn " + ", ".join(f"{a} → {b}" for a, b in moved)
        parts.append(Part("ket", out, note))
    return parts


def _moved(paras: list[Para], old: Thang, new: Thang) -> tuple[list[Para], int]:
    out, total = [], 0
    for p in paras:
        if p.is_table:
            out.append(p)
            continue
        text, count = doi_thang(p.text, old, new)
        total += count
        out.append(p.replaced(text))
    return out, total


def _render(
    *,
    month: Thang,
    label: str,
    system: str,
    parts: list[Part],
    carried: dict[str, Any],
    so: str | None,
    issued: datetime.date,
    next_no: int | None,
    prev_name: str,
    calendars: list[str],
    agency_note: str,
    command: str,
    needs_unit: bool = False,
    has_archive_line: bool = True,
) -> str:
    lines: list[str] = []
    lines.append(f"# Công văn tuyên truyền các nhiệm vụ trọng tâm tháng {label}: bản nháp do lệnh")
    lines.append(f"#   {command}")
    lines.append("# soạn.")
    source_line = "Ngày kỷ niệm: lịch có sẵn của tetngheo"
    if calendars:
        source_line += " và " + ", ".join(calendars)
    if prev_name:
        source_line += f"; mở đầu, nhiệm vụ và đoạn kết mang sang từ {prev_name}"
    lines += _comment(source_line + ".")
    lines += _comment(
        "Các dòng XEM LẠI là chỗ cần đọc lại trước khi trình ký; xóa dòng khi đã xem."
    )
    if agency_note:
        lines += _comment(f"Tệp cơ quan không nằm ở thư mục trên tệp này: {agency_note}.")
    lines.append("phien_ban: 1")
    lines.append(f"loai: {_scalar(str(carried.get('loai', 'cong_van')))}")
    if so is not None:
        lines.append(f"so: {_scalar(so)}")
    else:
        hint = (
            f"sổ văn bản đi: số tiếp theo {next_no:02d}"
            if next_no is not None
            else "để trống đến khi cấp số"
        )
        lines.append(f"so:                    # XEM LẠI: {hint}")
    lines.append(
        f"ngay: {issued:%d/%m/%Y}      # XEM LẠI: ngày ký "
        "(mặc định: ngày làm việc cuối của tháng trước)"
    )
    for key in ("ky_hieu", "don_vi_soan_thao", "do_khan", "pham_vi_luu_hanh"):
        if key in carried:
            lines += _value(key, carried[key])
    if needs_unit and "don_vi_soan_thao" not in carried and "ky_hieu" not in carried:
        lines.append("don_vi_soan_thao: VP    # XEM LẠI: đơn vị soạn thảo (ký hiệu …-VP)")
    lines += _value(
        "trich_yeu",
        carried.get("trich_yeu", f"V/v tuyên truyền các nhiệm vụ trọng tâm tháng {label}"),
    )
    default_kg = ["Các chi bộ trực thuộc"] if system == "dang" else ["Các phòng, đơn vị trực thuộc"]
    if "kinh_gui" not in carried:
        lines.append("# XEM LẠI: nơi nhận chính")
    lines += _value("kinh_gui", carried.get("kinh_gui", default_kg))
    lines.append(f"# XEM LẠI nội dung tháng {label}:")
    for part in parts:
        if part.note:
            lines += _comment(part.note, first="# - ", rest="#     ")
    lines += _body(parts)
    if "noi_nhan" in carried:
        lines += _value("noi_nhan", carried["noi_nhan"])
    elif has_archive_line:
        lines += _value("noi_nhan", ["Như trên"])
    else:
        lines.append("# XEM LẠI: nơi nhận; dòng Lưu (tệp cơ quan chưa có 'noi_nhan_cuoi')")
        lines += _value(
            "noi_nhan", ["Như trên", "Lưu Văn phòng" if system == "dang" else "Lưu: VT"]
        )
    if "nguoi_ky" in carried:
        lines += _value("nguoi_ky", carried["nguoi_ky"])
    return "\n".join(lines) + "\n"


def show(path: Path) -> str:
    """A path as the user is told it: relative to the working directory when below it."""
    return _rel(path, Path.cwd())


def write(d: Draft, *, overwrite: bool = False) -> Path:
    """Write the draft; refuses to replace an existing file unless `overwrite`."""
    from tetngheo_docs.outputs import atomic_write

    if d.path.exists() and not overwrite:
        raise TetngheoError(f"{d.path} đã có; dùng --ghi-de để thay, hoặc --ghi-vao TỆP khác")
    atomic_write(d.path, d.text.encode("utf-8"))
    return d.path
