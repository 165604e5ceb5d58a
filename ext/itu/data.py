"""The facts an editor can extend: YAML files under source/_data, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from sphinx.environment import BuildEnvironment

from .messages import error, warn
from .policy import read_content


@dataclass
class SiteData:
    """Call words, standard footnotes, assemblies, registry and languages of a source tree."""

    root: Path
    call_words: dict[str, str]
    footnotes: dict[str, str]
    assemblies: dict[str, dict[str, str]]
    registry: dict[str, dict[str, str]]
    languages: dict[str, dict[str, str]]
    foreign: list[str]  # the registry's addresses that are not http(s), left out, said

    def path(self, name: str) -> str:
        return str(self.root / name)


def _load(root: Path, name: str) -> dict:
    path = root / name
    try:
        data = yaml.safe_load(read_content(path, root.parent)) or {}
    except (OSError, yaml.YAMLError) as err:
        warn("data", f"cannot read {name}: {err}", f"{path}:1",
             "fix the YAML syntax")
        return {}
    if not isinstance(data, dict):
        warn("data", f"{name} must be a mapping", f"{path}:1")
        return {}
    return data


def _addresses(registry: dict) -> list[tuple[str, str, list, list]]:
    """(kind, body, its web addresses, the others) of every registry entry."""
    entries = []
    for kind, bodies in registry.items():
        for body, templates in (bodies or {}).items() if isinstance(bodies, dict) else ():
            listed = [templates] if isinstance(templates, str) else list(templates or ())
            web = [t for t in listed
                   if isinstance(t, str) and t.lower().startswith(("https://", "http://"))]
            entries.append((kind, body, web, [t for t in listed if t not in web]))
    return entries


def foreign_addresses(registry: dict) -> list[str]:
    """What is wrong with each registry address that is not http(s), said."""
    return [f"the registry's address for {kind} of {body} is not a web address: {bad!r}"
            for kind, body, _web, others in _addresses(registry) for bad in others]


def _web_addresses(registry: dict) -> dict:
    """The registry with every address that is not http(s) left out: a citation link
    can never be a script or a local file."""
    kept: dict = {}
    for kind, body, web, _others in _addresses(registry):
        kept.setdefault(kind, {})[body] = web
    return kept


@cache
def load_site_data(srcdir: Path) -> SiteData:
    root = srcdir / "_data"
    words = _load(root, "callwords.yaml")
    registry = _load(root, "registry.yaml")
    foreign = foreign_addresses(registry)
    for problem in foreign:
        error("policy.link", problem, f"{root / 'registry.yaml'}:1",
              "give an https:// address (docs/security.md)")
    return SiteData(
        root=root,
        call_words={w.lower(): kind for kind, ws in words.items() for w in ws or ()},
        footnotes={str(k): str(v) for k, v in _load(root, "footnotes.yaml").items()},
        assemblies=_load(root, "assemblies.yaml"),
        registry=_web_addresses(registry),
        languages=_load(root, "languages.yaml"),
        foreign=foreign,
    )


def site_data(env: BuildEnvironment) -> SiteData:
    """The site's data, read once per process."""
    return _by_source(str(env.srcdir))


@cache
def _by_source(srcdir: str) -> SiteData:
    return load_site_data(Path(srcdir))
