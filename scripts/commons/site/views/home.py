"""What the home page prints: how much the commons holds, what changed lately, and what is new."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from commons.content import urls
from commons.content.model import Catalog
from commons.content.vocabulary import COMMITMENT_STATUSES
from commons.site.state import SiteState
from commons.site.views.parts import KIND_LABELS


@dataclass(frozen=True)
class Counts:
    patterns: int
    case_studies: int
    playbooks: int
    sessions: int
    councils_contributing: int
    councils: int
    commitments: int
    adoptions: int


def counts(c: Catalog) -> Counts:
    return Counts(len(c.patterns), len(c.case_studies), len(c.playbooks), len(c.sessions),
                  len(c.contributing_councils), len(c.councils), len(c.commitments),
                  sum(len(p.adopters) for p in c.patterns.values()))


@dataclass(frozen=True)
class Recent:
    title: str
    url: str
    kind: str
    day: dt.date
    kind_label: str = ""  # "Case study"


def recently_updated(s: SiteState, limit: int = 8) -> list[Recent]:
    """Entries by the date git last saw them change (their own date outside git), newest first."""
    c = s.catalog
    items: list[Recent] = []
    for p in c.patterns.values():
        items.append(_recent(p.title, p.url, "pattern", s.changed(p.path) or p.last_reviewed))
    for cs in c.case_studies.values():
        items.append(_recent(cs.title, cs.url, "case-study", s.changed(cs.path) or cs.date))
    for b in c.playbooks.values():
        items.append(_recent(b.title, b.url, "playbook", s.changed(b.path) or b.last_reviewed))
    for se in c.sessions.values():
        items.append(_recent(se.title, se.url, "session", s.changed(se.path) or se.date))
    items.sort(key=lambda r: (r.day, r.url), reverse=True)
    return items[:limit]


def _recent(title: str, url: str, kind: str, day: dt.date) -> Recent:
    return Recent(title, url, kind, day, KIND_LABELS[kind])


@dataclass(frozen=True)
class News:
    day: dt.date
    text: str
    url: str
    status: str  # a commitment update's status, or "" for a case study
    status_label: str = ""  # the status as shown, or ""


def whats_new(c: Catalog, limit: int = 8) -> list[News]:
    """The latest commitment updates and case studies, by their own dates, newest first."""
    items: list[News] = []
    for cm in c.commitments:
        council = c.councils[cm.council]
        u = cm.last_update
        items.append(News(u.date, f"{council.short_name}: {cm.title}", urls.commitment(council.slug, cm.id), u.status,
                          COMMITMENT_STATUSES[u.status]))
    for cs in c.case_studies.values():
        items.append(News(cs.date, f"{KIND_LABELS['case-study']}: {cs.title}", cs.url, ""))
    items.sort(key=lambda n: (n.day, n.url), reverse=True)
    return items[:limit]


@dataclass(frozen=True)
class HomePage:
    counts: Counts
    recently_updated: list[Recent]
    whats_new: list[News]


def home_page(s: SiteState) -> HomePage:
    return HomePage(counts(s.catalog), recently_updated(s), whats_new(s.catalog))
