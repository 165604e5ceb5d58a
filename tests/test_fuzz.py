"""Fuzzing the build: random mutations of a real resolution either build or fail with
coded messages at a file and line; never a traceback, never a hang."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import ROOT, run_build
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow

# a resolution, and a proposal (its base, Resolution 44, is in every build)
REAL = {name: (ROOT / "source" / name).read_text(encoding="utf-8").splitlines()
        for name in ("resolutions/74.md", "proposals/44-atu.md")}
PIECES = [":::", "{", "`", "[^", "[^1]", "---", ":::{part} considering", "{ins}`", "::::",
          "1. ", "# ", "]{.ins}", "[", "\\"]
# a message names its file (and line, where it has one), one the editor wrote (not a
# generated comparison page), and has a code
SAID = re.compile(r"^(?:/(?!\S*/compare/)\S+?(?::\d+)?: (?:WARNING|ERROR): "
                  r"|(?:WARNING|ERROR): /(?!\S*/compare/)\S+ ).*\[[\w.-]+\]$")

lines = st.integers(min_value=0, max_value=200)
MUTATIONS = st.one_of(
    st.tuples(st.just("delete"), lines), st.tuples(st.just("duplicate"), lines),
    st.tuples(st.just("swap"), lines, lines), st.tuples(st.just("truncate"), lines),
    st.tuples(st.just("insert"), lines, st.sampled_from(PIECES), st.integers(0, 80)))


def mutate(text: list[str], mutation: tuple) -> list[str]:
    kind, at, *rest = mutation
    at = at % len(text)
    if kind == "delete":
        return text[:at] + text[at + 1:]
    if kind == "duplicate":
        return text[:at + 1] + text[at:]
    if kind == "swap":
        other = rest[0] % len(text)
        text = list(text)
        text[at], text[other] = text[other], text[at]
        return text
    if kind == "truncate":
        return text[:at]
    piece, column = rest
    line = text[at]
    return [*text[:at], line[:column] + piece + line[column:], *text[at + 1:]]


@settings(max_examples=4, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(sorted(REAL)), mutations=st.lists(MUTATIONS, min_size=1,
                                                               max_size=3))
# once tracebacks: a stray "[^" or "[^1]" in a proposal's part
@example(name="proposals/44-atu.md", mutations=[("insert", 30, "[^", 5)])
@example(name="proposals/44-atu.md", mutations=[("insert", 30, "[^1]", 5)])
# once named a generated comparison page: a part left open in a proposal
@example(name="proposals/44-atu.md",
         mutations=[("insert", 158, "[^", 46), ("duplicate", 16), ("duplicate", 13)])
# once named a generated comparison page: a change mark left open in a proposal
@example(name="proposals/44-atu.md", mutations=[("insert", 171, "{ins}`", 72)])
# once named a generated comparison page: a part's closing fence given a mark
@example(name="proposals/44-atu.md", mutations=[("insert", 148, "{ins}`", 20)])
# once named a generated comparison page: a proposal's edition made wrong
@example(name="proposals/44-atu.md", mutations=[("insert", 4, "1. ", 46), ("swap", 127, 200)])
def test_a_mutated_document_builds_or_is_reported(project, tmp_path_factory, name, mutations):
    text = REAL[name]
    for mutation in mutations:
        text = mutate(text, mutation) or [""]
    (project / "index.md").write_text("# Test\n\n```{toctree}\n:glob:\n\n**\n```\n", "utf-8")
    (project / "resolutions").mkdir(exist_ok=True)
    shutil.copy(ROOT / "source" / "resolutions" / "44.md", project / "resolutions" / "44.md")
    target = project / name
    target.parent.mkdir(exist_ok=True)
    target.write_text("\n".join(text) + "\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("fuzz")
    result = run_build("check", "--lang", "en", "--no-pdf", "--source", str(project),
                       "--out", str(out))
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "sphinx-err" not in output, (mutations, output)
    assert result.returncode in (0, 1), (mutations, output)
    messages = [line for line in output.splitlines() if "WARNING:" in line or "ERROR:" in line]
    uncoded = [line for line in messages if not SAID.match(line)]
    assert not uncoded, (mutations, uncoded)
    if result.returncode:
        assert messages, (mutations, output)
    shutil.rmtree(out)
