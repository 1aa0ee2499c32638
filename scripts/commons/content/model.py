"""The Catalog: validated raw entries → typed, frozen objects with every cross-reference resolved.

Built only from entries that passed validation. Everything a page shows is computed here (adopters of a pattern,
the case studies that used it, a council's commitments, staleness), so templates only print fields and loop.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from commons.content import urls
from commons.content.contracts import CONTRACT_LABELS, Contract, contracts_by_council
from commons.content.history import credited, judged, last_work
from commons.content.load import RawEntry, gc_paused
from commons.content.register import Authority, Register
from commons.content.values import parse_date
from commons.content.vocabulary import COMMITMENT_STATUSES, PATTERN_STATUSES, PRINCIPLES, SERVICE_AREAS

STALE_AFTER_DAYS = 365


@dataclass(frozen=True)
class Council:
    """A current council in the register, with its profile when it has a folder in the commons."""

    code: str
    name: str
    short_name: str
    slug: str
    nation: str
    region: str
    type: str
    type_name: str
    gss: str
    has_folder: bool
    maintainers: tuple[str, ...] = ()
    website: str = ""
    declaration_signed: dt.date | None = None
    adopted: tuple[Adoption, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    case_studies: tuple[str, ...] = ()  # slugs
    patterns_owned: tuple[str, ...] = ()  # slugs
    path: str = ""  # council.yml, when there is one
    former: tuple[tuple[str, dt.date], ...] = ()  # (name, abolished on) of councils merged into this one
    contracts: tuple[Contract, ...] = ()  # from its contracts.yml, in the order written

    @property
    def url(self) -> str:
        return urls.council(self.slug)


@dataclass(frozen=True)
class Adoption:
    council: str  # code
    pattern: str  # canonical slug (aliases resolved)
    since: dt.date
    evidence: str = ""


@dataclass(frozen=True)
class Update:
    date: dt.date
    status: str
    note: str
    evidence: str = ""
    moved_from: str = ""  # the abolished council's code, on the note `commons reorganise` adds (commons.history)
    by: str = ""  # the abolished council that did it (short name), for an update from before it was abolished


def commitment_status(commitment: Any) -> str | None:
    """A commitment's status as written: its latest dated update's (the last in the file, so two updates of one
    day read in file order), or its own `status` when the history has none to give; None when neither is text."""
    history = commitment.get("history") if isinstance(commitment, dict) else None
    last = history[-1] if isinstance(history, list) and history else None
    if isinstance(last, dict) and isinstance(last.get("status"), str):
        return str(last["status"])
    status = commitment.get("status") if isinstance(commitment, dict) else None
    return status if isinstance(status, str) else None


@dataclass(frozen=True)
class Commitment:
    council: str  # code
    id: str
    title: str
    principles: tuple[int, ...]
    status: str
    start: dt.date
    target: dt.date | None
    partners: tuple[str, ...]
    patterns: tuple[str, ...]
    history: tuple[Update, ...]
    path: str
    stale: bool  # not done or stopped, and no update for STALE_AFTER_DAYS
    overdue: bool = False  # past its target, and not done or stopped

    @property
    def key(self) -> str:
        return f"{self.council}/{self.id}"

    @property
    def last_update(self) -> Update:  # the latest on the work itself: a reorganisation's note is not one
        return last_work(self.history)


@dataclass(frozen=True)
class Outcome:
    measure: str
    before: float
    after: float
    unit: str
    period: str
    illustrative: bool

    @property
    def change_percent(self) -> float | None:
        return None if self.before == 0 else round((self.after - self.before) / self.before * 100, 1)


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Pattern:
    slug: str
    id: int
    title: str
    summary: str
    service_area: str
    lgsl: tuple[int, ...]
    status: str
    tags: tuple[str, ...]
    councils: tuple[str, ...]
    related: tuple[str, ...]
    aliases: tuple[str, ...]
    last_reviewed: dt.date
    body: str
    path: str
    stale: bool  # not reviewed for STALE_AFTER_DAYS
    adopters: tuple[Adoption, ...] = ()
    case_studies: tuple[str, ...] = ()
    playbooks: tuple[str, ...] = ()
    sessions: tuple[str, ...] = ()  # session keys "event/slug"
    commitments: tuple[str, ...] = ()  # commitment keys "CODE/id"
    related_from: tuple[str, ...] = ()  # patterns that list this one as related
    systems: tuple[str, ...] = ()  # a platform pattern's kinds of system (data/system-categories.yml)

    @property
    def url(self) -> str:
        return urls.pattern(self.slug)

    @property
    def short_url(self) -> str:
        return urls.pattern_short(self.id)


@dataclass(frozen=True)
class CaseStudy:
    slug: str
    title: str
    council: str
    date: dt.date
    summary: str
    patterns: tuple[str, ...]
    service_area: str
    outcomes: tuple[Outcome, ...]
    partners: tuple[str, ...]
    contact_role: str
    contact_email: str
    links: tuple[Link, ...]
    body: str
    path: str

    @property
    def url(self) -> str:
        return urls.case_study(self.slug)


@dataclass(frozen=True)
class Step:
    title: str
    detail: str


@dataclass(frozen=True)
class Playbook:
    slug: str
    title: str
    summary: str
    audience: tuple[str, ...]
    steps: tuple[Step, ...]
    time_needed: str
    patterns: tuple[str, ...]
    councils: tuple[str, ...]
    last_reviewed: dt.date
    body: str
    path: str
    stale: bool

    @property
    def url(self) -> str:
        return urls.playbook(self.slug)


@dataclass(frozen=True)
class Session:
    id: int  # permanent: gives the short link /s/<id>/
    event_slug: str
    slug: str
    event: str
    date: dt.date
    title: str
    hosts: tuple[str, ...]
    notes: str
    patterns: tuple[str, ...]
    councils: tuple[str, ...]
    body: str
    path: str

    @property
    def key(self) -> str:
        return f"{self.event_slug}/{self.slug}"

    @property
    def url(self) -> str:
        return urls.session(self.event_slug, self.slug)

    @property
    def short_url(self) -> str:
        return urls.session_short(self.id)


@dataclass(frozen=True)
class Catalog:
    """Everything in the commons, resolved. Mappings are ordered for stable output."""

    patterns: Mapping[str, Pattern]
    case_studies: Mapping[str, CaseStudy]
    playbooks: Mapping[str, Playbook]
    sessions: Mapping[str, Session]  # by key "event/slug"
    councils: Mapping[str, Council]  # every current council in the register, by code
    commitments: tuple[Commitment, ...]
    aliases: Mapping[str, str]  # former slug → slug
    pattern_ids: Mapping[int, str]  # id → slug
    abolished: Mapping[str, tuple[str, ...]]  # abolished council slug → successor codes
    today: dt.date
    labels: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)

    def council(self, code: str) -> Council:
        return self.councils[code]

    @property
    def contributing_councils(self) -> list[Council]:
        return [c for c in self.councils.values() if c.has_folder]


LABELS: Mapping[str, Mapping[Any, str]] = {
    "service_area": SERVICE_AREAS, "pattern_status": PATTERN_STATUSES, "commitment_status": COMMITMENT_STATUSES,
    "principle": PRINCIPLES, **CONTRACT_LABELS}


def _date(value: Any) -> dt.date:
    day = parse_date(value)
    if day is None:  # validation guarantees this never happens for a required date
        raise ValueError(f"not a date: {value!r}")
    return day


def _opt_date(value: Any) -> dt.date | None:
    return parse_date(value) if value is not None else None


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list) else ()


def build_catalog(entries: list[RawEntry], register: Register, today: dt.date | None = None) -> Catalog:
    """The Catalog of validated entries. Raises ValueError if given entries that did not validate."""
    with gc_paused():
        return _build(entries, register, today)


def _build(entries: list[RawEntry], register: Register, today: dt.date | None) -> Catalog:
    today = today or dt.date.today()
    stale_before = today - dt.timedelta(days=STALE_AFTER_DAYS)
    by_type: dict[str, list[RawEntry]] = defaultdict(list)
    for e in sorted(entries, key=lambda e: e.path):
        by_type[e.ctype.name].append(e)

    aliases: dict[str, str] = {}
    for e in by_type["pattern"]:
        for alias in _tuple((e.meta or {}).get("aliases")):
            aliases[alias] = e.slug

    def canon(slug: str) -> str:
        return aliases.get(slug, slug)

    def canon_all(value: Any) -> tuple[str, ...]:
        return tuple(dict.fromkeys(canon(s) for s in _tuple(value)))

    case_studies = {}
    for e in by_type["case-study"]:
        m = e.meta or {}
        contact = m.get("contact") or {}
        case_studies[e.slug] = CaseStudy(
            slug=e.slug, title=m["title"], council=m["council"], date=_date(m["date"]), summary=m["summary"],
            patterns=canon_all(m.get("patterns")), service_area=m["service-area"],
            outcomes=tuple(Outcome(o["measure"], o["before"], o["after"], o["unit"], o["period"],
                                   bool(o.get("illustrative"))) for o in _tuple(m.get("outcomes"))),
            partners=_tuple(m.get("partners")), contact_role=contact.get("role", ""),
            contact_email=contact.get("email", ""),
            links=tuple(Link(x["title"], x["url"]) for x in _tuple(m.get("links"))), body=e.body, path=e.path)

    playbooks = {}
    for e in by_type["playbook"]:
        m = e.meta or {}
        reviewed = _date(m["last-reviewed"])
        playbooks[e.slug] = Playbook(
            slug=e.slug, title=m["title"], summary=m["summary"], audience=_tuple(m.get("audience")),
            steps=tuple(Step(s["title"], s["detail"]) for s in _tuple(m.get("steps"))),
            time_needed=m["time-needed"], patterns=canon_all(m.get("patterns")), councils=_tuple(m.get("councils")),
            last_reviewed=reviewed, body=e.body, path=e.path, stale=reviewed < stale_before)

    sessions = {}
    for e in sorted(by_type["session"], key=lambda e: (e.folder, e.slug)):
        m = e.meta or {}
        s = Session(id=m["id"], event_slug=e.folder, slug=e.slug, event=m["event"], date=_date(m["date"]),
                    title=m["title"], hosts=_tuple(m.get("hosts")), notes=m.get("notes") or "",
                    patterns=canon_all(m.get("patterns")), councils=_tuple(m.get("councils")), body=e.body, path=e.path)
        sessions[s.key] = s

    profiles: dict[str, RawEntry] = {}
    declarations: dict[str, RawEntry] = {}
    for e in by_type["council"]:
        profiles[(e.meta or {})["code"]] = e
    folder_code = {e.folder: code for code, e in profiles.items()}
    commitments: list[Commitment] = []
    for e in by_type["commitment"]:
        code = folder_code[e.folder]
        declarations[code] = e
        for c in _tuple((e.meta or {}).get("commitments")):
            updates = credited([Update(_date(u["date"]), u["status"], u["note"], u.get("evidence") or "",
                                       u.get("moved-from") or "") for u in c["history"]], register)
            # The latest update's status is the commitment's (E-STATUS), whether `status` is written or not.
            stale, overdue = judged(updates[-1].status, _opt_date(c.get("target")), updates, stale_before, today)
            commitments.append(Commitment(
                council=code, id=c["id"], title=c["title"], principles=tuple(c["principles"]),
                status=commitment_status(c) or "",
                start=_date(c["start"]), target=_opt_date(c.get("target")), partners=_tuple(c.get("partners")),
                patterns=canon_all(c.get("patterns")), history=updates, path=e.path, stale=stale, overdue=overdue))

    adoptions: list[Adoption] = []
    for code, e in profiles.items():
        for a in _tuple((e.meta or {}).get("adopted")):
            adoptions.append(Adoption(code, canon(a["pattern"]), _date(a["since"]), a.get("evidence") or ""))

    # Reverse references, each list in a stable order.
    adopters: dict[str, list[Adoption]] = defaultdict(list)
    for a in sorted(adoptions, key=lambda a: (a.since, a.council)):
        adopters[a.pattern].append(a)
    used_by_case: dict[str, list[str]] = defaultdict(list)
    for cs in sorted(case_studies.values(), key=lambda c: (c.date, c.slug), reverse=True):
        for p in cs.patterns:
            used_by_case[p].append(cs.slug)
    used_by_playbook: dict[str, list[str]] = defaultdict(list)
    for pb in playbooks.values():
        for p in pb.patterns:
            used_by_playbook[p].append(pb.slug)
    discussed: dict[str, list[str]] = defaultdict(list)
    for s in sorted(sessions.values(), key=lambda s: (s.date, s.key), reverse=True):
        for p in s.patterns:
            discussed[p].append(s.key)
    in_commitments: dict[str, list[str]] = defaultdict(list)
    for c in commitments:
        for p in c.patterns:
            in_commitments[p].append(c.key)
    related_from: dict[str, list[str]] = defaultdict(list)
    for e in by_type["pattern"]:
        for r in canon_all((e.meta or {}).get("related")):
            related_from[r].append(e.slug)

    patterns: dict[str, Pattern] = {}
    owned: dict[str, list[str]] = defaultdict(list)
    for e in by_type["pattern"]:
        m = e.meta or {}
        reviewed = _date(m["last-reviewed"])
        for code in _tuple(m.get("councils")):
            owned[code].append(e.slug)
        patterns[e.slug] = Pattern(
            slug=e.slug, id=m["id"], title=m["title"], summary=m["summary"], service_area=m["service-area"],
            lgsl=_tuple(m.get("lgsl")), status=m["status"], tags=_tuple(m.get("tags")),
            councils=_tuple(m.get("councils")), related=canon_all(m.get("related")), systems=_tuple(m.get("systems")),
            aliases=_tuple(m.get("aliases")), last_reviewed=reviewed, body=e.body, path=e.path,
            stale=reviewed < stale_before, adopters=tuple(adopters[e.slug]),
            case_studies=tuple(used_by_case[e.slug]), playbooks=tuple(used_by_playbook[e.slug]),
            sessions=tuple(discussed[e.slug]), commitments=tuple(in_commitments[e.slug]),
            # those this pattern names itself (by any of their names) are listed once, as related
            related_from=tuple(s for s in related_from[e.slug] if s not in canon_all(m.get("related"))))

    by_council_commitments: dict[str, list[Commitment]] = defaultdict(list)
    for c in commitments:
        by_council_commitments[c.council].append(c)
    by_council_cases: dict[str, list[str]] = defaultdict(list)
    for cs in sorted(case_studies.values(), key=lambda c: (c.date, c.slug), reverse=True):
        by_council_cases[cs.council].append(cs.slug)
    by_council_adopted: dict[str, list[Adoption]] = defaultdict(list)
    for a in adoptions:
        by_council_adopted[a.council].append(a)

    contracts = contracts_by_council(by_type["contract"], folder_code)
    councils: dict[str, Council] = {}
    for a in sorted(register.current(), key=lambda a: a.short_name.lower()):
        councils[a.code] = _council(a, profiles.get(a.code), by_council_adopted[a.code], by_council_commitments[a.code],
                                    by_council_cases[a.code], owned[a.code], register, contracts.get(a.code, ()))

    abolished = {a.slug: tuple(s.code for s in register.successors(a.code))
                 for a in register if not a.current and register.by_slug.get(a.slug) is a}
    for code, e in profiles.items():
        # The council that took in an abolished council's folder (`former`) is where its old page leads,
        # whichever successor the register lists first. Only abolished councils' slugs: never a current page.
        for f in _tuple((e.meta or {}).get("former")):
            if f["slug"] in abolished:
                abolished[f["slug"]] = (code, *(s for s in abolished[f["slug"]] if s != code))

    return Catalog(
        patterns=dict(sorted(patterns.items())), case_studies=dict(sorted(case_studies.items())),
        playbooks=dict(sorted(playbooks.items())), sessions=sessions, councils=councils,
        commitments=tuple(commitments), aliases=dict(sorted(aliases.items())),
        pattern_ids={p.id: p.slug for p in patterns.values()}, abolished=abolished, today=today, labels=LABELS)


def _council(a: Authority, profile: RawEntry | None, adopted: list[Adoption], commitments: list[Commitment],
             case_studies: list[str], owned: list[str], register: Register, contracts: tuple[Contract, ...]) -> Council:
    m = (profile.meta or {}) if profile else {}
    return Council(
        code=a.code, name=a.name, short_name=a.short_name, slug=a.slug, nation=a.nation, region=a.region,
        type=a.type, type_name=a.type_name, gss=a.gss, has_folder=profile is not None,
        maintainers=_tuple(m.get("maintainers")), website=m.get("website") or "",
        declaration_signed=_opt_date(m.get("declaration-signed")), contracts=contracts,
        adopted=tuple(sorted(adopted, key=lambda x: x.pattern)), commitments=tuple(commitments),
        case_studies=tuple(case_studies), patterns_owned=tuple(owned), path=profile.path if profile else "",
        former=tuple((register.by_code[f["code"]].name, _date(f["until"])) for f in _tuple(m.get("former"))
                     if f["code"] in register.by_code))
