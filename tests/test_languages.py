"""The six-language site: labels, direction, switcher, notices and coverage, read
from the HTML that `build.py check` publishes for every language."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from conftest import ROOT, run_build

LANGUAGES = ["ar", "en", "es", "fr", "ru", "zh"]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def page(sites: Path):
    cache: dict[tuple[str, str], BeautifulSoup] = {}

    def load(lang: str, docname: str) -> BeautifulSoup:
        if (lang, docname) not in cache:
            html = (sites / lang / f"{docname}.html").read_text(encoding="utf-8")
            cache[lang, docname] = BeautifulSoup(html, "html.parser")
        return cache[lang, docname]

    return load


def catalog_text(lang: str, message: str) -> str:
    """A message of the site catalog as the language's translators wrote it."""
    path = ROOT / "source/locales" / lang / "LC_MESSAGES/sphinx.po"
    with path.open("rb") as po:
        return read_po(po)[message].string


UNOFFICIAL = ("This is an unofficial working translation, not an ITU text. "
              "The English text is the reference.")
UNTRANSLATED = "Parts of this page are not translated yet: they are shown in English."


def test_every_language_is_published_with_a_root_page(sites: Path) -> None:
    assert sorted(p.name for p in sites.iterdir() if p.is_dir()) == LANGUAGES
    root = BeautifulSoup((sites / "index.html").read_text(encoding="utf-8"), "html.parser")
    choices = [(a["href"], a["lang"], a["dir"], a.select_one(".name").get_text(),
                a.select_one(".title").get_text()) for a in root.select("nav li a")]
    # in the site's order (languages.yaml's), each named in itself, with the site's name
    assert choices == [
        (f"{lang}/index.html", lang, "rtl" if lang == "ar" else "ltr", name,
         "ITU-T Resolutions" if lang == "en" else catalog_text(lang, "ITU-T Resolutions"))
        for lang, name in [("ar", "العربية"), ("zh", "中文"), ("en", "English"),
                           ("fr", "Français"), ("ru", "Русский"), ("es", "Español")]]
    assert (sites / "root.css").is_file() and not root.select("style, [style]")


@pytest.mark.parametrize("lang, direction", [
    ("en", "ltr"), ("fr", "ltr"), ("es", "ltr"), ("ru", "ltr"), ("ar", "rtl"), ("zh", "ltr")])
def test_pages_declare_language_and_direction(page, lang: str, direction: str) -> None:
    html = page(lang, "resolutions/74").html
    assert (html["lang"], html["dir"]) == (lang, direction)


@pytest.mark.parametrize("lang, expected", [
    ("en", ["a)", "b)", "c)", "d)", "e)", "f)", "g)"]),
    ("fr", ["a)", "b)", "c)", "d)", "e)", "f)", "g)"]),
    ("ru", ["а)", "б)", "в)", "г)", "д)", "е)", "ж)"]),
    ("ar", ["أ)", "ب)", "ج)", "د)", "ه)", "و)", "ز)"]),
    ("zh", ["a)", "b)", "c)", "d)", "e)", "f)", "g)"]),
])
def test_lettered_labels_follow_the_language_and_anchors_do_not(page, lang, expected) -> None:
    soup = page(lang, "resolutions/74")
    items = [soup.find(id=f"recalling-{key}") for key in "abcdefg"]
    assert [i.find(class_="itu-label").get_text() for i in items] == expected
    assert soup.find(id="resolves-2") is not None
    assert soup.find(id="instructs-the-director-of-the-telecommunication-standardization-"
                        "bureau-in-close-collaboration-with-the-director-of-the-"
                        "telecommunication-development-bureau-1-ii") is not None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_switcher_keeps_the_document_and_alternates_name_every_language(page, lang) -> None:
    soup = page(lang, "resolutions/74")
    links = {a["hreflang"]: a["href"] for a in soup.select(".itu-languages a")}
    assert links == {code: f"../../{code}/resolutions/74.html" for code in LANGUAGES}
    assert soup.select_one(".itu-languages a[aria-current]")["hreflang"] == lang
    alternates = {link["hreflang"]: link["href"]
                  for link in soup.find_all("link", rel="alternate")}
    assert alternates == links


def test_switcher_targets_exist(sites: Path, page) -> None:
    for a in page("ar", "resolutions/74").select(".itu-languages a"):
        assert (sites / "ar" / "resolutions" / a["href"]).resolve().exists()


@pytest.mark.parametrize("lang, designation, call_words", [
    ("fr", "RÉSOLUTION 74 (Rév. Nouvelle-Delhi, 2024)", "rappelant"),
    ("es", "RESOLUCIÓN 74 (Rev. Nueva Delhi, 2024)", "recordando"),
    ("ru", "РЕЗОЛЮЦИЯ 74 (Пересм. Нью-Дели, 2024 г.)", "напоминая"),
    ("ar", "القرار 74 (المراجَع في نيودلهي، 2024)", "إذ تذكّر"),
    ("zh", "第 74 号决议（2024年，新德里，修订版）", "忆及"),
])
def test_heading_block_and_call_words_follow_the_language(page, lang, designation,
                                                            call_words) -> None:
    soup = page(lang, "resolutions/74")
    assert soup.select_one(".itu-designation").get_text() == designation
    words = soup.select_one("#recalling .itu-callwords")
    words.select_one(".itu-permalink").decompose()
    assert words.get_text().strip() == call_words


@pytest.mark.parametrize("lang", ["ar", "es", "fr", "ru", "zh"])
def test_resolution_74_is_translated_and_marked_unofficial(page, lang) -> None:
    soup = page(lang, "resolutions/74")
    article = soup.select_one("article.itu-document")
    assert not article.select(".untranslated"), "Resolution 74 is translated in full"
    notices = soup.select_one(".itu-notices").get_text()
    assert catalog_text(lang, UNOFFICIAL) in notices
    assert catalog_text(lang, UNTRANSLATED) not in notices


@pytest.mark.parametrize("lang", ["ar", "es", "fr", "ru", "zh"])
def test_untranslated_text_is_marked_english_and_announced(page, lang) -> None:
    soup = page(lang, "resolutions/44")
    untranslated = soup.select("article .untranslated")
    assert untranslated and all(p["lang"] == "en" for p in untranslated)
    assert catalog_text(lang, UNTRANSLATED) in soup.select_one(".itu-notices").get_text()


def test_english_pages_carry_no_notice(page) -> None:
    soup = page("en", "resolutions/44")
    assert soup.select_one(".itu-notices") is None
    assert not soup.select(".untranslated")


def test_status_page_counts_each_catalog(page) -> None:
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")]
            for tr in page("fr", "translations").select("table.itu-translation-status tbody tr")]
    counts = {name: [tuple(map(int, cell.split(" / "))) for cell in cells]
              for name, *cells in rows}
    site_words = rows[0][0]
    assert all(done == total for done, total in counts[site_words]), "site words complete"
    res74 = next(name for name in counts if "74" in name)
    assert all(done == total for done, total in counts[res74]), "Resolution 74 complete"
    res44 = next(name for name in counts if name.startswith("Résolution 44"))
    assert all(done < total for done, total in counts[res44]), "Resolution 44 partly"


def test_a_changed_english_paragraph_shows_its_translation_as_outdated(tmp_path: Path) -> None:
    """The real workflow: translate, change the English, update the catalogs."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "source/_data", source / "_data")
    (source / "index.md").write_text("# Home\n\nThe assembly meets every four years.\n",
                                     encoding="utf-8")
    out = tmp_path / "out"
    assert run_build("i18n", "--source", str(source), "--out", str(out),
                     "--add", "fr").returncode == 0
    po = source / "locales/fr/LC_MESSAGES/index.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgid "The assembly meets every four years."\nmsgstr ""',
        'msgid "The assembly meets every four years."\n'
        'msgstr "L\'assemblée se réunit tous les quatre ans."'), encoding="utf-8")
    (source / "index.md").write_text("# Home\n\nThe assembly meets every three years.\n",
                                     encoding="utf-8")
    assert run_build("i18n", "--source", str(source), "--out", str(out)).returncode == 0
    assert "#, fuzzy" in po.read_text(encoding="utf-8")
    result = run_build("html", "--lang", "fr", "--source", str(source), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    soup = BeautifulSoup((out / "site/fr/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    paragraph = soup.select_one("article p.outdated")
    assert "se réunit tous les quatre ans." in paragraph.get_text()
    assert paragraph.select_one(".itu-outdated-mark")
    assert soup.select_one(".itu-notices")


@pytest.mark.parametrize("lang, name", [
    ("fr", "Résolution 74 (Rév. Nouvelle-Delhi, 2024)"),
    ("ru", "Резолюция 74 (Пересм. Нью-Дели, 2024 г.)"),
    ("zh", "第74号决议（2024年，新德里，修订版）"),
])
def test_documents_are_named_in_the_language(page, lang: str, name: str) -> None:
    assert page(lang, "resolutions/74").title.get_text().startswith(name + " — ")
    listed = [span.get_text() for span in page(lang, "index").select(".itu-index-number")]
    assert name in listed


@pytest.mark.parametrize("lang", ["ar", "es", "fr", "ru", "zh"])
def test_translated_titles_keep_their_footnote_numbers(page, lang: str) -> None:
    title = page(lang, "resolutions/74").find("h1")
    assert title.select_one("a.footnote-reference").get_text() == "[1]"
    assert page(lang, "resolutions/44").find("h1").select_one(
        "a.footnote-reference").get_text() == "[1]"


@pytest.mark.parametrize("lang", ["fr", "zh"])
def test_the_book_speaks_the_language(sites: Path, lang: str) -> None:
    from pypdf import PdfReader

    cover = PdfReader(sites / lang / "pdf" / f"resolutions-{lang}.pdf").pages[0].extract_text()
    assert cover.startswith(catalog_text(lang, "ITU-T Resolutions"))


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_a_translated_doctree_holds_nothing_of_another_document(sites: Path, lang: str):
    """Every node of a pickled translated doctree belongs to it: none still points to
    the document Sphinx parsed a translation into (with the whole build environment)."""
    import pickle

    doctrees = sorted((sites.parent / ".work" / "doctrees" / lang).rglob("*.doctree"))
    assert len(doctrees) >= 10
    for path in doctrees:
        document = pickle.loads(path.read_bytes())
        strays = [node for node in document.findall() if node.document is not document]
        assert not strays, (path.name, strays[:3])


def test_english_passages_in_an_arabic_pdf_keep_their_punctuation_at_their_end(sites: Path):
    """Untranslated English in an Arabic PDF is set left to right: an item's ';' ends
    its last line, where a right-to-left layout puts it first (';the Union')."""
    import subprocess

    text = subprocess.run(["pdftotext", str(sites / "ar" / "pdf" / "resolutions" / "85.pdf"),
                           "-"], capture_output=True, text=True, check=True).stdout
    latin = [line for line in text.splitlines() if re.search(r"[A-Za-z]{3}", line)]
    assert sum(line.endswith(";") for line in latin) >= 5, latin
    assert not [line for line in latin if line.startswith((";", ","))], latin


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_english_passages_carry_their_language_and_their_direction(sites: Path, lang: str):
    """On a right-to-left page an English passage says lang="en" dir="ltr"; on a page
    written the same way as English, lang="en" alone."""
    passages = [p for html in sorted((sites / lang).rglob("*.html"))
                for p in BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
                .select(".untranslated")]
    assert len(passages) >= 20
    wanted = "ltr" if lang == "ar" else None
    assert {(p.get("lang"), p.get("dir")) for p in passages} == {("en", wanted)}


@pytest.mark.parametrize("lang, face", [("zh", "UKai"), ("ar", "NotoNaskhArabic-Bold")])
def test_call_words_are_set_in_the_emphasis_of_their_script(sites: Path, page, lang: str,
                                                             face: str):
    """Chinese and Arabic have no italic: call words are set in a Kai face (Chinese) and
    in bold (Arabic), as fonts.yaml says; read from the fonts of the PDF's text runs."""
    from pypdf import PdfReader

    runs: list[tuple[str, str]] = []
    for pdf_page in PdfReader(sites / lang / "pdf" / "resolutions" / "74.pdf").pages:
        pdf_page.extract_text(visitor_text=lambda text, _cm, _tm, font, _size: runs.append(
            (text.strip(), (font or {}).get("/BaseFont", ""))))
    words = [e.get_text(" ", strip=True).rstrip("¶ ")
             for e in page(lang, "resolutions/74").select(".itu-callwords")]
    assert len(words) >= 8
    for call in words:
        first = call.split()[0]  # Arabic runs come a word at a time
        fonts = {font for text, font in runs if text.startswith(first)}
        assert any(face in font for font in fonts), (call, fonts)
    # the rest of the text is not emphasis (the title and designation aside)
    body = [font for text, font in runs if text and not any(text in call for call in words)]
    assert len(body) > 20 and sum(face in font for font in body) < len(body) / 10


@pytest.mark.parametrize("lang, docname", [("fr", "resolutions/74"), ("fr", "resolutions/85"),
                                           ("en", "resolutions/74")])
def test_a_pdf_says_of_its_translation_what_its_page_says(sites: Path, page, lang: str,
                                                          docname: str):
    """A translated PDF opens with the notices of its HTML page (unofficial, partly in
    English), and its metadata names the ITU as author only of the ITU's own texts."""
    from pypdf import PdfReader

    notices = [p.get_text(" ", strip=True) for p in page(lang, docname).select(
        ".itu-notices p")]
    pdf = PdfReader(sites / lang / "pdf" / f"{docname}.pdf")
    opening = " ".join(pdf.pages[0].extract_text().split())
    for notice in notices:
        assert notice in opening, (notice, opening[:300])
    if lang == "en":
        assert not notices
    unofficial = any("unofficial" in n or "non officielle" in n for n in notices)
    assert (pdf.metadata.get("/Author") is None) == unofficial, pdf.metadata
    assert (pdf.metadata.get("/Subject") is not None) == unofficial, pdf.metadata
    if docname == "resolutions/74" and lang == "fr":
        assert unofficial and notices[0] in pdf.metadata["/Subject"]


def same_text(href: str) -> str:
    """An ITU address with its language left out (the ITU's text in any language)."""
    return re.sub(r"itu\.int/\w\w/(.*)-[A-Z]\.pdf", r"itu.int/\1.pdf",
                  re.sub(r"(itu\.int/md/.*)/\w\w$", r"\1", href))


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_a_passage_shown_in_english_keeps_the_links_of_the_english_page(page, lang: str):
    """Untranslated passages are read with the English patterns: each links what the
    same passage links on the English page (French patterns once linked "Article 19 of
    the ITU Convention" to the Constitution, other languages' linked nothing)."""
    compared = linked = 0
    for docname in ("resolutions/85", "resolutions/44", "proposals/44-atu"):
        english = {" ".join(p.get_text(" ").split()): p for p in
                   page("en", docname).select("main p")}
        for passage in page(lang, docname).select("main p.untranslated"):
            original = english.get(" ".join(passage.get_text(" ").split()))
            if original is None:  # its labels or notes differ by language: not comparable
                continue
            compared += 1
            hrefs = [same_text(a["href"]) for a in passage.select("a.itu-cite")]
            assert hrefs == [same_text(a["href"]) for a in original.select("a.itu-cite")], (
                docname, passage.get_text(" ")[:80])
            linked += len(hrefs)
    assert compared >= 20 and linked >= 10, (compared, linked)


@pytest.mark.parametrize("lang, letter", [("ar", "A"), ("zh", "C"), ("en", "E"), ("fr", "F"),
                                          ("ru", "R"), ("es", "S")])
def test_instruments_outside_the_site_link_the_itus_text_in_the_pages_language(
        page, lang: str, letter: str):
    """Where the ITU publishes an instrument in each language (the basic texts), a page
    links the one in its own language: RES-071-A.pdf from the Arabic page."""
    hrefs = [a["href"] for a in page(lang, "resolutions/74").select("a.itu-cite")
             if "/council/Documents/basic-texts/" in a["href"]]
    assert len(hrefs) >= 3
    assert all(re.search(rf"itu\.int/{lang}/council/Documents/basic-texts/[\w-]+-{letter}"
                         r"\.pdf(#|$)", href) for href in hrefs), hrefs


@pytest.mark.parametrize("lang", ["fr", "ar", "zh"])
def test_an_annex_says_whose_annex_it_is_in_the_language_of_the_page(page, lang: str):
    designation = page(lang, "resolutions/44").select_one("section.itu-annex .itu-designation")
    form = catalog_text(lang, "ANNEX (TO RESOLUTION {number} ({edition}))")
    before, _, after = form.replace("{number}", "44").partition("{edition}")
    said = designation.get_text()
    assert form != "ANNEX (TO RESOLUTION {number} ({edition}))"  # translated
    assert said.startswith(before) and said.endswith(after) and "2016" in said, said


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_a_404_page_that_search_leaves_out(sites: Path, lang: str) -> None:
    soup = BeautifulSoup((sites / lang / "404.html").read_text(encoding="utf-8"),
                         "html.parser")
    heading = soup.select_one("article h1").get_text()
    assert heading == ("Page not found" if lang == "en" else
                       catalog_text(lang, "Page not found")) and heading.strip()
    assert soup.html["lang"] == lang and not soup.select("[data-pagefind-body]")
    hrefs = [a["href"] for a in soup.select("a[href]") if not a["href"].startswith("#")]
    assert hrefs and all(h.startswith("/") for h in hrefs), hrefs  # served anywhere
    assert (sites / "404.html").read_bytes() == (sites / "en" / "404.html").read_bytes()


@pytest.mark.parametrize("lang, comma", [("ar", "، "), ("fr", ", "), ("zh", "，"), ("en", ", ")])
def test_cited_by_names_each_clause_as_the_citing_page_does(page, lang: str, comma: str):
    """In the page's language (the citing page's own name of the clause, its permalink
    says it), after the language's comma, in its own direction (<bdi>)."""
    entry = next(li for li in page(lang, "resolutions/44").select(".itu-cited-by li")
                 if "#recalling-c" in li.a["href"] and "74" in li.a["href"])
    permalink = page(lang, "resolutions/74").select_one("#recalling-c > a.itu-permalink")
    named = permalink["data-pagefind-meta"].removeprefix("#recalling-c:")
    assert entry.a.bdi.get_text() == named and named
    assert entry.a.get_text().endswith(f"{comma}{named}")


def test_the_languages_take_the_parse_english_kept(project, tmp_path):
    """A build keeps each document's parse where the languages' builds share it: the
    French build after the English one takes it instead of parsing the text again,
    and writes the pages a French build alone writes."""
    from forked import run_python
    from test_errors import GOOD

    (project / "good.md").write_text(GOOD, encoding="utf-8")
    # not kept: a parse that said something, one that read the language
    (project / "warned.md").write_text(GOOD.replace("number: 9", "number: 8").replace(
        ":::{part} considering", ":::{part} pondering"), encoding="utf-8")
    (project / "cites.md").write_text(GOOD.replace("number: 9", "number: 7").replace(
        "that one;", "that {res}`44` is;"), encoding="utf-8")

    def build(lang: str, folder: str, kept: Path | None) -> tuple[str, dict[str, bytes]]:
        """A build in a process of its own (Sphinx keeps a language's translations for
        the whole process)."""
        out = tmp_path / folder
        result = run_python("-m", "sphinx", "-b", "html", "-vv", "-c", str(ROOT),
                            "-D", f"language={lang}", "-D", f"itu_parse_cache={kept or ''}",
                            str(project), str(out))
        assert result.returncode == 0, result.stderr
        return result.stdout, {p.relative_to(out).as_posix(): p.read_bytes()
                               for p in out.rglob("*.html")}

    kept = tmp_path / "parsed"
    english, _pages = build("en", "en", kept)
    assert "the parse kept" not in english
    assert sorted(p.name for p in kept.iterdir()) == ["good.pickle"]
    french, pages = build("fr", "fr", kept)
    assert "good: the parse kept in" in french
    _said, alone = build("fr", "fr-alone", None)
    assert len(pages) > 2 and pages == alone
