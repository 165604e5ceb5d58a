"""What the extension's own code is, as one digest: output kept from an earlier build
(the PDFs' Typst bodies, the parses the languages share) is made again when it changes."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


@cache
def code_digest() -> str:
    """A digest of every file of the package (code, theme, template, schemas)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE.rglob("*") if p.is_file()
                       and "__pycache__" not in p.parts):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
