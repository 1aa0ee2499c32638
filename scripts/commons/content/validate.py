"""Checking raw entries against their schema and each other: raw entries → problems.

`validate_repository` is the one entry point: it reads the files (all of them,
or the given ones plus everything they reference), checks each against its
content type in `schema.py`, checks the Markdown body, then checks every
reference across entries and against the register. It returns every problem,
sorted, and the entries it read.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import multiprocessing
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from commons.content import body as body_checks
from commons.content import rendered
from commons.content.load import (
    Candidate,
    FieldPath,
    RawEntry,
    candidate_for,
    describe,
    discover,
    gc_paused,
    read_entry,
)
from commons.content.problems import Problem
from commons.content.register import Register, load_register
from commons.content.schema import HANDLE_PATTERN, MAX_TEXT, SLUG_MAX, SLUG_PATTERN, Field
from commons.content.values import DATE, parse_date, slugify

_SLUG = re.compile(SLUG_PATTERN)
_HANDLE = re.compile(HANDLE_PATTERN)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+[^\s]*$", re.IGNORECASE)
_UNSAFE_SCHEME = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)
_PERSONAL_EMAIL = re.compile(r"^([a-z]{2,15})[._]([a-z]{2,20})@", re.IGNORECASE)
_ROLE_WORDS = frozenset(
    "team services service digital info enquiries contact support help admin office unit hub data open "
    "council waste housing parking planning customer customers web online lead leads group".split()
)
MAX_PARAGRAPH = 2000


@dataclass(frozen=True)
class Located:
    """A value another entry must resolve (a pattern slug, an alias, a number), and where it is written."""

    value: Any
    line: int
    col: int


@dataclass(frozen=True)
class Facts:
    """What the checks across entries need to know of one entry: small, so workers can send it back."""

    path: str
    kind: str
    slug: str
    pattern_id: Located | None = None
    aliases: tuple[Located, ...] = ()
    references: tuple[Located, ...] = ()  # pattern slugs this entry names


@dataclass
class Report:
    problems: list[Problem]
    entries: list[RawEntry]  # kept only when asked for (the site build needs them)
    files: int

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)


@dataclass
class _Checker:
    """Checks one entry's fields against its content type, collecting problems and references."""

    entry: RawEntry
    register: Register
    problems: list[Problem] = field(default_factory=list)
    references: list[Located] = field(default_factory=list)

    def add(self, path: FieldPath, code: str, message: str, hint: str = "", key: bool = False) -> None:
        line, col = self.entry.mark(path, key)
        self.problems.append(Problem(self.entry.path, line, col, code, message, hint))

    def fields(self, fields: tuple[Field, ...], value: dict[str, Any], path: FieldPath, where: str) -> None:
        names = [f.name for f in fields]
        for key in value:
            if key not in names:
                close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else f"{where} has: {', '.join(names)}"
                self.add((*path, key), "E-UNKNOWN-FIELD", f"unknown field '{key}' in {where}", hint, key=True)
        for f in fields:
            if f.name in value and value[f.name] is not None:
                self.value(f, value[f.name], (*path, f.name))
            elif f.required:
                found = "is empty" if f.name in value else "is missing"
                self.add((*path, f.name) if f.name in value else path, "E-REQUIRED",
                         f"required field '{f.name}' {found} in {where}", _example_hint(f),
                         key=f.name in value)

    def value(self, f: Field, value: Any, path: FieldPath) -> None:
        check = getattr(self, "_" + f.kind)
        check(f, value, path)

    def _type(self, f: Field, value: Any, path: FieldPath, expected: str, hint: str = "") -> None:
        self.add(path, "E-TYPE", f"'{f.name}' must be {expected}, found {describe(value)}",
                 hint or _example_hint(f))

    def _string(self, f: Field, value: Any, path: FieldPath, expected: str) -> str | None:
        if isinstance(value, str):
            return value
        hint = "put the value in quotes" if isinstance(value, bool | int | float) else _example_hint(f)
        self._type(f, value, path, expected, hint)
        return None

    def _text(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "text")
        if text is None:
            return
        if not text.strip():
            self.add(path, "E-VALUE", f"'{f.name}' is empty", _example_hint(f))
        elif "\n" in text.strip():
            self.add(path, "E-VALUE", f"'{f.name}' must be one line", "join the lines, or shorten it")
        elif len(text) > MAX_TEXT:
            self.add(path, "E-VALUE", f"'{f.name}' is {len(text)} characters; the limit is {MAX_TEXT}",
                     "shorten it; put detail in the body")
        else:
            self._inline_safety(path, text)

    def _paragraph(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "text")
        if text is None:
            return
        if not text.strip():
            self.add(path, "E-VALUE", f"'{f.name}' is empty", _example_hint(f))
        elif len(text) > MAX_PARAGRAPH:
            self.add(path, "E-VALUE", f"'{f.name}' is {len(text)} characters; the limit is {MAX_PARAGRAPH}",
                     "shorten it")
        else:
            self._inline_safety(path, text)

    def _inline_safety(self, path: FieldPath, text: str) -> None:
        found = body_checks.check_markdown(self.entry.path, text, 1)
        if found:
            line, col = self.entry.mark(path)
            self.problems += [Problem(p.path, line, col, p.code, p.message, p.hint) for p in found]

    def _slug(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "a slug")
        if text is not None and not (_SLUG.match(text) and len(text) <= SLUG_MAX):
            self.add(path, "E-VALUE", f"'{f.name}' must be lower-case words joined by hyphens (got '{text}')",
                     f"try '{slugify(text)[:SLUG_MAX] or f.example}'")

    def _date(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "a date (YYYY-MM-DD)")
        if text is None:
            return
        if parse_date(text) is None:
            if DATE.match(text):
                msg = f"'{f.name}' is {text}, which is not a day on the calendar"
                hint = "check the day and month"
            else:
                msg = f"'{f.name}' must be a date written YYYY-MM-DD (got '{text}')"
                hint = f"for example {f.example}"
            self.add(path, "E-DATE", msg, hint)

    def _url(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "a web address")
        if text is None:
            return
        if _UNSAFE_SCHEME.match(text):
            self.add(path, "E-UNSAFE-LINK", f"'{f.name}' uses a {text.split(':')[0].strip().lower()}: address",
                     "link to a web page starting https://")
        elif not _URL.match(text):
            self.add(path, "E-VALUE", f"'{f.name}' must be a web address starting https:// (got '{text}')",
                     f"for example {f.example}")

    def _email(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "an email address")
        if text is None:
            return
        if not _EMAIL.match(text):
            self.add(path, "E-VALUE", f"'{f.name}' must be an email address (got '{text}')",
                     f"for example {f.example}")
            return
        m = _PERSONAL_EMAIL.match(text)
        if m and not ({m[1].lower(), m[2].lower()} & _ROLE_WORDS):
            self.add(path, "W-PERSONAL-CONTACT", f"'{text}' looks like a named person's address",
                     "use a team or role mailbox, so the contact survives people changing jobs")

    def _handle(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "a GitHub user name")
        if text is not None and not _HANDLE.match(text):
            hint = f"write it without the @: {text[1:]}" if text.startswith("@") else \
                "GitHub names are letters, digits and single hyphens"
            self.add(path, "E-VALUE", f"'{text}' is not a GitHub user name", hint)

    def _integer(self, f: Field, value: Any, path: FieldPath) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            self._type(f, value, path, "a whole number")
        else:
            self._range(f, value, path)

    def _number(self, f: Field, value: Any, path: FieldPath) -> None:
        if not isinstance(value, int | float) or isinstance(value, bool):
            self._type(f, value, path, "a number", "write just the number, with the unit in 'unit'")
        elif value != value or value in (float("inf"), float("-inf")):
            self.add(path, "E-VALUE", f"'{f.name}' must be a finite number", "write just the number")

    def _range(self, f: Field, value: int, path: FieldPath) -> None:
        if (f.minimum is not None and value < f.minimum) or (f.maximum is not None and value > f.maximum):
            self.add(path, "E-VALUE", f"'{f.name}' must be between {f.minimum} and {f.maximum} (got {value})",
                     _example_hint(f))

    def _boolean(self, f: Field, value: Any, path: FieldPath) -> None:
        if not isinstance(value, bool):
            self._type(f, value, path, "true or false")

    def _enum(self, f: Field, value: Any, path: FieldPath) -> None:
        choices = [str(c) for c in f.choices]
        if isinstance(value, str) and value in choices:
            return
        text = str(value) if not isinstance(value, dict | list) else ""
        close = [c for c in choices if slugify(text) == c] or difflib.get_close_matches(
            slugify(text) or text, choices, n=1, cutoff=0.4)
        hint = f"did you mean '{close[0]}'?" if close else f"for example '{f.example}'"
        self.add(path, "E-ENUM", f"'{f.name}' must be one of {', '.join(choices)} (got {describe(value)})", hint)

    def _pattern(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "a pattern slug")
        if text is not None:
            self.references.append(Located(text, *self.entry.mark(path)))

    def _council(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "a council's register code")
        if text is None:
            return
        authority = self.register.get(text)
        if authority is None:
            guess = self.register.guess(text)
            hint = (f"did you mean {guess.code} ({guess.name})?" if guess
                    else "councils are named by their code in data/uk-local-authorities.csv, e.g. HCK for Hackney")
            self.add(path, "E-UNKNOWN-REF", f"'{text}' is not a council code in the register", hint)
        elif not authority.current:
            successors = self.register.successors(text)
            hint = ("use its successor: " + " or ".join(f"{s.code} ({s.name})" for s in successors)
                    if successors else "remove it: the register gives no successor")
            self.add(path, "E-ABOLISHED", f"{text} ({authority.name}) was abolished on {authority.end}", hint)

    def _list(self, f: Field, value: Any, path: FieldPath) -> None:
        assert f.item is not None
        if not isinstance(value, list):
            example = f.example if isinstance(f.example, list) and f.example else [value]
            shown = "[" + ", ".join(str(x) for x in example[:2]) + "]" if f.item.kind not in ("object",) else \
                "a list of items, each starting with '- '"
            self._type(f, value, path, "a list", f"write it as {shown}")
            return
        if len(value) < f.min_items:
            self.add(path, "E-VALUE" if value else "E-REQUIRED",
                     f"'{f.name}' needs at least {f.min_items} item{'s' if f.min_items > 1 else ''}",
                     _example_hint(f))
        seen: dict[Any, int] = {}
        for i, item in enumerate(value):
            if item is None:
                self.add((*path, i), "E-VALUE", f"item {i + 1} of '{f.name}' is empty", "remove the empty '-' line")
                continue
            self.value(f.item, item, (*path, i))
            if f.unique and isinstance(item, str | int):
                if item in seen:
                    self.add((*path, i), "E-VALUE", f"'{item}' is listed twice in '{f.name}'",
                             f"it is already item {seen[item] + 1}; remove one")
                else:
                    seen[item] = i

    def _object(self, f: Field, value: Any, path: FieldPath) -> None:
        if not isinstance(value, dict):
            self._type(f, value, path, "a set of fields", "write the fields indented under it: "
                       + ", ".join(c.name + ":" for c in f.fields if c.required))
            return
        self.fields(f.fields, value, path, f"'{f.name}'")


def _example_hint(f: Field) -> str:
    if f.example is None or f.example == [] or f.kind in ("object",):
        return f"see the field table for '{f.name}' in the contributor guide"
    if isinstance(f.example, list) and f.item is not None and f.item.kind == "object":
        return f"see the field table for '{f.name}' in the contributor guide"
    example = f.example
    if isinstance(example, list):
        example = "[" + ", ".join(str(x) for x in example) + "]"
    return f"for example: {f.name}: {example}"


class SiteFiles:
    """The source path of every page and file the site will have, as MkDocs names them, found on first use.

    Relative links in bodies are checked against it as the strict site build checks them.
    """

    def __init__(self, root: Path, register: Register):
        self.root = root
        self.register = register
        self._files: frozenset[str] | None = None

    def __call__(self) -> frozenset[str]:
        if self._files is None:
            self._files = site_sources(self.root, self.register)
        return self._files


def site_sources(root: Path, register: Register) -> frozenset[str]:
    docs = root / "docs"
    files = {p.relative_to(docs).as_posix() for p in docs.rglob("*")
             if p.is_file() and p.relative_to(docs).parts[0] != "overrides"} if docs.is_dir() else set()
    for cand in discover(root)[0]:
        if cand.ctype.markdown:
            files.add(cand.path)
    files.update(f"councils/{a.slug}.md" for a in register.by_code.values() if a.current)
    files.update(f"{folder}/index.md" for folder in ("patterns", "case-studies", "playbooks", "sessions",
                                                     "councils", "dashboard"))
    return frozenset(files)


def check_entry(entry: RawEntry, register: Register, site_files: SiteFiles | None = None,
                render_all: bool = False) -> tuple[list[Problem], Facts]:
    """Every problem in one entry on its own, and the facts the checks across entries need.

    A body is also checked as the site renders it (commons.rendered): whole with `render_all` (a few
    changed files), otherwise only the parts of it whose text could render into something unsafe.
    """
    checker = _Checker(entry, register)
    ctype = entry.ctype
    _check_name(entry, checker)
    if entry.meta is not None:
        where = f"a {ctype.name.replace('-', ' ')}" if ctype.name != "commitment" else "declaration.yml"
        checker.fields(ctype.fields, entry.meta, (), where)
        _RULES.get(ctype.name, _no_rules)(entry, checker, register)
    if ctype.markdown:
        found = body_checks.check_body(entry, ctype)
        checker.problems += found
        too_costly = any(p.code == "E-TOO-LARGE" for p in found)  # rendering it could take minutes
        if RENDERED_CHECK and not too_costly:
            check = rendered.check_body if render_all else rendered.check_risky_parts
            checker.problems += check(entry.path, entry.body, entry.body_line, entry.path, site_files, known=found)
    return checker.problems, _facts(entry, checker.references)


# The check of rendered bodies can be turned off for the benchmark that measures what it costs
# (COMMONS_NO_RENDERED_CHECK=1); nothing else reads this.
RENDERED_CHECK = os.environ.get("COMMONS_NO_RENDERED_CHECK") != "1"


def _facts(entry: RawEntry, references: list[Located]) -> Facts:
    meta = entry.meta or {}
    if entry.ctype.name != "pattern":
        return Facts(entry.path, entry.ctype.name, entry.slug, references=tuple(references))
    pid = meta.get("id")
    located_id = Located(pid, *entry.mark(("id",))) if isinstance(pid, int) and not isinstance(pid, bool) else None
    aliases = meta.get("aliases")
    located_aliases = tuple(Located(a, *entry.mark(("aliases", i))) for i, a in enumerate(aliases)
                            if isinstance(a, str) and a != entry.slug) if isinstance(aliases, list) else ()
    return Facts(entry.path, "pattern", entry.slug, located_id, located_aliases, tuple(references))


def _check_name(entry: RawEntry, checker: _Checker) -> None:
    if entry.ctype.folder == "councils":
        return  # the folder is checked against the register code in _council_rules
    name = entry.path.rsplit("/", 1)[-1]
    if not (_SLUG.match(entry.slug) and len(entry.slug) <= SLUG_MAX):
        checker.problems.append(Problem(entry.path, 0, 0, "E-SLUG",
                                        f"'{name}' breaks the naming rule for files",
                                        f"rename it {slugify(entry.slug)[:SLUG_MAX] or 'a-short-name'}.md"))
    if entry.ctype.name == "session":
        event = entry.meta.get("event") if entry.meta else None
        if isinstance(event, str) and slugify(event) and entry.folder != slugify(event):
            checker.add(("event",), "E-SLUG",
                        f"the session is in sessions/{entry.folder}/ but its event '{event}' has the slug "
                        f"'{slugify(event)}'", f"move it to sessions/{slugify(event)}/ or correct 'event'")


def _no_rules(entry: RawEntry, checker: _Checker, register: Register) -> None:
    return None


def _pattern_rules(entry: RawEntry, checker: _Checker, register: Register) -> None:
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


def _not_future(checker: _Checker, value: Any, path: FieldPath) -> None:
    day = parse_date(value)
    if day and day > dt.date.today():
        checker.add(path, "E-DATE", f"'{path[-1]}' is {day.isoformat()}, which is in the future",
                    "use the date it actually happened")


def _council_rules(entry: RawEntry, checker: _Checker, register: Register) -> None:
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


def _former_rules(former: Any, code: str, checker: _Checker, register: Register) -> None:
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


def _declaration_rules(entry: RawEntry, checker: _Checker, register: Register) -> None:
    commitments = (entry.meta or {}).get("commitments")
    if not isinstance(commitments, list):
        return
    ids: dict[str, int] = {}
    for i, c in enumerate(commitments):
        if not isinstance(c, dict):
            continue
        here: FieldPath = ("commitments", i)
        cid = c.get("id")
        if isinstance(cid, str):
            if cid in ids:
                checker.add((*here, "id"), "E-DUPLICATE-ID", f"commitment id '{cid}' is used twice",
                            f"commitment {ids[cid] + 1} already has it; ids must be unique in a council")
            ids.setdefault(cid, i)
        start, target = parse_date(c.get("start")), parse_date(c.get("target"))
        if start and target and target < start:
            checker.add((*here, "target"), "E-DATE-ORDER",
                        f"target {target.isoformat()} is before start {start.isoformat()}",
                        "the target date must be on or after the start date")
        history = c.get("history")
        if not isinstance(history, list):
            continue
        previous: dt.date | None = None
        for j, update in enumerate(history):
            if not isinstance(update, dict):
                continue
            day = parse_date(update.get("date"))
            if day is None:
                continue
            if previous and day <= previous:
                checker.add((*here, "history", j, "date"), "E-DATE-ORDER",
                            f"update {j + 1} ({day.isoformat()}) is not after update {j} ({previous.isoformat()})",
                            "list updates oldest first, one per day")
            _not_future(checker, update.get("date"), (*here, "history", j, "date"))
            previous = day
        last = history[-1] if history and isinstance(history[-1], dict) else None
        if last and isinstance(last.get("status"), str) and isinstance(c.get("status"), str) \
                and last["status"] != c["status"]:
            checker.add((*here, "status"), "E-STATUS",
                        f"status is '{c['status']}' but the latest update (on {last.get('date')}) says "
                        f"'{last['status']}'", "add a dated update to 'history' saying what changed")


_RULES = {
    "pattern": _pattern_rules,
    "council": _council_rules,
    "commitment": _declaration_rules,
}


def validate_repository(root: Path, paths: Iterable[str] | None = None, keep_entries: bool = False) -> Report:
    """Every problem in the repository at `root`, or in `paths` (relative) and what they reference.

    With `keep_entries` the parsed entries are returned too (the site build uses them); without it,
    large batches are read on every core.
    """
    with gc_paused():
        return _validate(root, paths, keep_entries)


def _validate(root: Path, paths: Iterable[str] | None, keep_entries: bool) -> Report:
    register = load_register(root / "data" / "uk-local-authorities.csv")
    problems: list[Problem] = []
    if paths is None:
        candidates, problems = discover(root)
        scope = None
    else:
        candidates, scope = [], set()
        for rel in paths:
            cand = candidate_for(root, rel)
            if isinstance(cand, Problem):
                problems.append(cand)
            else:
                candidates.append(cand)
                scope.add(cand.path)
    checked = check_files(root, candidates, register, keep_entries, render_all=scope is not None)
    problems += checked.problems
    facts = checked.facts
    if scope is not None and _needs_every_pattern(root, facts):
        # A partial run still needs every pattern's number, slug and aliases to check against.
        others = [c for c in discover(root)[0] if c.ctype.name == "pattern" and c.path not in scope]
        facts = facts + [other_pattern_facts(root, c) for c in others]
    elif scope is not None:
        # Every pattern named has its own file, so its slug is all the checks across entries need of it.
        named = sorted({ref.value for f in facts for ref in f.references})
        facts = facts + [Facts(f"patterns/{slug}.md", "pattern", slug) for slug in named]
    problems += check_across(root, facts, candidates, scope)
    return Report(sorted(set(problems)), checked.entries, len(candidates))


def check_across(root: Path, facts: list[Facts], candidates: Iterable[Candidate],
                 scope: set[str] | None = None) -> list[Problem]:
    """The checks across files, once each file has been checked on its own (`check_file`): references
    between entries (from their `facts`) and each council's folder as a whole. `scope`: report only
    problems in these paths (None: all)."""
    return cross_check(facts, scope) + council_files(root, [c for c in candidates if c.ctype.name == "commitment"])


@dataclass
class Checked:
    problems: list[Problem]
    facts: list[Facts]
    entries: list[RawEntry]


PARALLEL_FROM = 1000  # below this many files, starting workers costs more than it saves


def check_files(root: Path, candidates: list[Candidate], register: Register, keep_entries: bool,
                render_all: bool = False) -> Checked:
    """Read and check each file on its own; on several cores when there are many and entries are not kept."""
    workers = min(os.cpu_count() or 1, 8)
    site_files = SiteFiles(root, register)  # found once per process that needs it
    if keep_entries or workers < 2 or len(candidates) < PARALLEL_FROM or sys.platform == "win32":
        return _check_chunk(root, candidates, register, keep_entries, render_all, site_files)
    chunks = [candidates[i :: workers * 2] for i in range(workers * 2)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        parts = pool.starmap(_check_chunk, [(root, chunk, register, False, render_all, site_files)
                                            for chunk in chunks])
    return Checked([p for part in parts for p in part.problems], [f for part in parts for f in part.facts], [])


def check_file(root: Path, cand: Candidate, register: Register, render_all: bool = True,
               site_files: SiteFiles | None = None) -> tuple[RawEntry | None, list[Problem], Facts | None]:
    """Read one file and check it on its own: its entry (if readable), every problem, and its facts.

    Its body is rendered and checked unless `render_all` is False (a full run, see check_entry)."""
    entry, problems = read_entry(root, cand)
    if entry is None:
        return None, problems, None
    entry_problems, facts = check_entry(entry, register, site_files or SiteFiles(root, register), render_all)
    return entry, problems + entry_problems, facts


def _check_chunk(root: Path, candidates: list[Candidate], register: Register, keep_entries: bool,
                 render_all: bool, site_files: SiteFiles) -> Checked:
    gc.disable()  # a worker process: see load.gc_paused
    out = Checked([], [], [])
    for cand in candidates:
        entry, problems, facts = check_file(root, cand, register, render_all, site_files)
        out.problems += problems
        if entry is None or facts is None:
            continue
        out.facts.append(facts)
        if keep_entries:
            out.entries.append(entry)
    return out


# The front matter lines a pattern's facts come from, when written plainly (as nearly all are).
_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)
_PLAIN_ID = re.compile(r"^id:[ \t]*(0|[1-9][0-9]{0,8})[ \t]*(?:#.*)?$", re.M)
_FLOW_ALIASES = re.compile(r"^aliases:[ \t]*\[([a-z0-9, \t-]*)\][ \t]*(?:#.*)?$", re.M)
_BLOCK_ALIASES = re.compile(r"^aliases:[ \t]*(?:#.*)?\n((?:[ \t]+-[ \t]+[a-z0-9-]+[ \t]*(?:#.*)?\n)+)", re.M)
_ALIAS_ITEM = re.compile(r"-[ \t]+([a-z0-9-]+)")


def other_pattern_facts(root: Path, cand: Candidate) -> Facts:
    """The number, slug and aliases of a pattern outside a partial run's scope, which others are checked against.

    Nothing about it is reported, so nothing needs locating: plainly written front matter is read with three
    patterns, and anything else (quotes, anchors, odd spacing, a file that does not parse) by the full reader.
    """
    try:
        # Line endings as the loader reads them (read_text would also turn a lone \r, which it refuses, into \n).
        text = (root / cand.path).read_bytes().decode("utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        text = ""
    front = _FRONT.match(text) if "\r" not in text else None
    if front is not None:
        meta = front.group(1)
        ids = _PLAIN_ID.findall(meta)
        flow, block = _FLOW_ALIASES.findall(meta), _BLOCK_ALIASES.findall(meta)
        id_lines = len(re.findall(r"^id:", meta, re.M))
        alias_lines = len(re.findall(r"^aliases:", meta, re.M))
        if len(ids) == id_lines <= 1 and len(flow) + len(block) == alias_lines <= 1 and "&" not in meta:
            if flow:
                names = [a.strip() for a in flow[0].split(",")] if flow[0].strip() else []
            else:
                names = _ALIAS_ITEM.findall(block[0]) if block else []
            if all(_SLUG.match(n) for n in names):
                pid = Located(int(ids[0]), 0, 0) if ids else None
                aliases = tuple(Located(n, 0, 0) for n in names if n != cand.slug)
                return Facts(cand.path, "pattern", cand.slug, pid, aliases)
    entry, _ = read_entry(root, cand)
    return _facts(entry, []) if entry is not None else Facts(cand.path, "pattern", cand.slug)


def _needs_every_pattern(root: Path, facts: list[Facts]) -> bool:
    if any(f.kind == "pattern" for f in facts):
        return True
    return any(not _pattern_file(root, ref.value) for f in facts for ref in f.references)


def _pattern_file(root: Path, slug: Any) -> bool:
    """Whether `slug` names a pattern by its own file (not through a link, `..` or another letter case)."""
    if not (isinstance(slug, str) and _SLUG.match(slug)):
        return False
    path = root / "patterns" / f"{slug}.md"
    return path.is_file() and not path.is_symlink()


def cross_check(facts: list[Facts], scope: set[str] | None) -> list[Problem]:
    """Pattern numbers, slugs and aliases are unique, and every pattern named exists."""
    # Files outside the scope come first: they are the established ones, so a clash is blamed on the file
    # being checked (the one a pull request adds), not on the pattern that had the number first.
    patterns = sorted((f for f in facts if f.kind == "pattern"), key=lambda f: (scope is not None and f.path in scope,
                                                                                f.path))
    problems: list[Problem] = []
    owner: dict[str, Facts] = {f.slug: f for f in reversed(patterns)}
    ids: dict[int, Facts] = {}
    next_free = max((f.pattern_id.value for f in patterns if f.pattern_id is not None), default=0) + 1

    def report(f: Facts, where: Located, code: str, message: str, hint: str) -> None:
        if scope is None or f.path in scope:
            problems.append(Problem(f.path, where.line, where.col, code, message, hint))

    for f in patterns:
        if f.pattern_id is not None:
            pid = f.pattern_id.value
            if pid in ids:
                report(f, f.pattern_id, "E-DUPLICATE-ID", f"pattern number {pid} is already used by "
                       f"{ids[pid].path}", f"the next free number is {next_free}")
            ids.setdefault(pid, f)
        for alias in f.aliases:
            other = owner.get(alias.value)
            if other is None:
                owner[alias.value] = f
            elif other is not f and scope is not None and f.path not in scope and other.path in scope \
                    and other.slug == alias.value:
                # The file being checked (say, a new one) took a name that an established pattern keeps.
                report(other, Located(other.slug, 0, 0), "E-DUPLICATE-ID",
                       f"the name '{alias.value}' is already an alias of {f.path}",
                       "choose another file name: old links to that pattern use this one")
            elif other is not f:
                what = "the slug" if other.slug == alias.value else "an alias"
                report(f, alias, "E-DUPLICATE-ID", f"alias '{alias.value}' is already {what} of {other.path}",
                       "each former slug can point to only one pattern")
    for f in facts:
        for ref in f.references:
            if ref.value in owner:
                continue
            close = difflib.get_close_matches(ref.value, list(owner), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else \
                "patterns are named by their file name in patterns/, without .md"
            report(f, ref, "E-UNKNOWN-REF", f"there is no pattern '{ref.value}'", hint)
    return problems


def council_files(root: Path, declarations: list[Candidate]) -> list[Problem]:
    return [Problem(c.path, 0, 0, "E-REQUIRED", f"councils/{c.folder}/ has no council.yml",
                    "add council.yml with the council's register code and maintainers "
                    "(commons new council CODE --maintainer GITHUB_NAME)")
            for c in declarations if not (root / "councils" / c.folder / "council.yml").is_file()]
