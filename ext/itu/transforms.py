"""Transforms: from what the editor wrote to the full semantic tree."""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes as dn
from sphinx.transforms import SphinxTransform

from . import labels, nodes
from .autolink import Cited, citation_xref
from .data import site_data
from .i18n import localize_editions, split_form, translate
from .marks import ROLE_NAME, UNCLOSED, accept, reject
from .messages import warn
from .metadata import Meta, MetaError, marked_nodes, read_meta
from .policy import did_you_mean
from .redline.words import MOVED


def front_matter_line(path: str, key: str) -> int:
    """The line of ``key:`` in a file's front matter (1 if it is absent)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            break
        if line.startswith(f"{key}:"):
            return number
    return 1


class FrontMatter(SphinxTransform):
    """Read the front matter into the domain and print the heading block from it."""

    default_priority = 300  # before docutils' DocInfo (340) turns it into docinfo

    def apply(self, **kwargs) -> None:
        first = self.document.children[0] if self.document.children else None
        if not isinstance(first, dn.field_list):
            return
        self.document.remove(first)
        fields = {f[0].astext(): f[1].astext() for f in first}
        if "kind" not in fields:
            return
        try:
            meta = read_meta(fields)
        except MetaError as err:
            line = front_matter_line(self.document["source"], err.key)
            warn("meta", str(err), (self.env.docname, line), err.hint)
            return
        assemblies = site_data(self.env).assemblies
        if meta.kind != "document" and assemblies and meta.assembly not in assemblies:
            warn("meta", f"no assembly {meta.assembly!r} is known",
                 (self.env.docname, front_matter_line(self.document["source"], "assembly")),
                 did_you_mean(meta.assembly, assemblies,
                              "the assemblies are in source/_data/assemblies.yaml"))
        section = self.document.next_node(dn.section)
        if section is None:
            warn("meta", "the document has no '# title'", (self.env.docname, 1),
                 "add a level-one heading with the title after the front matter")
            return
        if meta.redline:  # generated, reached by links rather than by a table of contents
            self.env.metadata[self.env.docname]["orphan"] = True
        self.env.get_domain("itu").note_document(self.env.docname, meta, section)
        top = self.document.index(section)
        head, tail = head_nodes(meta), tail_nodes(meta, site_data(self.env).assemblies)
        for node in (*head, *tail):
            localize_editions(node, self.env)
        self.document[top:top] = head
        section[1:1] = tail
        if meta.kind == "resolution":  # a proposal's annex is as its author wrote it
            for annex in self.document.findall(nodes.annex):
                annex.insert(0, annex_designation(meta))
                localize_editions(annex[0], self.env)


def head_nodes(meta: Meta) -> list[dn.Node]:
    """What stands above the title: proposal marker, designation, document fields."""
    if meta.kind == "document":
        return [nodes.doc_field("", text, name=name) for name, text in (
            ("number", translate("Document {number}").format(number=meta.number)),
            ("date", meta.date),
            ("original-language", meta.original_language), ("source", meta.source),
        ) if text]
    head: list[dn.Node] = []
    if meta.proposal:
        head.append(nodes.proposal_mark("", "", action=meta.proposal.get("action", ""),
                                        ref=meta.proposal.get("ref", "")))
    # Translators: the designation above a resolution's title
    form = translate("RESOLUTION {number} ({edition})").replace("{number}", str(meta.number))
    head.append(nodes.designation("", "", *_around(*split_form(form, "edition"),
                                                   edition_nodes(meta))))
    return head


def annex_designation(meta: Meta) -> nodes.designation:
    """What heads a resolution's annex: "ANNEX (TO RESOLUTION 44 (Rev. Hammamet, 2016))"."""
    # Translators: the designation above a resolution's annex
    form = translate("ANNEX (TO RESOLUTION {number} ({edition}))").replace(
        "{number}", str(meta.number))
    return nodes.designation("", "", *_around(*split_form(form, "edition"),
                                              edition_nodes(meta)), classes=["itu-annex-of"])


def edition_nodes(meta: Meta) -> list[dn.Node]:
    """The edition as a designation prints it, marked where a proposal changes it, with
    "Rev." inside the mark of the edition it qualifies."""
    edition = marked_nodes(meta.edition)
    base_rev, new_rev = meta.is_revision(reject), meta.is_revision(accept)
    # Translators: a revised edition: "Rev. New Delhi, 2024"
    rev_before, rev_after = split_form(translate("Rev. {edition}"), "edition")
    if base_rev and new_rev:
        edition = _around(rev_before, rev_after, edition)
    elif new_rev or base_rev:
        _prefix(edition, nodes.insertion if new_rev else nodes.deletion, rev_before)
    return edition


def _around(before: str, after: str, content: list[dn.Node]) -> list[dn.Node]:
    """Content between two pieces of text (either may be empty)."""
    return [*([dn.Text(before)] if before else []), *content,
            *([dn.Text(after)] if after else [])]


def _prefix(marked: list[dn.Node], change: type[dn.TextElement], text: str) -> None:
    """Prefix text inside the first mark of a kind, or as a mark of its own."""
    for node in marked:
        if isinstance(node, change):
            node.insert(0, dn.Text(text))
            return
    marked.insert(0, change("", text))


def tail_nodes(meta: Meta, assemblies: dict) -> list[dn.Node]:
    """What follows the title: the history line and the assembly formula."""
    if meta.kind == "document":
        return []
    entries: list[dn.Node] = []
    # Translators: between the editions of the history line
    separator = translate("; ")
    for n, entry in enumerate(meta.history):
        marked = marked_nodes(entry)
        if entry != meta.edition and [type(m) for m in marked] == [dn.Text]:
            # an earlier edition: a link to it, on the site or where the ITU publishes it
            marked = [citation_xref(Cited("resolution", meta.assembly, meta.number, entry),
                                    dn.inline("", "", *marked), "edition")]
        if n:
            _separate(marked, entry, separator)
        entries += marked
    history = nodes.history_line("", "", *_around(
        # Translators: the history line: the editions of a resolution
        *split_form(translate("({editions})"), "editions"), entries))
    if meta.formula:
        formula = marked_nodes(meta.formula)
    else:
        name = translate(assemblies.get(meta.assembly, {}).get("name", meta.assembly))
        # Translators: the assembly formula that opens a resolution
        form = translate("The {assembly} ({edition}),").replace("{assembly}", name)
        formula = _around(*split_form(form, "edition"), marked_nodes(meta.edition))
    return [history, nodes.formula("", "", *formula)]


def _separate(marked: list[dn.Node], entry: str, separator: str) -> None:
    """Put the separator before an entry; inside its mark if the whole entry is one."""
    if not reject(entry):
        _prefix(marked, nodes.insertion, separator)
    elif not accept(entry):
        _prefix(marked, nodes.deletion, separator)
    else:
        marked.insert(0, dn.Text(separator))


SPAN_LEFT_OPEN = re.compile(r"\{\.(?:ins|del)\}")  # "[one{.ins}": printed as text
MARKS = (nodes.insertion, nodes.deletion)


class ChangeMarks(SphinxTransform):
    """Turn ``[text]{.ins}`` spans into change nodes; report marks left unclosed."""

    default_priority = 310

    def apply(self, **kwargs) -> None:
        nodes.changes_from_spans(self.document)
        for block in self.document.findall(dn.container):  # a redline's changed table;
            classes = list(block["classes"])  # docutils writes its classes as they are
            nodes.take_facts(block, classes)["classes"] = classes
        if not self.env.get_domain("itu").is_redline(self.env.docname):  # its sources' say
            self.check_marks()

    def check_marks(self) -> None:
        """Warn about marks left open, a mark's role inside another's and marks around
        no text."""
        for text in self.document.findall(dn.Text):
            if isinstance(text.parent, dn.literal):
                continue
            if UNCLOSED.search(text):
                warn("mark", "a change mark does not close", text.parent,
                     "close it with a backquote: {ins}`text` or {del}`text`")
            elif ROLE_NAME.search(text) and any(isinstance(a, MARKS)
                                                for a in nodes.ancestors(text)):
                warn("mark", "a change mark's {ins}`...` or {del}`...` is written inside "
                     "another one's backquotes, and is printed as text", text.parent,
                     "write the outer mark as a span, which may hold marks: "
                     "[new {del}`old` words]{.ins}")
            elif SPAN_LEFT_OPEN.search(text):
                warn("mark", "a change mark's text has no opening '['", text.parent,
                     "write it as [text]{.ins} or [text]{.del}")
        for mark in self.document.findall(lambda n: isinstance(n, MARKS)
                                          and not n.astext().strip()):
            warn("mark", "a change mark marks no text", mark,
                 "put the changed text inside it, or remove it")


class Labels(SphinxTransform):
    """Turn the lists of a document into labelled items with stable anchors."""

    default_priority = 320

    def apply(self, **kwargs) -> None:
        domain = self.env.get_domain("itu")
        if domain.document(self.env.docname) is None:
            return
        for part in self.document.findall(nodes.part):
            for lst in _lists(part):
                _label_list(lst, labels.PART_STYLES[part["kind"]], part["ids"][0], 1,
                            self.document, part["name"])
        for lst in list(self.document.findall(_is_list)):
            if not any(isinstance(a, (dn.list_item, nodes.item)) for a in nodes.ancestors(lst)):
                section = next((a for a in nodes.ancestors(lst) if a.get("ids")), None)
                prefix = section["ids"][0] if section is not None else "item"
                _label_list(lst, None, prefix, 0, self.document)
        domain.note_anchors(self.env.docname, self.document.ids)
        letters = site_data(self.env).languages.get(self.config.language, {}).get("letters")
        if letters:
            _localize_letters(self.document, letters)


def _localize_letters(document: dn.document, letters: str) -> None:
    """Print lettered labels in the language's alphabet; their anchors stay Latin."""
    for lst in document.findall(nodes.item_list):
        if not lst["style"].endswith("alpha"):
            continue
        for label in (child[0] for child in lst.children
                      if child.children and isinstance(child[0], nodes.item_label)):
            for text in list(label.findall(dn.Text)):
                text.parent.replace(text, dn.Text(labels.localize(str(text), letters)))


def _is_list(node: dn.Node) -> bool:
    return isinstance(node, (dn.enumerated_list, dn.bullet_list))


def _lists(node: dn.Element) -> list[dn.Element]:
    """The lists directly under a node."""
    return [child for child in node.children if _is_list(child)]


def _style(lst: dn.Element, part_style: labels.Style | None, depth: int) -> labels.Style:
    """Bullets keep their bullet; in a part, the part's style by depth; elsewhere,
    the style the list was written in."""
    if isinstance(lst, dn.bullet_list):
        return labels.bullet(lst.get("bullet", "-"))
    if depth:
        return labels.nested_style(part_style, depth)
    return labels.list_style(lst.get("enumtype", "arabic"), lst.get("suffix", "."))


def _label_list(lst: dn.Element, part_style: labels.Style | None, prefix: str, depth: int,
                document: dn.document, name: str = "") -> None:
    """Replace a docutils list by an item_list whose items carry computed labels.

    In a part, ``depth`` counts from 1 and ``part_style`` is the part's; outside
    parts ``depth`` is 0 and every list keeps its own style.
    """
    style = _style(lst, part_style, depth)
    result = nodes.item_list(style=style.enumtype)
    result.source, result.line = lst.source, lst.line
    old = new = 0
    renumbered: list[tuple[nodes.item, str]] = []
    for list_item in lst.children:
        change, facts = _whole_change(list_item)
        item = nodes.item("", *list_item.children, change=change, **facts)
        item.source, item.line = list_item.source, list_item.line
        old += item["change"] != "inserted"
        new += item["change"] != "deleted"
        label, key, old_key = _label(item, style, old, new)
        item["name"] = name
        if label is not None:
            item.insert(0, label)
            if style.numbered:
                item["name"] = f"{name} {nodes.accepted_text(label)}".strip()
        anchor = prefix
        if style.numbered and key:
            anchor = nodes.unique_id(f"{prefix}-{key}", item, document)
            if old_key and old_key != key:
                renumbered.append((item, f"{prefix}-{old_key}"))
        for sub in _lists(item):
            _label_list(sub, part_style, anchor, depth + 1 if depth else 0, document,
                        item["name"])
        result += item
    for item, alias in renumbered:  # old numbers still lead to the renumbered item
        if alias not in document.ids:
            item["ids"].append(alias)
            document.ids[alias] = item
    lst.replace_self(result)


def _whole_change(list_item: dn.Element) -> tuple[str, dict[str, bool]]:
    """"inserted"/"deleted" when the item's whole text is one insertion/deletion, and
    the redline's facts of that mark (computed, moved)."""
    paragraphs = [c for c in list_item.children if isinstance(c, dn.paragraph)]
    if not paragraphs:
        return "", {}
    kinds, facts = set(), {}
    for paragraph in paragraphs:
        content = [c for c in paragraph.children
                   if not isinstance(c, nodes.label_override)
                   and not (isinstance(c, dn.Text) and not c.strip())]
        if len(content) == 1 and isinstance(content[0], dn.inline) and \
                MOVED in content[0]["classes"]:  # moved here, its edits marked inside
            paragraph.replace(content[0], content[0].children)
            kinds.add("inserted")
            facts = {"moved": True}
            continue
        if len(content) != 1 or not isinstance(content[0], (nodes.insertion, nodes.deletion)):
            return "", {}
        kinds.add("inserted" if isinstance(content[0], nodes.insertion) else "deleted")
        facts = {fact: True for fact in nodes.REDLINE_FACTS.values() if content[0].get(fact)}
    return (kinds.pop(), facts) if len(kinds) == 1 else ("", {})


def _label(item: nodes.item, style: labels.Style, old: int, new: int):
    """The label node of an item (None for no label), its anchor key and old key."""
    if not style.numbered:
        return nodes.item_label("", dn.Text(labels.bullet_text(style))), "", ""
    override = next((c for p in item.children if isinstance(p, dn.paragraph)
                     for c in p.children if isinstance(c, nodes.label_override)), None)
    if override is not None:
        override.parent.remove(override)
        before, _, after = override["value"].partition(">")
        shown = [None if v == "none" else v for v in (before, after or before)]
    else:
        change = item["change"]
        shown = [None if change == "inserted" else style.text(style.key(old)),
                 None if change == "deleted" else style.text(style.key(new))]
    old_text, new_text = shown
    if old_text is None and new_text is None:
        return None, "", ""
    key = new_text.lower() if new_text else f"{old_text.lower()}-deleted"
    return _label_node(old_text, new_text, style.suffix), key, (old_text or "").lower()


def _label_node(old: str | None, new: str | None, suffix: str) -> nodes.item_label:
    """A label as the reader sees it: plain, gained, lost or changed from old to new."""
    if old == new:
        content: list[dn.Node] = [dn.Text(new)]
    else:
        content = [*([nodes.deletion("", old)] if old else []),
                   *([nodes.insertion("", new)] if new else [])]
    return nodes.item_label("", *content, *([dn.Text(suffix)] if suffix else []))
