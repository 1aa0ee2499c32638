"""The `commons` command: argparse wiring, and the one place errors become messages.

Each subcommand is a module in `commands/` (listed in COMMANDS) with HELP, DESCRIPTION,
add_arguments(parser) and command(args, root) -> exit code; it imports anything heavy inside command(), so
`commons --help` stays quick. Domain code raises `errors.CommonsError`; `main` prints it once, with its hint,
and returns its exit code (0 clean or warnings only, 1 content problems, 2 usage errors, 3 for check-pr:
valid but needing approval).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from commons.errors import EXIT_USAGE, CommonsError, UsageError

# subcommand -> its module, in the order `commons --help` lists them
COMMANDS = {
    "validate": "commons.commands.validate",
    "new": "commons.commands.new",
    "schema": "commons.commands.schema",
    "check-pr": "commons.commands.check_pr",
    "approval": "commons.commands.approval",
    "stale": "commons.commands.stale",
    "market": "commons.commands.market",
    "reorganise": "commons.commands.reorganise",
    "from-issue": "commons.commands.from_issue",
    "sources": "commons.commands.sources",
    "similar": "commons.commands.similar",
    "build": "commons.commands.build",
    "serve": "commons.commands.serve",
}
REGISTER = Path("data") / "uk-local-authorities.csv"  # what marks a folder as a Council Commons repository


def find_root(start: Path) -> Path:
    """The repository containing `start`: the nearest folder up that has the register in data/."""
    for folder in (start, *start.parents):
        if (folder / REGISTER).is_file():
            return folder
    raise UsageError(f"{start} is not inside a Council Commons repository (no {REGISTER.as_posix()}); "
                     "run the command in your clone, or give --root")


def _root(args: argparse.Namespace, any_clone: bool = False) -> Path:
    """The repository to work on. With `any_clone`, --root may be any folder (check-pr reads a pull request's
    clone, which may have changed or removed the register, as data, with the base commit's rules)."""
    if args.root:
        root = Path(args.root).resolve()
        if any_clone and not root.is_dir():
            raise UsageError(f"--root {args.root} is not a folder")
        if not any_clone and not (root / REGISTER).is_file():
            raise UsageError(f"--root {args.root} is not a Council Commons repository "
                             f"(no {REGISTER.as_posix()})")
        return root
    return find_root(Path.cwd().resolve())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commons",
        description="Validate and build Council Commons: patterns, case studies, playbooks, sessions, "
        "councils and their Local Digital Declaration commitments.",
    )
    root_help = "the repository (default: the one containing the current folder)"
    parser.add_argument("--root", help=root_help)
    # --root may also follow the command (`commons validate --root DIR`); SUPPRESS keeps the one given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", default=argparse.SUPPRESS, help=root_help)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        p = sub.add_parser(name, parents=[common], help=module.HELP, description=module.DESCRIPTION)
        module.add_arguments(p)
        p.set_defaults(func=_runner(module))
    return parser


def _runner(module: ModuleType):  # type: ignore[no-untyped-def]
    def run(args: argparse.Namespace) -> int:
        return int(module.command(args, _root(args, getattr(module, "ROOT_MAY_BE_ANY_CLONE", False))))

    return run


def report(command: str, error: CommonsError) -> int:
    """Print `error` for a person (its details, the message, the hint, where to get help); its exit code."""
    if error.details:
        print(error.details)
    print(f"commons {command}: {error.message}", file=sys.stderr)
    if error.hint:
        print(f"    hint: {error.hint}", file=sys.stderr)
    if isinstance(error, UsageError):
        print(f"Try 'commons {error.help_for + ' ' if error.help_for else ''}--help'.", file=sys.stderr)
    return error.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except CommonsError as e:
        return report(args.command, e)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `commons ... | head`: the reader has gone, which is not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
