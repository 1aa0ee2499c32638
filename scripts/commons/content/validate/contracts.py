"""The rules of a council's contracts.yml: ids unique, dates in order, suppliers and products from data/suppliers.yml
(with the nearest name when one is mistyped), and a contract past its end with nothing after it flagged as stale."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from typing import Any

from commons.content.load import RawEntry
from commons.content.register import Register
from commons.content.validate.fields import FieldChecker
from commons.content.validate.items import dates_in_order, unique_id
from commons.content.values import parse_date
from commons.content.vocabulary import SUPPLIERS, SYSTEM_CATEGORIES
from commons.content.yaml_reader import FieldPath

_PLACEHOLDER = ("TODO", "TBC", "TBD", "FIXME")  # told as E-PLACEHOLDER, not as an unknown name
_ADD_HINT = ("if the name is right, add it to data/suppliers.yml in a pull request of its own, which a maintainer of "
             "the commons approves; once that is merged, this one passes")


def contract_rules(entry: RawEntry, checker: FieldChecker, register: Register, today: dt.date | None = None) -> None:
    contracts = (entry.meta or {}).get("contracts")
    if not isinstance(contracts, list):
        return
    today = today or dt.date.today()
    ids: dict[str, int] = {}
    for i, c in enumerate(contracts):
        if not isinstance(c, dict):
            continue
        here: FieldPath = ("contracts", i)
        unique_id(checker, here, c, ids, "contract")
        dates_in_order(checker, here, c, "start", "end", "a contract cannot end before it starts; check both dates")
        dates_in_order(checker, here, c, "end", "extension-until", "extension-until is when it ends with its "
                       "extensions, so it comes after end; remove it if there is no extension", after=True)
        _supplier(checker, c, here)
    _ended(checker, contracts, today)


def _supplier(checker: FieldChecker, c: Mapping[str, Any], here: FieldPath) -> None:
    supplier, product = c.get("supplier"), c.get("product")
    if not isinstance(supplier, str) or not supplier.strip() or supplier.strip().upper().startswith(_PLACEHOLDER):
        return
    if supplier not in SUPPLIERS:
        checker.add((*here, "supplier"), "E-UNKNOWN-SUPPLIER", f"'{supplier}' is not a supplier in data/suppliers.yml",
                    nearest(supplier, list(SUPPLIERS)))
        return
    if not isinstance(product, str) or not product.strip() or product.strip().upper().startswith(_PLACEHOLDER):
        return
    products = SUPPLIERS[supplier]
    if product in products:
        return
    sellers = [s for s, listed in SUPPLIERS.items() if product in listed]
    hint = (f"{sellers[0]} sells {product}: check the supplier" if sellers else
            nearest(product, list(products), f"{supplier}'s products are {', '.join(products)}"))
    checker.add((*here, "product"), "E-UNKNOWN-SUPPLIER",
                f"'{product}' is not one of {supplier}'s products in data/suppliers.yml", hint)


def nearest(text: str, names: list[str], otherwise: str = "") -> str:
    """'did you mean …?' for a near-miss, compared without case; else how to add it."""
    lowered = {n.lower(): n for n in names}
    close = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=0.8)
    if close:
        return f"did you mean '{lowered[close[0]]}'? Or, {_ADD_HINT}"
    return (otherwise + "; " if otherwise else "") + _ADD_HINT


def _ended(checker: FieldChecker, contracts: list[Any], today: dt.date) -> None:
    """A contract whose end (with its extension) has passed, when no contract for the same system runs on after it:
    the record is out of date, or the council has a new contract nobody recorded."""
    ends: list[tuple[int, str, dt.date]] = []
    for i, c in enumerate(contracts):
        if isinstance(c, dict) and isinstance(c.get("system"), str):
            start, last = parse_date(c.get("start")), parse_date(c.get("extension-until")) or parse_date(c.get("end"))
            if last is not None and not (start and last < start):  # dates out of order are an error already
                ends.append((i, c["system"], last))
    for i, system, last in ends:
        if last >= today or any(s == system and later > last for _, s, later in ends):
            continue
        checker.add(("contracts", i, "extension-until" if "extension-until" in contracts[i] else "end"),
                    "W-CONTRACT-ENDED", f"the contract for {SYSTEM_CATEGORIES.get(system, system)} ended on "
                    f"{last.isoformat()} and no later contract for it follows",
                    "add the contract that replaced it (the same system, a later end), or its extension in "
                    "extension-until; remove it if the council no longer buys this")
