"""The docs, editor schemas and README stay true to the one schema and the one CLI."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from commons.cli import build_parser
from commons.content.field_types import ContentType, Field
from commons.content.problems import CODES
from commons.content.schema import CONTENT_TYPES
from conftest import REPO, Cli, subcommands

FIELDS_DOC = REPO / "docs" / "contribute" / "fields.md"
PROBLEMS_DOC = REPO / "docs" / "contribute" / "problems.md"
README = REPO / "README.md"
SUBCOMMANDS = subcommands()  # read from the live parser, so a new command is checked here without a list to update


def walk(fields: tuple[Field, ...], prefix: str = "") -> Iterator[tuple[str, Field]]:
    """Every field with its documented path: `contact.email`, `outcomes[].measure`, `history[].status`."""
    for f in fields:
        path = prefix + f.name
        yield path, f
        if f.kind == "object":
            yield from walk(f.fields, path + ".")
        elif f.kind == "list" and f.item is not None and f.item.kind == "object":
            yield from walk(f.item.fields, path + "[].")


ALL_FIELDS = [(t, path, f) for t in CONTENT_TYPES for path, f in walk(t.fields)]
IDS = [f"{t.name}:{path}" for t, path, _ in ALL_FIELDS]


def test_walk_reaches_nested_fields() -> None:
    paths = {(t.name, path) for t, path, _ in ALL_FIELDS}
    assert {("case-study", "outcomes[].measure"), ("case-study", "contact.email"),
            ("commitment", "commitments[].history[].status"), ("council", "adopted[].since"),
            ("playbook", "steps[].detail")} <= paths


def test_schema_check_passes_on_the_repository(cli: Cli) -> None:
    result = cli("--root", str(REPO), "schema", "--check")
    assert (result.code, result.out, result.err) == (0, "generated files match the schema\n", "")


def section(ctype: ContentType) -> str:
    """The part of fields.md about one content type."""
    text = FIELDS_DOC.read_text(encoding="utf-8")
    start = text.index(f"\n## {ctype.title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


@pytest.mark.parametrize(("ctype", "path", "field"), ALL_FIELDS, ids=IDS)
def test_every_field_is_in_the_field_reference(ctype: ContentType, path: str, field: Field) -> None:
    row = re.search(rf"^\| `{re.escape(path)}` \| (yes|no) \|", section(ctype), re.MULTILINE)
    assert row, f"{path} is not in the {ctype.title} table of {FIELDS_DOC.relative_to(REPO)}"
    assert row[1] == ("yes" if field.required else "no")
    for choice in field.choices:
        assert f"`{choice}`" in section(ctype)


def json_schema_node(schema: dict[str, Any], path: str) -> dict[str, Any] | None:
    node: dict[str, Any] | None = schema
    for part in path.split("."):
        name, is_list = (part[:-2], True) if part.endswith("[]") else (part, False)
        if node is None or name not in node.get("properties", {}):
            return None
        node = node["properties"][name]
        if is_list:
            node = node.get("items")
    return node


@pytest.mark.parametrize(("ctype", "path", "field"), ALL_FIELDS, ids=IDS)
def test_every_field_is_in_the_editor_schema(ctype: ContentType, path: str, field: Field) -> None:
    schema = json.loads((REPO / "schemas" / f"{ctype.name}.schema.json").read_text(encoding="utf-8"))
    node = json_schema_node(schema, path)
    assert node is not None, f"{path} is not in schemas/{ctype.name}.schema.json"
    parent_path, _, name = path.rpartition(".")
    parent = json_schema_node(schema, parent_path) if parent_path else schema
    assert parent is not None
    assert (name in parent.get("required", [])) == field.required
    if field.choices:
        assert node["enum"] == list(field.choices)


def test_editor_schemas_are_one_per_content_type() -> None:
    assert sorted(p.name for p in (REPO / "schemas").glob("*.schema.json")) == sorted(
        f"{t.name}.schema.json" for t in CONTENT_TYPES)


def test_editor_schemas_refuse_unknown_fields_like_the_validator() -> None:
    def objects(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            if "properties" in node:
                yield node
            for value in node.values():
                yield from objects(value)

    for t in CONTENT_TYPES:
        schema = json.loads((REPO / "schemas" / f"{t.name}.schema.json").read_text(encoding="utf-8"))
        assert all(o.get("additionalProperties") is False for o in objects(schema)), t.name


@pytest.mark.parametrize("code", list(CODES))
def test_every_problem_code_is_documented(code: str) -> None:
    text = PROBLEMS_DOC.read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(code)}: ", text, re.MULTILINE), f"{code} has no section in problems.md"
    assert f'<a id="{code.lower()}"></a>\n\n## {code}: ' in text, f"{code} has no short anchor to link to"


def test_problems_doc_has_no_unknown_codes() -> None:
    documented = re.findall(r"^## ([EW]-[A-Z-]+):", PROBLEMS_DOC.read_text(encoding="utf-8"), re.MULTILINE)
    assert documented == list(CODES)


def readme_commands() -> list[str]:
    """The commands README.md's table of `commons` commands lists (its rows start "| `commons NAME")."""
    return re.findall(r"^\| `commons ([a-z][a-z-]*)", README.read_text(encoding="utf-8"), re.MULTILINE)


def test_subcommands_are_the_documented_ones() -> None:
    assert sorted(SUBCOMMANDS) == sorted(readme_commands())


@pytest.mark.parametrize("name", list(SUBCOMMANDS))
def test_every_subcommand_is_in_the_readme(name: str) -> None:
    assert f"commons {name}" in README.read_text(encoding="utf-8"), f"README.md does not mention `commons {name}`"


@pytest.mark.parametrize("name", list(SUBCOMMANDS))
def test_every_subcommand_has_help(name: str) -> None:
    """A line in `commons --help`, and a description at the top of `commons NAME --help`."""
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    listed = {a.dest: a.help for a in action._choices_actions}
    assert (listed.get(name) or "").strip(), f"`commons --help` gives {name} no help line"
    assert (SUBCOMMANDS[name].description or "").strip(), f"`commons {name} --help` has no description"
