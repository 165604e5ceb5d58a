"""The CI workflows: they parse, every build.py command they run exists, and they
hold to their isolation (pinned actions, timeouts, least permissions, a comment job
that trusts no artifact); the dependency lock; the escaping of the comment."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_build
from hypothesis import given
from hypothesis import strategies as st
from itu import cli, review
from markdown_it import MarkdownIt
from packaging.requirements import Requirement

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text("utf-8"))


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def commands(workflow: dict) -> list[str]:
    return [step["run"] for step in steps(workflow) if "run" in step]


def test_the_workflows_are_all_checked():
    assert {path.stem for path in WORKFLOWS} >= {"site", "redline", "redline-comment",
                                                 "redline-preview-close"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_commands_exist(path):
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert workflow["permissions"] == {"contents": "read"}, "read-only unless a job says so"
    subcommands = cli.parser()._subparsers._group_actions[0].choices
    used = [m[1] for run in commands(workflow) for m in re.finditer(r"python build\.py (\w+)", run)]
    assert used or path.stem == "redline-preview-close"  # an action's step alone
    assert all(command in subcommands for command in used)


def test_site_workflow_builds_each_language_in_its_own_job():
    workflow = load("site.yml")
    matrix = workflow["jobs"]["build"]["strategy"]["matrix"]["lang"]
    assert "needs.languages.outputs.list" in matrix
    result = run_build("languages")
    assert result.returncode == 0 and yaml.safe_load(result.stdout) == cli.LANGUAGES


def test_assemble_writes_a_root_page_for_the_languages_built(tmp_path):
    (tmp_path / "site" / "en").mkdir(parents=True)
    (tmp_path / "site" / "en" / "index.html").write_text("<html></html>")
    result = run_build("assemble", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    root = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="en"' in root and 'href="en/index.html"' in root
    assert (tmp_path / "site" / "root.js").is_file() and "<script>" not in root


# --- the isolation of the workflows ---------------------------------------------------

USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)\s*(.*)$", re.M)


def test_every_action_is_pinned_by_commit_with_its_tag_in_a_comment():
    tags: dict[str, str] = {}
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        found = USES.findall(text)
        parsed = [s["uses"] for s in steps(yaml.safe_load(text)) if "uses" in s]
        assert [ref for ref, _ in found] == parsed, f"{path.name}: a uses: line was missed"
        for ref, comment in found:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{ref} is not pinned"
            tag = re.fullmatch(r"# (v\d+\.\d+\.\d+)", comment)
            assert tag, f"{ref} has no '# vX.Y.Z' comment"
            assert tags.setdefault(ref, tag[1]) == tag[1], f"{ref} is named by two tags"
    assert {ref.partition("@")[0] for ref in tags} >= {
        "actions/checkout", "actions/setup-python", "actions/upload-artifact",
        "actions/download-artifact", "JamesIves/github-pages-deploy-action",
        "rossjrw/pr-preview-action"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_has_a_timeout(path):
    jobs = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]
    assert jobs and all(type(job.get("timeout-minutes")) is int
                        and 0 < job["timeout-minutes"] <= 30 for job in jobs.values())


def test_only_the_jobs_that_must_write_have_more_than_read_access():
    granted = {(path.stem, name): job["permissions"] for path in WORKFLOWS
               for name, job in yaml.safe_load(path.read_text("utf-8"))["jobs"].items()
               if "permissions" in job}
    assert granted == {
        ("site", "assemble"): {"contents": "write"},
        ("redline-comment", "verify"): {"actions": "read", "contents": "read",
                                        "pull-requests": "read"},
        ("redline-comment", "preview"): {"contents": "write"},
        ("redline-comment", "comment"): {"actions": "read", "contents": "read",
                                         "pull-requests": "write"},
        ("redline-preview-close", "remove"): {"contents": "write"},
        ("redline", "check"): {"contents": "read", "security-events": "write"}}


def test_no_expression_is_spliced_into_a_script():
    """Values of the event (a pull request's title, branch name, ...) reach a script
    only through env:, where they are data; here no script holds any ${{ }} at all."""
    scripts = [run for path in WORKFLOWS for run in commands(yaml.safe_load(
        path.read_text("utf-8")))]
    assert len(scripts) >= 10
    assert [run for run in scripts if "${{" in run] == []


def test_a_deployment_is_never_cancelled():
    assert load("site.yml")["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_the_redline_runs_the_base_revisions_code():
    """The pull request's code never runs: the build job checks out the base, reads
    the head as data and is read-only."""
    workflow = load("redline.yml")
    assert list(workflow[True]) == ["pull_request"]
    job = workflow["jobs"]["redline"]
    assert "permissions" not in job
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert checkout["with"]["persist-credentials"] is False
    diff = next(s for s in job["steps"] if "build.py diff" in s.get("run", ""))
    assert diff["env"]["BASE"] == "${{ github.event.pull_request.base.sha }}"
    assert '--base "$BASE"' in diff["run"]
    uploads = {s["with"]["name"]: s["with"]["path"] for s in job["steps"]
               if s.get("uses", "").startswith("actions/upload-artifact")}
    assert uploads["redline"] == "_build/diff"
    assert uploads["redline-summary"].split() == [
        "_build/diff/summary.json", "_build/diff/pull-request", "_build/diff/head-sha"]


def test_the_comment_job_trusts_no_artifact():
    workflow = load("redline-comment.yml")
    assert workflow[True]["workflow_run"]["workflows"] == [load("redline.yml")["name"]]
    jobs = workflow["jobs"]
    verify, comment = jobs["verify"], jobs["comment"]
    condition = " ".join(verify["if"].split())
    for check in ("github.event.workflow_run.event == 'pull_request'",
                  "github.event.workflow_run.path == '.github/workflows/redline.yml'",
                  "github.event.workflow_run.repository.full_name == github.repository"):
        assert check in condition
    assert jobs["preview"]["needs"] == "verify" and comment["needs"] == ["verify", "preview"]
    assert "needs.verify.result == 'success'" in comment["if"]
    # the run is of this repository's redline workflow (by its id)
    workflow_check = next(s for s in verify["steps"] if "actions/workflows/redline.yml" in
                          s.get("run", ""))
    assert workflow_check["env"]["WORKFLOW"] == "${{ github.event.workflow_run.workflow_id }}"
    # the pull request named in the artifact has the commit built, and is of this repository
    check = next(s for s in verify["steps"] if "pulls/$number" in s.get("run", ""))
    assert check["env"]["BUILT"] == "${{ github.event.workflow_run.head_sha }}"
    assert "[.head.sha, .base.repo.full_name, .base.sha]" in check["run"]
    assert '"${found% *}" != "$BUILT $REPO"' in check["run"]
    assert 'head-sha" | tr -d' in check["run"] and "jq -r .head.commit" in check["run"]
    # only the summary (data) is taken, outside the checkout
    for job in (verify, comment):
        download = next(s for s in job["steps"] if "download-artifact" in s.get("uses", ""))
        assert download["with"]["name"] == "redline-summary"
        assert download["with"]["path"].startswith("${{ runner.temp }}")
    # the code that runs is the default branch's, without credentials or the token
    checkout = next(s for s in comment["steps"] if "checkout" in s.get("uses", ""))
    assert checkout["with"] == {"ref": "${{ github.event.repository.default_branch }}",
                                "persist-credentials": False}
    render = next(s for s in comment["steps"] if "build.py comment" in s.get("run", ""))
    assert "GH_TOKEN" not in render["env"]
    assert render["env"]["RUN"].startswith("${{ github.server_url }}/${{ github.repository }}")
    assert "needs.preview.outputs.url" in render["env"]["PREVIEW"]
    assert '--preview-url "$PREVIEW"' in render["run"]
    # one comment, found by its marker among the bot's own
    named = {step.get("name", step.get("uses", "")): step for step in comment["steps"]}
    post = named["Post the comment, or edit the one posted before"]["run"]
    assert review.COMMENT_MARKER in post and '"github-actions[bot]"' in post
    runs = [s["run"] for s in comment["steps"] if "run" in s]
    assert not any("--edit-last" in run or "summary.md" in run for run in runs)


def test_the_preview_is_built_by_the_default_branch_and_published_by_its_action_only():
    """The preview job runs the default branch's code on the pull request's files (data:
    git reads them, the content policy builds them), publishes nothing of the artifact,
    and hands its token to the preview action alone; the closing workflow runs nothing."""
    job = load("redline-comment.yml")["jobs"]["preview"]
    checkout = next(s for s in job["steps"] if "checkout" in s.get("uses", ""))
    assert checkout["with"]["ref"] == "${{ github.event.repository.default_branch }}"
    assert checkout["with"]["persist-credentials"] is False
    assert not any("download-artifact" in s.get("uses", "") for s in job["steps"])
    runs = " ".join(s["run"] for s in job["steps"] if "run" in s)
    assert 'build.py diff --base "$BASE" --head "$HEAD"' in runs
    assert 'git checkout "$HEAD" -- source' in runs and "build.py html" in runs
    assert not any("token" in " ".join(map(str, (s.get("env") or {}).values())) or
                   "token" in str(s.get("with", {})) for s in job["steps"]
                   if "pr-preview-action" not in s.get("uses", ""))
    publish = next(s for s in job["steps"] if "pr-preview-action" in s.get("uses", ""))
    assert publish["with"] == {"source-dir": "_build/preview", "action": "deploy",
                               "pr-number": "${{ needs.verify.outputs.number }}",
                               "comment": False}
    close = load("redline-preview-close.yml")
    assert list(close[True]) == ["pull_request_target"]
    assert close[True]["pull_request_target"]["types"] == ["closed"]
    (step,) = close["jobs"]["remove"]["steps"]
    assert "pr-preview-action" in step["uses"] and step["with"]["action"] == "remove"
    # the site keeps the previews when it is published
    assemble = load("site.yml")["jobs"]["assemble"]
    deploy = next(s for s in assemble["steps"] if "github-pages-deploy-action" in
                  s.get("uses", ""))
    assert deploy["with"]["branch"] == "gh-pages"
    assert deploy["with"]["clean-exclude"] == "pr-preview/"


# --- the lock ----------------------------------------------------------------------

LOCKED = re.compile(
    r"^([A-Za-z0-9][\w.-]*)==(\S+)(?: ;[^\\]*?)?((?: \\\n +--hash=sha256:[0-9a-f]{64})+)", re.M)


def locked(lock: Path = cli.LOCK) -> dict[str, list[tuple[str, int]]]:
    """Each locked package: its versions (one per marker) and how many hashes each has."""
    text = lock.read_text(encoding="utf-8")
    entries: dict[str, list[tuple[str, int]]] = {}
    for name, version, hashes in LOCKED.findall(text):
        entries.setdefault(re.sub(r"[-_.]+", "-", name).lower(), []).append(
            (version, hashes.count("--hash=")))
    assert sum(len(v) for v in entries.values()) == len(re.findall(r"^\S+==", text, re.M))
    return entries


def test_the_lock_pins_every_dependency_with_hashes():
    entries = locked()
    wanted = [Requirement(line) for line in cli.requirements()]
    assert len(wanted) >= 10
    for requirement in wanted:
        versions = entries.get(re.sub(r"[-_.]+", "-", requirement.name).lower())
        assert versions, f"{requirement.name} is not in requirements.lock"
        assert all(requirement.specifier.contains(v, prereleases=True) for v, _ in versions)
    assert all(count >= 1 for versions in entries.values() for _, count in versions)
    assert {"sphinx", "docutils", "pyyaml", "jinja2", "markupsafe"} <= entries.keys()
    cli.check_lock()  # made from pyproject.toml as it is


def with_a_new_dependency(tmp_path: Path) -> None:
    """A copy of build.py with the command line, the lock, and pyproject.toml with one
    dependency more."""
    for name in ("build.py", "requirements.lock", "ext/itu/__init__.py", "ext/itu/cli.py",
                 "ext/itu/progress.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"pyyaml>=6.0",' in pyproject and "tomli-w" not in pyproject
    (tmp_path / "pyproject.toml").write_text(
        pyproject.replace('"pyyaml>=6.0",', '"pyyaml>=6.0",\n    "tomli-w>=1.0",'), "utf-8")


def test_a_lock_older_than_pyproject_stops_the_setup(tmp_path):
    with_a_new_dependency(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "ITU_NO_VENV"}
    result = subprocess.run([sys.executable, str(tmp_path / "build.py"), "languages"],
                            capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "[itu.lock]" in result.stderr and "python3 build.py lock" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / ".venv").exists()


@pytest.mark.slow
def test_the_lock_command_adds_a_dependency_and_keeps_every_pin(tmp_path):
    with_a_new_dependency(tmp_path)
    result = subprocess.run([sys.executable, str(tmp_path / "build.py"), "lock"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    before, after = locked(), locked(tmp_path / "requirements.lock")
    assert [v for v, count in after.pop("tomli-w") if count] and "tomli-w" not in before
    assert {name: [v for v, _ in versions] for name, versions in after.items()} == {
        name: [v for v, _ in versions] for name, versions in before.items()}
    check = subprocess.run([sys.executable, "-c", "from itu import cli; print(cli.LOCK); "
                            "cli.check_lock()"], capture_output=True, text=True, cwd=tmp_path,
                           env={**os.environ, "PYTHONPATH": str(tmp_path / "ext")})
    assert check.returncode == 0 and check.stdout.strip() == str(tmp_path / "requirements.lock")


# --- the comment: escaped, with no markup from the summary --------------------------

PAYLOADS = ["@org/team", "[x](javascript:alert(1))", "![img](http://evil)", "<img src=x>",
            "`", "|", "\n", "\r\n", "\u2028", "@everyone", "#1", "https://evil.example/x",
            "www.evil.example", "a@b.example", "<!-- x -->", "&lt;b&gt;", "\\", "*_~",
            "\x00\x1b[31m"]
hostile = st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=12)),
                   max_size=6).map("".join)
RUN_URL = "https://github.com/itu/resolutions/actions/runs/42"


def summary_with(text: str) -> dict:
    """A summary of one document in which every piece of text is ``text``."""
    return {"base": {"ref": text, "commit": text}, "head": {"ref": text, "commit": text},
            "inserted": 1, "deleted": 2,
            "documents": [{"path": "source/resolutions/1.md", "page": "resolutions/1.html",
                           "status": "modified", "title": text, "inserted": 1, "deleted": 2,
                           "metadata": [text],
                           "clauses": [{"clause": text, "anchor": text, "inserted": 1,
                                        "deleted": 2}]}]}


def as_read(text: str) -> str:
    """What a reader should see of ``text``: on one line, without control characters."""
    return "".join(c for c in " ".join(text.split())
                   if unicodedata.category(c) != "Cc" and c != review.WORD_JOINER)


def check_comment(text: str) -> None:
    """The comment for a summary made of ``text`` shows it as text, and nothing else."""
    tokens = MarkdownIt("commonmark").enable("table").parse(review.comment(
        summary_with(text), RUN_URL))
    flat = [child for token in tokens for child in [token, *(token.children or [])]]
    assert [t.content for t in flat if t.type.startswith("html")] == [
        review.COMMENT_MARKER + "\n"]
    assert [t.attrs["href"] for t in flat if t.type == "link_open"] == [RUN_URL]
    assert [t.content for t in flat if t.type == "code_inline"] == ["redline"]
    assert not [t for t in flat if t.type in ("image", "softbreak", "hardbreak")]
    shown = "".join(t.content for t in flat if t.type == "text")
    assert not re.search(r"[@#](?!\u2060)|://|www\.", shown, re.I), shown
    cells = [tokens[i + 1].children for i, token in enumerate(tokens)
             if token.type == "td_open"]
    assert len(cells) == 5
    assert all([c.type for c in cell] in ([], ["text"]) for cell in cells)
    title = "".join(c.content for c in cells[0]).replace(review.WORD_JOINER, "")
    assert title == f"resolutions/1.md: {as_read(text)}".strip()


PREVIEW_URL = "https://itu.github.io/resolutions/pr-preview/pr-7/"


@given(hostile)
def test_a_preview_links_only_its_own_pages_and_plain_anchors(text):
    """With the preview's address, the document and its clause link into the preview's
    redline, where the summary's page and anchor are plain; nothing else becomes a link."""
    summary = summary_with(text)
    tokens = MarkdownIt("commonmark").enable("table").parse(review.comment(
        summary, RUN_URL, PREVIEW_URL))
    hrefs = [child.attrs["href"] for token in tokens for child in token.children or []
             if child.type == "link_open"]
    page = f"{PREVIEW_URL}redline/resolutions/1.html"
    expected = [page, *([f"{page}#{text}"] if review.ANCHOR.fullmatch(text) else []),
                f"{PREVIEW_URL}redline/index.html", f"{PREVIEW_URL}site/index.html", RUN_URL]
    assert hrefs == expected


def test_the_comment_command_takes_only_a_preview_address(tmp_path):
    good = tmp_path / "summary.json"
    good.write_text(json.dumps(summary_with("x")), encoding="utf-8")
    result = run_build("comment", str(good), "--preview-url", PREVIEW_URL)
    assert result.returncode == 0 and f"]({PREVIEW_URL}redline/resolutions/1.html)" in \
        result.stdout, result.stderr
    for bad in ("http://itu.github.io/x/", "https://x/y)[z](javascript:1)/", "https://x/y"):
        result = run_build("comment", str(good), "--preview-url", bad)
        assert result.returncode == 1 and "[itu.comment] --preview-url" in result.stderr


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_reaches_the_comment_as_text(payload):
    check_comment(payload)
    check_comment(f"see {payload} here {payload}")


@given(hostile)
def test_any_text_reaches_the_comment_as_text(text):
    check_comment(text)


def test_the_comment_command_renders_a_summary_and_refuses_anything_else(tmp_path):
    good = tmp_path / "summary.json"
    good.write_text(json.dumps(summary_with("[x](javascript:alert(1))")), encoding="utf-8")
    result = run_build("comment", str(good), "--run-url", RUN_URL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(review.COMMENT_MARKER)
    assert f"[the run that built it]({RUN_URL})" in result.stdout
    assert "\\[x\\]\\(javascript:alert\\(1\\)\\)" in result.stdout
    for bad in ({"base": 1}, {**summary_with("x"), "inserted": "<b>9</b>"}, [1, 2]):
        (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
        result = run_build("comment", str(tmp_path / "bad.json"))
        assert result.returncode == 1 and "[itu.comment]" in result.stderr, result.stderr
        assert "not a redline summary" in result.stderr and "Traceback" not in result.stderr
    result = run_build("comment", str(good), "--run-url", "https://x/y)[z](javascript:1")
    assert result.returncode == 1 and "[itu.comment]" in result.stderr


def test_a_long_summary_is_cut_to_what_github_takes():
    summary = summary_with("x" * 1000)
    summary["documents"] *= 200
    text = review.comment(summary, RUN_URL)
    assert len(text) <= review.COMMENT_LIMIT
    assert text.count("| modified |") < 200 and "more document(s), not listed" in text
    assert text.endswith(f"({RUN_URL}).\n")


def test_the_pull_requests_check_runs_the_base_code_and_uploads_its_findings():
    """The base's check, on the pull request's source/ only; its SARIF goes to code
    scanning, and the check's verdict is the job's."""
    job = load("redline.yml")["jobs"]["check"]
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    taken = next(s for s in job["steps"] if "git checkout" in s.get("run", ""))
    assert taken["run"].strip().endswith("git checkout refs/remotes/pull/head -- source")
    check = next(s for s in job["steps"] if "build.py check" in s.get("run", ""))
    assert "--format sarif > check.sarif" in check["run"] and "||" not in check["run"]
    upload = next(s for s in job["steps"] if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "check.sarif" and "always()" in upload["if"]
