"""W-SIMILAR: a new pattern very close to one the commons has, and a new commitment other councils are
already working on.

A new pattern whose nearest other pattern (`commons.analysis.similarity`, by meaning, in the checked tree)
scores WARN_THRESHOLD or more is named with it, so its author improves that one or says how theirs differs.
A new commitment (an id its council's file did not have) lists the other councils whose commitments score
that much, leaving out those it already names as partners: it may want them as partners. Both are warnings:
they never stop a merge, and the entries compared are the tree's own files, read as data.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from commons.commands.check_pr.pull_request import EntryChange
from commons.content.problems import Problem
from commons.content.register import Register
from commons.content.values import SLUG

if TYPE_CHECKING:  # the engine is imported only for a change that adds a pattern or a commitment
    from commons.analysis.similarity import Doc, Index
    from commons.content.validate.repository import Sourced

CODE = "W-SIMILAR"
MAX_NAMED = 3  # councils or patterns named in one warning
MAX_COMPARED = 20  # new patterns and commitments compared in one pull request


def similar_rule(tree: Path, entries: list[EntryChange], register: Register,
                 sourced: Sequence[Sourced] = ()) -> list[Problem]:
    """W-SIMILAR for each pattern the change adds and each commitment it adds, compared with `tree` (and the
    `sourced` files of councils' own repositories)."""
    patterns = [e.after for e in entries if e.before is None and e.after is not None
                and e.after.ctype.name == "pattern" and isinstance(e.after.meta, dict)]
    commitments = [(e.after, _new_ids(e)) for e in entries if e.after is not None
                   and e.after.ctype.name == "commitment" and isinstance(e.after.meta, dict)]
    commitments = [(entry, ids) for entry, ids in commitments if ids]
    if not patterns and not commitments:
        return []
    from commons.analysis.corpus import load_index
    from commons.analysis.similarity import WARN_THRESHOLD

    kinds = ("pattern",) if not commitments else ("pattern", "commitment", "council")
    # An entry whose name breaks the naming rule is an error already (E-SLUG, E-FILE-NAME): not worth naming
    index = load_index(tree, use_cache=False, kinds=kinds,
                       keep=lambda d: bool(SLUG.fullmatch(d.key.rsplit("/", 1)[-1])), sourced=sourced)
    problems: list[Problem] = []
    for entry in patterns[:MAX_COMPARED]:
        query = next((d for d in index.docs if d.type == "pattern" and d.key == entry.slug), None)
        found = index.nearest(query, MAX_NAMED, ("pattern",), WARN_THRESHOLD, [("pattern", entry.slug)]) \
            if query else []
        if found:
            named = ", ".join(f"“{m.doc.title}” ({m.doc.path})" for m in found)
            line, col = entry.mark(("title",))
            problems.append(Problem(entry.path, line, col, CODE, f"this looks like {named}",
                                    "improve that one, or say in the pull request how this one differs"))
    areas = {d.key: d.service_area for d in index.docs if d.type == "pattern"}
    for entry, ids in commitments[:MAX_COMPARED]:
        problems += _partners(entry, ids, index, areas, register)
    return problems


def _new_ids(e: EntryChange) -> set[str]:
    def ids(entry: Any) -> set[str]:
        meta = entry.meta if entry is not None and isinstance(entry.meta, dict) else {}
        listed = meta.get("commitments")
        if not isinstance(listed, list):
            return set()
        return {c["id"] for c in listed if isinstance(c, dict) and isinstance(c.get("id"), str)}
    return ids(e.after) - ids(e.before)


def _partners(entry: Any, ids: set[str], index: Index, areas: dict[str, str], register: Register
              ) -> list[Problem]:
    from commons.analysis.documents import docs_of, with_council_codes, with_service_areas
    from commons.analysis.similarity import WARN_THRESHOLD

    code = next((d.council for d in index.docs if d.type == "commitment" and d.path == entry.path), "")
    docs = with_service_areas(with_council_codes(docs_of("commitment", entry.path, entry.slug, entry.meta, "",
                                                         entry.folder), {entry.folder: code} if code else {}),
                              areas)
    listed = [c for c in entry.meta["commitments"] if isinstance(c, dict)]
    problems = []
    for i, c in enumerate(listed):
        query = next((d for d in docs if d.key.endswith("/" + str(c.get("id")))), None)
        if c.get("id") not in ids or query is None:
            continue
        partners = {p for p in c.get("partners") or () if isinstance(p, str)} \
            if isinstance(c.get("partners"), list) else set()
        councils: dict[str, Doc] = {}
        for m in index.nearest(query, 0, ("commitment",), WARN_THRESHOLD, [("commitment", query.key)]):
            if m.doc.council not in partners and m.doc.council != query.council:
                councils.setdefault(m.doc.council, m.doc)
        if not councils:
            continue
        shown = list(councils.items())[:MAX_NAMED]
        named = "; ".join(f"{_name(register, code)} ({code}): “{d.title}”" for code, d in shown)
        more = f" and {len(councils) - len(shown)} more" if len(councils) > len(shown) else ""
        line, col = entry.mark(("commitments", i, "title"))
        problems.append(Problem(entry.path, line, col, CODE, f"other councils are doing similar work: {named}{more}",
                                "consider naming them as partners (partners: ["
                                + ", ".join(code for code, _ in shown) + "]) and getting in touch"))
    return problems


def _name(register: Register, code: str) -> str:
    authority = register.get(code)
    return authority.short_name if authority else code
