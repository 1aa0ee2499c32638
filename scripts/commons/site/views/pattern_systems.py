"""What a platform pattern's page says about the systems councils run it on (issue 17).

The link is the pattern's own `systems` field: the kinds of system (data/system-categories.yml) it runs on, the
same slugs contracts.yml names a contract's `system` with. For each council that owns or has adopted the pattern,
its contracts for those kinds of system, as its contracts.yml records them (running ones; ended ones are history);
the councils using it that record none are named as such, and how many other councils record such a contract,
with the market page that shows them. Nothing is inferred from tags or titles: a pattern without `systems` shows
nothing here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from commons.content import urls
from commons.content.model import Catalog, Pattern
from commons.content.vocabulary import OPEN_API, SYSTEM_CATEGORIES
from commons.site.market_switch import market_views
from commons.site.views.parts import Link, council_link


@dataclass(frozen=True)
class SystemRow:
    """One council's contract for one of the pattern's kinds of system."""

    council: Link
    category: str  # label
    supplier: str
    product: str
    ends: dt.date  # with its extension
    open_api: str  # label
    illustrative: bool
    contract: Link  # its row on the council's page


@dataclass(frozen=True)
class PatternSystems:
    categories: list[str]  # the pattern's kinds of system, labelled
    runs_on: str  # "payments", "CRM and contact centre and payments": as a sentence says them
    rows: list[SystemRow]  # by council, in the order the pattern's councils are listed, then adopters
    unrecorded: list[Link]  # councils using the pattern that record no running contract for them
    others: int  # other councils that record a running contract for one of them
    others_text: str  # "2 other councils record a contract for this system"
    illustrative: bool  # a row is an example

    @property
    def several(self) -> bool:
        """More than one kind of system: the table says which each row is."""
        return len(self.categories) > 1


def pattern_systems(c: Catalog, p: Pattern) -> PatternSystems | None:
    """The systems section of a pattern's page; None for a pattern with no `systems`."""
    if not p.systems or not market_views():
        return None
    wanted = set(p.systems)
    users = list(dict.fromkeys([*p.councils, *(a.council for a in p.adopters)]))
    rows: list[SystemRow] = []
    unrecorded: list[Link] = []
    for code in users:
        council = c.councils.get(code)
        if council is None:
            continue
        found = [k for k in council.contracts if k.system in wanted and k.ends >= c.today]
        if not found:
            unrecorded.append(council_link(c, code))
        rows += [SystemRow(council_link(c, code), k.system_label, k.supplier, k.product, k.ends,
                           OPEN_API.get(k.open_api, k.open_api), k.illustrative,
                           Link(council.short_name, urls.contract(council.slug, k.id))) for k in found]
    others = sum(1 for code, council in c.councils.items() if code not in users and any(
        k.system in wanted and k.ends >= c.today for k in council.contracts))
    labels = [SYSTEM_CATEGORIES.get(s, s) for s in p.systems]
    said = [x[0].lower() + x[1:] if x[1:2].islower() else x for x in labels]  # "CRM and…" keeps its capitals
    runs_on = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    others_text = (f"{others} other council{'s' if others != 1 else ''} record{'' if others != 1 else 's'} a "
                   f"contract for {'this system' if len(said) == 1 else 'these systems'}")
    return PatternSystems(labels, runs_on, rows, unrecorded, others, others_text, any(r.illustrative for r in rows))
