"""The `# yaml-language-server: $schema=…` line that tells editors which JSON Schema in `schemas/` a content
file follows, so they can check and complete its fields as it is typed.

A YAML file has it as its first line; a Markdown entry as the first line of its front matter, just after
`---`. The schema is named after the file's content type and given relative to the file, as the YAML
language server reads it: `patterns/x.md` → `../schemas/pattern.schema.json`,
`councils/<slug>/declaration.yml` → `../../schemas/commitment.schema.json`. The validator (W-SCHEMA-LINE) and
everything that writes content files take the line from here: `commons new` and `commons reorganise` now,
and the issue forms' converter when it is written (`with_schema_line` on each file it writes).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from commons.content.field_types import ContentType
from commons.content.load import content_type_of

SCHEMAS = "schemas"  # the folder `commons schema --write` writes the editor schemas to
PREFIX = "# yaml-language-server: $schema="
BOM = "\ufeff"

# Any comment that means to be the line, even one editors would skip, so a misspelt one is fixed, not doubled.
_LIKE = re.compile(r"#\s*yaml-language-server\s*:")
# As the YAML language server reads it: `#`, a space, the name, and the first `$schema=` on the line.
_READ = re.compile(r"#\s+yaml-language-server\s*:.*?\$schema=(\S+)")


def schema_file(ctype: ContentType) -> str:
    """The editor schema of a content type, relative to the repository root."""
    return f"{SCHEMAS}/{ctype.name}.schema.json"


def schema_line(rel: str) -> str:
    """The line for the content file at `rel` (relative to the repository root, with forward slashes)."""
    return PREFIX + "../" * rel.count("/") + schema_file(_type(rel))


def _type(rel: str) -> ContentType:
    ctype = content_type_of(rel)
    if ctype is None:
        raise ValueError(f"{rel} is not a place for a content file")
    return ctype


def is_schema_line(line: str) -> bool:
    """Whether a comment line is (or, misspelt, means to be) a schema line."""
    return bool(_LIKE.match(line.strip()))


def find(head: Sequence[str]) -> int | None:
    """Which of a file's YAML lines before its first field (`RawEntry.head`) is its schema line, if any."""
    return next((i for i, line in enumerate(head) if is_schema_line(line)), None)


def target(line: str) -> str | None:
    """The schema a schema line names, as editors read it; None if they would not read one from it."""
    found = _READ.match(line.strip())
    return found.group(1) if found else None


def names_its_schema(line: str, rel: str) -> bool:
    """Whether `line` is a schema line editors read as naming the schema of the file at `rel`."""
    return target(line) == target(schema_line(rel))


def with_schema_line(text: str, rel: str) -> str:
    """The whole text of the file at `rel` with its schema line right, every other character as it was.

    The first `yaml-language-server` comment before the first field is replaced, unless it already names the
    right schema; without one, the line is added first (in a Markdown entry, after the opening `---`), ending
    as the file's first line ends. A byte-order mark stays in front. A Markdown file without front matter is
    returned as it is.
    """
    line, markdown = schema_line(rel), _type(rel).markdown
    bom = BOM if text.startswith(BOM) else ""
    body = text[len(bom):]
    first_end = body.find("\n")
    nl = "\r\n" if first_end > 0 and body[first_end - 1] == "\r" else "\n"
    start = 0
    if markdown:
        if first_end < 0 or body[:first_end].rstrip() != "---":
            return text
        start = first_end + 1
    pos = start
    while pos < len(body):
        end = body.find("\n", pos)
        end = len(body) if end < 0 else end
        own = body[pos:end].removesuffix("\r")
        stripped = own.strip()
        if stripped and not stripped.startswith("#"):
            break
        if is_schema_line(stripped):
            return text if names_its_schema(stripped, rel) else bom + body[:pos] + line + body[pos + len(own):]
        pos = end + 1
    return bom + body[:start] + line + nl + body[start:]

