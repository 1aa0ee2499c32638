"""The Content-Security-Policy every page carries, as a <meta> at the very top of its <head>.

Contributed text is escaped wherever a template prints it; the policy is the second wall, so that text
which got through as HTML all the same could still not run script, load anything from elsewhere, point
relative links at another site or send a form away. It allows what the site itself uses and nothing more:
scripts from its own files only (Material's inline scripts are files under docs/assets/, and the one
inline <script> left, Material's `__config`, is JSON, which browsers never run), and Pagefind's
WebAssembly. A policy in a <meta> governs only what comes after it, so it is the first thing after
the character set; `frame-ancestors`, `sandbox` and reports cannot be set in a <meta> and are not tried.
"""

from __future__ import annotations

import html

DIRECTIVES = (
    "default-src 'none'",  # anything not named below is refused
    "script-src 'self' 'wasm-unsafe-eval'",  # the site's own files; Pagefind compiles its search as WebAssembly
    # style= attributes are allowed: Python-Markdown aligns table columns with them and the charts size
    # themselves with one. <style> elements are not: browsers that know style-src-elem refuse them (older
    # ones fall back to style-src); the site's styles are all in its stylesheets.
    "style-src 'self' 'unsafe-inline'",
    "style-src-elem 'self'",
    "img-src 'self' data:",  # Material draws its icons with data: SVGs in its stylesheet
    "font-src 'self'",
    "connect-src 'self'",  # Pagefind fetches its index chunks and its .wasm
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",  # the search forms
)
POLICY = "; ".join(DIRECTIVES)


def meta_tag() -> str:
    """The policy as the <meta> element that states it."""
    content = html.escape(POLICY, quote=False).replace('"', "&quot;")
    return f'<meta http-equiv="Content-Security-Policy" content="{content}">'
