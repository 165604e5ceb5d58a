"""The domain is parallel-safe and incremental: the tests count what Sphinx does."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from sphinx.application import Sphinx


class Build:
    """The corpus built in-process, recording which documents are read and written."""

    def __init__(self, tmp: Path, parallel: int) -> None:
        self.source = tmp / "source"
        shutil.copytree(ROOT / "source", self.source)
        self.out, self.parallel = tmp / "html", parallel

    def run(self) -> tuple[list[str], list[str]]:
        """Build; return the documents read and the documents whose page was written."""
        before = self.stamps()
        app = Sphinx(str(self.source), str(ROOT), str(self.out), str(self.out / ".doctrees"),
                     "html", status=io.StringIO(), warning=io.StringIO(),
                     parallel=self.parallel, warningiserror=True)
        read: list[str] = []
        app.connect("env-before-read-docs", lambda app, env, docs: read.extend(docs))
        app.build()
        after = self.stamps()
        written = [doc for doc in after if doc in app.env.found_docs
                   and after[doc] != before.get(doc)]
        return sorted(read), sorted(written)

    def stamps(self) -> dict[str, int]:
        return {p.relative_to(self.out).with_suffix("").as_posix(): p.stat().st_mtime_ns
                for p in self.out.rglob("*.html")}

    def links(self) -> dict[str, list[tuple[str, str]]]:
        result = {}
        for page in sorted(self.out.rglob("*.html")):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            result[page.relative_to(self.out).as_posix()] = [
                (a.get_text(), a.get("href", "")) for a in soup.select("a")]
        return result


@pytest.mark.slow
def test_parallel_and_serial_builds_link_alike(tmp_path):
    serial, parallel = Build(tmp_path / "serial", 1), Build(tmp_path / "parallel", 2)
    serial.run()
    parallel.run()
    assert serial.links() == parallel.links()


@pytest.mark.slow
def test_editing_one_resolution_rebuilds_only_what_depends_on_it(tmp_path):
    build = Build(tmp_path, 2)
    read, written = build.run()
    assert "resolutions/85" in read and len(written) == len(read)
    page = build.source / "resolutions" / "85.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "on voluntary contributions", "on voluntary contributions to the Union"),
        encoding="utf-8")
    read, written = build.run()
    assert read == ["resolutions/85"]
    # the page itself, the resolutions it cites (their "cited by"), the home page
    # (its list of documents) and the citation index
    assert written == ["citations", "index", "resolutions/44", "resolutions/85"]
