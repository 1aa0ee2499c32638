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


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, read from /proc."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
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
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(sample)
        seconds = time.perf_counter() - start
        if proc.returncode not in ok:
            stderr.seek(0)
            err = stderr.read().decode(errors="replace")
            raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}): {err[-2000:]}")
    return Run(seconds, peak, proc.returncode)


def median_run(command: Sequence[str], repeat: int = 5, **kwargs: object) -> tuple[float, int]:
    """Median seconds and the highest peak memory over `repeat` runs (after one warm-up run)."""
    run(command, **kwargs)  # type: ignore[arg-type]
    runs = [run(command, **kwargs) for _ in range(repeat)]  # type: ignore[arg-type]
    return statistics.median(r.seconds for r in runs), max(r.peak_rss for r in runs)


def alternating(commands: Sequence[tuple[Sequence[str], dict[str, str] | None]], repeat: int = 5,
                ok: Collection[int] = (0,)) -> list[tuple[float, int]]:
    """Median seconds and peak memory of each (command, environment), run in turn `repeat` times after one
    warm-up each, so that a machine that speeds up or slows down during the runs weighs on all alike."""
    for command, env in commands:
        run(command, env=env, ok=ok)
    runs: list[list[Run]] = [[] for _ in commands]
    for _ in range(repeat):
        for i, (command, env) in enumerate(commands):
            runs[i].append(run(command, env=env, ok=ok))
    return [(statistics.median(r.seconds for r in rs), max(r.peak_rss for r in rs)) for rs in runs]


def median_call(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def mb(n: int) -> str:
    return f"{n / 1_000_000:.0f} MB"
