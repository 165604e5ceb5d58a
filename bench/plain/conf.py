"""The baseline: plain Sphinx + myst-parser on the plain-MyST corpus."""

project = "Baseline"
extensions = ["myst_parser"]
myst_enable_extensions = ["colon_fence"]
html_theme = "basic"
html_use_index = False


def setup(app):
    """As in the project's conf.py: no built-in search index, no general index."""
    app.connect("builder-inited", lambda app: setattr(app.builder, "search", False))
