"""Opportunities to work together (commons.analysis.opportunities), from hand-made commitments: the Catalog's
commitments and councils made here, their neighbours worked out by the real engine (Neighbours.build over the
docs the site makes of them). Groups are of open commitments only, never of partners, tight (each member close
to the group's lead, not a chain), one commitment per council, and the same whatever order the content is in.
The starter content's opportunities are read from a real build in tests/test_collaborate_page.py."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import replace

import pytest

from commons.analysis.neighbours import MINIMUM, Neighbours
from commons.analysis.opportunities import OTHER, as_data, links, opportunities
from commons.analysis.similarity import Doc, Index
from commons.content.model import Catalog, Commitment, Council, Pattern, Update

DAY = dt.date(2026, 11, 2)
REGIONS = {"HCK": "London", "ISL": "London", "LDS": "Yorkshire and The Humber", "MAN": "North West",
           "BST": "South West", "KEN": "South East", "CRF": "Wales"}


def council(code: str) -> Council:
    slug = code.lower()
    return Council(code, f"{code} Council", code.title(), slug, "England", REGIONS[code], "LBO", "London borough",
                   "E0900000", True, maintainers=(f"{slug}-digital",))


def commitment(code: str, cid: str, title: str, status: str = "in-progress", partners: Sequence[str] = (),
               patterns: Sequence[str] = (), note: str = "") -> Commitment:
    return Commitment(code, cid, title, (1,), status, DAY, None, tuple(partners), tuple(patterns),
                      (Update(DAY, status, note or title),), f"councils/{code.lower()}/declaration.yml", False)


def pattern(slug: str, title: str, area: str) -> Pattern:
    return Pattern(slug, 1, title, title, area, (), "live", (), (), (), (), DAY, "", f"patterns/{slug}.md", False)


def catalog(commitments: Sequence[Commitment], patterns: Sequence[Pattern] = ()) -> Catalog:
    codes = sorted({cm.council for cm in commitments} | {p for cm in commitments for p in cm.partners})
    return Catalog({p.slug: p for p in patterns}, {}, {}, {}, {c: council(c) for c in codes}, tuple(commitments),
                   {}, {}, {}, DAY)


def neighbours(c: Catalog) -> Neighbours:
    """The neighbours the site works out: a doc per pattern and commitment, as commons.analysis.documents makes."""
    areas = {p.slug: p.service_area for p in c.patterns.values()}
    docs = [Doc("pattern", p.slug, p.title, p.path, p.summary, "", p.service_area, (p.slug,))
            for p in c.patterns.values()]
    docs += [Doc("commitment", cm.key, cm.title, cm.path, "", cm.history[0].note,
                 next((areas[p] for p in cm.patterns if p in areas), ""), cm.patterns, cm.principles, cm.council)
             for cm in c.commitments]
    return Neighbours.build(docs)


def found(commitments: Sequence[Commitment], patterns: Sequence[Pattern] = ()) -> list[list[str]]:
    """The groups, each as its commitments' keys, lead first."""
    c = catalog(commitments, patterns)
    return [[m.commitment.key for m in o.members] for o in opportunities(c, neighbours(c))]


MISSED_BINS = [
    commitment("HCK", "missed-bins", "Report a missed bin without an account"),
    commitment("LDS", "bin-not-emptied", "Tell us your bin wasn't emptied"),
    commitment("MAN", "missed-collections", "Report missed bin collections online", status="planned"),
]
POTHOLES = [
    commitment("KEN", "potholes", "Report a pothole on a map"),
    commitment("BST", "road-defects", "Report potholes and road defects on a map"),
]


def test_councils_doing_the_same_work_are_one_group_each() -> None:
    groups = found(MISSED_BINS + POTHOLES)
    assert sorted(map(sorted, groups)) == sorted([sorted(cm.key for cm in MISSED_BINS),
                                                  sorted(cm.key for cm in POTHOLES)])


def test_a_done_stopped_or_paused_commitment_is_in_no_group() -> None:
    for status in ("done", "stopped", "paused"):
        closed = replace(MISSED_BINS[1], status=status)
        groups = found([MISSED_BINS[0], closed, MISSED_BINS[2]])
        assert groups and all(closed.key not in g for g in groups), (status, groups)
        assert found([MISSED_BINS[0], closed]) == [], status


def test_councils_already_partners_in_it_are_not_an_opportunity() -> None:
    hackney, leeds = MISSED_BINS[0], MISSED_BINS[1]
    assert found([hackney, leeds])  # alike, and not yet partners
    assert found([replace(hackney, partners=("LDS",)), leeds]) == []
    assert found([hackney, replace(leeds, partners=("HCK",))]) == []  # named by either is enough


def test_partners_of_each_other_may_both_join_a_third_and_the_page_is_told() -> None:
    """Hackney and Leeds already work together on it; Manchester, doing the same, could join them."""
    hackney, leeds, manchester = MISSED_BINS
    c = catalog([replace(hackney, partners=("LDS",)), leeds, manchester])
    [o] = opportunities(c, neighbours(c))
    assert o.lead.key == manchester.key
    assert {m.commitment.council: m.partners for m in o.members} == {"MAN": (), "HCK": ("LDS",), "LDS": ("HCK",)}


def test_a_council_is_in_a_group_once_with_its_closest_commitment() -> None:
    second = commitment("LDS", "missed-bins-flats", "Report a missed bin from a block of flats")
    c = catalog([*MISSED_BINS, second])
    groups = opportunities(c, neighbours(c))
    assert all(len(set(o.councils)) == len(o.councils) for o in groups)
    in_groups = [m.commitment.key for o in groups for m in o.members]
    assert len(in_groups) == len(set(in_groups)), "a commitment is in one group at most"


def test_groups_are_tight_stars_not_chains() -> None:
    """A is like B, B like C, C like D, and no more: B and C cannot both lead one group, and A and D are never
    together (they are nothing alike); every member is close to its group's lead."""
    chain = [
        commitment("HCK", "a", "Renew a resident parking permit online", note="Parking permit renewal"),
        commitment("ISL", "b", "Parking permit and visitor voucher renewals", note="Visitor vouchers"),
        commitment("LDS", "c", "Visitor vouchers bought with a shared payments platform", note="Shared payments"),
        commitment("MAN", "d", "Shared payments platform for every card payment", note="Card payments"),
    ]
    c = catalog(chain)
    n = neighbours(c)
    linked = links(c.commitments, n)
    assert set(linked["HCK/a"]) == {"ISL/b"} and set(linked["MAN/d"]) == {"LDS/c"}, linked  # a chain indeed
    groups = opportunities(c, n)
    assert groups
    index = Index.build(n.docs())
    docs = {d.key: d for d in n.docs()}
    for o in groups:
        assert not {"HCK/a", "MAN/d"} <= {m.commitment.key for m in o.members}
        for m in o.members[1:]:
            a, b = sorted([o.lead.key, m.commitment.key])
            assert m.score == index.pair(docs[a], docs[b]) >= MINIMUM


def test_the_same_content_in_any_order_gives_the_same_groups() -> None:
    content = [*MISSED_BINS, *POTHOLES, commitment("CRF", "bins-welsh", "Report a missed bin in Welsh or English")]
    expected = found(content)
    rng = random.Random(16)
    for _ in range(5):
        shuffled = content[:]
        rng.shuffle(shuffled)
        assert found(shuffled) == expected


@pytest.mark.parametrize("named", [True, False])
def test_a_group_is_under_its_patterns_service_area_or_the_closest_patterns(named: bool) -> None:
    bins = pattern("report-a-missed-bin", "Report a missed bin without an account", "environmental-and-regulatory")
    roads = pattern("report-a-pothole", "Report a pothole", "highways-and-transport")
    bin_work = [replace(cm, patterns=("report-a-missed-bin",) if named else ()) for cm in MISSED_BINS]
    c = catalog(bin_work + POTHOLES, [bins, roads])
    groups = opportunities(c, neighbours(c))
    areas = {o.lead.council: o.service_area for o in groups}
    assert sorted(areas.values()) == ["environmental-and-regulatory", "highways-and-transport"]
    # In the vocabulary's order: highways and transport comes before environmental and regulatory
    assert [o.service_area for o in groups] == ["highways-and-transport", "environmental-and-regulatory"]


def test_a_group_near_no_pattern_is_other_and_the_open_data_says_so() -> None:
    c = catalog(MISSED_BINS)
    [o] = opportunities(c, neighbours(c))
    assert o.service_area == OTHER
    [item] = as_data(c, [o])
    assert item["service_area"] is None and item["service_area_label"] == "Other"
    assert item["id"] == o.id == f"with-{o.lead.council.lower()}-{o.lead.id}"
    lead, *others = item["councils"]
    assert lead["lead"] and lead["score"] is None and all(not x["lead"] and x["score"] >= MINIMUM for x in others)
    for x in item["councils"]:
        assert x["url"] == f"councils/{x['code'].lower()}/#{x['id']}"
        assert x["maintainers"] == [f"{x['code'].lower()}-digital"]
        assert x["commitment"] == f"{x['code']}/{x['id']}"
