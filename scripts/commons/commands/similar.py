"""`commons similar`: the entries nearest an entry file, or a title and summary, with a score.

The engine is `commons.analysis.similarity` (what it compares and how the score is made are said there); the
clone's entries come from `commons.analysis.corpus`, which keeps what it read in `.cache/similarity/` so a
second run answers quickly. An entry file is compared without itself; a Declaration file gives the nearest
entries for each of its commitments (`--id` for one).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded when the command runs, so `commons --help` stays quick
    from commons.analysis.similarity import Doc, Match

HELP = "list the patterns, case studies and commitments nearest an entry, or a title, with a score"
DESCRIPTION = (
    "Print the entries of the commons nearest an entry file (PATH), or a title and summary you give "
    "(--title, --summary), by meaning: their titles, summaries, problem text, service areas, the patterns they "
    "name and their principles. Each has a score from 0 to 1; 0.5 or more is very close (check-pr and "
    "commons new pattern warn about a new pattern that close to another). Exit 0, 2 on usage errors."
)
TYPES = {"pattern": "pattern", "commitment": "commitment", "case-study": "case-study"}
MAX_TITLE = 500  # characters of --title or --summary compared


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH", help="an entry file: a pattern, a case study or a "
                        "council's declaration.yml")
    parser.add_argument("--title", help="compare this title instead of a file")
    parser.add_argument("--summary", default="", help="and this summary (with --title)")
    parser.add_argument("--type", choices=list(TYPES), action="append",
                        help="list only entries of this type (repeat for several; default: all)")
    parser.add_argument("--id", help="with a declaration.yml: only the commitment with this id")
    parser.add_argument("--limit", type=int, default=10, help="how many to list (default 10)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or JSON")


def command(args: argparse.Namespace, root: Path) -> int:
    from commons.analysis.corpus import load_index
    from commons.analysis.similarity import Doc
    from commons.errors import EXIT_OK, UsageError
    from commons.sources.records import locked_sourced

    if (args.path is None) == (args.title is None):
        raise UsageError("give either an entry file (PATH) or --title TEXT, not both or neither",
                         "for example: commons similar patterns/report-a-missed-bin.md, or "
                         "commons similar --title \"Report a missed bin\"")
    if args.limit < 1:
        raise UsageError(f"--limit must be 1 or more (got {args.limit})")
    if args.title is not None and not args.title.strip():
        raise UsageError("--title is empty", "give the title in quotes: --title \"Report a missed bin\"")
    if args.summary and args.title is None:
        raise UsageError("--summary goes with --title", "give both: --title \"Report a missed bin\" --summary \"…\"")
    if args.id is not None and args.path is None:
        raise UsageError("--id goes with a declaration.yml PATH")
    index = load_index(root, sourced=locked_sourced(root))  # councils' own repositories too
    docs = index.docs
    types = tuple(args.type or TYPES)
    if args.title is not None:
        queries = [Doc("", "", args.title[:MAX_TITLE], summary=args.summary[:MAX_TITLE])]
    else:
        queries = _queries(root, args.path, args.id, docs)
    results = [(q, index.nearest(q, args.limit, types, exclude=[(q.type, q.key)])) for q in queries]
    FORMATS[args.format](results, args.path is not None and len(queries) > 1 or bool(args.id))
    return EXIT_OK


def _queries(root: Path, given: str, wanted: str | None, docs: Sequence[Doc]) -> list[Doc]:
    from commons.analysis.documents import docs_of, with_council_codes, with_service_areas
    from commons.content.load import candidate_for, read_entry
    from commons.content.problems import Problem
    from commons.errors import UsageError

    path = Path(given)
    full = path if path.is_absolute() else Path.cwd() / path
    try:
        rel = full.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"{given} is not inside the repository {root}") from None
    if full.is_dir():
        raise UsageError(f"{rel or '.'} is a folder", "give one entry file, such as patterns/report-a-missed-bin.md")
    cand = candidate_for(root, rel)
    if isinstance(cand, Problem):
        raise UsageError(f"{rel}: {cand.message}", cand.hint)
    if cand.ctype.name not in ("pattern", "case-study", "commitment"):
        raise UsageError(f"{rel} is a {cand.ctype.name}; commons similar compares patterns, case studies and "
                         "commitments (a council's declaration.yml)")
    if not full.is_file():
        raise UsageError(f"{rel} does not exist")
    entry, problems = read_entry(root, cand)
    found = docs_of(cand.ctype.name, rel, cand.slug, entry.meta if entry else None,
                    entry.body if entry else "", cand.folder)
    if not found:
        first = problems[0] if problems else None
        where = f"{first.path}:{first.line}:{first.col}: {first.message}" if first else "it has no title"
        raise UsageError(f"{rel} cannot be read as an entry ({where})", f"run: commons validate {rel}")
    code = next((d.council for d in docs if d.type == "commitment" and d.path == rel), "")
    codes = {cand.folder: code} if code else {}
    areas = {d.key: d.service_area for d in docs if d.type == "pattern"}
    found = with_service_areas(with_council_codes(found, codes), areas)
    if wanted is not None:
        found = [d for d in found if d.key.split("/", 1)[-1] == wanted]
        if not found:
            raise UsageError(f"{rel} has no commitment with id '{wanted}'")
    return found


def _name(doc: Doc) -> dict[str, str]:
    if doc.type == "commitment":
        council, _, ident = doc.key.partition("/")
        return {"council": council, "id": ident}
    return {"slug": doc.key}


def _json(results: list[tuple[Doc, list[Match]]], grouped: bool) -> None:
    out = []
    for query, matches in results:
        for m in matches:
            row = {"type": m.doc.type, **_name(m.doc), "title": m.doc.title, "score": m.score,
                   "path": m.doc.path}
            if grouped:
                row["for"] = query.key
            out.append(row)
    print(json.dumps(out, indent=2, ensure_ascii=False))


def _text(results: list[tuple[Doc, list[Match]]], grouped: bool) -> None:
    for i, (query, matches) in enumerate(results):
        if grouped:
            print(("\n" if i else "") + f"{query.key}: {query.title}")
        if not matches:
            print("  nothing similar" if grouped else "nothing similar")
        for m in matches:
            where = m.doc.key if m.doc.type == "commitment" else m.doc.path
            print(f"{'  ' if grouped else ''}{m.score:.2f}  {m.doc.type:<10}  {m.doc.title}  ({where})")


FORMATS: dict[str, Callable[[list[tuple[Doc, list[Match]]], bool], None]] = {"text": _text, "json": _json}
