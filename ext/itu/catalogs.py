"""The site catalog's template: every word of the site that is not in a document.

Sphinx's gettext builder extracts the documents; this module gathers the rest
into ``sphinx.pot``: the theme's strings, the extension's own messages, and
the data files' call words, standard footnotes and assembly names.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from .data import load_site_data

EXTRACTORS = {  # folders of the project, the theme's first
    "ext/itu/html/theme": [("**.html", "jinja2")],
    "ext": [("**.py", "python")],
}
COMMENT_TAGS = ["Translators:"]
KEYWORDS = {"_": None, "translate": None}


def site_catalog(root: Path, srcdir: Path, title: str) -> Catalog:
    """The template of the site catalog, from code, templates and data."""
    catalog = Catalog(project=title, fuzzy=False)
    catalog.add(title, auto_comments=["the site's name (html_title in conf.py)"])
    for folder, method_map in EXTRACTORS.items():
        for filename, line, message, comments, _context in extract_from_dir(
                root / folder, method_map, keywords=KEYWORDS, comment_tags=COMMENT_TAGS):
            if isinstance(message, str):
                catalog.add(message, locations=[(f"{folder}/{filename}", line)],
                            auto_comments=comments)
    data = load_site_data(srcdir)
    for words in data.call_words:
        catalog.add(words, auto_comments=["call words (source/_data/callwords.yaml)"])
    for key, text in data.footnotes.items():
        catalog.add(text, auto_comments=[f"standard footnote {key} (footnotes.yaml)"])
    for body in data.assemblies.values():
        if body.get("name"):
            catalog.add(body["name"], auto_comments=["assembly (assemblies.yaml)"])
    return catalog


def write_site_template(root: Path, srcdir: Path, pot: Path, title: str) -> None:
    """Write sphinx.pot beside the documents' templates."""
    pot.parent.mkdir(parents=True, exist_ok=True)
    with pot.open("wb") as out:
        write_po(out, site_catalog(root, srcdir, title), omit_header=False, no_location=True,
                 width=76)
