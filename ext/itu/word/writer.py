"""MyST (the model) to .docx: ITU styles, typed labels, Word footnotes, revisions.

python-docx supplies the package and a blank document whose styles we extend
from :mod:`styles`; the body, footnotes and revision marks are written with
lxml, since python-docx knows neither footnotes nor revisions.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part as PackagePart
from docx.shared import Pt, Twips
from lxml import etree

from .. import labels as itu_labels
from ..marks import segments
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
    Table,
    Text,
    WordError,
    list_style,
    plain,
    shown_labels,
    whole_change,
)
from .styles import ITEM_TABS, LEVEL_STYLES, STYLES, by_role

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
LATIN = re.compile("[A-Za-z\u00c0-\u024f\u0400-\u04ff]")
CHANGE = {"ins": "ins", "del": "del", "inserted": "ins", "deleted": "del"}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def element(tag: str, **attrs: str) -> etree._Element:
    node = etree.Element(w(tag))
    for key, value in attrs.items():
        node.set(w(key), value)
    return node


def _append_text(run: etree._Element, text: str, tag: str) -> None:
    """``text`` into a run: each tab a ``w:tab``, the pieces between them ``tag``
    elements (``t``, or ``delText`` for deleted text) that keep their spaces."""
    for n, piece in enumerate(text.split("\t")):
        if n:
            run.append(element("tab"))
        if piece:
            t = etree.SubElement(run, w(tag))
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


class Writer:
    """One .docx being written; ``author`` and ``date`` sign its revisions."""

    def __init__(self, facts: Facts, author: str, date: str,
                 language: heading.Language = heading.ENGLISH) -> None:
        self.facts, self.author, self.date, self.language = facts, author, date, language
        self.doc = docx.Document()
        self.body = self.doc.element.body
        self.footnotes: list[etree._Element] = []
        self.notes: dict[str, list[Block]] = {}
        self.revision = 0
        self.in_footnote = False
        add_styles(self.doc)

    # runs --------------------------------------------------------------

    def _revision(self, change: str) -> etree._Element:
        self.revision += 1
        return element(CHANGE[change], id=str(self.revision), author=self.author,
                       date=self.date)

    def run(self, text: str, formats: frozenset[str] = frozenset(), change: str = "",
            style: str = "") -> list[etree._Element]:
        """One run of ``text`` with its formats, style and fonts, inside its revisions."""
        r = element("r")
        props = self.run_properties(text, formats, style)
        if len(props):
            r.append(props)
        _append_text(r, text, "delText" if "del" in CHANGE.get(change, change) else "t")
        return [self.wrap(r, change)]

    def run_properties(self, text: str, formats: frozenset[str], style: str) -> etree._Element:
        """A run's properties, in the schema's order: style, fonts, bold, italic, right
        to left."""
        props = element("rPr")
        if style:
            props.append(element("rStyle", val=style))
        fonts = self.script_fonts(text)
        if fonts:
            props.append(element("rFonts", **fonts))
        for fmt, tag in (("strong", "b"), ("em", "i")):
            if fmt in formats:
                props.append(element(tag))
        if ARABIC.search(text):
            props.append(element("rtl"))
        return props

    def script_fonts(self, text: str) -> dict[str, str]:
        """The fonts the facts give for the scripts of ``text`` (Arabic, Chinese)."""
        fonts = {"cs": self.facts.fonts.get("arabic")} if ARABIC.search(text) else {}
        if CJK.search(text):
            fonts["eastAsia"] = self.facts.fonts.get("chinese")
        return {k: v for k, v in fonts.items() if v}

    def wrap(self, node: etree._Element, change: str) -> etree._Element:
        """A run inside its revisions: ``ins-del`` is text inserted, then deleted."""
        for step in reversed(CHANGE.get(change, change).split("-") if change else []):
            mark = self._revision(step)
            mark.append(node)
            node = mark
        return node

    def inlines(self, inlines: list[Inline], formats: frozenset[str] = frozenset(),
                change: str = "") -> list[etree._Element]:
        out: list[etree._Element] = []
        for node in inlines:
            if isinstance(node, Text):
                out += self.run(node.text, formats, change)
            elif isinstance(node, Mark) and node.kind in ("em", "strong"):
                out += self.inlines(node.children, formats | {node.kind}, change)
            elif isinstance(node, Mark):
                nested = "ins-del" if {change, node.kind} == {"del", "ins"} else node.kind
                out += self.inlines(node.children, formats, nested)
            elif isinstance(node, Note):
                out.append(self.footnote(self.notes.get(node.label, []), change))
            elif node.name == "stdfn":
                text = self.facts.footnotes.get(node.value.strip())
                if text is None:
                    raise WordError("stdfn", f"no standard footnote {node.value!r}",
                                    hint="see source/_data/footnotes.yaml")
                out.append(self.footnote([Para([Text(self.language.say(text))])], change))
            elif node.name == "res":
                raise WordError("syntax", f"the explicit citation {{res}}`{node.value}` cannot "
                                "be carried to Word yet",
                                hint="write the citation as text: the build finds and links it")
        return out

    def footnote(self, blocks: list[Block], change: str) -> etree._Element:
        if self.in_footnote:
            raise WordError("syntax", "a footnote inside a footnote cannot be carried to Word")
        number = str(len(self.footnotes) + 1)
        note = element("footnote", id=number)
        for n, block in enumerate(b for b in blocks if isinstance(b, Para)):
            p = self.paragraph_element(by_role("footnote").id, [])
            if not n:
                ref = element("r")
                props = etree.SubElement(ref, w("rPr"))
                props.append(element("rStyle", val="FootnoteReference"))
                ref.append(element("footnoteRef"))
                p.append(ref)
                p.extend(self.run("\t"))
            self.in_footnote = True
            p.extend(self.inlines(block.inlines))
            self.in_footnote = False
            note.append(p)
        self.footnotes.append(note)
        r = element("r")
        props = etree.SubElement(r, w("rPr"))
        props.append(element("rStyle", val="FootnoteReference"))
        r.append(element("footnoteReference", id=number))
        return self.wrap(r, change)

    # paragraphs --------------------------------------------------------

    def paragraph_element(self, style: str, runs: list[etree._Element],
                          change: str = "") -> etree._Element:
        p = element("p")
        props = etree.SubElement(p, w("pPr"))
        props.append(element("pStyle", val=style))
        text = "".join(t.text or "" for run in runs for t in run.iter(w("t"), w("delText")))
        if len(ARABIC.findall(text)) > len(LATIN.findall(text)):  # mostly right to left
            props.append(element("bidi"))
        if change:
            mark_props = etree.SubElement(props, w("rPr"))
            mark_props.append(self._revision(change))
        p.extend(runs)
        return p

    def paragraph(self, role: str, runs: list[etree._Element], change: str = "") -> None:
        self.body.insert(len(self.body) - 1,  # before the section properties
                         self.paragraph_element(by_role(role).id, runs, change))

    def segments(self, parts: heading.Segments, role: str) -> None:
        self.paragraph(role, [r for change, text in parts for r in self.run(text, change=change)])

    # the document --------------------------------------------------------

    def write(self, document: Document, target: Path) -> None:
        meta = document.meta
        self.notes = document.notes
        if meta.get("kind") not in ("resolution", "proposal", "document"):
            raise WordError("kind", "a page without a document's front matter cannot be "
                            "exported", hint="resolutions, proposals and documents can")
        for block in document.blocks:
            if isinstance(block, Heading) and block.level == 1 and meta["kind"] == "document":
                self.document_fields(meta)
                self.paragraph("title", self.inlines(block.inlines))
            elif isinstance(block, Heading) and block.level == 1:
                self.heading_block(meta, block)
            else:
                self.block(block, None, 0, "")
        self.finish(meta, target)

    def document_fields(self, meta: dict) -> None:
        """What stands above a document's title: its number, date, language, source."""
        for key, role, form in (("number", "doc-number", "Document {}"), ("date", "doc-date", "{}"),
                                ("original-language", "doc-language", "{}"),
                                ("source", "doc-source", "{}")):
            if meta.get(key):
                self.paragraph(role, self.run(form.format(meta[key])))

    def heading_block(self, meta: dict, title: Heading) -> None:
        proposal = meta.get("proposal") or {}
        if proposal:
            marker = "\t".join(str(v) for v in (proposal.get("action"), proposal.get("ref")) if v)
            self.paragraph("proposal", self.run(marker))
        edition, history = str(meta.get("edition", "")), properties.history_list(meta)
        language = self.language
        self.segments(heading.designation(str(meta["number"]), edition, history, language),
                      "designation")
        self.paragraph("title", self.inlines(title.inlines))
        self.segments(heading.history_line(history, language), "history")
        formula = meta.get("formula")
        self.segments(language.edition(segments(formula)) if formula else
                      heading.formula(edition, str(meta.get("assembly", "WTSA")),
                                      self.facts.assemblies, language), "formula")

    def block(self, block: Block, part_style: itu_labels.Style | None, depth: int,
              change: str) -> None:
        if isinstance(block, Para):
            self.paragraph(LEVEL_STYLES[max(depth - 1, 0)],
                           self.inlines(block.inlines, change=change), change)
        elif isinstance(block, Heading):
            self.paragraph(f"heading{block.level}", self.inlines(block.inlines))
        elif isinstance(block, ListBlock):
            self.items(block, part_style, depth + 1, change)
        elif isinstance(block, Part):
            self.part(block, change)
        elif isinstance(block, Directive):
            self.directive(block)
        elif isinstance(block, Table):
            self.table(block)

    def table(self, table: Table) -> None:
        """A Word table, its title in the paragraph above, header rows repeated."""
        if table.title:
            self.paragraph("table-title", self.inlines(table.title))
        grid = element("tbl")
        props = etree.SubElement(grid, w("tblPr"))
        props.append(element("tblStyle", val="TableGrid"))
        props.append(element("tblW", w="0", type="auto"))
        columns = etree.SubElement(grid, w("tblGrid"))
        for _ in range(max(len(row) for row in table.rows)):
            columns.append(element("gridCol"))
        for n, row in enumerate(table.rows):
            tr = etree.SubElement(grid, w("tr"))
            head = n < table.header_rows
            if head:
                etree.SubElement(tr, w("trPr")).append(element("tblHeader"))
            for cell in row:
                tc = etree.SubElement(tr, w("tc"))
                role = "table-head" if head else "table-text"
                paragraphs = [b for b in cell if isinstance(b, Para)]
                if len(paragraphs) != len(cell):
                    raise WordError("syntax", "only paragraphs can stand in a table cell")
                for block in paragraphs or [Para([])]:
                    tc.append(self.paragraph_element(by_role(role).id,
                                                     self.inlines(block.inlines)))
        self.body.insert(len(self.body) - 1, grid)

    def part(self, part: Part, change: str) -> None:
        change = CHANGE.get(part.options.get("change", ""), change)
        if part.options.get("proposal"):
            self.paragraph("proposal", self.run(part.options["proposal"].replace(" ", "\t", 1)))
        words = self.inlines(part.words, frozenset({"em"}), change)
        self.paragraph("call", words, change)
        kind = self.facts.part_kind(plain(part.words), part.options.get("kind", ""))
        for block in part.blocks:
            self.block(block, itu_labels.PART_STYLES[kind], 0, change)

    def directive(self, directive: Directive) -> None:
        role = {"abstract": "abstract", "note": "note"}.get(directive.name)
        if role:
            for block in directive.blocks:
                if not isinstance(block, Para):
                    raise WordError("syntax", f"only paragraphs can stand in a {role}")
                self.paragraph(role, self.inlines(block.inlines))
            return
        self.paragraph("annex", self.run("ANNEX"))
        if directive.argument:
            self.paragraph("annex-title", self.inlines(directive.argument))
        for block in directive.blocks:
            self.block(block, None, 0, "")

    def items(self, block: ListBlock, part_style: itu_labels.Style | None, depth: int,
              change: str) -> None:
        style = list_style(block, part_style, depth)
        role = LEVEL_STYLES[min(depth, len(LEVEL_STYLES)) - 1]
        for item, shown in zip(block.items, shown_labels(block.items, style), strict=True):
            old, new = (self.letters(v, style) for v in shown)
            item_change = CHANGE.get(whole_change(item), change)
            label = self.label(old, new, style.suffix if style.numbered else "", change)
            first = True
            for sub in item:
                if isinstance(sub, Para) and first:
                    runs = label + self.inlines(sub.inlines, change=change)
                    self.paragraph(role, runs, item_change)
                    first = False
                elif isinstance(sub, Para):
                    self.paragraph(role, self.inlines(sub.inlines, change=change), item_change)
                else:
                    self.block(sub, part_style, depth, change)

    def letters(self, label: str | None, style: itu_labels.Style) -> str | None:
        """A lettered label in the language's letters (б, ب); others as they are."""
        if label and self.language.letters and style.enumtype.endswith("alpha"):
            return itu_labels.localize(label, self.language.letters)
        return label

    def label(self, old: str | None, new: str | None, suffix: str,
              change: str) -> list[etree._Element]:
        """A typed label and its tab; a changed label as deleted and inserted text."""
        if old is None and new is None:  # an item shown without a label
            return self.run("\t", change=change)
        if old == new or change:
            return self.run(f"{new or old}{suffix}\t", change=change)
        if old is None or new is None:
            return self.run(f"{old or new}{suffix}\t", change="del" if new is None else "ins")
        return [*self.run(old, change="del"), *self.run(new, change="ins"),
                *self.run(f"{suffix}\t")]

    def finish(self, meta: dict, target: Path) -> None:
        package = self.doc.part.package
        if self.footnotes:
            notes = etree.Element(w("footnotes"), nsmap={"w": W})
            for number, kind in (("-1", "separator"), ("0", "continuationSeparator")):
                note = etree.SubElement(notes, w("footnote"))
                note.set(w("type"), kind)
                note.set(w("id"), number)
                p = etree.SubElement(note, w("p"))
                etree.SubElement(etree.SubElement(p, w("r")), w(kind))
            notes.extend(self.footnotes)
            part = PackagePart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES,
                               etree.tostring(notes, xml_declaration=True, encoding="UTF-8",
                                              standalone=True), package)
            self.doc.part.relate_to(part, RT.FOOTNOTES)
        for rel_id, rel in list(package.rels.items()):  # the blank document's preview
            if rel.reltype == RT.THUMBNAIL:
                del package.rels[rel_id]
        custom = PackagePart(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES,
                             properties.custom_xml(meta), package)
        package.relate_to(custom, RT.CUSTOM_PROPERTIES)
        self.doc.core_properties.author = self.author
        kind = "Document" if meta.get("kind") == "document" else "Resolution"
        self.doc.core_properties.title = f"{kind} {meta.get('number')}"
        self.doc.save(str(target))


def add_styles(doc: docx.document.Document) -> None:
    """The ITU styles of :mod:`styles`, created in the blank document python-docx
    starts from: this is the reference document, made in code."""
    for spec in STYLES:
        try:
            style = doc.styles[spec.name]
        except KeyError:
            style = doc.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        if spec.based_on:
            style.base_style = doc.styles[spec.based_on]
        font = style.font
        font.name, font.size = "Times New Roman", Pt(spec.size)
        font.italic, font.bold = spec.italic or None, spec.bold or None
        if spec.builtin:
            font.color.rgb = None
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Twips(spec.before), Twips(0)
        fmt.keep_with_next = spec.keep_next or None
        if spec.center:
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if spec.left or spec.hanging:
            fmt.left_indent, fmt.first_line_indent = Twips(spec.left), Twips(-spec.hanging)
        if spec.name == "Normal":
            for stop in ITEM_TABS:
                fmt.tab_stops.add_tab_stop(Twips(stop))
    reference = doc.styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
    reference.font.superscript = True
