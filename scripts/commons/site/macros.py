"""Macros for the maintainers' own pages: counts, links and tables read from the Catalog of the build.

mkdocs-macros runs only on pages whose front matter says `render_macros: true` (`render_by_default: false`
in mkdocs.yml). Contributed entries cannot say it (the validator refuses fields their schema does not list)
and their pages are made by the hooks, so a contributed `{{ … }}` always shows as typed. The macros are
registered by the hooks for one build, bound to that build's Catalog (`for_build`); each is a plain method
tests call without MkDocs. Every contributed value they print is HTML-escaped, and a macro given a kind or
a name the Catalog does not have stops the build with a message saying what exists, so a maintainer's typo
is never published as an empty link.

In a page:

    {{ count("patterns") }} patterns from {{ count("councils") }} councils
    {{ entry_link("pattern", "report-a-missed-bin") }}
    {{ latest_entries("case-studies", 3) }}
    {{ commitments_table("hackney") }}
    a commitment is {{ statuses("commitment") }}
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from commons.content import urls
from commons.content.model import Catalog, Commitment
from commons.content.vocabulary import COMMITMENT_STATUSES, PATTERN_STATUSES
from commons.errors import CommonsError
from commons.site.state import SiteState
from commons.site.templating import long_date

KINDS = ("patterns", "case-studies", "playbooks", "sessions", "councils", "commitments")
ENTRY_KINDS = {"pattern": "patterns", "case-study": "case-studies", "playbook": "playbooks", "session": "sessions",
               "council": "councils"}


class MacroError(CommonsError):
    """A macro on a maintainers' page was given something the Catalog does not hold."""


_RENDER_MACROS = re.compile(r"\A---[ \t]*\r?\n(?:.*\r?\n)*?render_macros:[ \t]*true[ \t]*\r?\n(?:.*\r?\n)*?---", re.M)


def renders_macros(path: str | None) -> bool:
    """Whether the maintainers' page at `path` opts in to macros (`render_macros: true` in its front matter)."""
    if not path:
        return False
    try:
        with open(path, encoding="utf-8") as f:
            return _RENDER_MACROS.match(f.read(4096)) is not None
    except (OSError, UnicodeDecodeError):
        return False


def register(config: Any, state: SiteState) -> Macros | None:
    """Give mkdocs-macros, if the site uses it, this build's macros; they are what `register` returns."""
    plugin = config.plugins.get("macros")
    if plugin is None:
        return None

    def page_url() -> str:
        page = getattr(plugin, "_page", None)  # the page mkdocs-macros is rendering (its `page` property)
        return page.url if page is not None else ""

    macros = Macros(state.catalog, page_url, {path: d.added for path, d in state.dates.items()})
    plugin.register_macros(macros.as_dict())
    return macros


@dataclass(frozen=True)
class Listed:
    """One entry as a macro lists it: its title, its page (from the site's root) and the day it is dated."""

    title: str
    url: str
    day: dt.date | None


class Macros:
    """The macros of one build. `page_url` gives the address of the page being rendered (from the site's
    root), so every link is relative and works under any base path; `added` the day each file was first
    committed (from git), used to find the latest entries."""

    def __init__(self, catalog: Catalog, page_url: Callable[[], str],
                 added: Mapping[str, dt.date] | None = None):
        self.catalog = catalog
        self.page_url = page_url
        self.added = added or {}
        self.problems: list[MacroError] = []  # raised by a macro: mkdocs-macros would only print them

    # -- the macros ------------------------------------------------------------------------------------

    def count(self, kind: str) -> int:
        """How many there are: patterns, case-studies, playbooks, sessions, councils (those taking part,
        with a folder in the commons) or commitments."""
        return len(self._entries(kind)) if kind != "commitments" else len(self.catalog.commitments)

    def entry_link(self, kind: str, name: str) -> Markup:
        """A link to one entry by its kind (pattern, case-study, playbook, session, council) and name (its
        file's slug; for a session "event/slug"; for a council its register code or slug)."""
        if kind not in ENTRY_KINDS:
            raise self._unknown_kind(kind)
        listed = self._entries(ENTRY_KINDS[kind])
        key = name
        if kind == "pattern":
            key = self.catalog.aliases.get(name, name)  # a former name still finds the pattern
        elif kind == "council":
            key = next((c.code for c in self.catalog.councils.values() if c.slug == name), name)
        entry = listed.get(key)
        if entry is None:
            close = ", ".join(sorted(listed)[:8])
            raise self._fail(f"entry_link: there is no {kind} '{name}'", f"the {kind}s include: {close}")
        return self._link(entry)

    def latest_entries(self, kind: str, n: int = 5) -> Markup:
        """A list of the `n` newest entries of a kind (by the day their file was first committed, or their
        own date where they have one), newest first."""
        entries = sorted(self._entries(kind).values(), key=lambda e: (e.day or dt.date.min, e.title), reverse=True)
        items = "".join(f"<li>{self._link(e)}</li>" for e in entries[: max(0, int(n))])
        return Markup(f'<ul class="commons-latest">{items}</ul>')

    def commitments_table(self, council: str) -> Markup:
        """A table of one council's Declaration commitments: title, status, target and latest update."""
        found = self.catalog.councils.get(council) or next(
            (c for c in self.catalog.councils.values() if c.slug == council), None)
        if found is None or not found.has_folder:
            taking_part = ", ".join(c.slug for c in self.catalog.contributing_councils)
            raise self._fail(f"commitments_table: '{council}' is not a council taking part",
                             f"councils with a folder: {taking_part}")
        rows = "".join(self._commitment_row(cm) for cm in found.commitments)
        return Markup(
            f'<table><caption>{escape(found.name)}: Local Digital Declaration '
            "commitments</caption><thead><tr><th scope=\"col\">Commitment</th><th scope=\"col\">Status</th>"
            "<th scope=\"col\">Target</th><th scope=\"col\">Latest update</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")

    def statuses(self, kind: str) -> str:
        """The statuses a commitment or a pattern can have, as a sentence reads them: "planned, in progress,
        done, paused or stopped" (from the schema, so the page never lists one that no longer exists)."""
        labels = {"commitment": COMMITMENT_STATUSES, "pattern": PATTERN_STATUSES}.get(kind)
        if labels is None:
            raise self._fail(f"statuses: there are statuses of 'commitment' and 'pattern', not '{kind}'",
                             "write statuses(\"commitment\") or statuses(\"pattern\")")
        words = [label.lower() for label in labels.values()]
        return ", ".join(words[:-1]) + " or " + words[-1]

    def as_dict(self) -> dict[str, Callable[..., Any]]:
        """Name -> function, for mkdocs-macros' `register_macros`."""
        return {"count": self.count, "entry_link": self.entry_link, "latest_entries": self.latest_entries,
                "commitments_table": self.commitments_table, "statuses": self.statuses}

    # -- helpers ---------------------------------------------------------------------------------------

    def _entries(self, kind: str) -> dict[str, Listed]:
        c = self.catalog
        if kind == "patterns":
            return {s: Listed(p.title, p.url, self.added.get(p.path)) for s, p in c.patterns.items()}
        if kind == "case-studies":
            return {s: Listed(e.title, e.url, e.date) for s, e in c.case_studies.items()}
        if kind == "playbooks":
            return {s: Listed(e.title, e.url, self.added.get(e.path)) for s, e in c.playbooks.items()}
        if kind == "sessions":
            return {k: Listed(e.title, e.url, e.date) for k, e in c.sessions.items()}
        if kind == "councils":
            return {k.code: Listed(k.name, k.url, self.added.get(k.path)) for k in c.contributing_councils}
        raise self._unknown_kind(kind)

    def _fail(self, message: str, hint: str) -> MacroError:
        error = MacroError(message, hint)
        self.problems.append(error)
        return error

    def _unknown_kind(self, kind: str) -> MacroError:
        return self._fail(f"there is no kind of entry called '{kind}'",
                          "use one of: " + ", ".join(KINDS) + " (for entry_link: " + ", ".join(ENTRY_KINDS) + ")")

    def _link(self, entry: Listed) -> Markup:
        return Markup(f'<a href="{escape(self._relative(entry.url))}">{escape(entry.title)}</a>')

    def _relative(self, url: str) -> str:
        """`url` (from the site's root, directory style) as seen from the page being rendered."""
        here = self.page_url() or ""
        anchor = ""
        if "#" in url:
            url, anchor = url.split("#", 1)
            anchor = "#" + anchor
        target = posixpath.relpath(url or ".", here.rstrip("/") or ".")
        return ("./" if target == "." else target.rstrip("/") + "/") + anchor

    def _commitment_row(self, cm: Commitment) -> str:
        council = self.catalog.councils[cm.council]
        link = f'<a href="{escape(self._relative(urls.commitment(council.slug, cm.id)))}">{escape(cm.title)}</a>'
        target = long_date(cm.target) if cm.target else "not set"
        last = cm.last_update
        return (f"<tr><td>{link}</td><td>{escape(COMMITMENT_STATUSES.get(cm.status, cm.status))}</td>"
                f"<td>{escape(target)}</td><td>{escape(long_date(last.date))}: {escape(last.note)}</td></tr>")

