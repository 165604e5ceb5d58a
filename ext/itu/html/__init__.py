"""The HTML pages: the ITU nodes' visitors, the page hooks and the site's theme.

- ``visitors``: the HTML of every ITU node (``VISITORS``), ``skip`` and
  ``pass_through`` for the other builders
- ``pages``: the ``html-page-context`` and ``build-finished`` hooks
- ``theme/itu/``: the theme (``layout.html``, ``static/``, ``theme.toml``, on
  Sphinx's basic theme), package data, registered by the extension's ``setup``

Importing the package loads none of them (nor Sphinx): the command line reads
the theme's Content-Security-Policy from ``THEME`` without building anything.
"""

from pathlib import Path

THEME = Path(__file__).resolve().parent / "theme" / "itu"  # the "itu" theme's folder
