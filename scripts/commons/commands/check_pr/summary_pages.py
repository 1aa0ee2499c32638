"""The pages a reviewer should look at in a pull request's preview, and why: the summary's "Pages to look at".

Each changed entry's own page; a Declaration commitment's own place on its council's page, by its title; the
pages that list the entry (its councils') and the index it is on; the patterns a change names, where a name that
is a pattern's alias is said to be a redirect, as is each address a change makes into one (a pattern's old name
kept in its `aliases`). A file that cannot be read has no pages: the site cannot be built until it can.

Addresses come from the one URL scheme (`commons.content.urls`); every reason is Markdown, its contributed
values escaped.
"""

from __future__ import annotations

from typing import Any

from commons.commands.check_pr.approvals import owners_of
from commons.commands.check_pr.pull_request import (
    COUNCIL_TYPES,
    MAX_LISTED,
    EntryChange,
    as_list,
    commitments_by_id,
    pattern_names,
)
from commons.commands.check_pr.summary_entries import Names, commitment_title, council_name, title_of, url_of
from commons.content import urls
from commons.content.load import RawEntry
from commons.content.register import Register
from commons.content.schema import DECLARATION, PATTERN
from commons.content.schema_contracts import CONTRACTS
from commons.markdown_text import markdown_text


def index_of(kind: str) -> str:
    """The index page that lists entries of a content type: a Declaration's commitments show on the dashboard,
    contracts on the market page."""
    return urls.DASHBOARD if kind == DECLARATION.name else urls.MARKET if kind == CONTRACTS.name else urls.INDEX[kind]


_INDEX_WHY = {urls.DASHBOARD: "the dashboard's charts and tables",
              urls.MARKET: "the market page's charts, end dates and procurement windows"}

Page = tuple[str, str]  # a page's path on the site, and a place on it (a commitment's id) or ""


def pages_changed(entries: list[EntryChange], register: Register, names: Names | None = None) -> dict[Page, str]:
    """The pages, and places on them, that change -> why, in Markdown."""
    from commons.content.validate import check_entry

    found = names or {}
    pages: dict[Page, str] = {}
    for e in entries:
        if e.unreadable:
            continue
        for entry in (e.after, e.before):
            if entry is None or entry.meta is None:
                continue
            council = entry.ctype.name in COUNCIL_TYPES
            if entry is e.after:
                title = markdown_text(council_name(entry, register) if council else title_of(entry))
                pages.setdefault((url_of(entry), ""), f"{title}'s page" if council else f"the page of {title}")
                pages.update({url: why for url, why in _commitments(e, register).items() if url not in pages})
                for alias in _new_aliases(e):
                    old = " (its old address)" if e.before is not None and alias == e.before.slug else ""
                    pages.setdefault((urls.pattern(alias), ""), f"a redirect to the page of {title}{old}")
            for code in owners_of(entry, register):
                a = register.by_code[code]
                pages.setdefault((urls.council(a.slug), ""), f"{markdown_text(a.short_name)}'s page, which lists it")
            if council:  # only the patterns named by what changed, not by every commitment
                refs = _changed_pattern_refs(e)
            else:
                refs = [r.value for r in check_entry(entry, register)[1].references if isinstance(r.value, str)]
            for slug in refs:
                target = found.get(slug)
                pages.setdefault((urls.pattern(slug), ""), f"a redirect to the page of the pattern it names, "
                                 f"{markdown_text(target.title)} ({markdown_text(slug)} is another name for "
                                 f"{markdown_text(target.slug)})" if target and target.slug != slug else
                                 f"the page of the pattern it names ({markdown_text(slug)})")
            index = index_of(entry.ctype.name)
            pages.setdefault((index, ""), _INDEX_WHY.get(index, "the index"))
    return pages


def _commitments(e: EntryChange, register: Register) -> dict[Page, str]:
    """Each commitment a declaration's change adds or changes, at its place on the council's page (the first
    MAX_LISTED; the council's page shows them all)."""
    before = {cid: c for cid, (_, c) in commitments_by_id(e.before).items()}
    council = markdown_text(council_name(e.after, register))
    folder = e.after.folder if e.after else ""
    changed = [(cid, c) for cid, (_, c) in commitments_by_id(e.after).items() if before.get(cid) != c]
    return {(urls.council(folder), cid): f"Declaration commitment: {council} — {commitment_title(c, cid)}"
            for cid, c in changed[:MAX_LISTED]}


def _new_aliases(e: EntryChange) -> list[str]:
    """The addresses a pattern's change makes into redirects: aliases it did not have (a rename keeps its old
    name among them)."""
    if e.after is None or e.after.ctype.name != PATTERN.name:
        return []
    had = pattern_names(e.before) - {e.before.slug} if e.before is not None else set()
    return sorted(pattern_names(e.after) - had - {e.after.slug})


def _changed_pattern_refs(e: EntryChange) -> list[str]:
    """Patterns named by the commitments or adoptions a council file's change adds, removes or edits."""
    key = "commitments" if (e.entry and e.entry.ctype.name == DECLARATION.name) else "adopted"
    before, after = _items(e.before, key), _items(e.after, key)
    changed = [item for item in before if item not in after] + [item for item in after if item not in before]
    out: list[str] = []
    for item in changed:
        names = [item.get("pattern")] if key == "adopted" else as_list(item.get("patterns"))
        out += [n for n in names if isinstance(n, str)]
    return list(dict.fromkeys(out))


def _items(entry: RawEntry | None, key: str) -> list[dict[str, Any]]:
    meta = entry.meta if entry and isinstance(entry.meta, dict) else {}
    return [item for item in as_list(meta.get(key)) if isinstance(item, dict)]
