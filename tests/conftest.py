"""Shared fixtures: the real site, built once per test session.

What is built once and shared (see README, "Tests"):

- ``site``: the English site and its PDFs, built in this process (``page`` parses its pages);
- ``sites``: all six languages with the real command line (``build.py check``);
- ``rewritten`` (test_word.py): five exported documents as LibreOffice writes them again;
- ``redline`` (test_redline.py, per module): the redline of a scratch repository.

With pytest-xdist (``build.py test`` runs ``-n auto --dist loadgroup``) the tests of
each of these share a group, so that one worker builds it, once.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "ext"))

from itu import cli  # noqa: E402

# fixture -> xdist group: the tests that use a shared build run in the worker that has it;
# the English site and the six languages share a group since a test compares the two
GROUPS = {"site": "site", "sites": "site", "rewritten": "libreoffice", "redline": "redline"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test that uses a shared build with that build's xdist group (a mark
    that only ``--dist loadgroup`` reads)."""
    for item in items:
        used = [GROUPS[name] for name in getattr(item, "fixturenames", ()) if name in GROUPS]
        if used:
            item.add_marker(pytest.mark.xdist_group(used[0]))


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The English site and its PDFs built strictly (-W) from source/: any warning fails."""
    out = tmp_path_factory.mktemp("build")
    code = cli.build_html(cli.SOURCE, out, strict=True, quiet=True, pdf=True)
    assert code == 0, "the site must build without a single warning"
    return out / "site" / "en"


@pytest.fixture(scope="session")
def page(site: Path):
    """Parse a built page by docname."""
    cache: dict[str, BeautifulSoup] = {}

    def load(docname: str) -> BeautifulSoup:
        if docname not in cache:
            html = (site / f"{docname}.html").read_text(encoding="utf-8")
            cache[docname] = BeautifulSoup(html, "html.parser")
        return cache[docname]

    return load


def run_build(*args: str) -> subprocess.CompletedProcess:
    """Run the real command line, as an editor would."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args],
                          capture_output=True, text=True, cwd=ROOT)


def built_page(project: Path, out: Path, docname: str) -> BeautifulSoup:
    """Build a scratch project strictly with the real command line; parse one page."""
    result = run_build("check", "--source", str(project), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    html = (out / "site" / "en" / f"{docname}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


@pytest.fixture
def project(tmp_path: Path):
    """A scratch content tree with the site's data files; write pages into it."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "source" / "_data", source / "_data")
    (source / "index.md").write_text(
        "# Test\n\n```{toctree}\n:glob:\n\n*\n```\n", encoding="utf-8")
    return source


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every language, built strictly side by side with the real command line."""
    out = tmp_path_factory.mktemp("sites")
    result = run_build("check", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out / "site"
