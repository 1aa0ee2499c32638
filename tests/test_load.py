"""Reading files: exact line marks, line endings and BOMs, duplicate keys, and hostile YAML refused quickly."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from commons.content.problems import Problem
from commons.content.validate import validate_repository
from commons.content.yaml_reader import MAX_ALIAS_PROBLEMS, parse_yaml
from conftest import COUNCIL, DECLARATION, PATTERN


def write(root: Path, rel: str, text: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)


def problems(root: Path) -> list[Problem]:
    """Every problem but W-SCHEMA-LINE: these tests write YAML by hand to see how it is read, mostly without the
    schema line, whose own tests are in test_schema_line.py."""
    return [p for p in validate_repository(root).problems if p.code != "W-SCHEMA-LINE"]


def commitment(cid: str, statuses: list[str], extra: str = "") -> str:
    history = "".join(f"      - date: 2024-0{i + 1}-01\n        status: {s}\n        note: Update {i + 1}.\n{extra}"
                      for i, s in enumerate(statuses))
    return (f"  - id: {cid}\n    title: Commitment {cid}\n    principles: [1]\n    status: {statuses[-1]}\n"
            f"    start: 2024-01-01\n    history:\n{history}")


# Line marks


def test_an_error_deep_in_declaration_is_at_its_exact_line_and_column(repo: Path) -> None:
    text = "# Commitments\ncommitments:\n" + commitment("a", ["planned"]) + commitment("b", ["planned", "done"]) \
        + commitment("c", ["planned", "in progress", "done"])
    write(repo, "councils/hackney/declaration.yml", text)
    [p] = problems(repo)  # commitments[2].history[1].status
    assert (p.line, p.col, p.code, p.message, p.hint) == (
        34, 17, "E-ENUM", "'status' must be one of planned, in-progress, done, paused, stopped "
        "(got 'in progress')", "did you mean 'in-progress'?")
    assert text.split("\n")[33] == "        status: in progress"


def test_an_unknown_key_deep_in_declaration_is_at_the_key(repo: Path) -> None:
    text = "commitments:\n" + commitment("a", ["planned"]) + commitment(
        "b", ["planned", "done"], extra="        evidance: https://example.gov.uk/x\n")
    write(repo, "councils/hackney/declaration.yml", text)
    lines = text.split("\n")
    keys = [i for i, t in enumerate(lines, 1) if "evidance" in t]
    assert [(p.line, p.col, p.code, p.message, p.hint) for p in problems(repo)] == [
        (n, 9, "E-UNKNOWN-FIELD", "unknown field 'evidance' in 'update'", "did you mean 'evidence'?") for n in keys
    ]


def test_front_matter_marks_count_the_opening_line(repo: Path) -> None:
    write(repo, "patterns/report-a-missed-bin.md", PATTERN.replace("councils: [HCK]", "councils: [HCK, AYL]"))
    [p] = problems(repo)
    assert (p.line, p.col, p.code) == (8, 17, "E-ABOLISHED")
    assert PATTERN.split("\n")[p.line - 1].startswith("councils:")


# Line endings and byte order marks


def test_crlf_files_validate(repo: Path) -> None:
    for rel, text in (("patterns/report-a-missed-bin.md", PATTERN), ("councils/hackney/council.yml", COUNCIL),
                      ("councils/hackney/declaration.yml", DECLARATION)):
        write(repo, rel, text.replace("\n", "\r\n"))
        assert b"\r\n" in (repo / rel).read_bytes()
    assert problems(repo) == []


def test_crlf_file_problems_are_on_the_right_line(repo: Path) -> None:
    crlf = PATTERN.replace("status: live", "status: Live").replace("\n", "\r\n")
    write(repo, "patterns/report-a-missed-bin.md", crlf)
    assert [(p.line, p.col, p.code) for p in problems(repo)] == [(7, 9, "E-ENUM")]


def test_bom_files_validate(repo: Path) -> None:
    for rel, text in (("patterns/report-a-missed-bin.md", PATTERN), ("councils/hackney/council.yml", COUNCIL),
                      ("councils/hackney/declaration.yml", DECLARATION)):
        write(repo, rel, b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert problems(repo) == []


def test_bom_and_crlf_together(repo: Path) -> None:
    write(repo, "patterns/report-a-missed-bin.md", b"\xef\xbb\xbf" + PATTERN.replace("\n", "\r\n").encode())
    assert problems(repo) == []


def test_front_matter_may_close_with_dots(repo: Path) -> None:
    text = PATTERN.replace("last-reviewed: 2025-06-01\n---\n", "last-reviewed: 2025-06-01\n...\n")
    write(repo, "patterns/report-a-missed-bin.md", text)
    assert problems(repo) == []


# Duplicate keys


def test_duplicate_key_is_reported_at_the_second_with_the_first_in_the_hint(repo: Path) -> None:
    text = PATTERN.replace("status: live\n", "status: beta\n").replace("last-reviewed:", "status: live\nlast-reviewed:")
    write(repo, "patterns/report-a-missed-bin.md", text)
    assert [(p.line, p.col, p.code, p.message, p.hint) for p in problems(repo)] == [
        (11, 1, "E-DUPLICATE-KEY", "'status' is given twice",
         "it was first given on line 7; keep one (YAML readers silently keep the last)"),
    ]
    lines = text.split("\n")
    assert lines[6] == "status: beta" and lines[10] == "status: live"


def test_duplicate_key_in_a_nested_mapping(repo: Path) -> None:
    text = DECLARATION.replace("    target: 2026-12-31\n", "    target: 2026-12-31\n    start: 2024-02-01\n")
    write(repo, "councils/hackney/declaration.yml", text)
    [p] = problems(repo)
    assert (p.line, p.col, p.code) == (10, 5, "E-DUPLICATE-KEY")
    assert p.hint.startswith("it was first given on line 8;")
    # The first value is the one kept and checked, as the hint says the second is the extra one.
    assert text.split("\n")[7] == "    start: 2024-01-08"


# Hostile YAML


def test_billion_laughs_is_refused_quickly(repo: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 30)]
    write(repo, "councils/hackney/declaration.yml", "\n".join(lines) + "\n")
    started = time.perf_counter()
    found = problems(repo)
    assert time.perf_counter() - started < 2
    assert {p.code for p in found} == {"E-YAML-ALIAS"}
    assert len(found) == MAX_ALIAS_PROBLEMS + 1  # the first few, then one line for the rest
    assert found[-1].message == f"{29 * 11 + 1 - MAX_ALIAS_PROBLEMS} more YAML anchors and aliases, from here on, " \
                                "are not allowed"


def test_an_innocent_anchor_is_refused_with_its_alias(repo: Path) -> None:
    text = COUNCIL.replace("maintainers:\n  - hackney-digital\n", "maintainers: &m\n  - hackney-digital\n") \
        + "other: *m\n"
    write(repo, "councils/hackney/council.yml", text)
    assert [(p.line, p.col, p.code, p.message) for p in problems(repo)] == [
        (4, 14, "E-YAML-ALIAS", "YAML anchor &m is not allowed"),
        (10, 8, "E-YAML-ALIAS", "YAML alias *m is not allowed"),
    ]


def test_deep_nesting_is_refused_without_crashing(repo: Path) -> None:
    """libyaml's composer recurses in C: 25,000 levels (75 KB) crashed the process. Run it apart, so a
    regression fails this test instead of killing the test run."""
    write(repo, "councils/hackney/council.yml", "code: " + "[" * 100_000 + "\n")
    write(repo, "councils/hackney/declaration.yml", "commitments: " + "{a: " * 50_000 + "}" * 50_000 + "\n")
    write(repo, "patterns/report-a-missed-bin.md", "---\nid:\n" + "- " * 60_000 + "x\n---\n")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "commons", "--root", str(repo), "validate", "--format", "json"],
                          capture_output=True, text=True, timeout=60)
    assert time.perf_counter() - started < 10
    assert done.returncode == 1, done.stderr
    found = [(p["path"], p["line"], p["code"], p["message"]) for p in json.loads(done.stdout)]
    assert [p for p in found if p[2] not in ("E-SECTION", "W-SCHEMA-LINE")] == [
        ("councils/hackney/council.yml", 1, "E-YAML", "YAML is nested too deeply"),
        ("councils/hackney/declaration.yml", 1, "E-YAML", "YAML is nested too deeply"),
        ("patterns/report-a-missed-bin.md", 3, "E-YAML", "YAML is nested too deeply"),
    ]


def test_nesting_just_within_the_limit_is_read() -> None:
    meta, _, found = parse_yaml("x.yml", "a: " + "[" * 40 + "]" * 40 + "\n", 0)
    assert found == [] and meta is not None
    meta, _, found = parse_yaml("x.yml", "a: " + "[" * 41 + "]" * 41 + "\n", 0)
    assert [(p.line, p.col, p.code) for p in found] == [(1, 44, "E-YAML")]


def test_a_long_line_is_not_mistaken_for_nesting() -> None:
    meta, _, found = parse_yaml("x.yml", "note: " + "word " * 2000 + "\nlist: [a, [b, [c]]]\n", 0)
    assert found == []
    assert meta is not None and meta["list"] == ["a", ["b", ["c"]]]


def test_python_tags_are_refused_and_never_run(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    write(repo, "councils/hackney/council.yml",
          f'code: !!python/object/apply:os.system ["touch {marker}"]\n'
          "maintainers: !!python/name:os.system\nwebsite: !!binary aGVsbG8=\n")
    found = problems(repo)
    assert not marker.exists()
    tags = [(p.line, p.message) for p in found if p.code == "E-YAML"]
    assert tags == [(1, "YAML tag tag:yaml.org,2002:python/object/apply:os.system is not allowed"),
                    (2, "YAML tag tag:yaml.org,2002:python/name:os.system is not allowed"),
                    (3, "YAML tag tag:yaml.org,2002:binary is not allowed")]


def test_tabs_get_the_tab_hint(repo: Path) -> None:
    write(repo, "councils/hackney/declaration.yml", "commitments:\n\t- id: x\n")
    tab, *rest = problems(repo)
    assert (tab.line, tab.col, tab.code, tab.message, tab.hint) == (
        2, 1, "E-CHARACTER", "a tab (U+0009) in the indentation", "indent with spaces, not tabs")
    # The rest is read as if the tab were a space: the commitment's own problems are found too.
    assert rest and {p.code for p in rest} <= {"E-REQUIRED", "E-VALUE"}, rest


def test_two_documents_are_refused(repo: Path) -> None:
    write(repo, "councils/hackney/council.yml", COUNCIL + "---\ncode: ISL\n")
    [p] = problems(repo)
    assert (p.line, p.code, p.hint) == (10, "E-YAML", "a YAML file holds one document: remove the extra --- line")


def test_a_list_instead_of_fields(repo: Path) -> None:
    write(repo, "councils/hackney/council.yml", "- HCK\n- hackney-digital\n")
    [p] = problems(repo)
    assert (p.line, p.col, p.code, p.message) == (1, 1, "E-TYPE", "expected fields (`name: value` lines), found a list")


def test_an_empty_file(repo: Path) -> None:
    write(repo, "councils/hackney/declaration.yml", "")
    [p] = problems(repo)
    expected = (1, "E-REQUIRED", "required field 'commitments' is missing in declaration.yml")
    assert (p.line, p.code, p.message) == expected


def test_keys_that_are_not_words(repo: Path) -> None:
    write(repo, "councils/hackney/council.yml", COUNCIL + "? [a, b]\n: c\n<<: {x: 1}\n")
    assert [(p.line, p.col, p.code) for p in problems(repo)] == [(10, 3, "E-TYPE"), (12, 1, "E-TYPE")]


def test_a_field_named_like_its_parent_is_located_in_the_parent(repo: Path) -> None:
    write(repo, "case-studies/hackney-bins.md",
          "---\ntitle: Hackney bins\ncouncil: HCK\ndate: 2024-01-01\nsummary: Fewer calls.\n"
          "service-area: housing\ncontact:\n  role: Digital team\n  email: digital@example.gov.uk\n"
          "  contact: again\n---\n")
    [p] = problems(repo)
    assert (p.line, p.col, p.code, p.message) == (10, 3, "E-UNKNOWN-FIELD", "unknown field 'contact' in 'contact'")


def test_thousands_of_bad_keys_are_located_quickly(repo: Path) -> None:
    keys = "".join(f"key{i}: 1\n" for i in range(20_000))
    write(repo, "councils/hackney/council.yml", COUNCIL + keys)
    started = time.perf_counter()
    found = problems(repo)
    assert time.perf_counter() - started < 5
    assert len(found) == 20_000
    assert (found[-1].line, found[-1].col, found[-1].code) == (9 + 20_000, 1, "E-UNKNOWN-FIELD")
