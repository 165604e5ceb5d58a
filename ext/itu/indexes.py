"""The site's indexes: the list of documents and the index of citations, filled in
from the domain once every document is read (``doctree-resolved``)."""

from __future__ import annotations

from typing import Any

from docutils import nodes as dn
from sphinx.locale import get_translation

from . import nodes
from .autolink import registry_url
from .data import site_data
from .i18n import translate
from .names import entry_label, instrument_name

_ = get_translation("sphinx")


def fill_document_index(app: Any, doctree: dn.document, docname: str) -> None:
    """Replace each document_index placeholder by links to every document."""
    domain = app.env.get_domain("itu")
    builder = app.builder
    for placeholder in list(doctree.findall(nodes.document_index)):
        content: list[dn.Node] = []
        for kind, heading in (("resolution", _("Resolutions")), ("proposal", _("Proposals")),
                              ("document", _("Other documents"))):
            entries = list(domain.by_kind(kind))
            if not entries:
                continue
            content.append(dn.rubric("", heading))
            listing = dn.bullet_list(classes=["itu-document-index"])
            for target, info in entries:
                ref = dn.reference("", "", internal=True,
                                   refuri=builder.get_relative_uri(docname, target))
                ref += dn.inline("", entry_label(info, app.env), classes=["itu-index-number"])
                ref += dn.Text(" ")
                ref += dn.inline("", info.title, classes=["itu-index-title"])
                listing += dn.list_item("", dn.paragraph("", "", ref))
            content.append(listing)
        placeholder.replace_self(content)


def fill_citation_index(app: Any, doctree: dn.document, docname: str) -> None:
    """Replace each citation_index placeholder by the graph and the table of citations."""
    domain = app.env.get_domain("itu")
    builder = app.builder
    for placeholder in list(doctree.findall(nodes.citation_index)):
        rows: list[list[Any]] = []
        edges: set[tuple[str, str]] = set()
        for citing, entries in sorted(domain.citations.items()):
            for entry in entries if not domain.is_redline(citing) else ():
                if entry.kind == "clause":
                    continue
                name, clause, fragment = domain.citing_place(citing, entry)
                link = dn.reference("", "", dn.Text(name), internal=True,
                                    refuri=builder.get_relative_uri(docname, citing) + fragment)
                if clause:  # the clause in its own direction (an English one on an Arabic page)
                    link += [dn.Text(translate(", ")), dn.inline("", clause, classes=["itu-bdi"])]
                rows.append([link, entry.text, instrument_link(entry, domain, builder, docname)])
                info = domain.document(citing)
                if entry.kind == "resolution" and info and info.kind == "resolution":
                    edges.add((f"{info.assembly} {info.number}",
                               f"{entry.body} {entry.number}"))
        table = nodes.table([_("Cited in"), _("Citation"), _("Cites")], rows, (35, 35, 30),
                            "itu-citation-table")
        for cell in table.findall(dn.entry):  # names in English on any page: each cell
            cell["dir"] = "auto"  # takes the direction of its own text, isolated
        points = sorted({p for edge in edges for p in edge})
        graph = nodes.citation_graph(points=points, edges=sorted(edges))
        placeholder.replace_self([graph, table])


def instrument_link(entry: Any, domain: Any, builder: Any, docname: str) -> dn.Node:
    """The instrument a citation cites, named, and linked as the citation is: to its
    page on the site (the clause cited), else to where the registry says it is."""
    name = instrument_name(entry)
    _edition, target = domain.page_of(entry)
    if target:
        fragment = f"#{entry.clause}" if entry.clause else ""
        return dn.reference("", name, internal=True,
                            refuri=builder.get_relative_uri(docname, target) + fragment)
    url = registry_url(entry, site_data(domain.env), domain.env.config.language or "en")
    return dn.reference("", name, refuri=url, internal=False, classes=["external"]) \
        if url else dn.Text(name)
