"""What a check found, for machines: JSON, or SARIF 2.1.0 for code scanning.

Sphinx writes every warning and error of a build to a file (``-w``) as
``path:line: WARNING: message. Hint [itu.code]``; this module reads those files
back into findings. Standard library only: the command line imports it.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

SAID = re.compile(r"^(?:(?P<path>\S[^:]*?)(?::(?P<line>\d+))?: )?"
                  r"(?P<level>WARNING|ERROR|CRITICAL): (?P<message>.*?)"
                  r"(?: \[(?P<code>[\w.-]+)\])?$")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass(frozen=True)
class Finding:
    """One message of a build: where, how bad, which code, what it says."""

    path: str
    line: int
    level: str  # "error" or "warning"
    code: str
    message: str


def findings(files: list[Path]) -> list[Finding]:
    """The messages in Sphinx's warning files, each once, in the order of the files."""
    found: dict[Finding, None] = {}
    for file in files:
        if not file.is_file():
            continue
        for text in file.read_text(encoding="utf-8", errors="replace").splitlines():
            said = SAID.match(text.strip())
            if not said:
                continue  # the continuation of a message above
            path, line = said["path"] or "", int(said["line"] or 0)
            if not path:  # "ERROR: /source/x.md is a symbolic link": the path leads
                path = said["message"].partition(" ")[0]
            found[Finding(path, line, "warning" if said["level"] == "WARNING" else "error",
                          said["code"] or "sphinx", said["message"])] = None
    return list(found)


def as_json(found: list[Finding]) -> str:
    return json.dumps({"findings": [asdict(f) for f in found]}, indent=2, ensure_ascii=False)


def as_sarif(found: list[Finding], root: Path, rules: dict[str, str], version: str) -> str:
    """SARIF 2.1.0: a result per finding, located relative to the repository's root so
    that code scanning annotates the pull request's lines."""
    codes = sorted({f.code for f in found})

    def location(finding: Finding) -> dict:
        path = Path(finding.path)
        try:
            uri = {"uri": path.resolve().relative_to(root.resolve()).as_posix(),
                   "uriBaseId": "%SRCROOT%"}
        except ValueError:
            uri = {"uri": path.resolve().as_uri()}
        physical: dict = {"artifactLocation": uri}
        if finding.line:
            physical["region"] = {"startLine": finding.line}
        return {"physicalLocation": physical}

    results = [{"ruleId": f.code, "ruleIndex": codes.index(f.code), "level": f.level,
                "message": {"text": f.message}, "locations": [location(f)]} for f in found]
    driver = {"name": "itu", "version": version, "rules": [
        {"id": code, "shortDescription": {"text": rules.get(code.removeprefix("itu."),
                                                            "a message of Sphinx or docutils")}}
        for code in codes]}
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [
        {"tool": {"driver": driver}, "results": results,
         "originalUriBaseIds": {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}}}]},
        indent=2, ensure_ascii=False)
