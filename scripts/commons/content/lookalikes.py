"""Invisible and look-alike characters: what each is called, what to type instead, and where one changes YAML.

Text pasted from Word, Outlook, Teams or a web page brings characters that look like a space, a quote mark, a
hyphen or a colon but are not the ones YAML reads as indentation, quotes, list items and separators: a value
silently gains curly quotes, a line stops being read. `TABLE` names the common ones; any other space or
invisible (format) character is named by its Unicode name. `yaml_reader` asks `structural` which of them sit
where YAML's structure is (and are never meant as text there), and `culprits` which could have stopped a file
being read. This module finds and names them; `lookalike_messages` says what to do about each.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


@dataclass(frozen=True)
class Lookalike:
    name: str  # "a non-breaking space (U+00A0)": how a message names it
    kind: str  # space, tab, invisible, quote, dash, colon or break
    plain: str  # what to type instead ("" to delete it)


def _table() -> dict[str, Lookalike]:
    rows = {
        "space": (" ", {"\u00a0": "a non-breaking space", "\u202f": "a narrow non-breaking space",
                        "\u2007": "a figure space", "\u2002": "an en space", "\u2003": "an em space",
                        "\u2009": "a thin space", "\u200a": "a hair space", "\u3000": "an ideographic space"}),
        "invisible": ("", {"\u200b": "a zero-width space", "\u200c": "a zero-width non-joiner",
                           "\u200d": "a zero-width joiner", "\u2060": "a word joiner",
                           "\ufeff": "a byte order mark", "\u00ad": "a soft hyphen",
                           "\u200e": "a left-to-right mark", "\u200f": "a right-to-left mark"}),
        "quote": ('"', {"\u201c": "a left curly double quote \u201c", "\u201d": "a right curly double quote \u201d",
                        "\u201e": "a low double quote \u201e", "\u201f": "a reversed double quote \u201f",
                        "\u2033": "a double prime \u2033", "\uff02": "a full-width double quote \uff02",
                        "\u00ab": "a left guillemet \u00ab", "\u00bb": "a right guillemet \u00bb"}),
        "single": ("'", {"\u2018": "a left curly single quote \u2018", "\u2019": "a right curly single quote \u2019",
                         "\u201a": "a low single quote \u201a", "\u201b": "a reversed single quote \u201b",
                         "\u2032": "a prime \u2032", "\uff07": "a full-width apostrophe \uff07",
                         "`": "a backtick `", "\u00b4": "an acute accent \u00b4"}),
        "dash": ("-", {"\u2010": "a hyphen \u2010", "\u2011": "a non-breaking hyphen \u2011",
                       "\u2012": "a figure dash \u2012", "\u2013": "an en dash \u2013", "\u2014": "an em dash \u2014",
                       "\u2015": "a horizontal bar \u2015", "\u2212": "a minus sign \u2212",
                       "\uff0d": "a full-width hyphen \uff0d", "\u2022": "a bullet \u2022",
                       "\u2023": "a triangular bullet \u2023", "\u2043": "a hyphen bullet \u2043",
                       "\u25e6": "a white bullet \u25e6", "\u25cf": "a black circle \u25cf",
                       "\u25aa": "a small black square \u25aa", "\u00b7": "a middle dot \u00b7",
                       "\uf0b7": "a Word bullet (from the Symbol font)"}),
        "colon": (":", {"\uff1a": "a full-width colon \uff1a", "\u2236": "a ratio sign \u2236",
                        "\ua789": "a modifier letter colon \ua789", "\ufe55": "a small colon \ufe55"}),
        "break": (" ", {"\u2028": "a line separator", "\u2029": "a paragraph separator", "\x85": "a next-line "
                        "character"}),
    }
    table = {"\t": Lookalike("a tab (U+0009)", "tab", " ")}
    for kind, (plain, names) in rows.items():
        for ch, name in names.items():
            table[ch] = Lookalike(f"{name} (U+{ord(ch):04X})", "quote" if kind == "single" else kind, plain)
    return table


TABLE = _table()
BREAKS = re.compile("[\x85\u2028\u2029]")  # YAML reads these as line breaks; editors and we do not
_SPACES = " \t"


def lookalike(ch: str) -> Lookalike | None:
    """What `ch` is, when it is a character that can pass for a plain one or not show at all; else None."""
    known = TABLE.get(ch)
    if known is not None:
        return known
    if ch.isascii():
        return None
    category = unicodedata.category(ch)
    what = {"Zs": ("space character", "space", " "), "Cf": ("invisible character", "invisible", ""),
            "Zl": ("line separator", "break", " "), "Zp": ("paragraph separator", "break", " ")}.get(category)
    if what is None:
        return None
    return Lookalike(f"the {what[0]} {unicodedata.name(ch, 'without a name')} (U+{ord(ch):04X})", what[1], what[2])


def is_blank(ch: str) -> bool:
    """A character that shows as nothing or as a space (so can sit unseen in indentation)."""
    found = lookalike(ch)
    return ch == " " or (found is not None and found.kind in ("space", "tab", "invisible"))


@dataclass(frozen=True)
class Found:
    index: int  # in the text
    char: str
    what: Lookalike
    role: str  # indentation, list, marker, separator, key, quote, start, end, break, delimiter or other
    partner: int = -1  # the closing quote fixed together with an opening one, when there is one
    length: int = 1  # how many of the same character in a row
    plain: str | None = None  # what each is read as instead, when not `what.plain` (a tab's width)
    close: bool = False  # an opening quote with no closing one: read as closed at the end of its line

    @property
    def named(self) -> str:
        if self.length == 1:
            return self.what.name
        article, _, rest = self.what.name.partition(" ")
        if article in ("a", "an") and " (U+" in rest:
            noun, _, code = rest.partition(" (U+")
            return f"{self.length} {noun}s (U+{code}"
        return f"{self.length} of {self.what.name}"


def runs(found: list[Found]) -> list[Found]:
    """`found` (in text order) with each run of the same character, in the same role, made one."""
    out: list[Found] = []
    for f in found:
        last = out[-1] if out else None
        if last is not None and f.char == last.char and f.role == last.role and f.index == last.index + last.length \
                and f.partner < 0 and last.partner < 0:
            out[-1] = Found(last.index, last.char, last.what, last.role, -1, last.length + 1)
        else:
            out.append(f)
    return out


def line_bounds(text: str, index: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return start, len(text) if end < 0 else end


def role_in_line(text: str, index: int) -> str:
    """Where on its line the character at `index` is, as YAML would read the line."""
    start, end = line_bounds(text, index)
    before = text[start:index]
    found = lookalike(text[index])
    kind = found.kind if found else "other"
    if kind == "break":
        return "break"
    if all(is_blank(c) for c in before) and kind in ("space", "tab", "invisible"):
        return "indentation"
    content = before.lstrip("".join(c for c in before if is_blank(c)))
    stripped_list = re.sub(r"^(?:- +)+", "", content)
    if kind == "dash" and stripped_list == "" and (index + 1 >= end or is_blank(text[index + 1])):
        return "list"
    if kind == "space" and before.endswith(":"):
        return "separator"
    if kind in ("space", "tab") and content.endswith("-") and re.fullmatch(r"(?:- +)*-", content):
        return "marker"  # after a list item's '-'
    if kind == "colon":
        return "separator"
    if kind == "quote":
        return "quote"
    return "other"


def quote_partner(text: str, index: int) -> int:
    """The last quote look-alike of the same family after `index` on its line (the closing one), or -1."""
    _, end = line_bounds(text, index)
    family = TABLE[text[index]].plain if text[index] in TABLE else '"'
    for i in range(end - 1, index, -1):
        other = lookalike(text[i])
        if other is not None and other.kind == "quote" and other.plain == family:
            return i
    return -1


def culprits(text: str, first: int, last: int) -> list[Found]:
    """Characters between the lines holding offsets `first` and `last` that may have stopped the YAML being read,
    nearest the end first: the caller tries each."""
    start, _ = line_bounds(text, first)
    _, end = line_bounds(text, last)
    found = []
    for i in range(start, min(end, len(text))):
        what = lookalike(text[i])
        if what is None:
            continue
        role = role_in_line(text, i)
        if what.kind == "tab" and role != "indentation":
            continue  # a tab between words, or after a colon, is read as a space
        partner = quote_partner(text, i) if what.kind == "quote" else -1
        opens = partner < 0 and what.kind == "quote" and _opens_value(text, i)
        found.append(Found(i, text[i], what, role, partner, close=opens))
    return runs(found)[::-1]


def _opens_value(text: str, index: int) -> bool:
    start, _ = line_bounds(text, index)
    before = text[start:index].rstrip(" ")
    return before == "" or before.endswith((":", "-", "[", ",", "{")) and index > start and text[index - 1] == " "


def tab_widths(text: str, found: Found) -> list[Found]:
    """The ways to read a run of tabs in the indentation as spaces, most likely first: lining the line up with
    the line above it, then tabs of 2, 4, 8 and 1 spaces."""
    start, end = line_bounds(text, found.index)
    above = text.rfind("\n", 0, max(start - 1, 0)) + 1 if start else -1
    widths = [2, 4, 8, 1]
    if above >= 0:
        prev = text[above : start - 1]
        target = len(prev) - len(prev.lstrip(" ")) + len(re.match(r"(?:- +)*", prev.lstrip(" ")).group())  # type: ignore[union-attr]
        others = sum(1 for c in text[start:end][: len(text[start:end]) - len(text[start:end].lstrip(" \t"))]
                     if c != "\t")
        tabs = text[start:end].count("\t", 0, len(text[start:end]) - len(text[start:end].lstrip(" \t")))
        if tabs and (target - others) > 0 and (target - others) % tabs == 0:
            widths.insert(0, (target - others) // tabs)
    return [Found(found.index, found.char, found.what, found.role, -1, found.length, " " * w)
            for w in dict.fromkeys(widths)]


def dash_line(line: str) -> Found | None:
    """The first look-alike in a line that would be `---` (front matter's start or end) typed with dashes that are
    not hyphens (an en or em dash, as Word makes of '--'), or None."""
    body = line.strip(" ")
    if not 0 < len(body) <= 5 or body == "---":
        return None
    odd = [i for i, c in enumerate(line) if c != "-" and c != " "]
    if not odd or any((lookalike(line[i]) or Lookalike("", "", "")).kind != "dash" for i in odd):
        return None
    return Found(odd[0], line[odd[0]], TABLE.get(line[odd[0]]) or lookalike(line[odd[0]]),  # type: ignore[arg-type]
                 "delimiter")


def corrected(text: str, found: list[Found]) -> str:
    """`text` with each character found replaced by what should have been typed (a closing quote with its
    opening one)."""
    edits = {f.index + i: f.what.plain if f.plain is None else f.plain for f in found for i in range(f.length)}
    edits.update({f.partner: f.what.plain for f in found if f.partner > f.index})
    for f in found:
        if f.close:  # the closing quote goes at the end of the line, before any spaces there
            end = line_bounds(text, f.index)[1]
            at = len(text[:end].rstrip(" ")) - 1
            if at > f.index:
                edits[at] = edits.get(at, text[at]) + f.what.plain
    parts = []
    last = 0
    for index in sorted(edits):
        parts += [text[last:index], edits[index]]
        last = index + 1
    return "".join(parts) + text[last:]


def structural(text: str, node: Node) -> list[Found]:
    """Look-alike characters in a document that was read, where YAML gave them a meaning nobody meant: in a
    field name, at either end of an unquoted value, or in place of a list item's '-' at the start of a line.
    Curly quotes and other characters inside a value are text, and left alone."""
    found: list[Found] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, MappingNode):
            for key, value in current.value:
                if isinstance(key, ScalarNode):
                    found += _in_key(text, key)
                stack.append(value)
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, ScalarNode) and not current.style:
            found += _in_plain_value(text, current)
    return sorted(found, key=lambda f: f.index)


def _in_key(text: str, key: ScalarNode) -> list[Found]:
    out: list[Found] = []
    first, last = key.start_mark.index, key.end_mark.index
    if text[first:last].isascii() and "`" not in text[first:last]:
        return out
    closing = -1
    for i in range(first, last):
        what = lookalike(text[i])
        if what is None or what.kind == "tab" or i == closing:
            continue
        role = role_in_line(text, i)
        partner = -1
        if what.kind == "quote":
            partner = closing = quote_partner(text, i)
            if partner >= last:
                partner = closing = -1
        out.append(Found(i, text[i], what, role if role in ("indentation", "list") else "key", partner))
    return runs(out)


def _in_plain_value(text: str, node: ScalarNode) -> list[Found]:
    first, last = node.start_mark.index, node.end_mark.index
    if text[first:last].isascii():
        return []
    out = []
    for i, role in ((first, "start"), (last - 1, "end")):
        what = lookalike(text[i])
        if what is not None and what.kind in ("space", "invisible") and not (role == "end" and i == first):
            out.append(Found(i, text[i], what, role))
    line_start = first
    while 0 <= line_start < last:
        start, end = line_bounds(text, line_start)
        content = start
        while content < end and text[content] in _SPACES:
            content += 1
        if first <= content < last:
            what = lookalike(text[content])
            if what is not None and what.kind == "dash" and role_in_line(text, content) == "list":
                out.append(Found(content, text[content], what, "list"))
            after = lookalike(text[content + 1]) if text[content] == "-" and content + 1 < last else None
            if after is not None and after.kind == "space":
                out.append(Found(content + 1, text[content + 1], after, "marker"))
        line_start = end + 1 if end < last else -1
    return runs(sorted(set(out), key=lambda f: f.index))


WORD = re.compile(r"[^\s:,\[\]{}#]*")


def word_around(text: str, index: int, length: int = 1) -> tuple[str, str]:
    """The visible word just before and just after `index` on its line, to say where an invisible character is."""
    start, end = line_bounds(text, index)
    left, right = index, index + length
    while left > start and is_blank(text[left - 1]):
        left -= 1
    while right < end and is_blank(text[right]):
        right += 1
    before = WORD.match(text[start:left][::-1])
    after = WORD.match(text, right, end)
    return (before.group()[::-1] if before else ""), (after.group() if after else "")
