"""`MAINTAINERS.yml`: the maintainers of Council Commons itself, declared once.

They approve every change to the tooling (everything outside the content folders), any rewrite of a
council's Declaration history, and changes for a council that has no maintainers in the commons yet.
`commons schema --write` makes the `*` line of `.github/CODEOWNERS` from this file; `commons check-pr` and
`commons approval` read it from the base commit, so a pull request cannot name its own author.

The file is read like contributed YAML (`yaml_reader`: no anchors, no repeated keys, bounded size), and
every problem is located (`path:line:col`), with a hint. Readers that must not fail (check-pr, reading a
base commit) take the maintainers that are well formed and ignore the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from yaml.nodes import MappingNode, Node, SequenceNode

from commons.content.problems import Problem
from commons.content.schema import HANDLE_PATTERN
from commons.content.yaml_reader import CONTROL, describe, parse_yaml

MAINTAINERS_FILE = "MAINTAINERS.yml"
MAX_BYTES = 64 * 1024
MAX_MAINTAINERS = 50
MAX_NAME = 100
FIELDS = {"github": "their GitHub user name, without the @", "name": "their name", "role": "what they do"}
REQUIRED = ("github", "name")
_HANDLE = re.compile(HANDLE_PATTERN)
EXAMPLE = "list each one under 'maintainers:' as '- github: their-github-name' with 'name: Their Name' below it"


@dataclass(frozen=True)
class Maintainer:
    handle: str  # a GitHub user name, without the @
    name: str
    role: str = ""


def parse_maintainers(data: bytes | None, rel: str = MAINTAINERS_FILE) -> tuple[tuple[Maintainer, ...],
                                                                               list[Problem]]:
    """The maintainers the file declares (the well-formed ones, in order), and every problem, located.

    `None` (no such file) is a problem too: the commons must name who maintains it.
    """
    if data is None:
        return (), [Problem(rel, 0, 0, "E-REQUIRED", f"there is no {rel}, so nobody maintains the commons",
                            f"add {rel}: {EXAMPLE}")]
    if len(data) > MAX_BYTES:
        return (), [Problem(rel, 0, 0, "E-TOO-LARGE", f"{rel} is {len(data):,} bytes, over the {MAX_BYTES:,} limit",
                            "list only the maintainers: their GitHub user name, name and role")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return (), [Problem(rel, line, 1, "E-ENCODING", f"{rel} is not UTF-8 text", "re-save it as UTF-8")]
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        return (), [Problem(rel, line, 1, "E-ENCODING", f"{rel} holds the control character U+{ord(bad.group()):04X}",
                            "remove it: the file is plain text")]
    meta, node, problems = parse_yaml(rel, text, 0)
    if meta is None:
        return (), problems
    problems = list(problems)
    for key in meta:
        if key != "maintainers":
            problems.append(_at(rel, node, (key,), "E-UNKNOWN-FIELD", f"'{key}' is not a field of {rel}",
                                "the file has one field, maintainers", key=True))
    items = meta.get("maintainers")
    if not isinstance(items, list) or not items:
        what = "no maintainers" if items in (None, []) else describe(items)
        problems.append(_at(rel, node, ("maintainers",), "E-REQUIRED" if items in (None, []) else "E-TYPE",
                            f"'maintainers' must list at least one maintainer (found {what})",
                            EXAMPLE))
        return (), problems
    if len(items) > MAX_MAINTAINERS:
        problems.append(_at(rel, node, ("maintainers",), "E-VALUE",
                            f"'maintainers' lists {len(items)} people, over the {MAX_MAINTAINERS} limit",
                            "list the people who review the tooling, not everyone who contributes"))
        items = items[:MAX_MAINTAINERS]
    found: list[Maintainer] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        one = _maintainer(rel, node, i, item, problems)
        if one is None:
            continue
        if one.handle.lower() in seen:
            problems.append(_at(rel, node, ("maintainers", i, "github"), "E-DUPLICATE-ID",
                                f"@{one.handle} is listed twice", f"keep one of them (the first is maintainer "
                                f"{seen[one.handle.lower()] + 1})"))
            continue
        seen[one.handle.lower()] = i
        found.append(one)
    return tuple(found), sorted(problems)


def _maintainer(rel: str, node: Node | None, i: int, item: Any, problems: list[Problem]) -> Maintainer | None:
    where = ("maintainers", i)
    if not isinstance(item, dict):
        problems.append(_at(rel, node, where, "E-TYPE", f"maintainer {i + 1} must be fields, found {describe(item)}",
                            EXAMPLE))
        return None
    ok = True
    for key in item:
        if key not in FIELDS:
            problems.append(_at(rel, node, (*where, key), "E-UNKNOWN-FIELD", f"'{key}' is not a maintainer's field",
                                "a maintainer has " + ", ".join(f"{k} ({v})" for k, v in FIELDS.items()), key=True))
            ok = False
    for key in REQUIRED:
        if key not in item:
            problems.append(_at(rel, node, where, "E-REQUIRED", f"maintainer {i + 1} has no '{key}'",
                                f"add {key}: {FIELDS[key]}"))
            ok = False
    for key in FIELDS:
        value = item.get(key)
        if key in item and (not isinstance(value, str) or not value.strip() or len(value) > MAX_NAME):
            problems.append(_at(rel, node, (*where, key), "E-VALUE" if isinstance(value, str) else "E-TYPE",
                                f"'{key}' must be text of 1 to {MAX_NAME} characters (found {describe(value)})",
                                f"write {FIELDS[key]}"))
            ok = False
    handle = item.get("github")
    if isinstance(handle, str) and handle.strip() and not _HANDLE.fullmatch(handle):
        hint = f"write it without the @: {handle[1:]}" if handle.startswith("@") else \
            "GitHub user names are letters, digits and single hyphens, at most 39 characters"
        problems.append(_at(rel, node, (*where, "github"), "E-VALUE", f"'{handle}' is not a GitHub user name", hint))
        ok = False
    if not ok:
        return None
    return Maintainer(item["github"], item["name"].strip(), str(item.get("role") or "").strip())


def _at(rel: str, node: Node | None, path: tuple[str | int, ...], code: str, message: str, hint: str,
        key: bool = False) -> Problem:
    """A problem at the value (or, with `key`, the field name) `path` leads to, or its nearest parent."""
    found = node
    for n, step in enumerate(path):
        child: Node | None = None
        if isinstance(found, MappingNode) and isinstance(step, str):
            for k, v in found.value:
                if getattr(k, "value", None) == step:
                    child = k if key and n == len(path) - 1 else v
                    break
        elif isinstance(found, SequenceNode) and isinstance(step, int) and step < len(found.value):
            child = found.value[step]
        if child is None:
            break
        found = child
    line, col = (found.start_mark.line + 1, found.start_mark.column + 1) if found is not None else (1, 1)
    return Problem(rel, line, col, code, message, hint)
