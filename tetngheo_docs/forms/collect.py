"""Collecting the returned forms: read a folder of .xlsx files, check each, sum them up.

Every file gets a status: *hợp lệ* (valid, summed), *có lỗi* (read, but with problems the
unit must fix; not summed), *bị loại* (not a return of this form: wrong form or version,
not an .xlsx, corrupt) or *bỏ qua* (Excel's lock files, a summary made by us). Nothing is
dropped silently and no file can stop the run: every problem is reported cell by cell,
"tệp X.xlsx, ô D12 (Nguồn xã hội hóa): 'abc' không phải số".

Workbooks are opened with openpyxl in read-only, cached-values mode (defusedxml installed)
and read through the defined names written by `forms.xlsx` (falling back to the hidden
stamp sheet), so positions never matter. Numbers are taken as numbers, or as text written
the Vietnamese way ("1.234.567", "1 234 567", "1234567"). Totals that a unit typed over the
formula (or that Excel cached) must agree with the rows; formulas without a cached value are
simply computed here.
"""

from __future__ import annotations

import difflib
import io
import math
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tetngheo_docs import ooxml_guard
from tetngheo_docs.errors import Severity
from tetngheo_docs.forms import xlsx
from tetngheo_docs.forms.model import BieuMau, Cot
from tetngheo_docs.forms.xlsx import SUMMED_KINDS, XlsxValue
from tetngheo_docs.vn import dates, numbers, text

if TYPE_CHECKING:
    from tetngheo_docs.profiles import Profile
    from tetngheo_docs.recipients import RecipientList

__all__ = [
    "CollectResult",
    "FileResult",
    "Problem",
    "Status",
    "collect",
    "read_return",
    "read_unit_list",
    "summary_caption",
    "summary_form",
    "unit_key",
]

#: More data rows than this in one return is not a form somebody filled in by hand.
MAX_ROWS = 5000
SUFFIXES = (".xlsx", ".xlsm")
#: From this many files, read them on every core.
PARALLEL_FROM = 40
#: Notes and scripts kept beside the returns (the example's tao-mau.py): listed, not judged.
SKIPPED_SUFFIXES = (".py", ".md")


class Status(StrEnum):
    VALID = "hợp lệ"
    ERRORS = "có lỗi"
    REJECTED = "bị loại"
    SKIPPED = "bỏ qua"


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in one file, at one cell when there is one."""

    file: str
    message: str
    cell: str = ""
    column: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"tệp {self.file}"
        if self.cell:
            where += f", ô {self.cell}"
            if self.column:
                where += f" ({self.column})"
        prefix = "cảnh báo: " if self.severity is Severity.WARNING else ""
        return f"{where}: {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


@dataclass
class FileResult:
    """What one file gave: its status, the unit, its rows and totals, its problems."""

    path: Path
    status: Status = Status.VALID
    unit: str = ""  # as typed in the unit cell (NFC, spaces collapsed)
    recipient: str | None = None  # the matching name in the recipient list
    rows: list[list[XlsxValue]] = field(default_factory=list)
    totals: list[XlsxValue] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    note: str = ""  # why the file was skipped or rejected (also in `problems` when rejected)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def display_unit(self) -> str:
        return self.recipient or self.unit

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def add(self, message: str, cell: str = "", column: str = "", *, warn: bool = False) -> None:
        severity = Severity.WARNING if warn else Severity.ERROR
        self.problems.append(Problem(self.name, message, cell, column, severity))

    def reject(self, message: str) -> FileResult:
        self.status = Status.REJECTED
        self.note = message
        self.add(message)
        return self

    def skip(self, message: str) -> FileResult:
        self.status = Status.SKIPPED
        self.note = message
        return self


@dataclass
class CollectResult:
    """Every file of the folder, the recipients not heard from, and the summary rows."""

    form: BieuMau
    folder: Path
    files: list[FileResult]
    recipients: list[str] | None = None
    missing: list[str] = field(default_factory=list)

    @property
    def valid(self) -> list[FileResult]:
        """The files that are summed, in recipient-list order, then by unit name."""
        order = {unit_key(r): i for i, r in enumerate(self.recipients or [])}
        ok = [f for f in self.files if f.status is Status.VALID]
        return sorted(
            ok, key=lambda f: (order.get(unit_key(f.display_unit), len(order)), unit_key(f.unit))
        )

    @property
    def errors(self) -> list[Problem]:
        return [p for f in self.files for p in f.errors]

    @property
    def warnings(self) -> list[Problem]:
        return [p for f in self.files for p in f.warnings]

    def count(self, status: Status) -> int:
        return sum(1 for f in self.files if f.status is status)

    @property
    def ok(self) -> bool:
        """No error in any file (warnings and missing units allowed)."""
        return not self.errors

    # ------------------------------------------------------------------------ summary

    def summary_rows(self) -> list[list[XlsxValue]]:
        """One row per unit × row of its return, the unit's name in the "Đơn vị" column."""
        at = _unit_column(self.form)
        width = len(self.form.leaves)
        out: list[list[XlsxValue]] = []
        for f in self.valid:
            rows = f.rows or [[None] * width]
            for row in rows:
                out.append([*row[:at], f.display_unit, *row[at:]])
        return out

    def totals(self) -> list[XlsxValue]:
        """Grand totals per column of the summary form (sums of whole-number columns)."""
        leaves = summary_form(self.form).leaves
        rows = self.summary_rows()
        out: list[XlsxValue] = []
        for i, cot in enumerate(leaves):
            if cot.kieu in SUMMED_KINDS:
                out.append(sum(v for r in rows if isinstance(v := r[i], int)))
            else:
                out.append(None)
        return out

    @property
    def expected(self) -> int:
        """How many units should have answered: the recipient list, else the units seen."""
        if self.recipients is not None:
            return len(self.recipients)
        seen = (f for f in self.files if f.status in (Status.VALID, Status.ERRORS) and f.unit)
        return len({unit_key(f.display_unit) for f in seen})

    def _outside(self) -> int:
        """Valid units that are not on the recipient list (counted in N of N/M)."""
        if self.recipients is None:
            return 0
        return sum(1 for f in self.valid if f.recipient is None)

    def notes(self) -> list[str]:
        """The lines under the summary table: how many units it covers, who is missing."""
        out = [f"Số liệu tổng hợp từ biểu của {len(self.valid)}/{self.expected} đơn vị."]
        absent = [*self.missing]
        absent += [f.display_unit for f in self.files if f.status is Status.ERRORS and f.unit]
        if absent:
            out.append("Chưa có số liệu: " + "; ".join(dict.fromkeys(absent)) + ".")
        return out

    # ------------------------------------------------------------------------- report

    def report_lines(self) -> list[str]:
        """The report in Vietnamese: one line per file (its problems under it), the units
        not heard from, then "Đã tổng hợp N/M đơn vị; …"."""
        form = self.form
        lines = [
            f"Tổng hợp biểu '{form.ma}' (phiên bản {form.phien_ban or 1}) "
            f"từ {self.folder}: {len(self.files)} tệp"
        ]
        for f in self.files:
            if f.status is Status.VALID:
                rows = len(f.rows)
                shown = f"{rows} dòng số liệu" if rows else "không có dòng số liệu"
                detail = f"{f.display_unit}, {shown}"
                if f.warnings:
                    detail += f", {len(f.warnings)} cảnh báo"
            elif f.status is Status.ERRORS:
                who = f.display_unit or "chưa rõ đơn vị"
                detail = f"{who}: {len(f.errors)} lỗi, không đưa vào tổng hợp"
            else:
                detail = f.note
            lines.append(f"- {f.name}: {f.status} — {detail}")
            if f.status is not Status.REJECTED:
                lines += [f"    {p}" for p in f.problems]
        if self.recipients is None:
            lines.append(
                "Không có danh sách đơn vị (--don-vi): không kiểm tra được đơn vị nào chưa gửi."
            )
        elif self.missing:
            lines.append(f"Chưa gửi biểu ({len(self.missing)}): " + "; ".join(self.missing))
        else:
            lines.append("Mọi đơn vị trong danh sách đều đã gửi biểu.")
        done = f"Đã tổng hợp {len(self.valid)}/{self.expected} đơn vị"
        if outside := self._outside():
            done += f" (có {outside} đơn vị ngoài danh sách)"
        summary = [
            done,
            f"{self.count(Status.ERRORS)} tệp có lỗi",
            f"{self.count(Status.REJECTED)} tệp bị loại",
        ]
        if self.recipients is not None:
            summary.append(f"{len(self.missing)} đơn vị chưa gửi")
        if self.count(Status.SKIPPED):
            summary.append(f"{self.count(Status.SKIPPED)} tệp bỏ qua")
        if self.warnings:
            summary.append(f"{len(self.warnings)} cảnh báo")
        lines.append("; ".join(summary) + ".")
        return lines

    def summary_docx(self, profile: Profile, *, caption: str, place: str, when: date) -> bytes:
        """The biểu tổng hợp as a .docx in the profile's styles (deterministic bytes)."""
        from tetngheo_docs.forms import docx as form_docx

        derived = summary_form(self.form, notes=self.notes())
        data = [[_docx_value(v) for v in row] for row in self.summary_rows()]
        totals = [_docx_value(v) for v in self.totals()]
        derived = _fit_columns(derived, data, totals, profile)
        return form_docx.standalone_docx(
            derived,
            profile,
            caption=summary_caption(caption),
            place=place,
            when=when,
            data=data,
            totals=totals if derived.tong_cong else None,
        )

    def summary_xlsx(
        self, *, caption: str, place: str = "", year: int | None = None, symbol: str = ""
    ) -> bytes:
        """The biểu tổng hợp as an .xlsx: values, Tổng cộng as formulas."""
        return xlsx.summary_xlsx(
            summary_form(self.form),
            self.summary_rows(),
            caption=summary_caption(caption),
            place=place,
            year=year,
            symbol=symbol,
            ma=self.form.ma,
            notes=self.notes(),
        )


# ------------------------------------------------------------------------ summary form


def _unit_column(form: BieuMau) -> int:
    """Where the "Đơn vị" column goes: first, or after a leading STT column."""
    first = form.cot[0]
    return 1 if not first.cot and first.kieu == "stt" else 0


def summary_form(form: BieuMau, *, notes: Sequence[str] = ()) -> BieuMau:
    """The form of the biểu tổng hợp: the unit's form with a "Đơn vị" text column in front
    (after STT), no fixed or blank rows (the data is given), `notes` as its ghi chú."""
    cols = list(form.cot)
    cols.insert(_unit_column(form), Cot(ten="Đơn vị", kieu="van_ban"))
    update = {"cot": cols, "dong": [], "dong_trong": 0, "ghi_chu": list(notes)}
    return form.model_copy(update=update)


def summary_caption(caption: str) -> str:
    """ "(Kèm theo Công văn …)" of the form → "(Tổng hợp theo Công văn …)" of the summary."""
    for prefix in ("(Kèm theo ", "Kèm theo "):
        if caption.startswith(prefix):
            return prefix.replace("Kèm theo", "Tổng hợp theo") + caption[len(prefix) :]
    return caption


def _fit_columns(
    form: BieuMau, data: Sequence[Sequence[Any]], totals: Sequence[Any], profile: Profile
) -> BieuMau:
    """The summary form with a width (`rong`, mm) on every column, from its header and its
    values: the .docx layout only measures headers, and a column of activity names typed by
    the units needs room its two-word header does not ask for."""
    from tetngheo_docs.forms.docx import column_widths, format_value
    from tetngheo_docs.vn.metrics import text_width_mm

    size = profile.style("BangChu").size
    headers = column_widths(form, profile)
    page = profile.page
    landscape = page.height_mm - page.margin_left_mm - page.margin_right_mm
    pad = 4.0  # cell margins and a little air
    fixed: dict[int, float] = {}
    wanted: dict[int, float] = {}
    for i, (cot, header) in enumerate(zip(form.leaves, headers, strict=True)):
        shown = [format_value(row[i], cot.kieu) for row in data]
        widest = max((text_width_mm(v, size) for v in shown if v), default=0.0) + pad
        if totals and i < len(totals) and totals[i] is not None:
            total = format_value(totals[i], cot.kieu)
            widest = max(widest, text_width_mm(total, size, bold=True) + pad)
        if cot.kieu == "van_ban" and not cot.rong and widest > 35.0:
            wanted[i] = max(header, min(widest, 90.0))
        else:
            fixed[i] = header if cot.rong else max(header, widest)
    # Numbers and dates get what they need; text columns share the rest, wrapping if needed.
    room = max(landscape - sum(fixed.values()), 0.0)
    asked = sum(wanted.values())
    if asked > room and asked > 0:
        minimum = {i: headers[i] for i in wanted}
        spare = max(room - sum(minimum.values()), 0.0)
        extra = {i: wanted[i] - minimum[i] for i in wanted}
        share = spare / sum(extra.values()) if sum(extra.values()) else 0.0
        wanted = {i: minimum[i] + extra[i] * share for i in wanted}
    widths = [round(fixed[i] if i in fixed else wanted[i], 1) for i in range(len(headers))]
    it = iter(widths)

    def sized(cols: list[Cot]) -> list[Cot]:
        return [
            c.model_copy(update={"cot": sized(c.cot)} if c.cot else {"rong": next(it)})
            for c in cols
        ]

    return form.model_copy(update={"cot": sized(form.cot)})


def _docx_value(value: XlsxValue) -> str | int | float | None:
    if isinstance(value, date):
        return dates.dd_mm_yyyy(value)
    return value


# ------------------------------------------------------------------------------- units


def unit_key(name: str) -> str:
    """How unit names are compared: as recipient names are (`recipients.identity`: NFKC,
    case folded, spaces collapsed, nothing invisible, ủy = uỷ)."""
    from tetngheo_docs.recipients import identity

    return identity(name)


def read_unit_list(path: Path) -> list[str]:
    """The units a form was sent to, read as `tetngheo issue --nguoi-nhan` reads a list
    (`recipients.read`): a .txt with one unit per line (blank lines and lines starting
    with '#' skipped) or with a header, a .csv in any encoding an office saves, a .xlsx, or
    a YAML file whose ``don_vi:`` lists the names. Raises with every problem."""
    return [r.name for r in read_units(path).recipients]


def read_units(path: Path) -> RecipientList:
    """`read_unit_list` with the warnings (an encoding converted, characters removed)."""
    from tetngheo_docs import recipients

    return recipients.read(path)


# ----------------------------------------------------------------------------- reading


@dataclass
class _Area:
    sheet: str
    min_col: int
    min_row: int
    max_col: int
    max_row: int


@dataclass
class _Raw:
    """What openpyxl gave for one workbook, before any checking."""

    facts: dict[str, str]
    unit: _Area | None = None
    data: _Area | None = None
    total: _Area | None = None
    unit_value: object = None
    grid: list[tuple[object, ...]] = field(default_factory=list)
    total_values: tuple[object, ...] = ()


def _area(ref: str) -> _Area | None:
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.workbook.defined_name import DefinedName

    try:
        dests = list(DefinedName("x", attr_text=ref).destinations)
    except Exception:  # a #REF! or a formula: not a place
        return None
    if len(dests) != 1:
        return None
    sheet, coords = dests[0]
    try:
        min_col, min_row, max_col, max_row = range_boundaries(coords.replace("$", ""))
    except ValueError:
        return None
    if None in (min_col, min_row, max_col, max_row):
        return None
    return _Area(sheet, int(min_col), int(min_row), int(max_col), int(max_row))  # type: ignore[arg-type]


def _constant(ref: str) -> str:
    ref = ref.strip()
    if len(ref) >= 2 and ref[0] == ref[-1] == '"':
        return ref[1:-1].replace('""', '"')
    return ref


def _load(data: bytes) -> _Raw:
    """Open a workbook checked by `_precheck` and read what the names point at (openpyxl
    errors propagate)."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        try:
            return _read(wb)
        finally:
            wb.close()


def _read(wb: Any) -> _Raw:
    names = {name: dn.attr_text or "" for name, dn in wb.defined_names.items()}
    facts: dict[str, str] = {}
    refs: dict[str, str] = {}
    if xlsx.NAME_ID in names:
        facts["ma"] = _constant(names[xlsx.NAME_ID])
        facts["phien_ban"] = _constant(names.get(xlsx.NAME_VERSION, ""))
        facts["loai"] = _constant(names.get(xlsx.NAME_KIND, ""))
        if xlsx.NAME_COLUMNS in names:
            facts["cot"] = _constant(names[xlsx.NAME_COLUMNS])
        refs = {
            "don_vi": names.get(xlsx.NAME_UNIT, ""),
            "du_lieu": names.get(xlsx.NAME_DATA, ""),
            "tong": names.get(xlsx.NAME_TOTAL, ""),
        }
    complete = facts.get("ma") and all(refs.get(k) for k in ("du_lieu", "don_vi"))
    if not complete and xlsx.STAMP_SHEET in wb.sheetnames:  # names lost: the stamp sheet
        stamp = wb[xlsx.STAMP_SHEET]
        for row in stamp.iter_rows(min_row=1, max_row=30, max_col=2, values_only=True):
            if len(row) == 2 and isinstance(row[0], str) and row[1] is not None:
                key, value = row[0].strip(), str(row[1]).strip()
                if key in ("ma", "phien_ban", "loai", "cot"):
                    facts.setdefault(key, value)
                elif key in ("don_vi", "du_lieu", "tong") and not refs.get(key):
                    refs[key] = value
    raw = _Raw(facts)
    raw.unit = _area(refs["don_vi"]) if refs.get("don_vi") else None
    raw.data = _area(refs["du_lieu"]) if refs.get("du_lieu") else None
    raw.total = _area(refs["tong"]) if refs.get("tong") else None
    if raw.data is None or raw.data.sheet not in wb.sheetnames:
        return raw
    if raw.data.max_row - raw.data.min_row + 1 > MAX_ROWS:
        return raw
    ws = wb[raw.data.sheet]
    areas = [a for a in (raw.unit, raw.data, raw.total) if a and a.sheet == raw.data.sheet]
    top = min(a.min_row for a in areas)
    bottom = max(a.max_row for a in areas)
    right = max(a.max_col for a in areas)
    grid = {
        r: row
        for r, row in enumerate(
            ws.iter_rows(min_row=top, max_row=bottom, max_col=right, values_only=True), start=top
        )
    }

    def at(r: int, c: int) -> object:
        row = grid.get(r, ())
        return row[c - 1] if c - 1 < len(row) else None

    if raw.unit and raw.unit.sheet == raw.data.sheet:
        raw.unit_value = at(raw.unit.min_row, raw.unit.min_col)
    d = raw.data
    raw.grid = [
        tuple(at(r, c) for c in range(d.min_col, d.max_col + 1))
        for r in range(d.min_row, d.max_row + 1)
    ]
    if raw.total and raw.total.sheet == raw.data.sheet:
        raw.total_values = tuple(at(raw.total.min_row, c) for c in range(d.min_col, d.max_col + 1))
    return raw


def _precheck(path: Path) -> str | bytes:
    """Why a file is not worth opening, or its bytes once `ooxml_guard` has checked them
    (limits, zip bomb, sizes while inflating, no DOCTYPE) — before openpyxl sees them."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        return "tệp Excel 97-2003 (.xls): hãy mở bằng Excel và lưu lại dạng .xlsx"
    if suffix not in SUFFIXES:
        return f"không phải tệp .xlsx ({suffix or 'không có đuôi'}); hãy gửi biểu dạng .xlsx"
    try:
        size = path.stat().st_size
        if size > ooxml_guard.LIMITS.file_bytes:
            return f"tệp quá lớn ({size // (1024 * 1024)} MB) để là một biểu mẫu"
        data = path.read_bytes()
    except OSError as err:
        return f"không đọc được tệp ({err.strerror})"
    try:
        ooxml_guard.check(data, path.name, "xlsx")
    except ooxml_guard.PackageError as err:
        return f"tệp hỏng hoặc không an toàn: {err.detail}"
    return data


def _column_titles(form: BieuMau) -> list[str]:
    """Each leaf's name for messages, with its groups: "Số tiền – Nguồn xã hội hóa"."""
    out: list[str] = []

    def walk(cols: list[Cot], trail: tuple[str, ...]) -> None:
        for c in cols:
            if c.cot:
                walk(c.cot, (*trail, c.ten))
            else:
                out.append(" – ".join((*trail, c.ten)))

    walk(form.cot, ())
    return out


def read_return(path: Path, form: BieuMau) -> FileResult:
    """Read and check one returned file against `form` (never raises for a bad file)."""
    result = FileResult(path)
    if path.name.startswith("~$"):
        return result.skip("tệp khóa tạm của Excel (có người đang mở biểu), không phải biểu")
    if path.suffix.lower() in SKIPPED_SUFFIXES:
        return result.skip("tệp ghi chú hoặc chương trình, không phải biểu")
    checked = _precheck(path)
    if isinstance(checked, str):
        return result.reject(checked)
    try:
        raw = _load(checked)
    except Exception as err:  # openpyxl, zip, XML and defusedxml errors alike
        detail = str(err).strip().splitlines()[0][:120] if str(err).strip() else ""
        kind = type(err).__name__
        return result.reject(f"tệp hỏng, không đọc được ({kind}{': ' + detail if detail else ''})")
    return _check(result, raw, form)


def _check(result: FileResult, raw: _Raw, form: BieuMau) -> FileResult:
    facts = raw.facts
    ma = facts.get("ma", "")
    if facts.get("loai") == xlsx.KIND_SUMMARY:
        return result.skip("biểu tổng hợp do tetngheo tạo, không phải biểu của một đơn vị")
    if not ma:
        return result.reject(
            "không phải biểu mẫu tetngheo gửi đi (không thấy mã biểu); "
            "đơn vị cần điền vào tệp .xlsx được gửi kèm văn bản"
        )
    if ma != form.ma:
        return result.reject(f"là biểu '{ma}', không phải biểu '{form.ma}'")
    want = int(form.phien_ban or 1)
    if facts.get("phien_ban", "").strip() != str(want):
        got = facts.get("phien_ban") or "?"
        return result.reject(
            f"biểu '{ma}' phiên bản {got}, mẫu hiện hành là phiên bản {want}: "
            "đơn vị cần điền lại trên mẫu mới"
        )
    leaves = form.leaves
    kinds = ",".join(c.kieu for c in leaves)
    if facts.get("cot") and facts["cot"] != kinds:
        return result.reject("các cột của biểu khác mẫu (đã thêm, xóa hoặc đổi cột)")
    if raw.data is None:
        return result.reject("không tìm thấy vùng số liệu của biểu (tên TETNGHEO_DU_LIEU)")
    if raw.data.max_row - raw.data.min_row + 1 > MAX_ROWS:
        return result.reject(f"vùng số liệu có hơn {MAX_ROWS} dòng")
    if raw.data.max_col - raw.data.min_col + 1 != len(leaves):
        return result.reject(
            f"vùng số liệu có {raw.data.max_col - raw.data.min_col + 1} cột, "
            f"mẫu có {len(leaves)} cột"
        )

    from openpyxl.utils import get_column_letter

    def coord(col: int, row: int) -> str:
        return f"{get_column_letter(col)}{row}"

    # The unit.
    unit_cell = coord(raw.unit.min_col, raw.unit.min_row) if raw.unit else ""
    unit = xlsx.nfc_strip(text.strip_invisible(_as_text(raw.unit_value)))
    result.unit = unit
    if not unit:
        result.add(f"chưa ghi tên đơn vị (ô {unit_cell or 'Đơn vị'})")

    titles = _column_titles(form)
    d = raw.data
    first_row, first_col = d.min_row, d.min_col
    columns_ok = [True] * len(leaves)
    sums = [0] * len(leaves)
    numeric_only = [0] * len(leaves)  # what Excel's SUM sees (it skips numbers typed as text)

    def parse_row(values: tuple[object, ...], row: int) -> list[XlsxValue] | None:
        parsed: list[XlsxValue] = []
        bad = False
        for i, (cot, value) in enumerate(zip(leaves, values, strict=True)):
            got, problem = _parse(value, cot.kieu)
            if problem:
                result.add(problem, coord(first_col + i, row), titles[i])
                columns_ok[i] = False
                bad = True
                got = None
            parsed.append(got)
            if isinstance(got, int) and cot.kieu in SUMMED_KINDS:
                sums[i] += got
                if isinstance(value, int | float):
                    numeric_only[i] += got
        return None if bad else parsed

    def required(values: tuple[object, ...], row: int) -> None:
        for i, cot in enumerate(leaves):
            if cot.bat_buoc and _blank(values[i]) and not (form.dong and i == label):
                result.add("cột bắt buộc, chưa ghi", coord(first_col + i, row), titles[i])

    label = form.label_column()
    if form.dong:
        if len(raw.grid) != len(form.dong):
            result.add(
                f"vùng số liệu có {len(raw.grid)} dòng, mẫu có {len(form.dong)} dòng "
                "(đã thêm hoặc xóa dòng): đơn vị cần điền lại trên mẫu"
            )
        else:
            number = 0
            for j, (d_row, values) in enumerate(zip(form.dong, raw.grid, strict=True)):
                row = first_row + j
                if d_row.muc or d_row.placeholder:  # locked rows without figures
                    continue
                shown = xlsx.nfc_strip(_as_text(values[label]))
                expected = d_row.label(label)
                if unit_key(shown) != unit_key(expected):
                    result.add(
                        f"dòng '{shown}' khác mẫu ('{expected}')",
                        coord(first_col + label, row),
                        titles[label],
                    )
                if d_row.nhom:
                    continue
                number += 1
                parsed = parse_row(values, row)
                required(values, row)
                if parsed is None:
                    continue
                parsed[label] = expected
                for i, cot in enumerate(leaves):
                    if cot.kieu == "stt":
                        parsed[i] = str(number)
                result.rows.append(parsed)
    else:
        for j, values in enumerate(raw.grid):
            row = first_row + j
            if all(_blank(v) for v, c in zip(values, leaves, strict=True) if c.kieu != "stt"):
                continue
            parsed = parse_row(values, row)
            required(values, row)
            if parsed is None:
                continue
            for i, cot in enumerate(leaves):
                if cot.kieu == "stt":
                    parsed[i] = None  # renumbered in the summary
            result.rows.append(parsed)
        if not result.rows and not result.errors:
            result.add("biểu không có dòng số liệu nào", warn=True)

    # Totals: a number in a total cell (typed over the formula, or cached by Excel) must
    # equal the sum of the rows; a formula without a cached value reads as empty.
    totals: list[XlsxValue] = []
    for i, cot in enumerate(leaves):
        totals.append(sums[i] if cot.kieu in SUMMED_KINDS else None)
        if cot.kieu not in SUMMED_KINDS or not raw.total_values or raw.total is None:
            continue
        value = raw.total_values[i]
        if _blank(value):
            continue
        cell = coord(first_col + i, raw.total.min_row)
        column = f"Tổng cộng – {titles[i]}"
        typed, problem = _parse(value, cot.kieu)
        if problem:
            result.add(problem, cell, column)
        elif columns_ok[i] and typed != sums[i] and typed != numeric_only[i]:
            assert isinstance(typed, int)
            result.add(
                f"{numbers.nhom_nghin(typed)} khác tổng các dòng "
                f"({numbers.nhom_nghin(sums[i])}); hãy sửa lại hoặc để công thức =SUM",
                cell,
                column,
            )
    result.totals = totals
    if result.errors:
        result.status = Status.ERRORS
    return result


# ---------------------------------------------------------------------- cell values


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not text.strip_invisible(value).strip())


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return dates.dd_mm_yyyy(value.date())
        return f"{dates.dd_mm_yyyy(value.date())} {value:%H:%M}"
    if isinstance(value, date):
        return dates.dd_mm_yyyy(value)
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value).replace(".", ",")
    return str(value)


def _shown(value: object) -> str:
    """A cell value quoted in a message as the unit sees it."""
    if isinstance(value, int) and not isinstance(value, bool):
        return numbers.nhom_nghin(value)
    return _as_text(value)


_CURRENCY = ("đồng", "vnđ", "vnd", "đ")
_HINT = "ghi số như 1.234.567 hoặc 1234567"


def _parse(value: object, kind: str) -> tuple[XlsxValue, str | None]:
    """A cell value as the column's kind: (value, None) or (None, the problem)."""
    if _blank(value):
        return None, None
    if isinstance(value, str):
        value = text.strip_invisible(text.nfc(value)).strip()
    if kind in ("van_ban", "stt"):
        return xlsx.nfc_strip(_as_text(value)), None
    if kind in SUMMED_KINDS:
        return _parse_whole(value, kind)
    if kind == "phan_tram":
        return _parse_percent(value)
    if kind == "ngay":
        return _parse_date(value)
    return _as_text(value), None  # pragma: no cover - every kind is handled above


def _parse_whole(value: object, kind: str) -> tuple[XlsxValue, str | None]:
    if isinstance(value, bool) or isinstance(value, date | time | timedelta):
        return None, f"'{_as_text(value)}' không phải số ({_HINT})"
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, "ô chứa lỗi hoặc số không hợp lệ"
        if abs(value - round(value)) > 1e-6:
            unit = "tiền ghi đến đồng" if kind == "tien" else "cột này chỉ nhận số nguyên"
            return None, f"'{_as_text(value)}' có phần lẻ ({unit})"
        value = round(value)
    if isinstance(value, int):
        if value < 0:
            return None, f"'{_shown(value)}' là số âm; cột này chỉ nhận số không âm"
        return value, None
    raw = str(value)
    if raw.startswith("#"):  # #VALUE!, #REF! … cached by Excel
        return None, f"ô báo lỗi {raw}"
    core = raw
    if kind == "tien":
        low = core.casefold()
        for suffix in _CURRENCY:
            if low.endswith(suffix):
                core = core[: len(core) - len(suffix)].rstrip(" .")
                break
    try:
        number = numbers.parse_so_nguyen(core)
    except ValueError as err:
        if any(ch.isalpha() for ch in core) or not core:
            return None, f"'{raw}' không phải số ({_HINT})"
        return None, f"'{raw}': {err}"
    if number < 0:
        return None, f"'{raw}' là số âm; cột này chỉ nhận số không âm"
    return number, None


def _parse_percent(value: object) -> tuple[XlsxValue, str | None]:
    if isinstance(value, bool) or isinstance(value, date | time | timedelta):
        return None, f"'{_as_text(value)}' không phải tỷ lệ phần trăm"
    if isinstance(value, int | float):
        number = float(value)
    else:
        raw = str(value).removesuffix("%").strip().replace(",", ".")
        try:
            number = float(raw)
        except ValueError:
            return None, f"'{value}' không phải tỷ lệ phần trăm (ghi như 12,5)"
    if not math.isfinite(number) or not 0 <= number <= 100:
        return None, f"'{_as_text(value)}' ngoài khoảng 0–100%"
    return (int(number) if number.is_integer() else number), None


def _parse_date(value: object) -> tuple[XlsxValue, str | None]:
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        try:
            got = from_excel(value)
        except (ValueError, OverflowError):
            return None, f"'{_as_text(value)}' không phải ngày"
        return (got.date() if isinstance(got, datetime) else None), None
    try:
        return dates.parse_date(str(value)), None
    except ValueError as err:
        return None, str(err)


# ---------------------------------------------------------------------------- collect


def _read_chunk(args: tuple[list[Path], BieuMau]) -> list[FileResult]:
    paths, form = args
    return [read_return(p, form) for p in paths]


def _read_all(paths: list[Path], form: BieuMau, workers: int | None) -> list[FileResult]:
    """`read_return` for every path, in order; on every core from `PARALLEL_FROM` files
    (openpyxl spends ~10 ms opening even a small workbook)."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if len(paths) >= PARALLEL_FROM else 1
    if workers <= 1 or len(paths) < 2:
        return [read_return(p, form) for p in paths]
    import multiprocessing

    method = "fork" if hasattr(os, "fork") else "spawn"
    size = -(-len(paths) // (workers * 4))
    chunks = [(paths[i : i + size], form) for i in range(0, len(paths), size)]
    with multiprocessing.get_context(method).Pool(workers) as pool:
        return [f for chunk in pool.map(_read_chunk, chunks) for f in chunk]


def collect(
    folder: Path,
    form: BieuMau,
    *,
    recipients: Sequence[str] | None = None,
    workers: int | None = None,
) -> CollectResult:
    """Read every file of `folder` (not its subfolders), check each against `form`, match
    units against `recipients` (when given), flag duplicates and list who is missing.
    `workers`: processes reading files (default: one per core, from `PARALLEL_FROM` files)."""
    paths = sorted(
        (p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")),
        key=lambda p: p.name,
    )
    files = _read_all(paths, form, workers)
    names = list(recipients) if recipients is not None else None
    by_key = {unit_key(r): r for r in names or []}

    for f in files:
        if f.status in (Status.REJECTED, Status.SKIPPED) or not f.unit:
            continue
        key = unit_key(f.unit)
        if names is None:
            continue
        if key in by_key:
            f.recipient = by_key[key]
            continue
        close = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.8)
        hint = f"; có phải '{by_key[close[0]]}'?" if close else ""
        f.add(f"đơn vị '{f.unit}' không có trong danh sách đơn vị{hint}", warn=True)

    # Two files for one unit: neither is summed, the office keeps one and runs again.
    groups: dict[str, list[FileResult]] = {}
    for f in files:
        if f.status in (Status.VALID, Status.ERRORS) and f.unit:
            groups.setdefault(unit_key(f.display_unit), []).append(f)
    for group in groups.values():
        if len(group) < 2:
            continue
        listed = ", ".join(g.name for g in group)
        for g in group:
            g.add(
                f"đơn vị '{g.display_unit}' có {len(group)} tệp ({listed}): "
                "giữ lại một tệp rồi tổng hợp lại"
            )
            g.status = Status.ERRORS

    missing = [r for r in names or [] if unit_key(r) not in groups]
    return CollectResult(form, folder, files, names, missing)
