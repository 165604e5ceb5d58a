"""Every word of every seed reaches the built page, in order."""

import pytest
from fidelity import compare, expectations

PAGES = expectations()


@pytest.mark.parametrize("docname", sorted(PAGES))
def test_page_reproduces_its_seed(site, docname):
    seed, ranges = PAGES[docname]
    assert compare(site, docname, seed, ranges) == ""


def test_every_seed_is_covered():
    from fidelity import SEEDS

    covered = {seed for seed, _ranges in PAGES.values()}
    assert covered == {p.name for p in SEEDS.glob("*.txt")}
