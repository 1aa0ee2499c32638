"""What a council's page prints: its profile, what it has adopted, and its Declaration commitments."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from commons.analysis.neighbours import Neighbours
from commons.content.contracts import Contract
from commons.content.model import Catalog, Commitment, Council
from commons.content.vocabulary import COMMITMENT_STATUSES, OPEN_API, PRINCIPLES
from commons.site import charts
from commons.site.market_switch import market_views
from commons.site.progress import Progress
from commons.site.views.neighbour_lists import (
    NO_NEIGHBOURS,
    CommitmentNeighbours,
    LikeCouncil,
    commitment_neighbours,
    councils_like,
)
from commons.site.views.parts import KIND_LABELS, Link, SearchFilter, council_links, pattern_link, pattern_links
from commons.sources.records import SourcedCouncil


@dataclass(frozen=True)
class Adopted:
    """A row of "Patterns adopted"."""

    pattern: Link
    since: dt.date
    evidence: str  # an outside address, or ""


@dataclass(frozen=True)
class CaseStudyItem:
    case_study: Link
    date: dt.date


@dataclass(frozen=True)
class HistoryItem:
    """One dated update of a commitment."""

    date: dt.date
    status: str  # label
    note: str
    evidence: str  # an outside address, or ""
    credit: str = ""  # "by Harrogate, now part of North Yorkshire": done before its council was abolished


@dataclass(frozen=True)
class CommitmentSection:
    commitment: Commitment
    status: str  # label
    principles: list[str]  # "1. Design services around people", in the order the commitment lists them
    partners: list[Link]
    patterns: list[Link]
    history: list[HistoryItem]  # newest first
    neighbours: CommitmentNeighbours = NO_NEIGHBOURS  # "Also working on this", "Already using" (neighbour_lists)


@dataclass(frozen=True)
class ContractRow:
    """A row of the council's contracts for its systems."""

    contract: Contract
    system: str  # label
    open_api: str  # label: Yes, Partly, No, Not known


@dataclass(frozen=True)
class KeptElsewhere:
    """Where a council keeps its records when it keeps them in its own repository (federation)."""

    url: str  # the repository's address; "" when it is not a web address (a local folder, in tests)
    shown: str  # github.com/ORG/REPO
    changed: dt.date | None  # when its records there last changed


@dataclass(frozen=True)
class CouncilPage:
    council: Council
    type: str
    search_filters: list[SearchFilter]
    place: str  # its region, or its nation where the nation has no regions
    search_summary: str  # the one line under its name in search results
    website: str  # the website's address as shown: without https:// or a trailing slash
    adopted: list[Adopted]
    patterns_owned: list[Link]
    case_studies: list[CaseStudyItem]
    progress: charts.Chart | None  # its commitments by status; None when it has none
    status_counts: list[str]  # "2 in progress", for each status it has commitments in, in the schema's order
    over_time: charts.Chart | None
    commitments: list[CommitmentSection]
    kept_in: KeptElsewhere | None = None  # its own repository, when its records are kept there
    contracts: tuple[ContractRow, ...] = ()  # from its contracts.yml, in the order written
    contracts_illustrative: bool = False  # any of them is an example
    like: tuple[LikeCouncil, ...] = ()  # "Councils like this one" (neighbour_lists)


def council_page(c: Catalog, council: Council, progress: Progress, source: SourcedCouncil | None = None,
                 neighbours: Neighbours | None = None) -> CouncilPage:
    """A council's page; `neighbours` (the build's, SiteState.neighbours) say who else is doing the same work."""
    place = council.region if council.region != council.nation else council.nation
    summary = f"{council.type_name} in {place}"
    if council.has_folder:
        summary += (f": {len(council.adopted)} patterns adopted, {len(council.commitments)} Declaration "
                    "commitments")
    counted = Counter(cm.status for cm in council.commitments)
    return CouncilPage(
        council=council, type=KIND_LABELS["council"],
        search_filters=[SearchFilter("council", [council.short_name]), SearchFilter("nation", [council.nation]),
                        SearchFilter("principle", [principle_label(n) for n in council_principles(council)])],
        place=place, search_summary=summary, website=council.website.replace("https://", "").strip("/"),
        adopted=[Adopted(pattern_link(c, a.pattern), a.since, a.evidence) for a in council.adopted],
        patterns_owned=pattern_links(c, council.patterns_owned),
        case_studies=[CaseStudyItem(Link(cs.title, cs.url), cs.date)
                      for cs in (c.case_studies[slug] for slug in council.case_studies)],
        progress=charts.council_progress(c, council),
        status_counts=[f"{counted[k]} {label.lower()}" for k, label in COMMITMENT_STATUSES.items() if counted[k]],
        over_time=charts.council_over_time(c, council, progress),
        commitments=[commitment_section(c, cm, neighbours) for cm in council.commitments],
        kept_in=KeptElsewhere(source.url if source.linkable else "", source.shown, source.changed)
        if source is not None else None,
        contracts=tuple(ContractRow(k, k.system_label, OPEN_API.get(k.open_api, k.open_api))
                        for k in council.contracts if market_views()),
        contracts_illustrative=any(k.illustrative for k in council.contracts),
        like=councils_like(c, neighbours, council),
    )


def council_principles(council: Council) -> list[str]:
    """The numbers of the principles a council has commitments under, once each, in order, as text."""
    return [str(n) for n in sorted({n for cm in council.commitments for n in cm.principles})]


def principle_label(number: str | int) -> str:
    """How a Declaration principle is named wherever it is offered as a choice: "1. Redesign services …"."""
    return f"{number}. {PRINCIPLES[int(number)]}"


def commitment_section(c: Catalog, cm: Commitment, neighbours: Neighbours | None = None) -> CommitmentSection:
    return CommitmentSection(
        commitment=cm, status=COMMITMENT_STATUSES[cm.status],
        principles=[principle_label(n) for n in cm.principles],
        partners=council_links(c, cm.partners), patterns=pattern_links(c, cm.patterns),
        history=[HistoryItem(u.date, COMMITMENT_STATUSES[u.status], u.note, u.evidence, credit(c, cm, u.by))
                 for u in reversed(cm.history)],
        neighbours=commitment_neighbours(c, neighbours, cm) if neighbours is not None else NO_NEIGHBOURS,
    )


def credit(c: Catalog, cm: Commitment, by: str) -> str:
    """Who did an update made before an abolished council's commitments moved to its successor (`Update.by`)."""
    council = c.councils.get(cm.council)
    return f"by {by}, now part of {council.short_name}" if by and council is not None else ""
