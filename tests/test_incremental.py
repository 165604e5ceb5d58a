"""The domain is parallel-safe and incremental: the tests count what Sphinx does."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, as_first_built, run_build
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace


class Build:
    """The corpus built in-process, recording which documents are read and written."""

    def __init__(self, tmp: Path, parallel: int, source: Path = ROOT / "source") -> None:
        self.source = tmp / "source"
        if not self.source.exists():  # else a corpus as a build left it (``built``)
            shutil.copytree(source, self.source)
        self.out, self.parallel = tmp / "html", parallel

    def run(self, strict: bool = True) -> tuple[list[str], list[str]]:
        """Build; return the documents read and the documents whose page was written."""
        before = self.stamps()
        with docutils_namespace():  # the directives and roles of this application only
            app = Sphinx(str(self.source), str(ROOT), str(self.out),
                         str(self.out / ".doctrees"), "html", status=io.StringIO(),
                         warning=io.StringIO(), parallel=self.parallel, warningiserror=strict)
            read: list[str] = []
            app.connect("env-before-read-docs", lambda app, env, docs: read.extend(docs))
            app.build()
        assert app.statuscode == 0 or not strict
        after = self.stamps()
        written = [doc for doc in after if doc in app.env.found_docs
                   and after[doc] != before.get(doc)]
        return sorted(read), sorted(written)

    def pdf_sources(self) -> dict[str, bytes]:
        """Build the Typst sources of the PDFs from this build's doctrees, as the site's
        build does after the pages (not typeset); every file of them, by path."""
        typst = self.out.with_name("typst")
        with docutils_namespace():
            app = Sphinx(str(self.source), str(ROOT), str(typst), str(self.out / ".doctrees"),
                         "typst", status=io.StringIO(), warning=io.StringIO(),
                         confoverrides={"itu_pdf_typeset": False})
            app.build()
        return site_files(typst)

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
def test_an_edit_writes_the_typst_of_what_it_changed_only(built):
    """The PDFs' Typst is written again for the edited document and those that show its
    text (its comparison with a proposal), not for the whole corpus."""
    build, _read, _written = built
    build.pdf_sources()
    bodies = build.out.with_name("typst") / "body"
    before = {p: p.stat().st_mtime_ns for p in bodies.rglob("*.typ")}
    page = build.source / "resolutions" / "85.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "on voluntary contributions", "on voluntary gifts"), encoding="utf-8")
    build.run()
    build.pdf_sources()
    written = sorted(p.relative_to(bodies).with_suffix("").as_posix() for p in before
                     if p.stat().st_mtime_ns != before[p])
    assert len(before) > 10 and written == ["compare/85-mod", "resolutions/85"]


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
def test_a_page_citing_a_clause_follows_the_clause(tmp_path, built):
    """A clause that another page cites goes: the citing page, not read again, is
    written again as a clean build writes it (no link to the clause that is gone)."""
    build, _read, _written = built
    citing, cited = (build.source / "resolutions" / f"{n}.md" for n in (85, 74))
    citing.write_text(citing.read_text(encoding="utf-8").replace(
        "on voluntary contributions;", "on voluntary contributions (see {res}`74 "
        "considering a`);"), encoding="utf-8")
    build.run(strict=False)
    assert 'href="74.html#considering-a"' in (build.out / "resolutions" / "85.html").read_text(
        encoding="utf-8")
    cited.write_text(cited.read_text(encoding="utf-8").replace(
        ":::{part} considering", ":::{part} noting"), encoding="utf-8")
    read, written = build.run(strict=False)
    assert "resolutions/85" not in read and "resolutions/85" in written
    clean = Build(tmp_path / "clean", 1, source=build.source)
    clean.run(strict=False)
    page = Path("resolutions", "85.html")
    assert (build.out / page).read_bytes() == (clean.out / page).read_bytes()


@pytest.mark.slow
def test_a_proposal_with_no_text_comes_and_goes_in_its_resolutions_comparisons(built):
    """Resolution 85 names a new proposal that has no text to compare (no side-by-side
    page reaches 85: it has one proposal), and forgets it when it goes."""
    build, _read, _written = built
    proposal = build.source / "proposals" / "85-sup.md"
    proposal.write_text('---\nkind: proposal\nnumber: 85\nassembly: WTSA\nedition: '
                        '"{del}`Hammamet, 2016`{ins}`New Delhi, 2024`"\nproposal:\n  '
                        'action: SUP\n  source: ASP\n---\n\n# Suppression\n', "utf-8")
    for comes in (True, False):
        _read, written = build.run(strict=False)
        page = (build.out / "resolutions" / "85.html").read_text(encoding="utf-8")
        assert "resolutions/85" in written and ("85-sup.html" in page) == comes
        proposal.unlink(missing_ok=True)


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
    # 74 and 85 show 75 as their next and previous page; the translation status lists it
    assert written == ["citations", "index", "resolutions/44", "resolutions/74",
                       "resolutions/75", "resolutions/85", "translations"]


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


def commit(project: Path, day: str) -> None:
    """Commit the content tree as it is, on that day (a repository of its own)."""
    import subprocess

    if not (project / ".git").exists():
        subprocess.run(["git", "init", "-q", str(project)], check=True)
    at = f"{day}T12:00:00+00:00"
    for args in (["add", "-A"], ["commit", "-q", "-m", f"on {day}"]):
        subprocess.run(["git", "-C", str(project), "-c", "user.name=ed", "-c",
                        "user.email=ed@example.org", *args], check=True,
                       env={**os.environ, "GIT_AUTHOR_DATE": at, "GIT_COMMITTER_DATE": at})


def facts(project: Path, out: Path, docname: str, lang: str = "en") -> dict[str, str]:
    """Build one language of the tree (incrementally, into ``out``); a page's facts."""
    result = run_build("html", "--lang", lang, "--no-pdf", "--source", str(project),
                       "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    page = BeautifulSoup((out / "site" / lang / f"{docname}.html").read_text("utf-8"),
                         "html.parser")
    return {dt.get_text(): dt.find_next_sibling("dd").get_text()
            for dt in page.select(".itu-facts dt")}


def test_a_page_says_when_its_source_last_changed_and_a_commit_alone_updates_it(
        project, tmp_path):
    """The day of the last commit of its source (none while it has uncommitted
    changes); committing the edit, which no file's content shows, changes the page in
    an incremental build as in a clean one."""
    from test_errors import GOOD

    (project / "one.md").write_text(GOOD, encoding="utf-8")
    commit(project, "2024-10-24")
    (project / "two.md").write_text(GOOD.replace("number: 9", "number: 8"), encoding="utf-8")
    commit(project, "2026-03-02")
    out = tmp_path / "out"
    assert facts(project, out, "one").get("Last changed") == "24 October 2024"
    assert facts(project, out, "two").get("Last changed") == "2 March 2026"
    (project / "one.md").write_text(GOOD.replace("that one;", "that one again;"),
                                    encoding="utf-8")
    assert "Last changed" not in facts(project, out, "one")  # not true of what it shows
    commit(project, "2026-12-01")
    assert facts(project, out, "one").get("Last changed") == "1 December 2026"
    assert facts(project, tmp_path / "clean", "one").get("Last changed") == "1 December 2026"
    assert site_files(out / "site") == site_files(tmp_path / "clean" / "site")


def test_a_language_whose_dates_babel_does_not_know_writes_them_as_iso(project, tmp_path):
    """A language the content adds (locales/xx) that Babel has no calendar for: its
    pages still say the day, in ISO 8601, rather than the build failing."""
    from test_errors import GOOD

    (project / "one.md").write_text(GOOD, encoding="utf-8")
    (project / "locales" / "xx" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(project / "_data" / "citations" / "en.yaml",
                project / "_data" / "citations" / "xx.yaml")
    commit(project, "2024-10-24")
    assert facts(project, tmp_path / "out", "one", "xx").get("Last changed") == "2024-10-24"


@pytest.mark.slow
def test_a_page_of_the_navigation_that_goes_leaves_no_page_linking_it(built):
    """Every page links the Foreword: when it goes, every page is written again without
    the link, as a clean build writes them (the published site has no broken link)."""
    build, _read, _written = built
    (build.source / "foreword.md").unlink()
    index = (build.source / "index.md").read_text(encoding="utf-8")
    (build.source / "index.md").write_text(index.replace("\nforeword\n", "\n"), "utf-8")
    build.run(strict=False)
    linking = [page for page, links in build.links().items()
               if any(href.endswith("foreword.html") for _text, href in links)]
    assert not (build.out / "foreword.html").exists() and linking == []


def _replace(path: str, old: str, new: str):
    def edit(source: Path) -> None:
        file = source / path
        if file.exists():
            file.write_text(file.read_text(encoding="utf-8").replace(old, new, 1), "utf-8")
    edit.__name__ = f"{path}: {old[:30]!r} -> {new[:30]!r}"
    return edit


def _new_resolution(source: Path) -> None:
    text = (source / "resolutions" / "74.md").read_text(encoding="utf-8")
    (source / "resolutions" / "75.md").write_text(text.replace("number: 74", "number: 75")
                                                  .replace("1. Resolution 71", "1. Resolution "
                                                           "85 (Hammamet, 2016) and Resolution "
                                                           "71"), encoding="utf-8")


def _delete(path: str):
    def edit(source: Path) -> None:
        (source / path).unlink(missing_ok=True)
    edit.__name__ = f"delete {path}"
    return edit


# a resolution that is cited, amended by proposals and compared side by side
DELETE_44 = _delete("resolutions/44.md")
# edits an editor makes: wording, citations, titles, documents added and deleted,
# data files (a call word, a registry address, an assembly's name)
EDITS = [
    _replace("resolutions/85.md", "on voluntary contributions", "on voluntary gifts"),
    _replace("resolutions/85.md", "pertaining to the finances of the Union;",
             "pertaining to the finances of the Union, and Resolution 74 (Rev. New Delhi, "
             "2024) of this assembly;"),
    _replace("resolutions/74.md", "# Enhancing participation", "# Widening participation"),
    _replace("resolutions/44.md", "Resolution 74", "Resolution 75"),
    _new_resolution,
    _delete("resolutions/74.md"),
    DELETE_44,
    _delete("proposals/44-rcc.md"),
    _replace("_data/callwords.yaml", "  - recalling\n", "  - recalling\n  - recalling also\n"),
    _replace("_data/registry.yaml", "RES-{number3}-{letter}.pdf", "RES-{number3}.pdf"),
    _replace("_data/assemblies.yaml", "name: World Telecommunication Standardization Assembly",
             "name: World Telecommunication Standardization Assembly (WTSA)"),
    _replace("_data/footnotes.yaml", "developing", "developing"),  # touched, not changed
]


def site_files(out: Path) -> dict[str, bytes]:
    """Every published file of a build, by path (Sphinx's bookkeeping aside)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".doctrees" not in p.parts and p.name != ".buildinfo"}


@pytest.mark.slow
@settings(max_examples=1, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.sampled_from(EDITS), min_size=3, max_size=3))
# found by this test: a new document changes its neighbours' previous/next links and
# the translation status page
@example(edits=[_new_resolution])
# found in review: pages citing, amending or comparing a deleted resolution kept their links
@example(edits=[DELETE_44])
def test_any_edits_then_an_incremental_build_equal_a_clean_build(first_build, tmp_path_factory,
                                                                edits):
    """Each edit, then an incremental build (after the corpus's first build), gives the
    clean build's site, and the Typst of its PDFs, byte for byte (no shrinking: each
    example takes a minute, and the failure names the edits)."""
    tmp = tmp_path_factory.mktemp("edits")
    incremental = Build(as_first_built(first_build), 1)
    assert len(incremental.pdf_sources()) > 20  # the Typst of the first build's PDFs
    for step, edit in enumerate(edits):
        edit(incremental.source)
        incremental.run(strict=False)
        clean = Build(tmp / f"clean{step}", 1, source=incremental.source)
        clean.run(strict=False)
        for got, wanted in ((site_files(incremental.out), site_files(clean.out)),
                            (incremental.pdf_sources(), clean.pdf_sources())):
            assert sorted(got) == sorted(wanted), [e.__name__ for e in edits[:step + 1]]
            differ = [name for name in wanted if got[name] != wanted[name]]
            assert not differ, ([e.__name__ for e in edits[:step + 1]], differ)


def test_nothing_of_a_build_listens_after_it(project, tmp_path):
    """What the extension adds to Sphinx's logger for a build goes with that build:
    nothing of an application's listens once it has built."""
    import logging

    from sphinx.util.logging import NAMESPACE

    (project / "index.md").write_text("# Test\n", encoding="utf-8")
    for run in range(2):
        with docutils_namespace():
            app = Sphinx(str(project), str(ROOT), str(tmp_path / f"out{run}"),
                         str(tmp_path / f"out{run}" / ".doctrees"), "html",
                         status=io.StringIO(), warning=io.StringIO())
            app.build()
        assert app.statuscode == 0
        assert [h for h in logging.getLogger(NAMESPACE).handlers
                if type(h).__module__.startswith("itu.")] == []


@pytest.mark.slow
def test_an_application_that_builds_again_knows_what_it_read_again(tmp_path):
    """The preview server keeps one Sphinx application: its next build shows the new
    citation in the cited resolution's "cited by", not what the first build knew."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "source", source)
    out = tmp_path / "html"
    page = source / "resolutions" / "74.md"

    def cited_by() -> list[str]:
        html = (out / "resolutions" / "85.html").read_text(encoding="utf-8")
        return [a["href"] for a in BeautifulSoup(html, "html.parser").select(
            ".itu-cited-by a")]

    with docutils_namespace():
        app = Sphinx(str(source), str(ROOT), str(out), str(out / ".doctrees"), "html",
                     status=io.StringIO(), warning=io.StringIO(), warningiserror=True)
        app.build()
        assert app.statuscode == 0 and cited_by() == ["../proposals/85-mod.html"]
        page.write_text(page.read_text(encoding="utf-8").replace(
            "1. Resolution 71 (Rev. Bucharest", "1. Resolution 85 (Hammamet, 2016) of this "
            "assembly and Resolution 71 (Rev. Bucharest"), encoding="utf-8")
        app.build()
    assert app.statuscode == 0
    assert cited_by() == ["../proposals/85-mod.html", "74.html#recalling-a"]


def test_an_earlier_edition_that_comes_is_linked_from_the_later_ones_history(project,
                                                                             tmp_path):
    """The history line links an edition to its page once the site has it (before: to
    where the ITU publishes it): adding it rewrites the later edition's page, as a clean
    build writes it."""
    from test_errors import GOOD

    (project / "new.md").write_text(GOOD.replace(
        "history: [Geneva, 2022]", "history: [Dubai, 2012, Geneva, 2022]"), encoding="utf-8")
    out = tmp_path / "out"
    for step in ("later edition only", "earlier edition added"):
        if step == "earlier edition added":
            (project / "old.md").write_text(GOOD.replace("Geneva, 2022", "Dubai, 2012"),
                                            encoding="utf-8")
        result = run_build("html", "--lang", "en", "--no-pdf", "--source", str(project),
                           "--out", str(out))
        assert result.returncode == 0, result.stderr
        history = BeautifulSoup((out / "site/en/new.html").read_text("utf-8"),
                                "html.parser").select_one(".itu-history a")
        assert history["href"] == ("old.html" if step == "earlier edition added" else
                                   "https://www.itu.int/pub/T-RES-T.9-2012"), step
    result = run_build("html", "--lang", "en", "--no-pdf", "--source", str(project),
                       "--out", str(tmp_path / "clean"))
    assert result.returncode == 0, result.stderr
    assert site_files(out / "site") == site_files(tmp_path / "clean" / "site")


def test_what_a_build_said_of_a_document_the_next_build_says_again(project, tmp_path,
                                                                    monkeypatch):
    """An incremental build says what a clean one says: a document that had a warning
    or an error is read again until it has none, so an unchanged mistake is still told
    (and an error still fails the build), a mended one no longer. The first build reads
    in parallel, so the messages come from the reading processes."""
    from test_errors import GOOD

    monkeypatch.setenv("ITU_JOBS", "2")
    for number in range(1, 7):
        (project / f"r{number}.md").write_text(GOOD.replace("number: 9", f"number: {number}"),
                                               encoding="utf-8")
    warned = project / "warned.md"
    warned.write_text(GOOD.replace(":::{part} considering", ":::{part} pondering").replace(
        "1. that one;", "1. that one [x](#nowhere);"), "utf-8")
    said = [f"{warned}:10: WARNING: unknown call words 'pondering'",  # said reading it
            f"{warned}:11: WARNING: 'myst' cross-reference target not found"]  # writing it

    def build() -> tuple[int, str]:
        result = run_build("html", "--lang", "en", "--no-pdf", "--source", str(project),
                           "--out", str(tmp_path / "out"))
        return result.returncode, result.stdout + result.stderr

    for _ in range(2):
        code, output = build()
        assert code == 0 and all(message in output for message in said), output
    warned.write_text(GOOD.replace("number: 9", "number: 7"), encoding="utf-8")
    for _ in range(2):
        code, output = build()
        assert code == 0 and "WARNING" not in output, output
    broken = project / "broken.md"
    broken.write_text(GOOD.replace("number: 9", "number: 8").replace(
        "1. that one;", "1. that one[^nope];"), encoding="utf-8")
    for _ in range(2):
        code, output = build()
        assert code == 1 and f"{broken}:11: ERROR: the footnote [^nope] has no text" in output


def test_the_dates_follow_a_rewritten_history(project, tmp_path):
    """A build keeps the commit times it read and reads only newer commits after; a
    history rewritten under it (an amended commit, a forced push) is read again whole."""
    from test_errors import GOOD

    (project / "one.md").write_text(GOOD, encoding="utf-8")
    commit(project, "2024-10-24")
    out = tmp_path / "out"
    assert facts(project, out, "one").get("Last changed") == "24 October 2024"
    (project / "two.md").write_text(GOOD.replace("number: 9", "number: 8"), encoding="utf-8")
    commit(project, "2025-01-15")  # a newer commit: read alone
    assert facts(project, out, "two").get("Last changed") == "15 January 2025"
    import json
    import subprocess

    head = subprocess.run(["git", "-C", str(project), "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    kept = json.loads(next(out.rglob("itu-commit-times.json")).read_text(encoding="utf-8"))
    assert kept["head"] == head and set(kept["times"]) >= {"one.md", "two.md"}

    # the whole history made again, one.md older
    subprocess.run(["git", "-C", str(project), "checkout", "-q", "--orphan", "again"],
                   check=True)
    commit(project, "2023-05-05")
    assert facts(project, out, "one").get("Last changed") == "5 May 2023"
    assert facts(project, tmp_path / "clean", "one").get("Last changed") == "5 May 2023"
