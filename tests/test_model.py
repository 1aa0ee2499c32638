"""The model stage: validated raw entries → the Catalog, with every cross-reference resolved.

Each test builds a Catalog from real files: the repository's starter content, or a copy of it in tmp_path with
some files edited, validated and then handed to `build_catalog`. What each test expects is read from the files
themselves (PyYAML and the register's CSV, as tests/site_support.py reads them), never from the code under test.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from commons.content.load import RawEntry
from commons.content.model import Catalog, build_catalog
from commons.content.register import load_register
from commons.content.validate import validate_repository
from conftest import STARTER_DAY
from site_support import REPO, copy_repository, current_councils, front_matter, register_rows

TODAY = STARTER_DAY  # the day conftest's starter_catalog is built for, so that what is stale is fixed
YEAR = dt.timedelta(days=365)  # stale: not updated or reviewed for longer than this


def entries_of(root: Path) -> list[RawEntry]:
    """The validated entries of the repository at `root` (which must have no errors)."""
    report = validate_repository(root, keep_entries=True)
    assert report.errors == 0, [f"{p.path}:{p.line}: {p.code} {p.message}" for p in report.problems if p.is_error]
    return report.entries


def catalog_of(root: Path, today: dt.date = TODAY) -> Catalog:
    return build_catalog(entries_of(root), load_register(root / "data" / "uk-local-authorities.csv"), today=today)


# ---------------------------------------------------------------------------------------------------------
# The starter content, read independently of the code under test

def markdown_files(folder: str, glob: str = "*.md") -> dict[str, dict[str, Any]]:
    """Front matter of each Markdown entry in `folder`, by its slug ("event/slug" for sessions)."""
    return {p.relative_to(REPO / folder).with_suffix("").as_posix(): front_matter(p)
            for p in sorted((REPO / folder).glob(glob))}


def yaml_file(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


PATTERNS = markdown_files("patterns")
CASE_STUDIES = markdown_files("case-studies")
PLAYBOOKS = markdown_files("playbooks")
SESSIONS = markdown_files("sessions", "*/*.md")
PROFILES = {p.parent.name: yaml_file(p) for p in sorted((REPO / "councils").glob("*/council.yml"))}  # by folder
DECLARATIONS = {PROFILES[p.parent.name]["code"]: yaml_file(p)  # by council code, in the order of their folders
                for p in sorted((REPO / "councils").glob("*/declaration.yml"))}
ALIASES = {alias: slug for slug, meta in PATTERNS.items() for alias in meta.get("aliases") or ()}


def canon(slug: str) -> str:
    return ALIASES.get(slug, slug)


def test_every_entry_is_in_the_catalog_once_under_its_name(starter_catalog: Catalog) -> None:
    assert list(starter_catalog.patterns) == sorted(PATTERNS)
    assert list(starter_catalog.case_studies) == sorted(CASE_STUDIES)
    assert list(starter_catalog.playbooks) == sorted(PLAYBOOKS)
    assert list(starter_catalog.sessions) == sorted(SESSIONS)
    assert [c.key for c in starter_catalog.commitments] == [
        f"{code}/{c['id']}" for code, d in DECLARATIONS.items() for c in d["commitments"]]  # by file, as written
    # Every current council in the register, whether or not it keeps a folder in the commons.
    assert sorted(starter_catalog.councils) == sorted(r["local-authority-code"] for r in current_councils())
    assert {c.code for c in starter_catalog.contributing_councils} == {p["code"] for p in PROFILES.values()}
    assert all(not c.maintainers and not c.commitments for c in starter_catalog.councils.values() if not c.has_folder)


def test_short_links_and_former_names_lead_to_their_pattern(starter_catalog: Catalog) -> None:
    assert starter_catalog.pattern_ids == {meta["id"]: slug for slug, meta in PATTERNS.items()}
    assert dict(starter_catalog.aliases) == ALIASES and ALIASES, "the starter content has patterns with former names"


# ---------------------------------------------------------------------------------------------------------
# Cross-references, resolved both ways

def test_a_pattern_lists_its_adopters_earliest_first(starter_catalog: Catalog) -> None:
    expected: dict[str, list[tuple[dt.date, str, str]]] = defaultdict(list)
    for profile in PROFILES.values():
        for a in profile.get("adopted") or ():
            expected[canon(a["pattern"])].append((a["since"], profile["code"], a.get("evidence") or ""))
    assert any(len(v) > 1 for v in expected.values()), "no pattern has two adopters to put in order"
    for slug, pattern in starter_catalog.patterns.items():
        assert [(a.since, a.council, a.evidence) for a in pattern.adopters] == sorted(expected[slug]), slug
    for profile in PROFILES.values():
        council = starter_catalog.council(profile["code"])
        assert [a.pattern for a in council.adopted] == sorted(canon(a["pattern"]) for a in profile.get("adopted") or ())


def test_a_pattern_lists_the_patterns_that_name_it_as_related_that_it_does_not_name_itself(
        starter_catalog: Catalog) -> None:
    related = {slug: [canon(r) for r in meta.get("related") or ()] for slug, meta in PATTERNS.items()}
    found = 0
    for slug, pattern in starter_catalog.patterns.items():
        assert list(pattern.related) == related[slug]
        expected = [other for other in sorted(PATTERNS) if slug in related[other] and other not in related[slug]]
        assert list(pattern.related_from) == expected, slug
        found += len(expected)
    assert found, "no pattern is named as related by one it does not name"


def test_a_pattern_lists_what_uses_it_newest_first(starter_catalog: Catalog) -> None:
    for slug, pattern in starter_catalog.patterns.items():
        cases = sorted(((m["date"], s) for s, m in CASE_STUDIES.items() if slug in map(canon, m.get("patterns") or ())),
                       reverse=True)
        assert list(pattern.case_studies) == [s for _, s in cases], slug
        sessions = sorted(((m["date"], k) for k, m in SESSIONS.items() if slug in map(canon, m.get("patterns") or ())),
                          reverse=True)
        assert list(pattern.sessions) == [k for _, k in sessions], slug
        assert list(pattern.playbooks) == [s for s, m in sorted(PLAYBOOKS.items())
                                           if slug in map(canon, m.get("patterns") or ())], slug
        assert sorted(pattern.commitments) == sorted(
            f"{code}/{c['id']}" for code, d in DECLARATIONS.items() for c in d["commitments"]
            if slug in map(canon, c.get("patterns") or ())), slug
    assert sum(len(p.case_studies) + len(p.sessions) + len(p.playbooks) for p in starter_catalog.patterns.values()) > 20


def test_a_council_gathers_its_profile_commitments_case_studies_and_patterns(starter_catalog: Catalog) -> None:
    for profile in PROFILES.values():
        council = starter_catalog.council(profile["code"])
        assert council.has_folder and council.maintainers == tuple(profile["maintainers"])
        assert council.website == profile["website"]
        assert [c.id for c in council.commitments] == [
            c["id"] for c in DECLARATIONS.get(profile["code"], {}).get("commitments", [])]
        cases = sorted(((m["date"], s) for s, m in CASE_STUDIES.items() if m["council"] == profile["code"]),
                       reverse=True)
        assert list(council.case_studies) == [s for _, s in cases]
        assert sorted(council.patterns_owned) == sorted(
            s for s, m in PATTERNS.items() if profile["code"] in (m.get("councils") or ()))


def rewrite_references(root: Path, old: str, new: str) -> set[str]:
    """Write `new` for every reference to the pattern `old` in the content outside patterns/ (case studies,
    playbooks, sessions, councils' profiles and declarations); the kinds of file changed."""
    changed = set()
    word = re.compile(rf"(?<![\w/.-]){re.escape(old)}(?![\w/.-])")  # a slug on its own, not part of an address
    for folder in ("case-studies", "playbooks", "sessions", "councils"):
        for path in sorted((root / folder).rglob("*.*")):
            text = path.read_text(encoding="utf-8")
            if word.search(text):
                path.write_text(word.sub(new, text), encoding="utf-8")
                changed.add(folder if folder != "councils" else path.name)
    return changed


def test_a_reference_by_a_former_name_is_a_reference_to_the_pattern(tmp_path: Path, starter_catalog: Catalog) -> None:
    root = copy_repository(tmp_path / "repo")
    kinds = set()
    for alias, slug in ALIASES.items():
        kinds |= rewrite_references(root, slug, alias)
    assert kinds == {"case-studies", "playbooks", "sessions", "council.yml", "declaration.yml"}, kinds
    by_alias = catalog_of(root)
    # Everything resolves as if the pattern had been named by its slug.
    for name in ("patterns", "case_studies", "playbooks", "sessions", "councils", "commitments", "aliases"):
        assert getattr(by_alias, name) == getattr(starter_catalog, name), name


def test_a_pattern_named_as_related_by_its_former_name_is_not_listed_twice(tmp_path: Path) -> None:
    # A pattern (named) that names another (namer) by the other's former name, while namer names it back.
    named, namer, alias = next((a, b, next(iter(PATTERNS[b]["aliases"]))) for a, b in (
        (a, b) for a in sorted(PATTERNS) for b in PATTERNS[a].get("related") or ()
        if PATTERNS[b].get("aliases") and a in (PATTERNS[b].get("related") or ())))
    root = copy_repository(tmp_path / "repo")
    path = root / "patterns" / f"{named}.md"
    text = path.read_text(encoding="utf-8")
    related = re.search(r"^related:.*?(?=^\S)", text, re.MULTILINE | re.DOTALL)
    assert related is not None
    path.write_text(text[:related.start()] + related.group(0).replace(namer, alias) + text[related.end():],
                    encoding="utf-8")
    pattern = catalog_of(root).patterns[named]
    assert namer in pattern.related
    assert namer not in pattern.related_from


# ---------------------------------------------------------------------------------------------------------
# Declaration commitments: their last update, and what is stale

def test_a_commitments_last_update_is_the_last_entry_of_its_history(starter_catalog: Catalog) -> None:
    by_key = {c.key: c for c in starter_catalog.commitments}
    for code, declaration in DECLARATIONS.items():
        for c in declaration["commitments"]:
            commitment = by_key[f"{code}/{c['id']}"]
            assert [(u.date, u.status, u.note, u.evidence) for u in commitment.history] == [
                (u["date"], u["status"], u["note"], u.get("evidence") or "") for u in c["history"]]
            assert commitment.last_update == commitment.history[-1]


def test_a_new_history_entry_becomes_the_last_update_and_the_commitment_is_no_longer_stale(
        tmp_path: Path, starter_catalog: Catalog) -> None:
    old = next(c for c in starter_catalog.commitments if c.stale)
    root = copy_repository(tmp_path / "repo")
    path = root / old.path
    data = yaml_file(path)
    commitment = next(c for c in data["commitments"] if c["id"] == old.id)
    commitment["history"].append({"date": TODAY, "status": old.status, "note": "Checked again with the service."})
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    new = next(c for c in catalog_of(root).commitments if c.key == old.key)
    assert new.history[:-1] == old.history
    assert (new.last_update.date, new.last_update.note, new.stale) == (TODAY, "Checked again with the service.", False)


def test_stale_means_nothing_for_more_than_a_year(starter_catalog: Catalog) -> None:
    """A commitment with no update, and a pattern or playbook not reviewed, for more than 365 days is stale; on
    day 365 it is not yet."""
    entries = entries_of(REPO)
    register = load_register(REPO / "data" / "uk-local-authorities.csv")
    # Done and stopped commitments are never stale: nobody is asked to update them (tests/test_overdue.py).
    dated = [("commitment", c.key, c.last_update.date) for c in starter_catalog.commitments
             if c.status not in ("done", "stopped")]
    dated += [("pattern", p.slug, p.last_reviewed) for p in starter_catalog.patterns.values()]
    dated += [("playbook", p.slug, p.last_reviewed) for p in starter_catalog.playbooks.values()]
    for day in sorted({d for _, _, d in dated}):
        for today, stale in ((day + YEAR, False), (day + YEAR + dt.timedelta(days=1), True)):
            catalog = build_catalog(entries, register, today=today)
            flags = {("commitment", c.key): c.stale for c in catalog.commitments}
            flags |= {("pattern", p.slug): p.stale for p in catalog.patterns.values()}
            flags |= {("playbook", p.slug): p.stale for p in catalog.playbooks.values()}
            for kind, name, last in dated:
                if last == day:
                    assert flags[(kind, name)] is stale, f"{kind} {name}, last {last}, on {today}"
    assert any(c.stale for c in starter_catalog.commitments) and not all(c.stale for c in starter_catalog.commitments)


# ---------------------------------------------------------------------------------------------------------
# Abolished councils: where their old pages lead

def test_an_abolished_councils_page_leads_to_the_council_that_took_in_its_folder(
        tmp_path: Path, starter_catalog: Catalog) -> None:
    current = {r["local-authority-code"] for r in current_councils()}
    row = next(r for r in register_rows() if r["end-date"] and len(r["replaced-by"].split(",")) > 1
               and set(r["replaced-by"].split(",")) <= current
               and not any(starter_catalog.council(code).has_folder for code in r["replaced-by"].split(",")))
    successors = tuple(row["replaced-by"].split(","))
    slug = next(s for s, codes in starter_catalog.abolished.items() if codes == successors)  # its old page
    assert slug not in {c.slug for c in starter_catalog.councils.values()}, "never a current council's page"
    # The register's last successor takes in its folder (as `commons reorganise --into` would write it).
    taker = starter_catalog.council(successors[-1])
    root = copy_repository(tmp_path / "repo")
    folder = root / "councils" / taker.slug
    folder.mkdir()
    until = dt.date.fromisoformat(row["end-date"])
    (folder / "council.yml").write_text(yaml.safe_dump({
        "code": taker.code, "maintainers": ["a-maintainer"], "website": "https://council.example",
        "former": [{"code": row["local-authority-code"], "slug": slug, "until": until}]}, sort_keys=False),
        encoding="utf-8")
    catalog = catalog_of(root)
    assert catalog.abolished[slug] == (taker.code, *successors[:-1])
    assert catalog.council(taker.code).former == ((row["official-name"], until),)
    # Nothing else changed: the other abolished councils' pages still lead where the register says.
    assert {s: c for s, c in catalog.abolished.items() if s != slug} == {
        s: c for s, c in starter_catalog.abolished.items() if s != slug}
