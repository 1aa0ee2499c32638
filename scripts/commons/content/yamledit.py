"""Editing a YAML file's own text at the places the loader located: comments, quoting and other lines stay.

Contributed files are never re-dumped: an `Edit` replaces one span of the text as written (line endings
included), found from the YAML nodes that `load` composed. Helpers here find nodes, the lines a block list's
items take, and add items to a list in the style the file already uses.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from commons.content import schema_line
from commons.content.load import RawEntry

_PLAIN = re.compile(r"[A-Za-z0-9][^:#\"'\n\[\]{},]*")
BOM = "\ufeff"


@dataclass
class Doc:
    """One file as written: decoded text with its own line endings, and the YAML the loader composed from it."""

    path: str
    raw: str  # without a byte-order mark; lines end as they do in the file
    entry: RawEntry
    bom: bool = False
    lines: list[str] = field(init=False)
    starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = self.raw.split("\n")
        self.starts = []
        offset = 0
        for line in self.lines:
            self.starts.append(offset)
            offset += len(line) + 1

    @property
    def nl(self) -> str:
        return "\r\n" if self.lines[0].endswith("\r") else "\n"

    def text(self, line: int) -> str:
        """Line `line` (1-based) without its line ending."""
        return self.lines[line - 1].removesuffix("\r")

    def eol(self, line: int) -> int:
        """The offset just after line `line`'s text, before its line ending."""
        return self.starts[line - 1] + len(self.text(line))

    def line(self, node: Node, end: bool = False) -> int:
        mark = node.end_mark if end else node.start_mark
        return mark.line + 1 + self.entry.line_offset

    def span(self, node: Node) -> tuple[int, int]:
        start, end = node.start_mark, node.end_mark
        off = self.entry.line_offset
        return (self.starts[start.line + off] + start.column, self.starts[end.line + off] + end.column)

    def source(self, node: Node) -> str:
        start, end = self.span(node)
        return self.raw[start:end]

    def written(self, text: str) -> str:
        """`text` (this file's content, edited) as it goes back to disk: with the byte-order mark it had."""
        return (BOM if self.bom else "") + text


def read_doc(root: Path, path: str, entry: RawEntry) -> Doc:
    """The file at `path` (relative to `root`) as written, with the entry the loader read from it.

    The text must be UTF-8 (the loader has refused it otherwise); a byte-order mark is set aside in `bom`.
    """
    raw = (root / path).read_bytes().decode("utf-8")
    bom = raw.startswith(BOM)
    return Doc(path, raw[1:] if bom else raw, entry, bom)


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str  # new lines written "\n"; they get the file's own line ending
    note: str = ""  # what changed, for the output; empty for an edit that is part of another's note
    lines: int = 0  # how many lines the note covers, for "lines 12-14"


def apply_edits(doc: Doc, edits: list[Edit]) -> tuple[str, list[str]]:
    """The file's text with the edits made, and each note with the line it is on in the new text."""
    out: list[str] = []
    notes: list[tuple[int, str]] = []
    cursor = 0
    line = 1
    for e in sorted(edits, key=lambda e: e.start):
        if e.start < cursor:  # the caller's bug: edits to one file never overlap
            raise ValueError(f"{doc.path}: overlapping edits at offset {e.start}")
        before = doc.raw[cursor:e.start]
        out.append(before)
        line += before.count("\n")
        text = e.text.replace("\n", doc.nl) if doc.nl != "\n" else e.text
        if e.note:
            # An edit from the end of a line (adding lines after it, or taking the next away) is about the next.
            first = line + (1 if doc.raw[e.start : e.start + 1] in ("\r", "\n") else 0)
            if e.lines > 1:
                notes.append((first, f"lines {first}-{first + e.lines - 1}: {e.note}"))
            else:
                notes.append((first, f"line {first}: {e.note}"))
        out.append(text)
        line += text.count("\n")
        cursor = e.end
    out.append(doc.raw[cursor:])
    return "".join(out), [n for _, n in sorted(notes, key=lambda n: n[0])]


def schema_line_edits(doc: Doc, rel: str) -> list[Edit]:
    """The edit that makes the file's schema line right for `rel`, its own place or where it is moving to
    (commons.content.schema_line): the wrong line replaced, or a missing one added first; none when right."""
    want = schema_line.schema_line(rel)
    at = schema_line.find(doc.entry.head)
    first = 1 + doc.entry.line_offset  # the YAML's first line in the file
    if at is None:
        start = doc.starts[first - 1]
        return [Edit(start, start, want + "\n", "schema line for editors added")]
    line = first + at
    if schema_line.names_its_schema(doc.text(line), rel):
        return []
    return [Edit(doc.starts[line - 1], doc.eol(line), want, f"schema line -> {schema_line.target(want)}")]


# Finding nodes


def child(node: Node | None, step: str | int) -> Node | None:
    """A mapping's value for a field name, or a sequence's item; the first of repeated keys, as the loader keeps."""
    if isinstance(node, MappingNode) and isinstance(step, str):
        return next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == step), None)
    if isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return node.value[step]
    return None


def key_of(node: Node | None, name: str) -> ScalarNode | None:
    """The node of a field's name (where `name:` is written)."""
    if isinstance(node, MappingNode):
        return next((k for k, _ in node.value if isinstance(k, ScalarNode) and k.value == name), None)
    return None


def items(node: Node | None) -> list[Node]:
    """A sequence's items; none for anything else."""
    return list(node.value) if isinstance(node, SequenceNode) else []


def scalar(node: Node | None) -> str | None:
    """A text value; None for anything else (a date, a number, a list)."""
    return node.value if isinstance(node, ScalarNode) and node.tag.endswith(":str") else None


def last_line(doc: Doc, node: Node) -> int:
    """The last line holding part of `node` (a block collection's end mark is where the next one starts)."""
    while isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
        node = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
    line = doc.line(node, end=True)
    if node.end_mark.column == 0 and line > doc.line(node):
        line -= 1
    while line > doc.line(node) and not doc.text(line).strip():
        line -= 1
    return line


def indentation(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def dash_column(doc: Doc, item: Node) -> int:
    """Where the '- ' of a block sequence item is (0-based)."""
    line = doc.text(doc.line(item))
    before = line[: item.start_mark.column].rstrip()
    return len(before) - 1 if before.endswith("-") else indentation(line)


def item_end(doc: Doc, seq: SequenceNode) -> int:
    """The last line of a block sequence's last item, with the comments indented under it."""
    last = seq.value[-1]
    line = last_line(doc, last)
    dash = dash_column(doc, last)
    while line < len(doc.lines) and doc.text(line + 1).lstrip().startswith("#") and \
            indentation(doc.text(line + 1)) > dash:
        line += 1
    return line


def quoted(code: str, like: Node) -> str:
    style = like.style if isinstance(like, ScalarNode) else None
    return f"{style}{code}{style}" if style in ("'", '"') else code


def flow_scalar(text: str) -> str:
    return text if _PLAIN.fullmatch(text) and not text.endswith(" ") else json.dumps(text, ensure_ascii=False)


def block_scalar(text: str) -> str:
    plain = _PLAIN.fullmatch(text.replace(",", "").replace("[", "").replace("]", ""))
    return text if plain and ": " not in text and " #" not in text else json.dumps(text, ensure_ascii=False)


# Appending to a list


def append_to_list(doc: Doc, mapping: Node | None, key: str, rows: list[list[str]], flow: list[str], note: str,
                   indent: int | None = None) -> list[Edit]:
    """Edits adding items at the end of the list field `key` of `mapping`, in the style the list is written.

    `rows` are the block form of each item, its lines relative to its '- '; `flow` the same items for a list
    written in brackets. A missing field is added at the end of the file, so `mapping` is then the top level.
    """
    seq = child(mapping, key)
    count = sum(len(i) for i in rows)
    if isinstance(seq, SequenceNode) and seq.flow_style and seq.value:
        at = doc.span(seq.value[-1])[1]
        return [Edit(at, at, "".join(", " + f for f in flow), note)]
    if isinstance(seq, SequenceNode) and not seq.flow_style and seq.value:
        dash = " " * dash_column(doc, seq.value[-1])
        line = item_end(doc, seq)
        text = "".join(f"\n{dash}{row}" if row else "\n" for item in rows for row in item)
        return [Edit(doc.eol(line), doc.eol(line), text, note, count)]
    pad = " " * (indent if indent is not None else list_indent(doc))
    block = "".join(f"\n{pad}{row}" if row else "\n" for item in rows for row in item)
    keynode = key_of(mapping, key)
    if keynode is not None and isinstance(seq, SequenceNode | ScalarNode):
        # An empty list (`key: []`) or an empty value (`key:`): the items go under the key.
        line = doc.line(keynode)
        edits = [Edit(doc.eol(line), doc.eol(line), block, note, count)]
        if isinstance(seq, SequenceNode):
            edits.insert(0, Edit(*doc.span(seq), ""))
        return edits
    at = len(doc.raw.rstrip("\r\n")) if doc.raw.strip() else 0
    ending = doc.raw[at:]
    start = f"\n{key}:" if at else f"{key}:"
    return [Edit(at, at, start + block + ("\n" if not ending else ""), note, count + 1)]


def list_indent(doc: Doc) -> int:
    """How far this file indents a list's '- ' under its key (as `commons new` does: the first list's)."""
    for line in doc.lines:
        stripped = line.lstrip(" ")
        if stripped.startswith("- "):
            return len(line) - len(stripped)
    return 2


def region(doc: Doc, first: int, last: int, indent_from: int, indent_to: int) -> list[str]:
    """Lines `first`..`last` of the file, moved from one indentation to another."""
    out = []
    for n in range(first, last + 1):
        line = doc.text(n)
        if not line.strip():
            out.append("")
        elif indent_to >= indent_from:
            out.append(" " * (indent_to - indent_from) + line)
        else:
            out.append(line[min(indent_from - indent_to, indentation(line)):])
    return out


def item_rows(doc: Doc, seq: Node, item: Node) -> list[str]:
    """A block sequence item's own lines, relative to its '- '."""
    if not isinstance(seq, SequenceNode) or seq.flow_style:
        return [f"- {flow_mapping(doc, item)}"]
    return region(doc, doc.line(item), last_line(doc, item), dash_column(doc, item), 0)


def flow_mapping(doc: Doc, item: Node) -> str:
    """An item as one `{field: value, ...}`, for adding it to a list written in brackets."""
    if isinstance(item, MappingNode) and not item.flow_style:
        return "{" + ", ".join(f"{k.value}: {flow_scalar(str(v.value))}" for k, v in item.value
                               if isinstance(k, ScalarNode) and isinstance(v, ScalarNode)) + "}"
    return doc.source(item)
