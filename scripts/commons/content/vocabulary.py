"""The controlled lists of the commons: service areas (the LGA's service list), pattern and commitment
statuses, the five principles of the Local Digital Declaration, and the kinds of system councils buy and who
sells them (read from `data/`, where they can be extended without touching code). Keys are what files hold;
values are what pages print."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[3] / "data"  # the tooling's own reference data, as for the register

SERVICE_AREAS: Mapping[str, str] = {
    "education": "Education",
    "highways-and-transport": "Highways and transport",
    "childrens-social-care": "Children's social care",
    "adult-social-care": "Adult social care",
    "public-health": "Public health",
    "housing": "Housing",
    "cultural-and-related": "Cultural and related",
    "environmental-and-regulatory": "Environmental and regulatory",
    "planning-and-development": "Planning and development",
    "central-services": "Central services",
    "platforms": "Platforms",
}

PATTERN_STATUSES: Mapping[str, str] = {
    "proposed": "Proposed",
    "alpha": "Alpha",
    "beta": "Beta",
    "live": "Live",
    "retired": "Retired",
}

COMMITMENT_STATUSES: Mapping[str, str] = {
    "planned": "Planned",
    "in-progress": "In progress",
    "done": "Done",
    "paused": "Paused",
    "stopped": "Stopped",
}

PRINCIPLES: Mapping[int, str] = {
    1: "Redesign services around the needs of the people using them",
    2: "'Fix our plumbing': modular technology and open standards",
    3: "Safe, secure and useful sharing of information",
    4: "Digital leadership",
    5: "An open culture that expects digital ways of working",
}

OPEN_API: Mapping[str, str] = {
    "yes": "Yes",
    "partial": "Partly",
    "no": "No",
    "unknown": "Not known",
}


def _read_list(name: str) -> list[dict[str, object]]:
    """A list of mappings from a file in data/, shipped with the tooling (a malformed one is a bug the tests catch)."""
    items = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ValueError(f"data/{name} must be a list of mappings")
    return items


def _products(item: dict[str, object]) -> list[object]:
    products = item.get("products") or []
    if not isinstance(products, list):
        raise ValueError(f"data/suppliers.yml: the products of {item.get('supplier')} must be a list")
    return products


# slug -> label, in the order data/system-categories.yml lists them
SYSTEM_CATEGORIES: Mapping[str, str] = {str(i["slug"]): str(i["label"]) for i in _read_list("system-categories.yml")}

# supplier -> its products, as data/suppliers.yml names them
SUPPLIERS: Mapping[str, tuple[str, ...]] = {
    str(i["supplier"]): tuple(str(p) for p in _products(i)) for i in _read_list("suppliers.yml")}
