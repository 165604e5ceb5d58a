"""Hooks on the HTML pages as a whole: what each page's template is given, and the
pages that are no longer wanted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes as dn

from .. import nodes
from ..text import language_root, site_path
from ..typst.markup import book_name, has_pdf, pdf_path

# Sphinx's own scripts serve its search and highlighting, which the site does not use
# (search is Pagefind's); translations.js builds a function from text, which the
# pages' Content-Security-Policy rightly forbids
SPHINX_SCRIPTS = {"documentation_options.js", "doctools.js", "sphinx_highlight.js",
                  "translations.js"}


# the pages every page links in its navigation (their labels: layout.html)
NAVIGATION = ("citations", "foreword", "translations")


def navigation(found_docs: Any) -> list[str]:
    """The navigation's pages that the build has (a redline: only some documents)."""
    return [page for page in NAVIGATION if page in found_docs]


def not_found_prefix(app: Any, config: Any) -> None:
    """The 404 page (sphinx-notfound-page) links below its language's folder of the
    site (``itu_language_folder``; a redline's output has none: below its root)."""
    root = language_root(config.itu_site_url, config.language or "en") \
        if config.itu_language_folder else config.itu_site_url
    config.notfound_urls_prefix = site_path(root)


def own_scripts_only(app: Any, pagename: str, templatename: str, context: dict,
                     doctree: Any) -> None:
    """Leave Sphinx's own scripts out of every page."""
    context["script_files"] = [js for js in context.get("script_files", [])
                               if Path(getattr(js, "filename", js)).name not in SPHINX_SCRIPTS]


# a page with at least this many parts and sections gets an outline ("On this page")
OUTLINE_FROM = 4


def page_outline(app: Any, pagename: str, templatename: str, context: dict,
                 doctree: Any) -> None:
    """Give a long document's page its outline (``itu_outline``): its parts, annexes and
    sections, each (name, anchor, depth), in the order the page shows them."""
    domain = app.env.get_domain("itu")
    if doctree is None or not domain.document(pagename) or pagename in domain.comparisons:
        return
    outline: list[tuple[str, str, int]] = []
    _outline(doctree, False, 0, outline)
    if len(outline) >= OUTLINE_FROM:
        context["itu_outline"] = outline


def _outline(node: dn.Element, in_section: bool, depth: int,
             outline: list[tuple[str, str, int]]) -> None:
    """The outline's entries below ``node``, ``depth`` deep: the parts, annexes and
    sections inside the document's own section, none inside an item, part or table."""
    for child in node.children:
        if not isinstance(child, dn.Element) or isinstance(child, (nodes.item, dn.table)):
            continue
        if not isinstance(child, (nodes.part, nodes.annex, dn.section)):
            _outline(child, in_section, depth, outline)
            continue
        name = ""
        if in_section and child["ids"]:  # not the document's own section: its title heads
            if isinstance(child, nodes.part):
                name = nodes.shown_name(child)
            else:
                heading = child.next_node(nodes.designation if isinstance(child, nodes.annex)
                                          else dn.title)
                name = nodes.accepted_text(heading) if heading else ""
        if name.strip():  # an annex without a designation: its sections stand for it
            outline.append((" ".join(name.split()), f"#{child['ids'][0]}", depth + 1))
        if not isinstance(child, nodes.part):
            _outline(child, True, depth + 1 if name.strip() else depth, outline)


def remove_gone_pages(app: Any, exception: Exception | None) -> None:
    """The output mirrors the sources: the page of a document that is gone is removed,
    so that no build publishes it again."""
    builder = app.builder
    if exception or builder.name not in ("html", "dirhtml"):
        return
    outdir = Path(builder.outdir)
    wanted = {Path(builder.get_outfilename(name))
              for name in [*app.env.found_docs, app.config.notfound_pagename]}
    for page in outdir.rglob(f"*{builder.out_suffix}"):
        inside = page.relative_to(outdir).parts
        if inside[0] not in ("_static", "_images", "pagefind", "pdf") and page not in wanted:
            page.unlink()


def page_links(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Give a page its navigation (``itu_navigation``: the pages the build has), and a
    document's page the address of its PDF, when the PDFs are built."""
    context["itu_navigation"] = navigation(app.env.found_docs)
    if not app.config.itu_pdf:
        return
    if has_pdf(app.env, pagename):
        context["itu_pdf"] = context["pathto"](f"pdf/{pdf_path(pagename)}", resource=True)
    domain = app.env.get_domain("itu")
    if pagename == app.config.root_doc and any(domain.by_kind("resolution")):  # a book
        book = book_name(app.config.language or "en")
        context["itu_pdf_book"] = context["pathto"](f"pdf/{pdf_path(book)}", resource=True)
