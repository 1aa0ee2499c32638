"""What a reader downloads to search: the built site served on loopback, one query in headless Chromium."""

from __future__ import annotations

import gzip
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlparse

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
RESULTS = ".commons-search__results li"


@dataclass(frozen=True)
class Payload:
    files: int
    body: int  # bytes of the response bodies as the browser received them (this server does not compress)
    encoded: int  # bytes on the wire as Chromium reports them (Content-Length when it is known)
    gzip: int  # the same bodies gzip-compressed one by one, as a compressing server would send them
    pagefind: int  # the part of `body` under pagefind/
    by_kind: dict[str, int]  # `body` by file suffix: .js, .pagefind (wasm), .pf_meta, .pf_index, ...
    other: int  # bytes of every other response the page fetched (the page itself, theme CSS and JS, ...)
    largest_other: tuple[str, int]  # path and size of the largest of those
    results: int  # result items rendered


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """Serve `site_dir` on a free loopback port for the duration of the block; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _is_search(path: str) -> bool:
    return path.startswith("/pagefind/") or path == "/assets/search.js"


def search_payload(site_dir: Path, query: str) -> Payload:
    """Open search/?q=`query`, wait for the results list, and add up every search response."""
    from playwright.sync_api import Response, sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"the search payload is measured in Chromium, missing at {CHROMIUM}: run `make browser`")
    responses: list[Response] = []
    with serve(site_dir) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # Listening on the context, not the page, also sees Pagefind's web worker fetching the index.
            context = browser.new_context()
            context.on("response", lambda r: responses.append(r))  # Playwright cannot wrap a builtin method
            page = context.new_page()
            page.goto(f"{base}search/?q={quote(query)}")
            page.wait_for_selector(RESULTS, timeout=60_000)
            page.wait_for_load_state("networkidle")
            rendered = page.locator(RESULTS).count()
            everything = {urlparse(r.url).path: r for r in responses}
            bodies = {path: r.body() for path, r in everything.items() if _is_search(path)}
            # Chromium reports 0 for the worker's script, so take the Content-Length header where there is one.
            encoded = sum(int(r.headers.get("content-length", r.request.sizes()["responseBodySize"]))
                          for path, r in everything.items() if path in bodies)
            others = {path: len(r.body()) for path, r in everything.items() if path not in bodies}
        finally:
            browser.close()
    by_kind: dict[str, int] = {}
    for path, body in bodies.items():
        by_kind[PurePosixPath(path).suffix] = by_kind.get(PurePosixPath(path).suffix, 0) + len(body)
    return Payload(
        files=len(bodies),
        body=sum(len(b) for b in bodies.values()),
        encoded=encoded,
        gzip=sum(len(gzip.compress(b, compresslevel=6)) for b in bodies.values()),
        pagefind=sum(len(b) for path, b in bodies.items() if path.startswith("/pagefind/")),
        by_kind=dict(sorted(by_kind.items(), key=lambda kv: -kv[1])),
        other=sum(others.values()),
        largest_other=max(others.items(), key=lambda kv: kv[1]),
        results=rendered,
    )
