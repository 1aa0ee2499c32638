"""`commons sources fetch`: put every locked commit into `.cache/sources/` (a fresh clone, CI), moving no pin.

A commit already in the cache, holding exactly the files sources.lock records (path and git blob id), is not
fetched again; a cache that lacks it or gives other files (objects lost or changed) is made again from the
source, so what the build reads is what was checked when it was pinned.
"""

from __future__ import annotations

import sys
from pathlib import Path

from commons.content.register import load_register
from commons.errors import CommonsError
from commons.sources import locked_read, pinned_source
from commons.sources.config import read_lock, read_sources
from commons.sources.objects import Mismatch
from commons.sources.records import refetch


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
        got = locked_read(root, source, locked, register)
        if isinstance(got, Mismatch):  # not fetched, or the cache lost or changed objects: made again
            why = refetch(root, locked)
            if why is not None:
                failed.append(f"{code}: {why}")
                continue
            got = locked_read(root, source, locked, register)
        if isinstance(got, Mismatch):
            failed.append(f"{code}: the commit {locked.commit[:7]} does not hold the files sources.lock records "
                          f"({got.message}): run commons sources update {code}")
            continue
        restored += 1
    print(f"{restored} locked source{'s' * (restored != 1)} in .cache/sources/", file=sys.stderr)
    if failed:
        raise CommonsError(f"{len(failed)} locked source{'s' * (len(failed) != 1)} could not be restored",
                           "run commons sources update to check them again (it keeps each last good pin)",
                           details="\n".join(failed))
    return 0
