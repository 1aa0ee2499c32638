"""`commons stale`: what is past its review or its target, grouped by the council to ask.

Patterns and playbooks are reviewed yearly (`last-reviewed`); Declaration
commitments need a dated update at least yearly until they are done or
stopped, and one past its target and not done or stopped is overdue. "Stale"
and "overdue" are the model's one definition (`model.STALE_AFTER_DAYS`,
`commons.content.history`), judged as of `--today`: the note `commons
reorganise` adds to a moved commitment is not an update. The report lists,
council by council, each such entry and the council's maintainers to ask; a
pattern or playbook owned by several councils is listed under each.

Abolished councils still named (the validator's E-ABOLISHED) do not stop the
report: it runs on, lists them with the `commons reorganise` that moves each,
and lists an abolished council's own stale entries under it, with the
maintainers its folder names. Any other error does stop it.
The Markdown format is the body of the issue a weekly workflow opens.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from commons.content.schema import DECLARATION, PATTERN, PLAYBOOK
from commons.content.vocabulary import COMMITMENT_STATUSES
from commons.markdown_text import markdown_code, markdown_text, mention

if TYPE_CHECKING:  # the model is loaded when the command runs, so `commons --help` stays quick
    from commons.content.model import Catalog
    from commons.content.problems import Problem
    from commons.content.register import Register

HELP = "list patterns, playbooks and commitments not reviewed or updated for 12 months, or past their target"
DESCRIPTION = (
    "List the patterns and playbooks whose last-reviewed date is more than 12 months old, the Local Digital "
    "Declaration commitments not done or stopped with no update for 12 months, and those past their target and "
    "not done or stopped (overdue), grouped by council with the maintainers to ask. Abolished councils still "
    "named are listed with the commons reorganise command that moves each. Exit 0 (it is a report, whatever it "
    "finds), 1 if the content does not validate for any other reason, 2 on usage errors."
)
ABOLISHED = "E-ABOLISHED"  # the one error the report runs despite


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
    if any(p.is_error and p.code != ABOLISHED for p in report.problems):
        text = format_text(report.problems)
        if text:
            print(text)
        print(summary_line(report.problems, report.files))
        return EXIT_PROBLEMS
    register = load_register(root / "data" / "uk-local-authorities.csv")
    catalog = build_catalog(report.entries, register, today)
    # An abolished council's folder, until it is reorganised: its maintainers are the ones to ask.
    folders = {str(e.meta["code"]): tuple(e.meta.get("maintainers") or ()) for e in report.entries
               if e.ctype.name == "council" and isinstance(e.meta, dict) and isinstance(e.meta.get("code"), str)}
    groups = stale_by_council(catalog, register, folders)
    gone = abolished_councils(report.problems, register)
    print(markdown(groups, today, gone) if args.format == "markdown" else text_report(groups, today, gone), end="")
    return EXIT_OK


@dataclass(frozen=True)
class Item:
    kind: str  # the content type's name: pattern, playbook or commitment
    title: str
    path: str
    key: str  # the pattern or playbook slug, or the commitment id
    since: dt.date | None  # last reviewed, or last updated, when that makes it stale
    target: dt.date | None = None  # a commitment's target, when it is past it and not done or stopped
    status: str = ""  # an overdue commitment's status, in words ("in progress")


@dataclass
class Group:
    code: str
    name: str  # "London Borough of Hackney (HCK)"
    maintainers: tuple[str, ...]
    has_folder: bool
    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class Abolished:
    """An abolished council the content still names, where, and the command that moves it."""

    code: str
    name: str
    end: str
    places: tuple[tuple[str, int], ...]  # (path, line) of each mention
    command: str  # "commons reorganise TAU --into SMT", or "" when the register names no successor


def stale_by_council(catalog: Catalog, register: Register | None = None,
                     folders: Mapping[str, tuple[str, ...]] | None = None) -> list[Group]:
    """Councils with something stale or overdue, in the Catalog's council order (then codes that are not current
    councils); in each, patterns, then playbooks, then commitments, each oldest first. `folders` gives the
    maintainers of councils not in the Catalog (abolished ones) by code, for those that still have a folder."""
    groups: dict[str, Group] = {}

    def add(codes: Iterable[str], item: Item) -> None:
        for code in codes:
            if code not in groups:
                groups[code] = _group(catalog, code, register, folders or {})
            groups[code].items.append(item)

    for p in sorted(catalog.patterns.values(), key=lambda p: (p.last_reviewed, p.slug)):
        if p.stale:
            add(p.councils, Item(PATTERN.name, p.title, p.path, p.slug, p.last_reviewed))
    for b in sorted(catalog.playbooks.values(), key=lambda b: (b.last_reviewed, b.slug)):
        if b.stale:
            add(b.councils, Item(PLAYBOOK.name, b.title, b.path, b.slug, b.last_reviewed))
    for c in sorted(catalog.commitments, key=lambda c: (c.last_update.date, c.council, c.id)):
        if c.stale or c.overdue:
            add([c.council], Item(DECLARATION.name, c.title, c.path, c.id, c.last_update.date if c.stale else None,
                                  c.target if c.overdue else None, COMMITMENT_STATUSES[c.status].lower()))
    order = {code: i for i, code in enumerate(catalog.councils)}
    return sorted(groups.values(), key=lambda g: (order.get(g.code, len(order)), g.code))


def _group(catalog: Catalog, code: str, register: Register | None, folders: Mapping[str, tuple[str, ...]]) -> Group:
    council = catalog.councils.get(code)
    if council is not None:
        return Group(code, f"{council.name} ({code})", council.maintainers, council.has_folder)
    gone = register.get(code) if register is not None else None
    name = f"{gone.name} ({code}), abolished on {gone.end}" if gone is not None and gone.end else code
    return Group(code, name, folders.get(code, ()), code in folders)


def abolished_councils(problems: Iterable[Problem], register: Register) -> list[Abolished]:
    """The abolished councils the E-ABOLISHED problems name (each message starts with the code), by code."""
    places: dict[str, list[tuple[str, int]]] = {}
    for p in problems:
        code = p.message.split(" ", 1)[0]
        if p.code == ABOLISHED and register.get(code) is not None:
            places.setdefault(code, []).append((p.path, p.line))
    out = []
    for code in sorted(places):
        a = register.get(code)
        assert a is not None
        into = " ".join(s.code for s in register.successors(code))
        out.append(Abolished(code, a.name, a.end, tuple(sorted(set(places[code]))),
                             f"commons reorganise {code} --into {into}" if into else ""))
    return out


def _counted(groups: list[Group]) -> str:
    seen: dict[str, set[tuple[str, str]]] = {kind: set() for kind in (PATTERN.name, PLAYBOOK.name, DECLARATION.name)}
    overdue: set[tuple[str, str]] = set()
    for g in groups:
        for item in g.items:
            if item.since is not None:
                seen[item.kind].add((item.path, item.key))
            if item.target is not None:
                overdue.add((item.path, item.key))
    parts = [f"{len(keys)} {kind}{'' if len(keys) == 1 else 's'}" for kind, keys in seen.items()]
    late = f"; {len(overdue)} commitment{'' if len(overdue) == 1 else 's'} overdue" if overdue else ""
    return f"{parts[0]}, {parts[1]} and {parts[2]}{late}"


_DONE = ("patterns and playbooks were reviewed, and commitments updated, in the last 12 months, and no "
         "commitment is past its target")
_ASK = ("Patterns and playbooks: check the page is still right, then set `last-reviewed` to the day you did. "
        "Commitments: add a dated entry to the history, even when the status has not changed; for one past its "
        "target, say whether it is done, stopped or still going (and set a new `target` if the date has moved). "
        "Done and stopped commitments are not asked for updates.")


def _what(item: Item, show: Callable[[dt.date], str]) -> str:
    """Why the item is listed, its dates shown by `show`: 'last updated 2024-01-08; overdue: target 2026-03-31,
    still in progress'."""
    parts = []
    if item.since is not None:
        parts.append(("last reviewed " if item.kind != DECLARATION.name else "last updated ") + show(item.since))
    if item.target is not None:
        parts.append(f"overdue: target {show(item.target)}, still {item.status}")
    return "; ".join(parts)


def _abolished_text(gone: Sequence[Abolished]) -> list[str]:
    lines = ["Abolished councils still named (commons validate reports each as E-ABOLISHED):"]
    for a in gone:
        where = ", ".join(f"{path}:{line}" if line else path for path, line in a.places)
        lines.append(f"  {a.name} ({a.code}), abolished on {a.end}: {where}")
        lines.append(f"    run: {a.command}" if a.command else "    the register names no successor: remove it")
    return [*lines, ""]


def text_report(groups: list[Group], today: dt.date, gone: Sequence[Abolished] = ()) -> str:
    """The report for a terminal: one line per stale or overdue entry, starting with its file."""
    if not groups and not gone:
        return f"Nothing is stale or overdue on {today.isoformat()}: all {_DONE}.\n"
    lines = [f"Stale on {today.isoformat()}: {_counted(groups)}.", ""]
    if gone:
        lines += _abolished_text(gone)
    for g in groups:
        who = ", ".join(f"@{m}" for m in g.maintainers)
        lines.append(f"{g.name}: ask {who}" if who else f"{g.name}: no maintainers listed"
                     + ("" if g.has_folder else " (no folder in the commons)"))
        for item in g.items:
            key = f" ({item.key})" if item.kind == DECLARATION.name else ""
            lines.append(f"  {item.path}: {item.kind} \"{item.title}\"{key} {_what(item, dt.date.isoformat)}")
        lines.append("")
    lines.append(_ASK)
    return "\n".join(lines) + "\n"


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def markdown(groups: list[Group], today: dt.date, gone: Sequence[Abolished] = ()) -> str:
    """The report as the body of a GitHub issue: a checklist per council, mentioning its maintainers.

    Every contributed value goes through `markdown_text`, so a title cannot format, link or @mention.
    """
    if not groups and not gone:
        return f"Nothing is stale or overdue on {_long(today)}: all {_DONE}.\n"
    lines = [f"Stale on {_long(today)}: {_counted(groups)}.", "", _ASK, ""]
    if gone:
        lines += ["## Abolished councils still named", "",
                  "`commons validate` reports each as an error (E-ABOLISHED) until it is moved to its successor.", ""]
        for a in gone:
            where = ", ".join(markdown_code(f"{path}:{line}" if line else path) for path, line in a.places)
            then = f"run {markdown_code(a.command)}" if a.command else "the register names no successor: remove it"
            lines.append(f"- [ ] {markdown_text(a.name)} ({markdown_code(a.code)}), abolished on "
                         f"{markdown_text(a.end)}, in {where}: {then}")
        lines.append("")
    for g in groups:
        lines += [f"## {markdown_text(g.name)}", ""]
        who = ", ".join(mention(m) for m in g.maintainers)
        lines += [f"Maintainers: {who}" if who else "No maintainers listed" + (
                  "." if g.has_folder else ": the council has no folder in the commons yet."), ""]
        for item in g.items:
            key = f" ({markdown_code(item.key)})" if item.kind == DECLARATION.name else ""
            lines.append(f"- [ ] {item.kind.capitalize()} *{markdown_text(item.title)}*{key} in "
                         f"{markdown_code(item.path)}: {_what(item, _long)}")
        lines.append("")
    return "\n".join(lines)
