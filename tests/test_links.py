"""A link checker over the whole published site: every href and every anchor of every
page in every language leads somewhere that exists."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html

pytestmark = pytest.mark.slow


@cache
def read(page: Path) -> tuple[list[str], frozenset[str]]:
    """A page's links (href and src) and the ids of its elements."""
    tree = html.parse(str(page))
    links = [e.get("href") or e.get("src") for e in tree.iter() if isinstance(e.tag, str)
             and (e.get("href") or e.get("src"))]
    return links, frozenset(tree.xpath("//@id"))


def broken_links(site: Path) -> list[str]:
    """Each link of the site's pages that leads to no file, or to no element of its page."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        for link in read(page)[0]:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue  # addresses outside the site
            path = unquote(parts.path)
            # an absolute path (the 404 page's) is below the site's root (no ITU_SITE_URL)
            target = ((site / path.lstrip("/")) if path.startswith("/") else
                      (page.parent / path)).resolve() if path else page
            where = f"{page.relative_to(site)}: {link}"
            if not target.is_file():
                broken.append(f"{where} (no such file)")
            elif parts.fragment and target.suffix == ".html" and \
                    parts.fragment not in read(target)[1]:
                broken.append(f"{where} (no such anchor)")
    return broken


def test_no_link_of_the_site_is_broken(sites: Path):
    assert len(list(sites.rglob("*.html"))) >= 100
    assert broken_links(sites) == []
