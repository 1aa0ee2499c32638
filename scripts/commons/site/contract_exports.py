"""The open data of councils' contracts: `api/v1/contracts.json` and `contracts.csv` (documented in docs/data.md),
made from the Catalog by `commons.site.exports`, whose envelope and formula-safe CSV writer they use."""

from __future__ import annotations

from typing import Any

from commons.content import urls
from commons.content.contracts import Contract
from commons.content.model import Catalog

CONTRACT_CSV_COLUMNS = ("council_code", "council_name", "id", "system", "system_label", "supplier", "product", "start",
                        "end", "extension_until", "ends", "annual_value", "open_api", "data_standards", "notice",
                        "illustrative", "url")


def contracts_of(c: Catalog) -> list[Contract]:
    """Every council's contracts, councils in the Catalog's order, each council's in the order it lists them."""
    return [k for council in c.councils.values() for k in council.contracts]


def contract_item(k: Contract, c: Catalog) -> dict[str, Any]:
    council = c.councils[k.council]
    return {
        "council": k.council, "council_name": council.name, "id": k.id, "key": k.key, "system": k.system,
        "system_label": k.system_label, "supplier": k.supplier, "product": k.product or None,
        "start": k.start.isoformat(), "end": k.end.isoformat(),
        "extension_until": k.extension_until.isoformat() if k.extension_until else None, "ends": k.ends.isoformat(),
        "annual_value": k.annual_value, "open_api": k.open_api, "data_standards": list(k.data_standards),
        "notice": k.notice or None, "notes": k.notes or None, "illustrative": k.illustrative,
        "url": urls.council(council.slug), "path": k.path,
    }


def contract_row(k: Contract, c: Catalog) -> list[str | int | float | bool | None]:  # exports.Cell
    """One contract as a row of CONTRACT_CSV_COLUMNS; lists are joined with ';'."""
    council = c.councils[k.council]
    return [k.council, council.name, k.id, k.system, k.system_label, k.supplier, k.product or None,
            k.start.isoformat(), k.end.isoformat(), k.extension_until.isoformat() if k.extension_until else None,
            k.ends.isoformat(), k.annual_value, k.open_api, ";".join(k.data_standards), k.notice or None,
            k.illustrative, urls.council(council.slug)]
