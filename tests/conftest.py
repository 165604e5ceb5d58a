"""Shared fixtures: the real site, built once per test session."""

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
