"""Making the plan: which files name the old council, and what each of them becomes.

Only files that mention the old code are parsed. The old council's folder moves to (or merges into) the first
successor's: declaration.py plans its declaration.yml, profile.py its council.yml, and any other file in it
moves as it is. Every other entry that names the old council has its references rewritten (references.py).
Nothing is written here; a file that cannot be read, or a folder that cannot be moved safely, stops the
command with a `CommonsError`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from commons.commands.reorganise.declaration import plan_declaration
from commons.commands.reorganise.plan import Change, Plan
from commons.commands.reorganise.profile import plan_council
from commons.commands.reorganise.references import reference_edits
from commons.commands.reorganise.successors import label, replacement_story, resolve_councils
from commons.content.load import discover, read_entry
from commons.content.register import load_register
from commons.content.yamledit import Doc, apply_edits, read_doc
from commons.errors import CommonsError


def _today() -> dt.date:
    """The date of the history updates (a function, so tests can fix it)."""
    return dt.date.today()


def make_plan(root: Path, old_text: str, into: list[str] | None, keep_maintainers: bool = False) -> Plan:
    """Everything `commons reorganise OLD --into NEW...` would change, worked out in memory; nothing is written.

    The old council's maintainers are carried over to the successor's profile only with `keep_maintainers`.

    Raises UsageError when OLD or --into does not fit the register, CommonsError when the content stops it.
    """
    register = load_register(root / "data" / "uk-local-authorities.csv")
    old, news = resolve_councils(register, old_text, into)
    target = news[0]
    codes = [n.code for n in news]
    summary = replacement_story(register, old) + "."
    if len(news) > 1:
        summary += (f"\nIts folder and commitments go to {label(target)}, the first given; references to it go "
                    f"to {' and '.join(label(n) for n in news)} in lists, to {label(target)} where there is one.")
    token = _token(old.code)
    candidates = {c.path: c for c in discover(root)[0]}
    docs: dict[str, Doc] = {}

    def load(path: str, must: bool) -> None:
        cand = candidates.get(path)
        if cand is None or path in docs:
            return
        try:
            raw = (root / path).read_bytes().decode("utf-8", "replace")
        except OSError:
            raw = ""
        if not must and not token.search(raw):
            return  # cannot refer to the old council: not worth parsing
        entry, _ = read_entry(root, cand)
        if entry is None or entry.meta is None or entry.node is None:
            if must or token.search(raw):
                raise CommonsError(f"{path} cannot be read", f"fix it first: commons validate {path}")
            return
        docs[path] = read_doc(root, path, entry)

    for path in candidates:
        load(path, must=False)
    folders = {d.entry.folder for d in docs.values()
               if d.entry.ctype.name == "council" and (d.entry.meta or {}).get("code") == old.code}
    if len(folders) > 1:
        raise CommonsError(" and ".join(f"councils/{f}/" for f in sorted(folders)) + f" all say they are "
                           f"{old.code}", "keep one folder, then run the command again")
    old_folder = folders.pop() if folders else old.slug if (root / "councils" / old.slug).is_dir() else ""
    for folder in (old_folder, target.slug) if old_folder else ():
        for name in ("council.yml", "declaration.yml"):
            load(f"councils/{folder}/{name}", must=True)
    plan = Plan(register, old, news, summary, today=_today(), keep_maintainers=keep_maintainers)
    moving = _folder_changes(root, plan, docs, old_folder) if old_folder else set()
    for path, doc in sorted(docs.items()):
        if path in moving:
            continue
        edits = reference_edits(doc, old.code, codes)
        if edits:
            text, notes = apply_edits(doc, edits)
            plan.changes.append(Change(path, doc.written(text), notes=notes))
    # Moves first, then what was merged away, then edits; each in path order.
    plan.changes.sort(key=lambda c: (0 if c.source and c.text is not None else 1 if c.text is None else 2,
                                     c.source or c.path))
    if not plan.changes:
        plan.summary += f"\nNothing to do: there is no councils/{old.slug}/ folder and no entry refers to {old.code}."
    return plan


def _token(code: str) -> re.Pattern[str]:
    """The code as a word of its own, not part of a longer code or name (TAUX, NIR-TAU)."""
    return re.compile(rf"(?<![A-Za-z0-9-]){re.escape(code)}(?![A-Za-z0-9-])")


def _folder_changes(root: Path, plan: Plan, docs: dict[str, Doc], old_folder: str) -> set[str]:
    """Plan the move of councils/<old>/ into the first successor's folder; the paths it takes care of."""
    old, target = plan.old, plan.into[0]
    codes = [n.code for n in plan.into]
    src, dst = f"councils/{old_folder}", f"councils/{target.slug}"
    old_council, old_decl = docs.get(f"{src}/council.yml"), docs.get(f"{src}/declaration.yml")
    new_council = docs.get(f"{dst}/council.yml") if dst != src else None
    new_decl = docs.get(f"{dst}/declaration.yml") if dst != src else None
    if old_decl is not None:
        plan_declaration(plan, old_decl, new_decl, f"{dst}/declaration.yml")
    elif new_decl is not None:
        # The successor's own commitments: a partner that is now the successor itself goes.
        edits = reference_edits(new_decl, old.code, codes, owner=target.code)
        if edits:
            text, notes = apply_edits(new_decl, edits)
            plan.changes.append(Change(new_decl.path, new_decl.written(text), notes=notes))
    if old_council is not None:
        plan_council(plan, old_council, new_council, f"{dst}/council.yml")
    for entry in sorted((root / src).iterdir()) if dst != src else []:
        if entry.name in ("council.yml", "declaration.yml"):
            continue
        if entry.is_symlink() or not entry.is_file():
            raise CommonsError(f"{src}/{entry.name} is not a file", "remove it, then run the command again")
        if (root / dst / entry.name).exists():
            raise CommonsError(f"both {src}/ and {dst}/ have {entry.name}",
                               f"merge {src}/{entry.name} into {dst}/{entry.name} by hand and remove it first")
        try:
            text = (root / src / entry.name).read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise CommonsError(f"{src}/{entry.name} is not a text file", "move it by hand") from None
        plan.changes.append(Change(f"{dst}/{entry.name}", text, source=f"{src}/{entry.name}"))
    return {f"{src}/council.yml", f"{src}/declaration.yml", f"{dst}/council.yml", f"{dst}/declaration.yml"}
