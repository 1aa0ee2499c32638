"""The plain-English summary of a pull request that `commons check-pr` writes for the pull-request comment.

Says what will change on the site (entries added, removed, renamed; fields changed; every Declaration status
change), whether it can be merged, whose approval it needs, and which pages to look at in the preview.

Every value that comes from the pull request (titles, slugs, paths, field names and values, evidence links,
problem messages and hints, which quote contributed values) is written through `markdown_text` or
`markdown_code`, so it shows as itself and cannot format, link, embed or @mention anything. Only the
maintainers named by the base commit are mentioned, to ask them to approve.

It only reads a `PullRequestCheck` (`pull_request.py`); page addresses come from the one URL scheme,
`commons.content.urls`, so the pages it names are the pages the site builds.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import PurePosixPath
from typing import Any

from commons.commands.check_pr.approvals import owners_of
from commons.commands.check_pr.pull_request import (
    COUNCIL_TYPES,
    MAX_LISTED,
    Approval,
    EntryChange,
    PullRequestCheck,
    as_list,
    commitments_by_id,
    pattern_names,
)
from commons.content import urls
from commons.content.load import RawEntry
from commons.content.model import commitment_status
from commons.content.problems import CODES
from commons.content.register import Register
from commons.content.schema import COUNCIL, DECLARATION
from commons.content.values import parse_date
from commons.content.vocabulary import COMMITMENT_STATUSES, PATTERN_STATUSES
from commons.markdown_text import markdown_code, markdown_text, mention
from commons.site.preview import LOCAL_STEP, page_url

MAX_PROBLEMS = 30  # in the comment; the annotations and the job log have them all
SHORT = 60  # values longer than this are named, not quoted
LONG = 400  # characters of a problem's message or hint (they quote values, themselves cut short)


def markdown_summary(result: PullRequestCheck, site_url: str = "", preview: str = "") -> str:
    """The comment's Markdown; problem codes link to their explanations on the site at `site_url`, and the pages
    to look at to the deployed preview at `preview` (or, without one, to the artifact served on this machine)."""
    register = result.register
    assert register is not None
    lines = ["## Council Commons check", ""]
    lines += _verdict(result)
    changes = [line for e in result.entries for line in describe(e, register)]
    lines += ["", "### What will change on the site", ""]
    lines += [f"- {c}" for c in changes] or ["- No entries change."]
    pages = pages_changed(result.entries, register)
    if pages:
        lines += ["", "### Pages to look at in the preview", ""]
        lines += [f"The preview of this pull request is at <{preview}>:" if preview else
                  "Download the **site** artifact of the pull request's checks (**Summary** → **Artifacts**), unzip "
                  f"it, run {markdown_code(LOCAL_STEP)} in the unzipped folder, then open:", ""]
        lines += [f"- [{markdown_text(url or '/')}]({page_url(preview, site_url, url)}) — {markdown_text(why)}"
                  for url, why in pages.items()]
    if result.problems:
        lines += ["", "### Problems", ""]
        for p in result.problems[:MAX_PROBLEMS]:
            where = f"{p.path}:{p.line}" if p.line else p.path
            hint = f" Hint: {_sentence(markdown_text(p.hint, LONG))}" if p.hint else ""
            known = p.code in CODES  # codes are the tooling's own; anything else is shown as text
            code = f"[{p.code}]({site_url}contribute/problems/#{p.code.lower()})" if site_url and known else \
                markdown_text(p.code)
            message = _sentence(markdown_text(p.message, LONG))
            lines.append(f"- **{p.severity}** {markdown_code(where)} {code}: {message}{hint}")
        if len(result.problems) > MAX_PROBLEMS:
            lines.append(f"- … and {len(result.problems) - MAX_PROBLEMS} more in the check's annotations.")
    return "\n".join(lines) + "\n"


def _verdict(result: PullRequestCheck) -> list[str]:
    errors = result.errors
    warnings = len(result.problems) - errors
    n = len(result.entries)
    files = f"{n} changed content file{_s(n)}"
    if errors:
        out = [f"**Cannot be merged yet:** {errors} error{_s(errors)}"
               + (f" and {warnings} warning{_s(warnings)}" if warnings else "")
               + f" in {files} and the entries that refer to them. Each is marked on its line below the diff."]
    elif warnings:
        out = [f"**No errors** in {files}; {warnings} warning{_s(warnings)} to read."]
    else:
        out = [f"**No problems** in {files}."]
    if result.approvals:
        out += ["", "**Needs approval** before merging:", ""]
        out += [f"- {approval_markdown(a)}" for a in result.approvals]
    if result.author is None and result.owners:
        out += ["", "Owners (no author given, so ownership was not checked): "
                + "; ".join(f"{markdown_text(name)} ({', '.join(mention(h) for h in hs) or 'no maintainers yet'})"
                            for name, hs in result.owners.items())]
    elif result.owners and not any(a.councils_own for a in result.approvals):
        out += ["", f"{mention(result.author)} maintains every council this changes."]
    return out


def approval_markdown(a: Approval) -> str:
    """`Approval.sentence()` in Markdown: the maintainers mentioned, everything else escaped; what it is about
    on its lines below it (each rewrite of history, with where it is and what to do instead)."""
    who = " or ".join(mention(h) for h in a.handles) if a.handles else f"a maintainer of {markdown_text(a.council)}"
    whose = f" (maintainers of {markdown_text(a.council)})" if a.handles else ""
    files = ""
    if a.files:
        more = len(a.files) - MAX_LISTED
        files = ": " + ", ".join(markdown_code(f) for f in a.files[:MAX_LISTED]) + (f" and {more} more" if more > 0
                                                                                     else "")
    found = [f"\n  - {markdown_code(f.where)}: {_sentence(markdown_text(f.message, LONG))}"
             + (f" Instead, {_sentence(markdown_text(f.hint, LONG))}" if f.hint else "") for f in a.found[:MAX_LISTED]]
    if len(a.found) > MAX_LISTED:
        found.append(f"\n  - … and {len(a.found) - MAX_LISTED} more.")
    return f"needs approval from {who}{whose}: {markdown_text(a.reason, LONG)}{files}{':' if found else ''}" + \
        "".join(found)


# ---------------------------------------------------------------------------------------------------------
# What changes


def describe(e: EntryChange, register: Register) -> list[str]:
    """Plain-English lines for one changed file."""
    entry = e.entry
    if entry is None:
        return [f"{markdown_code(e.change.path)} cannot be read, so what it changes is not known."]
    kind = entry.ctype.name
    if kind == DECLARATION.name:
        return _declaration(e, register)
    if kind == COUNCIL.name:
        return _council(e, register)
    what = _label(kind)
    title = markdown_text(_title(entry))
    c = e.change
    if c.kind == "added":
        return [f"Adds the {what} **{title}** at {markdown_code(url_of(entry))}."]
    if c.kind == "deleted":
        return [f"Removes the {what} **{title}** ({markdown_code(url_of(entry))} will be gone)."]
    out = []
    if c.kind == "renamed" and e.before is not None and e.after is not None:
        old, new = url_of(e.before), url_of(e.after)
        if old != new:
            kept = PurePosixPath(c.old or "").stem in pattern_names(e.after)
            out.append(f"Renames the {what} **{title}**: {markdown_code(old)} → {markdown_code(new)}"
                       + (" (the old address redirects)." if kept else "."))
    fields = _field_changes(e.before, e.after, register)
    if fields:
        out.append(f"Changes the {what} **{title}**: " + "; ".join(fields) + ".")
    return out or [f"Touches the {what} **{title}** without changing what the site shows."]


def _declaration(e: EntryChange, register: Register) -> list[str]:
    council = markdown_text(_council_name(e.entry, register))
    before = {cid: c for cid, (_, c) in commitments_by_id(e.before).items()}
    after = {cid: c for cid, (_, c) in commitments_by_id(e.after).items()}
    out = []
    for cid, new in after.items():
        title = markdown_text(_text(new.get("title")) or cid)
        old = before.get(cid)
        status = _status(commitment_status(new))
        if old is None:
            out.append(f"{council} — new commitment *{title}*: {status}{_evidence(new)}.")
            continue
        if commitment_status(old) != commitment_status(new):
            out.append(f"{council} — *{title}*: {_status(commitment_status(old))} → {status}{_evidence(new)}.")
        elif len(as_list(new.get("history"))) > len(as_list(old.get("history"))):
            latest = as_list(new.get("history"))[-1]
            day = latest.get("date") if isinstance(latest, dict) else None
            out.append(f"{council} — *{title}*: new update{f' of {_day(day)}' if day else ''}, still "
                       f"{status}{_evidence(new)}.")
        fields = _field_changes_of(old, new, register, skip={"status", "history"})
        if fields:
            out.append(f"{council} — *{title}*: " + "; ".join(fields) + ".")
    for cid, old in before.items():
        if cid not in after:
            out.append(f"{council} — removes the commitment *{markdown_text(_text(old.get('title')) or cid)}*.")
    return out or [f"{council}'s Declaration commitments: no change the site shows."]


def _council(e: EntryChange, register: Register) -> list[str]:
    name = markdown_text(_council_name(e.entry, register))
    if e.change.kind == "added":
        return [f"Adds {name}'s profile at {markdown_code(url_of(e.entry))}."]  # type: ignore[arg-type]
    if e.change.kind == "deleted":
        return [f"Removes {name}'s profile; its page goes back to “how to start”."]
    fields = _field_changes(e.before, e.after, register)
    return [f"{name}'s profile: " + "; ".join(fields) + "."] if fields else \
        [f"{name}'s profile: no change the site shows."]


def _field_changes(before: RawEntry | None, after: RawEntry | None, register: Register) -> list[str]:
    old = before.meta if before and isinstance(before.meta, dict) else {}
    new = after.meta if after and isinstance(after.meta, dict) else {}
    out = _field_changes_of(old, new, register)
    if before is not None and after is not None and before.body != after.body:
        diff = list(difflib.unified_diff(before.body.splitlines(), after.body.splitlines(), lineterm="", n=0))
        added = sum(1 for d in diff if d.startswith("+") and not d.startswith("+++"))
        removed = sum(1 for d in diff if d.startswith("-") and not d.startswith("---"))
        out.append(f"the page text (+{added} −{removed} line{_s(max(added, removed))})")
    return out


def _field_changes_of(old: dict[str, Any], new: dict[str, Any], register: Register,
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
                parts.append("adds " + ", ".join(_show(key, x, register) for x in added))
            if removed:
                parts.append("removes " + ", ".join(_show(key, x, register) for x in removed))
            out.append(f"{markdown_text(key)} ({'; '.join(parts) or 'reordered'})")
        elif _scalar(a) and _scalar(b) and len(str(a)) <= SHORT and len(str(b)) <= SHORT:
            out.append(f"{markdown_text(key)}: {_show(key, a, register)} → {_show(key, b, register)}")
        else:
            out.append(markdown_text(key))
    return out


def _show(key: str, value: Any, register: Register) -> str:
    """One value, in Markdown. Handles a pull request adds are shown, never mentioned."""
    if value is None:
        return "none"
    if key == "status" and isinstance(value, str) and value in PATTERN_STATUSES:
        return f"*{PATTERN_STATUSES[value].lower()}*"
    if key in ("maintainers",):
        return markdown_text(f"@{value}")
    if isinstance(value, str) and value in register.by_code and key in ("councils", "council", "partners", "code"):
        return markdown_text(register.by_code[value].short_name)
    day = value if isinstance(value, dt.date) else parse_date(value)
    if day is not None:
        return _day(day)
    return f"*{markdown_text(value)}*"


# ---------------------------------------------------------------------------------------------------------
# Pages


def url_of(entry: RawEntry) -> str:
    """The page an entry's file becomes, in the one URL scheme (`commons.content.urls`)."""
    return urls.entry(entry.ctype.name, entry.slug, entry.folder)


def index_of(kind: str) -> str:
    """The index page that lists entries of a content type: a Declaration's commitments show on the dashboard."""
    return urls.DASHBOARD if kind == DECLARATION.name else urls.INDEX[kind]


def pages_changed(entries: list[EntryChange], register: Register) -> dict[str, str]:
    """Page path -> why it changes: each entry's own page, the pages that show it, and the index pages."""
    from commons.content.validate import check_entry

    pages: dict[str, str] = {}
    for e in entries:
        for entry in (e.after, e.before):
            if entry is None or entry.meta is None:
                continue
            council = entry.ctype.name in COUNCIL_TYPES
            if entry is e.after:
                pages.setdefault(url_of(entry), f"{_council_name(entry, register)}'s page" if council else
                                 f"the page of {_title(entry)}")
            for code in owners_of(entry, register):
                a = register.by_code[code]
                pages.setdefault(urls.council(a.slug), f"{a.short_name}'s page, which lists it")
            if council:  # only the patterns named by what changed, not by every commitment
                refs = _changed_pattern_refs(e)
            else:
                refs = [r.value for r in check_entry(entry, register)[1].references if isinstance(r.value, str)]
            for slug in refs:
                pages.setdefault(urls.pattern(slug), f"the page of the pattern it names ({slug})")
            index = index_of(entry.ctype.name)
            pages.setdefault(index, "the dashboard's charts and tables" if index == urls.DASHBOARD else "the index")
    return pages


def _changed_pattern_refs(e: EntryChange) -> list[str]:
    """Patterns named by the commitments or adoptions a council file's change adds, removes or edits."""
    key = "commitments" if (e.entry and e.entry.ctype.name == DECLARATION.name) else "adopted"
    before, after = _items(e.before, key), _items(e.after, key)
    changed = [item for item in before if item not in after] + [item for item in after if item not in before]
    out: list[str] = []
    for item in changed:
        names = [item.get("pattern")] if key == "adopted" else as_list(item.get("patterns"))
        out += [n for n in names if isinstance(n, str)]
    return list(dict.fromkeys(out))


def _items(entry: RawEntry | None, key: str) -> list[dict[str, Any]]:
    meta = entry.meta if entry and isinstance(entry.meta, dict) else {}
    return [item for item in as_list(meta.get(key)) if isinstance(item, dict)]


# ---------------------------------------------------------------------------------------------------------
# Small readers


def _label(kind: str) -> str:
    """A content type's name as words in a sentence: `case-study` is "case study"."""
    return kind.replace("-", " ")


def _title(entry: RawEntry) -> str:
    if entry.ctype.name in COUNCIL_TYPES:
        return entry.folder
    return _text((entry.meta or {}).get("title")) or entry.slug


def _council_name(entry: RawEntry | None, register: Register) -> str:
    codes = owners_of(entry, register)
    return register.by_code[codes[0]].short_name if codes else (entry.folder if entry else "?")


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


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!", "…")) else text + "."


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | dt.date) or value is None


def _s(n: int) -> str:
    return "" if n == 1 else "s"
