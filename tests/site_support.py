"""Plain helpers shared by the site tests: build the real site, serve it, read the content it came from.

The fixtures made from them (one build of the real site and its two servers, one Chromium) are in conftest.py
and made once per session, so every site test module shares them.
"""

from __future__ import annotations

import csv
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from commons.site.build import build

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")  # Debian's; Playwright's own browser download does not work here
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
# Browser tests are skipped on a developer's machine without Chromium; in CI a missing browser fails them.
NEEDS_CHROMIUM = pytest.mark.skipif(
    not CHROMIUM.exists() and "CI" not in os.environ,
    reason=f"Chromium is not installed at {CHROMIUM} (run `make browser`); in CI this is a failure, not a skip",
)
REGISTER = REPO / "data" / "uk-local-authorities.csv"
SUB_PATH = "/council-commons/"
# What a contributor's copy of the repository needs to build: content, maintainers' pages, reference
# data, the configuration and the hooks file it names (the `commons` package itself is installed).
REPOSITORY_PARTS = ("patterns", "case-studies", "playbooks", "councils", "sessions", "docs", "data", "schemas",
                    "scripts", "mkdocs.yml")


# ---------------------------------------------------------------------------------------------------------
# The content the site is built from (read independently of the code under test)

def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert m, f"{path} has no front matter"
    meta = yaml.safe_load(m.group(1))
    assert isinstance(meta, dict)
    return meta


@dataclass(frozen=True)
class PatternFile:
    path: Path
    slug: str
    id: int
    title: str
    service_area: str
    aliases: tuple[str, ...]


@functools.cache
def pattern_files(root: Path = REPO) -> tuple[PatternFile, ...]:
    out = []
    for path in sorted((root / "patterns").glob("*.md")):
        meta = front_matter(path)
        out.append(PatternFile(path, path.stem, int(meta["id"]), str(meta["title"]), str(meta["service-area"]),
                               tuple(meta.get("aliases") or ())))
    assert out, f"no patterns under {root / 'patterns'}"
    return tuple(out)


def pattern(slug: str) -> PatternFile:
    return next(p for p in pattern_files() if p.slug == slug)


@functools.cache
def register_rows() -> tuple[dict[str, str], ...]:
    with REGISTER.open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def current_councils() -> list[dict[str, str]]:
    return [r for r in register_rows() if not r["end-date"]]


def council_folders(root: Path = REPO) -> list[str]:
    """Slugs of the councils that keep a folder in the commons."""
    return sorted(p.parent.name for p in (root / "councils").glob("*/council.yml"))


def copy_repository(dest: Path) -> Path:
    """A working copy of the repository at `dest` (no .git, .venv or built site)."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".*")
    for name in REPOSITORY_PARTS:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        elif src.is_file():
            shutil.copy2(src, dest / name)
    return dest


def build_into(site_dir: Path, root: Path = REPO) -> Path:
    """Build the site of `root` into `site_dir` with the real pipeline (validate → MkDocs → Pagefind)."""
    code = build(root, site_dir=site_dir)
    assert code == 0, f"commons build of {root} exited {code}"
    assert (site_dir / "index.html").is_file()
    return site_dir


# ---------------------------------------------------------------------------------------------------------
# Serving the built site

class SiteServer:
    """The built site over HTTP on 127.0.0.1, at `prefix` ("/" or a sub-path such as "/council-commons/").

    Anything outside the prefix, and any missing file, gets the site's 404.html with status 404,
    as GitHub Pages does.
    """

    def __init__(self, site_dir: Path, prefix: str = "/"):
        assert prefix.startswith("/") and prefix.endswith("/")
        self.site_dir, self.prefix = site_dir, prefix
        handler = _handler(site_dir, prefix)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name=f"site {prefix}", daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        port = self.httpd.server_address[1]
        return f"http://127.0.0.1:{port}{self.prefix}"

    def url(self, path: str = "") -> str:
        return self.base + path.lstrip("/")

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(site_dir: Path, prefix: str) -> type[http.server.SimpleHTTPRequestHandler]:
    not_found = (site_dir / "404.html").read_bytes()

    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                          ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
                          ".svg": "image/svg+xml", ".json": "application/json"}

        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, directory=str(site_dir), **kwargs)

        def send_head(self) -> Any:
            path = unquote(urlsplit(self.path).path)
            if not (path + "/").startswith(prefix):
                self.send_error(404)
                return None
            return super().send_head()

        def translate_path(self, path: str) -> str:
            clean = urlsplit(path).path
            rest = clean[len(prefix) - 1:] if clean.startswith(prefix) else "/"
            return super().translate_path(rest)

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            if code != 404:
                super().send_error(code, message, explain)
                return
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(not_found)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(not_found)

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # quiet: pytest shows failures, not traffic
            pass

    return Handler


# ---------------------------------------------------------------------------------------------------------
# The real site, built and served at the root and under the sub-path

@dataclass(frozen=True)
class Site:
    """A built site and its two servers."""

    dir: Path
    root: SiteServer  # the site at http://127.0.0.1:PORT/
    sub: SiteServer  # the site at http://127.0.0.1:PORT/council-commons/, as on GitHub Pages


def build_and_serve(site_dir: Path) -> Site:
    """The real repository's site built into `site_dir` and served at the root and under the sub-path (the
    caller closes both servers: conftest.py's `site` fixture does, once per session)."""
    build_into(site_dir)
    return Site(site_dir, SiteServer(site_dir, "/"), SiteServer(site_dir, SUB_PATH))


# ---------------------------------------------------------------------------------------------------------
# Reading Pagefind's index files (gzip + "pagefind_dcd" + CBOR), for the determinism test

def cbor_decode(data: bytes, i: int = 0) -> tuple[Any, int]:
    """The CBOR value at `data[i:]` and where it ends: the subset Pagefind writes (ints, strings, lists, maps)."""
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        n, i = int.from_bytes(data[i:i + size], "big"), i + size
    else:
        raise ValueError(f"indefinite-length CBOR item at byte {i - 1}")
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major == 2:
        return bytes(data[i:i + n]), i + n
    if major == 3:
        return data[i:i + n].decode("utf-8"), i + n
    if major == 4:
        items = []
        for _ in range(n):
            value, i = cbor_decode(data, i)
            items.append(value)
        return items, i
    if major == 5:
        pairs = {}
        for _ in range(n):
            key, i = cbor_decode(data, i)
            pairs[key], i = cbor_decode(data, i)
        return pairs, i
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], i
    raise ValueError(f"unsupported CBOR item (major type {major}) at byte {i - 1}")


def pagefind_file(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    magic = b"pagefind_dcd"
    assert raw.startswith(magic), f"{path} is not a Pagefind index file"
    value, end = cbor_decode(raw, len(magic))
    assert end == len(raw), f"{path}: {len(raw) - end} bytes after the CBOR value"
    return value


def json_file(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def chromium() -> Iterator[Any]:
    """A headless Chromium driven by Playwright, for as long as the caller (a fixture in conftest.py) keeps it."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install it (scripts/install-chromium.sh)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


# ---------------------------------------------------------------------------------------------------------
# The page types of the starter site, for tests that visit one of each

def first_entry(folder: str, pattern: str = "*.md") -> str:
    """The slug (for sessions "event/slug") of the first entry in a content folder of the repository."""
    path = min((REPO / folder).glob(pattern))
    return path.relative_to(REPO / folder).with_suffix("").as_posix()


def entry_page_types() -> dict[str, str]:
    """Name -> address of the home page, every index and one entry of each kind."""
    return {
        "home": "",
        "patterns index": "patterns/",
        "case studies index": "case-studies/",
        "playbooks index": "playbooks/",
        "sessions index": "sessions/",
        "councils index": "councils/",
        "pattern": f"patterns/{first_entry('patterns')}/",
        "case study": f"case-studies/{first_entry('case-studies')}/",
        "playbook": f"playbooks/{first_entry('playbooks')}/",
        "session": f"sessions/{first_entry('sessions', '*/*.md')}/",
    }


# --- Reading built pages (selectolax nodes) -------------------------------------------------------------------


def one(node: Any, selector: str) -> Any:
    """The first element under `node` that `selector` matches; there must be one."""
    found = node.css_first(selector)
    assert found is not None, f"nothing matches {selector}"
    return found


def words(node: Any) -> str:
    return " ".join(node.text(separator=" ").split())
