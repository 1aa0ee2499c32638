"""`commons stale`: what is past its review, grouped by the council to ask.

Patterns and playbooks are reviewed yearly (`last-reviewed`); Declaration
commitments need a dated update at least yearly. "Stale" is the model's one
definition (`model.STALE_AFTER_DAYS`), judged as of `--today`. The report
lists, council by council, each stale entry and the council's maintainers to
ask; a pattern or playbook owned by several councils is listed under each.
The Markdown format is the body of the issue a weekly workflow opens.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from commons.content.schema import DECLARATION, PATTERN, PLAYBOOK
from commons.markdown_text import markdown_code, markdown_text, mention

if TYPE_CHECKING:  # the model is loaded when the command runs, so `commons --help` stays quick
    from commons.content.model import Catalog, Council

HELP = "list patterns, playbooks and commitments not reviewed or updated for 12 months"
DESCRIPTION = (
    "List the patterns and playbooks whose last-reviewed date is more than 12 months old, and the Local "
    "Digital Declaration commitments with no update for 12 months, grouped by council with the maintainers "
    "to ask. Exit 0 (it is a report, whatever it finds), 1 if the content does not validate, 2 on usage errors."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "markdown"), default="text",
                        help="text (default) or Markdown, for the body of a GitHub issue")
    parser.add_argument("--today", metavar="YYYY-MM-DD",
                        help="judge staleness as of this day (default: today)")


def command(args: argparse.Namespace, root: Path) -> int:
    from commons.content.model import build_catalog
    from commons.content.problems import format_text, summary_line
    from commons.content.register import load_register
    from commons.content.validate import validate_repository
    from commons.content.values import parse_date
    from commons.errors import EXIT_OK, EXIT_PROBLEMS, UsageError

    today = dt.date.today()
    if args.today is not None:
        given = parse_date(args.today)
        if given is None:
            raise UsageError(f"--today must be a date written YYYY-MM-DD (got '{args.today}')")
        today = given
    report = validate_repository(root, keep_entries=True)
    if report.errors:
        text = format_text(report.problems)
        if text:
            print(text)
        print(summary_line(report.problems, report.files))
        return EXIT_PROBLEMS
    catalog = build_catalog(report.entries, load_register(root / "data" / "uk-local-authorities.csv"), today)
    groups = stale_by_council(catalog)
    print(markdown(groups, today) if args.format == "markdown" else text_report(groups, today), end="")
    return EXIT_OK


@dataclass(frozen=True)
class Item:
    kind: str  # the content type's name: pattern, playbook or commitment
    title: str
    path: str
    key: str  # the pattern or playbook slug, or the commitment id
    since: dt.date  # last reviewed, or last updated


@dataclass
class Group:
    council: Council | None  # None for an owner code that is not a current council
    code: str
    items: list[Item] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.council.name} ({self.code})" if self.council else self.code


def stale_by_council(catalog: Catalog) -> list[Group]:
    """Councils with something stale, in the Catalog's council order; in each, patterns, then playbooks,
    then commitments, each oldest first."""
    groups: dict[str, Group] = {}

    def add(codes: Iterable[str], item: Item) -> None:
        for code in codes:
            if code not in groups:
                groups[code] = Group(catalog.councils.get(code), code)
            groups[code].items.append(item)

    for p in sorted(catalog.patterns.values(), key=lambda p: (p.last_reviewed, p.slug)):
        if p.stale:
            add(p.councils, Item(PATTERN.name, p.title, p.path, p.slug, p.last_reviewed))
    for b in sorted(catalog.playbooks.values(), key=lambda b: (b.last_reviewed, b.slug)):
        if b.stale:
            add(b.councils, Item(PLAYBOOK.name, b.title, b.path, b.slug, b.last_reviewed))
    for c in sorted(catalog.commitments, key=lambda c: (c.last_update.date, c.council, c.id)):
        if c.stale:
            add([c.council], Item(DECLARATION.name, c.title, c.path, c.id, c.last_update.date))
    order = {code: i for i, code in enumerate(catalog.councils)}
    return sorted(groups.values(), key=lambda g: (order.get(g.code, len(order)), g.code))


def _counted(groups: list[Group]) -> str:
    seen: dict[str, set[tuple[str, str]]] = {kind: set() for kind in (PATTERN.name, PLAYBOOK.name, DECLARATION.name)}
    for g in groups:
        for item in g.items:
            seen[item.kind].add((item.path, item.key))
    parts = [f"{len(keys)} {kind}{'' if len(keys) == 1 else 's'}" for kind, keys in seen.items()]
    return f"{parts[0]}, {parts[1]} and {parts[2]}"


_DONE = "patterns and playbooks were reviewed, and commitments updated, in the last 12 months"
_ASK = ("Patterns and playbooks: check the page is still right, then set `last-reviewed` to the day you did. "
        "Commitments: add a dated entry to the history, even when the status has not changed.")


def _what(item: Item) -> str:
    return "last reviewed" if item.kind != DECLARATION.name else "last updated"


def text_report(groups: list[Group], today: dt.date) -> str:
    """The report for a terminal: one line per stale entry, starting with its file."""
    if not groups:
        return f"Nothing is stale on {today.isoformat()}: all {_DONE}.\n"
    lines = [f"Stale on {today.isoformat()}: {_counted(groups)}.", ""]
    for g in groups:
        who = _maintainers(g)
        lines.append(f"{g.name}: ask {who}" if who else f"{g.name}: no maintainers listed (no folder in the commons)")
        for item in g.items:
            key = f" ({item.key})" if item.kind == DECLARATION.name else ""
            lines.append(f"  {item.path}: {item.kind} \"{item.title}\"{key} {_what(item)} {item.since.isoformat()}")
        lines.append("")
    lines.append(_ASK)
    return "\n".join(lines) + "\n"


def markdown(groups: list[Group], today: dt.date) -> str:
    """The report as the body of a GitHub issue: a checklist per council, mentioning its maintainers.

    Every contributed value goes through `markdown_text`, so a title cannot format, link or @mention.
    """
    day = f"{today.day} {today:%B %Y}"
    if not groups:
        return f"Nothing is stale on {day}: all {_DONE}.\n"
    lines = [f"Stale on {day}: {_counted(groups)}.", "", _ASK, ""]
    for g in groups:
        lines += [f"## {markdown_text(g.name)}", ""]
        who = ", ".join(mention(m) for m in g.council.maintainers) if g.council else ""
        lines += [f"Maintainers: {who}" if who else
                  "No maintainers listed: the council has no folder in the commons yet.", ""]
        for item in g.items:
            key = f" ({markdown_code(item.key)})" if item.kind == DECLARATION.name else ""
            lines.append(f"- [ ] {item.kind.capitalize()} *{markdown_text(item.title)}*{key} in "
                         f"{markdown_code(item.path)}: {_what(item)} {item.since.day} {item.since:%B %Y}")
        lines.append("")
    return "\n".join(lines)


def _maintainers(g: Group) -> str:
    return ", ".join(f"@{m}" for m in g.council.maintainers) if g.council else ""

