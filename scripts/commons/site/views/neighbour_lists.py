"""Who else is doing this (issue 16): what a council's and a pattern's pages say about the entries closest to them.

Everything comes from the build's nearest neighbours (`SiteState.neighbours`, commons.analysis.neighbours), worked
out once per build and updated by `commons serve`, and from the Catalog; nothing is scored here.

- Under each Declaration commitment, "Also working on this": other councils' commitments about the same thing,
  best first, one a council (its closest), at most ALSO; and "Already using": the councils that have adopted a
  pattern the commitment names, earliest first, at most USING a pattern, with how many more the pattern's page lists.
- A council's "Councils like this one": the councils with commitments close to its own that share its type or its
  region (both first), ranked by how many such commitments they have, then by their scores; at most LIKE.
- A pattern's "Similar patterns" (possible duplicates, other than those it lists as related) and "Possibly related
  case studies" (close by meaning, not naming it), at most SIMILAR each.

Closeness is said in words, as on /collaborate/: "very close match" at WARN_THRESHOLD or more (where check-pr warns,
W-SIMILAR), "close match" below.
Values are contributed text; the templates (partials/neighbours.html) print them escaped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from commons.analysis.neighbours import LIMIT, Neighbours
from commons.analysis.similarity import WARN_THRESHOLD
from commons.content import urls
from commons.content.model import Catalog, Commitment, Council, Pattern
from commons.content.vocabulary import COMMITMENT_STATUSES
from commons.site.views.parts import Link, council_link, pattern_link, plural

ALSO = 5  # other councils' commitments under a commitment
USING = 5  # councils named a pattern under "Already using"
LIKE = 6  # councils under "Councils like this one"
SIMILAR = 5  # patterns, and case studies, on a pattern's page


_NAMES = ("London", "Welsh", "Scottish", "Northern")  # words a council type begins with that keep their capital


def type_words(type_name: str) -> str:
    """A council type as a sentence says it: "a district council", "a London borough"."""
    return type_name if type_name.startswith(_NAMES) else type_name[:1].lower() + type_name[1:]


def closeness(score: float) -> str:
    return "very close match" if score >= WARN_THRESHOLD else "close match"


@dataclass(frozen=True)
class AlsoWorking:
    """Another council's commitment about the same thing."""

    council: Link
    commitment: Link  # its section of its council's page
    status: str  # planned, in-progress…
    status_label: str
    closeness: str  # "very close match" or "close match"
    partner: bool  # already a partner of this commitment


@dataclass(frozen=True)
class AlreadyUsing:
    """The councils that have adopted one of the patterns a commitment names."""

    pattern: Link
    councils: tuple[tuple[Link, dt.date], ...]  # (council, since), earliest first
    more: str  # "and 3 more" when the pattern's page lists more; else ""
    more_link: Link | None  # the pattern page's list of them


@dataclass(frozen=True)
class CommitmentNeighbours:
    also: tuple[AlsoWorking, ...] = ()
    using: tuple[AlreadyUsing, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.also or self.using)


NO_NEIGHBOURS = CommitmentNeighbours()


@dataclass(frozen=True)
class LikeCouncil:
    council: Link
    why: str  # "3 similar commitments; also a London borough in London"


@dataclass(frozen=True)
class NearEntry:
    """A pattern or case study close by meaning to the page's pattern."""

    entry: Link
    closeness: str  # "very close match" or "close match"
    council: str = ""  # a case study's council (short name)


@dataclass(frozen=True)
class PatternNeighbours:
    similar: tuple[NearEntry, ...] = ()  # patterns: possible duplicates
    case_studies: tuple[NearEntry, ...] = ()  # case studies that do not name it

    @property
    def very_close(self) -> bool:
        """A similar pattern is very close: the page asks whether the two should be merged."""
        return any(e.closeness == closeness(WARN_THRESHOLD) for e in self.similar)

    def __bool__(self) -> bool:
        return bool(self.similar or self.case_studies)


def _commitment(c: Catalog, key: str) -> tuple[Council, Commitment] | None:
    code, _, commitment_id = key.partition("/")
    council = c.councils.get(code)
    if council is None:
        return None
    found = next((cm for cm in council.commitments if cm.id == commitment_id), None)
    return None if found is None else (council, found)


def commitment_neighbours(c: Catalog, n: Neighbours | None, cm: Commitment) -> CommitmentNeighbours:
    """What a commitment's section says about the other councils doing the same work."""
    also: list[AlsoWorking] = []
    seen = {cm.council}
    for m in n.similar("commitment", cm.key, LIMIT, ("commitment",)) if n is not None else ():
        found = _commitment(c, m.doc.key)
        if found is None or found[0].code in seen:
            continue
        council, other = found
        seen.add(council.code)
        also.append(AlsoWorking(Link(council.short_name, council.url),
                                Link(other.title, urls.commitment(council.slug, other.id)), other.status,
                                COMMITMENT_STATUSES[other.status], closeness(m.score), council.code in cm.partners))
        if len(also) == ALSO:
            break
    using = []
    for slug in cm.patterns:
        p = c.patterns.get(slug)
        if p is None:
            continue
        adopters = sorted((a for a in p.adopters if a.council != cm.council and a.council in c.councils),
                          key=lambda a: (a.since, c.councils[a.council].short_name))
        if not adopters:
            continue
        rest = len(adopters) - USING
        using.append(AlreadyUsing(pattern_link(c, slug),
                                  tuple((council_link(c, a.council), a.since) for a in adopters[:USING]),
                                  f"and {rest} more" if rest > 0 else "",
                                  Link(f"every council using {p.title}", f"{p.url}#adopters") if rest > 0 else None))
    return CommitmentNeighbours(tuple(also), tuple(using))


def councils_like(c: Catalog, n: Neighbours | None, council: Council) -> tuple[LikeCouncil, ...]:
    """The councils like this one: close commitments, and its type or region in common (see the module)."""
    if n is None:
        return ()
    best: dict[str, dict[str, float]] = {}  # council -> its commitment's id -> best score with one of ours
    for cm in council.commitments:
        for m in n.similar("commitment", cm.key, LIMIT, ("commitment",)):
            code, _, other = m.doc.key.partition("/")
            if code == council.code or code not in c.councils:
                continue
            mine = best.setdefault(code, {})
            mine[other] = max(mine.get(other, 0.0), m.score)
    ranked = []
    for code, scores in best.items():
        o = c.councils[code]
        same_type, same_region = o.type == council.type, o.region == council.region
        if not (same_type or same_region):
            continue
        ranked.append((-(same_type + same_region), -len(scores), -round(sum(scores.values()), 3), o.short_name, o,
                       same_type, same_region, len(scores)))
    out = []
    for *_, o, same_type, same_region, count in sorted(ranked)[:LIKE]:
        kind = type_words(o.type_name)
        also = (f"also a {kind} in {o.region}" if same_type and same_region and o.region != o.nation
                else f"also a {kind}" if same_type else f"also in {o.region}")
        out.append(LikeCouncil(Link(o.short_name, o.url),
                               f"{plural(count, 'similar commitment', 'similar commitments')}; {also}"))
    return tuple(out)


def pattern_neighbours(c: Catalog, n: Neighbours | None, p: Pattern) -> PatternNeighbours:
    """A pattern's similar patterns (those it does not already list as related) and the case studies close to it
    that do not name it."""
    if n is None:
        return PatternNeighbours()
    listed = {p.slug, *p.related, *p.related_from}
    similar = [NearEntry(pattern_link(c, m.doc.key), closeness(m.score))
               for m in n.similar("pattern", p.slug, LIMIT, ("pattern",))
               if m.doc.key not in listed and m.doc.key in c.patterns][:SIMILAR]
    studies = []
    for m in n.similar("pattern", p.slug, LIMIT, ("case-study",)):
        cs = c.case_studies.get(m.doc.key)
        if cs is None or p.slug in cs.patterns or cs.slug in p.case_studies:
            continue
        council = c.councils.get(cs.council)
        studies.append(NearEntry(Link(cs.title, cs.url), closeness(m.score),
                                 council.short_name if council is not None else ""))
    return PatternNeighbours(tuple(similar), tuple(studies[:SIMILAR]))
