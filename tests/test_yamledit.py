"""content/yamledit.py: edits made to a YAML file's own text, so every byte not edited stays as written.

Each test writes a real file, reads it as the loader does, makes edits at the nodes the loader located, and
compares the whole file before and after, comments, quoting, line endings and byte-order mark included.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from commons.content.load import Candidate, candidate_for, read_entry
from commons.content.yamledit import (
    Doc,
    Edit,
    append_to_list,
    apply_edits,
    block_scalar,
    child,
    flow_scalar,
    item_rows,
    quoted,
    read_doc,
)

BOM = b"\xef\xbb\xbf"

COUNCIL = """\
# Hackney's profile.
code: "HCK"   # the register's code
maintainers:
  - hackney-digital
    # the web team; ask them first
website: https://hackney.gov.uk
adopted: [{pattern: report-a-missed-bin, since: 2024-06-01}]
"""

PATTERN_FRONT = """\
---
title: Report a missed bin
councils: [HCK]  # who runs it
---

## Problem

A bin was missed: HCK.
"""


def read(root: Path, rel: str, text: str, newline: str = "\n", bom: bool = False) -> Doc:
    """Write `text` to `rel` (with these line endings and mark) and read it back as the reorganiser does."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((BOM if bom else b"") + text.replace("\n", newline).encode("utf-8"))
    cand = candidate_for(root, rel)
    assert isinstance(cand, Candidate)
    entry, problems = read_entry(root, cand)
    assert entry is not None and entry.node is not None, problems
    return read_doc(root, rel, entry)


def edited(doc: Doc, edits: list[Edit]) -> tuple[bytes, list[str]]:
    """The file's bytes after the edits, as they would be written, and the notes."""
    text, notes = apply_edits(doc, edits)
    return doc.written(text).encode("utf-8"), notes


def test_a_value_is_replaced_in_place_keeping_its_quotes_and_comment(tmp_path: Path) -> None:
    doc = read(tmp_path, "councils/hackney/council.yml", COUNCIL)
    code = child(doc.entry.node, "code")
    assert code is not None and doc.source(code) == '"HCK"'
    out, notes = edited(doc, [Edit(*doc.span(code), quoted("SMT", code), "code: HCK -> SMT")])
    assert out == COUNCIL.replace('code: "HCK"', 'code: "SMT"').encode()
    assert notes == ["line 2: code: HCK -> SMT"]


def test_adding_to_a_block_list_goes_after_the_comments_under_its_last_item(tmp_path: Path) -> None:
    doc = read(tmp_path, "councils/hackney/council.yml", COUNCIL)
    edits = append_to_list(doc, doc.entry.node, "maintainers", [["- tdbc-digital"]], ["tdbc-digital"],
                           "maintainers: tdbc-digital")
    out, notes = edited(doc, edits)
    assert out.decode() == COUNCIL.replace("    # the web team; ask them first\n",
                                           "    # the web team; ask them first\n  - tdbc-digital\n")
    assert notes == ["line 6: maintainers: tdbc-digital"]


def test_adding_to_a_list_in_brackets_stays_in_brackets(tmp_path: Path) -> None:
    doc = read(tmp_path, "councils/hackney/council.yml", COUNCIL)
    rows = [["- pattern: book-a-bulky-waste-collection", "  since: 2025-01-01"]]
    edits = append_to_list(doc, doc.entry.node, "adopted", rows,
                           ["{pattern: book-a-bulky-waste-collection, since: 2025-01-01}"], "adopted")
    out, _ = edited(doc, edits)
    assert out.decode() == COUNCIL.replace(
        "since: 2024-06-01}]", "since: 2024-06-01}, {pattern: book-a-bulky-waste-collection, since: 2025-01-01}]")


def test_an_empty_list_gets_its_items_under_the_key_and_a_missing_one_goes_at_the_end(tmp_path: Path) -> None:
    text = "code: HCK\nmaintainers: []   # none yet\nwebsite: https://hackney.gov.uk\n"
    doc = read(tmp_path, "councils/hackney/council.yml", text)
    edits = append_to_list(doc, doc.entry.node, "maintainers", [["- hackney-digital"]], ["hackney-digital"], "m")
    edits += append_to_list(doc, doc.entry.node, "former",
                            [["- code: XYZ", "  slug: xyz", "  until: 2010-03-31"]], [], "former")
    out, notes = edited(doc, edits)
    # The brackets go; the spaces before the comment stay as they were.
    assert out.decode() == ("code: HCK\nmaintainers:    # none yet\n  - hackney-digital\n"
                            "website: https://hackney.gov.uk\n"
                            "former:\n  - code: XYZ\n    slug: xyz\n    until: 2010-03-31\n")
    assert notes == ["line 3: m", "lines 5-8: former"]


def test_crlf_files_keep_crlf_in_every_line_an_edit_adds(tmp_path: Path) -> None:
    doc = read(tmp_path, "councils/hackney/council.yml", COUNCIL, newline="\r\n")
    assert doc.nl == "\r\n"
    code = child(doc.entry.node, "code")
    assert code is not None
    edits = [Edit(*doc.span(code), quoted("SMT", code), "code")]
    edits += append_to_list(doc, doc.entry.node, "maintainers", [["- a"], ["- b"]], ["a", "b"], "maintainers")
    out, _ = edited(doc, edits)
    comment = "    # the web team; ask them first\n"
    assert out == (COUNCIL.replace('"HCK"', '"SMT"').replace(comment, f"{comment}  - a\n  - b\n")
                   .replace("\n", "\r\n").encode())


def test_a_byte_order_mark_is_set_aside_and_written_back(tmp_path: Path) -> None:
    doc = read(tmp_path, "patterns/report-a-missed-bin.md", PATTERN_FRONT, newline="\r\n", bom=True)
    assert doc.bom and not doc.raw.startswith("\ufeff")
    councils = child(doc.entry.node, "councils")
    assert councils is not None
    hck = child(councils, 0)
    assert hck is not None and doc.line(hck) == 3  # the front matter's lines counted from the file's first
    out, notes = edited(doc, [Edit(*doc.span(hck), "SMT", "councils: HCK -> SMT")])
    # Only the code in the front matter changes; the body's HCK is prose, and stays.
    assert out == BOM + PATTERN_FRONT.replace("[HCK]", "[SMT]").replace("\n", "\r\n").encode()
    assert notes == ["line 3: councils: HCK -> SMT"]
    assert edited(doc, [])[0] == (tmp_path / "patterns" / "report-a-missed-bin.md").read_bytes()


def test_a_block_item_is_copied_with_its_own_lines_and_comments(tmp_path: Path) -> None:
    text = ("code: HCK\nadopted:\n    - pattern: report-a-missed-bin\n      since: 2024-06-01   # first\n"
            "      evidence: https://hackney.gov.uk/bins\n")
    doc = read(tmp_path, "councils/hackney/council.yml", text)
    adopted = child(doc.entry.node, "adopted")
    item = child(adopted, 0)
    assert adopted is not None and item is not None
    assert item_rows(doc, adopted, item) == ["- pattern: report-a-missed-bin", "  since: 2024-06-01   # first",
                                             "  evidence: https://hackney.gov.uk/bins"]


def test_overlapping_edits_are_a_bug_not_a_file(tmp_path: Path) -> None:
    doc = read(tmp_path, "councils/hackney/council.yml", COUNCIL)
    with pytest.raises(ValueError, match="overlapping edits"):
        apply_edits(doc, [Edit(0, 10, "x"), Edit(5, 12, "y")])


@pytest.mark.parametrize(("text", "flow", "block"), [
    ("Started.", "Started.", "Started."),
    ("Moved from A, where its id was b, when ...", '"Moved from A, where its id was b, when ..."',
     "Moved from A, where its id was b, when ..."),
    ("a: b", '"a: b"', '"a: b"'),
    ("see #3", '"see #3"', '"see #3"'),
])
def test_new_values_are_quoted_only_when_yaml_needs_it(text: str, flow: str, block: str) -> None:
    assert (flow_scalar(text), block_scalar(text)) == (flow, block)
