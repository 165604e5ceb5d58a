"""Pages that show which documents exist, rewritten when that changes.

Sphinx rewrites the documents it read again, and those the domain names
(``domain.pages_to_rewrite``); it does not rewrite a page whose previous and next
links changed because a document was added, removed or retitled beside it, nor
a page that lists every document. This collector compares both with the last build.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector


class RelationsCollector(EnvironmentCollector):
    """Each page's parent, previous and next page, and the set of documents."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        pass  # what is kept is the whole site's, taken again after every read

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: set[str],
                    other: BuildEnvironment) -> None:
        pass

    def process_doc(self, app: Sphinx, doctree: Any) -> None:
        pass

    def get_updated_docs(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
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
                changed |= env.get_domain("itu").data["listing_pages"]
        env.itu_relations = (relations, documents)
        return sorted(changed & env.found_docs)
