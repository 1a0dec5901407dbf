"""Validated directive model: sources (agency file + directive + CLI) → a frozen `Directive`.

Every problem is collected in one pass and mapped back to ``file:line:col`` and the YAML
path it came from; unknown keys get "có phải ý bạn là …?". Values arrive as strings (the
source stage never lets YAML guess types) and are parsed here on purpose: dates, numbers,
choices. Precedence: CLI option > directive > agency file > built-in default.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from tetngheo_docs import body as body_grammar
from tetngheo_docs import placeholders, profiles
from tetngheo_docs.errors import (
    DirectiveError,
    Issue,
    Location,
    ProfileError,
    Severity,
    SourceError,
)
from tetngheo_docs.fields import (
    Bool,
    Date,
    FrozenModel,
    Lines,
    Number,
    RequiredText,
    RequiredTitle,
    SystemName,
    Text,
    TitleText,
    _kind,
    _system,
)
from tetngheo_docs.forms.model import Bang, BieuMau
from tetngheo_docs.profiles import Profile
from tetngheo_docs.render.ooxml import Run
from tetngheo_docs.source import BlockText, Source, load_yaml, path_str
from tetngheo_docs.vn import numbers, text

Path_ = tuple[str | int, ...]


def _cap_so(value: Any) -> str:
    raw = str(value).strip().lower().replace(" ", "_")
    if raw not in ("chung", "rieng", "riêng"):
        raise PydanticCustomError(
            "tetngheo", f"'{value}' không hợp lệ; viết 'chung' (một số cho mọi bản) hoặc 'rieng'"
        )
    return "rieng" if raw == "riêng" else raw


CapSo = Annotated[Literal["chung", "rieng"], BeforeValidator(_cap_so)]

#: Độ khẩn and độ mật [P PL-I §III.2]; the modern spelling "HỎA TỐC".
URGENCY = ("HỎA TỐC", "THƯỢNG KHẨN", "KHẨN")
SECRECY = ("TUYỆT MẬT", "TỐI MẬT", "MẬT")

SYSTEM_NAMES = {"dang": "văn bản của Đảng (HD36)", "nha_nuoc": "văn bản hành chính (ND30)"}

#: Mappings a directive replaces as a whole rather than field by field: a signer is one
#: person with one authority. Merging a directive's ``quyen_han: K/T TRƯỞNG BAN`` and
#: ``ho_ten`` with the agency's ``chuc_vu: TRƯỞNG BAN`` printed a head signing "for" himself.
WHOLE_KEYS = frozenset({"nguoi_ky"})

#: Keys an agency file (tetngheo.yaml) may hold: what every directive of an office repeats.
AGENCY_KEYS = frozenset(
    {
        "phien_ban",
        "he_thong",
        "the_thuc",
        "co_quan",
        "dia_danh",
        "nguoi_ky",
        "noi_nhan_cuoi",
        "don_vi_soan_thao",
        "dia_chi",
        "nhiem_ky",
        "nguoi_thuc_hien",
        "so_van_ban",
        "mau",
    }
)

#: Names printed on the document and recorded in the register: an invisible character in them
#: is refused (the file must be corrected), elsewhere it is removed with a warning.
NAMES = frozenset({"co_quan", "nguoi_ky", "nguoi_ky_lien_tich", "ky_hieu"})

# --------------------------------------------------------------------------- the model


def _templates(value: Any) -> dict[str, str]:
    """``mau: mau/cv.docx`` (every type) or ``mau: {cong_van: …, ke_hoach: …}``."""
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        return {"*": value.strip()}
    if isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
    ):
        return {k: v.strip() for k, v in value.items()}
    raise PydanticCustomError(
        "tetngheo",
        "mẫu riêng của cơ quan: một tệp .docx cho mọi loại (mau: mau/cong-van.docx) hoặc "
        "mỗi loại một tệp (mau: {cong_van: mau/cv.docx})",
    )


class CoQuan(FrozenModel):
    """The issuing body (ô 2): its parent lines, its own name lines and abbreviation."""

    chu_quan: Lines = []
    ten: Lines
    ten_day_du: Text = ""
    viet_tat: Text = ""


class NguoiKy(FrozenModel):
    """The signer (ô 7): optional authority lines (KT. GIÁM ĐỐC, T/M BAN THƯỜNG VỤ), title, name.

    Several ``quyen_han`` lines stack (``TL. BỘ TRƯỞNG`` over ``KT. CHÁNH VĂN PHÒNG``);
    ``da_ky: có`` prints "(Đã ký)" in the signature space of a copy.
    """

    quyen_han: Lines = []
    chuc_vu: Lines
    ho_ten: RequiredText
    da_ky: Bool = False


def _term(value: Any) -> str:
    raw = str(value).strip().replace("–", "-").replace(" ", "")
    m = re.fullmatch(r"(\d{4})-(\d{4})", raw)
    if not m or int(m[1]) >= int(m[2]):
        raise PydanticCustomError(
            "tetngheo", f"tên nhiệm kỳ '{value}' phải có dạng năm-năm, ví dụ 2020-2025"
        )
    return raw


class NhiemKy(FrozenModel):
    """A Party committee term: Party numbers run per document type within a term [HD36]."""

    ten: Annotated[str, BeforeValidator(_term)]
    tu: Date
    den: Date | None = None


class PhuLuc(FrozenModel):
    """An appendix: its own section and page numbering, after the letter.

    With ``loai`` (a quyết định's kế hoạch, quy chế, chương trình…) it is a document issued
    with the letter: its own type name, ``tieu_de`` as its trích yếu and "(Ban hành kèm theo
    Quyết định số …)" instead of "Phụ lục" [format-rules §10.1; PL-III Mẫu 1.3].
    """

    loai: Text = ""
    tieu_de: Text = ""
    noi_dung: Text = ""
    #: Tables after the text, in the forms' table syntax (`forms.model.Bang`): headers
    #: spanning rows and columns, section and "…" rows, column numbers, a total row.
    bang: list[Bang] = []
    ngang: Bool = False

    @model_validator(mode="after")
    def _has_content(self) -> PhuLuc:
        if not self.noi_dung.strip() and not self.bang:
            raise PydanticCustomError("tetngheo", "phụ lục cần noi_dung hoặc bang")
        return self


class Directive(FrozenModel):
    """A công văn, validated; every field as the văn thư wrote it, parsed where needed."""

    phien_ban: Literal["1"] = "1"
    #: Stable id of the directive in the register (default: its file path in the office).
    ma: Text = ""
    he_thong: SystemName
    the_thuc: Text = ""
    loai: RequiredText = "cong_van"
    co_quan: CoQuan
    so: Number = None
    ky_hieu: Text = ""
    don_vi_soan_thao: Text = ""
    dia_danh: RequiredText
    ngay: Date
    #: One line or a list of lines (each printed on its own line); stored joined by "\n".
    trich_yeu: RequiredTitle
    #: The type title when it runs over several lines (a Party kết luận: "Kết luận",
    #: "của Ban Thường vụ Tỉnh ủy"); the first line is the type's name. Empty: the name.
    ten_loai: TitleText = ""
    kinh_gui: Lines = []
    tham_quyen: Text = ""
    can_cu: Lines = []
    noi_dung: RequiredText
    nguoi_ky: NguoiKy
    #: Joint documents (liên tịch): the other bodies' signers, shown left of the main signer.
    nguoi_ky_lien_tich: list[NguoiKy] = []
    noi_nhan: Lines = []
    noi_nhan_cuoi: Lines = []
    phu_luc: list[PhuLuc] = []
    bieu_mau: list[BieuMau] = []
    # Optional marks (ô 10, 11, 13):
    do_khan: Text = ""
    do_mat: Text = ""
    pham_vi_luu_hanh: Text = ""
    du_thao: Number = None
    dia_chi: Text = ""
    # Batch issue: one number shared by every copy ("chung") or one per letter ("rieng").
    cap_so: CapSo = "chung"
    so_mat: Bool = False  # confidential series (State)
    nhiem_ky: list[NhiemKy] = []
    #: Who numbers and issues, as the register and its history record it (the văn thư's
    #: name); empty: the operating-system account, labelled as such.
    nguoi_thuc_hien: Text = ""
    #: The office's register when it is not the file next to tetngheo.yaml: a path
    #: (relative to the agency file) or a postgresql:// URL shared by the office.
    so_van_ban: Text = ""
    #: The office's own Word templates (tetngheo.yaml): one file for every type, or one per
    #: type (``{cong_van: mau/cv.docx}``); paths relative to the agency file.
    mau: Annotated[dict[str, str], BeforeValidator(_templates)] = {}
    # Filled by build(), not by the user:
    blocks: tuple[body_grammar.Block | body_grammar.TableBlock, ...] = ()
    appendix_blocks: tuple[tuple[body_grammar.Block | body_grammar.TableBlock, ...], ...] = ()
    #: Footnotes of the body and the phụ lục, in order: note ``i + 1`` is ``notes[i]``.
    notes: tuple[tuple[Run, ...], ...] = ()
    form_files: tuple[str, ...] = ()  # the `tep:` files the forms came from (for rebuilds)
    #: Where the first per-recipient ``${field}`` is (and its YAML path), when a body has one.
    personal_at: tuple[Location, str] | None = None

    @property
    def symbol(self) -> str:
        return self.ky_hieu


# --------------------------------------------------------------------------- merging


class Merged:
    """Agency file, directive and CLI overrides merged, remembering where each value came from."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.locations: dict[Path_, Location] = {}
        self.key_locations: dict[Path_, Location] = {}
        self.blocks: dict[Path_, BlockText] = {}
        self.form_files: list[str] = []
        self.primary = Location("<dòng lệnh>")
        #: WHOLE_KEYS the directive replaced (their defaults from the agency file are gone).
        self.replaced: set[str] = set()

    def add(self, src: Source, keys: frozenset[str] | None = None) -> None:
        data = src.data if isinstance(src.data, dict) else {}
        for key, value in data.items():
            if keys is not None and key not in keys:
                continue
            if key in WHOLE_KEYS and key in self.data:
                self.replaced.add(key)
                self.data.pop(key)  # replaced as a whole, not merged field by field
            self._put((key,), value, src, self.data)

    def _put(self, path: Path_, value: Any, src: Source, target: dict[str, Any]) -> None:
        key = path[-1]
        assert isinstance(key, str)
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            for k, v in value.items():
                self._put((*path, k), v, src, target[key])
            self.key_locations.setdefault(path, src.key_loc(path))
            return
        target[key] = value
        for p in [p for p in self.locations if p[: len(path)] == path]:
            del self.locations[p]
        for p, loc in src.locations.items():
            if p[: len(path)] == path:
                self.locations[p] = loc
        for p, loc in src.key_locations.items():
            if p[: len(path)] == path:
                self.key_locations[p] = loc
        self.blocks = {p: b for p, b in self.blocks.items() if p[: len(path)] != path}
        self.blocks |= {p: b for p, b in src.blocks.items() if p[: len(path)] == path}

    def graft(self, path: Path_, src: Source) -> None:
        """Put a whole file's content at ``path`` (a form kept in its own file)."""
        target: Any = self.data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = src.data
        for p, loc in src.locations.items():
            self.locations[(*path, *p)] = loc
        for p, loc in src.key_locations.items():
            self.key_locations[(*path, *p)] = loc
        for p, b in src.blocks.items():
            self.blocks[(*path, *p)] = b

    def override(self, key: str, value: Any) -> None:
        """A CLI option: wins over everything, located on the command line."""
        self.data[key] = value
        self.locations[(key,)] = Location(f"<dòng lệnh --{key.replace('_', '-')}>", 1, 1)

    def loc(self, path: Path_, *, key: bool = False) -> Location:
        if key and path in self.key_locations:
            return self.key_locations[path]
        for n in range(len(path), 0, -1):
            if path[:n] in self.locations:
                return self.locations[path[:n]]
            if path[:n] in self.key_locations:
                return self.key_locations[path[:n]]
        return self.primary


# --------------------------------------------------------------------------- validation


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; có phải ý bạn là '{close[0]}'?" if close else ""


def _pydantic_issues(err: ValidationError, merged: Merged) -> list[Issue]:
    issues = []
    for e in err.errors():
        loc = tuple(e["loc"])
        kind = e["type"]
        if kind == "extra_forbidden":
            parent = _model_at(loc[:-1])
            allowed = sorted(parent.model_fields) if parent else []
            allowed = [a for a in allowed if a != "blocks"]
            msg = f"khóa '{loc[-1]}' không có trong mẫu{_suggest(str(loc[-1]), allowed)}"
            issues.append(Issue(merged.loc(loc, key=True), path_str(loc), msg))
            continue
        if kind == "missing":
            msg = "thiếu mục bắt buộc"
            if loc[0] in merged.replaced:
                msg += (
                    f" ('{loc[0]}' trong văn bản thay toàn bộ '{loc[0]}' của tệp cơ quan, không "
                    "ghép từng mục: hãy ghi đủ các mục ở văn bản)"
                )
            where = merged.loc(loc[:-1], key=True) if len(loc) > 1 else merged.primary
        elif kind == "tetngheo":
            msg = e["msg"]
            where = merged.loc(loc)
        elif kind == "literal_error":
            msg = f"giá trị '{e['input']}' không hợp lệ; chọn {e['ctx']['expected']}"
            where = merged.loc(loc)
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            msg = f"phải là một ánh xạ (khóa: giá trị), không phải {_kind(e['input'])}"
            where = merged.loc(loc)
        elif kind in ("list_type",):
            msg = f"phải là một danh sách, không phải {_kind(e['input'])}"
            where = merged.loc(loc)
        else:  # pragma: no cover - a type we did not translate is still located
            msg = e["msg"]
            where = merged.loc(loc)
        issues.append(Issue(where, path_str(loc), msg))
    return issues


def _resolve_form_files(merged: Merged, directive: Path) -> list[Issue]:
    """``bieu_mau: [{tep: bieu-mau/x.yaml}]``: load each referenced form file in place."""
    forms = merged.data.get("bieu_mau")
    issues: list[Issue] = []
    for i, item in enumerate(forms if isinstance(forms, list) else []):
        if not (isinstance(item, dict) and set(item) == {"tep"} and isinstance(item["tep"], str)):
            continue
        path = ("bieu_mau", i)
        target = (directive.parent / item["tep"]).resolve()
        try:
            src = load_yaml(target, label=str(Path(merged.loc(path).file).parent / item["tep"]))
        except SourceError as err:
            issues.extend(err.issues)
            continue
        src, found = src.review()
        issues.extend(found)
        merged.graft(path, src)
        merged.form_files.append(str(target))
    return issues


def _missing_office_field(issue: Issue) -> bool:
    """A missing office-wide field usually means the agency file was not found."""
    return issue.message == "thiếu mục bắt buộc" and issue.path.split(".")[0] in AGENCY_KEYS


def _model_at(path: Path_) -> type[BaseModel] | None:
    model: type[BaseModel] = Directive
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        ann = field.annotation if field else None
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            model = ann
        else:
            return None
    return model


def build(
    directive: Source,
    agency: Source | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    convert_legacy: bool = False,
) -> tuple[Directive, list[Issue]]:
    """Validate the merged sources; return the directive and its warnings, or raise.
    ``convert_legacy``: convert pasted TCVN3/VNI text (warned) instead of refusing it."""
    merged = Merged()
    merged.primary = Location(directive.file)
    issues: list[Issue] = []
    from tetngheo_docs import legacy_text  # pasted TCVN3/VNI text: refused or converted

    directive, agency, issues = legacy_text.check(directive, agency, convert=convert_legacy)
    # What YAML would drop or hide (text cut by ' #', a bare null, invisible characters):
    # reported, and cleaned where that is safe, before anything reads the values.
    directive, found = directive.review(NAMES)
    issues.extend(found)
    if agency is not None:
        agency, found = agency.review(NAMES)
        issues.extend(found)
    if agency is not None:
        data = agency.data if isinstance(agency.data, dict) else {}
        for key in data:
            if key not in AGENCY_KEYS:
                hint = _suggest(key, sorted(AGENCY_KEYS))
                issues.append(
                    Issue(
                        agency.key_loc((key,)),
                        key,
                        f"khóa '{key}' không dùng trong tệp cơ quan{hint}",
                    )
                )
        merged.add(agency, AGENCY_KEYS)
    merged.add(directive)
    for key, value in (overrides or {}).items():
        if value is not None:
            merged.override(key, value)
    issues.extend(_resolve_form_files(merged, Path(directive.file)))
    # A draft's unfilled blanks ("Tại …", “…”) are errors wherever they are, so that a
    # draft is never checked clean, rendered or issued as it is.
    issues.extend(placeholders.issues(merged.data, merged.loc, merged.blocks))
    issues.extend(placeholders.review_marks(directive))  # warnings: notes left to review

    try:
        model = Directive.model_validate(merged.data)
    except ValidationError as err:
        found = _pydantic_issues(err, merged)
        issues.extend(found)
        if agency is None and any(_missing_office_field(i) for i in found):
            issues.append(
                Issue(
                    merged.primary,
                    "",
                    "không thấy tệp cơ quan tetngheo.yaml cạnh văn bản hay ở thư mục cha (nơi "
                    "ghi cơ quan, địa danh, người ký): tạo bằng 'tetngheo init' hoặc chỉ rõ "
                    "bằng --co-quan",
                )
            )
        issues.extend(_raw_checks(merged))
        raise DirectiveError(issues) from None
    profile, problems = _profile(model, merged)
    issues.extend(problems)
    if profile is None:
        raise DirectiveError(issues)
    issues.extend(_cross_checks(model, profile, merged))
    marks, personal_at = _field_marks(merged)
    issues.extend(marks)
    if profile.unverified:
        issues.append(
            Issue(
                merged.loc(("the_thuc",)),
                "the_thuc",
                f"hồ sơ thể thức '{profile.name}' có giá trị chưa kiểm chứng: "
                + "; ".join(profile.unverified),
                Severity.WARNING,
            )
        )
    parsed = _parse_body(model.noi_dung, ("noi_dung",), merged, issues)
    notes = list(parsed.notes)
    annex_blocks = []
    for i, a in enumerate(model.phu_luc):  # footnotes numbered on from the body's
        annex = _parse_body(
            a.noi_dung, ("phu_luc", i, "noi_dung"), merged, issues, first_note=len(notes) + 1
        )
        annex_blocks.append(tuple(annex.blocks))
        notes += annex.notes
    annexes = tuple(annex_blocks)
    if any(i.is_error for i in issues):
        raise DirectiveError(issues)
    update = {
        "blocks": tuple(parsed.blocks),
        "appendix_blocks": annexes,
        "notes": tuple(notes),
        "form_files": tuple(merged.form_files),
        "ky_hieu": _symbol(model, profile),
        "personal_at": personal_at,
    }
    model = model.model_copy(update=update)
    warning = personal_issue(model, Severity.WARNING)
    return model, [*issues, *([warning] if warning else [])]


# --------------------------------------------------------------------------- ${fields}

#: ``${name}`` (a per-recipient field, filled by `tetngheo issue`), ``${`` left open, and
#: the Word-template tags ``{{`` / ``{%`` that a văn thư may type out of mail-merge habit.
_FIELD_MARK = re.compile(r"\$\{([^{}\n]*)(\})?|\{\{|\{%")
_FIELD_NAME = re.compile(r"[a-z_][a-z0-9_]*")
PERSONAL_FIELD = re.compile(r"\$\{([a-z_][a-z0-9_]*)\}")


def _strings(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))
    elif isinstance(value, str):
        yield path, value


def _offset_location(merged: Merged, path: Path_, pos: int) -> Location:
    """The file position of character ``pos`` of a value (of its typed lines for a block)."""
    loc = merged.loc(path)
    raw = merged.blocks.get(path)
    if raw is None:
        return Location(loc.file, loc.line, loc.col + pos)
    before = raw.text[:pos]
    col = pos - (before.rfind("\n") + 1)
    return Location(loc.file, raw.first_line + before.count("\n"), raw.indent + col + 1)


def _field_marks(merged: Merged) -> tuple[list[Issue], tuple[Location, str] | None]:
    """Refuse what would print as a raw placeholder: ``${…}`` outside the bodies, a field
    name that no recipient column can have, an open ``${``, template tags. Returns those
    problems and where the first well-formed ``${field}`` of a body is."""
    data = merged.data
    annexes = data.get("phu_luc")
    bodies = {("noi_dung",)} | {
        ("phu_luc", i, "noi_dung") for i in range(len(annexes) if isinstance(annexes, list) else 0)
    }
    issues: list[Issue] = []
    first: tuple[Location, str] | None = None
    for path, value in _strings(data, ()):
        if "{" not in value:
            continue
        raw = merged.blocks.get(path)
        typed = raw.text if raw is not None else value
        for m in _FIELD_MARK.finditer(typed):
            mark, name = m.group(0), m.group(1)
            where = _offset_location(merged, path, m.start())
            if name is None:
                message = (
                    f"'{mark}' là thẻ của mẫu Word, không phải chữ của văn bản: nó sẽ in "
                    "nguyên văn; trường riêng của từng nơi nhận viết ${ten}, ${han_nop}…"
                )
            elif m.group(2) is None:
                message = "'${' mở một trường nhưng thiếu '}': viết ${ten_cot}, ví dụ ${han_nop}"
            elif not _FIELD_NAME.fullmatch(name):
                message = (
                    f"'{mark}' không phải tên trường: viết tên cột của danh sách nơi nhận bằng "
                    "chữ thường không dấu, nối bằng '_', ví dụ ${han_nop}"
                )
            elif path not in bodies:
                message = (
                    f"'{mark}' chỉ dùng được trong noi_dung (trường riêng của từng nơi nhận, "
                    "điền khi phát hành bằng 'tetngheo issue … --nguoi-nhan'); ở đây nó sẽ in "
                    "nguyên văn"
                )
            else:
                first = first or (where, path_str(path))
                continue
            issues.append(Issue(where, path_str(path), message))
    return issues, first


def personal_fields(d: Directive) -> list[str]:
    """The per-recipient fields the bodies use, in order of first use."""
    texts = [d.noi_dung, *(a.noi_dung for a in d.phu_luc)]
    return list(dict.fromkeys(m.group(1) for t in texts for m in PERSONAL_FIELD.finditer(t)))


def personal_issue(d: Directive, severity: Severity = Severity.ERROR) -> Issue | None:
    """A body with ``${field}`` is a batch directive: a warning for `check`; for `render`,
    an error (a document that looks final must never show a placeholder)."""
    if d.personal_at is None:
        return None
    where, path = d.personal_at
    used = ", ".join(f"${{{f}}}" for f in personal_fields(d))
    if severity is Severity.WARNING:
        message = (
            f"nội dung dùng trường riêng của từng nơi nhận ({used}): phát hành bằng "
            "'tetngheo issue … --nguoi-nhan DANH_SÁCH'"
        )
    else:
        message = (
            f"nội dung có trường riêng của từng nơi nhận ({used}) mà 'tetngheo render' không "
            f"điền được; phát hành bằng: tetngheo issue {where.file} --nguoi-nhan DANH_SÁCH"
        )
    return Issue(where, path, message, severity)


def _parse_body(
    text: str, path: Path_, merged: Merged, issues: list[Issue], *, first_note: int = 1
) -> body_grammar.ParsedBody:
    """Parse a body block, placing each problem at its line and column in the file.

    A block scalar is parsed from its lines as typed (so a folded ``>`` block keeps its line
    structure, and paragraphs come out the same as from the folded value); a one-line value
    from its own mark.
    """
    loc = merged.loc(path)
    raw = merged.blocks.get(path)
    if raw is not None:
        parsed = body_grammar.parse(raw.text, first_note=first_note)
        first, indent = raw.first_line, raw.indent
    else:
        parsed = body_grammar.parse(text, first_note=first_note)
        first, indent = loc.line, loc.col - 1
    for p in parsed.problems:
        where = Location(loc.file, first + p.line, indent + p.col + 1)
        issues.append(Issue(where, path_str(path), p.message))
    return parsed


def _symbol(d: Directive, profile: Profile) -> str:
    """The symbol after the number, from the profile's grammar when not given explicitly."""
    if d.ky_hieu:
        return d.ky_hieu
    doc_type = profile.types.get(d.loai)
    abbr = doc_type.abbr if doc_type else ""
    if not abbr:  # a State công văn: issuer-unit
        pattern = profile.number.cong_van_symbol if d.don_vi_soan_thao else "{co_quan}"
    else:
        pattern = profile.number.typed_symbol
    return pattern.format(loai=abbr, co_quan=d.co_quan.viet_tat, don_vi=d.don_vi_soan_thao)


def _profile(d: Directive, merged: Merged) -> tuple[Profile | None, list[Issue]]:
    try:
        return profiles.for_system(d.he_thong, d.the_thuc or None), []
    except ProfileError as err:
        return None, [Issue(merged.loc(("the_thuc",)), "the_thuc", str(err))]


def _cross_checks(d: Directive, profile: Profile, merged: Merged) -> list[Issue]:
    issues: list[Issue] = []

    def add(path: Path_, message: str, severity: Severity = Severity.ERROR) -> None:
        issues.append(Issue(merged.loc(path), path_str(path), message, severity))

    doc_type = profile.types.get(d.loai)
    if doc_type is None:
        choices = sorted(profile.types)
        add(
            ("loai",),
            f"loại văn bản '{d.loai}' không có trong hồ sơ {profile.name}"
            f"{_suggest(d.loai, choices)} (có: {', '.join(choices)})",
        )
        return issues
    if d.ten_loai:
        first = text.upper_vn(d.ten_loai.split("\n")[0])
        if not doc_type.name:
            add(("ten_loai",), "công văn không in tên loại (ô 5a); bỏ 'ten_loai'")
        elif first != text.upper_vn(doc_type.name):
            add(
                ("ten_loai",),
                f"dòng đầu của ten_loai phải là tên loại '{doc_type.name}' (loai: {d.loai}), "
                f"không phải '{first}'; các dòng sau in ngay dưới, ví dụ 'của Ban Thường vụ "
                "Tỉnh ủy'",
            )
    if not d.ky_hieu and not d.co_quan.viet_tat:
        add(("co_quan",), "cần 'ky_hieu' hoặc 'co_quan.viet_tat' để ghi số, ký hiệu văn bản")
    if not d.ky_hieu and not doc_type.abbr and not d.don_vi_soan_thao:
        # A State công văn's symbol is issuer-unit (UBND-VX) [P PL-I §II.3].
        add(
            ("don_vi_soan_thao",),
            "công văn nhà nước cần 'don_vi_soan_thao' (đơn vị soạn thảo, ví dụ VP) để ghi "
            f"ký hiệu {d.co_quan.viet_tat or '…'}-VP, hoặc ghi thẳng 'ky_hieu'",
        )
        return issues
    symbol = _symbol(d, profile)
    if symbol and (d.ky_hieu or d.co_quan.viet_tat):
        check = (
            numbers.kiem_tra_ky_hieu_dang
            if d.he_thong == "dang"
            else numbers.kiem_tra_ky_hieu_nha_nuoc
        )(symbol)
        if check:
            add(("ky_hieu",) if d.ky_hieu else ("co_quan", "viet_tat"), check)
    if doc_type.kinh_gui == "required" and not d.kinh_gui:
        add(("kinh_gui",), "công văn cần ít nhất một nơi 'Kính gửi'")
    if doc_type.kinh_gui == "none" and d.kinh_gui:
        add(("kinh_gui",), f"{doc_type.name.lower()} không có phần 'Kính gửi'; hãy bỏ mục này")
    if d.tham_quyen and not doc_type.decision_label:
        add(("tham_quyen",), "chỉ quyết định mới có dòng thẩm quyền ban hành ở đầu văn bản")
    if d.can_cu and not doc_type.can_cu:
        with_bases = [k for k, t in profile.types.items() if t.can_cu]
        add(
            ("can_cu",),
            f"{doc_type.name.capitalize() or 'công văn'} không có phần căn cứ ở đầu văn bản "
            f"(có căn cứ: {', '.join(with_bases)}); viết căn cứ thành câu mở đầu nội dung",
        )
    for i, annex in enumerate(d.phu_luc):
        if not annex.loai:
            continue
        kind = profile.types.get(annex.loai)
        named = sorted(k for k, t in profile.types.items() if t.name)
        if kind is None or not kind.name:
            add(
                ("phu_luc", i, "loai"),
                f"văn bản ban hành kèm theo phải là loại có tên loại"
                f"{_suggest(annex.loai, named)} (có: {', '.join(named)})",
            )
        elif not doc_type.decision_label:
            add(
                ("phu_luc", i, "loai"),
                "chỉ quyết định mới ban hành kèm theo một văn bản (kế hoạch, quy chế…); "
                "văn bản khác gửi kèm phụ lục: bỏ 'loai'",
            )
        elif not annex.tieu_de:
            add(("phu_luc", i, "tieu_de"), f"{kind.name.capitalize()} kèm theo cần trích yếu")
    if not d.co_quan.ten:
        add(("co_quan", "ten"), "cần tên cơ quan ban hành")
    if not d.nguoi_ky.chuc_vu:
        add(("nguoi_ky", "chuc_vu"), "cần chức vụ người ký")
    for path, value, allowed in (
        (("do_khan",), d.do_khan, URGENCY),
        (("do_mat",), d.do_mat, SECRECY),
    ):
        if value and text.upper_vn(value) not in allowed:
            add(path, f"'{value}' không hợp lệ; chọn một trong: {', '.join(allowed)}")
    issues.extend(_signer_issues(d.he_thong, list(d.nguoi_ky.quyen_han), merged))
    issues.extend(_authority_issues(d.he_thong, d.nguoi_ky, ("nguoi_ky",), merged))
    for i, other in enumerate(d.nguoi_ky_lien_tich):
        issues.extend(_authority_issues(d.he_thong, other, ("nguoi_ky_lien_tich", i), merged))
    if len(d.nguoi_ky_lien_tich) > 1:
        add(("nguoi_ky_lien_tich",), "hiện chỉ trình bày được hai người ký cạnh nhau")
    return issues


#: Signing prefixes of the other system: State "KT." is Party "K/T" and the reverse.
_FOREIGN_PREFIX = {
    "dang": re.compile(r"^(TM|KT|TL|TUQ)\.", re.IGNORECASE),
    "nha_nuoc": re.compile(r"^(T/M|K/T|T/L|T/UQ)(?![A-Za-zÀ-ỹ])", re.IGNORECASE),
}


def _signer_issues(system: str, lines: list[Any], merged: Merged) -> list[Issue]:
    """Party documents sign 'K/T', State documents 'KT.' [ND30 Đ13; HD36 §II.1.7.1]."""
    issues = []
    for i, line in enumerate(lines):
        m = _FOREIGN_PREFIX[system].match(line.strip()) if isinstance(line, str) else None
        if m is None:
            continue
        head = m.group(0).upper()
        right = head.replace("/", "") + "." if "/" in head else head[0] + "/" + head[1:-1]
        path: Path_ = ("nguoi_ky", "quyen_han", i)
        message = f"{SYSTEM_NAMES[system]} ghi '{right}', không ghi '{head}'"
        issues.append(Issue(merged.loc(path), path_str(path), message))
    return issues


#: Signing for someone else [ND30 Đ13; HD36 §II.1.7.1; format-rules §9]: "KT."/"K/T" (a
#: deputy for the head), "TL."/"T/L" (by order), "TUQ."/"T/UQ" (by authorisation) name the
#: head's title, which is therefore not the signer's own.
_FOR_ANOTHER = re.compile(r"^(KT\.|K/T|TL\.|T/L|TUQ\.|T/UQ)\s*(.+)$", re.IGNORECASE)
_DEPUTY = re.compile(r"^(KT\.|K/T)", re.IGNORECASE)


def _fold(line: str) -> str:
    return " ".join(text.upper_vn(line).split())


def _authority_issues(system: str, signer: NguoiKy, at: Path_, merged: Merged) -> list[Issue]:
    """An authority line that contradicts the signer's own title: ``K/T TRƯỞNG BAN`` above
    ``TRƯỞNG BAN`` (the head cannot sign for himself), the same with TL./TUQ.; and in a Party
    document a collective cấp ủy (T/M) signed K/T, which HD36 never uses."""
    issues: list[Issue] = []
    title = _fold(signer.chuc_vu[0]) if signer.chuc_vu else ""
    lines = list(signer.quyen_han)
    for i, line in enumerate(lines):
        m = _FOR_ANOTHER.match(line.strip())
        if m is None:
            continue
        path: Path_ = (*at, "quyen_han", i)
        prefix, head = m.group(1).upper(), _fold(m.group(2))
        if title and head == title:
            issues.append(
                Issue(
                    merged.loc(path),
                    path_str(path),
                    f"'{line.strip()}' là ký thay/thừa lệnh cho chức vụ '{head}', nhưng chức vụ "
                    f"của người ký cũng là '{title}': người giữ chức vụ đó ký trực tiếp, không "
                    f"ghi '{prefix}'; nếu là cấp phó ký thay, hãy ghi chuc_vu: PHÓ {head}",
                )
            )
        elif _DEPUTY.match(prefix) and title and not title.startswith("PHÓ"):
            issues.append(
                Issue(
                    merged.loc(path),
                    path_str(path),
                    f"'{prefix}' dùng khi cấp phó ký thay cấp trưởng, nhưng chức vụ người ký là "
                    f"'{title}'; hãy kiểm tra lại quyen_han và chuc_vu",
                    Severity.WARNING,
                )
            )
        if (
            system == "dang"
            and _DEPUTY.match(prefix)
            and any(x.strip().upper().startswith("T/M") for x in lines[:i])
        ):
            issues.append(
                Issue(
                    merged.loc(path),
                    path_str(path),
                    "văn bản của tập thể cấp ủy (T/M) không ký K/T: phó bí thư ký 'T/M …' rồi "
                    "chức vụ 'PHÓ BÍ THƯ' (HD36); hãy bỏ dòng K/T",
                )
            )
    return issues


def _raw_checks(merged: Merged) -> list[Issue]:
    """Checks that still run when some fields failed validation, so that every problem is
    reported in one pass: the body grammar and the signer prefixes, on the raw values."""
    issues: list[Issue] = []
    data = merged.data
    if isinstance(data.get("noi_dung"), str):
        _parse_body(data["noi_dung"], ("noi_dung",), merged, issues)
    annexes = data.get("phu_luc")
    for i, annex in enumerate(annexes if isinstance(annexes, list) else []):
        if isinstance(annex, dict) and isinstance(annex.get("noi_dung"), str):
            _parse_body(annex["noi_dung"], ("phu_luc", i, "noi_dung"), merged, issues)
    issues.extend(_field_marks(merged)[0])
    try:
        system = _system(data.get("he_thong"))
    except PydanticCustomError:
        return issues
    signer = data.get("nguoi_ky")
    lines = signer.get("quyen_han") if isinstance(signer, dict) else None
    lines = [lines] if isinstance(lines, str) else lines
    if isinstance(lines, list):
        issues.extend(_signer_issues(system, lines, merged))
    return issues
