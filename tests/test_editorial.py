"""ITU's editorial rules (source/_data/editorial.yaml): each departure is a coded warning
at its line; a comment inside the item, part or document silences it there; text that
follows the rules builds without a word (as the corpus does: every build of it is
strict)."""

from __future__ import annotations

import re

from conftest import run_build

HEAD = "---\nkind: resolution\nnumber: {number}\nedition: Geneva, 2022\n---\n\n# {title}\n\n"

FOLLOWS = HEAD.format(number=951, title="Bridging the gap between developing{stdfn}"
                      "`developing-countries` and developed countries") + """\
:::{part} considering
1. that ITU‑T works on standards;
1. that developing countries take part:
   1. in study groups;
   1. in workshops;
1. that the work goes on,
:::

:::{part} resolves
1. to continue;
1. to report.
:::
"""

SILENCED = HEAD.format(number=952, title="Silenced where the original says so") + """\
:::{part} considering
1. that one,
   % itu: allow punctuation (as the original text has it)
1. that ITU-T and developing countries work;
   % itu: allow hyphen
1. that three,
:::

% itu: allow first-mention (a document's silence)
:::{part} resolves
% itu: allow superseded (a part's silence)

1. that developing countries take part;
1. that the footnote{stdfn}`developing-countries` comes later;
1. that Resolution 951 (Dubai, 2012) of this assembly is cited as the original cites it.
:::
"""

# (file, line, code, what the message says)
BROKEN = HEAD.format(number=953, title="Departures") + """\
:::{part} considering
1. that one,
1. that ITU-R, developing countries and ITU‑T work{stdfn}`developing-countries`;
1. that three;
:::

:::{part} resolves
1. that it introduces
   1. a sub-item;
1. to follow Resolution 951 (Dubai, 2012) of this assembly;
:::
"""
# an older edition of 951, which 953 cites
OLDER = HEAD.replace("Geneva, 2022", "Dubai, 2012").format(number=951, title="Older") + """\
:::{part} considering
1. that one,
:::
"""
SAID = [
    (10, "punctuation", "the item 'considering a)' ends with ',', where ITU texts end it "
                       "with ';'"),
    (11, "hyphen", "'ITU-R' is typed with a hyphen-minus"),
    (11, "first-mention", "the standard footnote 'developing-countries' is given later: "
                          "its first mention is 'developing countries' here"),
    (12, "punctuation", "the item 'considering c)' ends with ';', where ITU texts end it "
                        "with ','"),
    (16, "punctuation", "the item 'resolves 1' ends with 's', where ITU texts end it with "
                        "':'"),
    (18, "punctuation", "the item 'resolves 2' ends with ';', where ITU texts end it "
                        "with '.'"),
    (18, "superseded", "the citation names the edition Dubai, 2012, which Geneva, 2022 "
                       "replaced"),
]


def test_editorial_rules_are_checked_and_can_be_silenced(project, tmp_path):
    for name, text in (("951.md", FOLLOWS), ("952.md", SILENCED), ("953.md", BROKEN),
                       ("951-2012.md", OLDER)):
        (project / name).write_text(text, encoding="utf-8")
    # check fails on them; a build with PDFs shows each once (their builder resolves the
    # citations again, and says nothing the pages' build said)
    for command, options, status in (("check", ["--no-pdf"], 1), ("site", [], 0)):
        result = run_build(command, "--lang", "en", *options, "--source", str(project),
                           "--out", str(tmp_path / command))
        output = result.stdout + result.stderr
        assert result.returncode == status, output
        said = [line for line in output.splitlines() if "WARNING:" in line or "ERROR:" in line]
        for line, code, message in SAID:
            assert any(f"953.md:{line}: WARNING: {message}" in s and s.endswith(f"[itu.{code}]")
                       for s in said), (line, code, said)
        assert len(said) == len(SAID), said  # and nothing of the two other documents
        assert not re.search(r"95[12](-2012)?\.md", output), output
