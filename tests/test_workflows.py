"""The CI workflows parse, and every build.py command they run exists."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import ROOT, run_build

import build

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def commands(workflow: dict) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values()
            for step in job.get("steps", []) if "run" in step]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_commands_exist(path):
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert workflow["permissions"] == {"contents": "read"}, "read-only unless a job says so"
    subcommands = build.parser()._subparsers._group_actions[0].choices
    used = [re.search(r"python build\.py (\w+)", run) for run in commands(workflow)]
    used = [m[1] for m in used if m]
    assert all(command in subcommands for command in used)
    assert used or "workflow_run" in workflow[True], "only a follow-up workflow builds nothing"


def test_site_workflow_builds_each_language_in_its_own_job():
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text("utf-8"))
    matrix = workflow["jobs"]["build"]["strategy"]["matrix"]["lang"]
    assert "needs.languages.outputs.list" in matrix
    result = run_build("languages")
    assert result.returncode == 0 and yaml.safe_load(result.stdout) == build.LANGUAGES


def test_assemble_writes_a_root_page_for_the_languages_built(tmp_path):
    (tmp_path / "site" / "en").mkdir(parents=True)
    (tmp_path / "site" / "en" / "index.html").write_text("<html></html>")
    result = run_build("assemble", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    root = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="en"' in root and 'href="en/index.html"' in root
    assert (tmp_path / "site" / "root.js").is_file() and "<script>" not in root


def test_redline_runs_the_base_revisions_code_and_comments_from_elsewhere():
    """The pull request's code never runs with a write token: the build job checks out
    the base, reads the head as data and is read-only; only the follow-up workflow,
    which checks out nothing, may write to pull requests."""
    build_flow = yaml.safe_load((ROOT / ".github/workflows/redline.yml").read_text("utf-8"))
    assert list(build_flow[True]) == ["pull_request"]
    steps = build_flow["jobs"]["redline"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert not any("permissions" in job for job in build_flow["jobs"].values())
    diff = next(s["run"] for s in steps if "build.py diff" in s.get("run", ""))
    assert "--base ${{ github.event.pull_request.base.sha }}" in diff
    assert any(s.get("uses", "").startswith("actions/upload-artifact") and
               s["with"]["path"] == "_build/diff" for s in steps)
    comment = yaml.safe_load((ROOT / ".github/workflows/redline-comment.yml").read_text("utf-8"))
    assert comment[True]["workflow_run"]["workflows"] == [build_flow["name"]]
    job = comment["jobs"]["comment"]
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert not any("checkout" in s.get("uses", "") for s in job["steps"])
    assert "redline/summary.md" in job["steps"][-1]["run"]
