"""Run the `tetngheo` command in-process with stdout and stderr kept apart.

Click 8.2 removed ``CliRunner(mix_stderr=...)``: ``result.stderr`` is always separate and
``result.output`` interleaves both streams. Click 8.1 (still allowed by pyproject) mixes them
unless told not to, so the runner is built according to the installed version.
"""

from __future__ import annotations

from importlib.metadata import version
from os import PathLike

from click.testing import CliRunner, Result

from tetngheo_docs.cli import main

# `click.__version__` is deprecated (a DeprecationWarning, an error under our pytest config).
CLICK_VERSION = tuple(int(part) for part in version("click").split(".")[:2])


def runner() -> CliRunner:
    if CLICK_VERSION < (8, 2):
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()


class _BothStreams(Result):
    """Click 8.1's result with click 8.2's meaning of ``output``: everything the user saw,
    both streams (8.1's ``output`` is stdout alone, so a message on stderr went unseen)."""

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str | PathLike[str]) -> Result:
    """Invoke `tetngheo ARGS…`; exceptions are caught and kept on the result (not re-raised)."""
    result = runner().invoke(main, [str(a) for a in args], catch_exceptions=True)
    if CLICK_VERSION < (8, 2):
        result.__class__ = _BothStreams
    return result


def has_traceback(result: Result) -> bool:
    """True when something other than a clean `sys.exit` escaped the command."""
    stray = result.exception is not None and not isinstance(result.exception, SystemExit)
    return stray or "Traceback" in result.output
