"""Front matter of two versions, merged into the redline's front matter."""

from __future__ import annotations

import json

from ..marks import accept
from ..metadata import MetaError, _history, history_entries
from .words import opcodes, span


def history_lines(front: dict) -> list[str]:
    """A front matter's history as a list of editions, marks of its own accepted."""
    value = front.get("history", [front.get("edition", "")])
    if isinstance(value, str):
        return history_entries(accept(value))
    try:
        value = _history(value)
    except MetaError:  # the page reports it; here, take what is there
        value = value if isinstance(value, list) else [value]
    return [e for e in (accept(str(v)).strip() for v in value) if e]


def _mark_changes(meta: dict, old: dict, new: dict) -> None:
    """Edition, formula and history of ``meta`` with the changes from old to new marked."""
    for key in ("edition", "formula"):
        a, b = (accept(str(side.get(key, ""))) for side in (old, new))
        if a != b:
            meta[key] = span(a, "del") + span(b, "ins")
    a, b = history_lines(old), history_lines(new)
    if a != b:
        history = []
        for op, i1, i2, j1, j2 in opcodes(a, b):
            if op == "=":
                history += b[j1:j2]
            else:
                history += [span(e, "del") for e in a[i1:i2]]
                history += [span(e, "ins") for e in b[j1:j2]]
        meta["history"] = "; ".join(history) if isinstance(meta.get("history"), str) \
            else history


def merge_front(old: dict, new: dict, label: str, whole: str = "") -> tuple[list[str],
                                                                           list[str]]:
    """The merged front matter as YAML lines, and the names of the fields that changed.

    Edition, formula and history carry computed marks; a value that held marks of its
    own is compared as it reads with them accepted. ``whole``: "ins" for a document
    added, "del" for one deleted, whose heading block is then one change; a document
    that had no front matter and gains one changes every field it gains.
    """
    meta = dict(new or old)
    changed: list[str] = []
    if whole:
        entries = history_lines(meta)
        for key in ("edition", "formula"):
            if meta.get(key):
                meta[key] = span(accept(str(meta[key])), whole)
        if entries:
            meta["history"] = [span(e, whole) for e in entries]
    else:
        changed = sorted(k for k in {*old, *new} if old.get(k) != new.get(k))
        _mark_changes(meta, old, new)
    meta["redline"] = label
    return [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()
            ], changed
