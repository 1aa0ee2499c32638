"""The site figures: full builds, the search payload and page sizes, each beside stock Material for MkDocs."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from commons.bench.corpus import PROSE, Corpus, generate
from commons.bench.measure import alternating, alternating_runs, mb
from commons.bench.search import search_payload
from commons.bench.stock import MARKDOWN_FOLDERS, stock_command, stock_project
from commons.content.register import REGISTER_FILE

REPOSITORY = REGISTER_FILE.parents[1]
STOCK_RUNS = 3  # stock takes ~20 s a build at 1,000 entries
BIG_RUNS = 3  # at most, at 5,000 entries: ours takes about a minute a build
PROSE_WORDS = {"real": "real-length prose", "short": "short paragraphs"}
QUERY = "parking"  # in many entries
REDIRECT = b'http-equiv="refresh"'


def site_corpus(root: Path, entries: int, prose: str = "real") -> Corpus:
    """A generated repository that builds: the real mkdocs.yml, docs/ (with the theme overrides) and hooks."""
    corpus = generate(root, entries, prose=prose)
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
    """Ours against stock Material at 1,000 entries, in turn: on real-length prose, then on short paragraphs."""
    lines = []
    runs = min(repeat, STOCK_RUNS)
    for prose in PROSE:
        corpus = site_corpus(work / f"site-1k-{prose}", 1_000, prose)
        stock = work / f"stock-1k-{prose}"
        pages = stock_project(corpus.root, stock)
        (ours, peak), (theirs, stock_peak) = alternating(
            [(build_command(corpus.root), None), (stock_command(stock), None)], runs)
        built = sum(1 for _ in (corpus.root / "site").rglob("*.html"))
        lines += [
            f"site build, {corpus.files:,} entries, {PROSE_WORDS[prose]}, full with Pagefind (median of {runs} "
            f"alternating with stock, process start included): {ours:.2f} s; {built:,} HTML files; peak memory "
            f"{mb(peak)}",
            f"  peer: stock Material for MkDocs, the same {pages:,} Markdown files: {theirs:.2f} s; peak memory "
            f"{mb(stock_peak)}; ours/stock = {ours / theirs:.3f}" + (" (target <= 0.12)" if prose == "real" else ""),
        ]
        if prose == "real":
            lines += bench_page_size(corpus, stock)
    lines.append(f"  (stock has no page for the {corpus.files - pages:,} council YAML files: they are not Markdown)")
    return lines


# The floor for the 5,000-entry build: Python-Markdown, configured as the site's, rendering every entry's body
# once in one process (one core), writing nothing.
_RENDER_BODIES = """
import sys
from pathlib import Path
import markdown
from commons.content.rendered import SITE_EXTENSION_CONFIGS, SITE_EXTENSIONS
md = markdown.Markdown(extensions=list(SITE_EXTENSIONS), extension_configs=SITE_EXTENSION_CONFIGS)
for folder in sys.argv[2:]:
    for path in sorted((Path(sys.argv[1]) / folder).rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        md.reset().convert(text.split("\\n---\\n", 1)[1] if text.startswith("---\\n") else text)
"""


def bench_big_build(corpus: Corpus, repeat: int) -> list[str]:
    """Builds ours at 5,000 entries beside the floor, in turn, leaving the site for the figures that follow."""
    runs = min(repeat, BIG_RUNS)
    floor_command = [sys.executable, "-c", _RENDER_BODIES, str(corpus.root), *MARKDOWN_FOLDERS]
    built, floors = alternating_runs([(build_command(corpus.root), None), (floor_command, None)], runs)
    ours, floor = statistics.median(r.seconds for r in built), statistics.median(r.seconds for r in floors)
    pss, rss = max(r.peak_pss for r in built), max(r.peak_rss for r in built)
    return [
        f"site build, {corpus.files:,} entries, real-length prose, full with Pagefind on {os.cpu_count()} cores "
        f"(median of {runs} alternating with the floor, process start included): {ours:.1f} s; peak memory of "
        f"the process tree {mb(pss)} (PSS: a page the forked worker shares with the main process counted once; "
        f"target <= 1,000 MB), {mb(rss)} adding up each process's RSS",
        f"  floor: Python-Markdown, configured as the site's, rendering the same entries' bodies in one process "
        f"(one core), writing nothing: {floor:.1f} s; ours/floor = {ours / floor:.2f} (target <= 2.0)",
    ]


def bench_search(corpus: Corpus) -> list[str]:
    payload = search_payload(corpus.root / "site", QUERY)
    return [
        f"search payload, {corpus.files:,} entries, search/?q={QUERY} in headless Chromium until "
        f"{payload.results} results show: {kb(payload.gzip)} transferred as a compressing host such as GitHub "
        f"Pages sends it (gzip; target <= 150 KB), in {payload.files} responses; {kb(payload.body)} uncompressed "
        f"({kb(payload.encoded)} on the wire from this uncompressed server), {kb(payload.pagefind)} of it under "
        "pagefind/",
        "  by kind: " + ", ".join(f"{kind} {kb(n)}" for kind, n in payload.by_kind.items()),
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
        # The open data and Pagefind follow in the background; let them finish so each edit starts from a quiet
        # machine.
        builder.wait_for_search()
        search.append(time.perf_counter() - start)
    one = statistics.median(seconds)
    return [
        f"rebuild after editing one pattern in `commons serve`, {corpus.files:,} entries (median of 5): "
        f"{one:.2f} s until the page is written (target <= 3 s); the open data and search caught up after "
        f"{statistics.median(search):.1f} s",
        f"  peer: the same Incremental's full build, in process: {full:.1f} s; rebuild/full = {one / full:.3f} "
        "(target <= 0.03)",
    ]


def bench_site(work: Path, repeat: int) -> Iterator[str]:
    yield from bench_full_build(work, repeat)
    corpus = site_corpus(work / "site-5k", 5_000)
    yield from bench_big_build(corpus, repeat)
    yield from bench_search(corpus)
    yield from bench_incremental(corpus, work / "serve-5k")
