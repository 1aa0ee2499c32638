"""Whether a pull request's reviews give every approval `commons check-pr` says it needs.

An approval is met when one of the people who may give it (`Approval.handles`, read from the base commit)
has, as their latest review that is not a comment, approved the head commit itself: an approval of an
earlier commit does not count, since the author could have pushed anything after it, and a later request
for changes, or the approval's dismissal, takes it back. The author's own review never counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from commons.commands.approval.reviews import Review, latest_words
from commons.commands.check_pr.pull_request import Approval, PullRequestCheck

MAX_DESCRIPTION = 140  # what GitHub keeps of a commit status's description
MAX_NAMED = 2  # handles named for one council before "or N others", when the description would be too long


@dataclass
class Decision:
    """The Council approval status: its state, its description, and each approval, waiting or met."""

    state: str  # "success" or "failure"
    description: str  # at most MAX_DESCRIPTION characters, naming who must approve
    waiting: list[Approval] = field(default_factory=list)
    met: list[tuple[Approval, str]] = field(default_factory=list)  # with the login whose review met it
    errors: int = 0  # the change's errors: it must be fixed before anything is approved

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "description": self.description,
            "waiting": [_approval(a) for a in self.waiting],
            "met": [{**_approval(a), "by": by} for a, by in self.met],
        }


def decide(result: PullRequestCheck, reviews: list[Review]) -> Decision:
    """The decision for the approvals `result` needs, from `reviews` of the pull request."""
    author = (result.author or "").lower()
    latest = {login: r for login, r in latest_words(reviews).items() if login != author}
    waiting: list[Approval] = []
    met: list[tuple[Approval, str]] = []
    for a in result.approvals:
        by = next((latest[h.lower()].login for h in a.handles if h.lower() != author and h.lower() in latest
                   and latest[h.lower()].state == "APPROVED" and latest[h.lower()].commit == result.head), None)
        if by is None:
            waiting.append(a)
        else:
            met.append((a, by))
    if result.errors:
        n = result.errors
        return Decision("failure", _cut(f"Fix the {n} error{'' if n == 1 else 's'} the Council Commons check found "
                                        "first, then ask for approval"), waiting, met, n)
    if waiting:
        return Decision("failure", waiting_for(waiting), waiting, met)
    if met:
        return Decision("success", approved_by(met), waiting, met)
    return Decision("success", "No approval needed: the author maintains every council this changes", waiting, met)


def waiting_for(waiting: list[Approval]) -> str:
    """'Waiting for Hackney (@a or @b) and Council Commons (@c)', shortened to fit MAX_DESCRIPTION."""
    groups = list(dict.fromkeys((a.council, a.handles) for a in waiting))
    for named in (None, MAX_NAMED, 0):
        text = "Waiting for " + _and([_whom(council, handles, named) for council, handles in groups])
        if len(text) <= MAX_DESCRIPTION:
            return text
    return _cut(text)


def approved_by(met: list[tuple[Approval, str]]) -> str:
    """'Approved by @a for Hackney and @c for Council Commons', shortened to fit MAX_DESCRIPTION."""
    pairs = list(dict.fromkeys((by, a.council) for a, by in met))
    text = "Approved by " + _and([f"@{by} for {council}" for by, council in pairs])
    return text if len(text) <= MAX_DESCRIPTION else _cut("Approved by " + _and([f"@{by}" for by, _ in pairs]))


def _whom(council: str, handles: tuple[str, ...], named: int | None) -> str:
    if not handles:
        return f"a maintainer of {council}"
    if named == 0:
        return council
    shown = handles if named is None or len(handles) <= named + 1 else handles[:named]
    others = len(handles) - len(shown)
    who = " or ".join(f"@{h}" for h in shown) if not others else \
        ", ".join(f"@{h}" for h in shown) + f" or {others} other{'' if others == 1 else 's'}"
    return f"{council} ({who})"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _cut(text: str) -> str:
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1].rstrip() + "…"


def _approval(a: Approval) -> dict[str, Any]:
    return {"council": a.council, "handles": list(a.handles), "reason": a.reason}
