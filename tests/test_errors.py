"""Bad input: a message with file:line and a code, a non-zero exit, nothing published."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import built_page, run_build

GOOD = """---
kind: resolution
number: 9
edition: Geneva, 2022
history: [Geneva, 2022]
---

# A resolution

:::{part} considering
1. that one;
1. that two,
:::
"""

CASES = {
    "unknown call words": (
        GOOD.replace(":::{part} considering", ":::{part} pondering"),
        10, "unknown call words 'pondering'", "itu.callword"),
    "malformed front matter": (
        GOOD.replace("edition: Geneva, 2022", "edition: 2022"),
        4, "'edition' must read 'place, year'", "itu.meta"),
    "unknown kind": (
        GOOD.replace("kind: resolution", "kind: resolutoin"),
        2, "'kind' must be one of", "itu.meta"),
    "change mark that does not close": (
        GOOD.replace("1. that one;", "1. that {ins}`one;"),
        11, "a change mark does not close", "itu.mark"),
    "unknown standard footnote": (
        GOOD.replace("that two,", "that two{stdfn}`developped-countries`,"),
        12, "no standard footnote 'developped-countries'", "itu.stdfn"),
    "Rev. in the edition": (
        GOOD.replace("edition: Geneva, 2022", "edition: Rev. Geneva, 2022"),
        4, "'edition' names the place and year only", "itu.meta"),
    "footnote with no text": (
        GOOD.replace("1. that one;", "1. that one[^x];"),
        11, "the footnote [^x] has no text", "itu.footnote"),
    "marked edition outside a proposal": (
        GOOD.replace("edition: Geneva, 2022", "edition: \"{del}`Dubai, 2012`{ins}`Geneva, 2022`\""),
        4, "only a proposal can mark changes", "itu.meta"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_with_file_and_line(project, tmp_path, case):
    content, line, message, code = CASES[case]
    (project / "bad.md").write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("check", "--source", str(project), "--out", str(out))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(rf"bad\.md:{line}: (WARNING|ERROR): {re.escape(message)}", output)
    assert f"[{code}]" in output
    # each message the document gets is the project's: coded, with a hint
    assert [said for said in output.splitlines() if "bad.md:" in said and (
        "WARNING:" in said or "ERROR:" in said) and "[itu." not in said] == []
    assert "Traceback" not in output
    assert not (out / "site").exists(), "a failed build must publish nothing"


def test_two_documents_claiming_one_resolution_and_edition(project, tmp_path):
    (project / "one.md").write_text(GOOD, encoding="utf-8")
    (project / "two.md").write_text(GOOD, encoding="utf-8")
    result = run_build("check", "--source", str(project), "--out", str(tmp_path / "out"))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    said = "two.md:8: WARNING: Resolution 9 (Geneva, 2022) is already the document 'one'"
    assert output.count(said) == 1, "said once"
    assert "[itu.edition]" in output and "Traceback" not in output


def test_good_input_builds_and_publishes(project, tmp_path):
    (project / "good.md").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("check", "--source", str(project), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "site" / "en" / "good.html").exists()


def test_failed_build_keeps_the_previous_site(project, tmp_path):
    out = tmp_path / "out"
    (project / "good.md").write_text(GOOD, encoding="utf-8")
    assert run_build("check", "--source", str(project), "--out", str(out)).returncode == 0
    (project / "good.md").write_text(GOOD.replace("considering", "pondering"), encoding="utf-8")
    assert run_build("check", "--source", str(project), "--out", str(out)).returncode != 0
    assert "considering" in (out / "site" / "en" / "good.html").read_text(encoding="utf-8")


def test_command_line_help_and_usage_errors():
    assert run_build("--help").returncode == 0
    result = run_build("no-such-command")
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_strict_check_reports_unchanged_files_again(project, tmp_path):
    out = tmp_path / "out"
    (project / "bad.md").write_text(GOOD.replace("considering", "pondering"), encoding="utf-8")
    assert run_build("site", "--source", str(project), "--out", str(out)).returncode == 0
    result = run_build("check", "--source", str(project), "--out", str(out))
    assert result.returncode != 0 and "[itu.callword]" in result.stdout + result.stderr


EXPLICIT = GOOD + """
:::{part} resolves
1. to apply {res}`9 considering b` and {res}`the first clause <9 (Geneva, 2022) considering a>`;
1. to recall {res}`PP 71 (Rev. Bucharest, 2022)`.
:::
"""


def test_explicit_references_link_like_automatic_ones(project, tmp_path):
    (project / "good.md").write_text(EXPLICIT, encoding="utf-8")
    doc = built_page(project, tmp_path / "out", "good")
    links = [(" ".join(a.get_text().split()), a["href"])
             for a in doc.select("#resolves a.itu-cite")]
    assert links == [
        ("Resolution 9 considering b", "#considering-b"),
        ("the first clause", "#considering-a"),
        ("PP Resolution 71 (Rev. Bucharest, 2022)",
         "https://www.itu.int/en/council/Documents/basic-texts/RES-071-E.pdf")]


@pytest.mark.parametrize("content, message", [
    (GOOD.replace("1. that two,", "1. that two, see Decision 7 (Rev. Geneva, 2022),"),
     "bad.md:12: WARNING: citation 'Decision 7 (Rev. Geneva, 2022)' resolves nowhere"),
    (GOOD.replace("1. that two,", "1. that two, as in {res}`9 resolves 4`,"),
     "bad.md:12: WARNING: Resolution 9 has no clause 'resolves-4'"),
    (GOOD.replace("1. that two,", "1. that two, as in considering f) above,"),
     "bad.md:12: WARNING: no clause 'considering-f' in this document for 'considering f)'"),
])
def test_citations_that_resolve_nowhere_are_reported(project, tmp_path, content, message):
    (project / "bad.md").write_text(content, encoding="utf-8")
    result = run_build("check", "--source", str(project), "--out", str(tmp_path / "out"))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert message in output and "[itu.citation]" in output and "Traceback" not in output


def test_cited_by_follows_an_edit_on_an_incremental_build(project, tmp_path):
    out = tmp_path / "out"
    cited = GOOD.replace("number: 9", "number: 8")
    (project / "cited.md").write_text(cited, encoding="utf-8")
    (project / "citing.md").write_text(
        GOOD.replace("1. that one;", "1. that Resolution 8 (Geneva, 2022) of this assembly;"),
        encoding="utf-8")

    def cited_by() -> list[str]:
        html = (out / "site/en/cited.html").read_text(encoding="utf-8")
        return [a.get_text() for a in BeautifulSoup(html, "html.parser").select(
            ".itu-cited-by a")]

    assert run_build("site", "--source", str(project), "--out", str(out)).returncode == 0
    assert cited_by() == ["Resolution 9 (Geneva, 2022), considering a)"]
    (project / "citing.md").write_text(GOOD, encoding="utf-8")
    assert run_build("site", "--source", str(project), "--out", str(out)).returncode == 0
    assert cited_by() == []


def test_links_say_when_the_edition_cited_is_not_current(project, tmp_path):
    (project / "old.md").write_text(GOOD.replace("Geneva, 2022", "Dubai, 2012"),
                                    encoding="utf-8")
    (project / "new.md").write_text(GOOD.replace("history: [Geneva, 2022]",
                                                 "history: [Dubai, 2012, Geneva, 2022]"),
                                    encoding="utf-8")
    (project / "citing.md").write_text(GOOD.replace("number: 9", "number: 7").replace(
        "1. that one;", "1. that Resolution 9 (Dubai, 2012) of this assembly, "
        "Resolution 9 (Rev. Geneva, 2022) of this assembly, "
        "Resolution 9 (Rev. Kyoto, 2030) of this assembly and No. 28A of the ITU Constitution;"
        "\n   % itu: allow superseded (the note is what this test reads)"),
        encoding="utf-8")
    doc = built_page(project, tmp_path / "out", "citing")
    cites = [(a["href"], (a.find_next_sibling(class_="itu-edition-note") or a).get_text())
             for a in doc.select("#considering-a a.itu-cite")]
    # the notes are aids beside the legal text: said so, and not indexed for search
    assert [(n["role"], n.get("data-pagefind-ignore")) for n in doc.select(
        ".itu-edition-note")] == [("note", "")] * 2
    assert cites == [
        ("old.html", " [superseded edition; current: Rev. Geneva, 2022]"),
        ("new.html", "Resolution 9 (Rev. Geneva, 2022) of this assembly"),
        ("new.html", " [edition on this site: Rev. Geneva, 2022]"),
        ("https://www.itu.int/en/council/Documents/basic-texts/Constitution-E.pdf#no-28A",
         "No. 28A of the ITU Constitution")]


def test_the_history_line_links_each_earlier_edition(project, tmp_path):
    """To its page where the site has it, else to where the ITU publishes it; the
    document's own edition is no link."""
    (project / "old.md").write_text(GOOD.replace("Geneva, 2022", "Dubai, 2012"),
                                    encoding="utf-8")
    (project / "new.md").write_text(GOOD.replace(
        "history: [Geneva, 2022]", "history: [Kyoto, 2000, Dubai, 2012, Geneva, 2022]"),
        encoding="utf-8")
    history = built_page(project, tmp_path / "out", "new").select_one(".itu-history")
    assert [(a.get_text(), a["href"]) for a in history.select("a")] == [
        ("Kyoto, 2000", "https://www.itu.int/pub/T-RES-T.9-2000"),
        ("Dubai, 2012", "old.html")]
    assert history.get_text() == "(Kyoto, 2000; Dubai, 2012; Geneva, 2022)"


def test_repeated_call_words_get_distinct_anchors(project, tmp_path):
    (project / "twice.md").write_text(GOOD + "\n:::{part} considering\n1. that three,\n:::\n",
                                      encoding="utf-8")
    doc = built_page(project, tmp_path / "out", "twice")
    assert [p["id"] for p in doc.select(".itu-part")] == ["considering", "considering-2"]
    assert doc.find(id="considering-2-a") is not None


def test_publishing_copies_only_what_changed(project, tmp_path):
    out = tmp_path / "out"
    (project / "one.md").write_text(GOOD, encoding="utf-8")
    (project / "two.md").write_text(GOOD.replace("number: 9", "number: 8"), encoding="utf-8")
    assert run_build("site", "--source", str(project), "--out", str(out)).returncode == 0
    site = out / "site" / "en"
    before = {name: (site / name).stat().st_ino for name in ("one.html", "two.html")}
    (project / "two.md").write_text(GOOD.replace("number: 9", "number: 8").replace(
        "that one;", "that one, edited;"), encoding="utf-8")
    assert run_build("site", "--source", str(project), "--out", str(out)).returncode == 0
    assert (site / "one.html").stat().st_ino == before["one.html"], "unchanged: linked"
    assert (site / "two.html").stat().st_ino != before["two.html"]
    assert "that one, edited;" in (site / "two.html").read_text(encoding="utf-8")
    assert "that one, edited;" not in (site / "one.html").read_text(encoding="utf-8")


def test_a_build_without_pdfs_publishes_none(project, tmp_path):
    """The site a build publishes is that build's: a build without PDFs leaves none of
    an earlier build's (its pages link none)."""
    out = tmp_path / "out"
    (project / "one.md").write_text(GOOD, encoding="utf-8")
    assert run_build("html", "--lang", "en", "--source", str(project), "--out",
                     str(out)).returncode == 0
    assert (out / "site" / "en" / "pdf" / "one.pdf").is_file()
    result = run_build("html", "--lang", "en", "--no-pdf", "--source", str(project),
                       "--out", str(out))
    assert result.returncode == 0 and "0 PDFs" in result.stdout
    assert not (out / "site" / "en" / "pdf").exists()
    assert ".pdf" not in (out / "site" / "en" / "one.html").read_text(encoding="utf-8")


def test_pages_rewritten_without_rereading_still_resolve_links(project, tmp_path):
    """Sphinx rewrites a page whose output is gone without reading anything again."""
    out = tmp_path / "out"
    (project / "cited.md").write_text(GOOD.replace("number: 9", "number: 8"), encoding="utf-8")
    (project / "citing.md").write_text(
        GOOD.replace("1. that one;", "1. that Resolution 8 (Geneva, 2022) of this assembly;"),
        encoding="utf-8")
    assert run_build("site", "--source", str(project), "--out", str(out)).returncode == 0
    (out / ".work" / "html" / "en" / "citing.html").unlink()
    result = run_build("site", "--source", str(project), "--out", str(out))
    assert "Traceback" not in result.stdout + result.stderr and result.returncode == 0
    assert 'href="cited.html"' in (out / "site/en/citing.html").read_text(encoding="utf-8")


def test_a_proposal_too_deep_to_compare_is_a_message(project, tmp_path):
    (project / "resolutions").mkdir()
    (project / "resolutions" / "9.md").write_text(GOOD, encoding="utf-8")
    deep = "".join(f"{'   ' * level}1. level {level}\n" for level in range(20))
    proposal = GOOD.replace("kind: resolution", "kind: proposal\nproposal: {action: MOD}")
    proposal = proposal.replace("edition: Geneva, 2022",
                                'edition: "{del}`Geneva, 2022`{ins}`Dubai, 2026`"')
    (project / "proposals").mkdir()
    (project / "proposals" / "9-x.md").write_text(
        proposal.replace("1. that two,", "1. that two,\n" + "   " + deep.replace(
            "\n", "\n   ").rstrip()), encoding="utf-8")
    result = run_build("html", "--lang", "en", "--no-pdf", "--source", str(project),
                       "--out", str(tmp_path / "out"))
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert "9-x.md: WARNING: no comparison with 9.md can be made" in output
    assert "[itu.compare]" in output


def test_a_broken_data_file_is_named_as_it_is(project, tmp_path):
    (project / "_data" / "footnotes.yaml").write_text("developing: [unclosed\n", "utf-8")
    (project / "good.md").write_text(GOOD, encoding="utf-8")
    result = run_build("check", "--source", str(project), "--out", str(tmp_path / "out"))
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert f"{project / '_data' / 'footnotes.yaml'}:1: ERROR: cannot read footnotes.yaml" \
        in output and "[itu.data]" in output and ".yaml.rst" not in output
