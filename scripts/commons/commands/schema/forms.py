"""GitHub issue forms, generated from the schema.

A form asks, one item per field, for the fields of a content type: the schema's description, required flag and
example (as the placeholder); an enum (or a list of Declaration principles) becomes a dropdown of the choices'
labels, an object becomes one item per field, a list a text area with one value a line (a list of objects: one
item a line, its fields in the schema's order between ` | `; no form asks for YAML). Markdown sections the body
must have become text areas. `generate.generated_files()` includes every form, so `commons schema --write` writes
them and `commons schema --check` reports one that drifted.

`commons from-issue` reads the answers back by what these definitions ask (`asked`) and the labels `form_data`
gives them, so what a form asks and how its answers are read are defined once, here. Each form also has the
label `form/<stem>`, by which the issue-to-pull-request workflow knows which form an issue used.

The forms follow GitHub's issue-form syntax: top-level `name`, `description`, `title`, `labels`, `body`; body
items of the types in ITEM_TYPES with unique ids and labels; every text value a YAML string.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from commons.content.field_types import Field, Section
from commons.content.schema import CASE_STUDY, COMMITMENT, COUNCIL, HISTORY_ENTRY, PATTERN
from commons.content.vocabulary import COMMITMENT_STATUSES, PATTERN_STATUSES, PRINCIPLES, SERVICE_AREAS

FORMS_DIR = ".github/ISSUE_TEMPLATE"
ITEM_TYPES = ("markdown", "input", "textarea", "dropdown", "checkboxes")
HEADER = "# Generated from scripts/commons/content/schema.py by `commons schema --write`. Do not edit by hand.\n"
LINE_SEPARATOR = " | "  # between the fields of one item of a list of objects, written one item a line
YES, NO = "yes", "no"  # a true-or-false field inside such a line

# Links in a form resolve against https://github.com/<owner>/<repo>/issues/new, so these reach the repository's files.
CODE_OF_CONDUCT = "[code of conduct](../blob/main/CODE_OF_CONDUCT.md)"
FIELD_REFERENCE = "[field reference](../blob/main/docs/contribute/fields.md)"
CONTRIBUTING = "[contributing guide](../blob/main/CONTRIBUTING.md)"
AUTOMATIC = ("When you submit the form, a pull request making the change is opened for you automatically and "
             "linked from this issue. If an answer needs changing, a comment here says which and how: edit the "
             "issue and the change is made again.")

# Value sets whose choices have words for people; a dropdown shows the words, in the schema's order.
DIFFERENT_ID = "different"  # Form.different: an optional answer from-issue asks for when a title is like another's
DIFFERENT = ("How is it different from a pattern the commons has?", "Leave it blank at first; if a comment here "
             "names a pattern with a title like yours, improve it instead, or say here how yours differs.")

_CHOICE_LABELS: tuple[Mapping[str, str], ...] = (SERVICE_AREAS, PATTERN_STATUSES, COMMITMENT_STATUSES)
_WORDS = {"id": "ID", "lgsl": "LGSL"}


@dataclass(frozen=True)
class Part:
    """Fields of the schema that a form asks for, each as one item (an object's fields as one item each).

    An item's id is `id_prefix` + the field's name (`contact-email` for a nested field) and its label
    `label_prefix` + the name in words. `omit` names fields the form does not ask for; `optional` names fields the
    schema requires but this form may leave blank, with `optional_note` added to their description to say when
    they are needed. `notes` adds a sentence to the description of the fields it names.
    """

    fields: tuple[Field, ...]
    id_prefix: str = ""
    label_prefix: str = ""
    omit: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    optional_note: str = ""
    notes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Form:
    """One issue form: `file` in FORMS_DIR, what GitHub shows in its chooser, and what it asks.

    `sections` become one required text area each (a section's sub-sections one each instead); `story`, when set,
    is the label of one required text area for a Markdown body without fixed sections. Every statement in
    `confirm` must be ticked before the issue can be opened. `makes` is the change `commons from-issue` makes of
    the answers: `pattern`, `case-study`, `commitment` (a new one), `commitment-update` or `council` (joining).
    """

    file: str
    makes: str
    name: str
    description: str
    title: str
    labels: tuple[str, ...]
    intro: str
    parts: tuple[Part, ...]
    sections: tuple[Section, ...] = ()
    story: str = ""
    story_description: str = ""
    different: tuple[str, str] | tuple[()] = ()
    confirm: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        return self.file.removesuffix(".yml")

    @property
    def label(self) -> str:
        """The label only this form gives its issues."""
        return f"form/{self.stem}"


@dataclass(frozen=True)
class Asked:
    """One item of a form that asks for a field: its id and label, the field, and where the value goes in the
    entry (`path`: the field names from the part's top, `contact`, `email` for a nested field)."""

    id: str
    label: str
    field: Field
    path: tuple[str, ...]
    required: bool
    note: str


def _council_code() -> Field:
    code = COUNCIL.field("code")
    assert code is not None, "schema.COUNCIL has no `code` field"
    return code


def _commitment_id() -> Field:
    cid = COMMITMENT.child("id")
    assert cid is not None, "schema.COMMITMENT has no `id` field"
    return cid


_COUNCIL_CODE = Part((_council_code(),), id_prefix="council-", label_prefix="Council ")
# `moved-from` is written only by `commons reorganise`, never by a person.
_UPDATE = Part(HISTORY_ENTRY.fields, id_prefix="update-", label_prefix="Update: ", omit=("moved-from",))
_MAINTAINERS_APPROVE = ("Your council's maintainers (listed on its page and in `councils/<slug>/council.yml`) "
                        "approve it before it is merged.")

FORMS: tuple[Form, ...] = (
    Form(
        file="propose-a-pattern.yml",
        makes="pattern",
        name="Propose a pattern",
        description=PATTERN.description,
        title="Pattern: ",
        labels=("pattern", "proposal"),
        intro=(
            "Describe the pattern. It becomes `patterns/<slug>.md` with its permanent number (its short link "
            f"`/p/<number>/`). {AUTOMATIC} The maintainers of the councils you name approve it. Every field is "
            f"explained in the {FIELD_REFERENCE}. You can also open a pull request yourself: see the "
            f"{CONTRIBUTING}."
        ),
        parts=(Part(PATTERN.fields, omit=("id", "aliases", "last-reviewed")),),
        sections=PATTERN.sections,
        different=DIFFERENT,
        confirm=(
            "I searched the site and this pattern is not in the commons yet.",
            f"I agree to follow the {CODE_OF_CONDUCT}.",
        ),
    ),
    Form(
        file="add-a-case-study.yml",
        makes="case-study",
        name="Add a case study",
        description=CASE_STUDY.description,
        title="Case study: ",
        labels=("case-study", "proposal"),
        intro=(
            "Tell us what your council did and what happened. It becomes `case-studies/<slug>.md`. "
            f"{AUTOMATIC} {_MAINTAINERS_APPROVE} Every field is explained in the {FIELD_REFERENCE}. You can "
            f"also open a pull request yourself: see the {CONTRIBUTING}."
        ),
        parts=(Part(CASE_STUDY.fields),),
        story="What you did and what happened",
        story_description="The text of the case study, in plain English: the problem, what you did, what happened "
        "and what you would do differently. Put measured outcomes in Outcomes above.",
        confirm=(
            "Figures that were not measured end with `| yes` (illustrative) in Outcomes, and the text says so.",
            "The contact is a role and a team mailbox, not a named person.",
            f"I agree to follow the {CODE_OF_CONDUCT}.",
        ),
    ),
    Form(
        file="add-a-commitment.yml",
        makes="commitment",
        name="Add a commitment",
        description="Record a new Local Digital Declaration commitment of your council, with where it stands.",
        title="New commitment: ",
        labels=("commitment", "council-update"),
        intro=(
            "A council's commitments are changed only with the agreement of that council's maintainers. This "
            "adds one to `councils/<slug>/declaration.yml`, with its first update. "
            f"{AUTOMATIC} {_MAINTAINERS_APPROVE} You can also make the change yourself in the GitHub web editor: "
            f"the {CONTRIBUTING} shows how, step by step."
        ),
        parts=(
            _COUNCIL_CODE,
            Part(COMMITMENT.fields, id_prefix="commitment-", label_prefix="Commitment: ", omit=("status", "history"),
                 optional=("id",), optional_note="Leave it blank to make one from the title."),
            _UPDATE,
        ),
        confirm=(
            "I am one of this council's maintainers, or they have agreed to this change.",
            f"I agree to follow the {CODE_OF_CONDUCT}.",
        ),
    ),
    Form(
        file="update-a-commitment.yml",
        makes="commitment-update",
        name="Update a commitment",
        description="Record how one of your council's Local Digital Declaration commitments has moved on.",
        title="Commitment update: ",
        labels=("commitment", "council-update"),
        intro=(
            "A council's commitments are changed only with the agreement of that council's maintainers. This "
            "adds a dated update to one commitment in `councils/<slug>/declaration.yml`, and its status becomes "
            f"the update's. {AUTOMATIC} {_MAINTAINERS_APPROVE} To add a commitment, use the Add a commitment "
            f"form instead. The {CONTRIBUTING} shows how to make the change yourself in the GitHub web editor."
        ),
        parts=(
            _COUNCIL_CODE,
            Part((_commitment_id(),), id_prefix="commitment-", label_prefix="Commitment: ",
                 notes={"id": "Your council's page shows it under each commitment, as ID."}),
            _UPDATE,
        ),
        confirm=(
            "I am one of this council's maintainers, or they have agreed to this change.",
            f"I agree to follow the {CODE_OF_CONDUCT}.",
        ),
    ),
    Form(
        file="join-the-commons.yml",
        makes="council",
        name="Join the commons",
        description="Give your council its own folder in Council Commons: its profile, and a place for its "
        "Declaration commitments.",
        title="Join: ",
        labels=("council", "council-update"),
        intro=(
            "This makes `councils/<slug>/council.yml` (your council's profile) and an empty "
            "`councils/<slug>/declaration.yml`. You become one of its maintainers: the people who approve every "
            f"change to your council's files. {AUTOMATIC} A maintainer of the commons approves it. You can also "
            f"open a pull request yourself: see the {CONTRIBUTING}."
        ),
        parts=(
            _COUNCIL_CODE,
            Part(COUNCIL.fields, omit=("code", "former"), optional=("maintainers",),
                 optional_note="You are made a maintainer yourself; name the others here."),
        ),
        confirm=(
            "I work for this council and may speak for it here.",
            f"I agree to follow the {CODE_OF_CONDUCT}.",
        ),
    ),
)
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
