"""What the /collaborate/ page prints: the opportunities to work together (commons.analysis.opportunities), by
service area, each with its councils, the commitment each has made (linked to its section of the council's
page), its status, how close it is to the group's first, and the maintainers to contact on GitHub.

The page is filtered by service area and by region. Without JavaScript it lists every opportunity and leads to
them by service area (links to the sections) and by region (a list per region of the opportunities with a
council there); docs/assets/collaborate.js reveals a form that hides what does not match. Titles, names and
handles are contributed text: the template prints them escaped."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from commons.analysis.opportunities import Opportunity, area_label
from commons.content import urls
from commons.content.model import Catalog
from commons.content.values import slugify
from commons.content.vocabulary import COMMITMENT_STATUSES
from commons.site.views import neighbour_lists
from commons.site.views.parts import Filter, Link, Option, council_link, plural

# The value the filter and the page's data use for an opportunity with no service area (analysis.OTHER)
OTHER_AREA = "other"


@dataclass(frozen=True)
class CouncilRow:
    council: Link
    code: str
    region: str
    commitment: Link  # its title, to its section of the council's page
    status: str  # planned | in-progress
    status_label: str
    closeness: str  # "" for the group's first; "very close match" or "close match" to it
    maintainers: tuple[str, ...]  # GitHub logins
    partners: tuple[str, ...]  # the other councils of the group it already works with (short names)


@dataclass(frozen=True)
class OpportunityView:
    id: str  # HTML id
    title: str  # the first commitment's title
    area: str  # the service area's slug, or OTHER_AREA
    regions: tuple[str, ...]  # of its councils, once each, alphabetically
    rows: tuple[CouncilRow, ...]
    summary: str  # "3 councils: Hackney, Islington and Leeds"


@dataclass(frozen=True)
class AreaSection:
    id: str  # HTML id: area-<slug>
    slug: str
    label: str
    opportunities: tuple[OpportunityView, ...]

    @property
    def count(self) -> str:
        return plural(len(self.opportunities), "opportunity", "opportunities")


@dataclass(frozen=True)
class RegionLinks:
    """A region, for reading without JavaScript: the opportunities with a council there."""

    id: str
    label: str
    links: tuple[Link, ...]  # text: the opportunity's title; url: its anchor on this page ("#with-…")


@dataclass(frozen=True)
class CollaboratePage:
    total: int
    councils: int  # councils in any opportunity
    areas: tuple[AreaSection, ...]
    regions: tuple[RegionLinks, ...]
    filters: tuple[Filter, ...]
    dashboard: Link
    data: Link


def collaborate_page(c: Catalog, found: list[Opportunity]) -> CollaboratePage:
    """The page of `found`, the build's opportunities (SiteState.opportunities)."""
    views = [_opportunity(c, o) for o in found]
    areas: dict[str, list[OpportunityView]] = {}
    for o, v in zip(found, views, strict=True):
        areas.setdefault(o.service_area, []).append(v)
    sections = tuple(AreaSection(f"area-{v[0].area}", v[0].area, area_label(slug), tuple(v))
                     for slug, v in areas.items())
    by_region: dict[str, list[OpportunityView]] = {}
    for v in views:
        for r in v.regions:
            by_region.setdefault(r, []).append(v)
    regions = tuple(RegionLinks(f"region-{slugify(r)}", r, tuple(Link(v.title, f"#{v.id}") for v in vs))
                    for r, vs in sorted(by_region.items(), key=lambda rv: rv[0].lower()))
    area_counts = Counter(v.area for v in views)
    filters = (
        Filter("area", "Service area", [Option(s.slug, s.label, area_counts[s.slug]) for s in sections]),
        Filter("region", "Region", [Option(r.label, r.label, len(r.links)) for r in regions]),
    )
    return CollaboratePage(total=len(views), councils=len({code for o in found for code in o.councils}),
                           areas=sections, regions=regions, filters=filters,
                           dashboard=Link("Declaration dashboard", urls.DASHBOARD),
                           data=Link("api/v1/collaborate.json", "data/"))


def _opportunity(c: Catalog, o: Opportunity) -> OpportunityView:
    names = {code: c.councils[code].short_name for code in o.councils}
    rows = []
    for i, m in enumerate(o.members):
        cm, council = m.commitment, c.councils[m.commitment.council]
        closeness = "" if i == 0 else neighbour_lists.closeness(m.score)
        rows.append(CouncilRow(council_link(c, cm.council), cm.council, council.region,
                               Link(cm.title, urls.commitment(council.slug, cm.id)), cm.status,
                               COMMITMENT_STATUSES.get(cm.status, cm.status), closeness, council.maintainers,
                               tuple(names[p] for p in m.partners)))
    listed = [names[code] for code in o.councils]
    summary = f"{plural(len(listed), 'council', 'councils')}: " + (
        ", ".join(listed[:-1]) + " and " + listed[-1] if len(listed) > 1 else listed[0])
    return OpportunityView(o.id, o.lead.title, o.service_area or OTHER_AREA,
                           tuple(sorted({r.region for r in rows}, key=str.lower)), tuple(rows), summary)
