"""The blocks of a MyST document as the redline reads them: parts, items, footnotes, fences."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from ..marks import accept
from ..text import SAFE_LOADER

PROSE = {"part", "abstract", "annex", "note", "admonition", "important", "tip", "warning"}


# the largest document the diff build compares: about 8 and 20 times the largest now
MAX_BYTES = 256_000


MAX_LINES = 5_000


MAX_DEPTH = 16       # blocks within blocks (fences, items): real documents use 5 or fewer


SIZE_CODE = "[itu.redline-size]"


ITEM = re.compile(r"(\d+[.)]|[-*+])( +|$)")


FENCE = re.compile(r"(:{3,}|`{3,})\{([\w-]+)\}[ \t]*(.*)")


FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]:[ \t]*(.*)")


LABEL = re.compile(r"^\{label\}`[^`]*`\s*")


@dataclass
class Block:
    """One block of a document: ``para``, ``list``, ``item``, ``fence``, ``footnote``
    or ``verbatim`` (tables, code: compared whole, never marked inside)."""

    kind: str
    text: str = ""               # para, footnote: the text; item: its marker
    lines: list[str] = field(default_factory=list)  # the source lines as written
    name: str = ""               # fence: directive name; footnote: key
    options: list[str] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)
    prefix: str = ""             # para: "# " for a heading; fence: the fence characters
    attrs: str = ""              # a block attribute line ({style=...}) before the block

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


def _indented(lines: list[str], start: int, width: int) -> int:
    """The end of the lines from ``start`` that are blank or indented by ``width``."""
    end = start
    while end < len(lines) and (not lines[end].strip() or lines[end][:width] == " " * width):
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return end


def parse_blocks(lines: list[str], depth: int = 0) -> list[Block]:
    """The blocks of a run of lines (a document body, a directive's or an item's content,
    ``depth`` blocks deep)."""
    if depth > MAX_DEPTH:
        raise SourceError(f"blocks are nested more than {MAX_DEPTH} deep (directives and "
                          f"list items within each other) {SIZE_CODE}")
    blocks: list[Block] = []
    attrs = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or line.startswith("%"):  # a comment is not text: never compared
            i += 1
        elif re.fullmatch(r"\{[^}]*\}\s*", line):
            attrs, i = line, i + 1
        else:
            block, i = _block(lines, i, depth)
            block.attrs, attrs = attrs, ""
            blocks.append(block)
    return blocks


def _block(lines: list[str], start: int, depth: int) -> tuple[Block, int]:
    """The block that starts at ``lines[start]``, and the line after it."""
    line = lines[start]
    fence, item, note = FENCE.fullmatch(line), ITEM.match(line), FOOTNOTE.fullmatch(line)
    if fence:
        return _fence(lines, start, fence, depth)
    if note:
        end = _indented(lines, start + 1, 4)
        return Block("footnote", " ".join(x.strip() for x in [note[2], *lines[start + 1:end]]),
                     lines[start:end], note[1]), end
    if item:
        return _list(lines, start, item[1][-1], depth)
    if line.startswith(("|", "```", "    ")):
        end = start
        while end < len(lines) and lines[end].strip():
            end += 1
        return Block("verbatim", lines=lines[start:end]), end
    heading = re.match(r"#{1,6} ", line)
    end = start + 1
    while not heading and end < len(lines) and lines[end].strip() and not (
            FENCE.fullmatch(lines[end]) or ITEM.match(lines[end]) or lines[end][0] in "#%"):
        end += 1
    text = " ".join(x.strip() for x in lines[start:end])
    return Block("para", text[heading.end():] if heading else text, lines[start:end],
                 prefix=heading[0] if heading else ""), end


def _fence(lines: list[str], start: int, fence: re.Match, depth: int) -> tuple[Block, int]:
    """A directive: its options, and its body read as blocks where it is prose."""
    mark = fence[1]
    close = re.compile(f"{re.escape(mark[0])}{{{len(mark)},}}\\s*")
    i = start + 1
    options = []
    while i < len(lines) and re.match(r":[\w-]+:", lines[i]):
        options.append(lines[i])
        i += 1
    body_start = i
    while i < len(lines) and not close.fullmatch(lines[i]):
        i += 1
    body = lines[body_start:i]
    i += 1
    prose = fence[2] in PROSE
    block = Block("fence", fence[3], lines[start:i], fence[2], options,
                  parse_blocks(body, depth + 1) if prose else [], mark)
    if not prose:
        block.kind = "verbatim"
    return block, i


def _list(lines: list[str], start: int, kind: str, depth: int) -> tuple[Block, int]:
    """A list of items of one marker kind ("." or ")" or a bullet), each read as blocks."""
    block, i = Block("list", lines=[]), start
    while i < len(lines):
        match = ITEM.match(lines[i])
        if not match or match[1][-1] != kind:
            break
        width = len(match[0]) if match[2] else len(match[1]) + 1
        end = _indented(lines, i + 1, width)
        content = [lines[i][len(match[0]):], *(x[width:] for x in lines[i + 1:end])]
        block.children.append(Block("item", match[1], lines[i:end],
                                    children=parse_blocks(content, depth + 1)))
        block.lines += lines[i:end]
        i = end
        while i < len(lines) and not lines[i].strip() and i + 1 < len(lines) \
                and ITEM.match(lines[i + 1]):
            i += 1
    return block, i


def split_label(text: str) -> tuple[str, str]:
    """A leading {label} override (kept out of any mark) and the rest of the text."""
    label = LABEL.match(text)
    head = label[0] if label else ""
    return head, text[len(head):]
