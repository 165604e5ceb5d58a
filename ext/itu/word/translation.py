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

from dataclasses import dataclass
from pathlib import Path

import yaml

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


def english_units(document: Document, facts: Facts) -> list[Unit]:
    """The passages of the English document in reading order."""
    units: list[Unit] = []
    part_name = ""

    def add(kind: str, inlines: list[Inline], standard: bool = False) -> None:
        where = f"{KINDS[kind]} {len([u for u in units if u.where.startswith(part_name)]) + 1}"
        units.append(Unit(kind, "" if standard else render_inlines(inlines),
                          f"{part_name}{where}" if part_name else where, inlines))

    def walk(blocks: list[Block], container: str) -> None:
        nonlocal part_name
        for block in blocks:
            if isinstance(block, Heading):
                add("title" if block.level == 1 else "heading", block.inlines)
            elif isinstance(block, Para):
                add(container, block.inlines)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    walk(item, container)
            elif isinstance(block, Part):
                words = plain(block.words)
                part_name = f"part '{words}', "
                standard = all(not isinstance(n, Mark) for n in block.words) \
                    and words.lower() in facts.call_words
                add("call", block.words, standard)
                walk(block.blocks, "text")
                part_name = ""
            elif isinstance(block, Directive):
                if block.name == "annex":
                    if block.argument:
                        add("annex-title", block.argument)
                    walk(block.blocks, "text")
                else:
                    walk(block.blocks, block.name)

    walk(document.blocks, "text")
    return units


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
    found = reader.paragraphs(package, runs)
    if any(isinstance(p, reader.Grid) for p in found):
        raise WordError("table", "the import of translations with tables is not done yet",
                        str(docx))
    paragraphs = [p for p in found if any(s.text.strip() or s.note for s in p.segs)]
    unknown = [p for p in paragraphs if not p.role]
    if unknown:
        raise WordError("style", f"the paragraph style {unknown[0].style!r} is not an ITU "
                        "style", f"{docx}, {unknown[0].where()}", "see docs/word.md")
    theirs = [p for p in paragraphs if p.role in ROLES]
    units = english_units(english, facts)
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
    english_notes = note_references(units)
    their_notes = [s.note for p in theirs for s in p.segs if s.note]
    if len(their_notes) != len(english_notes):
        raise WordError("align", f"the translation has {len(their_notes)} footnotes, the "
                        f"English {len(english_notes)}", str(docx))
    markup = dict(zip(their_notes, english_notes, strict=True))
    passages: dict[str, str] = {}
    for unit, paragraph in zip(units, theirs, strict=False):
        if not unit.msgid:
            continue
        segs = paragraph.segs
        if paragraph.role != "call":
            label, rest = reader.split_label(segs)
            segs = rest if label is not None else segs
        passages[unit.msgid] = render_inlines(
            reader.inlines(segs, markup, drop_formats=paragraph.role == "call"))
    for their_id, node in markup.items():
        if isinstance(node, Note):
            english_text = render_inlines([i for b in english.notes.get(node.label, [])
                                           if isinstance(b, Para) for i in b.inlines])
            texts = [runs.read(p) for p in package.footnotes.get(their_id, [])
                     if reader.local(p) == "p"]
            passages[english_text] = " ".join(
                render_inlines(reader.inlines(t, {})) for t in texts).strip()
    return passages


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
            return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
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
