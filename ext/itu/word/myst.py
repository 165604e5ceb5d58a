"""MyST in the project's syntax, read into the model and written from it.

Reading uses the parser myst-parser itself uses, with the site's settings
(``policy.markdown``), without Sphinx. Writing produces the one
normal form the importer writes: numbered items ``1.``, footnotes ``[^1]``...
numbered in order of reference, call words and options as the syntax has them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import yaml

from ..policy import markdown, split_directive
from ..text import SAFE_LOADER
from .heading import history_line, read_history
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
    tidy,
)
from .properties import history_list

DIRECTIVES = ("part", "abstract", "note", "annex", "list-table")
ROLES = ("stdfn", "label", "res")


def parse_myst(text: str, where: str = "", renumber_notes: bool = True) -> Document:
    """A MyST document of the project's syntax as the model; constructs the Word
    bridge cannot carry raise ``WordError("syntax")``. Footnotes are numbered in
    order of reference unless ``renumber_notes`` is false."""
    env: dict[str, Any] = {}
    tokens = markdown().parse(text, env)
    meta: dict[str, Any] = {}
    if tokens and tokens[0].type == "front_matter":
        meta = yaml.load(tokens.pop(0).content, Loader=SAFE_LOADER) or {}
    if meta.get("history"):
        meta["history"] = normal_history(meta)
    notes: dict[str, list[Block]] = {}
    document = Document(meta, _blocks(tokens, env, notes, where), notes)
    return renumber(document) if renumber_notes else document


def normal_history(meta: dict[str, Any]) -> list[str] | str:
    """``history`` in one form: "place, year" entries, or the printed line as one
    string where its marks cross the separators."""
    return read_history(history_line(history_list(meta)))


def _unsupported(what: str, where: str, line: Any = None) -> WordError:
    at = f"{where}:{line[0] + 1}" if where and line else where
    return WordError("syntax", f"{what} cannot be carried to Word", at,
                     "write it with the constructs of docs/syntax.md that docs/word.md maps")


def _blocks(tokens: list, env: dict, notes: dict, where: str) -> list[Block]:
    out: list[Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "paragraph_open":
            out.append(Para(_inlines(tokens[i + 1].children or [], where)))
            i += 3
            continue
        if kind == "heading_open":
            out.append(Heading(int(token.tag[1]), _inlines(tokens[i + 1].children or [], where)))
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open", "footnote_reference_open"):
            end = _closing(tokens, i)
            inner = tokens[i + 1:end]
            if kind == "footnote_reference_open":
                notes[token.meta["label"]] = _blocks(inner, env, notes, where)
            else:
                marker = token.markup if kind == "bullet_list_open" else f"1{token.markup}"
                out.append(ListBlock(marker, _items(inner, env, notes, where),
                                     str((token.attrs or {}).get("style", ""))))
            i = end + 1
            continue
        if kind == "colon_fence":
            out.append(_directive(token, env, notes, where))
        elif kind not in ("footnote_block_open", "footnote_block_close", "myst_line_comment"):
            raise _unsupported(f"'{kind.removesuffix('_open')}'", where, token.map)
        i += 1
    return out


def _closing(tokens: list, start: int) -> int:
    """The index of the token that closes ``tokens[start]``."""
    depth = 0
    for n in range(start, len(tokens)):
        depth += tokens[n].nesting
        if depth == 0:
            return n
    return len(tokens) - 1


def _items(tokens: list, env: dict, notes: dict, where: str) -> list[list[Block]]:
    items, i = [], 0
    while i < len(tokens):
        end = _closing(tokens, i)
        items.append(_blocks(tokens[i + 1:end], env, notes, where))
        i = end + 1
    return items


def _directive(token, env: dict, notes: dict, where: str) -> Block:
    match = re.fullmatch(r"\{([\w-]+)\}\s*(.*)", token.info.strip())
    if not match or match[1] not in DIRECTIVES:
        raise _unsupported(f"the directive '{token.info.strip()}'", where, token.map)
    name, argument = match[1], match[2]
    parsed = split_directive(argument, token.content)
    options = parsed.options
    blocks = _blocks(markdown().parse("\n".join(parsed.body), env), env, notes, where)
    words = _inlines(markdown().parseInline(argument, env)[0].children or [], where) \
        if argument else []
    if name == "part":
        return Part(words, options, blocks)
    if name == "list-table":
        return _table(words, options, blocks, where, token.map)
    if options:
        raise _unsupported(f"options of '{name}'", where, token.map)
    return Directive(name, words, blocks)


def _table(title: list[Inline], options: dict[str, str], blocks: list[Block], where: str,
           line: Any) -> Table:
    """A list table: a bullet list of rows, each a bullet list of cells."""
    rows = blocks[0].items if len(blocks) == 1 and isinstance(blocks[0], ListBlock) else None
    if rows is None or any(len(r) != 1 or not isinstance(r[0], ListBlock) for r in rows) \
            or set(options) - {"header-rows"}:
        raise _unsupported("this list-table", where, line)
    return Table(title, int(options.get("header-rows", 0)), [r[0].items for r in rows])


class _InlineReader:
    """Reads inline tokens into the model: a mark's opening token starts a level of
    ``stack``, its closing token wraps that level in the mark."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.stack: list[list[Inline]] = [[]]
        self.kinds: list[str] = []

    def read(self, token: Any) -> None:
        """Add one token to the innermost open level."""
        handler = self.HANDLERS.get(token.type)
        if handler is None:
            raise _unsupported(f"inline '{token.type.removesuffix('_open')}'", self.where)
        handler(self, token)

    def text(self, token: Any) -> None:
        """Plain text."""
        self.stack[-1].append(Text(token.content))

    def line_break(self, token: Any) -> None:
        """A soft or hard line break is a space."""
        self.stack[-1].append(Text(" "))

    def open_mark(self, token: Any) -> None:
        """``*``, ``**`` or ``[...]{.ins}``/``[...]{.del}`` open a mark."""
        mark = token.type.removesuffix("_open")
        if token.type == "span_open":
            mark = self.span_class(token)
        self.kinds.append(mark)
        self.stack.append([])

    def span_class(self, token: Any) -> str:
        """The mark of a span: its one class, ``ins`` or ``del``."""
        classes = str((token.attrs or {}).get("class", "")).split()
        if not classes or classes[0] not in ("ins", "del") or len(classes) > 1:
            raise _unsupported(f"the span class '{' '.join(classes)}'", self.where)
        return classes[0]

    def close_mark(self, token: Any) -> None:
        """The innermost open mark ends: its level becomes the mark's children."""
        children = self.stack.pop()
        self.stack[-1].append(Mark(self.kinds.pop(), children))

    def role(self, token: Any) -> None:
        """``{ins}`` and ``{del}`` are marks; the project's roles are kept as roles."""
        name = token.meta["name"]
        if name in ("ins", "del"):
            self.stack[-1].append(Mark(name, [Text(token.content)]))
        elif name in ROLES:
            self.stack[-1].append(Role(name, token.content))
        else:
            raise _unsupported(f"the role '{{{name}}}'", self.where)

    def footnote_ref(self, token: Any) -> None:
        """``[^label]``: a footnote reference."""
        self.stack[-1].append(Note(token.meta["label"]))

    HANDLERS: dict[str, Callable[[_InlineReader, Any], None]] = {
        "text": text,
        "softbreak": line_break,
        "hardbreak": line_break,
        "em_open": open_mark,
        "strong_open": open_mark,
        "span_open": open_mark,
        "em_close": close_mark,
        "strong_close": close_mark,
        "span_close": close_mark,
        "myst_role": role,
        "footnote_ref": footnote_ref,
    }


def _inlines(tokens: list, where: str) -> list[Inline]:
    """Inline tokens as the model, in normal form."""
    reader = _InlineReader(where)
    for token in tokens:
        reader.read(token)
    return _label_spacing(tidy(reader.stack[0]))


def _label_spacing(out: list[Inline]) -> list[Inline]:
    """The normal form of a typed label: ``{label}`b` text``, one space after it."""
    if len(out) > 1 and isinstance(out[0], Role) and out[0].name == "label" \
            and isinstance(out[1], Text):
        out[1] = Text(" " + out[1].text.lstrip())
    return out


def parse_inlines(text: str, labels: list[str]) -> list[Inline]:
    """One passage of inline MyST (a catalog's translation) whose footnote references
    are ``labels``."""
    env = {"footnotes": {"refs": {f":{label}": -1 for label in labels}, "list": {}}}
    return _inlines(markdown().parseInline(text, env)[0].children or [], "")


# footnote labels: numbered in order of first reference ---------------------


def renumber(document: Document) -> Document:
    """Footnote labels become 1, 2, ... in order of first reference (they are not
    printed: the build numbers footnotes itself)."""
    order: dict[str, str] = {}

    def visit(inlines: list[Inline]) -> None:
        for node in inlines:
            if isinstance(node, Note):
                node.label = order.setdefault(node.label, str(len(order) + 1))
            elif isinstance(node, Mark):
                visit(node.children)

    each_inlines(document.blocks, visit)
    notes = {}
    for old, new in list(order.items()):
        notes[new] = document.notes.get(old, [])
    document.notes = notes
    return document


def each_inlines(blocks: list[Block], visit) -> None:
    """Call ``visit`` with the inlines of every paragraph, heading and call words."""
    for block in blocks:
        if isinstance(block, (Para, Heading)):
            visit(block.inlines)
        elif isinstance(block, ListBlock):
            for item in block.items:
                each_inlines(item, visit)
        elif isinstance(block, (Part, Directive)):
            visit(block.words if isinstance(block, Part) else block.argument)
            each_inlines(block.blocks, visit)
        elif isinstance(block, Table):
            visit(block.title)
            for row in block.rows:
                for cell in row:
                    each_inlines(cell, visit)


# writing -----------------------------------------------------------------

PLAIN_VALUE = re.compile(r"[\w‑][\w ,.()‑'/-]*")


def _value(value: Any) -> str:
    if isinstance(value, bool) or isinstance(value, int):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(str(v), ensure_ascii=False) for v in value) + "]"
    text = str(value)
    if PLAIN_VALUE.fullmatch(text) and not re.fullmatch(r"[\d.]+|yes|no|true|false|null",
                                                        text, re.I) and ": " not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def render_front_matter(meta: dict[str, Any]) -> str:
    lines = ["---"]
    for key, value in meta.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {_value(v)}" for k, v in value.items()]
        else:
            lines.append(f"{key}: {_value(value)}")
    return "\n".join([*lines, "---"])


def render_myst(document: Document) -> str:
    """The document as MyST in the normal form."""
    out = [render_front_matter(document.meta)] if document.meta else []
    if document.blocks:
        out.append(_join(document.blocks, [_block(block) for block in document.blocks]))
    out += [f"[^{label}]: " + _footnote(blocks) for label, blocks in document.notes.items()]
    return "\n\n".join(out) + "\n"


def _footnote(blocks: list[Block]) -> str:
    return "\n\n    ".join(_block(b).replace("\n", "\n    ") for b in blocks)


def _depth(blocks: list[Block]) -> int:
    """How many directives nest inside these blocks (for the fence's colons)."""
    depths = [1 + _depth(b.blocks) for b in blocks if isinstance(b, (Part, Directive))]
    depths += [_depth(item) for b in blocks if isinstance(b, ListBlock) for item in b.items]
    return max(depths, default=0)


def _block(block: Block) -> str:
    if isinstance(block, Para):
        return _paragraph(block.inlines)
    if isinstance(block, Heading):
        return "#" * block.level + " " + render_inlines(block.inlines)
    if isinstance(block, ListBlock):
        return _list(block)
    if isinstance(block, Table):
        return _list_table(block)
    fence = ":" * (3 + _depth(block.blocks))
    name = "part" if isinstance(block, Part) else block.name
    words = block.words if isinstance(block, Part) else block.argument
    head = f"{fence}{{{name}}}" + (f" {render_inlines(words)}" if words else "")
    options = [f":{k}: {v}" for k, v in block.options.items()] if isinstance(block, Part) else []
    body = [_block(b) for b in block.blocks]
    if options:
        head += "\n" + "\n".join(options) + ("\n" if body else "")
    return "\n".join([head, _join(block.blocks, body), fence]) if body else f"{head}\n{fence}"


def _join(blocks: list[Block], rendered: list[str]) -> str:
    """Blocks apart by a blank line; two lists in a row apart by a comment too, else
    Markdown would read them as one."""
    out = rendered[:1]
    for before, block, text in zip(blocks, blocks[1:], rendered[1:], strict=False):
        if isinstance(before, ListBlock) and isinstance(block, ListBlock) \
                and before.marker == block.marker:
            out.append("% a new list")
        out.append(text)
    return "\n\n".join(out)


def _list_table(table: Table) -> str:
    head = ":::{list-table}" + (f" {render_inlines(table.title)}" if table.title else "")
    options = [f":header-rows: {table.header_rows}", ""] if table.header_rows else []
    rows = []
    for row in table.rows:
        cells = ["- " + "\n    ".join(_block(b).replace("\n", "\n    ") for b in cell)
                 if cell else "-" for cell in row]
        rows.append("* " + "\n  ".join(cells))
    return "\n".join([head, *options, *rows, ":::"])


def _list(block: ListBlock) -> str:
    lines = [f"{{style={block.style}}}"] if block.style else []
    for n, item in enumerate(block.items, start=1):
        marker = f"{n}{block.marker[1]}" if block.ordered else block.marker
        indent = " " * (len(marker) + 1)
        parts = [_block(b) for b in item] or [""]
        text = "\n".join(parts).replace("\n", "\n" + indent)
        lines.append(f"{marker} {text}".rstrip())
    return "\n".join(lines)


def _paragraph(inlines: list[Inline]) -> str:
    text = render_inlines(inlines)
    # what would start another block at the start of a line stays text
    text = re.sub(r"^(\d+)([.)] )", r"\1\\\2", text)
    return re.sub(r"^(#|>|[-+] |:)", r"\\\1", text)


ESCAPE = re.compile(r"([\\`*_\[\]<])")


def render_inlines(inlines: list[Inline]) -> str:
    out = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(ESCAPE.sub(r"\\\1", node.text))
        elif isinstance(node, Role):
            out.append(f"{{{node.name}}}`{node.value}`")
        elif isinstance(node, Note):
            out.append(f"[^{node.label}]")
        elif node.kind == "em":
            out.append(f"*{render_inlines(node.children)}*")
        elif node.kind == "strong":
            out.append(f"**{render_inlines(node.children)}**")
        elif all(isinstance(c, Text) and "`" not in c.text for c in node.children):
            out.append(f"{{{node.kind}}}`{''.join(c.text for c in node.children)}`")
        else:
            out.append(f"[{render_inlines(node.children)}]{{.{node.kind}}}")
    return "".join(out)
