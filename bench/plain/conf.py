"""The baseline: plain Sphinx + myst-parser on the plain-MyST corpus."""

project = "Baseline"
extensions = ["myst_parser"]
# the same MyST parser settings as the project: only the extension differs
myst_enable_extensions = ["colon_fence", "attrs_inline", "attrs_block"]
myst_disable_syntax = ["html_block", "html_inline"]
html_theme = "basic"
html_use_index = False


def setup(app):
    """As in the project's conf.py: no built-in search index, no general index."""
    app.connect("builder-inited", lambda app: setattr(app.builder, "search", False))
