"""The pages to write again because other documents changed: environment collectors.

Some pages are made of other documents' facts: the lists of documents, the
citation index, a resolution's "cited by" and "compare editions" lists, the
proposals side by side. Sphinx writes again the documents it re-read; this
collector says which other pages those changes reach. It takes, as Sphinx purges
each document it will read again (``env-purge-doc``, always in the main process,
before the domain forgets the document), what other pages showed of it, and
compares that with what they show once everything is read (``env-get-updated``).
``Neighbours`` does the same for the links between pages.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from docutils import nodes as dn
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector

from .domain import ItuDomain, Shown
from .html.pages import navigation


class PagesToRewrite(EnvironmentCollector):
    """What other pages showed of each document purged in this build, until they are
    compared with what they show now. Kept for one build only: never pickled."""

    def __init__(self) -> None:
        self.before: dict[str, Shown] = {}  # each purged document's lists and citations
        self.compared_before: dict[str, tuple[str, str] | None] = {}  # its side by side

    def clear_doc(self, app: Any, env: BuildEnvironment, docname: str) -> None:
        domain: ItuDomain = env.get_domain("itu")
        self.before.setdefault(docname, domain.shown(docname))
        self.compared_before.setdefault(docname, domain.comparisons.get(docname))

    def merge_other(self, app: Any, env: BuildEnvironment, docnames: Set[str],
                    other: BuildEnvironment) -> None:
        pass  # documents are purged in the main process before any is read

    def process_doc(self, app: Any, doctree: dn.document) -> None:
        pass  # the facts are the domain's, noted as the document is read

    def get_updated_docs(self, app: Any, env: BuildEnvironment) -> list[str]:
        domain: ItuDomain = env.get_domain("itu")
        before, self.before = self.before, {}
        compared, self.compared_before = self.compared_before, {}
        pages = _side_by_side(domain, before, compared)
        touched: set[tuple[str, str]] = set()  # (body, number) whose citations changed
        for docname, (listing, citations, anchors) in before.items():
            now = domain.shown(docname)
            shown = [x for x in (listing, now.listing) if x]
            resolutions = {(x.assembly, x.number) for x in shown if x.kind == "resolution"}
            if listing != now.listing:
                pages |= domain.listing_pages
                # a comparison, proposal or edition that comes or goes: its resolution's
                # pages ("compare editions", which names a proposal with no text to
                # compare; the history line, which links each edition the site has)
                pages |= domain.of_resolution(("resolution",), {
                    (x.assembly, x.number) for x in shown
                    if x.kind in ("redline", "proposal", "resolution")})
                # a resolution that comes, goes or changes: its proposals (they say what
                # they amend) and their side-by-side page
                pages |= domain.of_resolution(("proposal",), resolutions) | {
                    d for d, key in domain.comparisons.items() if key in resolutions}
            if listing != now.listing or anchors != now.anchors:
                # ... and the pages that cite it (or a clause of it that came or went)
                pages |= {citing for key in resolutions for citing, _entry in
                          domain.citations_of(*key)}
            touched |= {(c.body, c.number) for c in citations ^ now.citations}
        if touched:
            pages |= domain.index_pages | domain.of_resolution(("resolution",), touched)
        return sorted(pages)


def _side_by_side(domain: ItuDomain, before: dict[str, Shown],
                  compared: dict[str, tuple[str, str] | None]) -> set[str]:
    """The comparison of a re-read proposal; the resolution and proposals that link
    to a comparison page that came, went or changed its resolution."""
    resolutions: set[tuple[str, str]] = set()  # (assembly, number)
    for docname, was in compared.items():
        now = domain.comparisons.get(docname)
        if was != now:
            resolutions |= {key for key in (was, now) if key}
    proposed = {(info.assembly, info.number) for info in (
        *(domain.document(d) for d in before), *(shown.listing for shown in before.values()))
        if info and info.kind == "proposal"}
    return domain.of_resolution(("resolution", "proposal"), resolutions) | {
        d for d, key in domain.comparisons.items() if key in proposed}


class Neighbours(EnvironmentCollector):
    """Each page's parent, previous and next page with their titles, and the set of
    documents, compared with the last build's: Sphinx rewrites neither a page whose
    neighbours were added, removed or retitled, nor a page that lists every
    document when one comes or goes, nor every page when a page of the navigation
    comes or goes."""

    def clear_doc(self, app: Any, env: BuildEnvironment, docname: str) -> None:
        pass  # what is kept is the whole site's, taken again after every read

    def merge_other(self, app: Any, env: BuildEnvironment, docnames: set[str],
                    other: BuildEnvironment) -> None:
        pass

    def process_doc(self, app: Any, doctree: Any) -> None:
        pass

    def get_updated_docs(self, app: Any, env: BuildEnvironment) -> list[str]:
        # a page shows its neighbours' titles: a retitled document changes them too
        relations = {name: [(r, env.titles[r].astext() if r in env.titles else "")
                            for r in related]
                     for name, related in env.collect_relations().items()}
        documents = sorted(env.found_docs)
        before = getattr(env, "itu_relations", None)
        if before is None:  # the first build writes everything anyway
            changed: set[str] = set()
        else:
            changed = {name for name, related in relations.items()
                       if before[0].get(name) != related}
            if before[1] != documents:
                changed |= env.get_domain("itu").listing_pages
            if navigation(before[1]) != navigation(documents):  # every page links them
                changed |= env.found_docs
        env.itu_relations = (relations, documents)
        return sorted(changed & env.found_docs)
