"""Sphinx extension for ITU resolutions: structure, labels, marks and metadata."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the extension's modules load with Sphinx, in setup(): itu.word needs none
    from sphinx.application import Sphinx


def content_is_data(app: Sphinx) -> None:
    """Content may not include files or pass raw HTML through."""
    app.env.settings["file_insertion_enabled"] = False
    app.env.settings["raw_enabled"] = False


def setup(app: Sphinx) -> dict[str, Any]:
    from . import autolink, compare, domain, editions, html, i18n, nodes, transforms, typst
    from .directives import (
        AbstractDirective,
        AnnexDirective,
        ChangeRole,
        CitationIndexDirective,
        DocumentIndexDirective,
        LabelRole,
        PartDirective,
        StandardFootnoteRole,
    )

    app.add_config_value("itu_autolink", True, "env", bool)
    app.add_config_value("itu_compare_editions", True, "env", bool)
    app.add_config_value("itu_pdf", False, "html", bool)  # the pages link to their PDFs
    app.add_config_value("itu_pdf_book_front", ["foreword"], "", list)
    app.add_config_value("itu_pdf_typeset", True, "", bool)  # False: write the Typst only
    app.add_builder(typst.TypstBuilder)
    for node_class in nodes.ALL:
        visitors = html.VISITORS.get(node_class)
        if visitors:
            app.add_node(node_class, html=visitors)
        else:
            app.add_node(node_class)
    app.add_domain(domain.ItuDomain)
    app.add_directive("part", PartDirective)
    app.add_directive("abstract", AbstractDirective)
    app.add_directive("annex", AnnexDirective)
    app.add_directive("document-index", DocumentIndexDirective)
    app.add_directive("citation-index", CitationIndexDirective)
    app.add_directive("side-by-side", compare.SideBySideDirective)
    app.add_directive("translation-status", i18n.TranslationStatusDirective)
    app.add_role("ins", ChangeRole(nodes.insertion))
    app.add_role("del", ChangeRole(nodes.deletion))
    app.add_role("label", LabelRole())
    app.add_role("stdfn", StandardFootnoteRole())
    app.add_role("res", autolink.ResolutionRole())
    for transform in (transforms.FrontMatter, transforms.ChangeMarks, transforms.Labels,
                      autolink.Citations, i18n.SiteWords, i18n.CatalogTranslations,
                      i18n.TitleFootnotes, i18n.TranslationCoverage):
        app.add_transform(transform)
    app.add_post_transform(compare.FillComparisons)
    app.connect("builder-inited", content_is_data)
    app.connect("builder-inited", editions.write_pages)
    app.connect("env-check-consistency", domain.check_consistency)
    app.connect("env-get-updated", domain.pages_to_rewrite)
    app.connect("html-page-context", domain.page_context)
    app.connect("html-page-context", i18n.page_languages)
    app.connect("html-page-context", typst.pdf_link)
    app.connect("doctree-resolved", domain.fill_document_index)
    app.connect("doctree-resolved", domain.fill_citation_index)
    app.connect("doctree-resolved", i18n.fill_translation_status)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 5}
