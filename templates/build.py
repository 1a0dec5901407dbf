"""Regenerate the built-in templates from the format profiles: ``python templates/build.py``.

Thin wrapper over `tetngheo_docs.render.builder`; the output is byte-identical for
unchanged profiles, so `git diff` shows exactly which templates a profile change touched.
"""

from __future__ import annotations

from pathlib import Path

from tetngheo_docs import profiles
from tetngheo_docs.render.builder import build_all


def main() -> None:
    here = Path(__file__).resolve().parent
    for path in build_all(here, [profiles.load(name) for name in profiles.available()]):
        print(path.relative_to(here.parent))


if __name__ == "__main__":
    main()
