"""The problems only a change has, found by comparing each changed entry before and after it.

`commons validate` judges files as they are; these rules judge what a pull request does to them:

- a pattern renamed without its old name among its aliases (old links and references would break);
- a reference broken because the change renames or deletes the pattern it names: the validator reports it
  (E-UNKNOWN-REF), and `explain_lost` says which change broke it and how to keep it working;
- Declaration history rewritten (earlier updates changed or removed, commitments deleted): not a problem, but
  a change only a maintainer of Council Commons may approve, so `history_rewrites` locates each one for
  `approvals.py`.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from commons.commands.check_pr.pull_request import EntryChange, Located, as_list, commitments_by_id, pattern_names
from commons.content.problems import Problem
from commons.content.schema import PATTERN


def lost_names(entries: list[EntryChange]) -> dict[str, EntryChange]:
    """Pattern names that exist before the change and not after it, and the change that drops each."""
    kept = set().union(*(pattern_names(e.after) for e in entries)) if entries else set()
    return {name: e for e in entries for name in sorted(pattern_names(e.before)) if name not in kept}


def explain_lost(problems: list[Problem], lost: dict[str, EntryChange]) -> list[Problem]:
    """`problems`, where a reference broken by this change says which change broke it."""
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


def renames_without_alias(entries: list[EntryChange]) -> list[Problem]:
    """E-RENAMED for each pattern whose file is renamed without keeping the old name as an alias."""
    out = []
    for e in entries:
        c, after = e.change, e.after
        if c.kind != "renamed" or after is None or after.ctype.name != PATTERN.name or after.meta is None:
            continue
        old = PurePosixPath(c.old or "").stem
        if old == after.slug or old in pattern_names(after):
            continue
        line, col = after.mark(("aliases",), key=True) if "aliases" in after.meta else (1, 1)
        out.append(Problem(after.path, line, col, "E-RENAMED",
                           f"renamed from {c.old}, but '{old}' is not in aliases",
                           f"add it, so old links and references keep working: aliases: [{old}]"))
    return out


def history_changes(entries: list[EntryChange]) -> list[Problem]:
    """Problems a change to Declaration history has: none. A rewrite is not a problem to fix but a change a
    maintainer of the commons must approve (`history_rewrites`, read by `approvals.py`)."""
    return []


def history_rewrites(entries: list[EntryChange]) -> list[Located]:
    """Earlier Declaration updates edited or removed, and commitments deleted, each on its line: history is
    added to, never rewritten, unless a maintainer of Council Commons approves."""
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
                out.append(Located(path, line, col, f"commitment '{cid}' is removed, with its {updates} "
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
                out.append(Located(path, line, col, f"the update of {date} to commitment '{cid}' is {what}",
                                   "leave earlier updates as they were and add a new dated update"))
                break
    return out
