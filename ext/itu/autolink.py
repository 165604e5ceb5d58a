"""Automatic links: citations found in running text, resolved through the domain."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import yaml
from docutils import nodes as dn
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from . import nodes
from .data import site_data
from .directives import slug
from .messages import warn

# not running text: code, links, titles, and what the build itself printed
SKIP = (dn.literal, dn.literal_block, dn.reference, addnodes.pending_xref, dn.target,
        dn.footnote_reference, dn.title, nodes.label_override, nodes.item_label,
        nodes.designation, nodes.history_line, nodes.formula, nodes.doc_field,
        nodes.proposal_mark)


@dataclass(frozen=True)
class Cited:
    """What a citation points at: an instrument of a body, or a clause of this document."""

    kind: str
    body: str = ""
    number: str = ""
    edition: str = ""
    clause: str = ""


@dataclass
class Patterns:
    """The compiled citation patterns of one language."""

    instruments: dict[str, re.Pattern]
    numbers: dict[str, re.Pattern]
    listing: re.Pattern
    bodies: dict[str, re.Pattern]
    clauses: list[re.Pattern]
    annex: re.Pattern


@cache
def patterns(data_dir: Path, language: str) -> Patterns:
    """Read source/_data/citations/<language>.yaml once per process."""
    spec = yaml.safe_load((data_dir / "citations" / f"{language}.yaml").read_text("utf-8"))
    words = site_data_words(data_dir)
    bodies = {b: "|".join(f"(?:{p})" for p in ps) for b, ps in spec["bodies"].items()}
    any_body = "|".join(bodies.values())
    prefix = "|".join(spec["prefixes"].values())
    instruments = {}
    for kind, word in spec["instruments"].items():
        number = spec["numbers"][kind]
        instruments[kind] = re.compile(
            rf"(?:(?P<prefix>{prefix})\s+)?(?P<word>\b{word})\s+"
            rf"(?P<numbers>{number}(?:(?:{spec['list']}){number})*)\b"
            rf"(?:\s*(?P<edition>{spec['edition']}))?(?:\s+(?P<body>{any_body}))?")
    label = spec["label"]
    clauses = [re.compile(c.replace("{callwords}", words).replace("{label}", label))
               for c in spec["clauses"]]
    return Patterns(
        instruments=instruments,
        numbers={k: re.compile(v) for k, v in spec["numbers"].items()},
        listing=re.compile(spec["list"]),
        bodies={b: re.compile(rf"^(?:{p})$") for b, p in bodies.items()},
        clauses=clauses,
        annex=re.compile("|".join(f"(?:{a})" for a in spec["annex"])),
    )


def site_data_words(data_dir: Path) -> str:
    """Every known call word as one alternation, longest first."""
    words = yaml.safe_load((data_dir / "callwords.yaml").read_text("utf-8"))
    flat = sorted({w for ws in words.values() for w in ws}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in flat)


class Flat:
    """The text of an element as a reader sees it, marks flattened, with the
    deleted characters known so that the accepted reading can be taken."""

    def __init__(self, element: dn.Element) -> None:
        self.text = ""
        self.deleted: list[bool] = []
        self._walk(element, False)

    def _walk(self, node: dn.Node, deleted: bool) -> None:
        for child in node.children:
            if isinstance(child, dn.Text):
                self.text += str(child)
                self.deleted += [deleted] * len(child)
            elif not isinstance(child, dn.footnote_reference):
                self._walk(child, deleted or isinstance(child, nodes.deletion))
            else:
                self.text += "\0" * len(child.astext())
                self.deleted += [deleted] * len(child.astext())

    def accepted(self, start: int, end: int) -> str:
        return "".join(c for c, d in zip(self.text[start:end], self.deleted[start:end],
                                         strict=True) if not d)


def normal_edition(text: str) -> str:
    """ "Rev. Geneva 2022" -> "Geneva, 2022"."""
    match = re.search(r"([^\d()]+?),?\s*(\d{4})\s*\)?\s*$", text.replace("Rev.", ""))
    return f"{match[1].strip()}, {match[2]}" if match else ""


def body_of_edition(edition: str, assemblies: dict) -> str:
    key = edition.replace(",", "")
    return next((body for body, info in assemblies.items()
                 if key in (info or {}).get("meetings", [])), "")


class Citations(SphinxTransform):
    """Find citations in the running text of every ITU document and link them."""

    default_priority = 330  # after labels: clause anchors exist

    def apply(self, **kwargs) -> None:
        domain = self.env.get_domain("itu")
        info = domain.document(self.env.docname) or {"assembly": "WTSA"}
        data = site_data(self.env)
        found = patterns(data.root, self.config.language or "en")
        for element in list(self.document.findall(dn.TextElement)):
            if isinstance(element, (*SKIP, dn.Inline, nodes.call_words)):
                continue
            if any(isinstance(a, SKIP) for a in _up(element)):
                continue
            self._link(element, found, info, data.assemblies, domain)

    def _link(self, element: dn.TextElement, found: Patterns, info: dict,
              assemblies: dict, domain) -> None:
        flat = Flat(element)
        spans: list[tuple[int, int, Cited]] = []
        known: dict[str, str] = {}
        for kind, pattern in found.instruments.items():
            for match in pattern.finditer(flat.text):
                spans += self._instrument(kind, match, flat, found, info, assemblies, known)
        for pattern in found.clauses:
            for match in pattern.finditer(flat.text):
                label = flat.accepted(match.start("label"), match.end())
                key = label.split()[-1].rstrip(")") if label.split() else ""
                clause = f"{slug(match['part'])}-{key}"
                spans.append((match.start(), match.end(), Cited("clause", clause=clause)))
        for match in found.annex.finditer(flat.text):
            spans.append((match.start(), match.end(), Cited("clause", clause="annex")))
        taken = -1
        for start, end, cited in sorted(spans, key=lambda s: (s[0], -s[1])):
            if start < taken:
                continue
            taken = end
            self._wrap(element, start, end, cited, domain)

    def _instrument(self, kind, match, flat, found, info, assemblies, known):
        edition = normal_edition(flat.accepted(*match.span("edition"))) \
            if match["edition"] else ""
        body = match["prefix"] or ""
        if match["body"]:
            body = next(b for b, p in found.bodies.items() if p.match(match["body"]))
        numbers = [(m.start() + match.start("numbers"), m.end() + match.start("numbers"))
                   for m in found.numbers[kind].finditer(match["numbers"])]
        cited_spans = []
        for start, end in numbers:
            number = flat.text[start:end]
            this_body = (body or body_of_edition(edition, assemblies) or known.get(number)
                         or _default_body(kind, number, info))
            known[number] = this_body
            cited = Cited(kind, this_body, number, edition)
            span = (match.start(), match.end()) if len(numbers) == 1 else (start, end)
            cited_spans.append((*span, cited))
        return cited_spans

    def _wrap(self, element: dn.TextElement, start: int, end: int, cited: Cited,
              domain) -> None:
        first = _boundary(element, start)
        last = _boundary(element, end)
        content = dn.inline("", "", *element.children[first:last], classes=["itu-cite"])
        del element.children[first:last]
        if cited.kind == "clause":
            anchor = cited.clause
            if anchor not in self.document.ids:
                warn("citation", f"no clause {anchor!r} in this document for "
                     f"{content.astext()!r}", element,
                     "check the label, or write the reference out")
                element.insert(first, content)
                return
            ref = dn.reference("", "", content, refid=anchor, internal=True,
                               classes=["itu-cite", "itu-clause"])
        else:
            ref = addnodes.pending_xref("", content, refdomain="itu", reftype="cite",
                                        reftarget=content.astext(), refexplicit=True,
                                        refwarn=False, **asdict(cited))
            ref.source, ref.line = element.source, element.line
        element.insert(first, ref)
        domain.note_citation(self.env.docname, _anchor(element), content.astext(), cited)


def _default_body(kind: str, number: str, info: dict) -> str:
    if kind in ("article", "provision"):
        return "Constitution"
    if kind == "document":
        return "Council" if number.startswith("C") else ""
    return info["assembly"]


def _up(node: dn.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def _anchor(node: dn.Node) -> str:
    """The anchor of the clause a node stands in."""
    return next((a["ids"][0] for a in _up(node)
                 if isinstance(a, (nodes.item, nodes.part)) and a["ids"]), "")


def _boundary(element: dn.Element, offset: int) -> int:
    """The index of the child of ``element`` that starts at ``offset``, splitting
    text and marks so that there is one."""
    position = 0
    for index, child in enumerate(element.children):
        length = len(child.astext()) if not isinstance(child, dn.Text) else len(child)
        if offset <= position:
            return index
        if offset < position + length:
            cut = offset - position
            if isinstance(child, dn.Text):
                element.children[index:index + 1] = []
                element.insert(index, dn.Text(str(child)[cut:]))
                element.insert(index, dn.Text(str(child)[:cut]))
            else:
                inner = _boundary(child, cut)
                left = child.copy()
                left.extend(child.children[:inner])
                right = child.copy()
                right.extend(child.children[inner:])
                element.replace(child, [left, right])
            return index + 1
        position += length
    return len(element.children)


def registry_url(cited: Cited, registry: dict) -> str:
    """The public address of an instrument outside the site, or ""."""
    templates = registry.get(cited.kind, {}).get(cited.body, [])
    fields = {"number": cited.number, "number3": cited.number.zfill(3)}
    if cited.edition:
        fields["year"] = cited.edition[-4:]
    document = re.fullmatch(r"([A-Z]+)(\d+)/(?:([A-Z]+)/)?(\d+)", cited.number)
    if document:
        fields.update(session=document[2], serial=document[4].zfill(4),
                      series=document[3] or document[1])
    for template in [templates] if isinstance(templates, str) else templates:
        try:
            return template.format(**fields)
        except KeyError:
            continue
    return ""
