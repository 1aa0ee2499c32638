"""A pattern's number and former names read from plainly written front matter, without a YAML parser.

A partial run (`commons validate FILE`, check-pr) checks the given files against every other pattern's
number, slug and aliases, and nothing about those others is reported, so nothing needs locating: reading
them with three patterns instead of the full loader keeps a one-file check quick in a commons of thousands.
Anything not written plainly (quotes, anchors, odd spacing, a file that does not parse) returns None and is
read by the full loader instead.
"""

from __future__ import annotations

import re
from pathlib import Path

from commons.content.values import SLUG

_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)
_PLAIN_ID = re.compile(r"^id:[ \t]*(0|[1-9][0-9]{0,8})[ \t]*(?:#.*)?$", re.M)
_FLOW_ALIASES = re.compile(r"^aliases:[ \t]*\[([a-z0-9, \t-]*)\][ \t]*(?:#.*)?$", re.M)
_BLOCK_ALIASES = re.compile(r"^aliases:[ \t]*(?:#.*)?\n((?:[ \t]+-[ \t]+[a-z0-9-]+[ \t]*(?:#.*)?\n)+)", re.M)
_ALIAS_ITEM = re.compile(r"-[ \t]+([a-z0-9-]+)")
_ID_OR_ALIASES = re.compile(r"^(id|aliases):", re.M)


def plain_pattern_numbers(path: Path) -> tuple[int | None, list[str]] | None:
    """The `id` (None when absent) and `aliases` of the pattern file at `path`, or None when its front matter
    is not written plainly enough to read this way."""
    try:
        # Line endings as the loader reads them (read_text would also turn a lone \r, which it refuses, into \n).
        text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return None
    front = _FRONT.match(text) if "\r" not in text else None
    if front is None:
        return None
    meta = front.group(1)
    if "&" in meta:
        return None
    ids = _PLAIN_ID.findall(meta) if "\nid:" in meta or meta.startswith("id:") else []
    if "aliases:" in meta:
        flow, block = _FLOW_ALIASES.findall(meta), _BLOCK_ALIASES.findall(meta)
    else:
        flow, block = [], []
    lines = _ID_OR_ALIASES.findall(meta)
    id_lines, alias_lines = lines.count("id"), lines.count("aliases")
    if not (len(ids) == id_lines <= 1 and len(flow) + len(block) == alias_lines <= 1):
        return None
    if flow:
        names = [a.strip() for a in flow[0].split(",")] if flow[0].strip() else []
    else:
        names = _ALIAS_ITEM.findall(block[0]) if block else []
    if not all(SLUG.fullmatch(n) for n in names):
        return None
    return (int(ids[0]) if ids else None), names
