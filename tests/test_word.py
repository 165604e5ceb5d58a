"""Word in, Word out: .docx files made here (from the seeds and the hand-encoded
documents), imported, exported, and opened by a second implementation (LibreOffice)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import ROOT, built_page, run_build, shared
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part as PackagePart
from fidelity import differences, page_words, seed_lines, seed_words
from itu.word import WordError, docx_to_myst, export_docx
from itu.word.facts import Facts, load_facts
from itu.word.model import ListBlock, Mark, Para, Part, Role
from itu.word.myst import each_inlines, parse_myst, render_myst
from lxml import etree

SOURCE = ROOT / "source"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ITU_STYLES = ("ResNo", "Restitle", "Resref", "Normalaftertitle", "Call", "enumlev1",
              "enumlev2", "Proposal", "Footnote Text")
SEED_001 = "001_987335766272ed14.txt"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# test material: .docx files written here with python-docx and lxml ------------


class Draft:
    """A .docx as a secretariat's Word would have it: ITU styles, typed labels,
    footnotes, bookmarks and fields; revisions where asked."""

    def __init__(self) -> None:
        self.doc = docx.Document()
        for name in ITU_STYLES:
            self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        self.notes: list[etree._Element] = []
        self.numbering: etree._Element | None = None
        self.revisions = 0

    def paragraph(self, style: str, text: str = "", *, italic: bool = False,
                  change: str = "", mark: str = "", numbering: tuple[int, int] | None = None,
                  rtl: bool = False, font: str = "") -> etree._Element:
        """A paragraph; ``text`` may carry ``[fn: footnote]`` and ``{ins:..}``/``{del:..}``."""
        p = self.doc.add_paragraph(style=style)._p
        props = p.get_or_add_pPr()
        if numbering:
            num = etree.SubElement(props, w("numPr"))
            etree.SubElement(num, w("ilvl")).set(w("val"), str(numbering[1]))
            etree.SubElement(num, w("numId")).set(w("val"), str(numbering[0]))
        if rtl:
            etree.SubElement(props, w("bidi"))
        if mark:
            etree.SubElement(etree.SubElement(props, w("rPr")), w(mark)).attrib.update(
                self._signature())
        bookmark = etree.SubElement(p, w("bookmarkStart"))
        bookmark.attrib.update({w("id"): "0", w("name"): "_Toc104459697"})
        for piece in re.split(r"(\[fn: [^\]]*\]|\{(?:ins|del):[^}]*\})", text):
            if piece.startswith("[fn: "):
                p.append(self.footnote(piece[5:-1]))
            elif piece.startswith("{"):
                kind, _, inner = piece[1:-1].partition(":")
                p.append(self.revision(kind, self.run(inner, italic, kind == "del", rtl, font)))
            elif piece:
                run = self.run(piece, italic, change == "del", rtl, font)
                p.append(self.revision(change, run) if change else run)
        etree.SubElement(p, w("bookmarkEnd")).set(w("id"), "0")
        return p

    def _signature(self) -> dict[str, str]:
        self.revisions += 1
        return {w("id"): str(100 + self.revisions), w("author"): "Secretariat",
                w("date"): "2026-01-15T10:00:00Z"}

    def revision(self, kind: str, run: etree._Element) -> etree._Element:
        mark = etree.Element(w(kind))
        mark.attrib.update(self._signature())
        mark.append(run)
        return mark

    def run(self, text: str, italic: bool = False, deleted: bool = False, rtl: bool = False,
            font: str = "") -> etree._Element:
        """Text as Word stores it: tabs and non-breaking hyphens as elements."""
        r = etree.Element(w("r"))
        props = etree.SubElement(r, w("rPr"))
        if font:
            etree.SubElement(props, w("rFonts")).attrib.update(
                {w("ascii"): font, w("eastAsia"): font, w("cs"): font})
        if italic:
            etree.SubElement(props, w("i"))
        if rtl:
            etree.SubElement(props, w("rtl"))
        for piece in re.split(r"([\t\u2011])", text):
            if piece == "\t":
                etree.SubElement(r, w("tab"))
            elif piece == "\u2011":
                etree.SubElement(r, w("noBreakHyphen"))
            elif piece:
                t = etree.SubElement(r, w("delText" if deleted else "t"))
                t.text = piece
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return r

    def field(self, p: etree._Element, instruction: str, result: str) -> None:
        """A Word field (a cross-reference): its instruction is debris, its result text."""
        for kind in ("begin", None, "separate", result, "end"):
            r = etree.SubElement(p, w("r"))
            if kind in ("begin", "separate", "end"):
                etree.SubElement(r, w("fldChar")).set(w("fldCharType"), kind)
            elif kind is None:
                etree.SubElement(r, w("instrText")).text = instruction
            else:
                etree.SubElement(r, w("t")).text = kind

    def footnote(self, text: str, change: str = "") -> etree._Element:
        number = str(len(self.notes) + 1)
        note = etree.Element(w("footnote"))
        note.set(w("id"), number)
        p = etree.SubElement(note, w("p"))
        etree.SubElement(etree.SubElement(p, w("pPr")), w("pStyle")).set(w("val"),
                                                                         "FootnoteText")
        etree.SubElement(etree.SubElement(p, w("r")), w("footnoteRef"))
        run = self.run("\t" + text)
        p.append(self.revision(change, run) if change else run)
        self.notes.append(note)
        r = etree.Element(w("r"))
        etree.SubElement(r, w("footnoteReference")).set(w("id"), number)
        return r

    def automatic_numbering(self) -> None:
        """numbering.xml with a list: a) b) at level 0, i) ii) at level 1."""
        self.numbering = etree.Element(w("numbering"), nsmap={"w": W})
        abstract = etree.SubElement(self.numbering, w("abstractNum"))
        abstract.set(w("abstractNumId"), "7")
        for level, (fmt, text) in enumerate((("lowerLetter", "%1)"), ("lowerRoman", "%2)"))):
            lvl = etree.SubElement(abstract, w("lvl"))
            lvl.set(w("ilvl"), str(level))
            etree.SubElement(lvl, w("numFmt")).set(w("val"), fmt)
            etree.SubElement(lvl, w("lvlText")).set(w("val"), text)
        num = etree.SubElement(self.numbering, w("num"))
        num.set(w("numId"), "3")
        etree.SubElement(num, w("abstractNumId")).set(w("val"), "7")

    def save(self, path: Path) -> Path:
        package = self.doc.part.package
        if self.notes:
            root = etree.Element(w("footnotes"), nsmap={"w": W})
            root.extend(self.notes)
            part = PackagePart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES,
                               etree.tostring(root), package)
            self.doc.part.relate_to(part, RT.FOOTNOTES)
        if self.numbering is not None:
            self.doc.part.numbering_part._element = self.numbering
        self.doc.save(str(path))
        return path


def seed_docx(text: str, path: Path) -> Path:
    """A seed's text as the Word document it was extracted from: the heading block
    in ITU styles, call words in Call, typed labels with tabs (sub-items in enumlev1),
    footnotes as Word footnotes, bookmarks and a cross-reference field as debris."""
    notes = dict(re.findall(r"\[(\d+): \d+ \t([^\]]*)\]", text))
    text = re.sub(r"\[\d+: [^\]]*\]", "", text)
    text = re.sub(r"\[bookmark: [^\]]*\]", "", text)
    text = re.sub(r"\[footnoteRef:(\d+)\]\d+", lambda m: f"[fn: {notes[m[1]]}]", text)
    seed = SeedDraft(load_facts(SOURCE))
    lines = [line.strip(" ") for line in text.splitlines() if line.strip()]
    for line in lines:
        if not seed.title_line(line):
            seed.body_line(line)
    return seed.draft.save(path)


class SeedDraft:
    """A seed's lines written as paragraphs: the designation and the title's lines
    are gathered until the history line, then each line's style is the one its text
    suggests."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.draft = Draft()
        self.title: list[str] = []  # ["done", "done"] once the heading block is written
        self.fields = 0

    def title_line(self, line: str) -> bool:
        """The designation written, or a line of the title gathered; whether that is
        all there is to do with the line."""
        if line.startswith("RESOLUTION"):
            self.draft.paragraph("ResNo", line)
        elif not self.title or (len(self.title) == 1 and not line.startswith("(")):
            self.title.append(line)
            return line.startswith("(") or self.title[0].startswith("RESOLUTION")
        return False

    def body_line(self, line: str) -> None:
        """A line in the style its text suggests: the history line (with the title
        gathered before it), the formula, call words, a sub-item, or once the heading
        block is written a paragraph of the body."""
        in_body = self.title == ["done", "done"]
        if line.startswith("(") and self.title:
            self.draft.paragraph("Restitle", " ".join(t.strip() for t in self.title))
            self.draft.paragraph("Resref", line)
            self.title = ["done", "done"]
        elif line.startswith("The World"):
            self.draft.paragraph("Normalaftertitle", line)
        elif self.facts.knows(line) and "\t" not in line and len(line) < 200:
            self.draft.paragraph("Call", line, italic=True)
        elif re.match(r"(i|ii|iii|iv)\)\t", line):
            self.draft.paragraph("enumlev1", line)
        elif in_body and line.startswith("a)\tResolution") and not self.fields:
            self.cross_reference(line)
        elif in_body:
            self.draft.paragraph("Normal", line)

    def cross_reference(self, line: str) -> None:
        """The first "a)\tResolution ..." with a cross-reference field whose result is
        the word "Resolution" itself."""
        p = self.draft.paragraph("Normal", "a)\t")
        self.draft.field(p, " REF _Hlk98 \\h ", "Resolution")
        p.append(self.draft.run(line.removeprefix("a)\tResolution")))
        self.fields += 1


def import_text(path: Path) -> tuple[str, list[str]]:
    _document, text, remarks = docx_to_myst(path, SOURCE)
    return text, remarks


def normal(text: str) -> str:
    """MyST in the normal form the importer writes, ``:kind:`` dropped where the call
    words say the same."""
    document = parse_myst(text)
    facts = load_facts(SOURCE)
    from itu.word.model import plain

    def walk(blocks):
        for block in blocks:
            if isinstance(block, Part):
                given = block.options.get("kind")
                if given and facts.part_kind(plain(block.words)) == given:
                    del block.options["kind"]

    walk(document.blocks)
    return render_myst(document)


def marks(text: str) -> list[tuple[str, str]]:
    """Every change mark of a MyST document, in order: (kind, accepted text)."""
    found: list[tuple[str, str]] = []
    document = parse_myst(text)
    from itu.word.model import plain

    def visit(inlines):
        for node in inlines:
            if isinstance(node, Mark) and node.kind in ("ins", "del"):
                found.append((node.kind, plain(node.children, "reject" if node.kind == "del"
                                                else "accept")))
            elif isinstance(node, Mark):
                visit(node.children)

    each_inlines(document.blocks, visit)
    return found


def libreoffice(path: Path, out: Path) -> Path:
    """The file written again by LibreOffice: .docx -> .odt -> .docx."""
    return libreoffice_all([path], out)[0]


def libreoffice_all(paths: list[Path], out: Path) -> list[Path]:
    """Each file written again by LibreOffice (.docx -> .odt -> .docx), every file in
    the same run of each step: starting LibreOffice is most of what a conversion costs."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice is missing: apt-get install libreoffice-writer-nogui "
                    "(pyproject.toml lists it for the tests)")
    assert len({path.stem for path in paths}) == len(paths), "one name, one file"
    odt_dir, back = out / "odt", out / "docx"
    profile = f"-env:UserInstallation=file://{out / 'profile'}"
    for fmt, sources, target in (("odt", paths, odt_dir),
                                 ("docx", [odt_dir / f"{p.stem}.odt" for p in paths], back)):
        subprocess.run([soffice, profile, "--headless", "--convert-to", fmt, "--outdir",
                        str(target), *map(str, sources)], check=True, capture_output=True,
                       timeout=180 * len(paths))
    return [back / f"{path.stem}.docx" for path in paths]


# the documents whose export the tests have LibreOffice write again
REWRITTEN = ["resolutions/74", "resolutions/44", "proposals/85-mod", "proposals/44-atu",
             "documents/C26-INF-14"]


@pytest.fixture(scope="session")
def rewritten(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """For each of REWRITTEN: (its export, that export as LibreOffice writes it again),
    made once for the session; the tests only read them."""
    def build(out: Path) -> None:
        libreoffice_all([export(name, out / "export") for name in REWRITTEN], out)

    out = shared(tmp_path_factory, "libreoffice", build)
    return {name: (out / "export" / f"{Path(name).name}.docx",
                   out / "docx" / f"{Path(name).name}.docx") for name in REWRITTEN}


# importing -------------------------------------------------------------------


def test_seed_resolution_imports_into_the_syntax(tmp_path):
    path = seed_docx(seed_lines(SEED_001, [[6, 55]]), tmp_path / "74.docx")
    text, remarks = import_text(path)
    assert remarks == []
    document = parse_myst(text)
    assert document.meta == {"kind": "resolution", "number": 74, "assembly": "WTSA",
                             "edition": "New Delhi, 2024",
                             "history": ["Johannesburg, 2008", "Dubai, 2012", "Geneva, 2022",
                                         "New Delhi, 2024"]}
    parts = [b for b in document.blocks if isinstance(b, Part)]
    assert [render_myst_words(p) for p in parts][:3] == ["recalling", "taking into account",
                                                          "recognizing"]
    assert len(parts) == 10
    recalling = parts[0].blocks[0]
    assert isinstance(recalling, ListBlock) and len(recalling.items) == 7
    # the standard footnote is recognised; the title's own footnote is a MyST one
    assert "developing{stdfn}`developing-countries`" in text
    assert re.search(r"Sector Members\[\^1\] from developing", text)
    assert "[^1]: Such Sector Members from developing countries" in text
    # the sub-items under item 1, the introduction, debris gone, hyphens kept
    assert "within available resources,\n\n1. to organize workshops" in text
    assert "\n   1. enhancing the relevance of ITU‑T" in text
    assert "_Toc" not in text and "REF" not in text and "_Hlk" not in text
    assert "1. Resolution 71 (Rev. Bucharest, 2022)" in text.replace("\u00a0", " ")
    assert "ITU‑T" in text


def render_myst_words(part: Part) -> str:
    from itu.word.model import plain

    return plain(part.words)


def build_imported(project: Path, out: Path, docname: str, text: str):
    """A content tree holding one imported document, built strictly: its page."""
    (project / docname).parent.mkdir(parents=True, exist_ok=True)
    (project / f"{docname}.md").write_text(text, encoding="utf-8")
    (project / "index.md").write_text(
        f"# Test\n\n```{{toctree}}\n:glob:\n\n{Path(docname).parent}/*\n```\n",
        encoding="utf-8")
    return built_page(project, out, docname)  # strict: a single warning fails


@pytest.mark.slow
def test_imported_seed_builds_and_reproduces_the_seed(tmp_path, project):
    lines = seed_lines(SEED_001, [[6, 55]])
    text, _ = import_text(seed_docx(lines, tmp_path / "74.docx"))
    words = page_words(str(build_imported(project, tmp_path / "out", "resolutions/74", text)))
    assert len(words) > 1000
    assert differences(seed_words(lines), words) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", ["proposals/44-atu", "proposals/44-citel", "proposals/44-rcc"])
def test_imported_proposals_of_seed_002_build_and_reproduce_their_columns(tmp_path, project,
                                                                         name):
    from fidelity import expectations, seed_drop

    seed, ranges = expectations()[name]
    text, _ = import_text(export(name, tmp_path))
    words = page_words(str(build_imported(project, tmp_path / "out", name, text)))
    assert differences(seed_words(seed_lines(seed, ranges), seed_drop(seed)), words) == []


@pytest.mark.slow
def test_imported_proposal_of_seed_000_builds_and_reproduces_the_seed(tmp_path, project,
                                                                     rewritten):
    """Seed 000's proposal, as Word (here LibreOffice) writes it, imported and built."""
    text, _ = import_text(rewritten["proposals/85-mod"][1])
    page = build_imported(project, tmp_path / "out", "proposals/85-mod", text)
    words = page_words(str(page), (".itu-proposal-mark",))  # not in the extracted seed
    assert differences(seed_words(seed_lines("000_ff75eaa34e253972.txt", [[1, 34]])),
                       words) == []


def test_automatic_numbering_reads_as_typed_labels(tmp_path):
    typed, numbered = Draft(), Draft()
    numbered.automatic_numbering()
    for draft, auto in ((typed, False), (numbered, True)):
        draft.paragraph("ResNo", "RESOLUTION 9 (Geneva, 2022)")
        draft.paragraph("Restitle", "A title")
        draft.paragraph("Resref", "(Geneva, 2022)")
        draft.paragraph("Normalaftertitle",
                        "The World Telecommunication Standardization Assembly (Geneva, 2022),")
        draft.paragraph("Call", "considering", italic=True)
        for label, text in (("a)", "one;"), ("b)", "two:"), ("i)", "sub one;"),
                            ("ii)", "sub two;"), ("c)", "three,")):
            level = 1 if label.startswith("i") else 0
            style = "enumlev1" if level else "Normal"
            if auto:
                draft.paragraph(style, text, numbering=(3, level))
            else:
                draft.paragraph(style, f"{label}\t{text}")
    typed_text, _ = import_text(typed.save(tmp_path / "typed.docx"))
    numbered_text, remarks = import_text(numbered.save(tmp_path / "numbered.docx"))
    assert remarks == []
    assert numbered_text == typed_text
    assert "1. one;\n1. two:\n   1. sub one;\n   1. sub two;\n1. three," in \
        typed_text.replace("2.", "1.").replace("3.", "1.")


def test_a_label_that_does_not_follow_the_numbering_is_kept_and_reported(tmp_path):
    draft = heading_draft()
    draft.paragraph("Call", "considering", italic=True)
    draft.paragraph("Normal", "a)\tone;")
    draft.paragraph("Normal", "c)\ttwo,")
    text, remarks = import_text(draft.save(tmp_path / "skip.docx"))
    assert "2. {label}`c` two," in text
    assert len(remarks) == 1 and remarks[0].startswith("paragraph 7: label typed 'c'")


def heading_draft(number: int = 9) -> Draft:
    draft = Draft()
    draft.paragraph("ResNo", f"RESOLUTION {number} (Rev. Geneva, 2022)")
    draft.paragraph("Restitle", "A title")
    draft.paragraph("Resref", "(Dubai, 2012; Geneva, 2022)")
    draft.paragraph("Normalaftertitle",
                    "The World Telecommunication Standardization Assembly (Geneva, 2022),")
    return draft


def test_revisions_make_a_proposal_with_marks(tmp_path):
    draft = Draft()
    draft.paragraph("Proposal", "MOD\tAFCP/35A8/1")
    draft.paragraph("ResNo", "RESOLUTION 9 (Rev. {del:Dubai, 2012}{ins:Geneva, 2022})")
    draft.paragraph("Restitle", "A title")
    draft.paragraph("Resref", "(Dubai, 2012{ins:; Geneva, 2022})")
    draft.paragraph("Normalaftertitle", "The World Telecommunication Standardization "
                    "Assembly ({del:Dubai, 2012}{ins:Geneva, 2022}),")
    draft.paragraph("Proposal", "ADD\tAFCP/35A8/2")
    draft.paragraph("Call", "noting", italic=True, change="ins", mark="ins")
    draft.paragraph("Normal", "that a new part is proposed,", change="ins", mark="ins")
    draft.paragraph("Call", "resolves", italic=True)
    draft.paragraph("Normal", "1\tto keep this{del:;}{ins:,} and {ins:promote}{del:promoteing}"
                    " developing[fn: Please insert standard footnote on developing countries]"
                    " countries;")
    draft.paragraph("Normal", "{ins:2}\t{ins:to add this item.}", mark="ins")
    text, remarks = import_text(draft.save(tmp_path / "mod.docx"))
    assert remarks == []
    meta = parse_myst(text).meta
    assert meta["kind"] == "proposal" and meta["number"] == 9
    assert meta["edition"] == "{del}`Dubai, 2012`{ins}`Geneva, 2022`"
    assert meta["history"] == ["Dubai, 2012", "{ins}`Geneva, 2022`"]
    assert meta["proposal"] == {"action": "MOD", "ref": "AFCP/35A8/1"}
    assert "formula" not in meta  # it is the one the build prints
    assert ":::{part} noting\n:change: inserted\n:proposal: ADD AFCP/35A8/2\n\n" \
           "that a new part is proposed,\n:::" in text
    assert "1. to keep this{del}`;`{ins}`,` and {ins}`promote`{del}`promoteing` " \
           "developing{stdfn}`developing-countries` countries;" in text
    assert "2. {ins}`to add this item.`" in text


def test_placeholders_and_formatting_changes(tmp_path):
    draft = heading_draft()
    draft.paragraph("Call", "recalling", italic=True)
    p = draft.paragraph("Normal", "a)\tthe gap between developing##Please insert standard "
                        "footnote on developing countries and developed countries,")
    change = etree.SubElement(p.findall(w("r"))[-1].find(w("rPr")), w("rPrChange"))
    change.attrib.update(draft._signature())
    text, remarks = import_text(draft.save(tmp_path / "placeholder.docx"))
    assert "1. the gap between developing{stdfn}`developing-countries` and developed " \
           "countries," in text
    assert parse_myst(text).meta["kind"] == "resolution" and remarks == []


def test_moves_formats_and_what_has_no_form(tmp_path):
    draft = heading_draft()
    draft.paragraph("Call", "noting", italic=True)
    p = draft.paragraph("Normal", "a)\tthat the ")
    p.append(draft.revision("moveFrom", draft.run("old place", deleted=True)))
    bold = draft.run(" matters")
    etree.SubElement(bold.find(w("rPr")), w("b"))
    p.append(bold)
    p.append(draft.run(" and "))
    p.append(draft.run("Recommendation ITU‑T X.1", italic=True))
    p.append(draft.revision("moveTo", draft.run(" new place")))
    etree.SubElement(etree.SubElement(p, w("r")), w("object"))
    text, remarks = import_text(draft.save(tmp_path / "moves.docx"))
    assert "1. that the {del}`old place`** matters** and *Recommendation ITU‑T X.1*" \
           "{ins}` new place`" in text
    assert remarks == [
        "the document has revisions but no proposal marker: read as a MOD proposal",
        "1 moved passages read as deleted at their old place and inserted at their new one "
        "(the syntax has no move mark)",
        "paragraph 6: the Word element w:object has no MyST form and was left out (there and "
        "wherever else it occurs)"]


def test_arabic_and_chinese_text_is_imported_intact(tmp_path):
    arabic = "أن المشاركة في أنشطة التقييس منخفضة؛"
    chinese = "发展中国家参与标准化活动的程度较低；"
    draft = heading_draft()
    draft.paragraph("Call", "recognizing", italic=True)
    draft.paragraph("Normal", f"a)\t{arabic}", rtl=True, font="Traditional Arabic")
    draft.paragraph("Normal", f"b)\t{chinese}", font="SimSun")
    text, remarks = import_text(draft.save(tmp_path / "scripts.docx"))
    assert remarks == []
    assert f"1. {arabic}\n2. {chinese}" in text


@pytest.mark.parametrize("case, code", [
    ("text", "format"), ("zip", "format"), ("damaged", "format"), ("truncated", "format"),
    ("encrypted", "encrypted"), ("heading", "heading"),
    ("footnote", "footnote-revision"), ("style", "style"),
])
def test_bad_input_is_refused_with_a_code_and_nothing_written(tmp_path, project, case, code):
    path = tmp_path / "bad.docx"
    if case == "text":
        path.write_text("RESOLUTION 1 (Geneva, 2022)\n")
    elif case == "zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("word/other.xml", "<x/>")
    elif case == "damaged":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("word/document.xml", "<w:document><w:body><w:p>")
    elif case == "truncated":
        path.write_bytes(heading_draft().save(tmp_path / "whole.docx").read_bytes()[:900])
    elif case == "encrypted":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    else:
        draft = heading_draft() if case != "heading" else Draft()
        if case == "heading":
            draft.paragraph("Normal", "Just some text.")
        elif case == "footnote":
            p = draft.paragraph("Normal", "that the text has a note")
            p.append(draft.footnote("with a change in it", change="ins"))
        else:
            draft.doc.styles.add_style("Fancy Body", WD_STYLE_TYPE.PARAGRAPH)
            draft.paragraph("Fancy Body", "text in a style of no meaning here")
        draft.save(path)
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    result = run_build("import", str(path), "--source", str(project))
    assert result.returncode == 1
    assert f"[itu.word.{code}]" in result.stderr
    assert str(path) in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_import_writes_where_the_document_belongs_and_never_overwrites(tmp_path, project):
    path = heading_draft(number=12).save(tmp_path / "12.docx")
    first = run_build("import", str(path), "--source", str(project))
    assert first.returncode == 0, first.stderr
    target = project / "resolutions" / "12.md"
    assert target.read_text(encoding="utf-8").startswith("---\nkind: resolution\nnumber: 12\n")
    target.write_text("edited\n", encoding="utf-8")
    again = run_build("import", str(path), "--source", str(project))
    assert again.returncode == 1 and "[itu.word.exists]" in again.stderr
    assert target.read_text(encoding="utf-8") == "edited\n"
    forced = run_build("import", str(path), "--source", str(project), "--force")
    assert forced.returncode == 0 and target.read_text(encoding="utf-8") != "edited\n"
    proposal = export("proposals/44-rcc", tmp_path)
    named = run_build("import", str(proposal), "--source", str(project), "--proposer", "RCC2")
    assert named.returncode == 0, named.stderr
    assert "source: RCC2" in (project / "proposals" / "44-rcc2.md").read_text(encoding="utf-8")
    assert "WARNING: " in named.stderr and "paragraph 20: label typed 'b'>'d'" in named.stderr
    document = run_build("import", str(export("documents/C26-INF-14", tmp_path)), "--source",
                         str(project))
    assert document.returncode == 0, document.stderr
    assert (project / "documents" / "C26-INF-14.md").read_text(encoding="utf-8") == \
        normal((SOURCE / "documents" / "C26-INF-14.md").read_text(encoding="utf-8"))


def test_export_writes_into_the_build_directory_by_default(tmp_path):
    result = run_build("export", "resolutions/85", "--docx", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    written = tmp_path / "docx" / "resolutions" / "85.docx"
    assert f"Wrote {written}" in result.stdout
    with zipfile.ZipFile(written) as archive:
        assert "RESOLUTION 85 (Hammamet, 2016)" in archive.read("word/document.xml").decode()
    missing = run_build("export", "resolutions/999", "--docx", "--out", str(tmp_path))
    assert missing.returncode == 1 and "[itu.word.file]" in missing.stderr


# exporting -------------------------------------------------------------------

def documents() -> list[str]:
    """Every resolution, proposal and document of source/ (a compilation page has no
    text of its own)."""
    names = []
    for path in sorted(SOURCE.glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^kind: (resolution|proposal|document)$", text, re.M) \
                and "{side-by-side}" not in text:
            names.append(str(path.relative_to(SOURCE).with_suffix("")))
    return names


def export(name: str, tmp_path: Path) -> Path:
    return export_docx(SOURCE / f"{name}.md", SOURCE, tmp_path / f"{Path(name).name}.docx",
                       author="Test Author", date="2026-11-30")


def test_every_document_is_covered():
    assert {"resolutions/74", "resolutions/44", "proposals/85-mod", "proposals/44-atu",
            "proposals/44-citel", "proposals/44-rcc", "documents/C26-INF-14"} <= set(documents())


@pytest.mark.parametrize("name", documents())
def test_round_trip(tmp_path, name):
    """import(export(d)) is d, in the syntax's normal form."""
    text, _ = import_text(export(name, tmp_path))
    assert normal(text) == normal((SOURCE / f"{name}.md").read_text(encoding="utf-8"))


def test_export_uses_itu_styles_footnotes_and_typed_labels(tmp_path):
    path = export("resolutions/74", tmp_path)
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        styles = etree.fromstring(archive.read("word/styles.xml"))
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
    names = {s.find(w("name")).get(w("val")) for s in styles.iter(w("style"))}
    assert set(ITU_STYLES) - {"enumlev2"} <= names
    paragraphs = [(p.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")),
                   "".join("\t" if local == "tab" else t.text or "" for t in p.iter(w("t"),
                           w("tab")) for local in [etree.QName(t).localname]))
                  for p in body.iter(w("p"))]
    assert paragraphs[:4] == [
        ("ResNo", "RESOLUTION 74 (Rev. New Delhi, 2024)"),
        ("Restitle", "Enhancing participation of Sector Members from developing countries in "
                     "the work of the ITU Telecommunication Standardization Sector"),
        ("Resref", "(Johannesburg, 2008; Dubai, 2012; Geneva, 2022; New Delhi, 2024)"),
        ("Normalaftertitle",
         "The World Telecommunication Standardization Assembly (New Delhi, 2024),")]
    assert ("Call", "recalling") in paragraphs
    assert any(style == "Normal" and text.startswith("g)\tResolution 68")
               for style, text in paragraphs)
    assert ("enumlev1", "ii)\tidentifying their standardization priorities, needs and concerns"
            " with respect to, in particular, telecommunication/ICT trends;") in paragraphs
    texts = ["".join(t.text for t in n.iter(w("t"))).strip() for n in notes.iter(w("footnote"))
             if n.get(w("type")) is None]
    assert texts[0].startswith("Such Sector Members") and texts[1].startswith("These include")
    assert len(body.findall(f".//{w('footnoteReference')}")) == 2


def paragraph_texts(path: Path, keep: str) -> list[str]:
    """The paragraphs of a .docx with every revision accepted (``keep="ins"``) or
    rejected (``"del"``), read with lxml: a removed paragraph mark joins the
    paragraph to the next."""
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    drop = "del" if keep == "ins" else "ins"
    out, pending = [], ""
    for p in body.iter(w("p")):
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        if style is not None and style.get(w("val")) == "Proposal":
            continue
        text = ""
        for node in p.iter(w("t"), w("delText"), w("tab"), w("noBreakHyphen")):
            changes = {etree.QName(a).localname for a in node.iterancestors(w("ins"), w("del"))}
            if drop not in changes:
                text += {"tab": "\t", "noBreakHyphen": "\u2011"}.get(
                    etree.QName(node).localname, node.text or "")
        mark = p.find(f"{w('pPr')}/{w('rPr')}/{w(drop)}")
        pending += text
        if mark is None:
            out.append(pending)
            pending = ""
    # spacing aside: the hand-encoded proposals have a space on both sides of some marks
    return [re.sub(" {2,}", " ", t).replace("\t ", "\t").strip() for t in out if t.strip()]


@pytest.mark.slow
def test_exported_proposal_has_real_revisions_for_word(tmp_path, rewritten):
    """The secretariat's view: LibreOffice reads the revisions back; accepting them all
    gives the proposed text, rejecting them all the resolution it amends."""
    written = rewritten["proposals/85-mod"][1]
    with zipfile.ZipFile(written) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    revisions = body.findall(f".//{w('ins')}") + body.findall(f".//{w('del')}")
    assert len(revisions) > 20
    assert {r.get(w("author")) for r in revisions} == {"Test Author"}
    assert {r.get(w("date"))[:10] for r in revisions} == {"2026-11-30"}
    rejected = paragraph_texts(written, "del")
    base = paragraph_texts(export("resolutions/85", tmp_path / "base"), "del")
    assert rejected[rejected.index(base[0]):] == base
    accepted = paragraph_texts(written, "ins")
    assert "RESOLUTION 85 (Rev. New Delhi, 2024)" in accepted
    assert "(Hammamet, 2016; New Delhi, 2024)" in accepted
    assert any(t.startswith("1\tto actively participate in the implementation efforts")
               for t in accepted)
    assert any(t.startswith("3\tto identify possible sources") for t in accepted)
    assert "to instruct the Director of the Telecommunication Standardization Bureau in " \
           "collaboration with Telecommunication Standardization Advisory Group" in accepted
    assert not any("Hammamet" in t for t in accepted[:3])
    # a third reader, pandoc, accepts and rejects the same revisions
    import pypandoc

    def pandoc(mode: str) -> str:
        text = pypandoc.convert_file(str(written), "plain", format="docx",
                                     extra_args=[f"--track-changes={mode}", "--wrap=none"])
        return " ".join(text.split())

    assert "RESOLUTION 85 (Rev. New Delhi, 2024)" in pandoc("accept")
    assert "RESOLUTION 85 (Hammamet, 2016)" in pandoc("reject")
    assert "implementation efforts" in pandoc("accept") and \
        "implementation efforts" not in pandoc("reject")


@pytest.mark.slow
@pytest.mark.parametrize("name", REWRITTEN)
def test_files_written_by_libreoffice_import_the_same(rewritten, name):
    text, _ = import_text(rewritten[name][1])
    assert normal(text) == normal((SOURCE / f"{name}.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["proposals/85-mod", "proposals/44-atu", "proposals/44-citel",
                                  "proposals/44-rcc"])
def test_proposals_of_seeds_000_and_002_import_with_their_marks(tmp_path, name):
    source = (SOURCE / f"{name}.md").read_text(encoding="utf-8")
    text, _ = import_text(export(name, tmp_path))
    expected = marks(source)
    assert len(expected) > 5
    assert marks(text) == expected


def test_revisions_are_signed_by_the_last_commit_by_default(tmp_path):
    name = "proposals/85-mod"
    result = run_build("export", name, "--docx", "--output", str(tmp_path / "p.docx"))
    assert result.returncode == 0, result.stderr
    log = subprocess.run(["git", "log", "-1", "--format=%an%n%aI", "--", f"source/{name}.md"],
                         cwd=ROOT, capture_output=True, text=True).stdout.split("\n")
    with zipfile.ZipFile(tmp_path / "p.docx") as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    from datetime import UTC, datetime

    committed = datetime.fromisoformat(log[1]).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    signatures = {(r.get(w("author")), r.get(w("date"))) for r in body.iter(w("ins"), w("del"))}
    assert signatures == {(log[0], committed)}


@pytest.mark.slow
def test_arabic_and_chinese_are_exported_right_to_left_and_in_their_fonts(tmp_path):
    arabic, chinese = "أن المشاركة منخفضة؛", "发展中国家的参与程度较低；"
    page = tmp_path / "9.md"
    page.write_text("---\nkind: resolution\nnumber: 9\nedition: Geneva, 2022\n---\n\n# T\n\n"
                    f":::{{part}} noting\n1. {arabic}\n2. {chinese}\n:::\n", encoding="utf-8")
    path = export_docx(page, SOURCE, tmp_path / "9.docx", "A", "2026-01-01")
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    paragraphs = {"".join(t.text for t in p.iter(w("t"))): p for p in body.iter(w("p"))}
    rtl, cjk = paragraphs[f"a){arabic}"], paragraphs[f"b){chinese}"]
    assert rtl.find(f"{w('pPr')}/{w('bidi')}") is not None
    assert cjk.find(f"{w('pPr')}/{w('bidi')}") is None
    fonts = {f.get(w("cs")) or f.get(w("eastAsia")) for f in body.iter(w("rFonts"))}
    assert fonts == {"Noto Naskh Arabic", "Noto Serif CJK SC"}
    text, _ = import_text(libreoffice(path, tmp_path))
    assert f"1. {arabic}\n2. {chinese}" in text


def test_export_refuses_what_word_cannot_carry(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("---\nkind: resolution\nnumber: 3\nedition: Geneva, 2022\n---\n\n"
                    "# T\n\n```python\nprint(1)\n```\n", encoding="utf-8")
    with pytest.raises(WordError, match=r"page.md:\d+: 'fence' cannot be carried"):
        export_docx(page, SOURCE, tmp_path / "page.docx")
    assert not (tmp_path / "page.docx").exists()
    result = run_build("export", str(page), "--docx", "--output", str(tmp_path / "p.docx"))
    assert result.returncode == 1 and "[itu.word.syntax]" in result.stderr
    assert not (tmp_path / "p.docx").exists()


def test_importing_itu_word_needs_no_sphinx():
    code = "import sys; sys.path.insert(0, 'ext'); import itu.word, itu.word.writer, " \
           "itu.word.reader; print('sphinx' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_model_types_are_what_the_importer_writes():
    document = parse_myst("---\nkind: resolution\nnumber: 1\nedition: Geneva, 2022\n---\n\n"
                          "# T\n\n:::{part} noting\n1. {label}`b`x[^a] {stdfn}`k`\n:::\n\n"
                          "[^a]: note\n")
    item = document.blocks[1].blocks[0].items[0][0]
    assert isinstance(item, Para) and isinstance(item.inlines[0], Role)
    assert list(document.notes) == ["1"]


# property: any document of the syntax's constructs survives the trip ---------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from itu.word.model import Document, Heading, Note, Text  # noqa: E402

WORDS = st.text(alphabet="abcdefghij XYZ,;:.()'/*_[]<\\\u2011\u00a0é", min_size=1,
                max_size=20).map(lambda t: " ".join(t.split())).filter(bool)
CALL_WORDS = sorted(load_facts(SOURCE).call_words)


def inline_strategy(marks: bool, notes: bool = True):
    plain_text = WORDS.map(lambda t: [Text(t)])
    formatted = st.tuples(st.sampled_from(["em", "strong"]), WORDS).map(
        lambda kt: [Text(" "), Mark(kt[0], [Text(kt[1])]), Text(" ")])
    options = [plain_text, formatted]
    if notes:
        options.append(st.just([Text(" "), Role("stdfn", "developing-countries")]))
    if marks:
        options.append(st.tuples(st.sampled_from(["ins", "del"]), WORDS).map(
            lambda kt: [Mark(kt[0], [Text(kt[1])])]))
    return st.lists(st.one_of(options), min_size=1, max_size=4).map(
        lambda pieces: [Text("x ")] + [node for piece in pieces for node in piece])


@st.composite
def documents_of_the_syntax(draw) -> Document:
    proposal = draw(st.booleans())
    inline = inline_strategy(proposal)

    def item(depth: int):
        blocks = [Para(draw(inline))]
        if depth == 1 and draw(st.integers(0, 3)) == 0:
            marker = draw(st.sampled_from(["1.", "-", "*"]))
            blocks.append(ListBlock(marker, [[Para(draw(inline))]
                                             for _ in range(draw(st.integers(1, 3)))]))
        if proposal and depth == 1 and draw(st.integers(0, 4)) == 0:
            kind = draw(st.sampled_from(["ins", "del"]))
            blocks = [Para([Mark(kind, [Text(draw(WORDS))])])]
        return blocks

    parts = []
    for _ in range(draw(st.integers(1, 3))):
        words = draw(st.sampled_from(CALL_WORDS))
        if draw(st.booleans()):
            body = [Para(draw(inline))]
        else:
            body = [ListBlock("1.", [item(1) for _ in range(draw(st.integers(1, 4)))])]
        options = {"change": "inserted"} if proposal and draw(st.integers(0, 3)) == 0 else {}
        if options:  # a wholly inserted part has no marks of its own
            body = [Para([Text(draw(WORDS))])]
        parts.append(Part([Text(words)], options, body))
    meta = {"kind": "proposal" if proposal else "resolution", "number": draw(st.integers(1, 200)),
            "assembly": "WTSA",
            "edition": "{del}`Dubai, 2012`{ins}`Geneva, 2022`" if proposal else "Geneva, 2022",
            "history": ["Dubai, 2012", "{ins}`Geneva, 2022`"] if proposal
            else ["Dubai, 2012", "Geneva, 2022"]}
    if proposal:
        meta["proposal"] = {"action": "MOD", "ref": "AFCP/1/2"}
    notes = {}
    if draw(st.booleans()):
        parts[0].blocks.insert(0, Para([Text("see"), Note("1")]))
        notes["1"] = [Para(draw(inline_strategy(False, notes=False)))]
    return Document(meta, [Heading(1, [Text(draw(WORDS))]), *parts], notes)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.data_too_large])
@given(documents_of_the_syntax())
def test_any_document_of_the_syntax_survives_the_round_trip(tmp_path_factory, document):
    text = normal(render_myst(document))
    folder = tmp_path_factory.mktemp("prop")
    (folder / "doc.md").write_text(text, encoding="utf-8")
    path = export_docx(folder / "doc.md", SOURCE, folder / "doc.docx", "A", "2026-01-01")
    assert normal(import_text(path)[0]) == text


# translations ------------------------------------------------------------------


def french_docx(path: Path) -> tuple[Path, dict[str, str]]:
    """Resolution 74 in French as the ITU's Word file would have it, made from the
    site's French catalogs (document and site words): its heading block, call words,
    paragraphs with typed labels and footnotes (the standard one in French too)."""
    from babel.messages.pofile import read_po
    from itu.word.translation import english_units

    locale = SOURCE / "locales" / "fr" / "LC_MESSAGES"
    catalogs = {}
    for name in ("resolutions/74", "sphinx"):
        with (locale / f"{name}.po").open("rb") as po:
            catalogs[name] = {m.id: m.string for m in read_po(po) if m.id and m.string}
    own, site = catalogs["resolutions/74"], catalogs["sphinx"]
    english = parse_myst((SOURCE / "resolutions" / "74.md").read_text(encoding="utf-8"),
                         renumber_notes=False)
    notes = {label: own[render_myst_inlines(blocks[0].inlines)]
             for label, blocks in english.notes.items()}
    standard = site[" ".join(load_facts(SOURCE).footnotes["developing-countries"].split())]
    draft = Draft()
    draft.paragraph("ResNo", "RÉSOLUTION 74 (Rév. New Delhi, 2024)")
    letters = iter("abcdefghij")
    for unit in english_units(english, load_facts(SOURCE)):
        text = own.get(unit.msgid) or site.get(render_myst_inlines(unit.inlines), unit.msgid)
        text = re.sub(r"\[\^(\w+)\]", lambda m: f"[fn: {notes[m[1]]}]", text)
        text = text.replace("{stdfn}`developing-countries`", f"[fn: {standard}]")
        if unit.kind == "title":
            draft.paragraph("Restitle", text)
            draft.paragraph("Resref", "(Johannesburg, 2008; Dubai, 2012; Genève, 2022; "
                                      "New Delhi, 2024)")
            draft.paragraph("Normalaftertitle", "L’Assemblée mondiale de normalisation des "
                                                "télécommunications (New Delhi, 2024),")
        elif unit.kind == "call":
            draft.paragraph("Call", text, italic=True)
            letters = iter("abcdefghij")
        else:
            draft.paragraph("Normal", f"{next(letters)})\t{text}" if text[0].islower() else text)
    return draft.save(path), own


def render_myst_inlines(inlines) -> str:
    from itu.word.myst import render_inlines

    return render_inlines(inlines)


def translation_tree(tmp_path: Path) -> Path:
    """A content tree with Resolution 74 and the French catalogs, to import into."""
    source = tmp_path / "source"
    shutil.copytree(SOURCE / "_data", source / "_data")
    (source / "resolutions").mkdir()
    shutil.copy(SOURCE / "resolutions" / "74.md", source / "resolutions" / "74.md")
    locale = source / "locales" / "fr" / "LC_MESSAGES"
    (locale / "resolutions").mkdir(parents=True)
    shutil.copy(SOURCE / "locales" / "fr" / "LC_MESSAGES" / "sphinx.po", locale)
    (source / "index.md").write_text("# Test\n\n```{toctree}\n:glob:\n\nresolutions/*\n```\n",
                                     encoding="utf-8")
    return source


def test_an_official_translation_fills_the_catalog(tmp_path):
    from babel.messages.pofile import read_po

    path, french = french_docx(tmp_path / "74-fr.docx")
    source = translation_tree(tmp_path)
    result = run_build("import", str(path), "--translation-of", "74", "--lang", "fr",
                       "--source", str(source))
    assert result.returncode == 0, result.stderr
    po_path = source / "locales" / "fr" / "LC_MESSAGES" / "resolutions" / "74.po"
    with po_path.open("rb") as po:
        catalog = read_po(po)
    imported = {m.id: m.string for m in catalog if m.id}
    assert len(imported) > 30
    assert all(imported[msgid] == french[msgid] for msgid in imported), [
        (imported[k], french.get(k)) for k in imported if imported[k] != french.get(k)][:3]
    assert not any(m.fuzzy for m in catalog if m.id)
    assert catalog.language_team == "ITU (official translation)"


def test_a_translation_that_does_not_follow_the_english_is_refused(tmp_path):
    draft = Draft()
    draft.paragraph("ResNo", "RÉSOLUTION 74 (Rév. New Delhi, 2024)")
    draft.paragraph("Restitle", "Un titre")
    draft.paragraph("Call", "rappelant", italic=True)
    draft.paragraph("Call", "considérant", italic=True)
    source = translation_tree(tmp_path)
    result = run_build("import", str(draft.save(tmp_path / "fr.docx")), "--translation-of",
                       "74", "--lang", "fr", "--source", str(source))
    assert result.returncode == 1 and "[itu.word.align]" in result.stderr
    assert "paragraph 4" in result.stderr and "part 'recalling'" in result.stderr
    assert not (source / "locales" / "fr" / "LC_MESSAGES" / "resolutions" / "74.po").exists()


@pytest.mark.slow
def test_an_official_translation_is_published_without_the_unofficial_notice(tmp_path):
    path, _ = french_docx(tmp_path / "74-fr.docx")
    source = translation_tree(tmp_path)
    notice = "Ceci est une traduction de travail non officielle"

    def french_page() -> str:
        result = run_build("check", "--lang", "fr", "--source", str(source), "--out",
                           str(tmp_path / "out"), "--no-pdf")
        assert result.returncode == 0, result.stdout + result.stderr
        return (tmp_path / "out" / "site" / "fr" / "resolutions" / "74.html").read_text("utf-8")

    shutil.copy(SOURCE / "locales" / "fr" / "LC_MESSAGES" / "resolutions" / "74.po",
                source / "locales" / "fr" / "LC_MESSAGES" / "resolutions")
    assert notice in french_page()  # the site's working translation
    assert run_build("import", str(path), "--translation-of", "74", "--lang", "fr",
                     "--source", str(source)).returncode == 0
    html = french_page()
    assert "Renforcer la participation des Membres de Secteur" in html
    assert notice not in html


@pytest.mark.parametrize("lang", ["fr", "ar", "zh"])
def test_a_translation_exported_and_imported_gives_its_catalog_back(tmp_path, lang):
    """export --lang writes the translated document; importing it as the official
    translation gives every translated passage back."""
    from babel.messages.pofile import read_po

    source = translation_tree(tmp_path)
    locale = source / "locales" / lang / "LC_MESSAGES"
    (locale / "resolutions").mkdir(parents=True, exist_ok=True)
    for name in ("sphinx", "resolutions/74"):
        shutil.copy(SOURCE / "locales" / lang / "LC_MESSAGES" / f"{name}.po", locale / f"{name}.po")
    shutil.copytree(SOURCE / "_data" / "citations", source / "_data" / "citations",
                    dirs_exist_ok=True)
    path = export_docx(source / "resolutions" / "74.md", source, tmp_path / f"74-{lang}.docx",
                       "A", "2026-01-01", lang)
    with (locale / "resolutions" / "74.po").open("rb") as po:
        before = {m.id: m.string for m in read_po(po) if m.id and m.string}
    result = run_build("import", str(path), "--translation-of", "74", "--lang", lang,
                       "--source", str(source))
    assert result.returncode == 0, result.stderr
    with (locale / "resolutions" / "74.po").open("rb") as po:
        after = {m.id: m.string for m in read_po(po) if m.id}
    assert len(before) > 30 and after == before
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    texts = ["".join(t.text for t in p.iter(w("t"))) for p in body.iter(w("p"))]
    designation = {"fr": "RÉSOLUTION 74 (Rév. Nouvelle-Delhi, 2024)",
                   "ar": "القرار 74 (المراجَع في نيودلهي، 2024)",
                   "zh": "第 74 号决议（2024年，新德里，修订版）"}[lang]
    assert texts[0] == designation
    second = {"fr": "b)", "ar": "ب)", "zh": "b)"}[lang]
    assert any(t.startswith(second) for t in texts)
    bidi = body.findall(f".//{w('pPr')}/{w('bidi')}")
    assert (len(bidi) > 20) == (lang == "ar")


def test_an_import_writes_only_what_the_content_policy_accepts():
    from itu.word import check_policy

    check_policy(":::{part} resolves\n1. to act.\n:::\n", "good.docx")
    with pytest.raises(WordError) as refused:
        check_policy("See [the file](ftp://host/x).\n", "bad.docx")
    assert refused.value.code == "policy" and "bad.docx" in str(refused.value)


@pytest.mark.slow
def test_the_council_document_of_seed_004_imports_and_reproduces_the_seed(tmp_path, project,
                                                                          rewritten):
    """Seed 004 (a Council document with action tables), as LibreOffice writes it."""
    from fidelity import compare, expectations

    name = "documents/C26-INF-14"
    seed, ranges = expectations()[name]
    text, _ = import_text(rewritten[name][1])
    build_imported(project, tmp_path / "out", name, text)
    assert compare(tmp_path / "out" / "site" / "en", name, seed, ranges) == ""


def styled_paragraphs(path: Path) -> list[tuple[str, str]]:
    """Each paragraph of a .docx: its style, and its text with the revisions shown as
    ``{ins}``/``{del}`` around what they hold."""
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    out = []
    for p in body.iter(w("p")):
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        text = ""
        for node in p.iter(w("t"), w("delText"), w("tab"), w("noBreakHyphen")):
            changes = sorted(etree.QName(a).localname
                             for a in node.iterancestors(w("ins"), w("del")))
            piece = {"tab": "\t", "noBreakHyphen": "\u2011"}.get(
                etree.QName(node).localname, node.text or "")
            text += "".join(f"{{{c}}}" for c in changes) + piece
        out.append((style.get(w("val")) if style is not None else "", text))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", ["resolutions/74", "proposals/85-mod"])
def test_exporting_an_imported_document_gives_the_same_paragraphs(tmp_path, rewritten, name):
    """Word → MyST → Word: a file LibreOffice wrote, imported, then exported again, has
    the paragraphs, styles and revisions of the export it came from."""
    first, written = rewritten[name]
    text, _ = import_text(written)
    imported = tmp_path / "imported" / f"{Path(name).name}.md"
    imported.parent.mkdir()
    imported.write_text(text, encoding="utf-8")
    again = export_docx(imported, SOURCE, tmp_path / "again.docx", author="Test Author",
                        date="2026-11-30")
    paragraphs = styled_paragraphs(first)
    assert len(paragraphs) > 30 and any("{ins}" in t for _s, t in paragraphs) == (
        name.startswith("proposals"))
    assert styled_paragraphs(again) == paragraphs
