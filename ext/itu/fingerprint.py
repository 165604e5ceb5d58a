"""What the extension's own code is, as one digest: output kept from an earlier build
(the PDFs' Typst bodies, the parses the languages share) is made again when it changes."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

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


def settings_text(settings: dict[str, Any]) -> str:
    """Settings as text, the same in every process (a set's order is not)."""
    def stable(value: Any) -> Any:
        return sorted(map(repr, value)) if isinstance(value, set | frozenset) else repr(value)

    return json.dumps(settings, sort_keys=True, default=stable)
