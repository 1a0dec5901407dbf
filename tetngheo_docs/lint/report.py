"""Lint output: Vietnamese text for people, JSON for machines."""

from __future__ import annotations

import json
from collections.abc import Sequence

from tetngheo_docs.lint.checks import LintResult, Status

LABEL = {Status.PASS: "ĐẠT", Status.WARN: "CẢNH BÁO", Status.FAIL: "LỖI"}


def text(result: LintResult, *, strict: bool = False, verbose: bool = True) -> str:
    """One file's report: a line per check, then a summary line.

    Each line reads ``STATUS  id  title: measured (cần expected) [source]``; the paragraph
    concerned, when there is one, follows on its own line. Without ``verbose`` only the
    checks that did not pass are listed.
    """
    lines = [
        f"{result.file}",
        f"  hồ sơ {result.profile}: {result.profile_title}; {result.detection}",
    ]
    width = max((len(c.id) for c in result.checks), default=0)
    for c in result.checks:
        if not verbose and c.status is Status.PASS:
            continue
        lines.append(
            f"  {LABEL[c.status]:<8} {c.id:<{width}}  {c.title}: {c.measured} "
            f"(cần {c.expected}) [{c.source}]"
        )
        if c.where and c.status is not Status.PASS:
            lines.append(f"  {'':<8} {'':<{width}}  tại {c.where}")
    lines.append("  " + summary(result, strict=strict))
    return "\n".join(lines)


def summary(result: LintResult, *, strict: bool = False) -> str:
    n_pass, n_warn, n_fail = (result.count(s) for s in (Status.PASS, Status.WARN, Status.FAIL))
    verdict = "KHÔNG ĐẠT" if result.failed(strict) else "ĐẠT"
    note = " (--strict: cảnh báo tính là lỗi)" if strict and n_warn else ""
    return f"Kết quả: {n_pass} đạt, {n_warn} cảnh báo, {n_fail} lỗi → {verdict}{note}"


def as_json(
    results: Sequence[LintResult], errors: Sequence[tuple[str, str]], *, strict: bool = False
) -> str:
    """All files as one JSON document; ``ok`` is the exit status as a boolean."""
    files = [{**r.to_dict(), "ok": not r.failed(strict)} for r in results]
    files += [{"file": name, "error": message, "ok": False} for name, message in errors]
    ok = not errors and not any(r.failed(strict) for r in results)
    return json.dumps({"ok": ok, "strict": strict, "files": files}, ensure_ascii=False, indent=2)
