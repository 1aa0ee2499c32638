"""council.yml: the old profile becomes the successor's, or joins the successor's own; the old slug is kept.

Moved, the profile gets the successor's code and a `former` item for the old council, so links to the old
slug redirect. Merged, the old adopted patterns and former slugs are added to the successor's profile as text in
its own style; for a pattern both councils adopted, the earlier date wins. The old council's maintainers are
always named in the output, and become the successor's only with --keep-maintainers: moving the profile makes
them so, so without it a successor with no profile of its own is refused (`UsageError`).
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode

from commons.commands.reorganise.plan import Change, Plan
from commons.commands.reorganise.successors import HELP_FOR, label
from commons.content.register import Authority
from commons.content.schema_line import is_schema_line
from commons.content.yamledit import (
    Doc,
    Edit,
    append_to_list,
    apply_edits,
    child,
    flow_mapping,
    item_rows,
    items,
    key_of,
    last_line,
    quoted,
    scalar,
    schema_line_edits,
)
from commons.errors import UsageError


def plan_council(plan: Plan, doc: Doc, into: Doc | None, dst: str) -> None:
    """Add to `plan` the move of `doc` to `dst` with its code changed, or its merge into the successor's `into`."""
    old, target = plan.old, plan.into[0]
    node = doc.entry.node
    former_rows = [f"- code: {old.code}", f"  slug: {old.slug}", f"  until: {old.end}"]
    handles = [n.value for n in items(child(node, "maintainers")) if isinstance(n, ScalarNode)]
    who = ", ".join(f"@{h}" for h in handles) or "none listed"
    if plan.keep_maintainers:
        plan.warnings.append(f"{old.short_name}'s maintainers ({who}) are kept as maintainers of {label(target)} "
                             "(--keep-maintainers).")
    elif into is None:
        raise UsageError(f"{label(target)} has no council.yml of its own, so {old.short_name}'s becomes it, and "
                         f"{old.short_name}'s maintainers ({who}) would look after {target.short_name}'s folder",
                         "if they should, run the command again with --keep-maintainers; if not, first add "
                         f"{target.short_name}'s own profile: commons new council {target.code} --maintainer NAME",
                         help_for=HELP_FOR)
    elif handles:
        plan.warnings.append(f"{old.short_name}'s maintainers ({who}) are not made maintainers of {label(target)}: "
                             f"add any who should be to {into.path} (--keep-maintainers would have added them).")
    if into is None:
        code = child(node, "code")
        assert code is not None
        edits = [Edit(*doc.span(code), quoted(target.code, code), f"code: {old.code} -> {target.code}")]
        edits += append_to_list(doc, node, "former", [former_rows], [_former_flow(old)],
                                f"former: {old.slug} kept, so its links lead here")
        edits += schema_line_edits(doc, dst)
        text, notes = apply_edits(doc, edits)
        plan.changes.append(Change(dst, doc.written(text), source=doc.path, notes=notes))
        if dst != doc.path:
            plan.warnings.append(f"Check website and declaration-signed in {dst}: they are still "
                                 f"{old.short_name}'s.")
    else:
        _merge_council(plan, doc, into, former_rows)


def _merge_council(plan: Plan, doc: Doc, into: Doc, former_rows: list[str]) -> None:
    """The old profile's maintainers, adopted patterns and former slugs added to the successor's, as text."""
    old = plan.old
    node, target_node = doc.entry.node, into.entry.node
    edits: list[Edit] = []
    # Maintainers not already there, with --keep-maintainers.
    have = {scalar(n) for n in items(child(target_node, "maintainers"))}
    adding = [n for n in items(child(node, "maintainers")) if isinstance(n, ScalarNode) and n.value not in have
              and plan.keep_maintainers]
    if adding:
        edits += append_to_list(into, target_node, "maintainers", [[f"- {doc.source(n)}"] for n in adding],
                                [doc.source(n) for n in adding],
                                "maintainers: " + ", ".join(n.value for n in adding) + f" (from {old.short_name})")
    # Adopted patterns: new ones copied with their own lines; for one adopted by both, the earlier date.
    existing: dict[str, Node] = {}
    for item in items(child(target_node, "adopted")):
        slug = scalar(child(item, "pattern"))
        if slug:
            existing[slug] = item
    copied: list[list[str]] = []
    flows: list[str] = []
    names: list[str] = []
    old_adopted = child(node, "adopted")
    for item in items(old_adopted):
        slug = scalar(child(item, "pattern"))
        if slug is None:
            continue
        if slug in existing:
            edits += _merge_adoption(plan, doc, item, into, existing[slug], slug)
            continue
        copied.append(item_rows(doc, old_adopted, item))
        flows.append(flow_mapping(doc, item))
        names.append(slug)
    if copied:
        edits += append_to_list(into, target_node, "adopted", copied, flows,
                                f"adopted: {', '.join(names)} (from {old.short_name})")
    # The old slug, with what the old profile said of itself, and the old council's own former slugs.
    rows = list(former_rows)
    for key in ("website", "declaration-signed"):
        value = child(node, key)
        if isinstance(value, ScalarNode):
            rows.append(f"  {key}: {doc.source(value)}")
    formers = [rows]
    flows = [_former_flow(old)]
    old_former = child(node, "former")
    for item in items(old_former):
        formers.append(item_rows(doc, old_former, item))
        flows.append(flow_mapping(doc, item))
    edits += append_to_list(into, target_node, "former", formers, flows,
                            f"former: {old.slug} kept, so its links lead here")
    edits += schema_line_edits(into, into.path)
    text, notes = apply_edits(into, edits)
    plan.changes.append(Change(into.path, into.written(text), notes=notes))
    plan.changes.append(Change(doc.path, None, merged_into=into.path))
    # The old profile's schema line is not counted: the successor's file has its own.
    comments = sum(1 for n in range(1, len(doc.lines) + 1)
                   if doc.text(n).lstrip().startswith("#") and not is_schema_line(doc.text(n)))
    if comments:
        plan.warnings.append(f"{doc.path} had {comments} comment line{'s' if comments != 1 else ''}, not carried "
                             f"into {into.path}: copy any still worth keeping.")


def _merge_adoption(plan: Plan, doc: Doc, item: Node, into: Doc, mine: Node, slug: str) -> list[Edit]:
    """A pattern both councils adopted: the earlier date (with its comment), and evidence if only the old had it."""
    edits: list[Edit] = []
    old = plan.old
    since, theirs = child(mine, "since"), child(item, "since")
    if isinstance(since, ScalarNode) and isinstance(theirs, ScalarNode) and theirs.value < since.value \
            and doc.line(theirs, end=True) == doc.line(theirs):
        start, line = into.span(since)[0], into.line(since)
        edits.append(Edit(start, into.eol(line), doc.raw[doc.span(theirs)[0]:doc.eol(doc.line(theirs))],
                          f"adopted {slug}: since {since.value} -> {theirs.value} ({old.short_name}'s, the earlier)"))
    evidence, their_evidence = child(mine, "evidence"), child(item, "evidence")
    if not isinstance(mine, MappingNode) or mine.flow_style:
        return edits
    if evidence is None and isinstance(their_evidence, ScalarNode):
        key = key_of(item, "evidence")
        assert key is not None
        row = doc.text(doc.line(key))[key.start_mark.column:]
        pad = " " * mine.start_mark.column
        at = into.eol(last_line(into, mine))
        edits.append(Edit(at, at, f"\n{pad}{row}", f"adopted {slug}: evidence from {old.short_name}"))
    elif isinstance(evidence, ScalarNode) and isinstance(their_evidence, ScalarNode) \
            and evidence.value != their_evidence.value:
        plan.warnings.append(f"{into.path} keeps its own evidence for {slug}; {old.short_name}'s was "
                             f"{their_evidence.value}")
    return edits


def _former_flow(old: Authority) -> str:
    """The `former` item for `old`, for a list written in brackets."""
    return f"{{code: {old.code}, slug: {old.slug}, until: {old.end}}}"
