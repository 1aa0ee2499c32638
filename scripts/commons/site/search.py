"""Pagefind search indexing: the whole built site at once, or page by page while MkDocs renders it.

A full build feeds each page to Pagefind's indexing service (`pagefind --service`) as MkDocs renders it,
so Pagefind parses pages in its own process, on the second core, while MkDocs renders the next ones.
Only the part of a page Pagefind indexes is sent (`indexed_part`).
It is asked for the bundle as soon as the last page is rendered (`pages_done`), and the pages are
written to disk then, while Pagefind builds its index; `streaming` waits for the bundle and writes it. A
dirty build (`commons serve`) re-renders a few pages, so it re-indexes the folder afterwards instead
(`index_folder`).

The service reads requests and writes responses as base64-encoded JSON, each followed by a comma. The
`pagefind` package's own asynchronous client reads at most one response every 0.1 s, which would add
minutes at a thousand pages, so `StreamingIndex` speaks that format itself. Requests go down a pipe
enlarged to hold many pages, so rendering rarely waits for Pagefind; the responses wait in Pagefind's
own queue until the end, when they are all read at once.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs.exceptions import MkDocsException

from .output import write_over

LANGUAGE = "en"
BUNDLE = "pagefind"  # the bundle's folder in the site
PIPE_BYTES = 1 << 20  # about twenty pages; Linux's default pipe holds one


def index_folder(site_dir: Path) -> None:
    """Index every page in a built site (the Pagefind command line, from the pagefind[bin] wheel)."""
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", BUNDLE,
                             "--force-language", LANGUAGE, "--quiet"], capture_output=True, text=True)
    if result.returncode:
        raise MkDocsException(f"Pagefind could not index the site:\n{result.stdout}{result.stderr}")


class StreamingIndex:
    """One Pagefind index of a site, fed one page at a time.

    `add()` each page, then `finish()` (Pagefind makes the bundle for site/pagefind/ while the caller goes
    on) and `wait()`; or `close()` to stop without writing.
    """

    def __init__(self, site_dir: Path):
        from pagefind.service import get_executable  # the pagefind package imports asyncio: only load it here

        executable = get_executable()
        if executable is None:
            raise MkDocsException("the Pagefind binary is missing: install pagefind[bin]")
        self.site_dir = site_dir
        self._stderr = tempfile.TemporaryFile()
        self._proc = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=self._stderr)
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._input, self._output = self._proc.stdin, self._proc.stdout
        _enlarge(self._input.fileno())
        self._sent = 0  # each request gets one response, read by wait()
        self._finished = False
        self._request({"type": "NewIndex", "config": {"force_language": LANGUAGE}})

    def add(self, path: str, html: str) -> None:
        """Index the page written to `path` (relative to the site, e.g. patterns/x/index.html)."""
        self._request({"type": "AddFile", "index_id": 0, "file_path": path, "url": None, "file_contents": html})

    def finish(self) -> None:
        """Ask for the bundle to be built; `wait()` for it to be written.

        Pagefind is asked for the bundle's files rather than to write them: its service answered a
        WriteFiles request, and exited when its input closed, before every file was written, leaving
        one of its scripts cut short now and then. `wait` writes them and knows they are whole.
        """
        if not self._finished:
            self._finished = True
            self._request({"type": "GetFiles", "index_id": 0})

    def wait(self) -> None:
        """Wait until the bundle is made, and write it; raises MkDocsException if Pagefind failed."""
        self.finish()
        failures: list[str] = []
        last: dict[str, Any] = {}
        answered, pending = 0, b""
        while answered < self._sent and (chunk := self._output.read1(PIPE_BYTES)):  # type: ignore[attr-defined]
            *messages, pending = (pending + chunk).split(b",")
            for raw in messages:
                last = json.loads(base64.b64decode(raw)).get("payload", {})
                answered += 1
                if last.get("type") == "Error":
                    failures.append(str(last.get("message", last)))
        self.close()
        if answered < self._sent or failures or last.get("type") != "GetFiles":
            self._stderr.seek(0)
            said = "\n".join(failures) + "\n" + self._stderr.read().decode("utf-8", errors="replace")
            raise MkDocsException(f"Pagefind could not index the site:\n{said.strip() or 'it stopped'}")
        try:
            write_bundle(self.site_dir / BUNDLE, last.get("files", []))
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise MkDocsException(f"could not write the search index: {e}") from None

    def close(self) -> None:
        """Stop the service (whether or not the bundle was made): it exits when its input closes."""
        try:
            self._input.close()
        except OSError:
            pass
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._output.close()
        self._stderr.close()

    def _request(self, payload: dict[str, Any]) -> None:
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}).encode("utf-8")
        try:
            self._input.write(base64.b64encode(message) + b",")
            self._input.flush()
        except OSError:  # the service has stopped; wait() says why
            self._sent -= 1


def write_bundle(folder: Path, files: list[dict[str, str]]) -> None:
    """Write Pagefind's files, each a path inside the bundle with base64 content."""
    for f in files:
        inside = Path(f["path"])
        if ".." in inside.parts or inside.is_absolute():
            raise ValueError(f"Pagefind named a file outside its folder: {f['path']}")
        write_over(folder / inside, base64.b64decode(f["content"]))


def _enlarge(fd: int) -> None:
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass  # not Linux, or a lower limit: requests just wait for Pagefind more often


_feeding: StreamingIndex | None = None
_held: list[tuple[str, bytes]] = []  # (file, content) of pages rendered but not yet written


@contextmanager
def streaming(site_dir: Path) -> Iterator[StreamingIndex]:
    """Index the pages MkDocs renders into `site_dir` while this is open; the bundle is written by the end.

    Pages are also held in memory and written when the last one is rendered (`pages_done`), so the disk
    is written while Pagefind builds its index on the other core rather than between pages.
    """
    global _feeding
    index = StreamingIndex(site_dir)
    _feeding = index
    try:
        yield index
    except BaseException:
        index.close()
        raise
    finally:
        _feeding = None
        _held.clear()
    index.wait()


def take_page(path: str, abs_path: str, html: str) -> str:
    """Called for every page MkDocs renders (at `path` in the site, `abs_path` on disk); what MkDocs should
    write. While streaming, the page is indexed now and written by `pages_done`, and MkDocs writes nothing
    (MkDocs skips a page whose output is empty)."""
    if _feeding is None:
        return html
    indexed = indexed_part(html)
    if indexed is not None:
        _feeding.add(path, indexed)
    _held.append((abs_path, html.encode("utf-8", errors="xmlcharrefreplace")))  # as MkDocs encodes a page
    return ""


BODY = "<div data-pagefind-body"
BODY_END = "</article>"  # the end of Material's content: nothing after it is indexed


def indexed_part(html: str) -> str | None:
    """What Pagefind reads of a page: its `data-pagefind-body` element, which holds the page's filters and
    metadata too. The bundle is the same as from the whole page, with half as much to send and parse.
    None for a page without one: Pagefind leaves those out once any page has one."""
    start = html.find(BODY)
    if start < 0:
        return None
    end = html.find(BODY_END, start)
    return html if end < 0 else f"<html><body>{html[start:end]}</body></html>"


def pages_done() -> None:
    """Called once MkDocs has rendered every page: Pagefind makes the bundle while the pages are written."""
    if _feeding is not None:
        _feeding.finish()
    for abs_path, content in _held:
        write_over(abs_path, content)
    _held.clear()
