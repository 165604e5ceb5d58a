"""The facts an editor can extend: YAML files under source/_data, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from sphinx.environment import BuildEnvironment

from .messages import warn
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

    def path(self, name: str) -> str:
        return str(self.root / name)


def _load(root: Path, name: str) -> dict:
    path = root / name
    try:
        data = yaml.safe_load(read_content(path)) or {}
    except (OSError, yaml.YAMLError) as err:
        warn("data", f"cannot read {name}: {err}", f"{path}:1",
             "fix the YAML syntax")
        return {}
    if not isinstance(data, dict):
        warn("data", f"{name} must be a mapping", f"{path}:1")
        return {}
    return data


@cache
def load_site_data(srcdir: Path) -> SiteData:
    root = srcdir / "_data"
    words = _load(root, "callwords.yaml")
    return SiteData(
        root=root,
        call_words={w.lower(): kind for kind, ws in words.items() for w in ws or ()},
        footnotes={str(k): str(v) for k, v in _load(root, "footnotes.yaml").items()},
        assemblies=_load(root, "assemblies.yaml"),
        registry=_load(root, "registry.yaml"),
        languages=_load(root, "languages.yaml"),
    )


def site_data(env: BuildEnvironment) -> SiteData:
    """The site's data, read once per process."""
    return _by_source(str(env.srcdir))


@cache
def _by_source(srcdir: str) -> SiteData:
    return load_site_data(Path(srcdir))
