"""Vietnamese dates: parsing user input and the ND30 / HD36 "ngày … tháng … năm …" forms."""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata

__all__ = [
    "BLANK",
    "MAX_YEAR",
    "MIN_YEAR",
    "VN_TZ",
    "dd_mm_yyyy",
    "dia_danh_ngay",
    "ngay_thang_nam",
    "now_vn",
    "parse_date",
    "show_time",
    "today_vn",
]

MIN_YEAR = 1900
MAX_YEAR = 2200

# Blank left for the văn thư to fill in by hand on an undated draft: five ordinary spaces
# (U+0020), which replace the space between the words as well, so the draft reads
# "ngày     tháng     năm 2024". Ordinary spaces (not NBSP or tabs) keep the line
# editable in Word and survive copy/paste.
BLANK = " " * 5

# ASCII digits only: `\d` would also accept Arabic-Indic or full-width digits.
_ISO_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DMY_RE = re.compile(r"([0-9]{1,2})([/.\-])([0-9]{1,2})\2([0-9]{4})")

_HINT = "hãy viết dạng 15/01/2024 hoặc 2024-01-15"


def parse_date(text: str) -> datetime.date:
    """Parse `2024-01-15`, `15/01/2024`, `15/1/2024`, `5-1-2024` or `15.01.2024`.

    Surrounding whitespace is ignored; the day/month/year form needs the same separator
    twice. Raises `ValueError` with a Vietnamese message for anything else, for impossible
    dates (31/02) and for years outside 1900–2200.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_date cần một chuỗi, nhận được {type(text).__name__}")
    raw = unicodedata.normalize("NFC", text).strip()
    if m := _ISO_RE.fullmatch(raw):
        year, month, day = (int(g) for g in m.groups())
    elif m := _DMY_RE.fullmatch(raw):
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    else:
        raise ValueError(f"không hiểu ngày {raw!r}; {_HINT}")

    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"năm {year} ngoài khoảng {MIN_YEAR}–{MAX_YEAR}: {raw}")
    if not 1 <= month <= 12:
        raise ValueError(f"tháng không tồn tại: {raw} (tháng phải từ 1 đến 12)")
    last = calendar.monthrange(year, month)[1]
    if day < 1:
        raise ValueError(f"ngày không tồn tại: {raw} (ngày phải từ 1 trở lên)")
    if day > last:
        raise ValueError(f"ngày không tồn tại: {raw} (tháng {month} năm {year} chỉ có {last} ngày)")
    return datetime.date(year, month, day)


def _month(d: datetime.date) -> str:
    # ND30 PL-I §II.4.b: months 1 and 2 take a leading zero, months 3–12 do not.
    return f"{d.month:02d}" if d.month in (1, 2) else str(d.month)


def ngay_thang_nam(d: datetime.date) -> str:
    """`ngày 05 tháng 01 năm 2024`, `ngày 15 tháng 3 năm 2024` (ND30 padding rules)."""
    return f"ngày {d.day:02d} tháng {_month(d)} năm {d.year:04d}"


def dia_danh_ngay(place: str, d: datetime.date | None, year: int | None = None) -> str:
    """Place and date line: `Thái Nguyên, ngày 15 tháng 01 năm 2024`.

    With `d` None the result is an undated draft, `Thái Nguyên, ngày     tháng     năm 2024`,
    using `year` (the current year when `year` is None too); each blank is `BLANK`.
    When both `d` and `year` are given they must agree.
    """
    name = unicodedata.normalize("NFC", place).strip()
    if not name:
        raise ValueError("thiếu địa danh trước ngày tháng")
    if d is not None:
        if year is not None and year != d.year:
            raise ValueError(f"năm {year} không khớp với ngày {dd_mm_yyyy(d)}")
        return f"{name}, {ngay_thang_nam(d)}"
    y = datetime.date.today().year if year is None else year
    if isinstance(y, bool) or not MIN_YEAR <= y <= MAX_YEAR:
        raise ValueError(f"năm {y} ngoài khoảng {MIN_YEAR}–{MAX_YEAR}")
    return f"{name}, ngày{BLANK}tháng{BLANK}năm {y:04d}"


def dd_mm_yyyy(d: datetime.date) -> str:
    """Citation style, zero padded: `15/01/2024`."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


# --- the clock, in Vietnam time -----------------------------------------------------------------

#: Vietnam's time zone: UTC+7 all year, no daylight saving (so no tz database is needed).
VN_TZ = datetime.timezone(datetime.timedelta(hours=7), "ICT")


def now_vn() -> str:
    """The current time in Vietnam with its offset: ``2026-12-04T12:35:07.123456+07:00``.
    Every time the register, the issue history and the exports record is written so."""
    return datetime.datetime.now(VN_TZ).isoformat(timespec="microseconds")


def today_vn() -> datetime.date:
    """Today's date in Vietnam: what "today" means for a document's date."""
    return datetime.datetime.now(VN_TZ).date()


def instant(stamp: str) -> datetime.datetime | None:
    """A recorded time as an aware datetime, whatever offset it was written with (records
    made by older versions are in UTC: ``…Z`` or ``+00:00``); None if it is not a time."""
    try:
        when = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=datetime.UTC)


def show_time(stamp: str) -> str:
    """A recorded time as a văn thư reads it: ``04/12/2026 12:35:07 (giờ Việt Nam)``."""
    when = instant(stamp)
    if when is None:
        return stamp
    return when.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M:%S (giờ Việt Nam)")
