"""When each document last changed: the time of the last commit that touched its source
(or, on a translated page, its catalog), read from git in one pass (kept beside the
doctrees, so that a later build reads only the commits made since), and shown on its page.

A file changed since the last commit, or outside a git work tree, has no such time: the
page then says nothing rather than something untrue. A commit that changes no source
(only the history) still changes what the pages say, so the documents whose time moved
are read again, and an incremental build stays what a clean one is.
"""

from __future__ import annotations

import datetime
import json
import subprocess
from pathlib import Path
from typing import Any

from babel.core import UnknownLocaleError
from babel.dates import format_date


def _git(srcdir: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(srcdir), *args], capture_output=True,
                          text=True, check=True, timeout=60).stdout


def commit_times(srcdir: Path, cache: Path | None = None) -> dict[str, int]:
    """Every committed file under ``srcdir`` as it was committed (its path relative to
    ``srcdir``) and the Unix time of the last commit that changed it; {} without git.
    With a ``cache`` file, only the commits made since the one it was taken at are
    read (the whole history again where that commit is no longer HEAD's ancestor)."""
    try:
        head = _git(srcdir, "rev-parse", "HEAD").strip()
        known = _cached(cache)
        since = known.get("head")
        if since == head:
            times = dict(known["times"])
        else:
            newer = since and subprocess.run(
                ["git", "-C", str(srcdir), "merge-base", "--is-ancestor", since, head],
                capture_output=True, timeout=60).returncode == 0
            times = dict(known["times"]) if newer else {}
            for path, when in _logged(_git(srcdir, "log", "--relative", "--name-only",
                                           "--no-renames", "--format=@%ct",
                                           *([f"{since}..{head}"] if newer else [head]),
                                           "--", ".")).items():
                times[path] = max(times.get(path, 0), when)
            _keep(cache, {"head": head, "times": times})
        edited = _git(srcdir, "diff", "--relative", "--name-only", "-z", "HEAD", "--", ".")
    except (OSError, subprocess.SubprocessError):
        return {}  # no git, no work tree, no commit yet
    for path in edited.split("\0"):
        times.pop(path, None)
    return times


def _logged(log: str) -> dict[str, int]:
    """Each file a ``git log --name-only --format=@%ct`` names, and the newest time of
    the commits that name it."""
    times: dict[str, int] = {}
    when = 0
    for line in log.splitlines():
        if line.startswith("@"):
            when = int(line[1:])
        elif line:
            times[line] = max(times.get(line, 0), when)
    return times


def _cached(cache: Path | None) -> dict:
    """The times a build kept: {"head": commit, "times": {path: time}}, or {}."""
    try:
        kept = json.loads(cache.read_text(encoding="utf-8")) if cache else {}
    except (OSError, ValueError):
        return {}
    valid = isinstance(kept, dict) and isinstance(kept.get("head"), str) and \
        isinstance(kept.get("times"), dict)
    return kept if valid else {}


def _keep(cache: Path | None, kept: dict) -> None:
    if cache is None:
        return
    try:
        cache.write_text(json.dumps(kept, sort_keys=True), encoding="utf-8")
    except OSError:
        pass  # no cache: the next build reads the history again


def note_times(app: Any, env: Any, added: set, changed: set, removed: set) -> list[str]:
    """(``env-get-outdated``) Note when each document last changed; the documents whose
    time is not the one their page shows, to be read and written again."""
    times = commit_times(Path(app.srcdir), Path(app.doctreedir) / "itu-commit-times.json")
    lang = app.config.language or "en"
    now: dict[str, int] = {}
    for docname in env.found_docs:
        sources = [Path(env.doc2path(docname)).relative_to(app.srcdir).as_posix()]
        catalog = f"locales/{lang}/LC_MESSAGES/{docname}.po"
        if lang != "en" and (Path(app.srcdir) / catalog).is_file():
            sources.append(catalog)
        if all(source in times for source in sources):
            now[docname] = max(times[source] for source in sources)
    before = getattr(env, "itu_last_changed", {})
    env.itu_last_changed = now
    return sorted(d for d in now.keys() | before.keys() if now.get(d) != before.get(d)
                  and d in env.found_docs and d not in added | changed)


def last_changed(env: Any, docname: str) -> str:
    """The day a document last changed, as its page's language writes it, or ""."""
    when = getattr(env, "itu_last_changed", {}).get(docname)
    if when is None:
        return ""
    day = datetime.datetime.fromtimestamp(when, datetime.UTC).date()
    lang = env.config.language or "en"
    try:  # the ITU writes British English: 24 November 2026
        return format_date(day, "long", locale="en_GB" if lang == "en" else lang)
    except (UnknownLocaleError, ValueError):  # a language Babel does not know: ISO 8601
        return day.isoformat()
