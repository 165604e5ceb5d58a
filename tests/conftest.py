"""Shared fixtures: the real site, built once per test session.

What is built once and shared (see README, "Tests"):

- ``site``: the English site and its PDFs, built in this process (``page`` parses its pages);
- ``sites``: all six languages with the real command line (``build.py check``);
- ``rewritten`` (test_word.py): five exported documents as LibreOffice writes them again;
- ``redline`` (test_redline.py): the redline between two commits of a scratch repository;
- ``first_build`` (``built`` restores it for each test): the corpus built with Sphinx's
  API for the incremental tests, once, in the one worker that runs them all (Sphinx
  keeps the folder it built in, so it is not shared between workers);
- ``browser``: Chromium, started once (in each worker).

The first four are made by ``shared``: with pytest-xdist (``build.py test`` runs
``-n auto``) the first worker that needs one builds it while the others wait for it,
then all read the same files. A test that would change a shared build works on a copy.
"""

from __future__ import annotations

import fcntl
import io
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "ext"))

from forked import run_build  # noqa: E402  (the real command line, as an editor runs it)
from itu import cli  # noqa: E402

# The tests read messages as plain text; Sphinx colours them on a terminal and
# wherever CI=true, and every build the tests start inherits this.
os.environ["NO_COLOR"] = "1"
# Each build reads in one process: the test workers already share the cores, and
# Sphinx's parallel reading costs a small build more than it saves. It is tested on its
# own (``first_build`` reads in two processes; test_incremental compares it with one).
os.environ.setdefault("ITU_JOBS", "1")


def shared(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder ``name``, filled by ``build`` once per test session: with pytest-xdist
    by the first worker that asks for it, while any other that asks waits (a lock on a
    file in the session's temporary folder, which its workers share)."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # each worker's folder is in the session's
    target, done, failed = (base / f"{name}{end}" for end in ("", ".done", ".failed"))
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # until the file is closed
        if failed.exists():
            pytest.fail(f"the shared build {name!r} failed in another test: "
                        f"{failed.read_text(encoding='utf-8')}")
        if not done.exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            try:
                build(target)
            except BaseException as err:
                failed.write_text(str(err)[:2000], encoding="utf-8")
                raise
            done.touch()
    return target


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The English site and its PDFs built strictly (-W) from source/: any warning fails.
    It reads in parallel, as an editor's build does (``sites`` reads in one process)."""
    def build(out: Path) -> None:
        jobs, os.environ["ITU_JOBS"] = os.environ["ITU_JOBS"], "auto"
        try:
            code = cli.build_html(cli.SOURCE, out, strict=True, quiet=True, pdf=True)
        finally:
            os.environ["ITU_JOBS"] = jobs
        assert code == 0, "the site must build without a single warning"

    return shared(tmp_path_factory, "build", build) / "site" / "en"


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


@pytest.fixture(scope="session")
def first_build(tmp_path_factory: pytest.TempPathFactory):
    """The corpus built from scratch in this process (Sphinx's API, two processes reading,
    ``test_incremental.Build``), once: its folder, a copy of it as it was, and the
    documents that build read and wrote."""
    from test_incremental import Build

    folder = tmp_path_factory.getbasetemp() / "incremental"  # a worker's own
    read, written = Build(folder, 2).run()
    as_built = folder.with_name("incremental.as-built")
    shutil.copytree(folder, as_built, symlinks=True)
    return folder, as_built, read, written


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that start from ``first_build`` run in one worker, which builds it once
    (``build.py test`` distributes the tests with ``--dist loadgroup``)."""
    for item in items:
        if "first_build" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("first_build"))


@pytest.fixture
def built(first_build):
    """(build, read, written): the corpus as its first build left it, for a test to edit
    and build again; back in the folder it was built in (Sphinx's environment holds the
    folder), every file's time kept."""
    from test_incremental import Build

    _folder, _as_built, read, written = first_build
    return Build(as_first_built(first_build), 2), read, written


def as_first_built(first_build) -> Path:
    """The folder of ``first_build``, as that build left it."""
    folder, as_built, _read, _written = first_build
    shutil.rmtree(folder)
    shutil.copytree(as_built, folder, symlinks=True)
    return folder


def npm_file(name: str, path: str) -> Path:
    """A file of a package pyproject.toml pins under ``[tool.itu.npm-packages]``, fetched
    from the npm registry once (its integrity checked), kept in .venv/tools."""
    import base64
    import hashlib
    import tarfile
    import tomllib
    import urllib.request

    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["itu"]
    pin = next(p for p in listed["npm-packages"]["test"] if p["name"] == name)
    target = ROOT / ".venv" / "tools" / f"{name.replace('/', '+')}-{pin['version']}" / path
    target.parent.mkdir(parents=True, exist_ok=True)
    with (target.parent / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one test worker fetches it, the others wait
        if not target.is_file():
            url = (f"https://registry.npmjs.org/{name}/-/{name.rpartition('/')[2]}-"
                   f"{pin['version']}.tgz")
            try:
                data = urllib.request.urlopen(url, timeout=300).read()
            except OSError as err:
                pytest.fail(f"cannot fetch {url} ({err}): the tests need the npm registry")
            algorithm, _, digest = pin["integrity"].partition("-")
            assert base64.b64encode(hashlib.new(algorithm, data).digest()).decode() == digest, \
                f"{url} is not the file pyproject.toml pins"
            with tarfile.open(fileobj=io.BytesIO(data)) as archive:
                member = archive.extractfile(f"package/{path}")
                assert member is not None, f"{url} holds no {path}"
                target.with_suffix(".part").write_bytes(member.read())
            target.with_suffix(".part").replace(target)
    return target


@pytest.fixture(scope="session")
def sarif_schema():
    """The SARIF 2.1.0 JSON schema, as the SARIF SDK ships it: a validator."""
    import json

    import jsonschema

    path = npm_file("@microsoft/sarif-multitool-linux", "sarif-2.1.0.json")
    schema = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


@pytest.fixture(scope="session")
def axe() -> str:
    """axe-core, to evaluate in a page: its source."""
    return npm_file("axe-core", "axe.min.js").read_text(encoding="utf-8")


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright: one for the session (for each worker)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `python3 build.py test` installs it")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


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
    def build(out: Path) -> None:
        result = run_build("check", "--out", str(out))
        assert result.returncode == 0, result.stdout + result.stderr

    return shared(tmp_path_factory, "sites", build) / "site"
