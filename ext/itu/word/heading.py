"""The heading block of a resolution as text with change marks, both ways.

Marked text is a list of ``(change, text)`` segments, change "" (plain), "ins" or
"del"; front matter writes the same as ``{ins}`...``` / ``{del}`...```.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..marks import segments

Segments = list[tuple[str, str]]
REV = "Rev. "  # in English designations, read back


def merge(parts: Segments) -> Segments:
    """Neighbours of one change joined, empty ones dropped."""
    out: Segments = []
    for change, text in parts:
        if not text:
            continue
        if out and out[-1][0] == change:
            out[-1] = (change, out[-1][1] + text)
        else:
            out.append((change, text))
    return out


def marked(parts: Segments) -> str:
    return "".join(f"{{{c}}}`{t}`" if c else t for c, t in merge(parts))


def version(parts: Segments, keep: str) -> str:
    """The text with the changes accepted (``keep="ins"``) or rejected (``"del"``)."""
    return "".join(t for c, t in parts if c in ("", keep))


def is_revision(history: list[str], keep: str) -> bool:
    line = "; ".join(version(segments(e), keep) for e in history)
    return len([e for e in line.split(";") if e.strip()]) > 1


@dataclass(frozen=True)
class Language:
    """How a heading block reads in a language: the site words that give its forms
    (``sphinx.po``), its place names and the letters of its lettered labels. The
    default is English."""

    words: dict[str, str] = field(default_factory=dict)  # English site word -> its own
    places: dict[str, str] = field(default_factory=dict)  # English place name -> its own
    letters: str = ""

    def say(self, message: str) -> str:
        return self.words.get(message) or message

    def around(self, message: str, slot: str) -> tuple[str, str]:
        """A form's text before and after one of its slots."""
        before, _, after = self.say(message).partition("{" + slot + "}")
        return before, after

    def edition(self, parts: Segments) -> Segments:
        """Each "place, year" of marked text in the language's form and place names."""
        out = []
        for change, text in parts:
            match = re.fullmatch(r"(.+), (\d{4})", text.strip())
            if match and self.words:
                place = self.places.get(match[1], match[1])
                text = self.say("{place}, {year}").format(place=place, year=match[2])
            out.append((change, text))
        return out


ENGLISH = Language()


def designation(number: str, edition: str, history: list[str],
                language: Language = ENGLISH) -> Segments:
    """"RESOLUTION 85 (Rev. New Delhi, 2024)", "Rev." inside the mark it belongs to."""
    parts = language.edition(segments(edition))
    rev, rev_after = language.around("Rev. {edition}", "edition")
    before, after = is_revision(history, "del"), is_revision(history, "ins")
    if before and after:
        parts = [("", rev), *parts, ("", rev_after)]
    elif before or after:
        change = "ins" if after else "del"
        at = next((n for n, (c, _) in enumerate(parts) if c == change), None)
        if at is None:
            parts = [(change, rev), *parts, (change, rev_after)]
        else:
            parts[at] = (change, rev + parts[at][1] + rev_after)
    form = language.say("RESOLUTION {number} ({edition})").replace("{number}", number)
    head, tail = form.partition("{edition}")[::2]
    return merge([("", head), *parts, ("", tail)])


def history_line(history: list[str], language: Language = ENGLISH) -> Segments:
    """"(Hammamet, 2016; New Delhi, 2024)": a wholly marked entry's separator is marked."""
    opening, closing = language.around("({editions})", "editions")
    separator = language.say("; ")
    out: Segments = [("", opening)]
    for n, parts in enumerate(language.edition(segments(entry)) for entry in history):
        if n:
            changes = {c for c, _ in parts}
            whole = changes.pop() if len(changes) == 1 and "" not in changes else ""
            if whole:
                parts = [(whole, separator + parts[0][1]), *parts[1:]]
            else:
                out.append(("", separator))
        out += parts
    return merge([*out, ("", closing)])


def formula(edition: str, assembly: str, assemblies: dict[str, Any],
            language: Language = ENGLISH) -> Segments:
    name = language.say((assemblies.get(assembly) or {}).get("name", assembly))
    form = language.say("The {assembly} ({edition}),").replace("{assembly}", name)
    head, tail = form.partition("{edition}")[::2]
    return merge([("", head), *language.edition(segments(edition)), ("", tail)])


# reading a heading block back ----------------------------------------------

DESIGNATION = re.compile(r"RESOLUTION\s+(\d+)\s*\((.*)\)\s*$", re.S)


def strip_text(parts: Segments, prefix: str, suffix: str) -> Segments | None:
    """The segments without a plain prefix and suffix; None if they are not there."""
    parts = merge(parts)
    if not parts or parts[0][0] or parts[-1][0]:
        return None
    first, last = parts[0][1], parts[-1][1]
    if not first.startswith(prefix) or not last.endswith(suffix):
        return None
    if len(parts) == 1:
        return merge([("", first[len(prefix):len(first) - len(suffix)])])
    return merge([("", first[len(prefix):]), *parts[1:-1],
                  ("", last[:len(last) - len(suffix)])])


def read_designation(parts: Segments) -> tuple[str, str] | None:
    """(number, marked edition) of "RESOLUTION 85 (Rev. New Delhi, 2024)"."""
    match = DESIGNATION.match(version(parts, "ins"))
    head = re.match(r"RESOLUTION\s+\d+\s*\(", parts[0][1]) if parts and not parts[0][0] else None
    if not match or not head:
        return None
    inner = strip_text(parts, head[0], ")")
    if inner is None:
        return None
    edition = [(c, t[len(REV):] if t.startswith(REV) else t) for c, t in inner]
    return match[1], marked(edition)


def read_history(parts: Segments) -> list[str] | str:
    """The entries of a history line as front matter has them: a list where every
    separator stands clear of the marks, else the line as one string."""
    inner = strip_text(parts, "(", ")")
    if inner is None:
        return marked(parts)
    entries: list[Segments] = [[]]
    for change, text in inner:
        if change and text.startswith("; ") and entries[-1]:
            entries.append([(change, text[2:])])
            continue
        if change and ";" in text:
            return marked(inner)
        pieces = text.split("; ") if not change else [text]
        entries[-1].append((change, pieces[0]))
        for piece in pieces[1:]:
            entries.append([(change, piece)])
    out = [marked(entry) for entry in entries if merge(entry)]
    if not all(re.fullmatch(r".+, \d{4}", version(merge(e), keep).strip())
               for e in entries if merge(e) for keep in ("ins", "del") if version(merge(e), keep)):
        return marked(inner)  # a printed oddity ("Hammamet 2016"): kept as printed
    return out
