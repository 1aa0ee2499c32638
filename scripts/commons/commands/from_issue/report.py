"""What `commons from-issue` says: the summary of the change (plain text, and Markdown for the pull request's
description), the pull request's title, and the problems (plain text, and Markdown for a comment on the issue).

Every contributed value in Markdown goes through `markdown_text` (or `markdown_code`), so nothing from an
answer can @mention, link, embed, format or reference anything; only the issue's author, whose login GitHub
gives, is mentioned.
"""

from __future__ import annotations

from commons.commands.from_issue.body import FormProblem
from commons.commands.from_issue.changes import Sentence
from commons.markdown_text import markdown_code, markdown_text, mention

MAX_SHOWN_PROBLEMS = 30
FIX = "Edit this issue to fix them; the change will be made again when you save it."


def plain(sentence: Sentence) -> str:
    return "".join(text for _, text in sentence)


def markdown(sentence: Sentence) -> str:
    out = []
    for kind, text in sentence:
        if kind == "":
            out.append(text)
        elif kind == "b":
            out.append(f"**{markdown_text(text)}**")
        elif kind == "i":
            out.append(f"*{markdown_text(text)}*")
        elif kind == "c":
            out.append(markdown_code(text))
        else:
            out.append(markdown_text(text))
    return "".join(out)


def summary_text(sentences: list[Sentence]) -> str:
    return "".join(f"{plain(s)}\n" for s in sentences)


def summary_markdown(form_name: str, sentences: list[Sentence], author: str, issue: int | None) -> str:
    lines = [f"## {form_name}", "", "### What will change on the site", ""]
    lines += [f"- {markdown(s)}" for s in sentences]
    lines += ["", f"This change is for {mention(author)}" + (f", who opened #{issue}." if issue else ".")]
    if issue:
        lines += ["", f"Closes #{issue}"]
    return "\n".join(lines) + "\n"


def problems_text(problems: list[FormProblem]) -> str:
    return "Some answers need changing:\n" + "".join(f"- {p.text()}\n" for p in problems)


def problems_markdown(problems: list[FormProblem]) -> str:
    lines = ["## The change could not be made yet", "", "Some answers need changing:", ""]
    for p in problems[:MAX_SHOWN_PROBLEMS]:
        message = markdown_text(p.message, 400)
        lines.append(f"- *{markdown_text(p.label)}*: {message}" if p.label else f"- {message}")
    if len(problems) > MAX_SHOWN_PROBLEMS:
        lines.append(f"- … and {len(problems) - MAX_SHOWN_PROBLEMS} more.")
    lines += ["", FIX]
    return "\n".join(lines) + "\n"
