"""Redline: two versions of a MyST document merged into one, changes written as marks.

The merged document uses the change marks an editor would write
(``[text]{.ins .itu-computed}``, ``:change: inserted`` on a part), so the
extension renders it like any proposal and every builder shows the same marks.
Structure first (blocks as MyST's own parser reads them, parts matched by
call words, items by content, footnotes by key: ``blocks``), then words inside
matched blocks (``words``); the front matter apart (``front``); ``merge`` puts
them together. Nothing here imports Sphinx.
"""

from .blocks import MAX_BYTES, MAX_DEPTH, MAX_LINES, SourceError, check_size, front_matter, parse
from .merge import Redline, accept_document, compare
from .words import COMPUTED, MOVED, word_diff

__all__ = ["COMPUTED", "MAX_BYTES", "MAX_DEPTH", "MAX_LINES", "MOVED", "Redline", "SourceError",
           "accept_document", "check_size", "compare", "front_matter", "parse",
           "word_diff"]
