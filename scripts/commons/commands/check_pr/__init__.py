"""`commons check-pr`: what a pull request changes, whether it is valid, and whose approval it needs.

The command only: its options, and how the result is printed (GitHub annotations or text, the summary to a
file). The work is in the package's modules, each one stage, imported when the command runs so that
`commons --help` stays quick:

- `pull_request.py`: the types every stage shares (FileChange, EntryChange, Approval, PullRequestCheck);
- `compare.py`: the git comparison, from the merge-base to the head, validated as merged onto the base's tip and
  read with the base commit's rules;
- `changed_files.py`: the changed paths, modes and sizes as git records them;
- `change_rules.py`: the problems only a change has (renames without an alias, references it breaks,
  Declaration history rewritten);
- `approvals.py`: who owns what changes and who must approve it, from the base commit;
- `pattern_titles.py`: the titles of the patterns the changed entries name, and which names are aliases;
- `summary.py`: the plain-English Markdown for the pull-request comment, with `summary_entries.py` (what each
  file changes, a sentence each) and `summary_pages.py` (the pages to look at in the preview).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

HELP = "check a pull request: problems, approvals needed, and what will change on the site"
DESCRIPTION = (
    "Compare HEAD (or --head) with the merge-base of --base and report, for the changed files and every entry "
    "that refers to what they rename or delete: every problem (as `commons validate` does, and file names, "
    "submodules, links and sizes as git records them, all checked as merged onto the tip of --base; a change that "
    "does not merge cleanly is E-CONFLICT), whose approval the change needs (files of a council belong "
    "to its maintainers; entries to the councils that own them; everything outside the content folders, the "
    "tooling, and any rewrite of Declaration history, to the maintainers of the commons in MAINTAINERS.yml), and "
    "a plain-English summary of what will change on the site. Rules come from the base commit. --root DIR checks "
    "another clone, read as data. Exit 0 "
    "when it can be merged, 1 on errors, 2 on usage errors, 3 when it is valid but needs approval."
)

# --root may be a pull request's clone whose register is changed or gone: the base commit's is used (cli.py).
ROOT_MAY_BE_ANY_CLONE = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", required=True, help="the branch the pull request goes into, e.g. origin/main")
    parser.add_argument("--head", default="HEAD", help="the pull request's commit (default: HEAD)")
    parser.add_argument("--author", help="the pull request author's GitHub name, to check ownership")
    parser.add_argument("--format", choices=("text", "github"), default="text",
                        help="text (default) or GitHub Actions annotations on the changed lines")
    parser.add_argument("--summary", metavar="FILE",
                        help="also write the plain-English Markdown summary to FILE (for a pull-request comment)")
    parser.add_argument("--preview-url", metavar="URL", default="",
                        help="where the pull request's preview is deployed, for the summary's links to the pages it "
                             "changes (default: none, so they point at the site artifact served on this machine)")


def command(args: argparse.Namespace, root: Path) -> int:
    """Check the pull request and print it; 0 mergeable, 1 errors, 3 valid but needing approval.

    A ref or repository that cannot be compared raises `UsageError` (exit 2, printed by the CLI).
    """
    from commons.commands.check_pr.approvals import approval_annotations
    from commons.commands.check_pr.compare import check_pull_request
    from commons.commands.check_pr.summary import markdown_summary
    from commons.content.problems import FORMATTERS, summary_line
    from commons.errors import EXIT_NEEDS_APPROVAL, EXIT_OK, EXIT_PROBLEMS, UsageError

    preview = args.preview_url
    if preview and not re.fullmatch(r"https://[a-z0-9-]+(\.[a-z0-9-]+)+/?", preview):
        raise UsageError(f"--preview-url {preview!r} is not the https address of a host", help_for="check-pr")
    result = check_pull_request(root, args.base, args.head, args.author)
    summary = markdown_summary(result, result.site_url, preview.rstrip("/") + "/" if preview else "")
    if args.summary:
        Path(args.summary).write_text(summary, encoding="utf-8")
    problems = [FORMATTERS[args.format](result.problems)] if result.problems else []
    if args.format == "github":  # the annotations, then the count: the summary goes to the comment
        lines = problems + [line for a in result.approvals for line in approval_annotations(a, result)]
        if lines:
            print("\n".join(lines))
    else:  # the summary, then the problems and the count
        print(summary, end="")
        if problems:
            print()
            print(problems[0])
    print(summary_line(result.problems, result.checked))
    if result.errors:
        return EXIT_PROBLEMS
    return EXIT_NEEDS_APPROVAL if result.approvals else EXIT_OK
