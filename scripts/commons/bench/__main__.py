"""`make bench`: the figures the issues ask for, each beside a peer measured in the same run.

Usage: python -m commons.bench [--only NAME ...] [--repeat N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from commons.bench.corpus import PROSE, generate
from commons.bench.market import bench_market
from commons.bench.measure import alternating, mb, median_run
from commons.bench.progress import bench_progress
from commons.bench.pullrequest import bench_check_pr
from commons.bench.similarity import bench_similarity
from commons.bench.site import bench_site
from commons.bench.sources import bench_sources

PYTHON = sys.executable

# A peer for validation: reading every file and parsing its YAML with PyYAML's C loader, checking nothing.
_PLAIN_LOAD = """
import sys, yaml
from pathlib import Path
for p in sorted(Path(sys.argv[1]).rglob('*')):
    if p.suffix in ('.md', '.yml') and p.is_file():
        text = p.read_text(encoding='utf-8')
        if p.suffix == '.md':
            text = text.split('\\n---\\n', 1)[0][4:]
        yaml.load(text, Loader=yaml.CSafeLoader)
"""


COLD = {**os.environ, "COMMONS_NO_CACHE": "1"}  # validation as CI runs it on a fresh clone: nothing kept


def bench_validation(work: Path, repeat: int) -> list[str]:
    """Validation of 10,000 entries, cold (no .cache/validate/), beside libyaml loading the same files, in turn;
    on real-length prose, then on short paragraphs; then warm, and for one changed file."""
    lines = []
    for prose in PROSE:
        corpus = generate(work / f"validate-10k-{prose}", 10_000, prose=prose)
        root = corpus.root
        validate = [PYTHON, "-m", "commons", "--root", str(root), "validate"]
        unrendered = {**COLD, "COMMONS_NO_RENDERED_CHECK": "1"}
        plain_load = [PYTHON, "-c", _PLAIN_LOAD, str(root)]
        (ours, peak), (plain, _) = alternating([(validate, COLD), (plain_load, None)], repeat)
        words = "real-length prose" if prose == "real" else "short paragraphs"
        lines += [
            f"validation, {corpus.files:,} entries, {words}, full and cold (COMMONS_NO_CACHE=1, as on a fresh "
            f"clone; median of {repeat} alternating with the peer, process start included): {ours:.2f} s; "
            f"peak memory {mb(peak)}",
            f"  peer: one process loading the same files' YAML with libyaml (PyYAML's CSafeLoader), no checks: "
            f"{plain:.2f} s; ours/peer = {ours / plain:.2f}" + (" (target <= 0.7)" if prose == "real" else ""),
        ]
        if prose != "real":
            continue
        (without, _), = alternating([(validate, unrendered)], repeat)
        (warm, _), = alternating([(validate, None)], repeat)  # its warm-up run fills .cache/validate/
        lines += [
            f"  the same without checking rendered bodies (COMMONS_NO_RENDERED_CHECK=1): {without:.2f} s; "
            f"with/without = {ours / without:.2f}",
            f"  warm, every file unchanged since the last run (.cache/validate/): {warm:.2f} s; "
            f"warm/peer = {warm / plain:.2f}",
            *bench_sanitising(root),
        ]
        changed = root / "patterns" / f"{corpus.patterns[len(corpus.patterns) // 2]}.md"
        changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more sentence after a review.\n",
                           encoding="utf-8")
        one, one_peak = median_run([*validate, str(changed)], repeat, env=COLD)
        lines.append(f"validation of one changed pattern in that corpus, cold: {one:.2f} s (target <= 0.5 s); "
                     f"peak memory {mb(one_peak)}; one/full = {one / ours:.2f}")
    return lines


def bench_sanitising(root: Path, sample: int = 1000, repeat: int = 5) -> list[str]:
    """What sanitising costs a build: every generated page's HTML goes through allowlist.sanitise once."""
    from commons.content.allowlist import sanitise
    from commons.content.rendered import render

    bodies = [p.read_text(encoding="utf-8").split("\n---\n", 1)[1]
              for p in sorted((root / "patterns").glob("*.md"))[:sample]]
    pages = [render(b) for b in bodies]
    sanitised, rendering = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        for b in bodies:
            render(b)
        rendering.append(time.perf_counter() - start)
        start = time.perf_counter()
        for page in pages:
            sanitise(page)
        sanitised.append(time.perf_counter() - start)
    s, r = statistics.median(sanitised), statistics.median(rendering)
    return [f"sanitising {len(pages):,} rendered pattern bodies (median of {repeat}): {s * 1000:.0f} ms, against "
            f"{r * 1000:.0f} ms to render them with the site's Markdown; sanitise/render = {s / r:.2f}"]


BENCHMARKS: dict[str, Callable[[Path, int], Iterable[str]]] = {
    "validation": bench_validation,
    "site": bench_site,
    "progress": bench_progress,
    "check-pr": bench_check_pr,
    "similarity": bench_similarity,
    "sources": bench_sources,
    "market": bench_market,
}


def compile_tooling() -> str:
    """Compile the tooling's modules to bytecode first, as an installed package has it: where
    PYTHONDONTWRITEBYTECODE is set, every `commons` process would otherwise compile them again, and the
    figures that include process start would time Python's compiler. Reading bytecode is allowed either way."""
    package = Path(__file__).resolve().parents[1]
    compileall.compile_dir(package, quiet=1, workers=os.cpu_count() or 1)
    return f"(the tooling's modules compiled to bytecode in {package}/**/__pycache__ first)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m commons.bench", description=__doc__)
    parser.add_argument("--only", action="append", choices=list(BENCHMARKS), help="run only these")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median reported)")
    parser.add_argument("--keep", help="generate corpora in this folder and keep them (a group's corpora from "
                        "an earlier run are made again)")
    args = parser.parse_args(argv)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="commons-bench-"))
    print(compile_tooling(), flush=True)
    try:
        for name in args.only or list(BENCHMARKS):
            print(f"== {name}", flush=True)
            shutil.rmtree(work / name, ignore_errors=True)  # a kept run's corpora: each is generated afresh
            for line in BENCHMARKS[name](work / name, args.repeat):
                print(line, flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
