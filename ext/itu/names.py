"""How documents and instruments are named: in lists, in citations, in the inventory.

Every function takes what it names (a document's domain entry, ``domain.DocumentEntry``,
or what a citation cites, ``autolink.Cited``) and gives text in the language of the
build; ``object_name`` alone is the same in every language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Protocol

from docutils import nodes as dn
from sphinx.locale import get_translation

from . import nodes
from .autolink import Cited
from .i18n import local_edition, translate

_ = get_translation("sphinx")


class Named(Protocol):
    """What naming reads of a document (``domain.DocumentEntry`` has it all)."""

    kind: str
    number: str
    assembly: str
    edition: str
    base_edition: str
    revision: bool
    proposal: Mapping[str, str]


def title_text(section: dn.section) -> str:
    """A section's title as read, without footnote numbers or deleted text."""
    title = section[0].deepcopy()
    for ref in list(title.findall(dn.footnote_reference)):
        ref.parent.remove(ref)
    return nodes.accepted_text(title)


def entry_label(info: Named, env: Any) -> str:
    """How the home page names a document: "Resolution 74 (Rev. New Delhi, 2024)"."""
    if info.kind == "document":
        return translate("Document {number}").format(number=info.number)
    if info.kind == "proposal":
        proposal = info.proposal
        ref = f" {proposal['ref']}" if proposal.get("ref") else ""
        source = f" ({proposal['source']})" if proposal.get("source") else ""
        edition = (f"{local_edition(info.base_edition, env)} → "
                   f"{local_edition(info.edition, env)}")
        return f"{proposal['action']}{ref}{source}: {resolution_name(info, edition)}"
    return resolution_name(info, cited_edition(info.edition, info.revision, env))


def resolution_name(info: Named, edition: str) -> str:
    """ "Resolution 44 (Rev. Hammamet, 2016)", in the language of the build."""
    return translate("Resolution {number} ({edition})").format(number=info.number,
                                                              edition=edition)


def cited_edition(edition: str, revision: bool, env: Any) -> str:
    """An edition as citations write it: "Rev. New Delhi, 2024", "Hammamet, 2016"."""
    edition = local_edition(edition, env)
    return translate("Rev. {edition}").format(edition=edition) if revision else edition


def edition_note(cited: str, on_site: str, name: str) -> dn.inline:
    """Say that the edition linked is not the one cited."""
    if cited[-4:] < on_site[-4:]:
        text = _("superseded edition; current: %s") % name
    else:
        text = _("edition on this site: %s") % name
    # an aid to the reader, not part of the legal text (``aid``: said so in HTML and PDF)
    return dn.inline("", f" [{text}]", classes=["itu-edition-note"], aid=True)


def instrument_name(cited: Cited) -> str:
    """ "PP Resolution 71 (Bucharest, 2022)", "Article 28 of the Constitution"."""
    edition = f" ({cited.edition})" if cited.edition else ""
    kind = cited.kind.capitalize()
    if cited.kind in ("article", "provision"):
        return f"{kind} {cited.number} of the {cited.body}"
    return f"{cited.body} {kind} {cited.number}{edition}".strip()


def object_name(docname: str, info: Named) -> str:
    """A document's name in the site's inventory (``objects.inv``), the same in every
    language: a resolution edition by what makes it one, its assembly, number and
    edition, words joined by hyphens ("WTSA-74-New-Delhi-2024", unique: see
    ``ItuDomain.check_consistency``); a proposal or other document by its page
    ("proposals/44-atu")."""
    if info.kind != "resolution":
        return docname
    return "-".join(w for w in re.split(r"[\W_]+", f"{info.assembly} {info.number} "
                                                   f"{info.edition}") if w)
