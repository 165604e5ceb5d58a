"""Links to documents that a build does not have: a redline builds only the documents
a change touched, and a link to any other leads to the site that has it."""

from __future__ import annotations

import posixpath

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
    uri = f"{base.rstrip('/')}/{docname}.html" + (f"#{anchor}" if anchor else "")
    return dn.reference("", "", contnode, refuri=uri, internal=False)
