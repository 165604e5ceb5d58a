"""Hooks on the HTML pages as a whole: what each page's template is given, and the
pages that are no longer wanted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def own_scripts_only(app: Any, pagename: str, templatename: str, context: dict,
                     doctree: Any) -> None:
    """Leave Sphinx's own scripts out of every page."""
    context["script_files"] = [js for js in context.get("script_files", [])
                               if Path(getattr(js, "filename", js)).name not in SPHINX_SCRIPTS]


def remove_gone_pages(app: Any, exception: Exception | None) -> None:
    """The output mirrors the sources: the page of a document that is gone is removed,
    so that no build publishes it again."""
    builder = app.builder
    if exception or builder.name not in ("html", "dirhtml"):
        return
    outdir = Path(builder.outdir)
    wanted = {Path(builder.get_outfilename(name)) for name in app.env.found_docs}
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
