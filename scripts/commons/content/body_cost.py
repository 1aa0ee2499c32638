"""What a body may cost to render: limits on the constructs that make the site's Markdown slow or crash it.

Python-Markdown takes time growing with the square of some constructs' number (tags, headings with no blank
line between them, footnote references) and runs out of stack on deep nesting. A body over a limit is refused
(E-TOO-LARGE) before anything renders it, located at the construct that goes over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from commons.content.problems import Problem
from commons.content.yaml_reader import position

# What a body may hold of the constructs that make the site's Markdown (Python-Markdown) take time growing
# with the square of their number, or run out of stack. Measured: 16,000 `<a ` took 30 s to render, 8,000
# headings with no blank line between them 5 s, 8,000 references to one footnote a minute, and 1,000 list
# markers in a row crash it. Real entries need a few dozen of each. (rendered.RENDER_SECONDS is the backstop.)
MAX_TAGS = 400  # `<` opening a tag, a comment or an <address>, in the whole body
MAX_NESTING = 20  # list, quote and definition markers at the start of one line, with indentation
MAX_BLOCK_LINES = 150  # lines with no blank line between them
MAX_FOOTNOTES = 100  # footnote references and definitions, `[^`
# Backslash escapes, emphasis, code spans and entities: 16,000 took 0.5 s, 100,000 backslashes 38 s.
MAX_INLINE_MARKS = 5000
_INLINE_MARKS = "\\*_`&"
_TAG_OPEN = re.compile(r"<[A-Za-z/!?]")
_LINE_MARKERS = re.compile(r"^([ \t]*)((?:(?:[-*+:]|\d{1,9}[.)]|>)(?:[ \t]+|$))+)", re.MULTILINE)
_MARKER = re.compile(r"[-*+:>]|\d{1,9}[.)]")
# A line nested more than MAX_NESTING deep starts with at least that many marker or indent characters.
_DEEP_LINE = re.compile(r"\n[ \t\-*+:>\d.)]{" + str(MAX_NESTING) + "}")  # searched in "\n" + body
_SPLIT_HINT = "split it with blank lines"


def check_cost(path: str, body: str, first_line: int) -> list[Problem]:
    """Constructs over the limits above, each reported once, at the line where the limit is passed."""
    problems: list[Problem] = []

    def at(offset: int, message: str, hint: str) -> None:
        line, col = position(body, offset)
        problems.append(Problem(path, first_line + line - 1, col, "E-TOO-LARGE", message, hint))

    if body.count("<") > MAX_TAGS:
        opens = [m.start() for m in _TAG_OPEN.finditer(body)]
        if len(opens) > MAX_TAGS:
            at(opens[MAX_TAGS], f"the text has {len(opens)} HTML tags or <addresses>; the limit is {MAX_TAGS}",
               "write it in Markdown, or put HTML you mean to show in a code block")
    marks = sum(body.count(ch) for ch in _INLINE_MARKS)
    if marks > MAX_INLINE_MARKS:
        at(_nth_of_any(body, _INLINE_MARKS, MAX_INLINE_MARKS), f"the text has {marks} backslashes, asterisks, "
           f"underscores, backticks and ampersands; the limit is {MAX_INLINE_MARKS}",
           "remove long runs of them, or link to a document that holds the text")
    if body.count("[^") > MAX_FOOTNOTES:  # (each limit is looked for only where a count says it could be passed)
        at(_nth(body, "[^", MAX_FOOTNOTES), f"the text has {body.count('[^')} footnote references and notes; the "
           f"limit is {MAX_FOOTNOTES}", "link to a document that holds the full references")
    for offset, depth in nesting(body) if _DEEP_LINE.search("\n" + body) else ():
        if depth > MAX_NESTING:
            at(offset, f"this line nests lists or quotes {depth} levels deep; the limit is {MAX_NESTING}",
               "use fewer levels, or put the text in a code block")
            break
    run, start = 0, 0
    offset = 0
    for line in body.split("\n") if body.count("\n") >= MAX_BLOCK_LINES else ():
        if line.strip():
            if run == 0:
                start = offset
            run += 1
            if run == MAX_BLOCK_LINES + 1:
                at(offset, f"this block has more than {MAX_BLOCK_LINES} lines with no blank line between them",
                   _SPLIT_HINT + f" (the block starts on line {first_line + body.count(chr(10), 0, start)})")
                break
        else:
            run = 0
        offset += len(line) + 1
    return problems


def nesting(body: str) -> Iterator[tuple[int, int]]:
    """(offset, depth) of each line that starts with list, quote or definition markers: one level per
    marker and per four columns of indentation."""
    for m in _LINE_MARKERS.finditer(body):
        indent = len(m.group(1).expandtabs(4)) // 4
        yield m.start(), indent + len(_MARKER.findall(m.group(2)))


def _nth_of_any(text: str, chars: str, n: int) -> int:
    """Offset of the (n+1)-th character of `text` that is one of `chars`."""
    seen = 0
    for m in re.finditer("[" + re.escape(chars) + "]", text):
        if seen == n:
            return m.start()
        seen += 1
    return 0


def _nth(text: str, needle: str, n: int) -> int:
    """Offset of the (n+1)-th occurrence of `needle`."""
    at = -1
    for _ in range(n + 1):
        at = text.find(needle, at + 1)
    return at
