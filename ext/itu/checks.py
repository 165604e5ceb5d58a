"""The editor's safety net: mistakes of structure that MyST reads without a word.

Each is a coded warning at the line where the editor can mend it: a part left
open (the next part lands inside it), a part opened with two colons (printed as
text), items typed with their labels as Word writes them ("a) that ...": they
merge into one paragraph and shift every later label).
"""

from __future__ import annotations

import re

from docutils import nodes as dn
from sphinx.transforms import SphinxTransform

from . import nodes
from .messages import warn

TYPED_LABEL = re.compile(r"\(?(?P<label>[a-z]|[ivx]+|\d+)[).]\s+\S")
FENCE_TEXT = re.compile(r"(?P<fence>:{1,2}|:{3,} +)\{(?P<name>[a-z-]+)\}")


class StructureChecks(SphinxTransform):
    """Warn about the structural mistakes an editor cannot see in the source."""

    default_priority = 330  # after Labels: items are items

    def apply(self, **kwargs) -> None:
        domain = self.env.get_domain("itu")
        if domain.document(self.env.docname) is None or domain.is_redline(self.env.docname):
            return
        for part in self.document.findall(nodes.part):
            outer = next((a for a in nodes.ancestors(part) if isinstance(a, nodes.part)), None)
            if outer is not None:
                warn("structure", f"the part {part['name']!r} is inside the part "
                     f"{outer['name']!r}", part, f"close {outer['name']!r} with a line "
                     "':::' before this part opens")
        for paragraph in self.document.findall(dn.paragraph):
            self.check_paragraph(paragraph)

    def check_paragraph(self, paragraph: dn.paragraph) -> None:
        text = paragraph.astext()
        fence = FENCE_TEXT.match(text)
        if fence:
            warn("structure", f"'{fence[0]}' is printed as text, not read as a directive",
                 paragraph, f"open it with three colons and no space: ':::{{{fence['name']}}}'")
            return
        typed = TYPED_LABEL.match(text)
        in_part = any(isinstance(a, nodes.part) for a in nodes.ancestors(paragraph))
        if typed and in_part:
            warn("label", f"the item is typed with its label '{typed[0][:-1].strip()}'",
                 paragraph, "labels are computed: write each item as '1. ' and drop "
                 f"'{typed[0][:-1].strip()}' (docs/syntax.md)")
