"""The content policy under attack: every payload of tests/attacks/ (one file per class
of attack), in the site build and in the redline build of an attacker's head commit
run from the trusted base. Nothing runs, nothing is copied, the build says why
(file:line and a code), fails, and publishes nothing."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_build
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from itu import policy
from lxml import etree, html
from test_redline import FIVE, git, project_repo, write

ATTACKS = ROOT / "tests" / "attacks"
SECRET_TEXT = "TOP-SECRET-4f1c9a"
# the only scripts a page loads: the site's own static files
OUR_SCRIPTS = {"itu-languages.js", "itu-search.js", "itu-compare.js", "root.js"}


def attacks(name: str) -> list[dict]:
    return yaml.safe_load((ATTACKS / f"{name}.yaml").read_text(encoding="utf-8"))


CONTENT = sorted(p.stem for p in ATTACKS.glob("*.yaml") if p.stem != "tree")


@pytest.fixture
def bait(tmp_path: Path) -> dict[str, Path]:
    """A marker that appears if anything runs, and secrets outside the content tree."""
    secrets = tmp_path / "outside"
    (secrets / "folder").mkdir(parents=True)
    (secrets / "secret.txt").write_text(SECRET_TEXT, encoding="utf-8")
    (secrets / "folder" / "stolen.md").write_text(f"# {SECRET_TEXT}\n", encoding="utf-8")
    return {"MARKER": tmp_path / "marker", "SECRET_FOLDER": secrets / "folder",
            "SECRET": secrets / "secret.txt"}


def expand(case: dict) -> str:
    """An attack's text, with its lines repeated and its directives nested."""
    text = case["text"] + case.get("repeat", {}).get("line", "") * case.get(
        "repeat", {}).get("times", 0)
    for depth in range(case.get("nest", 0)):
        fence = ":" * (3 + depth)
        text = f"{fence}{{note}}\n{text}{fence}\n"
    return text


def plant(source: Path, case: dict, bait: dict[str, Path]) -> None:
    """Write one attack into a content tree: a file, or a symbolic link."""
    target = source / case["file"]
    target.parent.mkdir(parents=True, exist_ok=True)
    if "symlink" in case:
        os.symlink(bait[case["symlink"]], target)
        return
    text = expand(case)
    for name in ("SECRET_FOLDER", "SECRET", "MARKER"):  # longest first
        text = text.replace(name, str(bait[name]))
    target.write_text(text, encoding="utf-8")


def assert_refused(output: str, cases: list[dict], out: Path, bait: dict[str, Path]) -> None:
    """Every refusal named at its line with its code; nothing ran, leaked or published."""
    assert "Traceback" not in output
    for case in cases:
        for line, code in case["refused"]:
            where = f"{case['file']}:{line}:" if line else f"{case['file']} is a symbolic link"
            assert any(where in said and f"[itu.{code}]" in said
                       for said in output.splitlines()), (case["name"], where, code, output)
    assert not bait["MARKER"].exists(), "content ran code"
    leaked = [p for p in out.rglob("*") if p.is_file() and SECRET_TEXT.encode() in p.read_bytes()]
    assert not leaked, f"a file outside the content tree reached the output: {leaked}"
    assert not list(out.rglob("_downloads")) and not list(out.rglob("_images"))


@pytest.mark.slow
@pytest.mark.parametrize("kind", CONTENT)
def test_the_site_build_refuses_every_attack(project, tmp_path, bait, kind):
    cases = attacks(kind)
    assert len(cases) >= 2, "more than one payload per class"
    (project / "resolutions").mkdir(exist_ok=True)
    (project / "resolutions" / "5.md").write_text(FIVE, encoding="utf-8")
    for case in cases:
        plant(project, case, bait)
    out = tmp_path / "out"
    result = run_build("html", "--lang", "en", "--no-pdf", "--source", str(project),
                       "--out", str(out))
    assert result.returncode != 0, "a refused document fails the build"
    assert_refused(result.stdout + result.stderr, cases, out, bait)
    assert not (out / "site").exists(), "nothing is published"


@pytest.mark.slow
@pytest.mark.parametrize("kind", CONTENT)
def test_the_redline_build_refuses_every_attack_before_writing(tmp_path, bait, kind):
    cases = [case for case in attacks(kind) if "symlink" not in case or case["file"]
             .endswith(".md")]  # a linked folder holds no changed document to refuse
    (tmp_path / "repo").mkdir()
    repo = project_repo(tmp_path / "repo", {"resolutions/5.md": FIVE})
    base = write(repo, {})
    for case in cases:
        plant(repo / "source", case, bait)
    head = write(repo, {})
    out = tmp_path / "out"
    result = run_build("diff", "--repo", str(repo), "--base", base, "--head", head,
                       "--out", str(out))
    assert result.returncode == 1
    if any("symlink" in case for case in cases):  # refused first, on their own
        cases = [case for case in cases if "symlink" in case]
    for case in cases:
        case["file"] = f"source/{case['file']}"
        case["refused"] = [(line or 0, code) for line, code in case["refused"]]
    output = result.stderr.replace("a symbolic link or a submodule", "is a symbolic link")
    output = re.sub(r"(source/\S+): is a symbolic link", r"\1 is a symbolic link", output)
    assert_refused(output, cases, out, bait)
    assert not (out / "diff").exists()


def plumbing(repo: Path, *args: str, stdin: str) -> str:
    """git with its input given."""
    return subprocess.run(["git", "-C", str(repo), *args], input=stdin, check=True,
                          capture_output=True, text=True).stdout.strip()


def graft(repo: Path, commit: str, path: str, mode: str, text: str) -> str:
    """A commit on top of ``commit`` whose tree also holds ``path`` (any name, even
    "..", as a crafted repository can hold), made with git's plumbing."""
    blob = plumbing(repo, "hash-object", "-w", "--stdin", stdin=text)

    def tree(base: str | None, parts: list[str]) -> str:
        listing = git(repo, "ls-tree", base) if base else ""
        entries = [e for e in listing.splitlines() if e.split("\t")[1] != parts[0]]
        old = next((e.split()[2] for e in listing.splitlines()
                    if e.split("\t")[1] == parts[0] and e.split()[1] == "tree"), None)
        if len(parts) == 1:
            entries.append(f"{mode} blob {blob}\t{parts[0]}")
        else:
            entries.append(f"040000 tree {tree(old, parts[1:])}\t{parts[0]}")
        return plumbing(repo, "mktree", stdin="\n".join(entries) + "\n")

    top = tree(git(repo, "rev-parse", f"{commit}^{{tree}}"), ["source", *path.split("/")])
    return git(repo, "commit-tree", top, "-p", commit, "-m", "crafted")


@pytest.mark.slow
@pytest.mark.parametrize("case", attacks("tree"), ids=lambda case: case["name"])
def test_a_crafted_tree_is_refused_before_anything_is_written(tmp_path, bait, case):
    (tmp_path / "repo").mkdir()
    repo = project_repo(tmp_path / "repo", {"resolutions/5.md": FIVE})
    base = write(repo, {})
    symlink = "symlink" in case
    text = str(bait["SECRET"]) if symlink else FIVE
    head = graft(repo, base, case["file"], "120000" if symlink else "100644", text)
    out = tmp_path / "work" / "out"
    result = run_build("diff", "--repo", str(repo), "--base", base, "--head", head,
                       "--out", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "[itu.policy.path]" in result.stderr and f"source/{case['file']}" in result.stderr
    assert not (out / "diff").exists()
    assert not list(tmp_path.rglob("escaped.*")), "a file was written outside the build"


def test_every_document_of_the_site_is_within_the_policy():
    documents = [p for p in (ROOT / "source").rglob("*.md") if "compare" not in p.parts]
    assert len(documents) >= 9
    for path in documents:
        folder = path.parent.relative_to(ROOT / "source").as_posix().strip(".")
        assert policy.violations(path.read_text(encoding="utf-8"), folder=folder) == [], path


@pytest.mark.parametrize("text", [
    "[x]{.itu-computed}", ":::{container} itu-inserted-block itu-computed\nx\n:::",
    ":::{part} resolves\n:class: itu-computed\n1. x\n:::"])
def test_marks_of_the_build_are_refused_in_authored_text_only(text):
    assert policy.violations(text) and not policy.violations(text, generated=True)


@pytest.mark.slow  # all six languages
def test_nothing_in_the_built_site_can_run_or_redirect(sites: Path):
    """Every page of every language: a strict Content-Security-Policy, no inline script
    or style, no javascript:/data: address, no refresh."""
    pages = sorted(sites.rglob("*.html"))
    languages = {p.relative_to(sites).parts[0] for p in pages if p.parent != sites}
    assert len(languages) == 6 and len(pages) > 60
    for path in pages:
        doc = html.parse(str(path))
        csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
        assert csp and "default-src 'self'" in csp[0], path
        assert "unsafe-inline" not in csp[0]
        scripts = doc.xpath("//script")
        assert all(s.get("src") and not (s.text or "").strip() for s in scripts), path
        names = {s.get("src").rpartition("/")[2].partition("?")[0] for s in scripts}
        assert names <= OUR_SCRIPTS, (path, names - OUR_SCRIPTS)
        assert not doc.xpath("//@style"), path
        assert not [m for m in doc.xpath("//meta/@http-equiv") if "refresh" in m.lower()], path
        for tag in doc.iter(etree.Element):  # elements, not comments
            for name in ("href", "src", "action", "formaction", "srcset", "data"):
                value = re.sub(r"\s", "", tag.get(name, "")).lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), (path, tag)
            assert not [a for a in tag.attrib if a.lower().startswith("on")], (path, tag)


@pytest.mark.slow
def test_every_build_refuses_a_link_while_it_is_there(project, tmp_path, bait):
    """A link added after a first build is refused by the incremental builds that follow
    (nothing is left out once and forgotten), and the build passes once it is gone."""
    (project / "resolutions").mkdir()
    (project / "resolutions" / "5.md").write_text(FIVE, encoding="utf-8")
    out = tmp_path / "out"

    def build() -> subprocess.CompletedProcess:
        return run_build("html", "--lang", "en", "--no-pdf", "--source", str(project),
                         "--out", str(out))

    assert build().returncode == 0
    os.symlink(bait["SECRET_FOLDER"] / "stolen.md", project / "resolutions" / "6.md")
    for _ in range(2):
        result = build()
        assert result.returncode != 0 and "[itu.policy.path]" in result.stderr
        assert "Traceback" not in result.stderr
        leaked = [p for p in out.rglob("*") if p.is_file() and SECRET_TEXT.encode() in
                  p.read_bytes()]
        assert not leaked
    (project / "resolutions" / "6.md").unlink()
    assert build().returncode == 0


PLAIN_PIECES = ["considering", "ITU‑T", "1. ", "a) ", "# ", "> ", "- ", "* ", "+ ", "%",
                "(target)=", "|", "| a | b |\n|---|---|\n| 1 | 2 |", "***", "    code",
                "+++", ":", "::", "--", "-", "=", "&amp;", "&#60;", "\\", "$", "*x*",
                "_y_", "http://example.org", "www.itu.int", "a@b.org", "\n", "\n\n", " ",
                "\t", "«", "，", "“", "：", "；", "(", ")", ";", ",", ".", "'", '"', "#",
                "@", "^", "?", "/", "0", "2022", "é", "ب", "中"]


@given(st.lists(st.sampled_from(PLAIN_PIECES), max_size=40).map("".join))
@settings(max_examples=400, deadline=None)
def test_a_text_without_any_constructs_marks_is_plain_to_the_policy(text):
    """The policy reads a text as MyST only if it holds one of the marks a construct
    needs (policy.CONSTRUCT); for any other, MyST's full reading finds nothing to
    refuse either, so the shortcut hides nothing."""
    assume(not policy.CONSTRUCT.search(text))
    assert policy.violations(text, tokens=policy.markdown().parse(text)) == []
