"""`commons check-pr`: what a pull request changes, whether it is valid, and whose approval it needs.

Reads the real repository with GitPython. The change is everything from the merge-base of base and head to
head, so commits that landed on the base branch meanwhile are not blamed on the pull request. Checked are:
the changed files (their names, modes and sizes as git records them, in `changed_files.py`); every entry that
names something the change renames or deletes (found with one `git grep` of the head commit); and, for
renames, that the old name is kept as an alias.

The pull request's files are only ever read, as data: in CI the code running this is the base branch's, and
`--root` is a separate clone of the pull request. Every rule comes from the base commit, never from the change
(`approvals.py`): who maintains each council, who maintains the commons (CODEOWNERS), the register, and the site
address the summary links to. So nobody can make themselves a maintainer, or rewrite the rules, and approve
their own change. The plain-English summary is written by `changes_summary.py`.
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

from commons.commands.check_pr.approvals import Approval, approvals, as_list, entry_at, owners_of, touched
from commons.commands.check_pr.changed_files import FileChange, file_at, read_diff, referrers
from commons.content.load import Candidate, RawEntry, candidate_for, read_entry
from commons.content.problems import Problem, format_github, format_text, github_data, github_property, summary_line
from commons.content.register import REGISTER_FILE, Register, load_register
from commons.content.schema import CONTENT_FOLDERS

if TYPE_CHECKING:
    import git

__all__ = ["Approval", "EntryChange", "FileChange", "PullRequestCheck", "as_list", "check_pull_request",
           "commitments_by_id", "owners_of", "pattern_names"]

HELP = "check a pull request: problems, approvals needed, and what will change on the site"
DESCRIPTION = (
    "Compare HEAD (or --head) with the merge-base of --base and report, for the changed files and every entry "
    "that refers to what they rename or delete: every problem (as `commons validate` does, and file names, "
    "submodules, links and sizes as git records them), whose approval the change needs (files of a council belong "
    "to its maintainers; entries to the councils that own them; everything outside the content folders, the "
    "tooling, to the maintainers of the commons in .github/CODEOWNERS), and a plain-English summary of what will "
    "change on the site. Rules come from the base commit. --root DIR checks another clone, read as data. Exit 0 "
    "when it can be merged, 1 on errors, 2 on usage errors, 3 when it is valid but needs approval."
)

REGISTER = "data/uk-local-authorities.csv"
# --root may be a pull request's clone whose register is changed or gone: the base commit's is used (cli.py).
ROOT_MAY_BE_ANY_CLONE = True


class CheckError(Exception):
    """The refs cannot be compared (unknown ref, no common history, not a git repository)."""


@dataclass
class EntryChange:
    """One changed content file, parsed on both sides (None where it does not exist or cannot be read)."""

    change: FileChange
    before: RawEntry | None
    after: RawEntry | None

    @property
    def entry(self) -> RawEntry | None:
        return self.after or self.before


@dataclass
class PullRequestCheck:
    base: str  # the merge-base commit
    head: str  # the head commit
    author: str | None
    entries: list[EntryChange]
    other_files: list[str]  # changed files outside the content folders: the tooling
    problems: list[Problem]
    checked: int  # files validated
    approvals: list[Approval]
    owners: dict[str, tuple[str, ...]] = field(default_factory=dict)  # council name -> maintainers, all touched
    register: Register | None = None  # the base commit's
    site_url: str = ""  # the published site, from the base commit's mkdocs.yml (where the problem codes are)

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
    from commons.commands.check_pr.summary import markdown_summary
    from commons.errors import EXIT_NEEDS_APPROVAL, EXIT_OK, EXIT_PROBLEMS, UsageError

    try:
        result = check_pull_request(root, args.base, args.head, args.author)
    except CheckError as e:
        raise UsageError(str(e)) from None
    summary = markdown_summary(result, result.site_url)
    if args.summary:
        Path(args.summary).write_text(summary, encoding="utf-8")
    if args.format == "github":
        lines = [format_github(result.problems)] if result.problems else []
        lines += [f"::warning file={github_property(_approval_file(result, a))},line=1,title=Needs approval::"
                  f"{github_data(a.sentence())}" for a in result.approvals]
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


def _approval_file(result: PullRequestCheck, approval: Approval) -> str:
    """The first changed file the approval is about, where the annotation shows."""
    if approval.files:
        return approval.files[0]
    register = result.register
    for e in result.entries:
        if register and approval.council in (register.by_code[c].short_name for c in touched(e, register)):
            return e.change.path
    return result.entries[0].change.path if result.entries else "README.md"


# ---------------------------------------------------------------------------------------------------------
# Reading the change


def check_pull_request(root: Path, base: str, head: str = "HEAD", author: str | None = None) -> PullRequestCheck:
    """Everything `commons check-pr` reports, for the change from merge-base(base, head) to head.

    `root` is a clone holding both commits; its files are read as data (in CI it is the pull request's own
    checkout, and the code running this is the base branch's). Rules and names come from `base`: its
    register, its councils' maintainers, its CODEOWNERS and its site address.
    """
    import git

    try:
        repo = git.Repo(root, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise CheckError(f"{root} is not a git repository; check-pr compares two commits") from None
    with repo:
        head_commit = _commit(repo, head, "--head")
        base_commit = _commit(repo, base, "--base")
        try:
            return _check(repo, root, base_commit, head_commit, author)
        except git.GitCommandError as e:  # e.g. a head git cannot check out on this system
            message = (e.stderr or str(e)).strip().splitlines()
            raise CheckError(f"git could not read the change: {message[-1] if message else e}") from None


def _check(repo: git.Repo, root: Path, base: git.Commit, head: git.Commit, author: str | None) -> PullRequestCheck:
    from commons.content.validate import validate_repository

    merge_bases = repo.merge_base(base, head)
    if not merge_bases:
        raise CheckError(f"{base.hexsha[:12]} and {head.hexsha[:12]} have no history in common "
                         "(in CI, fetch the base branch's history too: actions/checkout with fetch-depth: 0)")
    start = repo.commit(merge_bases[0])
    diff = read_diff(repo, start.hexsha, head.hexsha)
    register, register_bytes = _base_register(base, root)
    with _checkout(repo, root, head, register_bytes) as tree:
        entries = [EntryChange(f, entry_at(start, f.old), _entry_from_disk(tree, f.new)) for f in diff.content]
        lost = _lost_names(entries)
        found = referrers(repo, head.hexsha, list(lost)) if lost else []
        changed = [f.new for f in diff.content if f.new]
        # A council without its profile: its commitments are checked for the missing council.yml.
        changed += [f.old.replace("/council.yml", "/declaration.yml") for f in diff.content
                    if f.kind == "deleted" and f.old and f.old.endswith("/council.yml")
                    and (tree / f.old.replace("/council.yml", "/declaration.yml")).is_file()]
        scope = list(dict.fromkeys(changed + found))
        report = validate_repository(tree, scope) if scope else None
    problems = (report.problems if report else []) + diff.problems + _renames_without_alias(entries) + \
        _history_changes(entries)
    problems = sorted(set(_explain_lost(problems, lost)))
    needed, owners = approvals(base, entries, diff.other, register, author)
    return PullRequestCheck(start.hexsha, head.hexsha, author, entries, diff.other, problems,
                            report.files if report else 0, needed, owners, register, _site_url(base))


def _commit(repo: git.Repo, ref: str, option: str) -> git.Commit:
    import git

    try:
        return repo.commit(ref)
    except (git.BadName, git.BadObject, ValueError):
        raise CheckError(f"{option} {ref}: no such branch, tag or commit "
                         "(in CI, fetch the full history: actions/checkout with fetch-depth: 0)") from None


def _base_register(base: git.Commit, root: Path) -> tuple[Register, bytes]:
    """The register as the base commit has it, and its bytes: it says which folder is whose, and the head is
    validated against it. The pull request's copy, if it changes one, is never used."""
    data = file_at(base, REGISTER)
    if data is None:  # a commit from before the register was shipped: the tooling's own
        return load_register(), REGISTER_FILE.read_bytes()
    if _same_file(root / REGISTER, data):
        return load_register(root / REGISTER), data
    with tempfile.TemporaryDirectory(prefix="commons-register-") as folder:
        copy = Path(folder) / "uk-local-authorities.csv"
        copy.write_bytes(data)
        return load_register(copy), data


def _site_url(base: git.Commit) -> str:
    """The published site's address, from the base commit's mkdocs.yml (where the error-code pages are)."""
    import yaml

    data = file_at(base, "mkdocs.yml", limit=256 * 1024)
    try:
        config = yaml.safe_load(data.decode("utf-8")) if data else None
    except (UnicodeDecodeError, yaml.YAMLError):
        return ""
    url = config.get("site_url") if isinstance(config, dict) else None
    return url.rstrip("/") + "/" if isinstance(url, str) and url.startswith("https://") else ""


@contextlib.contextmanager
def _checkout(repo: git.Repo, root: Path, head: git.Commit, register: bytes) -> Iterator[Path]:
    """A folder holding the head commit, with the base commit's register in it (the validator reads it there).

    That is the repository itself when head is checked out, unchanged and has the same register (as in CI);
    otherwise a temporary worktree, whose register is replaced by the base commit's.
    """
    local = root / REGISTER
    if repo.head.is_valid() and repo.head.commit == head and _same_file(local, register) and \
            not repo.git.status("--porcelain", "--untracked-files=no", "--", *CONTENT_FOLDERS, REGISTER):
        yield root
        return
    folder = Path(tempfile.mkdtemp(prefix="commons-check-pr-"))
    tree = folder / "head"
    repo.git.worktree("add", "--detach", "--quiet", str(tree), head.hexsha)
    try:
        copy = tree / REGISTER
        if copy.is_dir() and not copy.is_symlink():
            shutil.rmtree(copy)
        elif copy.exists() or copy.is_symlink():
            copy.unlink()
        if copy.parent.is_symlink() or not copy.parent.is_dir():  # data/ itself replaced by something else
            if copy.parent.exists() or copy.parent.is_symlink():
                copy.parent.unlink()
            copy.parent.mkdir()
        copy.write_bytes(register)
        yield tree
    finally:
        repo.git.worktree("remove", "--force", str(tree))
        shutil.rmtree(folder, ignore_errors=True)


def _same_file(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.read_bytes() == data
    except OSError:
        return False


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


def commitments_by_id(entry: RawEntry | None) -> dict[str, tuple[int, dict[str, Any]]]:
    """A declaration's commitments by id, with their positions."""
    if entry is None or entry.ctype.name != "commitment" or not isinstance(entry.meta, dict):
        return {}
    out: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, c in enumerate(as_list(entry.meta.get("commitments"))):
        if isinstance(c, dict) and isinstance(c.get("id"), str):
            out.setdefault(c["id"], (i, c))
    return out
