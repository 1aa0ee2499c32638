"""The site figures: full builds, the search payload and page sizes, each beside stock Material for MkDocs."""

from __future__ import annotations

import gzip
import re
import shutil
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from commons.bench.corpus import Corpus, generate
from commons.bench.measure import mb, median_run, run
from commons.bench.search import search_payload
from commons.bench.stock import COMMAND as STOCK_COMMAND
from commons.bench.stock import stock_project
from commons.content.register import REGISTER_FILE

REPOSITORY = REGISTER_FILE.parents[1]
STOCK_RUNS = 3  # stock takes ~20 s a build at 1,000 entries
BIG_RUNS = 3  # at most, at 5,000 entries: ours ~40 s a build; stock's one build there takes ~8 minutes more
QUERY = "parking"  # in many entries
REDIRECT = b'http-equiv="refresh"'


def site_corpus(root: Path, entries: int) -> Corpus:
    """A generated repository that builds: the real mkdocs.yml, docs/ (with the theme overrides) and hooks."""
    corpus = generate(root, entries)
    shutil.copy(REPOSITORY / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPOSITORY / "docs", root / "docs")
    _name_the_corpus_entries(root, corpus)
    # mkdocs.yml names its hooks (and watched folders) by paths inside the repository.
    (root / "scripts").symlink_to(REPOSITORY / "scripts", target_is_directory=True)
    return corpus


_NAMED = re.compile(r'(entry_link\("(pattern|council)", |commitments_table\()"[^"]*"')


def _name_the_corpus_entries(root: Path, corpus: Corpus) -> None:
    """The maintainers' pages name entries of the real commons in their macros (a pattern, a council): in the
    generated corpus they name its own, so the pages build as they would there."""
    council = min(p.parent.name for p in (root / "councils").glob("*/declaration.yml"))
    for page in (root / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        named = _NAMED.sub(lambda m: f'{m[1]}"{corpus.patterns[0] if m[2] == "pattern" else council}"', text)
        if named != text:
            page.write_text(named, encoding="utf-8")


def build_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "commons", "--root", str(root), "build"]


def html_sizes(site: Path) -> tuple[list[int], int]:
    """Sizes of the built pages, and how many redirect stubs (short links p/<id>/, former slugs of renamed
    patterns, abolished councils) were left out: they are tiny and would flatter the median."""
    sizes, left_out = [], 0
    for path in site.rglob("*.html"):
        data = path.read_bytes()
        if REDIRECT in data:
            left_out += 1
        else:
            sizes.append(len(data))
    return sizes, left_out


def kb(n: float) -> str:
    return f"{n / 1000:.1f} KB"


def bench_full_build(work: Path, repeat: int) -> list[str]:
    corpus = site_corpus(work / "site-1k", 1_000)
    stock = work / "stock-1k"
    pages = stock_project(corpus.root, stock)
    ours, peak = median_run(build_command(corpus.root), repeat)
    theirs, stock_peak = median_run(STOCK_COMMAND, STOCK_RUNS, cwd=stock)
    built = sum(1 for _ in (corpus.root / "site").rglob("*.html"))
    return [
        f"site build, {corpus.files:,} entries, full with Pagefind (median of {repeat}, process start included): "
        f"{ours:.2f} s; {built:,} HTML files; peak memory {mb(peak)}",
        f"  peer: stock Material for MkDocs, the same {pages:,} Markdown files (median of {STOCK_RUNS}): "
        f"{theirs:.2f} s; peak memory {mb(stock_peak)}; ours/stock = {ours / theirs:.2f} (target <= 0.15)",
        f"  (stock has no page for the {corpus.files - pages:,} council YAML files: they are not Markdown)",
    ]


def bench_big_build(corpus: Corpus, stock: Path, repeat: int) -> list[str]:
    """Builds both sites at 5,000 entries, leaving them for the figures that follow."""
    runs = min(repeat, BIG_RUNS)
    ours, peak = median_run(build_command(corpus.root), runs)
    theirs = run(STOCK_COMMAND, cwd=stock)
    return [
        f"site build, {corpus.files:,} entries, full with Pagefind (median of {runs}, process start included): "
        f"{ours:.1f} s (target <= 60 s); peak memory of the process tree {mb(peak)} (target <= 1,500 MB)",
        f"  peer: stock Material for MkDocs, the same Markdown (one run): {theirs.seconds:.1f} s; "
        f"peak memory {mb(theirs.peak_rss)}; ours/stock = {ours / theirs.seconds:.2f}",
    ]


def bench_search(corpus: Corpus, stock: Path) -> list[str]:
    payload = search_payload(corpus.root / "site", QUERY)
    index = (stock / "site" / "search" / "search_index.json").read_bytes()
    return [
        f"search payload, {corpus.files:,} entries, search/?q={QUERY} in headless Chromium until "
        f"{payload.results} results show: {kb(payload.gzip)} transferred as a compressing host such as GitHub "
        f"Pages sends it (gzip; target <= 200 KB), in {payload.files} responses; {kb(payload.body)} uncompressed "
        f"({kb(payload.encoded)} on the wire from this uncompressed server), {kb(payload.pagefind)} of it under "
        "pagefind/",
        "  by kind: " + ", ".join(f"{kind} {kb(n)}" for kind, n in payload.by_kind.items()),
        f"  peer: stock's search/search_index.json, loaded whole for any search: {kb(len(index))}, "
        f"{kb(len(gzip.compress(index, compresslevel=6)))} gzip-compressed; "
        f"ours/stock = {payload.body / len(index):.3f}",
        f"  (not counted: the search page also fetched {kb(payload.other)} of page, theme and other files, "
        f"the largest {payload.largest_other[0]} at {kb(payload.largest_other[1])})",
    ]


def bench_page_size(corpus: Corpus, stock: Path) -> list[str]:
    sizes, left_out = html_sizes(corpus.root / "site")
    stock_sizes, _ = html_sizes(stock / "site")
    page, stock_page = statistics.median(sizes), statistics.median(stock_sizes)
    return [
        f"median HTML page, {corpus.files:,} entries: {kb(page)} (target <= 80 KB) over {len(sizes):,} pages; "
        f"left out {left_out:,} redirect stubs (p/<id>/ short links, former pattern slugs, abolished councils)",
        f"  peer: stock Material's median page, the same Markdown: {kb(stock_page)} over {len(stock_sizes):,} pages; "
        f"ours/stock = {page / stock_page:.3f}",
    ]


def bench_incremental(corpus: Corpus, site_dir: Path) -> list[str]:
    """`commons serve` rebuilding after one pattern is edited, when the incremental rebuild exists."""
    from commons.site import serve

    if not hasattr(serve, "Incremental"):
        return ["rebuild after editing one entry in `commons serve`: PLACEHOLDER, not measured yet: "
                "commons.site.serve has no Incremental (target <= 3 s)"]
    builder = serve.Incremental(corpus.root, site_dir)
    start = time.perf_counter()
    builder.full_build()
    full = time.perf_counter() - start
    pattern = corpus.root / "patterns" / f"{corpus.patterns[len(corpus.patterns) // 3]}.md"
    seconds, search = [], []
    for n in range(5):
        with pattern.open("a", encoding="utf-8") as f:
            f.write(f"\nEdit {n + 1}: one more sentence after a review.\n")
        start = time.perf_counter()
        seconds.append(builder.rebuild([pattern.relative_to(corpus.root).as_posix()]))
        # Pagefind re-indexes in the background; let it finish so each edit starts from a quiet machine.
        builder.wait_for_search()
        search.append(time.perf_counter() - start)
    one = statistics.median(seconds)
    return [
        f"rebuild after editing one pattern in `commons serve`, {corpus.files:,} entries (median of 5): "
        f"{one:.2f} s (target <= 3 s); search caught up after {statistics.median(search):.1f} s",
        f"  peer: the same Incremental's full build, in process: {full:.1f} s; rebuild/full = {one / full:.2f}",
    ]


def bench_site(work: Path, repeat: int) -> Iterator[str]:
    yield from bench_full_build(work, repeat)
    corpus = site_corpus(work / "site-5k", 5_000)
    stock = work / "stock-5k"
    stock_project(corpus.root, stock)
    yield from bench_big_build(corpus, stock, repeat)
    yield from bench_search(corpus, stock)
    yield from bench_page_size(corpus, stock)
    yield from bench_incremental(corpus, work / "serve-5k")
