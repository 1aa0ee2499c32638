"""A council's contracts.yml, changed as text by the Record a contract form: a new contract appended to its list,
or one already recorded (named by its ID) replaced whole by the answers, in the style the list is written. Every
other line and comment of the council's file stays as it is (commons.content.yamledit); a council with no
contracts.yml gets one, written as `commons new contract` writes it."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import Node, SequenceNode

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
)
from commons.commands.new import scaffold
from commons.content import urls
from commons.content.load import RawEntry
from commons.content.register import Authority
from commons.content.schema_contracts import CONTRACT
from commons.content.values import SLUG, parse_date
from commons.content.vocabulary import SYSTEM_CATEGORIES
from commons.content.yamledit import (
    Doc,
    Edit,
    append_to_list,
    apply_edits,
    child,
    dash_column,
    item_end,
    items,
    scalar,
)

ID = "contract-id"


def record_contract(req: Request) -> Change:
    authority = council_of(req, "council-code")
    rel = f"councils/{authority.slug}/contracts.yml"
    doc = _doc(req, authority, rel)
    given = str(req.values.get(ID) or "").strip()
    system, start = req.values.get("contract-system"), parse_date(req.values.get("contract-start"))
    cid = given or (f"{system}-{start.year}" if isinstance(system, str) and start else "")
    if not cid or not SLUG.fullmatch(cid):
        raise ChangeError([FormProblem(req.label(ID), "write an ID of lower-case words and digits joined by "
                                       "hyphens, for example housing-management-2022" if given else
                                       "give the contract an ID, for example housing-management-2022")])
    contract = meta_of(CONTRACT.fields, req.values, {"id": cid}, "contract-")
    seq = child(doc.entry.node, "contracts") if doc else None
    ids = [scalar(child(node, "id")) for node in items(seq)]
    if cid in ids and not given:
        raise ChangeError([FormProblem(req.label(ID), f"{authority.short_name} already has a contract with the ID "
                                       f"“{cid}”: to change it, give that ID here; for another contract, give it "
                                       "an ID of its own")])
    rows = [row[2:] for row in dump({"contracts": [contract]}).split("\n", 1)[1].rstrip("\n").split("\n")]
    index = ids.index(cid) if cid in ids else len(ids)
    if doc is None:
        text = scaffold_file(authority, rel, rows)
    elif cid in ids:
        assert isinstance(seq, SequenceNode)
        text = doc.written(apply_edits(doc, [_replace(doc, seq, seq.value[index], contract, rows)])[0])
    else:
        text = doc.written(apply_edits(doc, append_to_list(doc, doc.entry.node, "contracts", [rows],
                                                           [_flow(contract)], "new contract"))[0])
    change = Change({rel: text})
    change.marks[rel] = req.marks("contract-", ("contracts", index))
    what = SYSTEM_CATEGORIES.get(str(system), str(system))
    what = what[0].lower() + what[1:] if what[1:2].islower() else what
    until = contract.get("extension-until")
    change.sentences.append((("v", authority.short_name), ("", " — " + ("changes the " if cid in ids else "new ")),
                             ("v", what), ("", " contract with "), ("i", str(contract.get("supplier", ""))),
                             ("", ", ending "), ("v", _day(contract.get("end"))),
                             *((("", ", extension until "), ("v", _day(until))) if until else ()),
                             ("", " (ID "), ("c", cid), ("", ", on "), ("c", urls.contract(authority.slug, cid)),
                             ("", ").")))
    change.title = pr_title(f"{'Contract change' if cid in ids else 'New contract'} for {authority.short_name}: "
                            f"{what} ({contract.get('supplier', '')})")
    return change


def scaffold_file(authority: Authority, rel: str, rows: list[str]) -> str:
    from commons.content.schema_line import with_schema_line

    return with_schema_line(f"# {authority.short_name}'s contracts for its systems. Only this council's maintainers "
                            "may change this file.\ncontracts:\n" + "".join(f"  {row}\n" for row in rows), rel)


def _doc(req: Request, authority: Authority, rel: str) -> Doc | None:
    """The council's contracts.yml as written, or None when it has none yet."""
    def listed(entry: RawEntry) -> bool:
        seq = child(entry.node, "contracts")
        return seq is None or isinstance(seq, SequenceNode)

    return council_file(req, authority, rel, "contracts file", listed)


def _replace(doc: Doc, seq: SequenceNode, item: Node, contract: dict[str, Any], rows: list[str]) -> Edit:
    """The edit that puts the answers in place of a recorded contract: its lines (and the comments indented under
    it) for a block list, its `{…}` for a list in brackets."""
    if seq.flow_style:
        return Edit(*doc.span(item), _flow(contract), "changed contract")
    dash = dash_column(doc, item)
    first = doc.line(item)
    last = item_end(doc, SequenceNode(seq.tag, [item], seq.start_mark, seq.end_mark))
    start = doc.starts[first - 1] + dash
    text = "\n".join(f"{' ' * dash if i else ''}{row}" if row else "" for i, row in enumerate(rows))
    return Edit(start, doc.eol(last), text, "changed contract", len(rows))


def _flow(contract: dict[str, Any]) -> str:
    return yaml.dump(contract, Dumper=scaffold.BlockDumper, default_flow_style=True, width=10**6, sort_keys=False,
                     allow_unicode=True).strip()


def _day(value: Any) -> str:
    day = parse_date(value)
    return f"{day.day} {day:%B %Y}" if day else str(value)
