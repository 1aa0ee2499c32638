"""The open data's JSON text, written item by item (commons.site.json_text), is json.dumps' own, byte for byte."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commons.site import json_text

HEAD = {"version": 1, "generated": "2026-12-02", "license": "OGL-UK-3.0", "count": 0}
# Values the open data holds: text of any kind (quotes, line breaks, U+2028, NUL, emoji), numbers, lists, maps.
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
ITEMS = st.lists(st.dictionaries(st.text(max_size=8), VALUES, max_size=5), max_size=6)


def expected(items: list[Any]) -> str:
    return json.dumps({**HEAD, "items": items}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@pytest.fixture
def remembering() -> Any:
    json_text.remember()
    yield
    json_text._kept = None  # as a full build runs: nothing kept
    json_text._used.clear()


@settings(max_examples=150, deadline=None)
@given(ITEMS)
def test_a_document_is_json_dumps_of_the_whole(items: list[Any]) -> None:
    assert json_text.document(HEAD, items) == expected(items)


@settings(max_examples=100, deadline=None)
@given(ITEMS, ITEMS)
def test_what_serve_keeps_gives_the_same_text_after_items_change(first: list[Any], second: list[Any]) -> None:
    json_text.remember()
    try:
        assert json_text.document(HEAD, first) == expected(first)
        json_text.forget_unused()
        changed = second + first[:2]
        assert json_text.document(HEAD, changed) == expected(changed)
        json_text.forget_unused()
        assert set(json_text._kept or {}) == {json.dumps(i, ensure_ascii=False, sort_keys=True) for i in changed}
    finally:
        json_text._kept = None
        json_text._used.clear()


def test_an_item_that_changes_is_written_again(remembering: None) -> None:
    item = {"title": "Report a missed bin", "councils": ["HCK"]}
    json_text.document(HEAD, [item])
    item["councils"].append("SHF")  # the same object, changed: its compact text is its key, so it is not stale
    assert json_text.document(HEAD, [item]) == expected([item])


def test_a_head_with_items_is_refused() -> None:
    with pytest.raises(ValueError):
        json_text.document({**HEAD, "items": []}, [])
