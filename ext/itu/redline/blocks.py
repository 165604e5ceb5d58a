"""The blocks of a MyST document as the redline reads them, from MyST's own parser: parts
and other directives, lists and items, paragraphs and headings, footnotes, and whole
constructs (tables, code)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from markdown_it.tree import SyntaxTreeNode

from ..marks import accept
from ..policy import markdown, split_directive
from ..text import SAFE_LOADER

PROSE = {"part", "abstract", "annex", "note", "admonition", "important", "tip", "warning"}


# the largest document the diff build compares: about 8 and 20 times the largest now
MAX_BYTES = 256_000


MAX_LINES = 5_000


MAX_DEPTH = 16  # blocks within blocks (directives, lists, items): real documents use 5


SIZE_CODE = "[itu.redline-size]"


READ_CODE = "[itu.redline-read]"  # a block MyST reads that the redline cannot place


ITEM = re.compile(r"( {0,3})(\d+[.)]|[-*+])( *)")


FOOTNOTE = re.compile(r"\s*\[\^[^\]]+\]:[ \t]*")


QUOTE = re.compile(r" {0,3}> ?")


DIRECTIVE = re.compile(r"\{([\w-]+)\}\s*(.*)")


LABEL = re.compile(r"^\{label\}`[^`]*`\s*")


@dataclass
class Block:
    """One block of a document as MyST reads it: ``para`` (a paragraph or heading),
    ``list``, ``item``, ``quote``, ``fence`` (a directive whose body is text),
    ``footnote`` or ``verbatim`` (tables, code, rules, other directives: compared
    whole)."""

    kind: str
    text: str = ""               # para, footnote: the text; item: its marker
    lines: list[str] = field(default_factory=list)  # the source lines as written
    name: str = ""               # fence: directive name; footnote: key
    options: list[str] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)
    prefix: str = ""             # para: "# " for a heading; fence: the fence characters
    before: list[str] = field(default_factory=list)  # lines it takes along: (target)=, {attrs}

    def key(self) -> str:
        """What must be equal for two blocks to be the same block."""
        if self.kind == "fence":
            return f"fence:{self.name}:{accept(self.text)}"
        if self.kind == "footnote":
            return f"footnote:{self.name}"
        return f"{self.kind}:{plain(self)}"


def plain(block: Block) -> str:
    """A block's words, for similarity."""
    own = split_label(block.text)[1] if block.kind in ("para", "footnote") else ""
    return " ".join([own, *(plain(c) for c in block.children)]).strip()


class SourceError(ValueError):
    """A document that cannot be read: the message names the line."""


def check_size(text: str | None) -> None:
    """Refuse a document (None: an absent one) too large for the diff build to compare."""
    size, lines = len((text or "").encode()), (text or "").count("\n")
    if size > MAX_BYTES or lines > MAX_LINES:
        raise SourceError(f"{size:,} bytes in {lines:,} lines: a redline compares documents "
                          f"of at most {MAX_BYTES:,} bytes and {MAX_LINES:,} lines; split it "
                          f"{SIZE_CODE}")


def parse(text: str) -> tuple[dict, list[Block]]:
    """A MyST document: its front matter and its body blocks."""
    front, lines = front_matter(text)
    return front, parse_blocks(lines)


def front_matter(text: str) -> tuple[dict, list[str]]:
    """A MyST document's front matter, and the lines of its body."""
    front: dict = {}
    lines = text.splitlines()
    if lines[:1] == ["---"] and "---" in lines[1:]:
        end = lines.index("---", 1)
        try:
            loaded = yaml.load("\n".join(lines[1:end]), Loader=SAFE_LOADER)
        except yaml.YAMLError as err:
            mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
            line = mark.line + 2 if mark else 1
            raise SourceError(f"line {line}: the front matter is not valid YAML "
                              f"({getattr(err, 'problem', err)})") from None
        front = loaded if isinstance(loaded, dict) else {}
        lines = lines[end + 1:]
    return front, lines


@dataclass(frozen=True)
class _Lines:
    """Source lines as a container holds them (an item's without its indent); ``first``
    is the number, in markdown-it's map, of the first."""

    lines: list[str]
    first: int = 0

    def span(self, start: int, end: int) -> list[str]:
        out = self.lines[start - self.first:end - self.first]
        while out and not out[-1].strip():
            out.pop()
        return out


def parse_blocks(lines: list[str], depth: int = 0) -> list[Block]:
    """The blocks of a run of lines (a document body or a directive's body, ``depth``
    blocks deep), from MyST's own markdown-it tokens."""
    nodes = SyntaxTreeNode(markdown().parse("\n".join(lines))).children
    return _blocks(nodes, _Lines(lines), depth)


def _blocks(nodes: list[SyntaxTreeNode], lines: _Lines, depth: int) -> list[Block]:
    """Blocks of the nodes of one container. Lines no node holds (an attribute line, a
    link definition) and targets go along with the block after them."""
    blocks: list[Block] = []
    before: list[str] = []
    at = lines.first
    for node in nodes:
        start, end = node.map or (at, at)
        if depth + node.level > MAX_DEPTH:
            raise SourceError(f"line {start + 1}: blocks are nested more than {MAX_DEPTH} "
                              f"deep (directives and list items within each other) {SIZE_CODE}")
        before += [x for x in lines.span(at, start) if x.strip()]
        at = max(at, end)
        if node.type == "myst_line_comment":  # a comment is not text: never compared
            continue
        if node.type == "myst_target":
            before += lines.span(start, end)
            continue
        block = _block(node, lines, depth)
        block.before, before = before, []
        blocks.append(block)
    before += [x for x in lines.span(at, lines.first + len(lines.lines)) if x.strip()]
    if before:
        blocks.append(Block("verbatim", lines=before))
    return blocks


def _block(node: SyntaxTreeNode, lines: _Lines, depth: int) -> Block:
    """The block of one node of markdown-it's syntax tree."""
    start, end = node.map or (0, 0)
    source = lines.span(start, end)
    if node.type in ("paragraph", "heading"):
        text = " ".join(x.strip() for x in node.children[0].content.splitlines())
        prefix = "#" * int(node.tag[1:]) + " " if node.type == "heading" else ""
        return Block("para", text, source, prefix=prefix)
    if node.type == "footnote_reference":
        first = _first(source)
        key = FOOTNOTE.match(first)
        text = " ".join(x.strip() for x in [first[key.end():] if key else first,
                                            *source[1:]])
        return Block("footnote", text.strip(), source, node.meta["label"])
    if node.type in ("bullet_list", "ordered_list"):
        return Block("list", lines=source,
                     children=[_item(item, lines, depth) for item in node.children])
    if node.type == "blockquote":
        content = [QUOTE.sub("", x, count=1) for x in source]
        return Block("quote", lines=source,
                     children=_blocks(node.children, _Lines(content, start), depth))
    directive = DIRECTIVE.fullmatch(node.info.strip()) \
        if node.type in ("fence", "colon_fence") else None
    if directive and directive[1] in PROSE:
        parsed = split_directive(directive[2], node.content)
        options = [f":{key}: {value}".rstrip() for key, value in parsed.options.items()]
        return Block("fence", directive[2], source, directive[1], options,
                     parse_blocks(parsed.body, depth + node.level + 1), node.markup)
    return Block("verbatim", lines=source, name=directive[1] if directive else "")


def _item(node: SyntaxTreeNode, lines: _Lines, depth: int) -> Block:
    """A list item: its marker, and its content read without the item's indent."""
    start, end = node.map or (0, 0)
    source = lines.span(start, end)
    item = ITEM.match(_first(source))
    if item is None:  # MyST reads an item the redline cannot place: say so, never guess
        raise SourceError(f"line {start + 1}: a list item whose marker the redline cannot "
                          f"read {READ_CODE}")
    indent, marker, space = item.groups()
    width = len(indent) + len(marker) + (len(space) if 0 < len(space) <= 4 else 1)
    content = [source[0][width:], *(x[:width].lstrip(" ") + x[width:] if x[:width].strip()
                                    else x[width:] for x in source[1:])]
    return Block("item", marker, source,
                 children=_blocks(node.children, _Lines(content, start), depth))


def _first(source: list[str]) -> str:
    """The first line of a block's source ("" for a block MyST gave no line)."""
    return source[0] if source else ""


def split_label(text: str) -> tuple[str, str]:
    """A leading {label} override (kept out of any mark) and the rest of the text."""
    label = LABEL.match(text)
    head = label[0] if label else ""
    return head, text[len(head):]
