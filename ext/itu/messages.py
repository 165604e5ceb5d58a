"""Warnings with stable codes (``itu.<code>``), a location and a hint."""

from __future__ import annotations

import logging as stdlib_logging
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger("itu")

CODES = {
    "meta": "a front matter field is missing or malformed",
    "callword": "a part's call words are of no known kind",
    "mark": "a change mark does not close",
    "edition": "two documents claim the same resolution and edition",
    "stdfn": "a standard footnote does not exist",
    "label": "an item label override is malformed, or an item typed with its label",
    "structure": "a part inside a part, or a directive printed as text",
    "data": "a data file under source/_data is malformed",
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
    "policy.link": "a link leads outside the site's documents and web addresses",
    "policy.image": "a picture is not a picture file in the content tree",
    "policy.html": "raw HTML or a substitution",
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


def error(code: str, message: str, location: Any, hint: str = "") -> None:
    """Report ``file:line: ERROR: message. hint [itu.code]``; the caller fails the build."""
    logger.error(text_of(code, message, hint), location=location, type="itu", subtype=code)


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
    stdlib_logging.getLogger(logging.NAMESPACE).addHandler(errors)

    def verdict(app: Sphinx, exception: Exception | None) -> None:
        if errors.count:
            app.statuscode = 1
        errors.count = 0  # a long-lived application builds again

    app.connect("build-finished", verdict)
