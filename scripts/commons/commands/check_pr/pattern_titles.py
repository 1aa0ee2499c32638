"""The patterns a pull request's changed entries name, by slug or alias, with their titles, from the checked tree.

The summary says "Leeds adopts *Tell us once when you move*" rather than a slug, and says which of the pages to
look at is a redirect (a pattern's old name, kept in its `aliases`). Only the names the changed entries use are
looked up, at most MAX_NAMES: each by its own file first, then the rest, which can only be aliases, with one
`git grep` of the tree, reading only the patterns that mention them. A name found nowhere is left out (the
validator reports it), and the summary shows it as it is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from commons.commands.check_pr.changed_files import referrers
from commons.commands.check_pr.pull_request import EntryChange, PatternName, as_list, pattern_names
from commons.content.load import Candidate, RawEntry, candidate_for, read_entry
from commons.content.schema import PATTERN
from commons.content.values import SLUG

if TYPE_CHECKING:
    import git

MAX_NAMES = 100  # names looked up for one pull request; a summary naming more shows the rest as written
MAX_SEARCHED = 50  # patterns read to find which one has an alias


def named_patterns(entries: list[EntryChange]) -> list[str]:
    """The pattern names the changed entries use, before or after the change (adoptions, the patterns a
    commitment names, related patterns), in order of first use, at most MAX_NAMES."""
    names: list[Any] = []
    for e in entries:
        for entry in (e.after, e.before):
            meta = entry.meta if entry is not None and isinstance(entry.meta, dict) else {}
            names += [item.get("pattern") for item in _dicts(meta.get("adopted"))]
            names += [n for c in _dicts(meta.get("commitments")) for n in as_list(c.get("patterns"))]
            names += as_list(meta.get("related"))
    return list(dict.fromkeys(n for n in names if isinstance(n, str) and SLUG.fullmatch(n)))[:MAX_NAMES]


def pattern_titles(repo: git.Repo, tree: Path, treeish: str, env: dict[str, str], names: list[str],
                   entries: list[EntryChange]) -> dict[str, PatternName]:
    """Each of `names` that is a pattern in `tree` (the checked-out `treeish`): by its file, or as an alias."""
    found: dict[str, PatternName] = {}
    for e in entries:  # the changed patterns are already read
        if e.after is not None and e.after.ctype.name == PATTERN.name and isinstance(e.after.meta, dict):
            for name in pattern_names(e.after):
                found.setdefault(name, PatternName(e.after.slug, _title(e.after)))
    for name in names:
        entry = None if name in found else _read(tree, f"{PATTERN.folder}/{name}.md")
        if entry is not None:
            found[name] = PatternName(entry.slug, _title(entry))
    aliases = {n for n in names if n not in found}
    searched = [path for path in referrers(repo, treeish, sorted(aliases), env)
                if path.startswith(f"{PATTERN.folder}/")] if aliases else []
    for path in searched[:MAX_SEARCHED]:
        entry = _read(tree, path)
        if entry is not None:
            for name in sorted(pattern_names(entry) & aliases):
                found.setdefault(name, PatternName(entry.slug, _title(entry)))
    return found


def _read(tree: Path, rel: str) -> RawEntry | None:
    cand = candidate_for(tree, rel)
    if not isinstance(cand, Candidate) or not (tree / rel).is_file():
        return None
    entry, _ = read_entry(tree, cand)
    return entry if entry is not None and isinstance(entry.meta, dict) and entry.ctype.name == PATTERN.name \
        else None


def _title(entry: RawEntry) -> str:
    title = (entry.meta or {}).get("title")
    return title.strip() if isinstance(title, str) and title.strip() else entry.slug


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in as_list(value) if isinstance(item, dict)]
