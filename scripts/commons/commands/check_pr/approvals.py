"""Who must approve a pull request, by rules and names read from the base branch's commit, never the change.

- A council's files (`councils/<slug>/`) belong to its maintainers, the GitHub users its `council.yml` lists;
  entries belong to the councils they name as owners. A change by anyone else needs one of them, and a change
  to a council's maintainers needs another of them.
- Everything outside the content folders (the tooling, workflows, maintainers' pages, data, tests and the
  project's own files) belongs to the maintainers of Council Commons, listed in `MAINTAINERS.yml` (from which
  `commons schema --write` makes the `*` line of `.github/CODEOWNERS`). Any such change needs one of them,
  whoever makes it; so does Declaration history rewritten (an earlier update edited or removed, a commitment
  removed), a change for a council with no maintainers yet, and a council's change of maintainers when it has
  no other maintainer to approve it.

The register, the council files and MAINTAINERS.yml are all read from the base commit, so a pull request can
no more make its author a maintainer than it can change the rules that would approve it. Nobody approves
their own change: the author is never among the handles.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from commons.commands.check_pr.change_rules import history_rewrites
from commons.commands.check_pr.changed_files import file_at
from commons.commands.check_pr.pull_request import COMMONS, COUNCIL_TYPES, Approval, EntryChange, as_list
from commons.content.load import Candidate, RawEntry, candidate_for, parse_entry
from commons.content.maintainers import MAINTAINERS_FILE, MAX_BYTES, parse_maintainers
from commons.content.problems import github_data, github_property
from commons.content.register import Register
from commons.content.schema import CASE_STUDY, COUNCIL, PATTERN, PLAYBOOK

if TYPE_CHECKING:
    import git

    from commons.commands.check_pr.pull_request import PullRequestCheck

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
    """Register codes of the councils a changed file belongs to, before or after the change. A file that cannot
    be read after it still belongs to the councils that owned it before (and a council's files to its folder),
    so breaking a file is no way past its owners."""
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
    """The maintainers of Council Commons in the base commit's MAINTAINERS.yml (GitHub names, without the @).

    Only well-formed entries count; a base commit without the file, or with one that cannot be read, names
    nobody, so what they must approve waits for "a maintainer of Council Commons" rather than passing.
    """
    found, _ = parse_maintainers(file_at(base, MAINTAINERS_FILE, limit=MAX_BYTES))
    return tuple(m.handle for m in found)


def approvals(base: git.Commit, entries: list[EntryChange], other_files: list[str], register: Register,
              author: str | None) -> tuple[list[Approval], dict[str, tuple[str, ...]]]:
    """The approvals a change needs, and every touched council's maintainers by name.

    Without an author, councils' approvals are not worked out (the owners are shown instead); a change to the
    tooling, or to Declaration history, needs a maintainer of the commons whoever made it.
    """
    codes = list(dict.fromkeys(code for e in entries for code in touched(e, register)))
    maintainers = {code: council_maintainers(base, code, register) for code in codes}
    owners = {register.by_code[c].short_name: maintainers[c] for c in codes}
    me = author.lower() if author is not None else None
    commons = tuple(h for h in commons_maintainers(base) if h.lower() != me)
    out: list[Approval] = []
    for code in codes if author is not None else []:
        name = register.by_code[code].short_name
        handles = maintainers[code]
        others = tuple(h for h in handles if h.lower() != me)
        if not handles:
            out.append(Approval(COMMONS, commons, f"{name} has no maintainers in the commons yet, so a maintainer "
                                f"of Council Commons must check that @{author} speaks for it",
                                kind="no-maintainers", about=name))
        elif len(others) == len(handles):
            out.append(Approval(name, handles, f"@{author} is not one of its maintainers"))
        elif _changes_maintainers(entries, code, register):
            out.append(Approval(name, others, f"it changes {name}'s maintainers", kind="maintainers", about=name)
                       if others else
                       Approval(COMMONS, commons, f"it changes {name}'s maintainers, and {name} has no other "
                                "maintainer to approve it", kind="maintainers", about=name))
    if other_files:
        out.append(Approval(COMMONS, commons, "it changes the tooling (files outside the content folders)",
                            tuple(other_files), kind="tooling"))
    rewrites = history_rewrites([e for e in entries if not e.unreadable])  # an unreadable file removes nothing
    if rewrites:
        out.append(Approval(COMMONS, commons, "it rewrites Declaration history",
                            kind="history", found=tuple(rewrites)))
    return out, owners


def _changes_maintainers(entries: list[EntryChange], code: str, register: Register) -> bool:
    for e in entries:
        entry = e.entry
        if entry is None or entry.ctype.name != COUNCIL.name or e.unreadable or code not in touched(e, register):
            continue  # a profile that cannot be read says nothing about its maintainers yet
        old = (e.before.meta or {}).get("maintainers") if e.before else None
        new = (e.after.meta or {}).get("maintainers") if e.after else None
        if old != new:
            return True
    return False


def approval_annotations(approval: Approval, result: PullRequestCheck) -> list[str]:
    """The GitHub annotations of one approval: one on the line of each rewrite it is about, or one on the first
    line of the first file it is about."""
    title = "title=Needs approval"
    if approval.found:
        head = f"needs approval from {approval.who()}: {approval.reason}: "
        return [f"::warning file={github_property(f.path)}" + (f",line={f.line},col={f.col}" if f.line else "")
                + f",{title}::{github_data(head + f.message + ' — hint: ' + f.hint)}" for f in approval.found]
    return [f"::warning file={github_property(approval_file(approval, result))},line=1,{title}::"
            f"{github_data(approval.sentence())}"]


def approval_files(approval: Approval, result: PullRequestCheck) -> list[str]:
    """The changed files an approval is about: the tooling's, each rewrite of history's, or the council's files
    (for a change of maintainers, its profile) that the change touches."""
    if approval.found:
        return list(dict.fromkeys(f.path for f in approval.found))
    if approval.files:
        return list(approval.files)
    register = result.register
    council = approval.about or approval.council
    return [e.change.path for e in result.entries if register is not None
            and (approval.kind != "maintainers" or (e.entry is not None and e.entry.ctype.name == COUNCIL.name))
            and council in (register.by_code[c].short_name for c in touched(e, register))]


def approval_file(approval: Approval, result: PullRequestCheck) -> str:
    """The first changed file the approval is about: where its annotation shows on the pull request."""
    files = approval_files(approval, result)
    if files:
        return files[0]
    return result.entries[0].change.path if result.entries else "README.md"
