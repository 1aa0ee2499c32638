"""QR codes for printed pattern cards, made at build time (no network) with segno.

Encoding a QR code in Python takes about a millisecond, a tenth of a full build at a thousand entries,
so a full build asks for every card's code at the start (`make_ahead`): another Python process makes
them on the second core while this one converts Markdown, and `svg()` hands them out. A code nobody
asked for ahead (a page rebuilt by `commons serve`), or any failure of that process, is made here.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile

import segno

_helper: subprocess.Popen[bytes] | None = None
_asked: list[tuple[str, str]] = []
_made: dict[tuple[str, str], str] = {}


def svg(url: str, title: str) -> str:
    """An inline SVG QR code of `url`, scalable, with an accessible name."""
    _collect()
    made = _made.get((url, title))
    return made if made is not None else draw(url, title)


def draw(url: str, title: str) -> str:
    # A fixed mask: choosing the best of eight is most of segno's time, and any mask scans.
    code = segno.make(url, error="m", mask=0)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=title, svgclass="commons-qr",
              lineclass=None, omitsize=True)
    return out.getvalue().decode("utf-8").replace("<svg ", '<svg role="img" aria-label="' + _attr(title) + '" ', 1)


def make_ahead(codes: list[tuple[str, str]]) -> None:
    """Start making these (url, title) codes in another process; `svg()` collects them when first asked."""
    global _helper, _asked
    _collect()
    _asked = list(codes)
    try:
        with tempfile.TemporaryFile() as asked:  # a file, not a pipe: writing it never waits for the helper
            asked.write(json.dumps(_asked).encode("utf-8"))
            asked.seek(0)
            _helper = subprocess.Popen([sys.executable, "-m", __name__], stdin=asked, stdout=subprocess.PIPE,
                                       stderr=subprocess.DEVNULL)
    except OSError:
        _helper = None  # they are made here, one by one, as pages ask


def _collect() -> None:
    global _helper
    if _helper is None:
        return
    helper, _helper = _helper, None
    out, _ = helper.communicate()
    if helper.returncode == 0:
        made = json.loads(out)
        if len(made) == len(_asked):
            _made.update(zip(_asked, made, strict=True))


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


if __name__ == "__main__":  # the helper: (url, title) pairs on standard input, their SVGs on standard output
    json.dump([draw(url, title) for url, title in json.load(sys.stdin)], sys.stdout)
