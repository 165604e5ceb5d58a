"""The domain is parallel-safe and incremental: the tests count what Sphinx does."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, run_build
from sphinx.application import Sphinx


class Build:
    """The corpus built in-process, recording which documents are read and written."""

    def __init__(self, tmp: Path, parallel: int) -> None:
        self.source = tmp / "source"
        if not self.source.exists():  # else a corpus as a build left it (``built``)
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
def test_parallel_and_serial_builds_link_alike(tmp_path, built):
    parallel, _read, _written = built
    serial = Build(tmp_path / "serial", 1)
    serial.run()
    assert serial.links() == parallel.links()


@pytest.mark.slow
def test_editing_one_resolution_rebuilds_only_what_depends_on_it(built):
    build, read, written = built
    assert "resolutions/85" in read and len(written) == len(read)
    page = build.source / "resolutions" / "85.md"

    def edit(old: str, new: str) -> tuple[list[str], list[str]]:
        page.write_text(page.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        return build.run()

    # a change of wording: the page itself (and, by Sphinx, its toctree parent, the home
    # page), and its comparison with the proposal that amends it
    assert edit("on voluntary contributions", "on voluntary contributions to the Union") == (
        ["compare/85-mod", "resolutions/85"], ["compare/85-mod", "index", "resolutions/85"])
    # a new citation: also the cited resolution's "cited by" and the citation index
    assert edit("to the Union;", "to the Union, and Resolution 74 (Rev. New Delhi, 2024) "
                "of this assembly;") == (
        ["compare/85-mod", "resolutions/85"],
        ["citations", "compare/85-mod", "index", "resolutions/74", "resolutions/85"])


@pytest.mark.slow
def test_a_new_document_appears_in_the_lists(built):
    build, _read, _written = built
    text = (build.source / "resolutions/74.md").read_text(encoding="utf-8")
    (build.source / "resolutions/75.md").write_text(
        text.replace("number: 74", "number: 75").replace(
            "1. Resolution 71 (Rev. Bucharest", "1. Resolution 85 (Hammamet, 2016) of this "
            "assembly and Resolution 71 (Rev. Bucharest"), encoding="utf-8")
    read, written = build.run()
    assert read == ["index", "resolutions/75"]  # the home page's toctree takes in the file
    assert written == ["citations", "index", "resolutions/44", "resolutions/75",
                       "resolutions/85"]


@pytest.mark.slow
def test_a_new_proposal_gives_its_resolution_a_comparison(built):
    build, _read, _written = built
    text = (build.source / "resolutions/74.md").read_text(encoding="utf-8")
    (build.source / "proposals/74-new.md").write_text(text.replace(
        "kind: resolution", "kind: proposal\nproposal: {action: MOD}").replace(
        "edition: New Delhi, 2024", 'edition: "{del}`New Delhi, 2024`{ins}`Geneva, 2028`"')
        .replace("1. Resolution 71", "1. {ins}`that a new item counts;`\n1. Resolution 71"),
        encoding="utf-8")
    read, written = build.run()
    assert read == ["compare/74-new", "index", "proposals/74-new"]
    assert "resolutions/74" in written and "compare/74-new" in written
    html = (build.out / "resolutions" / "74.html").read_text(encoding="utf-8")
    assert [a["href"] for a in BeautifulSoup(html, "html.parser").select(".itu-compare a")] == [
        "../compare/74-new.html"]


def test_a_deleted_document_is_no_longer_published(project, tmp_path):
    """Its page goes from the site, with the next build (a new process, incremental)."""
    from test_errors import GOOD

    for number, name in enumerate(("kept", "gone"), start=1):
        (project / f"{name}.md").write_text(GOOD.replace("number: 9", f"number: {number}"),
                                            encoding="utf-8")
    out = tmp_path / "out"
    for step in ("both", "one"):
        if step == "one":
            (project / "gone.md").unlink()
        result = run_build("html", "--lang", "en", "--no-pdf", "--source", str(project),
                           "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert (out / "site" / "en" / "kept.html").is_file()
    assert not (out / "site" / "en" / "gone.html").exists()
    assert not (out / ".work" / "html" / "en" / "gone.html").exists()
