"""The similarity engine's quality on the labelled pairs, beside the words-only matcher's; its share of a full
build's time and the memory it adds at 10,000 entries, beside that build and the same process loading the
content only; its rows beside scoring every pair; and how quickly `commons similar --title` answers on
10,000 entries, beside starting the command at all.

Run as a module (`python -m commons.bench.similarity ROOT neighbours|load`), it is the measured process: it
loads and validates the content as `commons build` does, then (`neighbours`) works out every entry's
neighbours as the build does, and prints, as JSON, how long that took and its peak memory.
"""

from __future__ import annotations

import dataclasses
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from commons.analysis import similar_titles
from commons.analysis.quality import Quality, evaluate, pairs
from commons.analysis.similarity import WARN_THRESHOLD
from commons.bench.corpus import generate
from commons.bench.measure import mb, median_run, run
from commons.bench.site import build_command, site_corpus

PAIRS = Path(__file__).resolve().parents[3] / "tests" / "similarity-pairs.yml"
ENTRIES = 10_000
BUILD_RUNS = 2  # a full build of 10,000 entries takes minutes on two cores
SAMPLE = 101  # every SAMPLE-th doc's row is compared with scoring every pair


def _figures(q: Quality) -> str:
    return (f"right entry first {q.first}/{q.matches} = {q.first_rate:.2f}; precision {q.precision:.2f}, "
            f"recall {q.recall:.2f} ({q.true_positives} of {q.matches} should-match pairs found, "
            f"{q.false_positives} of {q.differs} should-not pairs flagged)")


def _work(root: Path, what: str) -> dict[str, Any]:
    """Run this module on `root` in a process of its own: its figures."""
    done = subprocess.run([sys.executable, "-m", "commons.bench.similarity", str(root), what], check=True,
                          capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def bench_quality() -> list[str]:
    labelled = pairs(yaml.safe_load(PAIRS.read_text(encoding="utf-8")))
    ours = evaluate(labelled)
    words = evaluate(labelled, similar_titles.THRESHOLD, lambda a, b: similar_titles.score(a.title, b.title))
    return [
        f"similarity on {len(labelled)} labelled pairs (tests/similarity-pairs.yml), warning at "
        f"{WARN_THRESHOLD}: {_figures(ours)} (targets: first >= 0.90, no should-not pair flagged); highest "
        f"should-not pair {ours.worst_differ[0]:.2f}",
        f"  peer: the words-only title matcher (similar_titles, at {similar_titles.THRESHOLD}): {_figures(words)}; "
        f"recall ours/peer = {ours.recall / words.recall if words.recall else float('inf'):.1f}",
    ]


def bench_build_share(work: Path, repeat: int) -> list[str]:
    """The neighbours' time against the full build's, in turn; their extra peak memory against loading only."""
    root = site_corpus(work / "build-10k", ENTRIES).root
    runs = min(repeat, BUILD_RUNS)
    builds, works, loads, peaks = [], [], [], []
    for _ in range(runs):
        builds.append(run(build_command(root)).seconds)
        works.append(_work(root, "neighbours"))
        loads.append(_work(root, "load"))
    for _ in range(repeat - runs):  # the cheaper figures get every run
        works.append(_work(root, "neighbours"))
        loads.append(_work(root, "load"))
    build = statistics.median(builds)
    seconds = statistics.median(w["seconds"] for w in works)
    peaks = [w["peak"] - lo["peak"] for w, lo in zip(works, loads, strict=True)]
    n = works[0]
    return [
        f"neighbours of every entry at {ENTRIES:,} entries ({n['docs']:,} patterns, case studies and commitments; "
        f"median of {len(works)}): {seconds:.2f} s, {n['pairs']:,} pairs scored of {n['all']:,}",
        f"  peer: the full commons build of the same corpus (median of {runs}): {build:.1f} s; "
        f"neighbours/build = {seconds / build:.0%} (target <= 20%)",
        f"  extra peak memory, against the same process loading the content only (median of {len(peaks)}): "
        f"{mb(int(statistics.median(peaks)))} (target <= 300 MB)",
        f"  rows beside scoring every pair, every {SAMPLE}th entry: {n['same']} of {n['sampled']} the same "
        f"(target: all)",
        f"  an update after one pattern's title is edited: {statistics.median(w['update'] for w in works):.2f} s, "
        f"{n['changed']} rows changed; update/build = "
        f"{statistics.median(w['update'] for w in works) / seconds:.2f}",
    ]


def bench_title(work: Path, repeat: int) -> list[str]:
    root = generate(work / "similar-10k", ENTRIES).root
    shutil.rmtree(root / ".cache", ignore_errors=True)
    query = [sys.executable, "-m", "commons", "--root", str(root), "similar", "--title", "Report a missed bin"]
    cold = run(query)
    warm, peak = median_run(query, repeat)
    start, _ = median_run([sys.executable, "-m", "commons", "--root", str(root), "similar", "--help"], repeat)
    return [f"commons similar --title on {ENTRIES:,} entries (median of {repeat}, process start included, its "
            f"cache in .cache/similarity/ current): {warm:.2f} s (target < 1 s); peak memory {mb(peak)}; the "
            f"first run, reading every entry: {cold.seconds:.2f} s",
            f"  peer: starting the same command for --help: {start:.2f} s; ours/peer = {warm / start:.1f}"]


def bench_similarity(work: Path, repeat: int) -> list[str]:
    return [*bench_quality(), *bench_title(work, repeat), *bench_build_share(work, repeat)]


def _measured(root: Path, what: str) -> dict[str, Any]:
    from commons.analysis import neighbours as nb
    from commons.analysis.documents import docs_of_entries
    from commons.content.validate import validate_repository

    entries = validate_repository(root, keep_entries=True).entries
    out: dict[str, Any] = {}
    if what == "neighbours":
        start = time.perf_counter()
        docs = docs_of_entries(entries)
        built = nb.Neighbours.build(docs)
        out["seconds"] = time.perf_counter() - start
        out["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        sample = sorted(built.rows)[::SAMPLE]
        every = nb.all_pairs_rows(built, sample)
        i = next(i for i, d in enumerate(docs) if d.type == "pattern")
        edited = [dataclasses.replace(d, title=d.title + " with a photo") if j == i else d
                  for j, d in enumerate(docs)]
        start = time.perf_counter()
        updated = built.update(edited)
        out |= {"update": time.perf_counter() - start, "changed": len(updated.changed), "docs": len(docs),
                "pairs": built.scored, "all": len(docs) * (len(docs) - 1) // 2, "sampled": len(sample),
                "same": sum(every[k] == built.rows[k] for k in sample)}
    else:
        out["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return out


if __name__ == "__main__":
    print(json.dumps(_measured(Path(sys.argv[1]), sys.argv[2])))
