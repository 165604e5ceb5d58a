"""The fonts and text direction of a language's PDFs, from source/_data/fonts.yaml.

Typst falls back silently to whatever font it finds when the one asked for is
missing, so the font files are looked up before anything is compiled, and a
missing one stops the build saying which Debian package installs it.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from ..text import SAFE_LOADER

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")


class FontError(Exception):
    """The fonts a language needs are not all installed, or the table is wrong."""


@dataclass(frozen=True)
class Typesetting:
    """How one language is set: direction, font families in order, their files."""

    lang: str
    direction: str
    families: tuple[str, ...]
    files: tuple[Path, ...]
    emphasis_families: tuple[str, ...] = ()  # emphasis in other fonts (Chinese: Kai)
    emphasis_weight: str = ""  # emphasis in another weight (Arabic: bold)


@cache
def installed_fonts(dirs: tuple[str, ...] = FONT_DIRS) -> dict[str, Path]:
    """Every font file under the font directories, by file name."""
    found: dict[str, Path] = {}
    for top in dirs:
        for folder, _subdirs, files in sorted(os.walk(os.path.expanduser(top))):
            for name in sorted(files):
                found.setdefault(name, Path(folder) / name)
    return found


@cache
def load_table(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)


def typesetting(table_path: Path, lang: str, available: dict[str, Path],
                text: str = "") -> Typesetting:
    """The language's typesetting from the fonts table, with the fonts of any other
    script the text uses; FontError if a font is missing."""
    try:
        table = load_table(table_path)
        language = table["languages"][lang]
        emphasis = language.get("emphasis", {})
        names = [*language["scripts"], *scripts_in(text, table["scripts"])]
        scripts = [(name, table["scripts"][name]) for name in dict.fromkeys(names)]
        emphasized = [(name, table["scripts"][name]) for name in emphasis.get("scripts", ())]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as err:
        raise FontError(f"{table_path}: no usable font entry for language {lang!r} ({err}); "
                        "give the language its direction and scripts there") from err
    files: list[Path] = []
    for name, script in [*scripts, *emphasized]:
        why = f"the PDFs in {lang!r} need" if name in language["scripts"] or \
            (name, script) in emphasized else f"text in the {name} script needs"
        for file in script["files"]:
            if file not in available:
                raise FontError(
                    f"{why} the font {script['family']} ({file}), which is not "
                    f"installed: install the Debian package {script['package']} "
                    f"(sudo apt-get install {script['package']})")
            files.append(available[file])

    def families(chosen: list[tuple[str, dict]]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(script["family"] for _name, script in chosen))

    return Typesetting(lang, language.get("dir", "ltr"), families(scripts),
                       tuple(dict.fromkeys(files)), families(emphasized),
                       emphasis.get("weight", ""))


def scripts_in(text: str, scripts: dict[str, dict]) -> list[str]:
    """The scripts of the table that the text's letters belong to, by the first word of
    their Unicode names ("ARABIC LETTER ALEF", "CJK UNIFIED IDEOGRAPH-4E00")."""
    owner = {word: name for name, script in scripts.items() for word in script["unicode"]}
    words = {unicodedata.name(char, "").partition(" ")[0] for char in set(text)}
    return sorted({owner[word] for word in words if word in owner})
