"""`commons approval`: whether a pull request has the approvals it needs, from its reviews on GitHub.

What the required status check "Council approval" is computed from. The approvals needed are worked out
exactly as `commons check-pr` does (its comparison and `approvals.py`, with every rule from the base commit,
--root read only as data); the reviews are GitHub's own list of them (`reviews.py`); the decision is in
`decide.py`.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from commons.content.schema import HANDLE_PATTERN

if TYPE_CHECKING:
    from commons.commands.approval.decide import Decision

HELP = "decide, from a pull request's reviews, whether it has every council's approval it needs"
DESCRIPTION = (
    "Work out the approvals the change from the merge-base of --base to --head needs, as check-pr does (every "
    "rule from the base commit), and decide from --reviews FILE, the JSON list GitHub's REST API returns for a pull "
    "request's reviews, whether each is met: one of the people who may give it has, as their latest review that "
    "is not a comment, approved the head commit itself (the author's own review never counts). Prints the "
    "state and a description naming who must approve (--format json: one object, for the 'Council approval' "
    "commit status). Exit 0 when every approval is met or none is needed, 3 when waiting, 1 when the change has "
    "errors to fix first, 2 on usage errors."
)

# --root is a pull request's clone, read as data with the base commit's rules, as for check-pr (cli.py).
ROOT_MAY_BE_ANY_CLONE = True

_AUTHOR = re.compile(HANDLE_PATTERN.removesuffix("$") + r"(?:\[bot\])?$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", required=True, help="the branch the pull request goes into, e.g. origin/main")
    parser.add_argument("--head", required=True, help="the pull request's head commit, as the reviews name it")
    parser.add_argument("--author", required=True,
                        help="the GitHub name of the person the pull request is for (for a pull request made "
                             "from an issue form, the issue's author); their own review never counts")
    parser.add_argument("--reviews", required=True, metavar="FILE",
                        help="the pull request's reviews: the JSON list GET /repos/{owner}/{repo}/pulls/{n}/reviews "
                             "returns (every page)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text (default) or one JSON object: state, description, waiting, met")


def command(args: argparse.Namespace, root: Path) -> int:
    """Decide and print; 0 approved (or nothing needed), 3 waiting, 1 errors to fix first."""
    from commons.commands.approval.decide import decide
    from commons.commands.approval.reviews import read_reviews
    from commons.commands.check_pr.compare import check_pull_request
    from commons.errors import EXIT_NEEDS_APPROVAL, EXIT_OK, EXIT_PROBLEMS, UsageError

    if not _AUTHOR.fullmatch(args.author):
        raise UsageError(f"--author {args.author!r} is not a GitHub user name",
                         "give the login of the person the pull request is for, without the @", help_for="approval")
    reviews, ignored = read_reviews(Path(args.reviews))
    result = check_pull_request(root, args.base, args.head, args.author)
    decision = decide(result, reviews)
    if args.format == "json":
        print(json.dumps(decision.as_json(), indent=2, ensure_ascii=False))
    else:
        print(text(decision, ignored))
    if decision.errors:
        return EXIT_PROBLEMS
    return EXIT_NEEDS_APPROVAL if decision.waiting else EXIT_OK


def text(decision: Decision, ignored: int) -> str:
    """The decision in sentences, for a person at a terminal or in a job's log."""
    lines = [f"Council approval: {decision.state}. {decision.description.rstrip('.…')}."]
    if decision.errors:
        lines.append("The change has errors (commons check-pr lists them); nothing can be approved until they are "
                     "fixed.")
    lines += [f"Waiting: it {a.sentence()}." for a in decision.waiting]
    lines += [f"Approved: @{by} approved it for {a.council} ({a.reason})." for a, by in decision.met]
    if ignored:
        lines.append(f"Ignored: {ignored} entr{'y' if ignored == 1 else 'ies'} in the reviews file that "
                     f"{'is' if ignored == 1 else 'are'} not a well-formed review.")
    return "\n".join(lines)
