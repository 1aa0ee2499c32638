"""What the index pages print: each kind's list, in its order, and the filters over it with their counts.

Every list item carries, as data attributes, the values the filters match (commons.js hides the rest);
a value an item has several of (the nations of a pattern's councils) is joined with `|` by the template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar

from commons.content.model import Catalog, Council, Pattern, Playbook, Session
from commons.content.vocabulary import PATTERN_STATUSES, SERVICE_AREAS
from commons.site.views.council import council_principles, principle_label
from commons.site.views.entries import pattern_nations
from commons.site.views.parts import Filter, Option, facet, nations, plural

Item = TypeVar("Item")


@dataclass(frozen=True)
class IndexPage(Generic[Item]):
    filters: list[Filter]
    total: int  # how many items the list holds before filtering
    items: list[Item]  # in the order the page lists them


# --- Patterns -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatternCard:
    """What the list prints of one pattern, and nothing more: `commons serve` renders an index page again only
    when its view changes, which an edit to a pattern's body does not."""

    slug: str
    title: str
    url: str
    summary: str
    area: str  # the service area's slug, which the filter matches
    service_area: str  # its label
    status_key: str  # the status's slug, which the filter matches and the tag is styled by
    status: str  # label
    nations: list[str]  # of the councils that own or use it
    meta: str  # "Used by 3 councils · 1 case study"


def patterns_index(c: Catalog) -> IndexPage[PatternCard]:
    """Patterns by title (ignoring case), filtered by service area, status and the nations of their councils."""
    items = list(c.patterns.values())
    filters = [
        Filter("area", "Service area", facet((p.service_area for p in items), SERVICE_AREAS)),
        Filter("status", "Status", facet((p.status for p in items), PATTERN_STATUSES)),
        Filter("nation", "Nation of a council using it",
               facet(n for p in items for n in pattern_nations(c, p))),
    ]
    cards = [PatternCard(p.slug, p.title, p.url, p.summary, p.service_area, SERVICE_AREAS[p.service_area], p.status,
                         PATTERN_STATUSES[p.status], pattern_nations(c, p), _pattern_meta(p))
             for p in sorted(items, key=lambda p: p.title.lower())]
    return IndexPage(filters, len(items), cards)


def _pattern_meta(p: Pattern) -> str:
    meta = "Used by " + plural(len(p.adopters), "council", "councils")
    if p.case_studies:
        meta += " · " + plural(len(p.case_studies), "case study", "case studies")
    return meta


# --- Case studies -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseStudyCard:
    """What the list prints of one case study, and nothing more (as PatternCard)."""

    slug: str
    title: str
    url: str
    summary: str
    date: dt.date
    area: str  # the service area's slug, which the filter matches
    service_area: str  # its label
    council: str  # its council's code, which the filter matches
    nation: str  # of its council
    council_name: str  # short name


def case_studies_index(c: Catalog) -> IndexPage[CaseStudyCard]:
    """Case studies newest first, filtered by service area, nation and council."""
    items = list(c.case_studies.values())
    council_names = {code: council.short_name for code, council in c.councils.items()}
    filters = [
        Filter("area", "Service area", facet((cs.service_area for cs in items), SERVICE_AREAS)),
        Filter("nation", "Nation", facet(c.councils[cs.council].nation for cs in items)),
        Filter("council", "Council", facet((cs.council for cs in items), council_names)),
    ]
    cards = [CaseStudyCard(cs.slug, cs.title, cs.url, cs.summary, cs.date, cs.service_area,
                           SERVICE_AREAS[cs.service_area], cs.council, c.councils[cs.council].nation,
                           c.councils[cs.council].short_name)
             for cs in sorted(items, key=lambda cs: cs.date, reverse=True)]
    return IndexPage(filters, len(items), cards)


# --- Playbooks ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaybookCard:
    playbook: Playbook
    nations: list[str]  # of the councils that own it
    kind: str  # "Playbook · 5 steps · Two days"
    audience: str  # "council officers, designers", in lower case


def playbooks_index(c: Catalog) -> IndexPage[PlaybookCard]:
    """Playbooks by title (ignoring case), filtered by the nations of the councils that own them."""
    items = list(c.playbooks.values())
    filters = [Filter("nation", "Nation of an owning council", facet(n for b in items for n in nations(c, b.councils)))]
    cards = [PlaybookCard(b, nations(c, b.councils), f"Playbook · {len(b.steps)} steps · {b.time_needed}",
                          ", ".join(b.audience).lower()) for b in sorted(items, key=lambda b: b.title.lower())]
    return IndexPage(filters, len(items), cards)


# --- Sessions -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionCard:
    session: Session
    meta: str  # "3 patterns discussed · hosted by A, B"


def sessions_index(c: Catalog) -> IndexPage[SessionCard]:
    """Sessions newest first, filtered by event."""
    items = list(c.sessions.values())
    filters = [Filter("event", "Event", facet(s.event for s in items))]
    cards = [SessionCard(s, plural(len(s.patterns), "pattern", "patterns") + " discussed · hosted by "
                         + ", ".join(s.hosts)) for s in sorted(items, key=lambda s: s.date, reverse=True)]
    return IndexPage(filters, len(items), cards)


# --- Councils -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CouncilRow:
    council: Council
    principles: list[str]  # numbers of the principles it has commitments under
    joined: str  # "yes" when it has a folder in the commons, else "no"
    adopted: str  # how many patterns it has adopted; "" for a council not in the commons
    commitments: str  # how many commitments it has recorded; "" for a council not in the commons
    not_recorded: str = ""  # what its two count cells say instead, for a council not in the commons


# The councils table's count cells for a council with no folder: nothing recorded is not zero recorded.
NOT_RECORDED = "Not in the commons yet"


def councils_index(c: Catalog) -> IndexPage[CouncilRow]:
    """Every current council in the register's order, filtered by nation, region, type, the principles it has
    commitments under, and whether it is in the commons."""
    items = list(c.councils.values())
    filters = [
        Filter("nation", "Nation", facet(x.nation for x in items)),
        Filter("region", "Region", facet(x.region for x in items)),
        Filter("type", "Council type", facet(x.type_name for x in items)),
        Filter("principle", "Has commitments on principle", principle_facet(items)),
        Filter("joined", "In the commons", [Option("yes", "Contributing councils", len(c.contributing_councils))]),
    ]
    rows = [CouncilRow(x, council_principles(x), "yes" if x.has_folder else "no",
                       str(len(x.adopted)) if x.has_folder else "", str(len(x.commitments)) if x.has_folder else "",
                       "" if x.has_folder else NOT_RECORDED)
            for x in items]
    return IndexPage(filters, len(items), rows)


def principle_facet(councils: list[Council]) -> list[Option]:
    """How many councils have commitments under each principle, labelled "1. Design services …"."""
    values = [n for x in councils for n in council_principles(x)]
    return [Option(o.value, principle_label(o.value), o.count) for o in facet(values)]

