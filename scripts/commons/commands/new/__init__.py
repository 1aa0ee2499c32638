"""`commons new TYPE TITLE`: write a valid new entry, filled from the schema (the work is in `scaffold.py`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from commons.content.schema import BY_NAME
from commons.content.vocabulary import COMMITMENT_STATUSES, SERVICE_AREAS
from commons.errors import EXIT_OK

HELP = "scaffold a valid new entry"
DESCRIPTION = ("Write a new entry, filled from the schema, that validates. Examples: "
               "commons new pattern \"Report a missed bin\" --council HCK; "
               "commons new commitment \"Open housing repairs data\" --council hackney; "
               "commons new council HCK --maintainer hackney-digital.")


def add_arguments(p: argparse.ArgumentParser) -> None:
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


def command(args: argparse.Namespace, root: Path) -> int:
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
    from commons.commands.new.scaffold import draft, write

    d = draft(root, args.type, " ".join(args.title), options)
    path = write(root, d, overwrite=args.type == "commitment").relative_to(root).as_posix()
    print(f"wrote {path}")
    print("next: fill in the TODOs, then run: commons validate " + path)
    return EXIT_OK
