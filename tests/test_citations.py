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
from itu.data import load_site_data
from test_resolution import text

EXPECTED = yaml.safe_load((ROOT / "tests/data/citations.yaml").read_text(encoding="utf-8"))
DATA = load_site_data(ROOT / "source")  # the registry, and English's itu-letter
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
    return registry_url(cited, DATA, "en")


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
        # made of other pages' text: a side-by-side page, a compare-editions page
        if not page(docname).select(".itu-comparison") and not docname.startswith("compare/"):
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


def test_cited_by_names_documents_and_clauses(page):
    cited_by = [(text(a), a["href"]) for a in page("resolutions/44").select(".itu-cited-by a")]
    assert cited_by == [
        ("MOD (AST): Resolution 44 (Hammamet, 2016 → Geneva, 2022)", "../proposals/44-ast.html"),
        ("MOD (RCC): Resolution 44 (Hammamet, 2016 → Geneva, 2022), considering i)",
         "../proposals/44-rcc.html#considering-i"),
        ("MOD: Resolution 85 (Hammamet, 2016 → New Delhi, 2024), considering d)",
         "../proposals/85-mod.html#considering-d"),
        ("Resolution 74 (Rev. New Delhi, 2024), recalling c)", "74.html#recalling-c"),
        ("Resolution 85 (Hammamet, 2016), considering d)", "85.html#considering-d"),
    ]
    assert text(page("resolutions/74").select_one(".itu-cited-by p")) == (
        "No document on this site cites this resolution.")


def test_citation_index_lists_every_citation_and_draws_the_graph(page):
    doc = page("citations")
    rows = doc.select("table.itu-citation-table tbody tr")
    instruments = [c for cs in EXPECTED.values() for c in cs if c["kind"] != "clause"]
    assert len(rows) == len(instruments)
    first = rows[0].select("td")
    assert [text(td) for td in first] == [
        "Document C26/INF/14", "Decision 5 (Rev. Bucharest, 2022)",
        "PP Decision 5 (Bucharest, 2022)"]
    edges = {text(t) for t in doc.select(".itu-citation-graph line title")}
    assert {"WTSA 74 → PP 71", "WTSA 74 → WTSA 44", "WTSA 85 → WTSA 44",
            "WTSA 44 → PP 123"} <= edges
    assert not any(e.startswith("PP ") for e in edges), "only the site's resolutions cite"
    assert doc.select_one(".itu-citation-graph svg")["role"] == "img"


def test_every_page_leads_to_the_citation_index(page):
    for docname in ("index", "resolutions/44", "proposals/44-atu", "foreword"):
        nav = page(docname).select_one(".site-header nav")
        assert "citations.html" in [a["href"].rsplit("/", 1)[-1] for a in nav.select("a")]


def test_the_citation_index_links_every_instrument_it_names(page, site):
    """The "Cites" column names each instrument and links it as the citation does."""
    rows = page("citations").select("table.itu-citation-table tbody tr")
    assert len(rows) >= 50
    cites = [row.select("td")[2].select_one("a") for row in rows]
    assert all(cites), "every instrument named is linked"
    internal = {a["href"] for a in cites if "internal" in a.get("class", [])}
    assert "resolutions/44.html" in internal
    for href in internal:
        assert (site / href.partition("#")[0]).is_file(), href
    assert any(a["href"].startswith("https://www.itu.int/") for a in cites)


def test_a_compare_editions_page_links_the_instruments_its_text_cites(page, site):
    """A comparison of two editions links what its text cites, as the editions do (its
    own clauses aside: two versions in one text); it cites nothing of its own, so no
    "cited by" lists it."""
    for compared, edition in (("compare/85-mod", "resolutions/85"),
                              ("compare/44-atu", "resolutions/44")):
        links = page(compared).select("article a.itu-cite")
        assert len(links) >= len(page(edition).select("article a.itu-cite")) // 2 > 0
        assert not page(compared).select("article a.itu-clause")
    for docname in ("resolutions/44", "resolutions/85", "resolutions/74"):
        assert not [a["href"] for a in page(docname).select(".itu-cited-by a")
                    if "compare/" in a["href"]]
