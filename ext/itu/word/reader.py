""".docx to the model: styles, typed or automatic labels, footnotes, revisions.

The package is read with lxml directly (``word/document.xml``, ``styles.xml``,
``numbering.xml``, ``footnotes.xml``): paragraph numbers for messages, the
numbering definitions, move ranges and paragraph-mark revisions all stay in
reach. Paragraphs are numbered from 1 in body order, as messages name them.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from lxml import etree

from .. import labels as itu_labels
from . import heading, properties
from .facts import Facts
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
    Table,
    Text,
    WordError,
    list_style,
    plain,
    shown_labels,
    tidy,
)
from .styles import style_of

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SKIPPED = {"pPr", "rPr", "bookmarkStart", "bookmarkEnd", "proofErr", "commentRangeStart",
           "commentRangeEnd", "commentReference", "moveFromRangeStart", "moveFromRangeEnd",
           "moveToRangeStart", "moveToRangeEnd", "permStart", "permEnd", "lastRenderedPageBreak",
           "rPrChange", "pPrChange", "annotationRef", "footnoteRef", "separator",
           "continuationSeparator"}
DESCEND = {"hyperlink", "smartTag", "sdt", "sdtContent", "customXml", "fldSimple", "dir", "bdo"}
# a typed label: a number, one or two letters (of any alphabet: a, б, أ), a roman numeral
LABEL = re.compile(r"\(?([0-9]{1,3}|[^\W\d_]{1,2}|[ivxlc]{1,6})([.)]?)")
BULLETS = {"\u2013": "-", "-": "-", "\u2014": "-", "\u2022": "*", "\u00b7": "*", "\uf0b7": "*",
           "o": "*", "\uf0a7": "*"}
PLACEHOLDER = re.compile(r"#*\s*Please insert standard footnote on developing countries\.?",
                         re.I)
FORMATS = {"i": "em", "b": "strong"}
LEVELS = {"text": 1, "level2": 2, "level3": 3, "level4": 4}  # a style's list level


def local(node: etree._Element) -> str:
    tag = node.tag
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else str(tag)


def attr(node: etree._Element | None, name: str) -> str | None:
    return None if node is None else node.get(f"{{{W}}}{name}")


@dataclass
class Seg:
    """A piece of a paragraph: text with its formats and change, or a footnote."""

    text: str
    formats: frozenset[str] = frozenset()
    change: str = ""  # "", "ins" or "del"
    note: str = ""  # the w:id of a footnote reference


@dataclass
class Paragraph:
    number: int
    style: str  # the style's name as the .docx has it
    role: str  # what the style table makes of it ("" for a style it does not know)
    segs: list[Seg]
    mark: str  # a revision of the paragraph mark
    numbering: tuple[str, int] | None

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segs if s.change != "del")

    def where(self) -> str:
        return f"paragraph {self.number}"


@dataclass
class Grid:
    """A Word table: its rows (whether a header row, and each cell's paragraphs)."""

    number: int  # the number of the paragraph before it
    rows: list[tuple[bool, list[list[Paragraph]]]]
    role: str = "table"

    def where(self) -> str:
        return f"the table after paragraph {self.number}"


@dataclass
class Package:
    """The parts of a .docx that matter here."""

    document: etree._Element
    styles: dict[str, tuple[str, tuple[str, int] | None]]  # id -> (name, numbering)
    numbering: dict[str, dict[int, tuple[str, str]]]  # numId -> level -> (format, text)
    footnotes: dict[str, etree._Element]
    custom: dict[str, Any]


def open_package(path: Path) -> Package:
    """Read a .docx, or raise a WordError that says what it is instead."""
    try:
        head = path.read_bytes()[:8]
    except OSError as err:
        raise WordError("file", f"cannot read the file: {err.strerror}", str(path)) from None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise WordError("encrypted", "this is an encrypted (password-protected) or old-format "
                        "(.doc) Word file", str(path),
                        "remove the password, or save it as .docx, and import that")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise WordError("format", "this zip file is not a Word document "
                                "(no word/document.xml)", str(path), "save it from Word as .docx")

            def part(name: str) -> etree._Element | None:
                if name not in names:
                    return None
                return etree.fromstring(archive.read(name))

            document, styles_xml = part("word/document.xml"), part("word/styles.xml")
            numbering_xml, notes_xml = part("word/numbering.xml"), part("word/footnotes.xml")
            custom = properties.read_custom(archive.read("docProps/custom.xml")
                                            if "docProps/custom.xml" in names else None)
    except zipfile.BadZipFile:
        raise WordError("format", "this is not a .docx file (not a zip archive)", str(path),
                        "save the document from Word as .docx") from None
    except (etree.XMLSyntaxError, RuntimeError, zipfile.LargeZipFile, ValueError) as err:
        raise WordError("format", f"the .docx is damaged: {err}", str(path),
                        "open it in Word, save it again and import that") from None
    return Package(document, _styles(styles_xml), _numbering(numbering_xml),
                   {attr(n, "id"): n for n in (notes_xml if notes_xml is not None else [])},
                   custom)


def _num(props: etree._Element | None) -> tuple[str, int] | None:
    num = None if props is None else props.find(f"{{{W}}}numPr")
    if num is None:
        return None
    num_id = attr(num.find(f"{{{W}}}numId"), "val")
    level = attr(num.find(f"{{{W}}}ilvl"), "val") or "0"
    return (num_id, int(level)) if num_id and num_id != "0" else None


def _styles(xml: etree._Element | None) -> dict[str, tuple[str, tuple[str, int] | None]]:
    if xml is None:
        return {}
    return {attr(s, "styleId"): (attr(s.find(f"{{{W}}}name"), "val") or attr(s, "styleId"),
                                 _num(s.find(f"{{{W}}}pPr")))
            for s in xml.iter(f"{{{W}}}style")}


def _numbering(xml: etree._Element | None) -> dict[str, dict[int, tuple[str, str]]]:
    if xml is None:
        return {}
    abstract = {}
    for node in xml.iter(f"{{{W}}}abstractNum"):
        abstract[attr(node, "abstractNumId")] = {
            int(attr(lvl, "ilvl") or 0): (attr(lvl.find(f"{{{W}}}numFmt"), "val") or "decimal",
                                          attr(lvl.find(f"{{{W}}}lvlText"), "val") or "")
            for lvl in node.iter(f"{{{W}}}lvl")}
    return {attr(num, "numId"): abstract.get(attr(num.find(f"{{{W}}}abstractNumId"), "val"), {})
            for num in xml.iter(f"{{{W}}}num")}


# paragraphs --------------------------------------------------------------


class Runs:
    """Reads the runs of paragraphs into segments; a field's instructions are
    skipped (they may span paragraphs), its result kept."""

    def __init__(self) -> None:
        self.in_instructions = False
        self.moves = 0
        self.paragraph = 0  # the number of the paragraph being read
        self.unknown: dict[str, int] = {}  # element -> the first paragraph that has it

    def read(self, node: etree._Element, change: str = "") -> list[Seg]:
        out: list[Seg] = []
        for child in node:
            tag = local(child)
            if tag == "r":
                out += self.run(child, change)
            elif tag in ("ins", "moveTo"):
                self.moves += tag == "moveTo"
                out += self.read(child, "ins")
            elif tag in ("del", "moveFrom"):
                out += self.read(child, "ins-del" if change == "ins" else "del")
            elif tag in DESCEND:
                out += self.read(child, change)
            elif tag not in SKIPPED:
                self.unknown.setdefault(tag, self.paragraph)
        return out

    def run(self, run: etree._Element, change: str) -> list[Seg]:
        props = run.find(f"{{{W}}}rPr")
        formats = frozenset(
            name for tag, name in FORMATS.items()
            if props is not None and (flag := props.find(f"{{{W}}}{tag}")) is not None
            and attr(flag, "val") not in ("0", "false", "off"))
        out: list[Seg] = []
        for child in run:
            tag = local(child)
            if tag == "fldChar":
                kind = attr(child, "fldCharType")
                self.in_instructions = kind == "begin" or (
                    self.in_instructions and kind not in ("separate", "end"))
            elif self.in_instructions or tag == "instrText":
                continue
            elif tag in ("t", "delText"):
                out.append(Seg(child.text or "", formats, change))
            elif tag == "tab":
                out.append(Seg("\t", formats, change))
            elif tag == "noBreakHyphen":
                out.append(Seg("\u2011", formats, change))
            elif tag in ("br", "cr"):
                out.append(Seg(" ", formats, change))
            elif tag == "footnoteReference":
                out.append(Seg("", formats, change, note=attr(child, "id") or ""))
            elif tag not in SKIPPED and tag != "softHyphen":
                self.unknown.setdefault(tag, self.paragraph)
        return out


def _mark_change(props: etree._Element | None) -> str:
    marks = None if props is None else props.find(f"{{{W}}}rPr")
    if marks is None:
        return ""
    if marks.find(f"{{{W}}}ins") is not None or marks.find(f"{{{W}}}moveTo") is not None:
        return "ins"
    if marks.find(f"{{{W}}}del") is not None or marks.find(f"{{{W}}}moveFrom") is not None:
        return "del"
    return ""


def paragraphs(package: Package, runs: Runs) -> list[Paragraph | Grid]:
    """The body's paragraphs and tables, in order; paragraphs numbered from 1 (those in
    table cells too)."""
    out: list[Paragraph | Grid] = []
    count = 0

    def paragraph(node: etree._Element) -> Paragraph:
        nonlocal count
        count += 1
        props = node.find(f"{{{W}}}pPr")
        style_id = attr(None if props is None else props.find(f"{{{W}}}pStyle"), "val")
        name, style_num = package.styles.get(style_id or "", (style_id or "Normal", None))
        spec = style_of(name) or style_of(style_id or "")
        runs.paragraph = count
        return Paragraph(count, name, spec.role if spec else "", runs.read(node),
                         _mark_change(props), _num(props) or style_num)

    def table(node: etree._Element) -> Grid:
        grid = Grid(count, [])
        for row in node.iter(f"{{{W}}}tr"):
            head = row.find(f"{{{W}}}trPr/{{{W}}}tblHeader") is not None
            cells = [[paragraph(p) for p in cell.iter(f"{{{W}}}p")]
                     for cell in row if local(cell) == "tc"]
            grid.rows.append((head, cells))
        if any(local(n) == "tbl" for row in node.iter(f"{{{W}}}tc") for n in row.iter()):
            raise WordError("table", "a table inside a table cannot be imported", grid.where())
        return grid

    def visit(container: etree._Element) -> None:
        for node in container:
            tag = local(node)
            if tag == "p":
                out.append(paragraph(node))
            elif tag in ("sdt", "sdtContent", "customXml"):
                visit(node)
            elif tag == "tbl":
                out.append(table(node))

    body = package.document.find(f"{{{W}}}body")
    visit(body if body is not None else package.document)
    return out


# segments to inlines -------------------------------------------------------


def inlines(segs: list[Seg], notes: dict[str, Inline], drop_formats: bool = False) -> list[Inline]:
    out: list[Inline] = []
    for seg in segs:
        node: Inline
        if seg.note:
            node = notes[seg.note]
        else:
            node = Text(seg.text)
            for fmt in ("em", "strong"):
                if fmt in seg.formats and not drop_formats:
                    node = Mark(fmt, [node])
        for change in seg.change.split("-") if seg.change else []:  # "ins-del": del outside
            node = Mark(change, [node])
        out.append(node)
    return _placeholders(_strip(tidy(out)))


def _strip(nodes: list[Inline]) -> list[Inline]:
    """Without spaces at either end of the paragraph."""
    def trim(node: Inline, end: str) -> Inline:
        if isinstance(node, Text):
            return Text(node.text.lstrip() if end == "start" else node.text.rstrip())
        if isinstance(node, Mark) and node.children:
            index = 0 if end == "start" else -1
            children = list(node.children)
            children[index] = trim(children[index], end)
            return Mark(node.kind, children)
        return node

    if nodes:
        nodes[0] = trim(nodes[0], "start")
        nodes[-1] = trim(nodes[-1], "end")
    return tidy(nodes)


def _placeholders(nodes: list[Inline]) -> list[Inline]:
    """An editor's "Please insert standard footnote on developing countries" is the
    standard footnote."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and PLACEHOLDER.search(node.text):
            pieces = PLACEHOLDER.split(node.text)
            for n, piece in enumerate(pieces):
                if n:
                    out.append(Role("stdfn", "developing-countries"))
                out.append(Text(piece))
        elif isinstance(node, Mark):
            out.append(Mark(node.kind, _placeholders(node.children)))
        else:
            out.append(node)
    return tidy(out)


def segs_marked(segs: list[Seg]) -> heading.Segments:
    """The marked text of a heading line; its non-breaking spaces are spaces in front
    matter ("Rev.\u00a0New\u00a0Delhi" is "Rev. New Delhi")."""
    return heading.merge([(s.change, s.text.replace("\u00a0", " ")) for s in segs if not s.note])


# the importer ------------------------------------------------------------


@dataclass
class Item:
    """What the importer knows of an item while it builds the lists."""

    blocks: list[Block]
    typed: tuple[str | None, str | None] | None  # the label as typed (None: a bullet)
    paragraph: Paragraph


@dataclass
class Builder:
    facts: Facts
    package: Package
    remarks: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    notes: dict[str, list[Block]] = field(default_factory=dict)
    note_inlines: dict[str, Inline] = field(default_factory=dict)
    items: dict[int, Item] = field(default_factory=dict)
    revisions: bool = False

    # containers and lists
    container: list[Block] | None = None
    part: Part | None = None
    annex: Directive | None = None
    open_lists: list[tuple[int, ListBlock]] = field(default_factory=list)
    auto: dict[tuple[str, int], list[int]] = field(default_factory=dict)

    def remark(self, paragraph: Paragraph | None, text: str) -> None:
        self.remarks.append(f"{paragraph.where()}: {text}" if paragraph else text)

    # footnotes ----------------------------------------------------------

    def footnotes(self, paragraphs_: list[Paragraph], runs: Runs) -> None:
        for paragraph in paragraphs_:
            for seg in paragraph.segs:
                if seg.note and seg.note not in self.note_inlines:
                    self.note_inlines[seg.note] = self.footnote(seg.note, paragraph, runs)

    def footnote(self, note_id: str, paragraph: Paragraph, runs: Runs) -> Inline:
        node = self.package.footnotes.get(note_id)
        if node is None:
            self.remark(paragraph, f"footnote {note_id} has no text in word/footnotes.xml")
            return Text("")
        texts = [runs.read(p) for p in node if local(p) == "p"]
        if any(s.change for segs in texts for s in segs):
            raise WordError("footnote-revision", "a footnote has tracked changes",
                            f"{paragraph.where()}, footnote {len(self.note_inlines) + 1}",
                            "accept or reject the changes inside the footnote, then mark the "
                            "footnote reference itself as inserted or deleted if need be")
        text = " ".join("".join(s.text for s in segs) for segs in texts)
        key = self.facts.standard_footnote(text) or (
            "developing-countries" if PLACEHOLDER.fullmatch(text.strip()) else None)
        if key:
            return Role("stdfn", key)
        if any(s.note for segs in texts for s in segs):
            self.remark(paragraph, "a footnote reference inside a footnote was left out")
            texts = [[s for s in segs if not s.note] for segs in texts]
        blocks = [Para(inlines(segs, {})) for segs in texts]
        blocks = [b for b in blocks if b.inlines]
        label = str(len(self.notes) + 1)
        self.notes[label] = blocks
        return Note(label)

    # the heading block ----------------------------------------------------

    def document_heading(self, pieces: dict[str, Paragraph]) -> None:
        """The fields above a document's title (``kind: document``)."""
        number = pieces["doc-number"].text.strip()
        meta: dict[str, Any] = {"kind": "document",
                                "number": re.sub(r"^Document\s+", "", number)}
        for role, key in (("doc-date", "date"), ("doc-language", "original-language"),
                          ("doc-source", "source")):
            if role in pieces:
                meta[key] = pieces[role].text.strip()
        self.meta = meta
        self.add_title(pieces)

    def add_title(self, pieces: dict[str, Paragraph]) -> None:
        """The title as the document's first heading (empty if there is none)."""
        title = pieces.get("title")
        self.blocks.append(Heading(1, inlines(title.segs, self.note_inlines) if title else []))

    def heading_block(self, pieces: dict[str, Paragraph], proposal: Paragraph | None,
                      first: Paragraph | Grid | None) -> None:
        """The front matter the heading block's paragraphs give, and the title."""
        if "doc-number" in pieces:
            self.document_heading(pieces)
            return
        number, edition = self.designation(pieces.get("designation"), first)
        custom = self.package.custom
        meta: dict[str, Any] = {"kind": "resolution", "number": int(number),
                                "assembly": custom.get("assembly", "WTSA"), "edition": edition}
        history = pieces.get("history")
        meta["history"] = heading.read_history(segs_marked(history.segs)) if history \
            else [edition]
        formula = pieces.get("formula")
        if formula:
            self.read_formula(meta, formula)
        if "translation" in custom:
            meta["translation"] = custom["translation"]
        if proposal is not None or self.revisions:
            meta["kind"] = "proposal"
            meta["proposal"] = self.proposal_meta(proposal)
        self.meta = meta
        self.add_title(pieces)

    def designation(self, designation: Paragraph | None,
                    first: Paragraph | Grid | None) -> tuple[str, str]:
        """The number and edition the designation gives; without one, a WordError."""
        parsed = heading.read_designation(segs_marked(designation.segs)) if designation else None
        if parsed is None:
            raise WordError("heading", "no heading block: no paragraph reads "
                            "'RESOLUTION <number> (<place>, <year>)'",
                            first.where() if first else "",
                            "give the designation the style ResNo, the title Restitle, the "
                            "history line Resref and the formula Normalaftertitle")
        return parsed

    def read_formula(self, meta: dict[str, Any], formula: Paragraph) -> None:
        """The assembly the formula names; the formula itself where it is not the one
        the build prints for the edition and assembly."""
        written = heading.marked(segs_marked(formula.segs))
        for key, body in self.facts.assemblies.items():
            if heading.version(segs_marked(formula.segs), "ins").startswith(
                    f"The {(body or {}).get('name')} ("):
                meta["assembly"] = self.package.custom.get("assembly", key)
        generated = heading.marked(heading.formula(meta["edition"], meta["assembly"],
                                                   self.facts.assemblies))
        if written != generated:
            meta["formula"] = written

    def proposal_meta(self, proposal: Paragraph | None) -> dict[str, Any]:
        """The ``proposal`` field: the marker's action and reference (revisions without
        a marker: a MOD), with what the custom properties add."""
        action, ref = ("MOD", "")
        if proposal is not None:
            action, _, ref = proposal.text.strip().partition("\t")
        elif self.revisions:
            self.remark(None, "the document has revisions but no proposal marker: "
                              "read as a MOD proposal")
        return {"action": action.strip(), **({"ref": ref.strip()} if ref.strip() else {}),
                **self.package.custom.get("proposal", {})}

    # the body -------------------------------------------------------------

    def table(self, grid: Grid, title: list[Inline]) -> Table:
        """A Word table as a list table: its leading header rows counted."""
        header = 0
        while header < len(grid.rows) and grid.rows[header][0]:
            header += 1
        rows = [[[Para(inlines(p.segs, self.note_inlines)) for p in cell
                  if any(s.text.strip() or s.note for s in p.segs)] for cell in cells]
                for _, cells in grid.rows]
        return Table(title, header, rows)

    def close_lists(self, level: int = 0) -> None:
        while self.open_lists and self.open_lists[-1][0] > level:
            self.open_lists.pop()

    def target(self) -> list[Block]:
        return self.container if self.container is not None else self.blocks

    def add_item(self, paragraph: Paragraph, level: int, marker: str, style: str,
                 typed: tuple[str | None, str | None] | None, content: list[Inline]) -> None:
        self.close_lists(level)
        current = self.open_lists[-1] if self.open_lists else None
        restart = self.part is None and typed is not None and typed[1] in ("1", "a", "i")
        if current and current[0] == level and (current[1].marker != marker or restart
                                                or current[1].style != style):
            self.open_lists.pop()
            current = self.open_lists[-1] if self.open_lists else None
        if not current or current[0] < level:
            parent = current[1].items[-1] if current else self.target()
            block = ListBlock(marker, [], style)
            parent.append(block)
            level = current[0] + 1 if current else 1
            self.open_lists.append((level, block))
        blocks: list[Block] = [Para(content)] if content else []
        self.open_lists[-1][1].items.append(blocks)
        self.items[id(blocks)] = Item(blocks, typed, paragraph)

    def body_paragraph(self, paragraph: Paragraph) -> None:
        """A paragraph of the body: with a label (typed or Word's numbering) a list
        item, else a paragraph of its own or of the open item."""
        level = LEVELS.get(paragraph.role, 0)
        segs = self.without_part_change(paragraph.segs)
        label, rest = split_label(segs)
        if label is None and paragraph.numbering:
            label, rest = self.automatic_label(paragraph), segs
            level = paragraph.numbering[1] + 1
        # the formats of a wholly deleted paragraph may be the next one's, as its style
        content = inlines(rest, self.note_inlines, drop_formats=paragraph.role == "deleted-item")
        if label is None:
            self.unlabelled_paragraph(level, content)
            return
        old, new = (heading.version(label, keep) for keep in ("del", "ins"))
        body = old.strip() or new.strip()
        if not body and not self.open_lists:  # a tab before a paragraph, no list
            self.target().append(Para(content))
        elif body in BULLETS:
            self.add_item(paragraph, level, BULLETS[body], "", None, content)
        else:
            self.typed_item(paragraph, level, (old, new), content)

    def without_part_change(self, segs: list[Seg]) -> list[Seg]:
        """In a part wholly inserted or deleted, its paragraphs without that change
        (the part's ``:change:`` carries it)."""
        if self.part is not None and self.part.options.get("change"):
            whole = "ins" if self.part.options["change"] == "inserted" else "del"
            if all(s.change == whole for s in segs if s.text.strip() or s.note):
                return [Seg(s.text, s.formats, "", s.note) for s in segs]
        return segs

    def unlabelled_paragraph(self, level: int, content: list[Inline]) -> None:
        """A paragraph without a label: in a deeper level's style, a further paragraph
        of the open item; else a paragraph after the lists."""
        if level > 1 and self.open_lists:
            self.close_lists(level)
            self.open_lists[-1][1].items[-1].append(Para(content))
        else:
            self.close_lists()
            self.target().append(Para(content))

    def typed_item(self, paragraph: Paragraph, level: int, label: tuple[str, str],
                   content: list[Inline]) -> None:
        """An item whose label is typed (``label``: as deleted, as inserted): the
        level its style or the open lists give it, outside parts the list's marker
        and style the label gives."""
        old, new = label
        typed = tuple(LABEL.fullmatch(v.strip())[1] if v.strip() else None for v in (old, new))
        if not level:  # a paragraph whose style says nothing: the list it continues
            level = self.continued_level(typed[0] or "")
        marker, style = "1.", ""
        if self.part is None:
            marker, style = self.marker_and_style(old.strip() or new.strip(), typed, level)
        elif paragraph.role == "text" and typed[1] and re.fullmatch(r"[ivx]+", typed[1]) \
                and self.open_lists and self.part_label_is_roman(typed[1]):
            level = 2
        self.add_item(paragraph, level, marker, style, typed, content)

    def marker_and_style(self, body: str, typed: tuple[str | None, ...],
                         level: int) -> tuple[str, str]:
        """Outside parts, a list's marker ends as its typed label does ("a)" or "1.",
        an empty label continuing the open list's) and its style is the label's."""
        suffix = (LABEL.fullmatch(body)[2] if body else self.open_lists[-1][1].marker[1:]) \
            or "."
        return f"1{suffix}", self.annex_list_style(typed[1] or typed[0] or "", level)

    def continued_level(self, key: str) -> int:
        """The level of the open list whose next label is ``key`` (else 1)."""
        for level, block in reversed(self.open_lists):
            depth_style = list_style(block, self.part_style(), level)
            if block.ordered and depth_style.key(len(block.items) + 1) == key.lower():
                return level
        return 1

    def part_style(self) -> itu_labels.Style | None:
        if self.part is None:
            return None
        kind = self.facts.part_kind(plain(self.part.words), self.part.options.get("kind", ""))
        return itu_labels.PART_STYLES[kind]

    def annex_list_style(self, key: str, level: int) -> str:
        """The style of an ordered list outside parts, from a typed label: the open
        list's if the label continues it ("c" after "b" is a letter), else by its look."""
        current = self.open_lists[-1] if self.open_lists else None
        if current and current[0] == level and current[1].ordered:
            style = list_style(current[1], None, level)
            if style.key(len(current[1].items) + 1) == key.lower():
                return current[1].style
        if re.fullmatch(r"[ivxlc]+", key) and key not in ("c", "l") or key == "i":
            return "lower-roman"
        return "lower-alpha" if re.fullmatch(r"[a-z]+", key) else ""

    def part_label_is_roman(self, key: str) -> bool:
        """Whether a typed "i)" under Normal is a sub-item (after a numbered item that
        does not expect that letter next)."""
        items = self.open_lists[0][1].items
        expected = itu_labels.PREAMBULAR.key(len(items) + 1)
        return self.open_lists[0][0] == 1 and not (key == expected)

    def automatic_label(self, paragraph: Paragraph) -> heading.Segments:
        """The label Word numbering prints for a paragraph (numbering.xml)."""
        num_id, level = paragraph.numbering
        fmt, text = self.package.numbering.get(num_id, {}).get(level, ("decimal", "%1."))
        counters = self.auto.setdefault((num_id, 0), [0] * 9)
        counters[level] += paragraph.mark != "del"
        counters[level + 1:] = [0] * (8 - level)
        if fmt == "bullet":
            return [("", "\u2013" if text in BULLETS and BULLETS[text] == "-" else "\u2022")]
        style = {"lowerLetter": itu_labels.PREAMBULAR, "lowerRoman": itu_labels.SUB_ITEM,
                 "upperLetter": itu_labels.Style("upperalpha"),
                 "upperRoman": itu_labels.Style("upperroman")}.get(fmt, itu_labels.OPERATIVE)
        shown = re.sub(r"%(\d)", lambda m: style.text(style.key(max(counters[int(m[1]) - 1], 1))),
                       text)
        return [(paragraph.mark, shown)]

    def start_part(self, paragraph: Paragraph, proposal: Paragraph | None) -> None:
        self.close_lists()
        segs = paragraph.segs
        changes = {s.change for s in segs if s.text.strip()}
        options: dict[str, str] = {}
        if len(changes) == 1 and changes != {""} and paragraph.mark in changes:
            options["change"] = "inserted" if changes == {"ins"} else "deleted"
            segs = [Seg(s.text, s.formats, "", s.note) for s in segs]
        if proposal is not None:
            options["proposal"] = " ".join(proposal.text.split())
        words = inlines(segs, self.note_inlines, drop_formats=True)
        if not self.facts.knows(plain(words)) and not self.facts.knows(plain(words, "reject")):
            self.remark(paragraph, f"unknown call words {plain(words)!r}: add them to "
                                   "source/_data/callwords.yaml or a :kind: to the part")
        self.part = Part(words, options, [])
        self.container = self.part.blocks
        if self.annex is not None:
            self.annex.blocks.append(self.part)
        else:
            self.blocks.append(self.part)

    def check_labels(self) -> None:
        """Compare typed labels with the computed ones; a mismatch keeps the typed label
        as a ``{label}`` and is reported."""
        def walk(blocks: list[Block], part_style, depth: int) -> None:
            for block in blocks:
                if isinstance(block, Part):
                    if not self.facts.knows(plain(block.words)):
                        block.options.setdefault("kind", self.kind_from_labels(block))
                    kind = self.facts.part_kind(plain(block.words), block.options.get("kind", ""))
                    walk(block.blocks, itu_labels.PART_STYLES[kind], 0)
                elif isinstance(block, Directive):
                    walk(block.blocks, None, 0)
                elif isinstance(block, ListBlock):
                    style = list_style(block, part_style, depth + 1)
                    for blocks_, shown in zip(block.items, shown_labels(block.items, style),
                                              strict=True):
                        self.check_item(blocks_, shown)
                        walk(blocks_, part_style, depth + 1)

        walk(self.blocks, None, 0)

    def kind_from_labels(self, part: Part) -> str:
        """The kind of a part whose call words are not known: what its labels say."""
        lists = [b for b in part.blocks if isinstance(b, ListBlock) and b.ordered]
        typed = [self.items[id(i)].typed for b in lists for i in b.items if id(i) in self.items]
        first = next((t[1] or t[0] for t in typed if t and (t[1] or t[0])), "")
        return "operative" if first.isdigit() else "preambular"

    def check_item(self, blocks: list[Block], shown: tuple[str | None, str | None]) -> None:
        item = self.items.get(id(blocks))
        if item is None or item.typed is None:
            return
        computed = tuple(v.lower() if v else v for v in shown)
        typed = tuple(v.lower() if v else v for v in item.typed)
        if typed == computed:
            return
        old, new = item.typed
        value = (old or "none") if old == new else f"{old or 'none'}>{new or 'none'}"
        self.remark(item.paragraph, f"label typed {_label_text(item.typed)} where the "
                    f"numbering gives {_label_text(shown)}: kept as {{label}}`{value}`")
        if not blocks or not isinstance(blocks[0], Para):
            blocks.insert(0, Para([]))
        blocks[0].inlines[:0] = [Role("label", value), Text(" ")]
        blocks[0].inlines = tidy(blocks[0].inlines)


def _label_text(shown: tuple[str | None, str | None]) -> str:
    old, new = shown
    return repr(old or "none") if old == new else f"{old or 'none'!r}>{new or 'none'!r}"


def split_label(segs: list[Seg]) -> tuple[heading.Segments | None, list[Seg]]:
    """A typed label (text before the first tab, short and label-like) and the rest."""
    for n, seg in enumerate(segs):
        if seg.note:
            return None, segs
        if "\t" in seg.text:
            before, _, after = seg.text.partition("\t")
            label = segs_marked([*segs[:n], Seg(before, seg.formats, seg.change)])
            texts = [heading.version(label, keep).strip() for keep in ("del", "ins")]
            if all(not t or t in BULLETS or LABEL.fullmatch(t) for t in texts):
                rest = [Seg(after, seg.formats, seg.change), *segs[n + 1:]]
                return label, rest
            return None, segs
        if len("".join(s.text for s in segs[:n + 1])) > 8:
            return None, segs
    return None, segs


def read_docx(path: Path, facts: Facts) -> tuple[Document, list[str]]:
    """A .docx as the model, and what the importer has to say about it."""
    try:
        return _read(path, facts)
    except WordError as err:
        if not err.where.startswith(str(path)):
            err.where = f"{path}, {err.where}" if err.where else str(path)
        raise


def _read(path: Path, facts: Facts) -> tuple[Document, list[str]]:
    package = open_package(path)
    runs = Runs()
    found = paragraphs(package, runs)
    builder = Builder(facts, package)
    every = [p for item in found for p in _paragraphs_of(item)]
    builder.revisions = any(s.change for p in every for s in p.segs) or any(p.mark for p in every)
    unknown = [p for p in every if not p.role]
    if unknown:
        first = unknown[0]
        raise WordError("style", f"the paragraph style {first.style!r} is not an ITU style",
                        first.where(), "use the styles docs/word.md lists (ResNo, Restitle, "
                        "Resref, Normalaftertitle, Call, Normal, enumlev1, Proposal, ...)")
    builder.footnotes(every, runs)
    _build(builder, found)
    builder.check_labels()
    if runs.moves:
        builder.remark(None, f"{runs.moves} moved passages read as deleted at their old place "
                       "and inserted at their new one (the syntax has no move mark)")
    for tag, number in sorted(runs.unknown.items(), key=lambda item: item[1]):
        builder.remark(None, f"paragraph {number}: the Word element w:{tag} has no MyST form "
                       "and was left out (there and wherever else it occurs)")
    return Document(builder.meta, builder.blocks, builder.notes), builder.remarks


def _paragraphs_of(item: Paragraph | Grid) -> list[Paragraph]:
    if isinstance(item, Paragraph):
        return [item]
    return [p for _, cells in item.rows for cell in cells for p in cell]


HEADING_ROLES = ("designation", "title", "history", "formula", "doc-number", "doc-date",
                 "doc-language", "doc-source")


def _build(builder: Builder, found: list[Paragraph | Grid]) -> None:
    """The document from its paragraphs and tables, in body order."""
    reading = BodyReading(builder, found[0] if found else None)
    for paragraph in found:
        reading.add(paragraph)
    reading.end_heading(reading.first)


@dataclass
class BodyReading:
    """The body read in order: the heading block's pieces until its first other
    paragraph, then the body, with a proposal marker waiting for its call words and a
    table title for its table."""

    builder: Builder
    first: Paragraph | Grid | None  # the body's first paragraph, for messages
    pieces: dict[str, Paragraph] = field(default_factory=dict)
    head_proposal: Paragraph | None = None  # a proposal marker before the heading block
    directive: Directive | None = None  # an abstract or note before the heading block
    in_heading: bool = True
    proposal: Paragraph | None = None
    table_title: list[Inline] = field(default_factory=list)

    def add(self, paragraph: Paragraph | Grid) -> None:
        """One paragraph or table; empty paragraphs are left out."""
        if isinstance(paragraph, Grid):
            self.table(paragraph)
            return
        if not any(s.text.strip() or s.note for s in paragraph.segs):
            return
        if _wholly_deleted(paragraph) and split_label(paragraph.segs)[0] is not None:
            # a deleted paragraph mark joins the paragraph to the next one: some
            # writers (LibreOffice) then give it the next one's style
            paragraph.role = "deleted-item"
        if self.in_heading and self.heading_piece(paragraph):
            return
        self.body(paragraph)

    def end_heading(self, first: Paragraph | Grid | None) -> None:
        """The heading block is complete: its front matter and title, once."""
        if self.in_heading:
            self.builder.heading_block(self.pieces, self.head_proposal, first)
            self.in_heading = False

    def table(self, grid: Grid) -> None:
        """A table, under the table title before it."""
        self.end_heading(None)
        self.builder.close_lists()
        self.builder.target().append(self.builder.table(grid, self.table_title))
        self.table_title = []

    def heading_piece(self, paragraph: Paragraph) -> bool:
        """Whether ``paragraph`` is a piece of the heading block (or a proposal marker,
        abstract or note before it); the first that is not ends the block."""
        role = paragraph.role
        if role == "text" and not self.pieces and heading.DESIGNATION.match(paragraph.text.strip()):
            role = "designation"  # a heading block typed without its styles
        if role in HEADING_ROLES:
            self.pieces[role] = paragraph
        elif role == "proposal" and not self.pieces:
            self.head_proposal = paragraph
        elif role in ("abstract", "note") and not self.pieces:
            self.front_directive(role, paragraph)
        else:
            self.end_heading(self.first)
            return False
        return True

    def front_directive(self, name: str, paragraph: Paragraph) -> None:
        """A paragraph of the abstract or note before the heading block; paragraphs
        of one kind in a row are one directive."""
        if self.directive is None or self.directive.name != name:
            self.directive = Directive(name, [], [])
            self.builder.blocks.append(self.directive)
        self.directive.blocks.append(Para(inlines(paragraph.segs, self.builder.note_inlines)))

    def body(self, paragraph: Paragraph) -> None:
        """A paragraph after the heading block, by its role; a proposal marker not
        followed by call words is reported and dropped."""
        role = paragraph.role
        if role == "proposal":
            self.proposal = paragraph
        elif role == "call" or (role == "text" and _looks_like_call(self.builder, paragraph)):
            self.builder.start_part(paragraph, self.proposal)
            self.proposal = None
        elif role.startswith("heading"):
            self.heading(paragraph)
        else:
            self.ROLES.get(role, BodyReading.text)(self, paragraph)
        if role != "proposal" and self.proposal is not None and role != "call":
            self.builder.remark(self.proposal,
                                "a proposal marker not followed by call words was left out")
            self.proposal = None

    def annex(self, paragraph: Paragraph) -> None:
        """ANNEX opens an annex; the annex title is its argument. Both end the part."""
        builder = self.builder
        builder.close_lists()
        if paragraph.role == "annex":
            builder.annex = Directive("annex", [], [])
            builder.blocks.append(builder.annex)
        elif builder.annex is not None:
            builder.annex.argument = inlines(paragraph.segs, builder.note_inlines, True)
        builder.part, builder.container = None, builder.annex.blocks if builder.annex else None

    def heading(self, paragraph: Paragraph) -> None:
        """A heading ends the part; it goes into the annex, if any."""
        builder = self.builder
        builder.close_lists()
        builder.part = None
        builder.container = builder.annex.blocks if builder.annex else None
        builder.target().append(Heading(int(paragraph.role[-1]),
                                        inlines(paragraph.segs, builder.note_inlines)))

    def directive_paragraph(self, paragraph: Paragraph) -> None:
        """An abstract or note in the body: a directive of its own."""
        self.builder.close_lists()
        self.builder.target().append(Directive(paragraph.role, [], [
            Para(inlines(paragraph.segs, self.builder.note_inlines))]))

    def title_of_table(self, paragraph: Paragraph) -> None:
        """A table title, kept for the table that follows."""
        self.table_title = inlines(paragraph.segs, self.builder.note_inlines,
                                   drop_formats=True)

    def stray_cell(self, paragraph: Paragraph) -> None:
        """A table cell's style outside a table: read as text, and reported."""
        self.builder.remark(paragraph, "a table cell's paragraph outside a table was read as text")
        self.builder.body_paragraph(paragraph)

    def stray_footnote(self, paragraph: Paragraph) -> None:
        """Footnote text in the body: left out, and reported."""
        self.builder.remark(paragraph, "footnote text in the body was left out")

    def text(self, paragraph: Paragraph) -> None:
        """Any other paragraph: a paragraph of the body or a list item."""
        self.builder.body_paragraph(paragraph)

    ROLES: ClassVar[dict[str, Callable[[BodyReading, Paragraph], None]]] = {
        "annex": annex,
        "annex-title": annex,
        "abstract": directive_paragraph,
        "note": directive_paragraph,
        "table-title": title_of_table,
        "table-head": stray_cell,
        "table-text": stray_cell,
        "footnote": stray_footnote,
    }


def _wholly_deleted(paragraph: Paragraph) -> bool:
    return paragraph.mark == "del" and all(s.change == "del" for s in paragraph.segs
                                           if s.text.strip() or s.note)


def _looks_like_call(builder: Builder, paragraph: Paragraph) -> bool:
    """Call words typed in Normal: a short, wholly italic paragraph of known words."""
    words = [s for s in paragraph.segs if s.text.strip()]
    return bool(words) and all("em" in s.formats for s in words) \
        and len(paragraph.text) < 200 and "\t" not in paragraph.text \
        and builder.facts.knows(paragraph.text.strip())
