"""The anniversary calendar (lịch ngày kỷ niệm) and the year arithmetic of a monthly directive.

The calendar ships as data (``data/ngay_ky_niem.yaml``, one source per entry); an office adds
its own dates in a file of the same shape (``ngay-ky-niem.yaml``). For a month it gives the
anniversaries with their count of years and the span in the style of the propaganda offices'
letters (seed 004)::

    65 năm Ngày truyền thống Bộ đội Biên phòng (03/3/1959 – 03/3/2024)
    Ngày Quốc tế Phụ nữ (8/3)
    Giỗ Tổ Hùng Vương (10/3 âm lịch, ngày 18/4/2024)

Dates are written with the day on two digits and the month on two digits only for January and
February (as ND30 writes dates: 03/3/1959, 03/02/1930), the two ends joined by " – ". A day
without a counted year is written short, as usual: (8/3), (1/5).

Year arithmetic: the N of "N năm" is the year minus the first year, so the founding year itself
is 0 (printed without "N năm") and a year before it has no anniversary. An anniversary of 29
February is kept on 28 February in a common year. Round anniversaries: "tròn" every 10 years
(năm tròn, Nghị định 111/2018/NĐ-CP), "chẵn" at 5, 15, 25… (năm chẵn). Lunar dates are
converted with `amlich` and never counted in years.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from tetngheo_docs.errors import DirectiveError, Issue, Location, Severity
from tetngheo_docs.monthly import amlich
from tetngheo_docs.source import Source, load_yaml, load_yaml_text, path_str

__all__ = [
    "KINDS",
    "LOCAL_FILE",
    "Calendar",
    "Commemoration",
    "Occurrence",
    "doan_ky_niem",
    "khoang",
    "load",
    "moc",
    "ngay_day_du",
    "ngay_gon",
    "so_nam",
]

#: An office's own calendar file, looked up next to the directive and up to the agency folder.
LOCAL_FILE = "ngay-ky-niem.yaml"
#: The shipped calendar, inside the package.
SHIPPED = ("tetngheo_docs.monthly", "data/ngay_ky_niem.yaml")
SHIPPED_LABEL = "tetngheo_docs/monthly/data/ngay_ky_niem.yaml"

#: Kinds of commemoration (khóa `loai`).
KINDS: dict[str, str] = {
    "thanh_lap": "ngày thành lập",
    "truyen_thong": "ngày truyền thống",
    "ngay_sinh": "ngày sinh",
    "chien_thang": "chiến thắng",
    "giai_phong": "ngày giải phóng",
    "su_kien": "sự kiện lịch sử",
    "le": "ngày lễ, ngày hội",
    "ton_vinh": "ngày tôn vinh",
    "quoc_te": "ngày quốc tế",
}
_KEYS = (
    "ma",
    "ngay",
    "nam_dau",
    "loai",
    "ten",
    "am_lich",
    "le_lon",
    "kem_theo",
    "nguon",
    "ghi_chu",
    "bo",
)
_MA_RE = re.compile(r"\A[a-z0-9]+(-[a-z0-9]+)*\Z")
_DAY_RE = re.compile(r"\A([0-9]{1,2})\s*[/\-.]\s*([0-9]{1,2})\Z")
_YEAR_RE = re.compile(r"\A[0-9]{4}\Z")
#: Years a calendar entry may start in, and years the arithmetic is asked about.
FIRST_YEAR, LAST_YEAR = 1000, 2200
MIN_YEAR, MAX_YEAR = 1900, 2200
_PLACEHOLDERS = ("{nam}", "{can_chi}")


# --------------------------------------------------------------------------- formatting


def ngay_day_du(d: datetime.date) -> str:
    """`03/3/1959`, `03/02/1930`, `22/12/1944`: day on two digits, month on two digits only
    for January and February, as ND30 writes a date."""
    month = f"{d.month:02d}" if d.month in (1, 2) else str(d.month)
    return f"{d.day:02d}/{month}/{d.year:04d}"


def ngay_gon(day: int, month: int) -> str:
    """A day of the year without its year, as it is usually written: `8/3`, `1/5`, `20/11`."""
    return f"{day}/{month}"


def khoang(start: datetime.date, end: datetime.date) -> str:
    """`(03/3/1959 – 03/3/2024)`."""
    return f"({ngay_day_du(start)} – {ngay_day_du(end)})"


def so_nam(first_year: int, year: int) -> int:
    """Years between the event and its anniversary in `year` (0 in the year of the event)."""
    return year - first_year


def moc(years: int | None) -> str:
    """The milestone of a count of years: "tròn" (10, 20, …), "chẵn" (5, 15, …) or ""."""
    if not years or years < 0:
        return ""
    if years % 10 == 0:
        return "tròn"
    return "chẵn" if years % 5 == 0 else ""


def _on(day: int, month: int, year: int) -> datetime.date:
    """The day in `year`; 29 February falls on 28 February in a common year."""
    if month == 2 and day == 29 and not _stdcal.isleap(year):
        return datetime.date(year, 2, 28)
    return datetime.date(year, month, day)


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class Commemoration:
    """One calendar entry (một ngày kỷ niệm)."""

    ma: str
    ngay: int
    thang: int
    ten: str
    loai: str
    nam_dau: int | None = None
    am_lich: bool = False
    le_lon: bool = False
    kem_theo: str = ""
    nguon: str = ""
    ghi_chu: str = ""
    location: Location = field(default=Location("<lịch>"), compare=False)

    def on(self, year: int) -> datetime.date | None:
        """The solar date of this commemoration in lunar or solar `year` (None when a lunar
        day does not exist that year, e.g. the 30th of a 29-day month)."""
        if self.am_lich:
            try:
                return amlich.am_sang_duong(self.ngay, self.thang, year)
            except ValueError:
                return None
        return _on(self.ngay, self.thang, year)

    def in_year(self, year: int) -> Occurrence | None:
        """The anniversary falling in solar `year`, if any (a lunar date of the 11th or 12th
        month may fall in January of the next solar year)."""
        if self.am_lich:
            for lunar_year in (year, year - 1):
                d = self.on(lunar_year)
                if d is not None and d.year == year:
                    return Occurrence(self, d, None, lunar_year)
            return None
        if self.nam_dau is not None and year < self.nam_dau:
            return None
        d = _on(self.ngay, self.thang, year)
        years = None if self.nam_dau is None else so_nam(self.nam_dau, year)
        return Occurrence(self, d, years, year)


@dataclass(frozen=True)
class Occurrence:
    """A commemoration in a given year: its solar date, count of years and phrase."""

    entry: Commemoration
    ngay: datetime.date
    so_nam: int | None
    nam_am: int

    @property
    def moc(self) -> str:
        """ "tròn", "chẵn" or ""."""
        return moc(self.so_nam)

    @property
    def ten(self) -> str:
        return _fill(self.entry.ten, self)

    def phrase(self) -> str:
        """`65 năm Ngày truyền thống Bộ đội Biên phòng (03/3/1959 – 03/3/2024)`."""
        e = self.entry
        if e.am_lich:
            return (
                f"{self.ten} ({ngay_gon(e.ngay, e.thang)} âm lịch, ngày {ngay_day_du(self.ngay)})"
            )
        if e.nam_dau is None:
            return f"{self.ten} ({ngay_gon(e.ngay, e.thang)})"
        start = datetime.date(e.nam_dau, e.thang, e.ngay)
        if not self.so_nam:
            return f"{self.ten} ({ngay_day_du(start)})"
        return f"{self.so_nam} năm {self.ten} {khoang(start, self.ngay)}"

    @property
    def kem_theo(self) -> str:
        return _fill(self.entry.kem_theo, self)


def _fill(text: str, occ: Occurrence) -> str:
    return text.replace("{nam}", str(occ.ngay.year)).replace(
        "{can_chi}", amlich.can_chi(occ.nam_am)
    )


@dataclass(frozen=True)
class Calendar:
    """The merged calendar: shipped entries, then each office file in order (same `ma`
    replaces, `bo: có` removes)."""

    entries: tuple[Commemoration, ...]
    files: tuple[str, ...] = ()

    def get(self, ma: str) -> Commemoration | None:
        return next((e for e in self.entries if e.ma == ma), None)

    def in_month(self, year: int, month: int) -> list[Occurrence]:
        """The anniversaries of a month, by date, then in calendar order."""
        _check_month(year, month)
        found = []
        for order, entry in enumerate(self.entries):
            occ = entry.in_year(year)
            if occ is not None and occ.ngay.month == month:
                found.append((occ.ngay, order, occ))
        return [occ for _, _, occ in sorted(found, key=lambda t: (t[0], t[1]))]

    def upcoming(self, year: int, month: int, months: int = 2) -> list[Occurrence]:
        """Round anniversaries of the next `months` months worth announcing ahead ("hướng
        tới"): every "tròn" one (10, 20… years), and the "chẵn" ones (5, 15…) of the major
        holidays (`le_lon`)."""
        found: list[Occurrence] = []
        y, m = year, month
        for _ in range(months):
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
            if y > MAX_YEAR:
                break
            for occ in self.in_month(y, m):
                if occ.moc == "tròn" or (occ.moc == "chẵn" and occ.entry.le_lon):
                    found.append(occ)
        return found


def _check_month(year: int, month: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"năm {year} ngoài khoảng {MIN_YEAR}–{MAX_YEAR}")
    if not 1 <= month <= 12:
        raise ValueError(f"tháng {month} không tồn tại (tháng từ 1 đến 12)")


# --------------------------------------------------------------------------- the paragraph


def _join(parts: Sequence[str]) -> str:
    """`A`, `A và B`, `A, B và C`."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]


def danh_sach(occurrences: Iterable[Occurrence]) -> list[str]:
    """One item per day: the day's anniversaries (and their companions) joined with "và"."""
    days: dict[datetime.date, list[str]] = {}
    for occ in occurrences:
        parts = days.setdefault(occ.ngay, [])
        parts.append(occ.phrase())
        if occ.kem_theo:
            parts.append(occ.kem_theo)
    return [_join(parts) for _, parts in sorted(days.items())]


def doan_ky_niem(
    cal: Calendar, year: int, month: int, *, label: str, ahead: int = 2, lead: str = ""
) -> str:
    """The anniversaries sentence of a monthly directive, as in seed 004::

        Tuyên truyền các ngày kỷ niệm trong tháng 03-2024, gồm: 65 năm … (03/3/1959 –
        03/3/2024) và 35 năm …; Ngày Quốc tế Phụ nữ (8/3); … Tiếp tục đẩy mạnh tuyên
        truyền các hoạt động hướng tới 70 năm Chiến thắng Điện Biên Phủ (07/5/1954 – 07/5/2024).

    `label` is the month as the letter writes it ("03-2024"); `ahead` the months looked at
    for the "hướng tới" sentence (0: none); `lead` replaces the opening words. Empty when
    the month has nothing to mark.
    """
    items = danh_sach(cal.in_month(year, month))
    forward = danh_sach(cal.upcoming(year, month, ahead)) if ahead else []
    if not items and not forward:
        return ""
    out = []
    if items:
        head = lead or f"Tuyên truyền các ngày kỷ niệm trong tháng {label}, gồm: "
        out.append(head + "; ".join(items) + ".")
    if forward:
        out.append(
            "Tiếp tục đẩy mạnh tuyên truyền các hoạt động hướng tới " + "; ".join(forward) + "."
        )
    return " ".join(out)


# --------------------------------------------------------------------------- loading


def _err(src: Source, path: tuple[str | int, ...], message: str, *, key: bool = False) -> Issue:
    where = src.key_loc(path) if key else src.loc(path)
    return Issue(where, path_str(path), message)


def _warn(src: Source, path: tuple[str | int, ...], message: str) -> Issue:
    return Issue(src.loc(path), path_str(path), message, Severity.WARNING)


def _bool(raw: str) -> bool | None:
    value = raw.strip().lower()
    if value in ("có", "co", "true", "yes", "1"):
        return True
    if value in ("không", "khong", "false", "no", "0", ""):
        return False
    return None


def _entry(
    src: Source, i: int, item: Any, issues: list[Issue]
) -> tuple[str, Commemoration | None] | None:
    """Validate one entry; returns (ma, entry) or (ma, None) for `bo: có`, None if invalid."""
    base: tuple[str | int, ...] = ("ngay_ky_niem", i)
    if not isinstance(item, dict):
        issues.append(_err(src, base, "mỗi ngày kỷ niệm là một ánh xạ (ma:, ngay:, ten: …)"))
        return None
    start = len(issues)
    for key, value in item.items():
        if key not in _KEYS:
            close = difflib.get_close_matches(key, _KEYS, n=1, cutoff=0.6)
            hint = f"; có phải ý bạn là '{close[0]}'?" if close else ""
            issues.append(
                _err(src, (*base, key), f"khóa '{key}' không có trong mẫu{hint}", key=True)
            )
        elif not isinstance(value, str):
            issues.append(_err(src, (*base, key), "phải là một dòng văn bản"))
    if len(issues) > start:
        return None
    text = {k: " ".join(v.split()) for k, v in item.items()}
    ma = text.get("ma", "")
    if not ma:
        issues.append(_err(src, base, "thiếu 'ma' (mã ổn định của ngày kỷ niệm)"))
        return None
    if not _MA_RE.fullmatch(ma):
        issues.append(
            _err(src, (*base, "ma"), f"mã '{ma}' chỉ gồm chữ thường không dấu, số và dấu '-'")
        )
        return None
    flags = {}
    for key in ("am_lich", "le_lon", "bo"):
        flag = _bool(text.get(key, ""))
        if flag is None:
            issues.append(
                _err(src, (*base, key), f"'{text[key]}' không hợp lệ; viết 'có' hoặc 'không'")
            )
            return None
        flags[key] = flag
    if flags["bo"]:
        return ma, None
    for key in ("ngay", "ten", "loai"):
        if not text.get(key):
            issues.append(_err(src, base, f"ngày kỷ niệm '{ma}' thiếu '{key}'"))
    if len(issues) > start:
        return None
    loai = text["loai"]
    if loai not in KINDS:
        close = difflib.get_close_matches(loai, list(KINDS), n=1, cutoff=0.6)
        hint = f"; có phải ý bạn là '{close[0]}'?" if close else f" (chọn: {', '.join(KINDS)})"
        issues.append(_err(src, (*base, "loai"), f"loại '{loai}' không có{hint}"))
        return None
    m = _DAY_RE.fullmatch(text["ngay"])
    if not m:
        issues.append(
            _err(src, (*base, "ngay"), f"viết ngày/tháng dạng 03/3, không phải '{text['ngay']}'")
        )
        return None
    day, month = int(m[1]), int(m[2])
    first: int | None = None
    if text.get("nam_dau"):
        if not _YEAR_RE.fullmatch(text["nam_dau"]) or not (
            FIRST_YEAR <= int(text["nam_dau"]) <= LAST_YEAR
        ):
            issues.append(
                _err(
                    src,
                    (*base, "nam_dau"),
                    f"năm viết bốn chữ số, ví dụ 1959 (không phải '{text['nam_dau']}')",
                )
            )
            return None
        first = int(text["nam_dau"])
    lunar = flags["am_lich"]
    if lunar:
        if first is not None:
            issues.append(
                _err(
                    src,
                    (*base, "nam_dau"),
                    "ngày âm lịch không đếm số năm; bỏ 'nam_dau' hoặc 'am_lich'",
                )
            )
            return None
        if not (1 <= month <= 12 and 1 <= day <= 30):
            issues.append(_err(src, (*base, "ngay"), f"ngày âm lịch không tồn tại: {day}/{month}"))
            return None
    else:
        year = first if first is not None else 2000  # a leap year: 29/2 is a real day
        try:
            datetime.date(year, month, day)
        except ValueError:
            where = f" năm {first}" if first is not None else ""
            issues.append(_err(src, (*base, "ngay"), f"ngày không tồn tại: {day}/{month}{where}"))
            return None
    ten = text["ten"]
    for value, key in ((ten, "ten"), (text.get("kem_theo", ""), "kem_theo")):
        for brace in re.findall(r"\{[^}]*\}", value):
            if brace not in _PLACEHOLDERS:
                issues.append(
                    _err(
                        src,
                        (*base, key),
                        f"'{brace}' không dùng được; chỉ có {{nam}} và {{can_chi}}",
                    )
                )
                return None
    if not text.get("nguon"):
        issues.append(
            _warn(src, (*base, "ma"), f"ngày kỷ niệm '{ma}' chưa ghi 'nguon' (đã đối chiếu ở đâu)")
        )
    return ma, Commemoration(
        ma=ma,
        ngay=day,
        thang=month,
        ten=ten,
        loai=loai,
        nam_dau=first,
        am_lich=lunar,
        le_lon=flags["le_lon"],
        kem_theo=text.get("kem_theo", ""),
        nguon=text.get("nguon", ""),
        ghi_chu=text.get("ghi_chu", ""),
        location=src.loc(base),
    )


def parse(src: Source) -> tuple[list[tuple[str, Commemoration | None]], list[Issue]]:
    """Validate a calendar file; every problem located, all of them in one pass."""
    issues: list[Issue] = []
    data = src.data
    if not isinstance(data, dict):
        return [], [_err(src, (), "tệp ngày kỷ niệm cần khóa 'ngay_ky_niem:' (một danh sách)")]
    for key in data:
        if key not in ("phien_ban", "ngay_ky_niem"):
            issues.append(
                _err(src, (key,), f"khóa '{key}' không có trong tệp ngày kỷ niệm", key=True)
            )
    if data.get("phien_ban", "1") != "1":
        issues.append(_err(src, ("phien_ban",), "phiên bản tệp ngày kỷ niệm phải là 1"))
    items = data.get("ngay_ky_niem")
    if not isinstance(items, list):
        issues.append(_err(src, ("ngay_ky_niem",), "'ngay_ky_niem' phải là một danh sách"))
        return [], issues
    out: list[tuple[str, Commemoration | None]] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        got = _entry(src, i, item, issues)
        if got is None:
            continue
        ma = got[0]
        if ma in seen:
            line = src.loc(("ngay_ky_niem", seen[ma])).line
            issues.append(_err(src, ("ngay_ky_niem", i, "ma"), f"mã '{ma}' đã có ở dòng {line}"))
            continue
        seen[ma] = i
        out.append(got)
    return out, issues


def shipped_source() -> Source:
    data = resources.files(SHIPPED[0]).joinpath(SHIPPED[1]).read_bytes()
    return load_yaml_text(data, label=SHIPPED_LABEL)


def load(
    extra: Iterable[Path] = (), *, labels: Sequence[str] | None = None
) -> tuple[Calendar, list[Issue]]:
    """The shipped calendar merged with the office files `extra` (in order). Returns the
    calendar and its warnings; raises `DirectiveError` with every error found."""
    sources = [shipped_source()]
    extra = list(extra)
    for i, path in enumerate(extra):
        label = labels[i] if labels is not None else str(path)
        sources.append(load_yaml(path, label=label))
    merged: dict[str, Commemoration] = {}
    issues: list[Issue] = []
    for src in sources:
        entries, problems = parse(src)
        issues.extend(problems)
        for ma, entry in entries:
            if entry is None:
                if ma not in merged:
                    issues.append(
                        Issue(
                            src.loc(("ngay_ky_niem",)),
                            "ngay_ky_niem",
                            f"'bo: có' nhưng không có ngày '{ma}' để bỏ",
                            Severity.WARNING,
                        )
                    )
                merged.pop(ma, None)
            else:
                merged[ma] = entry  # a replaced entry keeps its place in the calendar order
    if any(i.is_error for i in issues):
        raise DirectiveError(issues)
    return Calendar(tuple(merged.values()), tuple(s.file for s in sources)), issues


def find_local(start: Path, stop: Path | None) -> list[Path]:
    """Office calendar files: `ngay-ky-niem.yaml` from `stop` (the agency folder) down to
    `start` (the directive's folder), outermost first, so a closer file wins."""
    start = start.resolve()
    folders = [start, *start.parents]
    if stop is not None:
        stop = stop.resolve()
        if stop in folders:
            folders = folders[: folders.index(stop) + 1]
        else:
            folders = [start]
    else:
        folders = [start]
    return [f / LOCAL_FILE for f in reversed(folders) if (f / LOCAL_FILE).is_file()]
