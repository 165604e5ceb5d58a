"""Words of a document as the build names them (anchors, the kinds of call words) and
how its YAML is read.

Free of Sphinx and docutils, so that the redline and the command line can use it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import yaml

# libyaml's safe loader where PyYAML was built with it (its wheels are): the same YAML,
# read several times faster than by the pure-Python one
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def site_path(url: str) -> str:
    """The path a site is published at ("/" or "/resolutions/"), from its address."""
    return urlsplit(url).path.rstrip("/") + "/"


def language_root(site_url: str, lang: str) -> str:
    """Where the site publishes a language's pages: "https://org.github.io/repo/fr/"
    (with no address known: "/fr/", a domain's root)."""
    return f"{site_url.rstrip('/')}/{lang}/"


def slug(text: str) -> str:
    """A stable ASCII anchor from call words or a title."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def part_kind(call_words: str, known: dict[str, str]) -> str | None:
    """The kind of the longest known call words that ``call_words`` starts with."""
    words = call_words.lower().split()
    for n in range(len(words), 0, -1):
        kind = known.get(" ".join(words[:n]))
        if kind:
            return kind
    return None
