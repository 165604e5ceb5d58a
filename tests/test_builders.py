"""Every Sphinx builder reads the corpus: the project's nodes have a fallback for the
builders without visitors of their own (text, LaTeX, man, Texinfo)."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT
from forked import run_python

# builder: (a file it writes, a sentence of Resolution 74 it must hold)
BUILDERS = {
    "text": ("resolutions/74.txt", "RESOLUTION 74"),
    "latex": ("itu-tresolutions.tex", "Enhancing participation of Sector Members"),
    "gettext": ("resolutions/74.pot", "Enhancing participation of Sector Members"),
    "dirhtml": ("resolutions/74/index.html", "Enhancing participation of Sector Members"),
    "singlehtml": ("index.html", "Enhancing participation of Sector Members"),
}


@pytest.mark.slow
@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_every_builder_reads_the_corpus(site, tmp_path, builder):
    # A copy of source/ as the site's build (``site``) left it, with the comparison pages
    # its HTML builder writes into compare/: so every builder reads them, and gettext,
    # which has none and removes them, does so in the copy, not while other tests read
    # and build source/.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "source", source)
    out = tmp_path / "out"
    result = run_python("-m", "sphinx", "-b", builder, "-q", "-c", str(ROOT), str(source),
                        str(out))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    written, sentence = BUILDERS[builder]
    assert sentence in " ".join((out / written).read_text(encoding="utf-8").split())
