"""The plain-English summary of a pull request that `commons check-pr` writes for the pull-request comment.

Says what will change on the site (entries added, removed, renamed; fields changed; every Declaration status
change), whether it can be merged, whose approval it needs, and which pages to look at in the preview.

Every value that comes from the pull request (titles, slugs, paths, field names and values, evidence links,
problem messages and hints, which quote contributed values) is written through `markdown_text` or
`markdown_code`, so it shows as itself and cannot format, link, embed or @mention anything. Only the
maintainers named by the base commit are mentioned, to ask them to approve.

It only reads a `PullRequestCheck` (`pull_request.py`); what each file changes is said by `summary_entries.py`
and the pages to look at are chosen by `summary_pages.py`, whose addresses come from the one URL scheme,
`commons.content.urls`, so the pages it names are the pages the site builds.
"""

from __future__ import annotations

from urllib.parse import quote

from commons.commands.check_pr.approvals import approval_files
from commons.commands.check_pr.pull_request import MAX_LISTED, Approval, PullRequestCheck
from commons.commands.check_pr.summary_entries import LONG, describe, sentence
from commons.commands.check_pr.summary_pages import pages_changed
from commons.content.problems import CODES
from commons.markdown_text import markdown_code, markdown_text, mention
from commons.site.preview import LOCAL_STEP, page_url

MAX_PROBLEMS = 30  # in the comment; the annotations and the job log have them all

__all__ = ["approval_markdown", "describe", "markdown_summary"]  # describe: `commons sources update` says it too


def markdown_summary(result: PullRequestCheck, site_url: str = "", preview: str = "") -> str:
    """The comment's Markdown; problem codes link to their explanations on the site at `site_url`, and the pages
    to look at to the deployed preview at `preview` (or, without one, to the artifact served on this machine)."""
    register = result.register
    assert register is not None
    lines = ["## Council Commons check", ""]
    lines += _verdict(result)
    changes = [line for e in result.entries for line in describe(e, register, result.problems, result.patterns)]
    lines += ["", "### What will change on the site", ""]
    lines += [f"- {c}" for c in changes] or ["- No entries change."]
    pages = pages_changed(result.entries, register, result.patterns)
    if pages:
        lines += ["", "### Pages to look at in the preview", ""]
        lines += [f"The preview of this pull request is at <{preview}>:" if preview else
                  "Download the **site** artifact of the pull request's checks (**Summary** → **Artifacts**), unzip "
                  f"it, run {markdown_code(LOCAL_STEP)} in the unzipped folder, then open:", ""]
        lines += [f"- [{markdown_text((url or '/') + (f'#{place}' if place else ''))}]"
                  f"({_page_link(preview, site_url, url, place)}) — {why}" for (url, place), why in pages.items()]
    if result.problems:
        lines += ["", "### Problems", ""]
        for p in result.problems[:MAX_PROBLEMS]:
            where = f"{p.path}:{p.line}" if p.line else p.path
            hint = f" Hint: {sentence(markdown_text(p.hint, LONG))}" if p.hint else ""
            known = p.code in CODES  # codes are the tooling's own; anything else is shown as text
            code = f"[{p.code}]({site_url}contribute/problems/#{p.code.lower()})" if site_url and known else \
                markdown_text(p.code)
            message = sentence(markdown_text(p.message, LONG))
            lines.append(f"- **{p.severity}** {markdown_code(where)} {code}: {message}{hint}")
        if len(result.problems) > MAX_PROBLEMS:
            lines.append(f"- … and {len(result.problems) - MAX_PROBLEMS} more in the check's annotations.")
    return "\n".join(lines) + "\n"


def _page_link(preview: str, site_url: str, url: str, place: str) -> str:
    """A page's address on the preview, and the place on it (a commitment's, by its id) if any."""
    return page_url(preview, site_url, url) + (f"#{quote(place, safe='-._~')}" if place else "")


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
        out += [f"- {approval_markdown(a, approval_files(a, result))}" for a in result.approvals]
    if result.author is None and result.owners:
        out += ["", "Owners (no author given, so ownership was not checked): "
                + "; ".join(f"{markdown_text(name)} ({', '.join(mention(h) for h in hs) or 'no maintainers yet'})"
                            for name, hs in result.owners.items())]
    elif result.owners and not any(a.councils_own for a in result.approvals):
        out += ["", f"{mention(result.author)} maintains every council this changes."]
    return out


def approval_markdown(a: Approval, files: list[str] | tuple[str, ...] = ()) -> str:
    """`Approval.sentence()` in Markdown: the maintainers mentioned, everything else escaped; the changed files
    that need it (`approvals.approval_files`), or what it is about on its lines below it (each rewrite of
    history, with where it is and what to do instead)."""
    who = " or ".join(mention(h) for h in a.handles) if a.handles else f"a maintainer of {markdown_text(a.council)}"
    whose = f" (maintainers of {markdown_text(a.council)})" if a.handles else ""
    listed = ", ".join(markdown_code(f) for f in files[:MAX_LISTED]) + \
        (f" and {len(files) - MAX_LISTED} more" if len(files) > MAX_LISTED else "")
    tooling = a.kind == "tooling" and files  # "it changes the tooling (files outside the content folders): …"
    where = f" for {listed}" if files and not tooling and not a.found else ""
    found = [f"\n  - {markdown_code(f.where)}: {sentence(markdown_text(f.message, LONG))}"
             + (f" Instead, {sentence(markdown_text(f.hint, LONG))}" if f.hint else "") for f in a.found[:MAX_LISTED]]
    if len(a.found) > MAX_LISTED:
        found.append(f"\n  - … and {len(a.found) - MAX_LISTED} more.")
    return f"needs approval from {who}{whose}{where}: {markdown_text(a.reason, LONG)}" + \
        (f": {listed}" if tooling else "") + (":" if found else "") + "".join(found)


def _s(n: int) -> str:
    return "" if n == 1 else "s"
