"""The command line: options before or after the command, one strict mode, a summary
line per language, progress per language and phase, and an ``itu`` command once the
project is installed."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_build
from itu import cli
from test_errors import GOOD


@pytest.mark.parametrize("argv", [
    ["--lang", "fr", "--no-pdf", "check"], ["check", "--lang", "fr", "--no-pdf"],
    ["--lang", "fr", "check", "--no-pdf"]])
def test_options_go_before_or_after_the_command(argv, tmp_path):
    args = cli.parse([*argv, "--out", str(tmp_path)])
    assert (args.func, args.lang, args.no_pdf, args.out) == (cli.command_check, "fr", True,
                                                              tmp_path)


def test_the_default_command_builds_the_site_and_html_is_its_other_name():
    assert cli.parse([]).func is cli.parse(["html"]).func is cli.command_site
    assert not any(action.dest == "strict" for action in cli.parser()._actions), \
        "one strict mode: the check command"


def test_a_build_says_what_it_made_and_an_unknown_language_is_a_message(project, tmp_path):
    (project / "good.md").write_text(GOOD, encoding="utf-8")
    result = run_build("--lang", "en", "site", "--source", str(project),
                       "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    pdfs = len(list((tmp_path / "out" / "site" / "en" / "pdf").rglob("*.pdf")))
    assert pdfs >= 2, "the document's PDF and the book"
    assert re.search(rf"^\[en\] 3 pages, {pdfs} PDFs, 0 warnings, [\d.]+ s$", result.stdout,
                     re.M), result.stdout
    wrong = run_build("check", "--lang", "xx", "--source", str(project))
    assert wrong.returncode == 1 and "[itu.lang]" in wrong.stderr
    assert "Traceback" not in wrong.stderr


@pytest.mark.slow
def test_pip_install_gives_an_itu_command(tmp_path):
    venv = tmp_path / "venv"
    # a venv without a pip of its own (most of the time of making one): ours installs into it
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                              "install", "--quiet", "--no-deps", "-e", str(ROOT)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    result = subprocess.run([str(venv / "bin" / "itu"), "--help"], capture_output=True,
                            text=True, cwd=tmp_path)
    assert result.returncode == 0 and "itu check" in result.stdout, result.stderr


def two_languages(project: Path) -> None:
    """English and French, and one resolution."""
    (project / "locales" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (project / "9.md").write_text(GOOD, encoding="utf-8")


def test_every_language_is_published_together_or_none_is(project, tmp_path):
    two_languages(project)
    out = tmp_path / "out"
    first = run_build("site", "--no-pdf", "--source", str(project), "--out", str(out))
    assert first.returncode == 0, first.stdout + first.stderr
    # in a log, a line per phase and per step of Sphinx's, not one per page
    assert "[fr] reading and writing the pages ..." in first.stdout
    assert first.stdout.count("[fr] reading and writing the pages: writing output\n") == 1
    published = (out / "site" / "en" / "9.html").read_text(encoding="utf-8")
    # the edit builds in English, but French cannot build: neither is published
    (project / "9.md").write_text((project / "9.md").read_text(encoding="utf-8").replace(
        "that two", "that three"), encoding="utf-8")
    (project / "_data" / "citations" / "fr.yaml").unlink()
    second = run_build("site", "--no-pdf", "--source", str(project), "--out", str(out))
    assert second.returncode == 1
    assert "nothing was published (every language is published together" in second.stderr
    assert "[en] 3 pages" in second.stdout and "[fr] failed" in second.stdout
    assert (out / "site" / "en" / "9.html").read_text(encoding="utf-8") == published


def test_a_terminal_shows_a_bar_per_language_redrawn_in_place(project, tmp_path):
    two_languages(project)
    pid, terminal = pty.fork()
    if not pid:  # the child: the build, its output on the terminal
        os.execv(sys.executable, [sys.executable, str(ROOT / "build.py"), "site", "--no-pdf",
                                  "--source", str(project), "--out", str(tmp_path / "out")])
    shown = b""
    with contextlib.suppress(OSError):  # the terminal closes with the build
        while chunk := os.read(terminal, 65536):
            shown += chunk
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    text = shown.decode("utf-8")
    assert "\x1b[2F\x1b[J" in text, "the board is redrawn over itself"
    last = text.rpartition("\x1b[J")[2]  # the board as it is left
    for lang in ("en", "fr"):
        assert re.search(rf"\[{lang}\] █+ 100%  done", last), last
        assert re.search(rf"\[{lang}\] 3 pages, 0 PDFs, 0 warnings", text)
    assert re.search(r"\[fr\] █*░+ +\d+%  reading and writing the pages: writing output",
                     text), "a bar while the pages are written"


def test_stopping_a_build_of_every_language_stops_each_language(project, tmp_path):
    two_languages(project)
    out = tmp_path / "out"
    build = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "site", "--no-pdf",
                              "--source", str(project), "--out", str(out)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in build.stdout:
        if line.startswith("[fr] reading"):
            break
    children = subprocess.run(["pgrep", "-f", f"itu.cli site --lang .* --out {out}"],
                              capture_output=True, text=True).stdout.split()
    assert children, "the languages build in processes of their own"
    build.send_signal(signal.SIGTERM)
    assert build.wait(timeout=60) == 128 + signal.SIGTERM
    for pid in children:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.waitpid(int(pid), 0)
    time.sleep(0.5)
    assert not subprocess.run(["pgrep", "-f", f"itu.cli site --lang .* --out {out}"],
                              capture_output=True, text=True).stdout.split()
    assert not (out / "site").exists(), "a stopped build publishes nothing"
