"""The git comparison behind `commons check-pr`: what a pull request changes, read from the real repository.

The change is everything from the merge-base of base and head to head, so commits that landed on the base
branch meanwhile are not blamed on the pull request: the entries, the approvals and the summary are about
that. But it is validated as merged onto the base branch's tip, as it will be (`git merge-tree`, with what it
writes kept out of the repository: `gitio.scratch`), so a pattern number another pull request took since, or
a name it now refers to, is caught before both are merged; a change that does not merge cleanly is an
`E-CONFLICT` (and the head is validated on its own). The merge commit GitHub tests (refs/pull/N/merge) can be
given as the head: it already holds the base, so it is its own merge. Checked are: the changed files (their
names, modes and sizes as git records them, in `changed_files.py`); every entry that names something the
change renames or deletes (found with one `git grep` of the merged tree), with the validator; and what only a
change can break (`change_rules.py`). Of two patterns with one number, the one the base branch had first
keeps it (`commands.validate.added_order`).

The pull request's files are only ever read, as data: in CI the code running this is the base branch's, and
`root` is a separate clone of the pull request. Every rule comes from the base commit, never from the change:
who maintains what (`approvals.py`), the register, and the site address the summary links to. So nobody can
make themselves a maintainer, or rewrite the rules, and approve their own change.

Git is reached only through `commons.gitio.repository` (GitPython); a ref or a history that cannot be
compared is a `UsageError`.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from commons import gitio
from commons.commands.check_pr.approvals import approvals, entry_at
from commons.commands.check_pr.change_rules import explain_lost, history_changes, lost_names, renames_without_alias
from commons.commands.check_pr.changed_files import content_paths, file_at, read_diff, referrers, show_path
from commons.commands.check_pr.codeowners_rule import codeowners_rule
from commons.commands.check_pr.pattern_titles import named_patterns, pattern_titles
from commons.commands.check_pr.pull_request import EntryChange, PullRequestCheck, listed
from commons.commands.check_pr.similar_rule import similar_rule
from commons.commands.validate import added_order
from commons.content.load import Candidate, RawEntry, candidate_for, read_entry
from commons.content.problems import Problem
from commons.content.register import REGISTER_FILE, Register, load_register
from commons.content.schema import CONTENT_FOLDERS
from commons.errors import UsageError
from commons.sources.config import LOCK_FILE
from commons.sources.records import sourced_at

if TYPE_CHECKING:
    import git

REGISTER = "data/uk-local-authorities.csv"


def check_pull_request(root: Path, base: str, head: str = "HEAD", author: str | None = None) -> PullRequestCheck:
    """Everything `commons check-pr` reports, for the change from merge-base(base, head) to head.

    `root` is a clone holding both commits; its files are read as data (in CI it is the pull request's own
    checkout, and the code running this is the base branch's). Rules and names come from `base`: its
    register, its councils' maintainers, its CODEOWNERS and its site address. Raises `UsageError` when the
    two cannot be compared: `root` is not a git repository, a ref is unknown, they share no history, or git
    cannot read the head.
    """
    import git

    try:
        repo = gitio.repository(root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise UsageError(f"{root} is not a git repository; check-pr compares two commits") from None
    with repo:
        head_commit = _commit(repo, head, "--head")
        base_commit = _commit(repo, base, "--base")
        try:
            return _check(repo, root, base_commit, head_commit, author, base)
        except git.GitCommandError as e:  # e.g. a head git cannot check out on this system
            message = (e.stderr or str(e)).strip().splitlines()
            raise UsageError(f"git could not read the change: {message[-1] if message else e}") from None
        except gitio.GitFailed as e:
            message = os.fsdecode(e.stderr or b"").strip().splitlines()
            raise UsageError(f"git could not read the change: {message[-1] if message else e}") from None


def _check(repo: git.Repo, root: Path, base: git.Commit, head: git.Commit, author: str | None,
           base_name: str) -> PullRequestCheck:
    from commons.content.validate import validate_repository

    merge_bases = repo.merge_base(base, head)
    if not merge_bases:
        raise UsageError(f"{base.hexsha[:12]} and {head.hexsha[:12]} have no history in common "
                         "(in CI, fetch the base branch's history too: actions/checkout with fetch-depth: 0)")
    start = repo.commit(merge_bases[0])
    diff = read_diff(repo, start.hexsha, head.hexsha)
    register, register_bytes = _base_register(base, root)
    with gitio.scratch(root) as env:
        # The base branch has moved on since the pull request branched: check the two merged, as they will be.
        merge = _merge(env, root, base, head) if start != base else None
        conflicts = [show_path(p) for p in merge.conflicts] if merge else []
        merged = merge.tree if merge and not conflicts else None  # None: the head is what is checked
        with _checkout(env, repo, root, head, merged, register_bytes) as tree:
            entries = [EntryChange(f, entry_at(start, f.old),
                                   entry_at(head, f.new) if merged else _entry_from_disk(tree, f.new))
                       for f in diff.content]
            # A file that cannot be read drops none of its names: what it would keep is not known yet.
            lost = lost_names([e for e in entries if not e.unreadable])
            found = referrers(repo, merged or head.hexsha, list(lost), env) if lost else []
            titles = pattern_titles(repo, tree, merged or head.hexsha, env, named_patterns(entries), entries)
            changed = [f.new for f in diff.content if f.new]
            if merged:  # what the merge changes on the base branch, where the pull request's files ended up
                changed = [p for p in changed if (tree / p).exists() or (tree / p).is_symlink()]
                changed += content_paths(gitio.changed_paths(env, root, base.hexsha, merged))
            # A council without its profile: its commitments are checked for the missing council.yml.
            changed += [f.old.replace("/council.yml", "/declaration.yml") for f in diff.content
                        if f.kind == "deleted" and f.old and f.old.endswith("/council.yml")
                        and (tree / f.old.replace("/council.yml", "/declaration.yml")).is_file()]
            scope = list(dict.fromkeys(changed + found))
            # Councils' own repositories as the base's sources.lock pins them, checked with the change.
            sourced = sourced_at(root, file_at(base, LOCK_FILE), register) if scope else []
            report = validate_repository(tree, scope, added=added_order(root, base.hexsha),
                                         sourced=sourced) if scope else None
            codeowners, tooling = codeowners_rule(base, tree, entries, diff.other)
            similar = similar_rule(tree, entries, register, sourced)  # W-SIMILAR: new entries like existing ones
    problems = (report.problems if report else []) + diff.problems + renames_without_alias(entries) + \
        history_changes(entries) + _conflict(base_name, conflicts) + codeowners + similar
    problems = sorted(set(explain_lost(problems, lost)))
    needed, owners = approvals(base, entries, tooling, register, author)
    return PullRequestCheck(start.hexsha, head.hexsha, author, entries, diff.other, problems,
                            report.files if report else 0, needed, owners, register, _site_url(base), titles)


def _commit(repo: git.Repo, ref: str, option: str) -> git.Commit:
    import git

    try:
        return repo.commit(ref)
    except (git.BadName, git.BadObject, ValueError):
        raise UsageError(f"{option} {ref}: no such branch, tag or commit "
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


def _merge(env: dict[str, str], root: Path, base: git.Commit, head: git.Commit) -> gitio.Merge:
    try:
        return gitio.merge_tree(env, root, base.hexsha, head.hexsha)
    except gitio.GitFailed as e:
        if e.returncode == 129:  # merge-tree without --write-tree: git older than 2.38
            raise UsageError("this git cannot merge without a work tree (git merge-tree --write-tree): check-pr "
                             "needs git 2.38 or later to check the change as merged onto the base") from None
        raise


def _conflict(base_name: str, conflicts: list[str]) -> list[Problem]:
    """The problem a pull request that does not merge cleanly has, on its first conflicting file."""
    if not conflicts:
        return []
    branch = re.sub(r"^(refs/heads/|refs/remotes/[^/]+/|origin/)", "", base_name)
    branch = "the base branch" if not branch or re.fullmatch(r"[0-9a-fA-F]{7,64}", branch) else branch
    return [Problem(conflicts[0], 0, 0, "E-CONFLICT", f"this pull request conflicts with {branch} in "
                    f"{listed(conflicts)}: update the branch",
                    f"bring in what {branch} changed since (GitHub's \"Update branch\" button, or merge it "
                    f"locally) and keep what both sides changed in {'each file' if len(conflicts) > 1 else 'it'}")]


@contextlib.contextmanager
def _checkout(env: dict[str, str], repo: git.Repo, root: Path, head: git.Commit, merged: str | None,
              register: bytes) -> Iterator[Path]:
    """A folder holding what is checked, the merged tree or else the head commit, with the base commit's
    register in it (the validator reads it there).

    That is the repository itself when the head is checked, checked out there, unchanged and with the same
    register (as in CI); otherwise a temporary folder, written through the temporary index of `env`
    (`gitio.scratch`), whose register is replaced by the base commit's. `root` is never written to.
    """
    local = root / REGISTER
    if merged is None and repo.head.is_valid() and repo.head.commit == head and _same_file(local, register) and \
            not gitio.run_with({"GIT_OPTIONAL_LOCKS": "0"}, root, "status", "--porcelain", "--untracked-files=no",
                               "--", *CONTENT_FOLDERS, REGISTER)[1]:
        yield root
        return
    folder = Path(tempfile.mkdtemp(prefix="commons-check-pr-"))
    tree = folder / "head"
    tree.mkdir()
    try:
        gitio.checkout_tree(env, root, merged or head.tree.hexsha, tree)
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
