"""Comparing two built sites file for file: the same files, the same bytes, and Pagefind's filter index, whose
files' order and names change from run to run, compared by what it says."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from site_support import json_file, pagefind_file


def _is_pagefind_filter_index(rel: str) -> bool:
    return bool(re.fullmatch(r"pagefind/filter/[^/]+\.pf_filter", rel) or re.fullmatch(r"pagefind/[^/]+\.pf_meta", rel)
                or rel == "pagefind/pagefind-entry.json")


def pagefind_filters_canonical(site_dir: Path) -> dict[str, Any]:
    """What Pagefind's filter index says, independent of the order it happened to write it in.

    Pagefind (1.5) writes each filter's values from a hash map, so their order changes from run to
    run, and with it the content-hashed names of the filter files, the metadata file listing them
    (`pagefind.<hash>.pf_meta`) and `pagefind-entry.json`, which names the metadata file; the maintainer
    says filter indexes are not yet stable between builds (Pagefind/pagefind#638). Everything else
    Pagefind writes, including every fragment and word index, is compared byte for byte. Here the
    filter index is compared by meaning: filter → value → pages, and the metadata with the filter
    files' hashes left out.
    """
    pf = site_dir / "pagefind"
    filters: dict[str, Any] = {}
    for path in sorted((pf / "filter").glob("*.pf_filter")):
        name, values = pagefind_file(path)
        assert name not in filters, f"two filter files for {name!r}"
        filters[name] = sorted((value, sorted(pages)) for value, pages in values)
    metas = sorted(pf.glob("*.pf_meta"))
    assert len(metas) == 1, metas
    meta = pagefind_file(metas[0])
    version, pages, chunks, filter_files, *rest = meta
    assert sorted(name for name, _ in filter_files) == sorted(filters), "pf_meta and the filter files disagree"
    entry = json_file(pf / "pagefind-entry.json")
    for language in entry["languages"].values():
        assert (pf / f"pagefind.{language['hash']}.pf_meta").is_file()
        language["hash"] = "(the pf_meta file's hash)"
    return {"filters": filters, "meta": [version, pages, chunks, sorted(n for n, _ in filter_files), rest],
            "entry": entry}


def plain_files(site_dir: Path, folder: str = "") -> list[str]:
    """The files in `folder` of a built site, by their path in the site, but for Pagefind's filter index
    (compared by pagefind_filters_canonical instead)."""
    names = (p.relative_to(site_dir).as_posix() for p in (site_dir / folder).rglob("*") if p.is_file())
    return sorted(n for n in names if not _is_pagefind_filter_index(n))


def _differing(a: Path, b: Path, names: list[str], html: Callable[[bytes], bytes] | None = None) -> list[str]:
    """Those of `names` whose bytes differ between the sites `a` and `b`, each with both sizes."""
    def read(path: Path) -> bytes:
        data = path.read_bytes()
        return html(data) if html is not None and path.suffix == ".html" else data

    return [f"{n} ({(a / n).stat().st_size:,} and {(b / n).stat().st_size:,} bytes)" for n in names
            if read(a / n) != read(b / n)]


def same_site(built: Path, expected: Path, html: Callable[[bytes], bytes] | None = None) -> None:
    """Two built sites are the same, file for file, byte for byte (each page's HTML first passed through
    `html`, if given); Pagefind's filter index (the only files plain_files leaves out) is compared by what
    it says (see pagefind_filters_canonical)."""
    plain, others = set(plain_files(expected)), set(plain_files(built))
    assert others == plain, f"only in one build: {sorted(plain ^ others)}"
    differ = _differing(built, expected, sorted(plain), html)
    assert not differ, f"{len(differ)} files differ: {differ[:50]}"
    assert pagefind_filters_canonical(built) == pagefind_filters_canonical(expected), "Pagefind's filter index differs"
