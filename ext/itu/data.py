"""The facts an editor can extend: YAML files under source/_data.

Sphinx-free: the build, the redline and the Word converter read the same data
the same way. Each file is checked against its JSON Schema (``schemas/``); what
is wrong is a ``Problem`` at the file's line, which the build reports as a coded
error (``parser.check_data``) and the Word converter as its own error. A file
that is wrong counts as empty, so nothing downstream meets a shape it does not
expect. The data is read again whenever a file under ``_data`` changes.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import regex
import yaml

from .policy import read_content
from .text import SAFE_LOADER

SCHEMAS = Path(__file__).parent / "schemas"
# what a registry address may fill in from a citation
REGISTRY_FIELDS = frozenset({"number", "number3", "year", "session", "serial", "series",
                             "lang", "letter"})

# what one pattern of a data file may take on one text: real ones take microseconds
PATTERN_SECONDS = 1.0


class PatternTimeout(Exception):
    """A data file's pattern stopped after ``PATTERN_SECONDS`` on one text."""

    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


class DataPattern:
    """A regular expression from a data file (``where``: the file), matched within
    ``PATTERN_SECONDS``: since a pull request may change the data, a pattern that
    backtracks without end on some text raises ``PatternTimeout`` rather than stall
    the build (the ``regex`` library's timeout; Python's ``re`` has none)."""

    def __init__(self, pattern: str, where: str) -> None:
        self.compiled = regex.compile(pattern)
        self.where = where

    def search(self, text: str) -> regex.Match | None:
        return self._bounded(self.compiled.search, text)

    def match(self, text: str) -> regex.Match | None:
        return self._bounded(self.compiled.match, text)

    def _bounded(self, method: Any, text: str) -> regex.Match | None:
        try:
            return method(text, timeout=PATTERN_SECONDS)
        except TimeoutError:
            raise PatternTimeout(self.where) from None

    def finditer(self, text: str) -> Iterator[regex.Match]:
        try:
            yield from self.compiled.finditer(text, timeout=PATTERN_SECONDS)
        except TimeoutError:
            raise PatternTimeout(self.where) from None


@dataclass(frozen=True)
class Problem:
    """What is wrong with a data file, where."""

    path: Path
    line: int
    message: str
    hint: str = ""
    code: str = "data"

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class SiteData:
    """Call words, standard footnotes, assemblies, registry and languages of a source tree."""

    root: Path
    digest: str  # of every file under root: the data changed when it changes
    files: list[Path]  # every data file, which every document depends on
    call_words: dict[str, str]
    footnotes: dict[str, str]
    assemblies: dict[str, dict[str, Any]]
    registry: dict[str, dict[str, list[str]]]
    languages: dict[str, dict[str, str]]
    citations: dict[str, dict[str, Any]]  # by language: the citation patterns' spec
    editorial: dict[str, Any]  # the editorial rules check applies (editorial.yaml)
    problems: list[Problem] = field(default_factory=list)

    def path(self, name: str) -> str:
        return str(self.root / name)

    @property
    def foreign(self) -> list[Problem]:
        """The registry's addresses that are not http(s): left out, and said."""
        return [p for p in self.problems if p.code == "policy.link"]


def line_of(node: yaml.Node | None, keys: tuple) -> int:
    """The line (1-based) of the value at ``keys`` in a composed YAML document."""
    line = node.start_mark.line + 1 if node else 1
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) \
                and key < len(node.value):
            node = node.value[key]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


@cache
def _schema(name: str) -> jsonschema.protocols.Validator:
    spec = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(spec)


def read_yaml(path: Path, schema: str, tree: Path) -> tuple[Any, yaml.Node | None,
                                                              list[Problem]]:
    """A data file's content, its composed form (for lines) and what is wrong with it;
    the content is ``{}`` when anything is."""
    try:
        loader = SAFE_LOADER(read_content(path, tree))
        try:  # parsed once: the nodes give the lines, the data is built from them
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except OSError as err:
        return {}, None, [Problem(path, 1, f"cannot read {path.name}: {err.strerror or err}",
                                  "the file must exist and be readable")]
    except UnicodeDecodeError:
        return {}, None, [Problem(path, 1, f"{path.name} is not UTF-8 text",
                                  "save the file as UTF-8")]
    except yaml.YAMLError as err:
        # where the broken construct starts (an unclosed list), else where reading stopped
        mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
        return {}, None, [Problem(path, mark.line + 1 if mark else 1,
                                  f"cannot read {path.name}: {getattr(err, 'problem', err)}",
                                  "fix the YAML syntax")]
    data = {} if data is None else data
    problems = [Problem(path, _error_line(node, e),
                        f"{path.name}: {_where(e.absolute_path)}{e.message}",
                        f"see ext/itu/schemas/{schema}")
                for e in sorted(_schema(schema).iter_errors(data), key=lambda e: e.path)]
    return ({} if problems else data), node, problems


def _error_line(node: yaml.Node | None, error: jsonschema.ValidationError) -> int:
    """The line of what a schema refused: an unexpected key's own line, else its value's."""
    keys = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        extra = sorted(k for k in error.instance if k not in allowed)
        if extra:
            keys = (*keys, extra[0])
    return line_of(node, keys)


def _where(path) -> str:
    keys = ".".join(str(k) for k in path)
    return f"'{keys}': " if keys else ""


def _registry(path: Path, data: dict, node: yaml.Node | None) -> tuple[dict, list[Problem]]:
    """The registry's web addresses (a citation link can never be a script or a local
    file), and the problems of the others."""
    kept: dict = {}
    problems = []
    for kind, bodies in data.items():
        for body, templates in bodies.items():
            listed = [templates] if isinstance(templates, str) else templates
            for index, template in enumerate(listed):
                keys = (kind, body) if isinstance(templates, str) else (kind, body, index)
                where = line_of(node, keys)
                if not template.lower().startswith(("https://", "http://")):
                    problems.append(Problem(
                        path, where, f"the registry's address for {kind} of {body} is not a "
                        f"web address: {template!r}", "give an https:// address "
                        "(docs/security.md)", "policy.link"))
                    continue
                unknown = _placeholder_problem(template)
                if unknown:
                    problems.append(Problem(path, where, f"the registry's address for {kind} "
                                            f"of {body} {unknown}", "fill in only "
                                            + ", ".join(f"{{{f}}}" for f in
                                                        sorted(REGISTRY_FIELDS))))
                    continue
                kept.setdefault(kind, {}).setdefault(body, []).append(template)
    return kept, problems


def _placeholder_problem(template: str) -> str:
    """What is wrong with an address template's placeholders, or ""."""
    try:
        names = [name for _text, name, _spec, _conv in string.Formatter().parse(template)
                 if name is not None]
    except ValueError as err:
        return f"cannot be filled in: {err}"
    unknown = [name for name in names if name not in REGISTRY_FIELDS]
    return f"fills in {{{unknown[0]}}}, which no citation has" if unknown else ""


def _pattern_problem(path: Path, node: yaml.Node | None, keys: tuple,
                     pattern: str) -> list[Problem]:
    """A problem when a data file's regular expression does not compile."""
    try:
        regex.compile(pattern)
    except regex.error as err:
        return [Problem(path, line_of(node, keys), f"{path.name}: '{'.'.join(map(str, keys))}' "
                        f"is not a regular expression: {err}",
                        "fix the pattern (Python regular expression syntax)")]
    return []


def _citations(path: Path, spec: dict, node: yaml.Node | None) -> list[Problem]:
    """Every pattern of a citations file compiles (placeholders as the build fills them)."""
    problems = []

    def walk(keys: tuple, value: Any) -> None:
        if isinstance(value, str):
            filled = re.sub(r"\{(prefix|word|numbers|edition|body|callwords|label)\}", "x",
                            value)
            problems.extend(_pattern_problem(path, node, keys, filled))
        for key, inner in (value.items() if isinstance(value, dict) else
                           enumerate(value) if isinstance(value, list) else ()):
            walk((*keys, key), inner)

    for key, value in spec.items():
        if key not in ("label", "places"):  # a label is a piece of a pattern; places words
            walk((key,), value)
    missing = sorted(set(spec.get("instruments", {})) - set(spec.get("numbers", {})))
    problems += [Problem(path, line_of(node, ("numbers",)), f"{path.name}: 'numbers' has no "
                         f"pattern for {kind!r}", "give every instrument a number pattern")
                 for kind in missing]
    return problems


def _digest(root: Path) -> str:
    """What the data files hold now, as one fingerprint."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")) if root.is_dir() else ():
        try:
            digest.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError:
            digest.update(path.as_posix().encode() + b"\0unreadable\0")
    return digest.hexdigest()


def load_site_data(srcdir: Path) -> SiteData:
    """The data of a source tree as it is now (read again only when a file under
    _data changed)."""
    root = srcdir / "_data"
    return _load(str(root), _digest(root))


def site_data(env: Any) -> SiteData:
    """The data a build reads: as it was when the build started reading
    (``parser.check_data`` notes it), so that a document's every look at the data
    costs no file reads (and no path made and hashed: it is looked at thousands of
    times a build)."""
    digest = getattr(env, "itu_data_digest", None)
    return _load(f"{env.srcdir}/_data", digest) if digest else \
        load_site_data(Path(env.srcdir))


@cache
def _load(folder: str, digest: str) -> SiteData:
    root = Path(folder)
    problems: list[Problem] = []
    tree = root.parent

    def read(name: str) -> tuple[Any, yaml.Node | None]:
        data, node, found = read_yaml(root / name, name.replace(".yaml", ".schema.json"), tree)
        problems.extend(found)
        return data, node

    words, _ = read("callwords.yaml")
    registry, registry_node = read("registry.yaml")
    kept, registry_problems = _registry(root / "registry.yaml", registry, registry_node)
    problems += registry_problems
    editorial, editorial_node = read("editorial.yaml")
    for key, pattern in editorial.get("first-mention", {}).items():
        found = _pattern_problem(root / "editorial.yaml", editorial_node, ("first-mention", key),
                                 pattern)
        problems.extend(found)
        editorial = {} if found else editorial
    citations = {}
    for path in sorted((root / "citations").glob("*.yaml")):
        spec, node, found = read_yaml(path, "citations.schema.json", tree)
        found = found or _citations(path, spec, node)
        problems.extend(found)
        citations[path.stem] = {} if found else spec
    return SiteData(
        root=root, digest=digest,
        files=sorted(p for p in root.rglob("*.yaml") if p.is_file()),
        call_words={w.lower(): kind for kind, ws in words.items() for w in ws},
        footnotes=read("footnotes.yaml")[0],
        assemblies=read("assemblies.yaml")[0],
        registry=kept,
        languages=read("languages.yaml")[0],
        citations=citations,
        editorial=editorial,
        problems=problems,
    )
