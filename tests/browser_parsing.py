"""What a browser's HTML parser and URL parser make of markup, read independently of the code under test.

Used by the source checks' property tests (anything that renders live must have been refused) and by the
tests of the sanitiser (nothing live is left in a built page). Lexbor is the HTML parser; the scheme rule is the
URL standard's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "cite", "poster", "background", "xlink:href")
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
SCRIPT_SCHEMES = ("javascript", "data", "vbscript")


def browser_scheme(value: str) -> str | None:
    """The scheme the URL standard reads: leading and trailing C0 controls and spaces stripped, tabs and line
    breaks removed anywhere, then letters up to a colon (lower case)."""
    cleaned = re.sub("[\t\n\r]", "", value.strip(_C0_AND_SPACE))
    m = _SCHEME.match(cleaned)
    return m.group(1).lower() if m else None


def elements(node: LexborNode | None) -> Iterator[LexborNode]:
    """The elements of the tree at `node`, in document order: not its text, comments or doctype."""
    for n in node.traverse(include_text=False) if node is not None else ():
        if n.tag and not n.tag.startswith(("-", "_")):
            yield n


def live_handlers(markup: str) -> list[str]:
    """Each event-handler attribute the parser finds on an element of `markup`, as `<tag onname>`."""
    return [f"<{n.tag} {name}>" for n in elements(LexborHTMLParser(markup).root) for name in n.attributes
            if name.lower().startswith("on")]


def live_script_addresses(markup: str) -> list[str]:
    """Each address attribute of `markup` whose scheme, as a browser reads it, runs script."""
    return [f"<{n.tag} {name}={value!r}>" for n in elements(LexborHTMLParser(markup).root)
            for name, value in n.attributes.items()
            if name.lower() in _URL_ATTRIBUTES and browser_scheme(value or "") in SCRIPT_SCHEMES]

