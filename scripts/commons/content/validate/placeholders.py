"""Unfinished scaffolds: a field or a body line that still holds a placeholder (`TODO: …`, `TBC`, `FIXME`)
is E-PLACEHOLDER, at the placeholder, with a hint from the schema's own description of what to write.

`commons new` writes `TODO: …` wherever only the contributor can say what goes there, so a scaffold nobody
finished fails instead of being published saying "TODO". A placeholder is the word at the start of a value or of
a line, alone or followed by `:`, `.` or a dash: "TODO lists help residents" is prose, not a placeholder.
"""

from __future__ import annotations

import re
from typing import Any

from commons.content.field_types import ContentType, Field
from commons.content.load import RawEntry
from commons.content.problems import Problem
from commons.content.validate.fields import FieldChecker
from commons.content.yaml_reader import FieldPath

WORDS = ("TODO", "TBC", "TBD", "FIXME")
_ENDS = r"(?=\s*(?:[:.\-\u2013\u2014]|$))"  # the word alone, or followed by ':', '.' or a dash
PLACEHOLDER = re.compile("^(?:" + "|".join(WORDS) + ")" + _ENDS)
_BODY_LINE = re.compile(r"^(\s*(?:[-*+]\s+|\d+[.)]\s+|>\s*)?)(" + "|".join(WORDS) + ")" + _ENDS)
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^(#{2,6})\s+(.*?)\s*#*\s*$")


def is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and PLACEHOLDER.match(value.strip()) is not None


def _what(f: Field) -> str:
    """The schema's description as an instruction: 'One sentence saying …' -> 'one sentence saying …'."""
    text = f.description.strip()
    return text[:1].lower() + text[1:] if text else ""


def check_fields(entry: RawEntry, checker: FieldChecker) -> None:
    if isinstance(entry.meta, dict):
        _fields(entry.ctype.fields, entry.meta, (), checker, None)


def _fields(fields: tuple[Field, ...], value: dict[str, Any], path: FieldPath, checker: FieldChecker,
            parent: Field | None) -> None:
    for f in fields:
        if f.name in value:
            _value(f, value[f.name], (*path, f.name), checker, parent)


def _value(f: Field, value: Any, path: FieldPath, checker: FieldChecker, parent: Field | None) -> None:
    if isinstance(value, str):
        if is_placeholder(value):
            shown = value.strip() if len(value.strip()) <= 40 else value.strip()[:39] + "…"
            checker.add(path, "E-PLACEHOLDER", f"{_where(path)} is still a placeholder ('{shown}')",
                        _hint(f, path, parent))
    elif isinstance(value, list) and f.item is not None:
        for i, item in enumerate(value):
            if f.item.kind == "object" and isinstance(item, dict):
                _fields(f.item.fields, item, (*path, i), checker, f)
            else:
                _value(f.item, item, (*path, i), checker, f)
    elif isinstance(value, dict) and f.kind == "object":
        _fields(f.fields, value, path, checker, f)


def check_body(entry: RawEntry, ctype: ContentType) -> list[Problem]:
    """Every body line that starts with a placeholder, outside fenced code, named by its section."""
    problems: list[Problem] = []
    sections = {s.title.lower(): s.description for s in ctype.sections}
    for s in ctype.sections:
        sections.update({sub.lower(): f"what to consider for {sub.lower()}." for sub in s.subsections})
    heading = ""
    fence = ""
    for i, line in enumerate(entry.body.split("\n")):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened[1] == fence:
                fence = ""
            continue
        if opened:
            fence = opened[1]
            continue
        h = _HEADING.match(line)
        if h:
            heading = h[2]
            continue
        m = _BODY_LINE.match(line)
        if not m:
            continue
        if heading:
            what = sections.get(heading.lower())
            message = f"the section '{heading}' still says {m[2]}"
            hint = f"write the {heading} section: {what[:1].lower() + what[1:]}" if what else \
                f"write the {heading} section in your own words in place of {m[2]}"
        else:
            message = f"the text before the first heading still says {m[2]}"
            hint = "write the introduction in place of the placeholder, or remove the line"
        problems.append(Problem(entry.path, entry.body_line + i, len(m[1]) + 1, "E-PLACEHOLDER", message, hint))
    return problems


def _where(path: FieldPath) -> str:
    """('steps', 0, 'title') -> "'title' of item 1 of 'steps'"; ('audience', 0) -> "item 1 of 'audience'"."""
    words: list[str] = []
    for i, step in enumerate(path):
        if isinstance(step, int):
            words.insert(0, f"item {step + 1} of '{path[i - 1]}'" if i else f"item {step + 1}")
        elif i + 1 == len(path) or not isinstance(path[i + 1], int):
            words.insert(0, f"'{step}'")
    return " of ".join(words)


def _hint(f: Field, path: FieldPath, parent: Field | None) -> str:
    if isinstance(path[-1], int) and parent is not None:  # a list's item: what the list is for
        return f"write the {parent.name}: {_what(parent)}"
    return f"write the {f.name}: {_what(f)}"
