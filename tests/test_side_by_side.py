"""Proposals side by side (seed 002) and a proposal's clean and original views."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from conftest import ROOT, built_page, run_build
from fidelity import DATA, config, differences, normalise, seed_lines, seed_words, tag_words

SEED = "002_e4eb4cc4694de83a.txt"
COMPARE = "proposals/44-compare"
PARTS = 14  # the parts of Resolution 44: the groups between the heading block and the annex


def columns(soup: BeautifulSoup) -> dict[str, int]:
    """Column index by proposal docname, from the links in the column heads."""
    heads = soup.select(".itu-cmp-heads > .itu-cmp-head")
    return {"proposals/" + head.a["href"].removesuffix(".html"): n
            for n, head in enumerate(heads)}


def cells(group: Tag, column: int) -> list[Tag]:
    """A column's cells in a group of rows, top to bottom (folded rows included)."""
    return [row.find_all(class_="itu-cmp-cell", recursive=False)[column]
            for row in group.select(".itu-cmp-row")]


def group_words(group: Tag, column: int) -> list[str]:
    return [w for cell in cells(group, column) for w in tag_words(cell)]


def row_with(group: Tag, text: str) -> Tag:
    """The row of a group in which some cell holds the text."""
    rows = [row for row in group.select(".itu-cmp-row") if text in row.get_text()]
    assert len(rows) == 1, (text, len(rows))
    return rows[0]


def test_columns_follow_the_proposals_order_and_name_their_source(page):
    soup = page(COMPARE)
    heads = soup.select(".itu-cmp-heads > .itu-cmp-head")
    assert [h.a.get_text() for h in heads] == ["AST", "ATU", "CITEL", "RCC"]
    assert list(columns(soup)) == [f"proposals/44-{s}" for s in ("ast", "atu", "citel", "rcc")]
    assert "MOD AFCP/35A8/1" in heads[1].get_text(" ")
    assert "WTSA C-039_IAP_Add18" in heads[2].get_text(" ")
    assert "itu-columns-4" in soup.select_one(".itu-comparison")["class"]


@pytest.mark.parametrize("docname", sorted(yaml.safe_load(
    (DATA / "seed002_columns.yaml").read_text(encoding="utf-8"))))
def test_each_column_reproduces_the_seed_part_by_part(page, docname):
    """Seed 002 lays the proposals side by side one row per part: each column's
    cells of a part, read in order, are that proposal's cell of the seed's row."""
    ranges = yaml.safe_load((DATA / "seed002_columns.yaml").read_text())[docname]
    soup = page(COMPARE)
    column = columns(soup)[docname]
    groups = soup.select(".itu-cmp-group")
    assert len(groups) == 1 + PARTS + 1  # heading block, parts, annex
    # the seed's rows: the heading block, one per part, then the annex programmes
    seed_rows = [[r] for r in ranges[:1 + PARTS]] + [ranges[1 + PARTS:]]
    drop = frozenset(config()["drop"].get(SEED, ()))
    report = []
    for group, rows in zip(groups, seed_rows, strict=True):
        found = differences(seed_words(seed_lines(SEED, rows), drop), group_words(group, column))
        report += [f"{group['id']}:\n" + "\n".join(found)] if found else []
    assert not report, "\n".join(report)


def test_rows_align_the_same_base_clause_across_proposals(page):
    soup = page(COMPARE)
    col = columns(soup)
    atu, citel, rcc = (col[f"proposals/44-{s}"] for s in ("atu", "citel", "rcc"))
    considering = soup.select_one("#compare-considering")
    # CITEL inserts a new a) and relabels: its b) "Resolution 123" is the others' a)
    row = row_with(considering, "instructs the Secretary-General and the Directors of the three")
    texts = [" ".join(tag_words(c)) for c in row.find_all(class_="itu-cmp-cell",
                                                           recursive=False)]
    assert all("Resolution 123" in texts[c] for c in (atu, citel, rcc))
    # an item inserted by one proposal has a row of its own
    row = row_with(considering, "Resolution 34 (Dubai, 2012)")
    filled = [bool(c.get_text(strip=True))
              for c in row.find_all(class_="itu-cmp-cell", recursive=False)]
    assert [n for n, f in enumerate(filled) if f] == [rcc]
    # CITEL renames "taking into account": the part still meets the others' by its base words
    taking = soup.select_one("#compare-taking-into-account")
    call_words = taking.select(".itu-cmp-row")[0].find_all(class_="itu-cmp-cell", recursive=False)
    assert tag_words(call_words[citel].select_one("del")) == "taking into account".split()
    assert tag_words(call_words[citel].select_one("ins")) == "recognizing further".split()
    assert call_words[atu].get_text(" ", strip=True).endswith("taking into account")


def test_cells_keep_each_proposals_marks(page):
    soup = page(COMPARE)
    col = columns(soup)
    atu, citel = col["proposals/44-atu"], col["proposals/44-citel"]
    taking = soup.select_one("#compare-taking-into-account")
    cell = row_with(taking, "has shown a potential to increase").find_all(
        class_="itu-cmp-cell", recursive=False)[atu]
    assert "itu-inserted" in cell.select_one(".itu-item")["class"]
    assert any("holding ITU‑T study group meetings in developing countries" in ins.get_text()
               for ins in cell.select("ins.itu-ins"))
    considering = soup.select_one("#compare-considering")
    cell = row_with(considering, "Resolution 154").find_all(
        class_="itu-cmp-cell", recursive=False)[citel]
    assert "resolves to continue to take all necessary measures to ensure" in [
        " ".join(tag_words(d)) for d in cell.select("del.itu-del")]


def test_rows_without_changes_are_folded(page):
    soup = page(COMPARE)
    group = soup.select_one("#compare-instructs-study-groups-of-the-itu-telecommunication-"
                            "standardization-sector-and-the-telecommunication-standardization-"
                            "advisory-group")
    rows = group.select(".itu-cmp-row")
    folded = group.select("details.itu-cmp-unchanged .itu-cmp-row")
    assert rows[0] not in folded, "the call words stay in sight"
    assert folded == rows[1:] and len(folded) == 3
    for details in soup.select("details.itu-cmp-unchanged"):
        assert not details.select("ins, del, .itu-inserted, .itu-deleted")
        assert details.summary.get_text().startswith("Unchanged in every proposal")


def test_comparison_anchors_are_unique(page):
    ids = [tag["id"] for tag in page(COMPARE).select("[id]")]
    assert len(ids) == len(set(ids))
    assert "44-citel-considering-b" in ids


def test_resolution_and_proposals_link_to_the_comparison(page):
    for docname in ("resolutions/44", "proposals/44-ast", "proposals/44-rcc"):
        links = [a["href"] for a in page(docname).select(".itu-facts a")]
        assert any(href.endswith("44-compare.html") for href in links), docname
    assert not [a for a in page("proposals/85-mod").select(".itu-facts a")
                if "compare" in a["href"]]


def test_phone_and_print_styles_have_the_markup_they_need(page, site):
    soup = page(COMPARE)
    assert soup.select_one('meta[name="viewport"]')
    assert soup.select_one('link[href^="../_static/itu-compare.css"]')
    assert not page("proposals/44-atu").select_one('link[href*="itu-compare"]')
    heads = [h.a.get_text() for h in soup.select(".itu-cmp-head")]
    for row in soup.select(".itu-cmp-row"):
        for n, cell in enumerate(row.find_all(class_="itu-cmp-cell", recursive=False)):
            label = cell.find(class_="itu-cmp-source", recursive=False)
            if cell.get_text(strip=True):
                assert label.get_text() == heads[n]
            else:
                assert "itu-cmp-empty" in cell["class"] and label is None
    css = (site / "_static" / "itu-compare.css").read_text(encoding="utf-8")
    phone = css[css.index("@media (max-width: 700px)"):]
    assert re.search(r"\.itu-cmp-row \{ display: block; \}", phone)
    assert re.search(r"@page \{ size: A4 landscape", css)


def test_a_resolution_with_fewer_than_two_proposals_is_reported(project, tmp_path):
    (project / "compare.md").write_text("# Compared\n\n:::{side-by-side} 85\n:::\n",
                                        encoding="utf-8")
    result = run_build("check", "--source", str(project), "--out", str(tmp_path / "out"))
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert "compare.md:3: WARNING: Resolution 85 has 0 proposal(s)" in output
    assert "[itu.compare]" in output


def test_side_by_side_works_for_any_resolution(project, tmp_path):
    """Two proposals of a scratch resolution: a base item, one each renumbered."""
    head = ("---\nkind: proposal\nnumber: 9\nedition: \"{del}`Dubai, 2012`{ins}`Geneva, "
            "2022`\"\nhistory: [\"Dubai, 2012\", \"{ins}`Geneva, 2022`\"]\nproposal:\n"
            "  action: MOD\n  source: %s\n  order: %d\n---\n\n# A resolution\n\n"
            ":::{part} considering\n%s\n:::\n")
    (project / "b.md").write_text(head % ("B", 1, "1. that one;\n1. that two,"),
                                  encoding="utf-8")
    (project / "a.md").write_text(head % ("A", 2, "1. [that zero;]{.ins}\n1. that one;\n"
                                          "1. that {del}`two`{ins}`three`,")
                                  + ":::{part} resolves\n:change: inserted\n\n1. to act.\n:::\n",
                                  encoding="utf-8")
    (project / "compare.md").write_text("# Compared\n\n:::{side-by-side} 9\n:::\n",
                                        encoding="utf-8")
    soup = built_page(project, tmp_path / "out", "compare")
    assert [h.a.get_text() for h in soup.select(".itu-cmp-head")] == ["B", "A"]
    rows = [[" ".join(tag_words(c)) for c in row.find_all(class_="itu-cmp-cell",
                                                           recursive=False)]
            for row in soup.select("#compare-considering .itu-cmp-row")]
    assert rows == [["considering", "considering"], ["", "a) that zero;"],
                    ["a) that one;", "ab) that one;"], ["b) that two,", "bc) that twothree,"]]
    inserted = soup.select("#compare-resolves .itu-cmp-cell")
    assert [" ".join(tag_words(c)) for c in inserted] == ["", "resolves", "", "1 to act."]
    assert "itu-inserted" in inserted[3]["class"] and "itu-cmp-changed" in \
        inserted[3].parent["class"]


def shown_words(browser, url: str, width: int = 1000) -> list[str]:
    """The words Chromium shows in a page's document (permalinks aside)."""
    view = browser.new_page(viewport={"width": width, "height": 900})
    view.goto(url)
    text = view.evaluate("""() => {
        document.querySelectorAll('.itu-permalink, .headerlink').forEach(e => e.remove());
        return document.querySelector('article.itu-document').innerText; }""")
    view.close()
    return normalise(text)


@pytest.mark.slow
def test_original_view_of_a_proposal_is_the_base_resolution(site, browser):
    original = shown_words(browser, (site / "proposals/85-mod.html").as_uri()
                           + "#itu-view-original")
    base = shown_words(browser, (site / "resolutions/85.html").as_uri())
    assert not differences(base, original), "\n".join(differences(base, original))


@pytest.mark.slow
def test_clean_view_of_a_proposal_is_the_proposed_edition(site, page, browser):
    clean = shown_words(browser, (site / "proposals/85-mod.html").as_uri() + "#itu-view-clean")
    text = " ".join(clean)
    assert text.startswith("RESOLUTION 85 (Rev. New Delhi, 2024) Strengthening")
    assert "(Hammamet, 2016; New Delhi, 2024) The World Telecommunication Standardization " \
        "Assembly (New Delhi, 2024)," in text
    assert "noting a) the outcomes of the 2023 session" in text
    assert "b) the recommendation of the 2016 session of the Council that ITU-T's" in text
    assert "implementation efforts referred to in noting a) above" in text
    assert "Abstract" not in text and "MOD" not in clean
    # word for word: the marked page with every deletion left out and every insertion kept
    soup = BeautifulSoup((site / "proposals/85-mod.html").read_text(encoding="utf-8"),
                         "html.parser")
    article = soup.select_one("article.itu-document")
    for gone in article.select("del, .itu-deleted, .itu-proposal-mark, .itu-abstract"):
        gone.decompose()
    assert not differences(tag_words(article), clean)


def test_proposal_pages_offer_three_views_without_script(page):
    soup = page("proposals/85-mod")
    links = [a["href"] for a in soup.select("nav.itu-views a")]
    assert links == ["#itu-view-marked", "#itu-view-clean", "#itu-view-original"]
    assert all(soup.find(id=href[1:]) for href in links)
    assert not page("resolutions/85").select("nav.itu-views")
    css = (ROOT / "ext/itu/html/theme/itu/static/itu.css").read_text(encoding="utf-8")
    assert ".page:has(#itu-view-original:target)" in css


@pytest.mark.slow
def test_comparison_fits_a_phone_and_prints_landscape(site, browser, tmp_path):
    from pypdf import PdfReader

    url = (site / f"{COMPARE}.html").as_uri()
    for width in (400, 1400):
        view = browser.new_page(viewport={"width": width, "height": 900})
        view.goto(url)
        overflow = view.evaluate("document.documentElement.scrollWidth - innerWidth")
        lefts = view.evaluate("""[...document.querySelectorAll(
            '#compare-considering .itu-cmp-changed')[1].children].map(
            c => c.getBoundingClientRect()).filter(r => r.width).map(r => r.left)""")
        if width == 400:
            assert overflow <= 0, "no sideways scrolling on a phone"
            assert len(set(lefts)) == 1, "one block per proposal, stacked"
            view.emulate_media(media="print")
            view.pdf(path=tmp_path / "compare.pdf", prefer_css_page_size=True)
        else:
            assert len(set(lefts)) == 4, "a column per proposal"
            # AST's proposal has no text of its own: its column has room for its head
            heads = view.evaluate("""[...document.querySelectorAll('.itu-cmp-head')].map(
                h => h.getBoundingClientRect().width)""")
            assert heads[0] < 0.5 * min(heads[1:]), heads
        view.close()
    pdf = PdfReader(tmp_path / "compare.pdf")
    box = pdf.pages[0].mediabox
    assert box.width > box.height, "A4 landscape"
    printed = " ".join(normalise(" ".join(p.extract_text() for p in pdf.pages)))
    assert "to coordinate joint meetings of regional groups" in printed, "folded rows print"
    assert "Unchanged in every proposal" not in printed


@pytest.mark.slow
def test_incremental_builds_keep_the_comparison_and_its_links_current(built):
    build, _read, _written = built
    proposal = build.source / "proposals" / "44-rcc.md"
    proposal.write_text(proposal.read_text(encoding="utf-8").replace(
        "to share information on utilizing", "to share knowledge on utilizing"), encoding="utf-8")
    read, written = build.run()
    assert read == ["compare/44-rcc", "proposals/44-rcc"]  # and its "compare editions" page
    assert written == ["compare/44-rcc", "index", COMPARE, "proposals/44-rcc"]
    assert "to share knowledge on utilizing" in \
        (build.out / f"{COMPARE}.html").read_text(encoding="utf-8")
    # the comparison goes: the resolution and its proposals stop linking to it
    (build.source / f"{COMPARE}.md").unlink()
    read, written = build.run()
    assert {"resolutions/44", "proposals/44-ast", "proposals/44-rcc"} <= set(written)
    assert "proposals/85-mod" not in written
    assert "44-compare" not in (build.out / "resolutions/44.html").read_text(encoding="utf-8")


def test_citations_in_the_cells_link_as_in_the_proposals(page):
    """Each proposal's citations, and only those, link from its column; a clause of
    the proposal links to that clause in the same column, a place the page shows as a
    group of rows of every column (an annex) to that group."""
    def cites(anchors: list[Tag], prefix: str = "") -> Counter:
        return Counter((" ".join(a.get_text().split()),
                        a["href"].replace("#" + prefix, "#").replace("#compare-", "#"))
                       for a in anchors)

    soup = page(COMPARE)
    for docname, column in columns(soup).items():
        prefix = docname.rsplit("/", 1)[1] + "-"
        anchors = [a for group in soup.select(".itu-cmp-group")
                   for cell in cells(group, column) for a in cell.select("a.itu-cite")]
        assert cites(anchors, prefix) == cites(page(docname).select("article a.itu-cite"))
    assert any("#44-citel-" in a["href"] for a in soup.select("a.itu-cite.itu-clause"))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ar", "fr", "zh"])
def test_the_comparison_is_built_from_the_proposals_in_each_language(sites, lang):
    def load(docname: str) -> BeautifulSoup:
        return BeautifulSoup((sites / lang / f"{docname}.html").read_text(encoding="utf-8"),
                             "html.parser")

    soup, atu = load(COMPARE), load("proposals/44-atu")
    column = columns(soup)["proposals/44-atu"]
    heading = [tag_words(cell) for cell in cells(soup.select_one("#compare-heading"), column)]
    assert tag_words(atu.select_one(".itu-designation")) in heading
    first_part = soup.select(".itu-cmp-group")[1]
    assert cells(first_part, column)[0].select_one(".itu-callwords").get_text() == \
        atu.select_one(".itu-callwords em").get_text()
    assert soup.select_one("html")["lang"] == lang
    # its anchors are the English ones, so the language switcher keeps the place
    assert soup.select_one("#compare-considering") is first_part
