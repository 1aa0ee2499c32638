"""Who must approve a pull request, by rules and names read from the base branch's commit, never the change.

- A council's files (`councils/<slug>/`) belong to its maintainers, the GitHub users its `council.yml` lists;
  entries belong to the councils they name as owners. A change by anyone else needs one of them, and a change
  to a council's maintainers needs another of them.
- Everything outside the content folders (the tooling, workflows, maintainers' pages, data, tests and the
  project's own files) belongs to the maintainers of Council Commons, the owners of the `*` line of
  `.github/CODEOWNERS`: GitHub asks them to review those files, and check-pr says they must approve. Any such
  change needs their approval, whoever makes it.

The register, the council files and CODEOWNERS are all read from the base commit, so a pull request can no
more make its author a maintainer than it can change the rules that would approve it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from commons.commands.check_pr.changed_files import file_at
from commons.commands.check_pr.pull_request import COMMONS, COUNCIL_TYPES, Approval, EntryChange, as_list
from commons.content.load import Candidate, RawEntry, candidate_for, parse_entry
from commons.content.register import Register
from commons.content.schema import CASE_STUDY, COUNCIL, PATTERN, PLAYBOOK

if TYPE_CHECKING:
    import git

    from commons.commands.check_pr.pull_request import PullRequestCheck

CODEOWNERS = ".github/CODEOWNERS"

# The field naming the councils that own and review an entry, by type. Council files belong to their folder.
OWNER_FIELDS = {PATTERN.name: "councils", CASE_STUDY.name: "council", PLAYBOOK.name: "councils"}


def owners_of(entry: RawEntry | None, register: Register) -> list[str]:
    """Register codes of the councils an entry belongs to: a council file's folder, or its owning councils."""
    if entry is None:
        return []
    if entry.ctype.name in COUNCIL_TYPES:
        a = register.by_slug.get(entry.folder)
        code = a.code if a else (entry.meta or {}).get("code")
        return [code] if isinstance(code, str) and code in register.by_code else []
    value = (entry.meta or {}).get(OWNER_FIELDS.get(entry.ctype.name, ""))
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str) and v in register.by_code]


def touched(e: EntryChange, register: Register) -> list[str]:
    """Register codes of the councils a changed file belongs to, before or after the change."""
    return list(dict.fromkeys(owners_of(e.before, register) + owners_of(e.after, register)))


def entry_at(commit: git.Commit, path: str | None) -> RawEntry | None:
    """The entry a content file holds in `commit`, or None (no such file, a link, or nothing readable)."""
    # Only the path's shape matters here; a folder that does not exist anywhere is not a symlink.
    cand = candidate_for(Path("/nonexistent"), path) if path else None
    if not isinstance(cand, Candidate) or path is None:
        return None
    data = file_at(commit, path)
    return parse_entry(cand, data)[0] if data is not None else None


def council_maintainers(base: git.Commit, code: str, register: Register) -> tuple[str, ...]:
    """The council's maintainers in the base commit: the people who may approve a change to it."""
    entry = entry_at(base, f"councils/{register.by_code[code].slug}/council.yml")
    value = (entry.meta or {}).get("maintainers") if entry else None
    return tuple(h for h in as_list(value) if isinstance(h, str))


def commons_maintainers(base: git.Commit) -> tuple[str, ...]:
    """The owners of the `*` line of the base commit's CODEOWNERS (without the @): the commons' maintainers."""
    data = file_at(base, CODEOWNERS, limit=64 * 1024)
    owners: list[str] = []
    for line in (data or b"").decode("utf-8", "replace").splitlines():
        words = line.split("#", 1)[0].split()
        if words and words[0] == "*":
            owners = [w[1:] for w in words[1:] if w.startswith("@") and len(w) > 1]  # the last `*` line wins
    return tuple(dict.fromkeys(owners))


def approvals(base: git.Commit, entries: list[EntryChange], other_files: list[str], register: Register,
              author: str | None) -> tuple[list[Approval], dict[str, tuple[str, ...]]]:
    """The approvals a change needs, and every touched council's maintainers by name.

    Without an author, councils' approvals are not worked out (the owners are shown instead); a change to the
    tooling needs a maintainer of the commons whoever made it.
    """
    codes = list(dict.fromkeys(code for e in entries for code in touched(e, register)))
    maintainers = {code: council_maintainers(base, code, register) for code in codes}
    owners = {register.by_code[c].short_name: maintainers[c] for c in codes}
    out: list[Approval] = []
    me = author.lower() if author is not None else None
    for code in codes if author is not None else []:
        name = register.by_code[code].short_name
        handles = maintainers[code]
        if me not in {h.lower() for h in handles}:
            reason = f"@{author} is not one of its maintainers" if handles else \
                f"{name} has no maintainers in the commons yet, so someone must check that @{author} speaks for it"
            out.append(Approval(name, handles, reason))
        elif _changes_maintainers(entries, code, register):
            others = tuple(h for h in handles if h.lower() != me)
            out.append(Approval(name, others, f"it changes {name}'s maintainers"))
    if other_files:
        others = tuple(h for h in commons_maintainers(base) if h.lower() != me)
        out.append(Approval(COMMONS, others, "it changes the tooling (files outside the content folders)",
                            tuple(other_files)))
    return out, owners


def _changes_maintainers(entries: list[EntryChange], code: str, register: Register) -> bool:
    for e in entries:
        entry = e.entry
        if entry is None or entry.ctype.name != COUNCIL.name or code not in touched(e, register):
            continue
        old = (e.before.meta or {}).get("maintainers") if e.before else None
        new = (e.after.meta or {}).get("maintainers") if e.after else None
        if old != new:
            return True
    return False


def approval_file(approval: Approval, result: PullRequestCheck) -> str:
    """The first changed file the approval is about: where its annotation shows on the pull request."""
    if approval.files:
        return approval.files[0]
    register = result.register
    for e in result.entries:
        if register and approval.council in (register.by_code[c].short_name for c in touched(e, register)):
            return e.change.path
    return result.entries[0].change.path if result.entries else "README.md"
