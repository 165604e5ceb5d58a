"""Redline: two versions of a MyST document merged into one, changes written as marks.

The merged document uses the change marks an editor would write
(``[text]{.ins .itu-computed}``, ``:change: inserted`` on a part), so the
extension renders it like any proposal and every builder shows the same marks.
Structure first (parts by call words, items by content, footnotes by key), then
words inside matched blocks.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import yaml

from . import labels
from .metadata import MetaError, _history, history_entries
from .text import part_kind

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when installed
COMPUTED = "itu-computed"
MOVED = "itu-moved"
PROSE = {"part", "abstract", "annex", "note", "admonition", "important", "tip", "warning"}
# the largest document the diff build compares: about 8 and 20 times the largest now
MAX_BYTES = 256_000
MAX_LINES = 5_000
MAX_DEPTH = 16       # blocks within blocks (fences, items): real documents use 5 or fewer
SIZE_CODE = "[itu.redline-size]"
# bounds that keep a redline's work near-linear in the size of what it compares
DIFF_WORK = 62_500   # pairs of tokens or blocks one exact diff may compare
ANCHOR_DEPTH = 8     # cuts within cuts of one diff, each a pass over what is left
ANCHOR_COUNT = 8     # how often an element may occur and still be a place to cut at
FUZZY_PAIRS = 100    # pairs of blocks a gap may score for similarity in one piece

# MyST constructs a word diff must never cut: escapes, roles, spans, links, footnote
# references, inline code, emphasis; then words and single other characters. No part
# looks past where another such construct could begin, so that reading is linear.
BRACKETED = r"\[(?:[^\[\]]|\[[^\[\]]*\])*\]"  # [text], with [^1] or [x] inside
TOKEN = re.compile(r"""\\.|\{[\w:+-]+\}`[^`]*`|`[^`]*`|\[\^[^\]\s]+\]
    |""" + BRACKETED + r"""(?:\{[^{}]*\}|\([^()]*\))|\*\*[^*\n]+\*\*|\*[^*\n]+\*
    |[\w\u2011'’-]+|\s+|.""", re.X)
ITEM = re.compile(r"(\d+[.)]|[-*+])( +|$)")
FENCE = re.compile(r"(:{3,}|`{3,})\{([\w-]+)\}[ \t]*(.*)")
FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]:[ \t]*(.*)")
LABEL = re.compile(r"^\{label\}`[^`]*`\s*")
AUTHORED = re.compile(r"\{(ins|del)\}`([^`]*)`|\[((?:[^\[\]]|\[[^\[\]]*\])*)\]"
                      r"\{\.(ins|del)[^{}]*\}")


# ---------------------------------------------------------------- structure


@dataclass
class Block:
    """One block of a document: ``para``, ``list``, ``item``, ``fence``, ``footnote``
    or ``verbatim`` (tables, code: compared whole, never marked inside)."""

    kind: str
    text: str = ""               # para, footnote: the text; item: its marker
    lines: list[str] = field(default_factory=list)  # the source lines as written
    name: str = ""               # fence: directive name; footnote: key
    options: list[str] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)
    prefix: str = ""             # para: "# " for a heading; fence: the fence characters
    attrs: str = ""              # a block attribute line ({style=...}) before the block

    def key(self) -> str:
        """What must be equal for two blocks to be the same block."""
        if self.kind == "fence":
            return f"fence:{self.name}:{accepted(self.text)}"
        if self.kind == "footnote":
            return f"footnote:{self.name}"
        return f"{self.kind}:{plain(self)}"


def plain(block: Block) -> str:
    """A block's words, for similarity."""
    own = _label_first(block.text)[1] if block.kind in ("para", "footnote") else ""
    return " ".join([own, *(plain(c) for c in block.children)]).strip()


class SourceError(ValueError):
    """A document that cannot be read: the message names the line."""


def check_size(text: str | None) -> None:
    """Refuse a document (None: an absent one) too large for the diff build to compare."""
    size, lines = len((text or "").encode()), (text or "").count("\n")
    if size > MAX_BYTES or lines > MAX_LINES:
        raise SourceError(f"{size:,} bytes in {lines:,} lines: a redline compares documents "
                          f"of at most {MAX_BYTES:,} bytes and {MAX_LINES:,} lines; split it "
                          f"{SIZE_CODE}")


def parse(text: str) -> tuple[dict, list[Block]]:
    """A MyST document: its front matter and its body blocks."""
    front, lines = front_matter(text)
    return front, parse_blocks(lines)


def front_matter(text: str) -> tuple[dict, list[str]]:
    """A MyST document's front matter, and the lines of its body."""
    front: dict = {}
    lines = text.splitlines()
    if lines[:1] == ["---"] and "---" in lines[1:]:
        end = lines.index("---", 1)
        try:
            loaded = yaml.load("\n".join(lines[1:end]), Loader=SAFE_LOADER)
        except yaml.YAMLError as err:
            mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
            line = mark.line + 2 if mark else 1
            raise SourceError(f"line {line}: the front matter is not valid YAML "
                              f"({getattr(err, 'problem', err)})") from None
        front = loaded if isinstance(loaded, dict) else {}
        lines = lines[end + 1:]
    return front, lines


def _indented(lines: list[str], start: int, width: int) -> int:
    """The end of the lines from ``start`` that are blank or indented by ``width``."""
    end = start
    while end < len(lines) and (not lines[end].strip() or lines[end][:width] == " " * width):
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return end


def parse_blocks(lines: list[str], depth: int = 0) -> list[Block]:
    """The blocks of a run of lines (a document body, a directive's or an item's content,
    ``depth`` blocks deep)."""
    if depth > MAX_DEPTH:
        raise SourceError(f"blocks are nested more than {MAX_DEPTH} deep (directives and "
                          f"list items within each other) {SIZE_CODE}")
    blocks: list[Block] = []
    attrs = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        start = i
        fence, item, note = FENCE.fullmatch(line), ITEM.match(line), FOOTNOTE.fullmatch(line)
        if re.fullmatch(r"\{[^}]*\}\s*", line):
            attrs, i = line, i + 1
            continue
        if fence:
            mark = fence[1]
            close = re.compile(f"{re.escape(mark[0])}{{{len(mark)},}}\\s*")
            i += 1
            options = []
            while i < len(lines) and re.match(r":[\w-]+:", lines[i]):
                options.append(lines[i])
                i += 1
            body_start = i
            while i < len(lines) and not close.fullmatch(lines[i]):
                i += 1
            body = lines[body_start:i]
            i += 1
            prose = fence[2] in PROSE
            block = Block("fence", fence[3], lines[start:i], fence[2], options,
                          parse_blocks(body, depth + 1) if prose else [], mark)
            if not prose:
                block.kind = "verbatim"
        elif note:
            i = _indented(lines, i + 1, 4)
            block = Block("footnote", " ".join(x.strip() for x in [note[2], *lines[start + 1:i]]),
                          lines[start:i], note[1])
        elif item:
            block = Block("list", lines=[])
            kind = item[1][-1]
            while i < len(lines):
                match = ITEM.match(lines[i])
                if not match or match[1][-1] != kind:
                    break
                width = len(match[0]) if match[2] else len(match[1]) + 1
                end = _indented(lines, i + 1, width)
                content = [lines[i][len(match[0]):], *(x[width:] for x in lines[i + 1:end])]
                block.children.append(Block("item", match[1], lines[i:end],
                                            children=parse_blocks(content, depth + 1)))
                block.lines += lines[i:end]
                i = end
                while i < len(lines) and not lines[i].strip() and i + 1 < len(lines) \
                        and ITEM.match(lines[i + 1]):
                    i += 1
        elif line.startswith("|") or line.startswith("```") or line.startswith("    "):
            while i < len(lines) and lines[i].strip():
                i += 1
            block = Block("verbatim", lines=lines[start:i])
        else:
            heading = re.match(r"#{1,6} ", line)
            i += 1
            while not heading and i < len(lines) and lines[i].strip() and not (
                    FENCE.fullmatch(lines[i]) or ITEM.match(lines[i]) or lines[i][0] == "#"):
                i += 1
            text = " ".join(x.strip() for x in lines[start:i])
            block = Block("para", text[heading.end():] if heading else text, lines[start:i],
                          prefix=heading[0] if heading else "")
        block.attrs, attrs = attrs, ""
        blocks.append(block)
    return blocks


# ---------------------------------------------------------------- words


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def words(text: str) -> int:
    """How many words a reader counts in MyST text (a role or footnote counts as one)."""
    return sum(1 for t in tokens(text) if not t.isspace() and re.search(r"\w", t))


def accepted(text: str) -> str:
    """MyST text with its authored marks accepted."""
    return AUTHORED.sub(lambda m: (m[2] if m[1] == "ins" else "") if m[1]
                        else (m[3] if m[4] == "ins" else ""), text)


def similarity(a: str, b: str) -> float:
    """How alike two texts are, by words (0 to 1)."""
    x, y = a.split(), b.split()
    if x == y:
        return 1.0
    total = len(x) + len(y)
    # cheap upper bounds first: as many words as the shorter, then the words in common
    if 2.0 * min(len(x), len(y)) / total < 0.2 \
            or 2.0 * (Counter(x) & Counter(y)).total() / total < 0.2:
        return 0.0
    same = sum(i2 - i1 for op, i1, i2, _j1, _j2 in opcodes(x, y) if op == "=")
    return 2.0 * same / total


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[str, int, int, int, int]]:
    """How ``a`` becomes ``b``: runs ("=", i1, i2, j1, j2) equal and ("~", ...) changed.

    Up to ``DIFF_WORK`` pairs of elements, difflib's longest matches, exactly. Larger
    sequences are first cut at their common ends and at anchors (rare elements, see
    ``_anchors``), and each part is compared alike; a part still too large with no
    anchor is one change.
    """
    runs: list[tuple[int, int, int]] = []
    _match(a, b, 0, len(a), 0, len(b), runs)
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for x, y, size in [*runs, (len(a), len(b), 0)]:
        if i < x or j < y:
            ops.append(("~", i, x, j, y))
        if ops and ops[-1][0] == "=" and ops[-1][2] == x and ops[-1][4] == y:
            ops[-1] = ("=", ops[-1][1], x + size, ops[-1][3], y + size)
        elif size:
            ops.append(("=", x, x + size, y, y + size))
        i, j = x + size, y + size
    return ops


def _match(a: Sequence[Hashable], b: Sequence[Hashable], alo: int, ahi: int, blo: int,
           bhi: int, runs: list[tuple[int, int, int]], depth: int = 0) -> None:
    """Append the equal runs (i, j, size) of ``a[alo:ahi]`` and ``b[blo:bhi]``, in order."""
    if (ahi - alo) * (bhi - blo) <= DIFF_WORK:
        matcher = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
        runs += [(alo + i, blo + j, n) for i, j, n in matcher.get_matching_blocks() if n]
        return
    head = tail = 0
    while alo + head < ahi and blo + head < bhi and a[alo + head] == b[blo + head]:
        head += 1
    while alo + head < ahi - tail and blo + head < bhi - tail \
            and a[ahi - tail - 1] == b[bhi - tail - 1]:
        tail += 1
    if head:
        runs.append((alo, blo, head))
    _anchored(a, b, alo + head, ahi - tail, blo + head, bhi - tail, runs, depth)
    if tail:
        runs.append((ahi - tail, bhi - tail, tail))


def _anchored(a: Sequence[Hashable], b: Sequence[Hashable], alo: int, ahi: int, blo: int,
              bhi: int, runs: list[tuple[int, int, int]], depth: int) -> None:
    """The equal runs of two ranges with different ends: cut at their anchors, or none
    (one change) where there are none or the cuts are nested ``ANCHOR_DEPTH`` deep."""
    if (ahi - alo) * (bhi - blo) <= DIFF_WORK:
        _match(a, b, alo, ahi, blo, bhi, runs)
        return
    anchors = _anchors(a, b, alo, ahi, blo, bhi) if depth < ANCHOR_DEPTH else []
    if not anchors:
        return
    for i, j in anchors:
        _match(a, b, alo, i, blo, j, runs, depth + 1)
        runs.append((i, j, 1))
        alo, blo = i + 1, j + 1
    _match(a, b, alo, ahi, blo, bhi, runs, depth + 1)


def _anchors(a: Sequence[Hashable], b: Sequence[Hashable], alo: int, ahi: int, blo: int,
             bhi: int) -> list[tuple[int, int]]:
    """Positions (i, j) of equal elements to cut two ranges at: of the elements found as
    often in each and at most ``ANCHOR_COUNT`` times, the k-th in one paired with the
    k-th in the other; the longest chain of such pairs in the same order in both."""
    in_a, in_b = Counter(a[alo:ahi]), Counter(b[blo:bhi])
    rare = {x for x, n in in_a.items() if n <= ANCHOR_COUNT and in_b[x] == n}
    where: dict[Hashable, list[int]] = {}
    for j in range(blo, bhi):
        if b[j] in rare:
            where.setdefault(b[j], []).append(j)
    seen: Counter = Counter()
    pairs = []
    for i in range(alo, ahi):
        if a[i] in rare:
            pairs.append((i, where[a[i]][seen[a[i]]]))
            seen[a[i]] += 1
    tops: list[int] = []   # the smallest last j of an increasing run of each length
    ends: list[int] = []   # the pair that ends it
    before = [-1] * len(pairs)
    for k, (_i, j) in enumerate(pairs):
        length = bisect_left(tops, j)
        before[k] = ends[length - 1] if length else -1
        if length == len(tops):
            tops.append(j)
            ends.append(k)
        else:
            tops[length], ends[length] = j, k
    chain: list[tuple[int, int]] = []
    k = ends[-1] if ends else -1
    while k >= 0:
        chain.append(pairs[k])
        k = before[k]
    return chain[::-1]


def word_diff(old: str, new: str) -> list[tuple[str, str, str]]:
    """Segments ("=", text, text) or ("~", old, new), read like an editor's changes:
    whole words, and equal runs of fewer than three words between changes folded in."""
    a, b = tokens(old), tokens(new)
    # a space is a space, breaking or not: only words and marks can change
    same_a, same_b = ([" " if t.isspace() else t for t in side] for side in (a, b))
    segments: list[tuple[str, str, str]] = []
    for op, i1, i2, j1, j2 in opcodes(same_a, same_b):
        _append(segments, op, "".join(a[i1:i2]), "".join(b[j1:j2]))
    merged: list[tuple[str, str, str]] = []
    for n, (tag, x, y) in enumerate(segments):
        if tag == "=" and 0 < n < len(segments) - 1 and words(x) < 3:
            tag = "~"
        _append(merged, tag, x, y)
    result: list[tuple[str, str, str]] = []
    for tag, x, y in merged:
        if tag == "=":
            _append(result, tag, x, y)
            continue
        # spaces on both ends of a change stay outside its marks
        lead = len(x) - len(x.lstrip()) if x.strip() and y.strip() else 0
        lead = min(lead, len(y) - len(y.lstrip()))
        trail = min(len(x) - len(x.rstrip()), len(y) - len(y.rstrip())) \
            if x.strip() and y.strip() else 0
        _append(result, "=", x[:lead], y[:lead])
        _append(result, "~", x[lead:len(x) - trail], y[lead:len(y) - trail])
        _append(result, "=", x[len(x) - trail:], y[len(y) - trail:])
    return result


def _append(segments: list[tuple[str, str, str]], tag: str, x: str, y: str) -> None:
    """Add a segment, joined to the last one if it is of the same kind."""
    if not x and not y:
        return
    if segments and segments[-1][0] == tag:
        _t, px, py = segments.pop()
        x, y = px + x, py + y
    segments.append((tag, x, y))


def span(text: str, change: str, *classes: str) -> str:
    """A computed mark around MyST text; lone brackets are escaped to keep it whole."""
    if not text.strip():
        return text
    body = "".join(re.sub(r"([\[\]])", r"\\\1", t) if len(t) == 1 else t
                   for t in tokens(text))
    names = " ".join(f".{c}" for c in (change, COMPUTED, *classes))
    return f"[{body}]{{{names}}}"


# ---------------------------------------------------------------- the merge


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
            head, text = _label_first(block.text)
            self.count(change, text)
            return _text_lines(block, head + span(text, change, *classes))
        if block.kind == "verbatim":  # a table or code: shown whole, in a marked container
            self.count(change, " ".join(block.lines))
            state = "inserted" if change == "ins" else "deleted"
            # backticks, longer than any fence inside; colons could close an enclosing fence
            fence = "`" * max([3, *(len(re.match("`*", x.lstrip())[0]) + 1 for x in block.lines)])
            return [f"{fence}{{container}} itu-{state}-block {COMPUTED}", *_raw(block), fence]
        if block.kind == "list":
            return [block.attrs, *self.items([(c, change, classes) for c in block.children],
                                             block.children[0].text)]
        if block.kind == "item":
            return self.blocks_whole(block.children, change, *classes)
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
        if new.kind == "verbatim":
            return [*self.whole(old, "del"), "", *self.whole(new, "ins")]
        if new.kind == "list":
            return [new.attrs, *self.list(old.children, new.children)]
        if new.kind == "item":
            return self.blocks(old.children, new.children)
        if new.name != "part":
            return self.fence(new, self.blocks(old.children, new.children))
        with self.in_part(new):
            argument = new.text if old.text == new.text else self.words(old.text, new.text)
            return self.fence(new, self.blocks(old.children, new.children), argument)

    @contextlib.contextmanager
    def in_part(self, block: Block) -> Iterator[None]:
        """Count the changes made inside as changes of the part, and name its items as
        the page labels them (the part's ``:kind:``, else its call words' kind)."""
        self.part = self.clause = accepted(block.text).strip()
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
        return [block.attrs, f"{block.prefix}{{{block.name}}} {argument}".rstrip(),
                *(block.options if options is None else options), "", *body, block.prefix]

    def words(self, old: str, new: str) -> str:
        """Text with its word changes marked; a {label} override stays in front."""
        head, new = _label_first(new)
        out = [head]
        for tag, x, y in word_diff(_label_first(old)[1], new):
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
                entries.append(((x, y), "", classes))
            else:
                entries.append((x or y, "del" if y is None else "ins", classes))
        return self.items(entries, (new or old)[0].text)

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
        return [new.attrs, *self.items(entries, items[0].text)]

    def items(self, entries: list, marker: str) -> list[str]:
        """List items, all written with one marker so that they stay one list."""
        out: list[str] = []
        indent = " " * (len(marker) + 1)
        top = self.depth == 0 and self.part
        style = self.part_style
        old = new = 0
        self.depth += 1
        for entry, change, classes in entries:
            old += change not in ("ins", "gain")
            new += change not in ("del", "lose")
            key = style.text(style.key(old if change in ("del", "lose") else new))
            if top:
                self.clause = f"{self.part} {key}{style.suffix}"
            if change in ("ins", "del"):
                lines = self.blocks_whole(entry.children, change, *classes)
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
        return [f"[^{block.name}]: {text}"]
    return [block.attrs, block.prefix + text]


def _label_first(text: str) -> tuple[str, str]:
    """A leading {label} override (kept out of any mark) and the rest of the text."""
    label = LABEL.match(text)
    head = label[0] if label else ""
    return head, text[len(head):]


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
    return [block.attrs, *block.lines] if block.attrs else block.lines


def align(old: list[Block], new: list[Block], moves: bool = False):
    """Pair the blocks of two versions: (old, new, moved), old or new None if unpaired.

    Equal keys first (see ``opcodes``), then the most similar blocks of the same kind
    in each gap, in order; then, if ``moves``, unpaired blocks with nearly the same
    text anywhere are a move (looked for while that is at most ``FUZZY_PAIRS``
    comparisons a block).
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
            result[g] = (result[g][0], None, True)
            result[best] = (None, result[best][1], True)
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


# ---------------------------------------------------------------- documents


def _entries(front: dict) -> list[str]:
    """A front matter's history as a list of editions, marks of its own accepted."""
    value = front.get("history", [front.get("edition", "")])
    if isinstance(value, str):
        return history_entries(accepted(value))
    try:
        value = _history(value)
    except MetaError:  # the page reports it; here, take what is there
        value = value if isinstance(value, list) else [value]
    return [e for e in (accepted(str(v)).strip() for v in value) if e]


def merge_front(old: dict, new: dict, label: str) -> tuple[list[str], list[str]]:
    """The merged front matter as YAML lines, and the names of the fields that changed.

    Edition, formula and history carry computed marks; a value that held marks of its
    own is compared as it reads with them accepted.
    """
    meta = dict(new or old)
    changed = sorted(k for k in {*old, *new} if old and new and old.get(k) != new.get(k))
    if old and new:
        for key in ("edition", "formula"):
            a, b = (accepted(str(side.get(key, ""))) for side in (old, new))
            if a != b:
                meta[key] = span(a, "del") + span(b, "ins")
        a, b = _entries(old), _entries(new)
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
    meta["redline"] = label
    return [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()
            ], changed


def compare(old: str | None, new: str | None, label: str, kinds: dict[str, str]) -> Redline:
    """The redline of a document from ``old`` to ``new`` (None: the document is added or
    deleted); ``kinds`` maps known call words to preambular/operative."""
    (old_front, old_blocks), (new_front, new_blocks) = (
        parse(text) if text is not None else ({}, []) for text in (old, new))
    front, changed = merge_front(old_front, new_front, label)
    merger = Merger(kinds)
    body = _trimmed(merger.blocks(old_blocks, new_blocks))
    return Redline("\n".join(["---", *front, "---", "", *body, ""]), merger.clauses, changed)


def accept_document(text: str) -> str:
    """A proposal's text with its changes accepted, as the resolution it proposes."""
    front, blocks = parse(text)
    front = {k: v for k, v in front.items() if k != "proposal"}
    front["kind"] = "resolution"
    front["edition"] = accepted(str(front.get("edition", "")))
    history = front.get("history")
    front["history"] = accepted(history) if isinstance(history, str) else _entries(front)
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()]
    return "\n".join(["---", *lines, "---", "", *_trimmed(_accepted_lines(blocks)), ""])


def _accepted_lines(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if block.kind in ("para", "footnote"):
            text = accepted(_label_first(block.text)[1]).strip()
            if text:
                out += _text_lines(block, text)
        elif block.kind == "verbatim":
            out += _raw(block)
        elif block.kind == "list":
            marker = block.children[0].text
            out.append(block.attrs)
            for child in block.children:
                lines = _trimmed(_accepted_lines(child.children))
                if lines:
                    out.append(f"{marker} {lines[0]}")
                    out += [" " * (len(marker) + 1) + x if x else "" for x in lines[1:]]
        elif block.name != "abstract" and ":change: deleted" not in block.options:
            options = [o for o in block.options if not o.startswith((":change:", ":proposal:"))]
            out += [block.attrs, f"{block.prefix}{{{block.name}}} {accepted(block.text)}",
                    *options, "", *_accepted_lines(block.children), block.prefix]
        out.append("")
    return out
