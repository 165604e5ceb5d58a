"""Word in, Word out: .docx files to MyST in the project's syntax, and back.

``import_docx`` reads a .docx (:mod:`reader`) and writes MyST (:mod:`myst`);
``export_docx`` reads MyST and writes a .docx (:mod:`writer`). Both use the
style table of :mod:`styles`. Nothing here needs Sphinx.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .facts import load_facts
from .model import Document, WordError
from .myst import parse_myst, render_myst
from .reader import read_docx

__all__ = ["WordError", "docx_to_myst", "document_path", "export_docx", "export_target",
           "import_docx", "import_translation_docx"]


@dataclass
class Imported:
    path: Path  # where the MyST (or a translation's catalog) was written
    remarks: list[str] = field(default_factory=list)
    passages: int = 0  # a translation: how many passages it translated


def docx_to_myst(docx: Path, source: Path) -> tuple[Document, str, list[str]]:
    """Read a .docx: the model, its MyST text and the importer's remarks."""
    document, remarks = read_docx(docx, load_facts(source))
    check_front_matter(document, str(docx))
    text = render_myst(document)
    parse_myst(text, str(docx))  # what we write must read back in the syntax
    check_policy(text, str(docx))
    return document, text, remarks


def check_policy(text: str, where: str) -> None:
    """What an import writes is content like any other: the content policy accepts it."""
    from ..policy import violations

    found = violations(text)
    if found:
        first = found[0]
        raise WordError("policy", f"the imported text breaks the content policy at its line "
                        f"{first.line}: {first.message}", where,
                        "report this document: the importer wrote what content may not hold")


def check_front_matter(document: Document, where: str) -> None:
    """The front matter passes the build's own validation."""
    from ..metadata import MetaError, read_meta

    raw = {key: json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict))
           else str(value) for key, value in document.meta.items()}
    try:
        read_meta(raw)
    except MetaError as err:
        raise WordError("meta", f"the heading block gives a bad '{err.key}': {err}", where,
                        err.hint) from None


def target_path(document: Document, source: Path) -> Path:
    """Where a document belongs: resolutions/<n>.md, proposals/<n>-<source>.md or
    documents/<number, / as ->.md."""
    meta = document.meta
    if meta["kind"] == "document":
        name = re.sub(r"[^\w.-]+", "-", str(meta["number"]))
        return source / "documents" / f"{name}.md"
    if meta["kind"] == "resolution":
        return source / "resolutions" / f"{meta['number']}.md"
    proposal = meta.get("proposal", {})
    who = re.sub(r"[^\w-]+", "-", str(proposal.get("source") or proposal.get("action", "mod")))
    return source / "proposals" / f"{meta['number']}-{who.lower().strip('-')}.md"


def import_docx(files: list[Path], source: Path, force: bool = False,
                proposer: str = "") -> list[Imported]:
    """Import .docx files into the content tree. Every file is read and checked
    before anything is written; nothing is overwritten unless ``force``."""
    ready: list[tuple[Path, str, list[str]]] = []
    for docx in files:
        document, text, remarks = docx_to_myst(docx, source)
        if proposer and document.meta["kind"] == "proposal":
            document.meta["proposal"]["source"] = proposer
            text = render_myst(document)
        target = target_path(document, source)
        if (target.exists() and not force) or any(target == t for t, _, _ in ready):
            raise WordError("exists", f"{target} exists already", str(docx),
                            "pass --force to replace it" if target.exists() else
                            "two files give the same document: import them one at a time")
        ready.append((target, text, [f"{docx}: {r}" for r in remarks]))
    for target, text, _ in ready:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
    return [Imported(target, remarks) for target, _, remarks in ready]


def document_path(name: str, source: Path) -> Path:
    """A document named by docname (``resolutions/74``) or by path."""
    for candidate in (Path(name), source / name, source / f"{name}.md"):
        if candidate.is_file():
            return candidate
    raise WordError("file", f"no document {name!r}", str(source),
                    "name it by docname (resolutions/74) or by its path")


def _docname(path: Path, source: Path) -> str:
    inside = path.resolve().is_relative_to(source.resolve())
    return str(path.resolve().relative_to(source.resolve()).with_suffix("")) if inside \
        else path.stem


def export_target(path: Path, source: Path, out: Path, lang: str = "") -> Path:
    """Where ``export`` writes a document by default: ``<out>/docx/<docname>.docx``,
    a translation ``<out>/docx/<lang>/<docname>.docx``."""
    return out / "docx" / (lang if lang and lang != "en" else "") / f"{_docname(path, source)}.docx"


def import_translation_docx(docx: Path, source: Path, of: str, lang: str) -> Imported:
    """Import an official translation of ``of`` (a number: a resolution; or a docname)
    into that document's catalog for ``lang``."""
    from .translation import import_translation

    english = document_path(f"resolutions/{of}" if of.isdigit() else of, source)
    docname = _docname(english, source)
    po_path, count, remarks = import_translation(docx, english, docname, source, lang,
                                                 load_facts(source))
    return Imported(po_path, [f"{docx}: {r}" for r in remarks], count)


def git_signature(path: Path) -> tuple[str, str]:
    """The author and date of the last commit that touched a file, if git knows it."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%an%n%aI", "--", path.name],
                             cwd=path.parent, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "", ""
    lines = out.stdout.splitlines()
    return (lines[0], lines[1]) if out.returncode == 0 and len(lines) == 2 else ("", "")


def _iso(date: str) -> str:
    """A date as revisions carry it: UTC, to the second, with a Z."""
    moment = datetime.fromisoformat(date.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def export_docx(path: Path, source: Path, target: Path, author: str = "",
                date: str = "", lang: str = "") -> Path:
    """Write the .docx of one MyST document, in English or translated with the catalog
    of ``lang``; revisions signed by ``author`` and ``date`` (default: the file's
    last commit)."""
    from .heading import ENGLISH
    from .writer import Writer

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise WordError("file", f"cannot read {path}: {err.strerror}", str(path)) from None
    document = parse_myst(text, str(path), renumber_notes=not lang)
    facts, language = load_facts(source), ENGLISH
    if lang and lang != "en":
        from .translation import load_language, translate_document

        language = load_language(source, lang)
        docname = _docname(path, source)
        translate_document(document, source / "locales" / lang / "LC_MESSAGES" /
                           f"{docname}.po", language, facts)
    git_author, git_date = git_signature(path)
    author = author or git_author or "ITU"
    try:
        date = _iso(date or git_date or datetime.now(UTC).isoformat())
    except ValueError:
        raise WordError("date", f"{date!r} is not a date", hint="write e.g. 2026-12-01") \
            from None
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    try:
        Writer(facts, author, date, language).write(document, partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
