"""The PDF builder: the doctree as Typst markup, typeset in-process by ``typst``.

Every document (resolution, proposal, other document) becomes a body file of
Typst markup; each body is typeset on its own (``pdf/<docname>.pdf``) and the
resolutions together as the book of the language (``pdf/resolutions-<lang>.pdf``).
How things look is decided in ``templates/typst/itu.typ``; this module only says
what each node is, in the template's terms.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import threading
from collections.abc import Set
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import typst
from docutils import nodes as dn
from sphinx.builders import Builder
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.docutils import SphinxTranslator
from sphinx.util.logging import get_node_location

from . import fonts, nodes
from .messages import error
from .names import cited_edition, entry_label, resolution_name

_ = get_translation("sphinx")
logger = logging.getLogger("itu")

TEMPLATE = Path(__file__).resolve().parent.parent.parent / "templates" / "typst" / "itu.typ"
SPECIAL = re.compile(r"[\\#*_$`<>@\[\]~/\-.=+'\";(]")  # ; and ( would end or extend a #call
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def escape(text: str) -> str:
    """Text as Typst markup that prints exactly this text."""
    return SPECIAL.sub(lambda m: "\\" + m[0], text.replace("\n", " "))


def string(text: str) -> str:
    """A Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def label_name(docname: str, anchor: str = "") -> str:
    """The Typst label of an anchor of a document: unique in the whole book."""
    prefix = re.sub(r"[^\w.-]", ".", docname)
    return f"{prefix}:{anchor}" if anchor else prefix


def book_name(lang: str) -> str:
    return f"resolutions-{lang}"


def pdf_path(docname: str) -> str:
    """Where a document's PDF is, relative to the pdf/ folder."""
    return f"{docname}.pdf"


PDF_KINDS = ("resolution", "proposal", "document", "redline")


def pdf_documents(env: Any) -> list[str]:
    """What has a PDF of its own: every document the domain knows (resolutions,
    proposals, documents, redlines) and every side-by-side page."""
    domain = env.get_domain("itu")
    return [*(d for kind in PDF_KINDS for d, _info in domain.by_kind(kind)),
            *sorted(domain.data["comparisons"])]


def has_pdf(env: Any, docname: str) -> bool:
    domain = env.get_domain("itu")
    info = domain.document(docname)
    return (info and info.kind) in PDF_KINDS or docname in domain.data["comparisons"]


BLOCK = "]\n\n"  # the end of a call that makes a block


def _call(function: str, closing: str = "]"):
    """Visitors that set a node's content as the argument of a template function."""
    def visit(self: TypstTranslator, node: dn.Element) -> None:
        self.anchors(node)
        self.add(f"#{function}[")

    def depart(self: TypstTranslator, node: dn.Element) -> None:
        self.add(closing)

    return visit, depart


class TypstTranslator(SphinxTranslator):
    """One document as Typst markup in the template's functions."""

    def __init__(self, document: dn.document, builder: TypstBuilder, docname: str) -> None:
        super().__init__(document, builder)
        self.docname = docname
        self.body: list[str] = []
        self.level = 0
        self.footnotes = {f["ids"][0]: f for f in document.findall(dn.footnote)}
        self.noted: set[str] = set()
        self.counters: list[int] = []
        self.head = False  # in a table's header row
        self.characters: set[str] = set()  # what the fonts must cover

    def astext(self) -> str:
        return "".join(self.body)

    def add(self, *parts: str) -> None:
        self.body.extend(parts)

    def anchors(self, node: dn.Element) -> None:
        """Make the node's ids places a link can go to."""
        self.add(self.anchor_marks(node))

    def transparent(self, node: dn.Element) -> None:
        """Nothing of its own to write: its children say it all."""

    def line_end(self, node: dn.Element) -> None:
        self.add("\n")

    def anchor_marks(self, node: dn.Element) -> str:
        return "".join(f"#metadata(none)<{label_name(self.docname, anchor)}>"
                       for anchor in node.get("ids") or ())

    def unknown_visit(self, node: dn.Node) -> None:
        where = next((n for n in [node, *nodes.ancestors(node)] if get_node_location(n)),
                     None)
        self.builder.fail(f"the PDF builder does not know the node "
                          f"'{node.__class__.__name__}' ({node.__class__.__module__}), so its "
                          "text would be lost", where or self.docname,
                          "add a visitor for it to ext/itu/typst.py, or write the text "
                          "without it")
        raise dn.SkipNode

    # --- docutils structure ---------------------------------------------------

    visit_document = depart_document = depart_Text = depart_inline = transparent
    visit_compound = depart_compound = depart_table = transparent
    visit_call_words = depart_item_list = transparent
    visit_paragraph = visit_inline = visit_table = visit_item_list = anchors  # only a place

    def visit_section(self, node: dn.section) -> None:
        self.level += 1
        self.anchors(node)

    def depart_section(self, node: dn.section) -> None:
        self.level -= 1

    def visit_title(self, node: dn.title) -> None:
        if isinstance(node.parent, dn.section) and self.level == 1:
            self.add("#doc-title[")
        elif isinstance(node.parent, dn.section):  # an annex's headings go under its bookmark
            level = self.level + any(isinstance(a, nodes.annex) for a in nodes.ancestors(node))
            self.add(f"#heading(level: {level}, outlined: false, bookmarked: true)[")
        else:
            self.add("#rubric[")

    def depart_title(self, node: dn.title) -> None:
        self.add(BLOCK)

    def depart_paragraph(self, node: dn.paragraph) -> None:
        self.add("\n\n")

    def visit_Text(self, node: dn.Text) -> None:
        self.add(escape(node.astext()))
        self.characters.update(node.astext())

    visit_emphasis, depart_emphasis = _call("emph")
    visit_strong, depart_strong = _call("strong")
    def visit_insertion(self, node: nodes.insertion) -> None:
        self.add(self._mark("ins", node))

    def visit_deletion(self, node: nodes.deletion) -> None:
        self.add(self._mark("del", node))

    def depart_insertion(self, node: dn.Element) -> None:
        self.add("]")

    depart_deletion = depart_insertion

    @staticmethod
    def _mark(function: str, node: dn.Element) -> str:
        """A change mark; a redline's computed one is shaded besides."""
        return f"#{function}(computed: true)[" if node.get("computed") else f"#{function}["
    visit_rubric, depart_rubric = _call("rubric", BLOCK)
    visit_designation, depart_designation = _call("designation", BLOCK)
    visit_history_line, depart_history_line = _call("history", BLOCK)
    visit_formula, depart_formula = _call("formula", BLOCK)

    def visit_literal(self, node: dn.literal) -> None:
        self.add(f"#raw({string(node.astext())})")
        raise dn.SkipNode

    def visit_reference(self, node: dn.reference) -> None:
        uri = node.get("refuri", "")
        docname, _hash, anchor = uri.partition("#")
        if node.get("refid", anchor) not in self.document.ids and (
                "refid" in node or docname == self.docname):
            self.add("#[")  # a place this page does not hold (a side-by-side cell's): text
        elif "refid" in node:
            self.add(f"#link(<{label_name(self.docname, node['refid'])}>)[")
        elif node.get("internal") or not re.match(r"[a-z][a-z0-9+.-]*:", uri):
            self.add(f"#xref({string(label_name(docname))}, {string(anchor)}, "
                     f"{string(pdf_path(docname))})[")
        else:
            self.add(f"#link({string(uri)})[")

    def depart_reference(self, node: dn.reference) -> None:
        self.add("]")

    def visit_target(self, node: dn.target) -> None:
        self.anchors(node)
        raise dn.SkipNode

    def visit_footnote_reference(self, node: dn.footnote_reference) -> None:
        """A footnote is set where it is first referred to; later references repeat its
        number."""
        target = node["refid"]
        name = label_name(self.docname, f"footnote-{target}")
        if target in self.noted:
            self.add(f"#footnote(<{name}>)")
        else:
            self.noted.add(target)
            self.add("#footnote[")
            for child in self.footnotes[target].children:
                if not isinstance(child, dn.label):
                    child.walkabout(self)
            self.add(f"]<{name}>")
        raise dn.SkipNode

    def visit_footnote(self, node: dn.footnote) -> None:
        raise dn.SkipNode  # set at its reference

    def visit_comment(self, node: dn.Node) -> None:
        raise dn.SkipNode

    visit_toctree = visit_comment

    def visit_note(self, node: dn.note) -> None:
        self.add(f"#note(title: {string(_('Note'))})[")

    def depart_note(self, node: dn.note) -> None:
        self.add(BLOCK)

    # lists of pages that are no ITU document (the Labels transform makes items of the rest)
    def visit_bullet_list(self, node: dn.bullet_list) -> None:
        self.counters.append(0)

    def depart_bullet_list(self, node: dn.bullet_list) -> None:
        self.counters.pop()

    visit_enumerated_list, depart_enumerated_list = visit_bullet_list, depart_bullet_list

    def visit_list_item(self, node: dn.list_item) -> None:
        self.counters[-1] += 1
        numbered = isinstance(node.parent, dn.enumerated_list)
        self.add(f"#item(label: [{self.counters[-1]}.])[" if numbered else "#item(label: [•])[")

    def depart_list_item(self, node: dn.list_item) -> None:
        self.add("]\n")

    # tables
    def visit_tgroup(self, node: dn.tgroup) -> None:
        """Column widths as the editor gave them, else as the cells need."""
        given = "colwidths-given" in node.parent["classes"]
        columns = ", ".join(f"{c['colwidth']}fr" if given else "auto"
                            for c in node.findall(dn.colspec))
        self.add(f"#table(columns: ({columns},),\n")

    def depart_tgroup(self, node: dn.tgroup) -> None:
        self.add(")\n\n")

    def visit_colspec(self, node: dn.colspec) -> None:
        raise dn.SkipNode

    def visit_thead(self, node: dn.thead) -> None:
        self.add("table.header(")
        self.head = True

    def depart_thead(self, node: dn.thead) -> None:
        self.add("),\n")
        self.head = False

    visit_tbody = depart_tbody = visit_row = transparent
    depart_row = line_end

    def visit_entry(self, node: dn.entry) -> None:
        span = {"colspan": node.get("morecols", 0) + 1, "rowspan": node.get("morerows", 0) + 1}
        spans = ", ".join(f"{k}: {v}" for k, v in span.items() if v > 1)
        self.add(f"table.cell({spans})[" if spans else "[")
        if self.head:
            self.add("#strong[")

    def depart_entry(self, node: dn.entry) -> None:
        self.add("]], " if self.head else "], ")

    def visit_container(self, node: dn.container) -> None:
        """A block; a redline's changed table or code is one, wholly inserted or deleted."""
        change = node.get("change", "")
        self.anchors(node)
        self.add(f"#changed({string(change)}, [")

    def depart_container(self, node: dn.container) -> None:
        self.add("])\n\n")

    # --- proposals side by side: one table, a column per proposal ----------------

    def visit_comparison(self, node: nodes.comparison) -> None:
        self.anchors(node)
        self.add(f"#table(columns: {node.get('columns', 1)} * (1fr,), inset: 5pt,\n")

    def depart_comparison(self, node: nodes.comparison) -> None:
        self.add(")\n\n")

    def visit_comparison_head(self, node: nodes.comparison_head) -> None:
        self.add("table.header(" if node["column"] == 0 else "", "[#strong[")

    def depart_comparison_head(self, node: nodes.comparison_head) -> None:
        self.add("]], ", "),\n" if node["column"] == node.parent["columns"] - 1 else "")

    def visit_comparison_group(self, node: nodes.comparison_group) -> None:
        """A group opens with its name across every column (its anchors in that cell:
        a table's arguments are code, not text)."""
        self.add(f"table.cell(colspan: {node.parent['columns']}, fill: luma(235))["
                 f"{self.anchor_marks(node)}#strong[{escape(node['name'])}]],\n")

    # on paper every row is there to read: a run of unchanged rows is no fold
    depart_comparison_group = transparent
    visit_comparison_unchanged = depart_comparison_unchanged = transparent
    depart_comparison_row = line_end

    def visit_comparison_row(self, node: nodes.comparison_row) -> None:
        if node.get("notes"):  # on paper footnotes stand at the foot of the page
            raise dn.SkipNode

    def visit_comparison_cell(self, node: nodes.comparison_cell) -> None:
        self.add("[")

    def depart_comparison_cell(self, node: nodes.comparison_cell) -> None:
        self.add("], ")

    # --- the ITU nodes ----------------------------------------------------------

    def visit_doc_field(self, node: nodes.doc_field) -> None:
        self.add(f"#field(name: {string(node['name'])})[")

    def depart_doc_field(self, node: nodes.doc_field) -> None:
        self.add(BLOCK)

    def visit_proposal_mark(self, node: nodes.proposal_mark) -> None:
        self.add(f"#{proposal(node['action'], node['ref'])}\n\n")
        raise dn.SkipNode

    def visit_part(self, node: nodes.part) -> None:
        mark = proposal(node["action"], node["ref"]) if node["action"] else "none"
        self.add(f"#part(name: {string(node['name'])}, change: {string(node['change'])}, "
                 f"proposal-mark: {mark})[")
        self.anchors(node)  # inside: where the part lands, its anchors land

    def depart_part(self, node: nodes.part) -> None:
        self.add(BLOCK)

    def depart_call_words(self, node: nodes.call_words) -> None:
        self.add("][")  # the call words are the part's first argument, the rest its body

    def visit_item(self, node: nodes.item) -> None:
        self.add(f"#item(change: {string(node['change'])}, label: ")
        if not (node.children and isinstance(node[0], nodes.item_label)):
            self.add("none)[")
            self.item_start(node)

    def item_start(self, node: nodes.item) -> None:
        """Where an item's text begins: its anchors, and a redline's move in words."""
        self.anchors(node)
        if node.get("moved"):
            note = _("Moved here") if node["change"] == "inserted" else _("Moved from here")
            self.add(f"#move-note[{escape(note)}]")

    def depart_item(self, node: nodes.item) -> None:
        self.add("]\n")

    def visit_item_label(self, node: nodes.item_label) -> None:
        self.add("[")

    def depart_item_label(self, node: nodes.item_label) -> None:
        self.add("])[")
        self.item_start(node.parent)

    def visit_label_override(self, node: nodes.label_override) -> None:
        raise dn.SkipNode  # consumed by labelling

    def visit_annex(self, node: nodes.annex) -> None:
        title = node[0].astext() if node.children and isinstance(node[0], dn.rubric) else ""
        self.add(f"#annex(name: {string(title or _('Annex'))})[")
        self.anchors(node)  # after the annex's page break

    def depart_annex(self, node: nodes.annex) -> None:
        self.add(BLOCK)

    def visit_abstract(self, node: nodes.abstract) -> None:
        self.add(f"#abstract(title: {string(_('Abstract:'))})[")

    def depart_abstract(self, node: nodes.abstract) -> None:
        self.add(BLOCK)


def proposal(action: str, ref: str) -> str:
    """The template's call for a proposal marker (an expression, without ``#``)."""
    return f"proposal(action: {string(action)}, ref: {string(ref)})"


def typst_date(day: datetime.date) -> str:
    return f"datetime(year: {day.year}, month: {day.month}, day: {day.day})"


def source_date(info: Any) -> datetime.date:
    """The date a PDF carries: SOURCE_DATE_EPOCH if set, else the date the document
    states, else 1 January of its edition's year; never the time of the build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    if info and info.date:
        match = re.fullmatch(r"(\d{1,2}) (\w+) (\d{4})", info.date.strip())
        if match and match[2] in MONTHS:
            return datetime.date(int(match[3]), MONTHS.index(match[2]) + 1, int(match[1]))
    year = re.search(r"\d{4}", info.edition if info else "")
    return datetime.date(int(year[0]) if year else 1970, 1, 1)


class TypstBuilder(Builder):
    """``-b typst``: a PDF per ITU document and the book of resolutions, via Typst."""

    name = "typst"
    format = "typst"
    epilog = "The PDFs are in %(outdir)s/pdf."
    default_translator_class = TypstTranslator
    allow_parallel = False

    def init(self) -> None:
        self.failed = False
        self.typesetting = self._fonts_for("", f"{self.font_table}:1")

    @property
    def font_table(self) -> Path:
        return Path(self.srcdir) / "_data" / "fonts.yaml"

    def _fonts_for(self, text: str, location: Any) -> fonts.Typesetting | None:
        """The typesetting of the language and of the scripts the text uses; None,
        reported, if a font is missing."""
        try:
            return fonts.typesetting(self.font_table, self.config.language or "en",
                                     fonts.installed_fonts(), text)
        except fonts.FontError as err:
            self.fail(str(err), location)
            return None

    def fail(self, message: str, location: Any, hint: str = "") -> None:
        """Report an error that leaves the PDFs unwritten and the build failed."""
        error("pdf", message, location, hint)  # an error fails the build (messages.py)
        self.failed = True

    def get_outdated_docs(self) -> str:
        return "all documents (a PDF whose sources did not change is kept)"

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return docname

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return to  # references keep the whole docname: the translator makes labels of it

    def write_documents(self, docnames: Set[str]) -> None:
        domain = self.env.get_domain("itu")
        documents = pdf_documents(self.env)
        front = [d for d in self.config.itu_pdf_book_front if d in self.env.found_docs]
        self._prepare_output()
        if self.failed:
            return
        characters: set[str] = set()
        for docname in [*front, *documents]:
            doctree = self.env.get_and_resolve_doctree(docname, self, tags=self.tags)
            translator = self.create_translator(doctree, self, docname)
            doctree.walkabout(translator)
            body = self.outdir / "body" / f"{docname}.typ"
            body.parent.mkdir(parents=True, exist_ok=True)
            body.write_text(self._start(docname) + translator.astext(), encoding="utf-8")
            if self._fonts_for("".join(translator.characters), (docname, 1)):
                characters |= translator.characters
        if self.failed:  # every unknown node and missing font is reported; no PDF lacks text
            return
        self.typesetting = self._fonts_for("".join(sorted(characters)), None)
        stamps = {}  # each PDF's name and a digest of everything it is made of
        resolutions = [d for d, _info in domain.by_kind("resolution")]
        day = max((source_date(domain.document(d)) for d in resolutions),
                  default=source_date(None))
        for docname in documents:
            info = domain.document(docname)
            if info is None:  # a side-by-side page: as wide as A4 turned
                stamps.update(self._write_main(docname, self.env.titles[docname].astext(),
                                               day, [docname], landscape=True))
            else:
                stamps.update(self._write_main(docname, self._name(info),
                                               source_date(info), [docname]))
        if resolutions:
            stamps.update(self._write_main(book_name(self.typesetting.lang),
                                           _("ITU-T Resolutions"), day,
                                           [*front, *resolutions], book=True))
        self._link_fonts()
        if self.config.itu_pdf_typeset:
            self._typeset_changed(stamps)

    def _typeset_changed(self, stamps: dict[str, str]) -> None:
        """Typeset the PDFs whose sources changed since they were last typeset without a
        warning (the same sources give the same bytes); remove those of gone documents."""
        record = self.outdir / "typeset.json"
        done = json.loads(record.read_text()) if record.exists() else {}
        for path in (self.outdir / "pdf").rglob("*.pdf"):
            if path.relative_to(self.outdir / "pdf").with_suffix("").as_posix() not in stamps:
                path.unlink()  # a document that is gone
        done = {name: stamp for name, stamp in done.items() if stamps.get(name) == stamp
                and (self.outdir / "pdf" / pdf_path(name)).exists()}
        local = threading.local()  # a compiler per thread: Typst lets go of the GIL

        def run(name: str) -> tuple[str, list[str] | typst.TypstError]:
            if not hasattr(local, "compiler"):
                local.compiler = compiler_for(self.outdir)
            try:
                return name, typeset(local.compiler, self.outdir, name)
            except typst.TypstError as err:
                return name, err

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            for name, warned in pool.map(run, [name for name in stamps if name not in done]):
                if isinstance(warned, typst.TypstError):
                    self.fail(f"Typst could not typeset {name}: {warned.message}\n"
                              f"{warned.diagnostic}", f"{self.outdir / 'main' / name}.typ:1",
                              "this is a fault of the PDF builder or its template "
                              "(templates/typst/itu.typ): please report it")
                    continue
                for warning in warned:
                    logger.warning("Typst, typesetting %s: %s", name, warning,
                                   type="itu", subtype="pdf")
                if not warned:
                    done[name] = stamps[name]
        record.write_text(json.dumps(done, sort_keys=True))

    def _prepare_output(self) -> None:
        for folder in ("body", "main"):
            shutil.rmtree(self.outdir / folder, ignore_errors=True)
        shutil.copyfile(TEMPLATE, self.outdir / "itu.typ")

    def _link_fonts(self) -> None:
        """The folder of exactly the fonts of the language's table (see compiler_for)."""
        folder = self.outdir / "fonts"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for path in self.typesetting.files:
            (folder / path.name).symlink_to(path)

    def _name(self, info: Any) -> str:
        """A document as the outline names it: "Resolution 74 (...) — Its title"."""
        return f"{entry_label(info, self.env)} — {info.title}"

    def _start(self, docname: str) -> str:
        """The call that opens a document: its outline entry and running header."""
        info = self.env.get_domain("itu").document(docname)
        if info is None:
            name = header = self.env.titles[docname].astext()
        elif info.kind == "proposal":
            amended = cited_edition(info.base_edition, info.base_revision, self.env)
            name = self._name(info)
            header = f"{info.proposal.get('action', '')} — {resolution_name(info, amended)}"
        else:
            name, header = self._name(info), entry_label(info, self.env)
        legend = ""
        if info and info.kind == "redline":  # what its two kinds of marks mean
            inserted, deleted = escape(_("inserted")), escape(_("deleted"))
            legend = (f"#legend[{escape(_('Changes computed between the two versions'))}: "
                      f"#ins(computed: true)[{inserted}], #del(computed: true)[{deleted}]. "
                      f"{escape(_('Changes the document itself proposes'))}: "
                      f"#ins[{inserted}], #del[{deleted}].]\n")
        return ("#import \"/itu.typ\": *\n"
                f"#document-start(name: {string(name)}, header: [{escape(header)}])"
                f"#metadata(none)<{label_name(docname)}>\n{legend}")

    def _write_main(self, name: str, title: str, day: datetime.date, docnames: list[str],
                    book: bool = False, landscape: bool = False) -> dict[str, str]:
        """The Typst file of one PDF: the setup of the page and language, the documents.
        Returns the PDF's name and the digest of its sources."""
        setting = self.typesetting
        families = ", ".join(string(f) for f in setting.families)
        lines = ["#import \"/itu.typ\": *",
                 f"#show: setup.with(title: {string(title)}, lang: {string(setting.lang)}, "
                 f"fonts: ({families},), date: {typst_date(day)})"]
        if landscape:
            lines.append("#set page(flipped: true)")
        if book:
            lines += [f"#cover(title: {string(title)}, date: {string(str(day.year))})",
                      f"#contents(title: {string(_('Contents'))})"]
        lines += [f"#include \"/body/{d}.typ\"" for d in docnames]
        main = self.outdir / "main" / f"{name}.typ"
        main.parent.mkdir(parents=True, exist_ok=True)
        main.write_text("\n".join(lines) + "\n", encoding="utf-8")
        # what the template reads from sys.inputs, the same in every part of the PDF
        inputs = {"pdf-root": "../" * name.count("/"), "dir": setting.direction,
                  "documents": ",".join(label_name(d) for d in docnames)}
        main.with_suffix(".json").write_text(json.dumps(inputs), encoding="utf-8")
        digest = hashlib.sha256()
        for path in [self.outdir / "itu.typ", main, main.with_suffix(".json"),
                     *(self.outdir / "body" / f"{d}.typ" for d in docnames)]:
            digest.update(path.read_bytes())
        digest.update(repr(self.typesetting).encode())
        return {name: digest.hexdigest()}


def compiler_for(outdir: Path) -> typst.Compiler:
    """A Typst compiler for the builder's output: only the fonts in its fonts/ folder, so
    that no glyph silently comes from a font nobody chose."""
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                        font_paths=[str(outdir / "fonts")])
    return typst.Compiler(root=str(outdir), font_paths=fonts, ignore_system_fonts=True)


def typeset(compiler: typst.Compiler, outdir: Path, name: str) -> list[str]:
    """Typeset ``main/<name>.typ`` with its inputs (``main/<name>.json``) into
    ``pdf/<name>.pdf``; return Typst's warnings."""
    main = outdir / "main" / f"{name}.typ"
    output = outdir / "pdf" / pdf_path(name)
    output.parent.mkdir(parents=True, exist_ok=True)
    inputs = json.loads(main.with_suffix(".json").read_text(encoding="utf-8"))
    _none, warned = compiler.compile_with_warnings(input=str(main), output=str(output),
                                                   sys_inputs=inputs)
    return [str(warning) for warning in warned]


def pdf_link(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Give a document's page the address of its PDF, when the PDFs are built."""
    if not app.config.itu_pdf:
        return
    if has_pdf(app.env, pagename):
        context["itu_pdf"] = context["pathto"](f"pdf/{pdf_path(pagename)}", resource=True)
    if pagename == app.config.root_doc:
        book = book_name(app.config.language or "en")
        context["itu_pdf_book"] = context["pathto"](f"pdf/{pdf_path(book)}", resource=True)
