"""What templates see: the Catalog, formatting filters, and each page's entry and edit link.

Templates print fields and loop; anything computed is computed here or in
the model, in plain functions that tests can call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from commons.content.model import Catalog, Commitment, Council, Pattern
from commons.content.schema import COMMITMENT_STATUSES, PATTERN_STATUSES, PRINCIPLES, SERVICE_AREAS
from commons.site import charts, csp, frame, qr
from commons.site.state import SiteState


def long_date(day: dt.date | None) -> str:
    """21 November 2026."""
    return f"{day.day} {day:%B %Y}" if day else ""


def month_year(day: dt.date | None) -> str:
    return f"{day:%B %Y}" if day else ""


def number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


@dataclass(frozen=True)
class Recent:
    title: str
    url: str
    kind: str
    day: dt.date


KIND_LABELS = {"pattern": "Pattern", "case-study": "Case study", "playbook": "Playbook", "session": "Session",
               "council": "Council"}


def recently_updated(s: SiteState, limit: int = 8) -> list[Recent]:
    """Entries by the date git last saw them change, newest first."""
    c = s.catalog
    items: list[Recent] = []
    for p in c.patterns.values():
        items.append(Recent(p.title, p.url, "pattern", s.changed(p.path) or p.last_reviewed))
    for cs in c.case_studies.values():
        items.append(Recent(cs.title, cs.url, "case-study", s.changed(cs.path) or cs.date))
    for b in c.playbooks.values():
        items.append(Recent(b.title, b.url, "playbook", s.changed(b.path) or b.last_reviewed))
    for se in c.sessions.values():
        items.append(Recent(se.title, se.url, "session", s.changed(se.path) or se.date))
    items.sort(key=lambda r: (r.day, r.url), reverse=True)
    return items[:limit]


@dataclass(frozen=True)
class News:
    day: dt.date
    text: str
    url: str
    status: str


def whats_new(c: Catalog, limit: int = 8) -> list[News]:
    """The latest commitment updates and case studies, by their own dates."""
    items: list[News] = []
    for cm in c.commitments:
        council = c.councils[cm.council]
        u = cm.last_update
        items.append(News(u.date, f"{council.short_name}: {cm.title}", council.url + f"#{cm.id}", u.status))
    for cs in c.case_studies.values():
        items.append(News(cs.date, f"Case study: {cs.title}", cs.url, ""))
    items.sort(key=lambda n: (n.day, n.url), reverse=True)
    return items[:limit]


@dataclass(frozen=True)
class Counts:
    patterns: int
    case_studies: int
    playbooks: int
    sessions: int
    councils_contributing: int
    councils: int
    commitments: int
    adoptions: int


def counts(c: Catalog) -> Counts:
    return Counts(len(c.patterns), len(c.case_studies), len(c.playbooks), len(c.sessions),
                  len(c.contributing_councils), len(c.councils), len(c.commitments),
                  sum(len(p.adopters) for p in c.patterns.values()))


def facet(values: list[str], labels: dict[str, str] | None = None) -> list[tuple[str, str, int]]:
    """(value, label, count) for a filter's options, in label order."""
    counted = Counter(values)
    return sorted(((v, (labels or {}).get(v, v), n) for v, n in counted.items()), key=lambda x: x[1].lower())


def council_commitment_summary(council: Council) -> list[tuple[str, str, int]]:
    counted = Counter(cm.status for cm in council.commitments)
    return [(k, v, counted[k]) for k, v in COMMITMENT_STATUSES.items() if counted[k]]


def pattern_filters(c: Catalog) -> dict[str, list[tuple[str, str, int]]]:
    ps = list(c.patterns.values())
    return {
        "service-area": facet([p.service_area for p in ps], dict(SERVICE_AREAS)),
        "status": [(k, v, n) for k, v, n in facet([p.status for p in ps], dict(PATTERN_STATUSES))],
    }


def pattern_nations(c: Catalog, p: Pattern) -> list[str]:
    codes = set(p.councils) | {a.council for a in p.adopters}
    return sorted({c.councils[x].nation for x in codes if x in c.councils})


# Our templates print contributors' text, so Jinja escapes everything they print. MkDocs turns
# autoescaping off for themes, and Material's own templates rely on that, so it is on for ours only.
AUTOESCAPED = frozenset({
    "404.html", "case-study.html", "council.html", "dashboard.html", "home.html", "index-case-studies.html",
    "index-councils.html", "index-patterns.html", "index-playbooks.html", "index-sessions.html", "pattern.html",
    "playbook.html", "search.html", "session.html", "partials/commons.html", "partials/filters.html",
    "partials/header.html", "partials/copyright.html", "partials/source.html",
})


def autoescape_ours(previous: Any) -> Any:
    def decide(name: str | None) -> bool:
        if name in AUTOESCAPED:
            return True
        return bool(previous(name)) if callable(previous) else bool(previous)

    return decide


def publish(env: Any, s: SiteState, config: MkDocsConfig) -> None:
    env.autoescape = autoescape_ours(env.autoescape)
    env.bytecode_cache = compiled_template_cache(env, s.root / ".cache")
    env.filters["long_date"] = long_date
    env.filters["month_year"] = month_year
    env.filters["number"] = number
    env.globals["commons"] = s
    env.globals["catalog"] = s.catalog
    env.globals["labels"] = {"service_area": dict(SERVICE_AREAS), "pattern_status": dict(PATTERN_STATUSES),
                             "commitment_status": dict(COMMITMENT_STATUSES), "principle": dict(PRINCIPLES),
                             "kind": KIND_LABELS}
    env.globals["views"] = Views(s, config.site_url or "")
    env.globals["frame"] = frame.Frame()
    env.globals["content_security_policy"] = Markup(csp.meta_tag())  # printed first in every <head>


def compiled_template_cache(env: Any, cache: Path) -> jinja2.BytecodeCache | None:
    """Keep the theme's templates compiled between builds, as Python keeps modules in __pycache__.

    Compiling Material's templates was a tenth of a build at a thousand entries. Jinja checks each
    template's source against its cached code; the folder is named after everything else the compiled
    code depends on (Jinja's version, the environment's syntax settings and extensions, and which
    templates are escaped), so a change to any of them starts a new folder. None (compile every build)
    if the cache cannot be written.
    """
    settings = (jinja2.__version__, env.block_start_string, env.variable_start_string, env.comment_start_string,
                env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
                env.newline_sequence, env.keep_trailing_newline, env.optimized, sorted(env.extensions),
                sorted(AUTOESCAPED), env.autoescape(None))
    folder = cache / "templates" / hashlib.sha256(repr(settings).encode("utf-8")).hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def short_link(site_url: str, p: Pattern) -> str:
    return site_url.rstrip("/") + "/" + p.short_url


def card_qr_code(site_url: str, p: Pattern) -> tuple[str, str]:
    """What the QR code on a pattern's printed card says, and its accessible name."""
    link = short_link(site_url, p)
    return link, f"QR code for {link}"


def card_qr_codes(c: Catalog, config: MkDocsConfig) -> list[tuple[str, str]]:
    """Every pattern's card_qr_code(), to make them all ahead (commons.site.qr)."""
    return [card_qr_code(config.site_url or "", p) for p in c.patterns.values()]


class Views:
    """Computed views for templates, each a plain function of the state."""

    def __init__(self, s: SiteState, site_url: str):
        self.s = s
        self.site_url = site_url

    def counts(self) -> Counts:
        return counts(self.s.catalog)

    def recently_updated(self) -> list[Recent]:
        return recently_updated(self.s)

    def whats_new(self) -> list[News]:
        return whats_new(self.s.catalog)

    def pattern_filters(self) -> dict[str, list[tuple[str, str, int]]]:
        return pattern_filters(self.s.catalog)

    def pattern_nations(self, p: Pattern) -> list[str]:
        return pattern_nations(self.s.catalog, p)

    def facet(self, values: list[str], labels: dict[str, str] | None = None) -> list[tuple[str, str, int]]:
        return facet(values, labels)

    def council_summary(self, council: Council) -> list[tuple[str, str, int]]:
        return council_commitment_summary(council)

    def commitments_by_council(self) -> list[tuple[Council, list[Commitment]]]:
        c = self.s.catalog
        return [(council, list(council.commitments)) for council in c.councils.values() if council.commitments]

    def dashboard(self) -> charts.Dashboard:
        return charts.dashboard(self.s.catalog, self.s.progress)

    def council_progress(self, council: Council) -> charts.Chart | None:
        return charts.council_progress(self.s.catalog, council)

    def council_over_time(self, council: Council) -> charts.Chart | None:
        return charts.council_over_time(self.s.catalog, council, self.s.progress)

    def short_link(self, p: Pattern) -> str:
        """The pattern's permanent short link, absolute, as printed on cards."""
        return short_link(self.site_url, p)

    def qr_svg(self, p: Pattern) -> Markup:
        return Markup(qr.svg(*card_qr_code(self.site_url, p)))

    def names(self, codes: tuple[str, ...] | list[str]) -> list[str]:
        """Councils' short names, for search filters and metadata."""
        return [self.s.catalog.councils[code].short_name for code in codes if code in self.s.catalog.councils]

    def nations(self, codes: tuple[str, ...] | list[str]) -> list[str]:
        return sorted({self.s.catalog.councils[code].nation for code in codes if code in self.s.catalog.councils})

    def all_pattern_nations(self) -> list[str]:
        """One value per pattern per nation, for the nation filter's counts."""
        return [n for p in self.s.catalog.patterns.values() for n in self.pattern_nations(p)]

    def case_study_nations(self) -> list[str]:
        c = self.s.catalog
        return [c.councils[cs.council].nation for cs in c.case_studies.values()]

    def playbook_nations(self) -> list[str]:
        return [n for b in self.s.catalog.playbooks.values() for n in self.nations(b.councils)]

    def council_labels(self) -> dict[str, str]:
        return {code: c.short_name for code, c in self.s.catalog.councils.items()}

    def council_principles(self, council: Council) -> list[str]:
        return sorted({str(n) for cm in council.commitments for n in cm.principles})

    def principle_facet(self) -> list[tuple[str, str, int]]:
        councils = self.s.catalog.councils.values()
        values = [n for c in councils for n in self.council_principles(c)]
        return [(v, f"{v}. {PRINCIPLES[int(v)]}", n) for v, _, n in facet(values)]

    def changed(self, path: str) -> dt.date | None:
        return self.s.changed(path)


def page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, s: SiteState) -> None:
    kind = page.meta.get("commons_kind", "")
    key = page.meta.get("commons_key", "")
    entry: Any = None
    c = s.catalog
    if kind == "pattern":
        entry = c.patterns[key]
    elif kind == "case-study":
        entry = c.case_studies[key]
    elif kind == "playbook":
        entry = c.playbooks[key]
    elif kind == "session":
        entry = c.sessions[key]
    elif kind == "council":
        entry = c.councils[key]
    context["entry"] = entry
    context["kind"] = kind
    commons = config.extra.get("commons", {})
    repo, branch = commons.get("repository", ""), commons.get("branch", "main")
    if not repo:
        page.edit_url = None
    elif entry is not None and getattr(entry, "path", None):
        page.edit_url = f"{repo}/edit/{branch}/{entry.path}"
    elif kind == "council":
        page.edit_url = None  # a council without a folder: its page says how to start one
    elif kind:
        page.edit_url = None  # generated index pages have no source file
    else:
        page.edit_url = f"{repo}/edit/{branch}/docs/{page.file.src_uri}"
