"""`commons validate`: check the whole repository, or the given files plus everything they reference.

In a git clone, of two patterns with one number the one that reached the branch later is the one told to
renumber (`added_order`): the other's short link is already published. Councils' files kept in their own
repositories are checked with the rest, as sources.lock pins them (`sourced_files`); a pinned commit that
.cache/sources/ lacks is a warning (W-SOURCE-NOT-FETCHED), not a council silently left out."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from commons.errors import EXIT_OK, EXIT_PROBLEMS, UsageError

if TYPE_CHECKING:
    from commons.content.problems import Problem
    from commons.content.validate.repository import Sourced

HELP = "check entries and print every problem"
DESCRIPTION = ("Check the whole repository, or the given files and folders plus everything they reference. "
               "Exit 0 when clean or warnings only, 1 on errors, 2 on usage errors.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to check (default: everything)")
    parser.add_argument("--format", choices=("text", "github", "json"), default="text",
                        help="text (default), GitHub Actions annotations, or JSON")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("--no-cache", action="store_true",
                        help="check every file afresh, without reading or writing .cache/validate/")


def command(args: argparse.Namespace, root: Path) -> int:
    sourced, not_fetched = sourced_files(root)
    paths = relative_paths(root, args.paths, sourced) if args.paths else None
    return validate(root, paths, args.format, args.strict, sourced, not_fetched, use_cache=not args.no_cache)


def sourced_files(root: Path) -> tuple[list[Sourced], list[Problem]]:
    """The files councils keep in their own repositories, as sources.lock pins them (from .cache/sources/), and a
    W-SOURCE-NOT-FETCHED warning for each pin the cache lacks (left out: `commons sources fetch` restores it)."""
    if not (root / "sources.lock").exists():
        return [], []
    from commons.content.register import load_register
    from commons.sources.records import gather, not_fetched_problems

    register = load_register(root / "data" / "uk-local-authorities.csv")
    records = gather(root, register)
    return records.sourced, not_fetched_problems(root, register, records)


def validate(root: Path, paths: list[str] | None, output: str = "text", strict: bool = False,
             sourced: Sequence[Sourced] = (), more: Sequence[Problem] = (), use_cache: bool = False) -> int:
    """Print the problems in `paths` (None: everything) in the format named `output`, councils' `sourced` files
    checked with the rest, and the `more` problems found before (a source not fetched); the exit code. With
    `use_cache`, files unchanged since they were last checked are not checked again (content/validate/cache.py)."""
    from commons.content.problems import FORMATTERS, summary_line
    from commons.content.validate import validate_repository

    report = validate_repository(root, paths, added=added_order(root, "HEAD"), sourced=sourced, use_cache=use_cache)
    problems = sorted([*report.problems, *more])
    text = FORMATTERS[output](problems)
    if text:
        print(text)
    if output != "json":
        print(summary_line(problems, report.files))
    failing = report.errors or (strict and problems)
    return EXIT_PROBLEMS if failing else EXIT_OK


def added_order(root: Path, ref: str) -> Callable[[Sequence[str]], dict[str, int]] | None:
    """When each clashing pattern arrived on `ref`'s branch, from git (asked only when two numbers clash), so the
    later one is told to renumber and the published one is left alone; None outside a git clone. A history git
    cannot read counts as none: the earlier order then decides (see content/validate/cross.py)."""
    from commons import gitio

    if not gitio.has_repository(root):
        return None

    def order(paths: Sequence[str]) -> dict[str, int]:
        try:
            return gitio.first_added(root, ref, paths)
        except (OSError, gitio.GitFailed):  # no git, or no commit yet
            return {}

    return order


def relative_paths(root: Path, given: Sequence[str], sourced: Sequence[Sourced] = ()) -> list[str]:
    """Paths from the command line, relative to the root, folders expanded to the entries in them (councils'
    sourced files too, by their place in the commons); refuses anything outside the root or missing. A sourced
    file may be given by its place in the commons or as it is shown, `<url>@<sha>:<path>`."""
    from commons.content.load import discover

    names = {name for s in sourced for name in (s.cand.path, s.shown)}
    out: list[str] = []
    for text in given:
        if text in names or text.removeprefix("./") in names:
            out.append(text if text in names else text.removeprefix("./"))
            continue
        path = Path(text)
        absolute = Path(os.path.normpath(path if path.is_absolute() else Path.cwd() / path))
        try:
            rel = absolute.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(f"{text} is outside the repository {root}") from None
        if not absolute.exists() and not absolute.is_symlink():
            raise UsageError(f"{text} does not exist")
        if absolute.is_dir() and not absolute.is_symlink():
            prefix = "" if rel == "." else rel.rstrip("/") + "/"
            out += [c.path for c in discover(root)[0] if c.path.startswith(prefix)]
            out += [s.cand.path for s in sourced if s.cand.path.startswith(prefix)]
        else:
            out.append(rel)
    return list(dict.fromkeys(out))
