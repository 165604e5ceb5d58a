"""Typst markup and the names in it: text escaped, string literals, labels, and which
documents have a PDF of their own and where it is.

Sphinx-free and compiler-free: the translator writes with it, the builder names
its files with it, and the HTML pages link to the PDFs with it (``html.pages``).
"""

from __future__ import annotations

import re
from typing import Any

SPECIAL = re.compile(r"[\\#*_$`<>@\[\]~/\-.=+'\";(]")  # ; and ( would end or extend a #call


def escape(text: str) -> str:
    """Text as Typst markup that prints exactly this text."""
    return SPECIAL.sub(lambda m: "\\" + m[0], text.replace("\n", " "))


def string(text: str, lines: bool = False) -> str:
    """A Typst string literal; ``lines``: its line breaks kept (else spaces)."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\n", "\\n" if lines else " ") + '"'


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
            *sorted(domain.comparisons)]


def has_pdf(env: Any, docname: str) -> bool:
    domain = env.get_domain("itu")
    info = domain.document(docname)
    return (info and info.kind) in PDF_KINDS or docname in domain.comparisons
