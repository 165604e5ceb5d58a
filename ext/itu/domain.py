"""The ``itu`` domain: what documents exist, which resolution and edition each is."""

from __future__ import annotations

from collections.abc import Iterable, Set
from functools import cached_property
from typing import Any

from docutils import nodes as dn
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.locale import get_translation
from sphinx.util.nodes import make_refnode

from . import compare, nodes
from .autolink import Cited, registry_url
from .data import site_data
from .i18n import local_edition, translate
from .marks import reject
from .messages import warn
from .metadata import Meta

_ = get_translation("sphinx")


def title_text(section: dn.section) -> str:
    """A section's title as read, without footnote numbers or deleted text."""
    title = section[0].deepcopy()
    for ref in list(title.findall(dn.footnote_reference)):
        ref.parent.remove(ref)
    return nodes.accepted_text(title)


class ItuDomain(Domain):
    """Cross-document knowledge; parallel-safe and per document."""

    name = "itu"
    label = "ITU documents"
    initial_data: dict[str, Any] = {"documents": {}, "citations": {}, "anchors": {},
                                    "before": {}, "listing_pages": set(),
                                    "index_pages": set(), "comparisons": {},
                                    "compared_before": {}}

    @property
    def documents(self) -> dict[str, dict[str, Any]]:
        return self.data["documents"]

    def note_document(self, docname: str, meta: Meta, section: dn.section) -> None:
        self.data["before"].setdefault(docname, (None, []))  # a new document
        base, new = meta.editions
        self.documents[docname] = {
            # a redline is no edition of its own: lists and citations skip it
            "kind": "redline" if meta.redline else meta.kind, "redline": meta.redline,
            "number": meta.number, "assembly": meta.assembly,
            "edition": new, "base_edition": base, "proposal": meta.proposal,
            "title": title_text(section), "date": meta.date, "source": meta.source,
            "revision": meta.is_revision(), "base_revision": meta.is_revision(reject),
            "line": section.line or 1, "translation": meta.translation,
        }

    def document(self, docname: str, default: Any = None) -> dict[str, Any] | None:
        return self.documents.get(docname, default)

    def clear_doc(self, docname: str) -> None:
        # what other pages show of this document, to compare once it is read again
        self.data["before"].setdefault(docname, self._shown(docname))
        self.documents.pop(docname, None)
        self.data["anchors"].pop(docname, None)
        self.data["citations"].pop(docname, None)
        self.data["listing_pages"].discard(docname)
        self.data["index_pages"].discard(docname)
        self.data["compared_before"].setdefault(docname,
                                                self.data["comparisons"].pop(docname, None))

    def _shown(self, docname: str) -> tuple[Any, list[tuple]]:
        """A document's entry in the lists of documents, and its citations."""
        info = self.documents.get(docname)
        listing = info and (info["kind"], info["assembly"], info["number"], info["edition"],
                            info["title"])
        return listing, [tuple(sorted(c.items())) for c in self.data["citations"].get(docname, [])]

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key in ("documents", "citations", "anchors", "comparisons"):
            for docname, value in otherdata[key].items():
                if docname in docnames:
                    self.data[key][docname] = value
        for key in ("listing_pages", "index_pages"):
            self.data[key] |= otherdata[key]
        for key in ("before", "compared_before"):
            for docname, shown in otherdata[key].items():
                self.data[key].setdefault(docname, shown)

    def note_citation(self, docname: str, anchor: str, clause: str, text: str,
                      cited: Any) -> None:
        """Remember who cites what, for "cited by" and the citation index."""
        self.data["before"].setdefault(docname, (None, []))
        entry = {**vars(cited), "anchor": anchor, "where": clause, "text": text}
        self.data["citations"].setdefault(docname, []).append(entry)

    def pages_to_rewrite(self) -> list[str]:
        """Pages made of other documents' facts whose facts changed in this build:
        the lists of documents, the citation index, "cited by" lists, proposals side
        by side."""
        before, self.data["before"] = self.data["before"], {}
        pages = compare.pages_to_rewrite(self.data, before)
        touched: set[tuple[str, str]] = set()
        for docname, (listing, citations) in before.items():
            new_listing, new_citations = self._shown(docname)
            if listing != new_listing:
                pages |= self.data["listing_pages"]
                # a comparison that comes or goes: its resolution's "compare editions"
                compared = {x[1:3] for x in (listing, new_listing) if x and x[0] == "redline"}
                pages |= {d for d, i in self.documents.items()
                          if i["kind"] == "resolution" and (i["assembly"], i["number"]) in compared}
            changed = set(citations) ^ set(new_citations)
            touched |= {(dict(c)["body"], dict(c)["number"]) for c in changed}
        if touched:
            pages |= self.data["index_pages"]
            pages |= {d for d, i in self.documents.items() if i["kind"] == "resolution"
                      and (i["assembly"], i["number"]) in touched}
        return sorted(pages)

    def citations_of(self, body: str, number: str) -> list[tuple[str, dict[str, Any]]]:
        """Who cites a resolution (any edition): (docname, citation)."""
        return self._cited_by.get((body, number), [])

    @cached_property
    def _cited_by(self) -> dict[tuple[str, str], list[tuple[str, dict[str, Any]]]]:
        """Citations by what they cite, taken once per build, when links are resolved."""
        index: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = {}
        for docname, entries in sorted(self.data["citations"].items()):
            for entry in entries:
                if entry["kind"] == "resolution":
                    index.setdefault((entry["body"], entry["number"]), []).append(
                        (docname, entry))
        return index

    @cached_property
    def _editions(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """Each resolution's editions on the site, oldest first, taken once per build."""
        index: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for _year, edition, docname, key in sorted(
                (i["edition"][-4:], i["edition"], d, (i["assembly"], i["number"]))
                for d, i in self.documents.items() if i["kind"] == "resolution"):
            index.setdefault(key, []).append((edition, docname))
        return index

    def doc_name(self, docname: str) -> str:
        """A document's name as lists show it."""
        info = self.document(docname)
        return entry_label(info, self.env) if info else self.env.titles[docname].astext()

    def editions(self, body: str, number: str) -> list[tuple[str, str]]:
        """The site's editions of a resolution, oldest first: (edition, docname)."""
        return self._editions.get((body, number), [])

    def designation(self, docname: str) -> str:
        """ "Rev. Hammamet, 2016": the document's edition as it is cited."""
        info = self.documents[docname]
        return cited_edition(info["edition"], info["revision"], self.env)

    def citing_place(self, citing: str, entry: dict[str, Any]) -> tuple[str, str]:
        """Where a citation stands: ("Resolution 74 (...), recalling c)", "#recalling-c")."""
        name = self.doc_name(citing)
        return (f"{name}, {entry['where']}" if entry["where"] else name,
                f"#{entry['anchor']}" if entry["anchor"] else "")

    def resolve_xref(self, env: BuildEnvironment, fromdocname: str, builder: Any,
                     typ: str, target: str, node: Any, contnode: dn.Element):
        """A citation becomes a link to the site's page, or to the registry, or a warning."""
        cited = Cited(node["kind"], node["body"], node["number"], node["edition"],
                      node["clause"])
        editions = self.editions(cited.body, cited.number) if cited.kind == "resolution" else []
        if editions:
            # the edition cited if the site has it, else the latest
            edition, docname = next((e for e in editions if e[0] == cited.edition), editions[-1])
            if cited.clause and cited.clause not in self.data["anchors"].get(docname, ()):
                warn("citation", f"Resolution {cited.number} has no clause {cited.clause!r}",
                     node, "check the call words and label")
                return contnode
            ref = make_refnode(builder, fromdocname, docname, cited.clause, contnode,
                               self.documents[docname]["title"])
            ref["classes"] += ["itu-cite"]
            current, latest = editions[-1]
            note = None
            if cited.edition and cited.edition != edition:  # the site lacks the edition cited
                note = edition_note(cited.edition, edition, self.designation(docname))
            elif edition != current:  # the site has it, and a newer one
                note = edition_note(edition, current, self.designation(latest))
            if note is None:
                return ref
            return dn.inline("", "", ref, note, classes=["itu-cite-other-edition"])
        url = registry_url(cited, site_data(env).registry)
        if url:
            return dn.reference("", "", contnode, refuri=url, internal=False,
                                classes=["itu-cite", "external"])
        warn("citation", f"citation {contnode.astext()!r} resolves nowhere", node,
             "add the instrument to source/_data/registry.yaml or correct the citation")
        return contnode

    def resolve_any_xref(self, *args: Any) -> list:
        return []

    def check_consistency(self) -> None:
        """Two resolution documents may not claim the same number and edition."""
        claimed: dict[tuple[str, str, str], str] = {}
        for docname, info in sorted(self.documents.items()):
            if info["kind"] != "resolution":
                continue
            key = (info["assembly"], info["number"], info["edition"])
            if key in claimed:
                warn("edition", f"Resolution {info['number']} ({info['edition']}) is "
                     f"already the document {claimed[key]!r}", (docname, info["line"]),
                     "one file per resolution and edition: fix the number or edition")
            else:
                claimed[key] = docname

    def resolution(self, assembly: str, number: str, edition: str) -> str | None:
        """The docname of a resolution edition, if the site has it."""
        return next((d for e, d in self.editions(assembly, number) if e == edition), None)

    def by_kind(self, kind: str) -> Iterable[tuple[str, dict[str, Any]]]:
        """Documents of one kind, in the order of their numbers."""
        def order(pair: tuple[str, dict[str, Any]]):
            number, column = pair[1]["number"], pair[1]["proposal"].get("order", "")
            return (int(number) if number.isdigit() else 0, number,
                    int(column) if column.isdigit() else 1 << 30, pair[0])
        return sorted(((d, i) for d, i in self.documents.items() if i["kind"] == kind),
                      key=order)


def edition_note(cited: str, on_site: str, name: str) -> dn.inline:
    """Say that the edition linked is not the one cited."""
    if cited[-4:] < on_site[-4:]:
        text = _("superseded edition; current: %s") % name
    else:
        text = _("edition on this site: %s") % name
    return dn.inline("", f" [{text}]", classes=["itu-edition-note"])


def pages_to_rewrite(app: Any, env: BuildEnvironment) -> list[str]:
    """Rewrite the pages whose content comes from documents re-read in this build."""
    return env.get_domain("itu").pages_to_rewrite()




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
                ref += dn.inline("", info["title"], classes=["itu-index-title"])
                listing += dn.list_item("", dn.paragraph("", "", ref))
            content.append(listing)
        placeholder.replace_self(content)


def entry_label(info: dict[str, Any], env: Any) -> str:
    """How the home page names a document: "Resolution 74 (Rev. New Delhi, 2024)"."""
    if info["kind"] == "document":
        return translate("Document {number}").format(number=info["number"])
    if info["kind"] == "proposal":
        proposal = info["proposal"]
        ref = f" {proposal['ref']}" if proposal.get("ref") else ""
        source = f" ({proposal['source']})" if proposal.get("source") else ""
        edition = (f"{local_edition(info['base_edition'], env)} → "
                   f"{local_edition(info['edition'], env)}")
        return f"{proposal['action']}{ref}{source}: {resolution_name(info, edition)}"
    return resolution_name(info, cited_edition(info["edition"], info["revision"], env))


def resolution_name(info: dict[str, Any], edition: str) -> str:
    """ "Resolution 44 (Rev. Hammamet, 2016)", in the language of the build."""
    return translate("Resolution {number} ({edition})").format(number=info["number"],
                                                              edition=edition)


def cited_edition(edition: str, revision: bool, env: Any) -> str:
    """An edition as citations write it: "Rev. New Delhi, 2024", "Hammamet, 2016"."""
    edition = local_edition(edition, env)
    return translate("Rev. {edition}").format(edition=edition) if revision else edition


def page_context(app: Any, pagename: str, templatename: str, context: dict,
                 doctree: Any) -> None:
    """Name a document's page as readers cite it, and give the template its facts."""
    domain = app.env.get_domain("itu")
    if pagename in domain.data["comparisons"]:
        app.add_css_file("itu-compare.css")
        app.add_js_file("itu-compare.js")
    info = domain.document(pagename)
    if not info:
        return
    context["title"] = f"{entry_label(info, app.env)} — {info['title']}"
    facts = []
    if info["kind"] == "proposal":
        proposal = info["proposal"]
        facts += [(_("Proposal"), proposal["action"], "")]
        facts += [(label, proposal[key], "") for key, label in (
            ("source", _("Submitted by")), ("document", _("Contribution")),
            ("ref", _("Reference"))) if proposal.get(key)]
        base = domain.resolution(info["assembly"], info["number"], info["base_edition"])
        name = resolution_name(
            info, cited_edition(info["base_edition"], info["base_revision"], app.env))
        facts.append((_("Amends"), name, context["pathto"](base) if base else ""))
    compared = info["kind"] in ("resolution", "proposal") and compare.comparison_page(
        domain.data, info["assembly"], info["number"])
    if compared:
        facts.append((_("Side by side"), _("every proposal for Resolution %s") % info["number"],
                      context["pathto"](compared)))
    if info["kind"] == "redline":
        context["itu_redline"] = info["redline"]
        facts.append((_("Compares"), info["redline"], ""))
    context["itu_facts"] = facts
    context["itu_views"] = info["kind"] == "proposal"
    if info["kind"] == "resolution":
        context["itu_compare"] = [
            (other["redline"], context["pathto"](docname))
            for docname, other in sorted(domain.documents.items())
            if other["kind"] == "redline" and other["number"] == info["number"]
            and other["assembly"] == info["assembly"]
            and info["edition"] in (other["base_edition"], other["edition"])]
        context["itu_cited_by"] = [
            (place, context["pathto"](citing) + fragment)
            for citing, entry in domain.citations_of(info["assembly"], info["number"])
            if citing != pagename
            for place, fragment in [domain.citing_place(citing, entry)]]


def fill_citation_index(app: Any, doctree: dn.document, docname: str) -> None:
    """Replace each citation_index placeholder by the graph and the table of citations."""
    domain = app.env.get_domain("itu")
    builder = app.builder
    for placeholder in list(doctree.findall(nodes.citation_index)):
        rows: list[list[Any]] = []
        edges: set[tuple[str, str]] = set()
        for citing, entries in sorted(domain.data["citations"].items()):
            for entry in entries:
                if entry["kind"] == "clause":
                    continue
                place, fragment = domain.citing_place(citing, entry)
                link = dn.reference("", place, internal=True,
                                    refuri=builder.get_relative_uri(docname, citing) + fragment)
                rows.append([link, entry["text"], instrument_name(entry)])
                info = domain.document(citing)
                if entry["kind"] == "resolution" and info and info["kind"] == "resolution":
                    edges.add((f"{info['assembly']} {info['number']}",
                               f"{entry['body']} {entry['number']}"))
        table = nodes.table([_("Cited in"), _("Citation"), _("Cites")], rows, (35, 35, 30),
                            "itu-citation-table")
        points = sorted({p for edge in edges for p in edge})
        graph = nodes.citation_graph(points=points, edges=sorted(edges))
        placeholder.replace_self([graph, table])


def instrument_name(entry: dict[str, Any]) -> str:
    """ "PP Resolution 71 (Bucharest, 2022)", "Article 28 of the Constitution"."""
    edition = f" ({entry['edition']})" if entry["edition"] else ""
    kind = entry["kind"].capitalize()
    if entry["kind"] in ("article", "provision"):
        return f"{kind} {entry['number']} of the {entry['body']}"
    return f"{entry['body']} {kind} {entry['number']}{edition}".strip()
