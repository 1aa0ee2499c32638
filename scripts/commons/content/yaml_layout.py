"""Indentation and colon mistakes told plainly: libyaml reports a line indented more than the one above it as
"mapping values are not allowed" (which suggests quotes), one indented to no level above it as "did not find
expected key", and a line with no ':' on the line after it. These say what is wrong with the line itself."""

from __future__ import annotations

import re

import yaml

_MISALIGNED = ("did not find expected key", "did not find expected '-' indicator", "expected <block end>")


_LIST_MARKS = re.compile(r"(?:- +)*")


def explain_layout(text: str, e: yaml.MarkedYAMLError) -> tuple[tuple[int, int], str, str] | None:
    """(line, col), message and hint for an indentation or colon mistake libyaml reports at the wrong place or
    with the wrong cause; None for any other error."""
    mark = e.problem_mark
    lines = text.split("\n")
    if mark is None or mark.line >= len(lines):
        return None
    context = e.context_mark
    if context is not None and "could not find expected ':'" in (e.problem or "") and context.line < len(lines) \
            and "simple key" in (e.context or ""):
        first = lines[context.line][context.column :].split(" ")[0]
        return ((context.line + 1, context.column + 1), "this line has no ':' after its field name",
                f"write a colon and a space after the field name: {first}: …")
    line = lines[mark.line]
    indent = len(line) - len(line.lstrip(" "))
    content = line[indent:]
    key_col = indent + len(_LIST_MARKS.match(content).group())  # type: ignore[union-attr]
    before = line[key_col : mark.column]
    above = next((i for i in range(mark.line - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip()
                  .startswith("#")), None)
    if above is not None and any(p in (e.problem or "") for p in _MISALIGNED) and mark.column == indent:
        return _misaligned(lines, mark.line, indent)
    if above is None or "mapping values are not allowed" not in (e.problem or "") or ": " in before \
            or before[:1] in "\"'" or line[mark.column : mark.column + 1] != ":":
        return None
    prev = lines[above]
    prev_indent = len(prev) - len(prev.lstrip(" "))
    prev_key = prev_indent + len(_LIST_MARKS.match(prev[prev_indent:]).group())  # type: ignore[union-attr]
    prev_field, sep, prev_value = prev[prev_key:].partition(":")
    if sep and prev_value.strip() and not prev_value.strip().startswith(("|", ">", "#")) and key_col > prev_key:
        word = before.strip()
        return ((mark.line + 1, indent + 1),
                f"this line is indented {_spaces(indent)}, more than the line above it ({prev_key})",
                f"line the keys up: start '{word}' under '{prev_field.strip()}' on line {above + 1}, "
                + (f"{prev_key} spaces in" if prev_key else "at the start of the line"))
    if not sep and key_col <= prev_key and not prev[prev_key:].startswith(("- ", "[", "{", "\"", "'")):
        first = prev[prev_key:].split(" ")[0]
        return ((above + 1, prev_key + 1), "this line has no ':' after its field name",
                f"write a colon and a space after the field name: {first}: …")
    return None


def _spaces(n: int) -> str:
    return f"{n} space{'' if n == 1 else 's'}"


def _misaligned(lines: list[str], number: int, indent: int) -> tuple[tuple[int, int], str, str] | None:
    """A line indented to a column no line above it starts at: the levels it could have meant, nearest first."""
    levels: list[tuple[int, int, str]] = []  # (column, line index, what starts there), each further out
    limit = indent + 10**6
    for i in range(number - 1, -1, -1):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        own = len(line) - len(line.lstrip(" "))
        key = own + len(_LIST_MARKS.match(line[own:]).group())  # type: ignore[union-attr]
        starts = [(key, f"'{line[key:].split(':')[0].strip()}'")] + ([(own, "the '-'")] if key != own else [])
        for col, what in starts:
            if col < limit:
                levels.append((col, i, what))
                limit = col
        if limit == 0:
            break
    if any(col == indent for col, _, _ in levels):
        return None
    inside = [lv for lv in levels if lv[0] > indent][-1:]
    outside = [lv for lv in levels if lv[0] < indent][:1]
    choices = [f"with {what} on line {i + 1} ({_spaces(col) + ' in' if col else 'at the start of the line'})"
               for col, i, what in inside + outside]
    if not choices:
        return None
    return ((number + 1, indent + 1), f"this line is indented {_spaces(indent)}, which lines up with no line above it",
            "line it up " + ", or ".join(choices))
