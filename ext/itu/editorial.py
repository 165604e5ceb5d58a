"""ITU's editorial rules, as warnings an editor can silence where the original says so.

The rules are those of the English text of resolutions, as ``source/_data/editorial.yaml``
states them: how items end [itu.punctuation], names printed with a non-breaking
hyphen [itu.hyphen], a standard footnote at the first mention of its words
[itu.first-mention], no citation of an edition that one older than the citing
resolution replaced [itu.superseded]. A line ``% itu: allow <code> ... (why)``
inside an item silences those checks for the item; directly inside a part, for the
part; outside the parts, for the document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from docutils import nodes as dn
from sphinx.transforms import SphinxTransform

from . import nodes
from .data import DataPattern, PatternTimeout, site_data
from .messages import pattern_stopped, warn

# "% itu: allow punctuation hyphen (why)": codes, then the reason in brackets
EDITORIAL = "source/_data/editorial.yaml"
ALLOW = re.compile(r"itu:\s*allow\s+(?P<codes>[\w.-]+(?:[\s,]+[\w.-]+)*)\s*(?:\(.*\))?")
MARKER = "\ue000"  # where a standard footnote is referenced, in a document's running text
LEFT_OUT = (dn.footnote, dn.comment, nodes.deletion, nodes.item_label, dn.literal,
            dn.literal_block)


def silenced(node: dn.Node, code: str) -> bool:
    """Whether a comment in the item, part or document around ``node`` allows ``code``."""
    for element in (node, *nodes.ancestors(node)):
        for child in getattr(element, "children", ()):
            allowed = isinstance(child, dn.comment) and ALLOW.fullmatch(child.astext().strip())
            if allowed and code in (c.removeprefix("itu.")
                                    for c in re.split(r"[\s,]+", allowed["codes"])):
                return True
    return False


def check_superseded(env: Any, node: dn.Element, citing: str, cited: str, current: str,
                     name: str, say: Callable[..., None] = warn) -> None:
    """Warn where a resolution cites an edition (``cited``) that the ``current`` one,
    no younger than the citing resolution itself, has replaced."""
    entry = env.get_domain("itu").document(citing)
    if entry is None or entry.kind != "resolution" or env.config.language != "en" \
            or not cited or cited[-4:] >= current[-4:] or entry.edition[-4:] < current[-4:]:
        return
    if not silenced(node, "superseded"):
        say("superseded", f"the citation names the edition {cited}, which {name} "
             "replaced", node, f"cite {name}, or, where the original text cites the older "
             "edition, add a line '% itu: allow superseded' inside the item")


def own_text(item: nodes.item) -> str:
    """An item's accepted text without its sub-items, labels and footnote numbers."""
    return nodes.text_without(item, (*LEFT_OUT, nodes.item_list, dn.footnote_reference,
                                     nodes.label_override))


class EditorialChecks(SphinxTransform):
    """Warn where the English text of a resolution departs from ITU's editorial rules."""

    default_priority = 331  # after Labels (items are items) and StructureChecks

    def apply(self, **kwargs: Any) -> None:
        entry = self.env.get_domain("itu").document(self.env.docname)
        rules = site_data(self.env).editorial
        if entry is None or entry.kind != "resolution" or not rules \
                or self.config.language != "en":
            return
        self.reading = list(_reading(self.document))
        parts = [p for p in self.document.findall(nodes.part)
                 if not any(isinstance(a, (nodes.part, nodes.annex))
                            for a in nodes.ancestors(p))]
        for index, part in enumerate(parts):
            self.check_part(part, rules["punctuation"], last=index == len(parts) - 1)
        self.check_hyphens(rules["non-breaking"])
        for key, pattern in rules["first-mention"].items():
            try:
                self.check_first_mention(key, _first_mention(pattern))
            except PatternTimeout as err:
                pattern_stopped(err, self.document)

    def check_part(self, part: nodes.part, ends: dict[str, str], last: bool) -> None:
        """The items of a part end with ';', the last with ',' ('.' in the resolution's
        last part, unless the text stops before its operative parts)."""
        final = ends["resolution" if last and part["kind"] != "preambular" else "part"]
        lists = [c for c in part.children if isinstance(c, nodes.item_list)]
        if lists:
            for n, item_list in enumerate(lists):
                self.check_items(item_list, ends, final if n == len(lists) - 1 else ends["item"])
            return
        prose = [c for c in part.children if isinstance(c, dn.paragraph)]
        if prose:
            self.check_end(prose[-1], nodes.accepted_text(prose[-1]), final,
                           f"the part {part['name']!r}")

    def check_items(self, item_list: nodes.item_list, ends: dict[str, str], final: str) -> None:
        items = [i for i in item_list.children
                 if isinstance(i, nodes.item) and i.get("change") != "deleted"]
        for n, item in enumerate(items):
            end = final if n == len(items) - 1 else ends["item"]
            subs = [c for c in item.children if isinstance(c, nodes.item_list)]
            name = f"the item {item['name']!r}" if item.get("name") else "the item"
            self.check_end(item, own_text(item), ends["introduces"] if subs else end, name)
            for m, sub in enumerate(subs):
                self.check_items(sub, ends, end if m == len(subs) - 1 else ends["item"])

    def check_end(self, node: dn.Element, text: str, wanted: str, name: str) -> None:
        if not text or text.endswith(wanted) or silenced(node, "punctuation"):
            return
        warn("punctuation", f"{name} ends with {text[-1]!r}, where ITU texts end it with "
             f"{wanted!r}", node, f"end it with {wanted!r}, or, where the original text "
             "ends it so, add a line '% itu: allow punctuation' inside it")

    def check_hyphens(self, names: list[str]) -> None:
        """ITU‑T, ITU‑R and ITU‑D are printed with a non-breaking hyphen."""
        typed = re.compile("|".join(rf"\b{re.escape(name)}\b" for name in names))
        for text, node in self.running_text():
            found = typed.search(text)
            if found and not silenced(node, "hyphen"):
                wanted = found[0].replace("-", "\u2011")
                warn("hyphen", f"'{found[0]}' is typed with a hyphen-minus", node,
                     f"write '{wanted}' with the non-breaking hyphen U+2011, which never "
                     "breaks at the end of a line (or add a line '% itu: allow hyphen')")

    def check_first_mention(self, key: str, words: DataPattern) -> None:
        """The standard footnote ``key`` is given at the first mention of its words
        (in the title, or else in the text)."""
        pieces = list(self.running_text(marking=f"stdfn-{key}"))
        title = [(t, n) for t, n in pieces if _in_title(n)]
        if any(MARKER in t for t, _ in title):
            return
        body = [(t, n) for t, n in pieces if not _in_title(n)]
        running = "".join(t for t, _ in body)
        clean = running.replace(MARKER, "")
        first = words.search(clean)
        if first is None or not first[0]:  # no mention (a pattern may match nothing)
            return
        at = running.find(MARKER)
        marked = at - running[:at].count(MARKER) if at >= 0 else -1
        if first.start() <= marked <= first.end():
            return
        node = _node_at(body, first.start())
        if silenced(node, "first-mention"):
            return
        where = "is given later" if marked >= 0 else "is not given"
        warn("first-mention", f"the standard footnote {key!r} {where}: its first mention is "
             f"'{first[0]}' here", node, f"put {{stdfn}}`{key}` right after '{first[0]}' "
             "(and remove it where it is later), or add a line '% itu: allow first-mention'")

    def running_text(self, marking: str = "") -> list[tuple[str, dn.Node]]:
        """The text a reader reads, piece by piece with its node, in order; a reference
        to the footnote ``marking`` is a MARKER."""
        return [(MARKER, node) if name == marking else (text, node)
                for text, node, name in self.reading if text or name == marking]


def _reading(node: dn.Element) -> Iterator[tuple[str, dn.Node, str | None]]:
    """The running text below ``node`` in order, read once for every rule: (text, its
    parent, None) for a text, ("", reference, the footnote's name) for a footnote
    reference; what a reader does not read (``LEFT_OUT``) left out."""
    for child in node.children:
        if isinstance(child, dn.Text):
            yield str(child), node, None
            continue
        if isinstance(child, dn.footnote_reference):
            yield "", child, child.get("refname")
        if not isinstance(child, LEFT_OUT):
            yield from _reading(child)


@cache
def _first_mention(pattern: str) -> DataPattern:
    """A first-mention pattern of editorial.yaml, compiled once for every document."""
    return DataPattern(pattern, EDITORIAL)


def _in_title(node: dn.Node) -> bool:
    return any(isinstance(a, dn.title) for a in (node, *nodes.ancestors(node)))


def _node_at(pieces: list[tuple[str, dn.Node]], offset: int) -> dn.Node:
    """The node of the piece that holds ``offset`` of the text without markers."""
    seen = 0
    for text, node in pieces:
        seen += len(text.replace(MARKER, ""))
        if seen > offset:
            return node
    return pieces[-1][1]
