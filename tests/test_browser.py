"""Resolution 74 in Arabic and Chinese, in real Chromium (Debian's, driven by Playwright):
labels on the right in Arabic, nothing wider than the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.slow
SHOTS = Path(__file__).resolve().parent.parent / "_build" / "screenshots"


OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  // the skip link waits off-screen for keyboard focus, by design
  const shown = [...document.querySelectorAll('body *')].filter(e =>
    !e.closest('.skip-link, .visually-hidden'));
  const wide = shown.filter(e => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 1 || box.left < -1);
  }).map(e => e.tagName + '.' + e.className);
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""

LABEL_SIDES = """() => [...document.querySelectorAll('#recalling .itu-item')].map(item => {
  const label = item.querySelector('.itu-label').getBoundingClientRect();
  const body = item.querySelector('.itu-body').getBoundingClientRect();
  return {label: [label.left, label.right], body: [body.left, body.right]};
})"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["ar", "zh"])
def test_resolution_74_renders_without_overflow(browser, sites: Path, lang: str,
                                                width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((sites / lang / "resolutions" / "74.html").as_uri())
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"74-{lang}-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000, "the screenshot shows a rendered page"
    layout = page.evaluate(OVERFLOWING)
    assert layout["scroll"] <= layout["width"], layout
    assert not layout["wide"], layout["wide"]
    sides = page.evaluate(LABEL_SIDES)
    assert len(sides) == 7
    for side in sides:
        if lang == "ar":  # right to left: the label hangs on the right of its text
            assert side["label"][0] >= side["body"][1] - 1, side
        else:
            assert side["label"][1] <= side["body"][0] + 1, side
    page.close()


def test_the_language_switcher_keeps_the_clause(browser, sites: Path) -> None:
    page = browser.new_page()
    page.goto((sites / "fr" / "resolutions" / "74.html").as_uri() + "#resolves-2")
    page.click(".itu-languages a[hreflang=ar]")
    page.wait_for_load_state()
    assert page.url.endswith("/ar/resolutions/74.html#resolves-2")
    assert page.evaluate("document.getElementById('resolves-2') !== null")
    page.close()


ENGLISH_PASSAGES = """() => [...document.querySelectorAll('main .untranslated')].map(e => {
  const box = e.getBoundingClientRect();
  const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  let text = walker.nextNode();
  while (text && !text.data.trim()) text = walker.nextNode();
  const range = document.createRange();
  const at = text.data.search(/\\S/);
  range.setStart(text, at); range.setEnd(text, at + 1);
  const first = range.getBoundingClientRect();
  return {direction: getComputedStyle(e).direction, lang: e.lang, dir: e.dir,
          fromLeft: first.left - box.left, fromRight: box.right - first.right,
          text: e.textContent.trim().slice(0, 40)};
})"""


def test_english_passages_read_left_to_right_on_arabic_pages(browser, sites: Path) -> None:
    """Resolution 85 is partly translated: its English passages keep their language and
    direction, so each starts at the left of its box and ends with its own punctuation."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((sites / "ar" / "resolutions" / "85.html").as_uri())
    page.screenshot(path=str(SHOTS / "85-ar-english-passages.png"), full_page=True)
    passages = page.evaluate(ENGLISH_PASSAGES)
    assert len(passages) >= 5
    for passage in passages:
        assert (passage["lang"], passage["dir"], passage["direction"]) == ("en", "ltr", "ltr")
        assert passage["fromLeft"] < 20 < passage["fromRight"], passage  # its padding aside
    page.close()


def test_an_insertion_does_not_look_like_a_link(browser, sites: Path) -> None:
    page = browser.new_page()
    page.goto((sites / "en" / "proposals" / "44-atu.html").as_uri())
    colours = page.evaluate("""() => ({
      ins: [...document.querySelectorAll('main ins')].map(e => getComputedStyle(e).color),
      links: [...document.querySelectorAll('main a.itu-cite, main a.reference')]
        .map(e => getComputedStyle(e).color)})""")
    assert colours["ins"] and colours["links"]

    def blue(colour: str) -> bool:  # "rgb(0, 85, 140)": blue above red and green
        red, green, blue_ = (int(n) for n in re.findall(r"\d+", colour)[:3])
        return blue_ > max(red, green)

    # links are blue; an insertion is not (not a near blue either, as it once was)
    assert all(blue(c) for c in colours["links"]) and not any(blue(c) for c in colours["ins"])
    page.close()


def test_the_citation_index_sets_each_cell_in_its_own_direction(browser, sites: Path) -> None:
    """On the Arabic page an instrument named in English ("PP Resolution 71 (Bucharest,
    2022)") reads left to right in its cell, an Arabic name right to left."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((sites / "ar" / "citations.html").as_uri())
    cells = page.evaluate("""() => [...document.querySelectorAll('.itu-citation-table td')]
      .map(td => ({dir: td.dir, direction: getComputedStyle(td).direction,
                   first: (td.textContent.match(/[A-Za-z\u0600-\u06FF]/) || [""])[0]}))""")
    assert len(cells) >= 30 and all(cell["dir"] == "auto" for cell in cells)
    strong = [cell for cell in cells if cell["first"]]  # its first letter decides
    for cell in strong:
        latin = cell["first"].isascii()
        assert cell["direction"] == ("ltr" if latin else "rtl"), cell
    assert {cell["first"].isascii() for cell in strong} == {True, False}
    page.close()


def test_a_keyboard_reaches_the_text_and_its_outline_not_every_permalink(browser,
                                                                      sites: Path) -> None:
    """The parts are headings of the page (as assistive technology lists them), the
    outline leads to each, and tabbing through the page stops on no permalink."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((sites / "en" / "resolutions" / "44.html").as_uri())
    assert page.get_by_role("heading", level=2, name="recognizing also").count() == 1
    page.keyboard.press("Tab")  # the skip link
    focused = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.className + ' ' + "
                                     "document.activeElement.textContent.trim()"))
    assert any("On this page" in f for f in focused), focused
    assert any("itu-cite" in f for f in focused), focused  # the text's own links
    assert not [f for f in focused if "permalink" in f or "headerlink" in f], focused
    page.get_by_text("On this page").click()
    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="recognizing also").click()
    assert page.url.endswith("#recognizing-also")
    assert page.evaluate("document.getElementById('recognizing-also')"
                         ".getBoundingClientRect().top") < 50
    page.close()


@pytest.fixture(scope="session")
def host(sites: Path):
    """The site served as its host serves it (`build.py serve`'s handler): a missing
    address gets the 404 page."""
    import functools
    import http.server
    import threading

    from itu.cli import SiteHandler

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(sites)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_missing_address_gets_a_page_that_leads_on(browser, host: str) -> None:
    page = browser.new_page()
    response = page.goto(f"{host}/en/resolutions/no/such/999.html")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).text_content() == "Page not found"
    header = page.evaluate("getComputedStyle(document.querySelector('.site-header'))"
                           ".borderBottomStyle")
    assert header == "solid"  # its style sheet loaded, far from where it lies
    page.get_by_role("link", name="Français").click()
    assert page.get_by_role("heading", level=1).text_content() == "Page introuvable"
    page.get_by_role("main").get_by_role("link", name="Tous les documents").click()
    assert page.url == f"{host}/fr/index.html"
    assert page.get_by_role("heading", level=1).count() == 1
    page.close()


# axe-core with the WCAG 2.2 AA rules (A and AA of 2.0, 2.1 and 2.2); only the
# violations' nodes are gathered (resultTypes), what the browser hands back is trimmed
WCAG_22_AA = """() => axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag',
  values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}}).then((found) => ({
  passes: found.passes.length, violations: found.violations.map((v) =>
    [v.id, v.nodes.slice(0, 3).map((n) => n.html.slice(0, 100))])}))"""


@pytest.mark.parametrize("lang", ["ar", "en", "es", "fr", "ru", "zh"])
def test_every_page_meets_wcag_2_2_aa(browser, sites: Path, host: str, axe: str,
                                      lang: str) -> None:
    """Every page of the language (and, with English, the site's root page), as its
    host serves it: axe finds nothing broken."""
    addresses = sorted(p.relative_to(sites).as_posix() for p in (sites / lang).rglob("*.html"))
    addresses += ["index.html"] if lang == "en" else []
    assert len(addresses) > 15
    page = browser.new_page()
    broken, passed = [], []
    for address in addresses:
        page.goto(f"{host}/{address}")
        page.evaluate(axe)
        result = page.evaluate(WCAG_22_AA)
        passed.append(result["passes"])
        broken += [(address, *violation) for violation in result["violations"]]
    page.close()
    assert min(passed) > 10  # axe ran its rules on every page
    assert broken == []
