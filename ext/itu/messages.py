"""Warnings with stable codes (``itu.<code>``), a location and a hint."""

from __future__ import annotations

import json
import logging as stdlib_logging
import re
from pathlib import Path
from typing import Any

from docutils import nodes as dn
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .data import PATTERN_SECONDS, PatternTimeout

logger = logging.getLogger("itu")

CODES = {
    "meta": "a front matter field is missing or malformed",
    "callword": "a part's call words are of no known kind",
    "mark": "a change mark does not close, marks no text, or is written inside another's "
            "backquotes",
    "edition": "two documents claim the same resolution and edition",
    "stdfn": "a standard footnote does not exist",
    "footnote": "a footnote is referenced without its text, defined twice or never referenced",
    "label": "an item label override is malformed, or an item typed with its label",
    "structure": "a part inside a part, or a directive printed as text",
    "data": "a data file under source/_data is malformed",
    "i18n": "a catalog is not a catalog, or a translation fills in other slots",
    "punctuation": "an item does not end as ITU texts end it (editorial.yaml)",
    "hyphen": "a name ITU prints with a non-breaking hyphen is typed with a hyphen-minus",
    "first-mention": "a standard footnote is not given at the first mention of its words",
    "superseded": "a resolution cites an edition that one older than itself replaced",
    "citation": "a citation resolves to no document, clause or registry entry",
    "compare": "a side-by-side page names a resolution with fewer than two proposals, "
               "or a compare-editions page cannot be made",
    "pdf": "a document cannot be typeset as PDF",
    "policy": "the content policy refused a document (docs/security.md)",
    "policy.front-matter": "a front matter key is not part of the syntax",
    "policy.directive": "a directive is not part of the syntax",
    "policy.option": "a directive option is not part of the syntax",
    "policy.role": "a role is not part of the syntax",
    "policy.class": "a class is not one an editor may write",
    "policy.attribute": "an attribute other than an id or a class, which MyST would drop",
    "policy.link": "a link leads outside the site's documents and web addresses",
    "policy.image": "a picture is not a picture file in the content tree",
    "policy.html": "raw HTML or a substitution",
    "policy.construct": "a construct of MyST that the syntax does not have (a target, a "
                        "block break)",
    "policy.path": "a content file is a symbolic link or a special file",
    "policy.size": "a document is larger or deeper than a build will read",
}


def text_of(code: str, message: str, hint: str) -> str:
    """A message and its hint as every message of the project reads."""
    assert code in CODES, code
    return f"{message}. {hint[:1].upper()}{hint[1:]}" if hint else message


def warn(code: str, message: str, location: Any, hint: str = "") -> None:
    """Emit a warning shown as ``file:line: WARNING: message. hint [itu.code]``."""
    logger.warning(text_of(code, message, hint), location=location, type="itu", subtype=code)


def pattern_stopped(stopped: PatternTimeout, location: Any) -> None:
    """Report a data file's pattern stopped on the text at ``location``, an error: the
    check that used it reads no further in this document."""
    error("data", f"a pattern of {stopped.where} took more than {PATTERN_SECONDS:g} s on "
          "this text and was stopped: it backtracks without end", location,
          "make its repetitions unambiguous (nothing like '(a+)+' or '(a|ab)*c'); until "
          "then the rest of this document is not read with it")


def error(code: str, message: str, location: Any, hint: str = "") -> None:
    """Report ``file:line: ERROR: message. hint [itu.code]``; the caller fails the build."""
    logger.error(text_of(code, message, hint), location=location, type="itu", subtype=code)


# messages of docutils, MyST and Sphinx an editor meets, said again as the project says
# them: (what they say, code, message, hint); {name} is the footnote's label
REISSUED = [
    (re.compile(r'Unknown target name: "(?P<name>[^"]+)"\.?'), "footnote",
     "the footnote [^{name}] has no text",
     "add a line '[^{name}]: its text' after the text, or remove the reference"),
    (re.compile(r"Duplicate footnote definition found for label: '(?P<name>[^']+)'"),
     "footnote", "the footnote [^{name}] is defined twice", "keep one of the two texts"),
    (re.compile(r"Footnote \[(?P<name>[^\]]+)\] is not referenced\.?"), "footnote",
     "the footnote [^{name}] is never referenced",
     "put [^{name}] where the note belongs in the text, or remove its definition"),
]
# messages that only repeat, in docutils' words, one said above (a footnote with no
# text is also an autonumbered reference too many): not said twice
REPEATED = [re.compile(r"Too many autonumbered footnote references: only \d+ "
                       r"corresponding footnotes? available\.?")]
# where those messages come from (a logger's filter sees its own records only)
REISSUING_LOGGERS = ("sphinx.sphinx.util.docutils", "sphinx.sphinx.transforms",
                     "sphinx.myst_parser.warnings_", "sphinx.myst_parser.mdit_to_docutils.base")


class _Reissue(stdlib_logging.Filter):
    """Give the known messages of docutils, MyST and Sphinx a code and a hint; leave out
    those that repeat another."""

    def filter(self, record: stdlib_logging.LogRecord) -> bool:
        if any(repeated.fullmatch(str(record.msg)) for repeated in REPEATED):
            return False
        for said, code, message, hint in REISSUED:
            found = said.fullmatch(str(record.msg))
            if found:
                record.msg = text_of(code, message.format(**found.groupdict()),
                                     hint.format(**found.groupdict()))
                record.args = ()
                record.type, record.subtype = "itu", code
                break
        return True


def reissue_known_messages() -> None:
    """Install the filter once per process."""
    for name in REISSUING_LOGGERS:
        logger_of = stdlib_logging.getLogger(name)
        if not any(isinstance(f, _Reissue) for f in logger_of.filters):
            logger_of.addFilter(_Reissue())


class _ErrorCount(stdlib_logging.Handler):
    """Counts the errors a build reports, its own and those of Sphinx and docutils."""

    def __init__(self) -> None:
        super().__init__(stdlib_logging.ERROR)
        self.count = 0

    def emit(self, record: stdlib_logging.LogRecord) -> None:
        self.count += 1


def fail_on_errors(app: Sphinx) -> None:
    """A build that reported an error fails (exit status 1), with or without -W, so
    that no command publishes what it could not build."""
    errors = _ErrorCount()
    sphinx_logger = stdlib_logging.getLogger(logging.NAMESPACE)

    def listen(*_args: object) -> list[str]:
        """From the start of each build (the first: from the setup, so that its builder's
        own start is heard)."""
        if errors not in sphinx_logger.handlers:
            sphinx_logger.addHandler(errors)
        return []

    def verdict(app: Sphinx, exception: Exception | None) -> None:
        sphinx_logger.removeHandler(errors)  # no application's listener outlives its build
        if errors.count:
            app.statuscode = 1
        errors.count = 0  # a long-lived application builds again

    listen()
    app.connect("env-get-outdated", listen, priority=0)
    app.connect("build-finished", verdict)


class _Said(stdlib_logging.Handler):
    """Notes the documents a build says something of (a warning or an error)."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__(stdlib_logging.WARNING)
        self.app, self.docnames = app, set()

    def emit(self, record: stdlib_logging.LogRecord) -> None:
        env = getattr(self.app, "env", None)
        docname = _docname_of(env, getattr(record, "location", None)) if env else None
        if docname:
            self.docnames.add(docname)


def _docname_of(env: BuildEnvironment, location: Any) -> str | None:
    """The document a message's location is in: a node, (docname, line), a docname or
    "path:line" (a node's location, once a reading process sent its messages on)."""
    if isinstance(location, tuple):
        return location[0]
    if isinstance(location, dn.Node):
        location = logging.get_node_location(location)
    if not isinstance(location, str):
        return None
    if location in env.found_docs:
        return location
    return env.path2doc(re.sub(r":\d*$", "", location))


def say_again(app: Sphinx) -> None:
    """The documents a build said something of are read (and written) again by the next
    build with the same builder, until they say nothing: an incremental build says all
    that a clean one says, not only what the documents it had to read say."""
    said = _Said(app)
    sphinx_logger = stdlib_logging.getLogger(logging.NAMESPACE)

    def record() -> Path:
        return Path(app.doctreedir) / f"itu-said-{app.builder.name}.json"

    def read_again(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                   removed: set[str]) -> list[str]:
        sphinx_logger.addHandler(said)  # listens from reading to the end of this build
        try:
            names = json.loads(record().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return sorted(set(names) & env.found_docs - added - changed) \
            if isinstance(names, list) else []

    def note(app: Sphinx, exception: Exception | None) -> None:
        sphinx_logger.removeHandler(said)  # no application's listener outlives its build
        try:
            record().write_text(json.dumps(sorted(said.docnames)), encoding="utf-8")
        except OSError:
            pass  # a build folder that cannot be written: its own error says so
        said.docnames.clear()  # a long-lived application builds again

    app.connect("env-get-outdated", read_again)
    app.connect("build-finished", note)
