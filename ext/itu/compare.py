"""Proposals side by side: a column per proposal, a row per clause of the resolution.

Rows are found, not typed. A proposal is cut into groups (its heading block, each
part, each annex) and units (the lines of the heading block, call words, items,
paragraphs, headings). Groups of the proposals meet by their call words as they
read with the changes rejected; units meet by what they are (the history line,
the formula...) or by how alike their base texts are, so that one base item
stands in one row however each proposal renumbers it, and an item that only one
proposal inserts gets a row of its own.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from docutils import nodes as dn
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.environment import BuildEnvironment
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from . import nodes
from .domain import DocumentEntry
from .messages import warn

_ = get_translation("sphinx")

KEYED = (nodes.proposal_mark, nodes.designation, nodes.history_line, nodes.formula,
         nodes.call_words)
"""Units of which a proposal has one per group: they meet by kind alone."""
SHOWN = ("proposal_mark", "designation", "document-title", "call_words")
"""Kinds of unit whose rows are never folded: they say what the rows below are."""
SKIPPED = (dn.comment, dn.target, dn.footnote, dn.system_message)
ALIKE = 0.75
"""How much (0-1, in words) of one base text another must hold to share a row."""
ALIKE_NEW = 0.8
"""How alike two insertions of different proposals must be to share a row."""


class SideBySideDirective(SphinxDirective):
    """``:::{side-by-side} 44`` — the proposals for a resolution in columns."""

    required_arguments = 1
    option_spec = {"assembly": directives.unchanged_required}

    def run(self) -> list[dn.Node]:
        assembly, number = self.options.get("assembly", "WTSA"), self.arguments[0].strip()
        self.env.get_domain("itu").note_comparison(self.env.docname, assembly, number)
        node = nodes.comparison(assembly=assembly, number=number)
        self.set_source_info(node)
        return [node]


@dataclass
class Unit:
    """A thing that takes one cell: ``kind`` and ``words`` decide its row."""

    kind: str
    words: list[str]
    node: dn.Element | None = None
    change: str = ""  # "inserted"/"deleted" when its whole part is
    name: str = ""  # a group's name: the part's call words as they were
    units: list[Unit] = field(default_factory=list)  # a group's units


def _unit(node: dn.Element, change: str = "") -> Unit:
    if isinstance(node, KEYED):
        return Unit(type(node).__name__, [], node, change)
    base = " ".join(nodes.rejected_text(c) for c in node.children
                    if not isinstance(c, nodes.item_label)).split()
    if change == "inserted" or node.get("change") == "inserted" or not base:
        return Unit("new", nodes.accepted_text(node).split(), node, change)
    return Unit("title" if isinstance(node, (dn.title, dn.rubric)) else "block", base,
                node, change)


def _units(children: list[dn.Node], change: str = "") -> list[Unit]:
    """The units of a run of blocks: each item of a list is one; sections open up."""
    result: list[Unit] = []
    for child in children:
        if isinstance(child, SKIPPED) or not isinstance(child, dn.Element):
            continue
        if isinstance(child, nodes.item_list):
            result += [_unit(item, change) for item in child.children]
        elif isinstance(child, dn.section):
            result += _units(child.children, change)
        else:
            result.append(_unit(child, change))
    return result


def outline(doctree: dn.document) -> list[Unit]:
    """A proposal as groups of units: its heading block, each part, each annex."""
    heading = Unit("heading", [])
    groups, seen = [heading], Counter()
    for child in doctree.children:
        if isinstance(child, (nodes.proposal_mark, nodes.designation)):
            heading.units.append(_unit(child))
        if not isinstance(child, dn.section):
            continue
        heading.units.append(Unit("document-title", [], child[0]))
        for sub in child.children[1:]:
            if isinstance(sub, nodes.part):
                # an inserted part has no base call words: its own are its name
                name = (nodes.accepted_text if sub["change"] == "inserted"
                        else nodes.rejected_text)(sub[0])
                seen[name] += 1
                groups.append(Unit(f"part {seen[name]} {name}", [], sub, name=name,
                                   units=_units(sub.children, sub["change"])))
            elif isinstance(sub, nodes.annex):
                seen["annex"] += 1
                groups.append(Unit(f"annex {seen['annex']}", [], sub, name=_("Annex"),
                                   units=_units(sub.children)))
            else:
                heading.units += _units([sub])
        break
    return groups


def align(columns: list[list[Unit]]) -> list[dict[int, Unit]]:
    """Rows of units, each row a {column: unit}; every column keeps its own order."""
    rows: list[tuple[Unit, dict[int, Unit]]] = []
    for column, units in enumerate(columns):
        last = -1
        for unit in units:
            match = _match(rows, unit, last, column)
            if match is None:
                last += 1
                rows.insert(last, (unit, {column: unit}))
            else:
                last = match
                rows[match][1][column] = unit
    return [cells for _first, cells in rows]


def _match(rows: list[tuple[Unit, dict[int, Unit]]], unit: Unit, after: int,
           column: int) -> int | None:
    """The row after ``after`` where the unit belongs, if any: same kind and, for
    texts, the most alike base text (the nearest row among equals)."""
    best, score = None, (0.0, 0.0)
    for index in range(after + 1, len(rows)):
        first, cells = rows[index]
        if column in cells or first.kind != unit.kind:
            continue
        if unit.kind not in ("block", "title", "new"):
            return index
        likeness = _likeness(first.words, unit.words)
        if likeness > score:
            best, score = index, likeness
    return best if score[0] >= (ALIKE_NEW if unit.kind == "new" else ALIKE) else None


def _likeness(a: list[str], b: list[str]) -> tuple[float, float]:
    """How much of the shorter text the longer one holds, in order (a clause a
    proposal cuts short is still the same clause); then how alike both are."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    common = sum(block.size for block in matcher.get_matching_blocks())
    return common / max(min(len(a), len(b)), 1), 2 * common / max(len(a) + len(b), 1)


def proposals(env: BuildEnvironment, assembly: str,
              number: str) -> list[tuple[str, DocumentEntry]]:
    """The proposals for a resolution, in the order of their ``order`` (then name)."""
    return [(d, i) for d, i in env.get_domain("itu").by_kind("proposal")
            if i.assembly == assembly and i.number == number]


class FillComparisons(SphinxPostTransform):
    """Fill each comparison from the proposals' doctrees when its page is written."""

    default_priority = 5  # before references are resolved: copied citations resolve here

    def run(self, **kwargs: Any) -> None:
        if self.env.docname not in self.env.get_domain("itu").comparisons:
            return
        for node in list(self.document.findall(nodes.comparison)):
            found = proposals(self.env, node["assembly"], node["number"])
            if len(found) < 2:
                warn("compare", f"Resolution {node['number']} has {len(found)} proposal(s) "
                     "on the site; side by side needs two or more", node,
                     "check the number (and :assembly:) of the side-by-side directive")
                continue
            fill(node, [(d, i, self.env.get_doctree(d)) for d, i in found], self.document)


def fill(node: nodes.comparison, columns: list[tuple[str, DocumentEntry, dn.document]],
         document: dn.document) -> None:
    """Put the heads and the aligned groups of rows into a comparison node."""
    node["columns"] = len(columns)
    node += [_head(n, d, i) for n, (d, i, _doctree) in enumerate(columns)]
    outlines = [outline(doctree) for _d, _i, doctree in columns]
    footnotes = [list(doctree.findall(dn.footnote)) for _d, _i, doctree in columns]
    shown: list[set[str]] = [set() for _c in columns]  # footnotes shown, per column
    for group_cells in align(outlines):
        first = next(iter(group_cells.values()))
        group = nodes.comparison_group(name=first.name or _("Heading block"))
        # the part's own anchor (from the English source, as in every language); else fixed
        anchor = first.node["ids"][0] if isinstance(first.node, nodes.part) \
            else first.kind.split()[0]
        nodes.unique_id(f"compare-{anchor}", group, document)
        rows = align([group_cells[c].units if c in group_cells else [] for c in
                      range(len(columns))])
        run: list[nodes.comparison_row] = []
        for cells in rows:
            row = _row(cells, columns)
            if row["changed"] or any(unit.kind in SHOWN for unit in cells.values()):
                group += _collapsed(run)
                run = []
                group += row
            else:
                run.append(row)
        group += _collapsed(run)
        notes = _notes(group, columns, footnotes, shown)
        if notes is not None:
            group += notes
        node += group
    node["widths"] = widths([sum(len(cell.astext()) for cell in node.findall(
        nodes.comparison_cell) if cell["column"] == n) for n in range(len(columns))])
    for element in node.findall(dn.Element):  # the copied anchors are the page's own now
        for anchor in element["ids"]:
            document.ids.setdefault(anchor, element)
    _retarget(node, [_prefix(d) for d, _i, _doctree in columns], document)


# the narrowest a column is, against the one with the most text: room for its head
NARROWEST = 0.3


def widths(lengths: list[int]) -> list[float]:
    """Each column's width, in proportion to the text it holds (the widest is 1): on
    paper, a proposal with no text of its own takes no more room than its head."""
    most = max(lengths, default=0) or 1
    return [round(max(NARROWEST, length / most), 2) for length in lengths]


def _retarget(node: nodes.comparison, prefixes: list[str], document: dn.document) -> None:
    """Links within a proposal to a place the page does not copy (an annex as a whole)
    lead to that place's group of rows; a link to a place the page lacks is text."""
    for ref in list(node.findall(dn.reference)):
        target = ref.get("refid")
        if not target or target in document.ids:
            continue
        own = next((target[len(p):] for p in prefixes if target.startswith(p)), target)
        if f"compare-{own}" in document.ids:
            ref["refid"] = f"compare-{own}"
        else:
            ref.replace_self(dn.inline("", "", *ref.children))


def _head(column: int, docname: str, info: DocumentEntry) -> nodes.comparison_head:
    """A column's head: the source (linking to the proposal), action, references."""
    proposal = info.proposal
    source = _source(docname, info)
    link = addnodes.pending_xref("", dn.inline("", source), refdomain="std", reftype="doc",
                                 reftarget=f"/{docname}", refexplicit=True)
    head = nodes.comparison_head(column=column, source=source)
    head += dn.paragraph("", "", link)
    head += dn.paragraph("", " ".join(filter(None, (proposal["action"],
                                                    proposal.get("ref")))))
    if proposal.get("document"):
        head += dn.paragraph("", proposal["document"])
    return head


def _row(cells: dict[int, Unit], columns: list[tuple[str, DocumentEntry, dn.document]]
         ) -> nodes.comparison_row:
    """A row with a cell per column; it is changed if any cell carries a mark or
    the proposals that have the clause word it differently."""
    row = nodes.comparison_row(changed=False)
    texts = set()
    for column, (docname, info, _doctree) in enumerate(columns):
        cell = _cell(column, docname, info)
        unit = cells.get(column)
        if unit is not None:
            cell["change"] = unit.change
            cell += _copy(unit.node, docname)
            texts.add(" ".join(nodes.accepted_text(unit.node).split()))  # spaces alike
            row["changed"] |= bool(unit.change or unit.node.get("change")) or any(
                unit.node.findall(lambda n: isinstance(n, (nodes.insertion, nodes.deletion))))
        row += cell
    row["changed"] |= len(texts) > 1
    return row


def _source(docname: str, info: DocumentEntry) -> str:
    return info.proposal.get("source") or docname


def _cell(column: int, docname: str, info: DocumentEntry) -> nodes.comparison_cell:
    return nodes.comparison_cell(column=column, source=_source(docname, info), change="")


def _prefix(docname: str) -> str:
    """What a proposal's anchors start with on the comparison page: "44-atu-"."""
    return docname.rsplit("/", 1)[-1] + "-"


def _collapsed(rows: list[nodes.comparison_row]) -> list[dn.Node]:
    """Rows in which the proposals agree, shown on demand (a single one is shown)."""
    return [nodes.comparison_unchanged("", *rows)] if len(rows) > 1 else rows


def _copy(node: dn.Element, docname: str) -> dn.Element:
    """A copy of a proposal's node for the comparison page: anchors prefixed with the
    proposal's name (unique on the page), titles and call words as paragraphs,
    citations resolved from this page."""
    prefix = _prefix(docname)
    copy = node.deepcopy()
    for element in copy.findall(dn.Element):
        for key in ("ids", "backrefs"):
            element[key] = [prefix + i for i in element.get(key, [])]
        if "refid" in element:
            element["refid"] = prefix + element["refid"]
        if isinstance(element, addnodes.pending_xref):
            element.attributes.pop("refdoc", None)
    if isinstance(copy, dn.title):
        return dn.paragraph("", "", *copy.children, classes=["itu-cmp-title"])
    if isinstance(copy, nodes.call_words):
        return dn.paragraph("", "", dn.emphasis("", "", *copy.children),
                            classes=["itu-callwords"])
    return copy


def _notes(group: nodes.comparison_group,
           columns: list[tuple[str, DocumentEntry, dn.document]],
           footnotes: list[list[dn.footnote]], shown: list[set[str]]
           ) -> nodes.comparison_row | None:
    """A last row with the footnotes each column's cells refer to (each shown once)."""
    row = nodes.comparison_row(changed=False, notes=True)
    found = False
    for column, (docname, info, _doctree) in enumerate(columns):
        prefix, cell = _prefix(docname), _cell(column, docname, info)
        wanted = [ref["refid"][len(prefix):] for c in group.findall(nodes.comparison_cell)
                  if c["column"] == column for ref in c.findall(dn.footnote_reference)
                  if ref.get("refid")]
        for footnote in footnotes[column]:
            if set(footnote["ids"]) & set(wanted) and not set(footnote["ids"]) & shown[column]:
                shown[column] |= set(footnote["ids"])
                cell += _copy(footnote, docname)
                found = True
        row += cell
    return row if found else None
