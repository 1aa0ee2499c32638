"""`commons sources fetch`: put every locked commit into `.cache/sources/` (a fresh clone, CI), moving no pin.

A commit already in the cache is not fetched again. The files of each restored commit must be exactly the ones
sources.lock records (path and git blob id), so what the build reads is what was checked when it was pinned.
"""

from __future__ import annotations

import sys
from pathlib import Path

from commons.content.register import load_register
from commons.errors import CommonsError
from commons.sources import locked_snapshot, pinned_source
from commons.sources.config import read_lock, read_sources
from commons.sources.fetch import FetchFailed, cache_of, fetch, has_commit, pin


def restore(root: Path, allow_local: bool = False) -> int:
    register = load_register(root / "data" / "uk-local-authorities.csv")
    read_sources(root, register, allow_local)  # sources.yml must be readable, and its urls allowed
    failed: list[str] = []
    restored = 0
    for code, locked in sorted(read_lock(root).items()):
        if not locked.commit:
            continue
        source = pinned_source(locked)
        if not allow_local and not source.url.startswith("https://"):
            failed.append(f"{code}: {source.url} is not an https address")
            continue
        cache = cache_of(root, code)
        try:
            if not has_commit(cache, locked.commit):
                fetch(root, source, want=locked.commit)
            pin(cache, locked.commit)
        except FetchFailed as e:
            failed.append(f"{code}: {e}")
            continue
        if locked_snapshot(root, source, locked, register) is None:
            failed.append(f"{code}: the commit {locked.commit[:7]} does not hold the files sources.lock records")
            continue
        restored += 1
    print(f"{restored} locked source{'s' * (restored != 1)} in .cache/sources/", file=sys.stderr)
    if failed:
        raise CommonsError(f"{len(failed)} locked source{'s' * (len(failed) != 1)} could not be restored",
                           "run commons sources update to check them again (it keeps each last good pin)",
                           details="\n".join(failed))
    return 0
