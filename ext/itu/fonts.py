"""The fonts and text direction of a language's PDFs, from source/_data/fonts.yaml.

Typst falls back silently to whatever font it finds when the one asked for is
missing, so the font files are looked up before anything is compiled, and a
missing one stops the build saying which Debian package installs it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

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


@cache
def installed_fonts(dirs: tuple[str, ...] = FONT_DIRS) -> dict[str, Path]:
    """Every font file under the font directories, by file name."""
    found: dict[str, Path] = {}
    for top in dirs:
        for folder, _subdirs, files in sorted(os.walk(os.path.expanduser(top))):
            for name in sorted(files):
                found.setdefault(name, Path(folder) / name)
    return found


def typesetting(table_path: Path, lang: str, available: dict[str, Path]) -> Typesetting:
    """The language's typesetting from the fonts table; FontError if a font is missing."""
    try:
        table = yaml.safe_load(table_path.read_text(encoding="utf-8"))
        language = table["languages"][lang]
        scripts = [table["scripts"][name] for name in language["scripts"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as err:
        raise FontError(f"{table_path}: no usable font entry for language {lang!r} ({err}); "
                        "give the language its direction and scripts there") from err
    families, files = [], []
    for script in scripts:
        for name in script["files"]:
            if name not in available:
                raise FontError(
                    f"the PDFs in {lang!r} need the font {script['family']} ({name}), "
                    f"which is not installed: install the Debian package {script['package']} "
                    f"(sudo apt-get install {script['package']})")
            files.append(available[name])
        if script["family"] not in families:
            families.append(script["family"])
    return Typesetting(lang, language.get("dir", "ltr"), tuple(families),
                       tuple(dict.fromkeys(files)))
