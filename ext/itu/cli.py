"""The command line: ``itu`` (``pip install -e .``) or ``python3 build.py``.

Only the standard library is imported here: Sphinx and the rest load inside the
commands that need them, so that ``build.py`` can read a command line before it
has set up ``.venv``, and CI's small jobs run without it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import http.server
import io
import json
import os
import re
import runpy
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from .progress import Board

DESCRIPTION = """Build, check and review the ITU resolutions site.

  %(prog)s               build the site (every language, with its PDFs)
  %(prog)s check         the same, strictly: any warning fails, nothing is published
  %(prog)s test          run the test suite

--lang, --source, --out and --no-pdf go before or after the command."""
EXT = Path(__file__).resolve().parent.parent
ROOT = EXT.parent  # the project: conf.py, source/, ext/
BUILD = ROOT / "_build"
SOURCE = ROOT / "source"


def languages_of(source: Path) -> list[str]:
    """English, the source, and every language with catalogs in ``source``."""
    return ["en", *sorted(p.name for p in (source / "locales").glob("*") if p.is_dir())]


LANGUAGES = languages_of(SOURCE)


def project() -> dict:
    """pyproject.toml's ``[project]`` table."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def requirements() -> list[str]:
    """What .venv holds: pyproject.toml's dependencies and its test extras."""
    listed = project()
    return [*listed["dependencies"], *listed["optional-dependencies"]["test"]]


LOCK = ROOT / "requirements.lock"
LOCK_STAMP = "# from pyproject.toml's dependencies, sha256 "
LOCK_TOOL = "uv==0.13.9"  # the version that writes requirements.lock (build.py lock)


def requirements_digest() -> str:
    """The fingerprint of ``requirements()`` that the lock made from them records."""
    return hashlib.sha256("\n".join(requirements()).encode()).hexdigest()


def check_lock() -> None:
    """Stop, saying how to mend it, when requirements.lock was not made from the
    dependencies pyproject.toml lists now."""
    first = LOCK.read_text(encoding="utf-8").partition("\n")[0] if LOCK.exists() else ""
    if first != LOCK_STAMP + requirements_digest():
        sys.exit("[itu.lock] requirements.lock does not match the dependencies in "
                 "pyproject.toml (changed, or the lock is missing).\n"
                 "  hint: run 'python3 build.py lock' and commit requirements.lock "
                 "with pyproject.toml.")


def sphinx(builder: str, source: Path, out: Path, doctrees: Path, strict: bool,
           quiet: bool = False, lang: str = "en", pdf: bool = False,
           fresh: bool | None = None) -> int:
    """Run Sphinx in-process; return its exit code. ``pdf``: the pages link to PDFs.
    ``fresh`` (default: when strict) reads every file again. One process builds one
    language (Sphinx keeps the translations it loaded for the whole process)."""
    from sphinx.cmd.build import build_main

    jobs = os.environ.get("ITU_JOBS", "auto")
    doctrees.mkdir(parents=True, exist_ok=True)
    locales = build_catalogs(source, doctrees.parent.parent)  # doctrees: <work>/doctrees/x
    args = ["-b", builder, "-c", str(ROOT), "-d", str(doctrees), "-j", jobs,
            "-w", str(warnings_file(doctrees, builder)), "-D", f"locale_dirs={locales}",
            "-D", f"language={lang}", "-D", f"itu_pdf={int(pdf)}",
            "-D", f"itu_parse_cache={doctrees.parent.parent / 'parsed'}", str(source), str(out)]
    if strict:
        args[:0] = ["-W", "--keep-going"]
    if strict if fresh is None else fresh:
        # a fresh read, so that warnings of unchanged files are reported again
        args[:0] = ["-E"]
    if quiet:
        args[:0] = ["-q"]
    return build_main(args)


def build_catalogs(source: Path, work: Path) -> Path:
    """The catalogs of ``source/locales`` mirrored into ``work/locales``, where Sphinx
    compiles them: the content tree never holds a file the build made. A file is
    replaced whole and only when it changed (several languages build at once)."""
    mirror = work / "locales"
    wanted = {p.relative_to(source / "locales"): p for p in (source / "locales").rglob("*.po")}
    for old in mirror.rglob("*.[pm]o") if mirror.is_dir() else ():
        if old.relative_to(mirror).with_suffix(".po") not in wanted:
            old.unlink(missing_ok=True)  # its catalog is gone from the content
    for relative, po in wanted.items():
        target = mirror / relative
        if target.is_file() and target.read_bytes() == po.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        fresh = target.with_name(f".{target.name}.{os.getpid()}")
        shutil.copy2(po, fresh)
        fresh.replace(target)
    return mirror


def warnings_file(doctrees: Path, builder: str) -> Path:
    """Where a build's warnings are also written, to be counted."""
    return doctrees / f"{builder}.warnings"


def summary_line(lang: str, site: Path, doctrees: Path, seconds: float) -> str:
    """What one language's build made: pages, PDFs, warnings and time."""
    pages = sum(1 for _ in site.rglob("*.html"))
    pdfs = sum(1 for _ in (site / "pdf").rglob("*.pdf"))
    said = sum(line.count("WARNING:") + line.count("ERROR:")
               for builder in ("html", "typst") if warnings_file(doctrees, builder).exists()
               for line in warnings_file(doctrees, builder).read_text("utf-8").splitlines())
    return (f"[{lang}] {pages} pages, {pdfs} PDFs, {said} warning{'s' * (said != 1)}, "
            f"{seconds:.1f} s")


def publish(staging: Path, target: Path) -> None:
    """Replace ``target`` by a copy of ``staging`` in one rename: never half-written.

    A file unchanged since the last publish is hard-linked from the published
    tree (which no build writes into), so a rebuild copies only what changed.
    """
    fresh = target.with_name(target.name + ".new")
    old = target.with_name(target.name + ".old")
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)

    def link_or_copy(source: str, destination: str) -> None:
        published = target / Path(source).relative_to(staging)
        try:
            was, now = published.stat(), os.stat(source)
            if (was.st_size, was.st_mtime_ns) == (now.st_size, now.st_mtime_ns):
                os.link(published, destination)
                return
        except OSError:
            pass
        shutil.copy2(source, destination)

    shutil.copytree(staging, fresh, copy_function=link_or_copy,
                    ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def language_process(command: list[str], lang: str, children: list[subprocess.Popen],
                     board: Board) -> subprocess.CompletedProcess:
    """Run one language's build: its progress goes to the board as it comes, its
    summary line when it is made, its messages when it is done (the rest of Sphinx's
    status output is not shown)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as said:
        # the languages share the cores: each reads its documents in one process
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=said, text=True, env={
            **os.environ, "ITU_JOBS": "1", "NO_COLOR": "1",
            "PYTHONPATH": os.pathsep.join(filter(None, (str(EXT), os.environ.get("PYTHONPATH"))))})
        children.append(child)
        for line in child.stdout or ():
            if not board.read(lang, line) and line.startswith(f"[{lang}] "):
                board.say(line.rstrip())
        child.wait()
        said.seek(0)
        return subprocess.CompletedProcess(command, child.returncode, "", said.read())


def build_languages(source: Path, out: Path, strict: bool, langs: list[str],
                    pdf: bool) -> list[str]:
    """Build the languages side by side, staged; the languages that failed. Stopping
    this build (SIGTERM) stops theirs."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    workers = os.cpu_count() or 2
    print(f"Building {', '.join(langs)} ({'HTML and PDFs' if pdf else 'HTML'}), {workers} at "
          "a time.", flush=True)
    failed: list[str] = []
    children: list[subprocess.Popen] = []
    board = Board(langs)

    def stop(signum: int, _frame: object) -> None:
        for child in children:
            child.terminate()
        sys.exit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            running = {pool.submit(language_process, [
                sys.executable, "-m", "itu.cli", "check" if strict else "site", "--lang", lang,
                "--source", str(source), "--out", str(out), "--staged",
                *([] if pdf else ["--no-pdf"])], lang, children, board): lang for lang in langs}
            for done in as_completed(running):
                lang, result = running[done], done.result()
                if result.stderr.strip():
                    board.say(f"[{lang}] {result.stderr.strip()}", sys.stderr)
                board.finish(lang, bool(result.returncode))
                if result.returncode:
                    failed.append(lang)
                    board.say(f"[{lang}] failed")
    finally:
        board.close()
        signal.signal(signal.SIGTERM, previous)
    return failed


def build_site(source: Path, out: Path, strict: bool, langs: list[str], pdf: bool = True) -> int:
    """Build several languages (with their PDFs), each in its own process, side by side;
    publish them all, or none if one failed."""
    if len(langs) == 1:
        return build_html(source, out, strict, quiet=not sys.stderr.isatty(), lang=langs[0],
                          pdf=pdf)
    failed = build_languages(source, out, strict, langs, pdf)
    if failed:
        print(f"Failed: {', '.join(failed)}; nothing was published (every language is "
              "published together, or none is).", file=sys.stderr)
        return 1
    for lang in langs:
        publish(out / ".work" / "html" / lang, out / "site" / lang)
    write_root_page(out / "site")
    print(f"The site is in {out / 'site'}: {', '.join(langs)} "
          f"(open {out / 'site' / 'index.html'}).")
    return 0


def build_pdf(source: Path, work: Path, strict: bool, quiet: bool, lang: str) -> int:
    """Typeset the PDFs of one language from the doctrees an HTML build left (no
    re-read) into ``work/typst/<lang>/pdf``."""
    return sphinx("typst", source, work / "typst" / lang, work / "doctrees" / lang, strict,
                  quiet, lang, pdf=True, fresh=False)


def pages_digest(staging: Path, pagefind: Path) -> str:
    """What Pagefind would read (every page's path and bytes) and which Pagefind."""
    digest = hashlib.sha256(f"{pagefind}\0{pagefind.stat().st_size}\0".encode())
    for page in sorted(staging.rglob("*.html")):
        digest.update(page.relative_to(staging).as_posix().encode() + b"\0")
        digest.update(page.read_bytes() + b"\0")
    return digest.hexdigest()


def index_for_search(staging: Path) -> int:
    """Write the Pagefind index of the pages in ``staging`` into ``staging/pagefind``
    (each page's ``lang`` gives its stemming), unless it is the index of these very
    pages already (a rebuild that changed no page); 0 on success."""
    try:
        from pagefind_bin_extended import get_executable

        pagefind = Path(get_executable())
    except (ImportError, FileNotFoundError) as err:
        print(f"[itu.search] Pagefind is missing, so the pages cannot be indexed ({err}).\n"
              "  hint: run 'python3 build.py', which installs pagefind[extended] into .venv "
              "from requirements.lock.", file=sys.stderr)
        return 1
    indexed = staging.with_name(f"{staging.name}.indexed")  # the digest of the pages
    try:
        digest = pages_digest(staging, pagefind)
        if (staging / "pagefind").is_dir() and indexed.is_file() and \
                indexed.read_text(encoding="utf-8") == digest:
            return 0
        indexed.unlink(missing_ok=True)
    except OSError:
        digest = ""  # indexed again, and not noted
    shutil.rmtree(staging / "pagefind", ignore_errors=True)  # an index of these pages only
    try:
        result = subprocess.run([str(pagefind), "--site", str(staging), "--output-subdir",
                                 "pagefind", "--silent"], capture_output=True, text=True)
        said, failed = (result.stdout + result.stderr).strip(), result.returncode
    except OSError as err:
        failed = said = str(err)
    if failed:
        print(f"[itu.search] Pagefind could not index {staging}:\n{said}\n"
              "  hint: every page needs <html lang=...> and its text in data-pagefind-body.",
              file=sys.stderr)
        return 1
    if digest:
        indexed.write_text(digest, encoding="utf-8")
    return 0


def phase(lang: str, what: str) -> None:
    """Say which phase of a language's build starts (a language's process among
    several: the parent shows these lines as they come)."""
    print(f"[{lang}] {what} ...", flush=True)


def build_html(source: Path, out: Path, strict: bool, quiet: bool = False,
               lang: str = "en", pdf: bool = False, staged: bool = False) -> int:
    """Build the HTML of one language (and its PDFs, with ``pdf``) into a staging
    tree, then publish it; ``staged``: leave it staged, for the build of every
    language to publish all at once."""
    work, start = out / ".work", time.perf_counter()
    staging = work / "html" / lang
    for builder in ("html", "typst"):  # counted afresh
        warnings_file(work / "doctrees" / lang, builder).unlink(missing_ok=True)
    phase(lang, "reading and writing the pages")
    code = sphinx("html", source, staging, work / "doctrees" / lang, strict, quiet, lang, pdf)
    if not code and pdf:
        phase(lang, "typesetting the PDFs")
        code = build_pdf(source, work, strict, quiet, lang)
    # this build's PDFs, none without them (its pages do not link any)
    shutil.rmtree(staging / "pdf", ignore_errors=True)
    if not code and pdf and (work / "typst" / lang / "pdf").is_dir():  # none, no documents
        shutil.copytree(work / "typst" / lang / "pdf", staging / "pdf")
    if not code:
        phase(lang, "indexing for search")
        code = index_for_search(staging)
    if code:
        print(f"Build failed: nothing was published to {out / 'site'}.", file=sys.stderr)
        return code
    site = out / "site"
    print(summary_line(lang, staging, work / "doctrees" / lang, time.perf_counter() - start),
          flush=True)
    if not staged:
        publish(staging, site / lang)
        write_root_page(site)
        print(f"The site is in {site} (open {site / lang / 'index.html'}).")
    return 0


ROOT_SCRIPT = """\
// The site's root page: on to the reader's browser language, if the site has it.
"use strict";
const links = [...document.querySelectorAll("a[hreflang]")];
const wanted = (navigator.languages || [navigator.language || "en"]).map((l) => l.slice(0, 2));
const link = links.find((a) => wanted.includes(a.hreflang))
  || links.find((a) => a.hreflang === "en");
if (link) location.replace(link.href);
"""


def content_security_policy() -> str:
    """Every page's Content-Security-Policy, as the theme states it."""
    from .html import THEME  # the theme's folder; loads nothing of Sphinx

    theme = tomllib.loads((THEME / "theme.toml").read_text("utf-8"))
    return theme["options"]["csp"]


ROOT_STYLE = """\
/* The site's root page: the choice of a language. */
body { font-family: "Noto Sans", Arial, sans-serif; margin: 0; color: #1a1a1a; }
main { max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
h1 { font-size: 1.4rem; border-block-end: 3px solid #00558c; padding-block-end: .5rem; }
ul { list-style: none; padding: 0; }
li a { display: block; padding: .6rem .2rem; color: #00558c; text-decoration: none;
       border-block-end: 1px solid #d0d7de; }
li a:hover, li a:focus { background: #f4f7fa; }
.name { font-weight: bold; font-size: 1.15rem; }
.title { display: block; color: #4a4a4a; font-size: .9rem; }
"""


def write_root_page(site: Path) -> None:
    """The site's root: the choice of a language, each named in itself with the site's
    name in it (from the ``language.json`` its build wrote), in the site's order; its
    script sends readers on to their browser's language (no inline script or style: the
    Content-Security-Policy forbids them)."""
    from html import escape

    from .i18n import LANGUAGE_FILE

    described = {}
    for folder in sorted(p for p in site.iterdir() if (p / "index.html").is_file()):
        try:
            facts = json.loads((folder / LANGUAGE_FILE).read_text("utf-8"))
        except (OSError, ValueError):  # a language built before its build wrote one
            facts = None
        described[folder.name] = facts if isinstance(facts, dict) else {"name": folder.name,
                                                                        "order": 99}
    langs = sorted(described, key=lambda lang: (described[lang].get("order", 99), lang))
    links = "".join(
        f'<li><a href="{lang}/index.html" hreflang="{lang}" lang="{lang}" '
        f'dir="{escape(facts.get("direction", "ltr"))}"><span class="name">'
        f'{escape(facts.get("name", lang))}</span> <span class="title">'
        f'{escape(facts.get("title", ""))}</span></a></li>'
        for lang in langs for facts in [described[lang]])
    (site / "root.js").write_text(ROOT_SCRIPT, encoding="utf-8")
    (site / "root.css").write_text(ROOT_STYLE, encoding="utf-8")
    # what a static host (GitHub Pages, `serve`) sends for a missing address: English's
    # 404 page, or the only language's; its links are absolute
    for page in (site / lang / "404.html" for lang in ["en", *langs]):
        if page.is_file():
            shutil.copy2(page, site / "404.html")
            break
    (site / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">'
        '<title>ITU-T Resolutions</title><link rel="stylesheet" href="root.css">'
        '<script src="root.js" defer></script></head><body><main>'
        f'<h1>ITU-T Resolutions</h1><nav aria-label="Languages"><ul>{links}</ul></nav>'
        "</main></body></html>\n", encoding="utf-8")


def chosen_language(args: argparse.Namespace, default: str = "all") -> str:
    """The language ``--lang`` names (``default`` when none), one the content has."""
    lang = args.lang or default
    known = languages_of(args.source)
    if lang not in ("all", *known):
        sys.exit(f"[itu.lang] {args.source} has no language {lang!r}.\n"
                 f"  hint: choose one of {', '.join(known)} (or start it: itu i18n --add "
                 f"{lang}).")
    return lang


def command_site(args: argparse.Namespace, strict: bool = False) -> int:
    """Build the site: every language side by side, or the one ``--lang`` names."""
    lang = chosen_language(args)
    if args.staged:
        # Sphinx's status lines go to the build of every language, which shows progress
        return build_html(args.source, args.out, strict, quiet=False, lang=lang,
                          pdf=not args.no_pdf, staged=True)
    langs = languages_of(args.source) if lang == "all" else [lang]
    return build_site(args.source, args.out, strict, langs, not args.no_pdf)


def command_i18n(args: argparse.Namespace) -> int:
    """Extract the English text into templates and bring every language's catalogs up
    to date: new messages empty, changed ones fuzzy (shown as outdated)."""
    from sphinx_intl.basic import update

    from .catalogs import write_site_template

    pot = args.out / ".work" / "gettext"
    code = sphinx("gettext", args.source, pot, args.out / ".work" / "doctrees" / "gettext",
                  strict=True, quiet=True)
    if code:
        print("Extraction failed: the catalogs were left as they were.", file=sys.stderr)
        return code
    title = runpy.run_path(str(ROOT / "conf.py"))["html_title"]
    write_site_template(ROOT, args.source, pot / "sphinx.pot", title)
    langs = sorted({*languages_of(args.source), *args.add} - {"en"})
    update(str(args.source / "locales"), str(pot), langs)
    print(f"Catalogs of {', '.join(langs)} are up to date in {args.source / 'locales'}.")
    return 0


def command_pdf(args: argparse.Namespace) -> int:
    """Typeset the PDFs of one language and publish them in the site's pdf/ folder."""
    work, lang = args.out / ".work", chosen_language(args, "en")
    code = build_pdf(args.source, work, False, True, lang)
    target = args.out / "site" / lang / "pdf"
    if not code and not (work / "typst" / lang / "pdf").is_dir():
        print(f"No documents to typeset in {args.source}.")
        return 0
    if code:
        print(f"PDF build failed: nothing was published to {target}.", file=sys.stderr)
        return code
    publish(work / "typst" / lang / "pdf", target)
    print(f"The PDFs are in {target}.")
    return 0


def command_languages(args: argparse.Namespace) -> int:
    """Print the site's languages as JSON, for CI's build matrix."""
    print(json.dumps(LANGUAGES))
    return 0


def command_assemble(args: argparse.Namespace) -> int:
    """Write the root page of a site whose languages were built separately."""
    site = args.out / "site"
    if not site.is_dir():
        print(f"No site in {site}: build the languages first.", file=sys.stderr)
        return 1
    write_root_page(site)
    print(f"The site in {site} has its root page.")
    return 0


def command_check(args: argparse.Namespace) -> int:
    """Strict build: every warning is an error; exit non-zero and publish nothing.
    ``--format json|sarif``: the findings on standard output, the rest on standard
    error."""
    if args.format == "text":
        return command_site(args, strict=True)
    from . import report
    from .messages import CODES

    with contextlib.redirect_stdout(sys.stderr):
        code = command_site(args, strict=True)
    doctrees = args.out / ".work" / "doctrees"
    found = report.findings([warnings_file(doctrees / lang, builder)
                             for lang in (languages_of(args.source) if args.lang in (None, "all")
                                          else [args.lang])
                             for builder in ("html", "typst")])
    print(report.as_json(found) if args.format == "json" else
          report.as_sarif(found, Path.cwd(), CODES, project()["version"]))
    return code


def command_test(args: argparse.Namespace) -> int:
    """pytest, in a process per core (pytest-xdist; ``-n 0`` after it: in one process);
    the tests of one group (``xdist_group``) in the same process."""
    return subprocess.call([sys.executable, "-m", "pytest", "-n", "auto", "--dist",
                            "loadgroup", *args.extra], cwd=ROOT)


def command_lock(args: argparse.Namespace) -> int:
    """Write requirements.lock from pyproject.toml's dependencies: every package pinned,
    with the hashes of all of PyPI's files of it (any platform, CPython 3.11+)."""
    tool = BUILD / ".work" / "lock-tool"  # uv in a venv of its own, not the project's
    python, uv = (tool / ("Scripts" if os.name == "nt" else "bin") / name
                  for name in ("python", "uv"))
    if ((not python.exists() and subprocess.call([sys.executable, "-m", "venv", str(tool)]))
            or subprocess.call([str(python), "-m", "pip", "install", "--quiet",
                                "--disable-pip-version-check", LOCK_TOOL])):
        sys.exit(f"[itu.lock] Could not install {LOCK_TOOL} into {tool}.\n"
                 "  hint: check that pip can reach PyPI.")
    compile_lock = [str(uv), "pip", "compile", "-", "--output-file", LOCK.name, "--quiet",
                    "--universal", "--python-version", "3.11", "--generate-hashes",
                    "--no-config", "--default-index", "https://pypi.org/simple",
                    "--custom-compile-command", "python3 build.py lock"]
    if args.upgrade:
        compile_lock.append("--upgrade")
    if subprocess.run(compile_lock, input="\n".join(requirements()), text=True,
                      cwd=ROOT).returncode:
        sys.exit("[itu.lock] The dependencies could not be resolved (see uv's message "
                 "above).\n  hint: loosen the conflicting bounds in pyproject.toml.")
    LOCK.write_text(f"{LOCK_STAMP}{requirements_digest()}\n"
                    f"{LOCK.read_text(encoding='utf-8')}", encoding="utf-8")
    print(f"Wrote {LOCK.name}: commit it with pyproject.toml.")
    return 0


def command_bench(args: argparse.Namespace) -> int:
    """Run the benchmarks (bench/run.py) inside the project's environment."""
    return subprocess.call([sys.executable, str(ROOT / "bench" / "run.py"), *args.extra],
                           cwd=ROOT)


def command_import(args: argparse.Namespace) -> int:
    """Import .docx files into the content tree (docs/word.md)."""
    from .word import WordError, import_docx, import_translation_docx

    if args.translation_of and (len(args.files) != 1 or not args.lang):
        print("--translation-of takes one .docx and its --lang.", file=sys.stderr)
        return 2
    try:
        if args.translation_of:
            done = [import_translation_docx(args.files[0], args.source, args.translation_of,
                                            args.lang)]
        else:
            done = import_docx(args.files, args.source, args.force, args.proposer)
    except WordError as err:
        print(f"{err}\nNothing was written.", file=sys.stderr)
        return 1
    for imported in done:
        for remark in imported.remarks:
            print(f"WARNING: {remark}", file=sys.stderr)
        counted = f" ({imported.passages} passages, official)" if args.translation_of else ""
        print(f"Wrote {imported.path}{counted}")
    return 0


def command_export(args: argparse.Namespace) -> int:
    """Export one document as .docx with ITU styles and revision marks (docs/word.md)."""
    from .word import WordError, document_path, export_docx, export_target

    try:
        path = document_path(args.document, args.source)
        target = args.output or export_target(path, args.source, args.out, args.lang or "")
        export_docx(path, args.source, target, args.author, args.date, args.lang or "")
    except WordError as err:
        print(f"{err}\nNothing was written.", file=sys.stderr)
        return 1
    print(f"Wrote {target}")
    return 0


# the code a review runs, from the base revision; templates/ held the theme and the Typst
# template before they moved into ext/itu/html/ and ext/itu/typst/, and older bases have it
TRUSTED_CODE = ("conf.py", "ext", "templates")


def trusted_code(repo: Path, base: str, work: Path) -> Path:
    """The base revision's conf.py and ext/ (and templates/, where the theme was before
    it moved into ext/itu/html/), exported once per commit into ``work`` (kept, so that
    Python's bytecode of the extension is reused)."""
    import tarfile

    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True)

    unknown = (f"build.py diff: cannot take the code of '{base}' from {repo}: "
               "give a branch, tag or commit of this project (fetch it first)")
    found = git("rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    if found.returncode:
        sys.exit(unknown)
    target = work / found.stdout.decode().strip()
    if not target.exists():
        # what of the trusted code the revision has: git archive refuses a missing path
        present = git("ls-tree", "--name-only", target.name, "--", *TRUSTED_CODE)
        if present.returncode or not present.stdout.strip():
            sys.exit(unknown)
        archive = git("archive", "--format=tar", target.name, *present.stdout.decode().split())
        if archive.returncode:
            sys.exit(unknown)
        shutil.rmtree(work, ignore_errors=True)  # one base kept at a time
        staging = work / "new"
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(staging, filter="data")
        staging.rename(target)
    if not (target / "ext" / "itu" / "review.py").exists():
        sys.exit(f"build.py diff: the revision '{base}' predates redlines; compare "
                 "against a newer one")
    return target


def command_diff(args: argparse.Namespace) -> int:
    """Build the redline of the documents changed between two git revisions into
    <out>/diff. What runs is the base revision's conf.py and ext/ (templates/ too in
    an older one), exported from git: the head revision is only read, as data."""
    repo, staging = args.repo.resolve(), (args.out / ".work" / "diff").resolve()
    trusted = trusted_code(repo, args.base, args.out.resolve() / ".work" / "trusted")
    shutil.rmtree(staging, ignore_errors=True)
    code = subprocess.call(
        [sys.executable, "-m", "itu.review", str(repo), args.base, args.head, str(staging),
         *(["--two-dot"] if args.two_dot else []), *(["--no-pdf"] if args.no_pdf else [])],
        cwd=trusted, env={**os.environ, "PYTHONPATH": str(trusted / "ext")})
    if code:
        return code
    publish(staging, args.out / "diff")
    summary = json.loads((args.out / "diff" / "summary.json").read_text(encoding="utf-8"))
    print(f"{len(summary['documents'])} changed document(s); the redline is in "
          f"{args.out / 'diff'} (open index.html; summary.md, summary.json).")
    return 0


SUMMARY_LIMIT = 1_000_000  # bytes: a redline's summary.json is a few kilobytes


def command_comment(args: argparse.Namespace) -> int:
    """Print the pull-request comment (Markdown) for a redline's summary.json. The file
    may come from a pull request's run: it is read as data, checked and escaped."""
    from .review import ReviewError, comment, read_summary

    if args.run_url and not re.fullmatch(r"https://[\w.-]+(/[\w.-]+)+", args.run_url):
        sys.exit(f"[itu.comment] --run-url {args.run_url!r} is not the address of a run.\n"
                 "  hint: give https://github.com/OWNER/REPO/actions/runs/ID.")
    if args.preview_url and not re.fullmatch(r"https://[\w.-]+(/[\w.-]+)*/",
                                             args.preview_url):
        sys.exit(f"[itu.comment] --preview-url {args.preview_url!r} is not the address of a "
                 "preview.\n  hint: give https://OWNER.github.io/REPO/pr-preview/pr-N/ "
                 "(with its final /).")
    try:
        data = args.summary.read_bytes()
        if len(data) > SUMMARY_LIMIT:
            raise ReviewError(f"larger than {SUMMARY_LIMIT} bytes")
        summary = read_summary(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ReviewError) as err:
        sys.exit(f"[itu.comment] {args.summary}: {err}\n"
                 "  hint: give the summary.json that 'build.py diff' wrote.")
    sys.stdout.write(comment(summary, args.run_url, args.preview_url))
    return 0


def source_stamps(source: Path) -> dict[str, int]:
    """Every source file and its modification time."""
    return {str(p): p.stat().st_mtime_ns for p in source.rglob("*") if p.is_file()}


class Preview:
    """One language of the site, rebuilt by one Sphinx application that stays in
    memory: a rebuild reads and writes only what changed, without starting Sphinx or
    loading its saved environment again."""

    def __init__(self, source: Path, out: Path, lang: str) -> None:
        self.source, self.out, self.lang = source, out, lang
        self.app = None  # a sphinx.application.Sphinx once the first build is done
        # what that application registered with docutils, taken back when it goes
        self.registered = contextlib.ExitStack()

    def build(self) -> int:
        """Build what changed and publish its pages, with the search index as it was
        (``index`` brings it up to date); 0 on success."""
        from sphinx.application import Sphinx
        from sphinx.util.docutils import docutils_namespace

        work = self.out / ".work"
        staging, doctrees = work / "html" / self.lang, work / "doctrees" / self.lang
        try:
            if self.app is None:
                # the first build reads in parallel; the application kept for the
                # changes reads serially (a parallel rebuild in a long-lived
                # application can write a page from its previous doctree)
                self.close()  # an application that failed
                if sphinx("html", self.source, staging, doctrees, False, True, self.lang):
                    raise RuntimeError("see the messages above")
                self.registered.enter_context(docutils_namespace())
                self.app = Sphinx(self.source, ROOT, staging, doctrees, "html",
                                  confoverrides={"language": self.lang, "locale_dirs": [
                                      str(build_catalogs(self.source, work))]}, status=None,
                                  warning=sys.stderr)
            else:
                build_catalogs(self.source, work)
                self.app.build()
                if self.app.statuscode:
                    raise RuntimeError("see the messages above")
        except Exception as err:  # keep serving; the next change starts afresh
            self.close()
            print(f"Build failed ({err}); the site was left as it was.", file=sys.stderr)
            return 1
        self.publish()
        return 0

    def index(self) -> int:
        """Index the pages for search (Pagefind reads them all again) and publish the
        index; 0 on success."""
        if index_for_search(self.out / ".work" / "html" / self.lang):
            return 1
        self.publish()
        return 0

    def publish(self) -> None:
        publish(self.out / ".work" / "html" / self.lang, self.out / "site" / self.lang)
        write_root_page(self.out / "site")

    def close(self) -> None:
        """Let the application go, and what it registered with docutils."""
        self.app = None
        self.registered.close()


def watch(preview: Preview, interval: float = 0.3) -> None:
    """Rebuild whenever a source file changes."""
    stamps = source_stamps(preview.source)
    while True:
        time.sleep(interval)
        now = source_stamps(preview.source)
        if now == stamps:
            continue
        stamps = now
        start = time.perf_counter()
        code = preview.build()
        result = "rebuilt" if code == 0 else "failed, the site was left as it was"
        print(f"{time.strftime('%H:%M:%S')} {result} in {time.perf_counter() - start:.2f} s",
              flush=True)
        if code == 0:  # the pages first, then their search index
            start = time.perf_counter()
            if preview.index() == 0:
                print(f"{time.strftime('%H:%M:%S')} search index updated in "
                      f"{time.perf_counter() - start:.2f} s", flush=True)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the site as its host does: a missing address gets its 404 page."""

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def command_serve(args: argparse.Namespace) -> int:
    import threading

    preview = Preview(args.source, args.out, chosen_language(args, "en"))
    code = preview.build() or preview.index()
    if code:
        return code
    handler = functools.partial(SiteHandler, directory=str(args.out / "site"))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"Serving on http://127.0.0.1:{args.port}/ ; rebuilding on every change "
              "(Ctrl+C to stop)", flush=True)
        try:
            watch(preview)
        except KeyboardInterrupt:
            server.shutdown()
    return 0




def shared_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """The options every command takes, before or after its name. Only the main
    parser sets their defaults, so that a command's own copy never undoes what was
    given before the command's name."""

    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument("--out", type=Path, default=default(BUILD),
                        help="build directory (default: _build)")
    parser.add_argument("--source", type=Path, default=default(SOURCE),
                        help="content directory (default: source)")
    parser.add_argument("--lang", default=default(None), metavar="LANG",
                        help="the language: of a build (default: all, side by side; en "
                             "for pdf and serve), an export or an imported translation")
    parser.add_argument("--no-pdf", action="store_true", default=default(False),
                        help="the HTML pages only, without typesetting the PDFs")


BUILDS = ("site", "check", "pdf", "i18n", "serve")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    shared_options(main, defaults=True)
    main.set_defaults(func=command_site, staged=False, builds=True)
    sub = main.add_subparsers(title="commands", metavar="COMMAND")

    def add(name: str, func, help_text: str, **defaults) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text,
                                 aliases=["html"] if name == "site" else [])
        shared_options(command, defaults=False)
        # a build: its content and build directories are checked before it starts
        command.set_defaults(func=func, builds=name in BUILDS, **defaults)
        return command

    checking = add("check", command_check, "the strict build: any warning fails, nothing "
                   "is published")
    for build in (add("site", command_site, "build the HTML site and its PDFs (the default "
                      "command; also 'html')"), checking):
        # one language of a build of every language, which publishes them together
        build.add_argument("--staged", action="store_true", help=argparse.SUPPRESS)
    checking.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                          help="the findings as text (the default), JSON or SARIF 2.1.0 "
                               "(code scanning) on standard output")
    add("pdf", command_pdf, "typeset the PDFs (one per document, a book per language)")
    add("languages", command_languages, "print the site's languages (JSON)", needs=None)
    add("assemble", command_assemble, "write the root page of a site built language by "
        "language", needs=None)
    i18n = add("i18n", command_i18n,
               "extract the English text and update every language's catalogs")
    i18n.add_argument("--add", action="append", default=[], metavar="LANG",
                      help="start the catalogs of a new language")
    serve = add("serve", command_serve,
                "build, serve the site on localhost and rebuild it on every change")
    serve.add_argument("--port", type=int, default=8000)
    diff = add("diff", command_diff, "build the redline (tracked changes) of the documents "
               "a branch changed into _build/diff")
    diff.add_argument("--base", required=True, help="the revision to compare against")
    diff.add_argument("--head", default="HEAD", help="the changed revision (default HEAD)")
    diff.add_argument("--two-dot", action="store_true",
                      help="compare the two revisions as they are, not the head with "
                           "the commit where it left the base")
    diff.add_argument("--repo", type=Path, default=ROOT,
                      help="the git repository (default: this one)")
    summary = add("comment", command_comment, "print the pull-request comment for a "
                  "redline's summary.json (CI's comment job)", needs=None)
    summary.add_argument("summary", type=Path, help="the summary.json of 'build.py diff'")
    summary.add_argument("--run-url", help="the address of the run that built the redline")
    summary.add_argument("--preview-url", help="the address of the pull request's preview "
                         "(its redline/ and site/), to link each document and clause")
    word_in = add("import", command_import, "import .docx files (ITU styles, footnotes, "
                  "revisions) as MyST into source/resolutions, proposals or documents")
    word_in.add_argument("files", nargs="+", type=Path, metavar="FILE.docx")
    word_in.add_argument("--force", action="store_true", help="replace existing documents")
    word_in.add_argument("--proposer", default="",
                         help="who proposes (a proposal's source, e.g. ATU)")
    word_in.add_argument("--translation-of", metavar="DOC", default="",
                         help="the file is an official translation of this document (74, "
                              "proposals/44-atu): write it into the catalog of --lang")
    word_out = add("export", command_export, "export a document as .docx with ITU styles and "
                   "real revision marks, into _build/docx")
    word_out.add_argument("document", metavar="DOC", help="a docname (resolutions/74) or a path")
    word_out.add_argument("--docx", action="store_true", required=True,
                          help="the format (.docx, the only one so far)")
    word_out.add_argument("--output", type=Path, help="the .docx to write")
    word_out.add_argument("--author", default="",
                          help="who signs the revisions (default: the last commit's author)")
    word_out.add_argument("--date", default="",
                          help="their date (default: the last commit's date)")
    add("bench", command_bench, "run the benchmarks into docs/benchmarks.md (--quick for a "
        "smoke run)", passthrough=True)
    add("test", command_test, "run the tests (pytest; extra arguments pass through)",
        passthrough=True, needs="test")
    lock = add("lock", command_lock, "write requirements.lock from pyproject.toml's "
               "dependencies (pinned, with hashes)", venv=False)
    lock.add_argument("--upgrade", action="store_true",
                      help="take the newest versions allowed, not those locked now")
    return main


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line read; arguments after ``test`` and ``bench`` pass through."""
    cli = parser()
    args, extra = cli.parse_known_args(argv)
    if extra and not getattr(args, "passthrough", False):
        cli.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    return args


def environment_fault(args: argparse.Namespace) -> str:
    """What in the environment stops a build before it starts, said with what to do."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and not epoch.isdigit():
        return (f"[itu.env] SOURCE_DATE_EPOCH must be whole seconds since 1970, not {epoch!r}"
                "\n  hint: unset it, or give SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)")
    if not getattr(args, "builds", False):
        return ""
    if not (args.source / "index.md").is_file():
        return (f"[itu.env] {args.source} is not a content directory (it has no index.md)"
                "\n  hint: give --source the folder that holds index.md, or leave it out")
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        probe = args.out / f".itu-write-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError as err:
        return (f"[itu.env] cannot write to the build directory {args.out}: "
                f"{err.strerror or err}\n  hint: give --out a folder you can write to")
    return ""


LOCKED = "ITU_LOCKED"  # the build directory a parent build holds for its children


def run(args: argparse.Namespace) -> int:
    """Run a parsed command; its exit status. One build at a time writes to a build
    directory: a second one stops at once, saying so."""
    fault = environment_fault(args)
    if fault:
        print(fault, file=sys.stderr)
        return 2
    out = str(args.out.resolve()) if getattr(args, "builds", False) else ""
    if not out or os.environ.get(LOCKED) == out:
        return args.func(args)
    import fcntl

    with open(args.out / ".itu-lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"[itu.busy] another build is writing to {args.out}\n  hint: wait until it "
                  "is done, or give this one its own --out", file=sys.stderr)
            return 2
        os.environ[LOCKED] = out  # the languages' processes build under this lock
        try:
            return args.func(args)
        finally:
            os.environ.pop(LOCKED, None)


def main(argv: list[str] | None = None) -> int:
    """The ``itu`` command."""
    return run(parse(argv))


if __name__ == "__main__":
    sys.exit(main())
