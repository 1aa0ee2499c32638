"""A pull request's reviews, as GitHub's REST API lists them (GET /repos/{owner}/{repo}/pulls/{n}/reviews).

The file is data from outside: it is bounded in size and count, and every entry is checked before it is used.
An entry that is not a well-formed review (no user, a login GitHub would not give, a state GitHub does not
have, a commit that is not a commit id) is ignored and counted, never trusted; a file that is not a JSON list
at all is a `UsageError`.

An approval only counts when nothing can have come after it unseen, so the order is fail-safe: a review whose
time cannot be read counts as the latest when it asks for changes or was dismissed, and is ignored when it is
an approval.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from commons.content.schema import HANDLE_PATTERN
from commons.errors import UsageError

MAX_BYTES = 5 * 1024 * 1024  # GitHub lists 100 reviews a page; thousands of them fit well under this
MAX_REVIEWS = 10_000
STATES = ("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING")
DECISIVE = ("APPROVED", "CHANGES_REQUESTED", "DISMISSED")  # what a reviewer's latest word is made of
_HANDLE = re.compile(HANDLE_PATTERN)
_COMMIT = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")
_LATEST = dt.datetime.max.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Review:
    login: str  # as GitHub gives it; compared without case
    state: str  # one of STATES
    commit: str  # the commit the review was given on
    when: dt.datetime  # submitted_at (an unreadable one: see the module's docstring)
    order: int  # its place in the list, which GitHub gives oldest first


def read_reviews(path: Path) -> tuple[list[Review], int]:
    """The well-formed reviews in the file, and how many entries were ignored.

    Raises `UsageError` (exit 2) for a file that cannot be read as a JSON list of at most MAX_REVIEWS entries.
    """
    hint = "give the JSON list GitHub returns for GET /repos/{owner}/{repo}/pulls/{number}/reviews"
    try:
        if not path.is_file():
            raise UsageError(f"--reviews {path}: no such file", hint, help_for="approval")
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise UsageError(f"--reviews {path}: cannot be read ({e.strerror or e})", hint, help_for="approval") from None
    if len(data) > MAX_BYTES:
        raise UsageError(f"--reviews {path}: over the {MAX_BYTES:,} byte limit", hint, help_for="approval")
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UsageError(f"--reviews {path}: not UTF-8 text", hint, help_for="approval") from None
    except (ValueError, RecursionError) as e:
        where = f" (line {e.lineno}, column {e.colno})" if isinstance(e, json.JSONDecodeError) else ""
        raise UsageError(f"--reviews {path}: not JSON{where}", hint, help_for="approval") from None
    if not isinstance(value, list):
        raise UsageError(f"--reviews {path}: a JSON list of reviews was expected, not {_kind(value)}", hint,
                         help_for="approval")
    if len(value) > MAX_REVIEWS:
        raise UsageError(f"--reviews {path}: {len(value):,} reviews, over the {MAX_REVIEWS:,} limit", hint,
                         help_for="approval")
    reviews = [r for r in (_review(i, item) for i, item in enumerate(value)) if r is not None]
    return reviews, len(value) - len(reviews)


def latest_words(reviews: list[Review]) -> dict[str, Review]:
    """Each reviewer's latest review that is not a comment, by lower-case login."""
    latest: dict[str, Review] = {}
    for r in sorted((r for r in reviews if r.state in DECISIVE), key=lambda r: (r.when, r.order)):
        latest[r.login.lower()] = r
    return latest


def _review(i: int, item: object) -> Review | None:
    if not isinstance(item, dict):
        return None
    user, state, commit = item.get("user"), item.get("state"), item.get("commit_id")
    login = user.get("login") if isinstance(user, dict) else None
    if not isinstance(login, str) or not _HANDLE.fullmatch(login) or state not in STATES:
        return None
    if not isinstance(commit, str) or not _COMMIT.fullmatch(commit):
        return None
    when = _time(item.get("submitted_at"))
    if when is None:
        if state == "APPROVED":
            return None  # an approval that cannot be placed in time might have been withdrawn since
        when = _LATEST
    return Review(login, state, commit, when, i)


def _time(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def _kind(value: object) -> str:
    return {dict: "an object", str: "text", bool: "true or false", type(None): "null"}.get(type(value), "a number")
