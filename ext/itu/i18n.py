"""Languages: the site's own words in each language, localized forms, honest coverage.

Two kinds of catalog live under ``source/locales/<lang>/LC_MESSAGES/``: one per
document (``resolutions/74.po``, made by Sphinx's gettext builder) and
``sphinx.po``, the site's own words (interface, call words, standard footnotes,
the forms of the heading block), which Sphinx loads for templates and code alike.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po
from docutils import nodes as dn
from sphinx.environment import BuildEnvironment
from sphinx.locale import get_translation
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.i18n import docname_to_domain
from sphinx.util.nodes import extract_messages

from . import nodes, parsed, policy
from .autolink import patterns
from .data import site_data
from .messages import error
from .text import site_path

_ = get_translation("sphinx")

EDITION = re.compile(r"(?P<place>[^,;()]+?),\s*(?P<year>\d{4})")  # "New Delhi, 2024"


def language_of(env: BuildEnvironment) -> str:
    return env.config.language or "en"


PLACEHOLDER = re.compile(r"\{(\w*)\}")


def placeholders(text: str) -> set[str]:
    """The ``{slots}`` a form fills in."""
    return set(PLACEHOLDER.findall(text))


def translate(message: str) -> str:
    """The site catalog's translation of a message (the message itself in English, and
    where the translation does not fill in the same slots: ``check_catalogs`` says so)."""
    translation = str(_(message))
    return translation if placeholders(translation) == placeholders(message) else message


def whole_block_note() -> str:
    """What a redline says before a table or code block it compares whole (``whole``:
    no word inside it is marked, so the reviewer is told)."""
    return translate("This table or code block changed: it is compared whole, shown as it "
                     "was (deleted), then as it is (inserted).")


def split_form(form: str, slot: str) -> tuple[str, str]:
    """A translated form around one of its slots: "RÉSOLUTION 7 ({edition})" -> both sides."""
    before, _slot, after = form.partition("{" + slot + "}")
    return before, after


def local_edition(edition: str, env: BuildEnvironment) -> str:
    """An edition ("New Delhi, 2024") in the language's form and place names; any
    other text unchanged."""
    match = EDITION.fullmatch(edition.strip())
    language = language_of(env)
    if not match or language == "en":
        return edition
    names = {english: own for own, english in
             patterns(site_data(env), language).places.items()}
    place = match["place"].strip()
    # Translators: an edition: place and year of a meeting ("New Delhi, 2024")
    form = translate("{place}, {year}")
    return form.format(place=names.get(place, place), year=match["year"])


def localize_editions(node: dn.Element, env: BuildEnvironment) -> None:
    """Write every edition under ``node`` (a text of its own) in the language's form."""
    for text in list(node.findall(dn.Text)):
        localized = local_edition(str(text), env)
        if localized != str(text):
            text.parent.replace(text, dn.Text(localized))


def version(path: Path) -> int:
    """Which version of a file this is, for what is read of it once per version (its
    modification time; 0 when it cannot be read)."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def message_states(po_path: Path) -> dict[str, str]:
    """Every message of a catalog and its state: translated, outdated (fuzzy) or
    missing. Read once per version of the file."""
    return _message_states(str(po_path), version(po_path))


@cache
def _message_states(po_path: str, stamp: int) -> dict[str, str]:
    catalog, _problem = read_catalog(Path(po_path))
    return {m.id: "missing" if not m.string else "outdated" if m.fuzzy else "translated"
            for m in catalog or () if m.id}


def read_catalog(path: Path) -> tuple[Catalog | None, tuple[int, str] | None]:
    """A catalog, or what is wrong with it: (line, problem). Read once per version of
    the file (the check of every build and the coverage counts share it)."""
    return _read_catalog(str(path), version(path))


@cache
def _read_catalog(po_path: str, stamp: int) -> tuple[Catalog | None, tuple[int, str] | None]:
    path = Path(po_path)
    try:
        with open(path, "rb") as po:
            return read_po(po, abort_invalid=True), None
    except OSError as err:
        return None, (1, f"cannot be read: {err.strerror or err}")
    except UnicodeDecodeError:
        return None, (1, "is not UTF-8 text")
    except PoFileError as err:
        return None, (err.lineno + 1, f"is not a gettext catalog: {err}")


def check_catalogs(app: Any, env: BuildEnvironment, docnames: list[str]) -> None:
    """The catalogs of the language built: each must read as a catalog, each
    translated form must fill in the slots of its English ({number}, {edition}), and
    none may hold what the content policy refuses (said at the catalog's line)."""
    language = language_of(env)
    folder = Path(env.srcdir) / "locales" / language
    for path in sorted(folder.rglob("*.po")) if language != "en" else ():
        # the folder of the document the catalog translates, for its relative links
        document_folder = "/".join(path.relative_to(folder).parts[1:-1])  # below LC_MESSAGES
        for code, message, line, hint in catalog_problems(path, document_folder):
            error(code, message, f"{path}:{line}", hint)


def catalog_problems(path: Path, folder: str) -> tuple[tuple[str, str, int, str], ...]:
    """What is wrong with a catalog: (code, message, line, hint) each; found once per
    version of the file, as the catalog is read (every build checks every catalog)."""
    return _catalog_problems(str(path), version(path), folder)


@cache
def _catalog_problems(po_path: str, stamp: int, folder: str
                      ) -> tuple[tuple[str, str, int, str], ...]:
    path = Path(po_path)
    catalog, problem = read_catalog(path)
    if problem:
        return (("i18n", f"{path.name} {problem[1]}", problem[0],
                 "correct the catalog, or make it again with 'python3 build.py i18n'"),)
    found = []
    for message in catalog:
        if not (message.id and isinstance(message.id, str) and message.string):
            continue
        found += [(breach.code, f"the translation of {message.id[:40]!r}: {breach.message}",
                   message.lineno, breach.hint)
                  for breach in policy.violations(str(message.string), folder=folder)]
        wanted, given = placeholders(message.id), placeholders(str(message.string))
        if given != wanted:
            found.append(("i18n", f"the translation of {message.id!r} fills in "
                          f"{', '.join(sorted(given)) or 'nothing'}, not "
                          f"{', '.join(sorted(wanted)) or 'nothing'}", message.lineno,
                          "keep every {slot} of the English as it is: the English is used "
                          "until the translation does"))
    return tuple(found)


def catalog_path(env: BuildEnvironment, docname: str) -> Path:
    domain = docname_to_domain(docname, env.config.gettext_compact)
    return (Path(env.srcdir) / "locales" / language_of(env) / "LC_MESSAGES"
            / f"{domain}.po")


class SiteWords(SphinxTransform):
    """Words the site catalog translates (standard call words and footnotes) take
    their translation here, not while the document is parsed (so that a parse is the
    same in every language: parsed.py), and are no message of a document's own
    catalog: an empty rawsource leaves them out. (Marking them untranslatable would
    do too, at the cost of Sphinx describing every one of them in a debug message
    nobody reads.)"""

    default_priority = 11  # after Sphinx fills in missing rawsources (10)

    def apply(self, **kwargs) -> None:
        for node in self.document.findall(dn.TextElement):
            if node.get("itu_site_words"):
                node[:] = [dn.Text(translate(node.astext()))]
                node.rawsource = ""


MARKUP = re.compile(r"[\\`*_\[\]{}<>|&#]|^\s*(?:\d+[.)]|[-+>])\s")


class CatalogTranslations(SphinxTransform):
    """What the document's catalog says, before Sphinx's own pass over it.

    A passage whose translation is fuzzy is noted as outdated (the English changed
    since). A passage that is plain text in both languages takes its translation
    here: Sphinx would parse every translation as a document of its own, twice, for
    a result known in advance. Passages with markup are left to Sphinx. A document
    without a catalog is untranslated throughout.
    """

    default_priority = 17  # before Sphinx's Locale (20), which replaces the text

    def apply(self, **kwargs) -> None:
        if language_of(self.env) == "en":
            return
        path = catalog_path(self.env, self.env.docname)
        if not path.exists():
            for node, _message in extract_messages(self.document):
                node["translated"] = False
            return
        states = message_states(path)
        domain = docname_to_domain(self.env.docname, self.env.config.gettext_compact)
        dirs = [Path(self.env.srcdir) / d for d in self.config.locale_dirs]
        catalog, _found = init_locale(dirs, self.config.language, domain)
        for node, message in extract_messages(self.document):
            if states.get(message) == "outdated":
                node["itu_outdated"] = True
            translation = catalog.gettext(message)
            if (translation == message or not translation.strip()
                    or not all(isinstance(child, dn.Text) for child in node.children)
                    or MARKUP.search(message) or MARKUP.search(translation)):
                continue  # untranslated, or markup: Sphinx's pass decides
            node[:] = [dn.Text(translation)]
            node.rawsource = ""  # done: no message left for Sphinx's pass
            node["translated"] = True


class TitleFootnotes(SphinxTransform):
    """Number the footnote references of translated titles.

    Sphinx translates titles in a pass of their own that leaves their new footnote
    references unregistered (docutils would number the English ones, now detached);
    each takes the place, and the ids, of the English reference it replaces. The
    nodes of a translated title belong to this document afterwards, not to the one
    Sphinx parsed the translation into (which holds the whole build environment,
    and would be pickled with every translated doctree).
    """

    default_priority = 21  # right after Sphinx's Locale (20), before numbering (620)

    def apply(self, **kwargs) -> None:
        if language_of(self.env) == "en":
            return
        document = self.document
        for node in document.findall():
            if node.document is not document:
                node.document = document
        shown = list(document.findall(dn.footnote_reference))
        attached = {id(ref) for ref in shown}
        for new in shown:
            if not new.get("auto") or any(new is ref for ref in document.autofootnote_refs):
                continue
            old = next((ref for ref in document.autofootnote_refs
                        if id(ref) not in attached and ref.get("refname") == new.get("refname")),
                       None)
            if old is None:
                continue
            document.autofootnote_refs[document.autofootnote_refs.index(old)] = new
            named = document.footnote_refs.get(old.get("refname"), [])
            if old in named:
                named[named.index(old)] = new
            new["ids"] = old["ids"]
            for ref_id in new["ids"]:
                document.ids[ref_id] = new
            attached.add(id(old))  # taken


class TranslationCoverage(SphinxTransform):
    """Mark text shown in English or from an outdated translation, and count both;
    English passages keep their language and their direction (``dir``)."""

    default_priority = 900  # after Sphinx's Locale

    def apply(self, **kwargs) -> None:
        if language_of(self.env) == "en":
            return
        counts = {"total": 0, "untranslated": 0, "outdated": 0}
        languages = site_data(self.env).languages
        page = languages.get(language_of(self.env), {}).get("direction", "ltr")
        english = languages.get("en", {}).get("direction", "ltr")
        for node in self.document.findall(dn.Element):
            if "translated" not in node:
                continue
            counts["total"] += 1
            if not node["translated"]:
                counts["untranslated"] += 1
                node["classes"] += ["untranslated", "language-en"]
                if english != page:  # English on an Arabic page reads left to right
                    node["dir"] = english
            elif node.get("itu_outdated"):
                counts["outdated"] += 1
                node["classes"].append("outdated")
                if isinstance(node, dn.TextElement):  # said in words, not by colour alone
                    node.insert(0, dn.inline("", translate("[outdated translation]") + " ",
                                             classes=["itu-outdated-mark"]))
        self.document["itu_translation"] = counts


def site_languages(env: BuildEnvironment) -> frozenset[str]:
    """English and every language with catalogs (looked up once per process)."""
    return _languages_in(str(env.srcdir))


@cache
def _languages_in(srcdir: str) -> frozenset[str]:
    return frozenset({"en", *(p.name for p in (Path(srcdir) / "locales").glob("*")
                              if p.is_dir())})


def page_languages(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The page's direction, its other languages, and what its translation lacks."""
    languages = site_data(app.env).languages
    current = language_of(app.env)
    context["text_direction"] = languages.get(current, {}).get("direction", "ltr")
    context["docstitle"] = translate(app.config.html_title)  # in the site catalog
    # the 404 page is served at any address: it links absolutely
    up = (site_path(app.config.itu_site_url) if pagename == app.config.notfound_pagename
          else "../" * (pagename.count("/") + 1))
    context["itu_languages"] = [
        (code, facts.get("name", code), f"{up}{code}/{pagename}.html", code == current)
        for code, facts in languages.items() if code in site_languages(app.env)]
    if current == "en" or doctree is None:
        return
    context["itu_notices"] = translation_notices(app.env, pagename,
                                                 doctree.get("itu_translation", {}))


LANGUAGE_FILE = "language.json"  # what the site's root page says of the language


def describe_language(app: Any, exception: Exception | None) -> None:
    """Write what the site's root page shows of this language's pages (its name in
    itself, its place in languages.yaml, its direction, the site's name in it) into
    ``language.json`` beside them:
    the root page is assembled from the languages' folders, with no Sphinx."""
    if exception or app.builder.format != "html":
        return
    languages, lang = site_data(app.env).languages, language_of(app.env)
    facts, order = languages.get(lang, {}), list(languages)
    described = {"name": facts.get("name", lang),
                 "order": order.index(lang) if lang in order else len(order),
                 "direction": facts.get("direction", "ltr"),
                 "title": translate(app.config.html_title)}
    (Path(app.outdir) / LANGUAGE_FILE).write_text(
        json.dumps(described, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def unofficial(env: BuildEnvironment, docname: str, counts: dict) -> bool:
    """Whether a document is shown in a working translation of the site's, not the
    ITU's (an official translation has its catalog marked so; English is the ITU's)."""
    info = env.get_domain("itu").document(docname)
    return language_of(env) != "en" and bool(info) and info.translation == "unofficial" \
        and not official(catalog_path(env, docname)) \
        and counts.get("untranslated", 1) < counts.get("total", 0)


def translation_notices(env: BuildEnvironment, docname: str, counts: dict) -> list[str]:
    """What a translated page or PDF says of its translation (``counts``: the
    document's ``itu_translation``): unofficial, partly in English, partly outdated."""
    if language_of(env) == "en":
        return []
    notices = []
    if unofficial(env, docname, counts):
        notices.append(_("This is an unofficial working translation, not an ITU text. "
                         "The English text is the reference."))
    if counts.get("untranslated"):
        notices.append(_("Parts of this page are not translated yet: they are shown "
                         "in English."))
    if counts.get("outdated"):
        notices.append(_("Some passages are translations of an earlier English text "
                         "and are marked as outdated."))
    return [str(notice) for notice in notices]


def official(po_path: Path) -> bool:
    """Whether a catalog holds the ITU's official translation (imported from its Word
    text by ``build.py import --translation-of``): its header says so."""
    try:
        with po_path.open(encoding="utf-8") as po:
            head = po.read(2048)
    except OSError:
        return False
    return '"Language-Team: ITU (official translation)\\n"' in head


def catalog_counts(po_path: Path) -> dict[str, int]:
    """How many messages of a catalog are translated, outdated (fuzzy) and missing."""
    counts = dict.fromkeys(("translated", "outdated", "missing"), 0)
    counts.update(Counter(message_states(po_path).values()))
    return counts


def coverage_text(counts: dict[str, int] | None) -> str:
    """ "12 / 40 (3 outdated)": what a reader of that language gets."""
    if counts is None:
        return translate("no catalog")
    total = sum(counts.values())
    text = f"{counts['translated']} / {total}"
    if counts["outdated"]:
        text += " " + translate("({count} outdated)").format(count=counts["outdated"])
    return text


class TranslationStatusDirective(SphinxDirective):
    """``:::{translation-status}`` — per document and language: translated, outdated,
    missing, read from the catalogs themselves."""

    def run(self) -> list[dn.Node]:
        parsed.not_to_keep(self.env)  # the catalogs there are now
        for po in (Path(self.env.srcdir) / "locales").rglob("*.po"):
            self.env.note_dependency(str(po))
        self.env.get_domain("itu").note_listing_page(self.env.docname)  # lists all
        return [nodes.translation_status()]


def fill_translation_status(app, doctree: dn.document, docname: str) -> None:
    """Replace the placeholder by a table: a row per catalog, a column per language."""
    placeholders = list(doctree.findall(nodes.translation_status))
    if not placeholders:
        return
    env = app.env
    locales = Path(env.srcdir) / "locales"
    languages = [code for code in site_data(env).languages
                 if code != "en" and code in site_languages(env)]
    rows: list[list] = []
    domain = env.get_domain("itu")
    written = [name for name in sorted(env.found_docs)  # redlines are made, not written
               if not domain.is_redline(name)]
    for name in ["sphinx", *written]:
        label: str | dn.Node = translate("The site's own words")
        if name != "sphinx":
            label = dn.reference("", domain.doc_name(name), internal=True,
                                 refuri=app.builder.get_relative_uri(docname, name))
        cells = []
        for language in languages:
            po = locales / language / "LC_MESSAGES" / f"{name}.po"
            cells.append(coverage_text(catalog_counts(po) if po.exists() else None))
        rows.append([label, *cells])
    names = [site_data(env).languages[code].get("name", code) for code in languages]
    table = nodes.table([translate("Catalog"), *names], rows,
                        (40, *([60 // max(len(languages), 1)] * len(languages))),
                        "itu-translation-status")
    for placeholder in placeholders:
        placeholder.replace_self(table.deepcopy())
