"""`commons check-pr`: what a pull request changes, whether it is valid, and whose approval it needs.

Reads the real repository with GitPython. The change is everything from the merge-base of base and head to
head, so commits that landed on the base branch meanwhile are not blamed on the pull request. Checked are:
the changed files; every entry that names something the change renames or deletes (found with one
`git grep` of the head commit); and, for renames, that the old name is kept as an alias. Ownership comes from
the base commit, never from the change itself, so nobody can make themselves a maintainer and approve their
own change. The plain-English summary is written by `changes_summary.py`.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from .load import Candidate, RawEntry, candidate_for, parse_entry, read_entry
from .problems import Problem, format_github, format_text, summary_line
from .register import Register, load_register
from .schema import CONTENT_FOLDERS

if TYPE_CHECKING:
    import git

HELP = "check a pull request: problems, approvals needed, and what will change on the site"
DESCRIPTION = (
    "Compare HEAD (or --head) with the merge-base of --base and report, for the changed files and every entry "
    "that refers to what they rename or delete: every problem (as `commons validate` does), whose approval the "
    "change needs (files of a council belong to its maintainers; entries to the councils that own them), and a "
    "plain-English summary of what will change on the site. Exit 0 when it can be merged, 1 on errors, 2 on "
    "usage errors, 3 when it is valid but needs approval from a council's maintainers."
)

# The field naming the councils that own and review an entry, by type. Council files belong to their folder.
OWNER_FIELDS = {"pattern": "councils", "case-study": "council", "playbook": "councils"}
COUNCIL_TYPES = ("council", "commitment")  # council.yml, declaration.yml


class CheckError(Exception):
    """The refs cannot be compared (unknown ref, no common history, not a git repository)."""


@dataclass(frozen=True)
class FileChange:
    kind: str  # "added", "modified", "deleted" or "renamed"
    old: str | None  # the path at the merge-base; None when added
    new: str | None  # the path at head; None when deleted

    @property
    def path(self) -> str:
        return self.new or self.old or ""


@dataclass
class EntryChange:
    """One changed content file, parsed on both sides (None where it does not exist or cannot be read)."""

    change: FileChange
    before: RawEntry | None
    after: RawEntry | None

    @property
    def entry(self) -> RawEntry | None:
        return self.after or self.before


@dataclass(frozen=True)
class Approval:
    council: str  # the council's name
    handles: tuple[str, ...]  # who can approve; empty: a maintainer of Council Commons
    reason: str

    def sentence(self) -> str:
        who = " or ".join(f"@{h}" for h in self.handles) if self.handles else "a maintainer of Council Commons"
        whose = f" (maintainers of {self.council})" if self.handles else ""
        return f"needs approval from {who}{whose}: {self.reason}"


@dataclass
class PullRequestCheck:
    base: str  # the merge-base commit
    head: str  # the head commit
    author: str | None
    entries: list[EntryChange]
    other_files: list[str]  # changed files outside the content folders
    problems: list[Problem]
    checked: int  # files validated
    approvals: list[Approval]
    owners: dict[str, tuple[str, ...]] = field(default_factory=dict)  # council name -> maintainers, all touched
    register: Register | None = None

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)


# ---------------------------------------------------------------------------------------------------------
# The command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", required=True, help="the branch the pull request goes into, e.g. origin/main")
    parser.add_argument("--head", default="HEAD", help="the pull request's commit (default: HEAD)")
    parser.add_argument("--author", help="the pull request author's GitHub name, to check ownership")
    parser.add_argument("--format", choices=("text", "github"), default="text",
                        help="text (default) or GitHub Actions annotations on the changed lines")
    parser.add_argument("--summary", metavar="FILE",
                        help="also write the plain-English Markdown summary to FILE (for a pull-request comment)")


def command(args: argparse.Namespace, root: Path) -> int:
    from .changes_summary import markdown_summary
    from .cli import EXIT_NEEDS_APPROVAL, EXIT_OK, EXIT_PROBLEMS, UsageError

    try:
        result = check_pull_request(root, args.base, args.head, args.author)
    except CheckError as e:
        raise UsageError(str(e)) from None
    summary = markdown_summary(result, _site_url(root))
    if args.summary:
        Path(args.summary).write_text(summary, encoding="utf-8")
    if args.format == "github":
        lines = [format_github(result.problems)] if result.problems else []
        lines += [f"::warning file={_approval_file(result, a)},line=1,title=Needs approval::{a.sentence()}"
                  for a in result.approvals]
        if lines:
            print("\n".join(lines))
        print(summary_line(result.problems, result.checked))
    else:
        print(summary, end="")
        if result.problems:
            print()
            print(format_text(result.problems))
        print(summary_line(result.problems, result.checked))
    if result.errors:
        return EXIT_PROBLEMS
    return EXIT_NEEDS_APPROVAL if result.approvals else EXIT_OK


def _site_url(root: Path) -> str:
    """The published site's address, from mkdocs.yml (where the error-code pages are)."""
    import yaml

    try:
        config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return ""
    url = config.get("site_url") if isinstance(config, dict) else None
    return url.rstrip("/") + "/" if isinstance(url, str) and url else ""


def _approval_file(result: PullRequestCheck, approval: Approval) -> str:
    """The first changed file that belongs to the council, where the annotation shows."""
    register = result.register
    for e in result.entries:
        if register and approval.council in (register.by_code[c].short_name for c in _touched(e, register)):
            return e.change.path
    return result.entries[0].change.path if result.entries else "README.md"


# ---------------------------------------------------------------------------------------------------------
# Reading the change


def check_pull_request(root: Path, base: str, head: str = "HEAD", author: str | None = None) -> PullRequestCheck:
    """Everything `commons check-pr` reports, for the change from merge-base(base, head) to head."""
    import git

    from .validate import validate_repository

    try:
        repo = git.Repo(root, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise CheckError(f"{root} is not a git repository; check-pr compares two commits") from None
    with repo:
        head_commit = _commit(repo, head, "--head")
        base_commit = _commit(repo, base, "--base")
        merge_bases = repo.merge_base(base_commit, head_commit)
        if not merge_bases:
            raise CheckError(f"{base} and {head} have no history in common")
        start = repo.commit(merge_bases[0])
        files, other_files = _changed_files(repo, start.hexsha, head_commit.hexsha)
        register = load_register(root / "data" / "uk-local-authorities.csv")
        with _checkout(repo, root, head_commit) as tree:
            entries = [EntryChange(f, _entry_at(start, f.old), _entry_from_disk(tree, f.new)) for f in files]
            lost = _lost_names(entries)
            referrers = _referrers(repo, head_commit.hexsha, lost) if lost else []
            changed = [f.new for f in files if f.new]
            # A council without its profile: its commitments are checked for the missing council.yml.
            changed += [f.old.replace("/council.yml", "/declaration.yml") for f in files
                        if f.kind == "deleted" and f.old and f.old.endswith("/council.yml")
                        and (tree / f.old.replace("/council.yml", "/declaration.yml")).is_file()]
            scope = list(dict.fromkeys(changed + referrers))
            report = validate_repository(tree, scope) if scope else None
        problems = (report.problems if report else []) + _renames_without_alias(entries) + _history_changes(entries)
        problems = sorted(set(_explain_lost(problems, lost)))
        approvals, owners = _approvals(start, entries, register, author)
        return PullRequestCheck(start.hexsha, head_commit.hexsha, author, entries, other_files, problems,
                                report.files if report else 0, approvals, owners, register)


def _commit(repo: git.Repo, ref: str, option: str) -> git.Commit:
    import git

    try:
        return repo.commit(ref)
    except (git.BadName, git.BadObject, ValueError):
        raise CheckError(f"{option} {ref}: no such branch, tag or commit "
                         "(in CI, fetch the full history: actions/checkout with fetch-depth: 0)") from None


def _changed_files(repo: git.Repo, start: str, head: str) -> tuple[list[FileChange], list[str]]:
    """Content files changed from `start` to `head` (renames detected), and every other changed path."""
    raw = repo.git.diff("--name-status", "-z", "-M", "--no-color", "--no-ext-diff", start, head)
    parts = raw.split("\0")
    content: list[FileChange] = []
    other: list[str] = []
    i = 0
    while i < len(parts) and parts[i]:
        status = parts[i][0]
        if status in "RC":
            old, new = parts[i + 1], parts[i + 2]
            change = FileChange("renamed", old, new) if status == "R" else FileChange("added", None, new)
            i += 3
        else:
            path = parts[i + 1]
            kind = {"A": "added", "D": "deleted"}.get(status, "modified")
            change = FileChange(kind, None if kind == "added" else path, None if kind == "deleted" else path)
            i += 2
        if any(p and p.split("/", 1)[0] in CONTENT_FOLDERS for p in (change.old, change.new)):
            content.append(change)
        else:
            other.append(change.path)
    return sorted(content, key=lambda c: c.path), sorted(other)


@contextlib.contextmanager
def _checkout(repo: git.Repo, root: Path, head: git.Commit) -> Iterator[Path]:
    """A folder holding the head commit: the repository itself when head is checked out and unchanged (as in
    CI), otherwise a temporary worktree."""
    if repo.head.is_valid() and repo.head.commit == head and \
            not repo.git.status("--porcelain", "--untracked-files=no", "--", *CONTENT_FOLDERS):
        yield root
        return
    folder = Path(tempfile.mkdtemp(prefix="commons-check-pr-"))
    tree = folder / "head"
    repo.git.worktree("add", "--detach", "--quiet", str(tree), head.hexsha)
    try:
        if not (tree / "data" / "uk-local-authorities.csv").is_file():  # an old commit: use today's register
            (tree / "data").mkdir(exist_ok=True)
            shutil.copy(root / "data" / "uk-local-authorities.csv", tree / "data" / "uk-local-authorities.csv")
        yield tree
    finally:
        repo.git.worktree("remove", "--force", str(tree))
        shutil.rmtree(folder, ignore_errors=True)


def _candidate(path: str) -> Candidate | None:
    # Only the path's shape matters here; a folder that does not exist anywhere is not a symlink.
    cand = candidate_for(Path("/nonexistent"), path)
    return cand if isinstance(cand, Candidate) else None


def _entry_at(commit: git.Commit, path: str | None) -> RawEntry | None:
    cand = _candidate(path) if path else None
    if cand is None or path is None:
        return None
    try:
        blob = commit.tree / path
    except KeyError:
        return None
    if blob.type != "blob" or blob.mode & 0o170000 == 0o120000:  # a symlink has no entry to compare
        return None
    entry, _ = parse_entry(cand, blob.data_stream.read())
    return entry


def _entry_from_disk(tree: Path, path: str | None) -> RawEntry | None:
    cand = candidate_for(tree, path) if path else None
    if not isinstance(cand, Candidate):
        return None
    entry, _ = read_entry(tree, cand)
    return entry


def pattern_names(entry: RawEntry | None) -> set[str]:
    """The names other entries can use for a pattern: its slug and its aliases."""
    if entry is None or entry.ctype.name != "pattern":
        return set()
    aliases = (entry.meta or {}).get("aliases")
    return {entry.slug} | {a for a in aliases if isinstance(a, str)} if isinstance(aliases, list) else {entry.slug}


def _lost_names(entries: list[EntryChange]) -> dict[str, EntryChange]:
    """Pattern names that exist before the change and not after it, and the change that drops each."""
    kept = set().union(*(pattern_names(e.after) for e in entries)) if entries else set()
    return {name: e for e in entries for name in sorted(pattern_names(e.before)) if name not in kept}


def _referrers(repo: git.Repo, head: str, names: dict[str, EntryChange]) -> list[str]:
    """Content files at `head` that mention any of `names` as a word: one `git grep` of the commit."""
    import git

    args = ["-l", "-F", "-w", "--no-color"]
    for name in names:
        args += ["-e", name]
    try:
        out = repo.git.grep(*args, head, "--", *CONTENT_FOLDERS)
    except git.GitCommandError as e:
        if e.status == 1:  # nothing found
            return []
        raise
    prefix = head + ":"
    return [line[len(prefix):] if line.startswith(prefix) else line for line in out.splitlines()]


def _explain_lost(problems: list[Problem], lost: dict[str, EntryChange]) -> list[Problem]:
    """A reference broken by this change says which change broke it."""
    out = []
    for p in problems:
        name = p.message.removeprefix("there is no pattern '").removesuffix("'")
        e = lost.get(name) if p.code == "E-UNKNOWN-REF" and p.message.startswith("there is no pattern") else None
        if e is not None:
            what = f"renames {e.change.old} to {e.change.new}" if e.change.kind == "renamed" else \
                f"{'deletes' if e.change.kind == 'deleted' else 'changes'} {e.change.old}"
            fix = f"keep '{name}' in the aliases of {e.change.new}" if e.change.new else "keep the pattern"
            p = Problem(p.path, p.line, p.col, p.code, p.message,
                        f"this pull request {what}; {fix}, or change this reference")
        out.append(p)
    return out


def _renames_without_alias(entries: list[EntryChange]) -> list[Problem]:
    out = []
    for e in entries:
        c, after = e.change, e.after
        if c.kind != "renamed" or after is None or after.ctype.name != "pattern" or after.meta is None:
            continue
        old = PurePosixPath(c.old or "").stem
        if old == after.slug or old in pattern_names(after):
            continue
        line, col = after.mark(("aliases",), key=True) if "aliases" in after.meta else (1, 1)
        out.append(Problem(after.path, line, col, "E-RENAMED",
                           f"renamed from {c.old}, but '{old}' is not in aliases",
                           f"add it, so old links and references keep working: aliases: [{old}]"))
    return out


def _history_changes(entries: list[EntryChange]) -> list[Problem]:
    """Earlier Declaration updates edited or removed, and commitments deleted: history is added to, never lost."""
    out = []
    for e in entries:
        before = commitments_by_id(e.before)
        if not before:
            continue
        after_entry = e.after
        after = commitments_by_id(after_entry)
        path = after_entry.path if after_entry else e.change.path
        for cid, (_, old) in before.items():
            if cid not in after:
                line, col = after_entry.mark(("commitments",), key=True) if after_entry else (0, 0)
                updates = len(as_list(old.get("history")))
                out.append(Problem(path, line, col, "W-HISTORY-CHANGED",
                                   f"commitment '{cid}' is removed, with its {updates} "
                                   f"update{'' if updates == 1 else 's'}",
                                   "keep it and add an update with status: stopped, saying why"))
                continue
            j, new = after[cid]
            old_history, new_history = as_list(old.get("history")), as_list(new.get("history"))
            for k, update in enumerate(old_history):
                if k < len(new_history) and new_history[k] == update:
                    continue
                where: tuple[str | int, ...] = ("commitments", j, "history", min(k, max(len(new_history) - 1, 0)))
                line, col = after_entry.mark(where) if after_entry else (0, 0)
                date = update.get("date") if isinstance(update, dict) else None
                what = "changed" if k < len(new_history) else "removed"
                out.append(Problem(path, line, col, "W-HISTORY-CHANGED",
                                   f"the update of {date} to commitment '{cid}' is {what}",
                                   "leave earlier updates as they were and add a new dated update"))
                break
    return out


def as_list(value: Any) -> list[Any]:
    """A field's value if it is a list, else no items (content is checked elsewhere; this only reads it)."""
    return value if isinstance(value, list) else []


def commitments_by_id(entry: RawEntry | None) -> dict[str, tuple[int, dict[str, Any]]]:
    """A declaration's commitments by id, with their positions."""
    if entry is None or entry.ctype.name != "commitment" or not isinstance(entry.meta, dict):
        return {}
    out: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, c in enumerate(as_list(entry.meta.get("commitments"))):
        if isinstance(c, dict) and isinstance(c.get("id"), str):
            out.setdefault(c["id"], (i, c))
    return out


# ---------------------------------------------------------------------------------------------------------
# Ownership


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


def _touched(e: EntryChange, register: Register) -> list[str]:
    return list(dict.fromkeys(owners_of(e.before, register) + owners_of(e.after, register)))


def _maintainers(start: git.Commit, code: str, register: Register) -> tuple[str, ...]:
    """The council's maintainers at the merge-base: the people who may approve a change to it."""
    a = register.by_code[code]
    entry = _entry_at(start, f"councils/{a.slug}/council.yml")
    value = (entry.meta or {}).get("maintainers") if entry else None
    return tuple(h for h in as_list(value) if isinstance(h, str))


def _approvals(start: git.Commit, entries: list[EntryChange], register: Register,
               author: str | None) -> tuple[list[Approval], dict[str, tuple[str, ...]]]:
    touched = list(dict.fromkeys(code for e in entries for code in _touched(e, register)))
    maintainers = {code: _maintainers(start, code, register) for code in touched}
    owners = {register.by_code[c].short_name: maintainers[c] for c in touched}
    if author is None:
        return [], owners
    me = author.lower()
    approvals = []
    for code in touched:
        name = register.by_code[code].short_name
        handles = maintainers[code]
        if me not in (h.lower() for h in handles):
            reason = f"@{author} is not one of its maintainers" if handles else \
                f"{name} has no maintainers in the commons yet, so someone must check that @{author} speaks for it"
            approvals.append(Approval(name, handles, reason))
        elif _changes_maintainers(entries, code, register):
            others = tuple(h for h in handles if h.lower() != me)
            approvals.append(Approval(name, others, f"it changes {name}'s maintainers"))
    return approvals, owners


def _changes_maintainers(entries: list[EntryChange], code: str, register: Register) -> bool:
    for e in entries:
        entry = e.entry
        if entry is None or entry.ctype.name != "council" or code not in _touched(e, register):
            continue
        old = (e.before.meta or {}).get("maintainers") if e.before else None
        new = (e.after.meta or {}).get("maintainers") if e.after else None
        if old != new:
            return True
    return False
