"""A council's contracts in the Catalog: one typed, frozen `Contract` per item of a validated contracts.yml, hung on
its council (`Council.contracts`), with the dates the market view works from precomputed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from commons.content.load import RawEntry
from commons.content.values import parse_date
from commons.content.vocabulary import OPEN_API, SYSTEM_CATEGORIES

CONTRACT_LABELS: Mapping[str, Mapping[str, str]] = {"system": SYSTEM_CATEGORIES, "open_api": OPEN_API}  # Catalog.labels


@dataclass(frozen=True)
class Contract:
    council: str  # register code
    id: str
    system: str  # a slug of data/system-categories.yml
    supplier: str
    product: str
    start: dt.date
    end: dt.date
    extension_until: dt.date | None
    annual_value: int | None
    open_api: str  # yes, partial, no or unknown
    data_standards: tuple[str, ...]
    notice: str
    notes: str
    illustrative: bool
    path: str

    @property
    def key(self) -> str:
        return f"{self.council}/{self.id}"

    @property
    def ends(self) -> dt.date:
        """When it ends with its extension counted: when the council has to have bought again."""
        return self.extension_until or self.end

    @property
    def system_label(self) -> str:
        return SYSTEM_CATEGORIES.get(self.system, self.system)


def _open_api(value: Any) -> str:
    if isinstance(value, bool):  # an unquoted yes or no, as YAML reads it
        return "yes" if value else "no"
    return str(value)


def contracts_by_council(entries: Iterable[RawEntry],
                         folder_code: Mapping[str, str]) -> dict[str, tuple[Contract, ...]]:
    """Each council's contracts (by register code), in the order its file lists them. `folder_code` maps a council
    folder to its code; validation guarantees every field read here has its type."""
    found: dict[str, list[Contract]] = defaultdict(list)
    for e in entries:
        code = folder_code.get(e.folder)
        if code is None:
            continue  # a folder without council.yml is an error validation reports
        for c in (e.meta or {}).get("contracts") or ():
            start, end = parse_date(c["start"]), parse_date(c["end"])
            if start is None or end is None:
                raise ValueError(f"{e.path}: contract {c.get('id')!r} has no valid dates")
            found[code].append(Contract(
                council=code, id=c["id"], system=c["system"], supplier=c["supplier"], product=c.get("product") or "",
                start=start, end=end, extension_until=parse_date(c.get("extension-until")),
                annual_value=c.get("annual-value"), open_api=_open_api(c["open-api"]),
                data_standards=tuple(c.get("data-standards") or ()), notice=c.get("notice") or "",
                notes=c.get("notes") or "", illustrative=bool(c.get("illustrative")), path=e.path))
    return {code: tuple(items) for code, items in found.items()}
