"""The UK local authority register shipped in `data/`: who each council is.

Councils are keyed by register code (`HCK`); their pages use the register's
GOV.UK slug. Abolished councils resolve to their current successors.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from commons.content.values import slugify

REGISTER_FILE = Path(__file__).resolve().parents[3] / "data" / "uk-local-authorities.csv"

TYPE_NAMES: Mapping[str, str] = {
    "CTY": "County council",
    "NMD": "District council",
    "UA": "Unitary authority",
    "MD": "Metropolitan borough",
    "LBO": "London borough",
    "SCO": "Scottish council",
    "WPA": "Welsh council",
    "NID": "Northern Ireland district",
    "COMB": "Combined authority",
    "SRA": "Strategic regional authority",
    "CC": "City corporation",
}


@dataclass(frozen=True)
class Authority:
    code: str
    name: str  # official name, e.g. "London Borough of Hackney"
    short_name: str  # nice name, e.g. "Hackney"
    slug: str
    gss: str
    nation: str
    region: str
    type: str  # register type code, e.g. "LBO"
    start: str
    end: str
    replaced_by: tuple[str, ...]
    alt_names: tuple[str, ...]

    @property
    def current(self) -> bool:
        return not self.end

    @property
    def type_name(self) -> str:
        return TYPE_NAMES.get(self.type, self.type)


class Register:
    def __init__(self, authorities: list[Authority]):
        self.by_code: dict[str, Authority] = {a.code: a for a in authorities}
        self.by_slug: dict[str, Authority] = {}
        # Current councils own their slug; an abolished council whose slug a current one now uses
        # (North Yorkshire, Somerset) is reached through its successor.
        for a in sorted(authorities, key=lambda a: not a.current):
            self.by_slug.setdefault(a.slug, a)

    def __iter__(self) -> Iterator[Authority]:
        return iter(self.by_code.values())

    def current(self) -> list[Authority]:
        return [a for a in self.by_code.values() if a.current]

    def get(self, code: str) -> Authority | None:
        return self.by_code.get(code)

    def successors(self, code: str) -> list[Authority]:
        """The current councils that took over from `code` (following chains of reorganisations)."""
        out: list[Authority] = []
        seen: set[str] = set()
        todo = [code]
        while todo:
            a = self.by_code.get(todo.pop(0))
            if a is None or a.code in seen:
                continue
            seen.add(a.code)
            if a.current:
                if a.code != code:
                    out.append(a)
            else:
                todo.extend(a.replaced_by)
        return out

    def guess(self, text: str) -> Authority | None:
        """The council a mistyped reference most likely meant: by name, slug or a close code."""
        key = slugify(text)
        for a in self.current():
            if key and (key == a.slug or key == slugify(a.short_name) or key == slugify(a.name)
                        or key in (slugify(n) for n in a.alt_names)):
                return a
        codes = [a.code for a in self.current()]
        close = difflib.get_close_matches(text.upper(), codes, n=1, cutoff=0.6)
        return self.by_code[close[0]] if close else None


@cache
def load_register(path: Path = REGISTER_FILE) -> Register:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    authorities = [
        Authority(
            code=r["local-authority-code"],
            name=r["official-name"],
            short_name=r["nice-name"],
            # The one slug rule applies to the register's slugs too ("st.-helens" becomes "st-helens").
            slug=slugify(r["gov-uk-slug"] or r["nice-name"]),
            gss=r["gss-code"],
            nation=r["nation"],
            region=r["region"],
            type=r["local-authority-type"],
            start=r["start-date"],
            end=r["end-date"],
            replaced_by=tuple(c for c in r["replaced-by"].split(",") if c),
            alt_names=tuple(n.strip() for n in r["alt-names"].split(",") if n.strip()),
        )
        for r in rows
    ]
    return Register(authorities)
