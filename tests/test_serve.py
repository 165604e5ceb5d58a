"""The preview server: serves the site on loopback and rebuilds it when a file changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import ROOT
from test_errors import GOOD


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(process: subprocess.Popen, text: str, seconds: float = 30) -> list[str]:
    """What the server said until it said ``text``."""
    deadline = time.monotonic() + seconds
    said = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        said.append(line)
        if text in line:
            return said
        if not line and process.poll() is not None:
            break
    raise AssertionError(f"the server never said {text!r}")


@pytest.mark.slow
def test_serve_rebuilds_on_change(project, tmp_path):
    page = project / "good.md"
    page.write_text(GOOD, encoding="utf-8")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port),
         "--source", str(project), "--out", str(tmp_path / "out")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    try:
        wait_for(server, "Serving on")
        url = f"http://127.0.0.1:{port}/en/good.html"
        assert "that one;" in urllib.request.urlopen(url, timeout=10).read().decode()
        index = f"http://127.0.0.1:{port}/en/pagefind/pagefind-entry.json"
        first_index = urllib.request.urlopen(index, timeout=10).read()
        page.write_text(GOOD.replace("that one;", "that one, edited;"), encoding="utf-8")
        wait_for(server, "rebuilt in")
        assert "that one, edited;" in urllib.request.urlopen(url, timeout=10).read().decode()
        # the pages come first, then their search index (another, since a page changed)
        wait_for(server, "search index updated in")
        assert urllib.request.urlopen(index, timeout=10).read() != first_index
        # content the policy refuses: said, and the published page stays as it was
        page.write_text(GOOD.replace("that one;", "that {download}`/etc/passwd`;"),
                        encoding="utf-8")
        wait_for(server, "[itu.policy.role]")
        wait_for(server, "failed, the site was left as it was")
        assert "that one, edited;" in urllib.request.urlopen(url, timeout=10).read().decode()
        # mended: built again by a new application, which says nothing of the one before
        page.write_text(GOOD.replace("that one;", "that one, mended;"), encoding="utf-8")
        said = wait_for(server, "rebuilt in")
        assert "that one, mended;" in urllib.request.urlopen(url, timeout=10).read().decode()
        assert not [line for line in said if "WARNING" in line], said
    finally:
        server.terminate()
        server.wait(timeout=10)
