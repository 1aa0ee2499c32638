"""Checks on the Markdown a contributor writes: sections, unsafe HTML and links, template syntax.

Text inside fenced code blocks and `code spans` is shown literally, so template
syntax there is exempt. The checks that keep scripts off the site exempt only
what the site's Markdown (Python-Markdown with fenced_code, see mkdocs.yml) will
certainly show as code, since nothing sanitises its HTML afterwards: a fence that
extension does not see, or backticks it pairs differently, leave HTML live.
tests/test_body.py renders hostile text as the site does to hold this to account.
Every pattern here runs in time linear in the text: a contributed file must never
be able to stall the validator.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator

from commons.content.body_cost import check_cost
from commons.content.field_types import ContentType
from commons.content.load import RawEntry
from commons.content.problems import Problem

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Python-Markdown's fenced_code: a fence at the very start of a line, then an optional language.
_FENCE_OPEN = re.compile(r"(~{3,}|`{3,})[ ]*(?:\.?[\w#.+-]*[ ]*)?$")
_FENCE_CLOSE = re.compile(r"(~{3,}|`{3,})[ ]*$")
_BACKTICKS = re.compile(r"`+")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*)$")  # the title is stripped of closing #s after
# A line that starts with a tag may open a raw HTML block, which runs to its closing tag or the end.
_HTML_BLOCK = re.compile(r"^[ \t]*<(?:[A-Za-z][A-Za-z0-9-]*(?=[\s/>])|/[A-Za-z]|!|\?)", re.MULTILINE)
_UNSAFE_TAG = re.compile(
    r"<\s*(script|iframe|style|object|embed|form|base|meta|link|frame|frameset|svg|math|applet)\b",
    re.IGNORECASE)
# An on…= attribute is looked for inside each tag (`<x` up to the next `>`), not from every `<`.
_TAG_START = re.compile(r"<[a-zA-Z]")
# A quoted attribute value, after its `=`: a quote anywhere else (`x=a"b`) is part of a name or an unquoted value.
_QUOTED = re.compile(r"=[ \t\n\r\f]*(\"[^\"]*\"|'[^']*')")
# A tag runs to the first `>` outside a quoted value: `<img alt=">" onerror=…>` is one tag, as browsers read it.
_TAG_TEXT = re.compile(r"<[a-zA-Z](?:[^>\"']|\"[^\"]*(?:\"|$)|'[^']*(?:'|$))*")
# style= too: it could dress contributed text up as the site's own navigation or a sign-in box.
_EVENT_ATTR = re.compile(r"[\s/\"'](on[a-zA-Z]+|style)\s*=", re.IGNORECASE)
# Only a target's start decides its scheme; targets may wrap lines, as the site's Markdown allows. Each pattern
# comes with text it cannot match without (so a body without it is not searched: the same findings, sooner).
_LINK_TARGETS = (
    ("](", re.compile(r"\]\(\s*<?([^)>\[\]]*)")),  # [text](target)
    # [ref]: target, also inside quotes, lists and notes, whose definitions Python-Markdown reads too
    ("]:", re.compile(r"(?:^|(?<=[\s>:]))\[[^\[\]\n]*\]:\s*<?([^\s<>\[\]]*)", re.MULTILINE)),
    ("<", re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^<>\s]*)>")),  # <scheme:target>
    # a quoted value is read whole: browsers drop the spaces and line breaks it may start with
    ("=", re.compile(r"\b(?:href|src|action|formaction|xlink:href|cite|poster|background)\s*=\s*[\"']?"
                     r"((?<=[\"'])[^\"']*|[^\"'\s>]+)", re.IGNORECASE)),
)
_UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
_TEMPLATE = re.compile(r"\{\{|\{%|\{#")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_NOT_CODE_HINT = ("this is not code on the site, so it would run: a fence must start its line and end with the "
                  "same fence, and backticks elsewhere in the text must pair up (none unmatched or after a \\)")


def _mask_code(text: str, fences: bool = True) -> str:
    """The text with code spans (and, with `fences`, fenced code blocks) blanked out, every position kept."""
    if "`" not in text and (not fences or "~~~" not in text):
        return text
    lines = text.split("\n")
    fence: str | None = None
    for i, line in enumerate(lines):
        m = _FENCE.match(line) if fences else None
        if fence is None and m:
            fence = m.group(1)[0] * len(m.group(1))
            lines[i] = " " * len(line)
        elif fence is not None:
            if m and m.group(1).startswith(fence) and not line.strip()[len(m.group(1)):].strip():
                fence = None
            lines[i] = " " * len(line)
        elif "`" in line:
            lines[i] = _mask_spans(line)
    return "\n".join(lines)


def _mask_spans(line: str) -> str:
    spans = list(code_spans(line))
    return _blank(line, spans) if spans else line


def code_spans(line: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the text inside each code span of a line, as `(?<!\\)(`+)(.+?)(?<!`)\\1(?!`)`
    (Python-Markdown's pattern before 3.10) finds them: a run of backticks not after a backslash, to
    the next run of exactly as many, trying the longest such run first. That pattern takes time cubic
    in a run of backticks, so this finds the same spans from the runs, each looked up once.
    """
    runs = [(m.start(), m.end() - m.start()) for m in _BACKTICKS.finditer(line)]
    at_length: dict[int, list[int]] = {}
    for i, (_, length) in enumerate(runs):
        at_length.setdefault(length, []).append(i)
    i = 0
    while i < len(runs):
        start, length = runs[i]
        if start and line[start - 1] == "\\":
            start, length = start + 1, length - 1  # an escaped backtick is text; the rest may still open
        for k in range(length, 0, -1):
            later = at_length.get(k, [])
            j = bisect.bisect_right(later, i)
            if j < len(later):
                close = later[j]
                yield start + k, runs[close][0]
                i = close + 1
                break
        else:
            i += 1


def _mask_live_code(text: str) -> str:
    """The text with only what the site will certainly show as code blanked, every position kept.

    That is the fenced blocks its fenced_code extension finds, and code spans, but spans only when
    every line's backticks pair up exactly (so the site's Markdown, which pairs them across a
    paragraph's lines, pairs them the same way), no backtick is escaped, and only before the first
    line that could open a raw HTML block (inside one, backticks are not code). Python-Markdown
    reads a lone carriage return as a line break, so this does too. Anything else is checked: a false
    alarm is a nuisance, a missed script is not.
    """
    lines = text.replace("\r", "\n").split("\n")
    for first, last in _site_fences(lines):
        for i in range(first, last + 1):
            lines[i] = " " * len(lines[i])
    outside = "\n".join(lines)
    block = _HTML_BLOCK.search(outside)
    head = outside if block is None else outside[: block.start()]
    if "`" not in head or "\\`" in head:
        return outside
    spans_of_lines = []
    for i, line in enumerate(head.split("\n")):
        if "`" in line:
            spans = _exact_spans(line)
            if spans is None:
                return outside
            spans_of_lines.append((i, spans))
    for i, spans in spans_of_lines:
        lines[i] = _blank(lines[i], spans)
    return "\n".join(lines)


def _site_fences(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) line of each block the fenced_code extension will show as code.

    Its pattern (a fence at the start of a line, an optional language, and the next line that is the
    same fence again) takes quadratic time on some texts, so this follows it line by line. At an
    opening line it does not follow (with {attributes} or hl_lines) it stops: later fences are
    checked as text.
    """
    closers: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        m = _FENCE_CLOSE.match(line)
        if m:
            closers.setdefault(m.group(1), []).append(i)
    fences: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(("```", "~~~")):
            m = _FENCE_OPEN.match(line)
            if m is None and ("{" in line or "hl_lines=" in line):
                break
            if m is not None:
                later = closers.get(m.group(1), [])
                j = bisect.bisect_right(later, i)
                if j < len(later):
                    fences.append((i, later[j]))
                    i = later[j] + 1
                    continue
        i += 1
    return fences


site_fences = _site_fences  # commons.rendered splits bodies into blocks without splitting these


def _exact_spans(line: str) -> list[tuple[int, int]] | None:
    """The code spans of a line if each opening run of backticks has a later run of exactly as many."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    at_length: dict[int, list[int]] = {}
    for i, (start, end) in enumerate(runs):
        at_length.setdefault(end - start, []).append(i)
    spans, i = [], 0
    while i < len(runs):
        later = at_length[runs[i][1] - runs[i][0]]
        j = bisect.bisect_right(later, i)
        if j == len(later):
            return None
        spans.append((runs[i][1], runs[later[j]][0]))
        i = later[j] + 1
    return spans


def _blank(line: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in spans:
        out += [line[last:start], " " * (end - start)]
        last = end
    out.append(line[last:])
    return "".join(out)


def _event_attributes(text: str) -> Iterator[tuple[int, str]]:
    """(offset, name) of each on…= or style= attribute inside a tag: the first after each `<x` that has one,
    looked for outside quoted values (`title="onx=>"` names no attribute), in linear time."""
    for tag in _TAG_TEXT.finditer(text):
        chunk = _QUOTED.sub(lambda q: q.group()[: q.start(1) - q.start()] + " " * len(q.group(1)), tag.group())
        start = 2
        while True:
            m = _EVENT_ATTR.search(chunk, start)
            if not m:
                break
            yield tag.start() + m.start(1), m.group(1)
            following = _TAG_START.search(chunk, m.end())
            if not following:
                break
            start = following.start() + 2


def _lines_outside_code(text: str) -> list[tuple[int, str]]:
    """(index, line) for each line, with code blanked (columns kept)."""
    return list(enumerate(_mask_code(text).split("\n")))


def check_markdown(path: str, text: str, first_line: int) -> list[Problem]:
    """Unsafe HTML, unsafe links and template syntax in Markdown text starting at `first_line`.

    The whole text is searched at once; positions are worked out only for what is found.
    """
    problems: list[Problem] = []
    has_tag, has_template = "<" in text, "{" in text
    links = [pattern for needed, pattern in _LINK_TARGETS if needed in text] if ":" in text or "&" in text else []
    has_link = bool(links)  # a scheme needs its ':', written or as an entity
    many_brackets = text.count("[") > MAX_BRACKETS
    if not (has_tag or has_template or has_link or many_brackets):
        return problems
    masked = _mask_code(text)
    live = _mask_live_code(text) if has_tag or has_link or many_brackets else text
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(line_starts, offset) - 1

    def at(offset: int, code: str, message: str, hint: str) -> None:
        line = line_of(offset)
        problems.append(Problem(path, first_line + line, offset - line_starts[line] + 1, code, message, hint))

    def unsafe(offset: int, code: str, message: str, hint: str) -> None:
        if masked[offset] == " " != text[offset]:  # it looks like code, but the site would not show it so
            hint = _NOT_CODE_HINT
        at(offset, code, message, hint)

    if many_brackets:
        for first, count in _bracket_paragraphs(live):
            at(first, "E-TOO-LARGE", f"this paragraph has {count} '[' characters; the limit is {MAX_BRACKETS}",
               "the site's Markdown slows right down with so many: split the paragraph with blank lines, or put "
               "the text in a code block")
    if has_tag:
        for m in _UNSAFE_TAG.finditer(live):
            unsafe(m.start(), "E-UNSAFE-HTML", f"<{m.group(1).lower()}> is not allowed",
                   "write it in Markdown; to show the tag as text, put it in `backticks`")
        for offset, name in _event_attributes(live):
            style = name.lower() == "style"
            unsafe(offset, "E-UNSAFE-HTML", f"the HTML attribute {name}= is not allowed",
                   "remove it; every page uses the site's own styles" if style else
                   "remove it; pages cannot run scripts")
    if has_link:
        for pattern in links:
            for m in pattern.finditer(live):
                target = _INVISIBLE.sub("", html.unescape(m.group(1)))
                scheme = _UNSAFE_SCHEME.match(target)
                if scheme:
                    unsafe(m.start(1), "E-UNSAFE-LINK",
                           f"links to {scheme.group(1).lower()}: addresses are not allowed",
                           "link to a web page starting https://")
    if has_template:
        seen_lines: set[int] = set()
        for m in _TEMPLATE.finditer(masked):
            line = line_of(m.start())
            if line not in seen_lines:
                seen_lines.add(line)
                at(m.start(), "W-TEMPLATE", f"'{m.group()}' will show literally: entries are never run as templates",
                   "put it in `backticks` to show it as code, or remove it")
    return sorted(set(problems))


# Python-Markdown's link patterns take time that grows with the square of the `[` in one paragraph: 4,000
# take two seconds, 50,000 stall a build. No real paragraph needs more than a few dozen.
MAX_BRACKETS = 500
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _bracket_paragraphs(live: str) -> Iterator[tuple[int, int]]:
    """(offset of the first `[`, count) of each paragraph (blank-line separated, in text with code left out
    as the site leaves it) with more than MAX_BRACKETS `[`."""
    start = 0
    for end in [m.start() for m in _PARAGRAPH_BREAK.finditer(live)] + [len(live)]:
        count = live.count("[", start, end)
        if count > MAX_BRACKETS:
            yield live.index("[", start, end), count
        start = end


def check_body(entry: RawEntry, ctype: ContentType) -> list[Problem]:
    problems = check_markdown(entry.path, entry.body, entry.body_line) + check_cost(entry.path, entry.body,
                                                                                   entry.body_line)
    if ctype.sections:
        problems += _check_sections(entry, ctype)
    return problems


def headings(text: str) -> list[tuple[int, int, str]]:
    """(line index, level, title) of each ATX heading outside code."""
    out = []
    for i, line in _lines_outside_code(text):
        m = _HEADING.match(line)
        if m:
            out.append((i, len(m.group(1)), m.group(2).rstrip(" \t#").strip()))
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
