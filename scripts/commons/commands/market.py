"""`commons market`: the procurement windows, councils whose contracts for the same kind of system end within the
same twelve months (extensions counted) and who could buy together. The windows are computed in
`commons.analysis.market`; this module reads the options, loads the Catalog and prints."""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from commons.content.vocabulary import SYSTEM_CATEGORIES
from commons.markdown_text import markdown_code, markdown_text

if TYPE_CHECKING:  # loaded when the command runs, so `commons --help` stays quick
    from commons.analysis.market import Window
    from commons.content.contracts import Contract
    from commons.content.model import Catalog

HELP = "list procurement windows: councils whose contracts for one kind of system end within the same 12 months"
DESCRIPTION = (
    "List the procurement windows: groups of at least two councils whose contracts in the same system category "
    "end (extensions counted) within the same twelve months, with each council's supplier, end date and "
    "maintainers to contact, so they can buy together. Only contracts still running and ending within --within "
    "months (default 60) count. Exit 0 (it is a report, whether or not it finds any), 1 if the content does not "
    "validate, 2 on usage errors."
)
PLAYBOOK = "playbooks/buy-a-system-together-with-other-councils.md"


@dataclass(frozen=True)
class Options:
    within: int
    category: str | None
    format: str
    today: dt.date


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--within", type=int, metavar="MONTHS", default=60,
                        help="only contracts ending within this many months from today (default 60)")
    parser.add_argument("--category", metavar="NAME",
                        help="only this system category: " + ", ".join(SYSTEM_CATEGORIES))
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                        help="text (default), Markdown, or JSON: a list of windows")
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="as of this day (default: today)")


def options(args: argparse.Namespace) -> Options:
    from commons.content.values import parse_date
    from commons.errors import UsageError

    if args.within < 1 or args.within > 1200:
        raise UsageError(f"--within must be a number of months from 1 to 1200 (got {args.within})",
                         "for example --within 24", help_for="market")
    category = args.category
    if category is not None and category not in SYSTEM_CATEGORIES:
        by_label = {label.lower(): slug for slug, label in SYSTEM_CATEGORIES.items()}
        if category.lower() in by_label:
            category = by_label[category.lower()]
        else:
            close = difflib.get_close_matches(category.lower(), list(SYSTEM_CATEGORIES), n=1, cutoff=0.5)
            raise UsageError(f"there is no system category '{category}'",
                             f"did you mean --category {close[0]}?" if close else
                             "choose one of: " + ", ".join(SYSTEM_CATEGORIES), help_for="market")
    today = dt.date.today()
    if args.today is not None:
        given = parse_date(args.today)
        if given is None:
            raise UsageError(f"--today must be a date written YYYY-MM-DD (got '{args.today}')", help_for="market")
        today = given
    return Options(args.within, category, args.format, today)


def command(args: argparse.Namespace, root: Path) -> int:
    from commons.analysis.market import windows
    from commons.content.model import build_catalog
    from commons.content.problems import format_text, summary_line
    from commons.content.register import load_register
    from commons.content.validate import validate_repository
    from commons.errors import EXIT_OK, EXIT_PROBLEMS
    from commons.sources.records import locked_sourced  # councils' own repositories' contracts too

    opts = options(args)
    report = validate_repository(root, keep_entries=True, sourced=locked_sourced(root))
    if report.errors:
        print(format_text(report.problems))
        print(summary_line(report.problems, report.files))
        return EXIT_PROBLEMS
    catalog = build_catalog(report.entries, load_register(root / "data" / "uk-local-authorities.csv"), opts.today)
    found = windows(catalog, opts.today, opts.within, opts.category)
    print(FORMATTERS[opts.format](found, catalog, opts), end="")
    return EXIT_OK


def _span(opts: Options) -> str:
    from commons.analysis.market import add_months

    return f"{opts.today.isoformat()} to {add_months(opts.today, opts.within).isoformat()}"


def _supplier(c: Contract) -> str:
    return f"{c.supplier} ({c.product})" if c.product else c.supplier


def text_report(found: Sequence[Window], catalog: Catalog, opts: Options) -> str:
    if not found:
        return f"No procurement windows: no two councils' contracts for one kind of system end within the same " \
               f"twelve months (contracts ending {_span(opts)}).\n"
    out = [f"{len(found)} procurement window{'s' if len(found) != 1 else ''} (contracts ending {_span(opts)}, "
           "extensions counted):", ""]
    for w in found:
        out.append(f"{SYSTEM_CATEGORIES.get(w.category, w.category)}: {len(w.councils)} councils could buy "
                   f"together, contracts ending {w.start.isoformat()} to {w.finish.isoformat()}")
        for c in w.contracts:
            council = catalog.council(c.council)
            ask = ", ".join("@" + m for m in council.maintainers) or "no maintainers listed"
            out.append(f"  {c.council} {council.short_name}: {_supplier(c)}, ends {c.ends.isoformat()}; ask {ask}")
        out.append("")
    out.append(f"How to buy together: {PLAYBOOK}")
    return "\n".join(out) + "\n"


def markdown_report(found: Sequence[Window], catalog: Catalog, opts: Options) -> str:
    """Every contributed value escaped (commons.markdown_text); maintainers are named, not @mentioned."""
    if not found:
        return f"No procurement windows between {_span(opts)}.\n"
    out = [f"## Procurement windows, {_span(opts)}", "",
           "Councils whose contracts for the same kind of system end within the same twelve months (extensions "
           f"counted) could buy together: see the joint-procurement playbook, {markdown_code(PLAYBOOK)}.", ""]
    for w in found:
        out += [f"### {markdown_text(SYSTEM_CATEGORIES.get(w.category, w.category))}: "
                f"{w.start.isoformat()} to {w.finish.isoformat()}", "",
                "| Council | Supplier | Ends | Maintainers |", "|---|---|---|---|"]
        for c in w.contracts:
            council = catalog.council(c.council)
            ask = ", ".join(markdown_text("@" + m) for m in council.maintainers) or "none listed"
            out.append(f"| {markdown_text(council.short_name)} ({c.council}) | {markdown_text(_supplier(c))} | "
                       f"{c.ends.isoformat()} | {ask} |")
        out.append("")
    return "\n".join(out)


def json_report(found: Sequence[Window], catalog: Catalog, opts: Options) -> str:
    from commons.analysis.market import as_data

    return json.dumps(as_data(found), indent=2, ensure_ascii=False) + "\n"


FORMATTERS: dict[str, Callable[[Sequence[Window], Catalog, Options], str]] = {
    "text": text_report,
    "markdown": markdown_report,
    "json": json_report,
}
