"""Resolution 74 as a reader sees it: heading block, parts, labels, anchors, footnotes."""

import pytest

DOC = "resolutions/74"


def text(node) -> str:
    """Visible text: hidden screen-reader labels and permalinks left out."""
    node = node.__copy__()
    for hidden in node.select(".visually-hidden, .itu-permalink, .headerlink, .fn-bracket"):
        hidden.decompose()
    return " ".join(node.get_text().split())


def test_heading_block(page):
    doc = page(DOC)
    assert text(doc.select_one(".itu-designation")) == "RESOLUTION 74 (Rev. New Delhi, 2024)"
    assert text(doc.select_one("h1")).startswith("Enhancing participation of Sector Members1 ")
    assert text(doc.select_one(".itu-history")) == (
        "(Johannesburg, 2008; Dubai, 2012; Geneva, 2022; New Delhi, 2024)")
    assert text(doc.select_one(".itu-formula")) == (
        "The World Telecommunication Standardization Assembly (New Delhi, 2024),")


def test_parts_in_order_with_kinds(page):
    parts = page(DOC).select(".itu-part")
    assert [text(p.select_one(".itu-callwords")) for p in parts] == [
        "recalling", "taking into account", "recognizing", "considering", "resolves",
        "instructs the Director of the Telecommunication Standardization Bureau",
        "instructs the Director of the Telecommunication Standardization Bureau, in close "
        "collaboration with the Director of the Telecommunication Development Bureau",
        "instructs the Telecommunication Standardization Advisory Group",
        "further resolves that ITU regional offices",
        "invites Member States",
    ]
    kinds = ["preambular"] * 4 + ["operative"] * 6
    assert [("itu-preambular" in p["class"] and "preambular") or "operative"
            for p in parts] == kinds
    assert all(p.select_one(".itu-callwords em") for p in parts)


def labels(part) -> list[str]:
    return [text(label) for label in part.select(":scope > .itu-items > .itu-item > .itu-label")]


def test_labels_follow_part_kind(page):
    doc = page(DOC)
    assert labels(doc.select_one("#recalling")) == [f"{c})" for c in "abcdefg"]
    assert labels(doc.select_one("#considering")) == ["a)", "b)", "c)"]
    assert labels(doc.select_one("#resolves")) == ["1", "2"]
    assert labels(doc.select_one("#invites-member-states")) == ["1", "2", "3"]


def test_sub_items_and_introduction(page):
    part = page(DOC).select_one(
        "#instructs-the-director-of-the-telecommunication-standardization-bureau-in-close-"
        "collaboration-with-the-director-of-the-telecommunication-development-bureau")
    intro = part.find("p", class_=False)
    assert text(intro) == "within available resources,"
    sub = part.select(".itu-item .itu-item .itu-label")
    assert [text(x) for x in sub] == ["i)", "ii)"]
    assert sub[1].find_parent(class_="itu-item")["id"].endswith("-1-ii")


@pytest.mark.parametrize("anchor", [
    "recalling-a", "recalling-g", "recognizing-e", "considering-c", "resolves-1",
    "resolves-2", "invites-member-states-3",
    "instructs-the-telecommunication-standardization-advisory-group",
])
def test_stable_anchors_with_permalinks(page, anchor):
    doc = page(DOC)
    target = doc.find(id=anchor)
    assert target is not None
    link = target.select_one(".itu-permalink")
    assert link["href"] == f"#{anchor}" and link.get("aria-label")


def test_single_unlabelled_item(page):
    part = page(DOC).select_one("#taking-into-account")
    assert not part.select(".itu-label")
    assert text(part.find("p", class_=False)).startswith("that Resolution 170 (Rev. Bucharest")


def test_footnotes_numbered_per_document(page):
    doc = page(DOC)
    refs = doc.select("a.footnote-reference")
    assert [text(r) for r in refs] == ["1", "2"]
    notes = doc.select("aside.footnote")
    assert [text(n.select_one(".label")) for n in notes] == ["1", "2"]
    assert text(notes[0]).startswith("1 Such Sector Members from developing countries")
    assert text(notes[1]) == ("2 These include the least developed countries, small island "
                              "developing states, landlocked developing countries and "
                              "countries with economies in transition.")
    assert refs[1]["href"] == "#" + notes[1]["id"]


def test_foreword_once_on_the_site_not_in_the_resolution(page, site):
    assert "FOREWORD" not in page(DOC).get_text()
    assert text(page("foreword").select_one("h1")) == "FOREWORD"
    pages_with_foreword = [p for p in site.rglob("*.html")
                           if "is the United Nations specialized agency" in p.read_text()]
    assert [p.relative_to(site).as_posix() for p in pages_with_foreword] == ["foreword.html"]


def test_home_lists_resolutions_by_number(page):
    home = page("index")
    entries = [text(a) for a in home.select(".itu-document-index a")]
    resolutions = [e for e in entries if e.startswith("Resolution ")]
    numbers = [int(e.split()[1]) for e in resolutions]
    assert numbers == sorted(numbers) and 74 in numbers
    assert ("Resolution 74 (Rev. New Delhi, 2024) Enhancing participation of Sector Members "
            "from developing countries in the work of the ITU Telecommunication "
            "Standardization Sector") in entries
    link = home.select_one('.itu-document-index a[href="resolutions/74.html"]')
    assert link is not None


def test_the_inventory_names_every_edition_and_document(site):
    """objects.inv (intersphinx) holds the domain's objects: each resolution edition by
    assembly, number and edition, each proposal and document by its page; each shown
    by its cited name, pointing at its page."""
    from sphinx.util.inventory import InventoryFile

    inventory = InventoryFile.loads((site / "objects.inv").read_bytes(), uri="")
    found = {(kind, name): (item.uri, item.display_name)
             for kind, items in inventory.data.items() if kind.startswith("itu:")
             for name, item in items.items()}
    assert found == {
        ("itu:resolution", "WTSA-44-Hammamet-2016"): (
            "resolutions/44.html", "Resolution 44 (Rev. Hammamet, 2016)"),
        ("itu:resolution", "WTSA-74-New-Delhi-2024"): (
            "resolutions/74.html", "Resolution 74 (Rev. New Delhi, 2024)"),
        ("itu:resolution", "WTSA-85-Hammamet-2016"): (
            "resolutions/85.html", "Resolution 85 (Hammamet, 2016)"),
        ("itu:proposal", "proposals/44-ast"): (
            "proposals/44-ast.html", "MOD (AST): Resolution 44 (Hammamet, 2016 → Geneva, 2022)"),
        ("itu:proposal", "proposals/44-atu"): (
            "proposals/44-atu.html",
            "MOD AFCP/35A8/1 (ATU): Resolution 44 (Hammamet, 2016 → Geneva, 2022)"),
        ("itu:proposal", "proposals/44-citel"): (
            "proposals/44-citel.html",
            "MOD IAP/39A18/1 (CITEL): Resolution 44 (Hammamet, 2016 → Geneva, 2022)"),
        ("itu:proposal", "proposals/44-rcc"): (
            "proposals/44-rcc.html", "MOD (RCC): Resolution 44 (Hammamet, 2016 → Geneva, 2022)"),
        ("itu:proposal", "proposals/85-mod"): (
            "proposals/85-mod.html", "MOD: Resolution 85 (Hammamet, 2016 → New Delhi, 2024)"),
        ("itu:document", "documents/C26-INF-14"): (
            "documents/C26-INF-14.html", "Document C26/INF/14"),
    }  # redlines (compare/) are no edition of their own: not there


def test_an_annex_says_whose_annex_it_is(page, site):
    """As the ITU prints it: the annex of Resolution 44 opens with its designation, on
    the page and in the PDF, after the page break."""
    from fidelity import pdf_words

    annex = page("resolutions/44").select_one("section.itu-annex")
    assert text(annex.find()) == "ANNEX (TO RESOLUTION 44 (Rev. Hammamet, 2016))"
    words = pdf_words(site / "pdf" / "resolutions" / "44.pdf")
    at = words.index("ANNEX")
    assert words[at:at + 7] == ["ANNEX", "(TO", "RESOLUTION", "44", "(Rev.", "Hammamet,",
                                "2016))"]


def test_a_proposal_with_no_text_is_named_among_the_comparisons(page):
    """AST's proposal for Resolution 44 only names its action: no comparison of it can
    be made, and the list of comparisons says so rather than leave it out."""
    listed = page("resolutions/44").select(".itu-compare li")
    assert [text(li) for li in listed][-1] == (
        "The MOD proposal of AST (Geneva, 2022): no text to compare")
    assert listed[-1].a["href"] == "../proposals/44-ast.html"
    assert len(listed) == 4  # ATU, CITEL and RCC are compared


def test_a_long_document_has_an_outline_of_its_parts_annex_and_sections(page):
    doc = page("resolutions/44")
    entries = [(li["class"][0], text(li), li.a["href"])
               for li in doc.select("nav.itu-outline li")]
    parts = [text(p.select_one(".itu-callwords")) for p in doc.select("article .itu-part")
             if not p.find_parent(class_="itu-annex")]
    assert [name for _depth, name, _href in entries[:len(parts)]] == parts
    annex = entries[len(parts)]
    assert annex == ("itu-outline-1", "ANNEX (TO RESOLUTION 44 (Rev. Hammamet, 2016))", "#annex")
    programmes = entries[len(parts) + 1:]
    assert [name.split(":")[0] for _d, name, _h in programmes] == [
        "I Programme 1", "II Programme 2", "III Programme 3", "IV Programme 4"]
    assert {depth for depth, _n, _h in programmes} == {"itu-outline-2"}
    for _depth, _name, href in entries:  # every entry leads to its place on the page
        assert doc.find(id=href[1:]), href


def test_a_short_page_has_no_outline(page):
    assert page("index").select("nav.itu-outline") == []
    assert page("proposals/44-compare").select("nav.itu-outline") == []


def test_call_words_head_their_part_and_permalinks_are_not_tab_stops(page):
    doc = page("resolutions/44")
    headings = doc.select("article .itu-callwords")
    assert len(headings) >= 14
    for heading in headings:  # level 2 in the text, 3 inside the annex's sections
        level = "3" if heading.find_parent("section", class_="itu-annex") else "2"
        assert (heading.get("role"), heading.get("aria-level")) == ("heading", level)
    links = doc.select("a.itu-permalink, a.headerlink")
    assert len(links) > 40 and {a.get("tabindex") for a in links} == {"-1"}
