"""Links to documents that a build does not have: a redline builds only the documents
a change touched, and a link to any other, or a citation of another resolution, leads
to the site that has it."""

from __future__ import annotations

import json
import posixpath
from functools import cache
from pathlib import Path

from docutils import nodes as dn

from .policy import SCHEME, content_path


def other_document(path: str, refdoc: str) -> str:
    """The document a link's ``path`` names from ``refdoc`` (``../resolutions/44.md``
    from ``resolutions/74``: ``resolutions/44``), or "" if it names none."""
    if SCHEME.match(path) or not path.endswith(".md"):
        return ""
    return content_path(path, posixpath.dirname(refdoc)).removesuffix(".md")


def link_elsewhere(base: str, target: str, refdoc: str,
                   contnode: dn.Element) -> dn.Element | None:
    """A link (MyST's ``target``, from ``refdoc``) to a document this build lacks: to its
    page below ``base`` (``itu_other_documents_url``: the site of the revision a redline
    shows), or its text where there is no such site; None if it names no document."""
    path, _, anchor = target.partition("#")
    docname = other_document(path, refdoc)
    if not docname:
        return None
    if not base:
        return contnode
    return dn.reference("", "", contnode, refuri=page_url(base, docname, anchor),
                        internal=False)


def page_url(base: str, docname: str, anchor: str = "") -> str:
    """The address of a document's page (at ``anchor``) on the site at ``base``."""
    return f"{base.rstrip('/')}/{docname}.html" + (f"#{anchor}" if anchor else "")


def resolution_page(index: str, assembly: str, number: str, edition: str) -> str:
    """The docname of a resolution on the site a build links to (``index``: the file of
    ``itu_other_documents``, [docname, assembly, number, edition] each): the edition cited
    if the site has it, else its latest; "" if the site has none."""
    editions = _editions(index).get((assembly, number), []) if index else []
    return next((d for e, d in editions if e == edition), editions[-1][1] if editions else "")


@cache
def _editions(index: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """A resolution's editions in the index, oldest first: (edition, docname)."""
    try:
        rows = json.loads(Path(index).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for docname, assembly, number, edition in sorted(
            (r for r in rows if isinstance(r, list) and len(r) == 4),
            key=lambda r: (str(r[3])[-4:], str(r[3]))):
        found.setdefault((str(assembly), str(number)), []).append((str(edition), str(docname)))
    return found
