"""Front matter: read, validate, and turn into the heading block of a document."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from docutils import nodes as dn

from . import nodes
from .marks import MARK, UNCLOSED, accept, mark_parts, reject

KINDS = ("resolution", "proposal", "document")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
ACTIONS = ("MOD", "ADD", "SUP", "NOC", "ADD*", "SUP*", "(MOD)")


class MetaError(ValueError):
    """A front matter field that cannot be used; ``key`` names it."""

    def __init__(self, key: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.key, self.hint = key, hint


def marked_nodes(text: str, key: str = "") -> list[dn.Node]:
    """Parse plain text carrying ``{ins}`...``` / ``{del}`...``` marks into nodes."""
    result: list[dn.Node] = []
    pos = 0
    for match in MARK.finditer(text):
        if match.start() > pos:
            result.append(dn.Text(text[pos:match.start()]))
        change, marked, classes = mark_parts(match)
        cls = nodes.insertion if change == "ins" else nodes.deletion
        result.append(nodes.take_facts(cls(marked, marked), classes))
        pos = match.end()
    rest = text[pos:]
    if UNCLOSED.search(rest):
        raise MetaError(key, f"change mark in '{key}' does not close",
                        "close it with a backquote: {ins}`text`")
    if rest:
        result.append(dn.Text(rest))
    return result


@dataclass
class Meta:
    """What a document says about itself."""

    kind: str
    number: str
    assembly: str = "WTSA"
    edition: str = ""
    history: list[str] = field(default_factory=list)
    formula: str = ""
    proposal: dict[str, str] = field(default_factory=dict)
    date: str = ""
    source: str = ""
    original_language: str = ""
    translation: str = ""  # "unofficial": its translations are working translations
    redline: str = ""  # what a redline compares ("main → HEAD"); empty for a document

    @property
    def editions(self) -> tuple[str, str]:
        """The (base, new) edition: they differ only in a proposal."""
        return reject(self.edition), accept(self.edition)

    def is_revision(self, version: Callable[[str], str] = accept) -> bool:
        """Whether the history, read with changes accepted (or rejected), has several
        editions: then the designation says "Rev."."""
        return len(history_entries(version("; ".join(self.history)))) > 1


def history_entries(text: str) -> list[str]:
    """The editions of a printed history line."""
    return [entry.strip() for entry in text.split(";") if entry.strip()]


def _history(value: object) -> list[str]:
    """History as a list of marked "place, year" strings."""
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not value:
        raise MetaError("history", "'history' must be a list of editions or a string",
                        'e.g. history: ["Dubai, 2012", "Geneva, 2022"]')
    if all(isinstance(v, str) and "," in v for v in value):
        return value
    # a flow list of bare places and years: [Dubai, 2012, Geneva, 2022]
    if len(value) % 2 == 0 and all(isinstance(y, int) for y in value[1::2]):
        return [f"{place}, {year}" for place, year in zip(value[::2], value[1::2], strict=True)]
    raise MetaError("history", "'history' entries must read 'place, year'",
                    'quote each entry: ["Dubai, 2012", "Geneva, 2022"]')


def _decode(raw: str) -> object:
    """Front matter values reach us as strings; structures as JSON."""
    if raw[:1] in "[{":
        try:
            return json.loads(raw)
        except ValueError:
            pass
    return raw


def _edition(edition: str) -> str:
    """A valid edition: "place, year", its marks closed, no "Rev." (the build prints it)."""
    if re.match(r"\W*Rev\b", accept(edition)) or re.match(r"\W*Rev\b", reject(edition)):
        raise MetaError("edition", f"'edition' names the place and year only, not {edition!r}",
                        "remove 'Rev.': it is printed when the history has several editions")
    # as it reads: with its marks accepted, or, in a deleted document's redline, rejected
    if not re.fullmatch(r".+, \d{4}", accept(edition) or reject(edition)):
        raise MetaError("edition", f"'edition' must read 'place, year', not {edition!r}",
                        "e.g. edition: New Delhi, 2024")
    marked_nodes(edition, "edition")
    return edition


def document_date(text: str) -> datetime.date | None:
    """ "20 April 2026" as a date; None if the text is no such day."""
    match = re.fullmatch(r"(\d{1,2}) (\w+) (\d{4})", text.strip())
    if not match or match[2] not in MONTHS:
        return None
    try:
        return datetime.date(int(match[3]), MONTHS.index(match[2]) + 1, int(match[1]))
    except ValueError:
        return None


def _document(meta: Meta, data: dict) -> Meta:
    """The fields of a document that is no resolution."""
    meta.date = str(data.get("date", ""))
    if meta.date and document_date(meta.date) is None:
        raise MetaError("date", f"'date' must be a day, as in '20 April 2026', not "
                        f"{meta.date!r}", "write the day, the month in English and the year")
    meta.source = str(data.get("source", ""))
    meta.original_language = str(data.get("original-language", ""))
    return meta


def fields_of(front: dict) -> dict[str, str]:
    """Front matter as MyST hands it to the build: values as text, structures as
    JSON."""
    return {str(key): value if isinstance(value, str) else str(value)
            if isinstance(value, int | float | datetime.date) else json.dumps(value, default=str)
            for key, value in front.items()}


def read_meta(fields: dict[str, str]) -> Meta:
    """Validate raw front matter fields; raise MetaError on the first bad one."""
    data = {key: _decode(value) for key, value in fields.items()}
    kind = data.get("kind")
    if kind not in KINDS:
        raise MetaError("kind", f"'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    number = str(data.get("number", "")).strip()
    if not number:
        raise MetaError("number", f"a {kind} needs a 'number'")
    meta = Meta(kind=kind, number=number, translation=str(data.get("translation", "")),
                redline=str(data.get("redline", "")))
    if meta.translation not in ("", "unofficial"):
        raise MetaError("translation", "'translation' can only be 'unofficial'",
                        "write translation: unofficial when the translations of this "
                        "document are working translations, not ITU texts")
    if kind == "document":
        return _document(meta, data)
    if not number.isdigit():
        raise MetaError("number", f"resolution number must be digits, not {number!r}")
    meta.assembly = str(data.get("assembly", "WTSA"))
    meta.edition = _edition(str(data.get("edition", "")).strip())
    meta.history = _history(data.get("history", [meta.edition]))
    for entry in meta.history:
        marked_nodes(entry, "history")
    meta.formula = str(data.get("formula", ""))
    marked_nodes(meta.formula, "formula")
    if kind == "proposal":
        proposal = data.get("proposal")
        if not isinstance(proposal, dict) or proposal.get("action") not in ACTIONS:
            raise MetaError("proposal", "a proposal needs 'proposal: {action: ...}'",
                            f"action is one of {', '.join(ACTIONS)}")
        meta.proposal = {k: str(v) for k, v in proposal.items()}
    elif accept(meta.edition) != reject(meta.edition) and not meta.redline:
        raise MetaError("edition", "only a proposal can mark changes in 'edition'")
    return meta
