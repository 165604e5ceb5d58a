"""The PDFs as a reader gets them: text, labels, footnotes, outline, links, fonts."""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from conftest import ROOT, run_build
from fidelity import compare_pdf, expectations, pdf_words
from forked import run_python
from pypdf import PdfReader
from test_resolution import text

PAGES = expectations()
BOOK = "resolutions-en"


@cache
def reader(path: Path) -> PdfReader:
    return PdfReader(path)


def pdf_of(site: Path, docname: str) -> Path:
    """A document's own PDF; pages without one (the foreword) are read in the book."""
    path = site / "pdf" / f"{docname}.pdf"
    return path if path.exists() else site / "pdf" / f"{BOOK}.pdf"


def page_text(path: Path, number: int) -> str:
    return " ".join(reader(path).pages[number].extract_text().split())


def outline(path: Path) -> list[tuple[str, int, list]]:
    """The bookmarks: (title, page index, children)."""
    pdf = reader(path)

    def entries(items: list) -> list[tuple[str, int, list]]:
        result: list[tuple[str, int, list]] = []
        for item in items:
            if isinstance(item, list):
                title, number, _ = result[-1]
                result[-1] = (title, number, entries(item))
            else:
                result.append((item.title, pdf.get_destination_page_number(item), []))
        return result

    return entries(pdf.outline)


def links(path: Path, pages: range | None = None) -> list[tuple[int, str | int]]:
    """Link annotations: (page index, URI or destination page index)."""
    pdf = reader(path)
    found = []
    for number in pages if pages is not None else range(len(pdf.pages)):
        for annotation in pdf.pages[number].get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            if "/A" in annotation and "/URI" in annotation["/A"]:
                found.append((number, str(annotation["/A"]["/URI"])))
            elif "/Dest" in annotation:
                found.append((number, pdf.get_page_number(annotation["/Dest"][0].get_object())))
    return found


@pytest.mark.parametrize("docname", sorted(PAGES))
def test_pdf_reproduces_its_seed(site, docname):
    seed, ranges = PAGES[docname]
    assert compare_pdf(pdf_words(pdf_of(site, docname)), seed, ranges) == ""


def test_one_pdf_per_document_and_the_book(site):
    """Documents, the redlines the site compares editions with, the side-by-side page."""
    pdfs = sorted(p.relative_to(site / "pdf").as_posix() for p in (site / "pdf").rglob("*.pdf"))
    documents = sorted(f"{p.relative_to(ROOT / 'source').with_suffix('').as_posix()}.pdf"
                       for folder in ("resolutions", "proposals", "documents", "compare")
                       for p in (ROOT / "source" / folder).glob("*.md"))
    assert pdfs == sorted([*documents, f"{BOOK}.pdf"])


def test_every_download_link_leads_to_its_pdf(site):
    checked = 0
    for html in site.rglob("*.html"):
        for href in re.findall(r'class="itu-download"><a href="([^"]+)"',
                               html.read_text(encoding="utf-8")):
            assert (html.parent / href).resolve().is_file(), f"{html.name}: {href}"
            checked += 1
    assert checked >= 15, "every document, redline and side-by-side page links its PDF"


def test_side_by_side_pdf_is_landscape_with_a_column_per_proposal(site):
    path = site / "pdf" / "proposals" / "44-compare.pdf"
    box = reader(path).pages[0].mediabox
    assert box.width > box.height, "A4 turned"
    first = page_text(path, 1)
    for head in ("AST MOD", "ATU MOD AFCP/35A8/1", "CITEL MOD IAP/39A18/1", "RCC MOD"):
        assert head in first
    words = " ".join(" ".join(reader(path).pages[n].extract_text().split())
                     for n in range(len(reader(path).pages)))
    assert words.count("to share information on utilizing") >= 1
    # a clause a cell cites ("resolves 6" of CITEL's column) is a link within the page
    assert sum(isinstance(target, int) for _page, target in links(path)) >= 6


def test_side_by_side_columns_are_as_wide_as_their_text_and_notes_are_set_once(site):
    """AST's proposal has no text of its own: its column is narrow, the others share the
    page by the text they hold. A footnote every proposal gives (the title's standard
    footnote) is set once, each column's reference repeating its number."""
    path = site / "pdf" / "proposals" / "44-compare.pdf"
    left: dict[str, float] = {}

    def head(text, cm, tm, _font, _size) -> None:
        if text.strip() in ("AST", "ATU", "CITEL", "RCC"):
            left.setdefault(text.strip(), tm[4] * cm[0] + tm[5] * cm[2] + cm[4])

    reader(path).pages[0].extract_text(visitor_text=head)
    ast, atu, citel, rcc = (left[name] for name in ("AST", "ATU", "CITEL", "RCC"))
    assert ast < atu < citel < rcc
    assert (atu - ast) < 0.4 * (citel - atu) and abs((citel - atu) - (rcc - citel)) < 30
    words = " ".join(" ".join(p.extract_text() for p in reader(path).pages).split())
    assert words.count("small island developing states") == 1


def test_a_compared_edition_is_a_redline_pdf(site):
    first = page_text(site / "pdf" / "compare" / "85-mod.pdf", 0)
    assert first.startswith("Compared: Resolution 85 (Hammamet, 2016) and the MOD proposal "
                            "85-mod (New Delhi, 2024). Changes computed between the two "
                            "versions: inserted, deleted, Moved here / Moved from here. "
                            "Changes the document itself proposes: inserted, deleted."), first
    assert "RESOLUTION 85 (Hammamet, 2016Rev. New Delhi, 2024)" in first


@pytest.mark.parametrize("docname", ["resolutions/74", "proposals/44-citel", "proposals/44-rcc"])
def test_item_labels_in_order(site, page, docname):
    labels = [text(label) for label in page(docname).select(".itu-label")]
    assert len(labels) > 10
    words = pdf_words(pdf_of(site, docname))
    position = 0
    for label in labels:  # each label is a word of its own, in the order of the items
        assert label in words[position:], f"label {label!r} missing after word {position}"
        position = words.index(label, position) + 1


def test_label_changes_show_old_and_new(site):
    words = pdf_words(pdf_of(site, "proposals/44-citel"))
    assert "bc)" in words  # b) struck through, c) underlined, as in the seed


def test_footnotes_at_the_foot_of_their_page(site, page):
    path = pdf_of(site, "resolutions/74")
    notes = [text(n)[2:] for n in page("resolutions/74").select("aside.footnote")]
    assert len(notes) == 2
    first = page_text(path, 0)
    for note in notes:
        assert note in first
    # below the text of the page: after the last item on it, before the page number
    assert first.index(notes[0]) > first.index("Members1 from developing countries")
    assert first.endswith(notes[1] + " 1")


def test_running_header_and_page_numbers(site):
    path = pdf_of(site, "resolutions/44")
    second = page_text(path, 1)
    assert second.startswith("Resolution 44 (Rev. Hammamet, 2016)")
    assert second.endswith(" 2")
    assert not page_text(path, 0).startswith("Resolution 44")  # not above its own heading


def test_book_outline_per_resolution_and_part(site, page):
    book = site / "pdf" / f"{BOOK}.pdf"
    entries = outline(book)
    assert [title.split(" — ")[0] for title, _page, _children in entries] == [
        "FOREWORD", "Resolution 44 (Rev. Hammamet, 2016)", "Resolution 74 (Rev. New Delhi, 2024)",
        "Resolution 85 (Hammamet, 2016)"]
    title, start, parts = entries[2]
    assert title.endswith("Enhancing participation of Sector Members from developing "
                          "countries in the work of the ITU Telecommunication "
                          "Standardization Sector")
    callwords = [text(c) for c in page("resolutions/74").select(".itu-callwords")]
    assert [name for name, _page, _children in parts] == callwords
    assert page_text(book, start).startswith("RESOLUTION 74 (Rev. New Delhi, 2024)")
    for name, number, _children in parts:  # each bookmark opens the page of its part
        assert name in page_text(book, number)
    annex = entries[1][2][-1]  # Resolution 44's annex, its headings under it
    assert annex[0] == "Annex"
    assert [name.split(":")[0] for name, _page, _children in annex[2]] == [
        "I Programme 1", "II Programme 2", "III Programme 3", "IV Programme 4"]


def test_book_cover_and_contents(site):
    book = site / "pdf" / f"{BOOK}.pdf"
    assert "ITU-T Resolutions" in page_text(book, 0)
    contents = page_text(book, 1)
    assert contents.startswith("Contents")
    for title, number, _children in outline(book):
        assert title.split(" — ")[0] in contents
        assert re.search(rf"\b{number + 1}\b", contents)  # with its page number


def test_cross_references_in_the_book_are_internal_links(site):
    book = site / "pdf" / f"{BOOK}.pdf"
    entries = {title.split(" ")[1]: number for title, number, _c in outline(book)[1:]}
    res74 = range(entries["74"], entries["85"])
    destinations = {target for _page, target in links(book, res74) if isinstance(target, int)}
    # "Resolutions 44 and 54 (Rev. New Delhi, 2024) of this assembly" leads to Resolution 44
    assert entries["44"] in destinations
    uris = {target for _page, target in links(book, res74) if isinstance(target, str)}
    assert "https://www.itu.int/en/council/Documents/basic-texts/RES-071-E.pdf" in uris
    # "the action plan annexed to this resolution" leads to the annex's page
    res44 = outline(book)[1]
    annex = next(number for name, number, _c in res44[2] if name == "Annex")
    assert annex > res44[1]
    assert annex in {target for _page, target in links(book, range(res44[1], annex))}


def test_cross_references_in_a_document_lead_to_the_other_pdfs(site, page):
    """In a document's own PDF, a link to another document opens that document's PDF;
    links to other instruments go where the HTML page's links go."""

    def place(href: str) -> str:  # a relative link as a path from the site's root
        if re.match(r"[a-z]+:", href):
            return href
        return posixpath.normpath(posixpath.join("resolutions", href.split("#")[0]))

    html = page("resolutions/74")
    expected = {re.sub(r"\.html$", ".pdf", place(a["href"]))
                for a in html.select("article a.itu-cite, article .itu-history a")}
    uris = {place(target) for _page, target in links(pdf_of(site, "resolutions/74"))
            if isinstance(target, str)}
    assert "resolutions/44.pdf" in uris
    assert uris == expected


def test_metadata(site):
    book = reader(site / "pdf" / f"{BOOK}.pdf")
    assert book.metadata.title == "ITU-T Resolutions"
    assert book.trailer["/Root"]["/Lang"] == "en"
    assert book.metadata["/CreationDate"].startswith("D:20240101")  # newest edition's year
    doc = reader(pdf_of(site, "documents/C26-INF-14"))
    assert doc.metadata.title.startswith("Document C26/INF/14 — ADDITIONAL INFORMATION")
    assert doc.metadata["/CreationDate"].startswith("D:20260420")  # the date it states


def test_pages_link_to_their_pdf(site, page):
    link = page("resolutions/74").select_one(".itu-download a")
    assert link["href"] == "../pdf/resolutions/74.pdf"
    assert (site / "resolutions" / link["href"]).resolve() == \
        (site / "pdf" / "resolutions" / "74.pdf").resolve()
    assert page("index").select_one(".itu-download a")["href"] == f"pdf/{BOOK}.pdf"
    assert page("foreword").select_one(".itu-download") is None


def fonts(path: Path) -> dict[str, bool]:
    """Every font of a PDF: its name and whether its program is embedded."""
    found = {}
    for pdf_page in reader(path).pages:
        for font in (pdf_page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" \
                in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            found[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


def test_fonts_are_embedded_noto(site):
    found = fonts(site / "pdf" / f"{BOOK}.pdf")
    assert found and all(found.values()), found
    names = {name.split("+")[-1] for name in found}
    assert names == {"NotoSerif-Regular", "NotoSerif-Bold", "NotoSerif-Italic"}, names


def test_page_renders_with_ink(site, tmp_path):
    """pdftoppm draws the first page of Resolution 74: not blank, not all ink."""
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf_of(site, "resolutions/74")), str(tmp_path / "page")], check=True)
    data = (tmp_path / "page.pgm").read_bytes()
    magic, width, height, _maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and int(width) * int(height) == len(pixels)
    inked = sum(1 for value in pixels if value < 128) / len(pixels)
    assert 0.01 < inked < 0.5, inked


RESOLUTION = """---
kind: resolution
number: 9
edition: Geneva, 2022
history: [Geneva, 2022]
---

# {title}

:::{{part}} {callwords}
:kind: preambular
1. {first}
1. {second}
:::
"""

TEXTS = {
    "ar": dict(title="قرار تجريبي", callwords="إذ يضع في اعتباره",
               first="أن النص الأول؛", second="أن النص الثاني،"),
    "zh": dict(title="试验决议", callwords="考虑到", first="第一项内容；", second="第二项内容，"),
}


def typeset(source: Path, out: Path, lang: str = "en", *options: str) -> str:
    """Run the PDF builder on a content tree, strictly; its output."""
    result = run_python("-m", "sphinx", "-b", "typst", "-W", *options, "-c", str(ROOT),
                        "-D", f"language={lang}", "-D", "itu_pdf=1", str(source), str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_pdf_step_reuses_the_doctrees_of_the_html_build(site, tmp_path):
    work = site.parent.parent / ".work"
    output = typeset(ROOT / "source", tmp_path / "out", "en", "-d", str(work / "doctrees" / "en"),
                     "-D", f"locale_dirs={work / 'locales'}",  # as the command line gives it
                     "-D", "itu_pdf_typeset=0")  # reading is what this checks
    assert "0 added, 0 changed, 0 removed" in output


def test_unchanged_pdfs_are_not_typeset_again(site, tmp_path):
    out = tmp_path / "out"  # a copy (times kept): the other tests read the shared build
    shutil.copytree(site.parent.parent, out, symlinks=True)
    typeset_pdfs = sorted((out / ".work" / "typst" / "en" / "pdf").rglob("*.pdf"))
    assert len(typeset_pdfs) >= 10
    before = [p.stat().st_mtime_ns for p in typeset_pdfs]
    result = run_build("pdf", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert [p.stat().st_mtime_ns for p in typeset_pdfs] == before


def test_markup_characters_are_text(project, tmp_path):
    line = "costs $5 # 2 = 10 // no comment; a_b ~ c @ref [x] \\ y *z"
    (project / "res.md").write_text(
        RESOLUTION.format(title="Typst's own characters", callwords="considering",
                          first=line.replace("*", "\\*").replace("_", "\\_") + ";",
                          second="two,"), encoding="utf-8")
    typeset(project, tmp_path / "out", "en", "-q")
    assert line + ";" in page_text(tmp_path / "out" / "pdf" / "res.pdf", 0)


def test_two_footnotes_of_one_text_keep_two_numbers(project, tmp_path):
    """Only side by side do footnotes of the same text share a number (each proposal has
    its copy); in a document, two footnotes are two, in the PDF as on the page."""
    (project / "res.md").write_text(RESOLUTION.format(
        title="Two notes", callwords="considering", first="one[^a];", second="two[^b],")
        + "\n[^a]: The same note.\n\n[^b]: The same note.\n", encoding="utf-8")
    typeset(project, tmp_path / "out", "en", "-q")
    text = " ".join(page_text(tmp_path / "out" / "pdf" / "res.pdf", 0).split())
    assert text.count("The same note.") == 2, text


@pytest.mark.parametrize("lang, font", [("ar", "NotoNaskhArabic"), ("zh", "NotoSerifCJK")])
def test_language_sets_direction_and_fonts(project, tmp_path, lang, font):
    (project / "res.md").write_text(RESOLUTION.format(**TEXTS[lang]), encoding="utf-8")
    typeset(project, tmp_path / "out", lang, "-q")
    path = tmp_path / "out" / "pdf" / "res.pdf"
    assert any(font in name for name in fonts(path)), fonts(path)
    assert reader(path).trailer["/Root"]["/Lang"] == lang
    runs: list[tuple[float, str]] = []
    reader(path).pages[0].extract_text(
        visitor_text=lambda t, cm, tm, *_: t.strip() and runs.append((cm[4] + tm[4], t)))
    label = next(x for x, t in runs if t.strip().strip("()") in ("a", "أ"))
    body = next(x for x, t in runs if t.strip() == "أن" or t.strip().startswith("第一项"))
    # the label hangs before the text: on its right in Arabic, on its left in Chinese
    assert (label > body) if lang == "ar" else (label < body)


def test_text_in_another_script_brings_its_font(project, tmp_path):
    (project / "res.md").write_text(RESOLUTION.format(
        title="A resolution", callwords="considering", first="that «اتحاد» is Arabic;",
        second="that «联盟» is Chinese,"), encoding="utf-8")
    typeset(project, tmp_path / "out", "en", "-q")
    path = tmp_path / "out" / "pdf" / "res.pdf"
    names = {name.split("+")[-1].split("-")[0] for name in fonts(path)}
    assert {"NotoSerif", "NotoNaskhArabic", "NotoSerifCJKsc"} <= names, names


def test_missing_font_of_a_script_in_use_names_document_and_package(project, tmp_path):
    table = project / "_data" / "fonts.yaml"
    table.write_text(table.read_text(encoding="utf-8").replace(
        "NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Nowhere.ttc"), encoding="utf-8")
    (project / "res.md").write_text(RESOLUTION.format(
        title="A resolution", callwords="considering", first="one;",
        second="that «联盟» is Chinese,"), encoding="utf-8")
    result = run_build("check", "--source", str(project), "--out", str(tmp_path / "out"))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert ("res.md:1: ERROR: text in the chinese script needs the font Noto Serif CJK SC "
            "(NotoSerifCJK-Nowhere.ttc)") in output
    assert "install the Debian package fonts-noto-cjk" in output
    assert "Traceback" not in output and not (tmp_path / "out" / "site").exists()


PICTURE = bytes.fromhex(  # a 1x1 red PNG
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408"
    "d763f8cfc000000301010018dd8db00000000049454e44ae426082")


def test_code_pictures_quotes_and_breaks_are_typeset(project, tmp_path):
    """Every construct the content may hold reaches the PDF: a code block (its lines
    kept), a picture of the content tree, a quotation and a thematic break."""
    (project / "pic.png").write_bytes(PICTURE)
    (project / "res.md").write_text(
        RESOLUTION.format(title="A resolution", callwords="considering", first="one;",
                          second="two,")
        + "\n```\nfirst line of code\nsecond line\n```\n\n![A red dot](pic.png)\n\n"
          "***\n\n> A quotation.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("check", "--source", str(project), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    pdf = out / "site" / "en" / "pdf" / "res.pdf"
    lines = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.splitlines()
    code = [line.strip() for line in lines if "line" in line]
    assert code == ["first line of code", "second line"], lines
    assert any(line.strip() == "A quotation." for line in lines)
    pictures = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                              text=True, check=True).stdout.splitlines()[2:]
    assert len(pictures) == 1 and pictures[0].split()[3:5] == ["1", "1"], pictures


def test_missing_font_names_the_debian_package(project, tmp_path):
    table = project / "_data" / "fonts.yaml"
    table.write_text(table.read_text(encoding="utf-8").replace(
        "NotoSerif-Regular.ttf", "NotoSerif-Nowhere.ttf"), encoding="utf-8")
    (project / "res.md").write_text(
        RESOLUTION.format(title="A resolution", callwords="considering", first="one;",
                          second="two,"), encoding="utf-8")
    result = run_build("pdf", "--source", str(project), "--out", str(tmp_path / "out"))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "need the font Noto Serif (NotoSerif-Nowhere.ttf)" in output
    assert "install the Debian package fonts-noto-core" in output
    assert "Traceback" not in output
    assert not list(tmp_path.rglob("*.pdf"))


def test_an_edition_note_is_set_apart_from_the_legal_text(site):
    """The note that the site links another edition than the one cited is an aid to the
    reader: smaller than the text it stands in (as on the page)."""
    runs: list[tuple[str, float]] = []
    for pdf_page in reader(site / "pdf" / "resolutions" / "74.pdf").pages:
        pdf_page.extract_text(visitor_text=lambda text, _cm, _tm, _font, size: runs.append(
            (text, size)))
    notes = [size for text, size in runs if "[edition on this site:" in text]
    body = [size for text, size in runs if len(text) > 30 and "edition on this site" not in text]
    text_size = max(set(body), key=body.count)  # the size most of the text is set in
    assert notes and max(notes) < text_size * 0.8, (notes, text_size)


def test_a_published_pdf_links_the_others_where_the_site_has_them(project, tmp_path,
                                                                   monkeypatch):
    """With the site's address known (ITU_SITE_URL, as the site workflow sets it), a
    link to another document leads to its PDF on the site: a downloaded PDF keeps it."""
    from test_errors import GOOD

    (project / "cited.md").write_text(GOOD.replace("number: 9", "number: 8"),
                                      encoding="utf-8")
    (project / "citing.md").write_text(GOOD.replace(
        "1. that one;", "1. that Resolution 8 (Geneva, 2022) of this assembly matters;"),
        encoding="utf-8")
    out = tmp_path / "out"
    for site, expected in (("https://org.example/resolutions/",
                            "https://org.example/resolutions/en/pdf/cited.pdf"),
                           ("", "cited.pdf")):
        monkeypatch.setenv("ITU_SITE_URL", site)
        result = run_build("html", "--lang", "en", "--source", str(project), "--out", str(out))
        assert result.returncode == 0, result.stderr
        uris = [target for _page, target in links(out / "site/en/pdf/citing.pdf")
                if isinstance(target, str) and "cited" in target]
        assert uris == [expected]
        reader.cache_clear()
