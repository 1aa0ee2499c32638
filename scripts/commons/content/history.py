"""A Declaration commitment's history read honestly: which updates are about the work, and who did it.

`commons reorganise` adds a dated note to each commitment it moves from an abolished council to its successor,
with `moved-from` giving the abolished council's code. That note records the move, not progress: it is never a
commitment's last update (so it does not keep it from going stale), and the updates before it dated before
that council was abolished stay credited to it ("by Harrogate, now part of North Yorkshire"). A commitment
that is done or stopped is not asked for updates and is never overdue.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from commons.content.register import Register
from commons.content.values import parse_date

if TYPE_CHECKING:
    from commons.content.model import Update

FINISHED = ("done", "stopped")  # statuses nobody is asked to update, and that are never overdue


def last_work(history: Sequence[Update]) -> Update:
    """The latest update on the work itself (a reorganisation's note is not one); the last, when all are notes."""
    return next((u for u in reversed(history) if not u.moved_from), history[-1])


def credited(history: list[Update], register: Register) -> tuple[Update, ...]:
    """The history with each update made before a move, dated before the council it moved from was abolished,
    credited to that council (`by`, its short name). A `moved-from` code the register does not know credits none."""
    for i, note in enumerate(history):
        gone = register.get(note.moved_from) if note.moved_from else None
        end = parse_date(gone.end) if gone is not None else None
        if gone is None or end is None:
            continue
        for j, u in enumerate(history[:i]):
            if not u.by and not u.moved_from and u.date <= end:
                history[j] = dataclasses.replace(u, by=gone.short_name)
    return tuple(history)


def judged(status: str, target: dt.date | None, history: Sequence[Update], stale_before: dt.date,
           today: dt.date) -> tuple[bool, bool]:
    """(stale, overdue): stale, no update on the work since `stale_before`; overdue, past its target (before
    `today`). Neither for a commitment that is done or stopped."""
    if status in FINISHED:
        return False, False
    return last_work(history).date < stale_before, target is not None and target < today
