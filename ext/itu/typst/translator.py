"""One document as Typst markup: each node as what it is, in the template's terms.

The template (``itu.typ``, beside this module) decides how things look; the
translator only calls its functions (``#part``, ``#item``, ``#ins``, ...).
"""

from __future__ import annotations

import re

from docutils import nodes as dn
from sphinx.builders import Builder
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxTranslator
from sphinx.util.logging import get_node_location

from .. import nodes
from ..i18n import whole_block_note
from .markup import escape, label_name, pdf_path, string

_ = get_translation("sphinx")

BLOCK = "]\n\n"  # the end of a call that makes a block
IMAGES = "images"  # the builder's folder of the documents' pictures


def _call(function: str, closing: str = "]"):
    """Visitors that set a node's content as the argument of a template function."""
    def visit(self: TypstTranslator, node: dn.Element) -> None:
        self.anchors(node)
        self.add(f"#{function}[")

    def depart(self: TypstTranslator, node: dn.Element) -> None:
        self.add(closing)

    return visit, depart


def _untranslated(node: dn.Node) -> bool:
    return isinstance(node, dn.Element) and "untranslated" in node["classes"]


class TypstTranslator(SphinxTranslator):
    """One document as Typst markup in the template's functions."""

    # ``builder`` is the TypstBuilder (whose ``fail`` reports), which imports this module
    def __init__(self, document: dn.document, builder: Builder, docname: str) -> None:
        super().__init__(document, builder)
        self.docname = docname
        self.body: list[str] = []
        self.level = 0
        self.footnotes = {f["ids"][0]: f for f in document.findall(dn.footnote)}
        self.noted: dict[str, str] = {}  # a footnote (its id, or text): its label
        self.counters: list[int] = []
        self.head = False  # in a table's header row
        self.characters: set[str] = set()  # what the fonts must cover

    def astext(self) -> str:
        return "".join(self.body)

    def add(self, *parts: str) -> None:
        self.body.extend(parts)

    def anchors(self, node: dn.Element) -> None:
        """Make the node's ids places a link can go to."""
        self.add(self.anchor_marks(node))

    def transparent(self, node: dn.Element) -> None:
        """Nothing of its own to write: its children say it all."""

    def line_end(self, node: dn.Element) -> None:
        self.add("\n")

    def anchor_marks(self, node: dn.Element) -> str:
        return "".join(f"#metadata(none)<{label_name(self.docname, anchor)}>"
                       for anchor in node.get("ids") or ())

    def dispatch_visit(self, node: dn.Node) -> None:
        """Each node as its visitor writes it; the content of a passage shown in
        English because it is not translated (``untranslated``) in an ``#untranslated``
        with its language and direction."""
        super().dispatch_visit(node)  # a node skipped (SkipNode) opens nothing
        if _untranslated(node):
            lang = next((c[9:] for c in node["classes"] if c.startswith("language-")), "en")
            self.add(f"#untranslated(lang: {string(lang)}, dir: {node.get('dir', 'auto')})[")

    def dispatch_departure(self, node: dn.Node) -> None:
        if _untranslated(node):
            self.add("]")
        super().dispatch_departure(node)

    def unknown_visit(self, node: dn.Node) -> None:
        where = next((n for n in [node, *nodes.ancestors(node)] if get_node_location(n)),
                     None)
        self.builder.fail(f"the PDF builder does not know the node "
                          f"'{node.__class__.__name__}' ({node.__class__.__module__}), so its "
                          "text would be lost", where or self.docname,
                          "add a visitor for it to ext/itu/typst/translator.py, or write "
                          "the text without it")
        raise dn.SkipNode

    # --- docutils structure ---------------------------------------------------

    visit_document = depart_document = depart_Text = transparent
    visit_compound = depart_compound = depart_table = transparent
    visit_call_words = depart_item_list = transparent
    visit_paragraph = visit_table = visit_item_list = anchors  # only a place

    def visit_inline(self, node: dn.inline) -> None:
        self.anchors(node)
        if node.get("aid"):  # an aid to the reader beside the text, set apart
            self.add("#aid[")

    def depart_inline(self, node: dn.inline) -> None:
        if node.get("aid"):
            self.add("]")

    def visit_section(self, node: dn.section) -> None:
        self.level += 1
        self.anchors(node)

    def depart_section(self, node: dn.section) -> None:
        self.level -= 1

    def visit_title(self, node: dn.title) -> None:
        if isinstance(node.parent, dn.section) and self.level == 1:
            self.add("#doc-title[")
        elif isinstance(node.parent, dn.section):  # an annex's headings go under its bookmark
            level = self.level + any(isinstance(a, nodes.annex) for a in nodes.ancestors(node))
            self.add(f"#heading(level: {level}, outlined: false, bookmarked: true)[")
        else:
            self.add("#rubric[")

    def depart_title(self, node: dn.title) -> None:
        self.add(BLOCK)

    def depart_paragraph(self, node: dn.paragraph) -> None:
        self.add("\n\n")

    def visit_Text(self, node: dn.Text) -> None:
        self.add(escape(node.astext()))
        self.characters.update(node.astext())

    visit_emphasis, depart_emphasis = _call("emph")
    visit_strong, depart_strong = _call("strong")
    def visit_insertion(self, node: nodes.insertion) -> None:
        self.add(self._mark("ins", node))

    def visit_deletion(self, node: nodes.deletion) -> None:
        self.add(self._mark("del", node))

    def depart_insertion(self, node: dn.Element) -> None:
        self.add("]")

    depart_deletion = depart_insertion

    @staticmethod
    def _mark(function: str, node: dn.Element) -> str:
        """A change mark; a redline's computed one is shaded besides."""
        return f"#{function}(computed: true)[" if node.get("computed") else f"#{function}["
    visit_rubric, depart_rubric = _call("rubric", BLOCK)
    visit_designation, depart_designation = _call("designation", BLOCK)
    visit_history_line, depart_history_line = _call("history", BLOCK)
    visit_formula, depart_formula = _call("formula", BLOCK)

    def visit_literal(self, node: dn.literal) -> None:
        self.add(f"#raw({string(node.astext())})")
        raise dn.SkipNode

    def visit_literal_block(self, node: dn.literal_block) -> None:
        self.anchors(node)
        self.add(f"#raw(block: true, {string(node.astext(), lines=True)})\n\n")
        self.characters.update(node.astext())
        raise dn.SkipNode

    def visit_image(self, node: dn.image) -> None:
        """A picture of the content tree, copied beside the Typst files by the builder
        (``post_process_images``); its alternative text where it has none to show."""
        self.anchors(node)
        copied = self.builder.images.get(node["uri"])
        alt = node.get("alt", "")
        self.add(f"#image(\"/{IMAGES}/{copied}\", alt: {string(alt)})"
                 if copied else escape(alt))
        raise dn.SkipNode

    def visit_reference(self, node: dn.reference) -> None:
        uri = node.get("refuri", "")
        docname, _hash, anchor = uri.partition("#")
        if node.get("refid", anchor) not in self.document.ids and (
                "refid" in node or docname == self.docname):
            self.add("#[")  # a place this page does not hold (a side-by-side cell's): text
        elif "refid" in node:
            self.add(f"#link(<{label_name(self.docname, node['refid'])}>)[")
        elif node.get("internal") or not re.match(r"[a-z][a-z0-9+.-]*:", uri):
            self.add(f"#xref({string(label_name(docname))}, {string(anchor)}, "
                     f"{string(pdf_path(docname))})[")
        else:
            self.add(f"#link({string(uri)})[")

    def depart_reference(self, node: dn.reference) -> None:
        self.add("]")

    def visit_target(self, node: dn.target) -> None:
        self.anchors(node)
        raise dn.SkipNode

    def visit_footnote_reference(self, node: dn.footnote_reference) -> None:
        """A footnote is set where it is first referred to; later references to it
        repeat its number, and so, side by side, do those to another proposal's footnote
        of the same text (each proposal has its own copy; the page's HTML, like a
        document's, keeps every footnote apart)."""
        footnote = self.footnotes[node["refid"]]
        body = [c for c in footnote.children if not isinstance(c, dn.label)]
        side_by_side = any(isinstance(a, nodes.comparison) for a in nodes.ancestors(node))
        key = " ".join(c.astext() for c in body) if side_by_side else node["refid"]
        if key in self.noted:
            self.add(f"#footnote(<{self.noted[key]}>)")
        else:
            self.noted[key] = name = label_name(self.docname, f"footnote-{node['refid']}")
            self.add("#footnote[")
            for child in body:
                child.walkabout(self)
            self.add(f"]<{name}>")
        raise dn.SkipNode

    def visit_footnote(self, node: dn.footnote) -> None:
        raise dn.SkipNode  # set at its reference

    def visit_comment(self, node: dn.Node) -> None:
        raise dn.SkipNode

    visit_toctree = visit_comment

    def visit_note(self, node: dn.note) -> None:
        self.add(f"#note(title: {string(_('Note'))})[")

    def depart_note(self, node: dn.note) -> None:
        self.add(BLOCK)

    visit_block_quote, depart_block_quote = _call("quote(block: true)", BLOCK)

    def visit_transition(self, node: dn.transition) -> None:
        self.add("#rule()\n\n")
        raise dn.SkipNode

    # lists of pages that are no ITU document (the Labels transform makes items of the rest)
    def visit_bullet_list(self, node: dn.bullet_list) -> None:
        self.counters.append(0)

    def depart_bullet_list(self, node: dn.bullet_list) -> None:
        self.counters.pop()

    visit_enumerated_list, depart_enumerated_list = visit_bullet_list, depart_bullet_list

    def visit_list_item(self, node: dn.list_item) -> None:
        self.counters[-1] += 1
        numbered = isinstance(node.parent, dn.enumerated_list)
        self.add(f"#item(label: [{self.counters[-1]}.])[" if numbered else "#item(label: [•])[")

    def depart_list_item(self, node: dn.list_item) -> None:
        self.add("]\n")

    # tables
    def visit_tgroup(self, node: dn.tgroup) -> None:
        """Column widths as the editor gave them, else as the cells need."""
        given = "colwidths-given" in node.parent["classes"]
        columns = ", ".join(f"{c['colwidth']}fr" if given else "auto"
                            for c in node.findall(dn.colspec))
        self.add(f"#table(columns: ({columns},),\n")

    def depart_tgroup(self, node: dn.tgroup) -> None:
        self.add(")\n\n")

    def visit_colspec(self, node: dn.colspec) -> None:
        raise dn.SkipNode

    def visit_thead(self, node: dn.thead) -> None:
        self.add("table.header(")
        self.head = True

    def depart_thead(self, node: dn.thead) -> None:
        self.add("),\n")
        self.head = False

    visit_tbody = depart_tbody = visit_row = transparent
    depart_row = line_end

    def visit_entry(self, node: dn.entry) -> None:
        span = {"colspan": node.get("morecols", 0) + 1, "rowspan": node.get("morerows", 0) + 1}
        spans = ", ".join(f"{k}: {v}" for k, v in span.items() if v > 1)
        self.add(f"table.cell({spans})[" if spans else "[")
        if self.head:
            self.add("#strong[")

    def depart_entry(self, node: dn.entry) -> None:
        self.add("]], " if self.head else "], ")

    def visit_container(self, node: dn.container) -> None:
        """A block; a redline's changed table or code is one, wholly inserted or deleted."""
        change = node.get("change", "")
        self.anchors(node)
        if node.get("whole"):  # no word inside it is marked: said so
            self.add(f"#emph[{escape(whole_block_note())}]\n\n")
        self.add(f"#changed({string(change)}, [")

    def depart_container(self, node: dn.container) -> None:
        self.add("])\n\n")

    # --- proposals side by side: one table, a column per proposal ----------------

    def visit_comparison(self, node: nodes.comparison) -> None:
        self.anchors(node)
        shares = node.get("widths") or [1] * node.get("columns", 1)
        self.add(f"#table(columns: ({''.join(f'{share}fr, ' for share in shares)}), "
                 "inset: 5pt,\n")

    def depart_comparison(self, node: nodes.comparison) -> None:
        self.add(")\n\n")

    def visit_comparison_head(self, node: nodes.comparison_head) -> None:
        self.add("table.header(" if node["column"] == 0 else "", "[#strong[")

    def depart_comparison_head(self, node: nodes.comparison_head) -> None:
        self.add("]], ", "),\n" if node["column"] == node.parent["columns"] - 1 else "")

    def visit_comparison_group(self, node: nodes.comparison_group) -> None:
        """A group opens with its name across every column (its anchors in that cell:
        a table's arguments are code, not text)."""
        self.add(f"table.cell(colspan: {node.parent['columns']}, fill: luma(235))["
                 f"{self.anchor_marks(node)}#strong[{escape(node['name'])}]],\n")

    # on paper every row is there to read: a run of unchanged rows is no fold
    depart_comparison_group = transparent
    visit_comparison_unchanged = depart_comparison_unchanged = transparent
    depart_comparison_row = line_end

    def visit_comparison_row(self, node: nodes.comparison_row) -> None:
        if node.get("notes"):  # on paper footnotes stand at the foot of the page
            raise dn.SkipNode

    def visit_comparison_cell(self, node: nodes.comparison_cell) -> None:
        self.add("[")

    def depart_comparison_cell(self, node: nodes.comparison_cell) -> None:
        self.add("], ")

    # --- the ITU nodes ----------------------------------------------------------

    def visit_doc_field(self, node: nodes.doc_field) -> None:
        self.add(f"#field(name: {string(node['name'])})[")

    def depart_doc_field(self, node: nodes.doc_field) -> None:
        self.add(BLOCK)

    def visit_proposal_mark(self, node: nodes.proposal_mark) -> None:
        self.add(f"#{proposal(node['action'], node['ref'])}\n\n")
        raise dn.SkipNode

    def visit_part(self, node: nodes.part) -> None:
        mark = proposal(node["action"], node["ref"]) if node["action"] else "none"
        self.add(f"#part(name: {string(node['name'])}, change: {string(node['change'])}, "
                 f"proposal-mark: {mark})[")
        self.anchors(node)  # inside: where the part lands, its anchors land

    def depart_part(self, node: nodes.part) -> None:
        self.add(BLOCK)

    def depart_call_words(self, node: nodes.call_words) -> None:
        self.add("][")  # the call words are the part's first argument, the rest its body

    def visit_item(self, node: nodes.item) -> None:
        self.add(f"#item(change: {string(node['change'])}, label: ")
        if not (node.children and isinstance(node[0], nodes.item_label)):
            self.add("none)[")
            self.item_start(node)

    def item_start(self, node: nodes.item) -> None:
        """Where an item's text begins: its anchors, and a redline's move in words."""
        self.anchors(node)
        if node.get("moved"):
            note = _("Moved here") if node["change"] == "inserted" else _("Moved from here")
            self.add(f"#move-note[{escape(note)}]")

    def depart_item(self, node: nodes.item) -> None:
        self.add("]\n")

    def visit_item_label(self, node: nodes.item_label) -> None:
        self.add("[")

    def depart_item_label(self, node: nodes.item_label) -> None:
        self.add("])[")
        self.item_start(node.parent)

    def visit_label_override(self, node: nodes.label_override) -> None:
        raise dn.SkipNode  # consumed by labelling

    def visit_annex(self, node: nodes.annex) -> None:
        title = next((c.astext() for c in node.children[:2] if isinstance(c, dn.rubric)), "")
        self.add(f"#annex(name: {string(title or _('Annex'))})[")
        self.anchors(node)  # after the annex's page break

    def depart_annex(self, node: nodes.annex) -> None:
        self.add(BLOCK)

    def visit_abstract(self, node: nodes.abstract) -> None:
        self.add(f"#abstract(title: {string(_('Abstract:'))})[")

    def depart_abstract(self, node: nodes.abstract) -> None:
        self.add(BLOCK)


def proposal(action: str, ref: str) -> str:
    """The template's call for a proposal marker (an expression, without ``#``)."""
    return f"proposal(action: {string(action)}, ref: {string(ref)})"
