"""The market figure (issue 17): the full build of a commons where every current council records 15 contracts,
with the market views (the /market/ page, the contracts on council and platform pattern pages, the contracts'
open data and feed entries) and without them (COMMONS_NO_MARKET_VIEWS=1, which only the bench sets), alternating,
median. Validation and the Catalog are the same in both: the contracts are read and checked either way."""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

from commons.bench.corpus import Corpus
from commons.bench.measure import alternating, mb
from commons.bench.site import build_command, site_corpus
from commons.content.schema_line import with_schema_line
from commons.content.vocabulary import OPEN_API, SUPPLIERS, SYSTEM_CATEGORIES
from commons.site.market_switch import NO_MARKET_VIEWS

COUNCILS = 397  # every current council in the register
PER_COUNCIL = 15
RUNS = 5  # a build of this corpus takes 12 to 15 s: ten builds and two warm-ups, about three minutes
TARGET = 1.05


def market_corpus(root: Path, councils: int = COUNCILS, seed: int = 17) -> Corpus:
    """The site corpus with a folder for every current council (or the first `councils`), each with PER_COUNCIL
    contracts for different kinds of system, from the suppliers' list, ending over the next eight years (some
    extended)."""
    corpus = site_corpus(root, 8 * councils)
    rng = random.Random(seed)
    suppliers = sorted(SUPPLIERS)
    for folder in sorted((root / "councils").iterdir()):
        if not (folder / "council.yml").is_file():
            continue
        lines = [f"# {folder.name}'s contracts (generated for the bench).", "contracts:"]
        for system in rng.sample(sorted(SYSTEM_CATEGORIES), PER_COUNCIL):
            supplier = rng.choice(suppliers)
            start = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 6 * 365))
            end = dt.date(2027, 1, 1) + dt.timedelta(days=rng.randint(0, 7 * 365))
            lines += [f"  - id: {system}-{start.year}", f"    system: {system}", f"    supplier: {supplier}",
                      f"    product: {rng.choice(SUPPLIERS[supplier])}", f"    start: {start.isoformat()}",
                      f"    end: {end.isoformat()}"]
            if rng.random() < 0.4:
                lines.append(f"    extension-until: {(end + dt.timedelta(days=365 * rng.randint(1, 2))).isoformat()}")
            lines += [f"    annual-value: {rng.randint(20, 900) * 1000}",
                      f"    open-api: {rng.choice(list(OPEN_API))}",
                      f"    notice: https://notices.example/{folder.name}/{system}",
                      "    illustrative: true"]
        rel = f"councils/{folder.name}/contracts.yml"
        (root / rel).write_text(with_schema_line("\n".join(lines) + "\n", rel), encoding="utf-8")
    return corpus


def bench_market(work: Path, repeat: int) -> list[str]:
    corpus = market_corpus(work / "market-400")
    councils = sum(1 for _ in (corpus.root / "councils").glob("*/contracts.yml"))
    runs = min(repeat, RUNS)
    build = build_command(corpus.root)
    (ours, peak), (without, _) = alternating([(build, None), (build, {**os.environ, NO_MARKET_VIEWS: "1"})], runs)
    site = corpus.root / "site"
    left_out = not (site / "api" / "v1" / "contracts.json").exists()  # the last build was the one without them
    ratio = ours / without
    return [
        f"site build with the market views, {councils} councils x {PER_COUNCIL} contracts ({corpus.files:,} "
        f"entries; median of {runs}, alternating, process start included): {ours:.2f} s; peak memory {mb(peak)}",
        f"  peer: the same build without them ({NO_MARKET_VIEWS}=1{'' if left_out else ', NOT LEFT OUT'}): "
        f"{without:.2f} s; with/without = {ratio:.3f} (target <= {TARGET})",
    ]
