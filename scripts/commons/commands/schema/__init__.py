"""`commons schema`: the files generated from the one schema (editor JSON Schemas, the field and problem
references, the issue forms), written or, with --check, compared (the work is in `files.py`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from commons.errors import EXIT_OK, EXIT_PROBLEMS

HELP = "write or check the files generated from the schema"
DESCRIPTION = ("Write (or, with --check, compare) the files generated from the schema (the editor JSON Schemas "
               "in schemas/, the field and problem references in docs/contribute/, the issue forms) and "
               ".github/CODEOWNERS, generated from MAINTAINERS.yml and every council's maintainers.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated file is out of date")
    parser.add_argument("--write", action="store_true", help="write the files (the default)")


def command(args: argparse.Namespace, root: Path) -> int:
    from commons.commands.schema.files import check_generated, made_from, write_generated

    if args.check:
        stale = check_generated(root)
        for rel in stale:
            print(f"{rel}: out of date with {made_from(rel)}", file=sys.stderr)
        if stale:
            print("run: commons schema --write", file=sys.stderr)
            return EXIT_PROBLEMS
        print("generated files match the schema")
        return EXIT_OK
    for rel in write_generated(root):
        print(f"wrote {rel}")
    return EXIT_OK
