"""The semantic nodes of an ITU document: what a thing *is*, not how it looks."""

from docutils import nodes
from docutils.nodes import Node


class designation(nodes.Part, nodes.TextElement):
    """The document's designation: "RESOLUTION 74 (Rev. New Delhi, 2024)"."""


class history_line(nodes.Part, nodes.TextElement):
    """The editions of a resolution under its title."""


class formula(nodes.Part, nodes.TextElement):
    """The assembly formula: "The World ... Assembly (New Delhi, 2024),"."""


class doc_field(nodes.Part, nodes.TextElement):
    """One printed field of a document's header (number, date, source...)."""


class proposal_mark(nodes.Part, nodes.TextElement):
    """A proposal marker: action (MOD, ADD, SUP, NOC) and contribution reference."""


class part(nodes.General, nodes.Element):
    """A part of a resolution led by call words; ``kind`` is preambular or operative."""


class call_words(nodes.Part, nodes.TextElement):
    """The call words that lead a part."""


class item_list(nodes.General, nodes.Element):
    """A list of labelled items."""


class item(nodes.Part, nodes.Element):
    """One labelled item; ``change`` is "inserted" or "deleted" for a whole-item mark."""


class item_label(nodes.Part, nodes.Element):
    """The computed label of an item, possibly showing a label change.

    Not a TextElement: labels are not prose (smart quotes and citations skip them).
    """


class label_override(nodes.Inline, nodes.TextElement):
    """An editor's fixed label for an item (``{label}`` role), consumed by labelling."""


class insertion(nodes.Inline, nodes.TextElement):
    """Inserted text."""


class deletion(nodes.Inline, nodes.TextElement):
    """Deleted text."""


class abstract(nodes.General, nodes.Element):
    """The abstract of a contribution."""


class annex(nodes.General, nodes.Element):
    """An annex to a document."""


class document_index(nodes.General, nodes.Element):
    """Placeholder for the list of documents, filled in once all are read."""


class citation_index(nodes.General, nodes.Element):
    """Placeholder for the table and graph of every citation, filled in once all are read."""


class translation_status(nodes.General, nodes.Element):
    """Placeholder for the table of translation coverage, filled in at writing."""


class citation_graph(nodes.General, nodes.Element):
    """The citation graph between resolutions: ``points`` and ``edges``."""


class comparison(nodes.General, nodes.Element):
    """The proposals for one resolution side by side (``number``, ``assembly``);
    filled when the page is written (``widths``: each column's share, for paper):
    ``columns`` comparison_head nodes, then
    comparison_group nodes of comparison_row nodes (runs of them inside a
    comparison_unchanged), each row a comparison_cell per column."""


class comparison_head(nodes.Part, nodes.Element):
    """The head of one column: who proposes, in which contribution."""


class comparison_group(nodes.Part, nodes.Element):
    """The rows of one part of the resolution (``name``: its call words as they were)."""


class comparison_unchanged(nodes.Part, nodes.Element):
    """A run of rows in which no proposal changes anything (shown on demand)."""


class comparison_row(nodes.Part, nodes.Element):
    """One clause of the resolution as each proposal has it; ``changed`` if any marks it."""


class comparison_cell(nodes.Part, nodes.Element):
    """What one proposal (``source``, ``column``) has in a row; may be empty."""


# what a redline's MyST writes as classes (the syntax has no other way), and the node
# attribute each becomes as it is read: builders look at the attributes only
REDLINE_FACTS = {"itu-computed": "computed", "itu-moved": "moved",
                 "itu-whole": "whole"}  # whole: a table or code compared whole, said so
BLOCK_CHANGES = {"itu-inserted-block": "inserted", "itu-deleted-block": "deleted"}


def take_facts(node: nodes.Element, classes: list[str]) -> nodes.Element:
    """Give ``node`` the facts its classes state (``computed``, ``moved``, a block's
    ``change``) as attributes, and the other classes as classes."""
    for name in classes:
        if name in REDLINE_FACTS:
            node[REDLINE_FACTS[name]] = True
        elif name in BLOCK_CHANGES:
            node["change"] = BLOCK_CHANGES[name]
    node["classes"] = [c for c in classes if c not in REDLINE_FACTS]
    return node


def change_classes(node: nodes.Element) -> str:
    """The HTML classes that say a node's redline facts."""
    return "".join(f" {cls}" for cls, fact in REDLINE_FACTS.items() if node.get(fact))


ALL = (
    designation, history_line, formula, doc_field, proposal_mark, part, call_words,
    item_list, item, item_label, label_override, insertion, deletion, abstract, annex,
    document_index, citation_index, citation_graph, translation_status, comparison,
    comparison_head, comparison_group, comparison_unchanged, comparison_row, comparison_cell,
)



def changes_from_spans(root: nodes.Element) -> None:
    """Turn ``[text]{.ins}`` / ``[text]{.del}`` spans under ``root`` into change nodes;
    a redline's facts among their classes become attributes."""
    for span in list(root.findall(nodes.inline)):
        change = next((c for c in ("ins", "del") if c in span["classes"]), None)
        if change:
            node = (insertion if change == "ins" else deletion)(span.rawsource, "",
                                                                *span.children)
            node.source, node.line = span.source, span.line
            span.replace_self(node)
            take_facts(node, [c for c in span["classes"] if c != change])


def accepted_text(node: Node) -> str:
    """The text of a node as it reads with its changes accepted."""
    return text_without(node, deletion)


def rejected_text(node: Node) -> str:
    """The text of a node as it reads with its changes rejected: the base text."""
    return text_without(node, insertion)


def text_without(node: Node, left_out: type[Node] | tuple[type[Node], ...]) -> str:
    """A node's text, leaving out the nodes of some kinds (a kind of change mark, ...),
    in one walk."""
    parts: list[str] = []

    def walk(element: Node) -> None:
        for child in element.children:
            if isinstance(child, nodes.Text):
                parts.append(str(child))
            elif not isinstance(child, left_out):
                walk(child)

    walk(node)
    return "".join(parts).strip()


def ancestors(node: Node, stop: Node | None = None):
    """The node's parent, its parent, and so on up to (not including) ``stop``."""
    node = node.parent
    while node is not None and node is not stop:
        yield node
        node = node.parent


def clause_of(node: Node) -> part | item | None:
    """The clause (a named item or part) a node stands in, if any.

    Parts and items carry their ``name`` from the moment they are labelled.
    """
    return next((a for a in [node, *ancestors(node)]
                 if isinstance(a, (item, part)) and a.get("name")), None)


def clause_name(node: Node) -> str:
    """How a reader names the clause a node stands in: "recalling b)", "resolves 2 ii)"."""
    clause = clause_of(node)
    return clause["name"] if clause is not None else ""


def shown_name(clause: part | item) -> str:
    """The clause's name as its page shows it, in the page's language: its part's call
    words, then the labels that ``clause_name`` counts ("décide 2", "يقرر 2"); a
    deleted clause keeps the name it had."""
    text = rejected_text if clause.get("change") == "deleted" else accepted_text
    if isinstance(clause, part):
        words = next((c for c in clause.children if isinstance(c, call_words)), None)
        return text(words) if words else clause.get("name", "")
    outer = next((a for a in ancestors(clause) if isinstance(a, (item, part))), None)
    shown = shown_name(outer) if outer is not None else ""
    if clause.get("name") != (outer.get("name") if outer is not None else ""):
        shown = f"{shown} {text(clause[0])}".strip()  # its label counts
    return shown


def unique_id(anchor: str, element: nodes.Element, document: nodes.document) -> str:
    """Give ``element`` the anchor, numbered (-2, -3, ...) if the document has it already."""
    candidate, n = anchor, 1
    while candidate in document.ids:
        n += 1
        candidate = f"{anchor}-{n}"
    element["ids"].append(candidate)
    document.ids[candidate] = element
    return candidate


def table(header: list, rows: list[list], widths: tuple[int, ...], cls: str) -> nodes.table:
    """A table of text or inline nodes, with a header row."""

    def row(cells: list) -> nodes.row:
        result = nodes.row()
        for cell in cells:
            content = nodes.paragraph("", "", cell) if isinstance(cell, Node) \
                else nodes.paragraph("", str(cell))
            result += nodes.entry("", content)
        return result

    group = nodes.tgroup(cols=len(widths))
    group.extend(nodes.colspec(colwidth=w) for w in widths)
    group += nodes.thead("", row(header))
    group += nodes.tbody("", *(row(cells) for cells in rows))
    return nodes.table("", group, classes=[cls])
