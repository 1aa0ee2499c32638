"""Open data: versioned JSON and CSV exports under `api/v1/`, and the Atom feed (commons.site.feed).

Every export is made from the Catalog alone, in memory, and only then written,
each file atomically, so a failed build never leaves half a file. Output is
deterministic: the same content gives byte-identical files. The shape of each
file is documented in docs/data.md; within v1, fields are only ever added.

Contributed text is hostile. JSON carries it unchanged (JSON has no formulas);
every CSV is written by `csv_document`, whose every cell goes through
`csv_cell`, so no cell is a formula to a spreadsheet; the feed makes its text
safe for XML itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commons.analysis import opportunities
from commons.content import urls
from commons.content.model import Adoption, CaseStudy, Catalog, Commitment, Council, Pattern, Playbook, Session, Update
from commons.site import feed, json_text
from commons.site.contract_exports import CONTRACT_CSV_COLUMNS, contract_item, contract_row, contracts_of
from commons.site.market_switch import market_views
from commons.site.state import SiteState
from commons.site.views.sources import SourceRow, iso, source_rows

VERSION = "1"
API_DIR = f"api/v{VERSION}"
LICENSE = (
    "Content: the content licence in the Council Commons repository's LICENSE file. "
    "Council register: mySociety's uk_local_authority_names_and_codes (MIT); "
    "ONS codes contain public sector information licensed under the Open Government Licence v3.0."
)

CSV_COLUMNS = ("council_code", "council_name", "nation", "region", "council_type", "council_type_name", "id",
               "title", "principles", "status", "start", "target", "last_update", "stale", "partners", "patterns",
               "url")

Item = dict[str, Any]
# Half of a UTF-16 pair on its own: text can hold one (from a YAML "\\ud800" escape) but UTF-8 cannot.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# A CSV cell: text (made safe for spreadsheets), a number we computed, a yes/no, or nothing.
Cell = str | int | float | bool | None


@dataclass(frozen=True)
class Export:
    """One file of the open data: where it goes in the site, what it is, and its bytes."""

    path: str
    description: str
    media_type: str
    count: int
    content: bytes


def write_all(site_dir: Path, s: SiteState) -> None:
    """Write every export into the built site. Nothing is written if making any export fails."""
    for export in exports(s):
        write_atomic(site_dir / export.path, export.content)


def exports(s: SiteState) -> list[Export]:
    """Every export, in the order the index lists them, followed by the index itself."""
    c = s.catalog
    files = [
        _json_export("patterns.json", "Patterns, with who adopted them and what refers to them.",
                     [pattern_item(p) for p in c.patterns.values()], s.today),
        _json_export("case-studies.json", "Case studies, with their outcomes.",
                     [case_study_item(x) for x in c.case_studies.values()], s.today),
        _json_export("playbooks.json", "Playbooks, with their steps.",
                     [playbook_item(b) for b in c.playbooks.values()], s.today),
        _json_export("sessions.json", "Unconference sessions and the patterns they discussed.",
                     [session_item(x) for x in c.sessions.values()], s.today),
        _json_export("councils.json", "Every current council in the register, with its profile if it contributes.",
                     [council_item(x) for x in c.councils.values()], s.today),
        _json_export("commitments.json", "Local Digital Declaration commitments with their dated history.",
                     [commitment_item(x, c) for x in c.commitments], s.today),
        _csv_export("commitments.csv", "Local Digital Declaration commitments, one row each.", CSV_COLUMNS,
                    [_csv_row(cm, c) for cm in c.commitments]),
        *([_json_export("contracts.json", "Councils' contracts for their systems: supplier, product and end dates.",
                        [contract_item(k, c) for k in contracts_of(c)], s.today),
           _csv_export("contracts.csv", "Councils' contracts for their systems, one row each.", CONTRACT_CSV_COLUMNS,
                       [contract_row(k, c) for k in contracts_of(c)])] if market_views() else []),
        _json_export("collaborate.json", "Opportunities to work together: councils with similar open commitments "
                     "who are not yet partners in them.", opportunities.as_data(c, s.opportunities), s.today),
        _json_export("sources.json", "Councils' own repositories: the version the site shows and whether it is "
                     "up to date.", [source_item(r) for r in source_rows(s.root, c)], s.today),
    ]
    entries = feed.feed_entries(s, contracts=market_views())
    files.append(Export(feed.FEED_PATH, f"Atom feed of the latest {feed.FEED_LIMIT} new and changed entries.",
                        "application/atom+xml", len(entries), feed.atom_feed(entries, s.today).encode("utf-8")))
    files.append(_json_export("index.json", "This list of the open data files.",
                              [_index_item(f) for f in files], s.today))
    json_text.forget_unused()
    return files


# --- JSON ---------------------------------------------------------------------------------------------------


def json_document(items: list[Item], today: dt.date) -> bytes:
    """The versioned envelope every JSON export shares, serialised deterministically."""
    head = {"version": VERSION, "generated": today.isoformat(), "license": LICENSE, "count": len(items)}
    text = json_text.document(head, items)  # json.dumps(head + items, indent=2, sort_keys=True), item by item
    # A lone surrogate has no UTF-8 form; as JSON's \uXXXX escape the value is unchanged (a reader makes one
    # character of a high one just before a low one, as UTF-16 does).
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")


def _json_export(name: str, description: str, items: list[Item], today: dt.date) -> Export:
    return Export(f"{API_DIR}/{name}", description, "application/json", len(items), json_document(items, today))


def _index_item(f: Export) -> Item:
    return {"url": f.path, "description": f.description, "media_type": f.media_type, "count": f.count}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _adopter(a: Adoption) -> Item:
    """An adoption as a pattern lists it: which council, since when."""
    return {"council": a.council, "since": a.since.isoformat(), "evidence": a.evidence or None}


def _adopted(a: Adoption) -> Item:
    """An adoption as a council lists it: which pattern, since when."""
    return {"pattern": a.pattern, "since": a.since.isoformat(), "evidence": a.evidence or None}


def pattern_item(p: Pattern) -> Item:
    return {
        "id": p.id, "slug": p.slug, "title": p.title, "summary": p.summary, "service_area": p.service_area,
        "lgsl": list(p.lgsl), "status": p.status, "tags": list(p.tags), "councils": list(p.councils),
        "related": list(p.related), "related_from": list(p.related_from), "aliases": list(p.aliases),
        "last_reviewed": p.last_reviewed.isoformat(), "stale": p.stale,
        "adopters": [_adopter(a) for a in p.adopters], "case_studies": list(p.case_studies),
        "playbooks": list(p.playbooks), "sessions": list(p.sessions), "commitments": list(p.commitments),
        "url": p.url, "short_url": p.short_url, "path": p.path,
    }


def case_study_item(x: CaseStudy) -> Item:
    return {
        "slug": x.slug, "title": x.title, "council": x.council, "date": x.date.isoformat(), "summary": x.summary,
        "patterns": list(x.patterns), "service_area": x.service_area,
        "outcomes": [{"measure": o.measure, "before": o.before, "after": o.after, "unit": o.unit,
                      "period": o.period, "illustrative": o.illustrative, "change_percent": o.change_percent}
                     for o in x.outcomes],
        "partners": list(x.partners), "contact_role": x.contact_role, "contact_email": x.contact_email,
        "links": [{"title": link.title, "url": link.url} for link in x.links], "url": x.url, "path": x.path,
    }


def playbook_item(b: Playbook) -> Item:
    return {
        "slug": b.slug, "title": b.title, "summary": b.summary, "audience": list(b.audience),
        "steps": [{"title": step.title, "detail": step.detail} for step in b.steps], "time_needed": b.time_needed,
        "patterns": list(b.patterns), "councils": list(b.councils), "last_reviewed": b.last_reviewed.isoformat(),
        "stale": b.stale, "url": b.url, "path": b.path,
    }


def session_item(x: Session) -> Item:
    return {
        "id": x.id, "key": x.key, "event_slug": x.event_slug, "slug": x.slug, "event": x.event,
        "date": x.date.isoformat(), "title": x.title, "hosts": list(x.hosts), "notes": x.notes or None,
        "patterns": list(x.patterns), "councils": list(x.councils), "url": x.url, "short_url": x.short_url,
        "path": x.path,
    }


def council_item(x: Council) -> Item:
    """A register council; the profile fields are empty (null or []) for councils without a folder."""
    return {
        "code": x.code, "name": x.name, "short_name": x.short_name, "slug": x.slug, "gss": x.gss,
        "nation": x.nation, "region": x.region, "type": x.type, "type_name": x.type_name,
        "contributing": x.has_folder, "maintainers": list(x.maintainers), "website": x.website or None,
        "declaration_signed": _iso(x.declaration_signed), "adopted": [_adopted(a) for a in x.adopted],
        "commitments": [cm.id for cm in x.commitments], "case_studies": list(x.case_studies),
        "patterns_owned": list(x.patterns_owned), "url": x.url, "path": x.path or None,
    }


def source_item(r: SourceRow) -> Item:
    """One council's own repository, as the /sources/ page shows it (commons.site.views.sources)."""
    return {"council": r.code, "url": r.url, "ref": r.ref, "path": r.path, "commit": r.commit or None,
            "committed": iso(r.committed), "checked": iso(r.checked), "up_to_date": r.up_to_date,
            "status": r.status, "failing_since": iso(r.failing_since), "refused_commit": r.refused_commit or None,
            "problems": [{"file": p.file or None, "line": p.line or None, "in_source": p.in_source,
                          "code": p.code or None, "message": p.message, "hint": p.hint or None} for p in r.problems]}


def _update(u: Update) -> Item:
    return {"date": u.date.isoformat(), "status": u.status, "note": u.note, "evidence": u.evidence or None}


def commitment_url(cm: Commitment, c: Catalog) -> str:
    """A commitment's address: a section of its council's page."""
    return urls.commitment(c.councils[cm.council].slug, cm.id)


def commitment_item(cm: Commitment, c: Catalog) -> Item:
    return {
        "council": cm.council, "council_name": c.councils[cm.council].name, "id": cm.id, "key": cm.key,
        "title": cm.title, "principles": list(cm.principles), "status": cm.status, "start": cm.start.isoformat(),
        "target": _iso(cm.target), "partners": list(cm.partners), "patterns": list(cm.patterns),
        "history": [_update(u) for u in cm.history], "last_update": cm.last_update.date.isoformat(),
        "stale": cm.stale, "url": commitment_url(cm, c), "path": cm.path,
    }


# --- CSV ----------------------------------------------------------------------------------------------------


# Excel, LibreOffice and Google Sheets run a cell that starts with one of these as a formula (OWASP "CSV
# injection"); some trim leading blanks first, and a quote mark can be read as the cell's own quoting.
_FORMULA_STARTS = frozenset("=+-@")
# What is skipped looking for the character a spreadsheet acts on: blanks, control characters, invisible
# format characters (zero-width space, byte order mark) and quote marks.
_SKIPPED_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
_QUOTES = frozenset("'\"")


def csv_cell(value: Cell) -> str | int | float:
    """`value` as a CSV cell that no spreadsheet runs: OWASP's neutralisation, a `'` before risky text.

    Text gets a leading `'` when it starts with a control character (tab, carriage return, line feed,
    NUL, …) or with `'`, or when its first character that is not a blank, a control or invisible
    character or a quote mark is `=`, `+`, `-` or `@`. Text starting with `-` is neutralised even when
    it reads as a negative number: contributed text never stays a formula, and only numbers our code
    computed (`int`, `float`) are written as numbers. Text already starting with `'` gets one more, so
    removing one leading `'` from every cell that has one always gives back the original.
    `True`/`False` are written `true`/`false`, and `None` as an empty cell.
    """
    if isinstance(value, bool):  # before int: a bool is an int
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    text = value or ""
    if text and (text[0] == "'" or unicodedata.category(text[0]) == "Cc" or _acted_on(text) in _FORMULA_STARTS):
        return "'" + text
    return text


def _acted_on(text: str) -> str:
    """The first character of `text` that is not skipped before a formula, or "" when there is none."""
    for ch in text:
        if ch not in _QUOTES and unicodedata.category(ch) not in _SKIPPED_CATEGORIES:
            return ch
    return ""


def csv_document(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """A CSV file with a header row: the only way the site makes one (RFC 4180: CRLF line ends; UTF-8).

    Every cell goes through `csv_cell`, and every text cell is wrapped in double quotes (OWASP's advice,
    so a `,`, `;` or line break inside a value stays in its cell); numbers are not, so spreadsheets read
    them as numbers.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([csv_cell(name) for name in columns])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return _LONE_SURROGATE.sub("\ufffd", out.getvalue()).encode("utf-8")  # UTF-8 has no form for one


def _csv_export(name: str, description: str, columns: Sequence[str], rows: list[list[Cell]]) -> Export:
    return Export(f"{API_DIR}/{name}", description, "text/csv", len(rows), csv_document(columns, rows))


def _csv_row(cm: Commitment, c: Catalog) -> list[Cell]:
    """One commitment as a row of CSV_COLUMNS; lists are joined with ';'."""
    council = c.councils[cm.council]
    return [council.code, council.name, council.nation, council.region, council.type, council.type_name, cm.id,
            cm.title, ";".join(str(n) for n in cm.principles), cm.status, cm.start.isoformat(), _iso(cm.target),
            cm.last_update.date.isoformat(), cm.stale, ";".join(cm.partners), ";".join(cm.patterns),
            commitment_url(cm, c)]


# --- Writing ------------------------------------------------------------------------------------------------


def write_atomic(path: Path, content: bytes) -> None:
    """Write `content` to a temporary file beside `path`, then rename it over `path` in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        os.chmod(tmp, 0o644)  # mkstemp makes the file private; the site is public
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
