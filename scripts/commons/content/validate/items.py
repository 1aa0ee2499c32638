"""Checks shared by a council's lists of items (Declaration commitments, contracts): each item's id used once in its
council, and two of its dates in order. One wording for each, whichever list it is in."""

from __future__ import annotations

from typing import Any

from commons.content.validate.fields import FieldChecker
from commons.content.values import parse_date
from commons.content.yaml_reader import FieldPath


def unique_id(checker: FieldChecker, here: FieldPath, item: dict[str, Any], ids: dict[str, int], noun: str) -> None:
    """E-DUPLICATE-ID at the item's `id` when an earlier item (in `ids`, id -> position, kept up to date here)
    has it."""
    cid = item.get("id")
    if not isinstance(cid, str):
        return
    if cid in ids:
        checker.add((*here, "id"), "E-DUPLICATE-ID", f"{noun} id '{cid}' is used twice",
                    f"{noun} {ids[cid] + 1} already has it; ids must be unique in a council")
    ids.setdefault(cid, here[-1] if isinstance(here[-1], int) else len(ids))


def dates_in_order(checker: FieldChecker, here: FieldPath, item: dict[str, Any], earlier: str, later: str,
                   hint: str, after: bool = False) -> None:
    """E-DATE-ORDER at `later` when it is before `earlier` (with `after`, also when it is the same day)."""
    first, then = parse_date(item.get(earlier)), parse_date(item.get(later))
    if first is None or then is None or (then > first if after else then >= first):
        return
    checker.add((*here, later), "E-DATE-ORDER",
                f"{later} {then.isoformat()} is {'not after' if after else 'before'} {earlier} {first.isoformat()}",
                hint)
