"""What the /market/ page prints: for each kind of system, how many councils have recorded a contract for it, each
supplier's share and how many councils' systems have open APIs; contract end dates by quarter for the next five
years; and the procurement windows (commons.analysis.market), councils who could buy together.

Figures count contracts still running on the Catalog's day (extensions counted: `Contract.ends`); where any of
them are illustrative (starter content), the figure says so. Suppliers, products and notes are contributed text:
the template prints them escaped."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from commons.analysis import market
from commons.content.contracts import Contract
from commons.content.model import Catalog
from commons.content.vocabulary import SYSTEM_CATEGORIES
from commons.site import market_charts
from commons.site.charts import Chart
from commons.site.market_switch import market_views
from commons.site.views.parts import Link, council_link, plural

PLAYBOOK = "buy-a-system-together-with-other-councils"  # playbooks/<slug>.md, the joint-procurement playbook
QUARTERS = 20  # five years ahead, by quarter


@dataclass(frozen=True)
class Category:
    """One kind of system."""

    slug: str  # its HTML id
    label: str
    councils: int  # councils that have recorded a contract for it, running or not
    running: int  # councils with a contract for it still running
    open_api: int  # of those, councils whose system has an open API
    partial_api: int  # … and those whose has a partial one
    illustrative: int  # running contracts that are examples (starter content)
    shares: Chart | None  # councils by supplier; None when none is still running

    @property
    def recorded(self) -> str:
        """"3 councils have" (recorded a contract)."""
        return f"{plural(self.councils, 'council', 'councils')} {'has' if self.councils == 1 else 'have'}"


@dataclass(frozen=True)
class WindowRow:
    council: Link
    code: str
    supplier: str
    product: str
    ends: dt.date
    extended: bool  # `ends` is its extension's end
    maintainers: tuple[str, ...]  # GitHub logins
    notes: str
    illustrative: bool


@dataclass(frozen=True)
class WindowView:
    id: str  # HTML id
    category: str  # label
    start: dt.date
    finish: dt.date
    rows: list[WindowRow]
    councils: int
    illustrative: bool  # any of its contracts is an example


@dataclass(frozen=True)
class MarketPage:
    today: dt.date
    contracts: int  # contracts recorded
    councils: int  # councils that have recorded any
    illustrative: int  # of the contracts recorded, examples
    categories: list[Category]  # the kinds with any contract, in data/system-categories.yml's order
    endings: Chart
    endings_illustrative: int  # of the contracts in the timeline, examples
    windows: list[WindowView]
    window_count: int
    horizon: dt.date  # the last day a window's contracts may end
    playbook: Link | None  # the joint-procurement playbook, when the commons has it


def market_page(c: Catalog) -> MarketPage:
    today = c.today
    # Without the market views (the bench's peer build), the page is there for the navigation, with nothing on it.
    every = [k for council in c.councils.values() for k in council.contracts] if market_views() else []
    running = [k for k in every if k.ends >= today]
    categories = [_category(slug, label, [k for k in every if k.system == slug], today)
                  for slug, label in SYSTEM_CATEGORIES.items() if any(k.system == slug for k in every)]
    horizon = market.add_months(today, market.DEFAULT_WITHIN_MONTHS)
    first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarters = [market.add_months(first, 3 * i) for i in range(QUARTERS)]
    ending = Counter(_quarter(k.ends) for k in running)
    in_timeline = [k for k in running if quarters[0] <= _quarter(k.ends) <= quarters[-1]]
    endings = market_charts.endings_chart(
        "endings", "Contract end dates by quarter",
        f"Contracts ending in each quarter from {market_charts.quarter_label(quarters[0])} to "
        f"{market_charts.quarter_label(quarters[-1])}, extensions counted{_marked(in_timeline)}.",
        [(q, ending[q]) for q in quarters])
    found = market.windows(c, today) if every else []
    return MarketPage(
        today=today, contracts=len(every), councils=len({k.council for k in every}),
        illustrative=sum(k.illustrative for k in every), categories=categories, endings=endings,
        endings_illustrative=sum(k.illustrative for k in in_timeline),
        windows=[_window(c, w, i) for i, w in enumerate(found, 1)], window_count=len(found), horizon=horizon,
        playbook=Link(c.playbooks[PLAYBOOK].title, c.playbooks[PLAYBOOK].url) if PLAYBOOK in c.playbooks else None,
    )


def _quarter(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _marked(contracts: list[Contract]) -> str:
    """How a caption says its figures are made from examples: "; illustrative (3 of 5 contracts are examples)"."""
    n = sum(k.illustrative for k in contracts)
    if not n:
        return ""
    return "; illustrative: " + ("every one is an example" if n == len(contracts) else
                                 f"{n} of {plural(len(contracts), 'contract', 'contracts')} are examples")


def _in_a_sentence(label: str) -> str:
    """A category's label inside a sentence: "revenues and benefits", but "CRM and contact centre"."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _category(slug: str, label: str, contracts: list[Contract], today: dt.date) -> Category:
    running = [k for k in contracts if k.ends >= today]
    by_council = {k.council: k for k in sorted(running, key=lambda k: k.ends)}  # its latest-ending one
    suppliers = Counter(k.supplier for k in by_council.values())
    counts = sorted(suppliers.items(), key=lambda s: (-s[1], s[0].lower()))
    shares = market_charts.share_chart(
        f"shares-{slug}", f"{label} by supplier", f"The councils with a contract for {_in_a_sentence(label)} still "
        f"running, by supplier{_marked(list(by_council.values()))}.", counts, len(by_council)) if counts else None
    return Category(
        slug=slug, label=label, councils=len({k.council for k in contracts}), running=len(by_council),
        open_api=sum(k.open_api == "yes" for k in by_council.values()),
        partial_api=sum(k.open_api == "partial" for k in by_council.values()),
        illustrative=sum(k.illustrative for k in by_council.values()), shares=shares)


def _window(c: Catalog, w: market.Window, n: int) -> WindowView:
    rows = []
    for k in w.contracts:
        council = c.councils[k.council]
        rows.append(WindowRow(council_link(c, k.council), k.council, k.supplier, k.product, k.ends,
                              k.extension_until is not None, council.maintainers, k.notes, k.illustrative))
    return WindowView(f"window-{n}", SYSTEM_CATEGORIES.get(w.category, w.category), w.start, w.finish, rows,
                      len(w.councils), any(k.illustrative for k in w.contracts))

