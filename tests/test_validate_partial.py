"""A partial run (`commons validate FILE`, check-pr) reads the other patterns' facts the quick way; it must
agree with the full reader on every way of writing them, and fall back to it for anything unusual."""

from __future__ import annotations

from pathlib import Path

import pytest

from commons.content.load import candidate_for, read_entry
from commons.content.validate import Facts, facts_of, other_pattern_facts

REPO = Path(__file__).resolve().parents[1]

FRONT = "---\ntitle: A pattern\n{fields}\nstatus: live\n---\n\n## Problem\n\nText.\n"

VARIANTS = {
    "plain": "id: 7\naliases: [old-name, older-name]",
    "block list": "id: 7\naliases:\n  - old-name\n  - older-name  # renamed in 2025",
    "comment after id": "id: 7  # the seventh\naliases: []",
    "no aliases": "id: 7",
    "empty aliases": "id: 7\naliases: []",
    "empty alias between commas": "id: 7\naliases: [old-name, , older-name]",
    "no id": "aliases: [old-name]",
    "own slug as alias": "id: 7\naliases: [a-pattern, old-name]",
    "quoted alias": "id: 7\naliases: ['old-name']",
    "quoted id": "id: '7'\naliases: [old-name]",
    "leading zero id": "id: 010\naliases: [old-name]",
    "anchor": "id: &n 7\naliases: [old-name]",
    "duplicate id lines": "id: 7\nid: 8",
    "flow list over lines": "id: 7\naliases: [old-name,\n  older-name]",
    "not yaml": "id: 7\naliases: [old-name",
    "CRLF": "id: 7\r\naliases: [old-name]",
    "lone carriage return": "id: 7\raliases: [old-name]",
}


def comparable(f: Facts) -> tuple[object, ...]:
    """What other entries are checked against (positions are only needed for files being reported on)."""
    return (f.path, f.kind, f.slug, f.pattern_id.value if f.pattern_id else None,
            tuple(a.value for a in f.aliases))


def full_facts(root: Path, rel: str) -> Facts:
    cand = candidate_for(root, rel)
    assert not isinstance(cand, Exception) and hasattr(cand, "ctype"), cand
    entry, _ = read_entry(root, cand)  # type: ignore[arg-type]
    return facts_of(entry, []) if entry is not None else Facts(rel, "pattern", "a-pattern")


@pytest.mark.parametrize("name", list(VARIANTS))
def test_the_quick_reader_agrees_with_the_full_one(tmp_path: Path, name: str) -> None:
    (tmp_path / "patterns").mkdir()
    rel = "patterns/a-pattern.md"
    text = FRONT.format(fields=VARIANTS[name])
    (tmp_path / rel).write_bytes(text.replace("\n", "\r\n").encode() if name == "CRLF" else text.encode())
    cand = candidate_for(tmp_path, rel)
    assert comparable(other_pattern_facts(tmp_path, cand)) == comparable(full_facts(tmp_path, rel))  # type: ignore[arg-type]


def test_every_starter_pattern_reads_the_same_both_ways() -> None:
    patterns = sorted((REPO / "patterns").glob("*.md"))
    assert len(patterns) >= 20
    for path in patterns:
        rel = path.relative_to(REPO).as_posix()
        cand = candidate_for(REPO, rel)
        assert comparable(other_pattern_facts(REPO, cand)) == comparable(full_facts(REPO, rel)), rel  # type: ignore[arg-type]


def test_a_new_pattern_named_after_another_patterns_alias_is_blamed(repo: Path) -> None:
    from commons.content.validate import validate_repository

    text = (repo / "patterns" / "report-a-missed-bin.md").read_text(encoding="utf-8")
    (repo / "patterns" / "missed-bin-report.md").write_text(
        text.replace("id: 1", "id: 2").replace("aliases: [missed-bin-report]", "aliases: []"), encoding="utf-8")
    report = validate_repository(repo, ["patterns/missed-bin-report.md"])
    assert [(p.path, p.code, p.message) for p in report.problems] == [
        ("patterns/missed-bin-report.md", "E-DUPLICATE-ID",
         "the name 'missed-bin-report' is already an alias of patterns/report-a-missed-bin.md")]
