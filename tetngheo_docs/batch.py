"""Batch issue: one directive to a recipient list, numbered from the register, fast, resumable.

Everything is validated before anything is written: the directive, the recipient list, and
every ``${field}`` the body uses against every recipient. Numbers come from the register
(idempotent keys: rerunning the same batch gets the same numbers), letters are rendered
from a template prepared once with only the body re-rendered per letter, on every core,
and each file is written atomically. A killed run is completed by running it again.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import itertools
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from tetngheo_docs import api, build, context, model, outputs, package, placeholders
from tetngheo_docs import body as body_grammar
from tetngheo_docs.errors import (
    DirectiveError,
    Issue,
    Location,
    OutputError,
    RegisterError,
    Severity,
    TetngheoError,
    os_reason,
)
from tetngheo_docs.recipients import Recipient, RecipientList
from tetngheo_docs.render import engine
from tetngheo_docs.render.ooxml import Run
from tetngheo_docs.vn.text import slugs_ascii

if TYPE_CHECKING:  # the register is imported when a batch is issued (start-up time)
    from tetngheo_docs.register import Reservation

PLACEHOLDER = re.compile(r"\$\{([a-z_][a-z0-9_]*)\}")
ARCHIVE_NAME = "000-ban-luu.docx"
MANIFEST = "bang-ke"


class Letter(NamedTuple):
    """One output of a batch: who it is for, its number, its file name."""

    index: int
    recipient: Recipient | None  # None: the archive copy listing every recipient
    number: int | None
    file: str
    key: str


@dataclass
class BatchResult:
    letters: list[Letter]
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)
    numbers: list[int] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # rendered again (inputs changed)
    revisions: list[build.Revision] = field(default_factory=list)


# --------------------------------------------------------------------------- file names

_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)


def safe_name(name: str, index: int, *, max_len: int = 60) -> str:
    """``012-chi-bo-so-tai-chinh.docx``: ASCII, Windows-safe, bounded, unique by its index."""
    return safe_names([name], index, max_len=max_len)[0]


def safe_names(names: Sequence[str], start: int = 1, *, max_len: int = 60) -> list[str]:
    """`safe_name` of each name, numbered from ``start`` (slugged in one pass)."""
    return [
        f"{i:03d}-{_windows_safe(slug or 'don-vi')}.docx"
        for i, slug in enumerate(slugs_ascii(names, max_len=max_len), start=start)
    ]


def _windows_safe(slug: str) -> str:
    return slug + "-" if len(slug) <= 4 and _RESERVED.match(slug) else slug  # con, nul, com1 …


def inside(out_dir: Path, name: str) -> Path:
    """The output path, refusing anything that would land outside the output folder."""
    if "/" in name or "\\" in name or name in ("", ".", ".."):
        raise TetngheoError(f"tên tệp '{name}' nằm ngoài thư mục ra {out_dir}")
    return out_dir / name


# --------------------------------------------------------------------------- planning


def directive_id(loaded: api.Loaded) -> str:
    """The directive's stable id in the register: ``ma`` or its path in the office folder."""
    if loaded.directive.ma:
        return loaded.directive.ma
    base = loaded.agency.parent if loaded.agency else loaded.path.parent
    try:
        return loaded.path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return loaded.path.name


def _placeholders(loaded: api.Loaded) -> set[str]:
    d = loaded.directive
    texts = [d.noi_dung, *(a.noi_dung for a in d.phu_luc)]
    return {m.group(1) for t in texts for m in PLACEHOLDER.finditer(t)}


def check_fields(loaded: api.Loaded, people: RecipientList) -> None:
    """Every ``${field}`` used in the body must be filled for every recipient."""
    used = _placeholders(loaded) - {"ten"}
    issues = []
    body_loc = Location(str(loaded.path))
    for r in people.recipients:
        for name in sorted(used):
            if not r.fields.get(name):
                issues.append(
                    Issue(
                        r.location,
                        name,
                        f"'{r.name}' thiếu giá trị cột '{name}' mà nội dung dùng (${{{name}}})",
                    )
                )
    unknown = used - {k for r in people.recipients for k in r.fields}
    for name in sorted(unknown):
        issues.append(
            Issue(body_loc, "noi_dung", f"danh sách người nhận không có cột '{name}' (${{{name}}})")
        )
    if issues:
        raise DirectiveError(issues)


def plan(loaded: api.Loaded, people: RecipientList) -> list[Letter]:
    """One letter per recipient (+ the archive copy listing all of them when shared)."""
    ident = directive_id(loaded)
    shared = loaded.directive.cap_so == "chung"
    letters = [Letter(0, None, None, ARCHIVE_NAME, ident)] if shared else []
    everyone = people.recipients
    files = safe_names([r.name for r in everyone])
    keys = [ident] * len(everyone) if shared else [f"{ident}#{r.key}" for r in everyone]
    unnumbered = [None] * len(everyone)
    letters += map(Letter, range(1, len(everyone) + 1), everyone, unnumbered, files, keys)
    return letters


# --------------------------------------------------------------------------- rendering


def _substitute(runs: Sequence[Run], values: dict[str, str]) -> tuple[Run, ...]:
    return tuple(
        Run(PLACEHOLDER.sub(lambda m: values[m.group(1)], r.text), r.bold, r.italic, r.underline)
        for r in runs
    )


def _neutral(runs: Sequence[Run], values: dict[str, str]) -> tuple[Run, ...]:
    """The archive copy's runs: each ``${field}`` becomes its own italic run (a pointer to
    the list of recipients), the text around it keeps its emphasis."""
    out: list[Run] = []
    for r in runs:
        pos = 0
        for m in PLACEHOLDER.finditer(r.text):
            if m.start() > pos:
                out.append(Run(r.text[pos : m.start()], r.bold, r.italic, r.underline))
            out.append(Run(values[m.group(1)], r.bold, True, r.underline))
            pos = m.end()
        if pos < len(r.text) or not r.text:
            out.append(Run(r.text[pos:], r.bold, r.italic, r.underline))
    return tuple(out)


Filler = Callable[[Sequence[Run], dict[str, str]], tuple[Run, ...]]
Blocks = Sequence[body_grammar.Block | body_grammar.TableBlock]


def _fill(blocks: Blocks, fill: Filler, values: dict[str, str]) -> list[Any]:
    """Blocks with their ``${fields}`` filled, in paragraphs and in pipe-table cells."""
    out: list[body_grammar.Block | body_grammar.TableBlock] = []
    for b in blocks:
        if isinstance(b, body_grammar.Block):
            out.append(body_grammar.Block(b.style, fill(b.runs, values), b.line))
        else:
            header = tuple(fill(cell, values) for cell in b.header)
            rows = tuple(tuple(fill(cell, values) for cell in row) for row in b.rows)
            out.append(body_grammar.TableBlock(header, rows, b.aligns, b.line, b.style))
    return out


#: Column labels of the usual recipient-list fields (a column not listed is shown by name).
FIELD_LABELS = {
    "ten": "Nơi nhận",
    "han_nop": "Hạn nộp",
    "han": "Hạn",
    "ngay": "Ngày",
    "gio": "Giờ",
    "thoi_gian": "Thời gian",
    "dia_diem": "Địa điểm",
    "dia_chi": "Địa chỉ",
    "so_nguoi": "Số người",
    "so_ban": "Số bản",
    "so_luong": "Số lượng",
    "so_tien": "Số tiền",
    "kinh_phi": "Kinh phí",
    "chi_tieu": "Chỉ tiêu",
    "noi_dung": "Nội dung",
    "ghi_chu": "Ghi chú",
    "ho_ten": "Họ và tên",
    "chuc_vu": "Chức vụ",
    "nguoi_lien_he": "Người liên hệ",
    "dien_thoai": "Điện thoại",
    "email": "Thư điện tử",
}
ARCHIVE_LIST_TITLE = "Danh sách nơi nhận"


def field_label(name: str) -> str:
    """The column label of a recipient field: ``han_nop`` → ``Hạn nộp``."""
    return FIELD_LABELS.get(name) or name.replace("_", " ").capitalize()


def archive_values(fields: Sequence[str]) -> dict[str, str]:
    """What the archive copy prints for each field: where to read it, never a placeholder."""
    return {f: f"({field_label(f).lower()} theo danh sách kèm theo)" for f in ("ten", *fields)}


def archive_table(people: Sequence[Recipient], fields: Sequence[str]) -> body_grammar.TableBlock:
    """The bản lưu's list: STT, the recipient, then one column per field the body uses."""
    columns = [f for f in fields if f != "ten"]
    header = tuple((Run(x),) for x in ("STT", field_label("ten"), *map(field_label, columns)))
    rows = tuple(
        ((Run(str(i)),), (Run(r.name),), *((Run(r.fields.get(f, "")),) for f in columns))
        for i, r in enumerate(people, start=1)
    )
    aligns = ("center", "left", *("center" for _ in columns))
    return body_grammar.TableBlock(header, rows, aligns)


class LetterMaker:
    """Renders the letters of one batch from a prepared template and a base context."""

    def __init__(
        self,
        loaded: api.Loaded,
        *,
        like: Path | None = None,
        people: Sequence[Recipient] = (),
    ) -> None:
        """``like``: a letter of this batch left unchanged by this rebuild (same inputs but
        the recipient row, bytes verified); the parts every letter shares are copied from it
        compressed rather than compressed again. ``people``: every recipient of the batch
        (the archive copy lists them with their fields)."""
        self.loaded = loaded
        self.people = list(people)
        d = loaded.directive
        template = engine.prepare_file(loaded.template)
        self.base = context.build(d, loaded.profile)
        stored = _stored(like) if like is not None else None
        self.renderer = engine.BatchRenderer(
            template, self.base, context.core_properties(d), stored=stored
        )
        self.fields = model.personal_fields(d)
        self.personal = bool(self.fields)
        annex_text = "".join(a.noi_dung for a in d.phu_luc)
        self.personal_annex = PLACEHOLDER.search(annex_text) is not None
        self._attachments: dict[int | None, Any] = {}

    @functools.cached_property
    def number_line(self) -> Callable[[int | None], str]:
        return context.numberer(self.loaded.directive.ky_hieu, self.loaded.profile)

    def overrides(self, letter: Letter, all_names: list[str]) -> dict[str, Any]:
        d = self.loaded.directive
        profile = self.loaded.profile
        names = [letter.recipient.name] if letter.recipient else all_names
        update: dict[str, Any] = {"kinh_gui": context.kinh_gui_block(names, profile)}
        if letter.number is not None:
            update["so_ky_hieu"] = self.number_line(letter.number)
        if not self.personal:
            if letter.number is not None and (d.phu_luc or d.bieu_mau):
                update["phu_luc"] = self.attachments(letter.number)  # the caption's number
            return update
        if letter.recipient is not None:
            fill: Filler = _substitute
            values = {"ten": letter.recipient.name, **letter.recipient.fields}
        else:  # the archive copy: pointers to its list of recipients
            fill, values = _neutral, archive_values(self.fields)
        update["noi_dung"] = context.body_block(_fill(d.blocks, fill, values), profile)
        annexes = (
            tuple(tuple(_fill(blocks, fill, values)) for blocks in d.appendix_blocks)
            if self.personal_annex
            else None
        )
        if letter.recipient is None:
            update["phu_luc"] = self.attachments(letter.number, annexes, archive=True)
        elif annexes is not None or (letter.number is not None and (d.phu_luc or d.bieu_mau)):
            update["phu_luc"] = self.attachments(letter.number, annexes)
        return update

    def attachments(
        self,
        number: int | None,
        annexes: tuple[tuple[Any, ...], ...] | None = None,
        *,
        archive: bool = False,
    ) -> Any:
        """Phụ lục and biểu mẫu captioned with the letter's number (the same for every
        letter of a shared number: made once), with the recipients' list for the archive."""
        cacheable = annexes is None and not archive
        if cacheable and number in self._attachments:
            return self._attachments[number]
        d = self.loaded.directive
        profile = self.loaded.profile
        update: dict[str, Any] = {"so": number if number is not None else d.so}
        if annexes is not None:
            update["appendix_blocks"] = annexes
        numbered = d.model_copy(update=update)
        extra = []
        if archive:
            caption = context.attachment_caption(numbered, profile)
            table = archive_table(self.people, self.fields)
            extra.append(context.annex_section(profile, [table], caption, title=ARCHIVE_LIST_TITLE))
        made = context.attachments(numbered, profile, extra)
        if cacheable:
            self._attachments[number] = made
        return made

    def render(self, letter: Letter, all_names: list[str]) -> bytes:
        who = letter.recipient.name if letter.recipient else "bản lưu"
        return self.renderer.render(self.overrides(letter, all_names), recipient=who)


def _stored(path: Path) -> dict[str, package.Member]:
    try:
        return package.stored_members(path.read_bytes())
    except OSError:
        return {}


# --------------------------------------------------------------------------- workers

_MAKER: LetterMaker | None = None


def _die_with_parent(parent: int) -> None:
    """A worker ends at once when the main process is killed: it must not go on writing
    letters nobody will record. Linux: the kernel kills it (PR_SET_PDEATHSIG); elsewhere a
    thread watches for the parent to change."""
    import signal
    import sys
    import threading

    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the thread below
            pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _init_worker(
    path: str,
    agency: str | None,
    overrides: dict[str, Any],
    people: list[Recipient],
    parent: int,
    convert_legacy: bool = False,
) -> None:
    global _MAKER
    _die_with_parent(parent)
    where = Path(agency) if agency else None
    loaded = api.load(Path(path), agency=where, overrides=overrides, convert_legacy=convert_legacy)
    _MAKER = LetterMaker(loaded, people=people)


def _work(job: tuple[list[Letter], list[str], str]) -> list[tuple[str, build.Written]]:
    letters, names, out = job
    assert _MAKER is not None
    return [_write_one(_MAKER, letter, names, Path(out)) for letter in letters]


def _write_one(
    maker: LetterMaker, letter: Letter, names: list[str], out: Path
) -> tuple[str, build.Written]:
    data = maker.render(letter, names)
    return letter.file, build.write_output(inside(out, letter.file), data, durable=False)


def _chunks(items: list[Letter], n: int) -> Iterator[list[Letter]]:
    size = max(1, min(50, len(items) // (n * 4) or 1))
    for i in range(0, len(items), size):
        yield items[i : i + size]


def clean_temp(out: Path) -> list[Path]:
    """Remove temp files a killed run left behind (atomic writes never leave half files)."""
    removed = []
    if out.is_dir():
        with os.scandir(out) as entries:  # a plain scan: the folder holds 1,000s of letters
            stale = [e.name for e in entries if e.name[:1] == "." and e.name.endswith(".tmp")]
        for name in stale:
            (out / name).unlink(missing_ok=True)
            removed.append(out / name)
    return removed


class LetterInputs(NamedTuple):
    """What each letter of a batch is made from, as hashes (see `build`): the inputs they
    all share, and per file its own (recipient row, number)."""

    shared: dict[str, str]
    own: dict[str, tuple[str, str]]

    def of(self, file: str) -> dict[str, str]:
        """All the inputs of one letter."""
        return build.merge(self.shared, self.own[file])


def letter_inputs(loaded: api.Loaded, letters: list[Letter]) -> LetterInputs:
    """What each letter is made from (the archive copy's row: every recipient's row, since
    it lists each one with the fields the body uses)."""
    people = [x.recipient for x in letters if x.recipient is not None]
    digests = row_digests(people)
    everyone = build.digest(*digests)
    rows = iter(digests)
    own = {
        x.file: (everyone if x.recipient is None else next(rows), str(x.number)) for x in letters
    }
    return LetterInputs(loaded.inputs(), own)


def row_digests(people: Sequence[Recipient]) -> list[str]:
    """The hash of each recipient's row: of ``repr((name, sorted(fields.items())))`` (repr
    of strings is unambiguous: one hash per row, however many fields it has). When every
    row has the same fields (a CSV or .xlsx list), the texts are made by one %-format and
    hashed in C loops."""
    fields = sorted(people[0].fields) if people else []
    first = people[0].fields.keys() if people else None
    if not all(r.fields.keys() == first for r in people):  # a YAML list may differ by row
        texts = [repr((r.name, sorted(r.fields.items()))) for r in people]
    else:
        pairs = ", ".join(f"({repr(k).replace('%', '%%')}, %r)" for k in fields)
        template = f"(%r, [{pairs}])"
        columns = [[r.fields[k] for r in people] for k in fields]
        texts = list(map(template.__mod__, zip([r.name for r in people], *columns, strict=True)))
    return build.digests_bytes(map(str.encode, texts))


def render_all(
    loaded: api.Loaded,
    letters: list[Letter],
    out: Path,
    *,
    workers: int | None = None,
    overrides: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
    inputs: LetterInputs | None = None,
) -> BatchResult:
    """Render and write the letters whose inputs changed, on every core.

    Letters with the same inputs as the last build (and untouched files) are not rendered
    at all; outputs of recipients no longer in the list are removed.
    """
    out.mkdir(parents=True, exist_ok=True)
    out = out.resolve()
    clean_temp(out)
    people = [x.recipient for x in letters if x.recipient is not None]
    names = [r.name for r in people]
    result = BatchResult(letters)
    state = build.State.load(out)
    inputs = inputs if inputs is not None else letter_inputs(loaded, letters)
    own = inputs.own
    same = state.unchanged_letters(inputs.shared, [(x.file, own[x.file]) for x in letters])
    todo = [x for x, kept in zip(letters, same, strict=True) if not kept]
    result.unchanged = [x.file for x, kept in zip(letters, same, strict=True) if kept]
    result.hashes = {name: state.sha256(name) for name in result.unchanged}
    if progress and result.unchanged:
        progress(len(result.unchanged))
    workers = workers or min(os.cpu_count() or 1, 8)
    pool = None
    results: Iterator[list[tuple[str, build.Written]]] = iter(())
    # Letters this run leaves alone share every part but the body with the ones it renders.
    like = out / result.unchanged[0] if result.unchanged else None
    if todo and (workers <= 1 or len(todo) < 40):
        maker = LetterMaker(loaded, like=like, people=people)
        done = (_write_one(maker, x, names, out) for x in todo)
        results = ([r] for r in done)
    elif todo:
        import multiprocessing

        global _MAKER
        if hasattr(os, "fork"):
            # Forked workers inherit the prepared template and base context: no set-up cost.
            _MAKER = LetterMaker(loaded, like=like, people=people)
            pool = multiprocessing.get_context("fork").Pool(
                workers, _die_with_parent, (os.getpid(),)
            )
        else:  # pragma: no cover - Windows: each worker prepares its own
            agency = str(loaded.agency) if loaded.agency else None
            args = (str(loaded.path), agency, dict(overrides or {}), people, os.getpid())
            args += (loaded.convert_legacy,)
            pool = multiprocessing.get_context("spawn").Pool(workers, _init_worker, args)
        jobs = [(chunk, names, str(out)) for chunk in _chunks(todo, workers)]
        results = pool.imap(_work, jobs)
    numbers = {x.file: x.number for x in letters}
    try:
        for chunk in results:
            for name, done in chunk:
                result.rendered.append(name)
                if done.written:
                    number = "" if numbers[name] is None else str(numbers[name])
                    result.revisions.append(
                        build.revision(state, out / name, inputs.of(name), done, number)
                    )
                result.hashes[name] = done.sha256
                (result.written if done.written else result.unchanged).append(name)
                if progress:
                    progress(1)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    current = {x.file for x in letters}
    for name in sorted(state.names() - current):
        for stale in (out / name, (out / name).with_suffix(".pdf")):
            stale.unlink(missing_ok=True)
        result.removed.append(name)
        state.remove(name)
    for name in result.rendered:
        state.put(
            name, build.Record(inputs.of(name), result.hashes[name], build.file_stat(out / name))
        )
    state.save()
    if result.written and hasattr(os, "sync"):
        os.sync()  # one flush for the whole batch (see outputs.atomic_write)
    return result


# --------------------------------------------------------------------------- manifest


def manifest_columns(
    result: BatchResult, symbol: Callable[[int | None], str]
) -> dict[str, list[str]]:
    """The bảng kê by column: one value per letter, archive copy first."""
    letters = result.letters
    return {
        "stt": [str(x.index) for x in letters],
        "nguoi_nhan": [x.recipient.name if x.recipient else "(bản lưu)" for x in letters],
        "so": [symbol(x.number) for x in letters],
        "tep": [x.file for x in letters],
        "sha256": [result.hashes.get(x.file, "") for x in letters],
    }


def write_manifest(out: Path, columns: dict[str, list[str]]) -> tuple[Path, Path]:
    """Bảng kê: CSV (UTF-8 with BOM, for Excel; formula-safe) and JSON, written atomically
    and only when their bytes change (a rebuild that changes nothing leaves them alone)."""
    csv_path, json_path = out / f"{MANIFEST}.csv", out / f"{MANIFEST}.json"
    text = "\ufeff" + manifest_csv(columns)
    outputs.write_if_changed(csv_path, text.encode("utf-8"), durable=False)
    outputs.write_if_changed(json_path, manifest_json(columns).encode("utf-8"), durable=False)
    return csv_path, json_path


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A value starting like a formula, in a column joined with newlines (a hit may be a value
# holding a newline: the column is then checked value by value, which is exact).
_FORMULA_ANYWHERE = re.compile(r"\n[=+\-@\t\r]")
_CSV_QUOTED = ',"\r\n'  # what makes csv.writer quote a value
# What json's quoter escapes (not ensure_ascii): '"', '\\' and U+0000–U+001F, as UTF-8 bytes
# (no other character's UTF-8 has a byte below 0x80).
_JSON_ESCAPED = b'"\\' + bytes(range(0x20))


def _holds(text: str, chars: str) -> bool:
    return any(c in text for c in chars)  # str's own search: 100× a regex class on 64 KB


def _json_escaped(text: str) -> bool:
    data = text.encode("utf-8", "surrogatepass")
    return len(data.translate(None, _JSON_ESCAPED)) != len(data)  # C loops, no regex


def manifest_csv(columns: dict[str, list[str]]) -> str:
    """The CSV text, as `csv.writer` writes it; values Excel would run as formulas get a
    leading apostrophe (a column is checked value by value only when one of its values may
    start like a formula). When no value needs quoting (the usual bảng kê: names, numbers,
    file names, hashes), the lines are joined directly: a 1,000-letter rebuild rewrites the
    whole bảng kê, and `csv.writer` takes 14 times as long for the same text."""
    safe = [
        [_csv_safe(v) for v in values] if _FORMULA_ANYWHERE.search("\n" + "\n".join(values))
        else values
        for values in columns.values()
    ]  # fmt: skip
    header = list(columns)
    if len(header) > 1 and not any(_holds("".join(v), _CSV_QUOTED) for v in [header, *safe]):
        return "".join(line + "\n" for line in map(",".join, [header, *zip(*safe, strict=True)]))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(zip(*safe, strict=True))
    return buf.getvalue()


def manifest_json(columns: dict[str, list[str]]) -> str:
    """A JSON list, one record per line (readable); every value a string quoted as json's
    quoter does, so it equals ``json.dumps(row, ensure_ascii=False)`` line by line. Values
    with nothing to escape (the usual) are put between quotes as they are."""
    if not columns:
        return "[\n\n]\n"
    quote = json.encoder.encode_basestring
    plain = not any(_json_escaped("".join(values)) for values in columns.values())
    values = list(columns.values()) if plain else [list(map(quote, v)) for v in columns.values()]
    q = '"' if plain else ""  # plain values get their quotes from the text between them
    # A record is its values and the text between them: {"stt": "1", "tep": "…"}.
    names = [quote(name) for name in columns]
    between = [f"{{{names[0]}: {q}", *(f"{q}, {n}: {q}" for n in names[1:]), f"{q}}}"]
    texts = map(itertools.repeat, between[:-1])
    pieces = [p for pair in zip(texts, values, strict=True) for p in pair]
    records = map("".join, zip(*pieces, itertools.repeat(between[-1])))
    return "[\n" + ",\n".join(records) + "\n]\n"


def _csv_safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


# --------------------------------------------------------------------------- the whole job


def register_path(loaded: api.Loaded, given: Path | str | None) -> Path | str:
    """The register: ``--so-van-ban-di``, else ``so_van_ban`` of the agency file, else the
    environment, else ``so-van-ban-di.sqlite3`` next to the agency file (see
    `register_store.resolve`)."""
    from tetngheo_docs.register_store import resolve

    return resolve(
        given,
        agency_file=loaded.agency,
        agency_value=loaded.directive.so_van_ban,
        folder=loaded.path.parent,
    )


def history_file(loaded: api.Loaded, register: Path | str) -> Path:
    """The issue history: beside a register file, or beside the agency file when the
    register is on a server."""
    if isinstance(register, Path):
        return register.parent / build.HISTORY
    return (loaded.agency.parent if loaded.agency else loaded.path.parent) / build.HISTORY


def register_scope(loaded: api.Loaded) -> Any:
    """The number series of a directive [format-rules §5]: State agency × series × year;
    Party agency × document type × committee term (from ``nhiem_ky`` in the agency file)."""
    from tetngheo_docs.register import Scope

    d = loaded.directive
    abbr = loaded.profile.doc_type(d.loai).abbr
    agency = d.co_quan.viet_tat
    if d.he_thong == "nha_nuoc":
        return Scope.nha_nuoc(agency, d.ngay.year, "mat" if (d.so_mat or d.do_mat) else "chung")
    for term in d.nhiem_ky:
        if term.tu <= d.ngay and (term.den is None or d.ngay <= term.den):
            return Scope.dang(agency, abbr or "CV", term.ten)
    raise DirectiveError(
        [
            Issue(
                Location(str(loaded.agency or loaded.path)),
                "nhiem_ky",
                f"văn bản Đảng đánh số theo nhiệm kỳ: tệp cơ quan cần 'nhiem_ky' có kỳ chứa ngày "
                f"{d.ngay:%d/%m/%Y} (ví dụ: nhiem_ky: [{{ten: 2020-2025, tu: 15/10/2020, "
                "den: 14/10/2025}])",
            )
        ]
    )


def _recipient_summary(names: list[str], limit: int = 2000) -> str:
    """Nơi nhận for the register: every name, or a count and the first ones for long lists."""
    full = "; ".join(names)
    if len(full) <= limit:
        return full
    head = "; ".join(names[:10])
    return f"{len(names)} nơi nhận (xem bảng kê): {head}; …"


def refuse_issued_changes(
    letters: list[Letter],
    entries: list[Reservation],
    out: Path,
    inputs: LetterInputs,
    directive: Path,
) -> None:
    """An issued document is never changed in place [ND30 Đ18]: it is corrected by a new
    document (đính chính) or replaced (thay thế), which gets its own number."""
    issued = {e.key for e in entries if e.status == "issued"}
    if not issued:
        return
    state = build.State.load(out.resolve()) if out.is_dir() else build.State(out)
    mine = [x for x in letters if x.key in issued]
    same = state.unchanged_letters(inputs.shared, [(x.file, inputs.own[x.file]) for x in mine])
    changed = [x for x, kept in zip(mine, same, strict=True) if not kept]
    if changed:
        number = changed[0].number
        raise TetngheoError(
            f"văn bản số {number:02d} đã phát hành; không sửa văn bản đã phát hành "
            f"({len(changed)} thư có thay đổi, ví dụ {changed[0].file}). Theo Nghị định "
            "30/2020/NĐ-CP, văn bản đã ban hành có sai sót được đính chính bằng công văn, hoặc "
            "thay thế bằng văn bản khác — mỗi văn bản có số mới. Tạo công văn đính chính: "
            f"tetngheo new dinh-chinh {directive}"
            if number is not None
            else "văn bản đã phát hành; không sửa văn bản đã phát hành"
        )


def _located(loaded: api.Loaded, key: str) -> Location:
    """Where ``key`` is written in the directive (its start), else the file."""
    from tetngheo_docs import source

    try:
        return source.load_yaml(loaded.path, label=str(loaded.path)).key_loc((key,))
    except TetngheoError:
        return Location(str(loaded.path))


def date_refusal(loaded: api.Loaded, scope: Any, today: date) -> str | None:
    """Why the directive's date may not take a number today, if it may not [ND30 Đ15]:
    a date in the future, or in a year (State) or committee term (Party) already over."""
    d = loaded.directive
    if d.ngay > today:
        return (
            f"ngày văn bản {d.ngay:%d/%m/%Y} còn ở tương lai (hôm nay {today:%d/%m/%Y}); số "
            "được cấp vào ngày ký ban hành"
        )
    if d.he_thong == "nha_nuoc" and d.ngay.year < today.year:
        return (
            f"ngày văn bản {d.ngay:%d/%m/%Y} thuộc năm {d.ngay.year} đã kết thúc: văn bản nhà nước "
            f"đánh số theo năm, năm {today.year} có dãy số mới từ 01 — có thể tệp được chép từ "
            "văn bản cũ mà chưa sửa ngày"
        )
    if d.he_thong == "dang":
        ends = [t.den for t in d.nhiem_ky if t.ten == scope.period and t.den is not None]
        if ends and ends[0] < today:
            return (
                f"ngày văn bản {d.ngay:%d/%m/%Y} thuộc nhiệm kỳ {scope.period} đã kết thúc "
                f"({ends[0]:%d/%m/%Y}); văn bản mới đánh số theo nhiệm kỳ hiện tại"
            )
    return None


class HandNumber(NamedTuple):
    """What `render` does with a number written by hand (see `hand_number`)."""

    problem: Issue | None  # refused: nothing may be written
    record: bool  # to be entered in the register before the document is written
    note: str  # said to the user when the number is not entered (no register yet)


def hand_number(
    loaded: api.Loaded,
    *,
    register: Path | str | None = None,
    from_option: bool = False,
    date_override: str | None = None,
    today: date | None = None,
) -> HandNumber:
    """For `render`: may the number written by hand (``so:`` or ``--so``) be printed?

    Once the office has a register, the number goes through it like any other: refused when
    another document holds it, when it was voided, used before the register or would leave
    a gap, or when a new entry would be dated in the future or in a year or term already
    over (unless ``date_override`` gives a reason); otherwise it is to be recorded (reads
    only here: `record_hand_number` writes, once every file of the run has passed). With no
    register yet, the document is rendered and the user told that the number is not in one.
    """
    from tetngheo_docs.register import Register
    from tetngheo_docs.register_store import exists
    from tetngheo_docs.vn.dates import today_vn

    d = loaded.directive
    reg_path = register_path(loaded, register)
    if d.so is None:
        return HandNumber(None, False, "")
    if not exists(reg_path):
        note = (
            f"{loaded.path}: số {d.so:02d} chưa được ghi vào sổ văn bản đi (chưa có sổ tại "
            f"{reg_path}); cơ quan bắt đầu sổ bằng: tetngheo register bat-dau …"
        )
        return HandNumber(None, False, note)
    key = directive_id(loaded)
    try:
        scope = register_scope(loaded)
        with Register(reg_path) as reg:
            reg.check_manual(scope, key, d.so)
            held = reg.lookup(scope, [key]).get(key)
    except DirectiveError as err:
        return HandNumber(err.issues[0], False, "")
    except RegisterError as err:
        if from_option:
            return HandNumber(
                Issue(Location(str(loaded.path)), "so", f"--so {d.so}: {err}"), False, ""
            )
        return HandNumber(Issue(_located(loaded, "so"), "so", str(err)), False, "")
    if held is not None:
        return HandNumber(None, False, "")  # this document's own number, already recorded
    why = date_refusal(loaded, scope, today or today_vn())
    if why is not None and not (date_override or "").strip():
        return HandNumber(_date_issue(loaded, why), False, "")
    return HandNumber(None, True, "")


def record_hand_number(
    loaded: api.Loaded,
    *,
    register: Path | str | None = None,
    date_override: str | None = None,
    today: date | None = None,
) -> None:
    """Enter the number written by hand in the register (after `hand_number` allowed it)."""
    from tetngheo_docs.register import Register
    from tetngheo_docs.vn.dates import today_vn

    d = loaded.directive
    assert d.so is not None
    scope = register_scope(loaded)
    why = date_refusal(loaded, scope, today or today_vn())
    audit = _override_audit(why, date_override)
    meta = _register_meta(loaded, "; ".join(d.kinh_gui))
    with Register(register_path(loaded, register), actor=d.nguoi_thuc_hien or None) as reg:
        reg.reserve_number(scope, directive_id(loaded), d.so, audit=audit, symbol=d.ky_hieu, **meta)


def _date_issue(loaded: api.Loaded, why: str) -> Issue:
    return Issue(
        _located(loaded, "ngay"),
        "ngay",
        f"{why}. Hãy sửa 'ngay'; nếu đúng là cần lấy số với ngày này, chạy lại với "
        '--cho-phep-ngay "lý do" (lý do được ghi vào nhật ký của sổ)',
    )


def _override_audit(why: str | None, date_override: str | None) -> dict[str, str] | None:
    """What the audit row keeps of an accepted date override: the rule and the reason."""
    if why is None:
        return None
    return {"date_override": why, "override_reason": (date_override or "").strip()}


def _register_meta(loaded: api.Loaded, recipients: str) -> dict[str, str]:
    """The register's description of a document (ND30 Phụ lục IV columns)."""
    d = loaded.directive
    return {
        "date": d.ngay.isoformat(),
        "type_name": (loaded.profile.doc_type(d.loai).name or "Công văn").capitalize(),
        "subject": d.trich_yeu,
        "signer": d.nguoi_ky.ho_ten,
        "recipients": recipients,
    }


def _check_out(out: Path) -> list[Path]:
    """The output folder can be made and written; returns the folders this made (so a run
    that fails later can remove them again). Located Vietnamese message otherwise."""
    made = [p for p in (out, *out.parents) if not p.exists()][::-1]
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".tetngheo-thu-ghi-{os.getpid()}.tmp"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        _remove_made(made)
        reason = os_reason(err)
        raise OutputError(
            f"{out}: không tạo hoặc không ghi được thư mục ra ({reason}); hãy chọn thư mục "
            "khác bằng --out. Chưa lấy số nào, chưa ghi tệp nào."
        ) from None
    return made


def _remove_made(made: list[Path]) -> None:
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            return


@dataclass
class IssueReport:
    result: BatchResult
    numbers: list[int]
    symbol: str
    manifest: tuple[Path, Path] | None
    register: Path
    dry_run: bool
    #: The series this run opened (its first number), named for the user; "" otherwise.
    opened: str = ""


def issue(
    directive: Path,
    people_path: Path,
    out: Path,
    *,
    agency: Path | None = None,
    register: Path | str | None = None,
    publish: bool = False,
    dry_run: bool = False,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
    so: str | None = None,
    date_override: str | None = None,
    today: date | None = None,
    convert_legacy: bool = False,
) -> IssueReport:
    """Check everything, then number from the register, render every letter, write a manifest.

    Every number goes through the register: the next one of the series, or one written by
    hand (``so:`` in the directive, ``so`` here). Everything that can fail is checked before
    a number is reserved or a file written: the directive and its date, the recipient list
    and the fields the body uses, the template, the output folder, and the register (a number
    held by another document, a voided number, an issued document that changed).
    """
    from tetngheo_docs import recipients
    from tetngheo_docs.register import Register, void_message
    from tetngheo_docs.register_store import exists
    from tetngheo_docs.vn.dates import today_vn

    overrides = {"so": so} if so is not None else None
    loaded = api.load(directive, agency=agency, overrides=overrides, convert_legacy=convert_legacy)
    unfinished = [w for w in loaded.warnings if w.message.startswith(placeholders.REVIEW)]
    if publish and unfinished:  # a draft is not published: its review notes are errors here
        raise DirectiveError([dataclasses.replace(w, severity=Severity.ERROR) for w in unfinished])
    people = recipients.read(people_path)
    check_fields(loaded, people)
    letters = plan(loaded, people)
    d = loaded.directive
    given = d.so
    if given is not None and d.cap_so == "rieng":
        raise DirectiveError(
            [Issue(_located(loaded, "so"), "so", "cap_so: rieng lấy số cho từng thư; hãy bỏ 'so'")]
        )
    scope = register_scope(loaded)
    why = date_refusal(loaded, scope, today or today_vn())
    if why is not None and not (date_override or "").strip():
        raise DirectiveError([_date_issue(loaded, why)])
    audit = _override_audit(why, date_override)
    engine.prepare_file(loaded.template)  # a broken template fails here, before any number
    reg_path = register_path(loaded, register)
    actor = d.nguoi_thuc_hien or None
    keys = list(dict.fromkeys(x.key for x in letters))
    meta = _register_meta(loaded, _recipient_summary([r.name for r in people.recipients]))
    if dry_run and not exists(reg_path):  # a dry run writes nothing, not even a new register
        if on_plan:
            on_plan(len(letters))
        preview = [given if given is not None else 1]
        result = BatchResult(letters, warnings=people.warnings)
        return IssueReport(result, preview, "", None, reg_path, True, opened=scope.label())
    made = [] if dry_run else _check_out(out)
    try:
        with Register(reg_path, actor=actor) as reg:
            known = reg.lookup(scope, keys)
            for entry in known.values():
                if entry.status == "void":
                    raise RegisterError(f"{loaded.path}: {void_message(reg.entry(entry.id))}")
            if given is not None:
                try:
                    reg.check_manual(scope, keys[0], given)
                except RegisterError as err:
                    if so is not None:
                        raise RegisterError(f"--so {so}: {err}") from None
                    raise DirectiveError([Issue(_located(loaded, "so"), "so", str(err))]) from None
            first = reg.next_number(scope)
            opening = "" if known or first != reg.start(scope) + 1 else scope.label()
            by_key = {e.key: e.number for e in known.values()}
            numbered = [x._replace(number=by_key.get(x.key)) for x in letters]
            inputs = letter_inputs(loaded, numbered)
            refuse_issued_changes(numbered, list(known.values()), out, inputs, loaded.path)
            if dry_run:
                if on_plan:
                    on_plan(len(letters))
                preview = [given] if given is not None else ([first] if not known else [])
                return IssueReport(
                    BatchResult(letters, warnings=people.warnings),
                    sorted({*by_key.values(), *preview}),
                    "",
                    None,
                    reg_path,
                    True,
                    opened=opening,
                )
            if len(known) == len(keys):  # a rerun: every letter has its number already
                entries = [known[k] for k in keys]
            elif given is not None:
                entries = [
                    reg.reserve_number(scope, keys[0], given, audit=audit, symbol=d.ky_hieu, **meta)
                ]
            else:
                # One number per letter (cap_so: rieng): each line names its own recipient.
                each = (
                    {x.key: {"recipients": x.recipient.name} for x in letters if x.recipient}
                    if d.cap_so == "rieng"
                    else None
                )
                entries = reg.reserve_keys(
                    scope, keys, each=each, audit=audit, symbol=d.ky_hieu, **meta
                )
    except BaseException:
        _remove_made(made)
        raise
    if len(known) != len(keys):  # new numbers: the letters' inputs include them
        by_key = {e.key: e.number for e in entries}
        numbered = [x._replace(number=by_key[x.key]) for x in letters]
        inputs = letter_inputs(loaded, numbered)
    letters = numbered
    if on_plan:
        on_plan(len(letters))
    result = render_all(loaded, letters, out, workers=workers, progress=progress, inputs=inputs)
    # The directive's own warnings, but for "use issue" (a batch directive being issued).
    batch_hint = model.personal_issue(loaded.directive, Severity.WARNING)
    result.warnings = [*(w for w in loaded.warnings if w != batch_hint), *people.warnings]
    build.log_revisions(history_file(loaded, reg_path), result.revisions)

    symbol = context.numberer(d.ky_hieu, loaded.profile)
    if publish:
        files: dict[str, str] = {}
        for x in letters:  # shared number: the register keeps the archive copy (first)
            files.setdefault(x.key, x.file)
        with Register(reg_path, actor=actor) as reg:
            for entry in entries:
                name = files[entry.key]
                reg.issue(entry.id, file=name, sha256=result.hashes[name])
    manifest = write_manifest(out, manifest_columns(result, symbol))
    numbers = sorted({x.number for x in letters if x.number is not None})
    return IssueReport(
        result,
        numbers,
        symbol(numbers[0] if numbers else None),
        manifest,
        reg_path,
        False,
        opened=opening,
    )
