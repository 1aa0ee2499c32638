"""`make bench --only market` measures what it says: its corpus's contracts validate and build, and the build
without the market views (COMMONS_NO_MARKET_VIEWS=1) leaves out exactly those: the contracts' open data and feed
entries, the council pages' contracts, the market page's figures and platform patterns' systems."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from commons.bench.market import PER_COUNCIL, market_corpus
from commons.bench.site import build_command
from commons.site.market_switch import NO_MARKET_VIEWS


def _build(root: Path, env: dict[str, str]) -> Path:
    done = subprocess.run(build_command(root), capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return root / "site"


def test_the_switch_leaves_out_the_market_views_and_nothing_else(tmp_path: Path) -> None:
    corpus = market_corpus(tmp_path / "corpus", councils=6)
    folders = sorted(p.parent.name for p in (corpus.root / "councils").glob("*/contracts.yml"))
    assert len(folders) == 6
    site = _build(corpus.root, dict(os.environ))
    contracts = json.loads((site / "api" / "v1" / "contracts.json").read_text(encoding="utf-8"))
    assert len(contracts["items"]) == 6 * PER_COUNCIL
    page = (site / "councils" / folders[0] / "index.html").read_text(encoding="utf-8")
    assert page.count('<tr id="contract-') == PER_COUNCIL
    market = (site / "market" / "index.html").read_text(encoding="utf-8")
    assert "No council has recorded a contract yet." not in market
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))

    site = _build(corpus.root, {**os.environ, NO_MARKET_VIEWS: "1"})
    assert not (site / "api" / "v1" / "contracts.json").exists()
    assert '<tr id="contract-' not in (site / "councils" / folders[0] / "index.html").read_text(encoding="utf-8")
    assert "No council has recorded a contract yet." in (site / "market" / "index.html").read_text(encoding="utf-8")
    assert 'term="contract"' not in (site / "feed.xml").read_text(encoding="utf-8")
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")) == pages  # the same pages
