"""The open data's JSON text: `json.dumps(doc, indent=2, sort_keys=True)`, item by item, with what serve keeps.

Python's JSON encoder is written in C only for compact output; with `indent` it is the pure-Python one, and a
5,000-entry commons' exports took most of a `commons serve` rebuild to write again. So `document` writes the
envelope itself and each item with the indenting encoder, and, once `remember()` has been called (serve does,
for its session), keeps each item's indented text under the item's compact text (which the C encoder writes
quickly), so a rebuild indents again only the items that changed. The text is the same, byte for byte, as
`json.dumps` of the whole document gives (tests/test_exports.py), and a full build, which never remembers,
does exactly what it did before.
"""

from __future__ import annotations

import json
from typing import Any

_kept: dict[str, str] | None = None  # compact text -> indented text, while serve runs
_used: set[str] = set()


def remember() -> None:
    """Keep each item's indented text between documents and builds (commons serve)."""
    global _kept
    if _kept is None:
        _kept = {}


def forget_unused() -> None:
    """Drop what the last set of documents did not use, so what is kept stays the size of the open data."""
    if _kept is not None:
        for key in set(_kept) - _used:
            del _kept[key]
    _used.clear()


def _indented(item: Any) -> str:
    """The item as json.dumps indents it, two levels in. Only "\n" breaks a line of JSON text: the others
    (U+0085, U+2028…) are written as they are inside strings, which textwrap would break at."""
    return "    " + json.dumps(item, ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n    ")


def _item(item: Any) -> str:
    if _kept is None:
        return _indented(item)
    key = json.dumps(item, ensure_ascii=False, sort_keys=True)
    _used.add(key)
    text = _kept.get(key)
    if text is None:
        text = _kept[key] = _indented(item)
    return text


def document(head: dict[str, Any], items: list[Any]) -> str:
    """json.dumps({**head, "items": items}, ensure_ascii=False, indent=2, sort_keys=True), plus a newline."""
    placeholder = "\x00items\x00"  # no key of ours; replaced by the items' own text
    if "items" in head:
        raise ValueError("the head of a document has no items")
    text = json.dumps({**head, "items": placeholder}, ensure_ascii=False, indent=2, sort_keys=True)
    body = "[\n" + ",\n".join(_item(i) for i in items) + "\n  ]" if items else "[]"
    before, found, after = text.partition(json.dumps(placeholder))
    if not found:
        raise AssertionError("the placeholder was not written")
    return before + body + after + "\n"
