"""A reviewer's build: the redline of every document changed between two git revisions.

Run as ``python -m itu.review REPO BASE HEAD STAGING`` from the *base* revision's
``conf.py``, ``ext/`` and ``templates/``, exported by ``build.py diff`` with
``git archive``: the code that runs is the base's, and the head revision is
data. Its ``source/`` files are read with ``git cat-file`` and merged with the
base's into redline documents, which Sphinx builds in this same process with
the base's configuration. Writes the HTML, ``summary.json`` (for tools) and
``summary.md`` (for a pull-request comment) into the staging directory.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import redline
from .data import load_site_data

# data, translations, generated pages, and the home page (lists and a table of contents
# of the whole site, meaningless in a redline whose home page is its summary)
SKIPPED = ("source/_data/", "source/locales/", "source/compare/", "source/index.md")


class ReviewError(Exception):
    """A diff build that cannot be made; the message says what to do."""


def git(repo: Path, *args: str) -> str:
    """Run git in the repository; its output."""
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True)
    if result.returncode:
        raise ReviewError(f"git {' '.join(args)} failed: "
                          f"{result.stderr.decode(errors='replace').strip()}")
    return result.stdout.decode("utf-8", errors="replace")


def commit(repo: Path, ref: str) -> str:
    """The commit a ref names, or a clear error."""
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except ReviewError:
        raise ReviewError(f"'{ref}' is not a revision of {repo}: give a branch, tag or "
                          "commit (fetch it first if it is remote)") from None


@dataclass
class Document:
    """One changed document: where it is, what happened to it, its redline."""

    path: str
    status: str  # added, deleted, modified
    result: redline.Redline
    title: str

    @property
    def docname(self) -> str:
        return self.path.removeprefix("source/").removesuffix(".md")

    def summary(self) -> dict:
        return {"path": self.path, "page": f"{self.docname}.html", "status": self.status,
                "title": self.title, "inserted": self.result.inserted,
                "deleted": self.result.deleted, "metadata": self.result.metadata,
                "clauses": [{"clause": name, "inserted": c.inserted, "deleted": c.deleted}
                            for name, c in self.result.clauses.items() if c.marks]}


def changed(repo: Path, base: str, head: str) -> list[tuple[str, str]]:
    """(status, path) of the documents that differ between two commits."""
    out = git(repo, "diff", "--name-status", "--no-renames", "-z", base, head, "--", "source")
    fields = out.split("\0")
    pairs = [(fields[i], fields[i + 1]) for i in range(0, len(fields) - 1, 2)]
    status = {"A": "added", "D": "deleted"}
    for _code, path in pairs:
        if "\n" in path:  # git cat-file reads one name a line
            raise ReviewError(f"the file name {path!r} holds a line break: rename it")
    return [(status.get(code[0], "modified"), path) for code, path in pairs
            if path.endswith(".md") and not path.startswith(SKIPPED)]


def title(text: str | None) -> str:
    """A document's title (its first level-one heading) as read: marks accepted,
    footnote references and standard footnotes left out."""
    for block in redline.parse(text or "")[1]:
        if block.prefix == "# ":
            return re.sub(r"\[\^[^\]]+\]|\{stdfn\}`[^`]*`", "", redline.accepted(block.text))
    return ""


def escape(text: str) -> str:
    """Text safe in Markdown and MyST: every character that could be markup is escaped."""
    return re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~@^$&=])", r"\\\1", " ".join(text.split()))


def blobs(repo: Path, specs: list[str]) -> list[str]:
    """The texts of ``rev:path`` specs, read by one git process."""
    if not specs:
        return []
    result = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch"],
                            input="\n".join(specs).encode() + b"\n", capture_output=True)
    out, pos, texts = result.stdout, 0, []
    for spec in specs:
        header_end = out.index(b"\n", pos)
        header = out[pos:header_end].split()
        if len(header) != 3:
            raise ReviewError(f"git cannot read {spec}")
        size = int(header[2])
        texts.append(out[header_end + 1:header_end + 1 + size].decode("utf-8", "replace"))
        pos = header_end + 2 + size
    return texts


def data_files(repo: Path, head: str, base: str, dest: Path) -> None:
    """The YAML data into ``dest``/_data: the head revision's, and the base's for any
    file the head lacks."""
    for rev in (base, head):
        listing = git(repo, "ls-tree", "-r", "-z", "--name-only", rev, "source/_data")
        names = [n for n in listing.split("\0") if n.endswith((".yaml", ".yml"))]
        for name, text in zip(names, blobs(repo, [f"{rev}:{n}" for n in names]), strict=True):
            target = dest / name.removeprefix("source/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def build(repo: Path, base: str, head: str, staging: Path, confdir: Path) -> dict:
    """Build the redline of ``base``..``head`` into ``staging`` with the configuration
    in ``confdir``; return the summary."""
    from sphinx.cmd.build import build_main

    base_sha, head_sha = commit(repo, base), commit(repo, head)
    label = f"{base} ({base_sha[:8]}) → {head} ({head_sha[:8]})"
    with tempfile.TemporaryDirectory(prefix="itu-diff-") as tmp:
        source = Path(tmp) / "source"
        data_files(repo, head_sha, base_sha, source)
        kinds = load_site_data(source).call_words
        documents = []
        found = changed(repo, base_sha, head_sha)
        texts = iter(blobs(repo, [f"{rev}:{path}" for status, path in found
                                  for rev, absent in ((base_sha, "added"), (head_sha, "deleted"))
                                  if status != absent]))
        for status, path in found:
            old = None if status == "added" else next(texts)
            new = None if status == "deleted" else next(texts)
            try:
                for version in (old, new):
                    redline.check_size(version)
                document = Document(path, status, redline.compare(old, new, label, kinds),
                                    title(new) or title(old))
            except redline.SourceError as err:
                raise ReviewError(f"{path}, {err}: correct it in {head}") from None
            target = source / f"{document.docname}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(document.result.text, encoding="utf-8")
            documents.append(document)
        summary = {"base": {"ref": base, "commit": base_sha},
                   "head": {"ref": head, "commit": head_sha},
                   "inserted": sum(d.result.inserted for d in documents),
                   "deleted": sum(d.result.deleted for d in documents),
                   "documents": [d.summary() for d in documents]}
        (source / "index.md").write_text(index_page(summary), encoding="utf-8")
        typeset = Path(tmp) / "typst"
        with contextlib.redirect_stdout(sys.stderr):
            for builder, out in (("html", staging), ("typst", typeset)):  # PDFs from the
                code = build_main(["-b", builder, "-q", "-c", str(confdir),  # same doctrees
                                   "-d", str(Path(tmp) / "doctrees"), "-D", "itu_autolink=0",
                                   "-D", "itu_compare_editions=0", "-D", "itu_pdf=1",
                                   str(source), str(out)])
                if code:
                    raise ReviewError("the redline did not build (see the messages above)")
        if (typeset / "pdf").is_dir():
            shutil.copytree(typeset / "pdf", staging / "pdf")
    (staging / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False)
                                          + "\n", encoding="utf-8")
    (staging / "summary.md").write_text(comment(summary), encoding="utf-8")
    return summary


def _plain_name(path: str) -> bool:
    """Whether a file's name can stand in a link or a table of contents as it is (any
    other is shown as text only: names come from the change, and are data)."""
    return re.fullmatch(r"[\w./-]+", path) is not None


def _rows(summary: dict, link: bool) -> list[str]:
    rows = ["| document | change | words inserted | words deleted | clauses |",
            "| --- | --- | --- | --- | --- |"]
    for doc in summary["documents"]:
        name = escape(f"{doc['path'].removeprefix('source/')}: {doc['title']}")
        if link and _plain_name(doc["path"]):
            name = f"[{name}]({doc['path'].removeprefix('source/')})"
        clauses = [escape(c["clause"]) for c in doc["clauses"]]
        clauses += [escape(f"front matter: {field}") for field in doc["metadata"]]
        rows.append(f"| {name} | {doc['status']} | {doc['inserted']} | {doc['deleted']} | "
                    f"{', '.join(clauses)} |")
    return rows


def _headline(summary: dict) -> str:
    count = len(summary["documents"])
    if not count:
        return "No document changed."
    return (f"{count} document{'s' * (count != 1)} changed: {summary['inserted']} words "
            f"inserted, {summary['deleted']} deleted.")


def index_page(summary: dict) -> str:
    """The summary as the redline's home page (MyST)."""
    base, head = (escape(f"{s['ref']} ({s['commit'][:8]})")
                  for s in (summary["base"], summary["head"]))
    pages = [d["path"].removeprefix("source/").removesuffix(".md") for d in summary["documents"]
             if _plain_name(d["path"])]
    lines = ["# Redline", "", f"From {base} to {head}. {_headline(summary)}", ""]
    if pages:
        lines += [*_rows(summary, link=True), ""]
    lines += ["```{toctree}", ":hidden:", "", *pages, "```", ""]
    return "\n".join(lines)


def comment(summary: dict) -> str:
    """The summary as a pull-request comment (Markdown)."""
    base, head = (escape(f"{s['ref']} ({s['commit'][:8]})")
                  for s in (summary["base"], summary["head"]))
    lines = [f"### Redline: {base} → {head}", "", _headline(summary), ""]
    if summary["documents"]:
        lines += [*_rows(summary, link=False), "",
                  "The redline itself (HTML) is in `_build/diff/`; in CI, in the run's "
                  "artifact `redline`."]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """``python -m itu.review REPO BASE HEAD STAGING``, run from the trusted export."""
    repo, base, head, staging = argv
    try:
        build(Path(repo), base, head, Path(staging), Path.cwd())
    except ReviewError as err:
        print(f"build.py diff: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
