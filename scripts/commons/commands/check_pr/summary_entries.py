"""What a change does to each file, in plain English: the lines of the summary's "What will change on the site".

`commons sources update` says what a council's own repository changes in the same words (`describe`). One
sentence says one thing: an entry added, removed, renamed or changed field by field; a Declaration commitment
added, moved from one status to another, updated or removed; a pattern a council adopts or stops listing, by its
title. A file the change leaves unreadable says so, with the first problem that stopped it being read, and
nothing else: what it changes is not known, so nothing in it is said to be removed. So does a declaration that
reads but whose commitments cannot be told apart by their ids (`commitments` not a list, a commitment without
its `id`).

Every contributed value is written through `markdown_text` or `markdown_code`. Each sentence ends with one full
stop, and none after a value that ends a sentence of its own (a title ending in ?, ! or ]): `sentence`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from commons.commands.check_pr.approvals import owners_of
from commons.commands.check_pr.pull_request import (
    COUNCIL_TYPES,
    EntryChange,
    PatternName,
    as_list,
    commitments_by_id,
    pattern_names,
    unclear_commitments,
)
from commons.commands.check_pr.summary_contracts import contract_lines
from commons.content import urls
from commons.content.load import RawEntry
from commons.content.model import commitment_status
from commons.content.problems import Problem
from commons.content.register import Register
from commons.content.schema import COUNCIL, DECLARATION
from commons.content.schema_contracts import CONTRACTS
from commons.content.values import parse_date
from commons.content.vocabulary import COMMITMENT_STATUSES, PATTERN_STATUSES
from commons.markdown_text import markdown_code, markdown_text

SHORT = 60  # values longer than this are named, not quoted
LONG = 400  # characters of a problem's message or hint (they quote values, themselves cut short)
# The problems that stop a file being read at all, rather than one of its values: the one a summary names.
STOPS_READING = ("E-YAML", "E-YAML-ALIAS", "E-ENCODING", "E-TYPE", "E-FRONT-MATTER", "E-TOO-LARGE", "E-SYMLINK",
                 "E-PATH", "E-FILE-NAME", "E-SUBMODULE")
PATTERN_FIELDS = ("patterns", "related", "pattern")  # fields whose values are pattern names: shown by title

Names = Mapping[str, PatternName]


def describe(e: EntryChange, register: Register, problems: Sequence[Problem] = (),
             patterns: Names | None = None) -> list[str]:
    """Plain-English lines, in Markdown, for one changed file. `problems` (the check's) say why a file cannot be
    read; `patterns` are the titles of the patterns the changed entries name (`PullRequestCheck.patterns`)."""
    names = patterns or {}
    if e.unreadable:
        unclear = unclear_commitments(e.after) if e.after is not None and e.after.meta is not None else None
        if e.after is not None and unclear is not None:
            return [unreadable(e.change.path, problems, e.after.mark(unclear)[0], unclear=True)]
        return [unreadable(e.change.path, problems)]
    entry = e.entry
    if entry is None:  # deleted, and already unreadable before the change
        return [sentence(f"Removes {markdown_code(e.change.path)}, which could not be read before either")]
    kind = entry.ctype.name
    if kind == DECLARATION.name:
        return [sentence(s) for s in _declaration(e, register, names)]
    if kind == COUNCIL.name:
        return [sentence(s) for s in _council(e, register, names)]
    if kind == CONTRACTS.name:
        return [sentence(s) for s in contract_lines(_meta(e.before), _meta(e.after),
                                                    markdown_text(council_name(entry, register)))]
    what = kind.replace("-", " ")  # `case-study` is "case study"
    title = f"**{markdown_text(title_of(entry))}**"
    c = e.change
    if c.kind == "added":
        return [sentence(f"Adds the {what} {title} at {markdown_code(url_of(entry))}")]
    if c.kind == "deleted":
        return [sentence(f"Removes the {what} {title} ({markdown_code(url_of(entry))} will be gone)")]
    out = []
    if c.kind == "renamed" and e.before is not None and e.after is not None:
        old, new = url_of(e.before), url_of(e.after)
        if old != new:
            kept = PurePosixPath(c.old or "").stem in pattern_names(e.after)
            out.append(f"Renames the {what} {title}: {markdown_code(old)} → {markdown_code(new)}"
                       + (" (the old address redirects)" if kept else ""))
    fields = _field_changes(e.before, e.after, register, names)
    if fields:
        out.append(f"Changes the {what} {title}: " + "; ".join(fields))
    return [sentence(s) for s in out] or [sentence(f"Touches the {what} {title} without changing what the site "
                                                   "shows")]


def unreadable(path: str, problems: Sequence[Problem], line: int = 0, unclear: bool = False) -> str:
    """The line for a file the change leaves unreadable: the first problem that stopped it being read (or else its
    first error), and that the summary can say what it changes only once it can be read. With `unclear`, the file
    reads but its commitments cannot be told apart (`pull_request.unclear_commitments`, at `line`): the error on
    that line is the one named."""
    mine = [p for p in problems if p.path == path]
    why = next((p for p in mine if line and p.line == line and p.is_error), None) or \
        next((p for p in mine if p.code in STOPS_READING), None) or next((p for p in mine if p.is_error), None)
    said = ""
    if why is not None:
        said = ": " + (f"on line {why.line}, " if why.line else "") + sentence(markdown_text(why.message, LONG))
    if unclear:
        return (f"Could not tell the commitments in {markdown_code(path)} apart{said or '.'} This summary says what "
                "it changes once each is an item of the list with its id.")
    return (f"Could not read {markdown_code(path)}{said or '.'} This summary says what it changes once it can be "
            "read.")


def _declaration(e: EntryChange, register: Register, names: Names) -> list[str]:
    council = markdown_text(council_name(e.entry, register))
    before = {cid: c for cid, (_, c) in commitments_by_id(e.before).items()}
    after = {cid: c for cid, (_, c) in commitments_by_id(e.after).items()}
    out = []
    for cid, new in after.items():
        title = commitment_title(new, cid)
        old = before.get(cid)
        status = _status(commitment_status(new))
        if old is None:
            out.append(f"{council} — new commitment {title}: {status}{_evidence(new)}")
            continue
        if commitment_status(old) != commitment_status(new):
            out.append(f"{council} — {title}: {_status(commitment_status(old))} → {status}{_evidence(new)}")
        elif len(as_list(new.get("history"))) > len(as_list(old.get("history"))):
            latest = as_list(new.get("history"))[-1]
            day = latest.get("date") if isinstance(latest, dict) else None
            out.append(f"{council} — {title}: new update{f' of {_day(day)}' if day else ''}, still "
                       f"{status}{_evidence(new)}")
        fields = field_changes_of(old, new, register, names, skip={"status", "history"})
        if fields:
            out.append(f"{council} — {title}: " + "; ".join(fields))
    for cid, old in before.items():
        if cid not in after:
            out.append(f"{council} — removes the commitment {commitment_title(old, cid)}")
    return out or [f"{council}'s Declaration commitments: no change the site shows"]


def _council(e: EntryChange, register: Register, names: Names) -> list[str]:
    name = markdown_text(council_name(e.entry, register))
    old = e.before.meta if e.before and isinstance(e.before.meta, dict) else {}
    new = e.after.meta if e.after and isinstance(e.after.meta, dict) else {}
    if e.change.kind == "deleted":
        return [f"Removes {name}'s profile; its page goes back to “how to start”"]
    adoptions = _adoptions(name, old, new, register, names)
    if e.change.kind == "added":
        return [f"Adds {name}'s profile at {markdown_code(url_of(e.entry))}", *(adoptions or [])]  # type: ignore[arg-type]
    fields = field_changes_of(old, new, register, names, skip={"adopted"} if adoptions is not None else set())
    lines = (adoptions or []) + ([f"{name}'s profile: " + "; ".join(fields)] if fields else [])
    return lines or [f"{name}'s profile: no change the site shows"]


def _adoptions(name: str, old: dict[str, Any], new: dict[str, Any], register: Register,
               names: Names) -> list[str] | None:
    """A sentence for each pattern the profile adopts, stops listing or adopts differently: "Leeds adopts *Tell us
    once when you move* (since 1 November 2026)". None when an adoption is not `pattern:` and its fields."""
    before, after = as_list(old.get("adopted")), as_list(new.get("adopted"))
    if not all(isinstance(item, dict) and isinstance(item.get("pattern"), str) for item in before + after):
        return None
    was = {item["pattern"]: item for item in reversed(before)}  # the first of two, as the site shows it
    now = {item["pattern"]: item for item in reversed(after)}
    out = []
    for slug in dict.fromkeys(item["pattern"] for item in after):
        item, pattern = now[slug], pattern_title(slug, names)
        if slug not in was:
            since = f" (since {_day(item['since'])})" if item.get("since") else ""
            link = item.get("evidence")
            out.append(f"{name} adopts {pattern}{since}"
                       + (f", evidence: {markdown_code(link)}" if isinstance(link, str) else ""))
        elif was[slug] != item:
            out.append(f"{name}'s adoption of {pattern}: " + "; ".join(
                field_changes_of(was[slug], item, register, names, skip={"pattern"})))
    out += [f"{name} no longer lists {pattern_title(slug, names)} as adopted" for slug in was if slug not in now]
    return out


def _field_changes(before: RawEntry | None, after: RawEntry | None, register: Register, names: Names) -> list[str]:
    old = before.meta if before and isinstance(before.meta, dict) else {}
    new = after.meta if after and isinstance(after.meta, dict) else {}
    out = field_changes_of(old, new, register, names)
    if before is not None and after is not None and before.body != after.body:
        diff = list(difflib.unified_diff(before.body.splitlines(), after.body.splitlines(), lineterm="", n=0))
        added = sum(1 for d in diff if d.startswith("+") and not d.startswith("+++"))
        removed = sum(1 for d in diff if d.startswith("-") and not d.startswith("---"))
        out.append(f"the page text (+{added} −{removed} line{'' if max(added, removed) == 1 else 's'})")
    return out


def field_changes_of(old: dict[str, Any], new: dict[str, Any], register: Register, names: Names,
                     skip: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """What changed, field by field, in Markdown (field names and values escaped)."""
    out = []
    for key in list(dict.fromkeys([*new, *old])):
        a, b = old.get(key), new.get(key)
        if key in skip or a == b:
            continue
        if isinstance(a, list | type(None)) and isinstance(b, list | type(None)) and \
                all(_scalar(x) for x in as_list(a) + as_list(b)):
            added = [x for x in as_list(b) if x not in as_list(a)]
            removed = [x for x in as_list(a) if x not in as_list(b)]
            parts = []
            if added:
                parts.append("adds " + ", ".join(_show(key, x, register, names) for x in added))
            if removed:
                parts.append("removes " + ", ".join(_show(key, x, register, names) for x in removed))
            out.append(f"{markdown_text(key)} ({'; '.join(parts) or 'reordered'})")
        elif _scalar(a) and _scalar(b) and len(str(a)) <= SHORT and len(str(b)) <= SHORT:
            out.append(f"{markdown_text(key)}: {_show(key, a, register, names)} → {_show(key, b, register, names)}")
        else:
            out.append(markdown_text(key))
    return out


def _show(key: str, value: Any, register: Register, names: Names) -> str:
    """One value, in Markdown. Handles a pull request adds are shown, never mentioned."""
    if value is None:
        return "none"
    if key == "status" and isinstance(value, str) and value in PATTERN_STATUSES:
        return f"*{PATTERN_STATUSES[value].lower()}*"
    if key in ("maintainers",):
        return markdown_text(f"@{value}")
    if isinstance(value, str) and value in register.by_code and key in ("councils", "council", "partners", "code"):
        return markdown_text(register.by_code[value].short_name)
    if key in PATTERN_FIELDS and isinstance(value, str) and value in names:
        return pattern_title(value, names)
    day = value if isinstance(value, dt.date) else parse_date(value)
    if day is not None:
        return _day(day)
    return f"*{markdown_text(value)}*"


# ---------------------------------------------------------------------------------------------------------
# Small readers, shared with the pages to look at (`summary_pages.py`)


def sentence(text: str) -> str:
    """`text` (Markdown) ended with a full stop, unless what it ends with already ends a sentence: a title or
    value ending in . ? ! … or ] (escaped, as `\\]`), inside the emphasis or code that closes it."""
    bare = _CLOSING.sub("", text)
    return text if bare.endswith((".", "?", "!", "…", "]")) else text + "."


_CLOSING = re.compile(r"(?:(?<!\\)[*_]|</code>)+$")  # emphasis and code closing after the last word


def url_of(entry: RawEntry) -> str:
    """The page an entry's file becomes, in the one URL scheme (`commons.content.urls`)."""
    return urls.entry(entry.ctype.name, entry.slug, entry.folder)


def title_of(entry: RawEntry) -> str:
    """An entry's title as plain text: a council file's folder, else its title, else its slug."""
    if entry.ctype.name in COUNCIL_TYPES:
        return entry.folder
    return _text((entry.meta or {}).get("title")) or entry.slug


def council_name(entry: RawEntry | None, register: Register) -> str:
    codes = owners_of(entry, register)
    return register.by_code[codes[0]].short_name if codes else (entry.folder if entry else "?")


def commitment_title(commitment: dict[str, Any], cid: str) -> str:
    """A commitment's title (else its id), in italics, in Markdown."""
    return f"*{markdown_text(_text(commitment.get('title')) or cid)}*"


def pattern_title(name: str, names: Names) -> str:
    """A pattern a change names, in Markdown: its title in italics when it was found, else its name as written."""
    found = names.get(name)
    return f"*{markdown_text(found.title)}*" if found else f"the pattern {markdown_code(name)}"


def _status(value: Any) -> str:
    """A commitment's status in Markdown."""
    return markdown_text(COMMITMENT_STATUSES.get(value, value).lower()) if isinstance(value, str) else "no status"


def _evidence(commitment: dict[str, Any]) -> str:
    """The latest update's evidence link, as text: the comment links only to the site and the run."""
    history = as_list(commitment.get("history"))
    latest = history[-1] if history and isinstance(history[-1], dict) else {}
    link = latest.get("evidence")
    return f", evidence: {markdown_code(link)}" if isinstance(link, str) else ""


def _day(value: Any) -> str:
    """A date in words, in Markdown (a value that is not a date is shown as escaped text)."""
    day = value if isinstance(value, dt.date) else parse_date(value)
    return f"{day.day} {day:%B %Y}" if day else markdown_text(value)


def _meta(entry: RawEntry | None) -> Any:
    return entry.meta if entry is not None else None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | dt.date) or value is None
