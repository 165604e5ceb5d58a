"""A link checker over the whole published site: every href and every anchor of every
page in every language leads somewhere that exists."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.slow


def broken_links(site: Path) -> list[str]:
    """Each link of the site's pages that leads to no file, or to no element of its page."""
    parsed: dict[Path, BeautifulSoup] = {}

    def soup(path: Path) -> BeautifulSoup:
        if path not in parsed:
            parsed[path] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        return parsed[path]

    broken = []
    for page in sorted(site.rglob("*.html")):
        for element in soup(page).select("[href], [src]"):
            link = element.get("href") or element.get("src")
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue  # addresses outside the site
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            where = f"{page.relative_to(site)}: {link}"
            if not target.is_file():
                broken.append(f"{where} (no such file)")
            elif parts.fragment and target.suffix == ".html" and \
                    soup(target).find(id=parts.fragment) is None:
                broken.append(f"{where} (no such anchor)")
    return broken


def test_no_link_of_the_site_is_broken(sites: Path):
    assert len(list(sites.rglob("*.html"))) >= 100
    assert broken_links(sites) == []
