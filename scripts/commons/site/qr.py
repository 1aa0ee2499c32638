"""QR codes for printed pattern cards, made at build time (no network) with segno."""

from __future__ import annotations

import io

import segno


def svg(url: str, title: str) -> str:
    """An inline SVG QR code of `url`, scalable, with an accessible name."""
    # A fixed mask: choosing the best of eight is most of segno's time, and any mask scans.
    code = segno.make(url, error="m", mask=0)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=title, svgclass="commons-qr",
              lineclass=None, omitsize=True)
    return out.getvalue().decode("utf-8").replace("<svg ", '<svg role="img" aria-label="' + _attr(title) + '" ', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
