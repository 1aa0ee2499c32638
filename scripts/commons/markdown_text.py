"""Contributed text shown as itself in GitHub Markdown: the one escaping function, and two ways to present it.

Everything a pull request or a council's file says is hostile until shown otherwise. The pull-request summary
(`commands/check_pr/summary.py`) and the weekly stale report (`commands/stale.py`) put every contributed value
(titles, paths, handles, field names and values, problem messages and their hints, which quote contributed
values) through `markdown_text`, so it reads as plain text: no emphasis, heading, list, table, link, image,
raw HTML, math, @mention, #123 reference or bare URL, and it cannot end the line it is on.

How, and why each way works on GitHub and in other Markdown readers alike:

- Markdown punctuation is backslash-escaped (``\\ ` * _ [ ] #``) where CommonMark and Python-Markdown both
  honour the escape, and written as a character reference (``< > & | ~ $``) where Python-Markdown does not.
- ``@``, ``#`` before a letter or digit, ``://`` and ``www.`` get an invisible zero-width space (``&#8203;``)
  after them. GitHub finds mentions, issue references and bare URLs in the *rendered* text, after escapes
  are gone, so only a real character in between stops them.
- Line breaks and other whitespace become one space, so a value cannot start a line of its own; a value at
  the start of a line still cannot start a list or heading (a leading ``-``, ``+``, ``=`` or ``1.``).
- Control characters and bidirectional overrides (which could reorder the text around them) become U+FFFD.
- Long values are cut to `limit` characters, with an ellipsis.
"""

from __future__ import annotations

import re

from commons.content.schema import HANDLE_PATTERN

MAX_SHOWN = 200  # characters of one value; the validator limits titles to fewer

ZERO_WIDTH_SPACE = "&#8203;"

_WHITESPACE = re.compile(r"\s+")  # every Unicode space and line break, \r \n \v \f \x85 \u2028 \u2029 among them
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SPECIAL = re.compile(r"://|www\.|[\\`*_\[\]#<>&|~$@]", re.IGNORECASE)
_REPLACEMENT = {
    "://": ":" + ZERO_WIDTH_SPACE + "//",
    "<": "&lt;", ">": "&gt;", "&": "&amp;", "|": "&#124;", "~": "&#126;", "$": "&#36;",
    "@": "@" + ZERO_WIDTH_SPACE,
}
_LINE_START = re.compile(r"^(?:([-+])|(=)|(\d+)([.)]))")
_HANDLE = re.compile(HANDLE_PATTERN)
_TEAM = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}/[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def markdown_text(value: object, limit: int = MAX_SHOWN) -> str:
    """`value` as inline GitHub Markdown that renders as exactly its text (see the module's docstring)."""
    text = _UNSHOWABLE.sub("\ufffd", _WHITESPACE.sub(" ", str(value)).strip())
    if len(text) > limit:
        text = text[: max(limit - 1, 0)].rstrip() + "…"
    text = _SPECIAL.sub(_escape, text)
    return _LINE_START.sub(_escape_line_start, text, count=1)


def markdown_code(value: object, limit: int = MAX_SHOWN) -> str:
    """`value` escaped as `markdown_text` does, in a monospace font (a path, a slug, an address).

    Not a code span: in a code span no escape works, so a backtick in the value could end it early.
    """
    return f"<code>{markdown_text(value, limit)}</code>"


def mention(handle: object) -> str:
    """An @mention of a GitHub user or team named by the base commit (a maintainer to ask).

    Only a well-formed user or team name is mentioned; anything else is escaped text. Handles that come from
    the pull request itself are never mentioned: show them with `markdown_text("@" + handle)`.
    """
    text = str(handle)
    if _HANDLE.fullmatch(text) or _TEAM.fullmatch(text):
        return "@" + text
    return markdown_text("@" + text)


def _escape(m: re.Match[str]) -> str:
    found = m.group()
    if found in _REPLACEMENT:
        return _REPLACEMENT[found]
    if found.lower() == "www.":
        return found[:3] + ZERO_WIDTH_SPACE + "."
    if found == "#" and m.end() < len(m.string) and m.string[m.end()].isascii() and m.string[m.end()].isalnum():
        return "\\#" + ZERO_WIDTH_SPACE
    return "\\" + found


def _escape_line_start(m: re.Match[str]) -> str:
    sign, equals, digits, dot = m.groups()
    if sign:
        return "\\" + sign
    if equals:
        return "&#61;"
    return f"{digits}\\{dot}"
