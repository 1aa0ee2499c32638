"""Turning a form's answers into field values, as the schema's fields want them, or problems said for the form.

Text stays text (the validator judges it later, and its problems are said for the form by `problems.py`);
here only what the form itself shapes is read: dropdown choices back to their values, one value a line, a list
of objects one item a line with its parts between ` | `, whole numbers, numbers and yes or no.
"""

from __future__ import annotations

import re
from typing import Any

from commons.commands.from_issue.body import Answers, FormProblem, items
from commons.commands.schema.forms import (
    LINE_SEPARATOR,
    NO,
    YES,
    Asked,
    Form,
    asked,
    choice_values,
    choices,
    line_fields,
    line_format,
    section_items,
)
from commons.content.field_types import Field

_BULLET = re.compile(r"^(?:[-*+]|\d+[.)])\s+")  # a list a person typed as Markdown: one value a line all the same
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def read_values(form: Form, answers: Answers) -> tuple[dict[str, Any], list[FormProblem]]:
    """The values the answers give, by item id (`contact-email`), and the problems in reading them.

    A blank answer gives no value; a blank answer to a required item is a problem.
    """
    values: dict[str, Any] = {}
    problems: list[FormProblem] = []
    for a in asked(form):
        text = answers.text.get(a.id, "")
        if not text.strip():
            if a.required:
                problems.append(FormProblem(a.label, _needed(a)))
            continue
        try:
            values[a.id] = _value(a.field, text)
        except ValueError as e:
            problems.append(FormProblem(a.label, str(e)))
    for item_id, label, _ in section_items(form):  # the Markdown text areas, all required
        if not answers.text.get(item_id, "").strip() and item_id not in answers.missing:
            problems.append(FormProblem(label, "this is needed: write a sentence or two"))
    for item in items(form):
        if item["type"] != "checkboxes":
            continue
        ticked = answers.ticked.get(item["id"], set())
        for option in item["attributes"]["options"]:
            if option.get("required") and option["label"] not in ticked:
                problems.append(FormProblem(item["attributes"]["label"], f"tick “{option['label']}”"))
    if answers.missing:
        labels = {i["id"]: i["attributes"]["label"] for i in items(form)}
        problems.append(FormProblem("", "the issue does not have the form's questions "
                                        + ", ".join(f"“{labels[i]}”" for i in answers.missing)
                                        + ": open a new issue with the form and copy your answers into it"))
    return values, problems


def _needed(a: Asked) -> str:
    options = choices(a.field)
    if options is not None:
        return "choose one" + (" or more" if a.field.kind == "list" else "")
    example = _example(a.field)
    return f"this is needed, for example: {example}" if example else "this is needed"


def _example(f: Field) -> str:
    example = f.example
    if isinstance(example, list):
        example = example[0] if example else ""
    if isinstance(example, dict):
        fields = line_fields(f)
        return LINE_SEPARATOR.join(_line_value(example[c.name]) for c in fields if c.name in example)
    return "" if example is None or isinstance(example, bool) else str(example)


def _value(f: Field, text: str) -> Any:
    options = choices(f)
    if options is not None:
        chosen = _chosen(text, options, multiple=f.kind == "list")
        values = choice_values(f)
        picked = [values[options.index(o)] for o in chosen]
        return picked if f.kind == "list" else picked[0]
    if line_fields(f):
        return [_line_item(f, line, n) for n, line in enumerate(_lines(text), 1)]
    if f.kind == "list" and f.item is not None:
        return [_scalar(f.item, line, f"line {n}: ") for n, line in enumerate(_lines(text), 1)]
    return _scalar(f, text if f.kind == "paragraph" else text.strip(), "")


def _chosen(text: str, options: list[str], multiple: bool) -> list[str]:
    """The options a dropdown's answer names: GitHub joins several with `, `, and an option may hold a comma."""
    rest = text.strip()
    chosen: list[str] = []
    by_length = sorted(options, key=len, reverse=True)
    while rest:
        option = next((o for o in by_length if rest == o or rest.startswith(o + ", ")), None)
        if option is None:
            raise ValueError("choose from the list: " + "; ".join(f"“{o}”" for o in options))
        chosen.append(option)
        rest = rest[len(option) :].removeprefix(", ").strip()
        if not multiple:
            break
    if rest or not chosen:
        raise ValueError("choose one option from the list: " + "; ".join(f"“{o}”" for o in options))
    return list(dict.fromkeys(chosen))


def _lines(text: str) -> list[str]:
    return [_BULLET.sub("", line.strip()) for line in text.split("\n") if line.strip()]


def _line_item(f: Field, line: str, n: int) -> dict[str, Any]:
    fields = line_fields(f)
    parts = [p.strip() for p in line.split("|")]
    needed = sum(1 for c in fields if c.required)
    if not needed <= len(parts) <= len(fields):
        raise ValueError(f"line {n} has {len(parts)} part{'s' if len(parts) != 1 else ''}; write each on its "
                         f"own line as: {line_format(f)}, for example: {_example(f)}")
    out: dict[str, Any] = {}
    for c, part in zip(fields, parts, strict=False):
        if not part:
            if c.required:
                raise ValueError(f"line {n} has no {c.name}; write each on its own line as: {line_format(f)}")
            continue
        out[c.name] = _scalar(c, part, f"line {n}: the {c.name} ")
    return out


def _scalar(f: Field, text: str, where: str) -> Any:
    if f.kind == "integer":
        plain = text.strip().removeprefix("£")  # "£48,500", as a contract register writes a value
        if not re.fullmatch(r"[+-]?\d{1,9}", plain) and not re.fullmatch(r"\d{1,3}(?:,\d{3}){1,2}", plain):
            raise ValueError(f"{where or 'it '}must be a whole number, for example {f.example} "
                             f"(you wrote “{_cut(text)}”)")
        return int(plain.replace(",", ""))
    if f.kind == "number":
        plain = text.replace(" ", "")
        if not _NUMBER.match(plain):
            raise ValueError(f"{where or 'it '}must be just a number, for example {f.example}, with the unit "
                             f"in its own part (you wrote “{_cut(text)}”)")
        number = float(plain.replace(",", ""))
        return int(number) if number.is_integer() and "." not in plain else number
    if f.kind == "council":
        return text.strip().upper()  # register codes are capitals; "hck" means HCK
    if f.kind == "boolean":
        word = text.strip().lower()
        if word not in (YES, NO):
            raise ValueError(f"{where or 'it '}must be {YES} or {NO} (you wrote “{_cut(text)}”)")
        return word == YES
    return text


def _line_value(value: Any) -> str:
    return (YES if value else NO) if isinstance(value, bool) else str(value)


def _cut(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
