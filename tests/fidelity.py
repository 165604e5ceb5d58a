"""Word-for-word comparison of built pages (and PDFs: ``compare_pdf``) with the seeds
they encode.

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
# the seed texts, as extracted from the ITU's Word documents: copied here unchanged, so
# that a clone of the project tests on its own (tests/seeds/README.md)
SEEDS = HERE / "seeds"
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


def seed_parts(text: str, drop: frozenset[str] = frozenset()) -> list[list[str]]:
    """A seed's words without Word debris: the running text, then each footnote body."""
    text = re.sub(r"\[bookmark: [^\]]*\]", "", text)
    text = re.sub(r"\[footnoteRef:\d+\]", "", text)
    notes: list[str] = []

    def keep_note(match: re.Match) -> str:
        notes.append(match[1])
        return " "

    text = re.sub(r"\[\d+: ([^\]]*)\]", keep_note, text)
    return [[w for w in normalise(part) if w not in drop] for part in [text, *notes]]


def seed_words(text: str, drop: frozenset[str] = frozenset()) -> list[str]:
    """A seed's words without Word debris, its footnote bodies moved to the end."""
    return [word for part in seed_parts(text, drop) for word in part]


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


def differences(expected: list[str], actual: list[str], extra: bool = False) -> list[str]:
    """Where the actual words part from the expected ones, readably. With ``extra``
    (text read back from a PDF), words the expected ones do not have (headers, page
    numbers) and spaces guessed between two runs of one word are no difference."""
    if expected == actual:
        return []
    report = []
    matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        same = "".join(expected[a1:a2]) == "".join(actual[b1:b2])
        if tag != "equal" and not (extra and (tag == "insert" or same)):
            context = " ".join(expected[max(0, a1 - 6):a1])
            report.append(f"  after '...{context}':\n    seed: {' '.join(expected[a1:a2])!r}"
                          f"\n    page: {' '.join(actual[b1:b2])!r}")
    return report


def seed_drop(seed: str) -> frozenset[str]:
    return frozenset(config()["drop"].get(seed, ()))


def compare(site: Path, page: str, seed: str, ranges: list[list[int]]) -> str:
    """An empty string when the page reproduces its seed lines, else a readable diff."""
    expected = seed_words(seed_lines(seed, ranges), seed_drop(seed))
    actual = page_words((site / f"{page}.html").read_text(encoding="utf-8"),
                        tuple(config()["ignore"].get(page, ())))
    report = differences(expected, actual)
    return f"{page} differs from {seed} in {len(report)} places:\n" + "\n".join(report) \
        if report else ""


def pdf_words(path: Path) -> list[str]:
    """The words of a PDF as pypdf reads them: words broken at a line's end rejoined,
    a footnote's number (which pypdf joins to its first word) apart."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    text = re.sub(r"(?m)^(\d+)(?=[A-Z])", r"\1 ", text)
    return normalise(re.sub(r"(\w[-/\u2011])\n", r"\1", text))


def compare_pdf(words: list[str], seed: str, ranges: list[list[int]]) -> str:
    """An empty string when a PDF's words hold the seed's running text in order, and
    each footnote's text in order; running headers, page numbers and footnotes
    standing where they fall between are allowed."""
    report = [line for part in seed_parts(seed_lines(seed, ranges), seed_drop(seed))
              for line in differences(part, words, extra=True)]
    return f"the PDF differs from {seed} in {len(report)} places:\n" + "\n".join(report) \
        if report else ""


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
