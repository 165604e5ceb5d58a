"""The PDFs: the doctree as Typst markup, typeset in-process by the ``typst`` package.

- ``markup``: text escaped for Typst, string literals, labels, and which documents
  have a PDF and where it is (Sphinx-free; the HTML pages link with it too)
- ``translator``: ``TypstTranslator``, one document as calls of the template
- ``builder``: ``TypstBuilder`` (``-b typst``), ``compiler_for`` and ``typeset``
- ``fonts``: the fonts and direction of a language, from ``source/_data/fonts.yaml``
- ``itu.typ``: the Typst template, package data: how the PDFs look

Importing the package loads none of them (nor Sphinx, nor the compiler).
"""
