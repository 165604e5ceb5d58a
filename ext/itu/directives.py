"""Directives and roles: they record what the editor wrote, as semantic nodes."""

from __future__ import annotations

import re

from docutils import nodes as dn
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective, SphinxRole

from . import nodes
from .data import site_data
from .i18n import MARKUP
from .messages import warn
from .policy import did_you_mean
from .text import part_kind, slug


class PartDirective(SphinxDirective):
    """``:::{part} call words`` — a preambular or operative part."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {
        "kind": lambda arg: directives.choice(arg, ("preambular", "operative")),
        "change": lambda arg: directives.choice(arg, ("inserted", "deleted")),
        "proposal": directives.unchanged_required,
        "id": directives.unchanged_required,
        "class": directives.class_option,
    }

    def run(self) -> list[dn.Node]:
        words = nodes.call_words(self.arguments[0])
        if MARKUP.search(self.arguments[0]):  # marks or roles in the call words
            words += self.parse_inline(self.arguments[0], lineno=self.lineno)[0]
            nodes.changes_from_spans(words)  # read now: the words' kind is the accepted one
        else:
            words += dn.Text(self.arguments[0])
        plain = nodes.accepted_text(words)
        known = site_data(self.env).call_words
        self.set_source_info(words)
        if plain.lower() in known and len(words) == 1:
            # standard call words are translated once, in the site catalog (SiteWords)
            words["itu_site_words"] = True
        kind = self.options.get("kind") or part_kind(plain, known)
        if kind is None:
            new = ("add them to source/_data/callwords.yaml or give the part "
                   "':kind: preambular' or ':kind: operative'")
            close = did_you_mean(plain.lower(), known)
            warn("callword", f"unknown call words {plain!r}", self.get_location(),
                 f"{close} Else {new}" if close else new)
            kind = "preambular"
        action, _sep, ref = self.options.get("proposal", "").partition(" ")
        part = nodes.take_facts(nodes.part(kind=kind, change=self.options.get("change", ""),
                                           action=action, ref=ref.strip(), name=plain),
                                self.options.get("class", []))
        nodes.unique_id(self.options.get("id") or slug(plain), part, self.state.document)
        self.set_source_info(part)
        part += words
        part += self.parse_content_to_nodes()
        return [part]


class AbstractDirective(SphinxDirective):
    """``:::{abstract}`` — the abstract of a contribution."""

    has_content = True

    def run(self) -> list[dn.Node]:
        node = nodes.abstract()
        self.set_source_info(node)
        node += self.parse_content_to_nodes()
        return [node]


class AnnexDirective(SphinxDirective):
    """``::::{annex} title`` — an annex; headings are allowed inside."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[dn.Node]:
        node = nodes.annex()
        nodes.unique_id("annex", node, self.state.document)
        self.set_source_info(node)
        if self.arguments:
            title = dn.rubric("", "", *self.parse_inline(self.arguments[0],
                                                          lineno=self.lineno)[0])
            node += title
        node += self.parse_content_to_nodes(allow_section_headings=True)
        node.extend(self._escaped_sections())
        return [node]

    def _escaped_sections(self) -> list[dn.section]:
        """MyST attaches headings to the enclosing section: take the annex's back."""
        first = self.lineno
        last = first + len(self.content) + 1
        ours = [s for s in self.state.document.findall(dn.section)
                if s.line is not None and first <= s.line <= last]
        top = [s for s in ours if s.parent not in ours]
        for section in top:
            section.parent.remove(section)
        return top


class DocumentIndexDirective(SphinxDirective):
    """``:::{document-index}`` — the list of every document, by kind and number."""

    def run(self) -> list[dn.Node]:
        self.env.get_domain("itu").note_listing_page(self.env.docname)
        return [nodes.document_index()]


class CitationIndexDirective(SphinxDirective):
    """``:::{citation-index}`` — every citation of the site, as a table and a graph."""

    def run(self) -> list[dn.Node]:
        self.env.get_domain("itu").note_index_page(self.env.docname)
        return [nodes.citation_index()]


class ChangeRole(SphinxRole):
    """``{ins}`text``` and ``{del}`text```."""

    def __init__(self, node_class: type[dn.TextElement]) -> None:
        self.node_class = node_class

    def run(self) -> tuple[list[dn.Node], list[dn.system_message]]:
        node = self.node_class(self.rawtext, self.text)
        self.set_source_info(node)
        return [node], []


class LabelRole(SphinxRole):
    """``{label}`d``` / ``{label}`b>c``` / ``{label}`none```: an item's shown label."""

    def run(self) -> tuple[list[dn.Node], list[dn.system_message]]:
        if not re.fullmatch(r"none|[\w.]+(>[\w.]+)?", self.text):
            warn("label", f"malformed label {self.text!r}", self.get_location(),
                 "write {label}`d`, {label}`b>c` or {label}`none`")
            return [], []
        node = nodes.label_override(self.rawtext, "", value=self.text)
        self.set_source_info(node)
        return [node], []


class StandardFootnoteRole(SphinxRole):
    """``{stdfn}`key```: a footnote whose text lives in source/_data/footnotes.yaml."""

    def run(self) -> tuple[list[dn.Node], list[dn.system_message]]:
        data = site_data(self.env)
        self.env.note_dependency(data.path("footnotes.yaml"))
        key = self.text.strip()
        if key not in data.footnotes:
            warn("stdfn", f"no standard footnote {key!r}", self.get_location(),
                 f"known: {', '.join(sorted(data.footnotes))}; "
                 "add it to source/_data/footnotes.yaml")
            return [], []
        name = f"stdfn-{key}"
        document = self.inliner.document
        ref = dn.footnote_reference(self.rawtext, auto=1, refname=name)
        self.set_source_info(ref)
        document.note_autofootnote_ref(ref)
        document.note_footnote_ref(ref)
        if name not in document.nameids:
            # translated once, in the site catalog (i18n.SiteWords)
            text = dn.paragraph("", data.footnotes[key], itu_site_words=True)
            self.set_source_info(text)
            footnote = dn.footnote("", text, auto=1)
            footnote["names"].append(name)
            footnote["classes"].append("itu-stdfn")
            self.set_source_info(footnote)
            document.note_autofootnote(footnote)
            document.note_explicit_target(footnote, footnote)
            document += footnote
        return [ref], []
