"""Opportunities to work together: groups of councils doing the same work now, who are not yet partners in it.

An opportunity is a group of open Declaration commitments (planned or in progress, by the Catalog's current
status), each from a different council, about the same thing. Two open commitments are *linked* when the
similarity engine puts one among the other's nearest commitments (`Neighbours`, which keeps those scoring
neighbours.MINIMUM or more; either one's row is enough, as each keeps only its best LIMIT), they are
different councils' and neither names the other's council among its `partners` (those are already working
together on it).

Groups are kept tight, as stars rather than chains: each group has a *lead*, and every other commitment in it
is linked to the lead itself, so "A is like B and B is like C" does not put A and C together unless A is like
C's lead as well. Groups are found greedily: the lead is the open commitment with links to the most councils
not yet in a group (then the highest total score, then the first key), and takes, from each of those councils,
its best-linked commitment; then the next lead, among what is left. So each commitment is in at most one group,
and a council at most once in a group. Members of a group may already be partners of each other (not of the
lead): `Member.partners` says so, since that is worth knowing before asking.

Each group has the service area the patterns its commitments name have most often (ties in the vocabulary's
order); when they name none, the service area of the pattern closest to any of them; "" (shown as "Other")
when there is none. Groups are ordered by service area in the vocabulary's order ("" last), then largest
first, then by the lead's best score, then the lead's key: the same content always gives the same groups.

Plain functions over the Catalog and the Neighbours: nothing here reads files.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from commons.analysis.neighbours import LIMIT, Neighbours
from commons.content import urls
from commons.content.model import Catalog, Commitment
from commons.content.vocabulary import SERVICE_AREAS

OPEN = ("planned", "in-progress")  # the statuses of work still to do together
OTHER = ""  # the service area of a group whose commitments name no pattern and are close to none
OTHER_LABEL = "Other"


@dataclass(frozen=True)
class Member:
    commitment: Commitment
    score: float  # its similarity with the group's lead (the lead's own: 1.0)
    partners: tuple[str, ...] = ()  # codes of the other members' councils it already partners (either way)


@dataclass(frozen=True)
class Opportunity:
    service_area: str  # a SERVICE_AREAS slug, or OTHER
    members: tuple[Member, ...]  # the lead first, then by score, best first, then by council code

    @property
    def lead(self) -> Commitment:
        return self.members[0].commitment

    @property
    def councils(self) -> tuple[str, ...]:
        return tuple(m.commitment.council for m in self.members)

    @property
    def id(self) -> str:
        """An HTML id as stable as its lead commitment: `with-hck-open-repairs-data`."""
        return f"with-{self.lead.council.lower()}-{self.lead.id}"

    @property
    def best(self) -> float:
        return max((m.score for m in self.members[1:]), default=0.0)


def is_open(cm: Commitment) -> bool:
    return cm.status in OPEN


def partnered(a: Commitment, b: Commitment) -> bool:
    """Either commitment names the other's council as a partner."""
    return b.council in a.partners or a.council in b.partners


def links(commitments: Iterable[Commitment], neighbours: Neighbours) -> dict[str, dict[str, float]]:
    """The links between open commitments (by key, both ways), from the neighbours' commitment rows."""
    by_key = {cm.key: cm for cm in commitments if is_open(cm)}
    out: dict[str, dict[str, float]] = {k: {} for k in by_key}
    for key, a in by_key.items():
        for m in neighbours.similar("commitment", key, LIMIT, ("commitment",)):
            b = by_key.get(m.doc.key)
            if b is None or b.council == a.council or partnered(a, b):
                continue
            # Scores are the pair's, whichever row holds it: the same both ways
            out[key][b.key] = out[b.key][key] = m.score
    return out


def _best_per_council(near: Mapping[str, float], council_of: Mapping[str, str]) -> dict[str, tuple[str, float]]:
    """council -> (its best-linked commitment, score), of the commitments in `near`."""
    best: dict[str, tuple[str, float]] = {}
    for k, s in sorted(near.items(), key=lambda ks: (-ks[1], ks[0])):
        best.setdefault(council_of[k], (k, s))
    return best


def _priority(key: str, near: Mapping[str, float], council_of: Mapping[str, str]) -> tuple[int, float, str]:
    best = _best_per_council(near, council_of)
    return (-len(best), -round(sum(s for _, s in best.values()), 3), key)


def opportunities(catalog: Catalog, neighbours: Neighbours) -> list[Opportunity]:
    """Every opportunity among the Catalog's open commitments, in the order described above."""
    by_key = {cm.key: cm for cm in catalog.commitments}
    linked = links(catalog.commitments, neighbours)
    council_of = {k: by_key[k].council for k in linked}
    taken: set[str] = set()
    # Lazy greedy: a commitment's priority only falls as others are taken, so one popped whose priority is
    # still what it was pushed with is the best there is.
    heap = [_priority(k, near, council_of) for k, near in linked.items() if near]
    heapq.heapify(heap)
    groups: list[tuple[str, list[tuple[str, float]]]] = []
    while heap:
        item = heapq.heappop(heap)
        lead = item[2]
        if lead in taken:
            continue
        near = {k: s for k, s in linked[lead].items() if k not in taken}
        now = _priority(lead, near, council_of)
        if not near:
            continue
        if now != item:
            heapq.heappush(heap, now)
            continue
        members = sorted(_best_per_council(near, council_of).values(), key=lambda ks: (-ks[1], council_of[ks[0]]))
        groups.append((lead, members))
        taken.add(lead)
        taken.update(k for k, _ in members)
    found = [_opportunity(catalog, neighbours, [by_key[lead]] + [by_key[k] for k, _ in members],
                          [1.0] + [s for _, s in members]) for lead, members in groups]
    order = {slug: i for i, slug in enumerate(SERVICE_AREAS)}
    return sorted(found, key=lambda o: (order.get(o.service_area, len(order)), -len(o.members), -o.best,
                                        o.lead.key))


def _opportunity(catalog: Catalog, neighbours: Neighbours, commitments: Sequence[Commitment],
                 scores: Sequence[float]) -> Opportunity:
    members = tuple(
        Member(cm, s, tuple(o.council for o in commitments if o is not cm and partnered(cm, o)))
        for cm, s in zip(commitments, scores, strict=True))
    return Opportunity(service_area(catalog, neighbours, commitments), members)


def service_area(catalog: Catalog, neighbours: Neighbours, commitments: Sequence[Commitment]) -> str:
    """The service area the commitments' patterns have most often; else the closest pattern's; else OTHER."""
    named = Counter(catalog.patterns[p].service_area for cm in commitments for p in _patterns(catalog, cm))
    if named:
        order = list(SERVICE_AREAS)
        return min(named, key=lambda a: (-named[a], order.index(a) if a in order else len(order), a))
    closest = sorted(((m.score, m.doc.key) for cm in commitments
                      for m in neighbours.similar("commitment", cm.key, 1, ("pattern",))),
                     key=lambda sk: (-sk[0], sk[1]))
    for _, slug in closest:
        if slug in catalog.patterns:
            return catalog.patterns[slug].service_area
    return OTHER


def _patterns(catalog: Catalog, cm: Commitment) -> list[str]:
    """The patterns a commitment names that the commons has, a former slug taken as the pattern it now is."""
    slugs = (catalog.aliases.get(p, p) for p in cm.patterns)
    return [p for p in slugs if p in catalog.patterns]


def area_label(slug: str) -> str:
    return SERVICE_AREAS.get(slug, OTHER_LABEL) if slug else OTHER_LABEL


def as_data(catalog: Catalog, found: Sequence[Opportunity]) -> list[dict[str, Any]]:
    """The opportunities as api/v1/collaborate.json publishes them (docs/data.md)."""
    out = []
    for o in found:
        councils = []
        for i, m in enumerate(o.members):
            cm, council = m.commitment, catalog.councils[m.commitment.council]
            councils.append({
                "code": cm.council, "name": council.name, "commitment": cm.key, "id": cm.id, "title": cm.title,
                "status": cm.status, "lead": i == 0, "score": None if i == 0 else m.score,
                "partners": list(m.partners), "maintainers": list(council.maintainers), "region": council.region,
                "nation": council.nation, "url": urls.commitment(council.slug, cm.id)})
        out.append({"id": o.id, "service_area": o.service_area or None,
                    "service_area_label": area_label(o.service_area), "title": o.lead.title, "councils": councils})
    return out
