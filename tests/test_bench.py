"""`make bench` keeps working: its generated commons validates and builds with the real pipeline, macros and all."""

from __future__ import annotations

import subprocess
from pathlib import Path

from commons.bench.site import build_command, site_corpus


def test_the_benchmark_corpus_builds(tmp_path: Path) -> None:
    corpus = site_corpus(tmp_path / "corpus", 120)
    done = subprocess.run(build_command(corpus.root), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (corpus.root / "site" / "patterns" / corpus.patterns[0] / "index.html").is_file()
    home = (corpus.root / "site" / "index.html").read_text(encoding="utf-8")
    assert f'href="patterns/{corpus.patterns[0]}/"' in home, "the home page's macro names the corpus's own pattern"


def test_the_sources_benchmark_runs(tmp_path: Path) -> None:
    """`--only sources` on a few councils: every source is pinned, and each changed one is accepted (a refused
    source would stop the benchmark: `commons sources update` exits 1), so the figures time real work."""
    from commons.bench.sources import bench_sources
    from commons.sources.config import read_lock

    lines = bench_sources(tmp_path, 1, councils=3)
    assert "3 local sources" in lines[0] and "peer: a bare git fetch" in lines[1]
    assert "with 3 of them changed" in lines[2]
    lock = read_lock(tmp_path / "commons")
    assert len(lock) == 3 and all(p.commit and p.failure is None for p in lock.values())
    heads = {code: subprocess.run(["git", "-C", str(tmp_path / "sources" / code), "rev-list", "--count", "HEAD"],
                                  capture_output=True, text=True, check=True).stdout.strip() for code in lock}
    assert set(heads.values()) == {"3"}, heads  # the first commit and one change for each run, ours and peer's
