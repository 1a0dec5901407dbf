"""Document numbers and symbols (ND30 / HD36), thousands grouping, Roman numerals, điểm letters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = [
    "DIEM_LETTERS",
    "NUMBER_BLANK",
    "PARTY_NUMBER_RE",
    "PARTY_SYMBOL_RE",
    "STATE_NUMBER_RE",
    "STATE_SYMBOL_RE",
    "chu_cai",
    "kiem_tra_ky_hieu_dang",
    "kiem_tra_ky_hieu_nha_nuoc",
    "nhom_nghin",
    "parse_so_nguyen",
    "so_ky_hieu_dang",
    "so_ky_hieu_format",
    "so_ky_hieu_nha_nuoc",
    "so_la_ma",
    "so_thanh_chu",
    "so_van_ban",
    "tien_bang_chu",
]

MAX_SO = 999_999

# Room left for the number on an unnumbered draft: six ordinary spaces right after
# "Số:" (State) or "Số" (Party), e.g. "Số:      /UBND-VX".
NUMBER_BLANK = " " * 6

# Full-string patterns from the rule book (format-rules.md §5.1 and §5.2), with `\A…\Z`
# instead of `^…$` so that a trailing newline is not accepted.
STATE_NUMBER_RE = re.compile(
    r"\ASố: (0[1-9]|[1-9][0-9]+)/[A-ZĐ][A-Za-zĐđ0-9]*(-[A-ZĐ][A-Za-zĐđ0-9&]*)+\Z"
)
PARTY_NUMBER_RE = re.compile(
    r"\ASố (0[1-9]|[1-9][0-9]+)-[A-ZĐ][A-Za-zĐđ]*/[A-ZĐ][A-Za-zĐđ0-9]*(-[A-ZĐ][A-Za-zĐđ0-9]*)*\Z"
)
# The symbol part only (what follows "Số: NN/" or "Số NN-").
STATE_SYMBOL_RE = re.compile(r"\A[A-ZĐ][A-Za-zĐđ0-9]*(-[A-ZĐ][A-Za-zĐđ0-9&]*)+\Z")
PARTY_SYMBOL_RE = re.compile(r"\A[A-ZĐ][A-Za-zĐđ]*/[A-ZĐ][A-Za-zĐđ0-9]*(-[A-ZĐ][A-Za-zĐđ0-9]*)*\Z")

_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZĐ")
_LETTERS = _UPPER | frozenset("abcdefghijklmnopqrstuvwxyzđ")
_DIGITS = frozenset("0123456789")

# Letters used to label điểm (a), b), c) …) in Vietnamese alphabetical order: no f, j, w, z
# and đ after d.
DIEM_LETTERS = "abcdđeghiklmnopqrstuvxy"


def _check_int(n: object, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{what} phải là số nguyên, nhận được {type(n).__name__}")
    return n


def so_van_ban(n: int) -> str:
    """Document number as printed: `5` → `05`, `196` → `196` (1 ≤ n ≤ 999999)."""
    _check_int(n, "số văn bản")
    if not 1 <= n <= MAX_SO:
        raise ValueError(f"số văn bản phải từ 1 đến {MAX_SO}, nhận được {n}")
    return f"{n:02d}"


def so_ky_hieu_nha_nuoc(so: int | None, ky_hieu: str) -> str:
    """State form `Số: 05/UBND-VX`; with `so` None, `Số:      /UBND-VX` (unnumbered draft)."""
    return so_ky_hieu_format(ky_hieu, party=False)(so)


def so_ky_hieu_dang(so: int | None, ky_hieu: str) -> str:
    """Party form `Số 196-CV/BTGDUK` (no colon); with `so` None, `Số      -CV/BTGDUK`."""
    return so_ky_hieu_format(ky_hieu, party=True)(so)


def so_ky_hieu_format(ky_hieu: str, *, party: bool) -> Callable[[int | None], str]:
    """`so_ky_hieu_dang` (``party``) or `so_ky_hieu_nha_nuoc` for one symbol and any number:
    the symbol is checked here, once (a batch numbers 1,000s of letters with one symbol)."""
    sym = unicodedata.normalize("NFC", ky_hieu).strip()
    check = kiem_tra_ky_hieu_dang if party else kiem_tra_ky_hieu_nha_nuoc
    if (problem := check(sym)) is not None:
        raise ValueError(problem)
    head, tail = ("Số", f"-{sym}") if party else ("Số:", f"/{sym}")
    blank = f"{head}{NUMBER_BLANK}{tail}"

    def line(so: int | None) -> str:
        if so is None:
            return blank
        if so.__class__ is int and 1 <= so <= MAX_SO:  # the usual number, checked inline
            return f"{head} {so:02d}{tail}"
        return f"{head} {so_van_ban(so)}{tail}"  # anything else: so_van_ban says what is wrong

    return line


def _check_group(group: str, allowed: frozenset[str], label: str, example: str) -> str | None:
    """Message for one '-'-separated group, or None when it is fine."""
    if not group:
        return f"có nhóm rỗng trong {label} (thừa dấu '-' ở đầu, cuối hoặc hai dấu liền nhau)"
    if group[0] not in _UPPER:
        if group[0] in _LETTERS or group[0] in _DIGITS:
            return f"nhóm '{group}' trong {label} phải bắt đầu bằng chữ in hoa (ví dụ {example})"
        return f"ký tự {group[0]!r} không được dùng trong {label}"
    for ch in group[1:]:
        if ch not in allowed:
            return (
                f"ký tự {ch!r} trong nhóm '{group}' không được dùng trong {label}; "
                "chỉ dùng chữ cái Latin không dấu, Đ/đ"
                + (" và chữ số" if _DIGITS <= allowed else "")
            )
    return None


def _common_problem(sym: str, label: str) -> str | None:
    if not sym:
        return f"{label} trống"
    if sym.startswith("Số") or sym[0] in _DIGITS:
        return (
            f"chỉ nhập phần ký hiệu (ví dụ UBND-VX hoặc CV/BTGDUK), không kèm 'Số' và số: '{sym}'"
        )
    if any(ch.isspace() for ch in sym):
        return f"{label} '{sym}' không được chứa dấu cách"
    return None


def kiem_tra_ky_hieu_nha_nuoc(ky_hieu: str) -> str | None:
    """Check a State symbol (`UBND-VX`, `KH-UBND`, `QĐ-TTg`); None when fine, else a message.

    Grammar (format-rules.md §5.1): groups joined by '-', at least two groups, each starting
    with an uppercase letter (Đ included) followed by letters or digits; '&' is allowed after
    the first group; no '/' and no spaces.
    """
    label = "ký hiệu văn bản nhà nước"
    sym = unicodedata.normalize("NFC", ky_hieu)
    if (problem := _common_problem(sym, label)) is not None:
        return problem
    if STATE_SYMBOL_RE.fullmatch(sym):
        return None
    if "/" in sym:
        return (
            f"{label} '{sym}' không được chứa dấu '/' (dấu '/' đã nằm giữa số và ký hiệu: "
            "Số: 05/UBND-VX); dạng LOẠI/CƠ QUAN là ký hiệu văn bản Đảng"
        )
    groups = sym.split("-")
    first_allowed = _LETTERS | _DIGITS
    for i, group in enumerate(groups):
        allowed = first_allowed if i == 0 else first_allowed | {"&"}
        if (problem := _check_group(group, allowed, label, "UBND-VX")) is not None:
            return problem
    if len(groups) < 2:
        return (
            f"{label} '{sym}' phải gồm ít nhất hai nhóm nối bằng dấu '-', "
            "ví dụ KH-UBND (loại-cơ quan) hoặc UBND-VX (công văn: cơ quan-đơn vị)"
        )
    return f"{label} '{sym}' không đúng mẫu (ví dụ đúng: UBND-VX, KH-UBND, QĐ-TTg)"


def kiem_tra_ky_hieu_dang(ky_hieu: str) -> str | None:
    """Check a Party symbol (`CV/BTGDUK`, `KH/TU`, `CV/BTCTU-BDVTU`); None when fine.

    Grammar (format-rules.md §5.2): TYPE "/" ISSUER, TYPE letters only, ISSUER groups joined
    by '-' with letters or digits, every group starting with an uppercase letter (Đ included).
    """
    label = "ký hiệu văn bản Đảng"
    sym = unicodedata.normalize("NFC", ky_hieu)
    if (problem := _common_problem(sym, label)) is not None:
        return problem
    if PARTY_SYMBOL_RE.fullmatch(sym):
        return None
    if "/" not in sym:
        return (
            f"{label} '{sym}' phải có dạng LOẠI/CƠ QUAN với dấu '/', ví dụ CV/BTGDUK, KH/TU "
            "(dạng KH-UBND là ký hiệu văn bản nhà nước)"
        )
    if sym.count("/") > 1:
        return f"{label} '{sym}' chỉ được có một dấu '/' (LOẠI/CƠ QUAN)"
    kind, issuer = sym.split("/")
    if not kind:
        return f"{label} '{sym}' thiếu tên loại văn bản trước dấu '/' (ví dụ CV, KH, NQ)"
    if not issuer:
        return f"{label} '{sym}' thiếu cơ quan ban hành sau dấu '/' (ví dụ TU, BTGDUK)"
    if "-" in kind:
        return (
            f"tên loại '{kind}' trong {label} không chứa dấu '-' "
            "(dấu '-' đã nằm giữa số và ký hiệu: Số 196-CV/BTGDUK)"
        )
    if (problem := _check_group(kind, _LETTERS, label, "CV/BTGDUK")) is not None:
        return problem
    for group in issuer.split("-"):
        if (problem := _check_group(group, _LETTERS | _DIGITS, label, "KH/TU")) is not None:
            return problem
    return f"{label} '{sym}' không đúng mẫu (ví dụ đúng: CV/BTGDUK, KH/TU, BS/UBKTTU)"


def nhom_nghin(n: int) -> str:
    """Group thousands with '.', Vietnamese style: `1.234.567`, `-1.234`."""
    _check_int(n, "giá trị")
    return f"{n:,}".replace(",", ".")


_GROUP_SPACES = " \u00a0\u202f"  # space, NBSP, narrow NBSP
_INT_RE = re.compile(
    r"-?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)"
)


def parse_so_nguyen(text: str) -> int:
    """Parse an integer written `1.234.567`, `1234567` or `1 234 567` (optional leading '-').

    Refuses decimals (`1,5`), badly grouped numbers (`1.23`) and anything else with a
    Vietnamese `ValueError`.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_so_nguyen cần một chuỗi, nhận được {type(text).__name__}")
    raw = unicodedata.normalize("NFC", text).strip()
    if _INT_RE.fullmatch(raw):
        return int(raw.replace(".", "").translate({ord(c): None for c in _GROUP_SPACES}))
    if not raw:
        raise ValueError("thiếu số: ô trống")
    if "," in raw and all(c in "0123456789,.-" for c in raw):
        raise ValueError(
            f"không phải số nguyên: '{raw}' (dấu ',' là dấu thập phân; "
            "số nguyên viết như 1.234.567 hoặc 1234567)"
        )
    if "." in raw and all(c in "0123456789.-" for c in raw):
        raise ValueError(
            f"không phải số nguyên: '{raw}' (sau mỗi dấu '.' phải có đúng 3 chữ số, "
            "ví dụ 1.234.567)"
        )
    raise ValueError(f"không phải số nguyên: '{raw}' (viết như 1.234.567 hoặc 1234567)")


_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def so_la_ma(n: int) -> str:
    """Roman numeral for 1 ≤ n ≤ 3999 (used for phần, mục): `4` → `IV`."""
    _check_int(n, "số La Mã")
    if not 1 <= n <= 3999:
        raise ValueError(f"số La Mã chỉ viết được từ 1 đến 3999, nhận được {n}")
    out = []
    for value, symbol in _ROMAN:
        count, n = divmod(n, value)
        out.append(symbol * count)
    return "".join(out)


def chu_cai(n: int) -> str:
    """The n-th (1-based) điểm letter in Vietnamese order: 1 → `a`, 5 → `đ`, 23 → `y`."""
    _check_int(n, "thứ tự điểm")
    if not 1 <= n <= len(DIEM_LETTERS):
        raise ValueError(f"thứ tự điểm phải từ 1 đến {len(DIEM_LETTERS)} (a … y), nhận được {n}")
    return DIEM_LETTERS[n - 1]


# --------------------------------------------------------------------------- in words

_DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUP_WORDS = ("", "nghìn", "triệu")


def _three(n: int, *, full: bool, linh: str) -> list[str]:
    """0 < n < 1000 in words; `full`: not the leading group, so "không trăm" and "linh"
    are read out (1.005.000 = "một triệu không trăm linh năm nghìn")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    out: list[str] = []
    if hundreds or full:
        out += [_DIGIT_WORDS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if out:
                out.append(linh)
            out.append(_DIGIT_WORDS[units])
        return out
    out += ["mười"] if tens == 1 else [_DIGIT_WORDS[tens], "mươi"]
    if units == 1:
        out.append("một" if tens == 1 else "mốt")
    elif units == 4:
        out.append("bốn" if tens == 1 else "tư")
    elif units == 5:
        out.append("lăm")
    elif units:
        out.append(_DIGIT_WORDS[units])
    return out


def _below_billion(n: int, *, full: bool, linh: str) -> list[str]:
    groups = [n // 1_000_000 % 1000, n // 1000 % 1000, n % 1000]
    out: list[str] = []
    for k, group in enumerate(groups):
        if not group:
            continue
        out += _three(group, full=full or bool(out), linh=linh)
        if _GROUP_WORDS[2 - k]:
            out.append(_GROUP_WORDS[2 - k])
    return out


def so_thanh_chu(n: int, *, linh: str = "linh") -> str:
    """A whole number in Vietnamese words, as an amount is written out ("Bằng chữ"):
    21 "hai mươi mốt", 24 "hai mươi tư", 25 "hai mươi lăm", 101 "một trăm linh một",
    1.005.000 "một triệu không trăm linh năm nghìn", 1.200.000.000 "một tỷ hai trăm
    triệu"; above a tỷ the count of tỷ is read the same way ("ba nghìn bốn trăm tỷ").

    `linh` is "linh" (the written standard) or "lẻ" (spoken in the South). num2words's
    ``vi`` is not used: it writes 1.005.000 as "một triệu năm nghìn", 1.024 as "một nghìn
    lẻ hai mươi bốn" and 3.400 tỷ as "ba nghìn tỷ bốn trăm tỷ".
    """
    _check_int(n, "số")
    if n < 0:
        return "âm " + so_thanh_chu(-n, linh=linh)
    if n == 0:
        return "không"
    words = _words(n, full=False, linh=linh)
    return " ".join(words)


def _words(n: int, *, full: bool, linh: str) -> list[str]:
    billions, rest = divmod(n, 1_000_000_000)
    out: list[str] = []
    if billions:
        out += [*_words(billions, full=full, linh=linh), "tỷ"]
    if rest:
        out += _below_billion(rest, full=full or bool(out), linh=linh)
    return out


def tien_bang_chu(n: int, *, linh: str = "linh", don_vi: str = "đồng") -> str:
    """An amount of money in words, capitalised, with its unit: "Một tỷ hai trăm triệu
    đồng"."""
    words = so_thanh_chu(n, linh=linh)
    return f"{words[:1].upper()}{words[1:]} {don_vi}".strip()
