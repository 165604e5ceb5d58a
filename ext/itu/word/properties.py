"""Front matter that the heading block does not print travels as custom document
properties (File > Properties > Custom in Word): "ITU assembly", "ITU proposal source"..."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
# (front matter key, key inside it or ""), in the order the importer writes them
CARRIED = (("assembly", ""), ("translation", ""), ("proposal", "source"),
           ("proposal", "document"), ("proposal", "order"))


def history_list(meta: dict[str, Any]) -> list[str]:
    """``history`` as a list of marked "place, year" entries, whichever form it has."""
    value = meta.get("history") or [meta.get("edition", "")]
    if isinstance(value, str):
        return [value]
    if not any(isinstance(v, int) for v in value):
        return [str(v) for v in value]
    return [f"{place}, {year}" for place, year in zip(value[::2], value[1::2], strict=True)]


def _name(key: str, sub: str) -> str:
    return f"ITU {key} {sub}".strip()


def custom_xml(meta: dict[str, Any]) -> bytes:
    rows = []
    for key, sub in CARRIED:
        value = (meta.get(key) or {}).get(sub) if sub else meta.get(key)
        if value not in (None, ""):
            rows.append(f'<property fmtid="{FMTID}" pid="{len(rows) + 2}" '
                        f'name="{_name(key, sub)}"><vt:lpwstr>{escape(str(value))}'
                        f"</vt:lpwstr></property>")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{NS}" xmlns:vt="{VT}">{"".join(rows)}</Properties>').encode()


def read_custom(xml: bytes | None) -> dict[str, Any]:
    """The front matter fields carried by a .docx's custom properties."""
    if not xml:
        return {}
    values = {node.get("name"): "".join(node.itertext())
              for node in etree.fromstring(xml).iter(f"{{{NS}}}property")}
    out: dict[str, Any] = {}
    for key, sub in CARRIED:
        value = values.get(_name(key, sub))
        if value is None:
            continue
        typed: Any = int(value) if key == "proposal" and sub == "order" and value.isdigit() \
            else value
        if sub:
            out.setdefault(key, {})[sub] = typed
        else:
            out[key] = typed
    return out
