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
