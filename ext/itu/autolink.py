"""Automatic links: citations found in running text, resolved through the domain."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from docutils import nodes as dn
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxRole

from . import nodes, parsed
from .data import DataPattern, PatternTimeout, SiteData, load_site_data, site_data
from .messages import pattern_stopped, warn
from .text import slug

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


# the patterns of a language whose file is missing or wrong: they find nothing
NO_CITATIONS = {"instruments": {}, "numbers": {}, "bodies": {}, "edition_parts": "(?!)",
                "triggers": "(?!)"}


@dataclass
class Patterns:
    """The compiled citation patterns of one language."""

    instruments: dict[str, tuple[DataPattern, DataPattern]]  # (its word, the citation)
    numbers: dict[str, DataPattern]
    bodies: dict[str, DataPattern]
    clauses: list[tuple[DataPattern, DataPattern]]  # (a word it needs, the reference)
    annex: DataPattern
    edition: DataPattern
    places: dict[str, str]
    triggers: DataPattern

    def edition_of(self, text: str) -> str:
        """ "(Rev. Geneva 2022)" -> "Geneva, 2022"; "" if the text is no edition.

        Editions are named as in English, whatever the language of the text.
        """
        match = self.edition.search(text)
        if not match:
            return ""
        place = match["place"].strip()
        return f"{self.places.get(place, place)}, {match['year']}"


def patterns(data: SiteData, language: str) -> Patterns:
    """The compiled citation patterns of a language (source/_data/citations/<language>.yaml),
    compiled again only when the data changed. A language without a valid file finds
    no citations (``parser.check_data`` says why)."""
    return _compiled(data.root.parent, data.digest, language)


@cache
def _compiled(srcdir: Path, digest: str, language: str) -> Patterns:
    data = load_site_data(srcdir)
    spec = data.citations.get(language) or NO_CITATIONS
    where = f"source/_data/citations/{language}.yaml"

    def compiled(pattern: str) -> DataPattern:
        return DataPattern(pattern, where)

    # every call word, longest first
    words = "|".join(re.escape(w) for w in sorted(data.call_words, key=len, reverse=True))
    bodies = {b: "|".join(f"(?:{p})" for p in ps) for b, ps in spec["bodies"].items()}
    any_body = "|".join(bodies.values()) or "(?!)"
    prefix = "|".join(spec.get("prefixes", {}).values()) or "(?!)"
    instruments = {}
    for kind, word in spec["instruments"].items():
        number = spec["numbers"][kind]
        instruments[kind] = (compiled(word), compiled(spec["template"].format(
            prefix=prefix, word=word, numbers=f"{number}(?:(?:{spec['list']}){number})*",
            edition=spec["edition"], body=any_body)))
    label = spec.get("label", "")
    clauses = [(compiled(c["when"]), compiled(
                   c["pattern"].replace("{callwords}", words).replace("{label}", label)))
               for c in spec.get("clauses", [])]
    return Patterns(
        instruments=instruments,
        numbers={k: compiled(v) for k, v in spec["numbers"].items()},
        bodies={b: compiled(rf"^(?:{p})$") for b, p in bodies.items()},
        clauses=clauses,
        annex=compiled("|".join(f"(?:{a})" for a in spec.get("annex", [])) or "(?!)"),
        edition=compiled(spec["edition_parts"]),
        places=spec.get("places") or {},
        triggers=compiled(spec["triggers"]),
    )


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
            elif isinstance(child, SKIP):  # opaque: no citation starts or ends inside
                self.text += "\0" * len(child.astext())
                self.deleted += [deleted] * len(child.astext())
            else:
                self._walk(child, deleted or isinstance(child, nodes.deletion))

    def accepted(self, start: int, end: int) -> str:
        return "".join(c for c, d in zip(self.text[start:end], self.deleted[start:end],
                                         strict=True) if not d)


def body_of_edition(edition: str, assemblies: dict) -> str:
    key = edition.replace(",", "")
    return next((body for body, info in assemblies.items()
                 if key in (info or {}).get("meetings", [])), "")


def find_citations(flat: Flat, found: Patterns, assembly: str,
                   assemblies: dict) -> list[tuple[int, int, Cited]]:
    """Every citation in a text, as non-overlapping (start, end, cited) in reading order.

    ``assembly`` is the citing document's own body, the last resort for a
    citation that names none.
    """
    spans: list[tuple[int, int, Cited]] = []
    if not found.triggers.search(flat.text):
        return spans
    known: dict[str, str] = {}
    for kind, (word, pattern) in found.instruments.items():
        if not word.search(flat.text):
            continue
        for match in pattern.finditer(flat.text):
            spans += _instrument(kind, match, flat, found, assembly, assemblies, known)
    spans += _clauses(flat, found)
    chosen, taken = [], -1
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if span[0] >= taken:
            chosen.append(span)
            taken = span[1]
    return chosen


def _clauses(flat: Flat, found: Patterns) -> list[tuple[int, int, Cited]]:
    """The document's own clauses cited in a text ("noting b) above"), and its annex."""
    spans = []
    for needed, pattern in found.clauses:
        for match in pattern.finditer(flat.text) if needed.search(flat.text) else ():
            label = flat.accepted(match.start("label"), match.end())
            key = label.split()[-1].rstrip(")") if label.split() else ""
            spans.append((match.start(), match.end(),
                          Cited("clause", clause=f"{slug(match['part'])}-{key}")))
    return spans + [(match.start(), match.end(), Cited("clause", clause="annex"))
                    for match in found.annex.finditer(flat.text)]


def _instrument(kind: str, match: Any, flat: Flat, found: Patterns, assembly: str,
                assemblies: dict, known: dict[str, str]) -> list[tuple[int, int, Cited]]:
    """The citations one instrument pattern matched: one, or one per number of a list."""
    groups = match.groupdict()
    edition = found.edition_of(flat.accepted(*match.span("edition"))) \
        if groups.get("edition") else ""
    body = groups.get("prefix") or ""
    if groups.get("body"):
        body = next(b for b, p in found.bodies.items() if p.match(groups["body"]))
    numbers = [(m.start() + match.start("numbers"), m.end() + match.start("numbers"))
               for m in found.numbers[kind].finditer(groups["numbers"])]
    spans = []
    for start, end in numbers:
        number = flat.text[start:end]
        this_body = (body or body_of_edition(edition, assemblies) or known.get(number)
                     or _default_body(kind, number, assembly))
        known[number] = this_body
        span = (match.start(), match.end()) if len(numbers) == 1 else (start, end)
        spans.append((*span, Cited(kind, this_body, number, edition)))
    return spans


class Citations(SphinxTransform):
    """Find citations in the running text of every ITU document and link them."""

    default_priority = 330  # after labels: clause anchors exist

    def apply(self, **kwargs) -> None:
        if not self.config.itu_autolink:
            return
        domain = self.env.get_domain("itu")
        info = domain.document(self.env.docname)
        # a redline holds two versions in one text: its own clauses are moot; other
        # instruments are linked (``ItuDomain.is_redline``: no list shows them)
        redline = domain.is_redline(self.env.docname)
        assembly = info.assembly if info else "WTSA"
        data = site_data(self.env)
        own = patterns(data, self.config.language or "en")
        self.names: dict[int, str] = {}  # each clause's shown name, once per clause
        english = patterns(data, "en")
        for element in list(self.document.findall(dn.TextElement)):
            if isinstance(element, (*SKIP, dn.Inline, nodes.call_words)):
                continue
            if any(isinstance(a, SKIP) for a in nodes.ancestors(element)):
                continue
            # a passage shown in English (not translated yet) is read with English patterns
            found = english if element.get("translated") is False else own
            flat = Flat(element)
            try:
                spans = find_citations(flat, found, assembly, data.assemblies)
            except PatternTimeout as err:
                pattern_stopped(err, element)
                return
            for start, end, cited in spans:
                if not (redline and cited.kind == "clause"):
                    self._wrap(element, start, end, cited, domain)

    def _wrap(self, element: dn.TextElement, start: int, end: int, cited: Cited,
              domain: Any) -> None:
        """Link the citation at ``start:end`` and note it in the domain."""
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
            ref = citation_xref(cited, content)
            ref.source, ref.line = element.source, element.line
        element.insert(first, ref)
        clause = nodes.clause_of(element)  # named as the page names it, in its language
        if clause is not None and id(clause) not in self.names:
            self.names[id(clause)] = nodes.shown_name(clause)
        domain.note_citation(self.env.docname, _anchor(element),
                             self.names[id(clause)] if clause is not None else "",
                             content.astext(), cited)


def citation_xref(cited: Cited, content: dn.Element,
                  reftype: str = "cite") -> addnodes.pending_xref:
    """The node a citation becomes until the domain resolves it; ``reftype`` "edition":
    a link to that very edition (a history line's), not to the site's current one."""
    return addnodes.pending_xref("", content, refdomain="itu", reftype=reftype,
                                 reftarget=content.astext(), refexplicit=True,
                                 refwarn=False, **vars(cited))


EXPLICIT = re.compile(r"(?:(?P<body>[A-Za-z]+)\s+)?(?P<number>\d+)"
                      r"(?:\s*\((?P<edition>[^()]*\d{4})\))?(?:\s+(?P<clause>\S.*))?")


class ResolutionRole(SphinxRole):
    """``{res}`44 (Rev. Hammamet, 2016) resolves 6``` or ``{res}`text <PP 71>```:
    an explicit reference, checked like the automatic ones."""

    def run(self) -> tuple[list[dn.Node], list[dn.system_message]]:
        title, target = self.text, self.text
        explicit = re.fullmatch(r"(?s)(.*?)\s*<(.+)>", self.text)
        if explicit:
            title, target = explicit[1], explicit[2]
        match = EXPLICIT.fullmatch(target.strip())
        if match is None:
            warn("citation", f"cannot read the reference {self.text!r}", self.get_location(),
                 "write {res}`44`, {res}`PP 71 (Rev. Bucharest, 2022)` or "
                 "{res}`44 (Rev. Hammamet, 2016) resolves 6`")
            return [dn.Text(self.text)], []
        parsed.not_to_keep(self.env)  # the language's patterns read the edition
        info = self.env.get_domain("itu").document(self.env.docname)
        body = match["body"] or (info.assembly if info else "WTSA")
        found = patterns(site_data(self.env), self.config.language or "en")
        edition = found.edition_of(f"({match['edition']})") if match["edition"] else ""
        clause = slug(match["clause"]) if match["clause"] else ""
        cited = Cited("resolution", body, match["number"], edition, clause)
        rest = target.strip()[match.end("body"):].strip() if match["body"] else target.strip()
        text = title if explicit else " ".join(filter(None, [match["body"], "Resolution", rest]))
        content = dn.inline("", text, classes=["itu-cite"])
        ref = citation_xref(cited, content)
        self.set_source_info(ref)
        self.env.get_domain("itu").note_citation(self.env.docname, "", "", text, cited)
        return [ref], []


def _default_body(kind: str, number: str, assembly: str) -> str:
    if kind in ("article", "provision"):
        return "Constitution"
    if kind == "document":
        return "Council" if number.startswith("C") else ""
    return assembly


def _anchor(node: dn.Node) -> str:
    """The anchor of the clause a node stands in."""
    return next((a["ids"][0] for a in nodes.ancestors(node)
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


def registry_url(cited: Cited, data: SiteData, language: str) -> str:
    """The public address of an instrument outside the site, in the language where the
    ITU publishes one, or ""."""
    templates = data.registry.get(cited.kind, {}).get(cited.body, [])
    letter = data.languages.get(language, {}).get("itu-letter")
    fields = {"number": cited.number, "number3": cited.number.zfill(3),
              "lang": language if letter else "en", "letter": letter or "E"}
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
