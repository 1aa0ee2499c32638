"""Reading contributed files safely: files on disk → raw entries with line marks.

Contributed content is untrusted. Nothing here follows a symlink, reads an
oversized file, accepts bytes that are not UTF-8, or lets YAML anchors expand;
each refusal is a located Problem. YAML is composed by libyaml (CSafeLoader)
into nodes and turned into plain values by `_Builder`, which records where
every key and value sits in the file so later stages can point at the line.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from commons.content.problems import Problem
from commons.content.schema import BY_NAME, CONTENT_FOLDERS, MAX_FILE_BYTES, ContentType

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml is in PyYAML's wheels for every platform we run on
    _Loader = yaml.SafeLoader

Mark = tuple[int, int]  # (line, col), both 1-based
FieldPath = tuple[str | int, ...]

MAX_DEPTH = 40
MAX_ALIAS_PROBLEMS = 10  # per file
# Flow collections nest one level per bracket, block ones at most one level per column; below this
# bound the text cannot nest deeply enough to need checking before it is composed.
MAX_UNCHECKED_NESTING = 1000
# Characters no file may hold: control characters other than tab and line ends, and the two
# non-characters XML refuses (the feed is XML). The same ones written as YAML escapes ("\x01") are
# refused in values (_Builder), along with lone surrogates, which only an escape can produce.
_CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff"
_CONTROL = re.compile(f"[{_CONTROL_CHARACTERS}]")
_UNPRINTABLE = re.compile(f"[{_CONTROL_CHARACTERS}\ud800-\udfff]")
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_constructor = SafeConstructor()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many small objects are made and kept.

    Reading keeps hundreds of thousands of YAML nodes alive and creates no reference cycles; left on,
    the collector re-walks all of them again and again and triples the time of a large run.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class RawEntry:
    """One contributed file, read and parsed but not yet checked against its schema."""

    path: str  # relative to the root, forward slashes
    ctype: ContentType
    slug: str  # file name without extension; the council folder for council files
    meta: dict[str, Any] | None  # None when the YAML could not be read
    body: str = ""
    body_line: int = 1  # file line of the body's first line
    node: Node | None = None  # the composed YAML, kept to locate values only when a problem needs it
    line_offset: int = 0  # file lines before the YAML's first line
    folder: str = ""  # the event of a session, the council slug of council files
    _keys: dict[int, dict[str, tuple[Node, Node]]] = field(default_factory=dict, repr=False, compare=False)

    def mark(self, path: FieldPath, key: bool = False) -> Mark:
        """Where a value (or, with `key`, its field name) starts; its nearest located parent if absent."""
        node = self.node
        if node is None:
            return 1 + self.line_offset, 1
        found: Node = node
        for i, step in enumerate(path):
            child = self._child(found, step, key and i == len(path) - 1)
            if child is None:
                break
            found = child
        return found.start_mark.line + 1 + self.line_offset, found.start_mark.column + 1

    def _child(self, node: Node, step: str | int, key: bool) -> Node | None:
        if isinstance(node, MappingNode) and isinstance(step, str):
            # Indexed once per mapping: a file with thousands of bad keys must not take quadratic time.
            keys = self._keys.get(id(node))
            if keys is None:
                keys = self._keys[id(node)] = {}
                for k, v in node.value:
                    if isinstance(k, ScalarNode):
                        keys.setdefault(k.value, (k, v))  # the first of duplicate keys is the one kept
            pair = keys.get(step)
            return None if pair is None else pair[0] if key else pair[1]
        if isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            return node.value[step]
        return None


@dataclass(frozen=True)
class Candidate:
    """A file found in a content folder, and the type its place says it is."""

    path: str
    ctype: ContentType
    slug: str
    folder: str = ""


def discover(root: Path) -> tuple[list[Candidate], list[Problem]]:
    """Every content file under the root's content folders, without following links."""
    found: list[Candidate] = []
    problems: list[Problem] = []
    for top in CONTENT_FOLDERS:
        base = root / top
        if base.is_symlink():
            problems.append(_symlink(top))
            continue
        if not base.is_dir():
            continue
        for entry in _scan(base):
            rel = f"{top}/{entry.name}"
            if entry.is_symlink():
                problems.append(_symlink(rel))
            elif top in ("councils", "sessions"):
                if entry.is_dir(follow_symlinks=False):
                    found_here, problems_here = _discover_folder(top, entry, rel)
                    found += found_here
                    problems += problems_here
                elif entry.name != "README.md":
                    problems.append(_misplaced(rel, top))
            elif entry.is_file(follow_symlinks=False) and entry.name.endswith(".md"):
                if entry.name != "README.md":
                    found.append(Candidate(rel, _TYPE_OF_FOLDER[top], entry.name[:-3]))
            else:
                problems.append(_misplaced(rel, top))
    return found, problems


_TYPE_OF_FOLDER = {
    "patterns": BY_NAME["pattern"],
    "case-studies": BY_NAME["case-study"],
    "playbooks": BY_NAME["playbook"],
}
_COUNCIL_FILES = {"council.yml": BY_NAME["council"], "declaration.yml": BY_NAME["commitment"]}


def _discover_folder(top: str, folder: os.DirEntry[str], rel: str) -> tuple[list[Candidate], list[Problem]]:
    found: list[Candidate] = []
    problems: list[Problem] = []
    for entry in _scan(Path(folder.path)):
        path = f"{rel}/{entry.name}"
        if entry.is_symlink():
            problems.append(_symlink(path))
        elif not entry.is_file(follow_symlinks=False):
            problems.append(_misplaced(path, top))
        elif top == "councils" and entry.name in _COUNCIL_FILES:
            found.append(Candidate(path, _COUNCIL_FILES[entry.name], folder.name, folder.name))
        elif top == "sessions" and entry.name.endswith(".md") and entry.name != "README.md":
            found.append(Candidate(path, BY_NAME["session"], entry.name[:-3], folder.name))
        elif entry.name != "README.md":
            problems.append(_misplaced(path, top))
    return found, problems


def _scan(folder: Path) -> Iterator[os.DirEntry[str]]:
    with os.scandir(folder) as it:
        entries = [e for e in it if not e.name.startswith(".")]
    return iter(sorted(entries, key=lambda e: e.name))


def _symlink(rel: str) -> Problem:
    return Problem(rel, 0, 0, "E-SYMLINK", "symbolic links are not allowed in the commons",
                   "replace the link with the file itself")


_EXPECTED = {
    "patterns": "patterns/<slug>.md",
    "case-studies": "case-studies/<slug>.md",
    "playbooks": "playbooks/<slug>.md",
    "councils": "councils/<slug>/council.yml and councils/<slug>/declaration.yml",
    "sessions": "sessions/<event>/<slug>.md",
}


def _misplaced(rel: str, top: str) -> Problem:
    return Problem(rel, 0, 0, "E-PATH", f"unexpected file or folder in {top}/",
                   f"this folder holds only {_EXPECTED[top]}")


def candidate_for(root: Path, rel: str) -> Candidate | Problem:
    """The candidate for one path given on the command line (relative to the root)."""
    parts = rel.split("/")
    top = parts[0]
    if top not in CONTENT_FOLDERS or any(p.startswith(".") for p in parts):
        return Problem(rel, 0, 0, "E-PATH", "not in a content folder",
                       "content lives in " + ", ".join(f"{t}/" for t in CONTENT_FOLDERS))
    if any((root / "/".join(parts[: i + 1])).is_symlink() for i in range(len(parts))):
        return _symlink(rel)
    name = parts[-1]
    if top in _TYPE_OF_FOLDER and len(parts) == 2 and name.endswith(".md"):
        return Candidate(rel, _TYPE_OF_FOLDER[top], name[:-3])
    if top == "councils" and len(parts) == 3 and name in _COUNCIL_FILES:
        return Candidate(rel, _COUNCIL_FILES[name], parts[1], parts[1])
    if top == "sessions" and len(parts) == 3 and name.endswith(".md"):
        return Candidate(rel, BY_NAME["session"], name[:-3], parts[1])
    return _misplaced(rel, top)


def read_entry(root: Path, cand: Candidate) -> tuple[RawEntry | None, list[Problem]]:
    """Read and parse one file. Returns no entry when nothing in it can be checked."""
    full = root / cand.path
    try:
        st = full.lstat()
    except OSError as e:
        return None, [Problem(cand.path, 0, 0, "E-PATH", f"cannot be read ({e.strerror})", "")]
    if st.st_size > MAX_FILE_BYTES:  # refused before reading it
        return None, [_too_large(cand.path, st.st_size)]
    return parse_entry(cand, full.read_bytes())


def parse_entry(cand: Candidate, data: bytes) -> tuple[RawEntry | None, list[Problem]]:
    """Parse one file's bytes, wherever they came from (the working tree, or a commit for check-pr)."""
    if len(data) > MAX_FILE_BYTES:
        return None, [_too_large(cand.path, len(data))]
    text, problems = decode(cand.path, data)
    if text is None:
        return None, problems
    if cand.ctype.markdown:
        return _read_markdown(cand, text)
    meta, node, problems = parse_yaml(cand.path, text, line_offset=0)
    return RawEntry(cand.path, cand.ctype, cand.slug, meta, "", 1, node, 0, cand.folder), problems


def _too_large(rel: str, size: int) -> Problem:
    return Problem(rel, 0, 0, "E-TOO-LARGE", f"file is {size // 1024} KB; the limit is {MAX_FILE_BYTES // 1024} KB",
                   "split it, or link to a longer document elsewhere")


def decode(rel: str, data: bytes) -> tuple[str | None, list[Problem]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line, col = position(data[: e.start].decode("utf-8", "replace"), len(data[: e.start].decode("utf-8",
                                                                                                     "replace")))
        return None, [Problem(rel, line, col, "E-ENCODING", f"byte 0x{data[e.start]:02x} is not UTF-8 text",
                              "save the file as UTF-8 (in most editors: Save As, encoding UTF-8)")]
    text = text.replace("\r\n", "\n")
    bad = _CONTROL.search(text)
    if bad:
        line, col = position(text, bad.start())
        return None, [Problem(rel, line, col, "E-ENCODING",
                              f"control character U+{ord(bad.group()):04X} is not allowed",
                              "delete it; it is often left by copying from another program")]
    return text, []


def position(text: str, offset: int) -> Mark:
    """(line, col), both 1-based, of `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _read_markdown(cand: Candidate, text: str) -> tuple[RawEntry | None, list[Problem]]:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, [Problem(cand.path, 1, 1, "E-FRONT-MATTER", "the file does not start with front matter",
                              "start the file with a line ---, the fields, then another line ---")]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return None, [Problem(cand.path, 1, 1, "E-FRONT-MATTER", "the front matter is never closed",
                              "add a line with just --- after the last field")]
    front = "\n".join(lines[1:end]) + "\n"
    meta, node, problems = parse_yaml(cand.path, front, line_offset=1)
    body = "\n".join(lines[end + 1 :])
    return RawEntry(cand.path, cand.ctype, cand.slug, meta, body, end + 2, node, 1, cand.folder), problems


def parse_yaml(rel: str, text: str, line_offset: int) -> tuple[dict[str, Any] | None, Node | None, list[Problem]]:
    """Parse one YAML document into plain values, keeping the composed nodes for locating them.

    Returns `None` for the values when the text cannot be read as a mapping.
    """
    if text.count("[") + text.count("{") + max(map(len, text.split("\n"))) > MAX_UNCHECKED_NESTING:
        # The text could nest deeply enough for libyaml to take minutes, or crash: the composer
        # recurses in C. Events come one at a time, so the check stops at the first level too deep.
        deep = _too_deep(rel, text, line_offset)
        if deep:
            return None, None, [deep]
    if "&" in text or "*" in text:
        # Only an anchor can make the composer share a node, so with none found the tree is a tree.
        problems = _anchors(rel, text, line_offset)
        if problems:
            return None, None, problems
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        return None, None, [_yaml_problem(rel, e, line_offset, text)]
    except (yaml.YAMLError, RecursionError) as e:
        return None, None, [Problem(rel, 1 + line_offset, 1, "E-YAML", f"YAML cannot be read: {_one_line(e)}",
                                    "check the file is plain YAML text")]
    if node is None:
        return {}, None, []
    builder = _Builder(rel, line_offset)
    value = builder.build(node, 0)
    if not isinstance(value, dict):
        line, col = node.start_mark.line + 1 + line_offset, node.start_mark.column + 1
        return None, None, builder.problems + [
            Problem(rel, line, col, "E-TYPE", "expected fields (`name: value` lines), found "
                    + describe(value), "write one `field: value` per line")]
    return value, node, builder.problems


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
    """A value's kind in words, for messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"yes/no ({'true' if value else 'false'})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"text ('{short}')"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return type(value).__name__
