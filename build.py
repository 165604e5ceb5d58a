#!/usr/bin/env python3
"""Build the ITU resolutions site.

  python build.py            set up (first run) and build the site
  python build.py test       run the test suite
  python build.py --help     every command
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BUILD = ROOT / "_build"
SOURCE = ROOT / "source"
LANGUAGES = ["en"]  # the languages the site is built in; English is the source


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["test"]]


def debian_packages(purpose: str) -> list[str]:
    """The Debian packages pyproject.toml lists for ``purpose`` (build or test)."""
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["itu"]
    return listed["debian-packages"][purpose]


def ensure_debian_packages(packages: list[str]) -> None:
    """Install the missing ones with apt-get when we may; else say what to install."""
    if not shutil.which("dpkg-query"):
        return
    missing = [name for name in packages if subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True
    ).stdout.strip() != "install ok installed"]
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(f"Missing Debian packages: install them with "
                 f"'sudo apt-get install {' '.join(missing)}', then run this again.")
    print(f"Installing Debian packages: {' '.join(missing)} ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update", "-qq"],
                 ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]):
        if subprocess.call(step, env=env, stdout=subprocess.DEVNULL):
            sys.exit(f"Could not install {' '.join(missing)} ({' '.join(step[:2])} failed).")


def ensure_environment(purpose: str = "build") -> None:
    """Create .venv with the project's dependencies, then re-run inside it."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    ensure_debian_packages(debian_packages(purpose))
    if os.environ.get("ITU_NO_VENV"):
        return
    stamp = VENV / ".requirements"
    wanted = hashlib.sha256("\n".join(requirements()).encode()).hexdigest()
    if not (stamp.exists() and stamp.read_text() == wanted):
        print("Setting up .venv with the project's dependencies ...", flush=True)
        for step in ([sys.executable, "-m", "venv", str(VENV)],
                     [str(venv_python()), "-m", "pip", "install", "--quiet",
                      "--disable-pip-version-check", *requirements()]):
            if subprocess.call(step):
                sys.exit(f"Could not set up {VENV} ({' '.join(step[:4])} failed). "
                         "Check that Python 3.11+ with venv and pip can reach PyPI.")
        stamp.write_text(wanted)
    os.execv(str(venv_python()), [str(venv_python()), str(Path(__file__)), *sys.argv[1:]])


def sphinx(builder: str, source: Path, out: Path, doctrees: Path, strict: bool,
           quiet: bool = False, lang: str = "en", pdf: bool = False,
           fresh: bool | None = None) -> int:
    """Run Sphinx in-process; return its exit code. ``pdf``: the pages link to PDFs.
    ``fresh`` (default: when strict) reads every file again."""
    from sphinx.cmd.build import build_main

    args = ["-b", builder, "-c", str(ROOT), "-d", str(doctrees), "-j", "auto",
            "-D", f"language={lang}", "-D", f"itu_pdf={int(pdf)}", str(source), str(out)]
    if strict:
        args[:0] = ["-W", "--keep-going"]
    if strict if fresh is None else fresh:
        # a fresh read, so that warnings of unchanged files are reported again
        args[:0] = ["-E"]
    if quiet:
        args[:0] = ["-q"]
    return build_main(args)


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


def build_pdf(source: Path, work: Path, strict: bool, quiet: bool, lang: str) -> int:
    """Typeset the PDFs of one language from the doctrees an HTML build left (no
    re-read) into ``work/typst/<lang>/pdf``."""
    return sphinx("typst", source, work / "typst" / lang, work / "doctrees" / lang, strict,
                  quiet, lang, pdf=True, fresh=False)


def build_html(source: Path, out: Path, strict: bool, quiet: bool = False,
               lang: str = "en", pdf: bool = False) -> int:
    """Build the HTML of one language (and its PDFs, with ``pdf``) into a staging
    tree, then publish it."""
    work = out / ".work"
    staging = work / "html" / lang
    code = sphinx("html", source, staging, work / "doctrees" / lang, strict, quiet, lang, pdf)
    if not code and pdf:
        code = build_pdf(source, work, strict, quiet, lang)
        shutil.rmtree(staging / "pdf", ignore_errors=True)
        if not code:
            shutil.copytree(work / "typst" / lang / "pdf", staging / "pdf")
    if code:
        print(f"Build failed: nothing was published to {out / 'site'}.", file=sys.stderr)
        return code
    site = out / "site"
    publish(staging, site / lang)
    write_root_page(site)
    print(f"The site is in {site} (open {site / lang / 'index.html'}).")
    return 0


def write_root_page(site: Path) -> None:
    """The site's root sends readers on to their browser's language, else English."""
    langs = sorted(p.name for p in site.iterdir() if (p / "index.html").exists())
    links = "".join(f'<li><a href="{lang}/index.html" hreflang="{lang}">{lang}</a></li>'
                    for lang in langs)
    (site / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<title>ITU-T Resolutions</title>'
        f"<script>const langs = {json.dumps(langs)};"
        "const wanted = (navigator.languages || [navigator.language || 'en'])"
        ".map(l => l.slice(0, 2)).find(l => langs.includes(l)) || 'en';"
        "location.replace(wanted + '/index.html');</script>"
        '<noscript><meta http-equiv="refresh" content="0; url=en/index.html"></noscript>'
        f"</head><body><ul>{links}</ul></body></html>\n", encoding="utf-8")


def command_site(args: argparse.Namespace) -> int:
    return build_html(args.source, args.out, strict=args.strict, quiet=True, lang=args.lang,
                      pdf=True)


def command_pdf(args: argparse.Namespace) -> int:
    """Typeset the PDFs of one language and publish them in the site's pdf/ folder."""
    work = args.out / ".work"
    code = build_pdf(args.source, work, args.strict, True, args.lang)
    target = args.out / "site" / args.lang / "pdf"
    if code:
        print(f"PDF build failed: nothing was published to {target}.", file=sys.stderr)
        return code
    publish(work / "typst" / args.lang / "pdf", target)
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
    """Strict build: every warning is an error; exit non-zero and publish nothing."""
    return build_html(args.source, args.out, strict=True, quiet=True, lang=args.lang, pdf=True)


def command_test(args: argparse.Namespace) -> int:
    return subprocess.call([sys.executable, "-m", "pytest", *args.extra], cwd=ROOT)


def command_bench(args: argparse.Namespace) -> int:
    """Run the benchmarks (bench/run.py) inside the project's environment."""
    return subprocess.call([sys.executable, str(ROOT / "bench" / "run.py"), *args.extra],
                           cwd=ROOT)


def source_stamps(source: Path) -> dict[str, int]:
    """Every source file and its modification time."""
    return {str(p): p.stat().st_mtime_ns for p in source.rglob("*") if p.is_file()}


def watch(source: Path, out: Path, lang: str, interval: float = 0.3) -> None:
    """Rebuild whenever a source file changes, in this process: Sphinx stays loaded,
    so a rebuild costs only the reading and writing it needs."""
    stamps = source_stamps(source)
    while True:
        time.sleep(interval)
        now = source_stamps(source)
        if now == stamps:
            continue
        stamps = now
        start = time.perf_counter()
        code = build_html(source, out, strict=False, quiet=True, lang=lang)
        result = "rebuilt" if code == 0 else "failed, the site was left as it was"
        print(f"{time.strftime('%H:%M:%S')} {result} in {time.perf_counter() - start:.2f} s",
              flush=True)


def command_serve(args: argparse.Namespace) -> int:
    import functools
    import http.server
    import threading

    code = build_html(args.source, args.out, strict=False, quiet=True, lang=args.lang)
    if code:
        return code
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(args.out / "site"))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"Serving on http://127.0.0.1:{args.port}/ ; rebuilding on every change "
              "(Ctrl+C to stop)", flush=True)
        try:
            watch(args.source, args.out, args.lang)
        except KeyboardInterrupt:
            server.shutdown()
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="build.py", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    main.set_defaults(func=command_site, out=BUILD, source=SOURCE, strict=False, lang="en")
    sub = main.add_subparsers(title="commands", metavar="COMMAND")

    def add(name: str, func, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(func=func)
        command.add_argument("--out", type=Path, default=BUILD,
                             help="build directory (default: _build)")
        command.add_argument("--source", type=Path, default=SOURCE,
                             help="content directory (default: source)")
        return command

    for name, help_text in (("site", "build the HTML site and its PDFs (the default command)"),
                            ("html", "build the HTML site (same as site)")):
        command = add(name, command_site, help_text)
        command.add_argument("--strict", action="store_true", help="treat warnings as errors")
        command.add_argument("--lang", choices=LANGUAGES, default="en",
                             help="the language to build (default en)")
    pdf = add("pdf", command_pdf, "typeset the PDFs (one per document, a book per language)")
    pdf.add_argument("--strict", action="store_true", help="treat warnings as errors")
    pdf.add_argument("--lang", choices=LANGUAGES, default="en",
                     help="the language to build (default en)")
    add("languages", command_languages, "print the site's languages (JSON)")
    add("assemble", command_assemble, "write the root page of a site built language by language")
    check = add("check", command_check,
                "strict build: any warning fails and nothing is published")
    check.add_argument("--lang", choices=LANGUAGES, default="en",
                       help="the language to build (default en)")
    serve = add("serve", command_serve,
                "build, serve the site on localhost and rebuild it on every change")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--lang", choices=LANGUAGES, default="en",
                       help="the language to build (default en)")
    bench = sub.add_parser("bench", help="run the benchmarks into docs/benchmarks.md "
                                         "(--quick for a smoke run)")
    bench.set_defaults(func=command_bench, passthrough=True)
    test = sub.add_parser("test", help="run the tests (pytest; extra arguments pass through)")
    test.set_defaults(func=command_test, passthrough=True, needs="test")
    return main


def main(argv: list[str] | None = None) -> int:
    cli = parser()
    args, extra = cli.parse_known_args(argv)
    if extra and not getattr(args, "passthrough", False):
        cli.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    ensure_environment(getattr(args, "needs", "build"))
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
