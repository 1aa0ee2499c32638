"""`commons sources update`: fetch each council's own repository, check it, and move its pin only when it is good.

Sources are fetched in parallel (at most `JOBS` at once), then checked one by one in sources.yml's order, each
against the commons and the other sources as they stand (the ones already moved in this run included). A
source is refused, keeping its last good pin and recording why, when it cannot be fetched, holds anything it
may not, has any error `commons validate` would report, claims another council, rewrites its Declaration
history (the append-only rule pull requests follow, `check_pr.change_rules.history_rewrites`, compared with
the pinned commit whatever git says about ancestry, so a force-push is accepted if history is intact), drops
a pattern name another entry uses (here or in another source), or belongs to a council that also has a folder
in `councils/`. A source no longer in sources.yml loses its pin.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from commons import gitio
from commons.commands.check_pr.change_rules import history_rewrites
from commons.commands.check_pr.pull_request import EntryChange, FileChange, pattern_names
from commons.commands.sources.current import Current
from commons.content.load import RawEntry, discover
from commons.content.problems import Problem
from commons.content.register import Register, load_register
from commons.content.validate import Facts, SiteFiles, check_entry
from commons.content.validate.repository import check_files
from commons.errors import UsageError
from commons.sources import locked_read
from commons.sources.config import SOURCES_FILE, Failure, Locked, Source, now, read_lock, read_sources, write_lock
from commons.sources.contents import Snapshot, SourceFile, check, commons_patterns, listed_files, parse, read_snapshot
from commons.sources.fetch import (
    PINNED,
    SIZE_LIMIT,
    TIME_LIMIT,
    FetchFailed,
    cache_of,
    commit_date,
    fetch,
    has_commit,
    pin,
    read_ref,
    remote_tip,
)
from commons.sources.objects import Mismatch
from commons.sources.records import READERS

JOBS = 4  # sources fetched at once
MAX_RECORDED = 50  # problems recorded in a failure (the rest are counted)


@dataclass
class Options:
    codes: tuple[str, ...] = ()
    allow_local: bool = False
    time_limit: float = TIME_LIMIT
    size_limit: int = SIZE_LIMIT
    jobs: int = JOBS


@dataclass
class Outcome:
    """What happened to one source in this run."""

    source: Source
    before: Locked | None  # its pin before the run
    after: Locked  # its pin after it
    changes: list[EntryChange] = field(default_factory=list)  # what moving the pin changes (empty if refused)
    snapshot: Snapshot | None = None  # what the accepted commit holds (None if refused)

    @property
    def refused(self) -> bool:
        return self.after.failure is not None

    @property
    def moved(self) -> bool:
        return self.after.commit != (self.before.commit if self.before else "")


@dataclass
class Result:
    outcomes: list[Outcome]
    removed: list[Locked]  # pins dropped because their source left sources.yml
    register: Register

    @property
    def refused(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.after.failure is not None]


def update(root: Path, options: Options) -> Result:
    """Update the pins of the sources named (all by default) and write sources.lock."""
    register = load_register(root / "data" / "uk-local-authorities.csv")
    sources = read_sources(root, register, options.allow_local)
    locked = read_lock(root)
    listed = {s.council for s in sources}
    unknown = [c for c in options.codes if c not in listed]
    if unknown:
        raise UsageError(f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not in {SOURCES_FILE}",
                         "give the register codes of councils that sources.yml lists", help_for="sources update")
    chosen = [s for s in sources if not options.codes or s.council in options.codes]
    removed = [locked.pop(code) for code in sorted(set(locked) - listed)]
    for gone in removed:
        shutil.rmtree(cache_of(root, gone.council), ignore_errors=True)

    def fetch_and_read(s: Source) -> tuple[str | FetchFailed, bool]:
        """The commit the source is at (fetched into its cache when it is not the pinned one) and whether it is
        still the pinned commit, holding exactly the files sources.lock records (nothing to check again)."""
        pinned = locked.get(s.council)
        cache = cache_of(root, s.council)
        if pinned is not None and pinned.commit and pinned.same_source(s) and (cache / "HEAD").is_file():
            try:
                tip = remote_tip(cache, s, options.time_limit)
            except FetchFailed as e:
                return e, False
            if tip == pinned.commit and listed_files(cache, s, tip) == pinned.files:
                return tip, True
        if pinned is not None and pinned.commit and isinstance(locked_read(root, s, pinned, register, False), Mismatch):
            shutil.rmtree(cache, ignore_errors=True)  # lost or changed objects: made again, the pin with it
        return _fetch(root, s, pinned, options), False

    with ThreadPoolExecutor(max(1, options.jobs)) as pool:
        fetched = list(pool.map(fetch_and_read, chosen))
    # The other sources as the site shows them: their locked files (read only when a changed source is checked
    # against them), replaced by the new ones as sources move.
    current = Current(root, register, sources, locked)
    current.load([s.council for s, (_, same) in zip(chosen, fetched, strict=True) if not same])
    outcomes = []
    pins: list[tuple[str, str]] = []  # each good commit kept in its cache, whatever is fetched later
    references = _References(root, register, current)
    commons: list[Facts] | None = None  # the commons' own patterns, read when a changed source is checked
    for source, (got, same) in zip(chosen, fetched, strict=True):
        if not same and commons is None:
            commons = commons_patterns(root)
        outcome = _judge(root, source, locked.get(source.council), got, register, current, references,
                         commons or [], same)
        locked[source.council] = outcome.after
        if outcome.after.failure is None and outcome.after.commit:
            pins.append((source.council, outcome.after.commit))
            if outcome.snapshot is not None:
                current.moved(source.council, outcome.snapshot)
        outcomes.append(outcome)
    pins = [(code, sha) for code, sha in pins if read_ref(cache_of(root, code), PINNED) != sha]
    with ThreadPoolExecutor(READERS) as pool:
        list(pool.map(lambda item: pin(cache_of(root, item[0]), item[1]), pins))
    write_lock(root, locked)
    return Result(outcomes, removed, register)


def _fetch(root: Path, source: Source, pinned: Locked | None, options: Options) -> str | FetchFailed:
    """The commit the source's ref is at now (fetched into its cache), and the pinned one restored if the cache
    lost it; or why it could not be fetched."""
    try:
        commit = fetch(root, source, time_limit=options.time_limit, size_limit=options.size_limit)
        cache = cache_of(root, source.council)
        if pinned and pinned.commit and pinned.commit != commit and not has_commit(cache, pinned.commit):
            try:
                fetch(root, source, want=pinned.commit, time_limit=options.time_limit, size_limit=options.size_limit)
            except FetchFailed:
                pass  # a rewritten source may no longer have it: judged without the old history below
        return commit
    except FetchFailed as e:
        return e


def _judge(root: Path, source: Source, pinned: Locked | None, got: str | FetchFailed, register: Register,
           current: Current, references: _References, commons: list[Facts], unchanged: bool = False) -> Outcome:
    """The source's pin after this run. `unchanged`: the source is at its pinned commit and the cache holds exactly
    the files the lock records, which were checked when it was pinned (`commons validate` and the build check
    them with the rest of the commons every time)."""
    checked = now()
    kept = pinned if pinned is not None else Locked(source.council, source.url, source.ref, source.path, "")

    def refuse(reason: str, commit: str = "", problems: Sequence[Problem] = ()) -> Outcome:
        since = kept.failure.since if kept.failure is not None else checked
        shown = [_line(p) for p in problems]
        if len(shown) > MAX_RECORDED:
            shown = shown[:MAX_RECORDED] + [f"… and {len(shown) - MAX_RECORDED} more problems"]
        after = Locked(source.council, kept.url, kept.ref, kept.path, kept.commit, kept.committed, checked,
                       dict(kept.files), Failure(since, reason, commit, shown))
        return Outcome(source, pinned, after)

    slug = register.by_code[source.council].slug
    folder = root / "councils" / slug
    if folder.exists() or folder.is_symlink():
        return refuse(f"{register.by_code[source.council].name} also has a folder here, councils/{slug}/: a council "
                      "keeps its records in one place", problems=[_in_both(source, slug)])
    if isinstance(got, FetchFailed):
        return refuse(str(got))
    cache = cache_of(root, source.council)
    if unchanged and pinned is not None:
        return Outcome(source, pinned, Locked(source.council, source.url, source.ref, source.path, got,
                                              pinned.committed or commit_date(cache, got), checked,
                                              dict(pinned.files)))
    before = current.get(source.council)
    others, taken = current.pattern_facts(source.council), current.taken(source.council)
    try:
        if before is not None and before.commit == got and before.source.path == source.path:
            files = Snapshot(source, got, files=list(before.files))  # read for the pin: not read twice
        else:
            files = read_snapshot(cache, source, got, register)
        snap = check(root, files, register, others, taken, commons)
    except FetchFailed as e:  # the cache cannot be read: nothing from this commit can be trusted
        return refuse(f"the commit {got[:7]} could not be read: {e}", got)
    if snap.errors:
        return refuse(f"the commit {got[:7]} has {len(snap.errors)} problem{'s' * (len(snap.errors) != 1)}", got,
                      snap.errors)
    if pinned and pinned.commit and pinned.commit != got and before is None:
        return refuse(f"the pinned commit {pinned.commit[:7]} is gone from the source and from the cache, so "
                      "its Declaration history cannot be compared", got)
    if before is None and not (pinned and pinned.commit):
        before = _folder_before(root, source, register)  # a council moving here from its folder
    if before is not None and before.commit != got:
        rewritten = _history(before, snap)
        if rewritten:
            return refuse(f"the commit {got[:7]} rewrites Declaration history", got, rewritten)
        broken = _lost(before, snap, references)
        if broken:
            return refuse(f"the commit {got[:7]} removes patterns other entries name", got, broken)
    same = pinned is not None and pinned.commit == got and pinned.committed  # its date is known
    after = Locked(source.council, source.url, source.ref, source.path, got,
                   pinned.committed if same and pinned else commit_date(cache, got), checked, snap.blobs)
    return Outcome(source, pinned, after, changes(before, snap), snap)


def _in_both(source: Source, slug: str) -> Problem:
    return Problem(SOURCES_FILE, source.line, 1, "E-DUPLICATE-ID",
                   f"councils/{slug}/ is in this repository and {source.council} also has a source",
                   f"in the pull request that adds the source, remove the folder (git rm -r councils/{slug}) and "
                   f"run commons sources update {source.council}, so the pin comes with it; the council's pages "
                   f"keep their addresses, /councils/{slug}/, because its slug is the same")


def _line(p: Problem) -> str:
    where = f"{p.path}:{p.line}:{p.col}" if p.line else p.path
    return f"{where}: {p.severity}[{p.code}] {p.message}" + (f" (hint: {p.hint})" if p.hint else "")


def _entries(snap: Snapshot | None) -> dict[str, RawEntry]:
    return {e.path: e for e in snap.entries} if snap is not None else {}


def changes(before: Snapshot | None, after: Snapshot) -> list[EntryChange]:
    """Each file whose content differs between the two snapshots, as check-pr's EntryChange (commons paths)."""
    old, new = _entries(before), _entries(after)
    old_blobs = {f.commons_path: f.blob for f in before.files} if before is not None else {}
    new_blobs = {f.commons_path: f.blob for f in after.files}
    out = []
    for path in sorted(set(old_blobs) | set(new_blobs)):
        if old_blobs.get(path) == new_blobs.get(path):
            continue
        kind = "added" if path not in old_blobs else "deleted" if path not in new_blobs else "modified"
        out.append(EntryChange(FileChange(kind, path if kind != "added" else None, path if kind != "deleted" else
                                          None), old.get(path), new.get(path)))
    return out


def _history(before: Snapshot, after: Snapshot) -> list[Problem]:
    rewrites = history_rewrites([e for e in changes(before, after) if e.change.path.endswith("/declaration.yml")])
    out = []
    for r in rewrites:
        shown = after.display(r.path) if r.path in {f.commons_path for f in after.files} else before.display(r.path)
        out.append(Problem(shown, r.line, r.col, "E-VALUE", f"Declaration history is rewritten: {r.message}",
                           f"history is added to, never rewritten: {r.hint}"))
    return out


class _References:
    """Which entries name which patterns, in this repository and the other sources' locked files: found only
    when a source drops a pattern name (finding them means checking every file)."""

    def __init__(self, root: Path, register: Register, current: Current):
        self.root, self.register, self.current = root, register, current
        self._here: list[Facts] | None = None

    def naming(self, names: set[str], council: str) -> list[tuple[str, str]]:
        """(where, name) for each reference to one of `names` outside `council`'s source."""
        if self._here is None:
            self._here = check_files(self.root, discover(self.root)[0], self.register, False).facts
        facts = list(self._here)
        site_files = SiteFiles(self.root, self.register)
        for code, snap in self.current.items():
            if code != council:
                for entry in snap.entries:
                    facts.append(check_entry(entry, self.register, site_files)[1])
        shown = {f.commons_path: snap.where(f.source_path) for code, snap in self.current.items() if code != council
                 for f in snap.files}
        return [(f"{shown.get(f.path, f.path)}:{ref.line}:{ref.col}", ref.value) for f in facts
                for ref in f.references if ref.value in names]


def _lost(before: Snapshot, after: Snapshot, references: _References) -> list[Problem]:
    """A pattern the source drops (deleted, or renamed without keeping its old name in aliases) that another
    entry names: refused, as check-pr refuses the reference it would break."""
    names_after = {n for e in after.entries for n in pattern_names(e)}
    lost = {n: e for e in before.entries for n in pattern_names(e) if n not in names_after}
    if not lost:
        return []
    out = []
    for where, name in references.naming(set(lost), after.source.council):
        gone = lost[name]
        out.append(Problem(before.display(gone.path), 0, 0, "E-UNKNOWN-REF",
                           f"the pattern '{name}' is gone from the source, but {where} names it",
                           f"keep '{name}' (in the renamed pattern's aliases, so old links keep working), or ask the "
                           "owners of that entry to change it first"))
    return out


def _folder_before(root: Path, source: Source, register: Register) -> Snapshot | None:
    """The council's folder as this repository's last commit has it, for a source's first pin: a council moving
    from its folder to its own repository keeps its Declaration history, and the summary says only what the
    move changes. None when there was no such folder (or no git)."""
    if not gitio.has_repository(root):
        return None
    slug = register.by_code[source.council].slug
    files = []
    for name in ("council.yml", "declaration.yml"):
        path = f"councils/{slug}/{name}"
        try:
            blob = gitio.run(root, "rev-parse", "--verify", "--quiet", f"HEAD:{path}").decode().strip()
            files.append(SourceFile(path, path, blob, gitio.run(root, "cat-file", "blob", blob)))
        except (OSError, gitio.GitFailed):
            continue
    if not files:
        return None
    return parse(Snapshot(Source(source.council, "this repository", "HEAD", ""), "", files))
