"""What a content tree says that both directions need: call words, standard
footnotes, assemblies (read from ``source/_data`` without Sphinx)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..data import load_site_data, read_yaml
from ..text import part_kind
from .model import WordError


@dataclass
class Facts:
    call_words: dict[str, str]  # lower-case call words -> preambular/operative
    footnotes: dict[str, str]  # standard footnotes by key
    assemblies: dict[str, dict]
    fonts: dict[str, str]  # script (arabic, chinese, latin) -> font family

    def part_kind(self, words: str, given: str = "") -> str:
        """A part's kind: ``given`` (its ``:kind:``), else the longest known start."""
        return given or part_kind(words, self.call_words) or "preambular"

    def knows(self, words: str) -> bool:
        tokens = words.lower().split()
        return any(" ".join(tokens[:n]) in self.call_words for n in range(1, len(tokens) + 1))

    def standard_footnote(self, text: str) -> str | None:
        """The key of the standard footnote with this text (spacing aside)."""
        wanted = " ".join(text.split())
        return next((key for key, value in self.footnotes.items()
                     if " ".join(value.split()) == wanted), None)


def load_facts(source: Path) -> Facts:
    """The facts of a content tree; a WordError names the first data file that is wrong."""
    data = load_site_data(source)
    if data.problems:
        problem = data.problems[0]
        raise WordError(problem.code, problem.message, problem.location)
    fonts, _node, problems = read_yaml(data.root / "fonts.yaml", "fonts.schema.json", source)
    if problems:
        raise WordError("data", problems[0].message, problems[0].location)
    return Facts(
        call_words=data.call_words, footnotes=data.footnotes, assemblies=data.assemblies,
        fonts={script: str(spec.get("family", "")) for script, spec in
               (fonts.get("scripts") or {}).items()},
    )
