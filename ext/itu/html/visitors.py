"""HTML visitors for the ITU nodes: all HTML decisions about them live here."""

from __future__ import annotations

import math
from collections.abc import Callable

from docutils import nodes as dn
from sphinx.locale import get_translation
from sphinx.writers.html5 import HTML5Translator

from .. import nodes
from ..compare import NARROWEST
from ..i18n import whole_block_note

_ = get_translation("sphinx")


class Translator(HTML5Translator):
    """Sphinx's HTML, with what a node's facts say of it: its writing direction where
    it has its own (``dir``: a passage in a language written the other way than the
    page's), and that it is an aid to the reader, not the text (``aid``: a note that
    search does not index), that a redline compares it whole (``whole``: a table or
    code block, said before it). A permalink (a heading's, a clause's) is no stop of
    the keyboard's tab order: the page's outline leads there."""

    def starttag(self, node: dn.Element, tagname: str, suffix: str = "\n",
                 empty: bool = False, **attributes: str) -> str:
        if isinstance(node, dn.Element) and node.get("dir"):
            attributes.setdefault("dir", node["dir"])
        if isinstance(node, dn.Element) and node.get("aid"):
            attributes.update({"role": "note", "data-pagefind-ignore": ""})
        said = ""
        if isinstance(node, dn.container) and node.get("whole"):  # no word marked inside
            said = f'<p class="itu-whole-note" role="note">{self.encode(whole_block_note())}</p>\n'
        return said + super().starttag(node, tagname, suffix, empty, **attributes)

    def add_permalink_ref(self, node: dn.Element, title: str) -> None:
        if node["ids"] and self.config.html_permalinks and self.builder.add_permalinks:
            self.body.append(f'<a class="headerlink" href="#{node["ids"][0]}" title="{title}" '
                             f'tabindex="-1">{self.config.html_permalinks_icon}</a>')


def _hidden(self: HTML5Translator, text: str) -> None:
    """Text for screen readers only (skipped by the fidelity test and by search)."""
    self.body.append(f'<span class="visually-hidden" data-pagefind-ignore>'
                     f'{self.encode(text)}</span>')


def _permalink(self: HTML5Translator, clause: nodes.part | nodes.item) -> None:
    """The clause's ¶ link; it also gives search (Pagefind) the clause's shown name,
    as the page's metadata "#anchor", so that a result names the clause it leads to."""
    anchor = clause["ids"][0]
    title = self.encode(_("Link to %s") % nodes.clause_name(clause))
    self.body.append(f'<a class="itu-permalink" href="#{anchor}" tabindex="-1" '
                     f'aria-label="{title}" title="{title}" data-pagefind-ignore '
                     f'data-pagefind-meta="#{anchor}:{self.encode(nodes.shown_name(clause))}">¶</a>')


def _close(tag: str):
    def depart(self: HTML5Translator, node: dn.Element) -> None:
        self.body.append(f"</{tag}>\n")

    return depart


def _block(tag: str, cls: str):
    def visit(self: HTML5Translator, node: dn.Element) -> None:
        self.body.append(self.starttag(node, tag, "", CLASS=cls))

    return visit, _close(tag)


def _proposal_mark(self: HTML5Translator, action: str, ref: str) -> None:
    self.body.append('<p class="itu-proposal-mark">')
    self.body.append(f'<span class="itu-action">{self.encode(action)}</span>')
    if ref:
        self.body.append(f' <span class="itu-ref">{self.encode(ref)}</span>')
    self.body.append("</p>\n")


def visit_proposal_mark(self: HTML5Translator, node: nodes.proposal_mark) -> None:
    _proposal_mark(self, node["action"], node["ref"])
    raise dn.SkipNode


def visit_part(self: HTML5Translator, node: nodes.part) -> None:
    classes = f"itu-part itu-{node['kind']}"
    if node["change"]:
        classes += f" itu-{node['change']}"
    self.body.append(self.starttag(node, "div", "", CLASS=classes + nodes.change_classes(node)))
    if node["action"]:
        _proposal_mark(self, node["action"], node["ref"])
    if node["change"]:
        _hidden(self, _("Inserted part:") if node["change"] == "inserted"
                else _("Deleted part:"))


def depart_part(self: HTML5Translator, node: nodes.part) -> None:
    self.body.append("</div>\n")


def visit_call_words(self: HTML5Translator, node: nodes.call_words) -> None:
    """A part's call words head it: a heading one level below its section's."""
    self.body.append(self.starttag(node, "p", "", CLASS="itu-callwords", role="heading",
                                   **{"aria-level": str(self.section_level + 1)}))
    self.body.append("<em>")


def depart_call_words(self: HTML5Translator, node: nodes.call_words) -> None:
    self.body.append("</em>")
    part = node.parent
    _permalink(self, part)
    self.body.append("</p>\n")


def visit_item(self: HTML5Translator, node: nodes.item) -> None:
    classes = "itu-item" + (f" itu-{node['change']}" if node["change"] else "")
    self.body.append(self.starttag(node, "div", "", CLASS=classes + nodes.change_classes(node)))
    if node["ids"]:
        _permalink(self, node)
    if node.get("moved"):  # a redline's move: said in words, not by colour
        note = _("Moved here") if node["change"] == "inserted" else _("Moved from here")
        self.body.append(f'<span class="itu-move-note">{self.encode(note)}</span>')
    if not isinstance(node[0], nodes.item_label):
        self.body.append('<div class="itu-body">')


def depart_item(self: HTML5Translator, node: nodes.item) -> None:
    self.body.append("</div></div>\n")


def visit_item_label(self: HTML5Translator, node: nodes.item_label) -> None:
    self.body.append('<span class="itu-label">')


def depart_item_label(self: HTML5Translator, node: nodes.item_label) -> None:
    self.body.append('</span><div class="itu-body">')


def _change(tag: str, announce: Callable[[], tuple[str, str]]):
    """Visitors for a change mark; ``announce`` gives its spoken start and end."""
    def visit(self: HTML5Translator, node: dn.Element) -> None:
        self.body.append(self.starttag(node, tag, "", CLASS=f"itu-{tag}"
                                       + nodes.change_classes(node)))
        _hidden(self, f"[{announce()[0]}] ")

    def depart(self: HTML5Translator, node: dn.Element) -> None:
        _hidden(self, f" [{announce()[1]}]")
        self.body.append(f"</{tag}>")

    return visit, depart


def visit_abstract(self: HTML5Translator, node: nodes.abstract) -> None:
    self.body.append(self.starttag(node, "section", "", CLASS="itu-abstract"))
    self.body.append(f'<p class="itu-abstract-title">{self.encode(_("Abstract:"))}</p>\n')


def visit_doc_field(self: HTML5Translator, node: nodes.doc_field) -> None:
    self.body.append(self.starttag(node, "p", "", CLASS=f"itu-field itu-field-{node['name']}"))


def visit_citation_graph(self: HTML5Translator, node: nodes.citation_graph) -> None:
    """The citation graph as an SVG picture: resolutions on a circle, arrows for citations."""
    points, edges = node["points"], node["edges"]
    size, radius = 520, 200
    where = {}
    for n, point in enumerate(points):
        angle = 2 * math.pi * n / max(len(points), 1) - math.pi / 2
        where[point] = (size / 2 + radius * math.cos(angle), size / 2 + radius * math.sin(angle))
    title = self.encode(_("Citations between resolutions"))
    out = [f'<figure class="itu-citation-graph"><svg viewBox="0 0 {size} {size}" '
           f'role="img" aria-labelledby="citation-graph-title">'
           f'<title id="citation-graph-title">{title}</title>'
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
           'markerWidth="6" markerHeight="6" orient="auto-start-reverse">'
           '<path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>']
    for source, target in edges:
        (x1, y1), (x2, y2) = where[source], where[target]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1
        x2, y2 = x2 - dx / length * 24, y2 - dy / length * 24
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                   f'class="itu-edge" marker-end="url(#arrow)"><title>'
                   f'{self.encode(source)} → {self.encode(target)}</title></line>')
    for point, (x, y) in where.items():
        out.append(f'<g class="itu-point"><circle cx="{x:.1f}" cy="{y:.1f}" r="22"/>'
                   f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle">'
                   f'{self.encode(point)}</text></g>')
    caption = self.encode(_("Resolution to resolution citations: %d") % len(edges))
    out.append(f"</svg><figcaption>{caption}</figcaption></figure>\n")
    self.body.append("".join(out))
    raise dn.SkipNode


MAX_COLUMNS = 12  # theme/itu/static/itu-compare.css has a rule for each count


def visit_comparison(self: HTML5Translator, node: nodes.comparison) -> None:
    # a class, not a style attribute: the pages' Content-Security-Policy allows no inline style
    columns = min(node.get("columns", 1), MAX_COLUMNS)
    narrow = [f"itu-narrow-{n}" for n, share in enumerate(node.get("widths", [])[:columns], 1)
              if share <= NARROWEST]  # no text of its own: room for its head
    self.body.append(self.starttag(node, "div", "", CLASS=" ".join(
        ["itu-comparison", f"itu-columns-{columns}", *narrow])))


def visit_comparison_head(self: HTML5Translator, node: nodes.comparison_head) -> None:
    if node["column"] == 0:
        self.body.append('<div class="itu-cmp-heads">')
    self.body.append(self.starttag(node, "div", "", CLASS="itu-cmp-head"))


def depart_comparison_head(self: HTML5Translator, node: nodes.comparison_head) -> None:
    self.body.append("</div>")
    if node["column"] == node.parent["columns"] - 1:
        self.body.append("</div>\n")


def visit_comparison_group(self: HTML5Translator, node: nodes.comparison_group) -> None:
    self.body.append(self.starttag(node, "section", "", CLASS="itu-cmp-group",
                                   **{"aria-label": node["name"]}))


def visit_comparison_unchanged(self: HTML5Translator,
                               node: nodes.comparison_unchanged) -> None:
    count = len(node.children)
    self.body.append(self.starttag(node, "details", "", CLASS="itu-cmp-unchanged"))
    summary = _("Unchanged in every proposal: %d") % count
    self.body.append(f"<summary>{self.encode(summary)}</summary>")


def visit_comparison_row(self: HTML5Translator, node: nodes.comparison_row) -> None:
    kind = " itu-cmp-notes" if node.get("notes") else (
        " itu-cmp-changed" if node["changed"] else "")
    self.body.append(self.starttag(node, "div", "", CLASS="itu-cmp-row" + kind))


def visit_comparison_cell(self: HTML5Translator, node: nodes.comparison_cell) -> None:
    """A cell says whose it is: the column heads are not shown on a phone."""
    classes = "itu-cmp-cell" + (f" itu-{node['change']}" if node["change"] else "") + (
        "" if node.children else " itu-cmp-empty")
    self.body.append(self.starttag(node, "div", "", CLASS=classes))
    if node.children:
        self.body.append(f'<p class="itu-cmp-source">{self.encode(node["source"])}</p>')


def skip(self: HTML5Translator, node: dn.Node) -> None:
    raise dn.SkipNode


def pass_through(self: dn.NodeVisitor, node: dn.Node) -> None:
    """Write what the node holds and nothing of its own."""


VISITORS = {
    nodes.designation: _block("p", "itu-designation"),
    nodes.doc_field: (visit_doc_field, _close("p")),
    nodes.history_line: _block("p", "itu-history"),
    nodes.formula: _block("p", "itu-formula"),
    nodes.proposal_mark: (visit_proposal_mark, None),
    nodes.part: (visit_part, depart_part),
    nodes.call_words: (visit_call_words, depart_call_words),
    nodes.item_list: _block("div", "itu-items"),
    nodes.item: (visit_item, depart_item),
    nodes.item_label: (visit_item_label, depart_item_label),
    nodes.label_override: (skip, None),
    nodes.insertion: _change("ins", lambda: (_("insertion"), _("end of insertion"))),
    nodes.deletion: _change("del", lambda: (_("deletion"), _("end of deletion"))),
    nodes.abstract: (visit_abstract, _close("section")),
    nodes.annex: _block("section", "itu-annex"),
    nodes.document_index: (skip, None),
    nodes.citation_index: (skip, None),
    nodes.citation_graph: (visit_citation_graph, None),
    nodes.comparison: (visit_comparison, _close("div")),
    nodes.comparison_head: (visit_comparison_head, depart_comparison_head),
    nodes.comparison_group: (visit_comparison_group, _close("section")),
    nodes.comparison_unchanged: (visit_comparison_unchanged, _close("details")),
    nodes.comparison_row: (visit_comparison_row, _close("div")),
    nodes.comparison_cell: (visit_comparison_cell, _close("div")),
}
