"""Words of a block: tokens that never cut a construct, and a diff bounded on large inputs."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Sequence
from difflib import SequenceMatcher

COMPUTED = "itu-computed"


MOVED = "itu-moved"


# bounds that keep a redline's work near-linear in the size of what it compares
DIFF_WORK = 62_500   # pairs of tokens or blocks one exact diff may compare


ANCHOR_DEPTH = 8     # cuts within cuts of one diff, each a pass over what is left


ANCHOR_COUNT = 8     # how often an element may occur and still be a place to cut at


# MyST constructs a word diff must never cut: escapes, roles, spans, links and pictures,
# footnote references, inline code, emphasis; then words and single other characters.
# No part looks past where another such construct could begin, so reading is linear.
BRACKETED = r"\[(?:[^\[\]]|\[[^\[\]]*\])*\]"  # [text], with [^1] or [x] inside


TOKEN = re.compile(r"""\\.|\{[\w:+-]+\}`[^`]*`|`[^`]*`|\[\^[^\]\s]+\]
    |!?""" + BRACKETED + r"""(?:\{[^{}]*\}|\([^()]*\))|\*\*[^*\n]+\*\*|\*[^*\n]+\*
    |[\w\u2011'’-]+|\s+|.""", re.X)




def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def words(text: str) -> int:
    """How many words a reader counts in MyST text (a role or footnote counts as one)."""
    return sum(1 for t in tokens(text) if not t.isspace() and re.search(r"\w", t))


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
