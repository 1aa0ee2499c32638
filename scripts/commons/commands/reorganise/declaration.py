"""declaration.yml: the old council's commitments move to the first successor, each saying why.

Every moved commitment gets a dated note at the end of its history (same status as the latest, in the
style the history is written), with `moved-from: OLD`: the record of the move, which the Catalog never counts as
an update (commons.content.history), and by which the work before it stays credited to the old council. An id
the successor already uses gets a free one. The file then moves to
the successor's folder, or, when the successor has a declaration, its commitments are appended to that one
as text, so every line and comment comes along.
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from commons.commands.reorganise.plan import Change, Plan
from commons.commands.reorganise.references import reference_edits
from commons.commands.reorganise.successors import label, replacement_story
from commons.content.load import RawEntry
from commons.content.schema import SLUG_MAX
from commons.content.schema_line import is_schema_line
from commons.content.yaml_reader import parse_yaml
from commons.content.yamledit import (
    Doc,
    Edit,
    append_to_list,
    apply_edits,
    block_scalar,
    child,
    dash_column,
    flow_scalar,
    item_end,
    key_of,
    region,
    scalar,
    schema_line_edits,
)
from commons.errors import CommonsError


def plan_declaration(plan: Plan, doc: Doc, into: Doc | None, dst: str) -> None:
    """Add to `plan` the move of `doc` to `dst`, or its merge into the successor's declaration `into`."""
    old, target = plan.old, plan.into[0]
    taken = _ids(into) if into is not None else set()
    seq = child(doc.entry.node, "commitments")
    edits = reference_edits(doc, old.code, [n.code for n in plan.into], owner=target.code)
    count = 0
    story = replacement_story(plan.register, old, with_codes=False, subject="it")
    if isinstance(seq, SequenceNode):
        if seq.flow_style and seq.value:
            raise CommonsError(f"{doc.path}:{doc.line(seq)}: the commitments are written in brackets, so they "
                               "cannot be moved safely", "write them as a block list and run the command again")
        for node in seq.value:
            cid = scalar(child(node, "id")) or ""
            new_id = cid
            if cid in taken:
                new_id = _free_id(f"{cid}-{old.slug}", taken)
                id_node = child(node, "id")
                assert id_node is not None
                edits.append(Edit(*doc.span(id_node), new_id,
                                  f"id {cid} -> {new_id} ({target.short_name} already has a commitment {cid})"))
            taken.add(new_id)
            was = f", where its id was {cid}," if new_id != cid else ""
            note = f"Moved from {old.short_name}{was} when {story} (council reorganisation)."
            edits += _history_edits(doc, node, cid, plan, note)
            count += 1
    if into is None:
        edits += schema_line_edits(doc, dst)
        text, notes = apply_edits(doc, edits)
        plan.changes.append(Change(dst, doc.written(text), source=doc.path, notes=notes))
    else:
        _merge_declaration(plan, doc, edits, into, count)
    if count:
        plan.warnings.append(f"{count} commitment{'s' if count != 1 else ''} of {old.short_name} "
                             f"{'are' if count != 1 else 'is'} now recorded for {label(target)}"
                             + (" (the first successor given)." if len(plan.into) > 1 else "."))


def _ids(doc: Doc) -> set[str]:
    """The commitment ids a declaration already uses."""
    commitments = (doc.entry.meta or {}).get("commitments")
    return {c["id"] for c in commitments if isinstance(c, dict) and isinstance(c.get("id"), str)} \
        if isinstance(commitments, list) else set()


def _free_id(base: str, taken: set[str]) -> str:
    """`base` (cut to the slug length), or `base-2`, `base-3`... whichever is not taken."""
    base = base[:SLUG_MAX].strip("-")
    n, candidate = 2, base
    while candidate in taken:
        suffix = f"-{n}"
        candidate = base[: SLUG_MAX - len(suffix)].strip("-") + suffix
        n += 1
    return candidate


def _history_edits(doc: Doc, commitment: Node, cid: str, plan: Plan, note: str) -> list[Edit]:
    """A dated note at the end of a commitment's history, same status as the latest, in the history's style,
    with `moved-from` giving the old council's code: it records the move, and is not an update on the work."""
    today = plan.today.isoformat()
    history = child(commitment, "history")
    if not isinstance(history, SequenceNode) or not history.value:
        raise CommonsError(f"{doc.path}:{doc.line(commitment)}: commitment '{cid}' has no history to add to",
                           f"fix it first: commons validate {doc.path}")
    last = history.value[-1]
    status = scalar(child(last, "status")) or scalar(child(commitment, "status"))
    date = child(last, "date")
    day = date.value if isinstance(date, ScalarNode) else ""  # a date is a timestamp to YAML, not text
    if not status:
        raise CommonsError(f"{doc.path}:{doc.line(last)}: the latest update of '{cid}' has no status",
                           f"fix it first: commons validate {doc.path}")
    if day >= today:
        hint = "run the command again tomorrow" if day == today else \
            f"correct that date first: commons validate {doc.path}"
        raise CommonsError(f"{doc.path}:{doc.line(last)}: commitment '{cid}' already has an update dated {day}, "
                           "and a history has one update a day", hint)
    values = {"date": today, "status": status, "note": note, "moved-from": plan.old.code}
    message = f"history of {cid}: update {today} ({status}) says why it moved"
    if history.flow_style:
        item = "{" + ", ".join(f"{k}: {flow_scalar(v)}" for k, v in values.items()) + "}"
        return append_to_list(doc, commitment, "history", [], [item], message)
    if isinstance(last, MappingNode) and last.flow_style:
        item = "{" + ", ".join(f"{k}: {flow_scalar(v)}" for k, v in values.items()) + "}"
        return append_to_list(doc, commitment, "history", [[f"- {item}"]], [], message)
    dash = dash_column(doc, last)
    gap = " " * (last.start_mark.column - dash - 1)
    rows = [f"-{gap}{k}: {block_scalar(v)}" if i == 0 else f" {gap}{k}: {block_scalar(v)}"
            for i, (k, v) in enumerate(values.items())]
    return append_to_list(doc, commitment, "history", [rows], [], message)


def _merge_declaration(plan: Plan, doc: Doc, edits: list[Edit], into: Doc, count: int) -> None:
    """The old commitments, edited, appended as text to the successor's: every line and comment comes along."""
    old, target = plan.old, plan.into[0]
    text, _ = apply_edits(doc, edits)
    # The edited text is read again for where its commitments now are.
    _, node, _ = parse_yaml(doc.path, text.replace("\r\n", "\n"), 0)
    edited = Doc(doc.path, text, RawEntry(doc.path, doc.entry.ctype, doc.entry.slug, {}, node=node))
    seq, key = child(node, "commitments"), key_of(node, "commitments")
    edits_into = reference_edits(into, old.code, [n.code for n in plan.into], owner=target.code)
    if isinstance(seq, SequenceNode) and seq.value and key is not None:
        last = item_end(edited, seq)
        while last < len(edited.lines) and (edited.text(last + 1).lstrip().startswith("#")
                                            or not edited.text(last + 1).strip()):
            last += 1
        while not edited.text(last).strip():
            last -= 1
        dash = dash_column(edited, seq.value[0])
        # The comments above the old list come along, but not its schema line: the successor's file has one.
        rows = [edited.text(n).lstrip() for n in range(1, edited.line(key))
                if edited.text(n).lstrip().startswith("#") and not is_schema_line(edited.text(n))]
        rows += region(edited, edited.line(key) + 1, last, dash, 0)
        what = "1 commitment" if count == 1 else f"{count} commitments, each"
        edits_into += append_to_list(into, into.entry.node, "commitments", [rows], [],
                                     f"{what} from {doc.path} with an update saying why it moved", indent=dash)
    edits_into += schema_line_edits(into, into.path)
    if edits_into:
        new_text, notes = apply_edits(into, edits_into)
        # What changed inside the moved commitments, besides their new updates (already said above).
        notes += [f"  {e.note}" for e in sorted(edits, key=lambda e: e.start)
                  if e.note and not e.note.startswith("history of ")]
        plan.changes.append(Change(into.path, into.written(new_text), notes=notes))
    plan.changes.append(Change(doc.path, None, merged_into=into.path))
