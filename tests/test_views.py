"""The page views (commons.site.views): what each kind of page prints, computed from the starter content's
Catalog and from small changes to it, and the rule that our templates only print and loop."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from commons.content import urls
from commons.content.model import Adoption, Catalog, Outcome, Pattern
from commons.content.vocabulary import COMMITMENT_STATUSES, PATTERN_STATUSES, PRINCIPLES, SERVICE_AREAS
from commons.site import pages, templating
from commons.site.history import FileDates
from commons.site.state import SiteState, build_state
from commons.site.views.council import council_page
from commons.site.views.dashboard import dashboard_page
from commons.site.views.entries import case_study_page, pattern_page, playbook_page, session_page
from commons.site.views.home import home_page
from commons.site.views.indexes import (
    case_studies_index,
    councils_index,
    patterns_index,
    playbooks_index,
    sessions_index,
)
from commons.site.views.parts import KIND_LABELS, Option, SiteLinks, facet, plural
from conftest import REPO

ROOT = Path(__file__).resolve().parents[1]
OVERRIDES = ROOT / "docs" / "overrides"
TODAY = dt.date(2026, 11, 21)
SITE = SiteLinks("https://commons.example/", "https://github.com/example/commons/discussions")


@pytest.fixture(scope="module")
def state() -> SiteState:
    return build_state(ROOT, today=TODAY)


@pytest.fixture(scope="module")
def catalog(state: SiteState) -> Catalog:
    return state.catalog


def with_pattern(catalog: Catalog, p: Pattern) -> Catalog:
    return dataclasses.replace(catalog, patterns={**catalog.patterns, p.slug: p})


# --- The shared parts ---------------------------------------------------------------------------------------


def test_facet_counts_each_value_once_in_label_order_ignoring_case() -> None:
    assert facet(["b", "a", "b", "C"], {"a": "Zebra"}) == [Option("b", "b", 2), Option("C", "C", 1),
                                                           Option("a", "Zebra", 1)]
    assert plural(1, "council", "councils") == "1 council" and plural(0, "council", "councils") == "0 councils"


# --- Index pages --------------------------------------------------------------------------------------------


def test_patterns_index_lists_by_title_and_counts_every_filter(catalog: Catalog) -> None:
    v = patterns_index(catalog)
    titles = [card.title for card in v.items]
    assert titles == sorted(titles, key=str.lower) and v.total == len(v.items) == len(catalog.patterns)
    area, status, nation = v.filters
    assert (area.key, status.key, nation.key) == ("area", "status", "nation")
    assert {o.value: o.count for o in area.options} == Counter(p.service_area for p in catalog.patterns.values())
    assert all(o.label == SERVICE_AREAS[o.value] for o in area.options)
    assert all(o.label == PATTERN_STATUSES[o.value] for o in status.options)
    assert [o.label.lower() for o in area.options] == sorted(o.label.lower() for o in area.options)
    assert {o.value: o.count for o in nation.options} == Counter(n for card in v.items for n in card.nations)
    for card in v.items:
        p = catalog.patterns[card.slug]
        councils = set(p.councils) | {a.council for a in p.adopters}
        assert card.nations == sorted({catalog.councils[code].nation for code in councils})
        assert (card.title, card.url, card.summary, card.area) == (p.title, p.url, p.summary, p.service_area)
        assert card.service_area == SERVICE_AREAS[p.service_area] and card.status == PATTERN_STATUSES[p.status]
        assert card.status_key == p.status


def test_a_pattern_card_says_how_many_councils_and_case_studies(catalog: Catalog) -> None:
    p = next(iter(catalog.patterns.values()))
    one = Adoption(p.councils[0], p.slug, dt.date(2025, 1, 1))

    def meta(**changes: object) -> str:
        changed = dataclasses.replace(p, **changes)
        return next(card.meta for card in patterns_index(with_pattern(catalog, changed)).items
                    if card.slug == p.slug)

    assert meta(adopters=(one,), case_studies=()) == "Used by 1 council"
    assert meta(adopters=(), case_studies=("a",)) == "Used by 0 councils · 1 case study"
    assert meta(adopters=(one, one), case_studies=("a", "b")) == "Used by 2 councils · 2 case studies"


def test_case_studies_and_sessions_are_newest_first(catalog: Catalog) -> None:
    studies = case_studies_index(catalog)
    days = [card.date for card in studies.items]
    assert days == sorted(days, reverse=True) and len(days) == studies.total
    council_filter = studies.filters[2]
    assert all(o.label == catalog.councils[o.value].short_name for o in council_filter.options)
    assert [card.nation for card in studies.items] == [catalog.councils[card.council].nation
                                                       for card in studies.items]
    for card in studies.items:
        cs = catalog.case_studies[card.slug]
        assert (card.title, card.url, card.summary, card.area, card.council) == (
            cs.title, cs.url, cs.summary, cs.service_area, cs.council)
    sessions = sessions_index(catalog)
    assert [card.session.key for card in sessions.items] == [
        s.key for s in sorted(catalog.sessions.values(), key=lambda s: s.date, reverse=True)]  # ties keep order
    for card in sessions.items:
        s = card.session
        assert card.meta == (f"{plural(len(s.patterns), 'pattern', 'patterns')} discussed · hosted by "
                             + ", ".join(s.hosts))


def test_playbooks_index(catalog: Catalog) -> None:
    v = playbooks_index(catalog)
    for card in v.items:
        b = card.playbook
        assert card.kind == f"Playbook · {len(b.steps)} steps · {b.time_needed}"
        assert card.audience == ", ".join(b.audience).lower()
    assert sum(o.count for o in v.filters[0].options) == sum(len(card.nations) for card in v.items)


def test_councils_index_shows_counts_only_for_councils_in_the_commons(catalog: Catalog) -> None:
    v = councils_index(catalog)
    assert v.total == len(v.items) == len(catalog.councils)
    for row in v.items:
        x = row.council
        if x.has_folder:
            assert (row.joined, row.adopted, row.commitments) == ("yes", str(len(x.adopted)), str(len(x.commitments)))
        else:
            assert (row.joined, row.adopted, row.commitments) == ("no", "", "")
    principle = next(f for f in v.filters if f.key == "principle")
    for o in principle.options:
        n = int(o.value)
        assert o.label == f"{n}. {PRINCIPLES[n]}"
        assert o.count == sum(1 for x in catalog.councils.values() if any(n in cm.principles for cm in x.commitments))
    joined = next(f for f in v.filters if f.key == "joined")
    assert joined.options == [Option("yes", "Contributing councils", len(catalog.contributing_councils))]


# --- Entry pages --------------------------------------------------------------------------------------------


def test_pattern_page(catalog: Catalog) -> None:
    p = next(p for p in catalog.patterns.values() if p.aliases and p.commitments and p.adopters)
    v = pattern_page(catalog, p, SITE)
    assert v.alias_words == [alias.replace("-", " ") for alias in p.aliases] and " " in v.alias_words[0]
    code, commitment_id = p.commitments[0].split("/")
    council = catalog.councils[code]
    assert (v.commitments[0].text, v.commitments[0].url) == (council.short_name,
                                                            urls.commitment(council.slug, commitment_id))
    assert [f.name for f in v.search_filters] == ["service area", "status", "council", "nation"]
    assert v.search_filters[3].values == sorted({catalog.councils[x].nation
                                                 for x in set(p.councils) | {a.council for a in p.adopters}})
    assert v.short_link == f"https://commons.example/p/{p.id}/"
    assert v.discuss_url == f"{SITE.discussions}?discussions_q={p.slug}"
    assert v.used_by == plural(len(p.adopters), "council", "councils")
    assert v.qr_svg.startswith("<svg ") and f'aria-label="QR code for {v.short_link}"' in v.qr_svg
    assert [a.council.url for a in v.adopters] == [catalog.councils[a.council].url for a in p.adopters]


def test_case_study_outcomes_say_their_change(catalog: Catalog) -> None:
    cs = next(iter(catalog.case_studies.values()))
    outcomes = (Outcome("Calls", 200, 150, "a month", "2025", False), Outcome("Forms", 100, 150, "", "2025", False),
                Outcome("New", 0, 40, "", "2025", False))
    v = case_study_page(catalog, dataclasses.replace(cs, outcomes=outcomes))
    assert [o.change for o in v.outcomes] == ["-25.0%", "+50.0%", "—"]
    assert not v.any_illustrative
    illustrated = case_study_page(catalog, dataclasses.replace(cs, outcomes=(dataclasses.replace(outcomes[0],
                                                                                                  illustrative=True),)))
    assert illustrated.any_illustrative
    assert v.search_filters[1].values == [catalog.councils[x].short_name for x in (cs.council, *cs.partners)]


def test_playbook_and_session_pages_link_their_councils_and_patterns(catalog: Catalog) -> None:
    b = next(iter(catalog.playbooks.values()))
    pv = playbook_page(catalog, b)
    assert [link.url for link in pv.owners] == [catalog.councils[x].url for x in b.councils]
    assert [link.url for link in pv.patterns] == [urls.pattern(slug) for slug in b.patterns]
    s = next(s for s in catalog.sessions.values() if s.patterns)
    sv = session_page(catalog, s, SITE)
    first = catalog.patterns[s.patterns[0]]
    assert (sv.patterns[0].short_url, sv.patterns[0].short_link) == (urls.pattern_short(first.id),
                                                                     f"https://commons.example/p/{first.id}/")


def test_council_page(catalog: Catalog, state: SiteState) -> None:
    council = next(x for x in catalog.councils.values() if x.has_folder and x.commitments and x.region != x.nation)
    v = council_page(catalog, council, state.progress)
    assert v.place == council.region
    assert v.search_summary == (f"{council.type_name} in {council.region}: {len(council.adopted)} patterns adopted, "
                                f"{len(council.commitments)} Declaration commitments")
    assert v.website == council.website.removeprefix("https://").strip("/") and "/" not in v.website
    counted = Counter(cm.status for cm in council.commitments)
    assert v.status_counts == [f"{counted[k]} {label.lower()}" for k, label in COMMITMENT_STATUSES.items()
                               if counted[k]]
    for section, cm in zip(v.commitments, council.commitments, strict=True):
        assert [u.date for u in section.history] == [u.date for u in reversed(cm.history)]
        assert section.principles == [f"{n}. {PRINCIPLES[n]}" for n in cm.principles]
    assert v.progress is not None and [f.values for f in v.search_filters][2] == [
        f"{n}. {PRINCIPLES[n]}" for n in sorted({n for cm in council.commitments for n in cm.principles})]

    nation_wide = next(x for x in catalog.councils.values() if x.region == x.nation)
    assert council_page(catalog, nation_wide, state.progress).place == nation_wide.nation
    outside = next(x for x in catalog.councils.values() if not x.has_folder)
    empty = council_page(catalog, outside, state.progress)
    assert ":" not in empty.search_summary
    assert (empty.progress, empty.over_time, empty.commitments, empty.status_counts) == (None, None, [], [])


# --- Home and dashboard -------------------------------------------------------------------------------------


def test_home_page_lists_by_git_dates_newest_first(state: SiteState) -> None:
    v = home_page(state)
    assert v.counts.patterns == len(state.catalog.patterns) and len(v.recently_updated) <= 8
    assert [(r.day, r.url) for r in v.recently_updated] == sorted(((r.day, r.url) for r in v.recently_updated),
                                                                  reverse=True)
    assert all(r.kind_label == KIND_LABELS[r.kind] for r in v.recently_updated)
    # An entry git saw change after every other goes to the top, whatever its own date says.
    oldest = min(state.catalog.playbooks.values(), key=lambda b: b.last_reviewed)
    last_change = max([TODAY, *(d.changed for d in state.dates.values())])
    later = dataclasses.replace(state, dates={**state.dates,
                                              oldest.path: FileDates(TODAY, last_change + dt.timedelta(1))})
    assert home_page(later).recently_updated[0].url == oldest.url
    for item in v.whats_new:
        if item.status:
            assert item.status_label == COMMITMENT_STATUSES[item.status] and "#" in item.url
        else:
            assert item.text.startswith("Case study: ") and item.url.startswith(urls.INDEX["case-study"])


def test_dashboard_page(catalog: Catalog, state: SiteState) -> None:
    without_history = dashboard_page(catalog)
    assert without_history.board.over_time is None and len(without_history.charts) == 5
    v = dashboard_page(catalog, state.progress)
    assert v.charts[1] is v.board.over_time if v.board.over_time else len(v.charts) == 5
    assert v.councils == len(catalog.councils) and v.stale_count == len(v.stale) == len(v.board.stale) > 0
    for row, cm in zip(v.stale, v.board.stale, strict=True):
        slug = catalog.councils[cm.council].slug
        assert (row.council.url, row.commitment.url) == (urls.council(slug), urls.commitment(slug, cm.id))
    assert v.total_noun == "commitments"
    assert dashboard_page(dataclasses.replace(catalog, commitments=catalog.commitments[:1])).total_noun == "commitment"


# --- Templates print and loop -------------------------------------------------------------------------------


def test_every_page_template_has_its_view(catalog: Catalog) -> None:
    sources = pages.index_pages(REPO) + pages.entry_pages(catalog)
    templates = {m.group(1) for p in sources for m in re.finditer(r'"template": "([^"]+)"', p.content)}
    assert len(templates) == len(pages.INDEXES) + 5  # one per index page, and per kind of entry
    assert templates | {"home.html"} == set(templating.VIEWS)
    for name in templating.VIEWS:
        assert "view" in (OVERRIDES / name).read_text(encoding="utf-8"), name


# Jinja filters and names that compute: sorting, grouping, selecting, counting, reshaping or looking up.
COMPUTING = re.compile(r"\|\s*(sort|dictsort|groupby|selectattr|rejectattr|select|reject|map|length|count|sum|"
                       r"unique|reverse|batch|slice|min|max|first|last|list|format|lower|upper|replace|trim)\b"
                       r"|\b(catalog|labels|views)\s*[.\[]|\bsplit\(|~")


TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)  # what Jinja runs: not comments, not the HTML


@pytest.mark.parametrize("name", sorted(templating.AUTOESCAPED))
def test_our_templates_only_print_and_loop(name: str) -> None:
    """Our templates (not Material's) print the fields of their view and loop over its lists: whatever they
    would compute belongs in the view."""
    text = (OVERRIDES / name).read_text(encoding="utf-8")
    found = [m.group(0) for tag in TAG.findall(text) for m in COMPUTING.finditer(tag)]
    assert not found, f"{name} computes ({', '.join(found)}): compute it in its view in commons.site.views"
