"""Pagefind search indexing: the Pagefind command line (from the pagefind[bin] wheel) run on a built site.

A full build renders its pages on both cores (commons.site.workers), so Pagefind indexes the site once
every page is written (an `Indexing`, started at `on_post_build` and kept by the build's scope,
commons.site.build_scope), while the main process writes the open data exports, and the build waits
for it at the end. The command line parses pages and builds the index on every core; feeding Pagefind's
service page by page while rendering gave it no core of its own and left it a second of single-threaded
work after the last page. A dirty build (`commons serve`)
re-indexes the folder afterwards, in the background (`index_folder`).

Pagefind names its index files (fragments, index chunks, filters, metadata) after their content, and
leaves such a file alone when one of that name is already there: a build written over the site before
last (commons.site.output) rewrites only the index files that changed. The files no index names any more
are then removed (`prune`).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

from mkdocs.exceptions import MkDocsException

LANGUAGE = "en"
BUNDLE = "pagefind"  # the bundle's folder in the site
NAMED_BY_CONTENT = ("fragment", "index", "filter")  # the bundle's folders of files named after their content
# Left out of the indexed text, so a result's excerpt starts with the page's own words, not "study · Highways
# and transport.": the kicker above an entry's title (its kind and service area, which results show from
# metadata) and the hidden copies of filter and metadata values that Pagefind reads. Pagefind still takes the
# filters and metadata from inside an excluded element.
NOT_INDEXED = (".commons-kicker", "[hidden][data-pagefind-filter]", "[hidden][data-pagefind-meta]")


def command(site_dir: Path) -> list[str]:
    """The Pagefind command that indexes `site_dir` into site_dir/pagefind/."""
    try:
        from pagefind_bin import get_executable  # the binary itself: no Python process in between

        program = [str(get_executable())]
    except (ImportError, FileNotFoundError):
        program = [sys.executable, "-m", "pagefind"]
    excluded = [arg for selector in NOT_INDEXED for arg in ("--exclude-selectors", selector)]
    return [*program, "--site", str(site_dir), "--output-subdir", BUNDLE, "--force-language", LANGUAGE,
            *excluded, "--quiet"]


class Indexing:
    """Pagefind indexing one built site, in its own process."""

    def __init__(self, site_dir: Path):
        self.site_dir = site_dir
        self._said = tempfile.TemporaryFile()  # a file, not a pipe: Pagefind never waits for us to read it
        try:
            self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                command(site_dir), stdin=subprocess.DEVNULL, stdout=self._said, stderr=subprocess.STDOUT)
        except OSError as e:
            self._said.close()
            raise MkDocsException(f"Pagefind could not be started: {e}") from None

    def wait(self) -> None:
        """Wait for the bundle; raises MkDocsException if Pagefind failed."""
        assert self._proc is not None
        code = self._proc.wait()
        self._proc = None
        self._said.seek(0)
        said = self._said.read().decode("utf-8", errors="replace").strip()
        self._said.close()
        if code:
            said = said or f"it stopped with exit status {code}"
            raise MkDocsException(f"Pagefind could not index the site:\n{said}")
        prune(self.site_dir / BUNDLE)

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None
            self._said.close()


def prune(bundle: Path) -> None:
    """Remove the index files of earlier indexes from `bundle`: those the metadata named in
    pagefind-entry.json does not list. If the index cannot be read, nothing is removed."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        metas = {f"pagefind.{language['hash']}.pf_meta" for language in entry["languages"].values()}
        named: set[bytes] = set()
        for meta in metas:  # gzip-compressed CBOR, in which each file's hash is a string
            named.update(re.findall(rb"_([0-9a-f]{7,})", gzip.decompress((bundle / meta).read_bytes())))
        gone = [bundle / name for name in os.listdir(bundle) if name.endswith(".pf_meta") and name not in metas]
        for folder in NAMED_BY_CONTENT:
            for name in os.listdir(bundle / folder):
                if name.split(".", 1)[0].rpartition("_")[2].encode() not in named:
                    gone.append(bundle / folder / name)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError, zlib.error):
        return
    for path in gone:
        path.unlink(missing_ok=True)


def index_folder(site_dir: Path) -> None:
    """Index every page in a built site."""
    Indexing(site_dir).wait()
