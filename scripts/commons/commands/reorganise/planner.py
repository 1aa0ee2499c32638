"""`commons reorganise OLD --into NEW...`: an abolished council's folder and references, moved to its successor.

The whole change is planned in memory first: which files move, and each edit as a span of the file's own
text, located by the loader's YAML marks. Nothing is ever re-dumped, so comments, quoting, ordering and
every line not about the old council stay byte for byte as the councils wrote them (line endings and a
byte-order mark included). The plan is applied to a copy of the repository and validated there; only a
clean result is written, with `git mv` when the root is in a git repository so history follows the files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from commons.content.field_types import Field
from commons.content.load import RawEntry, discover, read_entry
from commons.content.problems import Problem, format_text
from commons.content.register import Authority, Register, load_register
from commons.content.schema import CONTENT_FOLDERS, SLUG_MAX
from commons.content.values import slugify
from commons.content.yaml_reader import FieldPath
from commons.content.yamledit import (
    Doc,
    Edit,
    append_to_list,
    apply_edits,
    block_scalar,
    child,
    dash_column,
    flow_mapping,
    flow_scalar,
    indentation,
    item_end,
    item_rows,
    items,
    key_of,
    last_line,
    quoted,
    region,
    scalar,
)

HELP = "move an abolished council's folder and references to its successor"
DESCRIPTION = (
    "Move councils/OLD/ into the folder of the council that replaced it, and rewrite every reference to OLD "
    "(patterns' councils, case studies' council and partners, commitments' partners, sessions' councils) "
    "to its successors. OLD and NEW are register codes or slugs; NEW defaults to the successors the register "
    "gives in replaced-by. The old slug is kept in council.yml under 'former' so links to it redirect, and "
    "each moved commitment gets a dated history entry saying why. Only the lines about OLD change. The result "
    "is validated before anything is written. Example: commons reorganise TAU --into SMT --dry-run"
)

_BOM = "\ufeff"


class ReorganiseError(Exception):
    """A reorganisation that cannot be planned; the message says why, the hint what to do."""

    def __init__(self, message: str, hint: str = "", usage: bool = True):
        super().__init__(message)
        self.hint = hint
        self.usage = usage  # exit 2 (the command was wrong) rather than 1 (the content stops it)


def _today() -> dt.date:
    return dt.date.today()


# The command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the abolished council: register code (TAU) or slug (taunton-deane)")
    parser.add_argument("--into", nargs="+", metavar="NEW",
                        help="the successor(s) it moves into, first one gets the folder and commitments "
                        "(default: the register's replaced-by, followed to current councils)")
    parser.add_argument("--dry-run", action="store_true", help="print what would change and write nothing")


def command(args: argparse.Namespace, root: Path) -> int:
    from commons.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

    try:
        plan = make_plan(root, args.old, args.into)
        problems = check_plan(root, plan) if plan.changes else []
        if not problems and not args.dry_run:
            apply_plan(root, plan, _git_repo(root) if plan.changes else None)
    except ReorganiseError as e:
        print(f"commons reorganise: {e}", file=sys.stderr)
        if e.hint:
            print(f"    hint: {e.hint}", file=sys.stderr)
        if e.usage:
            print("Try 'commons reorganise --help'.", file=sys.stderr)
        return EXIT_USAGE if e.usage else EXIT_PROBLEMS
    if problems:
        print("commons reorganise: the result would not be valid, so nothing was written:", file=sys.stderr)
        print(format_text(problems), file=sys.stderr)
        print("Fix these (commons validate shows the ones already there), then run the command again.",
              file=sys.stderr)
        return EXIT_PROBLEMS
    if args.dry_run:
        print("Dry run: nothing was written.")
    print(plan.summary)
    if not plan.changes:
        return EXIT_OK
    for change in plan.changes:
        print(change.heading)
        for note in change.notes:
            print(f"    {note}")
    for warning in plan.warnings:
        print(warning)
    if args.dry_run:
        print("Run the command again without --dry-run to make these changes.")
    else:
        staged = " (the moves are staged; the edits are not)" if any(c.with_git for c in plan.changes) else ""
        print(f"Next: run commons validate, review the changes{staged} with git status and git diff, "
              "commit them and open a pull request.")
    return EXIT_OK


# Who replaced whom


def _label(a: Authority) -> str:
    return f"{a.short_name} ({a.code})"


def _resolve(register: Register, text: str) -> Authority | None:
    return register.get(text) or register.get(text.upper()) or register.by_slug.get(slugify(text))


def _unknown(register: Register, text: str, what: str) -> ReorganiseError:
    guess = _guess_abolished(register, text) if not what else register.guess(text)
    hint = (f"did you mean {guess.code} ({guess.name})?" if guess
            else "use a code or slug from data/uk-local-authorities.csv, e.g. TAU or taunton-deane")
    return ReorganiseError(f"{what}'{text}' is not a council in the register", hint)


def _guess_abolished(register: Register, text: str) -> Authority | None:
    """The abolished council a mistyped OLD most likely meant (by code, slug or name), else any council."""
    gone = [a for a in register if not a.current]
    names = {key: a for a in gone for key in (a.code, a.slug, slugify(a.short_name))}
    close = difflib.get_close_matches(text.upper(), [a.code for a in gone], n=1, cutoff=0.6) or \
        difflib.get_close_matches(slugify(text), [k for k in names if k.islower()], n=1, cutoff=0.6)
    return names[close[0]] if close else register.guess(text)


def replacement_story(register: Register, old: Authority, label: bool = True, subject: str = "") -> str:
    """How `old` came to be replaced: 'A (X) was replaced by B (Y) on D, and B (Y) by C (Z) on E'.

    With `subject`, the first council is called that instead ('it was replaced by ...').
    """
    name = _label if label else (lambda a: a.short_name)
    clauses: list[str] = []
    todo, seen = [old], set()
    while todo:
        a = todo.pop(0)
        if a.current or a.code in seen:
            continue
        seen.add(a.code)
        nexts = [n for n in (register.get(c) for c in a.replaced_by) if n is not None]
        if not nexts:
            continue
        when = nexts[0].start or a.end
        names = " and ".join(name(n) for n in nexts)
        clauses.append(f"{subject or name(a)} was replaced by {names} on {when}" if not clauses
                       else f"{name(a)} by {names} on {when}")
        todo += nexts
    return ", and ".join(clauses)


def resolve_councils(register: Register, old_text: str, into: list[str] | None) -> tuple[Authority, list[Authority]]:
    """The abolished council and the successors to move it into, or a usage error saying what is wrong."""
    old = _resolve(register, old_text)
    if old is None:
        raise _unknown(register, old_text, "")
    if old.current:
        same_slug = [a for a in register if not a.current and a.slug == old.slug]
        hint = (f"the abolished {same_slug[0].name} is {same_slug[0].code}: commons reorganise {same_slug[0].code}"
                if same_slug else "only a council the register records as abolished (with an end-date and "
                "replaced-by) can be reorganised")
        raise ReorganiseError(f"{_label(old)} is a current council", hint)
    successors = register.successors(old.code)
    if not successors:
        raise ReorganiseError(f"{_label(old)} was abolished on {old.end} but the register names no council "
                              "that replaced it", "there is nothing to move it into; remove its folder and "
                              "references by hand, or correct replaced-by in the register")
    story = replacement_story(register, old)
    suggestion = "did you mean --into " + " ".join(s.code for s in successors) + "?"
    if not into:
        return old, successors
    chosen: list[Authority] = []
    for text in into:
        new = _resolve(register, text)
        if new is None:
            raise _unknown(register, text, "--into ")
        if new.code not in {s.code for s in successors}:
            if not new.current and new.code in _chain(register, old):
                raise ReorganiseError(f"{story}: {_label(new)} is itself abolished", suggestion)
            raise ReorganiseError(f"{_label(new)} did not replace {_label(old)}: {story}", suggestion)
        if new not in chosen:
            chosen.append(new)
    return old, chosen


def _chain(register: Register, old: Authority) -> set[str]:
    """Every council between `old` and its current successors."""
    out: set[str] = set()
    todo = list(old.replaced_by)
    while todo:
        code = todo.pop()
        a = register.get(code)
        if a is not None and code not in out:
            out.add(code)
            todo += a.replaced_by
    return out


def council_fields(fields: tuple[Field, ...], node: Node | None, path: FieldPath = ()
                   ) -> Iterator[tuple[FieldPath, Field, Node]]:
    """Every field of kind council (one code) and every list of them in an entry, with its YAML node."""
    if not isinstance(node, MappingNode):
        return
    for f in fields:
        value = child(node, f.name)
        if value is None:
            continue
        here = (*path, f.name)
        if f.kind == "council" or (f.kind == "list" and f.item is not None and f.item.kind == "council"):
            yield here, f, value
        elif f.kind == "object":
            yield from council_fields(f.fields, value, here)
        elif f.kind == "list" and f.item is not None and f.item.kind == "object" and isinstance(value, SequenceNode):
            for i, item in enumerate(value.value):
                yield from council_fields(f.item.fields, item, (*here, i))


# Rewriting a list of council codes


def rewrite_codes(doc: Doc, key: ScalarNode | None, seq: Node, old: str, new: list[str],
                  drop: frozenset[str] | set[str] = frozenset(), label: str = "") -> list[Edit]:
    """Edits replacing `old` in a list of codes by the `new` codes not already listed, and removing `drop`."""
    if not isinstance(seq, SequenceNode):
        return []
    codes = [n for n in seq.value if isinstance(n, ScalarNode)]
    values = [n.value for n in codes]
    if old not in values and not (drop & set(values)):
        return []
    present = {v for v in values if v != old}
    additions = [c for c in dict.fromkeys(new) if c not in present and c not in drop]
    result: list[list[str]] = []
    for n in codes:
        if n.value == old:
            result.append(additions)
        elif n.value in drop:
            result.append([])
        else:
            result.append([n.value])
    after = [c for r in result for c in r]
    note = f"{label}: {', '.join(values)} -> {', '.join(after) or 'none'}"
    changed = [(n, r) for n, r in zip(codes, result, strict=True) if r != [n.value]]
    if seq.flow_style:
        return _rewrite_flow(doc, seq, codes, result, changed, note)
    return _rewrite_block(doc, key, changed, note, empty=not after)


def _rewrite_flow(doc: Doc, seq: SequenceNode, codes: list[ScalarNode], result: list[list[str]],
                  changed: list[tuple[ScalarNode, list[str]]], note: str) -> list[Edit]:
    start, end = doc.span(seq)
    if len(changed) == 1 and changed[0][1]:
        node, new = changed[0]
        s, e = doc.span(node)
        return [Edit(s, e, ", ".join(quoted(c, node) for c in new), note)]
    if len(changed) == 1 and len(codes) > 1:  # one removed: with the separator after it, or before the last
        i = codes.index(changed[0][0])
        s, e = doc.span(codes[i])
        if i + 1 < len(codes):
            e = doc.span(codes[i + 1])[0]
        else:
            s = doc.span(codes[i - 1])[1]
        if "\n" not in doc.raw[s:e] and "#" not in doc.raw[s:e]:
            return [Edit(s, e, "", note)]
    if "#" in doc.raw[start:end]:
        raise ReorganiseError(f"{doc.path}:{doc.line(seq)}: the list has comments inside its brackets, so it "
                              "cannot be rewritten safely", "write it as a block list (one '- CODE' a line) "
                              "and run the command again", usage=False)
    texts = [doc.source(n) if r == [n.value] else quoted(c, n) for n, r in zip(codes, result, strict=True)
             for c in r]
    return [Edit(start, end, "[" + ", ".join(texts) + "]", note)]


def _rewrite_block(doc: Doc, key: ScalarNode | None, changed: list[tuple[ScalarNode, list[str]]], note: str,
                   empty: bool) -> list[Edit]:
    edits: list[Edit] = []
    for node, new in changed:
        line = doc.line(node)
        text = doc.text(line)
        prefix, suffix = text[: node.start_mark.column], text[node.end_mark.column:]
        if doc.line(node, end=True) != line or not re.fullmatch(r"\s*-\s+", prefix) or \
                not re.fullmatch(r"\s*(#.*)?", suffix):
            raise ReorganiseError(f"{doc.path}:{line}: '{node.value}' is not alone on its line, so it cannot be "
                                  "rewritten safely", "put each code on its own '- CODE' line and run the "
                                  "command again", usage=False)
        s, e = doc.span(node)
        if new:
            edits.append(Edit(s, e, quoted(new[0], node), note if not edits else ""))
            extra = "".join(f"\n{prefix}{quoted(c, node)}" for c in new[1:])
            if extra:
                edits.append(Edit(doc.eol(line), doc.eol(line), extra))
        else:
            # The item's line goes (from the end of the line before, so lines can still be added after it);
            # a comment on it stays, where the item was.
            comment = suffix.strip()
            kept = "\n" + " " * indentation(prefix) + comment if comment else ""
            edits.append(Edit(doc.eol(line - 1), doc.eol(line), kept, note if not edits else ""))
    if empty and key is not None:
        at = doc.span(key)[1]
        colon = doc.raw.index(":", at) + 1
        edits.append(Edit(colon, colon, " []"))
    return edits


# The plan


@dataclass
class Change:
    """One file the reorganisation writes, moves or removes."""

    path: str  # where the file is afterwards (or was, when it is removed)
    text: str | None  # the new content as written, byte-order mark included; None when removed
    source: str = ""  # where it was, when moved
    merged_into: str = ""  # for a removed file: where its content went
    notes: list[str] = field(default_factory=list)
    with_git: bool = False  # moved with `git mv` (or removed with `git rm`), once written

    @property
    def heading(self) -> str:
        if self.text is None:
            how = " (git rm)" if self.with_git else ""
            return f"removed {self.path}{how} (its content is now in {self.merged_into})"
        if self.source and self.source != self.path:
            how = " (git mv)" if self.with_git else ""
            return f"moved {self.source} -> {self.path}{how}"
        return f"edited {self.path}"


@dataclass
class Plan:
    register: Register
    old: Authority
    into: list[Authority]
    summary: str
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def touched(self) -> list[str]:
        """The content files the plan writes, for the validator."""
        return [c.path for c in self.changes if c.text is not None
                and (not c.path.startswith("councils/") or c.path.endswith(("/council.yml", "/declaration.yml")))]


def _token(code: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9-]){re.escape(code)}(?![A-Za-z0-9-])")


def _read(root: Path, path: str, entry: RawEntry) -> Doc:
    raw = (root / path).read_bytes().decode("utf-8")
    bom = raw.startswith(_BOM)
    return Doc(path, raw[1:] if bom else raw, entry, bom)


def make_plan(root: Path, old_text: str, into: list[str] | None) -> Plan:
    """Everything `commons reorganise` would change, worked out in memory; nothing is written."""
    register = load_register(root / "data" / "uk-local-authorities.csv")
    old, news = resolve_councils(register, old_text, into)
    target = news[0]
    codes = [n.code for n in news]
    summary = replacement_story(register, old) + "."
    if len(news) > 1:
        summary += (f"\nIts folder and commitments go to {_label(target)}, the first given; references to it go "
                    f"to {' and '.join(_label(n) for n in news)} in lists, to {_label(target)} where there is one.")
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
                raise ReorganiseError(f"{path} cannot be read", f"fix it first: commons validate {path}",
                                      usage=False)
            return
        docs[path] = _read(root, path, entry)

    for path in candidates:
        load(path, must=False)
    folders = {d.entry.folder for d in docs.values()
               if d.entry.ctype.name == "council" and (d.entry.meta or {}).get("code") == old.code}
    if len(folders) > 1:
        raise ReorganiseError(" and ".join(f"councils/{f}/" for f in sorted(folders)) + f" all say they are "
                              f"{old.code}", "keep one folder, then run the command again", usage=False)
    old_folder = folders.pop() if folders else old.slug if (root / "councils" / old.slug).is_dir() else ""
    for folder in (old_folder, target.slug) if old_folder else ():
        for name in ("council.yml", "declaration.yml"):
            load(f"councils/{folder}/{name}", must=True)
    plan = Plan(register, old, news, summary)
    moving = _folder_changes(root, plan, docs, old_folder) if old_folder else set()
    for path, doc in sorted(docs.items()):
        if path in moving:
            continue
        edits = _reference_edits(doc, old.code, codes)
        if edits:
            text, notes = apply_edits(doc, edits)
            plan.changes.append(Change(path, _encoded(doc, text), notes=notes))
    # Moves first, then what was merged away, then edits; each in path order.
    plan.changes.sort(key=lambda c: (0 if c.source and c.text is not None else 1 if c.text is None else 2,
                                     c.source or c.path))
    if not plan.changes:
        plan.summary += f"\nNothing to do: there is no councils/{old.slug}/ folder and no entry refers to {old.code}."
    return plan


def _encoded(doc: Doc, text: str) -> str:
    return (_BOM if doc.bom else "") + text


def _reference_edits(doc: Doc, old: str, new: list[str], owner: str = "") -> list[Edit]:
    """Edits rewriting every council reference to `old` in an entry (lists to all of `new`, one code to the first)."""
    entry = doc.entry
    edits: list[Edit] = []
    single: dict[FieldPath, str] = {}
    found = list(council_fields(entry.ctype.fields, entry.node))
    for path, f, node in found:
        if f.kind == "council" and scalar(node) == old:
            s, e = doc.span(node)
            edits.append(Edit(s, e, quoted(new[0], node), f"{_dotted(path, entry.node)}: {old} -> {new[0]}"))
            single[path] = new[0]
    for path, f, node in found:
        if f.kind != "list":
            continue
        parent = child(entry.node, path[0]) if len(path) > 1 else entry.node
        for step in path[1:-1]:
            parent = child(parent, step)
        # A commitment's partners never include its own council, nor a case study's the council that did the work.
        sibling = single.get((*path[:-1], "council")) or scalar(child(parent, "council"))
        drop = {owner} if owner else set()
        codes = [c for c in new if c != sibling]
        edits += rewrite_codes(doc, key_of(parent, str(path[-1])), node, old, codes, drop,
                               _dotted(path, entry.node))
    return edits


def _dotted(path: FieldPath, node: Node | None = None) -> str:
    """A field's place in words: `partners`, `outcomes[2].council`, or `open-repairs-data partners` for a commitment."""
    if len(path) > 2 and path[0] == "commitments" and isinstance(path[1], int):
        cid = scalar(child(child(child(node, "commitments"), path[1]), "id"))
        if cid:
            return f"{cid} {_dotted(path[2:])}"
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


# Moving the folder


def _folder_changes(root: Path, plan: Plan, docs: dict[str, Doc], old_folder: str) -> set[str]:
    """Plan the move of councils/<old>/ into the first successor's folder; the paths it takes care of."""
    old, target = plan.old, plan.into[0]
    codes = [n.code for n in plan.into]
    src, dst = f"councils/{old_folder}", f"councils/{target.slug}"
    old_council, old_decl = docs.get(f"{src}/council.yml"), docs.get(f"{src}/declaration.yml")
    new_council = docs.get(f"{dst}/council.yml") if dst != src else None
    new_decl = docs.get(f"{dst}/declaration.yml") if dst != src else None
    if old_decl is not None:
        _plan_declaration(plan, old_decl, new_decl, f"{dst}/declaration.yml", _ids(new_decl) if new_decl else set())
    elif new_decl is not None:
        # The successor's own commitments: a partner that is now the successor itself goes.
        edits = _reference_edits(new_decl, old.code, codes, owner=target.code)
        if edits:
            text, notes = apply_edits(new_decl, edits)
            plan.changes.append(Change(new_decl.path, _encoded(new_decl, text), notes=notes))
    if old_council is not None:
        _plan_council(plan, old_council, new_council, f"{dst}/council.yml")
    for entry in sorted((root / src).iterdir()) if dst != src else []:
        if entry.name in ("council.yml", "declaration.yml"):
            continue
        if entry.is_symlink() or not entry.is_file():
            raise ReorganiseError(f"{src}/{entry.name} is not a file", "remove it, then run the command again",
                                  usage=False)
        if (root / dst / entry.name).exists():
            raise ReorganiseError(f"both {src}/ and {dst}/ have {entry.name}",
                                  f"merge {src}/{entry.name} into {dst}/{entry.name} by hand and remove it first",
                                  usage=False)
        try:
            text = (root / src / entry.name).read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise ReorganiseError(f"{src}/{entry.name} is not a text file", "move it by hand", usage=False) from None
        plan.changes.append(Change(f"{dst}/{entry.name}", text, source=f"{src}/{entry.name}"))
    return {f"{src}/council.yml", f"{src}/declaration.yml", f"{dst}/council.yml", f"{dst}/declaration.yml"}


def _ids(doc: Doc) -> set[str]:
    commitments = (doc.entry.meta or {}).get("commitments")
    return {c["id"] for c in commitments if isinstance(c, dict) and isinstance(c.get("id"), str)} \
        if isinstance(commitments, list) else set()


def _plan_declaration(plan: Plan, doc: Doc, into: Doc | None, dst: str, taken: set[str]) -> None:
    """Each commitment gets a history entry saying why it moved; then the file moves or joins the successor's."""
    old, target = plan.old, plan.into[0]
    seq = child(doc.entry.node, "commitments")
    edits = _reference_edits(doc, old.code, [n.code for n in plan.into], owner=target.code)
    count = 0
    today = _today()
    story = replacement_story(plan.register, old, label=False, subject="it")
    if isinstance(seq, SequenceNode):
        if seq.flow_style and seq.value:
            raise ReorganiseError(f"{doc.path}:{doc.line(seq)}: the commitments are written in brackets, so they "
                                  "cannot be moved safely", "write them as a block list and run the command "
                                  "again", usage=False)
        for node in seq.value:
            cid = scalar(child(node, "id")) or ""
            new_id = cid
            if cid in taken:
                new_id = _free_id(f"{cid}-{old.slug}", taken)
                id_node = child(node, "id")
                assert id_node is not None
                edits.append(Edit(*doc.span(id_node), new_id,
                                  f"id {cid} -> {new_id} ({target.short_name} already has a commitment {cid})"))
            taken.add(new_id)
            was = f", where its id was {cid}," if new_id != cid else ""
            note = f"Moved from {old.short_name}{was} when {story} (council reorganisation)."
            edits += _history_edits(doc, node, cid, today, note)
            count += 1
    if into is None:
        text, notes = apply_edits(doc, edits)
        plan.changes.append(Change(dst, _encoded(doc, text), source=doc.path, notes=notes))
    else:
        _merge_declaration(plan, doc, edits, into, count)
    if count:
        plan.warnings.append(f"{count} commitment{'s' if count != 1 else ''} of {old.short_name} "
                             f"{'are' if count != 1 else 'is'} now recorded for {_label(target)}"
                             + (" (the first successor given)." if len(plan.into) > 1 else "."))


def _free_id(base: str, taken: set[str]) -> str:
    base = base[:SLUG_MAX].strip("-")
    n, candidate = 2, base
    while candidate in taken:
        suffix = f"-{n}"
        candidate = base[: SLUG_MAX - len(suffix)].strip("-") + suffix
        n += 1
    return candidate


def _history_edits(doc: Doc, commitment: Node, cid: str, today: dt.date, note: str) -> list[Edit]:
    """A dated update at the end of a commitment's history, same status as the latest, in the history's style."""
    history = child(commitment, "history")
    if not isinstance(history, SequenceNode) or not history.value:
        raise ReorganiseError(f"{doc.path}:{doc.line(commitment)}: commitment '{cid}' has no history to add to",
                              f"fix it first: commons validate {doc.path}", usage=False)
    last = history.value[-1]
    status = scalar(child(last, "status")) or scalar(child(commitment, "status"))
    date = child(last, "date")
    day = date.value if isinstance(date, ScalarNode) else ""  # a date is a timestamp to YAML, not text
    if not status:
        raise ReorganiseError(f"{doc.path}:{doc.line(last)}: the latest update of '{cid}' has no status",
                              f"fix it first: commons validate {doc.path}", usage=False)
    if day >= today.isoformat():
        hint = "run the command again tomorrow" if day == today.isoformat() else \
            f"correct that date first: commons validate {doc.path}"
        raise ReorganiseError(f"{doc.path}:{doc.line(last)}: commitment '{cid}' already has an update dated {day}, "
                              "and a history has one update a day", hint, usage=False)
    values = {"date": today.isoformat(), "status": status, "note": note}
    message = f"history of {cid}: update {today.isoformat()} ({status}) says why it moved"
    if history.flow_style:
        item = "{" + ", ".join(f"{k}: {flow_scalar(v)}" for k, v in values.items()) + "}"
        return append_to_list(doc, commitment, "history", [], [item], message)
    if isinstance(last, MappingNode) and last.flow_style:
        item = "{" + ", ".join(f"{k}: {flow_scalar(v)}" for k, v in values.items()) + "}"
        return append_to_list(doc, commitment, "history", [[f"- {item}"]], [], message)
    dash = dash_column(doc, last)
    gap = " " * (last.start_mark.column - dash - 1)
    rows = [f"-{gap}{k}: {block_scalar(v)}" if i == 0 else f" {gap}{k}: {block_scalar(v)}"
            for i, (k, v) in enumerate(values.items())]
    return append_to_list(doc, commitment, "history", [rows], [], message)


def _merge_declaration(plan: Plan, doc: Doc, edits: list[Edit], into: Doc, count: int) -> None:
    """The old commitments, edited, appended as text to the successor's: every line and comment comes along."""
    from commons.content.yaml_reader import parse_yaml

    old, target = plan.old, plan.into[0]
    text, _ = apply_edits(doc, edits)
    # The edited text is read again for where its commitments now are.
    _, node, _ = parse_yaml(doc.path, text.replace("\r\n", "\n"), 0)
    edited = Doc(doc.path, text, RawEntry(doc.path, doc.entry.ctype, doc.entry.slug, {}, node=node))
    seq, key = child(node, "commitments"), key_of(node, "commitments")
    edits_into = _reference_edits(into, old.code, [n.code for n in plan.into], owner=target.code)
    if isinstance(seq, SequenceNode) and seq.value and key is not None:
        last = item_end(edited, seq)
        while last < len(edited.lines) and (edited.text(last + 1).lstrip().startswith("#")
                                            or not edited.text(last + 1).strip()):
            last += 1
        while not edited.text(last).strip():
            last -= 1
        dash = dash_column(edited, seq.value[0])
        rows = [edited.text(n).lstrip() for n in range(1, edited.line(key))
                if edited.text(n).lstrip().startswith("#")]
        rows += region(edited, edited.line(key) + 1, last, dash, 0)
        what = "1 commitment" if count == 1 else f"{count} commitments, each"
        edits_into += append_to_list(into, into.entry.node, "commitments", [rows], [],
                                     f"{what} from {doc.path} with an update saying why it moved", indent=dash)
    if edits_into:
        new_text, notes = apply_edits(into, edits_into)
        # What changed inside the moved commitments, besides their new updates (already said above).
        notes += [f"  {e.note}" for e in sorted(edits, key=lambda e: e.start)
                  if e.note and not e.note.startswith("history of ")]
        plan.changes.append(Change(into.path, _encoded(into, new_text), notes=notes))
    plan.changes.append(Change(doc.path, None, merged_into=into.path))


def _plan_council(plan: Plan, doc: Doc, into: Doc | None, dst: str) -> None:
    """council.yml: renamed with its code changed, or merged into the successor's; the old slug kept in 'former'."""
    old, target = plan.old, plan.into[0]
    node = doc.entry.node
    former_rows = [f"- code: {old.code}", f"  slug: {old.slug}", f"  until: {old.end}"]
    if into is None:
        code = child(node, "code")
        assert code is not None
        edits = [Edit(*doc.span(code), quoted(target.code, code), f"code: {old.code} -> {target.code}")]
        edits += append_to_list(doc, node, "former", [former_rows], [_former_flow(old)],
                                f"former: {old.slug} kept, so its links lead here")
        text, notes = apply_edits(doc, edits)
        plan.changes.append(Change(dst, _encoded(doc, text), source=doc.path, notes=notes))
        if dst != doc.path:
            plan.warnings.append(f"Check website and declaration-signed in {dst}: they are still "
                                 f"{old.short_name}'s.")
    else:
        _merge_council(plan, doc, into, former_rows)


def _merge_council(plan: Plan, doc: Doc, into: Doc, former_rows: list[str]) -> None:
    """The old profile's maintainers, adopted patterns and former slugs added to the successor's, as text."""
    old = plan.old
    node, target_node = doc.entry.node, into.entry.node
    edits: list[Edit] = []
    # Maintainers not already there.
    have = {scalar(n) for n in items(child(target_node, "maintainers"))}
    adding = [n for n in items(child(node, "maintainers")) if isinstance(n, ScalarNode) and n.value not in have]
    if adding:
        edits += append_to_list(into, target_node, "maintainers", [[f"- {doc.source(n)}"] for n in adding],
                                [doc.source(n) for n in adding],
                                "maintainers: " + ", ".join(n.value for n in adding) + f" (from {old.short_name})")
    # Adopted patterns: new ones copied with their own lines; for one adopted by both, the earlier date.
    existing: dict[str, Node] = {}
    for item in items(child(target_node, "adopted")):
        slug = scalar(child(item, "pattern"))
        if slug:
            existing[slug] = item
    copied: list[list[str]] = []
    flows: list[str] = []
    names: list[str] = []
    old_adopted = child(node, "adopted")
    for item in items(old_adopted):
        slug = scalar(child(item, "pattern"))
        if slug is None:
            continue
        if slug in existing:
            edits += _merge_adoption(plan, doc, item, into, existing[slug], slug)
            continue
        copied.append(item_rows(doc, old_adopted, item))
        flows.append(flow_mapping(doc, item))
        names.append(slug)
    if copied:
        edits += append_to_list(into, target_node, "adopted", copied, flows,
                                f"adopted: {', '.join(names)} (from {old.short_name})")
    # The old slug, with what the old profile said of itself, and the old council's own former slugs.
    rows = list(former_rows)
    for key in ("website", "declaration-signed"):
        value = child(node, key)
        if isinstance(value, ScalarNode):
            rows.append(f"  {key}: {doc.source(value)}")
    formers = [rows]
    flows = [_former_flow(old)]
    old_former = child(node, "former")
    for item in items(old_former):
        formers.append(item_rows(doc, old_former, item))
        flows.append(flow_mapping(doc, item))
    edits += append_to_list(into, target_node, "former", formers, flows,
                            f"former: {old.slug} kept, so its links lead here")
    text, notes = apply_edits(into, edits)
    plan.changes.append(Change(into.path, _encoded(into, text), notes=notes))
    plan.changes.append(Change(doc.path, None, merged_into=into.path))
    comments = sum(1 for n in range(1, len(doc.lines) + 1) if doc.text(n).lstrip().startswith("#"))
    if comments:
        plan.warnings.append(f"{doc.path} had {comments} comment line{'s' if comments != 1 else ''}, not carried "
                             f"into {into.path}: copy any still worth keeping.")


def _merge_adoption(plan: Plan, doc: Doc, item: Node, into: Doc, mine: Node, slug: str) -> list[Edit]:
    """A pattern both councils adopted: the earlier date (with its comment), and evidence if only the old had it."""
    edits: list[Edit] = []
    old = plan.old
    since, theirs = child(mine, "since"), child(item, "since")
    if isinstance(since, ScalarNode) and isinstance(theirs, ScalarNode) and theirs.value < since.value \
            and doc.line(theirs, end=True) == doc.line(theirs):
        start, line = into.span(since)[0], into.line(since)
        edits.append(Edit(start, into.eol(line), doc.raw[doc.span(theirs)[0]:doc.eol(doc.line(theirs))],
                          f"adopted {slug}: since {since.value} -> {theirs.value} ({old.short_name}'s, the earlier)"))
    evidence, their_evidence = child(mine, "evidence"), child(item, "evidence")
    if not isinstance(mine, MappingNode) or mine.flow_style:
        return edits
    if evidence is None and isinstance(their_evidence, ScalarNode):
        key = key_of(item, "evidence")
        assert key is not None
        row = doc.text(doc.line(key))[key.start_mark.column:]
        pad = " " * mine.start_mark.column
        at = into.eol(last_line(into, mine))
        edits.append(Edit(at, at, f"\n{pad}{row}", f"adopted {slug}: evidence from {old.short_name}"))
    elif isinstance(evidence, ScalarNode) and isinstance(their_evidence, ScalarNode) \
            and evidence.value != their_evidence.value:
        plan.warnings.append(f"{into.path} keeps its own evidence for {slug}; {old.short_name}'s was "
                             f"{their_evidence.value}")
    return edits


def _former_flow(old: Authority) -> str:
    return f"{{code: {old.code}, slug: {old.slug}, until: {old.end}}}"


# Checking and writing


def check_plan(root: Path, plan: Plan) -> list[Problem]:
    """The errors the repository would have in the files the plan writes: it is applied to a copy and validated."""
    from commons.content.validate import validate_repository

    with tempfile.TemporaryDirectory(prefix="commons-reorganise-") as tmp:
        copy = Path(tmp) / "repo"
        (copy / "data").mkdir(parents=True)
        shutil.copyfile(root / "data" / "uk-local-authorities.csv", copy / "data" / "uk-local-authorities.csv")
        for top in CONTENT_FOLDERS:
            if (root / top).is_dir() and not (root / top).is_symlink():
                shutil.copytree(root / top, copy / top, symlinks=True)
        apply_plan(copy, plan, None)
        for change in plan.changes:
            change.with_git = False
        report = validate_repository(copy, plan.touched)
    return [p for p in report.problems if p.is_error]


def _git_repo(root: Path):  # type: ignore[no-untyped-def]
    try:
        import git  # GitPython, imported here so the other commands never pay for it

        return git.Repo(root, search_parent_directories=True)
    except Exception:  # not a repository, or no git: plain moves
        return None


def apply_plan(root: Path, plan: Plan, repo) -> None:  # type: ignore[no-untyped-def]
    """Write the plan: moves first (with `git mv` when `repo` is given and the file is tracked), then contents.

    Nothing is overwritten: every destination is checked before the first file is touched.
    """
    moves = [c for c in plan.changes if c.text is not None and c.source and c.source != c.path]
    for change in moves:
        if (root / change.path).exists() or (root / change.path).is_symlink():
            raise ReorganiseError(f"{change.path} already exists, and nothing is ever overwritten",
                                  "move it away, then run the command again", usage=False)
    for change in moves:
        src, dst = root / change.source, root / change.path
        dst.parent.mkdir(parents=True, exist_ok=True)
        change.with_git = repo is not None and _git(repo, "mv", "--", str(src), str(dst))
        if not change.with_git:
            os.replace(src, dst)
    for change in plan.changes:
        path = root / change.path
        if change.text is None:
            path.unlink()
            change.with_git = repo is not None and _git(repo, "rm", "--cached", "-q", "--", str(path))
            continue
        tmp = path.with_name(path.name + ".reorganise-tmp")
        tmp.write_bytes(change.text.encode("utf-8"))
        tmp.replace(path)
    for change in plan.changes:
        folder = (root / (change.source or change.path)).parent
        if folder.parent == root / "councils" and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _git(repo, command: str, *args: str) -> bool:  # type: ignore[no-untyped-def]
    """Run `git mv` or `git rm` on a tracked file; False, with nothing done, when it is untracked or git fails."""
    path = args[-2] if command == "mv" else args[-1]
    try:
        if not repo.git.ls_files("--", path):
            return False
        repo.git.execute(["git", command, *args])
        return True
    except Exception:  # git's own failure (a locked index, say): the file is moved without it
        return False
