"""Each commitment's status read from a plainly written declaration.yml, without a YAML parser.

Declaration progress (site/progress.py) reads every revision of every council's declaration.yml in the git
history: thousands of files, each a little longer than the one before. A revision differs from the one before it
in one commitment, so the text of each commitment (from its `- ` line to the next) is read once, whichever
revisions hold it, and the status each gives is kept by that text.

Only a strict, plain subset of YAML is read here, the way the scaffold and councils write these files: block
mappings and sequences indented with spaces, one `key: value` a line, values that are one-line plain words or
flow lists of plain words, comments and blank lines anywhere. Within that subset, what YAML reads is plain to
see, so the status found is the one the full reader (`yaml_reader.parse_yaml`) gives `model.commitment_status`.
Anything else (quotes, block scalars, anchors, tabs, look-alike characters, a repeated key, a status that is
not one of the five words, text that might not parse at all) returns None, and the file is read by the full
reader instead. tests/test_plain_declaration.py compares the two on generated and mutated files.
"""

from __future__ import annotations

import re
from typing import Final

from commons.content.vocabulary import COMMITMENT_STATUSES

_KEY = r"[a-z][a-z0-9_-]*"
# A one-line plain value: starts with a letter, digit or '(', holds no '#', brackets or braces, and no ':' but
# before a character that is none of those and not a space (or ':').
_WORD = r"[A-Za-z0-9(][^\n:#\[\]{}]*(?::[^\s:#\[\]{}][^\n:#\[\]{}]*)*"
_FLOW = r"\[[ ]*(?:[A-Za-z0-9][A-Za-z0-9 ._/-]*?[ ]*(?:,[ ]*[A-Za-z0-9][A-Za-z0-9 ._/-]*?[ ]*)*)?\]"
_END = r"[ ]*(?:[ ]#[^\n]*)?"
_BLANK = re.compile(r"[ ]*(?:#[^\n]*)?")
_FIRST_ITEM = re.compile(r"^( *)- ", re.M)
_UPDATE_STATUS = re.compile(r"(?:\A *- |\n *)status:[ ]+([^\n]*)")
_HEAD = re.compile(rf"((?:[ ]*(?:#[^\n]*)?\n)*)commitments:{_END}\n")
_STATUSES: Final = frozenset(COMMITMENT_STATUSES)
_INVALID: Final = "\x00"  # what a commitment outside the subset gives (no status is this)
_UNREAD: Final = "\x01"


class PlainDeclarations:
    """Reads statuses from plainly written declarations, remembering what each commitment's text gives."""

    def __init__(self) -> None:
        self._known: dict[str, str | None] = {}
        self._layouts: dict[int, _Layout] = {}

    def statuses(self, text: str) -> list[str | None] | None:
        """Each commitment's status (None: neither its latest update nor its own `status` gives one) in file
        order, from `text` (already decoded, as load.decode gives it); None when it is not written plainly."""
        if "\t" in text or "\r" in text or not text.isascii():
            return None  # non-ASCII text may hold look-alike characters, which the full reader puts right
        head = _HEAD.match(text)
        if head is None or head.end() == len(text):
            return None  # no commitments, or `commitments:` not written plainly at the top
        first = _FIRST_ITEM.search(text, head.end())
        before = text[head.end(): first.start()].split("\n")[:-1] if first is not None else []
        if first is None or not all(_BLANK.fullmatch(line) for line in before):
            return None
        dash = len(first.group(1))
        layout = self._layouts.get(dash)
        if layout is None:
            layout = self._layouts[dash] = _Layout(dash)
        out: list[str | None] = []
        known = self._known
        for chunk in layout.items.split(text[first.start():].rstrip("\n")):
            status = known.get(chunk, _UNREAD)
            if status is _UNREAD:
                status = known[chunk] = _status(chunk, layout)
            if status is _INVALID:
                return None
            out.append(status)
        return out


def _status(chunk: str, layout: _Layout) -> str | None:
    """The status one commitment (its text from its `- `) gives; _INVALID outside the subset."""
    found = layout.commitment.fullmatch(chunk + "\n")
    if found is None:
        return _INVALID
    own = [_value(v) for v in layout.own.findall(chunk)]
    if len(own) > 1 or chunk.count(layout.history) > 1:
        return _INVALID  # a repeated field: the full reader keeps the first and says so
    # The last update, as a repeated group keeps its last match (one group for each column updates may be at).
    update = found.group(f"update{layout.dash + 2}") or found.group(f"update{layout.dash + 4}")
    if update is not None:
        last = [_value(v) for v in _UPDATE_STATUS.findall(update)]
        if len(last) > 1:
            return _INVALID
        if last:
            return last[0] if last[0] in _STATUSES else _INVALID
    if own:
        return own[0] if own[0] in _STATUSES else _INVALID
    return None


class _Layout:
    """The patterns for commitments whose `- ` is at column `dash`."""

    def __init__(self, dash: int):
        self.dash = dash
        self.items = re.compile(rf"\n(?={' ' * dash}- )")  # where each commitment starts
        self.commitment = _layout(dash)
        field = " " * (dash + 2)
        self.own = re.compile(rf"(?:\A {{{dash}}}- |\n{field})status:[ ]+([^\n]*)")
        self.history = f"\n{field}history:"


def _layout(dash: int) -> re.Pattern[str]:
    """The plain subset for a commitment whose `- ` is at column `dash`: its fields at dash + 2, each a one-line
    value, a block list of one-line values or (once) `history:`, a block list of updates whose fields are each a
    one-line value, every list at the field's column or two further."""
    f = " " * (dash + 2)
    value = rf"[ ]+(?:{_WORD}|{_FLOW}){_END}\n"
    blank = r"(?:[ ]*+(?:#[^\n]*+)?\n)*+"  # once read, a blank or comment line is never read as anything else
    field = rf"(?!history:){_KEY}:{value}"

    def listed(at: str) -> str:
        return rf"(?:{blank}{at}-[ ]+(?:{_WORD}|{_FLOW}){_END}\n)*"

    def updates(at: str) -> str:
        return rf"(?:{blank}(?P<update{len(at)}>{at}-[ ]{_KEY}:{value}(?:{blank}{at}[ ][ ]{_KEY}:{value})*))*"

    block_list = rf"(?!history:){_KEY}:{_END}\n(?:{listed(f)}|{listed(f + '  ')})"
    history = rf"history:(?:[ ]+\[\]{_END}\n|{_END}\n(?:{updates(f)}|{updates(f + '  ')}))"
    pattern = rf"{' ' * dash}-[ ]{field}(?:{blank}{f}(?:{field}|{block_list}|{history}))*{blank}"
    return re.compile(pattern)


def _value(line: str) -> str:
    """A one-line plain value as YAML reads it: up to a comment (the subset holds no other '#'), spaces trimmed."""
    return line.split("#", 1)[0].strip()
