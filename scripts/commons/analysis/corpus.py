"""The docs of every pattern, case study and commitment in a clone, quickly: `commons similar` answers in well
under a second on 10,000 entries, process start included, which reading and parsing every file (about 1.3 s
there) cannot.

Files are found as the validator finds them (`content.load.discover`) and read through the one loader
(`read_entry`); what the engine needs of each is kept in `.cache/similarity/docs.json`, under the file's size
and modification time, so a later run reads only the files that changed. A cache that cannot be read is
rebuilt; one that cannot be written is skipped. The cache holds only values read from the files themselves,
so it decides nothing a fresh read would not.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import astuple
from pathlib import Path
from typing import TYPE_CHECKING, Any

from commons.analysis.documents import docs_of, with_council_codes, with_service_areas
from commons.analysis.similarity import Doc, Index, weighted_terms
from commons.content.load import discover, parse_entry, read_entry

if TYPE_CHECKING:
    from commons.content.validate.repository import Sourced

CACHE = Path(".cache") / "similarity" / "docs.json"
VERSION = 5  # bump when Doc, docs_of or the terms (synonyms, weights, MAX_TEXT) change what is kept
KINDS = ("pattern", "case-study", "commitment", "council")


def _entry(root: Path, cand: Any, data: bytes | None = None) -> dict[str, Any]:
    entry = read_entry(root, cand)[0] if data is None else parse_entry(cand, data)[0]
    if entry is None:
        return {"docs": []}
    if cand.ctype.name == "council":
        code = entry.meta.get("code") if isinstance(entry.meta, dict) else None
        return {"docs": [], "code": code if isinstance(code, str) else ""}
    docs = docs_of(cand.ctype.name, entry.path, entry.slug, entry.meta, entry.body, entry.folder)
    return {"docs": [[list(astuple(d)), weighted_terms(d)] for d in docs]}


def _doc(values: list[Any]) -> Doc:
    (type_, key, title, path, summary, text, area, patterns, principles, council) = values
    return Doc(type_, key, title, path, summary, text, area, tuple(patterns), tuple(principles), council)


def load_docs(root: Path, use_cache: bool = True, kinds: tuple[str, ...] = KINDS) -> list[Doc]:
    """Every doc of the clone at `root`, commitments keyed by council code and given their patterns' areas;
    `kinds`, the content types read (fewer is quicker: check-pr reads a tree once, with no cache)."""
    return [d for d, _ in _load(root, use_cache, kinds)]


def load_index(root: Path, use_cache: bool = True, kinds: tuple[str, ...] = KINDS,
               keep: Callable[[Doc], bool] | None = None, sourced: Sequence[Sourced] = ()) -> Index:
    """The similarity index of every doc of the clone at `root` (those `keep` accepts), from the terms kept in
    the cache; `sourced`: councils' files from their own repositories (commons.sources), read each time."""
    return Index.from_weighted((d, w) for d, w in _load(root, use_cache, kinds, sourced) if keep is None or keep(d))


def _load(root: Path, use_cache: bool, kinds: tuple[str, ...],
          sourced: Sequence[Sourced] = ()) -> list[tuple[Doc, dict[str, float]]]:
    cache_path = root / CACHE
    old: dict[str, Any] = {}
    if use_cache:
        try:
            data = json.loads(cache_path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("version") == VERSION and isinstance(data.get("files"), dict):
                old = data["files"]
        except (OSError, ValueError):
            old = {}
    files: dict[str, Any] = {}
    changed = False
    for cand in discover(root)[0]:
        if cand.ctype.name not in kinds:
            continue
        try:
            st = os.stat(root / cand.path)
        except OSError:
            continue
        stamp = [st.st_mtime_ns, st.st_size]
        kept = old.get(cand.path)
        if isinstance(kept, dict) and kept.get("stamp") == stamp:
            files[cand.path] = kept
            continue
        files[cand.path] = {"stamp": stamp, **_entry(root, cand)}
        changed = True
    if use_cache and kinds == KINDS and (changed or len(files) != len(old)):
        _write(cache_path, {"version": VERSION, "files": files})
    files = {**files, **{s.cand.path: _entry(root, s.cand, s.data) for s in sourced if s.cand.ctype.name in kinds}}
    codes = {path.split("/")[1]: f["code"] for path, f in files.items() if f.get("code")}
    docs = [_doc(v) for f in files.values() for v, _ in f["docs"]]
    weights = [w for f in files.values() for _, w in f["docs"]]
    areas = {d.key: d.service_area for d in docs if d.type == "pattern"}
    return list(zip(with_service_areas(with_council_codes(docs, codes), areas), weights, strict=True))


def _write(path: Path, data: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass
