"""Search: each language's Pagefind index in the built site, and queries typed into the
search box in real Chromium (Debian's, served over HTTP) that lead to the clause."""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from itu import cli

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.slow


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def indexed_pages(site: Path) -> list[Path]:
    """The pages whose text the index holds: those with a data-pagefind-body."""
    return [p for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text("utf-8")]


def shown_name(page: BeautifulSoup, part: str, item: str) -> str:
    """A clause's name as its page shows it: the part's call words, the item's label."""
    words = page.select_one(f"#{part} > .itu-callwords em").get_text()
    return f"{words} {page.select_one(f'#{item} > .itu-label').get_text()}"


@pytest.mark.parametrize("lang", cli.LANGUAGES)
def test_every_language_has_its_own_index(sites: Path, lang: str) -> None:
    bundle = sites / lang / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == [lang]
    pages = indexed_pages(sites / lang)
    assert len(pages) > 10
    assert entry["languages"][lang]["page_count"] == len(pages)
    assert (bundle / "pagefind.js").is_file()
    assert soup_of(pages[0]).html["lang"] == lang


def test_each_result_is_titled_by_its_document(sites: Path) -> None:
    page = soup_of(sites / "en" / "resolutions" / "74.html")
    meta = page.select_one("article[data-pagefind-body]")["data-pagefind-meta"]
    assert meta == f"title:{page.title.get_text().rsplit(' — ', 1)[0]}"
    assert meta.startswith("title:Resolution 74 (Rev. New Delhi, 2024) — Enhancing")


def test_every_clause_gives_the_index_its_name(sites: Path) -> None:
    """Each ¶ link names its anchor; in English resolutions (no change marks) the name
    is the one the link's label gives."""
    links = [link for page in indexed_pages(sites / "en" / "resolutions")
             for link in soup_of(page).select("a.itu-permalink")]
    assert len(links) > 50
    for link in links:
        anchor, name = link["data-pagefind-meta"].split(":", 1)
        assert anchor == link["href"]
        assert link["aria-label"] == f"Link to {name}"


@pytest.mark.parametrize("lang", ["fr", "ar", "zh"])
def test_clause_names_are_in_the_language_of_the_page(sites: Path, lang: str) -> None:
    page = soup_of(sites / lang / "resolutions" / "74.html")
    link = page.select_one("#considering-c > a.itu-permalink")
    assert link["data-pagefind-meta"] == (
        f"#considering-c:{shown_name(page, 'considering', 'considering-c')}")
    assert not link["data-pagefind-meta"].endswith("considering c)")


def test_a_failed_indexing_is_told_with_a_hint(tmp_path: Path, capsys) -> None:
    assert cli.index_for_search(tmp_path) == 1  # no page at all: Pagefind refuses
    said = capsys.readouterr().err
    assert said.startswith("[itu.search] Pagefind could not index")
    assert "hint:" in said


def test_the_index_is_made_again_when_a_page_changed_only(project: Path, tmp_path: Path):
    """A rebuild that changes no page keeps the index (Pagefind reads every page
    again, seconds for a large site); one that changes a page makes it again."""
    from conftest import run_build
    from test_errors import GOOD

    page = project / "good.md"
    page.write_text(GOOD, encoding="utf-8")
    entry = tmp_path / "site" / "en" / "pagefind" / "pagefind-entry.json"

    def build() -> tuple[int, bytes]:
        result = run_build("html", "--lang", "en", "--no-pdf", "--source", str(project),
                           "--out", str(tmp_path))
        assert result.returncode == 0, result.stdout + result.stderr
        return entry.stat().st_mtime_ns, entry.read_bytes()

    first = build()
    assert build() == first
    page.write_text(GOOD.replace("that one;", "that one, searched;"), encoding="utf-8")
    again = build()
    assert again[0] != first[0] and again[1] != first[1]


@pytest.fixture(scope="module")
def served(sites: Path):
    """The built site on a static HTTP server (Pagefind fetches its index)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(sites))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_port}"
        server.shutdown()


# a word of one clause of Resolution 74 in each language's pages (read from the build)
QUERIES = [
    ("en", "entitled", "resolves", "resolves-1"),
    ("fr", "susmentionnées", "considering", "considering-b"),
    ("ar", "التنافسية", "considering", "considering-c"),
    ("zh", "领先企业", "considering", "considering-c"),  # two words, segmented
]


@pytest.mark.parametrize("lang, query, part, item", QUERIES)
def test_a_query_leads_to_its_clause(browser, sites: Path, served: str,
                                     lang: str, query: str, part: str, item: str) -> None:
    expected = shown_name(soup_of(sites / lang / "resolutions" / "74.html"), part, item)
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(
        f"{message.text} {message.location.get('url', '')}"))
    page.goto(f"{served}/{lang}/index.html")
    page.fill(".itu-search input", query)
    clauses = page.locator(".itu-search-clauses a")
    sync_api.expect(clauses.first).to_be_visible(timeout=15_000)
    assert clauses.all_inner_texts() == [expected]
    one_found = page.get_attribute(".itu-search", "data-count").replace("%s", "1")
    assert page.inner_text(".itu-search-status") == one_found
    results = page.locator(".itu-search-results a").evaluate_all("a => a.map(l => l.href)")
    assert all(href.startswith(f"{served}/{lang}/") for href in results)
    assert page.locator("[style]").count() == 0  # nothing the CSP would block
    clauses.first.click()
    page.wait_for_url(f"{served}/{lang}/resolutions/74.html#{item}")
    assert page.locator(":target").get_attribute("id") == item
    assert [p for p in problems if re.search("pagefind|itu-search|WebAssembly", p)] == []
    page.close()


def test_nothing_found_is_said(browser, served: str) -> None:
    page = browser.new_page()
    page.goto(f"{served}/fr/resolutions/74.html")
    page.fill(".itu-search input", "zzzzqqq")
    status = page.locator(".itu-search-status")
    sync_api.expect(status).to_have_text("Aucun document ne contient ces mots.",
                                         timeout=15_000)
    assert page.locator(".itu-search-results li").count() == 0
    page.close()
