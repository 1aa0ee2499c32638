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
import os
import struct
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
PAGE_IDS = 1 << 30  # a page's request is numbered from here by its place in the site, in either process


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
        enlarge(self._input.fileno())
        self._sent = 0  # each request gets one response, read by wait()
        self._finished = False
        self._request({"type": "NewIndex", "config": {"force_language": LANGUAGE}})

    def add(self, path: str, html: str) -> None:
        """Index the page written to `path` (relative to the site, e.g. patterns/x/index.html)."""
        self.send(encode(PAGE_IDS + self._sent, add_file(path, html)))

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

    def detach(self) -> None:
        """In a forked worker: let go of the service without stopping it. Pagefind reads until every copy of
        its input is closed, so the worker's copies become /dev/null (and no other file takes their numbers
        while these objects still hold them)."""
        with open(os.devnull, "rb") as null:
            for pipe in (self._input, self._output):
                os.dup2(null.fileno(), pipe.fileno())

    def _request(self, payload: dict[str, Any]) -> None:
        self.send(encode(self._sent + 1, payload))

    def send(self, request: bytes) -> None:
        """Send one request made by `encode`."""
        try:
            self._input.write(request)
            self._input.flush()
            self._sent += 1
        except OSError:  # the service has stopped; wait() says why
            pass


def add_file(path: str, html: str) -> dict[str, Any]:
    return {"type": "AddFile", "index_id": 0, "file_path": path, "url": None, "file_contents": html}


def encode(message_id: int, payload: dict[str, Any]) -> bytes:
    """One request as the service reads it."""
    return base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode("utf-8")) + b","


def write_bundle(folder: Path, files: list[dict[str, str]]) -> None:
    """Write Pagefind's files, each a path inside the bundle with base64 content."""
    for f in files:
        inside = Path(f["path"])
        if ".." in inside.parts or inside.is_absolute():
            raise ValueError(f"Pagefind named a file outside its folder: {f['path']}")
        write_over(folder / inside, base64.b64decode(f["content"]))


def enlarge(fd: int) -> None:
    """Make the pipe `fd` hold PIPE_BYTES, where the system allows."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass  # not Linux, or a lower limit: requests just wait for Pagefind more often


_feeding: StreamingIndex | None = None
_held: list[tuple[str, bytes]] = []  # (file, content) of pages rendered but not yet written
_place = 0  # how many pages MkDocs has rendered in this build (in one process)
_relay: Relay | None = None  # in a rendering worker: where its pages go
_intake: Intake | None = None  # in the main process, while a worker renders too: pages from both, in order


@contextmanager
def streaming(site_dir: Path) -> Iterator[StreamingIndex]:
    """Index the pages MkDocs renders into `site_dir` while this is open; the bundle is written by the end.

    Pages are also held in memory and written when the last one is rendered (`pages_done`), so the disk
    is written while Pagefind builds its index on the other core rather than between pages.
    """
    global _feeding, _place, _intake
    index = StreamingIndex(site_dir)
    _feeding, _place = index, 0
    try:
        yield index
    except BaseException:
        index.close()
        raise
    finally:
        _feeding = None
        if _intake is not None:
            _intake.close()
            _intake = None
        _held.clear()
    index.wait()


def streaming_now() -> bool:
    return _feeding is not None


def take_page(path: str, abs_path: str, html: str, place: int | None = None) -> str:
    """Called for every page MkDocs renders (at `path` in the site, `abs_path` on disk); what MkDocs should
    write. While streaming, the page is indexed and written by `pages_done`, and MkDocs writes nothing
    (MkDocs skips a page whose output is empty). When two processes render, each page comes with its
    `place` in the site's order, and pages are indexed and written in that order."""
    global _place
    if _feeding is None and _relay is None:
        return html
    if place is None:
        place, _place = _place, _place + 1
    indexed = indexed_part(html) if html else None
    request = encode(PAGE_IDS + place, add_file(path, indexed)) if indexed is not None else b""
    page = html.encode("utf-8", errors="xmlcharrefreplace")  # as MkDocs encodes a page
    if _relay is not None:
        _relay.send(place, request, abs_path, page)
    elif _intake is not None:
        _intake.put(place, (request, abs_path, page))
    else:
        _pass_on((request, abs_path, page))
    return ""


Page = tuple[bytes, str, bytes]  # a rendered page: its request to Pagefind (or b""), its file, its bytes


def _pass_on(page: Page) -> None:
    request, abs_path, content = page
    if request and _feeding is not None:
        _feeding.send(request)
    if content:
        _held.append((abs_path, content))


FRAME = struct.Struct("!IIII")  # place, then the lengths of the request, the file's path and the page


class Relay:
    """In a rendering worker (commons.site.workers): its pages, sent down a pipe to the main process."""

    def __init__(self, fd: int):
        self.fd = fd

    def send(self, place: int, request: bytes, abs_path: str, page: bytes) -> None:
        path = abs_path.encode("utf-8", errors="surrogateescape")
        view = memoryview(b"".join((FRAME.pack(place, len(request), len(path), len(page)), request, path, page)))
        while view:
            view = view[os.write(self.fd, view):]

    def close(self) -> None:
        os.close(self.fd)


class Intake:
    """In the main process: its own pages and a worker's, passed on in the site's order, whichever process
    rendered them. Pagefind numbers pages in the order it is given them, so the bundle is the same as a
    one-process build's."""

    def __init__(self, fd: int):
        self.fd: int | None = fd
        os.set_blocking(fd, False)
        self._buffer = bytearray()
        self._waiting: dict[int, Page] = {}
        self._next = 0  # the place of the next page to pass on

    def put(self, place: int, page: Page) -> None:
        self._waiting[place] = page
        self._read(block=False)

    def take_the_rest(self) -> None:
        """Read everything the worker sends, until it closes the pipe."""
        self._read(block=True)

    def missing(self) -> int:
        """How many pages never came (after take_the_rest): the worker stopped early."""
        return len(self._waiting)

    def _read(self, block: bool) -> None:
        while self.fd is not None:
            if block:
                os.set_blocking(self.fd, True)
            try:
                chunk = os.read(self.fd, PIPE_BYTES)
            except BlockingIOError:
                break
            if not chunk:
                self.close()
                break
            self._buffer += chunk
            self._unframe()
        while self._next in self._waiting:
            _pass_on(self._waiting.pop(self._next))
            self._next += 1

    def _unframe(self) -> None:
        buffer, at = self._buffer, 0
        while len(buffer) - at >= FRAME.size:
            place, requested, named, paged = FRAME.unpack_from(buffer, at)
            end = at + FRAME.size + requested + named + paged
            if len(buffer) < end:
                break
            start = at + FRAME.size
            request = bytes(buffer[start:start + requested])
            path = bytes(buffer[start + requested:start + requested + named]).decode("utf-8", "surrogateescape")
            self._waiting[place] = (request, path, bytes(buffer[start + requested + named:end]))
            at = end
        del buffer[:at]

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def relay_to(fd: int) -> None:
    """In a forked rendering worker: send pages down `fd` to the main process instead of to Pagefind."""
    global _feeding, _relay
    if _feeding is not None:
        _feeding.detach()
    _feeding, _relay = None, Relay(fd)


def take_from(fd: int) -> None:
    """In the main process: pass on the pages a rendering worker sends down `fd` too, in the site's order."""
    global _intake
    _intake = Intake(fd)


def stop_relaying() -> None:
    """In the worker, when it has rendered its pages: close the pipe, so the main process knows."""
    global _relay
    if _relay is not None:
        _relay.close()
        _relay = None


def take_the_rest() -> None:
    """In the main process, once MkDocs has rendered its pages: wait for the worker's."""
    if _intake is not None:
        _intake.take_the_rest()


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
    """Called once every page is rendered (and the worker's taken): Pagefind makes the bundle while the
    pages are written."""
    if _intake is not None and _intake.missing():
        raise MkDocsException(f"{_intake.missing()} pages never came from the second rendering process")
    if _feeding is not None:
        _feeding.finish()
    for abs_path, content in _held:
        write_over(abs_path, content)
    _held.clear()
