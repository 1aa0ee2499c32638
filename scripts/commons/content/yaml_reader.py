"""The one YAML parser configuration: YAML text → plain values, with where every key and value sits.

Contributed YAML is untrusted. It is composed by libyaml (CSafeLoader) into nodes and turned into plain
values by `_Builder`, which refuses repeated keys, odd keys, deep nesting and unprintable characters, and
records the line and column of every key and value so later stages can point at them. Anchors and aliases
are refused before anything expands them (an alias bomb costs nothing). A look-alike character where YAML's
structure is (`lookalikes`) is reported at its place and the text read again as if it were the plain one, at most
MAX_CHARACTER_FIXES times, so one pasted non-breaking space does not hide the rest of the file.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode

from commons.content.lookalike_messages import explain, in_words, visible
from commons.content.lookalikes import BREAKS, Found, corrected, culprits, lookalike, structural, tab_widths
from commons.content.problems import Problem
from commons.content.yaml_layout import explain_layout

_constructor = SafeConstructor()

try:
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml is in PyYAML's wheels for every platform we run on
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """libyaml's safe loader, remembering which tag each plain value resolves to: the same few thousand values
    (field names, statuses, dates) recur in every file, and resolving is the part done in Python. A value's tag
    depends only on its kind, text and how it was written (safe loaders have no path resolvers)."""

    _tags: dict[tuple[Any, Any, Any], str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        key = (kind, value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._tags) < 50_000 and (value is None or len(value) <= 64):
                self._tags[key] = tag
        return tag


assert not _Loader.yaml_path_resolvers, "the remembered tags assume no path resolvers"

Mark = tuple[int, int]  # (line, col), both 1-based
FieldPath = tuple[str | int, ...]

MAX_DEPTH = 40
MAX_ALIAS_PROBLEMS = 10  # per file
MAX_CHARACTER_FIXES = 10  # rounds of look-alike characters put right, per file
MAX_CHARACTER_PROBLEMS = 20  # found in one round
MAX_CULPRIT_TRIES = 12  # characters tried as the cause of one error
# Flow collections nest one level per bracket, block ones at most one level per column; below this
# bound the text cannot nest deeply enough to need checking before it is composed.
MAX_UNCHECKED_NESTING = 1000
# Characters no file may hold: control characters other than tab and line ends, and the two
# non-characters XML refuses (the feed is XML). The same ones written as YAML escapes ("\x01") are
# refused in values (_Builder), along with lone surrogates, which only an escape can produce.
CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff"
CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
_UNPRINTABLE = re.compile(f"[{CONTROL_CHARACTERS}\ud800-\udfff]")
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


def position(text: str, offset: int) -> Mark:
    """(line, col), both 1-based, of `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def parse_yaml(rel: str, text: str, line_offset: int) -> tuple[dict[str, Any] | None, Node | None, list[Problem]]:
    """Parse one YAML document into plain values, keeping the composed nodes for locating them.

    Returns `None` for the values when the text cannot be read as a mapping. A look-alike character where
    YAML's structure is (a non-breaking space as indentation, curly quotes around a value, an en dash for a
    list's '-') is reported at its place as E-CHARACTER, and the rest is read as if it were the plain one, so
    every other problem is still found where it is.
    """
    problems: list[Problem] = []
    if "\t" not in text and "`" not in text and (text.isascii() or not any(
            lookalike(c) for c in set(text) if not c.isascii())):  # café is text; only look-alikes need looking for
        return _parse(rel, text, line_offset, problems, fixes=0)
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        # libyaml counts these as line breaks, so its lines would not be the editor's (nor ours).
        breaks = [Found(m.start(), m.group(), lookalike(m.group()), "break")  # type: ignore[arg-type]
                  for m in BREAKS.finditer(text)]
        problems += _characters(rel, text, breaks, line_offset)
        text = BREAKS.sub(" ", text)
    return _parse(rel, text, line_offset, problems, fixes=MAX_CHARACTER_FIXES)


def _parse(rel: str, text: str, line_offset: int, problems: list[Problem],
           fixes: int) -> tuple[dict[str, Any] | None, Node | None, list[Problem]]:
    for _ in range(fixes + 1):
        if text.count("[") + text.count("{") + max(map(len, text.split("\n"))) > MAX_UNCHECKED_NESTING:
            # The text could nest deeply enough for libyaml to take minutes, or crash: the composer
            # recurses in C. Events come one at a time, so the check stops at the first level too deep.
            deep = _too_deep(rel, text, line_offset)
            if deep:
                return None, None, problems + [deep]
        if "&" in text or "*" in text:
            # Only an anchor can make the composer share a node, so with none found the tree is a tree.
            anchors = _anchors(rel, text, line_offset)
            if anchors:
                return None, None, problems + anchors
        try:
            node = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as e:
            found = _culprit(text, e) if fixes else None
            if found is None:
                return None, None, problems + [_yaml_problem(rel, e, line_offset, text)]
            problems.append(_character(rel, text, found, line_offset))
            text, fixes = corrected(text, [found]), fixes - 1
            continue
        except yaml.reader.ReaderError as e:  # a character YAML refuses, such as a C1 control (U+0080 to U+009F)
            line, col = position(text, e.position)
            return None, None, problems + [Problem(
                rel, line + line_offset, col, "E-ENCODING", f"control character U+{e.character:04X} is not allowed",
                "delete it; it is often left by copying from another program")]
        except (yaml.YAMLError, RecursionError) as e:
            return None, None, problems + [Problem(rel, 1 + line_offset, 1, "E-YAML",
                                                   f"YAML cannot be read: {_one_line(e)}",
                                                   "check the file is plain YAML text")]
        if node is None:
            return {}, None, problems
        suspects = structural(text, node) if fixes and not text.isascii() else []
        if suspects:
            problems += _characters(rel, text, suspects, line_offset)
            text, fixes = corrected(text, suspects), fixes - 1
            continue
        builder = _Builder(rel, line_offset)
        value = builder.build(node, 0)
        if not isinstance(value, dict):
            line, col = node.start_mark.line + 1 + line_offset, node.start_mark.column + 1
            return None, None, problems + builder.problems + [
                Problem(rel, line, col, "E-TYPE", "expected fields (`name: value` lines), found "
                        + describe(value), "write one `field: value` per line")]
        return value, node, problems + builder.problems
    raise AssertionError("unreachable: the last round makes no fixes")  # pragma: no cover


def _characters(rel: str, text: str, found: list[Found], line_offset: int) -> list[Problem]:
    """A problem for each character found, up to MAX_CHARACTER_PROBLEMS, then one line for the rest."""
    shown = [_character(rel, text, f, line_offset) for f in found[:MAX_CHARACTER_PROBLEMS]]
    if len(found) > MAX_CHARACTER_PROBLEMS:
        line, col = position(text, found[MAX_CHARACTER_PROBLEMS].index)
        shown.append(Problem(rel, line + line_offset, col, "E-CHARACTER",
                             f"{len(found) - MAX_CHARACTER_PROBLEMS} more invisible or look-alike characters, "
                             "from here on", "each is put right as the ones above say"))
    return shown


def _character(rel: str, text: str, found: Found, line_offset: int) -> Problem:
    line, col = position(text, found.index)
    message, hint = explain(text, found)
    return Problem(rel, line + line_offset, col, "E-CHARACTER", message, hint)


def _culprit(text: str, e: yaml.MarkedYAMLError) -> Found | None:
    """The look-alike character that stopped the text being read: of those on the lines from the error's
    context to the line it was found on, the nearest whose plain character lets the reader get further."""
    mark = e.problem_mark
    if mark is None:
        return None
    first = e.context_mark.index if e.context_mark is not None else mark.index
    start = text.rfind("\n", 0, min(first, mark.index))  # and the line before, where the mistake often is
    start = text.rfind("\n", 0, max(start, 0)) + 1
    lines = (mark.line, e.context_mark.line if e.context_mark is not None else mark.line)
    nearest = sorted(culprits(text, start, mark.index), key=lambda f: (
        [text.count("\n", 0, f.index) == n for n in lines].index(True) if text.count("\n", 0, f.index) in lines
        else 2, -f.index))
    for candidate in nearest[:MAX_CULPRIT_TRIES]:
        for found in tab_widths(text, candidate) if candidate.what.kind == "tab" else [candidate]:
            if _gets_further(corrected(text, [found]), mark):
                return found
    return None


def _gets_further(text: str, mark: Any) -> bool:
    """Whether `text` (one character put right) reads past where the error was: read up to the end of the line
    after the error's, so trying a character costs no more than the text before it."""
    after = text.find("\n", mark.index)
    end = -1 if after < 0 else text.find("\n", after + 1)
    try:
        yaml.compose(text if end < 0 else text[: end + 1], Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        now = e.problem_mark
        return now is not None and (now.line, now.column) > (mark.line, mark.column)
    except (yaml.YAMLError, RecursionError):
        return False
    return True


def _too_deep(rel: str, text: str, line_offset: int) -> Problem | None:
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH + 1:  # the same node _Builder would refuse
                    m = event.start_mark
                    return Problem(rel, m.line + 1 + line_offset, m.column + 1, "E-YAML",
                                   "YAML is nested too deeply", f"entries need at most {MAX_DEPTH} levels")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # reported where the text is composed, before any deep nesting
    return None


def _anchors(rel: str, text: str, line_offset: int) -> list[Problem]:
    problems: list[Problem] = []
    hidden: list[Mark] = []  # an alias bomb has hundreds: the first few say what to fix, one line the rest
    try:
        for event in yaml.parse(text, Loader=_Loader):
            anchor = getattr(event, "anchor", None)
            if anchor is None:
                continue
            kind = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
            sign = "*" if kind == "alias" else "&"
            m = event.start_mark
            if len(problems) < MAX_ALIAS_PROBLEMS:
                problems.append(Problem(rel, m.line + 1 + line_offset, m.column + 1, "E-YAML-ALIAS",
                                        f"YAML {kind} {sign}{anchor} is not allowed",
                                        "write the value out in full where it is needed"))
            else:
                hidden.append((m.line + 1 + line_offset, m.column + 1))
    except yaml.MarkedYAMLError as e:
        problems.append(_yaml_problem(rel, e, line_offset, text))
    except (yaml.YAMLError, RecursionError) as e:
        problems.append(Problem(rel, 1 + line_offset, 1, "E-YAML", f"YAML cannot be read: {_one_line(e)}", ""))
    if hidden:
        problems.append(Problem(rel, *hidden[0], "E-YAML-ALIAS",
                                f"{len(hidden)} more YAML anchors and aliases, from here on, are not allowed",
                                "write every value out in full; anchors (&) and aliases (*) cannot be used"))
    return problems


_YAML_HINTS = (
    ("mapping values are not allowed", "a value containing ': ' must be in quotes"),
    ("found character '\\t'", "indent with spaces, not tabs"),
    ("could not find expected ':'", "each line should be `field: value`; check the quotes on this line"),
    ("expected a single document", "a YAML file holds one document: remove the extra --- line"),
    ("found undefined tag handle", "remove the !tag before the value"),
    ("found duplicate anchor", "anchors are not allowed"),
    ("expected <block end>", "check this line is indented like the lines around it"),
    ("found unexpected end of stream", "a quote or bracket was opened and never closed"),
    ("while scanning a quoted scalar", "a quote was opened and never closed"),
)


def _yaml_problem(rel: str, e: yaml.MarkedYAMLError, line_offset: int, text: str = "") -> Problem:
    mark = e.problem_mark or e.context_mark
    line = (mark.line + 1 + line_offset) if mark else 1 + line_offset
    col = (mark.column + 1) if mark else 1
    what = " ".join(x for x in (e.context, e.problem) if x)
    full = str(e)
    if mark and text[mark.index : mark.index + 1] == "\t":  # libyaml's message does not name the character
        full += " found character '\\t'"
    if "invalid Unicode character escape code" in full:  # libyaml refuses lone surrogates, \ud800 to \udfff
        return Problem(rel, line, col, "E-ENCODING", "the text has an escape for half of a character (a lone "
                       "surrogate, \\ud800 to \\udfff)", "remove the escape; write the character itself")
    opened = e.context_mark
    if e.context == "while scanning a quoted scalar" and opened is not None and "end of stream" in (e.problem or ""):
        # libyaml reports where the text ran out, often the end of the file; the mistake is the opening quote.
        quote = text[opened.index : opened.index + 1] or '"'
        return Problem(rel, opened.line + 1 + line_offset, opened.column + 1, "E-YAML",
                       f"YAML cannot be read: the quote {quote} that starts here is never closed",
                       f"end the value with {quote} on this line, or take the quote away")
    layout = explain_layout(text, e) if mark else None
    if layout is not None:
        at, message, hint = layout
        return Problem(rel, at[0] + line_offset, at[1], "E-YAML", f"YAML cannot be read: {message}", hint)
    hint = next((h for key, h in _YAML_HINTS if key in full),
                "check the indentation and quotes on this line and the one before")
    return Problem(rel, line, col, "E-YAML", f"YAML cannot be read: {what}", hint)


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split())[:200] or type(e).__name__


class _Builder:
    """Turns composed YAML nodes into plain values, refusing repeated keys, odd keys and deep nesting."""

    def __init__(self, rel: str, line_offset: int):
        self.rel = rel
        self.offset = line_offset
        self.problems: list[Problem] = []

    def _problem(self, node: Node, code: str, message: str, hint: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.rel, mark.line + 1 + self.offset, mark.column + 1, code, message, hint))

    def build(self, node: Node, depth: int) -> Any:
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if depth > MAX_DEPTH:
            self._problem(node, "E-YAML", "YAML is nested too deeply", f"entries need at most {MAX_DEPTH} levels")
            return None
        if node.tag not in (_MAP, _SEQ):
            self._problem(node, "E-YAML", f"YAML tag {node.tag} is not allowed", "remove the !tag before the value")
        if isinstance(node, MappingNode):
            return self._mapping(node, depth)
        return [self.build(child, depth + 1) for child in node.value]

    def _mapping(self, node: MappingNode, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self._problem(key_node, "E-TYPE", "a field name must be a plain word", "write `field: value`")
                continue
            key = str(key_node.value)
            self._printable(key_node, key)
            if key in first:
                self._problem(key_node, "E-DUPLICATE-KEY", f"'{key}' is given twice",
                              f"it was first given on line {first[key].start_mark.line + 1 + self.offset}; "
                              "keep one (YAML readers silently keep the last)")
                continue
            first[key] = key_node
            out[key] = self.build(value_node, depth + 1)
        return out

    def _printable(self, node: ScalarNode, text: str) -> None:
        bad = _UNPRINTABLE.search(text)
        if bad:
            self._problem(node, "E-ENCODING", f"the text has the unprintable character U+{ord(bad.group()):04X}, "
                          "written as an escape",
                          "remove the escape that writes it (a backslash and a code, such as \\x01 or \\uFFFE)")

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR or tag == _TIMESTAMP:
            self._printable(node, node.value)
            return node.value  # dates stay text; the one date parser is in validate
        if tag == _NULL:
            return None
        try:
            if tag == _BOOL:
                return _constructor.construct_yaml_bool(node)
            if tag == _INT:
                return _constructor.construct_yaml_int(node)
            if tag == _FLOAT:
                return _constructor.construct_yaml_float(node)
        except (ValueError, yaml.YAMLError):
            return node.value
        self._problem(node, "E-YAML", f"YAML tag {tag} is not allowed", "remove the !tag before the value")
        return node.value


def describe(value: Any) -> str:
    """A value's kind in words, for messages that say what kind was expected ("found text ('twelve')")."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"yes/no ({'true' if value else 'false'})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({_quote(value)}){in_words(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return type(value).__name__


def quoted(value: Any) -> str:
    """A value as it was given, for messages that say which values are allowed: text quoted plainly ("'Done'"),
    with its look-alike and invisible characters named; anything else by its kind (`describe`)."""
    return f"{_quote(value)}{in_words(value)}" if isinstance(value, str) else describe(value)


def _quote(text: str) -> str:
    short = text if len(text) <= 40 else text[:37] + "..."
    return f"'{visible(short)}'"
