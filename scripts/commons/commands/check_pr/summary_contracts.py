"""What a change to a council's contracts.yml does, in plain English: one sentence per contract it adds, removes
or changes, named by its kind of system and its supplier as the market page shows it.

    Hackney — housing management contract with *NEC Software Solutions*: ends 31 March 2028 (was 31 March 2027)

Contracts are matched by their `id` (a contract whose id changes is removed and added). A file whose contracts
cannot be told apart (`contracts` not a list, a contract without a text id) is said to be so and nothing in it is
said to be removed. Every contributed value is written through `markdown_text` or `markdown_code`; the caller
(`summary_entries.describe`) ends each sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from commons.content.values import parse_date
from commons.content.vocabulary import OPEN_API, SYSTEM_CATEGORIES
from commons.markdown_text import markdown_code, markdown_text

SHORT = 60  # a value longer than this is named, not quoted
# The fields a sentence says in words of its own; any other changed field is named.
_OWN = ("id", "system", "supplier", "product", "start", "end", "extension-until", "annual-value", "open-api",
        "data-standards", "notice", "notes", "illustrative")

Meta = Mapping[str, Any]


def contract_lines(before: Meta | None, after: Meta | None, council: str) -> list[str]:
    """The sentences (Markdown, no full stops) for a contracts.yml changing from `before` to `after` (its parsed
    files, None when absent); `council` is the council's name, already escaped."""
    old, new = contracts_by_id(before), contracts_by_id(after)
    if old is None or new is None:
        return [f"{council}'s contracts: could not tell them apart (each must be an item of the `contracts` list "
                "with its own id); this summary says what changes once they can be"]
    out = []
    for cid, c in new.items():
        was = old.get(cid)
        if was is None:
            out.append(f"{council} — new {_named(c)}{_product(c)}: {_span(c)}")
        elif was != c:
            out.append(_changed(council, was, c))
    out += [f"{council} — removes the {_named(c)} ({_ends(c)})" for cid, c in old.items() if cid not in new]
    return out or [f"{council}'s contracts: no change the site shows"]


def contracts_by_id(meta: Meta | None) -> dict[str, dict[str, Any]] | None:
    """A contracts.yml's contracts by id (the first of two with one id, as the validator refuses the second), or
    None when they cannot be told apart."""
    if meta is None:
        return {}
    if not isinstance(meta, Mapping):
        return None
    items = meta.get("contracts")
    if items is None:  # no contracts yet
        return {}
    if not isinstance(items, list) or not all(isinstance(c, dict) and isinstance(c.get("id"), str) for c in items):
        return None
    out: dict[str, dict[str, Any]] = {}
    for c in items:
        out.setdefault(c["id"], c)
    return out


def _changed(council: str, was: dict[str, Any], c: dict[str, Any]) -> str:
    if was.get("system") != c.get("system"):
        head = f"{council} — {_named(c)} (was the {_named(was)})"
    elif was.get("supplier") != c.get("supplier"):
        head = f"{council} — {_system(c)} contract, now with {_supplier(c)} (was with {_supplier(was)})"
    else:
        head = f"{council} — {_named(c)}"
    parts = []
    if was.get("product") != c.get("product"):
        parts.append(f"product {_value(c.get('product'))} (was {_value(was.get('product'))})")
    for key, words in (("start", "starts"), ("end", "ends")):
        if was.get(key) != c.get(key):
            parts.append(f"{words} {_day(c.get(key))} (was {_day(was.get(key))})")
    a, b = was.get("extension-until"), c.get("extension-until")
    if a != b:
        parts.append(f"no extension (was until {_day(a)})" if b is None else
                     f"extension until {_day(b)} (was {'none' if a is None else _day(a)})")
    if was.get("annual-value") != c.get("annual-value"):
        parts.append(f"{_pounds(c.get('annual-value'))} a year (was {_pounds(was.get('annual-value'))})")
    if was.get("open-api") != c.get("open-api"):
        parts.append(f"open API: {_open_api(was.get('open-api'))} → {_open_api(c.get('open-api'))}")
    added = [s for s in _list(c.get("data-standards")) if s not in _list(was.get("data-standards"))]
    removed = [s for s in _list(was.get("data-standards")) if s not in _list(c.get("data-standards"))]
    if added or removed:
        parts.append("data standards (" + "; ".join(
            [f"adds {', '.join(_value(s) for s in added)}"] * bool(added)
            + [f"removes {', '.join(_value(s) for s in removed)}"] * bool(removed)) + ")")
    if was.get("notice") != c.get("notice"):
        link = c.get("notice")
        parts.append(f"notice {markdown_code(link)}" if isinstance(link, str) else "no notice")
    if was.get("notes") != c.get("notes"):
        parts.append("its notes")
    if bool(was.get("illustrative")) != bool(c.get("illustrative")):
        parts.append("marked illustrative" if c.get("illustrative") else "now the council's own record, not an "
                     "example")
    parts += [markdown_text(k) for k in dict.fromkeys([*c, *was]) if k not in _OWN and was.get(k) != c.get(k)]
    return head + (": " + "; ".join(parts) if parts else "")


def _named(c: Mapping[str, Any]) -> str:
    """'housing management contract with *Supplier*'."""
    return f"{_system(c)} contract with {_supplier(c)}"


def _system(c: Mapping[str, Any]) -> str:
    value = c.get("system")
    label = SYSTEM_CATEGORIES.get(value, value) if isinstance(value, str) else "unnamed"
    label = str(label)
    if label[1:2].islower():  # "Housing management" reads "housing management"; "CRM and…" keeps its capitals
        label = label[0].lower() + label[1:]
    return markdown_text(label, SHORT)


def _supplier(c: Mapping[str, Any]) -> str:
    return _value(c.get("supplier"))


def _product(c: Mapping[str, Any]) -> str:
    return f" ({_value(c['product'])})" if c.get("product") is not None else ""


def _span(c: Mapping[str, Any]) -> str:
    until = c.get("extension-until")
    return (f"from {_day(c.get('start'))}, ends {_day(c.get('end'))}"
            + (f" (extension until {_day(until)})" if until is not None else ""))


def _ends(c: Mapping[str, Any]) -> str:
    last = c.get("extension-until") if c.get("extension-until") is not None else c.get("end")
    return f"ending {_day(last)}"


def _value(value: Any) -> str:
    if value is None:
        return "none"
    text = str(value)
    return f"*{markdown_text(text, SHORT)}*" if text.strip() else "none"


def _day(value: Any) -> str:
    day = value if isinstance(value, dt.date) else parse_date(value)
    if day is not None:
        return f"{day.day} {day:%B %Y}"
    return "none" if value is None else markdown_text(value, SHORT)


def _pounds(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"£{value:,}"
    return "not given" if value is None else markdown_text(value, SHORT)


def _open_api(value: Any) -> str:
    if isinstance(value, bool):  # an unquoted yes or no, as YAML reads it
        value = "yes" if value else "no"
    if value is None:
        return "not given"
    return markdown_text(str(OPEN_API.get(value, value)).lower() if isinstance(value, str) else value, SHORT)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
