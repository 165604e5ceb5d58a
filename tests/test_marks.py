"""Change marks and proposals as reviewers read them in the built HTML."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import built_page
from fidelity import page_words
from test_resolution import text

PROPOSAL = "proposals/85-mod"


def marks(node) -> list[tuple[str, str]]:
    """The marks inside a node, in order: ("ins"|"del", visible text)."""
    return [(m.name, text(m)) for m in node.find_all(["ins", "del"])]


def test_heading_marks_the_new_edition(page):
    doc = page(PROPOSAL)
    designation = doc.select_one(".itu-designation")
    assert text(designation) == "RESOLUTION 85 (Hammamet, 2016Rev. New Delhi, 2024)"
    assert marks(designation) == [("del", "Hammamet, 2016"), ("ins", "Rev. New Delhi, 2024")]
    # the separator goes with the inserted edition, so rejecting leaves no "; "
    assert marks(doc.select_one(".itu-history")) == [("ins", "; New Delhi, 2024")]
    assert marks(doc.select_one(".itu-formula")) == [
        ("del", "Hammamet, 2016"), ("ins", "New Delhi, 2024")]
    assert text(doc.select_one(".itu-proposal-mark")) == "MOD"


def test_marks_are_announced_to_screen_readers(page):
    mark = page(PROPOSAL).select_one(".itu-designation ins")
    hidden = [text(h) for h in mark.select(".visually-hidden")]
    assert hidden == ["[insertion]", "[end of insertion]"]
    mark = page(PROPOSAL).select_one(".itu-designation del")
    assert [text(h) for h in mark.select(".visually-hidden")] == [
        "[deletion]", "[end of deletion]"]


def test_inserted_items_and_parts(page):
    doc = page(PROPOSAL)
    inserted = doc.select("#considering .itu-item.itu-inserted")
    assert [i["id"] for i in inserted] == ["considering-e", "considering-f"]
    assert [m for m in marks(inserted[0].select_one(".itu-label"))] == [("ins", "e")]
    parts = doc.select(".itu-part.itu-inserted")
    assert len(parts) == 1
    assert text(parts[0].select_one(".itu-callwords")).startswith(
        "to instruct the Director of the Telecommunication Standardization Bureau in "
        "collaboration with")
    assert text(parts[0].select_one(".visually-hidden")) == "Inserted part:"


def test_reference_changed_inside_running_text(page):
    item = page(PROPOSAL).find(id="resolves-to-instruct-the-director-of-the-"
                                   "telecommunication-standardization-bureau-1")
    assert ("del", "b)") in marks(item) and ("ins", "a)") in marks(item)


def rejected_words(doc: BeautifulSoup) -> list[str]:
    """The words of a proposal with every change rejected."""
    doc = doc.__copy__()
    for node in doc.select("ins, .itu-inserted, .itu-proposal-mark, .itu-abstract"):
        node.decompose()
    return page_words(str(doc))


def test_rejecting_the_proposal_gives_the_base_edition(page):
    base = page_words(str(page("resolutions/85")))
    assert rejected_words(page(PROPOSAL)) == base


def item_labels(doc, part: str) -> list[tuple[str, str]]:
    return [(i["id"], text(i.select_one(".itu-label")))
            for i in doc.select(f"#{part} > .itu-items > .itu-item")]


def test_computed_label_changes_in_a_regional_proposal(page):
    doc = page("proposals/44-atu")
    assert item_labels(doc, "recognizing") == [
        ("recognizing-a", "a)"), ("recognizing-b-deleted", "b)"), ("recognizing-b", "cb)"),
        ("recognizing-c", "dc)"), ("recognizing-d", "ed)"), ("recognizing-e", "fe)"),
        ("recognizing-f", "gf)"), ("recognizing-h", "gh)")]
    assert marks(doc.select_one("#recognizing-b .itu-label")) == [("del", "c"), ("ins", "b")]
    assert marks(doc.select_one("#recognizing-b-deleted .itu-label")) == [("del", "b")]
    assert "itu-deleted" in doc.select_one("#recognizing-b-deleted")["class"]


def test_label_shown_as_the_original_shows_it(page):
    """CITEL renumbers only the items its authors marked; the page shows just those."""
    assert item_labels(page("proposals/44-citel"), "considering")[:5] == [
        ("considering-a", "a)"), ("considering-b", "b)"), ("considering-c", "bc)"),
        ("considering-d", "cd)"), ("considering-d-2", "d)")]


SYNTHETIC = """---
kind: proposal
number: 9
edition: "{del}`Dubai, 2012`{ins}`Geneva, 2022`"
history: ["Kyoto, 2008", "Dubai, 2012", "{ins}`Geneva, 2022`"]
proposal: {action: MOD, ref: XYZ/1A1/1, source: Test}
---

# A resolution

:::{part} considering
1. that one;
1. [that new, with a note[^n];]{.ins}
1. that two;
1. {del}`that gone;`
1. that three,
:::

:::{part} resolves
:proposal: ADD XYZ/1A1/2
:change: inserted
1. to act.
:::

[^n]: A note.
"""


def test_computed_relabelling_and_part_markers(project, tmp_path):
    (project / "p.md").write_text(SYNTHETIC, encoding="utf-8")
    doc = built_page(project, tmp_path / "out", "p")
    items = doc.select("#considering .itu-item")
    assert [(i["id"], text(i.select_one(".itu-label"))) for i in items] == [
        ("considering-a", "a)"), ("considering-b", "b)"), ("considering-c", "bc)"),
        ("considering-c-deleted", "c)"), ("considering-d", "d)")]
    assert marks(items[2].select_one(".itu-label")) == [("del", "b"), ("ins", "c")]
    assert "itu-inserted" in items[1]["class"] and "itu-deleted" in items[3]["class"]
    assert items[1].select_one("ins a.footnote-reference") is not None
    resolves = doc.select_one("#resolves")
    assert text(resolves.select_one(".itu-proposal-mark")) == "ADD XYZ/1A1/2"
    assert "itu-inserted" in resolves["class"]
    assert text(doc.select_one(".itu-proposal-mark")) == "MOD XYZ/1A1/1"
    assert text(doc.select_one(".itu-designation")) == "RESOLUTION 9 (Rev. Dubai, 2012Geneva, 2022)"


def test_proposal_without_text_says_so(page):
    doc = page("proposals/44-ast")
    assert text(doc.select_one(".itu-proposal-mark")) == "MOD"
    assert text(doc.select_one(".itu-designation")) == (
        "RESOLUTION 44 (Rev. Hammamet, 2016Geneva, 2022)")
    assert not doc.select(".itu-part")
    assert "its text is not available here" in text(doc.select_one(".admonition.note"))


def test_regional_proposals_carry_their_contribution(page):
    marks_ = {doc: text(page(f"proposals/44-{doc}").select_one(".itu-proposal-mark"))
              for doc in ("atu", "citel", "rcc")}
    assert marks_ == {"atu": "MOD AFCP/35A8/1", "citel": "MOD IAP/39A18/1", "rcc": "MOD"}
    for doc in ("atu", "citel", "rcc"):
        annex = page(f"proposals/44-{doc}").select_one("section.itu-annex")
        assert annex is not None and "Programme 1" in text(annex)


def test_proposal_page_names_its_source_and_links_the_amended_resolution(page):
    rows = page("proposals/44-atu").select(".itu-facts dl > div")
    facts = {row.find("dt").get_text(): row.find("dd") for row in rows}
    assert text(facts["Submitted by"]) == "ATU"
    assert text(facts["Contribution"]) == "WTSA C-035 ATU Add08"
    assert text(facts["Reference"]) == "AFCP/35A8/1"
    amends = facts["Amends"].find("a")
    assert text(amends) == "Resolution 44 (Rev. Hammamet, 2016)"
    assert amends["href"] == "../resolutions/44.html"


def test_a_sub_items_label_override_stays_with_the_sub_item(project, tmp_path):
    (project / "sub.md").write_text(SYNTHETIC.replace(
        "1. to act.", "1. to act:\n   1. first;\n   1. {label}`iv` second."), encoding="utf-8")
    doc = built_page(project, tmp_path / "out", "sub")
    assert text(doc.select_one("#resolves-1 > .itu-label")) == "1"
    assert [text(x) for x in doc.select("#resolves-1 .itu-item .itu-label")] == ["i)", "iv)"]


@pytest.mark.parametrize("text, accepted, rejected", [
    ("a {ins}`new`{del}`old` b", "a new b", "a old b"),
    ("[with [^1] inside]{.ins} and [gone]{.del .itu-computed}", "with [^1] inside and ",
     " and gone"),
    ("plain", "plain", "plain")])
def test_one_mark_syntax_serves_every_reader(text, accepted, rejected):
    """Front matter, the redline and the Word bridge read marks with one grammar."""
    from itu import marks

    assert (marks.accept(text), marks.reject(text)) == (accepted, rejected)
    kept = {"ins": accepted, "del": rejected}
    for keep, expected in kept.items():
        assert "".join(t for change, t in marks.segments(text) if change in ("", keep)) \
            == expected
