"""`commons new contract --council CODE --system SLUG --supplier NAME --start DATE --end DATE`: one contract added to
the council's contracts.yml (the file written whole when it has none), its formatting and comments kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from commons.commands.new.scaffold import Draft, ScaffoldError, _list_indent, _resolve_council, dump
from commons.content.register import load_register
from commons.content.schema_line import with_schema_line
from commons.content.validate.contracts import nearest
from commons.content.values import SLUG, parse_date, slugify
from commons.content.vocabulary import SUPPLIERS, SYSTEM_CATEGORIES
from commons.errors import UsageError

EXAMPLE = ("commons new contract --council HCK --system revenues-and-benefits --supplier Capita --product Academy "
           "--start 2021-04-01 --end 2026-03-31")


def draft_contract(root: Path, title: str, options: dict[str, Any]) -> Draft:
    """The council's contracts.yml with the new contract added, not yet written (`scaffold.write` checks and writes
    it). Nothing is chosen for the contributor: the system, supplier and dates are asked for; `open-api` is
    `unknown` unless given, which is what the field means when nobody has said."""
    register = load_register(root / "data" / "uk-local-authorities.csv")
    if not options.get("council"):
        raise ScaffoldError("say which council: --council CODE (or its slug, e.g. --council hackney); " + EXAMPLE)
    council = _resolve_council(register, options["council"])
    system = options.get("system")
    if system not in SYSTEM_CATEGORIES:
        raise UsageError("say which kind of system: --system CHOICE, one of: " + ", ".join(SYSTEM_CATEGORIES),
                         "for example --system revenues-and-benefits", help_for="new")
    supplier, product = options.get("supplier") or "", options.get("product") or ""
    if supplier not in SUPPLIERS:
        if not supplier:
            raise UsageError("say who supplies it: --supplier NAME, as data/suppliers.yml names it",
                             "for example " + EXAMPLE, help_for="new")
        raise ScaffoldError(f"'{supplier}' is not a supplier in data/suppliers.yml", nearest(supplier, list(SUPPLIERS)))
    if product and product not in SUPPLIERS[supplier]:
        raise ScaffoldError(f"'{product}' is not one of {supplier}'s products in data/suppliers.yml",
                            nearest(product, list(SUPPLIERS[supplier]),
                                    f"{supplier}'s products are {', '.join(SUPPLIERS[supplier])}"))
    for name in ("start", "end"):
        if parse_date(options.get(name)) is None:
            raise UsageError(f"give the contract's --{name} date as YYYY-MM-DD", "for example " + EXAMPLE,
                             help_for="new")
    folder = register.by_code[council].slug
    rel = f"councils/{folder}/contracts.yml"
    if not (root / "councils" / folder / "council.yml").is_file():
        raise ScaffoldError(f"councils/{folder}/council.yml does not exist yet: run "
                            f"commons new council {council} --maintainer GITHUB_NAME first")
    cid = slugify(title) if title else f"{system}-{options['start'][:4]}"
    if not SLUG.fullmatch(cid):
        raise ScaffoldError(f"'{title}' cannot be made into an id; give one of lower-case words, e.g. {system}")
    contract: dict[str, Any] = {"id": cid, "system": system, "supplier": supplier}
    if product:
        contract["product"] = product
    contract |= {"start": options["start"], "end": options["end"]}
    if options.get("extension_until"):
        contract["extension-until"] = options["extension_until"]
    contract["open-api"] = options.get("open_api") or "unknown"
    return Draft(rel, with_schema_line(_added(root, rel, contract), rel))


def _added(root: Path, rel: str, contract: dict[str, Any]) -> str:
    path = root / rel
    raw = path.read_bytes().decode("utf-8") if path.is_file() else ""
    crlf = "\r\n" in raw  # a file saved on Windows keeps its line endings
    existing = raw.replace("\r\n", "\n")
    try:
        data = yaml.safe_load(existing) if existing.strip() else None
    except yaml.YAMLError as e:
        raise ScaffoldError(f"{rel} cannot be read ({e.__class__.__name__}); run commons validate {rel}") from e
    if not (isinstance(data, dict) and data.get("contracts")):
        if existing.strip():
            raise ScaffoldError(f"{rel} has no list of contracts to add to; run commons validate {rel}")
        return dump({"contracts": [contract]})
    ids = {c.get("id") for c in data["contracts"] if isinstance(c, dict)}
    if contract["id"] in ids:
        raise ScaffoldError(f"{rel} already has a contract with id '{contract['id']}'",
                            "give this one another id as the title, e.g. commons new contract "
                            f"\"{contract['id']}-2\" …")
    item = dump({"contracts": [contract]}).split("\n", 1)[1]
    indent = _list_indent(existing)
    item = "".join((indent + line[2:] if line else line) + "\n" for line in item.rstrip("\n").split("\n"))
    text = existing.rstrip("\n") + "\n" + item
    return text.replace("\n", "\r\n") if crlf else text
