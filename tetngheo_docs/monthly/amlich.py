"""The Vietnamese lunar calendar (âm lịch) for commemorations kept on a lunar date.

Hồ Ngọc Đức's astronomical method (https://www.informatik.uni-leipzig.de/~duc/amlich/):
new moons and the sun's longitude after Jean Meeus, days counted at the meridian of Vietnam
(UTC+7), so that a new moon close to midnight falls on the Vietnamese, not the Chinese, day.
Month 11 is the month holding the winter solstice; a year with 13 months repeats the first
month without a major solar term (the leap month, tháng nhuận).

Commemorations are kept in the ordinary (not the leap) month of their number. Valid for the
years the rest of the program accepts (1900–2200).
"""

from __future__ import annotations

import datetime
import math

__all__ = ["MUI_GIO", "am_sang_duong", "can_chi", "duong_sang_am"]

#: Time zone of the Vietnamese calendar, in hours.
MUI_GIO = 7.0

_CAN = ("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý")
_CHI = ("Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi")
# Julian day number of the new moon of 1 January 1900 and the mean synodic month.
_EPOCH = 2415021.076998695
_SYNODIC = 29.530588853


def _jd(d: datetime.date) -> int:
    """Julian day number of a (proleptic Gregorian) date."""
    return d.toordinal() + 1721425


def _date(jd: int) -> datetime.date:
    return datetime.date.fromordinal(jd - 1721425)


def _new_moon_day(k: int, tz: float = MUI_GIO) -> int:
    """Julian day number (local day) of the k-th new moon after 1 January 1900."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    dr = math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = (
        (0.1734 - 0.000393 * t) * math.sin(m * dr)
        + 0.0021 * math.sin(2 * dr * m)
        - 0.4068 * math.sin(mpr * dr)
        + 0.0161 * math.sin(dr * 2 * mpr)
        - 0.0004 * math.sin(dr * 3 * mpr)
        + 0.0104 * math.sin(dr * 2 * f)
        - 0.0051 * math.sin(dr * (m + mpr))
        - 0.0074 * math.sin(dr * (m - mpr))
        + 0.0004 * math.sin(dr * (2 * f + m))
        - 0.0004 * math.sin(dr * (2 * f - m))
        - 0.0006 * math.sin(dr * (2 * f + mpr))
        + 0.0010 * math.sin(dr * (2 * f - mpr))
        + 0.0005 * math.sin(dr * (2 * mpr + m))
    )
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return math.floor(jd1 + c1 - delta_t + 0.5 + tz / 24)


def _sun_longitude(jdn: int, tz: float = MUI_GIO) -> int:
    """The sun's longitude at the start of a local day, as a 30° sector 0–11."""
    t = (jdn - 2451545.5 - tz / 24) / 36525
    t2 = t * t
    dr = math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    lon = (l0 + dl) * dr
    lon -= 2 * math.pi * math.floor(lon / (2 * math.pi))
    return math.floor(lon / math.pi * 6)


def _month_11(year: int, tz: float = MUI_GIO) -> int:
    """Julian day of the first day of lunar month 11 that holds the winter solstice of `year`."""
    k = math.floor((_jd(datetime.date(year, 12, 31)) - _EPOCH) / _SYNODIC)
    nm = _new_moon_day(k, tz)
    if _sun_longitude(nm, tz) >= 9:
        nm = _new_moon_day(k - 1, tz)
    return nm


def _leap_month_offset(a11: int, tz: float = MUI_GIO) -> int:
    """Months after month 11 (starting at `a11`) of the leap month in a 13-month year."""
    k = math.floor((a11 - _EPOCH) / _SYNODIC + 0.5)
    i = 1
    arc = _sun_longitude(_new_moon_day(k + i, tz), tz)
    while True:
        last = arc
        i += 1
        arc = _sun_longitude(_new_moon_day(k + i, tz), tz)
        if arc == last or i >= 14:
            return i - 1


def duong_sang_am(d: datetime.date) -> tuple[int, int, int, bool]:
    """Solar → lunar: (day, month, lunar year, leap month?)."""
    day_number = _jd(d)
    k = math.floor((day_number - _EPOCH) / _SYNODIC)
    month_start = _new_moon_day(k + 1)
    if month_start > day_number:
        month_start = _new_moon_day(k)
    a11 = _month_11(d.year)
    b11 = a11
    if a11 >= month_start:
        lunar_year = d.year
        a11 = _month_11(d.year - 1)
    else:
        lunar_year = d.year + 1
        b11 = _month_11(d.year + 1)
    lunar_day = day_number - month_start + 1
    diff = math.floor((month_start - a11) / 29)
    leap = False
    lunar_month = diff + 11
    if b11 - a11 > 365:
        leap_diff = _leap_month_offset(a11)
        if diff >= leap_diff:
            lunar_month = diff + 10
            leap = diff == leap_diff
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return lunar_day, lunar_month, lunar_year, leap


def am_sang_duong(day: int, month: int, year: int, leap: bool = False) -> datetime.date:
    """Lunar → solar. Raises `ValueError` for a leap month that year does not have, or a day
    past the end of the month (a lunar month has 29 or 30 days)."""
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"ngày âm lịch không tồn tại: {day}/{month}")
    if month < 11:
        a11, b11 = _month_11(year - 1), _month_11(year)
    else:
        a11, b11 = _month_11(year), _month_11(year + 1)
    k = math.floor(0.5 + (a11 - _EPOCH) / _SYNODIC)
    off = month - 11
    if off < 0:
        off += 12
    if b11 - a11 > 365:
        leap_off = _leap_month_offset(a11)
        leap_month = leap_off - 2
        if leap_month < 0:
            leap_month += 12
        if leap and month != leap_month:
            raise ValueError(f"năm âm lịch {year} không có tháng {month} nhuận")
        if leap or off >= leap_off:
            off += 1
    elif leap:
        raise ValueError(f"năm âm lịch {year} không có tháng nhuận")
    start = _new_moon_day(k + off)
    if day == 30 and _new_moon_day(k + off + 1) - start < 30:
        raise ValueError(f"tháng {month} âm lịch năm {year} chỉ có 29 ngày")
    return _date(start + day - 1)


def can_chi(year: int) -> str:
    """Name of a lunar year in the sexagenary cycle: 2024 → "Giáp Thìn"."""
    return f"{_CAN[(year + 6) % 10]} {_CHI[(year + 8) % 12]}"
