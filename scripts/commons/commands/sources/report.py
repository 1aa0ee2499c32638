"""The plain-English summary of a `commons sources update`, in check-pr's wording.

Each source that moved says what changes on the site, line by line as `check_pr.summary.describe` says it for
a pull request ("Sheffield — *Publish planning data weekly*: planned → in progress."); each refused one says
why, what its owners must fix (every problem with its place in their repository) and which commit the site
keeps showing. Everything from a source (its address, messages quoting its values) is escaped with
`markdown_text`/`markdown_code`: the summary becomes a pull request's description and an issue's body.
"""

from __future__ import annotations

from commons.commands.check_pr.summary import describe
from commons.commands.sources.update import Outcome, Result
from commons.markdown_text import markdown_code, markdown_text

MAX_SHOWN_PROBLEMS = 20  # per source in the summary; sources.lock keeps more


def summary(result: Result) -> str:
    register = result.register
    lines = ["## Council Commons sources update", ""]
    moved = [o for o in result.outcomes if not o.refused and o.moved]
    current = [o for o in result.outcomes if not o.refused and not o.moved]
    refused = result.refused
    counts = [f"{len(moved)} moved", f"{len(current)} already up to date", f"{len(refused)} refused"]
    if result.removed:
        counts.append(f"{len(result.removed)} removed")
    lines += [f"{len(result.outcomes)} source{'s' * (len(result.outcomes) != 1)} checked: " + ", ".join(counts) + "."]
    for o in moved:
        lines += ["", f"### {_title(o, register)}", "",
                  f"Moves from {_commit(o.before.commit if o.before else '')} to {_commit(o.after.commit)}:", ""]
        lines += [f"- {line}" for e in o.changes for line in describe(e, register)] or \
            ["- No change the site shows."]
    for o in refused:
        failure = o.after.failure
        assert failure is not None
        kept = f"The site keeps showing {_commit(o.after.commit)}" if o.after.commit else \
            "The site shows nothing from it yet"
        lines += ["", f"### {_title(o, register)}: refused", "",
                  f"**{markdown_text(failure.reason)}.** {kept} (failing since {markdown_text(failure.since)}).", ""]
        lines += [f"- {markdown_code(p)}" for p in failure.problems[:MAX_SHOWN_PROBLEMS]]
        if len(failure.problems) > MAX_SHOWN_PROBLEMS:
            lines.append(f"- … and {len(failure.problems) - MAX_SHOWN_PROBLEMS} more in sources.lock.")
    for gone in result.removed:
        name = register.by_code[gone.council].name if gone.council in register.by_code else gone.council
        lines += ["", f"### {markdown_text(name)}: removed", "",
                  f"No longer in sources.yml: its pin to {markdown_code(gone.url)} is removed."]
    return "\n".join(lines) + "\n"


def _title(o: Outcome, register: object) -> str:
    name = getattr(register, "by_code", {}).get(o.source.council)
    shown = name.name if name is not None else o.source.council
    return f"{markdown_text(shown)} ({markdown_code(o.source.url)})"


def _commit(sha: str) -> str:
    return markdown_code(sha[:7]) if sha else "nothing"
