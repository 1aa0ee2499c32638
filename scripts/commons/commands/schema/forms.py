"""GitHub issue forms, generated from the schema.

A form asks, one item per field, for the fields of a content type: the schema's description, required flag and
example (as the placeholder); an enum (or a list of Declaration principles) becomes a dropdown of the choices'
labels, an object becomes one item per field, a list a text area with one value a line (a list of objects: one
item a line, its fields in the schema's order between ` | `; no form asks for YAML). Markdown sections the body
must have become text areas. `generate.generated_files()` includes every form, so `commons schema --write` writes
them and `commons schema --check` reports one that drifted.

The forms themselves are defined in `form_definitions.py`. `commons from-issue` reads the answers back by what
these definitions ask (`asked`) and the labels `form_data` gives them, so what a form asks and how its answers
are read are defined once, here. Each form also has the label `form/<stem>`, by which the issue-to-pull-request
workflow knows which form an issue used.

The forms follow GitHub's issue-form syntax: top-level `name`, `description`, `title`, `labels`, `body`; body
items of the types in ITEM_TYPES with unique ids and labels; every text value a YAML string.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from commons.commands.schema.form_definitions import DIFFERENT_ID, FORMS, Asked, Form, Part
from commons.content.field_types import Field
from commons.content.vocabulary import (
    COMMITMENT_STATUSES,
    OPEN_API,
    PATTERN_STATUSES,
    PRINCIPLES,
    SERVICE_AREAS,
    SYSTEM_CATEGORIES,
)

FORMS_DIR = ".github/ISSUE_TEMPLATE"
ITEM_TYPES = ("markdown", "input", "textarea", "dropdown", "checkboxes")
HEADER = "# Generated from scripts/commons/content/schema.py by `commons schema --write`. Do not edit by hand.\n"
LINE_SEPARATOR = " | "  # between the fields of one item of a list of objects, written one item a line
YES, NO = "yes", "no"  # a true-or-false field inside such a line

_CHOICE_LABELS: tuple[Mapping[str, str], ...] = (SERVICE_AREAS, PATTERN_STATUSES, COMMITMENT_STATUSES,
                                                 SYSTEM_CATEGORIES, OPEN_API)
_WORDS = {"id": "ID", "lgsl": "LGSL", "api": "API"}

__all__ = ["BY_STEM", "DIFFERENT_ID", "FORMS", "Asked", "Form", "Part"]  # the definitions, read through here
BY_STEM: Mapping[str, Form] = {form.stem: form for form in FORMS}


def choices(f: Field) -> list[str] | None:
    """The options of the dropdown that asks for `f` (or for each item of a list `f`), or None if it is not one.

    An enum's options are its choices' labels from the schema's value sets, in the schema's order (the choice
    itself when it has no label); a Declaration principle's are `1. Redesign services …`; a boolean's Yes and No.
    """
    target = f.item if f.kind == "list" and f.item is not None else f
    if target.kind == "enum":
        for labels in _CHOICE_LABELS:
            if tuple(labels) == target.choices:
                return [labels[c] for c in target.choices]
        return [str(c) for c in target.choices]
    if target.kind == "integer" and target.name == "principle":
        return [f"{n}. {text}" for n, text in PRINCIPLES.items()]
    if target.kind == "boolean" and target is f:
        return ["Yes", "No"]
    return None


def choice_values(f: Field) -> list[Any]:
    """The values the options of `choices(f)` stand for, in the same order."""
    target = f.item if f.kind == "list" and f.item is not None else f
    if target.kind == "enum":
        return list(target.choices)
    if target.kind == "integer" and target.name == "principle":
        return list(PRINCIPLES)
    return [True, False]


def line_fields(f: Field) -> tuple[Field, ...]:
    """For a list of objects, the fields of one item in the order a line gives them; () for anything else."""
    return f.item.fields if f.kind == "list" and f.item is not None and f.item.kind == "object" else ()


def line_format(f: Field) -> str:
    """How one item of a list of objects is written on its line: `title | url`."""
    return LINE_SEPARATOR.join(c.name for c in line_fields(f))


def _words(name: str) -> str:
    return " ".join(_WORDS.get(w, w) for w in name.split("-"))


def _label(prefix: str, name: str) -> str:
    text = prefix + _words(name)
    return text[:1].upper() + text[1:]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _line_value(value: Any) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    return str(value)


def _placeholder(f: Field) -> str:
    example = f.example
    if example is None or example == [] or example == {}:
        return ""
    fields = line_fields(f)
    if fields:
        return "\n".join(LINE_SEPARATOR.join(_line_value(item[c.name]) for c in fields if c.name in item)
                         for item in example)
    if isinstance(example, list):
        return "\n".join(str(x) for x in example)
    if isinstance(example, bool):
        return "Yes" if example else "No"
    return str(example)


def _line_description(f: Field) -> str:
    fields = line_fields(f)
    optional = [c.name for c in fields if not c.required]
    yes_no = [c.name for c in fields if c.kind == "boolean"]
    text = f" One a line, as: {line_format(f)}."
    if yes_no:
        text += f" {', '.join(yes_no).capitalize()}: {YES} or {NO}."
    if optional:
        text += f" You may leave out {', '.join(optional)} at the end of a line."
    return text


def asked(form: Form) -> Iterator[Asked]:
    """Every field the form asks for, one item each, in the order the form shows them."""
    for part in form.parts:
        yield from _asked(part, part.fields, part.id_prefix, part.label_prefix, (), True)


def _asked(part: Part, fields: tuple[Field, ...], id_prefix: str, label_prefix: str, path: tuple[str, ...],
           parent_required: bool) -> Iterator[Asked]:
    for f in fields:
        if f.name in part.omit:
            continue
        optional = f.name in part.optional
        required = parent_required and f.required and not optional
        if f.kind == "object":
            yield from _asked(part, f.fields, f"{id_prefix}{f.name}-", f"{label_prefix}{_words(f.name)}: ",
                              (*path, f.name), required)
            continue
        note = " ".join(n for n in (part.notes.get(f.name, "") if not path else "",
                                    part.optional_note if optional else "") if n)
        yield Asked(id_prefix + f.name, _label(label_prefix, f.name), f, (*path, f.name), required, note)


def _item(a: Asked) -> dict[str, Any]:
    f = a.field
    description = f.description + (f" {a.note}" if a.note else "")
    options = choices(f)
    attributes: dict[str, Any] = {"label": a.label, "description": description}
    if options is not None:
        kind = "dropdown"
        attributes["multiple"] = f.kind == "list"
        attributes["options"] = options
    elif line_fields(f):
        kind = "textarea"
        attributes["description"] = description + _line_description(f)
    elif f.kind == "list":
        kind = "textarea"
        attributes["description"] = f"{description} One per line."
    else:
        kind = "textarea" if f.kind == "paragraph" else "input"
    placeholder = _placeholder(f)
    if placeholder and options is None:
        attributes["placeholder"] = placeholder
    return {"type": kind, "id": a.id, "attributes": attributes, "validations": {"required": a.required}}


def _textarea(item_id: str, label: str, description: str, required: bool = True) -> dict[str, Any]:
    return {"type": "textarea", "id": item_id, "attributes": {"label": label, "description": description},
            "validations": {"required": required}}


def section_items(form: Form) -> list[tuple[str, str, str]]:
    """The (id, label, Markdown heading path) of each text area for the body: `## Problem`, or
    `## Considerations` / `### Accessibility` written as "Considerations/Accessibility"; the story's is ""."""
    out = []
    for section in form.sections:
        if section.subsections:
            out += [(f"{_slug(section.title)}-{_slug(sub)}", f"{section.title}: {sub}", f"{section.title}/{sub}")
                    for sub in section.subsections]
        else:
            out.append((_slug(section.title), section.title, section.title))
    if form.story:
        out.append(("story", form.story, ""))
    return out


def form_data(form: Form) -> dict[str, Any]:
    """The issue form as data, in the order GitHub shows it."""
    body: list[dict[str, Any]] = [{"type": "markdown", "attributes": {"value": form.intro}}]
    body += [_item(a) for a in asked(form)]
    descriptions = {s.title: s.description for s in form.sections}
    for item_id, label, heading in section_items(form):
        description = descriptions[heading.split("/")[0]] if heading else form.story_description
        body.append(_textarea(item_id, label, description))
    body += [_textarea(DIFFERENT_ID, *form.different, required=False)] if form.different else []
    if form.confirm:
        body.append({"type": "checkboxes", "id": "confirm",
                     "attributes": {"label": "Before you submit",
                                    "options": [{"label": text, "required": True} for text in form.confirm]}})
    return {"name": form.name, "description": form.description, "title": form.title,
            "labels": [*form.labels, form.label], "body": body}


def form_files() -> dict[str, str]:
    """Every issue form, by path relative to the repository root, with its exact content."""
    return {f"{FORMS_DIR}/{form.file}": HEADER + _dump(form_data(form)) for form in FORMS}


class _Dumper(yaml.SafeDumper):
    """Block style with indented lists; strings that would read as another type (a date, `yes`) stay quoted,
    because GitHub refuses a form whose text values are not strings."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
