"""What the Declaration dashboard prints: its totals, its charts (commons.site.charts), and the stale and the
overdue commitments (the model's `stale` and `overdue`: neither is ever done or stopped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from commons.content import urls
from commons.content.model import Catalog
from commons.content.vocabulary import COMMITMENT_STATUSES
from commons.site import charts
from commons.site.progress import Progress
from commons.site.views.parts import Link, council_link


@dataclass(frozen=True)
class StaleRow:
    """A commitment with no update for 12 months."""

    council: Link
    commitment: Link  # to its section of the council's page
    status: str  # label
    last_update: dt.date


@dataclass(frozen=True)
class OverdueRow:
    """A commitment past its target and not done or stopped."""

    council: Link
    commitment: Link  # to its section of the council's page
    status: str  # label
    target: dt.date


@dataclass(frozen=True)
class DashboardPage:
    board: charts.Dashboard
    total_noun: str  # "commitment" or "commitments", for board.total
    councils: int  # every current council in the register
    stale_count: int
    charts: list[charts.Chart]  # in the order shown; the chart over time only with git history
    stale: list[StaleRow]  # oldest last update first
    overdue_count: int
    overdue: list[OverdueRow]  # longest overdue first


def dashboard_page(c: Catalog, progress: Progress | None = None) -> DashboardPage:
    board = charts.dashboard(c, progress)
    shown = [board.by_status, board.over_time, board.by_principle, board.by_nation, board.by_region,
             board.by_council_type]
    stale = []
    for cm in board.stale:
        council = c.councils[cm.council]
        stale.append(StaleRow(council_link(c, cm.council), Link(cm.title, urls.commitment(council.slug, cm.id)),
                              COMMITMENT_STATUSES[cm.status], cm.last_update.date))
    overdue = []
    for cm in sorted(c.commitments, key=lambda cm: (cm.target or c.today, cm.council, cm.id)):
        if cm.overdue and cm.target is not None:
            council = c.councils[cm.council]
            overdue.append(OverdueRow(council_link(c, cm.council), Link(cm.title, urls.commitment(council.slug, cm.id)),
                                      COMMITMENT_STATUSES[cm.status], cm.target))
    return DashboardPage(
        board=board,
        total_noun="commitment" if board.total == 1 else "commitments", councils=len(c.councils),
        stale_count=len(board.stale), charts=[chart for chart in shown if chart], stale=stale,
        overdue_count=len(overdue), overdue=overdue,
    )
