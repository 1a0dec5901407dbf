"""Lint output: Vietnamese text for people, JSON for machines."""

from __future__ import annotations

import json
from collections.abc import Sequence

from tetngheo_docs.lint.checks import LintResult, Status
from tetngheo_docs.lint.cite import cite

LABEL = {Status.PASS: "ĐẠT", Status.WARN: "CẢNH BÁO", Status.FAIL: "LỖI"}


def text(result: LintResult, *, strict: bool = False, verbose: bool = True) -> str:
    """One file's report: a line per check, then a summary line.

    Each line reads ``STATUS  id  title: measured (cần expected) [legal source]``; the
    paragraph concerned, when there is one, follows on its own line. Without ``verbose``
    only the checks that did not pass are listed.
    """
    lines = [
        f"{result.file}",
        f"  hồ sơ {result.profile}: {result.profile_title}; {result.detection}",
    ]
    width = max((len(c.id) for c in result.checks), default=0)
    for c in result.checks:
        if not verbose and c.status is Status.PASS:
            continue
        where = source(result, c.source)
        lines.append(
            f"  {LABEL[c.status]:<8} {c.id:<{width}}  {c.title}: {c.measured} "
            f"(cần {c.expected})" + (f" [{where}]" if where else "")
        )
        if c.where and c.status is not Status.PASS:
            lines.append(f"  {'':<8} {'':<{width}}  tại {c.where}")
    lines.append("  " + summary(result, strict=strict))
    return "\n".join(lines)


def source(result: LintResult, raw: str) -> str:
    """The legal texts behind a check, as the reader of ``result`` can look them up."""
    return cite(raw, party=result.system == "dang")


def one_line(result: LintResult, *, strict: bool = False) -> str:
    """``file: ĐẠT|KHÔNG ĐẠT — n đạt, n cảnh báo, n lỗi (ids of what failed)``: one file's
    line of the summary mode (``--tom-tat``)."""
    n_pass, n_warn, n_fail = (result.count(s) for s in (Status.PASS, Status.WARN, Status.FAIL))
    verdict = "KHÔNG ĐẠT" if result.failed(strict) else "ĐẠT"
    bad = [c.id for c in result.checks if c.status is Status.FAIL]
    warned = [c.id for c in result.checks if c.status is Status.WARN]
    detail = "".join(
        f"; {label}: {', '.join(ids)}" for label, ids in (("lỗi", bad), ("cảnh báo", warned)) if ids
    )
    return f"{result.file}: {verdict} — {n_pass} đạt, {n_warn} cảnh báo, {n_fail} lỗi{detail}"


def summary(result: LintResult, *, strict: bool = False) -> str:
    n_pass, n_warn, n_fail = (result.count(s) for s in (Status.PASS, Status.WARN, Status.FAIL))
    verdict = "KHÔNG ĐẠT" if result.failed(strict) else "ĐẠT"
    note = " (--nghiem-ngat: cảnh báo tính là lỗi)" if strict and n_warn else ""
    return f"Kết quả: {n_pass} đạt, {n_warn} cảnh báo, {n_fail} lỗi → {verdict}{note}"


def as_json(
    results: Sequence[LintResult], errors: Sequence[tuple[str, str]], *, strict: bool = False
) -> str:
    """All files as one JSON document; ``ok`` is the exit status as a boolean."""
    files = []
    for r in results:
        data = r.to_dict()
        for check in data["checks"]:  # the legal texts, as in the text report
            check["source"] = source(r, check["source"])
        files.append({**data, "ok": not r.failed(strict)})
    files += [{"file": name, "error": message, "ok": False} for name, message in errors]
    ok = not errors and not any(r.failed(strict) for r in results)
    return json.dumps({"ok": ok, "strict": strict, "files": files}, ensure_ascii=False, indent=2)
