"""The real command line for the tests: ``build.py`` (or ``sphinx-build``) in a
process of its own for each build, forked from a server that has imported Sphinx, MyST
and the extension once (multiprocessing's fork server, one per test worker). A build
then costs what it builds, not a second of imports; each still starts from the same
clean state, since nothing a build changes goes back into the server."""

from __future__ import annotations

import multiprocessing
import os
import pkgutil
import runpy
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build.py"
# what every build imports, the extension's own modules aside
IMPORTED = ["sphinx.cmd.build", "sphinx.application", "sphinx.builders.html",
            "sphinx.builders.dirhtml", "sphinx.builders.singlehtml", "sphinx.builders.gettext",
            "myst_parser.parsers.sphinx_", "myst_parser.sphinx_ext.main", "yaml", "jinja2",
            "babel.messages.pofile", "docx", "lxml.etree"]

_forks: multiprocessing.context.ForkServerContext | None = None


def _server() -> multiprocessing.context.ForkServerContext:
    global _forks
    if _forks is None:
        import itu

        _forks = multiprocessing.get_context("forkserver")
        _forks.set_forkserver_preload([
            *IMPORTED, *(found.name for found in pkgutil.walk_packages(itu.__path__, "itu."))])
    return _forks


def _run(argv: list[str], environment: dict[str, str], stdout: str, stderr: str) -> None:
    """In the forked process: ``python argv`` (a script, or ``-m`` and a module) with
    the caller's environment, its output (and that of every process it starts) into the
    two files."""
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(ROOT)
    for fd, path in ((1, stdout), (2, stderr)):
        opened = os.open(path, os.O_WRONLY | os.O_APPEND)
        os.dup2(opened, fd)
        os.close(opened)
    sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    if argv[0] == "-m":
        sys.argv = [argv[1], *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = argv
        runpy.run_path(argv[0], run_name="__main__")  # exits with the command's status


def run_python(*argv: str) -> subprocess.CompletedProcess:
    """Run ``python argv`` in a process of its own; its exit status and output."""
    with tempfile.TemporaryDirectory() as folder:
        stdout, stderr = Path(folder, "stdout"), Path(folder, "stderr")
        stdout.touch()
        stderr.touch()
        process = _server().Process(target=_run, args=(
            list(argv), dict(os.environ), str(stdout), str(stderr)))
        process.start()
        process.join()
        return subprocess.CompletedProcess(
            [sys.executable, *argv], process.exitcode,
            stdout.read_text(encoding="utf-8", errors="replace"),
            stderr.read_text(encoding="utf-8", errors="replace"))


def run_build(*argv: str) -> subprocess.CompletedProcess:
    """Run ``build.py argv`` as an editor would; its exit status and output."""
    return run_python(str(BUILD), *argv)
