"""Sphinx extension for ITU resolutions: structure, labels, marks and metadata.

Importing the package loads nothing of Sphinx: ``setup`` imports the modules it
registers, so that the Sphinx-free ones (``itu.redline``, ``itu.policy``,
``itu.text``) serve the command line and the redline alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def content_is_data(app: Sphinx) -> None:
    """Content may not include files or pass raw HTML through."""
    app.env.settings["file_insertion_enabled"] = False
    app.env.settings["raw_enabled"] = False


def setup(app: Sphinx) -> dict[str, Any]:
    from . import (
        autolink,
        checks,
        collector,
        compare,
        directives,
        domain,
        editions,
        editorial,
        i18n,
        indexes,
        messages,
        nodes,
        parser,
        revisions,
        transforms,
    )
    from .html import THEME, pages
    from .html import visitors as html
    from .typst.builder import TypstBuilder, note_changes

    messages.fail_on_errors(app)
    messages.say_again(app)
    note_changes(app)
    messages.reissue_known_messages()
    app.add_config_value("itu_autolink", True, "env", bool)
    app.add_config_value("itu_compare_editions", True, "env", bool)
    app.add_config_value("itu_pdf", False, "html", bool)  # the pages link to their PDFs
    app.add_config_value("itu_site_url", "", "html", str)  # where the site is published
    # where the documents a build lacks are published (a redline's unchanged ones)
    app.add_config_value("itu_other_documents_url", "", "env", str)
    # and which resolutions it has there: a JSON file, [docname, assembly, number, edition]
    app.add_config_value("itu_other_documents", "", "env", str)
    # each language's pages in a folder of their own on the site (a redline's are not)
    app.add_config_value("itu_language_folder", True, "html", bool)
    app.add_config_value("itu_pdf_book_front", ["foreword"], "", list)
    app.add_config_value("itu_pdf_typeset", True, "", bool)  # False: write the Typst only
    # a folder the languages' builds share, where each keeps its parses (parsed.py)
    app.add_config_value("itu_parse_cache", "", "", str)
    # documents the build writes itself (redlines), which may carry computed marks
    app.add_config_value("itu_generated_docs", [f"{editions.FOLDER}/*"], "env", list)
    app.add_source_parser(parser.ContentParser, override=True)
    app.add_builder(TypstBuilder)
    app.add_html_theme("itu", str(THEME))  # html_theme = "itu" in conf.py
    for builder in ("html", "dirhtml", "singlehtml"):
        app.set_translator(builder, html.Translator)
    for node_class in nodes.ALL:
        visitors = html.VISITORS.get(node_class)
        # other builders (text, LaTeX, ...) show what the node holds, or nothing where
        # the HTML shows nothing of it
        plain = (html.skip, None) if visitors and visitors[0] is html.skip else (
            html.pass_through, html.pass_through)
        app.add_node(node_class, **({"html": visitors} if visitors else {}),
                     **dict.fromkeys(("text", "latex", "man", "texinfo"), plain))
    app.add_js_file("itu-languages.js", loading_method="defer")  # no inline script
    app.add_domain(domain.ItuDomain)
    app.add_env_collector(collector.PagesToRewrite)
    app.add_env_collector(collector.Neighbours)
    app.add_directive("part", directives.PartDirective)
    app.add_directive("abstract", directives.AbstractDirective)
    app.add_directive("annex", directives.AnnexDirective)
    app.add_directive("document-index", directives.DocumentIndexDirective)
    app.add_directive("citation-index", directives.CitationIndexDirective)
    app.add_directive("side-by-side", compare.SideBySideDirective)
    app.add_directive("translation-status", i18n.TranslationStatusDirective)
    app.add_role("ins", directives.ChangeRole(nodes.insertion))
    app.add_role("del", directives.ChangeRole(nodes.deletion))
    app.add_role("label", directives.LabelRole())
    app.add_role("stdfn", directives.StandardFootnoteRole())
    app.add_role("res", autolink.ResolutionRole())
    for transform in (transforms.FrontMatter, transforms.ChangeMarks, transforms.Labels,
                      checks.StructureChecks, editorial.EditorialChecks,
                      autolink.Citations, i18n.SiteWords, i18n.CatalogTranslations,
                      i18n.TitleFootnotes, i18n.TranslationCoverage):
        app.add_transform(transform)
    app.add_post_transform(compare.FillComparisons)
    app.connect("builder-inited", content_is_data)
    app.connect("config-inited", pages.not_found_prefix)
    app.connect("env-before-read-docs", parser.refuse_unsafe_entries)
    app.connect("env-before-read-docs", parser.check_data)
    app.connect("env-before-read-docs", i18n.check_catalogs)
    app.connect("source-read", parser.forget_linked_source)
    app.connect("env-get-outdated", parser.reread_refused)
    app.connect("env-get-outdated", revisions.note_times)
    app.connect("builder-inited", editions.write_pages)
    app.connect("html-page-context", domain.page_context)
    app.connect("html-page-context", i18n.page_languages)
    app.connect("html-page-context", pages.page_links)
    app.connect("html-page-context", pages.page_outline)
    app.connect("html-page-context", pages.own_scripts_only)
    app.connect("build-finished", pages.remove_gone_pages)
    app.connect("build-finished", i18n.describe_language)
    app.connect("doctree-resolved", indexes.fill_document_index)
    app.connect("doctree-resolved", indexes.fill_citation_index)
    app.connect("doctree-resolved", i18n.fill_translation_status)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 9}
