"""`tetngheo new dinh-chinh | thu-hoi | thay-the`: the document that corrects, withdraws or
replaces an issued one [ND30 Đ18].

An issued document is never edited in place. Nghị định 30/2020/NĐ-CP, Điều 18:

* khoản 2: a document issued with a mistake of *content* is amended or replaced by a
  document of the equivalent form (``thay-the``: same type, stating what it replaces);
  a mistake of *format, presentation or procedure* is corrected by a công văn of the
  issuing body (``dinh-chinh``);
* khoản 3: a withdrawn document (``thu-hoi``) is sent back by its recipients (paper) or
  deleted from their system, which tells the sender (electronic).

Each draft is a directive YAML written next to the original (never over an existing
file). It cites the original by type, number and symbol, date, issuer and subject, as a
first citation does [format-rules "Citing documents": PL-I §II.6.b; Party style puts a
comma before "ngày"], and gets its own number from the register when it is issued. The
original's number comes from ``so:`` or, for a register-numbered document, from the
outgoing register (the entry of its key, as ``tetngheo issue`` reserved it): what the
register recorded (number, date, type, subject) is what was issued, even after the YAML
was edited. The parts only a person can write are left as blanks (``…``) that `check`,
`render` and `issue` refuse (see `placeholders`).
"""

from __future__ import annotations

import datetime
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tetngheo_docs import api, context
from tetngheo_docs.errors import TetngheoError
from tetngheo_docs.outputs import atomic_write
from tetngheo_docs.vn import dates

__all__ = ["KINDS", "Original", "draft_text", "find_original", "scaffold"]

#: The kinds of draft: command name → (file suffix, what the user is told it is).
KINDS: dict[str, str] = {
    "dinh-chinh": "đính chính",
    "thu-hoi": "thu hồi",
    "thay-the": "thay thế",
}


@dataclass(frozen=True)
class Original:
    """What the correcting document cites: the issued document as the register knows it."""

    loaded: api.Loaded
    loai: str  # "Công văn", "Kế hoạch"
    so_ky_hieu: str  # "196-CV/BTGDUK", "05/UBND-VX"
    ngay: datetime.date
    co_quan: str  # the issuer's full name
    trich_yeu: str  # as issued: "V/v đẩy mạnh …"

    @property
    def party(self) -> bool:
        return self.loaded.directive.he_thong == "dang"

    @property
    def about(self) -> str:
        """``về việc đẩy mạnh …`` from ``V/v đẩy mạnh …``; ``về …`` from a title."""
        subject = self.trich_yeu.strip()
        if subject.lower().startswith("v/v"):
            return "về việc " + subject[3:].strip()
        if subject.lower().startswith("về"):
            return subject[0].lower() + subject[1:]
        if len(subject) > 1 and subject[1].islower():  # "Tổ chức …" but not "UBND …"
            subject = subject[0].lower() + subject[1:]
        return "về " + subject

    def cite(self) -> str:
        """First citation: ``Công văn số 196-CV/BTGDUK, ngày 15/01/2024 của Ban … về việc …``."""
        comma = "," if self.party else ""
        return (
            f"{self.loai} số {self.so_ky_hieu}{comma} ngày {dates.dd_mm_yyyy(self.ngay)} "
            f"của {self.co_quan} {self.about}"
        )

    def issued(self) -> str:
        """The opening sentence: ``Ngày 15/01/2024, Ban … ban hành Công văn số … về việc …``."""
        return (
            f"Ngày {dates.dd_mm_yyyy(self.ngay)}, {self.co_quan} ban hành {self.short()} "
            f"{self.about}."
        )

    def short(self) -> str:
        """Later citations: type and number only."""
        return f"{self.loai} số {self.so_ky_hieu}"


def _type_name(loaded: api.Loaded) -> str:
    return (loaded.profile.doc_type(loaded.directive.loai).name or "Công văn").capitalize()


def find_original(
    path: Path, *, agency: Path | None = None, register: Path | str | None = None, kind: str = ""
) -> Original:
    """The issued document ``path`` describes: from its ``so:``, else from the register."""
    loaded = api.load(path, agency=agency)
    d = loaded.directive
    issuer = context.issuer(d)  # a quyết định's authority, named in full
    what = KINDS.get(kind, "đính chính")
    if d.so is not None:  # numbered by hand: the YAML is the record
        number = context.so_ky_hieu(d, loaded.profile)
        number = number.removeprefix("Số:").removeprefix("Số").strip()
        return Original(loaded, _type_name(loaded), number, d.ngay, issuer, d.trich_yeu)

    from tetngheo_docs import batch
    from tetngheo_docs.register import Register
    from tetngheo_docs.register_store import exists

    reg_path = batch.register_path(loaded, register)
    never = f"{path}: văn bản chưa phát hành (chưa có số): sửa thẳng tệp này, không cần {what}"
    if not exists(reg_path):
        raise TetngheoError(
            f"{never}. Không thấy sổ văn bản đi {reg_path}; nếu sổ ở chỗ khác, chỉ rõ bằng "
            "--so-van-ban-di TỆP"
        )
    scope = batch.register_scope(loaded)
    key = batch.directive_id(loaded)
    with Register(reg_path) as reg:
        entry = reg.by_key(scope, key)
        if entry is None and d.cap_so == "rieng":
            rows = reg.list(
                system=scope.system, agency=scope.agency, series=scope.series, period=scope.period
            )
            letters = [e for e in rows if e.key.startswith(key + "#")]
            if letters:
                raise TetngheoError(
                    f"{path}: văn bản cấp số riêng cho từng nơi nhận ({len(letters)} số, từ "
                    f"{letters[0].so_ky_hieu} đến {letters[-1].so_ky_hieu}): tetngheo chưa soạn "
                    f"sẵn được văn bản {what} cho loại này; hãy soạn tay, trích số của từng thư"
                )
    if entry is None:
        raise TetngheoError(
            f"{never}. Sổ văn bản đi {reg_path} không có văn bản này ({scope.label()}, mã '{key}')"
        )
    if entry.status == "reserved":
        raise TetngheoError(
            f"{path}: văn bản số {entry.so_ky_hieu} mới giữ số, chưa phát hành: sửa thẳng tệp "
            f"này rồi chạy lại tetngheo issue (không cần {what})"
        )
    if entry.status == "void":
        reason = f" ({entry.reason})" if entry.reason else ""
        raise TetngheoError(
            f"{path}: số {entry.so_ky_hieu} đã hủy trong sổ văn bản đi{reason}; không có văn "
            f"bản đã phát hành nào để {what}"
        )
    issued = dates.parse_date(entry.date) if entry.date else d.ngay
    return Original(
        loaded,
        entry.type_name or _type_name(loaded),
        entry.so_ky_hieu,
        issued,
        issuer,
        entry.subject or d.trich_yeu,
    )


# --------------------------------------------------------------------------- YAML text

#: Top-level keys of the original's own file carried into a new document (who issues it,
#: how it is signed and numbered); everything else is the new document's own.
_CARRIED = (
    "he_thong",
    "the_thuc",
    "co_quan",
    "dia_danh",
    "don_vi_soan_thao",
    "dia_chi",
    "nguoi_ky",
    "noi_nhan_cuoi",
    "do_mat",
    "so_mat",
)
_TOP_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ \t]*:")
_PLAIN_START = set("-?:,[]{}#&*!|>'\"%@`")


def _chunks(text: str) -> list[tuple[str | None, list[str]]]:
    """The file as runs of lines: each top-level key with its value's lines (indented,
    blank, or a compact ``- item`` list), and the comments or blank lines between (None)."""
    out: list[tuple[str | None, list[str]]] = []
    for line in text.splitlines():
        m = _TOP_KEY.match(line)
        if m:
            out.append((m.group(1), [line]))
        elif out and out[-1][0] is not None and (line[:1] in ("", " ") or line.startswith("-")):
            out[-1][1].append(line)
        elif out and out[-1][0] is None:
            out[-1][1].append(line)
        else:
            out.append((None, [line]))
    for _, lines in out:  # blank lines after a value belong to what follows; keep them
        while len(lines) > 1 and not lines[-1].strip():
            lines.pop()
    return out


def _scalar(value: str) -> str:
    """A one-line YAML scalar (every value stays a string), quoted when needed."""
    if (
        value
        and value[0] not in _PLAIN_START
        and value == value.strip()
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
    ):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_WIDTH = 94  # line width of the YAML written (the body is indented by two spaces)


def _wrap(text: str, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(
        text,
        width=_WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _block(key: str, paragraphs: list[str], *, raw: int = -1) -> list[str]:
    """``key: |`` with paragraphs separated by blank lines, each wrapped but the ``raw``-th
    (a body copied as typed: its lines are kept)."""
    lines = [f"{key}: |"]
    for i, para in enumerate(paragraphs):
        if i:
            lines.append("")
        rows = para.split("\n") if i == raw else _wrap(para, rest="  " if para[:2] == "- " else "")
        lines += [f"  {line}" if line.strip() else "" for line in rows]
    return lines


def _header(kind: str, original: Original, name: str, rule: str) -> list[str]:
    return [
        *_wrap(rule, "# ", "#   "),
        *_wrap(
            f"Bản nháp do `tetngheo new {kind}` soạn từ {original.loaded.path.name} "
            f"({original.short()}).",
            "# ",
            "#   ",
        ),
        "# Điền mọi chỗ trống “…” (tetngheo check chỉ ra từng chỗ), xem các dòng XEM LẠI, rồi:",
        f"#   tetngheo check {name}",
        f"#   tetngheo issue {name} --nguoi-nhan DANH_SÁCH --phat-hanh",
        "# Văn bản này lấy số mới trong sổ văn bản đi khi phát hành.",
    ]


def _carried(text: str) -> list[str]:
    chunks = dict((k, lines) for k, lines in _chunks(text) if k in _CARRIED)
    return [line for key in _CARRIED for line in chunks.get(key, [])]


def _recipients(original: Original) -> list[str]:
    names = list(original.loaded.directive.kinh_gui) or ["Các cơ quan, đơn vị đã nhận văn bản"]
    return ["kinh_gui:                 # XEM LẠI: các nơi đã nhận văn bản gốc"] + [
        f"  - {_scalar(n)}" for n in names
    ]


def _dinh_chinh(original: Original, name: str, today: datetime.date, source: str) -> list[str]:
    # ND30 Đ18 khoản 2: a mistake of format, presentation or procedure → a công văn of the
    # issuing body.
    o, agency = original, original.co_quan
    rule = (
        "Công văn đính chính (Nghị định 30/2020/NĐ-CP, Điều 18 khoản 2: văn bản đã phát hành "
        "có sai sót về thể thức, kỹ thuật trình bày, thủ tục ban hành được đính chính bằng công "
        "văn của cơ quan ban hành; sai sót về nội dung thì thay thế: tetngheo new thay-the)."
    )
    return [
        *_header("dinh-chinh", o, name, rule),
        "phien_ban: 1",
        "loai: cong_van",
        f"ngay: {dates.dd_mm_yyyy(today)}          # XEM LẠI: ngày ký công văn đính chính",
        *_carried(source),
        "trich_yeu: " + _scalar(f"V/v đính chính {o.short()}"),
        *_recipients(o),
        *_block(
            "noi_dung",
            [
                o.issued(),
                f"Do sơ suất trong quá trình soạn thảo, {o.loai} nêu trên có sai sót. {agency} "
                "xin đính chính như sau:",
                "- Tại …, đã ghi: “…”; nay sửa lại là: “…”.",
                f"Các nội dung khác của {o.short()} giữ nguyên giá trị. {agency} thông báo để "
                "các cơ quan, đơn vị biết, thực hiện.",
            ],
        ),
        "noi_nhan:",
        "  - Như trên",
    ]


def _return_request(o: Original) -> str:
    # ND30 Đ18 khoản 3: paper copies are sent back; electronic ones deleted on the system,
    # which tells the sender.
    return (
        f"Các cơ quan, đơn vị đã nhận {o.short()}: đối với văn bản giấy, gửi lại văn bản đã "
        f"nhận về {o.co_quan}; đối với văn bản điện tử, hủy bỏ văn bản bị thu hồi trên Hệ "
        f"thống và thông báo qua Hệ thống để {o.co_quan} biết."
    )


def _thu_hoi(
    original: Original, name: str, today: datetime.date, source: str, loai: str
) -> list[str]:
    o, agency = original, original.co_quan
    rule = (
        "Văn bản thu hồi (Nghị định 30/2020/NĐ-CP, Điều 18 khoản 3: nơi nhận gửi lại văn bản "
        "giấy, hủy văn bản điện tử trên Hệ thống và thông báo cho nơi gửi)."
    )
    head = [
        *_header("thu-hoi", o, name, rule),
        "phien_ban: 1",
        f"loai: {loai}",
        f"ngay: {dates.dd_mm_yyyy(today)}          # XEM LẠI: ngày ký",
        *_carried(source),
    ]
    if loai == "quyet_dinh":
        return [
            *head,
            "trich_yeu: " + _scalar(f"Về việc thu hồi {o.short()}"),
            "tham_quyen: …            # người có thẩm quyền ban hành quyết định",
            "can_cu:                  # XEM LẠI: căn cứ ban hành",
            "  - Căn cứ …",
            *_block(
                "noi_dung",
                [
                    f"Điều 1. Thu hồi {o.cite()}, do …, kể từ ngày ký Quyết định này.",
                    f"Điều 2. {_return_request(o)}",
                    "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. …, các cơ quan, đơn vị có "
                    "liên quan chịu trách nhiệm thi hành Quyết định này.",
                ],
            ),
            "noi_nhan:",
            "  - Như Điều 3",
        ]
    return [
        *head,
        "trich_yeu: " + _scalar(f"V/v thu hồi {o.short()}"),
        *_recipients(o),
        *_block(
            "noi_dung",
            [
                o.issued(),
                f"Do …, {agency} thu hồi {o.short()} nêu trên.",
                f"Đề nghị {_return_request(o)[0].lower()}{_return_request(o)[1:]}",
            ],
        ),
        "noi_nhan:",
        "  - Như trên",
    ]


def _thay_the(original: Original, name: str, today: datetime.date, source: str) -> list[str]:
    # ND30 Đ18 khoản 2: a mistake of content → a document of the equivalent form (the same
    # type) that replaces the original and says so. The original's own file is copied as
    # typed, without its number and id; its body gets a blank to resolve and the sentence
    # that states the replacement.
    o = original
    rule = (
        "Văn bản thay thế (Nghị định 30/2020/NĐ-CP, Điều 18 khoản 2: văn bản đã phát hành có "
        "sai sót về nội dung được sửa đổi, thay thế bằng văn bản có hình thức tương đương)."
    )
    lines = [*_header("thay-the", o, name, rule)]
    d = o.loaded.directive
    body_done = False
    chunks = _chunks(source)
    while chunks and chunks[0][0] is None:  # the original's own heading comments
        chunks.pop(0)
    for key, chunk in chunks:
        if key in ("so", "ma"):
            continue
        if key == "ngay":
            lines.append(f"ngay: {dates.dd_mm_yyyy(today)}          # XEM LẠI: ngày ký")
        elif key == "noi_dung":
            block = o.loaded.directive.noi_dung
            raw = _raw_block(o, chunk)
            lines.append("# XEM LẠI: sửa nội dung sai sót; xóa đoạn “…” đầu tiên khi đã sửa xong.")
            if o.loaded.profile.doc_type(d.loai).decision_label:
                lines.append("# XEM LẠI: đưa câu thay thế vào điều về hiệu lực của quyết định.")
            lines += _block(
                "noi_dung",
                [
                    "… (đoạn nhắc: sửa nội dung sai sót của văn bản gốc dưới đây, rồi xóa đoạn "
                    "này)",
                    (raw if raw is not None else block).strip("\n"),
                    f"{_type_name(o.loaded)} này thay thế {o.cite()}.",
                ],
                raw=1,
            )
            body_done = True
        else:
            lines += chunk
    if not body_done:  # pragma: no cover - noi_dung is required; a flow mapping has no keys
        raise TetngheoError(f"{o.loaded.path}: không tìm thấy 'noi_dung:' ở đầu dòng")
    if d.so is not None:
        lines.append("# Số văn bản gốc đã bỏ: văn bản thay thế lấy số mới.")
    return lines


def _raw_block(o: Original, chunk: list[str]) -> str | None:
    """The body as typed when it is a block scalar (lines kept, indentation removed)."""
    first = chunk[0].split(":", 1)[1].split("#", 1)[0].strip()
    if not first or first[0] not in "|>":
        return None
    body = chunk[1:]
    indent = min((len(x) - len(x.lstrip(" ")) for x in body if x.strip()), default=0)
    return "\n".join(x[indent:] for x in body)


def draft_text(
    kind: str, original: Original, name: str, *, today: datetime.date, loai: str | None = None
) -> str:
    """The YAML of the draft ``name`` of ``kind`` for ``original``."""
    source = original.loaded.path.read_text(encoding="utf-8-sig")
    if kind == "dinh-chinh":
        lines = _dinh_chinh(original, name, today, source)
    elif kind == "thu-hoi":
        if loai is None:
            loai = "quyet_dinh" if original.loaded.directive.loai == "quyet_dinh" else "cong_van"
        lines = _thu_hoi(original, name, today, source, loai)
    elif kind == "thay-the":
        lines = _thay_the(original, name, today, source)
    else:  # pragma: no cover - the CLI offers the kinds of KINDS only
        raise ValueError(kind)
    return "\n".join(lines) + "\n"


def scaffold(
    original: Path,
    kind: str = "dinh-chinh",
    *,
    out: Path | None = None,
    agency: Path | None = None,
    register: Path | str | None = None,
    loai: str | None = None,
    today: datetime.date | None = None,
) -> Path:
    """Write the draft next to the original (``X-dinh-chinh.yaml``); never overwrites."""
    target = out or original.with_name(f"{original.stem}-{kind}.yaml")
    if target.exists():
        raise TetngheoError(f"{target} đã có; không ghi đè (chọn tệp khác bằng --ghi-vao TỆP)")
    found = find_original(original, agency=agency, register=register, kind=kind)
    text = draft_text(kind, found, target.name, today=today or dates.today_vn(), loai=loai)
    atomic_write(target, text.encode("utf-8"))
    return target
