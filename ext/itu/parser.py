"""The parser of every content file: MyST, read under the content policy.

Per-file MyST configuration (a ``myst:`` front matter key) is never read, and
a document that breaks the policy (``itu.policy``) is not rendered at all:
none of its directives run, none of its links or pictures are followed. The
build reports each breach as an error with file, line and code, and so fails
(``messages.fail_on_errors``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import posixpath
from pathlib import Path

from docutils import nodes as dn
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from . import editions, parsed, policy
from .data import load_site_data, site_data
from .messages import error

REFUSED = "itu-refused"  # document metadata: the policy refused the document


class ContentParser(MystParser):
    """MyST with the site's configuration only, checked against the content policy."""

    def parse(self, inputstring: str, document: dn.document) -> None:
        env: BuildEnvironment = document.settings.env
        if env.config.itu_compare_editions and env.docname.startswith(f"{editions.FOLDER}/"):
            # a comparison page holds the text of the site's documents, whose own reading
            # reports each of its mistakes at the line the editor wrote: not again here
            document.reporter.report_level = document.reporter.SEVERE_LEVEL
        # a translation Sphinx parses on its own is not a document's parse, kept or taken
        translation = document.get("source", "").endswith(":<translated>")
        if translation or not parsed.take(env, inputstring, document):
            with contextlib.nullcontext() if translation else \
                    parsed.watched(env, inputstring, document):
                self._parse(env, inputstring, document, translation)
        for path in site_data(env).files:  # a data file changed: read the document again
            env.note_dependency(str(path))

    def _parse(self, env: BuildEnvironment, inputstring: str, document: dn.document,
               translation: bool) -> None:
        config = dataclasses.replace(env.myst_config, **policy.myst_config_fields())
        markdown = create_md_parser(config, SphinxRenderer)
        markdown.options["document"] = document
        md_env: dict = {}
        # too large a document is refused before it is parsed (policy.MAX_CHARACTERS)
        tokens = markdown.parse(inputstring, md_env) \
            if len(inputstring) <= policy.MAX_CHARACTERS else []
        found = policy.violations(
            inputstring, policy.is_generated(env.docname, env.config.itu_generated_docs),
            posixpath.dirname(env.docname), tokens)
        # a translation: the catalog's check names the catalog's line
        # (i18n.check_catalogs); here it is only refused
        if not translation:
            for breach in found:
                error(breach.code, breach.message, (env.docname, breach.line), breach.hint)
            if found:
                env.metadata[env.docname][REFUSED] = len(found)
        if found:  # an empty document: nothing of it runs or is followed
            tokens = []
        markdown.renderer.render(tokens, markdown.options, md_env)


def refuse_unsafe_entries(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Symbolic links, special files and documents that are not text are reported by
    every build (a long-lived preview's too), so that a build fails while one is
    there; such a document is not one of the build's documents."""
    for path, problem, hint in policy.unsafe_entries(app.srcdir):
        error("policy.path", f"{app.srcdir / path} {problem}", None, hint)
        if path.endswith(".md"):
            env.found_docs.discard(path[:-3])
            if path[:-3] in docnames:
                docnames.remove(path[:-3])


def check_data(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """What is wrong with the data files is reported by every build, at its line."""
    data = load_site_data(Path(env.srcdir))  # as the data files are now
    env.itu_data_digest = data.digest  # what site_data gives for the rest of the build
    for problem in data.problems:
        error(problem.code, problem.message, problem.location, problem.hint)
    language = app.config.language or "en"
    if language not in data.citations:
        error("data", f"the site has no citation patterns for {language!r}",
              data.path(f"citations/{language}.yaml") + ":1",
              "add the file, with the keys of citations/en.yaml")


def forget_linked_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """A document reached through a symbolic link is read as empty: nothing of the file
    it leads to reaches a page."""
    if policy.linked(app.env.doc2path(docname), app.srcdir):
        source[0] = ""


def reread_refused(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                   removed: set[str]) -> list[str]:
    """Refused documents are read again by every build, so that each build says why."""
    return [name for name, meta in env.metadata.items()
            if meta.get(REFUSED) and name in env.found_docs]
