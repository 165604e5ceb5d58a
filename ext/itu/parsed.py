"""Parses the languages share: every language's build reads the same English sources,
so a document's parse is kept (``itu_parse_cache``, a folder the languages' builds
have in common) and the next build of any language that reads the same text takes
it instead of parsing it again.

A parse is kept only when nothing of it depends on more than the document's text
and the build's settings: it said nothing (no warning or error to say again), the
content policy refused nothing, it names no other file (no link to a document, no
table of contents, whose entries follow the documents there are), and nothing in it
depends on the language (the ``{res}`` role reads editions with the language's
patterns), nor on the other files (the translation status lists the catalogs).
What a parse does besides making the tree (the settings MyST gives the document,
the dependencies it notes, the document's metadata, what it tells the ``itu``
domain) is kept with it and done again when the parse is taken.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging as stdlib_logging
import os
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docutils import nodes as dn
from sphinx import addnodes
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .fingerprint import code_digest, settings_text

NOTED = "itu_noted"  # temp_data: what the parse told the domain (name, arguments)
logger = logging.getLogger(__name__)
UNKEPT = "itu_parse_not_kept"  # temp_data: the parse depends on more than the text
# what Sphinx and docutils hold of a document besides what the parse made
NOT_KEPT = frozenset({"settings", "reporter", "transformer"})
# nodes that make a parse depend on other files than the document's own
ELSEWHERE = (addnodes.toctree, addnodes.pending_xref, addnodes.download_reference)


def not_to_keep(env: BuildEnvironment) -> None:
    """The parse going on depends on more than its text (the language, other files)."""
    env.temp_data[UNKEPT] = True


def noted(method: Any) -> Any:
    """A domain method a parse calls: while a parse is watched, the call is noted, to
    be made again when the parse is taken."""
    def note(self: Any, *args: Any) -> Any:
        calls = self.env.temp_data.get(NOTED)
        if calls is not None:
            calls.append((method.__name__, args))
        return method(self, *args)

    note.__name__, note.__doc__ = method.__name__, method.__doc__
    return note


def _key(env: BuildEnvironment, text: str) -> str:
    """What a parse is made of: the text, the document's name, the parser's settings,
    the data files (call words, footnotes) and the extension's code."""
    settings = {"myst": dataclasses.asdict(env.myst_config),
                "generated": env.config.itu_generated_docs,
                "compare": env.config.itu_compare_editions,
                "data": getattr(env, "itu_data_digest", None)}
    digest = hashlib.sha256(code_digest().encode())
    digest.update(settings_text(settings).encode())
    digest.update(f"{env.docname}\0{text}".encode())
    return digest.hexdigest()


def _path(env: BuildEnvironment) -> Path | None:
    folder = env.config.itu_parse_cache
    return Path(folder) / f"{env.docname}.pickle" if folder else None


class _Pickler(pickle.Pickler):
    """Pickles what a parse made of a document: the document itself is named, not
    kept (the build's settings and environment hang from it), and so is any of it
    that belongs to the build."""

    def __init__(self, file: Any, document: dn.document) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.document = document

    def persistent_id(self, obj: Any) -> str | None:
        if obj is self.document:
            return "document"
        if isinstance(obj, BuildEnvironment) or any(
                obj is getattr(self.document, name) for name in NOT_KEPT):
            raise pickle.PicklingError("a parse holds its build")
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: Any, document: dn.document) -> None:
        super().__init__(file)
        self.document = document

    def persistent_load(self, pid: Any) -> dn.document:
        if pid != "document":
            raise pickle.UnpicklingError(f"unknown reference {pid!r}")
        return self.document


def take(env: BuildEnvironment, text: str, document: dn.document) -> bool:
    """Fill ``document`` with the kept parse of ``text``, if there is one; whether it
    was taken."""
    path = _path(env)
    if path is None or not path.is_file():
        return False
    try:
        with path.open("rb") as kept:
            if pickle.load(kept) != _key(env, text):
                return False
            state = _Unpickler(kept, document).load()
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError,
            AttributeError, ImportError):
        return False
    document.__dict__.update(state["document"])
    for name, value in state["settings"].items():
        setattr(document.settings, name, value)
    for dependency in state["dependencies"]:
        env.note_dependency(dependency)
    env.metadata[env.docname].update(state["metadata"])
    domain = env.get_domain("itu")
    for name, args in state["noted"]:
        getattr(domain, name)(*args)
    logger.debug("[itu] %s: the parse kept in %s", env.docname, path)
    return True


class _Said(stdlib_logging.Handler):
    """Whether anything was said (a warning or an error)."""

    def __init__(self) -> None:
        super().__init__(stdlib_logging.WARNING)
        self.said = False

    def emit(self, record: stdlib_logging.LogRecord) -> None:
        self.said = True


@contextlib.contextmanager
def watched(env: BuildEnvironment, text: str, document: dn.document) -> Iterator[None]:
    """Watch a parse; keep it afterwards if it depends on nothing but the text."""
    path = _path(env)
    if path is None:
        yield
        return
    said = _Said()
    sphinx_logger = stdlib_logging.getLogger(logging.NAMESPACE)
    before = set(env.dependencies.get(env.docname, ()))
    settings = dict(vars(document.settings))
    env.temp_data[NOTED] = []
    sphinx_logger.addHandler(said)
    try:
        yield
    finally:
        sphinx_logger.removeHandler(said)
        calls = env.temp_data.pop(NOTED)
    if said.said or env.temp_data.pop(UNKEPT, False) or \
            env.docname in env.reread_always or \
            next(document.findall(lambda n: isinstance(n, ELSEWHERE)), None) is not None:
        return
    state = {"document": {k: v for k, v in document.__dict__.items() if k not in NOT_KEPT},
             "settings": {name: value for name, value in vars(document.settings).items()
                          if name not in settings or settings[name] is not value},
             "noted": calls, "metadata": dict(env.metadata.get(env.docname, {})),
             "dependencies": sorted(set(env.dependencies.get(env.docname, ())) - before)}
    part = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as part:
            pickle.dump(_key(env, text), part, pickle.HIGHEST_PROTOCOL)
            _Pickler(part, document).dump(state)
        os.replace(part.name, path)  # whole or not at all: languages build side by side
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        if part is not None:
            with contextlib.suppress(OSError):
                os.unlink(part.name)
