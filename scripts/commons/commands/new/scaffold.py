"""`commons new`: a valid new entry, drafted from the schema.

Each scaffold fills the required fields from the command's arguments, never
choosing for the contributor: what only they can say (a summary, a session's
hosts, each section of the text) is written as `TODO: …`, which the validator
refuses (E-PLACEHOLDER) until it is replaced, and a choice it cannot make (a
service area, a session's date, a Declaration principle) is asked for with
the choices listed. YAML is written in block style, as CONTRIBUTING shows,
after the editor-schema line. A scaffold is checked before it is written: one
that would have any other error is never written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from commons.analysis.similar_titles import Similar, similar
from commons.content.field_types import ContentType
from commons.content.load import candidate_for, discover, read_entry
from commons.content.problems import Problem
from commons.content.register import Register, load_register
from commons.content.schema import BY_NAME, SERVICE_AREA, SLUG_MAX
from commons.content.schema_line import with_schema_line
from commons.content.validate import check_file, other_pattern_facts
from commons.content.validate.cross import session_facts
from commons.content.values import parse_date, slugify
from commons.content.vocabulary import SERVICE_AREAS
from commons.errors import CommonsError, UsageError


class ScaffoldError(CommonsError):
    """The request cannot be turned into a valid entry; the message says why and what to do (exit 1)."""


@dataclass(frozen=True)
class Draft:
    path: str  # relative to the root
    text: str


def dump(data: dict[str, Any]) -> str:
    """YAML as a person would write it: block style (an object's fields one a line, a list of objects one item
    a line under its field, indented by two), short lists of values in brackets, fields in schema order, no
    anchors."""
    return yaml.dump(data, Dumper=BlockDumper, sort_keys=False, allow_unicode=True, width=100)


class BlockDumper(yaml.SafeDumper):
    """The YAML the commons' tools write for people (`commons new`, `commons from-issue`): objects as blocks,
    lists of values in brackets, list items indented under their field, dates plain (2026-01-24), no anchors.
    Callers choose the line width."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _mapping(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=False)


def _sequence(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flat = all(not isinstance(x, dict | list) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if parse_date(value):  # a date as people write it, 2026-01-24, not quoted '2026-01-24'
        return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _date_presenter(dumper: yaml.SafeDumper, value: dt.date) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


BlockDumper.add_representer(str, _str_presenter)
BlockDumper.add_representer(dt.date, _date_presenter)
BlockDumper.add_representer(dict, _mapping)
BlockDumper.add_representer(list, _sequence)


def _todo(what: str) -> str:
    """A placeholder the validator refuses until it is replaced: 'TODO: ' and what to write there."""
    return "TODO: " + what[:1].lower() + what[1:]


def _choose(option: str, what: str, choices: list[str], example: str) -> UsageError:
    return UsageError(f"say which {what}: {option} CHOICE, one of: {', '.join(choices)}",
                      f"for example {option} {example}", help_for="new")


def has_placeholders(d: Draft) -> bool:
    """Whether the draft still has a TODO for its author to fill in."""
    return re.search(r"\bTODO\b", d.text) is not None


def _today() -> dt.date:
    return dt.date.today()


def _resolve_council(register: Register, text: str) -> str:
    authority = register.get(text) or register.by_slug.get(text) or register.guess(text)
    if authority is None:
        raise ScaffoldError(f"'{text}' is not a council in the register; use its code, e.g. HCK for Hackney")
    if not authority.current:
        successors = register.successors(authority.code)
        names = " or ".join(f"{s.code} ({s.name})" for s in successors) or "none"
        raise ScaffoldError(f"{authority.code} ({authority.name}) was abolished on {authority.end}; "
                            f"its successor is {names}")
    return authority.code


def _body(ctype: ContentType, intro: str) -> str:
    parts = [intro, ""] if intro else []
    for section in ctype.sections:
        parts += [f"## {section.title}", "", _todo(section.description), ""]
        for sub in section.subsections:
            parts += [f"### {sub}", "", _todo(f"what to consider for {sub.lower()}."), ""]
    return "\n".join(parts).rstrip() + "\n"


def _markdown(meta: dict[str, Any], body: str) -> str:
    return f"---\n{dump(meta)}---\n\n{body}"


def _next_pattern_id(root: Path) -> int:
    """One more than the highest pattern number, from the facts the validator reads of every pattern."""
    facts = [other_pattern_facts(root, c) for c in discover(root)[0] if c.ctype.name == "pattern"]
    return max((f.pattern_id.value for f in facts if f.pattern_id is not None), default=0) + 1


def _next_session_id(root: Path) -> int:
    """One more than the highest session number (a session's short link is /s/<id>/)."""
    facts = [session_facts(root, c) for c in discover(root)[0] if c.ctype.name == "session"]
    return max((f.session_id.value for f in facts if f.session_id is not None), default=0) + 1


def similar_patterns(root: Path, title: str) -> list[Similar]:
    """The patterns of the commons whose titles are the same as `title` or nearly (commons.analysis)."""
    titles = []
    for cand in discover(root)[0]:
        if cand.ctype.name == "pattern":
            entry = read_entry(root, cand)[0]
            meta = entry.meta if entry is not None else None
            if isinstance(meta, dict) and isinstance(meta.get("title"), str):
                titles.append((cand.path, meta["title"]))
    return similar(title, titles)


def close_patterns(root: Path, rel: str) -> list[Problem]:
    """W-SIMILAR for the pattern just written at `rel`: the patterns very close to it by meaning
    (commons.analysis.similarity), which its title alone (similar_patterns) did not show."""
    from commons.analysis.corpus import load_index
    from commons.analysis.similarity import WARN_THRESHOLD
    from commons.sources.records import locked_sourced

    index, slug = load_index(root, sourced=locked_sourced(root)), Path(rel).stem  # own repositories' too
    query = next((d for d in index.docs if d.type == "pattern" and d.key == slug), None)
    found = index.nearest(query, 3, ("pattern",), WARN_THRESHOLD, [("pattern", slug)]) if query else []
    if not found:
        return []
    text = (root / rel).read_text(encoding="utf-8").splitlines()
    line = next((n for n, t in enumerate(text, 1) if t.startswith("title:")), 1)
    named = ", ".join(f"“{m.doc.title}” ({m.doc.path})" for m in found)
    return [Problem(rel, line, 8, "W-SIMILAR", f"this looks like {named}",
                    "improve that one, or say in the pull request how this one differs")]


def draft(root: Path, kind: str, title: str, options: dict[str, Any]) -> Draft:
    """The file a `commons new KIND TITLE` command would write, not yet written: it starts (or, for a
    Markdown entry, its front matter starts) with the line naming its editor schema."""
    d = _draft(root, kind, title, options)
    return Draft(d.path, with_schema_line(d.text, d.path))


def _draft(root: Path, kind: str, title: str, options: dict[str, Any]) -> Draft:
    register = load_register(root / "data" / "uk-local-authorities.csv")
    today = _today().isoformat()
    slug = slugify(title)[:SLUG_MAX].strip("-") if title else ""
    council = _resolve_council(register, options["council"]) if options.get("council") else None
    if kind in ("pattern", "case-study", "playbook", "session") and not slug:
        raise ScaffoldError(f"give the {kind} a title, e.g. commons new {kind} \"Report a missed bin\"")
    if kind in ("pattern", "case-study") and not options.get("service_area"):
        raise _choose("--service-area", "service area it belongs to", list(SERVICE_AREAS), SERVICE_AREA.example)
    fields = {f.name: f for f in BY_NAME[kind].fields} if kind in BY_NAME else {}
    if kind == "pattern":
        if council is None:
            raise ScaffoldError("say which council owns the pattern: --council CODE (e.g. --council HCK)")
        meta = {
            "id": _next_pattern_id(root),
            "title": title,
            "summary": options.get("summary") or _todo(fields["summary"].description),
            "service-area": options["service_area"],
            "status": "proposed",
            "tags": [],
            "councils": [council],
            "related": [],
            "aliases": [],
            "last-reviewed": today,
        }
        return Draft(f"patterns/{slug}.md", _markdown(meta, _body(BY_NAME["pattern"], "")))
    if kind == "case-study":
        if council is None:
            raise ScaffoldError("say which council did the work: --council CODE")
        if not options.get("email"):
            raise UsageError("say which mailbox people can contact about it: --email ADDRESS, a team's or a role's "
                             "shared mailbox, never a person's", "for example --email waste-digital@hackney.gov.uk",
                             help_for="new")
        meta = {
            "title": title,
            "council": council,
            "date": today,
            "summary": options.get("summary") or _todo(fields["summary"].description),
            "patterns": [],
            "service-area": options["service_area"],
            "outcomes": [],
            "partners": [],
            "contact": {"role": _todo(fields["contact"].fields[0].description), "email": options["email"]},
            "links": [],
        }
        body = ("## What we did\n\nTODO: the problem and what you did about it.\n\n## What happened\n\n"
                "TODO: what changed, in numbers where you have them (put measures in outcomes).\n\n"
                "## What we learned\n\nTODO: what you would do again, and what differently.\n")
        return Draft(f"case-studies/{slug}.md", _markdown(meta, body))
    if kind == "playbook":
        if council is None:
            raise ScaffoldError("say which council owns the playbook: --council CODE")
        meta = {
            "title": title,
            "summary": options.get("summary") or _todo(fields["summary"].description),
            "audience": ["TODO: who it is for"],
            "steps": [{"title": "TODO: the first step", "detail": "TODO: what doing it well looks like."},
                      {"title": "TODO: the second step", "detail": "TODO: what doing it well looks like."}],
            "time-needed": "TODO: how long it usually takes",
            "patterns": [],
            "councils": [council],
            "last-reviewed": today,
        }
        return Draft(f"playbooks/{slug}.md", _markdown(meta, "TODO: why this playbook exists.\n"))
    if kind == "session":
        event = options.get("event")
        if not event:
            raise ScaffoldError("say which event: --event \"UKGovCamp 2026\"")
        if not options.get("date"):
            raise UsageError("say the day of the session: --date YYYY-MM-DD", "for example --date 2026-01-24",
                             help_for="new")
        meta = {
            "id": _next_session_id(root),
            "event": event,
            "date": options["date"],
            "title": title,
            "hosts": list(options.get("hosts") or []) or [_todo(fields["hosts"].description)],
            "patterns": [],
            "councils": [council] if council else [],
        }
        return Draft(f"sessions/{slugify(event)}/{slug}.md",
                     _markdown(meta, "What was discussed, and what the room agreed to do next.\n"))
    if kind == "council":
        code = _resolve_council(register, title or options.get("council") or "")
        authority = register.by_code[code]
        maintainers = options.get("maintainers") or []
        if not maintainers:
            raise ScaffoldError("name at least one maintainer: --maintainer GITHUB_NAME")
        meta = {"code": code, "maintainers": maintainers, "website": options.get("website")
                or f"https://www.{authority.slug}.gov.uk", "adopted": []}
        return Draft(f"councils/{authority.slug}/council.yml", dump(meta))
    if kind == "commitment":
        return _draft_commitment(root, register, title, council, options)
    raise ScaffoldError(f"there is no content type '{kind}'; choose one of {', '.join(BY_NAME)}")


def _draft_commitment(root: Path, register: Register, title: str, council: str | None,
                      options: dict[str, Any]) -> Draft:
    if council is None:
        raise ScaffoldError("say which council: --council CODE (or its slug, e.g. --council hackney)")
    if not title:
        raise ScaffoldError("give the commitment a title, e.g. commons new commitment \"Open housing repairs "
                            "data\" --council HCK")
    folder = register.by_code[council].slug
    rel = f"councils/{folder}/declaration.yml"
    if not (root / "councils" / folder / "council.yml").is_file():
        raise ScaffoldError(f"councils/{folder}/council.yml does not exist yet: run "
                            f"commons new council {council} --maintainer GITHUB_NAME first")
    if not options.get("principles"):
        raise UsageError("say which Declaration principles it serves: --principle N (repeatable), one of: "
                         "1 services around users' needs, 2 fix our plumbing, 3 sharing information, "
                         "4 digital leadership, 5 open culture", "for example --principle 3", help_for="new")
    today = _today().isoformat()
    status = options.get("status") or "planned"
    commitment = {  # no `status` line: the history's latest update says it (stated once)
        "id": slugify(title)[:SLUG_MAX].strip("-"),
        "title": title,
        "principles": sorted(set(options["principles"])),
        "start": options.get("start") or today,
        "history": [{"date": today, "status": status, "note": "Commitment recorded."}],
    }
    if options.get("target"):
        commitment["target"] = options["target"]
    path = root / rel
    raw = path.read_bytes().decode("utf-8") if path.is_file() else ""
    crlf = "\r\n" in raw  # a file saved on Windows keeps its line endings
    existing = raw.replace("\r\n", "\n")
    data = yaml.safe_load(existing) if existing.strip() else None
    if not existing.strip() or not (isinstance(data, dict) and data.get("commitments")):
        return Draft(rel, dump({"commitments": [commitment]}))
    ids = {c.get("id") for c in data["commitments"] if isinstance(c, dict)}
    if commitment["id"] in ids:
        raise ScaffoldError(f"{rel} already has a commitment with id '{commitment['id']}'")
    # Append as text so the council's own formatting and comments are kept exactly (draft() then adds the
    # schema line if the file had none).
    item = dump({"commitments": [commitment]}).split("\n", 1)[1]  # its lines, indented by two under the field
    indent = _list_indent(existing)
    item = "".join((indent + line[2:] if line else line) + "\n" for line in item.rstrip("\n").split("\n"))
    text = existing.rstrip("\n") + "\n" + item
    return Draft(rel, text.replace("\n", "\r\n") if crlf else text)


def _list_indent(text: str) -> str:
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if stripped.startswith("- "):
            return line[: len(line) - len(stripped)]
    return ""


def check_draft(root: Path, d: Draft) -> list[Problem]:
    """The errors the draft would have, other than its TODOs (E-PLACEHOLDER): those are for its author."""
    import tempfile

    register = load_register(root / "data" / "uk-local-authorities.csv")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / d.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(d.text, encoding="utf-8")
        cand = candidate_for(Path(tmp), d.path)
        if isinstance(cand, Problem):
            return [cand]
        problems = check_file(Path(tmp), cand, register)[1]
    return [p for p in problems if p.is_error and p.code != "E-PLACEHOLDER"]


def write(root: Path, d: Draft, overwrite: bool = False) -> Path:
    path = root / d.path
    if path.exists() and not overwrite:
        raise ScaffoldError(f"{d.path} already exists; choose another title or edit that file")
    problems = check_draft(root, d)
    if problems:
        first = problems[0]
        raise ScaffoldError(f"the new entry would not be valid ({first.code}: {first.message}); "
                            f"nothing was written")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(d.text, encoding="utf-8", newline="")  # the draft's own line endings, untranslated
    tmp.replace(path)
    return path

