"""The similarity engine's quality on the labelled pairs, beside the words-only matcher's, and how quickly
`commons similar --title` answers on 10,000 entries, beside starting the command at all."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

from commons.analysis import similar_titles
from commons.analysis.quality import Quality, evaluate, pairs
from commons.analysis.similarity import WARN_THRESHOLD
from commons.bench.corpus import generate
from commons.bench.measure import mb, median_run, run

PAIRS = Path(__file__).resolve().parents[3] / "tests" / "similarity-pairs.yml"


def _figures(q: Quality) -> str:
    return (f"right entry first {q.first}/{q.matches} = {q.first_rate:.2f}; precision {q.precision:.2f}, "
            f"recall {q.recall:.2f} ({q.true_positives} of {q.matches} should-match pairs found, "
            f"{q.false_positives} of {q.differs} should-not pairs flagged)")


def bench_similarity(work: Path, repeat: int) -> list[str]:
    labelled = pairs(yaml.safe_load(PAIRS.read_text(encoding="utf-8")))
    ours = evaluate(labelled)
    words = evaluate(labelled, similar_titles.THRESHOLD, lambda a, b: similar_titles.score(a.title, b.title))
    lines = [
        f"similarity on {len(labelled)} labelled pairs (tests/similarity-pairs.yml), warning at "
        f"{WARN_THRESHOLD}: {_figures(ours)} (targets: first >= 0.90, no should-not pair flagged); highest "
        f"should-not pair {ours.worst_differ[0]:.2f}",
        f"  peer: the words-only title matcher (similar_titles, at {similar_titles.THRESHOLD}): {_figures(words)}; "
        f"recall ours/peer = {ours.recall / words.recall if words.recall else float('inf'):.1f}",
    ]
    root = generate(work / "similar-10k", 10_000).root
    shutil.rmtree(root / ".cache", ignore_errors=True)
    query = [sys.executable, "-m", "commons", "--root", str(root), "similar", "--title", "Report a missed bin"]
    cold = run(query)
    warm, peak = median_run(query, repeat)
    start, _ = median_run([sys.executable, "-m", "commons", "--root", str(root), "similar", "--help"], repeat)
    return [*lines,
            f"commons similar --title on 10,000 entries (median of {repeat}, process start included, its cache "
            f"in .cache/similarity/ current): {warm:.2f} s (target < 1 s); peak memory {mb(peak)}; the first run, "
            f"reading every entry: {cold.seconds:.2f} s",
            f"  peer: starting the same command for --help: {start:.2f} s; ours/peer = {warm / start:.1f}"]
