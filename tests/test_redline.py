"""`build.py diff`: the redline between two commits of a real git repository."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, built_page, run_build, shared
from fidelity import page_words
from itu import review
from itu.redline import word_diff
from test_resolution import text

HEAD_MATTER = """---
kind: resolution
number: {number}
edition: {edition}
history: [{history}]
---
"""

ONE_BASE = HEAD_MATTER.format(number=1, edition="Geneva, 2022",
                              history='"Dubai, 2012", "Geneva, 2022"') + """
# Promoting standards[^t]

:::{part} considering
1. that standards matter to every country;
1. that the gap between countries remains wide;
1. that training helps members take part,
:::

:::{part} resolves
1. to promote the use of ITU‑T Recommendations[^a];
1. to act.
:::

[^a]: As approved by the study groups.

[^t]: A note on the title.
"""

ONE_HEAD = HEAD_MATTER.format(number=1, edition="New Delhi, 2024",
                              history='"Dubai, 2012", "Geneva, 2022", "New Delhi, 2024"') + """
# Promoting open standards[^t]

:::{part} considering
1. that standards matter to every country;
1. that regional workshops reach new experts every year;
1. that the gap between countries remains wide;
1. that training helps members take part,
:::

:::{part} resolves
1. to promoting the use of ITU‑T Recommendations[^a];
1. to act. To act again.
:::

[^a]: As approved by the relevant study groups.

[^t]: A note on the title.
"""

TWO_BASE = HEAD_MATTER.format(number=2, edition="Geneva, 2022", history='"Geneva, 2022"') + """
# Sharing resources

:::{part} recalling
1. the first instrument on the sharing of resources among members;
1. the second instrument on regional cooperation;
1. the third instrument on capacity building,
:::

:::{part} resolves
1. to share {del}`some`{ins}`all` resources;
1. to report every year to the Council;
1. to review this resolution.
:::

:::{part} instructs the Director
to report on this resolution.
:::
"""

TWO_HEAD = TWO_BASE.replace(
    "to report on this resolution.\n", "1. to report on this resolution every year;\n"
    "1. to consult the membership.\n").replace(
    "1. the first instrument on the sharing of resources among members;\n", "").replace(
    "1. the third instrument on capacity building,\n",
    "1. the third instrument on capacity building;\n"
    "1. the first instrument on the sharing of resources among members,\n").replace(
    "1. to report every year to the Council;\n", "")

THREE = HEAD_MATTER.format(number=3, edition="New Delhi, 2024", history='"New Delhi, 2024"') + """
# A new resolution

:::{part} resolves
1. to begin.
:::
"""

SIX_BASE = HEAD_MATTER.format(number=6, edition="Geneva, 2022", history='"Geneva, 2022"') + """
# Figures

:::{part} resolves
1. to publish the figures below.
:::

| region | members |
| --- | --- |
| Africa | 44 |
"""

SIX_HEAD = SIX_BASE.replace("| Africa | 44 |", "| Africa | 45 |")

FOUR = THREE.replace("number: 3", "number: 4").replace("A new resolution", "An old resolution")
FIVE = THREE.replace("number: 3", "number: 5").replace("A new resolution", "Unchanged")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c",
                           "user.email=test@example.org", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


def project_repo(path: Path, documents: dict[str, str]) -> Path:
    """A git repository holding the project's trusted code and these documents."""
    for name in ("conf.py", "ext"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, path / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                           if (ROOT / name).is_dir() else {}))
    shutil.copytree(ROOT / "source" / "_data", path / "source" / "_data")
    (path / "source" / "index.md").write_text(
        "# Test\n\n```{toctree}\n:glob:\n\n*/*\n```\n", encoding="utf-8")
    write(path, documents)
    git(path, "init", "-q", "-b", "main")
    return path


def write(repo: Path, documents: dict[str, str | None]) -> str:
    """Write (None: delete) documents and commit them; the commit."""
    for name, content in documents.items():
        target = repo / "source" / name
        if content is None:
            target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
    if (repo / ".git").exists():
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "change")
        return git(repo, "rev-parse", "HEAD")
    return ""


@pytest.fixture(scope="session")
def redline(tmp_path_factory) -> Path:
    """Two commits: base and head; the redline built between them."""
    def build(folder: Path) -> None:
        (folder / "repo").mkdir()
        repo = project_repo(folder / "repo", {})
        base = write(repo, {"resolutions/1.md": ONE_BASE, "resolutions/2.md": TWO_BASE,
                            "resolutions/4.md": FOUR, "resolutions/5.md": FIVE,
                            "resolutions/6.md": SIX_BASE})
        write(repo, {"resolutions/1.md": ONE_HEAD, "resolutions/2.md": TWO_HEAD,
                     "resolutions/3.md": THREE, "resolutions/4.md": None,
                     "resolutions/6.md": SIX_HEAD})
        result = run_build("diff", "--repo", str(repo), "--base", base, "--out",
                           str(folder / "out"))
        assert result.returncode == 0, result.stdout + result.stderr

    return shared(tmp_path_factory, "redline", build) / "out" / "diff"


def load(redline: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((redline / page).read_text(encoding="utf-8"), "html.parser")


def marks(node) -> list[tuple[str, str]]:
    """The computed marks in a node: ("ins"|"del", text)."""
    return [(m.name, text(m)) for m in node.select("ins.itu-computed, del.itu-computed")]


def labels(doc, part: str) -> list[tuple[str, str]]:
    return [(i["id"], text(i.select_one(".itu-label")))
            for i in doc.select(f"#{part} > .itu-items > .itu-item")]


def test_a_changed_word_is_one_word_changed(redline):
    item = load(redline, "resolutions/1.html").select_one("#resolves-1")
    assert marks(item) == [("del", "promote"), ("ins", "promoting")]


def test_an_inserted_sentence(redline):
    item = load(redline, "resolutions/1.html").select_one("#resolves-2")
    assert marks(item) == [("ins", "To act again.")]


def test_an_item_inserted_in_the_middle_relabels_its_followers(redline):
    doc = load(redline, "resolutions/1.html")
    assert labels(doc, "considering") == [
        ("considering-a", "a)"), ("considering-b", "b)"), ("considering-c", "bc)"),
        ("considering-d", "cd)")]
    inserted = doc.select("#considering .itu-item.itu-inserted")
    assert [i["id"] for i in inserted] == ["considering-b"]
    assert "itu-computed" in inserted[0]["class"]
    assert marks(inserted[0]) == [
        ("ins", "that regional workshops reach new experts every year;")]
    assert not marks(doc.select_one("#considering-c .itu-body"))
    assert [(m.name, text(m)) for m in doc.select("#considering-c .itu-label > *")] == [
        ("del", "b"), ("ins", "c")]


def test_footnote_title_and_edition_changes(redline):
    doc = load(redline, "resolutions/1.html")
    notes = [n for n in doc.select("aside.footnote") if "As approved" in text(n)]
    assert len(notes) == 1 and marks(notes[0]) == [("ins", "relevant")]
    assert marks(doc.select_one("h1")) == [("ins", "open")]
    assert text(doc.select_one(".itu-designation")) == (
        "RESOLUTION 1 (Rev. Geneva, 2022New Delhi, 2024)")
    assert marks(doc.select_one(".itu-designation")) == [
        ("del", "Geneva, 2022"), ("ins", "New Delhi, 2024")]
    assert marks(doc.select_one(".itu-history")) == [("ins", "; New Delhi, 2024")]


def test_a_deleted_item_and_a_moved_item(redline):
    doc = load(redline, "resolutions/2.html")
    deleted = doc.select("#resolves .itu-item.itu-deleted")
    assert len(deleted) == 1 and marks(deleted[0]) == [
        ("del", "to report every year to the Council;")]
    assert labels(doc, "resolves") == [("resolves-1", "1"), ("resolves-2-deleted", "2"),
                                       ("resolves-2", "32")]
    moved = doc.select("#recalling .itu-item.itu-moved")
    assert [(i["id"], text(i.select_one(".itu-move-note"))) for i in moved] == [
        ("recalling-a-deleted", "Moved from here"), ("recalling-c", "Moved here")]
    assert text(moved[0].select_one(".itu-body")) == (
        "the first instrument on the sharing of resources among members;")
    # where it went, the edit made on the way is marked, not the whole text
    assert marks(moved[1]) == [("del", ";"), ("ins", ",")]
    assert "itu-inserted" in moved[1]["class"]
    # the others are not churned: only their labels and the punctuation changed
    assert marks(doc.select_one("#recalling-b")) == [("del", ","), ("ins", ";")]


def test_authored_marks_are_kept_apart_from_computed_ones(redline):
    item = load(redline, "resolutions/2.html").select_one("#resolves-1")
    authored = [(m.name, text(m), "itu-computed" in m["class"]) for m in item.select("ins, del")]
    assert authored == [("del", "some", False), ("ins", "all", False)]
    legend = load(redline, "resolutions/2.html").select_one(".itu-legend")
    assert legend.select_one("ins.itu-computed") and legend.select_one("ins:not(.itu-computed)")


def test_new_and_deleted_documents(redline):
    added = load(redline, "resolutions/3.html").select_one("#resolves")
    assert {"itu-inserted", "itu-computed"} <= set(added["class"])
    deleted = load(redline, "resolutions/4.html").select_one("#resolves")
    assert {"itu-deleted", "itu-computed"} <= set(deleted["class"])
    assert not (redline / "resolutions" / "5.html").exists(), "unchanged: not built"


def test_summary(redline):
    summary = json.loads((redline / "summary.json").read_text(encoding="utf-8"))
    documents = {d["path"]: d for d in summary["documents"]}
    assert {p: d["status"] for p, d in documents.items()} == {
        "source/resolutions/1.md": "modified", "source/resolutions/2.md": "modified",
        "source/resolutions/3.md": "added", "source/resolutions/4.md": "deleted",
        "source/resolutions/6.md": "modified"}
    one = documents["source/resolutions/1.md"]
    assert {c["clause"]: (c["inserted"], c["deleted"]) for c in one["clauses"]} == {
        "title": (1, 0), "considering b)": (8, 0), "resolves 1": (1, 1),
        "resolves 2": (3, 0), "footnote [^a]": (1, 0)}
    assert (one["inserted"], one["deleted"]) == (14, 1)
    assert one["metadata"] == ["edition", "history"]
    assert documents["source/resolutions/3.md"]["inserted"] == 5  # title 3, item 2
    # the moved item of resolution 2 counts its one edited word, not its ten words twice
    assert (summary["inserted"], summary["deleted"]) == (29, 17)
    comment = (redline / "summary.md").read_text(encoding="utf-8")
    assert "5 documents changed: 29 words inserted, 17 deleted." in comment
    # each clause with its counts
    assert "| resolutions/1\\.md: Promoting open standards | modified | 14 | 1 | title (+1), " \
        "considering b\\) (+8), resolves 1 (+1 −1), resolves 2 (+3)" in comment
    assert {"clause": "recalling b)", "anchor": "recalling-b", "inserted": 0,
            "deleted": 0} in documents[
        "source/resolutions/2.md"]["clauses"]
    assert {c["clause"]: c["anchor"] for c in one["clauses"]} == {
        "title": "", "considering b)": "considering-b", "resolves 1": "resolves-1",
        "resolves 2": "resolves-2", "footnote [^a]": ""}
    index = load(redline, "index.html")
    assert [a["href"] for a in index.select("table a")] == [
        "resolutions/1.html", "resolutions/2.html", "resolutions/3.html", "resolutions/4.html",
        "resolutions/6.html"]


def test_a_bad_revision_is_a_message(tmp_path):
    (tmp_path / "repo").mkdir()
    repo = project_repo(tmp_path / "repo", {"resolutions/5.md": FIVE})
    write(repo, {})
    result = run_build("diff", "--repo", str(repo), "--base", "nope", "--out",
                       str(tmp_path / "out"))
    assert result.returncode == 1
    assert "cannot take the code of 'nope'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "diff").exists()


def test_the_base_code_is_taken_with_or_without_the_old_templates_folder(tmp_path):
    """A base from before the theme moved into ext/ still has templates/, and gets it;
    a newer base has none, and git archive is not asked for it."""
    from itu import cli

    repo = tmp_path / "repo"
    for path in ("conf.py", "ext/itu/review.py", "templates/itu/layout.html", "source/a.md"):
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text("# old\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "old layout")
    old = git(repo, "rev-parse", "HEAD")
    git(repo, "rm", "-q", "-r", "templates")
    git(repo, "commit", "-q", "-m", "theme in ext/")
    before = cli.trusted_code(repo, old, tmp_path / "trusted")
    assert (before / "templates" / "itu" / "layout.html").is_file()
    assert not (before / "source").exists(), "only the code, never the content"
    after = cli.trusted_code(repo, "main", tmp_path / "trusted")
    assert (after / "ext" / "itu" / "review.py").is_file() and (after / "conf.py").is_file()
    assert not (after / "templates").exists()


HOSTILE = HEAD_MATTER.format(number=9, edition="Geneva, 2022", history='"Geneva, 2022"') + """
# Hostile content

:::{part} resolves
1. to run <script>alert("inline")</script> nothing;
1. to stay text.
:::

<script>alert("block")</script>

```{include} SECRET
```

```{eval-rst}
.. raw:: html

   <script>alert("rst")</script>

.. include:: SECRET
```
"""

PLANT = 'open(r"MARKER", "w").write("ran")\n'


@pytest.mark.slow
def test_the_head_revision_is_data(tmp_path):
    """A change that brings code (conf.py, ext/, the theme) and hostile content: nothing
    of the head runs, the content policy refuses raw HTML and inclusion with file:line
    and code; a harmless change is then built by the base's code."""
    marker, secret = tmp_path / "marker", tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TEXT", encoding="utf-8")
    (tmp_path / "repo").mkdir()
    repo = project_repo(tmp_path / "repo", {"resolutions/5.md": FIVE})
    base = write(repo, {})
    plant = PLANT.replace("MARKER", str(marker))
    for path in ("conf.py", "ext/itu/__init__.py", "ext/itu/redline/__init__.py"):
        target = repo / path
        target.write_text(plant + target.read_text(encoding="utf-8"), encoding="utf-8")
    (repo / "source" / "conf.py").write_text(plant, encoding="utf-8")
    layout = repo / "ext" / "itu" / "html" / "theme" / "itu" / "layout.html"
    layout.write_text(layout.read_text(encoding="utf-8").replace(
        "<body>", "<body><p>HEAD-TEMPLATE</p>"), encoding="utf-8")
    hostile = write(repo, {"resolutions/9.md": HOSTILE.replace("SECRET", str(secret))})
    result = run_build("diff", "--repo", str(repo), "--base", base, "--head", hostile,
                       "--out", str(tmp_path / "out"))
    assert not marker.exists(), "code of the head revision ran"
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for line, code in ((17, "policy.directive"), (20, "policy.directive")):
        assert f"source/resolutions/9.md:{line}:" in result.stderr, result.stderr
        assert f"[itu.{code}]" in result.stderr
    assert not (tmp_path / "out" / "diff").exists(), "a refused change publishes nothing"
    write(repo, {"resolutions/9.md": None, "resolutions/9 [x](javascript:alert(1)).md": FIVE})
    result = run_build("diff", "--repo", str(repo), "--base", base, "--out",
                       str(tmp_path / "out"))
    assert not marker.exists(), "code of the head revision ran"
    assert result.returncode == 0, result.stdout + result.stderr
    html = "".join(p.read_text(encoding="utf-8")
                   for p in (tmp_path / "out" / "diff").rglob("*.html"))
    assert "TOP-SECRET-TEXT" not in html and "HEAD-TEMPLATE" not in html
    assert {p.name for p in (tmp_path / "out" / "diff").rglob("*.md")} == {"summary.md"}
    # a file name is data too: no link can be made of it
    index = load(tmp_path / "out" / "diff", "index.html")
    assert not [a for a in index.select("a") if "javascript" in a.get("href", "")]
    assert "9 \\[x\\]\\(javascript:alert\\(1\\)\\)\\.md" in (
        tmp_path / "out" / "diff" / "summary.md").read_text(encoding="utf-8")


def test_broken_front_matter_in_the_head_is_a_message_and_a_notice(tmp_path):
    """The redline says at its line what it cannot read, and shows the document as not
    compared (the pull request's check fails on it); no traceback."""
    (tmp_path / "repo").mkdir()
    repo = project_repo(tmp_path / "repo", {"resolutions/5.md": FIVE})
    base = write(repo, {})
    write(repo, {"resolutions/5.md": FIVE.replace("number: 5", "number: [5")})
    result = run_build("diff", "--repo", str(repo), "--base", base, "--out",
                       str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "source/resolutions/5.md, line 3: the front matter is not valid YAML" in result.stderr
    assert "Traceback" not in result.stderr
    page = load(tmp_path / "out" / "diff", "resolutions/5.html")
    assert "This document is not compared: line 3: the front matter is not valid YAML" in \
        " ".join(page.select_one("article").get_text().split())


def test_a_resolution_links_its_comparison_with_the_proposal_that_amends_it(page):
    link = page("resolutions/85").select_one(".itu-compare a")
    assert link["href"] == "../compare/85-mod.html"
    assert text(link) == ("Resolution 85 (Hammamet, 2016) and the MOD proposal 85-mod "
                          "(New Delhi, 2024)")  # no source: named by its file
    # a proposal with a source is named by it, as readers know it
    assert [text(a) for a in page("resolutions/44").select(".itu-compare a[href*='compare/']")] == [
        f"Resolution 44 (Hammamet, 2016) and the MOD proposal of {source} (Geneva, 2022)"
        for source in ("ATU", "CITEL", "RCC")]
    doc = page("compare/85-mod")
    assert marks(doc.select_one("#observing-b")) == [
        ("del", "been in continuous decline"),
        ("ins", "followed a continuous and stable pattern with minor variations over the years")]
    assert marks(doc.select_one("#noting-a"))[:2] == [
        ("del", "deliberations of the 2016"), ("ins", "outcomes of the 2023")]
    assert [i["id"] for i in doc.select("#considering .itu-item.itu-inserted.itu-computed")] == [
        "considering-e", "considering-f"]
    assert marks(doc.select_one(".itu-designation")) == [
        ("del", "Hammamet, 2016"), ("ins", "Rev. New Delhi, 2024")]
    assert doc.select_one(".itu-legend") is not None
    # a comparison is no edition: the list of documents does not show it
    assert not [a for a in page("index").select("a") if "compare/" in a.get("href", "")]


def test_a_single_item_that_becomes_a_list_gains_its_label(redline):
    doc = load(redline, "resolutions/2.html")
    items = doc.select("#instructs-the-director .itu-item")
    assert [(i["id"], text(i.select_one(".itu-label"))) for i in items] == [
        ("instructs-the-director-1", "1"), ("instructs-the-director-2", "2")]
    assert [(m.name, text(m)) for m in items[0].select(".itu-label > *")] == [("ins", "1")]
    assert marks(items[0].select_one(".itu-body")) == [("del", "."), ("ins", "every year;")]
    assert "itu-inserted" in items[1]["class"]


def test_the_word_diff_reads_like_an_editors():
    changes = [(x, y) for tag, x, y in word_diff(
        "to promote the use of ITU‑T Recommendations in all regions of the world",
        "to promoting the use of ITU‑T Recommendations in each of the regions of the world")
        if tag == "~"]
    # one word for one word; "all" -> "each of the" swallows no more than it must
    assert changes == [("promote", "promoting"), ("all", "each of the")]
    # a short run of equal words between two changes joins them: no confetti
    assert [(x, y) for tag, x, y in word_diff("held in Busan, 2014 by the", "held in Dubai, "
                                              "2018 by the") if tag == "~"] == [
        ("Busan, 2014", "Dubai, 2018")]
    # a non-breaking space is a space; a role or footnote is one token, never cut
    assert [s[0] for s in word_diff("Resolution 123 and[^a]", "Resolution\u00a0123 and[^b]")
            ] == ["=", "~"]
    assert word_diff("x {stdfn}`developing-countries` y", "x {stdfn}`other` y")[1] == (
        "~", "{stdfn}`developing-countries`", "{stdfn}`other`")


def test_rejecting_a_comparison_gives_the_older_text_and_accepting_the_newer(page):
    """The sound check of any redline: reject every computed change and the resolution
    reads as it was; accept them and it reads as the proposal with its changes accepted."""
    compared = str(page("compare/85-mod"))
    rejected = page_words(compared, ("ins.itu-computed", ".itu-computed.itu-inserted",
                                     ".itu-label ins", ".itu-move-note"))
    assert rejected == page_words(str(page("resolutions/85")))
    accepted = page_words(compared, ("del.itu-computed", ".itu-computed.itu-deleted",
                                     ".itu-label del", ".itu-move-note"))
    proposal = page_words(str(page("proposals/85-mod")), (
        "del", ".itu-deleted", ".itu-abstract", ".itu-proposal-mark"))
    assert accepted == proposal


def test_each_edition_of_a_resolution_links_their_comparison(project, tmp_path):
    (project / "resolutions").mkdir()
    (project / "index.md").write_text("# Test\n\n```{toctree}\n:glob:\n\nresolutions/*\n```\n",
                                      encoding="utf-8")
    older = HEAD_MATTER.format(number=9, edition="Dubai, 2012", history='"Dubai, 2012"')
    newer = HEAD_MATTER.format(number=9, edition="Geneva, 2022",
                               history='"Dubai, 2012", "Geneva, 2022"')
    body = "\n# Nine\n\n:::{part} resolves\n1. to act;\n1. to report.\n:::\n"
    (project / "resolutions" / "9-2012.md").write_text(older + body, encoding="utf-8")
    (project / "resolutions" / "9.md").write_text(
        newer + body.replace("to act;", "to act together;"), encoding="utf-8")
    built_page(project, tmp_path / "out", "resolutions/9")
    pages = {name: BeautifulSoup((tmp_path / "out/site/en/resolutions" / f"{name}.html")
                                 .read_text(encoding="utf-8"), "html.parser")
             for name in ("9", "9-2012")}
    for doc in pages.values():
        assert [a["href"] for a in doc.select(".itu-compare a")] == [
            "../compare/edition-9.html"]
    compared = BeautifulSoup((tmp_path / "out/site/en/compare/edition-9.html").read_text(
        encoding="utf-8"), "html.parser")
    assert marks(compared.select_one("#resolves-1")) == [("ins", "together")]
    assert marks(compared.select_one(".itu-designation")) == [
        ("del", "Dubai, 2012"), ("ins", "Rev. Geneva, 2022")]


def test_a_changed_table_is_shown_before_and_after(redline):
    doc = load(redline, "resolutions/6.html")
    old, new = (doc.select_one(f".itu-{state}-block.itu-computed table")
                for state in ("deleted", "inserted"))
    assert [text(td) for td in old.select("td")] == ["Africa", "44"]
    assert [text(td) for td in new.select("td")] == ["Africa", "45"]
    # said, since no word inside it is marked (in the page, not in the text compared)
    notice = old.find_parent(class_="itu-deleted-block").find_previous_sibling("p")
    assert text(notice) == ("This table or code block changed: it is compared whole, shown "
                            "as it was (deleted), then as it is (inserted).")
    assert "itu-whole-note" in notice["class"] and notice["role"] == "note"
    from pypdf import PdfReader

    pdf = " ".join(" ".join(p.extract_text().split())
                   for p in PdfReader(redline / "pdf/resolutions/6.pdf").pages)
    assert "This table or code block changed: it is compared whole" in pdf


def test_a_file_name_with_a_line_break_is_refused(tmp_path):
    """git cat-file reads names line by line: such a name could make it read another file."""
    (tmp_path / "repo").mkdir()
    repo = project_repo(tmp_path / "repo", {"resolutions/5.md": FIVE})
    base = write(repo, {})
    write(repo, {"resolutions/x\nHEAD:conf.py.md": FIVE})
    result = run_build("diff", "--repo", str(repo), "--base", base, "--out",
                       str(tmp_path / "out"))
    assert result.returncode == 1 and "holds a line break" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out" / "diff").exists()


def test_the_legend_says_what_is_compared(redline):
    legend = load(redline, "resolutions/1.html").select_one(".itu-legend")
    assert re.fullmatch(r"Compared: \w+ \(\w{8}\) to HEAD \(\w{8}\)",
                        text(legend.select_one("p"))), text(legend)
    assert "Moved here" in text(legend) and "Moved from here" in text(legend)


def test_the_redline_is_also_a_pdf(redline):
    """Every changed document's redline as PDF, linked from its page; moves in words."""
    from pypdf import PdfReader

    for page in ("resolutions/1", "resolutions/2", "resolutions/3", "resolutions/4"):
        link = load(redline, f"{page}.html").select_one(".itu-download a")["href"]
        assert (redline / page).parent.joinpath(link).resolve() == \
            (redline / "pdf" / f"{page}.pdf").resolve()
    runs: list[tuple[str, str]] = []
    pdf = PdfReader(redline / "pdf/resolutions/2.pdf")
    for pdf_page in pdf.pages:
        pdf_page.extract_text(visitor_text=lambda text, _cm, _tm, font, _size: runs.append(
            (text.strip(), (font or {}).get("/BaseFont", ""))))
    words = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    # the legend says what is compared, and what each mark means, moves included
    assert re.match(r"Compared: \w+ \(\w{8}\) to HEAD \(\w{8}\)\. Changes computed between "
                    r"the two versions: inserted, deleted, Moved here / Moved from here\.",
                    words), words[:300]
    assert words.count("Moved from here") == 2 and words.count("Moved here") == 2
    # words about a move are set apart from the text (italic), not marked as it is
    notes = {font for text, font in runs if text in ("Moved here", "Moved from here")}
    assert notes and all("Italic" in font for font in notes), notes


def test_summary_names_items_by_the_parts_kind_and_odd_history_does_not_stop_it():
    """What summary.json and the pull-request comment call a clause: as the page labels
    it, a part's own :kind: first; a history that is no list is read as one entry."""
    from itu import redline as engine
    from itu.data import load_site_data

    old = HEAD_MATTER.replace("[{history}]", "2022").format(number=9, edition="Geneva, 2022") + (
        "# T\n\n:::{part} hereby agrees\n:kind: preambular\n1. one;\n1. two.\n:::\n")
    result = engine.compare(old, old.replace("1. two.", "1. two, changed."), "x",
                            load_site_data(ROOT / "source").call_words)
    assert list(result.clauses) == ["hereby agrees b)"]


def test_an_edit_inside_a_moved_item_is_marked_where_it_went():
    """Moving resolves 2 before resolves 1 and inserting "not" into it: the move is
    said, and the reversed meaning shows as an insertion inside the moved item."""
    from itu import redline

    base = ("---\nkind: resolution\nnumber: 9\nedition: Geneva, 2022\n---\n\n# T\n\n"
            ":::{part} resolves\n1. that the first decision stands for all members;\n"
            "1. that the Bureau shall publish the list of experts every year;\n:::\n")
    head = base.replace("1. that the first decision stands for all members;\n1. that the "
                        "Bureau shall publish the list of experts every year;\n",
                        "1. that the Bureau shall not publish the list of experts every "
                        "year;\n1. that the first decision stands for all members;\n")
    merged = redline.compare(base, head, "base → head", {"resolves": "operative"}).text
    moved = [line for line in merged.splitlines() if "itu-moved" in line]
    assert len(moved) == 2
    assert "not]{.ins .itu-computed}" in moved[0] and moved[0].endswith("]{.itu-moved}")


def test_the_comment_says_which_files_changed_only_their_layout():
    """A re-wrapped file changes no word: it is listed as such, not as "modified 0 0"."""
    commit = {"ref": "main", "commit": "0" * 40}
    doc = {"path": "source/resolutions/9.md", "page": "resolutions/9", "status": "modified",
           "title": "T", "inserted": 0, "deleted": 0, "metadata": [], "clauses": []}
    summary = {"base": commit, "head": commit, "inserted": 0, "deleted": 0,
               "documents": [doc]}
    assert review.misfit(summary, review.SHAPE) is None
    assert "| resolutions/9\\.md: T | layout only | 0 | 0 |  |" in review.comment(summary)


def test_no_link_of_the_redline_output_is_broken(redline):
    """The redline holds the changed documents only: its pages link no page, language
    or PDF it does not have."""
    from test_links import broken_links

    assert len(list(redline.rglob("*.html"))) >= 5
    assert broken_links(redline) == []


@pytest.mark.parametrize("page, mark", [("resolutions/3.html", "ins"),
                                        ("resolutions/4.html", "del")])
def test_a_document_added_or_deleted_has_its_heading_block_marked(redline, page, mark):
    """Its edition in the designation, its history and its formula are one insertion
    (deletion) each, as its title and parts are."""
    doc = load(redline, page)
    number = page.split("/")[1].split(".")[0]
    assert doc.select_one("article")["data-pagefind-meta"].startswith(
        f"title:Resolution {number} (New Delhi, 2024) — ")
    for selector in (".itu-designation", ".itu-history", ".itu-formula", "h1"):
        element = doc.select_one(selector)
        assert element.select(f"{mark}.itu-computed"), (selector, str(element)[:200])
        other = "del" if mark == "ins" else "ins"
        assert not element.select(f"{other}.itu-computed"), selector


def test_front_matter_given_to_a_document_that_had_none_is_a_change_of_each_field():
    from itu import redline as engine
    from itu.data import load_site_data

    body = "# T\n\n:::{part} resolves\n1. to begin.\n:::\n"
    result = engine.compare(body, HEAD_MATTER.format(number=9, edition="Geneva, 2022",
                                                     history='"Geneva, 2022"') + body, "x",
                            load_site_data(ROOT / "source").call_words)
    assert {"kind", "number", "edition", "history"} <= set(result.metadata), result.metadata
    assert "[Geneva, 2022]{.ins .itu-computed}" in result.text


def test_every_link_of_the_comment_leads_to_its_place_in_the_preview(redline):
    """The comment, given the preview's address, links each document and changed clause
    to its place in the redline the preview holds (this output): none is broken."""
    import json

    from test_links import read

    preview = "https://itu.github.io/resolutions/pr-preview/pr-7/"
    summary = json.loads((redline / "summary.json").read_text(encoding="utf-8"))
    links = re.findall(r"\]\((https://[^)\s]+)\)", review.comment(summary, None, preview))
    inside = [link.removeprefix(f"{preview}redline/") for link in links
              if link.startswith(f"{preview}redline/")]
    assert len(inside) >= 10 and any("#" in link for link in inside)
    for link in inside:
        page, _hash, anchor = link.partition("#")
        assert (redline / page).is_file(), link
        assert not anchor or anchor in read(redline / page)[1], link


def test_a_link_to_a_document_the_change_left_alone_leads_to_the_site(tmp_path, monkeypatch):
    """A redline builds only the documents a change touched: a link to any other leads to
    its page on the site of the head (ITU_SITE_URL), anchor kept, in the page and the
    PDF; without a site it is its text, never an anchor the page lacks. A citation of
    another of the head's resolutions leads to its page there, of any other instrument
    to where the ITU publishes it."""
    (tmp_path / "repo").mkdir()
    repo = project_repo(tmp_path / "repo", {"resolutions/5.md": FIVE, "resolutions/4.md": FOUR})
    base = write(repo, {})
    write(repo, {"resolutions/5.md": FIVE.replace("1. to begin.", (
        "1. to begin, as [Resolution 4](4.md#resolves-1) says, Resolution 4 recalls and "
        "Resolution 44 asks."))})
    monkeypatch.setenv("ITU_SITE_URL", "https://example.org/site/")
    result = run_build("diff", "--repo", str(repo), "--base", base, "--out",
                       str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((tmp_path / "out" / "diff" / "resolutions" / "5.html").read_text(
        "utf-8"), "html.parser")
    links = [a["href"] for a in page.select("article a") if a.get_text() == "Resolution 4"]
    assert links == ["https://example.org/site/en/resolutions/4.html#resolves-1"]
    # a citation is linked as on the site: to the head's page, else to the ITU's text
    for said in page.select(".visually-hidden"):  # "[insertion]": the mark's, for ears
        said.decompose()
    assert [(a.get_text(), a["href"]) for a in page.select("article a.itu-cite")] == [
        ("Resolution 4", "https://example.org/site/en/resolutions/4.html"),
        ("Resolution 44", "https://www.itu.int/pub/T-RES-T.44")]
    from pypdf import PdfReader

    pdf = "\n".join(str(a.get("/A", {}).get("/URI", "")) for p in PdfReader(
        tmp_path / "out" / "diff" / "pdf" / "resolutions" / "5.pdf").pages
        for a in (x.get_object() for x in p.get("/Annots", [])))
    assert "https://example.org/site/en/resolutions/4.html#resolves-1" in pdf
    monkeypatch.delenv("ITU_SITE_URL")
    result = run_build("diff", "--repo", str(repo), "--base", base, "--no-pdf", "--out",
                       str(tmp_path / "alone"))
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((tmp_path / "alone" / "diff" / "resolutions" / "5.html").read_text(
        "utf-8"), "html.parser")
    assert "as Resolution 4 says," in " ".join(page.select_one("article").get_text().split())
    assert [a for a in page.select("article a") if a.get_text() == "Resolution 4"] == []


def pixel(red: int) -> bytes:
    """A PNG of one pixel of that red (two of them differ, so a PDF keeps both)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes([0, red, 0, 0]))) + chunk(b"IEND", b""))


def test_a_changed_picture_in_the_text_is_a_picture_before_and_after(tmp_path):
    """A picture whose file a change replaces (and deletes), in a sentence whose words
    change too: the redline shows the old picture (from the base) deleted and the new
    inserted, both as pictures, in the page and the PDF, with no message."""
    (tmp_path / "repo").mkdir()
    five = FIVE.replace("1. to begin.", "1. to begin as the chart ![a chart](chart.png) "
                        "shows for 2024.")
    repo = project_repo(tmp_path / "repo", {"resolutions/5.md": five})
    for name, red in (("chart.png", 255), ("chart-2025.png", 0)):
        (repo / "source" / "resolutions" / name).write_bytes(pixel(red))
    base = write(repo, {})
    write(repo, {"resolutions/5.md": five.replace("chart.png) shows for 2024",
                                                  "chart-2025.png) shows for 2025"),
                 "resolutions/chart.png": None})  # the old picture is the base's alone
    result = run_build("diff", "--repo", str(repo), "--base", base, "--out",
                       str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr, result.stderr
    page = BeautifulSoup((tmp_path / "out" / "diff" / "resolutions" / "5.html").read_text(
        "utf-8"), "html.parser")
    shown = {mark.name: [img["src"].rsplit("/", 1)[-1] for img in mark.select("img")]
             for mark in page.select("article del.itu-computed, article ins.itu-computed")}
    assert shown == {"del": ["chart.png"], "ins": ["chart-2025.png"]}
    for img in page.select("article img"):
        assert (tmp_path / "out" / "diff" / "resolutions" / img["src"]).resolve().is_file()
    from pypdf import PdfReader

    pdf = PdfReader(tmp_path / "out" / "diff" / "pdf" / "resolutions" / "5.pdf")
    assert sum(len(p.images) for p in pdf.pages) == 2
