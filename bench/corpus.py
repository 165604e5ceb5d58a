"""A corpus of N resolutions shaped like the real ones, for benchmarks.

The sentences, call words and proportions come from the encoded seeds in
source/; the generator only recombines them. Each resolution is written twice:
in our syntax (parts, labelled items, footnotes, citations, change marks in
proposals) and as plain MyST (headings, ordered lists, footnotes), the
baseline that plain Sphinx + myst-parser builds.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
PLACES = ["Geneva, 2022", "Hammamet, 2016", "Dubai, 2012", "Johannesburg, 2008"]
MARK = re.compile(r"\{(?:ins|del|label|stdfn)\}`[^`]*`|\[\^[^\]]+\]")


@dataclass
class Part:
    words: str
    kind: str
    items: list[tuple[str, list[str]]] = field(default_factory=list)


# an assembly's edition in a real text's citation ("Resolution 44 (Rev. Hammamet, 2016)"):
# in the corpus, every resolution is at PLACES[0], and the site's texts cite the edition
# the site has (an older one is a warning, itu.superseded)
OLD_EDITION = re.compile(r"\((?:Rev\. )?(?:" + "|".join(map(re.escape, PLACES[1:])) + r")\)")


def harvest() -> tuple[dict[str, list[str]], list[str]]:
    """Call words by kind and item sentences, taken from the encoded resolutions."""
    words: dict[str, list[str]] = {"preambular": [], "operative": []}
    sentences: list[str] = []
    for path in sorted((SOURCE / "resolutions").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"^:::\{part\} (.+)$", text, re.M):
            head = match[1]
            kind = "operative" if head.split()[0] in (
                "resolves", "instructs", "invites", "encourages", "further", "requests",
                "decides", "urges") else "preambular"
            words[kind].append(head)
        sentences += [OLD_EDITION.sub(f"(Rev. {PLACES[0]})", MARK.sub("", s)).strip()
                      for s in re.findall(r"^\d+\. (.+)$", text, re.M)]
    # references to a document's own clauses would point nowhere in another document
    own = re.compile(r"above|annex|this resolution|in particular resolves")
    return words, [s for s in sentences if len(s) > 40 and not own.search(s)]


def resolution(number: int, n: int, rng: random.Random, words, sentences) -> list[Part]:
    """The parts of one resolution: sizes vary like the real ones, a few are long."""
    size = rng.choice([8, 12, 16, 20, 25, 30, 40]) * (4 if rng.random() < 0.08 else 1)
    parts: list[Part] = []
    unused = {kind: rng.sample(ws, len(ws)) for kind, ws in words.items()}
    while sum(len(p.items) for p in parts) < size:
        kind = "preambular" if len(parts) < 4 else "operative"
        part = Part(unused[kind].pop() if unused[kind] else rng.choice(words[kind]), kind)
        for _ in range(rng.randint(1, 7)):
            text = rng.choice(sentences)
            if rng.random() < 0.3:  # a citation of another resolution of the corpus
                cited = rng.randint(1, n)
                text = (f"{text.rstrip(';,.')}, as in Resolution {cited} "
                        f"(Rev. {PLACES[0]}) of this assembly;")
            subs = [rng.choice(sentences) for _ in range(rng.randint(2, 4))] \
                if rng.random() < 0.1 else []
            part.items.append((text, subs))
        parts.append(part)
    return punctuated(parts)


def punctuated(parts: list[Part]) -> list[Part]:
    """Items ended as ITU texts end them (source/_data/editorial.yaml): ';', ':' before
    sub-items, ',' for a part's last item, '.' for the resolution's last."""
    def ended(text: str, end: str) -> str:
        return text.rstrip(";,.: ") + end

    for n, part in enumerate(parts):
        final = "." if n == len(parts) - 1 and part.kind == "operative" else ","
        for m, (text, subs) in enumerate(part.items):
            end = final if m == len(part.items) - 1 else ";"
            part.items[m] = (ended(text, ":" if subs else end),
                             [ended(sub, end if k == len(subs) - 1 else ";")
                              for k, sub in enumerate(subs)])
    return parts


def ours(number: int, title: str, parts: list[Part], rng: random.Random,
         proposal: bool) -> str:
    """A resolution (or a MOD proposal for it) in the project's syntax."""
    edition = f'"{{del}}`{PLACES[1]}`{{ins}}`{PLACES[0]}`"' if proposal else PLACES[0]
    history = f'["{PLACES[2]}", "{PLACES[1]}", "{{ins}}`{PLACES[0]}`"]' if proposal \
        else f'["{PLACES[2]}", "{PLACES[1]}", "{PLACES[0]}"]'
    lines = ["---", f"kind: {'proposal' if proposal else 'resolution'}", f"number: {number}",
             "assembly: WTSA", f"edition: {edition}", f"history: {history}"]
    if proposal:
        lines += ["proposal:", "  action: MOD", f"  ref: BEN/{number}A1/1", "  source: BENCH"]
    lines += ["---", "", f"# {title}{{stdfn}}`developing-countries`", ""]
    for part in parts:
        lines.append(f":::{{part}} {part.words}")
        for text, subs in part.items:
            if proposal and rng.random() < 0.2:
                cut = text.find(" ", len(text) // 2)
                text = f"{text[:cut]} {{del}}`{text[cut + 1:]}`{{ins}}`as amended;`"
            lines.append(f"1. {text}")
            lines += [f"   1. {sub}" for sub in subs]
        lines += [":::", ""]
    return "\n".join(lines)


def plain(number: int, title: str, parts: list[Part]) -> str:
    """The same resolution as plain MyST: no directive or role of ours."""
    lines = [f"# Resolution {number}: {title}[^dc]", "",
             f"({PLACES[2]}; {PLACES[1]}; {PLACES[0]})", ""]
    for part in parts:
        lines += [f"*{part.words}*", ""]
        for text, subs in part.items:
            lines.append(f"1. {text}")
            lines += [f"   1. {sub}" for sub in subs]
        lines.append("")
    lines += ["[^dc]: These include the least developed countries, small island developing "
              "states, landlocked developing countries and countries with economies in "
              "transition.", ""]
    return "\n".join(lines)


INDEX = "# Benchmark corpus\n\n```{toctree}\n:glob:\n\n*/*\n```\n"


def generate(n: int, out: Path, seed: int = 1) -> tuple[Path, Path]:
    """Write ``out/ours`` and ``out/plain``: n resolutions and n // 10 proposals each."""
    rng = random.Random(seed)
    words, sentences = harvest()
    titles = [re.sub(r"\{[^}]+\}`[^`]*`|\[\^[^\]]+\]", "", line[2:]).strip()
              for path in sorted((SOURCE / "resolutions").glob("*.md"))
              for line in path.read_text(encoding="utf-8").splitlines()
              if line.startswith("# ")]
    ours_dir, plain_dir = out / "ours", out / "plain"
    for directory in (ours_dir, plain_dir):
        shutil.rmtree(directory, ignore_errors=True)
        (directory / "resolutions").mkdir(parents=True)
        (directory / "index.md").write_text(INDEX, encoding="utf-8")
    shutil.copytree(SOURCE / "_data", ours_dir / "_data")
    (ours_dir / "proposals").mkdir()
    (plain_dir / "proposals").mkdir()
    for number in range(1, n + 1):
        parts = resolution(number, n, rng, words, sentences)
        title = f"{rng.choice(titles)} ({number})"
        (ours_dir / f"resolutions/{number}.md").write_text(
            ours(number, title, parts, rng, False), encoding="utf-8")
        (plain_dir / f"resolutions/{number}.md").write_text(
            plain(number, title, parts), encoding="utf-8")
        if number % 10 == 0:
            (ours_dir / f"proposals/{number}-bench.md").write_text(
                ours(number, title, parts, rng, True), encoding="utf-8")
            (plain_dir / f"proposals/{number}-bench.md").write_text(
                plain(number, title, parts), encoding="utf-8")
    return ours_dir, plain_dir


MARKUP = re.compile(r"(\{[^}]+\}`[^`]*`|\[\^[^\]]+\]|\{[a-z]+\}|%[sd])")
ACCENTED = str.maketrans("aeiouyAEIOUYcnsz", "àéîõüÿÀÉÎÕÜŸçñšž")


def pseudo(text: str) -> str:
    """A pseudo-translation: every letter changed, markup and placeholders kept."""
    return "".join(piece if MARKUP.fullmatch(piece) else piece.translate(ACCENTED)
                   for piece in MARKUP.split(text))


def pseudo_translate(locales: Path) -> int:
    """Fill every empty message of the catalogs under ``locales``; return how many."""
    from babel.messages.pofile import read_po, write_po

    filled = 0
    for path in locales.rglob("*.po"):
        with path.open("rb") as po:
            catalog = read_po(po)
        for message in catalog:
            if message.id and not message.string:
                message.string = pseudo(message.id)
                filled += 1
        with path.open("wb") as po:
            write_po(po, catalog)
    return filled
