"""The ``itu`` domain: what documents exist, which resolution and edition each is,
who cites whom; its typed entries; and the facts a document's page shows."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, NamedTuple

from docutils import nodes as dn
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.locale import get_translation
from sphinx.util.nodes import make_refnode

from .autolink import Cited, registry_url
from .data import site_data
from .editions import FOLDER
from .editorial import check_superseded
from .elsewhere import link_elsewhere, page_url, resolution_page
from .i18n import local_edition
from .marks import reject
from .messages import warn
from .metadata import Meta
from .names import (
    cited_edition,
    edition_note,
    entry_label,
    object_name,
    resolution_name,
    title_text,
)
from .parsed import noted
from .revisions import last_changed

_ = get_translation("sphinx")


@dataclass(frozen=True)
class DocumentEntry:
    """What the site knows of one document: its front matter and title, as read."""

    kind: str  # resolution, proposal, document; "redline": lists and citations skip it
    number: str
    assembly: str
    edition: str  # a proposal's: the edition it would make
    base_edition: str  # a proposal's: the edition it amends; else the edition
    proposal: dict[str, str] = field(hash=False)  # action, ref, source, document, order
    title: str
    date: str
    source: str
    revision: bool  # the edition is a revision: "Rev. New Delhi, 2024"
    base_revision: bool  # the same, of the edition a proposal amends
    line: int  # where its title is, for messages
    translation: str  # "unofficial": its translations are working translations
    redline: str  # what a redline compares ("main → HEAD"); empty for a document

    @classmethod
    def of(cls, meta: Meta, section: dn.section) -> DocumentEntry:
        base, new = meta.editions
        return cls(kind="redline" if meta.redline else meta.kind, number=meta.number,
                   assembly=meta.assembly, edition=new or base,  # or a deleted one's
                   base_edition=base,
                   proposal=dict(meta.proposal), title=title_text(section), date=meta.date,
                   source=meta.source, revision=meta.is_revision(),
                   base_revision=meta.is_revision(reject), line=section.line or 1,
                   translation=meta.translation, redline=meta.redline)

    def shown(self) -> DocumentEntry:
        """The entry as other pages use it: all of it but the line its title is on."""
        return replace(self, line=0)


@dataclass(frozen=True)
class CitationEntry(Cited):
    """A citation as the domain keeps it: what it cites, and where it stands."""

    anchor: str = ""  # the clause's anchor on the citing page
    where: str = ""  # the clause's name ("recalling c)")
    text: str = ""  # the citation as written


class Shown(NamedTuple):
    """What other pages show of a document: its entry in the lists, its citations, and
    the anchors their citations of its clauses link to."""

    listing: DocumentEntry | None
    citations: frozenset[CitationEntry]
    anchors: frozenset[str]


def _quiet(*_said: Any) -> None:
    """Say nothing (what another builder already said)."""


class ItuDomain(Domain):
    """Cross-document knowledge; parallel-safe and per document.

    Every entry of ``data`` is written through a ``note_*`` method, by the directive
    or transform that finds the fact, and read through the properties and methods.
    """

    name = "itu"
    label = "ITU documents"
    object_types = {"resolution": ObjType("resolution", "cite"),
                    "proposal": ObjType("proposal"), "document": ObjType("document")}
    initial_data: dict[str, Any] = {"documents": {}, "citations": {}, "anchors": {},
                                    "comparisons": {}, "listing_pages": set(),
                                    "index_pages": set()}

    @property
    def documents(self) -> dict[str, DocumentEntry]:
        return self.data["documents"]

    @property
    def citations(self) -> dict[str, list[CitationEntry]]:
        """Each document's citations, in reading order."""
        return self.data["citations"]

    @property
    def comparisons(self) -> dict[str, tuple[str, str]]:
        """The side-by-side pages: the (assembly, number) each compares proposals for."""
        return self.data["comparisons"]

    @property
    def listing_pages(self) -> Set[str]:
        """The pages that list every document."""
        return self.data["listing_pages"]

    @property
    def index_pages(self) -> Set[str]:
        """The pages with the index of citations."""
        return self.data["index_pages"]

    def note_document(self, docname: str, meta: Meta, section: dn.section) -> None:
        self.documents[docname] = DocumentEntry.of(meta, section)
        self._forget_indexes()

    @noted
    def note_citation(self, docname: str, anchor: str, clause: str, text: str,
                      cited: Cited) -> None:
        """Remember who cites what, for "cited by" and the citation index."""
        entry = CitationEntry(**vars(cited), anchor=anchor, where=clause, text=text)
        self.citations.setdefault(docname, []).append(entry)
        self._forget_indexes()

    def note_anchors(self, docname: str, anchors: Iterable[str]) -> None:
        """The anchors of a document, which citations of its clauses may name."""
        self.data["anchors"][docname] = set(anchors)

    @noted
    def note_listing_page(self, docname: str) -> None:
        self.data["listing_pages"].add(docname)

    @noted
    def note_index_page(self, docname: str) -> None:
        self.data["index_pages"].add(docname)

    @noted
    def note_comparison(self, docname: str, assembly: str, number: str) -> None:
        self.comparisons[docname] = (assembly, number)

    def document(self, docname: str) -> DocumentEntry | None:
        return self.documents.get(docname)

    def clear_doc(self, docname: str) -> None:
        for key in ("documents", "citations", "anchors", "comparisons"):
            self.data[key].pop(docname, None)
        for key in ("listing_pages", "index_pages"):
            self.data[key].discard(docname)
        self._forget_indexes()

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key in ("documents", "citations", "anchors", "comparisons"):
            for docname, value in otherdata[key].items():
                if docname in docnames:
                    self.data[key][docname] = value
        for key in ("listing_pages", "index_pages"):
            self.data[key] |= otherdata[key] & docnames
        self._forget_indexes()

    def _forget_indexes(self) -> None:
        """The indexes below are taken from the data once it is all read; the data
        changes again when an application builds again (the preview server)."""
        for index in ("_cited_by", "_editions", "_by_number"):
            self.__dict__.pop(index, None)

    def shown(self, docname: str) -> Shown:
        """What other pages show of a document (see ``collector.PagesToRewrite``)."""
        info = self.document(docname)
        return Shown(info.shown() if info else None,
                     frozenset(self.citations.get(docname, ())),
                     frozenset(self.data["anchors"].get(docname, ())))

    def is_redline(self, docname: str) -> bool:
        """Whether a page is a redline (a comparison page, a review's page). Its
        mistakes and citations are its sources': reported at the lines their editors
        wrote, listed for readers ("cited by", the citation index) from the sources;
        its citations are kept only so that it is written again when what it cites
        changes."""
        info = self.document(docname)
        return info is not None and info.kind == "redline"

    def citations_of(self, body: str, number: str) -> list[tuple[str, CitationEntry]]:
        """Who cites a resolution (any edition): (docname, citation)."""
        return self._cited_by.get((body, number), [])

    @cached_property
    def _cited_by(self) -> dict[tuple[str, str], list[tuple[str, CitationEntry]]]:
        """Citations by what they cite, taken once all is read, when links are resolved."""
        index: dict[tuple[str, str], list[tuple[str, CitationEntry]]] = {}
        for docname, entries in sorted(self.citations.items()):
            for entry in entries:
                if entry.kind == "resolution":
                    index.setdefault((entry.body, entry.number), []).append((docname, entry))
        return index

    @cached_property
    def _editions(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """Each resolution's editions on the site, oldest first, taken once all is read."""
        index: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for _year, edition, docname, key in sorted(
                (i.edition[-4:], i.edition, d, (i.assembly, i.number))
                for d, i in self.documents.items() if i.kind == "resolution"):
            index.setdefault(key, []).append((edition, docname))
        return index

    def numbered(self, assembly: str, number: str) -> list[tuple[str, DocumentEntry]]:
        """Every document of a resolution's number (its editions, the proposals that
        amend it, their comparisons), by docname: what its page lists."""
        return self._by_number.get((assembly, number), [])

    @cached_property
    def _by_number(self) -> dict[tuple[str, str], list[tuple[str, DocumentEntry]]]:
        """The documents by (assembly, number), taken once all is read: a page asks for
        its own, not every document (which would grow with the square of the corpus)."""
        index: dict[tuple[str, str], list[tuple[str, DocumentEntry]]] = {}
        for docname, info in sorted(self.documents.items()):
            index.setdefault((info.assembly, info.number), []).append((docname, info))
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
        return cited_edition(info.edition, info.revision, self.env)

    def citing_place(self, citing: str, entry: CitationEntry) -> tuple[str, str, str]:
        """Where a citation stands: the citing document's name, its clause as that page
        names it (in its language), and the fragment: ("Resolution 74 (...)",
        "recalling c)", "#recalling-c")."""
        return (self.doc_name(citing), entry.where,
                f"#{entry.anchor}" if entry.anchor else "")

    def resolve_xref(self, env: BuildEnvironment, fromdocname: str, builder: Any,
                     typ: str, target: str, node: Any, contnode: dn.Element):
        """A citation becomes a link to the site's page, or to the registry, or a warning
        (said once: a builder that resolves the HTML build's doctrees again, the PDFs',
        says nothing the HTML build said)."""
        say = warn if not getattr(builder, "resolves_again", False) else _quiet
        cited = Cited(node["kind"], node["body"], node["number"], node["edition"],
                      node["clause"])
        if typ == "edition":
            return self.edition_link(cited, env, fromdocname, builder, contnode)
        editions = self.editions(cited.body, cited.number) if cited.kind == "resolution" else []
        if editions:
            edition, docname = self.page_of(cited)
            if cited.clause and cited.clause not in self.data["anchors"].get(docname, ()):
                say("citation", f"Resolution {cited.number} has no clause {cited.clause!r}",
                    node, "check the call words and label")
                return contnode
            ref = make_refnode(builder, fromdocname, docname, cited.clause, contnode,
                               self.documents[docname].title)
            ref["classes"] += ["itu-cite"]
            current, latest = editions[-1]
            check_superseded(env, node, fromdocname, cited.edition, current,
                             self.designation(latest), say)
            note = None
            if cited.edition and cited.edition != edition:  # the site lacks the edition cited
                note = edition_note(cited.edition, edition, self.designation(docname))
            elif edition != current:  # the site has it, and a newer one
                note = edition_note(edition, current, self.designation(latest))
            if note is None:
                return ref
            return dn.inline("", "", ref, note, classes=["itu-cite-other-edition"])
        elsewhere = resolution_page(env.config.itu_other_documents, cited.body,
                                    cited.number, cited.edition) \
            if cited.kind == "resolution" and env.config.itu_other_documents_url else ""
        url = page_url(env.config.itu_other_documents_url, elsewhere, cited.clause) \
            if elsewhere else registry_url(cited, site_data(env), env.config.language or "en")
        if url:
            return dn.reference("", "", contnode, refuri=url, internal=False,
                                classes=["itu-cite", "external"])
        say("citation", f"citation {contnode.astext()!r} resolves nowhere", node,
            "add the instrument to source/_data/registry.yaml or correct the citation")
        return contnode

    def edition_link(self, cited: Cited, env: BuildEnvironment, fromdocname: str,
                     builder: Any, contnode: dn.Element) -> dn.Element:
        """A link to an edition of a resolution: its page on the site, else where the
        ITU publishes that edition (registry.yaml), else the text as it is."""
        docname = next((d for e, d in self.editions(cited.body, cited.number)
                        if e == cited.edition), "")
        if docname:
            return make_refnode(builder, fromdocname, docname, "", contnode,
                                self.documents[docname].title)
        url = registry_url(cited, site_data(env), env.config.language or "en")
        return dn.reference("", "", contnode, refuri=url, internal=False,
                            classes=["external"]) if url else contnode

    def page_of(self, cited: Cited) -> tuple[str, str]:
        """(edition, docname) of the site's page for a cited resolution: the edition
        cited if the site has it, else the latest; ("", "") if the site has none."""
        editions = self.editions(cited.body, cited.number) if cited.kind == "resolution" else []
        return next((e for e in editions if e[0] == cited.edition),
                    editions[-1] if editions else ("", ""))

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Any,
                         target: str, node: Any, contnode: dn.Element) -> list:
        """Only a redline's MyST link to a document the build lacks (one the change left
        alone), to its page on the site that has it (``elsewhere``)."""
        link = link_elsewhere(env.config.itu_other_documents_url, target, fromdocname,
                              contnode) if self.is_redline(fromdocname) else None
        return [("itu:doc", link)] if link is not None else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """Every resolution edition, proposal and other document, for the inventory
        (``objects.inv``): named by ``names.object_name``, shown by its cited name."""
        for docname, info in sorted(self.documents.items()):
            if info.kind in self.object_types:
                yield object_name(docname, info), self.doc_name(docname), info.kind, \
                    docname, "", 1

    def check_consistency(self) -> None:
        """Two resolution documents may not claim the same number and edition."""
        claimed: dict[tuple[str, str, str], str] = {}
        for docname, info in sorted(self.documents.items()):
            if info.kind != "resolution":
                continue
            key = (info.assembly, info.number, info.edition)
            if key in claimed:
                warn("edition", f"Resolution {info.number} ({info.edition}) is "
                     f"already the document {claimed[key]!r}", (docname, info.line),
                     "one file per resolution and edition: fix the number or edition")
            else:
                claimed[key] = docname

    def resolution(self, assembly: str, number: str, edition: str) -> str | None:
        """The docname of a resolution edition, if the site has it."""
        return next((d for e, d in self.editions(assembly, number) if e == edition), None)

    def by_kind(self, kind: str) -> Iterable[tuple[str, DocumentEntry]]:
        """Documents of one kind, in the order of their numbers."""
        def order(pair: tuple[str, DocumentEntry]):
            number, column = pair[1].number, pair[1].proposal.get("order", "")
            return (int(number) if number.isdigit() else 0, number,
                    int(column) if column.isdigit() else 1 << 30, pair[0])
        return sorted(((d, i) for d, i in self.documents.items() if i.kind == kind),
                      key=order)

    def of_resolution(self, kinds: Iterable[str], keys: Set[tuple[str, str]]) -> set[str]:
        """The documents of these kinds for these resolutions: (assembly, number)."""
        return {d for key in keys for d, i in self.numbered(*key) if i.kind in kinds}

    def comparison_page(self, assembly: str, number: str) -> str | None:
        """The page that shows a resolution's proposals side by side, if there is one."""
        return next((d for d, key in sorted(self.comparisons.items())
                     if key == (assembly, number)), None)


def page_context(app: Any, pagename: str, templatename: str, context: dict,
                 doctree: Any) -> None:
    """Name a document's page as readers cite it, and give the template its facts."""
    domain = app.env.get_domain("itu")
    if pagename in domain.comparisons:
        app.add_css_file("itu-compare.css")
        app.add_js_file("itu-compare.js")
    info = domain.document(pagename)
    if not info:
        return
    context["title"] = f"{entry_label(info, app.env)} — {info.title}"
    facts = []
    if info.kind == "proposal":
        proposal = info.proposal
        facts += [(_("Proposal"), proposal["action"], "")]
        facts += [(label, proposal[key], "") for key, label in (
            ("source", _("Submitted by")), ("document", _("Contribution")),
            ("ref", _("Reference"))) if proposal.get(key)]
        base = domain.resolution(info.assembly, info.number, info.base_edition)
        name = resolution_name(
            info, cited_edition(info.base_edition, info.base_revision, app.env))
        facts.append((_("Amends"), name, context["pathto"](base) if base else ""))
    compared = info.kind in ("resolution", "proposal") and domain.comparison_page(
        info.assembly, info.number)
    if compared:
        facts.append((_("Side by side"), _("every proposal for Resolution %s") % info.number,
                      context["pathto"](compared)))
    if info.kind == "redline":
        context["itu_redline"] = info.redline
        facts.append((_("Compares"), info.redline, ""))
    changed = last_changed(app.env, pagename)
    if changed:
        facts.append((_("Last changed"), changed, ""))
    context["itu_facts"] = facts
    context["itu_views"] = info.kind == "proposal"
    if info.kind == "resolution":
        related = domain.numbered(info.assembly, info.number)
        context["itu_compare"] = [
            (other.redline, context["pathto"](docname)) for docname, other in related
            if other.kind == "redline" and info.edition in (other.base_edition, other.edition)]
        # a proposal with no text to compare (only its action): named, and said so
        # (where the build compares editions at all: a review's build does not)
        context["itu_uncompared"] = [
            (_("The %(action)s proposal of %(source)s (%(edition)s)") % {
                "action": other.proposal.get("action", ""),
                "source": other.proposal.get("source") or posixpath.basename(docname),
                "edition": local_edition(other.edition, app.env)},
             context["pathto"](docname))
            for docname, other in related
            if other.kind == "proposal" and other.base_edition == info.edition
            and f"{FOLDER}/{posixpath.basename(docname)}" not in domain.documents
        ] if app.config.itu_compare_editions else []
        context["itu_cited_by"] = [
            (name, clause, context["pathto"](citing) + fragment)
            for citing, entry in domain.citations_of(info.assembly, info.number)
            if citing != pagename and not domain.is_redline(citing)
            for name, clause, fragment in [domain.citing_place(citing, entry)]]
