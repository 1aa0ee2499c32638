"""A council's declaration.yml, changed as text: a new commitment appended to its list (with no `status` line:
its first update says it), or a dated update appended to one commitment's history (and, when the commitment
has a `status` line, that line set to agree with it). Every other line, comment and
style of the council's file stays as it is (commons.content.yamledit)."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from commons.commands.from_issue.body import FormProblem
from commons.commands.from_issue.changes import (
    Change,
    ChangeError,
    Request,
    council_file,
    council_of,
    dump,
    meta_of,
    pr_title,
    scalar_text,
)
from commons.commands.new import scaffold
from commons.content import urls
from commons.content.register import Authority
from commons.content.schema import COMMITMENT, HISTORY_ENTRY
from commons.content.schema_line import with_schema_line
from commons.content.values import slugify
from commons.content.vocabulary import COMMITMENT_STATUSES
from commons.content.yamledit import (
    Doc,
    Edit,
    append_to_list,
    apply_edits,
    child,
    dash_column,
    items,
    scalar,
)


def _doc(req: Request, authority: Authority) -> Doc | None:
    """The council's declaration as written, or None when it has none yet."""
    return council_file(req, authority, f"councils/{authority.slug}/declaration.yml", "commitments file")


def _status(value: object) -> str:
    return COMMITMENT_STATUSES.get(str(value), str(value)).lower()


def _update(req: Request) -> dict[str, Any]:
    return meta_of(HISTORY_ENTRY.fields, req.values, {}, "update-")


def new_commitment(req: Request) -> Change:
    authority = council_of(req, "council-code")
    doc = _doc(req, authority)
    rel = f"councils/{authority.slug}/declaration.yml"
    update = _update(req)
    title = str(req.values.get("commitment-title", ""))
    cid = str(req.values.get("commitment-id") or slugify(title)[:80].strip("-"))
    commitment = meta_of(COMMITMENT.fields, req.values, {"id": cid, "history": [update]}, "commitment-")
    commitment.pop("status", None)  # the latest update is the status: it is stated once
    existing = [c for c in ((doc.entry.meta or {}).get("commitments") or [] if doc else []) if isinstance(c, dict)]
    if any(c.get("id") == cid for c in existing):
        raise ChangeError([FormProblem(req.label("commitment-id") if req.values.get("commitment-id") else
                                       req.label("commitment-title"),
                                       f"{authority.short_name} already has a commitment with the ID “{cid}”: "
                                       "choose another, or use the Update a commitment form to add to that one")])
    # The item's lines relative to its '- ' (dump indents a list under its field by two).
    rows = [row[2:] for row in dump({"commitments": [commitment]}).split("\n", 1)[1].rstrip("\n").split("\n")]
    if doc is None:
        text = with_schema_line(f"# {authority.short_name}'s Local Digital Declaration commitments. Add a history "
                                "entry whenever a status changes.\ncommitments:\n"
                                + "".join(f"  {row}\n" for row in rows), rel)
    else:
        flow = yaml.dump(commitment, Dumper=scaffold.BlockDumper, default_flow_style=True, width=10**6,
                         sort_keys=False, allow_unicode=True).strip()  # for a list written in brackets
        edits = append_to_list(doc, doc.entry.node, "commitments", [rows], [flow], "new commitment")
        text = doc.written(apply_edits(doc, edits)[0])
    at = ("commitments", len(existing))
    change = Change({rel: text})
    change.marks[rel] = [*req.marks("commitment-", at), *req.marks("update-", (*at, "history", 0))]
    change.sentences.append((("v", authority.short_name), ("", " — new commitment "), ("i", title),
                             ("", f": {_status(update.get('status'))} (ID "), ("c", cid), ("", ", on "),
                             ("c", urls.commitment(authority.slug, cid)), ("", ").")))
    change.title = pr_title(f"New commitment for {authority.short_name}: {title}")
    return change


def update_commitment(req: Request) -> Change:
    authority = council_of(req, "council-code")
    doc = _doc(req, authority)
    rel = f"councils/{authority.slug}/declaration.yml"
    cid = str(req.values.get("commitment-id", "")).strip()
    seq = child(doc.entry.node, "commitments") if doc else None
    found = [(i, node) for i, node in enumerate(items(seq)) if scalar(child(node, "id")) == cid]
    if doc is None or not found:
        ids = [scalar(child(node, "id")) for node in items(seq)]
        listed = ", ".join(f"“{i}”" for i in ids if i) or "none yet"
        raise ChangeError([FormProblem(req.label("commitment-id"),
                                       f"{authority.short_name} has no commitment with the ID “{cid}”. Its "
                                       f"page shows each commitment's ID; they are: {listed}")])
    index, node = found[0]
    update = _update(req)
    history = child(node, "history")
    if not isinstance(history, SequenceNode) or not history.value:
        raise ChangeError([FormProblem("", f"the commitment “{cid}” has no history to add to; a maintainer of "
                                           "the commons will fix it")])
    last = history.value[-1]
    before = scalar(child(node, "status")) or (scalar(child(last, "status")) if isinstance(last, MappingNode)
                                               else None)
    edits = _history_edits(doc, node, history, update) + _status_edits(doc, node, str(update.get("status")))
    change = Change({rel: doc.written(apply_edits(doc, edits)[0])})
    at = ("commitments", index)
    change.marks[rel] = [*([((*at, "status"), req.label("update-status"))] if child(node, "status") else []),
                         *req.marks("update-", (*at, "history", len(history.value)))]
    title = scalar(child(node, "title")) or cid
    new = _status(update.get("status"))
    said = f": {_status(before)} → {new}" if before != update.get("status") else \
        f": new update of {update.get('date')}, still {new}"
    change.sentences.append((("v", authority.short_name), ("", " — "), ("i", title), ("", said + ".")))
    change.title = pr_title(f"Commitment update for {authority.short_name}: {title} ({new})")
    return change


def _history_edits(doc: Doc, commitment: Node, history: SequenceNode, values: dict[str, Any]) -> list[Edit]:
    """The update at the end of the history, in the style the history is written (as `commons reorganise`)."""
    pairs = {k: scalar_text(str(v)) for k, v in values.items()}
    last = history.value[-1]
    if history.flow_style or (isinstance(last, MappingNode) and last.flow_style):
        item = "{" + ", ".join(f"{k}: {v}" for k, v in pairs.items()) + "}"
        if history.flow_style:
            return append_to_list(doc, commitment, "history", [], [item], "update")
        return append_to_list(doc, commitment, "history", [[f"- {item}"]], [], "update")
    dash = dash_column(doc, last)
    gap = " " * (last.start_mark.column - dash - 1)
    rows = [f"-{gap}{k}: {v}" if i == 0 else f" {gap}{k}: {v}"
            for i, (k, v) in enumerate(pairs.items())]
    return append_to_list(doc, commitment, "history", [rows], [], "update")


def _status_edits(doc: Doc, commitment: Node, status: str) -> list[Edit]:
    node = child(commitment, "status")
    if node is None or scalar(node) == status:
        return []
    return [Edit(*doc.span(node), status)]
