"""The PDF builder: the doctree as Typst markup, typeset in-process by ``typst``.

Every document (resolution, proposal, other document) becomes a body file of
Typst markup (``translator.py``); each body is typeset on its own
(``pdf/<docname>.pdf``) and the resolutions together as the book of the language
(``pdf/resolutions-<lang>.pdf``). How things look is decided in the template
``itu.typ`` beside this module, copied into the output. A build writes the bodies
only of the documents that changed or whose resolved text may have (``bodies.json``
keeps what the others hold), and typesets only the PDFs whose sources changed
(``typeset.json``).
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
from sphinx.builders import Builder
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.display import status_iterator

from ..fingerprint import code_digest, settings_text
from ..i18n import translation_notices, unofficial
from ..messages import error
from ..metadata import document_date
from ..names import cited_edition, entry_label, resolution_name
from ..text import language_root
from . import fonts
from .markup import book_name, escape, label_name, pdf_documents, pdf_path, string
from .translator import IMAGES, TypstTranslator

_ = get_translation("sphinx")
logger = logging.getLogger("itu")

TEMPLATE = Path(__file__).resolve().parent / "itu.typ"
RECORD = "bodies.json"  # what each body holds: a build writes only the changed ones
PENDING = "itu-typst-pending.json"  # in the doctrees: documents read or written since


def _pending(doctreedir: Path | str) -> set[str]:
    """The documents other builds read or wrote since the PDFs' last build."""
    try:
        names = json.loads(Path(doctreedir, PENDING).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return set(names) if isinstance(names, list) else set()


def _forget_pending(doctreedir: Path | str, written: Set[str]) -> None:
    Path(doctreedir, PENDING).write_text(
        json.dumps(sorted(_pending(doctreedir) - set(written))), encoding="utf-8")


def note_changes(app: Any) -> None:
    """Every build but the PDFs' notes the documents it read or wrote, so that the next
    PDF build writes their Typst again (a page's resolved text may change without its
    document being read: Sphinx and the collectors say which to write again)."""
    noted: set[str] = set()

    def read(_app: Any, _env: Any, docnames: list[str]) -> None:
        noted.update(docnames)

    def resolved(_app: Any, _doctree: Any, docname: str) -> None:
        noted.add(docname)

    def keep(app: Any, _exception: Exception | None) -> None:
        if noted and app.builder.name != TypstBuilder.name:
            try:
                Path(app.doctreedir, PENDING).write_text(
                    json.dumps(sorted(_pending(app.doctreedir) | noted)), encoding="utf-8")
            except OSError:
                pass  # a folder that cannot be written: the build's own error says so
        noted.clear()

    app.connect("env-before-read-docs", read)
    app.connect("doctree-resolved", resolved)
    app.connect("build-finished", keep)
def typst_date(day: datetime.date) -> str:
    return f"datetime(year: {day.year}, month: {day.month}, day: {day.day})"


def source_date(info: Any) -> datetime.date:
    """The date a PDF carries: SOURCE_DATE_EPOCH if set, else the date the document
    states, else 1 January of its edition's year; never the time of the build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    day = document_date(info.date) if info and info.date else None
    if day:
        return day
    year = re.search(r"\d{4}", info.edition if info else "")
    return datetime.date(int(year[0]) if year else 1970, 1, 1)


class TypstBuilder(Builder):
    """``-b typst``: a PDF per ITU document and the book of resolutions, via Typst."""

    name = "typst"
    format = "typst"
    epilog = "The PDFs are in %(outdir)s/pdf."
    default_translator_class = TypstTranslator
    allow_parallel = False
    supported_image_types = ["image/svg+xml", "image/png", "image/jpeg", "image/gif"]
    resolves_again = True  # the HTML build's doctrees: its resolution said what is wrong

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

    def get_outdated_docs(self) -> set[str]:
        """The documents whose Typst body must be written again: those a build read or
        wrote since (``note_changes``), those without a body, every one when the writer,
        its template or its settings changed. (Sphinx adds what this build reads.)"""
        record = self._record()
        wanted = {*pdf_documents(self.env), *self._front()}
        if record.get("made-by") != self._made_by():
            return wanted
        written = record.get("bodies", {})
        return {d for d in wanted if d not in written
                or not (self.outdir / "body" / f"{d}.typ").is_file()} | (
            _pending(self.doctreedir) & wanted)

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return docname

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return to  # references keep the whole docname: the translator makes labels of it

    def write_documents(self, docnames: Set[str]) -> None:
        """The Typst bodies of the outdated documents (the PDFs: ``finish``)."""
        wanted = {*pdf_documents(self.env), *self._front()}
        if not self.failed:
            self.written = {d: self._write_body(d) for d in status_iterator(
                sorted(docnames & wanted), "writing Typst... ", "darkgreen",
                len(docnames & wanted))}

    def prepare_writing(self, docnames: Set[str]) -> None:
        self.written: dict[str, dict[str, Any]] = {}  # the bodies this build writes

    def finish(self) -> None:
        """Every PDF's Typst file from the bodies, this build's and those kept, then the
        PDFs whose sources changed."""
        domain = self.env.get_domain("itu")
        documents, front = pdf_documents(self.env), self._front()
        self._prepare_output()
        record, made_by = self._record(), self._made_by()
        kept = record.get("bodies", {}) if record.get("made-by") == made_by else {}
        bodies = {d: facts for d in [*front, *documents]
                  for facts in [self.written.get(d) or kept.get(d)] if facts}
        for gone in set(record.get("bodies", {})) - set(bodies):
            (self.outdir / "body" / f"{gone}.typ").unlink(missing_ok=True)
        (self.outdir / RECORD).write_text(json.dumps({"made-by": made_by, "bodies": bodies},
                                                     sort_keys=True), encoding="utf-8")
        _forget_pending(self.doctreedir, set(self.written))
        if self.failed:
            return
        self.unofficial = {d: f["unofficial"] for d, f in bodies.items() if f["unofficial"]}
        self.pictures = {d: sorted(f["images"].values()) for d, f in bodies.items()}
        self.images = {source: copied for f in bodies.values()
                       for source, copied in f["images"].items()}
        self._copy_images()
        if self.failed:  # every unknown node, missing font and unreadable picture is
            return  # reported; no PDF lacks text
        characters = "".join(sorted({c for f in bodies.values() if f["fonts"]
                                     for c in f["characters"]}))
        self.typesetting = self._fonts_for(characters, None)
        if self.typesetting is None:
            return
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
                              "(ext/itu/typst/itu.typ): please report it")
                    continue
                for warning in warned:
                    logger.warning("Typst, typesetting %s: %s", name, warning,
                                   type="itu", subtype="pdf")
                if not warned:
                    done[name] = stamps[name]
        record.write_text(json.dumps(done, sort_keys=True))

    def pdf_root(self, name: str) -> str:
        """What a link from the PDF ``name`` to another PDF starts with: the address of
        the language's PDFs where the site is published (``itu_site_url``: a downloaded
        PDF keeps its links), else the way back to the pdf/ folder."""
        site = self.config.itu_site_url
        if site:
            return f"{language_root(site, self.config.language or 'en')}pdf/"
        return "../" * name.count("/")

    def _write_body(self, docname: str) -> dict[str, Any]:
        """Write one document's Typst body; what the PDFs that include it need of it."""
        doctree = self.env.get_and_resolve_doctree(docname, self, tags=self.tags)
        self.images = {}
        self.post_process_images(doctree)
        translator = self.create_translator(doctree, self, docname)
        doctree.walkabout(translator)
        body = self.outdir / "body" / f"{docname}.typ"
        body.parent.mkdir(parents=True, exist_ok=True)
        counts = doctree.get("itu_translation", {})
        notices = translation_notices(self.env, docname, counts)
        body.write_text(self._start(docname, notices) + translator.astext(), encoding="utf-8")
        characters = "".join(sorted(translator.characters))
        return {"characters": characters, "images": dict(self.images),
                "fonts": self._fonts_for(characters, (docname, 1)) is not None,
                "unofficial": " ".join(notices) if unofficial(self.env, docname, counts)
                else ""}

    def _front(self) -> list[str]:
        """The pages the book opens with, in their order."""
        return [d for d in self.config.itu_pdf_book_front if d in self.env.found_docs]

    def _record(self) -> dict[str, Any]:
        """What the last build wrote (``RECORD``), or nothing."""
        try:
            record = json.loads((self.outdir / RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return record if isinstance(record, dict) else {}

    def _made_by(self) -> str:
        """A digest of what makes a body besides its document: the extension's code,
        the template, the settings and the interface's catalog of the language."""
        digest = hashlib.sha256(code_digest().encode())
        for path in (Path(self.srcdir, folder, self.config.language or "en", "LC_MESSAGES",
                          "sphinx.mo") for folder in self.config.locale_dirs):
            digest.update(path.read_bytes() if path.is_file() else b"-")
        settings = {name: self.config[name] for name in sorted(self.config.values)
                    if name.startswith("itu_") or name == "language"}
        digest.update(settings_text(settings).encode())
        return digest.hexdigest()

    def _prepare_output(self) -> None:
        """The template, and no Typst file of a PDF from before (bodies are kept)."""
        shutil.rmtree(self.outdir / "main", ignore_errors=True)
        self.outdir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TEMPLATE, self.outdir / "itu.typ")

    def _copy_images(self) -> None:
        """The pictures the documents show, beside the Typst files that name them."""
        folder = self.outdir / IMAGES
        shutil.rmtree(folder, ignore_errors=True)
        for source, copied in self.images.items():
            target = folder / copied
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copyfile(Path(self.srcdir) / source, target)
            except OSError as err:
                self.fail(f"the picture {source} cannot be read: {err.strerror or err}",
                          f"{Path(self.srcdir) / source}:1", "make the file readable")

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

    def _start(self, docname: str, notices: list[str]) -> str:
        """The call that opens a document: its outline entry and running header, and
        what its translation says of itself (as the HTML page says it)."""
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
        if info and info.kind == "redline":  # what it compares, and what its marks mean
            inserted, deleted = escape(_("inserted")), escape(_("deleted"))
            legend = (f"#legend[{escape(_('Compared'))}: {escape(info.redline)}.#linebreak()"
                      f"{escape(_('Changes computed between the two versions'))}: "
                      f"#ins(computed: true)[{inserted}], #del(computed: true)[{deleted}], "
                      f"#move-note(gap: 0pt)[{escape(_('Moved here'))}] / "
                      f"#move-note(gap: 0pt)[{escape(_('Moved from here'))}]. "
                      f"{escape(_('Changes the document itself proposes'))}: "
                      f"#ins[{inserted}], #del[{deleted}].]\n")
        return ("#import \"/itu.typ\": *\n"
                f"#document-start(name: {string(name)}, header: [{escape(header)}])"
                f"#metadata(none)<{label_name(docname)}>\n{legend}"
                + "".join(f"#notice[{escape(notice)}]\n" for notice in notices))

    def _write_main(self, name: str, title: str, day: datetime.date, docnames: list[str],
                    book: bool = False, landscape: bool = False) -> dict[str, str]:
        """The Typst file of one PDF: the setup of the page and language, the documents.
        Returns the PDF's name and the digest of its sources."""
        setting = self.typesetting
        families = ", ".join(string(f) for f in setting.families)
        emphasis = "".join(f"{string(f)}, " for f in setting.emphasis_families)
        weight = string(setting.emphasis_weight) if setting.emphasis_weight else "none"
        # the ITU is the author of its texts, not of the site's working translations
        translated = list(dict.fromkeys(self.unofficial[d] for d in docnames
                                        if d in self.unofficial))
        author = "none" if translated else string("ITU")
        lines = ["#import \"/itu.typ\": *",
                 f"#show: setup.with(title: {string(title)}, lang: {string(setting.lang)}, "
                 f"fonts: ({families},), emphasis-fonts: ({emphasis}), "
                 f"emphasis-weight: {weight}, author: {author}, "
                 f"description: {string(' '.join(translated)) if translated else 'none'}, "
                 f"date: {typst_date(day)})"]
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
        inputs = {"pdf-root": self.pdf_root(name), "dir": setting.direction,
                  "documents": ",".join(label_name(d) for d in docnames)}
        main.with_suffix(".json").write_text(json.dumps(inputs), encoding="utf-8")
        digest = hashlib.sha256()
        for path in [self.outdir / "itu.typ", main, main.with_suffix(".json"),
                     *(self.outdir / "body" / f"{d}.typ" for d in docnames)]:
            digest.update(path.read_bytes())
        for picture in sorted({p for d in docnames for p in self.pictures.get(d, ())}):
            digest.update((self.outdir / IMAGES / picture).read_bytes())
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
