"""Reading the body GitHub writes for an issue form, as data: `### Label` headings with the answers under them.

GitHub writes one heading per item, in the form's order, with the answer under it: `_No response_` for a
blank, the chosen options of a dropdown joined by `, `, and each checkbox as `- [X] label` or `- [ ] label`.
Nothing in a body is run or used as a template; it is cut into answers by the form's own labels
(`commons.commands.schema.forms`), so an answer that contains a heading of its own stays part of that answer
unless it repeats a label of a later item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from commons.commands.schema.forms import Form, form_data

MAX_BODY = 64 * 1024  # bytes: GitHub allows 65,536 characters in an issue body
NO_RESPONSE = "_No response_"


@dataclass(frozen=True)
class FormProblem:
    """Something to fix, said for the person who filled in the form: the item's label ("" for the form as a
    whole) and what to write. Never a file path or line number, which they cannot see."""

    label: str
    message: str

    def text(self) -> str:
        return f"*{self.label}*: {self.message}" if self.label else self.message


@dataclass
class Answers:
    """The answer to each item by its id ("" when blank or missing), and the ticked checkboxes by item id."""

    text: dict[str, str] = field(default_factory=dict)
    ticked: dict[str, set[str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # ids of items whose heading the body does not have


class BodyError(Exception):
    """The body cannot be read at all (too large, not text)."""

    def __init__(self, problem: FormProblem):
        super().__init__(problem.message)
        self.problem = problem


def decode_body(data: bytes) -> str:
    """The body's text, refusing one that is too large or not UTF-8; line endings made `\\n`."""
    if len(data) > MAX_BODY:
        raise BodyError(FormProblem("", f"the issue is {len(data) // 1024} KB long and the limit is "
                                        f"{MAX_BODY // 1024} KB: shorten the longest answers"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError(FormProblem("", "the issue's text could not be read as text (it is not UTF-8): "
                                        "copy the answers into a new issue")) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def items(form: Form) -> list[dict[str, Any]]:
    """The form's items that have an answer (everything but its Markdown text), in order."""
    return [item for item in form_data(form)["body"] if item["type"] != "markdown"]


def parse_body(text: str, form: Form) -> Answers:
    """The answers in `text` (decoded) to the items of `form`.

    Each item's heading is looked for after the previous item's, so the answers are found in the form's order;
    an item whose heading is not there (the form changed after the issue was opened) is listed as missing.
    """
    lines = text.split("\n")
    found: list[tuple[int, dict[str, Any]]] = []
    at = 0
    for item in items(form):
        heading = "### " + item["attributes"]["label"]
        for n in range(at, len(lines)):
            if lines[n].rstrip() == heading:
                found.append((n, item))
                at = n + 1
                break
    answers = Answers()
    seen = {item["id"] for _, item in found}
    answers.missing = [item["id"] for item in items(form) if item["id"] not in seen]
    for i, (n, item) in enumerate(found):
        end = found[i + 1][0] if i + 1 < len(found) else len(lines)
        answer = "\n".join(lines[n + 1 : end]).strip("\n")
        if answer.strip() == NO_RESPONSE:
            answer = ""
        if item["type"] == "checkboxes":
            answers.ticked[item["id"]] = _ticked(answer)
        else:
            answers.text[item["id"]] = answer.strip() if item["type"] != "textarea" else answer.strip("\n")
    return answers


def _ticked(answer: str) -> set[str]:
    out = set()
    for line in answer.split("\n"):
        line = line.strip()
        if line[:6].lower() == "- [x] ":
            out.add(line[6:].strip())
    return out
