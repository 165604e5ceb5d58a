"""An official translation in Word, read into the document's gettext catalog.

The translation is aligned with the English document by structure: the title,
then part by part the call words and every paragraph (introductions, items,
sub-items) in order, then the footnotes in order of reference. The heading
block's designation, history line and formula are left out: the site words
(``sphinx.po``) translate their forms. Every passage paired becomes the
translation of the English passage, not fuzzy; the catalog is marked official
(``Language-Team: ITU (official translation)``), which lifts the "unofficial
working translation" notice from that language's pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..text import SAFE_LOADER
from . import reader
from .facts import Facts
from .heading import Language
from .model import (
    Block,
    Directive,
    Document,
    Heading,
    Inline,
    ListBlock,
    Mark,
    Note,
    Para,
    Part,
    Role,
    WordError,
    plain,
)
from .myst import parse_inlines, parse_myst, render_inlines

OFFICIAL_TEAM = "ITU (official translation)"  # the catalog header that says "official"
KINDS = {"title": "the title", "call": "call words", "text": "a paragraph",
         "abstract": "an abstract paragraph", "note": "a note", "heading": "a heading",
         "annex-title": "an annex title"}


@dataclass
class Unit:
    """A passage to translate: its kind, its English message and where it is."""

    kind: str
    msgid: str
    where: str
    inlines: list[Inline]


class _EnglishPassages:
    """Collects the passages of the English document in reading order, each named
    by its place (its part, its kind and its number there)."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.units: list[Unit] = []
        self.part_name = ""

    def add(self, kind: str, inlines: list[Inline], standard: bool = False) -> None:
        """A passage; a standard one (known call words) has no message of its own."""
        number = len([u for u in self.units if u.where.startswith(self.part_name)]) + 1
        where = f"{KINDS[kind]} {number}"
        self.units.append(Unit(kind, "" if standard else render_inlines(inlines),
                               f"{self.part_name}{where}" if self.part_name else where,
                               inlines))

    def walk(self, blocks: list[Block], container: str) -> None:
        """The passages of ``blocks``; their paragraphs are of the kind ``container``."""
        for block in blocks:
            visit = self.VISITORS.get(type(block))
            if visit is not None:
                visit(self, block, container)

    def heading(self, block: Heading, container: str) -> None:
        """The title (the first-level heading) or a heading."""
        self.add("title" if block.level == 1 else "heading", block.inlines)

    def para(self, block: Para, container: str) -> None:
        """A paragraph, of the kind of its container (text, abstract or note)."""
        self.add(container, block.inlines)

    def list_block(self, block: ListBlock, container: str) -> None:
        """Each item's passages in turn."""
        for item in block.items:
            self.walk(item, container)

    def part(self, block: Part, container: str) -> None:
        """The call words (a passage unless standard and unmarked), then the part."""
        words = plain(block.words)
        self.part_name = f"part '{words}', "
        standard = all(not isinstance(n, Mark) for n in block.words) \
            and words.lower() in self.facts.call_words
        self.add("call", block.words, standard)
        self.walk(block.blocks, "text")
        self.part_name = ""

    def directive(self, block: Directive, container: str) -> None:
        """An annex: its title, then its text; an abstract or a note: its paragraphs."""
        if block.name != "annex":
            self.walk(block.blocks, block.name)
            return
        if block.argument:
            self.add("annex-title", block.argument)
        self.walk(block.blocks, "text")

    VISITORS: dict[type, Callable[[_EnglishPassages, Any, str], None]] = {
        Heading: heading,
        Para: para,
        ListBlock: list_block,
        Part: part,
        Directive: directive,
    }


def english_units(document: Document, facts: Facts) -> list[Unit]:
    """The passages of the English document in reading order."""
    passages = _EnglishPassages(facts)
    passages.walk(document.blocks, "text")
    return passages.units


def note_references(units: list[Unit]) -> list[Inline]:
    """The footnote references (MyST footnotes and standard ones) in reading order."""
    found: list[Inline] = []

    def visit(inlines: list[Inline]) -> None:
        for node in inlines:
            if isinstance(node, Note) or (isinstance(node, Role) and node.name == "stdfn"):
                found.append(node)
            elif isinstance(node, Mark):
                visit(node.children)

    for unit in units:
        visit(unit.inlines)
    return found


ROLES = {"title": "title", "call": "call", "text": "text", "level2": "text", "level3": "text",
         "level4": "text", "abstract": "abstract", "note": "note", "heading2": "heading",
         "heading3": "heading", "heading4": "heading", "annex-title": "annex-title"}


def translated_passages(docx: Path, english: Document, facts: Facts) -> dict[str, str]:
    """English message -> translation, aligned by structure."""
    package = reader.open_package(docx)
    runs = reader.Runs()
    theirs = _translated_paragraphs(docx, reader.paragraphs(package, runs))
    units = english_units(english, facts)
    _check_alignment(docx, units, theirs)
    markup = _paired_notes(docx, units, theirs)
    passages: dict[str, str] = {}
    for unit, paragraph in zip(units, theirs, strict=False):
        if unit.msgid:
            passages[unit.msgid] = _translated_text(paragraph, markup)
    for their_id, node in markup.items():
        if isinstance(node, Note):
            passages[_note_text(english, node)] = _translated_note(package, runs, their_id)
    return passages


def _translated_paragraphs(docx: Path, found: list[reader.Paragraph | reader.Grid]
                           ) -> list[reader.Paragraph]:
    """The translation's paragraphs that pair with English passages; a table or a
    style that is not an ITU one raises a WordError."""
    if any(isinstance(p, reader.Grid) for p in found):
        raise WordError("table", "the import of translations with tables is not done yet",
                        str(docx))
    paragraphs = [p for p in found if any(s.text.strip() or s.note for s in p.segs)]
    unknown = [p for p in paragraphs if not p.role]
    if unknown:
        raise WordError("style", f"the paragraph style {unknown[0].style!r} is not an ITU "
                        "style", f"{docx}, {unknown[0].where()}", "see docs/word.md")
    return [p for p in paragraphs if p.role in ROLES]


def _check_alignment(docx: Path, units: list[Unit], theirs: list[reader.Paragraph]) -> None:
    """Raise a WordError where the translation's paragraphs do not follow the English
    passages one for one, kind for kind."""
    for n, unit in enumerate(units):
        if n >= len(theirs):
            raise WordError("align", f"the translation ends where the English has {unit.where}",
                            str(docx), "translate every paragraph, or check the styles")
        kind = ROLES[theirs[n].role]
        if kind != unit.kind:
            raise WordError("align", f"{KINDS[kind]} where the English has {unit.where}",
                            f"{docx}, {theirs[n].where()}",
                            "the translation must follow the English paragraph by paragraph")
    if len(theirs) > len(units):
        raise WordError("align", "the translation has more paragraphs than the English",
                        f"{docx}, {theirs[len(units)].where()}")


def _paired_notes(docx: Path, units: list[Unit], theirs: list[reader.Paragraph]
                  ) -> dict[str, Inline]:
    """The translation's footnote ids -> the English footnote references, in order."""
    english_notes = note_references(units)
    their_notes = [s.note for p in theirs for s in p.segs if s.note]
    if len(their_notes) != len(english_notes):
        raise WordError("align", f"the translation has {len(their_notes)} footnotes, the "
                        f"English {len(english_notes)}", str(docx))
    return dict(zip(their_notes, english_notes, strict=True))


def _translated_text(paragraph: reader.Paragraph, markup: dict[str, Inline]) -> str:
    """A translated paragraph as inline MyST, without its typed label (call words keep
    none and lose their italics)."""
    segs = paragraph.segs
    if paragraph.role != "call":
        label, rest = reader.split_label(segs)
        segs = rest if label is not None else segs
    return render_inlines(reader.inlines(segs, markup, drop_formats=paragraph.role == "call"))


def _note_text(english: Document, note: Note) -> str:
    """The English footnote's message: its paragraphs' inlines as MyST."""
    return render_inlines([i for b in english.notes.get(note.label, [])
                           if isinstance(b, Para) for i in b.inlines])


def _translated_note(package: reader.Package, runs: reader.Runs, their_id: str) -> str:
    """The text of the translation's footnote ``their_id`` as inline MyST."""
    texts = [runs.read(p) for p in package.footnotes.get(their_id, [])
             if reader.local(p) == "p"]
    return " ".join(render_inlines(reader.inlines(t, {})) for t in texts).strip()


def write_catalog(po_path: Path, passages: dict[str, str], lang: str) -> list[str]:
    """Put the translations into the catalog (created if need be), not fuzzy, and mark
    it official. Messages the catalog lacked are added and reported."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    remarks = []
    if po_path.exists():
        with po_path.open("rb") as po:
            catalog = read_po(po, locale=lang)
    else:
        catalog = Catalog(locale=lang)
    for msgid, msgstr in passages.items():
        message = catalog.get(msgid)
        if message is None:
            remarks.append(f"not in the catalog yet, added: {msgid[:60]!r}")
            catalog.add(msgid, msgstr)
        else:
            message.string = msgstr
            message.flags.discard("fuzzy")
    catalog.last_translator = catalog.language_team = OFFICIAL_TEAM
    po_path.parent.mkdir(parents=True, exist_ok=True)
    partial = po_path.with_name(po_path.name + ".part")
    with partial.open("wb") as po:
        write_po(po, catalog, width=76)
    partial.replace(po_path)
    return remarks


def import_translation(docx: Path, english_path: Path, docname: str, source: Path,
                       lang: str, facts: Facts) -> tuple[Path, int, list[str]]:
    """Import an official translation: the catalog written, how many passages, remarks."""
    if not (source / "locales" / lang).is_dir() and lang != "en":
        raise WordError("lang", f"the site has no language {lang!r}", str(source / "locales"),
                        f"start it with: python3 build.py i18n --add {lang}")
    english = parse_myst(english_path.read_text(encoding="utf-8"), str(english_path),
                         renumber_notes=False)
    passages = translated_passages(docx, english, facts)
    po_path = source / "locales" / lang / "LC_MESSAGES" / f"{docname}.po"
    remarks = write_catalog(po_path, passages, lang)
    return po_path, len(passages), remarks


# exporting a translation ------------------------------------------------------


def read_catalog(po_path: Path) -> dict[str, str]:
    """A catalog's current translations (not the fuzzy ones); none if it is missing."""
    from babel.messages.pofile import read_po

    if not po_path.exists():
        return {}
    with po_path.open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id and m.string and not m.fuzzy}


def load_language(source: Path, lang: str) -> Language:
    """A site language's site words, place names and label letters."""
    locale = source / "locales" / lang / "LC_MESSAGES"
    if not locale.is_dir():
        raise WordError("lang", f"the site has no language {lang!r}", str(source / "locales"),
                        f"start it with: python3 build.py i18n --add {lang}")

    def data(path: Path) -> dict:
        try:
            return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
        except (OSError, yaml.YAMLError):
            return {}

    places = data(source / "_data" / "citations" / f"{lang}.yaml").get("places") or {}
    letters = (data(source / "_data" / "languages.yaml").get(lang) or {}).get("letters", "")
    return Language(read_catalog(locale / "sphinx.po"),
                    {str(english): str(own) for own, english in places.items()}, letters)


def translate_document(document: Document, po_path: Path, language: Language,
                       facts: Facts) -> int:
    """Put a catalog's translations into the document (read with its own footnote
    labels), in place; passages without one stay English. How many were translated."""
    catalog = read_catalog(po_path)
    labels = list(document.notes)
    done = 0
    for unit in english_units(document, facts):
        own = catalog.get(unit.msgid) if unit.msgid else language.words.get(plain(unit.inlines))
        if own:
            unit.inlines[:] = parse_inlines(own, labels)
            done += 1
    for blocks in document.notes.values():
        for block in blocks:
            own = catalog.get(render_inlines(block.inlines)) if isinstance(block, Para) else None
            if own:
                block.inlines[:] = parse_inlines(own, labels)
                done += 1
    return done
