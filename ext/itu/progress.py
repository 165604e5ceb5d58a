"""How far each language of a build has come, shown while the languages build side by side.

Each language builds in a process of its own; its standard output carries our
phase lines (``[fr] typesetting the PDFs ...``) and Sphinx's status iterator
(``writing output... [ 42%] resolutions/44``). The board reads both. On a
terminal it keeps one bar per language, redrawn in place; in a log (CI) it
prints a line each time a language starts a phase or a step of Sphinx's, so the
log says what is happening without a line per page. Stdlib only.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from typing import TextIO

# Sphinx's status iterator, without colour: "<summary>... [ 42%] <item>"
STEP = re.compile(r"^(?P<step>[a-z][\w ]*?)\.\.\. \[\s*(?P<percent>\d+)%\]")
WIDTH = 24


class Board:
    """The progress of every language, written to ``stream``."""

    def __init__(self, langs: list[str], stream: TextIO = sys.stdout) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.state = {lang: ["waiting", "", 0] for lang in langs}  # phase, step, percent
        self.lock = threading.Lock()
        self.drawn = 0  # lines of the board on the terminal
        self.last = 0.0

    def read(self, lang: str, line: str) -> bool:
        """Take one line of a language's output; whether it was progress."""
        line = line.rstrip("\n")
        state = self.state[lang]
        if line.startswith(f"[{lang}] ") and line.endswith(" ..."):
            state[:] = [line[len(lang) + 3:-4], "", 0]
            self._show(lang, force=True)
            return True
        found = STEP.match(line.rpartition("\r")[2].replace("\x1b[2K", ""))
        if not found:
            return False
        step, percent = found["step"], int(found["percent"])
        new_step = step != state[1]
        state[1:] = [step, percent]
        self._show(lang, force=new_step)
        return True

    def say(self, text: str, stream: TextIO | None = None) -> None:
        """A line that stays (a language's summary, its messages), above the board."""
        with self.lock:
            self._clear()
            print(text, file=stream or self.stream, flush=True)
            self._draw()

    def finish(self, lang: str, failed: bool) -> None:
        """A language's build has ended."""
        self.state[lang][:] = ["failed" if failed else "done", "", 100]
        self._show(lang, force=self.live)

    def close(self) -> None:
        """Leave the board as it is last drawn."""
        with self.lock:
            self.drawn = 0

    def _show(self, lang: str, force: bool) -> None:
        with self.lock:
            if not self.live:
                if force:
                    phase, step, _ = self.state[lang]
                    print(f"[{lang}] {phase}" + (f": {step}" if step else " ..."),
                          file=self.stream, flush=True)
                return
            now = time.monotonic()
            if force or now - self.last > 0.1:
                self._clear()
                self._draw()
                self.last = now

    def _clear(self) -> None:
        if self.live and self.drawn:
            self.stream.write(f"\x1b[{self.drawn}F\x1b[J")  # up, then erase below
        self.drawn = 0

    def _draw(self) -> None:
        if not self.live:
            return
        for lang, (phase, step, percent) in self.state.items():
            full = WIDTH * percent // 100
            bar = "█" * full + "░" * (WIDTH - full)
            self.stream.write(f"[{lang}] {bar} {percent:3d}%  {phase}"
                              + (f": {step}" if step else "") + "\n")
        self.stream.flush()
        self.drawn = len(self.state)
