"""What a Markdown comment or issue body we post may contain once rendered, checked on the rendered HTML.

Python-Markdown stands in for GitHub's renderer. GitHub's autolinking of mentions, `#123` references and bare
addresses happens on the rendered text, which Python-Markdown does not do, so those are checked on the text
itself: whatever a renderer links must not be there unbroken.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import markdown
from selectolax.lexbor import LexborHTMLParser as HTMLParser

SITE = "https://example.org/commons/"
# The only elements our Markdown makes: headings, paragraphs, lists, emphasis, <code> and problem-code links.
ALLOWED_TAGS = {"html", "head", "body", "h2", "h3", "p", "ul", "li", "strong", "em", "code", "a", "-text"}
MENTION = re.compile(r"(?<![A-Za-z0-9_`])@([A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?)")
REFERENCE = re.compile(r"#[0-9A-Za-z]")
PREVIEW = "http://127.0.0.1:8000/"  # the artifact served on a laptop (commons.site.preview)
ADDRESS = re.compile(r"://|www\.", re.IGNORECASE)


def rendered(text: str) -> HTMLParser:
    return HTMLParser(markdown.markdown(text))


def assert_only_safe_markdown(text: str, mentions: Iterable[str] = (), links: str = SITE + "contribute/problems/#"
                              ) -> None:
    """`text` renders to our own elements only: no image, raw HTML, heading or table from a contributed value,
    links only to the problem codes' pages, and no mention of anyone but `mentions`."""
    html = markdown.markdown(text)
    assert "<!--" not in html
    tree = HTMLParser(html)
    assert tree.body is not None
    tags = {node.tag for node in tree.body.traverse(include_text=True)}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    for a in tree.css("a"):
        href = a.attributes.get("href") or ""
        if href.startswith(PREVIEW):  # a page of the preview (and a place on it, a commitment's): its address
            # percent-encoded, so nothing can end it
            assert re.fullmatch(r"[A-Za-z0-9/%._~-]*(#[A-Za-z0-9%._~-]+)?", href.removeprefix(PREVIEW)), a.html
            continue
        assert href.startswith(links), a.html
        assert re.fullmatch(r"[EW]-[A-Z-]+", a.text()), a.html
    shown = tree.body.text()
    assert set(MENTION.findall(shown)) <= set(mentions), MENTION.findall(shown)
    assert not REFERENCE.search(shown), shown
    assert not ADDRESS.search(shown), shown
