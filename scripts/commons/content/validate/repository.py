"""Validating a repository: which files (all, or the given ones plus what they reference), on how many cores,
each checked on its own (`rules.py`), then the checks across them (`cross.py`)."""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from commons.content.load import Candidate, RawEntry, candidate_for, discover, gc_paused, parse_entry, read_entry
from commons.content.problems import Problem
from commons.content.register import Register, load_register
from commons.content.schema import MAX_FILE_BYTES
from commons.content.validate.cache import Cache, digest
from commons.content.validate.cross import (
    AddedOrder,
    Facts,
    check_across,
    facts_of,
    needs_every_pattern,
    other_pattern_facts,
    session_facts,
)
from commons.content.validate.rules import check_entry
from commons.content.validate.site_files import SiteFiles


@dataclass
class Report:
    problems: list[Problem]
    entries: list[RawEntry]  # kept only when asked for (the site build needs them)
    files: int

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)


@dataclass(frozen=True)
class Sourced:
    """A file a council keeps in its own repository, read from the locked commit (by commons.sources, which
    reads git; content/ does not): checked as if at `cand.path` (its place in the commons), reported at `shown`
    (`<url>@<short sha>:<path in their repository>`)."""

    cand: Candidate
    shown: str
    data: bytes


def validate_repository(root: Path, paths: Iterable[str] | None = None, keep_entries: bool = False,
                        added: AddedOrder | None = None, sourced: Sequence[Sourced] = (),
                        use_cache: bool = False) -> Report:
    """Every problem in the repository at `root`, or in `paths` (relative) and what they reference.

    With `keep_entries` the parsed entries are returned too (the site build uses them); without it,
    large batches are read on every core. `added` says when clashing patterns arrived (see cross.py), so the
    later one is told to renumber; without it, the one outside `paths`, else the first by name, keeps its number.
    `sourced`: councils' files from their own repositories, checked with the rest in a full run; with `paths`,
    those given (by their place in the commons or as shown, `<url>@<sha>:<path>`) are checked and the others'
    patterns are known to the checks across entries. A council with a folder here and sourced files is an error.
    With `use_cache`, what checking a file on its own found is kept in .cache/validate/ and used again while the
    file and everything else that check reads are unchanged (cache.py; never with `keep_entries`).
    """
    with gc_paused():
        return _validate(root, paths, keep_entries, added, sourced, use_cache)


def _validate(root: Path, paths: Iterable[str] | None, keep_entries: bool, added: AddedOrder | None,
              sourced: Sequence[Sourced] = (), use_cache: bool = False) -> Report:
    register = load_register(root / "data" / "uk-local-authorities.csv")
    problems: list[Problem] = []
    given: Sequence[Sourced] = sourced
    if paths is None:
        candidates, problems = discover(root)
        scope = None
    else:
        candidates, scope = [], set[str]()
        by_name = {name: s for s in sourced for name in (s.cand.path, s.shown)}
        given = list({id(s): s for s in (by_name[rel] for rel in paths if rel in by_name)}.values())
        scope.update(s.cand.path for s in given)
        for rel in paths:
            cand = candidate_for(root, rel) if rel not in by_name else None
            if isinstance(cand, Problem):
                problems.append(cand)
            elif cand is not None:
                candidates.append(cand)
                scope.add(cand.path)
    site_files = SiteFiles(root, register, frozenset(s.cand.path for s in sourced if s.cand.ctype.markdown))
    kept = None if keep_entries or not use_cache else Cache.open(root, root / "data" / "uk-local-authorities.csv",
                                                                 render_all=scope is not None)
    checked = check_files(root, candidates, register, keep_entries, render_all=scope is not None,
                          site_files=site_files, cache=kept)
    problems += checked.problems
    facts = checked.facts
    if sourced:
        more = _check_sourced(root, sourced, None if scope is None else given, candidates, register, keep_entries,
                              site_files)
        problems += more.problems
        facts = facts + more.facts
        checked.entries += more.entries
        if scope is not None:  # the other sources' patterns, which the given files may name
            facts = facts + [facts_of(e, []) for e in _parsed(s for s in sourced if s.cand.path not in scope
                                                              and s.cand.ctype.name == "pattern")]
    if scope is not None and needs_every_pattern(root, facts):
        # A partial run still needs every pattern's number, slug and aliases to check against.
        others = [c for c in discover(root)[0] if c.ctype.name == "pattern" and c.path not in scope]
        facts = facts + [other_pattern_facts(root, c) for c in others]
    elif scope is not None:
        # Every pattern named has its own file, so its slug is all the checks across entries need of it.
        named = sorted({ref.value for f in facts for ref in f.references})
        facts = facts + [Facts(f"patterns/{slug}.md", "pattern", slug) for slug in named]
    if scope is not None and any(f.kind == "session" for f in facts):
        # A session being checked must not take another's number (its short link /s/<id>/).
        facts = facts + [session_facts(root, c) for c in discover(root)[0]
                         if c.ctype.name == "session" and c.path not in scope]
    problems += check_across(root, facts, candidates, scope, added)
    if sourced:
        shown = {s.cand.path: s.shown for s in sourced}
        problems = [p if p.path not in shown else Problem(shown[p.path], p.line, p.col, p.code, p.message, p.hint)
                    for p in problems if not (p.path in shown and p.code == "W-SCHEMA-LINE")]
    return Report(sorted(set(problems)), checked.entries, len(candidates) + len(given))


def _parsed(sourced: Iterable[Sourced]) -> list[RawEntry]:
    return [e for e in (parse_entry(s.cand, s.data)[0] for s in sourced) if e is not None]


def _check_sourced(root: Path, sourced: Sequence[Sourced], given: Sequence[Sourced] | None,
                   candidates: list[Candidate], register: Register, keep_entries: bool,
                   site_files: SiteFiles) -> Checked:
    """Check the `given` councils' sourced files (None: all of them) like the rest (a source's files do not sit
    beside schemas/, so their schema line is not asked for); a council folder here (among `candidates`, or on
    disk for a given sourced file) that also has sourced files is refused."""
    out = Checked([], [], [])
    here = {c.folder for c in candidates if c.ctype.folder == "councils"}
    if given is not None:
        here |= {s.cand.folder for s in given if s.cand.folder and (root / "councils" / s.cand.folder).is_dir()}
    out.problems += kept_in_both(sourced, here)
    for s in sourced if given is None else given:
        entry, problems = parse_entry(s.cand, s.data)
        out.problems += problems
        if entry is None:
            continue
        entry_problems, facts = check_entry(entry, register, site_files, render_all=True)
        out.problems += entry_problems
        out.facts.append(facts)
        if keep_entries:
            out.entries.append(entry)
    return out


def kept_in_both(sourced: Sequence[Sourced], here: set[str]) -> list[Problem]:
    """An E-DUPLICATE-ID for each council with a folder here (`here`: council folder names) and sourced files."""
    return [Problem(f"councils/{folder}", 0, 0, "E-DUPLICATE-ID",
                    f"councils/{folder}/ is here and the council also keeps its records in its own repository "
                    "(sources.yml)", f"a council lives in one place: remove councils/{folder}/ (its pages keep "
                    f"their addresses, /councils/{folder}/)")
            for folder in sorted({s.cand.folder for s in sourced if s.cand.folder} & here)]


@dataclass
class Checked:
    problems: list[Problem]
    facts: list[Facts]
    entries: list[RawEntry]
    kept: list[tuple[str, str, list[Problem], Facts | None, bool]] = field(default_factory=list)  # for the cache


PARALLEL_FROM = 1000  # below this many files, starting workers costs more than it saves


def check_files(root: Path, candidates: list[Candidate], register: Register, keep_entries: bool,
                render_all: bool = False, site_files: SiteFiles | None = None, cache: Cache | None = None) -> Checked:
    """Read and check each file on its own; on several cores when there are many and entries are not kept.
    With a `cache`, a file whose result is kept there is not checked again, and what is found is kept."""
    site_files = site_files or SiteFiles(root, register)  # found once per process that needs it
    if cache is None:
        return _on_cores(root, candidates, register, keep_entries, render_all, site_files)
    site_digest = _site_digest(site_files)
    out, todo = Checked([], [], []), []
    for cand in candidates:
        kept = cache.get(cand.path, *_digest_of(root, cand), site_digest)
        if kept is None:
            todo.append(cand)
            continue
        out.problems += kept[0]
        if kept[1] is not None:
            out.facts.append(kept[1])
    checked = _on_cores(root, todo, register, False, render_all, site_files, keep=True)
    out.problems += checked.problems
    out.facts += checked.facts
    for path, file_digest, problems, facts, used_site in checked.kept:
        if file_digest:
            cache.put(path, file_digest, problems, facts, used_site)
    cache.save(site_digest)
    return out


def _digest_of(root: Path, cand: Candidate) -> tuple[str]:
    data = _small_file(root, cand)
    return ("" if data is None else digest(data),)


def _small_file(root: Path, cand: Candidate) -> bytes | None:
    """The file's bytes, or None when it cannot be read or is over the size limit (read_entry says which)."""
    try:
        with open(os.path.join(root, cand.path), "rb") as f:
            return None if os.fstat(f.fileno()).st_size > MAX_FILE_BYTES else f.read()
    except OSError:
        return None


def _site_digest(site_files: SiteFiles) -> Callable[[], str]:
    found: list[str] = []

    def site_digest() -> str:
        if not found:
            found.append(digest("\n".join(sorted(site_files())).encode()))
        return found[0]

    return site_digest


def _on_cores(root: Path, candidates: list[Candidate], register: Register, keep_entries: bool, render_all: bool,
              site_files: SiteFiles, keep: bool = False) -> Checked:
    workers = min(os.cpu_count() or 1, 8)
    if keep_entries or workers < 2 or len(candidates) < PARALLEL_FROM or sys.platform == "win32":
        return _check_chunk(root, candidates, register, keep_entries, render_all, site_files, keep)
    chunks = [candidates[i :: workers * 2] for i in range(workers * 2)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        parts = pool.starmap(_check_chunk, [(root, chunk, register, False, render_all, site_files, keep)
                                            for chunk in chunks])
    return Checked([p for part in parts for p in part.problems], [f for part in parts for f in part.facts], [],
                   [k for part in parts for k in part.kept])


def check_file(root: Path, cand: Candidate, register: Register, render_all: bool = True,
               site_files: SiteFiles | None = None, data: bytes | None = None,
               ) -> tuple[RawEntry | None, list[Problem], Facts | None]:
    """Read one file (unless its bytes are given as `data`) and check it on its own: its entry (if readable),
    every problem, and its facts.

    Its body is rendered and checked unless `render_all` is False (a full run, see check_entry)."""
    entry, problems = read_entry(root, cand) if data is None else parse_entry(cand, data)
    if entry is None:
        return None, problems, None
    entry_problems, facts = check_entry(entry, register, site_files or SiteFiles(root, register), render_all)
    return entry, problems + entry_problems, facts


def _check_chunk(root: Path, candidates: list[Candidate], register: Register, keep_entries: bool,
                 render_all: bool, site_files: SiteFiles, keep: bool = False) -> Checked:
    """Check each file; with `keep`, each file's own result too (with the digest of the bytes it was read from,
    and whether it needed the site's files), for the cache."""
    gc.disable()  # a worker process: see load.gc_paused
    out = Checked([], [], [])
    for cand in candidates:
        asked = site_files.asked
        if keep:
            data = _small_file(root, cand)
            entry, problems, facts = check_file(root, cand, register, render_all, site_files, data)
            out.kept.append((cand.path, "" if data is None else digest(data), problems, facts,
                             site_files.asked != asked))
        else:
            entry, problems, facts = check_file(root, cand, register, render_all, site_files)
        out.problems += problems
        if entry is None or facts is None:
            continue
        out.facts.append(facts)
        if keep_entries:
            out.entries.append(entry)
    return out
