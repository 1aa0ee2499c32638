"""What the similarity engine compares, taken from an entry's parsed values (`commons.content.load.RawEntry`
meta and body, or the same values cached): a `Doc` per pattern, case study and Declaration commitment.

- a pattern: its title, summary, service area, its Problem section, and itself as the pattern it names;
- a case study: its title, summary, service area and the patterns it names;
- a commitment: its title, the first note of its history (what the council set out to do), the patterns it
  names, its principles, and the service area of the first pattern it names that the commons has.

Values of the wrong type are left out rather than refused: the validator reports them; similarity is a hint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from commons.analysis.similarity import Doc

_SECTION = re.compile(r"^##\s+(.*?)\s*$", re.MULTILINE)
MAX_FIELD = 2000  # characters kept of a title or summary: enough for any honest one


def _text(value: Any) -> str:
    return value[:MAX_FIELD] if isinstance(value, str) else ""


def _slugs(value: Any) -> tuple[str, ...]:
    return tuple(sorted({v for v in value if isinstance(v, str)})) if isinstance(value, list) else ()


def problem_section(body: str) -> str:
    """The text of a pattern's '## Problem' section (the whole body's start when it has none)."""
    heads = list(_SECTION.finditer(body))
    for i, h in enumerate(heads):
        if h.group(1).lower() == "problem":
            end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
            return body[h.end():end].strip()
    return body[:MAX_FIELD]


def docs_of(kind: str, path: str, slug: str, meta: Any, body: str = "", folder: str = "") -> list[Doc]:
    """The docs of one entry: `kind` is its content type's name (pattern, case-study, commitment); a
    declaration gives one doc per commitment, keyed "CODE/id" (the council's code from its commitments' file
    is not in it, so `folder`, the council's folder, stands in until `with_council_codes`)."""
    if not isinstance(meta, Mapping):
        return []
    if kind == "pattern" and _text(meta.get("title")):
        return [Doc("pattern", slug, _text(meta["title"]), path, _text(meta.get("summary")), problem_section(body),
                    _text(meta.get("service-area")), (slug,))]
    if kind == "case-study" and _text(meta.get("title")):
        return [Doc("case-study", slug, _text(meta["title"]), path, _text(meta.get("summary")), "",
                    _text(meta.get("service-area")), _slugs(meta.get("patterns")), (),
                    _text(meta.get("council")))]
    if kind != "commitment" or not isinstance(meta.get("commitments"), list):
        return []
    out = []
    for c in meta["commitments"]:
        if not isinstance(c, Mapping) or not _text(c.get("title")) or not isinstance(c.get("id"), str):
            continue
        history = c.get("history")
        if not isinstance(history, list):
            history = []
        first = next((_text(u.get("note")) for u in history if isinstance(u, Mapping)), "")
        listed = c.get("principles")
        principles = tuple(sorted({p for p in listed if isinstance(p, int)})) if isinstance(listed, list) else ()
        out.append(Doc("commitment", f"{folder}/{c['id']}", _text(c["title"]), path, "", first, "",
                       _slugs(c.get("patterns")), principles, folder))
    return out


def with_service_areas(docs: Iterable[Doc], areas: Mapping[str, str]) -> list[Doc]:
    """Commitments given the service area of the first pattern they name that `areas` (slug -> area) has."""
    out = []
    for d in docs:
        if d.type == "commitment" and not d.service_area:
            area = next((areas[p] for p in d.patterns if p in areas), "")
            d = Doc(d.type, d.key, d.title, d.path, d.summary, d.text, area, d.patterns, d.principles, d.council)
        out.append(d)
    return out


def with_council_codes(docs: Iterable[Doc], codes: Mapping[str, str]) -> list[Doc]:
    """Commitments keyed by their council's register code ("HCK/id") instead of its folder, where known."""
    out = []
    for d in docs:
        if d.type == "commitment" and d.council in codes:
            code = codes[d.council]
            d = Doc(d.type, f"{code}/{d.key.split('/', 1)[1]}", d.title, d.path, d.summary, d.text,
                    d.service_area, d.patterns, d.principles, code)
        out.append(d)
    return out


def docs_of_entries(entries: Iterable[Any]) -> list[Doc]:
    """The docs of parsed entries (`commons.content.load.RawEntry`s: the site's, validated), commitments keyed
    by their council's code and given their patterns' areas, as `commons.analysis.corpus` gives a clone's."""
    docs: list[Doc] = []
    codes: dict[str, str] = {}
    for e in entries:
        kind = e.ctype.name
        if kind == "council" and isinstance(e.meta, Mapping) and isinstance(e.meta.get("code"), str):
            codes[e.path.split("/")[1]] = e.meta["code"]
        elif kind in ("pattern", "case-study", "commitment"):
            docs += docs_of(kind, e.path, e.slug, e.meta, e.body, e.folder)
    areas = {d.key: d.service_area for d in docs if d.type == "pattern"}
    return with_service_areas(with_council_codes(docs, codes), areas)
