"""Procurement windows: where councils' contracts for the same kind of system end together, so they could buy
together instead of alone.

A window is a group of at least two councils whose contracts in one system category end (extensions counted:
`Contract.ends`) within the same twelve months. Windows are found category by category, earliest end first: a
window opens at the earliest end not yet in one and takes every contract ending before the same day a year
later; with fewer than two councils in it, it moves on to the next end. So windows never overlap and each
contract is in at most one. Only contracts still running on `today` and ending within `within_months` count.
Everything here is computed from the Catalog and nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from commons.content.contracts import Contract
from commons.content.model import Catalog

DEFAULT_WITHIN_MONTHS = 60  # five years: about as far ahead as councils plan a re-procurement
WINDOW_MONTHS = 12


@dataclass(frozen=True)
class Window:
    category: str  # a slug of data/system-categories.yml
    start: dt.date  # the earliest end in it ("from")
    finish: dt.date  # the latest end in it ("to")
    contracts: tuple[Contract, ...]  # by end date, then council code

    @property
    def councils(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.council for c in self.contracts))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day: 31 January + 1 is 28 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in range(day.day, 27, -1):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    return dt.date(year, month, min(day.day, 28))


def windows(catalog: Catalog, today: dt.date, within_months: int = DEFAULT_WITHIN_MONTHS,
            category: str | None = None) -> list[Window]:
    """Every procurement window among the councils' contracts, by category (in data/'s order), then by date."""
    horizon = add_months(today, within_months)
    found = [c for council in catalog.councils.values() for c in council.contracts
             if today <= c.ends <= horizon and (category is None or c.system == category)]
    by_category: dict[str, list[Contract]] = defaultdict(list)
    for c in found:
        by_category[c.system].append(c)
    order = list(catalog.labels.get("system", {}))
    out: list[Window] = []
    for system in sorted(by_category, key=lambda s: (order.index(s) if s in order else len(order), s)):
        out += _windows_in(system, by_category[system])
    return out


def _windows_in(system: str, contracts: Iterable[Contract]) -> list[Window]:
    ordered = sorted(contracts, key=lambda c: (c.ends, c.council, c.id))
    out: list[Window] = []
    i = 0
    while i < len(ordered):
        closes = add_months(ordered[i].ends, WINDOW_MONTHS)
        j = i
        while j < len(ordered) and ordered[j].ends < closes:
            j += 1
        group = ordered[i:j]
        if len({c.council for c in group}) >= 2:
            out.append(Window(system, group[0].ends, group[-1].ends, tuple(group)))
            i = j
        else:
            i += 1
    return out


def as_data(found: Sequence[Window]) -> list[dict[str, object]]:
    """The windows as `commons market --format json` prints them (and open data will publish them)."""
    return [{"category": w.category, "from": w.start.isoformat(), "to": w.finish.isoformat(),
             "councils": [{"code": c.council, "supplier": c.supplier, "end": c.ends.isoformat()}
                          for c in w.contracts]}
            for w in found]
