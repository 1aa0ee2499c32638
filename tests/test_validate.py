"""The validate stage: raw files → problems.

Two contracts of `validate_repository` and the functions behind it: a partial run (`commons validate FILE`,
check-pr) reads the other patterns' facts the quick way, and must agree with the full reader on every way of
writing them, falling back to it for anything unusual; and any bytes in give problems out: the validator never
raises, and every problem it gives is well formed, located in the file, and printable in every format.

What each check reports, exactly, is in the golden cases (tests/golden/, tests/test_golden.py); hostile
content in tests/test_hostile_*.py; the command's output in tests/test_cli.py.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commons.content.field_types import Field
from commons.content.load import candidate_for, read_entry
from commons.content.problems import CODES, format_github, format_json, format_text
from commons.content.schema import BY_NAME, CONTENT_TYPES
from commons.content.validate import Facts, Report, facts_of, other_pattern_facts, validate_repository
from conftest import DECLARATION, PATTERN, REPO, make_repository

# ---------------------------------------------------------------------------------------------------------
# A partial run reads the other patterns' facts the quick way, and agrees with the full reader

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
    text = (repo / "patterns" / "report-a-missed-bin.md").read_text(encoding="utf-8")
    (repo / "patterns" / "missed-bin-report.md").write_text(
        text.replace("id: 1", "id: 2").replace("aliases: [missed-bin-report]", "aliases: []"), encoding="utf-8")
    report = validate_repository(repo, ["patterns/missed-bin-report.md"])
    assert [(p.path, p.code, p.message) for p in report.problems] == [
        ("patterns/missed-bin-report.md", "E-DUPLICATE-ID",
         "the name 'missed-bin-report' is already an alias of patterns/report-a-missed-bin.md")]


# ---------------------------------------------------------------------------------------------------------
# Any bytes in, problems out

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Where a fuzzed file goes, and how its text is wrapped: Markdown entries get front matter.
TARGETS = {
    "pattern": ("patterns/report-a-pothole.md", True),
    "council": ("councils/islington/council.yml", False),
    "declaration": ("councils/hackney/declaration.yml", False),
    "session": ("sessions/ukgovcamp-2026/bins.md", True),
    "case-study": ("case-studies/hackney-bins.md", True),
    "playbook": ("playbooks/adopt-a-pattern.md", True),
}


def field_names(fields: tuple[Field, ...]) -> Iterator[str]:
    for f in fields:
        yield f.name
        yield from field_names(f.fields)
        if f.item is not None:
            yield from field_names(f.item.fields)


FIELD_NAMES = sorted({name for t in CONTENT_TYPES for name in field_names(t.fields)})
REAL_VALUES = ["HCK", "AYL", "TAU", "ISL", "HAC", "report-a-missed-bin", "missed-bin-report", "live", "Live",
               "in-progress", "in progress", "done", "2025-02-30", "2025-06-01", "2999-01-01", "https://hackney.gov.uk",
               "javascript:alert(1)", "jane.smith@hackney.gov.uk", "digital@example.gov.uk", "UKGovCamp 2026",
               "{{ config }}", "<script>x</script>", "", " ", "~", "null", "yes", "0x1F", "1e999", ".nan", "@handle"]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_repository(tmp_path_factory.mktemp("fuzz") / "repo")
    (root / "councils" / "islington").mkdir()
    return root


def check(root: Path, rel: str, data: bytes) -> Report:
    """Validate the repository with `data` at `rel`, then put the file back as it was."""
    path = root / rel
    before = path.read_bytes() if path.is_file() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    try:
        report = validate_repository(root)
    finally:
        if before is None:
            path.unlink()
        else:
            path.write_bytes(before)
    assert isinstance(report, Report)
    lines = data.count(b"\n") + 1
    for p in report.problems:
        assert p.code in CODES, p
        assert p.path and not p.path.startswith("/") and "\\" not in p.path, p
        assert p.line >= 0 and p.col >= 0, p
        assert p.message.strip(), p
        if p.path == rel:
            assert p.line <= lines + 1, (p, lines)
    assert report.problems == sorted(report.problems)
    # Every formatter copes with whatever the problems hold.
    format_text(report.problems)
    format_json(report.problems)
    format_github(report.problems)
    # Nothing else in the repository is blamed for this file.
    assert all(p.path == rel or p.path.startswith(rel.rsplit("/", 1)[0]) for p in report.problems), report.problems
    return report


# Arbitrary text and bytes

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=600)  # any character UTF-8 can hold


@FUZZ
@given(kind=st.sampled_from(sorted(TARGETS)), text=TEXT, wrap=st.booleans())
def test_any_text(root: Path, kind: str, text: str, wrap: bool) -> None:
    rel, markdown = TARGETS[kind]
    if markdown and wrap:
        text = f"---\n{text}\n---\n{text}"
    check(root, rel, text.encode("utf-8"))


@FUZZ
@given(kind=st.sampled_from(sorted(TARGETS)), data=st.binary(max_size=600), wrap=st.booleans())
def test_any_bytes(root: Path, kind: str, data: bytes, wrap: bool) -> None:
    rel, markdown = TARGETS[kind]
    if markdown and wrap:
        data = b"---\n" + data + b"\n---\n" + data
    check(root, rel, data)


# YAML-ish front matter built from real field names, nested values and random layout

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(REAL_VALUES), st.text(st.characters(exclude_categories=["Cs"]), max_size=30),
)
KEYS = st.one_of(st.sampled_from(FIELD_NAMES), st.text(string.ascii_letters + "-_ :#&*!", min_size=1, max_size=12))
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(KEYS, children, max_size=6)),
    max_leaves=25,
)
DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=12)


def mutate(text: str, rnd: random.Random) -> str:
    """What people (and attackers) do to YAML: anchors, aliases, tags, repeated keys, bad indentation."""
    lines = text.split("\n")
    for _ in range(rnd.randint(0, 4)):
        i = rnd.randrange(len(lines))
        line = lines[i]
        head, sep, tail = line.partition(": ")
        choice = rnd.randrange(8)
        if choice == 0 and sep:
            lines[i] = f"{head}: &a{rnd.randint(0, 2)} {tail}"
        elif choice == 1 and sep:
            lines[i] = f"{head}: *a{rnd.randint(0, 2)}"
        elif choice == 2 and sep:
            lines[i] = f"{head}: {rnd.choice(['!!python/object/apply:os.system', '!!str', '!x', '!!binary'])} {tail}"
        elif choice == 3:
            lines.insert(i, line)  # the same key twice
        elif choice == 4:
            lines[i] = " " * rnd.randint(1, 5) + line
        elif choice == 5:
            lines[i] = line.lstrip(" ")
        elif choice == 6:
            lines[i] = "\t" + line
        else:
            lines.insert(i, rnd.choice(["---", "...", "<<: {a: 1}", "? [a, b]", ": c", "- x", "#", "{", "[", "'", '"']))
    return "\n".join(lines)


def dump(doc: dict[str, Any], rnd: random.Random) -> str:
    return yaml.safe_dump(doc, default_flow_style=rnd.choice([False, True, None]), indent=rnd.randint(2, 6),
                          width=rnd.choice([20, 80, 1000]), allow_unicode=rnd.random() < 0.5, sort_keys=False)


@FUZZ
@given(kind=st.sampled_from(sorted(TARGETS)), doc=DOCUMENTS, rnd=st.randoms(use_true_random=False),
       body=st.sampled_from(["", PATTERN.split("---\n", 2)[2], "## Problem\n\n{{ x }} <script> [a](javascript:x)\n"]))
def test_yaml_built_from_the_schema(root: Path, kind: str, doc: dict[str, Any], rnd: random.Random,
                                    body: str) -> None:
    rel, markdown = TARGETS[kind]
    text = mutate(dump(doc, rnd), rnd)
    if markdown:
        text = f"---\n{text}\n---\n{body}"
    check(root, rel, text.encode("utf-8"))


def shaped(f: Field) -> st.SearchStrategy[Any]:
    """Values for a field: mostly of its kind (its example, nested items, real values), sometimes anything."""
    if f.kind == "object":
        own: st.SearchStrategy[Any] = st.fixed_dictionaries({}, optional={c.name: shaped(c) for c in f.fields})
    elif f.kind == "list" and f.item is not None:
        own = st.lists(shaped(f.item), max_size=4)
    elif f.choices:
        own = st.sampled_from(list(f.choices))
    else:
        own = st.just(f.example)
    return st.one_of(own, own, own, st.sampled_from(REAL_VALUES), SCALARS)


SHAPED = {kind: st.fixed_dictionaries({}, optional={f.name: shaped(f) for f in BY_NAME[name].fields})
          for kind, name in (("pattern", "pattern"), ("case-study", "case-study"), ("playbook", "playbook"),
                             ("council", "council"), ("declaration", "commitment"), ("session", "session"))}


@FUZZ
@given(kind=st.sampled_from(sorted(TARGETS)), data=st.data(), rnd=st.randoms(use_true_random=False),
       mutations=st.booleans())
def test_documents_shaped_like_the_schema(root: Path, kind: str, data: st.DataObject, rnd: random.Random,
                                          mutations: bool) -> None:
    rel, markdown = TARGETS[kind]
    doc = data.draw(SHAPED[kind])
    text = dump(doc, rnd)
    if mutations:
        text = mutate(text, rnd)
    if markdown:
        text = f"---\n{text}---\n{PATTERN.split('---', 2)[2]}"
    check(root, rel, text.encode("utf-8"))


@FUZZ
@given(rnd=st.randoms(use_true_random=False))
def test_a_valid_declaration_mutated(root: Path, rnd: random.Random) -> None:
    """Small changes to a valid file: the problems, if any, stay well formed and located."""
    text = mutate(DECLARATION, rnd)
    report = check(root, "councils/hackney/declaration.yml", text.encode("utf-8"))
    if text == DECLARATION:
        assert report.problems == []
