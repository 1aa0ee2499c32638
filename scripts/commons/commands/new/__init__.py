"""`commons new TYPE TITLE`: write a new entry from the schema (the work is in `scaffold.py`), with `TODO: …` where only
its author can say what goes, after checking that no pattern with the same or nearly the same title exists."""

from __future__ import annotations

import argparse
from pathlib import Path

from commons.content.schema import BY_NAME
from commons.content.vocabulary import COMMITMENT_STATUSES, OPEN_API, SERVICE_AREAS, SYSTEM_CATEGORIES
from commons.errors import EXIT_OK, CommonsError

HELP = "scaffold a new entry"
DESCRIPTION = ("Write a new entry from the schema, with TODO: wherever only you can say what goes (commons validate "
               "refuses each until it is written, E-PLACEHOLDER). Nothing is chosen for you: a pattern or case "
               "study needs --service-area (a case study also --email, a team mailbox), a session --event, --date "
               "and --host, a commitment --principle, a contract --system, --supplier, --start and --end. A "
               "pattern whose title is the same or nearly the same as one the commons has is not written unless "
               "you add --anyway: improve that one instead. Exit 0 written, 1 not written (a similar pattern, "
               "a file that exists, an entry that would not be valid), 2 usage. Examples: "
               "commons new pattern \"Report a missed bin\" --council HCK --service-area environmental-and-regulatory; "
               "commons new commitment \"Open housing repairs data\" --council hackney --principle 3; "
               "commons new contract --council HCK --system revenues-and-benefits --supplier Capita --product Academy "
               "--start 2021-04-01 --end 2026-03-31; "
               "commons new council HCK --maintainer hackney-digital.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("type", choices=list(BY_NAME), metavar="TYPE", help="one of: " + ", ".join(BY_NAME))
    p.add_argument("title", nargs="*", help="the title (for a council: its register code; for a contract: its id, "
                   "if not SYSTEM-YEAR)")
    p.add_argument("--council", help="the council's register code (or slug)")
    p.add_argument("--summary", help="the one-sentence summary")
    p.add_argument("--service-area", choices=list(SERVICE_AREAS), help="the service area")
    p.add_argument("--event", help="a session's event, e.g. \"UKGovCamp 2026\"")
    p.add_argument("--date", help="a session's date (YYYY-MM-DD)")
    p.add_argument("--host", action="append", help="a session's host, as they want to be named (repeatable)")
    p.add_argument("--maintainer", action="append", help="a council maintainer's GitHub name (repeatable)")
    p.add_argument("--website", help="a council's website")
    p.add_argument("--principle", action="append", type=int, choices=range(1, 6),
                   help="a commitment's Declaration principle, 1-5 (repeatable)")
    p.add_argument("--status", choices=list(COMMITMENT_STATUSES), help="a commitment's status")
    p.add_argument("--start", help="a commitment's start date (YYYY-MM-DD)")
    p.add_argument("--target", help="a commitment's target date (YYYY-MM-DD)")
    p.add_argument("--email", help="a case study's contact mailbox")
    p.add_argument("--system", choices=list(SYSTEM_CATEGORIES), metavar="SYSTEM",
                   help="a contract's kind of system: " + ", ".join(SYSTEM_CATEGORIES))
    p.add_argument("--supplier", help="a contract's supplier, as data/suppliers.yml names it")
    p.add_argument("--product", help="a contract's product, as data/suppliers.yml lists it under its supplier")
    p.add_argument("--end", help="a contract's end date, without extensions (YYYY-MM-DD); --start is its start")
    p.add_argument("--extension-until", help="a contract's end date with its extensions (YYYY-MM-DD)")
    p.add_argument("--open-api", choices=list(OPEN_API), help="whether a contract's system has an open API "
                   "(unknown if not given)")
    p.add_argument("--anyway", action="store_true",
                   help="write a new pattern even though one with a similar title exists")


def command(args: argparse.Namespace, root: Path) -> int:
    options = {
        "council": args.council,
        "summary": args.summary,
        "service_area": args.service_area,
        "event": args.event,
        "date": args.date,
        "hosts": args.host,
        "maintainers": args.maintainer,
        "website": args.website,
        "principles": args.principle,
        "status": args.status,
        "start": args.start,
        "target": args.target,
        "email": args.email,
        "system": args.system,
        "supplier": args.supplier,
        "product": args.product,
        "end": args.end,
        "extension_until": args.extension_until,
        "open_api": args.open_api,
    }
    from commons.commands.new.scaffold import draft, has_placeholders, similar_patterns, write

    title = " ".join(args.title)
    if args.type == "contract":
        from commons.commands.new.contract import draft_contract

        d = draft_contract(root, title, options)
    else:
        d = draft(root, args.type, title, options)
    if args.type == "pattern" and not args.anyway:
        found = similar_patterns(root, title)
        if found:
            listed = "\n".join(f"  {s.path}: {s.title}" for s in found)
            raise CommonsError(f"the commons already has a pattern like “{title}”:\n{listed}\nnothing was written",
                               f"could you improve {'that one' if len(found) == 1 else 'one of those'} instead? "
                               "If yours is a different pattern, run the same command with --anyway")
    path = write(root, d, overwrite=args.type in ("commitment", "contract")).relative_to(root).as_posix()
    print(f"wrote {path}")
    if args.type == "pattern":
        from commons.commands.new.scaffold import close_patterns
        from commons.content.problems import format_text

        close = close_patterns(root, path)
        if close:
            print(format_text(close))
    if args.type == "council" and _codeowners_in_step(root):
        print("updated .github/CODEOWNERS, so GitHub asks the council's maintainers to review its folder")
    if has_placeholders(d):
        print("next: replace each TODO with your own words, then run: commons validate " + path)
    else:
        print("next: run: commons validate " + path)
    return EXIT_OK


def _codeowners_in_step(root: Path) -> bool:
    """Regenerate .github/CODEOWNERS (when the commons has one) for a new council's maintainers; whether it changed.

    check-pr refuses a new council whose maintainers CODEOWNERS does not name (E-CODEOWNERS)."""
    from commons.commands.schema.codeowners import CODEOWNERS, codeowners_file

    path = root / CODEOWNERS
    if not path.is_file() or path.is_symlink():
        return False
    text = codeowners_file(root)
    if path.read_text(encoding="utf-8") == text:
        return False
    tmp = path.with_name(path.name + ".new")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True
