"""The redline of a branch that main has moved past shows the branch's changes only."""

from __future__ import annotations

import json

import pytest
from conftest import run_build
from test_redline import FIVE, git, project_repo, write


@pytest.mark.slow
def test_a_branch_behind_main_is_compared_with_where_it_left_main(tmp_path):
    (tmp_path / "repo").mkdir()
    repo = project_repo(tmp_path / "repo", {"resolutions/5.md": FIVE,
                                            "resolutions/7.md": FIVE.replace("number: 5",
                                                                             "number: 7")})
    fork = write(repo, {})
    git(repo, "checkout", "-q", "-b", "proposal")
    write(repo, {"resolutions/5.md": FIVE.replace("# Unchanged", "# Changed by the branch")})
    git(repo, "checkout", "-q", "main")
    write(repo, {"resolutions/7.md": FIVE.replace("number: 5", "number: 7").replace(
        "# Unchanged", "# Changed on main later")})

    def summary(*extra: str) -> dict:
        out = tmp_path / "-".join(("out", *extra))
        result = run_build("diff", "--repo", str(repo), "--base", "main", "--head", "proposal",
                           "--out", str(out), *extra)
        assert result.returncode == 0, result.stdout + result.stderr
        return json.loads((out / "diff" / "summary.json").read_text(encoding="utf-8"))

    merged = summary()
    assert [d["path"] for d in merged["documents"]] == ["source/resolutions/5.md"]
    assert merged["base"]["commit"] == fork, "the merge base, not main's tip"
    apart = summary("--two-dot", "--no-pdf")
    assert [d["path"] for d in apart["documents"]] == ["source/resolutions/5.md",
                                                       "source/resolutions/7.md"]
    assert (tmp_path / "out" / "diff" / "pdf").is_dir(), "PDFs unless --no-pdf"
    html_only = tmp_path / "out---two-dot---no-pdf" / "diff"
    assert (html_only / "resolutions" / "5.html").is_file()
    assert not (html_only / "pdf").exists() and "pdf" not in (
        html_only / "resolutions" / "5.html").read_text(encoding="utf-8").lower()
