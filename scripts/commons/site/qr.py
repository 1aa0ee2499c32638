"""QR codes for printed pattern cards, made at build time (no network) with segno.

Encoding a QR code in Python takes about a millisecond, a tenth of a full build at a thousand entries,
so a full build asks for every card's code at the start (`Codes.make_ahead`): another Python process
makes them on the second core while this one converts Markdown, and `svg()` hands them out. A code
nobody asked for ahead (a page rebuilt by `commons serve`), or any failure of that process, is made here.

The codes belong to a build, or to a `commons serve` session, which keeps those made in its first build
for the pages it rebuilds: templates reach them through `svg()` only while a build has them in use
(`Codes.in_use`, which its scope enters and always leaves, stopping a helper still running).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

import segno


class Codes:
    """The QR codes of one build or one `commons serve` session: made ahead by a helper process, or here."""

    _in_use: ClassVar[Codes | None] = None  # the codes of the build running in this process, if any

    def __init__(self) -> None:
        self._helper: subprocess.Popen[bytes] | None = None
        self._asked: list[tuple[str, str]] = []
        self._made: dict[tuple[str, str], str] = {}

    @contextmanager
    def in_use(self) -> Iterator[Codes]:
        """While open, `svg()` hands out these codes; closing it stops a helper still making them."""
        if Codes._in_use is not None:
            raise RuntimeError("another build's QR codes are in use in this process")
        Codes._in_use = self
        try:
            yield self
        finally:
            Codes._in_use = None
            self.stop()

    def make_ahead(self, codes: list[tuple[str, str]]) -> None:
        """Start making these (url, title) codes in another process; `svg()` collects them when first asked."""
        self._collect()
        self._asked = list(codes)
        try:
            with tempfile.TemporaryFile() as asked:  # a file, not a pipe: writing it never waits for the helper
                asked.write(json.dumps(self._asked).encode("utf-8"))
                asked.seek(0)
                self._helper = subprocess.Popen([sys.executable, "-m", __name__], stdin=asked,
                                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:
            self._helper = None  # they are made here, one by one, as pages ask

    def svg(self, url: str, title: str) -> str:
        """The code of `url`, made ahead if it was asked for, or drawn now."""
        self._collect()
        made = self._made.get((url, title))
        return made if made is not None else draw(url, title)

    def stop(self) -> None:
        """Stop a helper whose codes nobody collected (a build that failed); the codes made so far stay."""
        helper, self._helper = self._helper, None
        if helper is not None:
            helper.kill()
            helper.communicate()

    def _collect(self) -> None:
        helper, self._helper = self._helper, None
        if helper is None:
            return
        out, _ = helper.communicate()
        if helper.returncode == 0:
            made = json.loads(out)
            if len(made) == len(self._asked):
                self._made.update(zip(self._asked, made, strict=True))


def svg(url: str, title: str) -> str:
    """An inline SVG QR code of `url`, scalable, with an accessible name: the running build's, if it has one."""
    codes = Codes._in_use
    return codes.svg(url, title) if codes is not None else draw(url, title)


def draw(url: str, title: str) -> str:
    # A fixed mask: choosing the best of eight is most of segno's time, and any mask scans.
    code = segno.make(url, error="m", mask=0)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=title, svgclass="commons-qr",
              lineclass=None, omitsize=True)
    return out.getvalue().decode("utf-8").replace("<svg ", '<svg role="img" aria-label="' + _attr(title) + '" ', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


if __name__ == "__main__":  # the helper: (url, title) pairs on standard input, their SVGs on standard output
    json.dump([draw(url, title) for url, title in json.load(sys.stdin)], sys.stdout)
