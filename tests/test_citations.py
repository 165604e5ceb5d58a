"""Every citation in the corpus is a link to the right target, and nothing else is.

tests/data/citations.yaml is the hand-checked answer key: each citation of
each page, in reading order, with what it cites. Equal lists mean precision
and recall of 100%.
"""

from __future__ import annotations

import posixpath

import pytest
import yaml
from conftest import ROOT
from itu.autolink import Cited, registry_url
from test_resolution import text

EXPECTED = yaml.safe_load((ROOT / "tests/data/citations.yaml").read_text(encoding="utf-8"))
REGISTRY = yaml.safe_load((ROOT / "source/_data/registry.yaml").read_text(encoding="utf-8"))
ON_SITE = {("WTSA", "44"): "resolutions/44", ("WTSA", "74"): "resolutions/74",
           ("WTSA", "85"): "resolutions/85"}


def words(value: str) -> str:
    return " ".join(value.split())


def expected_href(docname: str, citation: dict) -> str:
    if citation["kind"] == "clause":
        return "#" + citation["clause"]
    target = ON_SITE.get((citation["body"], citation["number"]))
    if citation["kind"] == "resolution" and target:
        return posixpath.relpath(target, posixpath.dirname(docname) or ".") + ".html"
    cited = Cited(citation["kind"], citation["body"], citation["number"],
                  citation.get("edition", ""))
    return registry_url(cited, REGISTRY)


def links(doc) -> list[tuple[str, str]]:
    return [(words(text(a)), a["href"])
            for a in doc.select("article.itu-document a.itu-cite")]


@pytest.mark.parametrize("docname", sorted(EXPECTED))
def test_every_citation_links_to_its_target(page, docname):
    expected = [(words(c["text"]), expected_href(docname, c)) for c in EXPECTED[docname]]
    assert links(page(docname)) == expected


def test_pages_without_citations_have_no_links(page, site):
    pages = {p.relative_to(site).with_suffix("").as_posix() for p in site.rglob("*.html")}
    for docname in sorted(pages - set(EXPECTED) - {"genindex", "search"}):
        assert links(page(docname)) == [], docname


def test_cited_edition_other_than_the_sites_is_said(page):
    cite = page("resolutions/74").select_one("a.itu-cite[href='44.html']")
    note = cite.find_next_sibling(class_="itu-edition-note")
    assert text(note) == "[edition on this site: Rev. Hammamet, 2016]"


def test_citation_inside_change_marks_keeps_its_marks(page):
    doc = page("proposals/44-atu")
    cite = next(a for a in doc.select("a.itu-cite") if text(a).startswith("Resolution 123"))
    assert [(m.name, text(m)) for m in cite.find_all(["ins", "del"])] == [
        ("del", "Busan, 2014"), ("ins", "Dubai, 2018")]
    assert cite["href"].endswith("RES-123-E.pdf")
