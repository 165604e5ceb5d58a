"""The ``itu`` domain: what documents exist, which resolution and edition each is."""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import Any

from docutils import nodes as dn
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.locale import get_translation

from . import nodes
from .messages import warn
from .metadata import Meta, reject

_ = get_translation("itu")


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
    initial_data: dict[str, Any] = {"documents": {}}

    @property
    def documents(self) -> dict[str, dict[str, Any]]:
        return self.data["documents"]

    def note_document(self, docname: str, meta: Meta, section: dn.section) -> None:
        base, new = meta.editions
        self.documents[docname] = {
            "kind": meta.kind, "number": meta.number, "assembly": meta.assembly,
            "edition": new, "base_edition": base, "proposal": meta.proposal,
            "title": title_text(section), "date": meta.date, "source": meta.source,
            "revision": meta.is_revision(), "base_revision": meta.is_revision(reject),
            "line": section.line or 1,
        }

    def document(self, docname: str) -> dict[str, Any] | None:
        return self.documents.get(docname)

    def clear_doc(self, docname: str) -> None:
        self.documents.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname, info in otherdata["documents"].items():
            if docname in docnames:
                self.documents[docname] = info

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
        return next((d for d, i in self.documents.items() if i["kind"] == "resolution"
                     and (i["assembly"], i["number"], i["edition"]) ==
                     (assembly, number, edition)), None)

    def by_kind(self, kind: str) -> Iterable[tuple[str, dict[str, Any]]]:
        """Documents of one kind, in the order of their numbers."""
        def order(pair: tuple[str, dict[str, Any]]):
            number = pair[1]["number"]
            return (int(number) if number.isdigit() else 0, number,
                    pair[1]["proposal"].get("order", ""), pair[0])
        return sorted(((d, i) for d, i in self.documents.items() if i["kind"] == kind),
                      key=order)


def check_consistency(app: Any, env: BuildEnvironment) -> None:
    env.get_domain("itu").check_consistency()


def fill_document_index(app: Any, doctree: dn.document, docname: str) -> None:
    """Replace each document_index placeholder by links to every document."""
    domain = app.env.get_domain("itu")
    builder = app.builder
    for placeholder in list(doctree.findall(nodes.document_index)):
        content: list[dn.Node] = []
        for kind, heading in (("resolution", "Resolutions"), ("proposal", "Proposals"),
                              ("document", "Other documents")):
            entries = list(domain.by_kind(kind))
            if not entries:
                continue
            content.append(dn.rubric("", heading))
            listing = dn.bullet_list(classes=["itu-document-index"])
            for target, info in entries:
                ref = dn.reference("", "", internal=True,
                                   refuri=builder.get_relative_uri(docname, target))
                ref += dn.inline("", entry_label(info), classes=["itu-index-number"])
                ref += dn.Text(" ")
                ref += dn.inline("", info["title"], classes=["itu-index-title"])
                listing += dn.list_item("", dn.paragraph("", "", ref))
            content.append(listing)
        placeholder.replace_self(content)


def entry_label(info: dict[str, Any]) -> str:
    """How the home page names a document: "Resolution 74 (Rev. New Delhi, 2024)"."""
    if info["kind"] == "document":
        return f"Document {info['number']}"
    if info["kind"] == "proposal":
        proposal = info["proposal"]
        ref = f" {proposal['ref']}" if proposal.get("ref") else ""
        source = f" ({proposal['source']})" if proposal.get("source") else ""
        return (f"{proposal['action']}{ref}{source}: "
                f"Resolution {info['number']} ({info['base_edition']} → {info['edition']})")
    rev = "Rev. " if info["revision"] else ""
    return f"Resolution {info['number']} ({rev}{info['edition']})"


def page_context(app: Any, pagename: str, templatename: str, context: dict,
                 doctree: Any) -> None:
    """Name a document's page as readers cite it, and give the template its facts."""
    domain = app.env.get_domain("itu")
    info = domain.document(pagename)
    if not info:
        return
    context["title"] = f"{entry_label(info)} — {info['title']}"
    facts = []
    if info["kind"] == "proposal":
        proposal = info["proposal"]
        facts += [(_("Proposal"), proposal["action"], "")]
        facts += [(label, proposal[key], "") for key, label in (
            ("source", _("Submitted by")), ("document", _("Contribution")),
            ("ref", _("Reference"))) if proposal.get(key)]
        base = domain.resolution(info["assembly"], info["number"], info["base_edition"])
        rev = "Rev. " if info["base_revision"] else ""
        name = f"Resolution {info['number']} ({rev}{info['base_edition']})"
        facts.append((_("Amends"), name, context["pathto"](base) if base else ""))
    context["itu_facts"] = facts
