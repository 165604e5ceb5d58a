"""The ITU paragraph styles: one table, read by the importer and the exporter.

Each style says what it holds and its MyST form; the exporter creates the styles
from the same entries (font, indents in twentieths of a point) in the reference
document it builds, the importer decides from a paragraph's style what it is.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Style:
    name: str  # as Word shows it; the style id is the name without spaces
    role: str  # what the importer makes of a paragraph in it
    holds: str  # for docs/word.md
    myst: str  # for docs/word.md
    italic: bool = False
    bold: bool = False
    size: float = 12  # points
    center: bool = False
    left: int = 0  # indent, twips
    hanging: int = 0
    before: int = 120  # space before, twips
    keep_next: bool = False
    based_on: str = "Normal"
    builtin: bool = False  # Word knows it already; the exporter only sets its font

    @property
    def id(self) -> str:
        return self.name.replace(" ", "")


ITEM_TABS = (794, 1191, 1588, 1985)  # where typed labels' tabs stop

STYLES = (
    Style("Normal", "text", "a paragraph; an item of the first level, label typed + tab",
          "a paragraph; `1.` an item", based_on="", builtin=True),
    Style("enumlev1", "level2", "an item of the second level (i), ii) or a dash)",
          "a nested list item", left=794, hanging=794, before=80),
    Style("enumlev2", "level3", "an item of the third level", "a list item nested twice",
          left=1191, hanging=397, before=80),
    Style("enumlev3", "level4", "an item of the fourth level", "a list item nested three times",
          left=1588, hanging=397, before=80),
    Style("Proposal", "proposal", "a proposal marker: action, tab, reference",
          "`proposal:` front matter (before the heading); `:proposal:` on a part",
          bold=True, before=240, keep_next=True),
    Style("ResNo", "designation", "RESOLUTION 74 (Rev. New Delhi, 2024)",
          "`number`, `edition` (and \"Rev.\" from `history`)", size=14, center=True,
          before=480, keep_next=True),
    Style("Restitle", "title", "the title", "`# title`", bold=True, size=14, center=True,
          before=240, keep_next=True),
    Style("Resref", "history", "the history line (Dubai, 2012; Geneva, 2022)", "`history`",
          italic=True, center=True, keep_next=True),
    Style("Normalaftertitle", "formula", "the assembly formula",
          "`formula` (only when it is not the one the build prints)", before=280),
    Style("Call", "call", "call words, italic", "`:::{part} call words`", italic=True,
          left=794, before=160, keep_next=True),
    Style("Abstract", "abstract", "the abstract of a contribution", "`:::{abstract}`"),
    Style("Note", "note", "an editorial note", "`:::{note}`", size=11),
    Style("AnnexNo", "annex", "the line opening an annex (ANNEX)", "`::::{annex}`",
          size=14, center=True, before=480, keep_next=True),
    Style("Annextitle", "annex-title", "the title of an annex", "the annex's argument",
          bold=True, size=14, center=True, before=240, keep_next=True),
    Style("Heading 1", "heading2", "a heading in an annex", "`##`", bold=True,
          builtin=True, keep_next=True),
    Style("Heading 2", "heading3", "a heading one level down", "`###`", bold=True,
          builtin=True, keep_next=True),
    Style("Heading 3", "heading4", "a heading two levels down", "`####`", bold=True,
          builtin=True, keep_next=True),
    Style("DocNumber", "doc-number", "a document's number (Document C26/INF/14)",
          "`number` of a `kind: document`", bold=True, before=0),
    Style("DocDate", "doc-date", "its date", "`date`", before=0),
    Style("DocLanguage", "doc-language", "its original language", "`original-language`",
          before=0),
    Style("DocSource", "doc-source", "who it comes from", "`source`", before=0),
    Style("Tabletitle", "table-title", "the title above a table", "the list-table's argument",
          bold=True, center=True, keep_next=True),
    Style("Tablehead", "table-head", "a cell of a header row", "`:header-rows:`", bold=True,
          size=11, before=40),
    Style("Tabletext", "table-text", "a table cell", "a cell of a `{list-table}`", size=11,
          before=40),
    Style("Footnote Text", "footnote", "a footnote's text, in word/footnotes.xml",
          "`[^1]: text`; the standard footnote: `{stdfn}`", size=10, left=284, hanging=284,
          before=60),
)

BY_ID = {style.id.lower(): style for style in STYLES}
# what other producers name these (LibreOffice, Word in other languages)
ALIASES = {"listparagraph": "normal", "bodytext": "normal", "textbody": "normal",
           "footnotetext": "footnotetext", "heading1": "heading1", "heading2": "heading2",
           "heading3": "heading3", "default": "normal", "standard": "normal"}


def style_of(name: str) -> Style | None:
    """The table's style for a style name or id as a .docx names it (any case)."""
    key = name.replace(" ", "").lower()
    return BY_ID.get(ALIASES.get(key, key))


def by_role(role: str) -> Style:
    return next(style for style in STYLES if style.role == role)


LEVEL_STYLES = ("text", "level2", "level3", "level4")
