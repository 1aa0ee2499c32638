"""Rewriting council references in any entry: a field holding one code, and lists of codes.

A single code becomes the first successor's. In a list, the old code is replaced by every successor not
already listed, and codes that may not be there any more (a commitment's own council among its partners)
are removed. Each edit is a span of the file's own text, in the list's own style (block or brackets), so
comments and the other items stay as written. A list that cannot be rewritten safely stops the command
(`CommonsError`) with a hint saying how to write it instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from commons.content.field_types import Field
from commons.content.yaml_reader import FieldPath
from commons.content.yamledit import Doc, Edit, child, indentation, key_of, quoted, scalar
from commons.errors import CommonsError


def reference_edits(doc: Doc, old: str, new: list[str], owner: str = "") -> list[Edit]:
    """Edits rewriting every council reference to `old` in an entry (lists to all of `new`, one code to the first).

    `owner` is the council whose file this is: it is dropped from lists (a commitment's partners never include
    its own council).
    """
    entry = doc.entry
    edits: list[Edit] = []
    single: dict[FieldPath, str] = {}
    found = list(council_fields(entry.ctype.fields, entry.node))
    for path, f, node in found:
        if f.kind == "council" and scalar(node) == old:
            s, e = doc.span(node)
            edits.append(Edit(s, e, quoted(new[0], node), f"{_dotted(path, entry.node)}: {old} -> {new[0]}"))
            single[path] = new[0]
    for path, f, node in found:
        if f.kind != "list":
            continue
        parent = child(entry.node, path[0]) if len(path) > 1 else entry.node
        for step in path[1:-1]:
            parent = child(parent, step)
        # A commitment's partners never include its own council, nor a case study's the council that did the work.
        sibling = single.get((*path[:-1], "council")) or scalar(child(parent, "council"))
        drop = {owner} if owner else set()
        codes = [c for c in new if c != sibling]
        edits += rewrite_codes(doc, key_of(parent, str(path[-1])), node, old, codes, drop,
                               _dotted(path, entry.node))
    return edits


def council_fields(fields: tuple[Field, ...], node: Node | None, path: FieldPath = ()
                   ) -> Iterator[tuple[FieldPath, Field, Node]]:
    """Every field of kind council (one code) and every list of them in an entry, with its YAML node."""
    if not isinstance(node, MappingNode):
        return
    for f in fields:
        value = child(node, f.name)
        if value is None:
            continue
        here = (*path, f.name)
        if f.kind == "council" or (f.kind == "list" and f.item is not None and f.item.kind == "council"):
            yield here, f, value
        elif f.kind == "object":
            yield from council_fields(f.fields, value, here)
        elif f.kind == "list" and f.item is not None and f.item.kind == "object" and isinstance(value, SequenceNode):
            for i, item in enumerate(value.value):
                yield from council_fields(f.item.fields, item, (*here, i))


def rewrite_codes(doc: Doc, key: ScalarNode | None, seq: Node, old: str, new: list[str],
                  drop: frozenset[str] | set[str] = frozenset(), label: str = "") -> list[Edit]:
    """Edits replacing `old` in a list of codes by the `new` codes not already listed, and removing `drop`.

    `key` is the list's field name (an emptied block list becomes `key: []`); `label` names the field in the
    note. No edits when the list has neither `old` nor any of `drop`.
    """
    if not isinstance(seq, SequenceNode):
        return []
    codes = [n for n in seq.value if isinstance(n, ScalarNode)]
    values = [n.value for n in codes]
    if old not in values and not (drop & set(values)):
        return []
    present = {v for v in values if v != old}
    additions = [c for c in dict.fromkeys(new) if c not in present and c not in drop]
    result: list[list[str]] = []
    for n in codes:
        if n.value == old:
            result.append(additions)
        elif n.value in drop:
            result.append([])
        else:
            result.append([n.value])
    after = [c for r in result for c in r]
    note = f"{label}: {', '.join(values)} -> {', '.join(after) or 'none'}"
    changed = [(n, r) for n, r in zip(codes, result, strict=True) if r != [n.value]]
    if seq.flow_style:
        return _rewrite_flow(doc, seq, codes, result, changed, note)
    return _rewrite_block(doc, key, changed, note, empty=not after)


def _rewrite_flow(doc: Doc, seq: SequenceNode, codes: list[ScalarNode], result: list[list[str]],
                  changed: list[tuple[ScalarNode, list[str]]], note: str) -> list[Edit]:
    """A list in brackets: one code replaced or removed in place if that is all, else the brackets rewritten."""
    start, end = doc.span(seq)
    if len(changed) == 1 and changed[0][1]:
        node, new = changed[0]
        s, e = doc.span(node)
        return [Edit(s, e, ", ".join(quoted(c, node) for c in new), note)]
    if len(changed) == 1 and len(codes) > 1:  # one removed: with the separator after it, or before the last
        i = codes.index(changed[0][0])
        s, e = doc.span(codes[i])
        if i + 1 < len(codes):
            e = doc.span(codes[i + 1])[0]
        else:
            s = doc.span(codes[i - 1])[1]
        if "\n" not in doc.raw[s:e] and "#" not in doc.raw[s:e]:
            return [Edit(s, e, "", note)]
    if "#" in doc.raw[start:end]:
        raise CommonsError(f"{doc.path}:{doc.line(seq)}: the list has comments inside its brackets, so it "
                           "cannot be rewritten safely", "write it as a block list (one '- CODE' a line) "
                           "and run the command again")
    texts = [doc.source(n) if r == [n.value] else quoted(c, n) for n, r in zip(codes, result, strict=True)
             for c in r]
    return [Edit(start, end, "[" + ", ".join(texts) + "]", note)]


def _rewrite_block(doc: Doc, key: ScalarNode | None, changed: list[tuple[ScalarNode, list[str]]], note: str,
                   empty: bool) -> list[Edit]:
    """A block list: each changed '- CODE' line rewritten, extra codes on lines of their own, removed ones gone."""
    edits: list[Edit] = []
    for node, new in changed:
        line = doc.line(node)
        text = doc.text(line)
        prefix, suffix = text[: node.start_mark.column], text[node.end_mark.column:]
        if doc.line(node, end=True) != line or not re.fullmatch(r"\s*-\s+", prefix) or \
                not re.fullmatch(r"\s*(#.*)?", suffix):
            raise CommonsError(f"{doc.path}:{line}: '{node.value}' is not alone on its line, so it cannot be "
                               "rewritten safely", "put each code on its own '- CODE' line and run the "
                               "command again")
        s, e = doc.span(node)
        if new:
            edits.append(Edit(s, e, quoted(new[0], node), note if not edits else ""))
            extra = "".join(f"\n{prefix}{quoted(c, node)}" for c in new[1:])
            if extra:
                edits.append(Edit(doc.eol(line), doc.eol(line), extra))
        else:
            # The item's line goes (from the end of the line before, so lines can still be added after it);
            # a comment on it stays, where the item was.
            comment = suffix.strip()
            kept = "\n" + " " * indentation(prefix) + comment if comment else ""
            edits.append(Edit(doc.eol(line - 1), doc.eol(line), kept, note if not edits else ""))
    if empty and key is not None:
        at = doc.span(key)[1]
        colon = doc.raw.index(":", at) + 1
        edits.append(Edit(colon, colon, " []"))
    return edits


def _dotted(path: FieldPath, node: Node | None = None) -> str:
    """A field's place in words: `partners`, `outcomes[2].council`, or `open-repairs-data partners` for a commitment."""
    if len(path) > 2 and path[0] == "commitments" and isinstance(path[1], int):
        cid = scalar(child(child(child(node, "commitments"), path[1]), "id"))
        if cid:
            return f"{cid} {_dotted(path[2:])}"
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out
