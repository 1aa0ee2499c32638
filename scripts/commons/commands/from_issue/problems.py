"""A validator's problem, said for the person who filled in the form: the item's label and what to write.

The validator speaks of fields and files (`'target' must be a date written YYYY-MM-DD`); the form's reader
sees questions. The field's name becomes "it", file paths and YAML words are left out, and the hint, which
says what to write, follows the message.
"""

from __future__ import annotations

import re

from commons.commands.from_issue.body import FormProblem
from commons.commands.from_issue.changes import Change
from commons.content.problems import Problem

_GOT = re.compile(r"\(got '(.*)'\)$", re.DOTALL)
_EXAMPLE = re.compile(r"^for example (\S+)$")
_BEFORE = re.compile(r"is before update \d+ \((\d{4}-\d{2}-\d{2})\)")


def for_the_form(p: Problem, label: str, name: str, change: Change) -> FormProblem:
    """`p`, found in a file the change writes, as a problem with the answer to the item `label`, which gives the
    field `name` (whose name in the message becomes "it")."""
    message, hint = p.message, p.hint
    field = re.compile(f"^'{re.escape(name)}' ") if name else None
    for rel in change.files:  # the person never sees the files
        message, hint = message.replace(rel, "the change"), hint.replace(rel, "the change")
    if p.code == "E-DATE" and label:
        got = _GOT.search(message)
        example = _EXAMPLE.match(hint)
        if example:
            wrote = f" (you wrote “{got[1]}”)" if got else ""
            return FormProblem(label, f"write it as YYYY-MM-DD, for example {example[1]}{wrote}")
        message = field.sub("it ", message) if field else message
        return FormProblem(label, f"{message}: {hint}" if hint else message)
    after = _BEFORE.search(message) if p.code == "E-DATE-ORDER" else None
    if after and label:
        return FormProblem(label, f"write a date on or after {after[1]}, the date of the latest update (updates "
                                  "are listed oldest first)")
    if field:
        message = field.sub("it ", message)
    text = f"{message}: {hint}" if hint else message
    if not label:
        text = f"the change would not be valid: {text}"
    return FormProblem(label, text[:1].lower() + text[1:] if label else text)
