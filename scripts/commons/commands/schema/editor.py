"""The editor JSON Schemas in `schemas/` (draft 2020-12), made from the content types in `content/schema.py`:
editors that read the `# yaml-language-server: $schema=` line of a content file check and complete it."""

from __future__ import annotations

from typing import Any

from commons.content.field_types import ContentType, Field
from commons.content.schema import HANDLE_PATTERN, MAX_TEXT, SLUG_MAX, SLUG_PATTERN


def json_schema(ctype: ContentType) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a type's front matter or YAML file, for editors."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://council-commons.example/schemas/{ctype.name}.schema.json",
        "title": ctype.title,
        "description": ctype.description,
        **_object_schema(ctype.fields),
    }


def _object_schema(fields: tuple[Field, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: _field_schema(f) for f in fields},
    }


def _field_schema(f: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"description": f.description}
    kind = f.kind
    if kind in ("text", "paragraph"):
        out.update(type="string", minLength=1)
        if kind == "text":
            out["maxLength"] = MAX_TEXT
    elif kind == "slug":
        out.update(type="string", pattern=SLUG_PATTERN, maxLength=SLUG_MAX)
    elif kind == "date":
        out.update(type="string", format="date")
    elif kind == "url":
        out.update(type="string", format="uri", pattern="^https?://")
    elif kind == "email":
        out.update(type="string", format="email")
    elif kind == "handle":
        out.update(type="string", pattern=HANDLE_PATTERN)
    elif kind in ("integer", "number"):
        out["type"] = kind
        if f.minimum is not None:
            out["minimum"] = f.minimum
        if f.maximum is not None:
            out["maximum"] = f.maximum
    elif kind == "boolean":
        out["type"] = "boolean"
    elif kind == "enum":
        out["enum"] = list(f.choices)
    elif kind == "pattern":
        out.update(type="string", pattern=SLUG_PATTERN)
    elif kind == "council":
        out.update(type="string", pattern="^[A-Z0-9-]{2,8}$")
    elif kind == "list":
        assert f.item is not None
        out.update(type="array", items=_field_schema(f.item))
        if f.min_items:
            out["minItems"] = f.min_items
        if f.unique:
            out["uniqueItems"] = True
    elif kind == "object":
        out.update(_object_schema(f.fields))
    else:  # pragma: no cover - a new kind must be added here and in content/validate/fields.py
        raise ValueError(f"unknown field kind {kind}")
    return out
