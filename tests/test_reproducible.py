"""Reproducible output: two builds of the same sources give the same bytes (HTML,
PDFs, search index, catalogs), in English and in a right-to-left language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_build

pytestmark = pytest.mark.slow


def tree(top: Path) -> dict[str, bytes]:
    """Every file under a folder, by its path there."""
    files = {p.relative_to(top).as_posix(): p.read_bytes() for p in sorted(top.rglob("*"))
             if p.is_file()}
    assert len(files) > 20, f"{top} holds too little to compare"
    return files


def assert_same(first: Path, second: Path) -> None:
    one, two = tree(first), tree(second)
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


def test_two_builds_of_the_english_site_are_identical(site, sites):
    """``site`` in this process (-j auto), ``sites`` with the real command line (-j 1)."""
    assert any(name.endswith(".pdf") for name in tree(site))
    assert_same(site, sites / "en")


def test_two_builds_of_the_arabic_site_are_identical(sites, tmp_path):
    again = run_build("check", "--lang", "ar", "--out", str(tmp_path))
    assert again.returncode == 0, again.stdout + again.stderr
    assert_same(sites / "ar", tmp_path / "site" / "ar")


def test_extracting_the_catalogs_again_changes_none(tmp_path):
    """The committed catalogs are what `build.py i18n` makes of the committed sources."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "source", source)
    result = run_build("i18n", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert_same(ROOT / "source" / "locales", source / "locales")
