"""What the pattern, case study, playbook and session pages print. (A council's page is commons.site.views.council.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup

from commons.analysis.neighbours import Neighbours
from commons.content import urls
from commons.content.model import CaseStudy, Catalog, Pattern, Playbook, Session
from commons.content.vocabulary import PATTERN_STATUSES, SERVICE_AREAS
from commons.site import qr
from commons.site.views.neighbour_lists import PatternNeighbours, pattern_neighbours
from commons.site.views.parts import (
    KIND_LABELS,
    Link,
    SearchFilter,
    SiteLinks,
    council_link,
    council_links,
    names,
    nations,
    pattern_link,
    pattern_links,
    plural,
)
from commons.site.views.pattern_systems import PatternSystems, pattern_systems

# --- Pattern ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Adopter:
    """A row of "Councils using it"."""

    council: Link
    since: dt.date
    evidence: str  # an outside address, or ""


@dataclass(frozen=True)
class UsedIn:
    """A case study that used a pattern, with its council and date."""

    case_study: Link
    council: str  # short name
    date: dt.date


@dataclass(frozen=True)
class Discussed:
    """A session that discussed a pattern, with its event."""

    event: str
    session: Link


@dataclass(frozen=True)
class PatternPage:
    pattern: Pattern
    type: str  # Pagefind's type
    search_filters: list[SearchFilter]
    council_names: list[str]  # of the owning councils, for the search result
    alias_words: list[str]  # former slugs as words, so a search for an old name finds the pattern
    service_area: str  # label
    status: str  # label
    owners: list[Link]
    short_link: str  # absolute, as linked on the page
    printed_link: str  # short_link without its scheme, as the card prints it
    adopters: list[Adopter]
    case_studies: list[UsedIn]
    playbooks: list[Link]
    sessions: list[Discussed]
    commitments: list[Link]  # to the commitment on its council's page, named by the council
    related: list[Link]  # the patterns it lists as related
    related_from: list[Link]  # the patterns that list it
    discuss_url: str
    used_by: str  # "3 councils"
    qr_svg: Markup  # the printed card's QR code of short_link
    systems: PatternSystems | None = None  # a platform pattern's systems, from contracts (pattern_systems)
    near: PatternNeighbours = PatternNeighbours()  # similar patterns, possibly related case studies (neighbour_lists)


def pattern_page(c: Catalog, p: Pattern, site: SiteLinks, neighbours: Neighbours | None = None) -> PatternPage:
    area, status = SERVICE_AREAS[p.service_area], PATTERN_STATUSES[p.status]
    link = short_link(site.site_url, p)
    commitments = []
    for key in p.commitments:
        code, commitment_id = key.split("/")
        council = c.councils[code]
        commitments.append(Link(council.short_name, urls.commitment(council.slug, commitment_id)))
    return PatternPage(
        pattern=p, type=KIND_LABELS["pattern"],
        search_filters=[SearchFilter("service area", [area]), SearchFilter("status", [status]),
                        SearchFilter("council", names(c, p.councils)),
                        SearchFilter("nation", pattern_nations(c, p))],
        council_names=names(c, p.councils), alias_words=[alias.replace("-", " ") for alias in p.aliases],
        service_area=area, status=status, owners=council_links(c, p.councils), short_link=link,
        printed_link=printed(link),
        adopters=[Adopter(council_link(c, a.council), a.since, a.evidence) for a in p.adopters],
        case_studies=[UsedIn(Link(cs.title, cs.url), c.councils[cs.council].short_name, cs.date)
                      for cs in (c.case_studies[slug] for slug in p.case_studies)],
        playbooks=[Link(b.title, b.url) for b in (c.playbooks[slug] for slug in p.playbooks)],
        sessions=[Discussed(s.event, Link(s.title, s.url)) for s in (c.sessions[key] for key in p.sessions)],
        commitments=commitments, related=pattern_links(c, p.related), related_from=pattern_links(c, p.related_from),
        discuss_url=f"{site.discussions}?discussions_q={quote(p.slug, safe='/')}",
        used_by=plural(len(p.adopters), "council", "councils"),
        qr_svg=Markup(qr.svg(*card_qr_code(site.site_url, p))), systems=pattern_systems(c, p),
        near=pattern_neighbours(c, neighbours, p),
    )


def pattern_nations(c: Catalog, p: Pattern) -> list[str]:
    """The nations of the councils that own or use a pattern."""
    return nations(c, set(p.councils) | {a.council for a in p.adopters})


def short_link(site_url: str, p: Pattern) -> str:
    """The pattern's permanent short link, absolute, as its QR code says."""
    return absolute(site_url, p.short_url)


def absolute(site_url: str, url: str) -> str:
    """A page's address (relative to the site's root) joined to the site's own address."""
    return site_url.rstrip("/") + "/" + url


def printed(link: str) -> str:
    """How a card prints a link: host and path, without `https://` (a camera reads the QR code; a person types
    what is printed, and every browser adds the scheme)."""
    return link.removeprefix("https://").removeprefix("http://")


def card_qr_code(site_url: str, p: Pattern) -> tuple[str, str]:
    """What the QR code on a pattern's printed card says, and its accessible name."""
    link = short_link(site_url, p)
    return link, f"QR code for {link}"


# --- Case study ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    measure: str
    illustrative: bool
    before: float
    after: float
    unit: str
    change: str  # "+12.5%", or "—" when there was nothing before to compare with
    period: str


@dataclass(frozen=True)
class CaseStudyPage:
    case_study: CaseStudy
    type: str
    search_filters: list[SearchFilter]
    council_name: str  # short name
    service_area: str  # label
    council: Link
    partners: list[Link]
    patterns: list[Link]
    outcomes: list[OutcomeRow]
    any_illustrative: bool  # whether to explain what "Illustrative" means


def case_study_page(c: Catalog, cs: CaseStudy) -> CaseStudyPage:
    area = SERVICE_AREAS[cs.service_area]
    outcomes = [OutcomeRow(o.measure, o.illustrative, o.before, o.after, o.unit,
                           "—" if o.change_percent is None else f"{o.change_percent:+.1f}%", o.period)
                for o in cs.outcomes]
    return CaseStudyPage(
        case_study=cs, type=KIND_LABELS["case-study"],
        search_filters=[SearchFilter("service area", [area]),
                        SearchFilter("council", names(c, [cs.council, *cs.partners])),
                        SearchFilter("nation", nations(c, [cs.council]))],
        council_name=c.councils[cs.council].short_name, service_area=area, council=council_link(c, cs.council),
        partners=council_links(c, cs.partners), patterns=pattern_links(c, cs.patterns), outcomes=outcomes,
        any_illustrative=any(o.illustrative for o in cs.outcomes),
    )


# --- Playbook -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaybookPage:
    playbook: Playbook
    type: str
    search_filters: list[SearchFilter]
    council_names: list[str]
    owners: list[Link]
    patterns: list[Link]


def playbook_page(c: Catalog, b: Playbook) -> PlaybookPage:
    return PlaybookPage(
        playbook=b, type=KIND_LABELS["playbook"],
        search_filters=[SearchFilter("council", names(c, b.councils)), SearchFilter("nation", nations(c, b.councils))],
        council_names=names(c, b.councils), owners=council_links(c, b.councils), patterns=pattern_links(c, b.patterns),
    )


# --- Session ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Discussion:
    """A pattern a session discussed, with its short link (the one GovCamp notes use)."""

    pattern: Link
    short_url: str  # relative to the site's root
    short_link: str  # absolute, as linked
    printed_link: str  # short_link without its scheme, as the card prints it
    qr_svg: Markup  # the card's QR code of short_link: the same code as the pattern's own card


@dataclass(frozen=True)
class SessionPage:
    session: Session
    type: str
    search_filters: list[SearchFilter]
    councils: list[Link]
    patterns: list[Discussion]
    short_link: str  # the session's own permanent short link, absolute
    printed_link: str  # short_link without its scheme, as the card prints it


def session_page(c: Catalog, s: Session, site: SiteLinks) -> SessionPage:
    link = absolute(site.site_url, s.short_url)
    return SessionPage(
        session=s, type=KIND_LABELS["session"],
        search_filters=[SearchFilter("council", names(c, s.councils)), SearchFilter("nation", nations(c, s.councils))],
        councils=council_links(c, s.councils),
        patterns=[Discussion(pattern_link(c, p.slug), p.short_url, short_link(site.site_url, p),
                             printed(short_link(site.site_url, p)), Markup(qr.svg(*card_qr_code(site.site_url, p))))
                  for p in (c.patterns[slug] for slug in s.patterns)],
        short_link=link, printed_link=printed(link),
    )
