"""Checks on the Markdown a contributor writes: sections, unsafe HTML and links, template syntax.

Text inside fenced code blocks and `code spans` is shown literally, so it is
exempt; everything else is checked line by line so each problem is located.
"""

from __future__ import annotations

import html
import re

from .load import RawEntry
from .problems import Problem
from .schema import ContentType

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_UNSAFE_TAG = re.compile(
    r"<\s*(script|iframe|style|object|embed|form|base|meta|link|frame|frameset|svg|math|applet)\b",
    re.IGNORECASE)
_EVENT_ATTR = re.compile(r"<[a-zA-Z][^>]*?[\s/\"'](on[a-zA-Z]+)\s*=", re.IGNORECASE)
_LINK_TARGETS = (
    re.compile(r"\]\([ \t]*<?([^)\s>]*)"),  # [text](target)
    re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S+?)>?(?:\s|$)", re.MULTILINE),  # [ref]: target
    re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>"),  # <scheme:target>
    re.compile(r"\b(?:href|src|action|formaction|xlink:href)\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE),
)
_UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
_TEMPLATE = re.compile(r"\{\{|\{%|\{#")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def _mask_code(text: str) -> str:
    """The text with fenced code blocks and code spans blanked out, every position kept."""
    if "`" not in text and "~~~" not in text:
        return text
    lines = text.split("\n")
    fence: str | None = None
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)[0] * len(m.group(1))
            lines[i] = " " * len(line)
        elif fence is not None:
            if m and m.group(1).startswith(fence) and not line.strip()[len(m.group(1)):].strip():
                fence = None
            lines[i] = " " * len(line)
        elif "`" in line:
            lines[i] = _CODE_SPAN.sub(lambda s: s.group(1) + " " * len(s.group(2)) + s.group(1), line)
    return "\n".join(lines)


def _lines_outside_code(text: str) -> list[tuple[int, str]]:
    """(index, line) for each line, with code blanked (columns kept)."""
    return list(enumerate(_mask_code(text).split("\n")))


def check_markdown(path: str, text: str, first_line: int) -> list[Problem]:
    """Unsafe HTML, unsafe links and template syntax in Markdown text starting at `first_line`.

    The whole text is searched at once; positions are worked out only for what is found.
    """
    problems: list[Problem] = []
    has_tag, has_template = "<" in text, "{" in text
    has_link = ":" in text or "&" in text
    if not (has_tag or has_template or has_link):
        return problems
    masked = _mask_code(text)

    def at(offset: int, code: str, message: str, hint: str) -> None:
        line = masked.count("\n", 0, offset)
        col = offset - (masked.rfind("\n", 0, offset) + 1) + 1
        problems.append(Problem(path, first_line + line, col, code, message, hint))

    if has_tag:
        for m in _UNSAFE_TAG.finditer(masked):
            at(m.start(), "E-UNSAFE-HTML", f"<{m.group(1).lower()}> is not allowed",
               "write it in Markdown; to show the tag as text, put it in `backticks`")
        for m in _EVENT_ATTR.finditer(masked):
            at(m.start(1), "E-UNSAFE-HTML", f"the HTML attribute {m.group(1)}= is not allowed",
               "remove it; pages cannot run scripts")
    if has_link:
        for pattern in _LINK_TARGETS:
            for m in pattern.finditer(masked):
                target = _INVISIBLE.sub("", html.unescape(m.group(1)))
                scheme = _UNSAFE_SCHEME.match(target)
                if scheme:
                    at(m.start(1), "E-UNSAFE-LINK", f"links to {scheme.group(1).lower()}: addresses are not allowed",
                       "link to a web page starting https://")
    if has_template:
        seen_lines: set[int] = set()
        for m in _TEMPLATE.finditer(masked):
            line = masked.count("\n", 0, m.start())
            if line not in seen_lines:
                seen_lines.add(line)
                at(m.start(), "W-TEMPLATE", f"'{m.group()}' will show literally: entries are never run as templates",
                   "put it in `backticks` to show it as code, or remove it")
    return sorted(set(problems))


def check_body(entry: RawEntry, ctype: ContentType) -> list[Problem]:
    problems = check_markdown(entry.path, entry.body, entry.body_line)
    if ctype.sections:
        problems += _check_sections(entry, ctype)
    return problems


def headings(text: str) -> list[tuple[int, int, str]]:
    """(line index, level, title) of each ATX heading outside code."""
    out = []
    for i, line in _lines_outside_code(text):
        m = _HEADING.match(line)
        if m:
            out.append((i, len(m.group(1)), m.group(2).strip()))
    return out


def _check_sections(entry: RawEntry, ctype: ContentType) -> list[Problem]:
    found = headings(entry.body)
    h2 = [(i, title) for i, level, title in found if level == 2]
    names = [title.lower() for _, title in h2]
    problems: list[Problem] = []
    expected = [s.title for s in ctype.sections]
    order = " → ".join(expected)
    last_index = -1
    for section in ctype.sections:
        key = section.title.lower()
        if key not in names:
            after = _end_line(entry)
            problems.append(Problem(entry.path, after, 1, "E-SECTION",
                                    f"the '## {section.title}' section is missing",
                                    f"{ctype.title.lower()} have the sections {order}: {section.description}"))
            continue
        index = names.index(key)
        line = entry.body_line + h2[index][0]
        if index < last_index:
            problems.append(Problem(entry.path, line, 1, "E-SECTION",
                                    f"'## {section.title}' is out of order", f"the order is {order}"))
        last_index = max(last_index, index)
        for sub in section.subsections:
            start = h2[index][0]
            end = h2[index + 1][0] if index + 1 < len(h2) else 1 << 30
            subs = [t.lower() for i, level, t in found if level == 3 and start < i < end]
            if sub.lower() not in subs:
                problems.append(Problem(entry.path, line, 1, "E-SECTION",
                                        f"'## {section.title}' has no '### {sub}' sub-section",
                                        f"say what to consider for {sub.lower()}, even if it is 'nothing "
                                        f"beyond the usual'"))
    return problems


def _end_line(entry: RawEntry) -> int:
    return entry.body_line + max(0, len(entry.body.rstrip("\n").split("\n")) - 1)
