"""'Compare editions': a redline page for each resolution and each text that amends it.

The pages are generated into ``<source>/compare/`` before Sphinx looks for
documents (like autosummary's stubs) and rewritten only when their text
changes, so an unchanged site rebuilds none of them.
"""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.application import Sphinx

from . import redline
from .data import load_site_data
from .marks import accept, reject
from .messages import warn
from .metadata import MetaError, fields_of, read_meta
from .policy import read_content, violations

FOLDER = "compare"


def written_here(path: Path) -> bool:
    """Whether a file in the folder is one of the generated pages: only they say what
    they compare (``redline:``, a key no editor may write)."""
    try:
        head = path.read_text(encoding="utf-8")[:4000]
    except (OSError, UnicodeDecodeError):
        return False
    return head.startswith("---\n") and "\nredline: " in head.partition("\n---\n")[0]


def _fronts(srcdir: Path) -> list[tuple[dict, Path]]:
    """The front matter of every resolution and proposal, with its file; a document
    whose front matter is wrong has no comparison (its own build reports it)."""
    found = []
    for path in sorted([*srcdir.glob("resolutions/*.md"), *srcdir.glob("proposals/*.md")]):
        try:
            front, _body = redline.front_matter(read_content(path, srcdir))
            read_meta(fields_of(front))
        except (OSError, redline.SourceError, MetaError):
            continue  # the document's own build reports it (a link: the content policy)
        if front.get("kind") in ("resolution", "proposal"):
            found.append((front, path))
    return found


def _resolution(front: dict) -> tuple[str, str]:
    return str(front.get("assembly", "WTSA")), str(front.get("number", ""))


def _year(front: dict) -> str:
    return str(front.get("edition", ""))[-4:]


def pairs(srcdir: Path) -> list[tuple[Path, Path, str, str]]:
    """(older, newer, label, page): each proposal against the edition it amends, and
    each edition of a resolution against the one before."""
    found = _fronts(srcdir)
    editions: dict[tuple[str, str], list[tuple[dict, Path]]] = {}  # oldest first
    for front, path in sorted(((f, p) for f, p in found if f["kind"] == "resolution"),
                              key=lambda fp: (_resolution(fp[0]), _year(fp[0]))):
        editions.setdefault(_resolution(front), []).append((front, path))
    result = []
    for same in editions.values():
        for front, path in same:
            older = [(f, p) for f, p in same if _year(f) < _year(front)]
            if older:
                before, older_path = older[-1]
                result.append((older_path, path, f"Resolution {front['number']}: the "
                               f"editions {before.get('edition')} and "
                               f"{front.get('edition')}", f"edition-{path.stem}"))
    for front, path in found:
        if front["kind"] != "proposal":
            continue
        edition = str(front.get("edition", ""))
        base = next((p for f, p in editions.get(_resolution(front), [])
                     if str(f.get("edition", "")) == reject(edition)), None)
        if base is not None:
            proposal = front.get("proposal") or {}
            # named for readers: by who submitted it (its file, where the front matter
            # does not say)
            by = f"of {proposal['source']}" if proposal.get("source") else path.stem
            result.append((base, path, f"Resolution {front['number']} ({reject(edition)}) "
                           f"and the {proposal.get('action', '')} proposal {by} "
                           f"({accept(edition)})", path.stem))
    return result


def comparison(older: Path, newer: Path, label: str, kinds: dict[str, str],
               srcdir: Path) -> redline.Redline | None:
    """The redline of two editions (a proposal: with its own changes accepted), or None
    for a proposal that only names its action and has no text to compare, and where the
    content policy refuses either text (its own page says why; the comparison would
    only say it again, at a page the editor did not write)."""
    text, base = read_content(newer, srcdir), read_content(older, srcdir)
    front, blocks = redline.parse(text)
    if not any(b.name == "part" for b in blocks) or any(
            violations(content, folder=path.parent.relative_to(srcdir).as_posix())
            for content, path in ((text, newer), (base, older))):
        return None
    if front.get("kind") == "proposal":
        text = redline.accept_document(text)
    return redline.compare(base, text, label, kinds)


def write_pages(app: Sphinx) -> None:
    """Write (or refresh) the comparison pages of the source tree; remove stale ones.

    They are pages of the HTML site: translation catalogs get none (the pages are
    removed for the gettext builder), and the PDF builder, which reads the HTML
    build's doctrees, finds them as the HTML build left them. Several languages
    build at once from one source tree, so every write replaces a file whole.
    """
    if app.builder.format != "html" and app.builder.name != "gettext":
        return
    srcdir = Path(app.srcdir)
    kinds = load_site_data(srcdir).call_words
    folder = srcdir / FOLDER
    wanted: dict[Path, str] = {}
    enabled = app.config.itu_compare_editions and app.builder.format == "html"
    for older, newer, label, page in pairs(srcdir) if enabled else ():
        try:
            result = comparison(older, newer, label, kinds, srcdir)
        except redline.SourceError as err:
            warn("compare", f"no comparison with {older.name} can be made: {err}",
                 newer.relative_to(srcdir).with_suffix("").as_posix(),
                 "simplify the document where the message says")
            continue
        if result and (result.clauses or result.metadata):
            wanted[folder / f"{page}.md"] = result.text
    for found in folder.glob("*.md") if folder.is_dir() else ():
        if not written_here(found):
            warn("compare", f"{FOLDER}/{found.name} is not a page the build wrote, and the "
                 f"build writes {FOLDER}/", f"{found}:1", f"move the file out of {FOLDER}/: "
                 "it is left alone, and no comparison replaces it")
            wanted.pop(found, None)
        elif found not in wanted:
            found.unlink(missing_ok=True)
    for path, text in wanted.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(exist_ok=True)
            fresh = path.with_name(f".{path.name}.{os.getpid()}")
            fresh.write_text(text, encoding="utf-8")
            fresh.replace(path)
