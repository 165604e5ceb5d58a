"""Word-for-word comparison of built pages with the seeds they encode.

Run it directly to see where a page and its seed part ways:

    python tests/fidelity.py _build/site/en                 # every page
    python tests/fidelity.py _build/site/en --page proposals/44-atu
    python tests/fidelity.py _build/site/en --page proposals/44-atu \\
        --seed 002_e4eb4cc4694de83a.txt --lines 9-15,31-39
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from functools import cache
from pathlib import Path

import yaml
from bs4 import BeautifulSoup, NavigableString, Tag

HERE = Path(__file__).parent
SEEDS = HERE.parent.parent / "shared" / "seeds"
DATA = HERE / "data"

BLOCK = {"p", "div", "section", "article", "aside", "header", "footer", "li", "ul", "ol",
         "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "caption",
         "dt", "dd", "dl", "blockquote", "br"}
SEPARATE = {"itu-label", "label", "itu-action", "itu-ref"}
# generated aids, not text of the document
SKIP = {"visually-hidden", "itu-permalink", "headerlink", "fn-bracket", "itu-edition-note",
        "itu-cmp-source"}
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
QUOTES = {ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"',
          ord("\u00a0"): " ", ord("\u202f"): " "}


def normalise(text: str) -> list[str]:
    """Words, with hyphens, quotes and spaces made uniform and ITUT read as ITU-T."""
    text = text.translate(DASHES).translate(QUOTES)
    for word in config()["lost-hyphens"]:
        text = re.sub(rf"\b{re.escape(word.replace('-', ''))}\b", word, text)
    return text.split()


def seed_words(text: str, drop: frozenset[str] = frozenset()) -> list[str]:
    """A seed's words without Word debris, its footnote bodies moved to the end."""
    text = re.sub(r"\[bookmark: [^\]]*\]", "", text)
    text = re.sub(r"\[footnoteRef:\d+\]", "", text)
    notes: list[str] = []

    def keep_note(match: re.Match) -> str:
        notes.append(match[1])
        return " "

    text = re.sub(r"\[\d+: ([^\]]*)\]", keep_note, text)
    return [w for w in normalise(" ".join([text, *notes])) if w not in drop]


def page_words(html: str, ignore: tuple[str, ...] = ()) -> list[str]:
    """The words a reader sees in a page's document, marks' hidden labels excluded."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article", class_="itu-document")
    for selector in ignore:
        for node in article.select(selector):
            node.decompose()
    return tag_words(article)


def tag_words(tag: Tag) -> list[str]:
    """The words a reader sees in an element, generated aids excluded."""
    parts: list[str] = []

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                parts.append(str(child))
                continue
            if not isinstance(child, Tag) or SKIP & set(child.get("class", [])):
                continue
            separate = child.name in BLOCK or SEPARATE & set(child.get("class", []))
            if separate:
                parts.append(" ")
            walk(child)
            if separate:
                parts.append(" ")

    walk(tag)
    return normalise("".join(parts))


@cache
def config() -> dict:
    return yaml.safe_load((DATA / "fidelity.yaml").read_text(encoding="utf-8"))


def seed_lines(seed: str, ranges: list[list[int]]) -> str:
    """The seed's lines in the ranges, with the hand-checked restorations applied."""
    lines = (SEEDS / seed).read_text(encoding="utf-8").splitlines()
    for number, extracted, restored in config()["restore"].get(seed, ()):
        assert extracted in lines[number - 1], (seed, number, extracted)
        lines[number - 1] = lines[number - 1].replace(extracted, restored, 1)
    return "\n".join(line for start, end in ranges for line in lines[start - 1:end])


def expectations() -> dict[str, tuple[str, list[list[int]]]]:
    """Every page checked for fidelity: docname -> (seed file, line ranges)."""
    config_ = dict(config())
    for key in ("drop", "restore", "ignore", "lost-hyphens"):
        config_.pop(key)
    columns = DATA / "seed002_columns.yaml"
    if columns.exists():
        config_["002_e4eb4cc4694de83a.txt"] = yaml.safe_load(columns.read_text())
    return {page: (seed, ranges) for seed, pages in config_.items()
            for page, ranges in pages.items()}


def compare(site: Path, page: str, seed: str, ranges: list[list[int]]) -> str:
    """An empty string when the page reproduces its seed lines, else a readable diff."""
    settings = config()
    expected = seed_words(seed_lines(seed, ranges), frozenset(settings["drop"].get(seed, ())))
    actual = page_words((site / f"{page}.html").read_text(encoding="utf-8"),
                        tuple(settings["ignore"].get(page, ())))
    report = differences(expected, actual)
    if not report:
        return ""
    return f"{page} differs from {seed} in {len(report)} places:\n" + "\n".join(report)


def differences(expected: list[str], actual: list[str]) -> list[str]:
    """Where two lists of words part ways, readably (empty when they agree)."""
    if expected == actual:
        return []
    report = []
    matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag != "equal":
            context = " ".join(expected[max(0, a1 - 6):a1])
            report.append(f"  after '...{context}':\n    seed: {' '.join(expected[a1:a2])!r}"
                          f"\n    page: {' '.join(actual[b1:b2])!r}")
    return report


def main() -> int:
    cli = argparse.ArgumentParser(description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_argument("site", type=Path, help="the built site of one language")
    cli.add_argument("--page", help="one docname, e.g. proposals/44-atu")
    cli.add_argument("--seed", help="seed file name (with --lines)")
    cli.add_argument("--lines", help="line ranges, e.g. 9-15,31-39 (with --seed)")
    args = cli.parse_args()
    pages = expectations()
    if args.lines:
        ranges = [[int(a), int(b)] for a, b in
                  (r.split("-") for r in args.lines.split(","))]
        pages = {args.page: (args.seed, ranges)}
    elif args.page:
        pages = {args.page: pages[args.page]}
    failed = 0
    for page, (seed, ranges) in pages.items():
        report = compare(args.site, page, seed, ranges)
        print(report or f"{page}: every word of {seed} in order")
        failed += bool(report)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
