"""The one rule for each kind of plain value: dates and slugs. Every stage that reads a date or makes a
slug uses these, so a date the validator accepts is the date the model, the summary and the scaffolds see."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from commons.content.schema import SLUG_PATTERN

DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
SLUG = re.compile(SLUG_PATTERN)  # what a slug may be: see slugify for how one is made


def parse_date(value: Any) -> dt.date | None:
    """The one date parser: `YYYY-MM-DD` text that names a real day, else None."""
    if not isinstance(value, str):
        return None
    m = DATE.fullmatch(value)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


_APOSTROPHES = re.compile("['\u2018\u2019\u02bc`]")  # you're, you’re: part of the word


def slugify(text: str) -> str:
    """The one slug rule: lower case, apostrophes dropped (`you're` is `youre`, not `you-re`), and runs of
    anything else but letters and digits become one hyphen. Existing files keep their names: a slug is read from
    the file name, so this only shapes new ones (and no council in the register has an apostrophe)."""
    return re.sub(r"[^a-z0-9]+", "-", _APOSTROPHES.sub("", text.lower())).strip("-")
