"""The checks across entries: pattern numbers, slugs and aliases unique, every pattern named exists, every
council folder with a declaration has its council.yml. Each file is first reduced to its `Facts` (small, so
worker processes can send them back); these checks read only those.

Of two patterns with one number, the one that arrived later is told to renumber: the other's short link
(`/p/<number>/`) is already published. When each arrived is history, which content/ does not read: the caller
passes an `AddedOrder` (commands/validate.py and check-pr ask git), asked only when numbers clash; without one,
files outside a partial run's scope count as the earlier ones, then names in order.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commons.content.front_matter import plain_pattern_numbers
from commons.content.load import Candidate, RawEntry, read_entry
from commons.content.problems import Problem
from commons.content.values import SLUG

# Given the paths of patterns whose numbers clash, when each arrived (a smaller number: earlier); a path it
# leaves out arrived after all the others (not committed yet, or added by the pull request being checked).
AddedOrder = Callable[[Sequence[str]], Mapping[str, int]]


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
    session_id: Located | None = None  # a session's number, which gives its short link /s/<id>/


def facts_of(entry: RawEntry, references: list[Located]) -> Facts:
    meta = entry.meta or {}
    if entry.ctype.name == "session":
        return Facts(entry.path, "session", entry.slug, references=tuple(references),
                     session_id=_number(entry, meta.get("id")))
    if entry.ctype.name != "pattern":
        return Facts(entry.path, entry.ctype.name, entry.slug, references=tuple(references))
    pid = meta.get("id")
    located_id = Located(pid, *entry.mark(("id",))) if isinstance(pid, int) and not isinstance(pid, bool) else None
    aliases = meta.get("aliases")
    located_aliases = tuple(Located(a, *entry.mark(("aliases", i))) for i, a in enumerate(aliases)
                            if isinstance(a, str) and a != entry.slug) if isinstance(aliases, list) else ()
    return Facts(entry.path, "pattern", entry.slug, located_id, located_aliases, tuple(references))


def check_across(root: Path, facts: list[Facts], candidates: Iterable[Candidate],
                 scope: set[str] | None = None, added: AddedOrder | None = None) -> list[Problem]:
    """The checks across files, once each file has been checked on its own (`check_file`): references
    between entries (from their `facts`) and each council's folder as a whole. `scope`: report only
    problems in these paths (None: all). `added`: when each pattern arrived, for clashing numbers."""
    return session_numbers(facts, scope) + cross_check(facts, scope, added) + \
        council_files(root, [c for c in candidates if c.ctype.name == "commitment"])


def other_pattern_facts(root: Path, cand: Candidate) -> Facts:
    """The number, slug and aliases of a pattern outside a partial run's scope, which others are checked against
    (read plainly when it can be, see front_matter.py; otherwise by the full loader)."""
    plain = plain_pattern_numbers(root / cand.path)
    if plain is not None:
        number, names = plain
        pid = Located(number, 0, 0) if number is not None else None
        return Facts(cand.path, "pattern", cand.slug, pid, tuple(Located(n, 0, 0) for n in names if n != cand.slug))
    entry, _ = read_entry(root, cand)
    return facts_of(entry, []) if entry is not None else Facts(cand.path, "pattern", cand.slug)

def needs_every_pattern(root: Path, facts: list[Facts]) -> bool:
    if any(f.kind == "pattern" for f in facts):
        return True
    return any(not _pattern_file(root, ref.value) for f in facts for ref in f.references)


def _pattern_file(root: Path, slug: Any) -> bool:
    """Whether `slug` names a pattern by its own file (not through a link, `..` or another letter case)."""
    if not (isinstance(slug, str) and SLUG.fullmatch(slug)):
        return False
    path = root / "patterns" / f"{slug}.md"
    return path.is_file() and not path.is_symlink()


def cross_check(facts: list[Facts], scope: set[str] | None, added: AddedOrder | None = None) -> list[Problem]:
    """Pattern numbers, slugs and aliases are unique, and every pattern named exists."""
    # Files outside the scope come first: they are the established ones, so a clash is blamed on the file
    # being checked (the one a pull request adds), not on the pattern that had the number first.
    patterns = sorted((f for f in facts if f.kind == "pattern"), key=lambda f: (scope is not None and f.path in scope,
                                                                                f.path))
    problems: list[Problem] = []
    owner: dict[str, Facts] = {f.slug: f for f in reversed(patterns)}

    def report(f: Facts, where: Located, code: str, message: str, hint: str) -> None:
        if scope is None or f.path in scope:
            problems.append(Problem(f.path, where.line, where.col, code, message, hint))

    next_free = max((f.pattern_id.value for f in patterns if f.pattern_id is not None), default=0) + 1
    for f, first, published in _number_clashes(patterns, added):
        assert f.pattern_id is not None
        if published:
            report(f, f.pattern_id, "E-DUPLICATE-ID", f"pattern number {f.pattern_id.value} is already used by "
                   f"{first.path} (published first)", f"renumber this one: the next free number is {next_free}")
        else:
            report(f, f.pattern_id, "E-DUPLICATE-ID", f"pattern number {f.pattern_id.value} is already used by "
                   f"{first.path}", f"the next free number is {next_free}")
    for f in patterns:
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


def _number_clashes(patterns: list[Facts], added: AddedOrder | None) -> list[tuple[Facts, Facts, bool]]:
    """Each pattern whose number an earlier one has: (it, the first with that number, whether history says the
    first arrived before it). `patterns` come in the order that decides when history cannot."""
    numbered: dict[int, list[Facts]] = {}
    for f in patterns:
        if f.pattern_id is not None:
            numbered.setdefault(f.pattern_id.value, []).append(f)
    clashing = [group for group in numbered.values() if len(group) > 1]
    if not clashing:
        return []
    when = dict(added(sorted({f.path for group in clashing for f in group}))) if added else {}
    later = max(when.values(), default=0) + 1  # after everything history has
    out: list[tuple[Facts, Facts, bool]] = []
    for group in clashing:
        ordered = sorted(group, key=lambda f: when.get(f.path, later))  # stable: ties keep the order given
        first = ordered[0]
        out += [(f, first, when.get(first.path, later) < when.get(f.path, later)) for f in ordered[1:]]
    return out


def council_files(root: Path, declarations: list[Candidate]) -> list[Problem]:
    return [Problem(c.path, 0, 0, "E-REQUIRED", f"councils/{c.folder}/ has no council.yml",
                    "add council.yml with the council's register code and maintainers "
                    "(commons new council CODE --maintainer GITHUB_NAME)")
            for c in declarations if not (root / "councils" / c.folder / "council.yml").is_file()]


def _number(entry: RawEntry, value: Any) -> Located | None:
    return Located(value, *entry.mark(("id",))) if isinstance(value, int) and not isinstance(value, bool) else None


def session_facts(root: Path, cand: Candidate) -> Facts:
    """A session outside a partial run's scope, whose number the sessions being checked must not take."""
    entry, _ = read_entry(root, cand)
    return facts_of(entry, []) if entry is not None else Facts(cand.path, "session", cand.slug)


def session_numbers(facts: list[Facts], scope: set[str] | None) -> list[Problem]:
    """Session numbers are unique: `/s/<id>/` is printed on cards and walls, so the session that had a number
    first (outside the scope, then by path) keeps it and the other is told the next free one."""
    sessions = sorted((f for f in facts if f.kind == "session" and f.session_id is not None),
                      key=lambda f: (scope is not None and f.path in scope, f.path))
    next_free = max((f.session_id.value for f in sessions if f.session_id is not None), default=0) + 1
    first: dict[int, Facts] = {}
    problems = []
    for f in sessions:
        assert f.session_id is not None
        owner = first.setdefault(f.session_id.value, f)
        if owner is not f and (scope is None or f.path in scope):
            problems.append(Problem(f.path, f.session_id.line, f.session_id.col, "E-DUPLICATE-ID",
                                    f"session number {f.session_id.value} is already used by {owner.path}",
                                    f"the next free session number is {next_free}"))
    return problems
