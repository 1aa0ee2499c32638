"""Generated corpora for benchmarks: realistic, valid, deterministic.

`generate(root, entries)` writes a complete repository (register included)
whose entries have varied vocabulary and lengths, reference each other, and
spread over every current council in the register. The same seed gives the
same files, so runs are comparable.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from commons.bench.prose import RealProse
from commons.commands.new.scaffold import dump
from commons.content.load import discover
from commons.content.register import REGISTER_FILE, load_register
from commons.content.schema_line import with_schema_line
from commons.content.values import slugify
from commons.content.vocabulary import COMMITMENT_STATUSES, PATTERN_STATUSES, SERVICE_AREAS

SERVICES = {
    "education": ["school admissions", "free school meals", "home to school transport", "SEND assessments",
                  "school term dates", "adult learning courses"],
    "highways-and-transport": ["pothole reports", "resident parking permits", "penalty charge notices",
                               "street lighting faults", "dropped kerb applications", "concessionary bus passes"],
    "childrens-social-care": ["early help requests", "foster carer enquiries", "children's services front door",
                              "care leaver support", "short breaks for disabled children"],
    "adult-social-care": ["financial assessments", "carers' assessments", "blue badge applications",
                          "home care reviews", "equipment and adaptations", "direct payments"],
    "public-health": ["stop smoking referrals", "sexual health testing kits", "NHS health check invitations",
                      "drug and alcohol support", "healthy start vouchers"],
    "housing": ["housing repairs", "homelessness prevention", "housing register applications",
                "tenancy changes", "damp and mould reports", "rent account balances"],
    "cultural-and-related": ["library membership", "leisure centre bookings", "allotment waiting lists",
                             "museum collections online", "park events permits"],
    "environmental-and-regulatory": ["missed bin reports", "bulky waste collections", "garden waste subscriptions",
                                     "fly-tipping reports", "noise complaints", "premises licence applications"],
    "planning-and-development": ["planning application comments", "building control inspections",
                                 "pre-application advice", "local plan consultations", "tree preservation orders"],
    "central-services": ["council tax discounts", "council tax direct debits", "housing benefit changes",
                         "electoral registration", "birth and death registration", "business rates relief"],
    "platforms": ["address lookup", "online payments", "email and text notifications", "single sign-on",
                  "form building", "website content design"],
}
VERBS = ["Report", "Apply for", "Pay for", "Check", "Book", "Request", "Cancel", "Change", "Renew", "Track"]
QUALIFIERS = ["without an account", "on a phone", "in one visit", "with a photo", "in plain English",
              "with a reference number", "out of hours", "with status updates", "using open data",
              "across councils", "with fewer calls", "for residents who need help"]
SENTENCES = [
    "Residents told us they {feel} when {service} meant phoning during office hours.",
    "Contact centre staff spent about {n} minutes on each call about {service}.",
    "We mapped the journey with {people} and found {n} places where people dropped out.",
    "A short form that asks only what we use cut the average time to {n} minutes.",
    "The service sends a reference straight away and an update when the status changes.",
    "We reused the address lookup and notification components rather than buying new ones.",
    "Staff see each request in the back-office system without re-keying it.",
    "Usability testing with {people} led to plainer labels and fewer questions.",
    "Demand for {service} peaks after {event}, so the service must cope with {n} times the usual load.",
    "The data behind {service} is published weekly under the Open Government Licence.",
    "We retired the old PDF form once online take-up passed {n} per cent.",
    "Assisted digital support stays in libraries and by phone for people who need it.",
    "Procurement asked for open APIs so the council can change supplier without losing data.",
    "The privacy notice explains what is kept, for how long and who sees it.",
    "Screen reader users completed the journey in testing without help.",
]
FEELINGS = ["were frustrated", "gave up", "felt ignored", "were confused", "waited too long"]
PEOPLE = ["residents", "carers", "older residents", "tenants", "parents", "local businesses", "councillors"]
EVENTS = ["Christmas", "the school holidays", "a storm", "the annual billing run", "the local elections"]
STEP_OBJECTS = ["data", "journey", "contract", "team"]
EVENT_NAMES = ["UKGovCamp", "LocalGovCamp", "Service Design in Government", "Scottish Digital Gathering",
               "Welsh Digital Camp", "UnCamp North"]


@dataclass(frozen=True)
class Corpus:
    root: Path
    files: int
    patterns: list[str]


def _paragraph(rng: random.Random, service: str, sentences: int) -> str:
    out = []
    for _ in range(sentences):
        out.append(rng.choice(SENTENCES).format(
            feel=rng.choice(FEELINGS), service=service, n=rng.randint(2, 60), people=rng.choice(PEOPLE),
            event=rng.choice(EVENTS)))
    return " ".join(out)


def _body(rng: random.Random, service: str, sections: list[str], subsections: dict[str, list[str]]) -> str:
    parts = []
    for title in sections:
        parts += [f"## {title}", "", _paragraph(rng, service, rng.randint(2, 9)), ""]
        if rng.random() < 0.3:
            parts += [f"- {_paragraph(rng, service, 1)}" for _ in range(rng.randint(2, 5))] + [""]
        for sub in subsections.get(title, []):
            parts += [f"### {sub}", "", _paragraph(rng, service, rng.randint(1, 4)), ""]
    return "\n".join(parts)


def _further_reading(rng: random.Random, patterns: list[str], up: str) -> str:
    """What some entries end with: links to the council's own pages, now and then inline HTML, an
    entity or a link to another entry (about one body in ten needs rendering to be checked; the starter
    content has none). `up` leads from the entry's page to the site's root."""
    roll = rng.random()
    if roll < 0.04:
        return ("\n\nWe matched records on the <abbr title=\"Unique Property Reference Number\">UPRN</abbr> "
                "rather than the address as typed.\n")
    if roll < 0.07:
        return "\n\nThe contact centre answers on 9am&ndash;5pm, Monday to Friday.\n"
    if roll < 0.10 and patterns:
        return f"\n\nIt builds on [a related pattern]({up}patterns/{rng.choice(patterns)}/).\n"
    if roll < 0.45:
        return (f"\n\nRead the [service assessment](https://www.example.gov.uk/assessments/{rng.randint(1, 999)}) "
                "and the [published data](https://data.example.gov.uk/).\n")
    return ""


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


PROSE = ("real", "short")


def _links(rng: random.Random, slug: str) -> list[str]:
    """The links a real entry's body gives: the council's own pages and published data."""
    pages = [f"[the service page](https://www.example.gov.uk/services/{slug})",
             f"[the published data](https://data.example.gov.uk/{slug})",
             f"[the discovery report](https://www.example.gov.uk/reports/{rng.randint(1, 999)})"]
    return rng.sample(pages, rng.randint(0, 3))


def generate(root: Path, entries: int, seed: int = 2026, prose: str = "real") -> Corpus:
    """Write a repository with about `entries` content files under `root` (which must not exist).

    `prose="real"` gives patterns and case studies bodies of the length and shape of the starter content's
    (3 to 5 KB of its own sections recombined, with lists, tables and links; commons.bench.prose);
    `prose="short"` the short generated paragraphs the corpus had before. Everything else is the same."""
    if prose not in PROSE:
        raise ValueError(f"prose is one of {PROSE}, not {prose!r}")
    rng = random.Random(seed)
    extras = random.Random(seed + 1)  # for _further_reading, so the rest of the corpus is as it always was
    real = random.Random(seed + 2)  # for real prose, likewise
    real_patterns = RealProse("patterns", ["Problem", "Solution", "Evidence", "Considerations"]) \
        if prose == "real" else None
    real_cases = RealProse("case-studies", ["What we did", "What happened", "What we learned"]) \
        if prose == "real" else None
    register = load_register(REGISTER_FILE)
    councils = sorted(register.current(), key=lambda a: a.code)
    (root / "data").mkdir(parents=True)
    shutil.copy(REGISTER_FILE, root / "data" / REGISTER_FILE.name)
    n_councils = min(len(councils), max(1, entries // 8))
    rest = entries - 2 * n_councils
    n_patterns = max(2, rest * 35 // 100)
    n_cases = rest * 30 // 100
    n_playbooks = rest * 10 // 100
    n_sessions = rest - n_patterns - n_cases - n_playbooks
    codes = [a.code for a in councils]
    today = dt.date(2026, 11, 1)
    areas = list(SERVICE_AREAS)

    patterns: list[str] = []
    pattern_area: dict[str, str] = {}
    (root / "patterns").mkdir()
    for i in range(n_patterns):
        area = areas[i % len(areas)]
        service = rng.choice(SERVICES[area])
        slug = slugify(f"{rng.choice(VERBS)} {service} {i + 1}")
        patterns.append(slug)
        pattern_area[slug] = area
    for i, slug in enumerate(patterns):
        area = pattern_area[slug]
        service = rng.choice(SERVICES[area])
        meta = {
            "id": i + 1,
            "title": f"{rng.choice(VERBS)} {service} {rng.choice(QUALIFIERS)}",
            "summary": f"Residents can deal with {service} {rng.choice(QUALIFIERS)}, and staff get fewer calls.",
            "service-area": area,
            "lgsl": [rng.randint(1, 1800)] if rng.random() < 0.4 else [],
            "status": rng.choice(list(PATTERN_STATUSES)),
            "tags": sorted({slugify(w) for w in service.split() if w.isalpha() and len(w) > 3}),
            "councils": rng.sample(codes, rng.randint(1, 3)),
            "related": sorted({rng.choice(patterns) for _ in range(rng.randint(0, 4))} - {slug}),
            "aliases": [f"{slug}-old"] if rng.random() < 0.1 else [],
            "last-reviewed": _date(rng, dt.date(2024, 6, 1), today),
        }
        body = _body(rng, service, ["Problem", "Solution", "Evidence", "Considerations"],
                     {"Considerations": ["Accessibility", "Data protection"]})
        if real_patterns is not None:
            body = real_patterns.body(real, service, _links(real, slug))
        body += _further_reading(extras, patterns, "../")
        (root / "patterns" / f"{slug}.md").write_text(f"---\n{dump(meta)}---\n\n{body}", encoding="utf-8")

    (root / "case-studies").mkdir()
    for i in range(n_cases):
        area = rng.choice(areas)
        service = rng.choice(SERVICES[area])
        council = rng.choice(councils)
        before = rng.randint(200, 5000)
        meta = {
            "title": f"{council.short_name} improved {service}",
            "council": council.code,
            "date": _date(rng, dt.date(2020, 1, 1), today),
            "summary": f"{council.short_name} rebuilt {service} around what residents needed.",
            "patterns": rng.sample(patterns, min(len(patterns), rng.randint(1, 3))),
            "service-area": area,
            "outcomes": [{"measure": f"Calls about {service}", "before": before, "after": before * rng.randint(20, 90)
                          // 100, "unit": "calls per month", "period": "2024-25 against 2023-24",
                          "illustrative": True} for _ in range(rng.randint(1, 3))],
            "partners": rng.sample(codes, rng.randint(0, 2)),
            "contact": {"role": "Digital services team", "email": f"digital@{council.slug}.example"},
            "links": [{"title": "The live service", "url": f"https://www.{council.slug}.example/{i}"}],
        }
        body = _body(rng, service, ["What we did", "What happened", "What we learned"], {})
        if real_cases is not None:
            body = real_cases.body(real, service, _links(real, slugify(service)))
        body += _further_reading(extras, patterns, "../../")
        case_file = root / "case-studies" / f"{slugify(f'{council.slug} {service} {i + 1}')}.md"
        case_file.write_text(f"---\n{dump(meta)}---\n\n{body}", encoding="utf-8")

    (root / "playbooks").mkdir()
    for i in range(n_playbooks):
        area = rng.choice(areas)
        service = rng.choice(SERVICES[area])
        meta = {
            "title": f"Redesign {service} with residents",
            "summary": f"A route from research to a live service for {service}.",
            "audience": rng.sample(["Service designers", "Heads of digital", "Procurement officers",
                                    "Service managers", "Councillors"], 2),
            "steps": [{"title": f"Step {k + 1}: {rng.choice(VERBS).lower()} the {rng.choice(STEP_OBJECTS)}",
                       "detail": _paragraph(rng, service, 2)} for k in range(rng.randint(3, 8))],
            "time-needed": f"{rng.randint(2, 12)} to {rng.randint(13, 30)} weeks",
            "patterns": rng.sample(patterns, min(len(patterns), rng.randint(1, 4))),
            "councils": rng.sample(codes, rng.randint(1, 2)),
            "last-reviewed": _date(rng, dt.date(2024, 6, 1), today),
        }
        (root / "playbooks" / f"{slugify(f'redesign {service} {i + 1}')}.md").write_text(
            f"---\n{dump(meta)}---\n\n{_paragraph(rng, service, rng.randint(3, 12))}\n", encoding="utf-8")

    for i in range(n_sessions):
        event = f"{rng.choice(EVENT_NAMES)} {rng.randint(2019, 2026)}"
        folder = root / "sessions" / slugify(event)
        folder.mkdir(parents=True, exist_ok=True)
        area = rng.choice(areas)
        service = rng.choice(SERVICES[area])
        meta = {
            "id": i + 1,  # sessions have permanent numbers, as patterns do
            "event": event,
            "date": dt.date(int(event[-4:]), 1 + rng.randint(0, 10), rng.randint(1, 28)),
            "title": f"What have we learned about {service}?",
            "hosts": [f"{rng.choice(['Digital', 'Service design', 'Data'])} team, {rng.choice(councils).short_name}"],
            "notes": f"https://notes.example.org/{i}",
            "patterns": rng.sample(patterns, min(len(patterns), rng.randint(0, 3))),
            "councils": rng.sample(codes, rng.randint(0, 2)),
        }
        (folder / f"{slugify(f'{service} {i + 1}')}.md").write_text(
            f"---\n{dump(meta)}---\n\n{_paragraph(rng, service, rng.randint(2, 8))}\n", encoding="utf-8")

    for council in councils[:n_councils]:
        folder = root / "councils" / council.slug
        folder.mkdir(parents=True)
        adopted = rng.sample(patterns, min(len(patterns), rng.randint(0, 12)))
        (folder / "council.yml").write_text(dump({
            "code": council.code,
            "maintainers": [f"{slugify(council.slug)[:30]}-digital"],
            "website": f"https://www.{council.slug}.gov.uk",
            "declaration-signed": _date(rng, dt.date(2018, 7, 4), dt.date(2024, 12, 31)),
            "adopted": [{"pattern": p, "since": _date(rng, dt.date(2019, 1, 1), today),
                         "evidence": f"https://www.{council.slug}.gov.uk/{p}"} for p in adopted],
        }), encoding="utf-8")
        commitments = []
        for k in range(rng.randint(1, 6)):
            start = _date(rng, dt.date(2019, 1, 1), dt.date(2025, 6, 1))
            history = []
            day = start
            for _ in range(rng.randint(1, 6)):
                status = rng.choice(list(COMMITMENT_STATUSES))
                history.append({"date": day, "status": status, "note": _paragraph(rng, "the commitment", 1)})
                day = day + dt.timedelta(days=rng.randint(20, 200))
                if day > today:
                    break
            commitments.append({
                "id": f"commitment-{k + 1}",
                "title": f"Open up {rng.choice(SERVICES[rng.choice(areas)])}",
                "principles": sorted(rng.sample(range(1, 6), rng.randint(1, 3))),
                "status": history[-1]["status"],
                "start": start,
                "target": start + dt.timedelta(days=rng.randint(90, 900)),
                "partners": rng.sample(codes, rng.randint(0, 2)),
                "patterns": rng.sample(patterns, min(len(patterns), rng.randint(0, 2))),
                "history": history,
            })
        (folder / "declaration.yml").write_text(dump({"commitments": commitments}), encoding="utf-8")
    # Each file names its editor schema, as real ones do, so the validator is timed without a warning per file.
    for cand in discover(root)[0]:
        path = root / cand.path
        path.write_text(with_schema_line(path.read_text(encoding="utf-8"), cand.path), encoding="utf-8")
    files = n_patterns + n_cases + n_playbooks + n_sessions + 2 * n_councils
    return Corpus(root, files, patterns)
