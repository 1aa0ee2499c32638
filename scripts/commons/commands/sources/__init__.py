"""`commons sources update|fetch`: councils' own repositories (federation).

The command only: its options and what it prints. `update.py` fetches, checks and moves pins; `report.py`
writes the plain-English summary; the model, the fetching and the checks are in `commons.sources`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "gather councils' own repositories: move each source's pin when it is good (update), or restore the cache"
DESCRIPTION = (
    "update [CODE…]: fetch each source in sources.yml (or those named by register code) in parallel, with a time "
    "and a size limit and nothing from the source run, check every file as commons validate does plus ownership "
    "(a source holds only its own council's council.yml, declaration.yml, contracts.yml, case-studies/ and "
    "patterns/), and move its pin in sources.lock only when it is good; a refused source keeps its last good pin "
    "and the lock records why, with every problem located in the source repository. Prints (and --summary FILE "
    "writes) what changes. Exit 0 when every source is current, 1 when any was refused, 2 on usage errors. "
    "fetch: restore the locked commits into .cache/sources/ without moving any pin."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    update = sub.add_parser("update", help="fetch, check and move the pins of the sources (all, or CODE…)")
    update.add_argument("codes", nargs="*", metavar="CODE", help="register codes of the sources to update")
    update.add_argument("--summary", metavar="FILE", help="also write the Markdown summary to FILE")
    update.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                        help="time limit for fetching one source (default 120)")
    update.add_argument("--size-limit", type=int, default=None, metavar="KB",
                        help="how much one fetch may add to a source's cache (default 51200 KB)")
    update.add_argument("--jobs", type=int, default=None, help="sources fetched at once (default 4)")
    fetch = sub.add_parser("fetch", help="restore the locked commits into .cache/sources/ (no pin moves)")
    for p in (update, fetch):
        # `commons sources update --root DIR` as well as `commons sources --root DIR update` (cli.py's rule).
        p.add_argument("--root", default=argparse.SUPPRESS, help="the repository (default: the current one)")
        p.add_argument("--allow-local-paths", action="store_true",
                       help="accept local folders as source urls (for tests; sources.yml in main has https only)")


def command(args: argparse.Namespace, root: Path) -> int:
    from commons.errors import UsageError

    if args.action == "fetch":
        from commons.commands.sources.restore import restore

        return restore(root, args.allow_local_paths)
    from commons.commands.sources.report import summary
    from commons.commands.sources.update import JOBS, Options, update
    from commons.sources.fetch import SIZE_LIMIT, TIME_LIMIT

    bad_time = args.time_limit is not None and args.time_limit <= 0
    bad_size = args.size_limit is not None and args.size_limit <= 0
    if bad_time or bad_size or (args.jobs is not None and not 1 <= args.jobs <= 32):
        raise UsageError("--time-limit and --size-limit must be more than 0, --jobs from 1 to 32",
                         help_for="sources update")
    options = Options(tuple(dict.fromkeys(args.codes)), args.allow_local_paths,
                      args.time_limit or TIME_LIMIT, args.size_limit * 1024 if args.size_limit else SIZE_LIMIT,
                      args.jobs or JOBS)
    result = update(root, options)
    text = summary(result)
    if args.summary:
        Path(args.summary).write_text(text, encoding="utf-8")
    print(text, end="")
    return 1 if result.refused else 0
