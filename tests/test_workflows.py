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
    assert used and all(command in subcommands for command in used)


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
    assert 'const langs = ["en"]' in root and 'href="en/index.html"' in root
