"""One Sphinx configuration for every builder and language of the site."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT / "ext"))

project = "ITU-T Resolutions"
author = "ITU Telecommunication Standardization Sector"
copyright = "ITU"

extensions = ["myst_parser", "itu", "notfound.extension"]
root_doc = "index"
language = "en"
exclude_patterns = ["_data", "locales"]

# Content is data: the MyST features of the content policy (ext/itu/policy.py), no more.
from itu.policy import MYST_DISABLED, MYST_EXTENSIONS  # noqa: E402

myst_enable_extensions = MYST_EXTENSIONS
myst_disable_syntax = MYST_DISABLED
myst_footnote_transition = False
myst_heading_anchors = 0
suppress_warnings = ["myst.header"]

# Six languages: English is the source; catalogs are source/locales/<lang>/LC_MESSAGES,
# one per document plus sphinx.po for the site's own words (`python build.py i18n`).
locale_dirs = ["locales/"]
gettext_compact = False
gettext_location = False  # catalogs do not change when only line numbers do
gettext_allow_fuzzy_translations = True  # shown, marked as outdated (ext/itu/i18n.py)

html_theme = "itu"  # the extension's own theme (ext/itu/html/theme/itu), which it registers
html_title = "ITU-T Resolutions"
html_copy_source = False
html_show_sourcelink = False
html_use_index = False
# Where the site is published (GitHub Pages: the workflow sets it): the 404 page, served
# at any missing address, links absolutely below it. Unset: the site is at a domain's root.
itu_site_url = os.environ.get("ITU_SITE_URL", "")
notfound_template = "404.html"  # the theme's; its links are made absolute (ext/itu/html)


def setup(app):
    """Search is Pagefind's job (it handles all six languages); skip Sphinx's own index."""
    app.connect("builder-inited", lambda app: setattr(app.builder, "search", False))
