"""What a content tree says that both directions need: call words, standard
footnotes, assemblies (read from ``source/_data`` without Sphinx)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

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
    def read(name: str) -> dict:
        path = source / "_data" / name
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as err:
            raise WordError("data", f"cannot read {name}: {err}", str(path)) from None

    words = read("callwords.yaml")
    return Facts(
        call_words={w.lower(): kind for kind, ws in words.items() for w in ws or ()},
        footnotes={str(k): str(v) for k, v in read("footnotes.yaml").items()},
        assemblies=read("assemblies.yaml"),
        fonts={script: str(spec.get("family", "")) for script, spec in
               (read("fonts.yaml").get("scripts") or {}).items()},
    )
