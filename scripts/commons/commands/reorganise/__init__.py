"""`commons reorganise OLD --into NEW...`: an abolished council's folder and references, moved to its successor.

The whole change is planned in memory first: which files move, and each edit as a span of the file's own
text, located by the loader's YAML marks. Nothing is ever re-dumped, so comments, quoting, ordering and
every line not about the old council stay byte for byte as the councils wrote them (line endings and a
byte-order mark included). The plan is applied to a copy of the repository and validated there; only a
clean result is written, with `git mv` when the root is a git repository so history follows the files.

The package, in the order a run goes through it:
  successors.py   who replaced whom: OLD and --into resolved from the register, the story in words
  planner.py      make_plan: the files that name OLD, and what each becomes (a `plan.Plan` of `Change`s)
  references.py   council codes rewritten in any entry, one field or a list
  declaration.py  declaration.yml: commitments moved with a dated update each, or merged into the successor's
  profile.py      council.yml: code changed and old slug kept, or merged into the successor's
  apply.py        check_plan (validate a copy) and apply_plan (write, with `git mv` through commons.gitio)
Only this module is imported for `commons --help`; the others are imported when the command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "move an abolished council's folder and references to its successor"
DESCRIPTION = (
    "Move councils/OLD/ into the folder of the council that replaced it, and rewrite every reference to OLD "
    "(patterns' councils, case studies' council and partners, commitments' partners, sessions' councils) "
    "to its successors. OLD and NEW are register codes or slugs; NEW defaults to the successors the register "
    "gives in replaced-by. The old slug is kept in council.yml under 'former' so links to it redirect, and "
    "each moved commitment gets a dated history entry saying why (marked moved-from: OLD, so it does not count "
    "as an update, and the work before it stays credited to OLD). OLD's maintainers are listed, and become the "
    "successor's only with --keep-maintainers. Only the lines about OLD change. The result is validated before "
    "anything is written. Example: commons reorganise TAU --into SMT --dry-run"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the abolished council: register code (TAU) or slug (taunton-deane)")
    parser.add_argument("--into", nargs="+", metavar="NEW",
                        help="the successor(s) it moves into, first one gets the folder and commitments "
                        "(default: the register's replaced-by, followed to current councils)")
    parser.add_argument("--keep-maintainers", action="store_true",
                        help="make OLD's maintainers maintainers of the successor's folder too (needed when the "
                        "successor has no council.yml of its own, since OLD's becomes it)")
    parser.add_argument("--dry-run", action="store_true", help="print what would change and write nothing")


def command(args: argparse.Namespace, root: Path) -> int:
    """Plan, check and (unless --dry-run) write the reorganisation, then say what changed.

    Raises UsageError when OLD or --into does not fit the register, CommonsError when the content stops it;
    returns EXIT_PROBLEMS, writing nothing, when the result would not validate.
    """
    from commons.commands.reorganise.apply import apply_plan, check_plan, open_repository
    from commons.commands.reorganise.planner import make_plan
    from commons.content.problems import format_text
    from commons.errors import EXIT_OK, EXIT_PROBLEMS

    plan = make_plan(root, args.old, args.into, args.keep_maintainers)
    problems = check_plan(root, plan) if plan.changes else []
    if problems:
        # Printed here rather than raised: the whole report goes to standard error, which a CommonsError's
        # details (printed to standard output, before the message) would not keep.
        print("commons reorganise: the result would not be valid, so nothing was written:", file=sys.stderr)
        print(format_text(problems), file=sys.stderr)
        print("Fix these (commons validate shows the ones already there), then run the command again.",
              file=sys.stderr)
        return EXIT_PROBLEMS
    if not args.dry_run:
        apply_plan(root, plan, open_repository(root) if plan.changes else None)
    if args.dry_run:
        print("Dry run: nothing was written.")
    print(plan.summary)
    if not plan.changes:
        return EXIT_OK
    for change in plan.changes:
        print(change.heading)
        for note in change.notes:
            print(f"    {note}")
    for warning in plan.warnings:
        print(warning)
    if args.dry_run:
        print("Run the command again without --dry-run to make these changes.")
    else:
        staged = " (the moves are staged; the edits are not)" if any(c.with_git for c in plan.changes) else ""
        print(f"Next: run commons validate, review the changes{staged} with git status and git diff, "
              "commit them and open a pull request.")
    return EXIT_OK
