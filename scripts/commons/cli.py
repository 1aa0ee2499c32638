"""The `commons` command. Domain errors become messages here, at the boundary, and nowhere else.

Exit codes: 0 clean (or warnings only), 1 content problems, 2 usage errors, 3 (check-pr only) valid but
needing approval from a council's maintainers.

Commands with more than a few lines of wiring live in their own module, listed in COMMAND_MODULES: each has
HELP, DESCRIPTION, add_arguments(parser) and command(args, root) -> exit code, and imports anything heavy
inside command() so `commons --help` stays quick.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_NEEDS_APPROVAL = 0, 1, 2, 3

# command name -> module in this package (see the docstring above)
COMMAND_MODULES = {
    "check-pr": "commands.check_pr.changes",
    "stale": "commands.stale",
    "reorganise": "commands.reorganise",
}


class UsageError(Exception):
    pass


def find_root(start: Path) -> Path:
    """The repository containing `start`: the nearest folder up that has the register in data/."""
    for folder in (start, *start.parents):
        if (folder / "data" / "uk-local-authorities.csv").is_file():
            return folder
    raise UsageError(f"{start} is not inside a Council Commons repository (no data/uk-local-authorities.csv); "
                     "run the command in your clone, or give --root")


def _root(args: argparse.Namespace, any_clone: bool = False) -> Path:
    """The repository to work on. With `any_clone`, --root may be any folder (check-pr reads a pull request's
    clone, which may have changed or removed the register, as data, with the base commit's rules)."""
    if args.root:
        root = Path(args.root).resolve()
        if any_clone and not root.is_dir():
            raise UsageError(f"--root {args.root} is not a folder")
        if not any_clone and not (root / "data" / "uk-local-authorities.csv").is_file():
            raise UsageError(f"--root {args.root} is not a Council Commons repository "
                             "(no data/uk-local-authorities.csv)")
        return root
    return find_root(Path.cwd().resolve())


def _relative_paths(root: Path, given: Sequence[str]) -> list[str]:
    """Paths from the command line, relative to the root; refuses anything outside it."""
    out: list[str] = []
    for text in given:
        path = Path(text)
        absolute = Path(os.path.normpath(path if path.is_absolute() else Path.cwd() / path))
        try:
            rel = absolute.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(f"{text} is outside the repository {root}") from None
        if not absolute.exists() and not absolute.is_symlink():
            raise UsageError(f"{text} does not exist")
        if absolute.is_dir() and not absolute.is_symlink():
            from commons.content.load import discover

            prefix = "" if rel == "." else rel.rstrip("/") + "/"
            found = [c.path for c in discover(root)[0] if c.path.startswith(prefix)]
            out += found
        else:
            out.append(rel)
    return list(dict.fromkeys(out))


def cmd_validate(args: argparse.Namespace) -> int:
    from commons.content.problems import format_github, format_json, format_text, summary_line
    from commons.content.validate import validate_repository

    root = _root(args)
    paths = _relative_paths(root, args.paths) if args.paths else None
    report = validate_repository(root, paths)
    problems = report.problems
    if args.format == "json":
        print(format_json(problems))
    else:
        text = format_github(problems) if args.format == "github" else format_text(problems)
        if text:
            print(text)
        print(summary_line(problems, report.files))
    failing = report.errors or (args.strict and problems)
    return EXIT_PROBLEMS if failing else EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from commons.commands.new import ScaffoldError, draft, write

    root = _root(args)
    options = {
        "council": args.council,
        "summary": args.summary,
        "service_area": args.service_area,
        "event": args.event,
        "date": args.date,
        "host": args.host,
        "maintainers": args.maintainer,
        "website": args.website,
        "principles": args.principle,
        "status": args.status,
        "start": args.start,
        "target": args.target,
        "email": args.email,
    }
    title = " ".join(args.title)
    try:
        d = draft(root, args.type, title, options)
        path = write(root, d, overwrite=args.type == "commitment")
    except ScaffoldError as e:
        print(f"commons new: {e}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {path.relative_to(root).as_posix()}")
    print("next: fill in the TODOs, then run: commons validate " + path.relative_to(root).as_posix())
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from commons.commands.schema.files import check_generated, write_generated

    root = _root(args)
    if args.check:
        stale = check_generated(root)
        for rel in stale:
            print(f"{rel}: out of date with scripts/commons/schema.py", file=sys.stderr)
        if stale:
            print("run: commons schema --write", file=sys.stderr)
            return EXIT_PROBLEMS
        print("generated files match the schema")
        return EXIT_OK
    for rel in write_generated(root):
        print(f"wrote {rel}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    from commons.content.schema import BY_NAME, COMMITMENT_STATUSES, SERVICE_AREAS

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

    p = sub.add_parser("validate", parents=[common], help="check entries and print every problem",
                       description="Check the whole repository, or the given files and folders plus "
                       "everything they reference. Exit 0 when clean or warnings only, 1 on errors, 2 on "
                       "usage errors.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to check (default: everything)")
    p.add_argument("--format", choices=("text", "github", "json"), default="text",
                   help="text (default), GitHub Actions annotations, or JSON")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("new", parents=[common], help="scaffold a valid new entry",
                       description="Write a new entry, filled from the schema, that validates. Examples: "
                       "commons new pattern \"Report a missed bin\" --council HCK; "
                       "commons new commitment \"Open housing repairs data\" --council hackney; "
                       "commons new council HCK --maintainer hackney-digital.")
    p.add_argument("type", choices=list(BY_NAME), metavar="TYPE", help="one of: " + ", ".join(BY_NAME))
    p.add_argument("title", nargs="*", help="the title (for a council: its register code)")
    p.add_argument("--council", help="the council's register code (or slug)")
    p.add_argument("--summary", help="the one-sentence summary")
    p.add_argument("--service-area", choices=list(SERVICE_AREAS), help="the service area")
    p.add_argument("--event", help="a session's event, e.g. \"UKGovCamp 2026\"")
    p.add_argument("--date", help="a session's date (YYYY-MM-DD)")
    p.add_argument("--host", help="a session's host")
    p.add_argument("--maintainer", action="append", help="a council maintainer's GitHub name (repeatable)")
    p.add_argument("--website", help="a council's website")
    p.add_argument("--principle", action="append", type=int, choices=range(1, 6),
                   help="a commitment's Declaration principle, 1-5 (repeatable)")
    p.add_argument("--status", choices=list(COMMITMENT_STATUSES), help="a commitment's status")
    p.add_argument("--start", help="a commitment's start date (YYYY-MM-DD)")
    p.add_argument("--target", help="a commitment's target date (YYYY-MM-DD)")
    p.add_argument("--email", help="a case study's contact mailbox")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("schema", parents=[common], help="write or check the files generated from the schema",
                       description="Write (or, with --check, compare) the editor JSON Schemas in schemas/ "
                       "and the field reference in docs/contribute/fields.md.")
    p.add_argument("--check", action="store_true", help="exit 1 if a generated file is out of date")
    p.add_argument("--write", action="store_true", help="write the files (the default)")
    p.set_defaults(func=cmd_schema)

    for name, helptext in (("build", "validate, then build the site into site/"),
                           ("serve", "build and preview the site with live reload")):
        p = sub.add_parser(name, parents=[common], help=helptext, description=helptext[0].upper() + helptext[1:] + ".")
        if name == "serve":
            p.add_argument("--host", default="127.0.0.1")
            p.add_argument("--port", type=int, default=8000)
        p.set_defaults(func=_site_command(name))

    for name, module_name in COMMAND_MODULES.items():
        module = importlib.import_module(f".{module_name}", __package__)
        p = sub.add_parser(name, parents=[common], help=module.HELP, description=module.DESCRIPTION)
        module.add_arguments(p)
        p.set_defaults(func=_module_command(module))
    return parser


def _module_command(module):  # type: ignore[no-untyped-def]
    def run(args: argparse.Namespace) -> int:
        return int(module.command(args, _root(args, getattr(module, "ROOT_MAY_BE_ANY_CLONE", False))))

    return run


def _site_command(name: str):  # type: ignore[no-untyped-def]
    def run(args: argparse.Namespace) -> int:
        from commons.site import build as site_build

        root = _root(args)
        if name == "build":
            return site_build.build(root)
        return site_build.serve(root, args.host, args.port)

    return run


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except UsageError as e:
        print(f"commons {args.command}: {e}", file=sys.stderr)
        print("Try 'commons --help'.", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `commons ... | head`: the reader has gone, which is not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
