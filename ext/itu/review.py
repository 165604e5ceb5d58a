"""A reviewer's build: the redline of every document changed between two git revisions.

Run as ``python -m itu.review REPO BASE HEAD STAGING`` from the *base* revision's
``conf.py`` and ``ext/`` (and ``templates/``, in a revision from before the theme
moved into ``ext/``), exported by ``build.py diff`` with ``git archive``: the
code that runs is the base's, and the head revision is data. Its ``source/``
files are read with ``git cat-file`` and merged with the
base's into redline documents, which Sphinx builds in this same process with
the base's configuration. Writes the HTML, ``summary.json`` (for tools) and
``summary.md`` (for a pull-request comment) into the staging directory.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import policy, redline
from .data import SiteData, load_site_data
from .marks import accept
from .messages import text_of
from .text import language_root, slug

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
    status: str  # added, deleted, modified; "not compared": beyond the redline's limits
    result: redline.Redline
    title: str

    @property
    def docname(self) -> str:
        return self.path.removeprefix("source/").removesuffix(".md")

    def summary(self) -> dict:
        return {"path": self.path, "page": f"{self.docname}.html", "status": self.status,
                "title": self.title, "inserted": self.result.inserted,
                "deleted": self.result.deleted, "metadata": self.result.metadata,
                "clauses": [{"clause": name, "anchor": "", "inserted": c.inserted,
                             "deleted": c.deleted}
                            for name, c in self.result.clauses.items() if c.marks]}


def changed(repo: Path, base: str, head: str) -> list[tuple[str, str]]:
    """(status, path) of the documents that differ between two commits."""
    out = git(repo, "diff", "--name-status", "--no-renames", "-z", base, head, "--", "source")
    fields = out.split("\0")
    pairs = [(fields[i], fields[i + 1]) for i in range(0, len(fields) - 1, 2)]
    status = {"A": "added", "D": "deleted"}
    for _code, path in pairs:
        check_path(path)
    return [(status.get(code[0], "modified"), path) for code, path in pairs
            if path.endswith(".md") and not path.startswith(SKIPPED)]


def check_path(path: str) -> None:
    """Refuse a tree entry that could write outside the build or read through a link:
    only plain relative names of ordinary files are content."""
    parts = path.split("/")
    if "\n" in path:  # git cat-file reads one name a line
        raise ReviewError(f"the file name {path!r} holds a line break: rename it")
    if path.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in path:
        raise ReviewError(f"the file name {path!r} is not a plain relative path "
                          "[itu.policy.path]: rename it")


def unsafe_modes(repo: Path, rev: str, paths: list[str]) -> list[str]:
    """Symbolic links and submodules among the content files of a revision, reported."""
    listing = git(repo, "ls-tree", "-z", rev, "--", *paths) if paths else ""
    return [f"{entry.partition(chr(9))[2]}: a symbolic link or a submodule in {rev[:8]}; "
            "content files must be ordinary files [itu.policy.path]"
            for entry in filter(None, listing.split("\0"))
            if entry.split()[0] not in ("100644", "100755")]


def refused(path: str, text: str | None) -> list[str]:
    """What the content policy refuses in one changed text, as messages."""
    folder = posixpath.dirname(path.removeprefix("source/"))
    return [f"{path}:{v.line}: {text_of(v.code, v.message, v.hint)} [itu.{v.code}]"
            for v in (policy.violations(text, folder=folder) if text is not None else ())]


def title(text: str | None) -> str:
    """A document's title (its first level-one heading) as read: marks accepted,
    footnote references and standard footnotes left out."""
    for block in redline.parse(text or "")[1]:
        if block.prefix == "# ":
            return re.sub(r"\[\^[^\]]+\]|\{stdfn\}`[^`]*`", "", accept(block.text))
    return ""


MARKUP = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~@^$&=])")
# what GitHub makes a mention, a reference or a link of in plain text
AUTOLINKED = re.compile(r"[@#]|:(?=//)|(?i:www)(?=\.)")
WORD_JOINER = "\u2060"


def escape(text: str) -> str:
    """Text safe in Markdown, MyST and a GitHub comment: on one line, without control
    characters, every character that could be markup escaped, and an invisible word
    joiner after ``@``, ``#``, ``:`` of ``://`` and ``www`` of ``www.``, so that
    GitHub makes no mention, reference or web link of what follows."""
    line = "".join(c for c in " ".join(text.split()) if unicodedata.category(c) != "Cc")
    return MARKUP.sub(r"\\\1", AUTOLINKED.sub(lambda m: m[0] + WORD_JOINER, line))


def blobs(repo: Path, specs: list[str]) -> list[str]:
    """The texts of ``rev:path`` specs, read by one git process."""
    texts = []
    for spec, content in zip(specs, blob_bytes(repo, specs), strict=True):
        if content is None:
            raise ReviewError(f"git cannot read {spec}")
        texts.append(content.decode("utf-8", "replace"))
    return texts


def blob_bytes(repo: Path, specs: list[str]) -> list[bytes | None]:
    """The contents of ``rev:path`` specs (None: the revision has no such file), read by
    one git process."""
    if not specs:
        return []
    result = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch"],
                            input="\n".join(specs).encode() + b"\n", capture_output=True)
    out, pos, contents = result.stdout, 0, []
    for _spec in specs:
        header_end = out.index(b"\n", pos)
        header = out[pos:header_end].split()
        if len(header) != 3:  # "<spec> missing"
            contents.append(None)
            pos = header_end + 1
            continue
        size = int(header[2])
        contents.append(out[header_end + 1:header_end + 1 + size])
        pos = header_end + 2 + size
    return contents


def picture_files(repo: Path, base: str, head: str, documents: list[tuple[str, str | None,
                  str | None]], dest: Path) -> None:
    """The pictures the two versions of the changed documents show, into ``dest``: the
    old text's from the base, the new text's from the head (which wins where both show
    one file), so that the redline shows each as it was and as it is."""
    wanted: dict[str, str] = {}
    for path, old, new in documents:
        folder = posixpath.dirname(path.removeprefix("source/"))
        for rev, text in ((base, old), (head, new)):
            for picture in policy.pictures(text, folder) if text is not None else ():
                wanted[picture] = rev
    names = sorted(name for name in wanted if "\n" not in name)  # git reads a name a line
    problems = [p for rev in (base, head) for p in unsafe_modes(
        repo, rev, [f"source/{n}" for n in names if wanted[n] == rev])]
    if problems:
        raise ReviewError("\n".join(problems))
    for name, content in zip(names, blob_bytes(repo, [f"{wanted[n]}:source/{n}"
                                                      for n in names]), strict=True):
        if content is not None:  # a picture that is not there: the page says so
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_bytes(content)


def data_files(repo: Path, head: str, base: str, dest: Path) -> None:
    """The YAML data into ``dest``/_data: the head revision's, and the base's for any
    file the head lacks."""
    for rev in (base, head):
        listing = git(repo, "ls-tree", "-r", "-z", "--name-only", rev, "source/_data")
        names = [n for n in listing.split("\0") if n.endswith((".yaml", ".yml"))]
        for name in names:
            check_path(name)
        problems = unsafe_modes(repo, rev, names)
        if problems:
            raise ReviewError("\n".join(problems))
        for name, text in zip(names, blobs(repo, [f"{rev}:{n}" for n in names]), strict=True):
            target = dest / name.removeprefix("source/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def versions(repo: Path, base: str, head: str) -> list[tuple[str, str, str | None, str | None]]:
    """(status, path, old text, new text) of every changed document, once the content
    policy has accepted both texts; else a ReviewError naming every refusal."""
    found = changed(repo, base, head)
    sides = [(rev, [path for status, path in found if status != absent])
             for rev, absent in ((base, "added"), (head, "deleted"))]
    problems = [problem for rev, paths in sides for problem in unsafe_modes(repo, rev, paths)]
    if problems:
        raise ReviewError("\n".join(problems))
    texts = iter(blobs(repo, [f"{rev}:{path}" for status, path in found
                              for rev, absent in ((base, "added"), (head, "deleted"))
                              if status != absent]))
    result = [(status, path, None if status == "added" else next(texts),
               None if status == "deleted" else next(texts)) for status, path in found]
    problems = [p for _status, path, old, new in result
                for p in refused(path, old) + refused(path, new)]
    if problems:
        raise ReviewError("\n".join(problems) + "\nThe content policy refused the change "
                          "(docs/security.md); nothing was built.")
    return result


def merge_base(repo: Path, base: str, head: str) -> str:
    """The commit where ``head`` left ``base``: what a pull request is compared with."""
    try:
        return git(repo, "merge-base", base, head).strip()
    except ReviewError:
        raise ReviewError(f"{base} and {head} have no commit in common: give --two-dot to "
                          "compare them as they are") from None


def checked(repo: Path, base: str, head: str,
            data: SiteData) -> list[tuple[str, str, str | None, str | None]]:
    """The changed documents (``versions``), once the head's data files have passed the
    content policy too; else a ReviewError naming every refusal."""
    problems = [f"source/{p.path.relative_to(data.root.parent).as_posix()}:{p.line}: "
                f"{text_of(p.code, p.message, p.hint)} [itu.{p.code}]" for p in data.problems]
    try:
        found = versions(repo, base, head)
    except ReviewError as err:
        problems.append(str(err))
    if problems:
        raise ReviewError("\n".join(problems))
    return found


def other_resolutions(repo: Path, head: str, changed: set[str]) -> list[list[str]]:
    """The head's resolutions a change left alone, [docname, assembly, number, edition]
    each: where the redline's citations of them lead on the head's site."""
    listing = git(repo, "ls-tree", "-r", "-z", "--name-only", head, "source")
    names = [n for n in listing.split("\0") if n.endswith(".md") and n not in changed
             and "\n" not in n and not n.startswith(("source/_", "source/locales/"))]
    rows = []
    for name, content in zip(names, blob_bytes(repo, [f"{head}:{n}" for n in names]),
                             strict=True):
        if content is None:  # not a file git holds (a submodule): no document
            continue
        try:
            front, _body = redline.front_matter(content.decode("utf-8", "replace"))
        except redline.SourceError:
            continue  # its own build says why
        if front.get("kind") == "resolution":
            rows.append([name.removeprefix("source/").removesuffix(".md"),
                         str(front.get("assembly", "WTSA")), str(front.get("number", "")),
                         str(front.get("edition", ""))])
    return rows


def render(source: Path, staging: Path, work: Path, confdir: Path, pdf: bool,
           elsewhere: str, others: Path) -> None:
    """Build the merged documents as HTML into ``staging``, and (``pdf``) as PDFs
    typeset from the same doctrees into its pdf/ folder; ``elsewhere``: the head's site,
    where links to the other documents (``others``: its resolutions) lead."""
    from sphinx.cmd.build import build_main

    builders = (("html", staging), ("typst", work / "typst")) if pdf else (("html", staging),)
    with contextlib.redirect_stdout(sys.stderr):
        for builder, out in builders:
            code = build_main(["-b", builder, "-q", "-c", str(confdir),
                               "-d", str(work / "doctrees"),
                               "-D", "itu_generated_docs=*", "-D", "itu_compare_editions=0",
                               "-D", f"itu_pdf={int(pdf)}",
                               # not the published site: no language folders (the 404
                               # page links below the root), PDFs link each other nearby
                               "-D", "itu_language_folder=0", "-D", "itu_site_url=",
                               "-D", f"itu_other_documents_url={elsewhere}",
                               "-D", f"itu_other_documents={others}",
                               str(source), str(out)])
            if code:
                raise ReviewError("the redline did not build (see the messages above)")
    if (work / "typst" / "pdf").is_dir():
        shutil.copytree(work / "typst" / "pdf", staging / "pdf")


def build(repo: Path, base: str, head: str, staging: Path, confdir: Path,
          two_dot: bool = False, pdf: bool = True) -> dict:
    """Build the redline of ``base``..``head`` into ``staging`` with the configuration
    in ``confdir``; return the summary. The change is the head's since it left the
    base (their merge base), unless ``two_dot``: then the two revisions as they are."""
    base_sha, head_sha = commit(repo, base), commit(repo, head)
    if not two_dot:
        base_sha = merge_base(repo, base_sha, head_sha)
    label = f"{base} ({base_sha[:8]}) to {head} ({head_sha[:8]})"  # words: no font lacks them
    with tempfile.TemporaryDirectory(prefix="itu-diff-") as tmp:
        source = Path(tmp) / "source"
        data_files(repo, head_sha, base_sha, source)
        data = load_site_data(source)
        kinds = data.call_words
        documents = []
        found = checked(repo, base_sha, head_sha, data)
        picture_files(repo, base_sha, head_sha, [(p, old, new) for _s, p, old, new in found],
                      source)
        for status, path, old, new in found:
            try:
                for version in (old, new):
                    redline.check_size(version)
                document = Document(path, status, redline.compare(old, new, label, kinds),
                                    title(new) or title(old))
            except redline.SourceError as err:
                # shown, not failed: its page and the summary say why it has no redline
                print(f"build.py diff: WARNING: {path}, {err}: it is shown as not compared; "
                      f"correct it in {head}", file=sys.stderr)
                document = Document(path, "not compared", redline.Redline(
                    not_compared_page(path, str(err), head), {}, []), "")
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
        # the documents the change left alone: on the head's site (ITU_SITE_URL), if any
        site = os.environ.get("ITU_SITE_URL", "")
        others = Path(tmp) / "other-resolutions.json"
        others.write_text(json.dumps(other_resolutions(repo, head_sha, {
            p for _s, p, _o, _n in found}) if site else []), encoding="utf-8")
        render(source, staging, Path(tmp), confdir, pdf,
               language_root(site, "en") if site else "", others)
    note_anchors(summary, staging)
    (staging / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False)
                                          + "\n", encoding="utf-8")
    (staging / "summary.md").write_text(comment(summary), encoding="utf-8")
    return summary


def note_anchors(summary: dict, staging: Path) -> None:
    """Give each changed clause the anchor of its place on its redline page, where the
    page has one by its name ("resolves 2": #resolves-2), for the comment to link."""
    for doc in summary["documents"]:
        page = staging / doc["page"]
        ids = set(re.findall(r' id="([^"]+)"', page.read_text("utf-8"))) if page.is_file() \
            else set()
        for clause in doc["clauses"]:
            anchor = slug(clause["clause"])
            clause["anchor"] = anchor if anchor in ids else ""


def not_compared_page(path: str, reason: str, head: str) -> str:
    """The page of a document the redline cannot compare: which, and why."""
    return (f"# {escape(path.removeprefix('source/'))}\n\n"
            f"{escape(f'This document is not compared: {reason}.')} "
            f"{escape(f'Read it as {head} has it.')}\n")


def _plain_name(path: str) -> bool:
    """Whether a file's name can stand in a link or a table of contents as it is (any
    other is shown as text only: names come from the change, and are data)."""
    return re.fullmatch(r"[\w./-]+", path) is not None


ANCHOR = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # what an anchor may be to stand in a link


def _rows(summary: dict, link: bool, pages: str = "") -> list[str]:
    """The table of changed documents; ``link``: each linked to its page (the redline's
    own index), ``pages``: to its page and each clause to its place, at that address
    (the preview's redline, for the comment)."""
    rows = ["| document | change | words inserted | words deleted | clauses |",
            "| --- | --- | --- | --- | --- |"]
    for doc in summary["documents"]:
        name = escape(f"{doc['path'].removeprefix('source/')}: {doc['title']}")
        page = f"{pages}{doc['page']}" if pages and _plain_name(doc["page"]) else ""
        if link and _plain_name(doc["path"]):
            name = f"[{name}]({doc['path'].removeprefix('source/')})"
        elif page:
            name = f"[{name}]({page})"
        clauses = [f"[{escape(c['clause'])}]({page}#{c['anchor']}){_counts(c)}"
                   if page and ANCHOR.fullmatch(c["anchor"]) else
                   escape(c["clause"]) + _counts(c) for c in doc["clauses"]]
        clauses += [escape(f"front matter: {field}") for field in doc["metadata"]]
        status = doc["status"]
        if status == "modified" and not (clauses or doc["inserted"] or doc["deleted"]):
            status = "layout only"  # re-wrapped or re-spaced: no word changed
        rows.append(f"| {name} | {status} | {doc['inserted']} | {doc['deleted']} | "
                    f"{', '.join(clauses)} |")
    return rows


def _counts(clause: dict) -> str:
    """ " (+3 −1)": a clause's words inserted and deleted, where any were."""
    parts = [f"+{clause['inserted']}" if clause["inserted"] else "",
             f"−{clause['deleted']}" if clause["deleted"] else ""]
    shown = " ".join(p for p in parts if p)
    return f" ({shown})" if shown else ""


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


COMMENT_MARKER = "<!-- itu-redline -->"  # how CI finds its comment again, to edit it
COMMENT_LIMIT = 60_000  # characters (GitHub takes 65,536)

# the form of summary.json; a tuple is the values allowed
SHAPE = {"base": {"ref": str, "commit": str}, "head": {"ref": str, "commit": str},
         "inserted": int, "deleted": int,
         "documents": [{"path": str, "page": str, "status": ("added", "deleted", "modified"),
                        "title": str, "inserted": int, "deleted": int, "metadata": [str],
                        "clauses": [{"clause": str, "anchor": str, "inserted": int,
                                     "deleted": int}]}]}


def misfit(value: object, shape: object, where: str = "summary") -> str | None:
    """Where ``value`` departs from ``shape`` (see SHAPE), or None if it does not."""
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return f"{where} is not an object"
        return next((m for key, part in shape.items()
                     if (m := misfit(value.get(key), part, f"{where}.{key}"))), None)
    if isinstance(shape, list):
        if not isinstance(value, list):
            return f"{where} is not a list"
        return next((m for i, item in enumerate(value)
                     if (m := misfit(item, shape[0], f"{where}[{i}]"))), None)
    if isinstance(shape, tuple):
        return None if value in shape else f"{where} is not one of {', '.join(shape)}"
    if shape is int:
        return None if type(value) is int and value >= 0 else f"{where} is not a count"
    return None if isinstance(value, str) else f"{where} is not text"


def read_summary(text: str) -> dict:
    """A summary.json read back, checked to have the form ``build`` gives it (it may
    come from a pull request's run, and is data)."""
    try:
        summary = json.loads(text)
    except ValueError as err:
        raise ReviewError(f"not JSON ({err})") from None
    problem = misfit(summary, SHAPE)
    if problem:
        raise ReviewError(f"not a redline summary: {problem}")
    return summary


def comment(summary: dict, run_url: str | None = None, preview_url: str | None = None) -> str:
    """The summary as a pull-request comment (Markdown), at most COMMENT_LIMIT long.
    Every value of the summary is escaped; the links are ``run_url``, the address of
    the run that built the redline, and (``preview_url``, the pull request's preview,
    with its ``redline/`` and ``site/``) each document's and clause's place in the
    preview: both must come from a trusted source."""
    base, head = (escape(f"{s['ref']} ({s['commit'][:8]})")
                  for s in (summary["base"], summary["head"]))
    where = (f"The redline itself (HTML and PDF) is the artifact `redline` of "
             f"[the run that built it]({run_url})." if run_url else
             "The redline itself (HTML) is in `_build/diff/`; in CI, in the run's "
             "artifact `redline`.")
    if preview_url:
        where = (f"Preview: [the redline]({preview_url}redline/index.html), "
                 f"[the site as this pull request leaves it]({preview_url}site/index.html)."
                 f"\n\n{where}")
    lines = [COMMENT_MARKER, f"### Redline: {base} → {head}", "", _headline(summary), ""]
    if summary["documents"]:
        table = _rows(summary, link=False, pages=f"{preview_url}redline/" if preview_url else "")
        header, rows = table[:2], table[2:]
        room = COMMENT_LIMIT - len("\n".join([*lines, *header, where])) - 100
        shown = sum(1 for used in itertools.accumulate(len(row) + 1 for row in rows)
                    if used <= room)
        lines += [*header, *rows[:shown], ""]
        if shown < len(rows):
            lines += [f"{len(rows) - shown} more document(s), not listed here for length.",
                      ""]
    return "\n".join([*lines, where]) + "\n"


def main(argv: list[str]) -> int:
    """``python -m itu.review REPO BASE HEAD STAGING [--two-dot] [--no-pdf]``, run from
    the trusted export."""
    repo, base, head, staging = argv[:4]
    try:
        build(Path(repo), base, head, Path(staging), Path.cwd(), two_dot="--two-dot" in argv,
              pdf="--no-pdf" not in argv)
    except ReviewError as err:
        print(f"build.py diff: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
