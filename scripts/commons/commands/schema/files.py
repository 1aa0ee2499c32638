"""Files generated and committed: editor JSON Schemas, the docs' field tables, the issue forms (from the schema)
and `.github/CODEOWNERS` (from MAINTAINERS.yml and the councils' maintainers, `codeowners.py`).

`commons schema --write` rewrites them; `commons schema --check` (and a test)
fails when one no longer matches what it is made from, so they cannot drift.
"""

from __future__ import annotations

import json
from pathlib import Path

from commons.commands.schema.codeowners import CODEOWNERS, codeowners_file
from commons.commands.schema.editor import json_schema
from commons.commands.schema.forms import form_files
from commons.content.field_types import ContentType, Field
from commons.content.problems import CODES
from commons.content.schema import CONTENT_TYPES
from commons.content.schema_line import schema_file
from commons.content.vocabulary import COMMITMENT_STATUSES, PATTERN_STATUSES, PRINCIPLES, SERVICE_AREAS

FIELDS_DOC = "docs/contribute/fields.md"
CODES_DOC = "docs/contribute/problems.md"

_KIND_WORDS = {
    "text": "text, one line",
    "paragraph": "text",
    "slug": "slug",
    "date": "date YYYY-MM-DD",
    "url": "web address",
    "email": "email address",
    "handle": "GitHub user name",
    "integer": "whole number",
    "number": "number",
    "boolean": "true or false",
    "enum": "one of a list",
    "pattern": "pattern slug",
    "council": "council register code",
    "object": "fields",
}


def generated_files(root: Path) -> dict[str, str]:
    """Every generated file, by path relative to `root`, with its exact content (CODEOWNERS is made from
    `root`'s MAINTAINERS.yml and council files; a MAINTAINERS.yml with problems is a `CommonsError`)."""
    files = {schema_file(t): json.dumps(json_schema(t), indent=2, ensure_ascii=False) + "\n"
             for t in CONTENT_TYPES}
    files[FIELDS_DOC] = fields_markdown()
    files[CODES_DOC] = codes_markdown()
    files.update(form_files())
    files[CODEOWNERS] = codeowners_file(root)
    return files


def made_from(rel: str) -> str:
    """What a generated file is made from, for the message saying it is out of date."""
    return "MAINTAINERS.yml and the councils' maintainers" if rel == CODEOWNERS else "scripts/commons/content/schema.py"


def write_generated(root: Path) -> list[str]:
    written = []
    for rel, text in generated_files(root).items():
        path = root / rel
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(rel)
    return written


def check_generated(root: Path) -> list[str]:
    """The generated files that are missing or differ from what the schema gives."""
    stale = []
    for rel, text in generated_files(root).items():
        path = root / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(rel)
    return stale


def _kind(f: Field) -> str:
    if f.kind == "list" and f.item is not None:
        return f"list of {_kind(f.item)}"
    return _KIND_WORDS[f.kind]


def _rows(fields: tuple[Field, ...], prefix: str = "") -> list[str]:
    rows = []
    for f in fields:
        name = f"`{prefix}{f.name}`"
        rule = f.description.replace("|", "\\|")
        if f.kind == "enum":
            rule += " One of: " + ", ".join(f"`{c}`" for c in f.choices) + "."
        if f.min_items:
            rule += f" At least {f.min_items}."
        if f.minimum is not None:
            rule += f" From {f.minimum} to {f.maximum}."
        rows.append(f"| {name} | {'yes' if f.required else 'no'} | {_kind(f)} | {rule} |")
        children = f.fields or (f.item.fields if f.item is not None else ())
        if children:
            sep = "[]." if f.kind == "list" else "."
            rows += _rows(children, f"{prefix}{f.name}{sep}")
    return rows


def _table(ctype: ContentType) -> str:
    lines = [
        f"## {ctype.title}",
        "",
        f"{ctype.description} File: `{ctype.glob}`.",
        "",
        "| Field | Required | Kind | What it is |",
        "|---|---|---|---|",
        *_rows(ctype.fields),
    ]
    if ctype.sections:
        lines += ["", "The Markdown body has these sections, as `##` headings, in this order:", ""]
        for s in ctype.sections:
            subs = f" With the `###` sub-sections {', '.join(s.subsections)}." if s.subsections else ""
            lines.append(f"1. **{s.title}** — {s.description}{subs}")
    return "\n".join(lines)


def fields_markdown() -> str:
    parts = [
        "# Field reference",
        "",
        "<!-- Generated from scripts/commons/content/schema.py by `commons schema --write`. Do not edit by hand. -->",
        "",
        "Every field of every kind of entry. `commons validate` checks each of them, and `commons new` writes "
        "a valid starting point. Editors that understand JSON Schema can use the files in `schemas/`: every "
        "entry names its own in its first YAML line, `# yaml-language-server: $schema=…`.",
        "",
        *(_table(t) + "\n" for t in CONTENT_TYPES),
        "## Values",
        "",
        "**Service areas:** " + "; ".join(f"`{k}` ({v})" for k, v in SERVICE_AREAS.items()) + ".",
        "",
        "**Pattern status:** " + ", ".join(f"`{k}`" for k in PATTERN_STATUSES) + ".",
        "",
        "**Commitment status:** " + ", ".join(f"`{k}`" for k in COMMITMENT_STATUSES) + ".",
        "",
        "**Declaration principles:**",
        "",
        *(f"{n}. {text}" for n, text in PRINCIPLES.items()),
        "",
    ]
    return "\n".join(parts)


def codes_markdown() -> str:
    parts = [
        "# Problem codes",
        "",
        "<!-- Generated from scripts/commons/content/problems.py by `commons schema --write`. Do not edit by hand. -->",
        "",
        "`commons validate` reports each problem as `path:line:column: error[CODE] message`, with a hint. "
        "Errors must be fixed before a change is merged; warnings say something will not look as you may "
        "expect.",
        "",
    ]
    for c in CODES.values():
        severity = "Warning" if c.code.startswith("W-") else "Error"
        parts += [
            # A short, stable anchor for links from check-pr's summary (headings' own ids follow the title).
            f'<a id="{c.code.lower()}"></a>',
            "",
            f"## {c.code}: {c.title}",
            "",
            f"*{severity}{', found by `commons check-pr` in a pull request' if c.found_by == 'check-pr' else ''}.* "
            f"{c.explanation}",
            "",
            "Found:",
            "",
            "```text",
            c.bad.rstrip("\n"),
            "```",
            "",
            "Fixed:",
            "",
            "```text",
            c.good.rstrip("\n"),
            "```",
            "",
        ]
    return "\n".join(parts)
