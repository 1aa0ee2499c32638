"""The pieces several page views share: links to entries, Pagefind's search filters, filter facets, labels."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from commons.content.model import Catalog

# What one entry of each kind is called on the site (search results, the home page's lists, the feed).
KIND_LABELS: Mapping[str, str] = {"pattern": "Pattern", "case-study": "Case study", "playbook": "Playbook",
                                  "session": "Session", "council": "Council"}


@dataclass(frozen=True)
class Link:
    """A link to a page of the site: its text, and its address relative to the site's root (from
    commons.content.urls), which the template makes relative to the page with MkDocs' `url` filter."""

    text: str
    url: str


@dataclass(frozen=True)
class SiteLinks:
    """What views need from the site's configuration to make absolute and outside links."""

    site_url: str = ""  # the site's own address (mkdocs.yml site_url), for links printed on paper
    discussions: str = ""  # the repository's discussions page (mkdocs.yml extra.commons.discussions)


class SearchFilter(NamedTuple):
    """One of Pagefind's filters on a page: its name and the page's values for it."""

    name: str
    values: list[str]


@dataclass(frozen=True)
class Option:
    """One choice in an index page's filter: the value the list's items carry, its label, how many have it."""

    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Filter:
    """One drop-down of an index page's filter form."""

    key: str  # the list items' data-<key> attribute it matches
    label: str
    options: list[Option]


def council_link(c: Catalog, code: str) -> Link:
    council = c.councils[code]
    return Link(council.short_name, council.url)


def council_links(c: Catalog, codes: Iterable[str]) -> list[Link]:
    return [council_link(c, code) for code in codes]


def pattern_link(c: Catalog, slug: str) -> Link:
    p = c.patterns[slug]
    return Link(p.title, p.url)


def pattern_links(c: Catalog, slugs: Iterable[str]) -> list[Link]:
    return [pattern_link(c, slug) for slug in slugs]


def names(c: Catalog, codes: Iterable[str]) -> list[str]:
    """Councils' short names, in the order given, for search filters and metadata; unknown codes are left out."""
    return [c.councils[code].short_name for code in codes if code in c.councils]


def nations(c: Catalog, codes: Iterable[str]) -> list[str]:
    """The nations of the councils given, once each, in alphabetical order."""
    return sorted({c.councils[code].nation for code in codes if code in c.councils})


def facet(values: Iterable[str], labels: Mapping[str, str] | None = None) -> list[Option]:
    """A filter's options: each value once, labelled (by itself when `labels` lacks it), with how many
    times it occurs, in the labels' alphabetical order, ignoring case."""
    counted = Counter(values)
    return sorted((Option(v, (labels or {}).get(v, v), n) for v, n in counted.items()), key=lambda x: x.label.lower())


def plural(n: int, one: str, many: str) -> str:
    """`n` and the word for that many: "1 council", "3 councils"."""
    return f"{n} {one if n == 1 else many}"
