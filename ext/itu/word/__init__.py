"""Word in, Word out: .docx files to MyST in the project's syntax, and back.

``import_docx`` reads a .docx (:mod:`reader`) and writes MyST (:mod:`myst`);
``export_docx`` reads MyST and writes a .docx (:mod:`writer`). Both use the
style table of :mod:`styles`. Nothing here needs Sphinx.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .facts import load_facts
from .model import Document, WordError
from .myst import parse_myst, render_myst
from .reader import read_docx

__all__ = ["WordError", "import_docx", "export_docx", "target_path", "docx_to_myst"]


@dataclass
class Imported:
    path: Path  # where the MyST was written
    remarks: list[str] = field(default_factory=list)


def docx_to_myst(docx: Path, source: Path) -> tuple[Document, str, list[str]]:
    """Read a .docx: the model, its MyST text and the importer's remarks."""
    document, remarks = read_docx(docx, load_facts(source))
    text = render_myst(document)
    parse_myst(text, str(docx))  # what we write must read back in the syntax
    return document, text, remarks


def target_path(document: Document, source: Path) -> Path:
    """Where a document belongs: resolutions/<n>.md or proposals/<n>-<source>.md."""
    meta = document.meta
    if meta["kind"] == "resolution":
        return source / "resolutions" / f"{meta['number']}.md"
    proposal = meta.get("proposal", {})
    who = str(proposal.get("source") or proposal.get("action", "mod")).lower()
    return source / "proposals" / f"{meta['number']}-{who}.md"


def import_docx(docx: Path, source: Path, force: bool = False,
                proposer: str = "") -> Imported:
    """Import a .docx into the content tree; never overwrite unless ``force``."""
    document, text, remarks = docx_to_myst(docx, source)
    if proposer and document.meta["kind"] == "proposal":
        document.meta["proposal"]["source"] = proposer
        text = render_myst(document)
    target = target_path(document, source)
    if target.exists() and not force:
        raise WordError("exists", f"{target} exists already", str(docx),
                        "pass --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".md.part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)
    return Imported(target, [f"{docx}: {r}" for r in remarks])


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
                date: str = "") -> Path:
    """Write the .docx of one MyST document; revisions signed by ``author`` and
    ``date`` (default: the file's last commit)."""
    from .writer import Writer

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise WordError("file", f"cannot read {path}: {err.strerror}", str(path)) from None
    document = parse_myst(text, str(path))
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
        Writer(load_facts(source), author, date).write(document, partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
