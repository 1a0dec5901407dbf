"""tetngheo_docs: Vietnamese official correspondence (ND30 / HD36) from YAML to .docx."""

from __future__ import annotations

__version__ = "0.1.0"
