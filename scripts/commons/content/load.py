"""Reading contributed files safely: files on disk → raw entries with line marks.

Contributed content is untrusted. Nothing here follows a symlink, reads an
oversized file, accepts bytes that are not UTF-8, or lets YAML anchors expand;
each refusal is a located Problem. Front matter and YAML files are read by
`yaml_reader.parse_yaml`, which records where every key and value sits in the
file so later stages can point at the line.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from commons.content.field_types import ContentType
from commons.content.lookalike_messages import explain
from commons.content.lookalikes import dash_line
from commons.content.problems import Problem
from commons.content.schema import BY_NAME, CONTENT_FOLDERS, MAX_FILE_BYTES
from commons.content.yaml_reader import CONTROL, FieldPath, Mark, parse_yaml, position


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
    head: tuple[str, ...] = ()  # the YAML's lines before its first field (comments, blanks): the schema line's place
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
_COUNCIL_FILES = {"council.yml": BY_NAME["council"], "declaration.yml": BY_NAME["commitment"],
                  "contracts.yml": BY_NAME["contract"]}


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
    "councils": "councils/<slug>/council.yml, declaration.yml and contracts.yml",
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
    ctype = content_type_of(rel)
    if ctype is None:
        return _misplaced(rel, top)
    folder = parts[1] if len(parts) == 3 else ""  # a council's or an event's folder
    return Candidate(rel, ctype, folder if top == "councils" else parts[-1][:-3], folder)


def content_type_of(rel: str) -> ContentType | None:
    """The content type of a file at `rel` (relative to the root), from its place alone (nothing is read):
    None for a place that holds no content file."""
    parts = rel.split("/")
    top, name = parts[0], parts[-1]
    if top in _TYPE_OF_FOLDER and len(parts) == 2 and name.endswith(".md"):
        return _TYPE_OF_FOLDER[top]
    if top == "councils" and len(parts) == 3:
        return _COUNCIL_FILES.get(name)
    if top == "sessions" and len(parts) == 3 and name.endswith(".md"):
        return BY_NAME["session"]
    return None


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
    return RawEntry(cand.path, cand.ctype, cand.slug, meta, "", 1, node, 0, cand.folder, _head(_lines(text))), \
        problems


def _too_large(rel: str, size: int) -> Problem:
    return Problem(rel, 0, 0, "E-TOO-LARGE", f"file is {size // 1024} KB; the limit is {MAX_FILE_BYTES // 1024} KB",
                   "split it, or link to a longer document elsewhere")


_CONTROL_BYTES = bytes(b for b in range(0x80) if CONTROL.fullmatch(chr(b)))


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
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    # The bytes say quickly whether there is anything to look for (in UTF-8 a control character is its own
    # byte); the search finds where.
    bad = CONTROL.search(text) if len(data.translate(None, _CONTROL_BYTES)) != len(data) or (
        not data.isascii() and ("\ufffe" in text or "\uffff" in text)) else None
    if bad:
        line, col = position(text, bad.start())
        return None, [Problem(rel, line, col, "E-ENCODING",
                              f"control character U+{ord(bad.group()):04X} is not allowed",
                              "delete it; it is often left by copying from another program")]
    return text, []


def _read_markdown(cand: Candidate, text: str) -> tuple[RawEntry | None, list[Problem]]:
    lines = text.split("\n")
    dashes: list[Problem] = []  # a --- line typed with look-alike dashes, read as the --- it was meant to be
    if lines and lines[0].rstrip() != "---" and _dash_line(cand.path, lines[0], 1, dashes):
        lines[0] = "---"
    if not lines or lines[0].rstrip() != "---":
        return None, [Problem(cand.path, 1, 1, "E-FRONT-MATTER", "the file does not start with front matter",
                              "start the file with a line ---, the fields, then another line ---")]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")
                or _dash_line(cand.path, lines[i], i + 1, dashes)), None)
    if end is None:
        return None, [Problem(cand.path, 1, 1, "E-FRONT-MATTER", "the front matter is never closed",
                              "add a line with just --- after the last field")]
    front = "\n".join(lines[1:end]) + "\n"
    meta, node, problems = parse_yaml(cand.path, front, line_offset=1)
    problems = dashes + problems
    body = "\n".join(lines[end + 1 :])
    return RawEntry(cand.path, cand.ctype, cand.slug, meta, body, end + 2, node, 1, cand.folder,
                    _head(lines[1:end])), problems


def _dash_line(rel: str, line: str, number: int, problems: list[Problem]) -> bool:
    found = dash_line(line)
    if found is not None:
        message, hint = explain(line, found)
        problems.append(Problem(rel, number, found.index + 1, "E-CHARACTER", message, hint))
    return found is not None


def _lines(text: str) -> Iterator[str]:
    """The lines of `text`, one at a time (without their line breaks), so a caller can stop early."""
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def _head(lines: Iterable[str]) -> tuple[str, ...]:
    """The lines before the first that is neither blank nor a comment. Nothing there can be a value, so a
    `# yaml-language-server` comment among them is the file's schema line (commons.content.schema_line)."""
    head = []
    for line in lines:
        text = line.strip()
        if text and not text.startswith("#"):
            break
        head.append(line)
    return tuple(head)
