"""One entry on its own: its file name, its fields (`fields.py`), the rules of its content type (a pattern is not
related to itself, a council's folder matches its code, a commitment's dates and history are in order), and
its Markdown body as written (`body.py`) and as the site renders it (`rendered.py`)."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from commons.content import body as body_checks
from commons.content import rendered, schema_line
from commons.content.load import RawEntry
from commons.content.problems import Problem
from commons.content.register import Register
from commons.content.schema import SLUG_MAX
from commons.content.validate.contracts import contract_rules
from commons.content.validate.cross import Facts, facts_of
from commons.content.validate.fields import FieldChecker
from commons.content.validate.items import dates_in_order, unique_id
from commons.content.validate.placeholders import check_body as placeholders_in_body
from commons.content.validate.placeholders import check_fields as placeholders_in_fields
from commons.content.validate.site_files import SiteFiles
from commons.content.values import SLUG, parse_date, slugify
from commons.content.yaml_reader import FieldPath


def check_entry(entry: RawEntry, register: Register, site_files: SiteFiles | None = None,
                render_all: bool = False) -> tuple[list[Problem], Facts]:
    """Every problem in one entry on its own, and the facts the checks across entries need.

    A body is also checked as the site renders it (commons.rendered): whole with `render_all` (a few
    changed files), otherwise only the parts of it whose text could render into something unsafe.
    """
    checker = FieldChecker(entry, register)
    ctype = entry.ctype
    _check_name(entry, checker)
    _check_schema_line(entry, checker)
    if entry.meta is not None:
        where = {"commitment": "declaration.yml", "contract": "contracts.yml"}.get(ctype.name,
                                                                                f"a {ctype.name.replace('-', ' ')}")
        checker.fields(ctype.fields, entry.meta, (), where)
        _RULES.get(ctype.name, _no_rules)(entry, checker, register)
        placeholders_in_fields(entry, checker)
    if ctype.markdown:
        found = body_checks.check_body(entry, ctype) + placeholders_in_body(entry, ctype)
        checker.problems += found
        too_costly = any(p.code == "E-TOO-LARGE" for p in found)  # rendering it could take minutes
        if RENDERED_CHECK and not too_costly:
            check = rendered.check_body if render_all else rendered.check_risky_parts
            checker.problems += check(entry.path, entry.body, entry.body_line, entry.path, site_files, known=found)
    return checker.problems, facts_of(entry, checker.references)


# The check of rendered bodies can be turned off for the benchmark that measures what it costs
# (COMMONS_NO_RENDERED_CHECK=1); nothing else reads this.
RENDERED_CHECK = os.environ.get("COMMONS_NO_RENDERED_CHECK") != "1"


def _check_name(entry: RawEntry, checker: FieldChecker) -> None:
    if entry.ctype.folder == "councils":
        return  # the folder is checked against the register code in _council_rules
    name = entry.path.rsplit("/", 1)[-1]
    if not (SLUG.fullmatch(entry.slug) and len(entry.slug) <= SLUG_MAX):
        checker.problems.append(Problem(entry.path, 0, 0, "E-SLUG",
                                        f"'{name}' breaks the naming rule for files",
                                        f"rename it {slugify(entry.slug)[:SLUG_MAX] or 'a-short-name'}.md"))
    if entry.ctype.name == "session":
        event = entry.meta.get("event") if entry.meta else None
        if isinstance(event, str) and slugify(event) and entry.folder != slugify(event):
            checker.add(("event",), "E-SLUG",
                        f"the session is in sessions/{entry.folder}/ but its event '{event}' has the slug "
                        f"'{slugify(event)}'", f"move it to sessions/{slugify(event)}/ or correct 'event'")


def _check_schema_line(entry: RawEntry, checker: FieldChecker) -> None:
    """The `# yaml-language-server` line that lets editors check the file against its schema as it is typed."""
    want = schema_line.schema_line(entry.path)
    where = "the first line of the front matter" if entry.ctype.markdown else "the first line of the file"
    at = schema_line.find(entry.head)
    if at is None:
        checker.problems.append(Problem(entry.path, 1 + entry.line_offset, 1, "W-SCHEMA-LINE",
                                        "there is no schema line, so editors cannot check the fields as you type",
                                        f"make this {where}: {want}"))
        return
    if not schema_line.names_its_schema(entry.head[at], entry.path):
        got = schema_line.target(entry.head[at])
        message = f"the schema line points at {got}, not {schema_line.target(want)}" if got else \
            "editors skip this schema line: it starts '# yaml-language-server:' and names the schema after '$schema='"
        checker.problems.append(Problem(entry.path, 1 + entry.line_offset + at, 1, "W-SCHEMA-LINE", message,
                                        f"make it: {want}"))


def _no_rules(entry: RawEntry, checker: FieldChecker, register: Register) -> None:
    return None


def _pattern_rules(entry: RawEntry, checker: FieldChecker, register: Register) -> None:
    meta = entry.meta or {}
    related = meta.get("related")
    if isinstance(related, list) and entry.slug in related:
        checker.add(("related", related.index(entry.slug)), "E-VALUE", "a pattern cannot be related to itself",
                    "remove it from 'related'")
    aliases = meta.get("aliases")
    if isinstance(aliases, list) and entry.slug in aliases:
        checker.add(("aliases", aliases.index(entry.slug)), "E-DUPLICATE-ID",
                    "an alias cannot be the pattern's own slug", "aliases are former slugs; remove this one")
    _not_future(checker, meta.get("last-reviewed"), ("last-reviewed",))


def _not_future(checker: FieldChecker, value: Any, path: FieldPath) -> None:
    day = parse_date(value)
    if day and day > dt.date.today():
        checker.add(path, "E-DATE", f"'{path[-1]}' is {day.isoformat()}, which is in the future",
                    "use the date it actually happened")


def _council_rules(entry: RawEntry, checker: FieldChecker, register: Register) -> None:
    meta = entry.meta or {}
    code = meta.get("code")
    if not isinstance(code, str) or register.get(code) is None:
        return
    authority = register.by_code[code]
    if authority.current and entry.folder != authority.slug:
        checker.add(("code",), "E-COUNCIL-FOLDER",
                    f"the folder councils/{entry.folder}/ does not match {code} ({authority.name})",
                    f"{code}'s folder is councils/{authority.slug}/; check the code and the folder name")
    adopted = meta.get("adopted")
    if isinstance(adopted, list):
        seen: dict[str, int] = {}
        for i, item in enumerate(adopted):
            if isinstance(item, dict) and isinstance(item.get("pattern"), str):
                slug = item["pattern"]
                if slug in seen:
                    checker.add(("adopted", i, "pattern"), "E-VALUE", f"'{slug}' is adopted twice",
                                f"it is already item {seen[slug] + 1} of 'adopted'; remove one")
                seen.setdefault(slug, i)
                _not_future(checker, item.get("since"), ("adopted", i, "since"))
    _former_rules(meta.get("former"), code, checker, register)


def _former_rules(former: Any, code: str, checker: FieldChecker, register: Register) -> None:
    """A `former` council is one this council replaced, named as the register names it: its old page
    redirects here, so a wrong one would send another council's visitors to the wrong place."""
    if not isinstance(former, list):
        return
    for i, item in enumerate(former):
        old = item.get("code") if isinstance(item, dict) else None
        if not isinstance(old, str):
            continue
        a = register.get(old)
        if a is None or a.current or code not in {s.code for s in register.successors(old)}:
            what = "is not in the register" if a is None else "is a current council" if a.current else \
                f"was not replaced by {code}"
            checker.add(("former", i, "code"), "E-UNKNOWN-REF", f"former council {old} {what}",
                        "list only abolished councils whose folders were merged into this one "
                        "(commons reorganise writes them)")
        elif item.get("slug") != a.slug:
            checker.add(("former", i, "slug"), "E-VALUE", f"{old}'s slug is '{a.slug}' (got {item.get('slug')!r})",
                        "use the slug the register gives it: its old page is /councils/" + a.slug + "/")


def _declaration_rules(entry: RawEntry, checker: FieldChecker, register: Register) -> None:
    commitments = (entry.meta or {}).get("commitments")
    if not isinstance(commitments, list):
        return
    ids: dict[str, int] = {}
    for i, c in enumerate(commitments):
        if not isinstance(c, dict):
            continue
        here: FieldPath = ("commitments", i)
        unique_id(checker, here, c, ids, "commitment")
        dates_in_order(checker, here, c, "start", "target", "the target date must be on or after the start date")
        history = c.get("history")
        if not isinstance(history, list):
            continue
        previous: dt.date | None = None
        for j, update in enumerate(history):
            if not isinstance(update, dict):
                continue
            _moved_from(checker, register, update.get("moved-from"), (*here, "history", j, "moved-from"))
            day = parse_date(update.get("date"))
            if day is None:
                continue
            if previous and day < previous:
                checker.add((*here, "history", j, "date"), "E-DATE-ORDER",
                            f"update {j + 1} ({day.isoformat()}) is before update {j} ({previous.isoformat()})",
                            "list updates oldest first (two on one day are read in the order written)")
            _not_future(checker, update.get("date"), (*here, "history", j, "date"))
            previous = day
        last = history[-1] if history and isinstance(history[-1], dict) else None
        if last and isinstance(last.get("status"), str) and isinstance(c.get("status"), str) \
                and last["status"] != c["status"]:
            day = parse_date(last.get("date"))
            said = f"the latest update ({day.isoformat()})" if day else "the latest update"
            checker.add((*here, "status"), "E-STATUS",
                        f"status is '{c['status']}' but {said} says '{last['status']}'",
                        f"{said} says {last['status']}: change status to {last['status']}, or remove status and "
                        f"let the history say it; if it is now {c['status']}, add a dated update saying so")


def _moved_from(checker: FieldChecker, register: Register, code: Any, path: FieldPath) -> None:
    """`moved-from` marks the note `commons reorganise` adds, so it must name an abolished council: on an update of
    someone's own it would stop the update counting, and credit earlier work to a council that never had it."""
    if not isinstance(code, str) or not code.strip():
        return  # the field's own check says it is not text, or empty
    authority = register.get(code)
    if authority is not None and not authority.current:
        return
    hint = ("moved-from is only on the note commons reorganise adds when an abolished council's commitments move "
            "to its successor, giving that council's register code (e.g. HAG for Harrogate); remove it from an "
            "update of your own, or the update is not counted as news of the work")
    if authority is None:
        meant = register.get(code.strip().upper()) or register.by_slug.get(slugify(code))
        if meant is not None and not meant.current:
            hint = f"write the register code of {meant.name}: moved-from: {meant.code}"
        checker.add(path, "E-UNKNOWN-REF", f"moved-from '{code}' is not a council code in the register", hint)
    else:
        checker.add(path, "E-VALUE", f"moved-from {code} ({authority.name}) is a current council: it must name an "
                    "abolished one", hint)


_RULES = {
    "pattern": _pattern_rules,
    "council": _council_rules,
    "commitment": _declaration_rules,
    "contract": contract_rules,
}
