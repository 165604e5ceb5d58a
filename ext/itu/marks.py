"""The one syntax of change marks in text: ``{ins}`text```, ``{del}`text```, and where
the marked text holds markup the span forms ``[text]{.ins}`` and ``[text]{.del}`` (a
redline adds its classes: ``[text]{.ins .itu-computed}``). Free of Sphinx."""

from __future__ import annotations

import re

# the span's text may hold one level of brackets: a footnote reference, a citation
MARK = re.compile(r"\{(ins|del)\}`([^`]*)`"
                  r"|\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\{\.(ins|del)([^{}]*)\}")
UNCLOSED = re.compile(r"\{(ins|del)\}`")
# what is left of a mark written inside another one: "{ins}`new {del}`old` words`"
ROLE_NAME = re.compile(r"\{(ins|del)\}")
# a redline's item where it moved to: its text, with the edits made on the way marked
# (brackets two deep inside: a mark of a footnote reference, "[[^a]]{.del}")
MOVED_HERE = re.compile(r"\[((?:[^\[\]]|\[(?:[^\[\]]|\[[^\[\]]*\])*\])*)\]\{\.itu-moved\}")


def mark_parts(match: re.Match) -> tuple[str, str, list[str]]:
    """A mark's change ("ins" or "del"), its text and its other classes."""
    if match[1]:
        return match[1], match[2], []
    return match[4], match[3], re.findall(r"\.([\w-]+)", match[5])


def segments(text: str) -> list[tuple[str, str]]:
    """The text in pieces: ("", plain), ("ins", inserted), ("del", deleted)."""
    pieces, pos = [], 0
    for match in MARK.finditer(text):
        if match.start() > pos:
            pieces.append(("", text[pos:match.start()]))
        pieces.append(mark_parts(match)[:2])
        pos = match.end()
    if pos < len(text):
        pieces.append(("", text[pos:]))
    return pieces


def version(text: str, keep: str) -> str:
    """The text with its insertions (``keep="ins"``) or its deletions (``"del"``) kept;
    a moved item belongs to the new text (the old one has it where it was)."""
    text = MOVED_HERE.sub(lambda m: m[1] if keep == "ins" else "", text)
    return MARK.sub(lambda m: mark_parts(m)[1] if mark_parts(m)[0] == keep else "", text)


def accept(text: str) -> str:
    """The text with insertions kept and deletions dropped."""
    return version(text, "ins")


def reject(text: str) -> str:
    """The text with deletions kept and insertions dropped."""
    return version(text, "del")
