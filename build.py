#!/usr/bin/env python3
"""Build the ITU resolutions site.

  python3 build.py            set up (first run) and build the site
  python3 build.py test       run the test suite
  python3 build.py --help     every command

This file needs nothing but Python: it installs the Debian packages the
project lists, sets up .venv from requirements.lock, and runs the command line
(ext/itu/cli.py, which ``pip install -e .`` also installs as ``itu``) inside it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
sys.path.insert(0, str(ROOT / "ext"))

from itu import cli  # noqa: E402  (the standard library only, until a command runs)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


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
    # root installs; elsewhere (a CI runner) sudo may, if it needs no password
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    if not shutil.which("apt-get") or (sudo and subprocess.call(
            ["sudo", "-n", "true"], stderr=subprocess.DEVNULL) != 0):
        sys.exit(f"Missing Debian packages: install them with "
                 f"'sudo apt-get install {' '.join(missing)}', then run this again.")
    print(f"Installing Debian packages: {' '.join(missing)} ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in ([*sudo, "apt-get", "update", "-qq"],
                 [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends",
                  *missing]):
        if subprocess.call(step, env=env, stdout=subprocess.DEVNULL):
            sys.exit(f"Could not install {' '.join(missing)} ({' '.join(step[-3:])} failed).")


def ensure_environment(purpose: str | None = "build") -> None:
    """Install what ``purpose`` (build, test, or None) needs from Debian, create .venv
    from requirements.lock (every file's hash checked), then re-run inside it."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if purpose:
        ensure_debian_packages(debian_packages(purpose))
    if os.environ.get("ITU_NO_VENV"):
        return
    cli.check_lock()
    stamp = VENV / ".requirements"
    wanted = hashlib.sha256(cli.LOCK.read_bytes()).hexdigest()
    if not (stamp.exists() and stamp.read_text() == wanted):
        # on stderr: stdout is the command's output (build.py comment, languages)
        print("Setting up .venv from requirements.lock ...", file=sys.stderr, flush=True)
        for step in ([sys.executable, "-m", "venv", str(VENV)],
                     [str(venv_python()), "-m", "pip", "install", "--quiet",
                      "--disable-pip-version-check", "--require-hashes", "-r", str(cli.LOCK)]):
            if subprocess.call(step):
                sys.exit(f"[itu.setup] Could not set up {VENV} ({' '.join(step[:4])} failed).\n"
                         "  hint: check that Python 3.11+ with venv and pip can reach PyPI; "
                         "a hash that does not match means a file differs from PyPI's.")
        stamp.write_text(wanted)
    os.execv(str(venv_python()), [str(venv_python()), str(Path(__file__)), *sys.argv[1:]])


def main(argv: list[str] | None = None) -> int:
    args = cli.parse(argv)
    if getattr(args, "venv", True):
        ensure_environment(getattr(args, "needs", "build"))
    return cli.run(args)


if __name__ == "__main__":
    sys.exit(main())
