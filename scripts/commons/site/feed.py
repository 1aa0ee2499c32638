"""The Atom feed of new and changed entries, Declaration updates and contracts, at the root of the site (feed.xml).

A contract is dated by when git history last saw it change (`contract_history`), as a file is by its last change;
outside git, by its start.

Made from the build's state alone and deterministic, like the other open data (commons.site.exports,
which writes it). Contributed text is hostile: every part of the feed goes in through `_sub`, which
replaces what XML 1.0 cannot hold, and ElementTree escapes the rest.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from commons.content import urls
from commons.content.model import Catalog
from commons.content.vocabulary import COMMITMENT_STATUSES
from commons.site.contract_history import ContractDates, Key, contract_dates
from commons.site.state import SiteState
from commons.site.views.parts import KIND_LABELS

FEED_PATH = "feed.xml"
FEED_LIMIT = 50
ATOM = "http://www.w3.org/2005/Atom"
# A tag: URI's date belongs to the name, not to the build: it never changes.
TAG = "tag:council-commons,2026:"


@dataclass(frozen=True)
class FeedEntry:
    id: str  # a tag: URI that never changes for the same entry or update
    title: str
    updated: dt.date
    link: str  # relative to the feed, which sits at the root of the site
    summary: str
    category: str


def feed_entries(s: SiteState, limit: int = FEED_LIMIT, contracts: bool = True) -> list[FeedEntry]:
    """New and changed entries, commitment updates and (unless `contracts` is false: the market views left out)
    new and changed contracts, newest first (ties by id), at most `limit`."""
    entries = _file_entries(s) + _commitment_entries(s.catalog)
    if contracts:
        entries += _contract_entries(s, contract_dates(s.root), limit)
    entries.sort(key=lambda e: e.id)
    entries.sort(key=lambda e: e.updated, reverse=True)
    return entries[:limit]


def _file_entries(s: SiteState) -> list[FeedEntry]:
    """Entries dated by git's last change of their file, or by their own date outside git."""
    c = s.catalog
    out = [_entry("pattern", p.url, p.title, s.changed(p.path) or p.last_reviewed, p.summary)
           for p in c.patterns.values()]
    out += [_entry("case-study", x.url, x.title, s.changed(x.path) or x.date, x.summary)
            for x in c.case_studies.values()]
    out += [_entry("playbook", b.url, b.title, s.changed(b.path) or b.last_reviewed, b.summary)
            for b in c.playbooks.values()]
    out += [_entry("session", x.url, x.title, s.changed(x.path) or x.date, f"{x.event}, {x.date.isoformat()}")
            for x in c.sessions.values()]
    return out


def _entry(kind: str, url: str, title: str, day: dt.date, summary: str) -> FeedEntry:
    """An entry's page in the feed: titled with its kind ("Case study: …") and filed under it."""
    return FeedEntry(TAG + url.rstrip("/"), f"{KIND_LABELS[kind]}: {title}", day, url, summary, kind)


def _commitment_entries(c: Catalog) -> list[FeedEntry]:
    """One entry per dated update; a second update on the same day gets a numbered id."""
    out: list[FeedEntry] = []
    for cm in c.commitments:
        council = c.councils[cm.council]
        seen: Counter[dt.date] = Counter()
        for u in cm.history:
            seen[u.date] += 1
            suffix = "" if seen[u.date] == 1 else f"-{seen[u.date]}"
            status = COMMITMENT_STATUSES.get(u.status, u.status)
            out.append(FeedEntry(f"{TAG}commitments/{cm.key}/{u.date.isoformat()}{suffix}",
                                 f"{council.short_name}: {cm.title} ({status})", u.date,
                                 urls.commitment(council.slug, cm.id),
                                 u.note, "commitment"))
    return out


def _contract_entries(s: SiteState, dates: Mapping[Key, ContractDates], limit: int) -> list[FeedEntry]:
    """One entry per contract, dated by its last change in git (else its file's, else its start): "New contract"
    when that change added it. Only the newest `limit` are made (in the feed's order): no others can reach it."""
    dated = [(known.changed if known else s.changed(k.path) or k.start, f"{TAG}contracts/{k.key}", council, k, known)
             for council in s.catalog.councils.values() for k in council.contracts
             for known in (dates.get((k.path, k.id)),)]
    dated.sort(key=lambda d: d[1])
    dated.sort(key=lambda d: d[0], reverse=True)
    out: list[FeedEntry] = []
    for day, tag, council, k, known in dated[:limit]:
        what = "New contract" if known is None or known.added == known.changed else "Contract changed"
        ends = f"Ends {long_date(k.end)}" + (f", extension until {long_date(k.extension_until)}"
                                              if k.extension_until else "")
        supplier = f"{k.product} from {k.supplier}" if k.product else k.supplier
        illustrative = " Illustrative: an example, not the council's own record." if k.illustrative else ""
        out.append(FeedEntry(tag, f"{what}: {council.short_name}, {k.system_label} ({k.supplier})", day,
                             urls.contract(council.slug, k.id), f"{supplier}. {ends}.{illustrative}", "contract"))
    return out


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _rfc3339(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(entries: list[FeedEntry], today: dt.date) -> str:
    """An Atom 1.0 document; it is `updated` as of its newest entry (or `today` when there are none)."""
    # Unprefixed names under a default xmlns: ElementTree's default_namespace option refuses plain attributes.
    feed = ET.Element("feed", xmlns=ATOM)
    _sub(feed, "id", f"{TAG}feed")
    _sub(feed, "title", "Council Commons: new and changed entries")
    _sub(feed, "subtitle", "Patterns, case studies, playbooks, sessions, Local Digital Declaration updates and "
         "councils' contracts.")
    _sub(feed, "updated", _rfc3339(entries[0].updated if entries else today))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=FEED_PATH)
    _sub(feed, "link", rel="alternate", type="text/html", href="./")
    author = _sub(feed, "author")
    _sub(author, "name", "Council Commons")
    for e in entries:
        _atom_entry(feed, e)
    ET.indent(feed)
    body = ET.tostring(feed, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


def _atom_entry(feed: ET.Element, e: FeedEntry) -> None:
    entry = _sub(feed, "entry")
    _sub(entry, "id", e.id)
    _sub(entry, "title", e.title)
    _sub(entry, "updated", _rfc3339(e.updated))
    _sub(entry, "link", rel="alternate", type="text/html", href=e.link)
    _sub(entry, "category", term=e.category)
    _sub(entry, "summary", e.summary)


# Characters XML 1.0 does not allow at all: a feed holding one is not XML, and readers reject all of it.
# Validation refuses them in content; this keeps the feed well formed whatever reaches it.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: str) -> str:
    """`value` with every character XML 1.0 forbids replaced by U+FFFD (ElementTree escapes the rest)."""
    return _NOT_XML.sub("\ufffd", value)


def _sub(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    """The only way text goes into the feed: made XML-safe here, then escaped by ElementTree (attributes too)."""
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text:
        element.text = xml_text(text)
    return element
