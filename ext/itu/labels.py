"""Item labels: computed from position, list style and language; keys stay ASCII."""

from __future__ import annotations

from dataclasses import dataclass

ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)
LATIN = "abcdefghijklmnopqrstuvwxyz"
BULLETS = {"-": "\u2013", "*": "\u2022", "+": "\u2022"}


@dataclass(frozen=True)
class Style:
    """How a list labels its items: ``enumtype`` as in docutils, then a suffix."""

    enumtype: str
    suffix: str = ""

    def key(self, n: int) -> str:
        """The language-independent key of the n-th item (1-based): a, 2, ii."""
        if self.enumtype in ("loweralpha", "upperalpha"):
            key = ""
            while n:
                n, r = divmod(n - 1, len(LATIN))
                key = LATIN[r] + key
            return key
        if self.enumtype in ("lowerroman", "upperroman"):
            out = ""
            for value, numeral in ROMAN:
                count, n = divmod(n, value)
                out += numeral * count
            return out
        return str(n)

    def text(self, key: str) -> str:
        """The printed label body for a key (without the suffix)."""
        return key.upper() if self.enumtype.startswith("upper") else key

    @property
    def numbered(self) -> bool:
        return self.enumtype not in BULLETS


PREAMBULAR = Style("loweralpha", ")")
OPERATIVE = Style("arabic")
SUB_ITEM = Style("lowerroman", ")")
PART_STYLES = {"preambular": PREAMBULAR, "operative": OPERATIVE}


def localize(text: str, letters: str) -> str:
    """A lettered label in a language's alphabet: "b" -> "б" with Russian letters."""
    table = str.maketrans(LATIN + LATIN.upper(), letters[:26] + letters[:26].upper())
    return text.translate(table)


def bullet(char: str) -> Style:
    """The style of a bullet list written with ``-``, ``*`` or ``+``."""
    return Style(char)


def bullet_text(style: Style) -> str:
    return BULLETS[style.enumtype]


def list_style(enumtype: str, suffix: str) -> Style:
    """The style of an ordered list outside a part, as it was written."""
    return Style(enumtype or "arabic", suffix or ".")


def nested_style(parent: Style, depth: int) -> Style:
    """Inside a part: the part's style at depth 1, i) below, a) further down."""
    if depth == 1:
        return parent
    return SUB_ITEM if depth == 2 else PREAMBULAR
