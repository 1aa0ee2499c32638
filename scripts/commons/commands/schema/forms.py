"""GitHub issue forms, generated from the schema.

A form asks, one item per field, for the fields of a content type: the schema's description, required flag and
example (as the placeholder); an enum (or a list of Declaration principles) becomes a dropdown of the choices'
labels, an object becomes one item per field, a list a text area with one value a line (or YAML, for a list of
objects). Markdown sections the body must have become text areas. `generate.generated_files()` includes every
form, so `commons schema --write` writes them and `commons schema --check` reports one that drifted.

The forms follow GitHub's issue-form syntax: top-level `name`, `description`, `title`, `labels`, `body`; body
items of the types in ITEM_TYPES with unique ids and labels; every text value a YAML string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from commons.content.field_types import Field, Section
from commons.content.schema import CASE_STUDY, COMMITMENT, COUNCIL, HISTORY_ENTRY, PATTERN
from commons.content.vocabulary import COMMITMENT_STATUSES, PATTERN_STATUSES, PRINCIPLES, SERVICE_AREAS

FORMS_DIR = ".github/ISSUE_TEMPLATE"
ITEM_TYPES = ("markdown", "input", "textarea", "dropdown", "checkboxes")
HEADER = "# Generated from scripts/commons/content/schema.py by `commons schema --write`. Do not edit by hand.\n"

# Links in a form resolve against https://github.com/<owner>/<repo>/issues/new, so these reach the repository's files.
CODE_OF_CONDUCT = "[code of conduct](../blob/main/CODE_OF_CONDUCT.md)"
FIELD_REFERENCE = "[field reference](../blob/main/docs/contribute/fields.md)"
CONTRIBUTING = "[contributing guide](../blob/main/CONTRIBUTING.md)"

# Value sets whose choices have words for people; a dropdown shows the words, in the schema's order.
_CHOICE_LABELS: tuple[Mapping[str, str], ...] = (SERVICE_AREAS, PATTERN_STATUSES, COMMITMENT_STATUSES)
_WORDS = {"id": "ID", "lgsl": "LGSL"}


@dataclass(frozen=True)
class Part:
    """Fields of the schema that a form asks for, each as one item (an object's fields as one item each).

    An item's id is `id_prefix` + the field's name (`contact-email` for a nested field) and its label
    `label_prefix` + the name in words. `omit` names fields the form does not ask for; `optional` names fields the
    schema requires but this form may leave blank, with `optional_note` added to their description to say when
    they are needed.
    """

    fields: tuple[Field, ...]
    id_prefix: str = ""
    label_prefix: str = ""
    omit: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    optional_note: str = ""


@dataclass(frozen=True)
class Form:
    """One issue form: `file` in FORMS_DIR, what GitHub shows in its chooser, and what it asks.

    `sections` become one required text area each (a section's sub-sections one each instead); `story`, when set,
    is the label of one required text area for a Markdown body without fixed sections. Every statement in
    `confirm` must be ticked before the issue can be opened.
    """

    file: str
    name: str
    description: str
    title: str
    labels: tuple[str, ...]
    intro: str
    parts: tuple[Part, ...]
    sections: tuple[Section, ...] = ()
    story: str = ""
    story_description: str = ""
    confirm: tuple[str, ...] = ()


def _council_code() -> Field:
    code = COUNCIL.field("code")
    assert code is not None, "schema.COUNCIL has no `code` field"
    return code


FORMS: tuple[Form, ...] = (
    Form(
        file="propose-a-pattern.yml",
        name="Propose a pattern",
        description=PATTERN.description,
        title="Pattern: ",
        labels=("pattern", "proposal"),
        intro=(
            "Describe the pattern and a maintainer will turn it into `patterns/<slug>.md`, give it its permanent "
            "number (its short link `/p/<number>/`) and ask the councils you name to review it. Every field is "
            f"explained in the {FIELD_REFERENCE}. You can also open a pull request yourself: see the "
            f"{CONTRIBUTING}."
        ),
        parts=(Part(PATTERN.fields, omit=("id", "aliases", "last-reviewed")),),
        sections=PATTERN.sections,
        confirm=(
            "I searched the site and this pattern is not in the commons yet.",
            f"I agree to follow the {CODE_OF_CONDUCT}.",
        ),
    ),
    Form(
        file="add-a-case-study.yml",
        name="Add a case study",
        description=CASE_STUDY.description,
        title="Case study: ",
        labels=("case-study", "proposal"),
        intro=(
            "Tell us what your council did and what happened, and a maintainer will turn it into "
            "`case-studies/<slug>.md` and ask your council to check it. Every field is explained in the "
            f"{FIELD_REFERENCE}. You can also open a pull request yourself: see the {CONTRIBUTING}."
        ),
        parts=(Part(CASE_STUDY.fields),),
        story="What you did and what happened",
        story_description="The text of the case study, in plain English: the problem, what you did, what happened "
        "and what you would do differently. Put measured outcomes in Outcomes above.",
        confirm=(
            "Figures that were not measured are marked `illustrative: true` and the text says so.",
            "The contact is a role and a team mailbox, not a named person.",
            f"I agree to follow the {CODE_OF_CONDUCT}.",
        ),
    ),
    Form(
        file="update-a-commitment.yml",
        name="Update a commitment",
        description="Record how one of your council's Local Digital Declaration commitments has moved on, or add "
        "a new one.",
        title="Commitment update: ",
        labels=("commitment", "council-update"),
        intro=(
            "A council's commitments are changed only with the agreement of that council's maintainers (listed in "
            "its `councils/<slug>/council.yml`). A maintainer of the commons turns this form into a change to "
            "`councils/<slug>/declaration.yml` and your council's maintainers approve it. It is quicker to make "
            f"the change yourself in the GitHub web editor: the {CONTRIBUTING} shows how, step by step."
        ),
        parts=(
            Part((_council_code(),), id_prefix="council-", label_prefix="Council "),
            Part(COMMITMENT.fields, id_prefix="commitment-", label_prefix="Commitment: ", omit=("status", "history"),
                 optional=("principles", "start"), optional_note="Needed only for a new commitment."),
            Part(HISTORY_ENTRY.fields, id_prefix="update-", label_prefix="Update: "),
        ),
        confirm=(
            "I am one of this council's maintainers, or they have agreed to this change.",
            f"I agree to follow the {CODE_OF_CONDUCT}.",
        ),
    ),
)


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


def _words(name: str) -> str:
    return " ".join(_WORDS.get(w, w) for w in name.split("-"))


def _label(prefix: str, name: str) -> str:
    text = prefix + _words(name)
    return text[:1].upper() + text[1:]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _placeholder(f: Field) -> str:
    example = f.example
    if example is None or example == [] or example == {}:
        return ""
    if f.kind == "list" and f.item is not None and f.item.kind == "object":
        return _dump(example).rstrip("\n")
    if isinstance(example, list):
        return "\n".join(str(x) for x in example)
    if isinstance(example, bool):
        return "Yes" if example else "No"
    return str(example)


def _item(f: Field, item_id: str, label: str, required: bool, note: str) -> dict[str, Any]:
    description = f.description + (f" {note}" if note else "")
    options = choices(f)
    attributes: dict[str, Any] = {"label": label, "description": description}
    if options is not None:
        kind = "dropdown"
        attributes["multiple"] = f.kind == "list"
        attributes["options"] = options
    elif f.kind == "list" and f.item is not None and f.item.kind == "object":
        kind = "textarea"
        parts = ", ".join(f"`{c.name}`" + (" (required)" if c.required else "") for c in f.item.fields)
        attributes["description"] = f"{description} One block per item, as in the example, with: {parts}."
        attributes["render"] = "yaml"
    elif f.kind == "list":
        kind = "textarea"
        attributes["description"] = f"{description} One per line."
    else:
        kind = "textarea" if f.kind == "paragraph" else "input"
    placeholder = _placeholder(f)
    if placeholder and options is None:
        attributes["placeholder"] = placeholder
    return {"type": kind, "id": item_id, "attributes": attributes, "validations": {"required": required}}


def _part_items(part: Part, fields: tuple[Field, ...] | None = None, id_prefix: str | None = None,
                label_prefix: str | None = None, parent_required: bool = True) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    id_prefix = part.id_prefix if id_prefix is None else id_prefix
    label_prefix = part.label_prefix if label_prefix is None else label_prefix
    for f in part.fields if fields is None else fields:
        if f.name in part.omit:
            continue
        optional = f.name in part.optional
        required = parent_required and f.required and not optional
        if f.kind == "object":
            items += _part_items(part, f.fields, f"{id_prefix}{f.name}-", f"{label_prefix}{_words(f.name)}: ",
                                 parent_required=required)
            continue
        items.append(_item(f, id_prefix + f.name, _label(label_prefix, f.name), required,
                           part.optional_note if optional else ""))
    return items


def _textarea(item_id: str, label: str, description: str) -> dict[str, Any]:
    return {"type": "textarea", "id": item_id, "attributes": {"label": label, "description": description},
            "validations": {"required": True}}


def form_data(form: Form) -> dict[str, Any]:
    """The issue form as data, in the order GitHub shows it."""
    body: list[dict[str, Any]] = [{"type": "markdown", "attributes": {"value": form.intro}}]
    for part in form.parts:
        body += _part_items(part)
    for section in form.sections:
        if section.subsections:
            body += [_textarea(f"{_slug(section.title)}-{_slug(sub)}", f"{section.title}: {sub}", section.description)
                     for sub in section.subsections]
        else:
            body.append(_textarea(_slug(section.title), section.title, section.description))
    if form.story:
        body.append(_textarea("story", form.story, form.story_description))
    if form.confirm:
        body.append({"type": "checkboxes", "id": "confirm",
                     "attributes": {"label": "Before you submit",
                                    "options": [{"label": text, "required": True} for text in form.confirm]}})
    return {"name": form.name, "description": form.description, "title": form.title, "labels": list(form.labels),
            "body": body}


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
