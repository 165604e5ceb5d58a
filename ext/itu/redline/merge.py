"""Two versions of a document merged into one, its changes written as marks."""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .. import labels
from ..marks import accept
from ..text import part_kind
from .blocks import Block, parse, plain, split_label
from .front import history_lines, merge_front
from .words import COMPUTED, MOVED, opcodes, similarity, span, word_diff, words

WHOLE = "itu-whole"  # a changed table or code block, shown as it was and as it is

FUZZY_PAIRS = 100    # pairs of blocks a gap may score for similarity in one piece


@dataclass
class Count:
    """Words inserted and deleted in a clause, and how many marks show changes there."""

    inserted: int = 0
    deleted: int = 0
    marks: int = 0


@dataclass
class Redline:
    """The merged document and what changed in it, clause by clause."""

    text: str
    clauses: dict[str, Count]
    metadata: list[str]

    @property
    def inserted(self) -> int:
        return sum(c.inserted for c in self.clauses.values())

    @property
    def deleted(self) -> int:
        return sum(c.deleted for c in self.clauses.values())


class Merger:
    """Walks two block trees in step and writes the merged MyST, counting changed
    words by clause ("considering b)", "resolves 2", "title", "footnote [^1]")."""

    def __init__(self, kinds: dict[str, str]) -> None:
        self.kinds = kinds
        self.clauses: dict[str, Count] = {}
        self.clause = "text"
        self.part = ""
        self.part_style = labels.OPERATIVE  # outside parts, items are numbered
        self.depth = 0

    def count(self, change: str, text: str) -> None:
        entry = self.clauses.setdefault(self.clause, Count())
        entry.marks += bool(text.strip())
        if change == "ins":
            entry.inserted += words(text)
        else:
            entry.deleted += words(text)

    def blocks(self, old: list[Block], new: list[Block]) -> list[str]:
        """The merged lines of two runs of blocks."""
        out: list[str] = []
        for x, y, _moved in align(old, new):
            block = y or x
            if not self.part:
                self.clause = (f"footnote [^{block.name}]" if block.kind == "footnote"
                               else "title" if block.prefix.startswith("#") else "text")
            if x is not None and y is not None:
                lines = self.pair(x, y)
            else:
                lines = self.whole(block, "del" if y is None else "ins")
            out += [*lines, ""]
        return out

    def blocks_whole(self, blocks: list[Block], change: str, *classes: str) -> list[str]:
        out: list[str] = []
        for block in blocks:
            out += [*self.whole(block, change, *classes), ""]
        return out

    def whole(self, block: Block, change: str, *classes: str) -> list[str]:
        """A block wholly inserted (``change`` "ins") or deleted ("del")."""
        if block.kind in ("para", "footnote"):
            head, text = split_label(block.text)
            if MOVED not in classes:  # a move moves words: only its edits are counted
                self.count(change, text)
            return _text_lines(block, head + span(text, change, *classes))
        if block.kind == "verbatim":  # a table or code: shown whole, in a marked container
            self.count(change, " ".join(block.lines))
            state = "inserted" if change == "ins" else "deleted"
            # backticks, longer than any fence inside; colons could close an enclosing fence
            fence = "`" * max([3, *(len(re.match("`*", x.lstrip())[0]) + 1 for x in block.lines)])
            said = [f"itu-{state}-block", COMPUTED, *(c for c in classes if c == WHOLE)]
            return [f"{fence}{{container}} {' '.join(said)}", *_raw(block), fence]
        if block.kind == "list":
            return [*block.before, *self.items([(c, change, classes) for c in block.children],
                                             block.children[0].text)]
        if block.kind == "item":
            return self.blocks_whole(block.children, change, *classes)
        if block.kind == "quote":
            return _quoted(block, self.blocks_whole(block.children, change, *classes))
        if block.name == "part":
            with self.in_part(block):
                self.count(change, plain(block))
            state = "inserted" if change == "ins" else "deleted"
            options = [o for o in block.options if not o.startswith((":change:", ":class:"))]
            options += [f":change: {state}", f":class: {COMPUTED}"]
            body = [line for child in block.children for line in [*_raw(child), ""]]
            return self.fence(block, body, options=options)
        return self.fence(block, self.blocks_whole(block.children, change, *classes))

    def pair(self, old: Block, new: Block) -> list[str]:
        """Two blocks that are the same block in both versions."""
        if old.lines == new.lines:
            return _raw(new)
        if old.kind != new.kind:  # a paragraph that becomes a list item, or the reverse
            return self.relabelled(old, new)
        if new.kind in ("para", "footnote"):
            return _text_lines(new, self.words(old.text, new.text))
        if new.kind == "verbatim":  # its pages say so: no word inside it is marked
            return [*self.whole(old, "del", WHOLE), "", *self.whole(new, "ins")]
        if new.kind == "list":
            return [*new.before, *self.list(old.children, new.children)]
        if new.kind == "item":
            return self.blocks(old.children, new.children)
        if new.kind == "quote":
            return _quoted(new, self.blocks(old.children, new.children))
        if new.name != "part":
            return self.fence(new, self.blocks(old.children, new.children))
        with self.in_part(new):
            argument = new.text if old.text == new.text else self.words(old.text, new.text)
            return self.fence(new, self.blocks(old.children, new.children), argument)

    @contextlib.contextmanager
    def in_part(self, block: Block) -> Iterator[None]:
        """Count the changes made inside as changes of the part, and name its items as
        the page labels them (the part's ``:kind:``, else its call words' kind)."""
        self.part = self.clause = accept(block.text).strip()
        given = next((o.split(":", 2)[2].strip() for o in block.options
                      if o.startswith(":kind:")), "")
        self.part_style = labels.PART_STYLES[
            given or part_kind(self.part, self.kinds) or "preambular"]
        try:
            yield
        finally:
            self.part, self.part_style = "", labels.OPERATIVE

    def fence(self, block: Block, body: list[str], argument: str | None = None,
              options: list[str] | None = None) -> list[str]:
        argument = block.text if argument is None else argument
        return [*block.before, f"{block.prefix}{{{block.name}}} {argument}".rstrip(),
                *(block.options if options is None else options), "", *body, block.prefix]

    def words(self, old: str, new: str) -> str:
        """Text with its word changes marked; a {label} override stays in front."""
        head, new = split_label(new)
        out = [head]
        for tag, x, y in word_diff(split_label(old)[1], new):
            if tag == "=":
                out.append(y)
                continue
            self.count("del", x)
            self.count("ins", y)
            out.append(span(x, "del") + span(y, "ins"))
        return "".join(out)

    def list(self, old: list[Block], new: list[Block]) -> list[str]:
        entries = []
        for x, y, moved in align(old, new, moves=True):
            classes = (MOVED,) if moved else ()
            if x is not None and y is not None:
                # an item moved here: its edits are marked against the text it had
                entries.append(((x, y), "moved" if moved else "", classes))
            else:
                entries.append((x or y, "del" if y is None else "ins", classes))
        return self.items(entries, (new or old)[0].text)

    def moved_here(self, was: Block, now: Block) -> list[str]:
        """An item at the place it moved to: its text with the edits made on the way
        marked word by word, the whole said to be a move; an item of several blocks
        is shown whole, as inserted."""
        if len(was.children) == len(now.children) == 1 and \
                was.children[0].kind == now.children[0].kind == "para":
            head, marked = split_label(self.words(was.children[0].text, now.children[0].text))
            return _text_lines(now.children[0], head + f"[{marked}]{{.{MOVED}}}")
        return self.blocks_whole(now.children, "ins", MOVED)

    def relabelled(self, old: Block, new: Block) -> list[str]:
        """A part's single unlabelled item (a paragraph) that becomes the item of a list
        which gains others, or the reverse: the item most like the paragraph is paired
        with it and gains (or loses) its label, the other items are whole changes."""
        items = (new if new.kind == "list" else old).children
        para = old if new.kind == "list" else new
        best = max(items, key=lambda item: similarity(plain(para), plain(item)))
        gain = new.kind == "list"
        entries = [((para, item) if gain else (item, para), "gain" if gain else "lose", ())
                   if item is best else (item, "ins" if gain else "del", ()) for item in items]
        return [*new.before, *self.items(entries, items[0].text)]

    def items(self, entries: list, marker: str) -> list[str]:
        """List items, all written with one marker so that they stay one list."""
        out: list[str] = []
        indent = " " * (len(marker) + 1)
        top = self.depth == 0 and self.part
        style = self.part_style
        old = new = 0
        self.depth += 1
        for entry, change, classes in entries:
            old += change not in ("ins", "gain", "moved")
            new += change not in ("del", "lose")
            key = style.text(style.key(old if change in ("del", "lose") else new))
            if top:
                self.clause = f"{self.part} {key}{style.suffix}"
            if change in ("ins", "del"):
                lines = self.blocks_whole(entry.children, change, *classes)
            elif change == "moved":
                lines = self.moved_here(*entry)
            else:
                was, now = entry
                lines = self.blocks(was.children or [was], now.children or [now])
            lines = _trimmed(lines)
            if change in ("gain", "lose") and lines:
                self.clauses.setdefault(self.clause, Count()).marks += 1
                label = f"none>{key}" if change == "gain" else f"{key}>none"
                lines[0] = f"{{label}}`{label}` {lines[0]}"
            out.append(f"{marker} {lines[0]}".rstrip() if lines else marker)
            out += [indent + line if line.strip() else "" for line in lines[1:]]
        self.depth -= 1
        if top:
            self.clause = self.part
        return out


def _text_lines(block: Block, text: str) -> list[str]:
    """The lines of a paragraph, heading or footnote definition with a new text."""
    if block.kind == "footnote":
        return [*block.before, f"[^{block.name}]: {text}"]
    return [*block.before, block.prefix + text]


def _quoted(block: Block, lines: list[str]) -> list[str]:
    """A quotation's lines, each behind its marker."""
    return [*block.before, *(f"> {x}" if x.strip() else ">" for x in _trimmed(lines))]


def _trimmed(lines: list[str]) -> list[str]:
    """Lines without leading and trailing blank ones, and no two blank lines in a row."""
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line if line.strip() else "")
    while out and not out[-1]:
        out.pop()
    return out


def _raw(block: Block) -> list[str]:
    return [*block.before, *block.lines]


def align(old: list[Block], new: list[Block], moves: bool = False):
    """Pair the blocks of two versions: (old, new, moved), old or new None if unpaired.

    Equal keys first (see ``opcodes``), then the most similar blocks of the same kind
    in each gap, in order; then, if ``moves``, unpaired blocks with nearly the same
    text anywhere are a move (looked for while that is at most ``FUZZY_PAIRS``
    comparisons a block): (old, None, True) where it was, (old, new, True) where it
    is now.
    """
    result: list[tuple[Block | None, Block | None, bool]] = []
    for op, i1, i2, j1, j2 in opcodes([b.key() for b in old], [b.key() for b in new]):
        if op == "=":
            result += [(old[i1 + k], new[j1 + k], False) for k in range(i2 - i1)]
        else:
            result += _fuzzy(old[i1:i2], new[j1:j2])
    if not moves:
        return result
    gone = [n for n, (x, y, _m) in enumerate(result) if y is None]
    came = [n for n, (x, y, _m) in enumerate(result) if x is None]
    if len(gone) * len(came) > FUZZY_PAIRS * len(result):
        return result
    for g in gone:
        text = plain(result[g][0])
        best = max(came, key=lambda c: similarity(text, plain(result[c][1])), default=None)
        if best is not None and len(text.split()) >= 4 and \
                similarity(text, plain(result[best][1])) >= 0.8:
            result[best] = (result[g][0], result[best][1], True)  # moved here, from
            result[g] = (result[g][0], None, True)  # moved from here
            came.remove(best)
    return result


def _fuzzy(old: list[Block], new: list[Block]):
    """Pair blocks of a gap in order by similarity, by dynamic programming: at least 0.5,
    or 0.2 where as many blocks replace as many (a clause rewritten in place).

    A gap of more than ``FUZZY_PAIRS`` pairs is paired through a window of that many
    that slides along it: what the window pairs up to its last pair is kept, and the
    window moves on from there (the whole window where it pairs nothing).
    """
    floor = 0.2 if len(old) == len(new) else 0.5
    if len(old) * len(new) <= FUZZY_PAIRS:
        return _pair(old, new, floor)
    side = math.isqrt(FUZZY_PAIRS)
    out: list[tuple[Block | None, Block | None, bool]] = []
    i = j = 0
    while True:
        window = _pair(old[i:i + side], new[j:j + side], floor)
        if i + side >= len(old) and j + side >= len(new):
            return out + window
        last = max((k for k, (x, y, _m) in enumerate(window) if x is not None and y is not None),
                   default=len(window) - 1)
        out += window[:last + 1]
        i += sum(x is not None for x, _y, _m in window[:last + 1])
        j += sum(y is not None for _x, y, _m in window[:last + 1])


def _score(x: Block, y: Block) -> float:
    """How alike two blocks are, as candidates for the same block (0 to 1)."""
    if {x.kind, y.kind} == {"para", "list"}:  # a single item gains or loses a label
        para, items = (x, y) if x.kind == "para" else (y, x)
        return max(similarity(plain(para), plain(item)) for item in items.children)
    if x.kind != y.kind or (x.kind == "fence" and x.name != y.name):
        return 0.0
    if x.kind in ("list", "fence"):
        return 1.0 if x.kind == "list" else max(similarity(plain(x), plain(y)), 0.5)
    return similarity(plain(x), plain(y))


def _pair(old: list[Block], new: list[Block], floor: float):
    """The pairing of two runs of blocks with the greatest total score of at least ``floor``."""
    n, m = len(old), len(new)
    score = [[_score(x, y) for y in new] for x in old]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = score[i][j]
            best[i][j] = max(best[i + 1][j], best[i][j + 1],
                             best[i + 1][j + 1] + s if s >= floor else 0.0)
    out: list[tuple[Block | None, Block | None, bool]] = []
    i = j = 0
    while i < n and j < m:
        s = score[i][j]
        if s >= floor and best[i][j] == best[i + 1][j + 1] + s:
            out.append((old[i], new[j], False))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            out.append((old[i], None, False))
            i += 1
        else:
            out.append((None, new[j], False))
            j += 1
    out += [(x, None, False) for x in old[i:]] + [(None, y, False) for y in new[j:]]
    return out


def compare(old: str | None, new: str | None, label: str, kinds: dict[str, str]) -> Redline:
    """The redline of a document from ``old`` to ``new`` (None: the document is added or
    deleted); ``kinds`` maps known call words to preambular/operative."""
    (old_front, old_blocks), (new_front, new_blocks) = (
        parse(text) if text is not None else ({}, []) for text in (old, new))
    whole = "ins" if old is None else "del" if new is None else ""
    front, changed = merge_front(old_front, new_front, label, whole)
    merger = Merger(kinds)
    body = _trimmed(merger.blocks(old_blocks, new_blocks))
    return Redline("\n".join(["---", *front, "---", "", *body, ""]), merger.clauses, changed)


def accept_document(text: str) -> str:
    """A proposal's text with its changes accepted, as the resolution it proposes."""
    front, blocks = parse(text)
    front = {k: v for k, v in front.items() if k != "proposal"}
    front["kind"] = "resolution"
    front["edition"] = accept(str(front.get("edition", "")))
    history = front.get("history")
    front["history"] = accept(history) if isinstance(history, str) else history_lines(front)
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()]
    return "\n".join(["---", *lines, "---", "", *_trimmed(_accepted_lines(blocks)), ""])


def _accepted_lines(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if block.kind in ("para", "footnote"):
            text = accept(split_label(block.text)[1]).strip()
            if text:
                out += _text_lines(block, text)
        elif block.kind == "verbatim":
            out += _raw(block)
        elif block.kind == "quote":
            out += _quoted(block, _accepted_lines(block.children))
        elif block.kind == "list":
            marker = block.children[0].text
            out += block.before
            for child in block.children:
                lines = _trimmed(_accepted_lines(child.children))
                if lines:
                    out.append(f"{marker} {lines[0]}")
                    out += [" " * (len(marker) + 1) + x if x else "" for x in lines[1:]]
        elif block.name != "abstract" and ":change: deleted" not in block.options:
            options = [o for o in block.options if not o.startswith((":change:", ":proposal:"))]
            out += [*block.before, f"{block.prefix}{{{block.name}}} {accept(block.text)}",
                    *options, "", *_accepted_lines(block.children), block.prefix]
        out.append("")
    return out
