"""The shape both directions share: a document as front matter, blocks and footnotes.

MyST (``myst.py``) and Word (``reader.py``, ``writer.py``) are read into and
written from this model, so that a round trip compares like with like.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import labels


class WordError(Exception):
    """A problem for the person running the command: ``code`` is ``itu.word.<code>``."""

    def __init__(self, code: str, message: str, where: str = "", hint: str = "") -> None:
        super().__init__(message)
        self.code, self.where, self.hint = code, where, hint

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        hint = f" {self.hint[:1].upper()}{self.hint[1:]}." if self.hint else ""
        return f"{where}{self.args[0]}.{hint} [itu.word.{self.code}]"


# inlines -------------------------------------------------------------------


@dataclass
class Text:
    text: str


@dataclass
class Mark:
    """Emphasis, strong emphasis, or a change mark around other inlines."""

    kind: str  # "em", "strong", "ins" or "del"
    children: list[Inline]


@dataclass
class Role:
    """A role whose value is not text to show: ``{stdfn}``, ``{label}``, ``{res}``."""

    name: str
    value: str


@dataclass
class Note:
    """A footnote reference."""

    label: str


Inline = Text | Mark | Role | Note


# blocks --------------------------------------------------------------------


@dataclass
class Para:
    inlines: list[Inline]


@dataclass
class Heading:
    level: int
    inlines: list[Inline]


@dataclass
class ListBlock:
    """A list: ``marker`` is ``1.``, ``1)``, ``-`` or ``*``; ``style`` a block
    attribute such as ``lower-alpha`` (ordered lists outside parts)."""

    marker: str
    items: list[list[Block]]
    style: str = ""

    @property
    def ordered(self) -> bool:
        return self.marker[0].isdigit()


@dataclass
class Part:
    """``:::{part} call words`` with its options (change, proposal, kind, id, class)."""

    words: list[Inline]
    options: dict[str, str]
    blocks: list[Block]


@dataclass
class Directive:
    """Another block directive of the syntax: abstract, note, annex."""

    name: str
    argument: list[Inline]
    blocks: list[Block]


@dataclass
class Table:
    """``:::{list-table} title`` with ``:header-rows:``; a cell is a list of blocks."""

    title: list[Inline]
    header_rows: int
    rows: list[list[list[Block]]]


Block = Para | Heading | ListBlock | Part | Directive | Table


@dataclass
class Document:
    meta: dict[str, Any]
    blocks: list[Block]
    notes: dict[str, list[Block]] = field(default_factory=dict)


# helpers -------------------------------------------------------------------


def plain(inlines: list[Inline], version: str = "accept") -> str:
    """The text of inlines with changes accepted (or ``version="reject"``)."""
    out = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Mark):
            dropped = "del" if version == "accept" else "ins"
            if node.kind != dropped:
                out.append(plain(node.children, version))
    return "".join(out)


def tidy(inlines: list[Inline]) -> list[Inline]:
    """Merge neighbouring texts and marks of one kind; drop empty ones."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Mark):
            node = Mark(node.kind, tidy(node.children))
            if not node.children:
                continue
        if isinstance(node, Text) and not node.text:
            continue
        last = out[-1] if out else None
        if isinstance(node, Text) and isinstance(last, Text):
            out[-1] = Text(last.text + node.text)
        elif isinstance(node, Mark) and isinstance(last, Mark) and last.kind == node.kind:
            out[-1] = Mark(node.kind, tidy(last.children + node.children))
        else:
            out.append(node)
    return out


def whole_change(blocks: list[Block]) -> str:
    """"inserted"/"deleted" when an item's text is one insertion/deletion (as the
    build decides it: a leading ``{label}`` and blank text do not count)."""
    paragraphs = [b for b in blocks if isinstance(b, Para)]
    kinds = set()
    for paragraph in paragraphs:
        content = [n for n in paragraph.inlines if not (isinstance(n, Role) and n.name == "label")
                   and not (isinstance(n, Text) and not n.text.strip())]
        if len(content) != 1 or not isinstance(content[0], Mark) \
                or content[0].kind not in ("ins", "del"):
            return ""
        kinds.add("inserted" if content[0].kind == "ins" else "deleted")
    return kinds.pop() if len(kinds) == 1 else ""


def label_override(blocks: list[Block]) -> str | None:
    """The value of an item's ``{label}`` role, if it has one."""
    for block in blocks:
        if isinstance(block, Para):
            for node in block.inlines:
                if isinstance(node, Role) and node.name == "label":
                    return node.value
    return None


def shown_labels(items: list[list[Block]], style: Any) -> list[tuple[str | None, str | None]]:
    """Each item's label as shown, (before, after) the changes (None: no label), as the
    build computes it: by position, counting inserted items only after and deleted
    ones only before, unless a ``{label}`` says otherwise. ``style`` is a
    :class:`itu.labels.Style`."""
    shown = []
    old = new = 0
    for blocks in items:
        change = whole_change(blocks)
        old += change != "inserted"
        new += change != "deleted"
        override = label_override(blocks)
        if not style.numbered:
            text = labels.bullet_text(style)
            shown.append((text, text))
        elif override is not None:
            before, _, after = override.partition(">")
            shown.append(tuple(None if v == "none" else v for v in (before, after or before)))
        else:
            shown.append((None if change == "inserted" else style.text(style.key(old)),
                          None if change == "deleted" else style.text(style.key(new))))
    return shown


ENUMTYPES = {"lower-alpha": "loweralpha", "upper-alpha": "upperalpha",
             "lower-roman": "lowerroman", "upper-roman": "upperroman"}


def list_style(block: ListBlock, part_style: labels.Style | None, depth: int) -> labels.Style:
    """How a list labels its items, as the build decides it: in a part by depth,
    elsewhere as written."""
    if not block.ordered:
        return labels.bullet(block.marker)
    if part_style is not None:
        return labels.nested_style(part_style, depth)
    return labels.list_style(ENUMTYPES.get(block.style, "arabic"), block.marker[1])
