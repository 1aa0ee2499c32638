"""Measuring commands: wall time and the peak memory of a whole process tree, medians of several runs."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss: int  # bytes, the largest total resident memory of the process and its children
    returncode: int
    # bytes, the largest total proportional memory (PSS) of the tree: a page that a forked process shares with
    # its parent counts half in each, once in all, where peak_rss counts it in both; sampled less often
    peak_pss: int = 0


def _tree(pid: int) -> list[int]:
    todo, found = [pid], []
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
    return found


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, read from /proc."""
    total = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            continue
    return total


def _tree_pss(pid: int) -> int:
    """Proportional memory of a process and all its descendants (Linux's smaps_rollup), in bytes."""
    total = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                total += next((int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:")), 0)
        except (OSError, ValueError):
            continue
    return total


def run(command: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None,
        sample: float = 0.005, ok: Collection[int] = (0,)) -> Run:
    """Run a command to completion, sampling its process tree's memory as it goes; `ok` are its good exits."""
    # stderr goes to a file, not a pipe: a child writing more than a pipe holds would otherwise block.
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(list(command), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        peak = peak_pss = 0
        samples = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            if samples % PSS_EVERY == 0:
                peak_pss = max(peak_pss, _tree_pss(proc.pid))
            samples += 1
            time.sleep(sample)
        seconds = time.perf_counter() - start
        if proc.returncode not in ok:
            stderr.seek(0)
            err = stderr.read().decode(errors="replace")
            raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}): {err[-2000:]}")
    return Run(seconds, peak, proc.returncode, peak_pss)


PSS_EVERY = 10  # samples: reading smaps_rollup walks the page tables, so PSS is read every 50 ms


def median_run(command: Sequence[str], repeat: int = 5, **kwargs: object) -> tuple[float, int]:
    """Median seconds and the highest peak memory over `repeat` runs (after one warm-up run)."""
    run(command, **kwargs)  # type: ignore[arg-type]
    runs = [run(command, **kwargs) for _ in range(repeat)]  # type: ignore[arg-type]
    return statistics.median(r.seconds for r in runs), max(r.peak_rss for r in runs)


def alternating_runs(commands: Sequence[tuple[Sequence[str], dict[str, str] | None]], repeat: int = 5,
                     ok: Collection[int] = (0,)) -> list[list[Run]]:
    """Each (command, environment) run in turn `repeat` times after one warm-up each, so that a machine that
    speeds up or slows down during the runs weighs on all alike: every run, one list per command."""
    for command, env in commands:
        run(command, env=env, ok=ok)
    runs: list[list[Run]] = [[] for _ in commands]
    for _ in range(repeat):
        for i, (command, env) in enumerate(commands):
            runs[i].append(run(command, env=env, ok=ok))
    return runs


def alternating(commands: Sequence[tuple[Sequence[str], dict[str, str] | None]], repeat: int = 5,
                ok: Collection[int] = (0,)) -> list[tuple[float, int]]:
    """Median seconds and peak memory (RSS) of each (command, environment), from alternating_runs."""
    return [(statistics.median(r.seconds for r in rs), max(r.peak_rss for r in rs))
            for rs in alternating_runs(commands, repeat, ok)]


def median_call(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def mb(n: int) -> str:
    return f"{n / 1_000_000:.0f} MB"
