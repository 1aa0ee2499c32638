"""Councils' own repositories at the scale of the sector: one local source per current council (issue 15).

`commons sources update` with nothing changed, beside a bare `git fetch` of the same sources into the same
caches, as many at once (its default, four), in the same run and in turn; then the same with 40 of them
changed (each run changes 40 sources again first, outside the time, so each run has new commits to fetch and
check). Then a full `commons build` with those councils' records in their own repositories beside the same
content kept in this repository (`bench/sourced_build.py`).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from commons.bench.measure import Run, mb, run
from commons.bench.sourced_build import bench_sourced_build
from commons.content.register import load_register

REGISTER = Path(__file__).resolve().parents[3] / "data" / "uk-local-authorities.csv"
JOBS = 4  # `commons sources update`'s default
CHANGED = 40

_ENV = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org", "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1"}

_COMMITMENT = """\
  - id: {id}
    title: Publish {what} data every week
    principles: [3]
    status: planned
    start: 2025-01-06
    target: 2027-12-31
    history:
      - date: 2025-01-06
        status: planned
        note: Agreed with the service.
"""

# The peer: a plain `git fetch` of each source's branch into its cache, JOBS at a time, checking nothing.
_FETCH_ALL = """
import subprocess, sys
from concurrent.futures import ThreadPoolExecutor
pairs = [line.split("\\t") for line in open(sys.argv[1], encoding="utf-8").read().splitlines()]
def fetch(pair):
    cache, url = pair
    subprocess.run(["git", f"--git-dir={cache}", "fetch", "--quiet", "--no-tags", url, "+main:refs/bench/fetched"],
                   check=True)
with ThreadPoolExecutor(int(sys.argv[2])) as pool:
    list(pool.map(fetch, pairs))
"""


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=_ENV)


def _make_source(folder: Path, code: str) -> None:
    folder.mkdir(parents=True)
    (folder / "council.yml").write_text(f"code: {code}\nmaintainers:\n  - {code.lower()}-digital\n"
                                        "website: https://www.example.gov.uk\n", encoding="utf-8")
    (folder / "declaration.yml").write_text("commitments:\n" + _COMMITMENT.format(id="open-data", what="open"),
                                            encoding="utf-8")
    _git(folder, "init", "-q", "-b", "main")
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", "records")


def _change(folder: Path, n: int) -> None:
    """A new commitment appended to the source's declaration.yml, committed (append-only: it is accepted)."""
    with (folder / "declaration.yml").open("a", encoding="utf-8") as f:
        f.write(_COMMITMENT.format(id=f"change-{n}", what=f"change {n}"))
    _git(folder, "commit", "-q", "-am", f"change {n}")


def _commons(work: Path, councils: int | None = None) -> tuple[Path, list[Path]]:
    """A commons whose every current council (or the first `councils`) keeps its records in a local repository
    of its own, pinned."""
    register = load_register(REGISTER)
    codes = sorted(a.code for a in register.by_code.values() if a.current)[:councils]
    root = work / "commons"
    (root / "data").mkdir(parents=True)
    (root / "data" / REGISTER.name).write_bytes(REGISTER.read_bytes())
    folders = [work / "sources" / code for code in codes]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(_make_source, folders, codes))
    (root / "sources.yml").write_text(yaml.safe_dump({"sources": [{"council": c, "url": str(f)}
                                                                  for c, f in zip(codes, folders, strict=True)]}),
                                      encoding="utf-8")
    subprocess.run(_update(root), check=True, capture_output=True)  # the first pins, and the caches
    return root, folders


def _update(root: Path) -> list[str]:
    return [sys.executable, "-m", "commons", "sources", "--root", str(root), "update", "--allow-local-paths"]


def bench_sources(work: Path, repeat: int, councils: int | None = None) -> list[str]:
    """The figures, for every current council (`councils`: the first few, as tests/test_bench.py runs it)."""
    root, folders = _commons(work, councils)
    pairs = work / "fetch-pairs.txt"
    pairs.write_text("".join(f"{root / '.cache' / 'sources' / f'{f.name}.git'}\t{f}\n" for f in folders),
                     encoding="utf-8")
    peer = [sys.executable, "-c", _FETCH_ALL, str(pairs), str(JOBS)]
    update = _update(root)
    ours: list[Run] = []
    theirs: list[Run] = []
    run(update)
    run(peer)
    for _ in range(repeat):  # in turn, so a machine speeding up or slowing down weighs on both alike
        ours.append(run(update))
        theirs.append(run(peer))
    quiet, bare = statistics.median(r.seconds for r in ours), statistics.median(r.seconds for r in theirs)
    lines = [
        f"commons sources update, {len(folders)} local sources (one per current council), nothing changed "
        f"(median of {repeat}, process start included, {JOBS} at once): {quiet:.2f} s; peak memory "
        f"{mb(max(r.peak_rss for r in ours))}",
        f"  peer: a bare git fetch of the same {len(folders)} into the same caches, {JOBS} at once: {bare:.2f} s; "
        f"ours/peer = {quiet / bare:.2f} (target <= 1.5)",
    ]
    ours, theirs, n = [], [], 0
    changing = folders[::max(1, len(folders) // CHANGED)][:CHANGED]
    for _ in range(repeat):
        for which in (ours, theirs):
            n += 1
            for folder in changing:
                _change(folder, n)
            which.append(run(update if which is ours else peer))
    changed, bare = statistics.median(r.seconds for r in ours), statistics.median(r.seconds for r in theirs)
    build = bench_sourced_build(work / "build", repeat) if councils is None else []
    return [*lines,
            f"commons sources update with {len(changing)} of them changed (a new commitment each, checked and pinned; "
            f"median of {repeat}): {changed:.2f} s; peak memory {mb(max(r.peak_rss for r in ours))}",
            f"  peer: a bare git fetch of the same {len(folders)}, {len(changing)} of them changed: {bare:.2f} s; "
            f"ours/peer = {changed / bare:.2f}", *build]
