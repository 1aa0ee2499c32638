"""The change a form's answers make: the files to write, where each answer ends up in them, and what it says.

Entries are written as `commons new` writes them (its `dump` and schema line, the next free pattern number);
commitments are added and updated as text, line by line (`declaration.py`). A `Change` is only a plan: nothing
is on disk until `apply.py` has validated it in a copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from commons.commands.from_issue.body import Answers, FormProblem
from commons.commands.new import scaffold
from commons.commands.schema.forms import DIFFERENT_ID, Form, asked, section_items
from commons.content import urls
from commons.content.field_types import Field
from commons.content.load import RawEntry, candidate_for, read_entry
from commons.content.problems import Problem
from commons.content.register import Authority, Register
from commons.content.schema import CASE_STUDY, COUNCIL, PATTERN, SLUG_MAX
from commons.content.schema_line import with_schema_line
from commons.content.values import slugify
from commons.content.yaml_reader import FieldPath
from commons.content.yamledit import Doc, read_doc

MAX_TITLE = 120  # characters of a pull request's title

# One sentence of a summary, as parts: ("", our words), or a contributed value shown as plain text ("v"),
# bold ("b"), italic ("i") or as a code-like name ("c"). The report escapes the values for Markdown.
Sentence = tuple[tuple[str, str], ...]


class ChangeError(Exception):
    """The answers cannot make a change; the problems say why, for the form."""

    def __init__(self, problems: list[FormProblem]):
        super().__init__("; ".join(p.text() for p in problems))
        self.problems = problems


@dataclass
class Change:
    """Files to write (relative path -> whole text), where the answers are in them, and what it does."""

    files: dict[str, str] = field(default_factory=dict)
    marks: dict[str, list[tuple[FieldPath, str]]] = field(default_factory=dict)  # field path -> form label
    headings: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # a body's line -> form label
    sentences: list[Sentence] = field(default_factory=list)
    title: str = ""


@dataclass(frozen=True)
class Request:
    form: Form
    answers: Answers
    values: dict[str, Any]
    author: str
    root: Path
    register: Register

    def marks(self, id_prefix: str = "", at: FieldPath = ()) -> list[tuple[FieldPath, str]]:
        """Where each asked field whose id starts with `id_prefix` is in the entry (under `at`), with its label."""
        return [((*at, *a.path), a.label) for a in asked(self.form) if a.id.startswith(id_prefix)]

    def label(self, item_id: str) -> str:
        return next((a.label for a in asked(self.form) if a.id == item_id), item_id)


def dump(data: Any) -> str:
    """`data` as `commons new` writes it (`scaffold.BlockDumper`), with no line folded."""
    return yaml.dump(data, Dumper=scaffold.BlockDumper, sort_keys=False, allow_unicode=True, width=10**6)


def scalar_text(value: str) -> str:
    """`value` as one YAML scalar on one line that reads back as this text (a date stays a plain date)."""
    style = '"' if "\n" in value or not value.isprintable() else None
    text = yaml.dump(value, Dumper=scaffold.BlockDumper, allow_unicode=True, width=10**6, default_style=style)
    return text.removesuffix("\n...\n").removesuffix("\n")


def today() -> dt.date:
    return dt.date.today()


def meta_of(fields: tuple[Field, ...], values: dict[str, Any], given: dict[str, Any], id_prefix: str = ""
            ) -> dict[str, Any]:
    """The entry's fields in the schema's order: `given` first, then the answers by item id (a form's ids are
    `id_prefix` + the field's name, an object's fields `id_prefix` + its name + `-` + theirs)."""
    out: dict[str, Any] = {}
    for f in fields:
        if f.name in given:
            out[f.name] = given[f.name]
        elif f.kind == "object":
            inner = meta_of(f.fields, values, {}, f"{id_prefix}{f.name}-")
            if inner:
                out[f.name] = inner
        elif id_prefix + f.name in values:
            out[f.name] = values[id_prefix + f.name]
    return out


def slug_for(title: str, label: str) -> str:
    slug = slugify(title)[:SLUG_MAX].strip("-")
    if not slug:
        raise ChangeError([FormProblem(label, "write a title with some letters or digits in it")])
    return slug


def council_of(req: Request, item_id: str) -> Authority:
    """The council a form's council code names; a current one in the register."""
    label = req.label(item_id)
    text = str(req.values.get(item_id) or "").strip()
    authority = req.register.get(text) or req.register.get(text.upper())
    if authority is None:
        guess = req.register.guess(text)
        hint = f"; did you mean {guess.code} ({guess.short_name})?" if guess else ", for example HCK for Hackney"
        raise ChangeError([FormProblem(label, f"“{text}” is not a council code in the UK register: write the "
                                              f"council's code{hint}")])
    if not authority.current:
        successors = " or ".join(f"{s.code} ({s.short_name})" for s in req.register.successors(authority.code))
        raise ChangeError([FormProblem(label, f"{authority.short_name} was abolished on {authority.end}: write "
                                              f"its successor's code{': ' + successors if successors else ''}")])
    return authority


def _markdown_file(rel: str, meta: dict[str, Any], body: str) -> str:
    return with_schema_line(f"---\n{dump(meta)}---\n\n{body.rstrip()}\n", rel)


def _free(req: Request, rel: str, label: str, what: str) -> None:
    if (req.root / rel).exists() or (req.root / rel).is_symlink():
        raise ChangeError([FormProblem(label, f"the commons already has a {what} with this title: choose "
                                              "another title")])


def pr_title(text: str) -> str:
    line = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return line if len(line) <= MAX_TITLE else line[: MAX_TITLE - 1].rstrip() + "…"


def pattern(req: Request) -> Change:
    title = str(req.values.get("title", ""))
    slug = slug_for(title, req.label("title"))
    rel = f"patterns/{slug}.md"
    _free(req, rel, req.label("title"), "pattern")
    different = _not_a_near_duplicate(req, title)
    number = scaffold._next_pattern_id(req.root)
    meta = meta_of(PATTERN.fields, req.values, {"id": number, "last-reviewed": today().isoformat()})
    body, headings = [], []
    opened = ""
    for item_id, label, heading in section_items(req.form):
        top, _, sub = heading.partition("/")
        if top != opened:
            body += [f"## {top}", ""]
            opened = top
            if not sub:
                headings.append((f"## {top}", label))
        if sub:
            body += [f"### {sub}", ""]
            headings.append((f"### {sub}", label))
        body += [req.answers.text.get(item_id, "").strip(), ""]
    change = Change({rel: _markdown_file(rel, meta, "\n".join(body))})
    change.marks[rel] = req.marks()
    change.headings[rel] = headings
    change.sentences.append((("", "Adds the pattern "), ("b", title), ("", " at "), ("c", urls.pattern(slug)),
                             ("", f", number {number} (its short link "), ("c", urls.pattern_short(number)),
                             ("", ").")))
    if different:
        (other, why), = different.items()
        change.sentences.append((("", "Its author says how it differs from the similar pattern "), ("i", other),
                                 ("", ": "), ("v", why), ("", "")))
    change.title = pr_title(f"New pattern: {title}")
    return change


def _not_a_near_duplicate(req: Request, title: str) -> dict[str, str]:
    """Nothing when no pattern has the same or nearly the same title; when one has, the author's answer saying how
    theirs differs (by that pattern's title), or, with no answer, a problem asking whether to improve it instead."""
    found = scaffold.similar_patterns(req.root, title)
    if not found:
        return {}
    answer = req.answers.text.get(DIFFERENT_ID, "").strip()
    if answer:
        return {found[0].title: " ".join(answer.split())[:300]}
    named = " and ".join(f"“{s.title}” (on the site at {urls.pattern(PurePosixPath(s.path).stem)})" for s in found[:3])
    raise ChangeError([FormProblem(req.form.different[0] if req.form.different else req.label("title"),
                                   f"the commons already has a pattern like this: {named}. Could you improve "
                                   f"{'it' if len(found) == 1 else 'one of those'} instead? If yours is a different "
                                   "pattern, say how in this answer and save the issue")])


def case_study(req: Request) -> Change:
    title = str(req.values.get("title", ""))
    slug = slug_for(title, req.label("title"))
    rel = f"case-studies/{slug}.md"
    _free(req, rel, req.label("title"), "case study")
    meta = meta_of(CASE_STUDY.fields, req.values, {})
    story = req.answers.text.get("story", "").strip()
    change = Change({rel: _markdown_file(rel, meta, story)})
    change.marks[rel] = req.marks()
    story_label = next(label for item_id, label, _ in section_items(req.form) if item_id == "story")
    first = next((line for line in story.split("\n") if line.strip()), "")
    change.headings[rel] = [(first, story_label)] if first else []
    change.sentences.append((("", "Adds the case study "), ("b", title), ("", " at "), ("c", urls.case_study(slug)),
                             ("", ".")))
    change.title = pr_title(f"New case study: {title}")
    return change


def council(req: Request) -> Change:
    authority = council_of(req, "council-code")
    folder = f"councils/{authority.slug}"
    if (req.root / folder).exists():
        raise ChangeError([FormProblem(req.label("council-code"), f"{authority.short_name} has already joined the "
                                       "commons: ask one of its maintainers (on its page) to add you")])
    others = [str(h).strip().removeprefix("@") for h in req.values.get("maintainers", [])]
    maintainers = list(dict.fromkeys([req.author, *others]))
    meta = meta_of(COUNCIL.fields, req.values, {"code": authority.code, "maintainers": maintainers})
    profile, declaration = f"{folder}/council.yml", f"{folder}/declaration.yml"
    change = Change({
        profile: with_schema_line(dump(meta), profile),
        declaration: with_schema_line(f"# {authority.short_name}'s Local Digital Declaration commitments. Add a "
                                      "history entry whenever a status changes.\ncommitments: []\n", declaration),
    })
    change.marks[profile] = req.marks()
    change.sentences.append((("", "Adds "), ("v", authority.short_name), ("", "'s profile at "),
                             ("c", urls.council(authority.slug)), ("", ", maintained by "),
                             *_joined([("v", "@" + h) for h in maintainers]), ("", ".")))
    change.title = pr_title(f"{authority.short_name} joins the commons")
    return change


def _joined(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for i, part in enumerate(parts):
        if i:
            out.append(("", " and " if i == len(parts) - 1 else ", "))
        out.append(part)
    return out


def council_file(req: Request, authority: Authority, rel: str, what: str,
                 readable: Callable[[RawEntry], bool] = lambda entry: True) -> Doc | None:
    """The council's file `rel` as written, or None when it has none yet. A council that has not joined is a
    problem for the form's council question; a file that cannot be read (or is not `readable`) is one for the
    commons' maintainers, named as the council's `what` ("commitments file")."""
    if not (req.root / f"councils/{authority.slug}/council.yml").is_file():
        raise ChangeError([FormProblem(req.label("council-code"), f"{authority.short_name} has not joined the "
                                       "commons yet: use the Join the commons form first")])
    if not (req.root / rel).is_file():
        return None
    cand = candidate_for(req.root, rel)
    entry, problems = read_entry(req.root, cand) if not isinstance(cand, Problem) else (None, [])
    if entry is None or entry.node is None or problems or not readable(entry):
        raise ChangeError([FormProblem("", f"{authority.short_name}'s {what} cannot be read just now; "
                                           "a maintainer of the commons will fix it")])
    return read_doc(req.root, rel, entry)
