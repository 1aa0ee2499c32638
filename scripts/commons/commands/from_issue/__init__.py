"""`commons from-issue`: the change an issue form's answers ask for, written into the repository, or the
problems to fix, said for the form.

The issue-to-pull-request workflow runs it with the base branch's tooling and the issue's body in a file, as
data: `body.py` cuts the body into answers by the form's labels, `answers.py` reads them as the schema's
values, `changes.py`, `declaration.py` and `contract.py` plan the files, `apply.py` validates them in a copy
and only then writes them, and `report.py` says what happened.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from commons.content.schema import HANDLE_PATTERN
from commons.errors import EXIT_OK, EXIT_PROBLEMS, UsageError

HELP = "turn an issue form's answers into a change"
DESCRIPTION = ("Read the body GitHub writes for an issue form (--body FILE) as data, write the change it asks for "
               "(a new pattern, case study or commitment, an update to a commitment, a council joining, a contract "
               "recorded or changed) and "
               "validate it. Exit 0: written, with a summary of the change; 1: the answers need changing (nothing "
               "is written), with the problems said for the form; 2: usage errors. Example: commons from-issue "
               "--form propose-a-pattern --body body.md --author octocat --issue 12 --summary pr.md --title "
               "title.txt")

_LOGIN = re.compile(HANDLE_PATTERN)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--form", required=True, metavar="NAME",
                   help="the form's name: its file's stem in .github/ISSUE_TEMPLATE/, e.g. propose-a-pattern")
    p.add_argument("--body", required=True, metavar="FILE", help="the issue's body, as GitHub wrote it")
    p.add_argument("--author", required=True, metavar="LOGIN", help="the GitHub login of the issue's author")
    p.add_argument("--issue", type=_issue_number, metavar="N", help="the issue's number")
    p.add_argument("--summary", metavar="FILE", help="write the pull request's description (or, when the answers "
                   "need changing, the comment for the issue) here, in Markdown")
    p.add_argument("--title", metavar="FILE", help="write the pull request's title here, one line of plain text")


def _issue_number(text: str) -> int:
    if not re.fullmatch(r"[1-9][0-9]{0,9}", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not an issue number (a whole number from 1)")
    return int(text)


@dataclass(frozen=True)
class Options:
    form: str
    body: Path
    author: str
    issue: int | None
    summary: Path | None
    title: Path | None


def command(args: argparse.Namespace, root: Path) -> int:
    return run(root, Options(args.form, Path(args.body), args.author, args.issue,
                             Path(args.summary) if args.summary else None, Path(args.title) if args.title else None))


def run(root: Path, o: Options) -> int:
    """Make the change the form's answers ask for at `root`, printing what happened; the exit code."""
    from commons.commands.from_issue.answers import read_values
    from commons.commands.from_issue.apply import check_change, write_change
    from commons.commands.from_issue.body import BodyError, FormProblem, decode_body, parse_body
    from commons.commands.from_issue.changes import Change, ChangeError, Request, case_study, council, pattern
    from commons.commands.from_issue.codeowners import with_codeowners
    from commons.commands.from_issue.contract import record_contract
    from commons.commands.from_issue.declaration import new_commitment, update_commitment
    from commons.commands.from_issue.report import problems_markdown, problems_text, summary_markdown, summary_text
    from commons.commands.schema.forms import BY_STEM
    from commons.content.register import load_register

    makers: dict[str, Callable[[Request], Change]] = {
        "pattern": pattern, "case-study": case_study, "council": council,
        "commitment": new_commitment, "commitment-update": update_commitment, "contract": record_contract,
    }
    form = BY_STEM.get(o.form)
    if form is None:
        raise UsageError(f"there is no issue form '{o.form}'", "choose one of: " + ", ".join(BY_STEM),
                         help_for="from-issue")
    if not _LOGIN.fullmatch(o.author):
        raise UsageError(f"'{o.author}' is not a GitHub login of a person",
                         "letters, digits and single hyphens, at most 39 (a change is never for a bot)",
                         help_for="from-issue")
    try:
        data = o.body.read_bytes()
    except OSError as e:
        raise UsageError(f"--body {o.body} cannot be read ({e.strerror})", help_for="from-issue") from None
    problems: list[FormProblem] = []
    try:
        answers = parse_body(decode_body(data), form)
        values, problems = read_values(form, answers)
        register = load_register(root / "data" / "uk-local-authorities.csv")
        change = makers[form.makes](Request(form, answers, values, o.author, root, register))
        # Every problem at once: the validator's too, except about answers that could not be read at all.
        said = {p.label for p in problems}
        problems += [p for p in check_change(root, change, missing_said=bool(problems))
                     if p.label not in said or not p.label]
    except BodyError as e:
        problems = [e.problem]
    except ChangeError as e:
        said = {p.label for p in problems}
        problems += [p for p in e.problems if p.label not in said or not p.label]
    if problems:
        print(problems_text(problems), end="")
        _write(o.summary, problems_markdown(problems))
        return EXIT_PROBLEMS
    write_change(root, with_codeowners(root, change))
    print(summary_text(change.sentences), end="")
    _write(o.summary, summary_markdown(form.name, change.sentences, o.author, o.issue))
    _write(o.title, change.title + "\n")
    return EXIT_OK


def _write(path: Path | None, text: str) -> None:
    if path is not None:
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as e:
            raise UsageError(f"{path} cannot be written ({e.strerror})", help_for="from-issue") from None
