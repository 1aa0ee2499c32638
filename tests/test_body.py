"""Markdown checks: what the site would serve as live HTML is always refused, and no text can stall them.

The site renders contributed Markdown with Python-Markdown and the extensions in mkdocs.yml, and
the sanitiser (commons.rendered) is a second guard, not a reason to miss anything here. So the main test renders
bodies made of hostile fragments exactly as the site does and checks the validator refuses every one
that comes out with a live script, frame, event handler or javascript: link.
"""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commons.content.body import _site_fences, check_markdown, code_spans, headings
from conftest import REPO

UNSAFE_TAGS = {"script", "iframe", "style", "object", "embed", "form", "base", "meta", "link", "frame", "frameset",
               "svg", "math", "applet"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}


class _IgnoreTags(yaml.SafeLoader):
    pass


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


def site_extensions() -> list[Any]:
    """The Markdown extensions the site uses, read from mkdocs.yml so this test follows the config."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags)
    names = []
    for item in config.get("markdown_extensions") or []:
        names.append(next(iter(item)) if isinstance(item, dict) else item)
    return names


EXTENSIONS = site_extensions()


class LiveHTML(HTMLParser):
    """Collects what a browser would run: unsafe elements, on…= handlers, script-scheme links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNSAFE_TAGS:
            self.live.append(f"<{tag}>")
        for name, value in attrs:
            if re.fullmatch(r"on[a-z]+", name) and value is not None:
                self.live.append(f"{name}=")
            if name in URL_ATTRIBUTES and value is not None:
                url = re.sub(r"[\t\n\r]", "", value).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r"
                                                          "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a"
                                                          "\x1b\x1c\x1d\x1e\x1f ")
                if re.match(r"(javascript|vbscript|data):", url, re.IGNORECASE):
                    self.live.append(f"{name}={value}")

    handle_startendtag = handle_starttag


def live_html(body: str) -> list[str]:
    parser = LiveHTML()
    parser.feed(markdown.markdown(body, extensions=EXTENSIONS))
    parser.close()
    return parser.live


def refused(body: str) -> bool:
    return any(p.code in ("E-UNSAFE-HTML", "E-UNSAFE-LINK") for p in check_markdown("x.md", body, 1))


def test_the_site_config_is_read() -> None:
    assert "toc" in EXTENSIONS and "attr_list" not in EXTENSIONS and "md_in_html" not in EXTENSIONS


def test_the_site_renders_fences_as_code() -> None:
    """body.py follows fenced_code's rules for what is exempt; without the extension nothing would be."""
    assert "fenced_code" in EXTENSIONS


@pytest.mark.parametrize("body", [
    # Fences the site's fenced_code does not see: indented, an info string with a space, a longer
    # or different closing fence. Their HTML is live.
    "Intro.\n\n   ```\n<script>alert(1)</script>\n   ```\n",
    "```html title\n\n<iframe src=\"https://evil.example\"></iframe>\n\n```\n",
    "```\n\n<img src=x onerror=alert(1)>\n\n````\n",
    "~~~\n\n[x](javascript:alert(1))\n\n```\n",
    # The first closing fence ends the block.
    "```\nok\n```\n<script>alert(1)</script>\n```\n",
    # Python-Markdown reads a lone carriage return as a new line, so this is a raw HTML block.
    "`a`\r<div>`<script>alert(1)</script>`</div>\n",
    # A backtick pairs with one on the next line of the paragraph, so the next pair is not code.
    "a ` b\n`<script>alert(1)</script>` c\n",
    # A backslash-escaped backtick does not open a code span.
    "Hello \\`<script>alert(1)</script>` world\n",
    # Inside a raw HTML block, backticks are not code.
    "<div>`<script>alert(1)</script>`</div>\n",
    "   <p>`<img src=x onerror=alert(1)>`</p>\n",
    "<div>\n\nok\n\n`<script>x</script>`\n",
    # Link targets may start on the next line, or be split across lines.
    "[x](\njavascript:alert(1))\n",
    "[x](java\nscript:alert(1))\n",
    "[x][r]\n\n[r]:\n  javascript:alert(1)\n",
])
def test_bypasses_that_rendered_live_are_refused(body: str) -> None:
    assert live_html(body), "the premise: the site renders this as live HTML"
    assert refused(body)


@pytest.mark.parametrize("body", [
    "Use a plain `<form>` element, never `<iframe src=\"x\">`.\n",
    "- Never paste `<script>` tags.\n",
    "| Tag | Why not |\n|---|---|\n| `<script>` | runs code |\n",
    "> Write `[x](javascript:...)` and the check refuses it.\n",
    "See <https://www.gov.uk/service-manual>.\n",
    "```html\n<form action=\"/report\"><script>check()</script></form>\n```\n",
    "~~~\n<img src=x onerror=alert(1)>\n~~~\n\nAnd `<iframe>` too.\n",
])
def test_code_the_site_shows_as_text_is_allowed(body: str) -> None:
    assert not live_html(body), "the premise: the site shows this as text"
    assert not refused(body)


FRAGMENTS = [
    "<script>x</script>", "<img src=x onerror=alert(1)>", "<svg onload=x>", "<iframe src=x>", "<style>",
    "<a href='javascript:x'>", "<a href=\"&#106;avascript:x\">", "[a](javascript:alert(1))", "[a][r]",
    "[r]: javascript:x", "&#106;", "java", "script:", "`", "``", "```", "~~~", "\\", "\n", "\n\n", "    ", "   ",
    "<div>", "</div>", "<p>", "<span>", "<!--", "-->", "> ", "- ", "1. ", "| ", "(", ")", "[", "]", "<", ">", "a",
    " ", "\t", "{{", "!!! note\n    ", "Term\n:   ", "# ", "*", "_", "\"", "'", "=", "on", "<b ", "<",
    "\r", "\n```\n", "\n~~~\n", "\n```html\n", "\n````\n", "| a |\n|---|\n| ",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14).map("".join))
def test_whatever_renders_live_is_refused(body: str) -> None:
    live = live_html(body)
    if live:
        assert refused(body), (body, live)


# The rewritten checks find what the original patterns found, without their worst cases.

PYTHON_MARKDOWN_CODE_SPAN = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)")  # Python-Markdown's BACKTICK_RE


@settings(max_examples=300, deadline=None)
@given(st.text("`\\a ", max_size=16))
def test_code_spans_are_python_markdowns(line: str) -> None:
    expected = [(m.start(2), m.end(2)) for m in PYTHON_MARKDOWN_CODE_SPAN.finditer(line)]
    assert list(code_spans(line)) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["```", "~~~", "````", "```py", "``` py ", "```a b", "   ```", "x", "", " "]),
                max_size=10).map("\n".join))
def test_fences_are_the_ones_fenced_code_finds(text: str) -> None:
    from markdown.extensions.fenced_code import FencedBlockPreprocessor

    expected = []
    index = 0
    while m := FencedBlockPreprocessor.FENCED_BLOCK_RE.search(text, index):
        expected.append((text.count("\n", 0, m.start()), text.count("\n", 0, m.end())))
        index = m.end()
    assert _site_fences(text.split("\n")) == expected


ORIGINAL_EVENT_ATTR = re.compile(r"<[a-zA-Z][^>]*?[\s/\"'](on[a-zA-Z]+)\s*=", re.IGNORECASE)
QUOTED_VALUE = re.compile(r"=[ \t\n\r\f]*(\"[^\"]*\"|'[^']*')")


def without_quoted_values(text: str) -> str:
    """`text` with what is inside each quoted attribute value (`="…"`, `='…'`) blanked, positions kept."""
    return QUOTED_VALUE.sub(lambda m: m.group()[: m.start(1) - m.start() + 1] + " " * (len(m.group(1)) - 2)
                            + m.group(1)[-1], text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["<a", "<", ">", " ", "on", "onx", "ON", "=", "\"", "'", "/", "b", "\n"]),
                max_size=14).map("".join))
def test_event_attributes_are_found_as_before(text: str) -> None:
    """As the first regex found them, except inside a quoted value (`title="onx=>"` names no attribute)."""
    expected = [(m.start(1), m.group(1)) for m in ORIGINAL_EVENT_ATTR.finditer(without_quoted_values(text))]
    found = [(p.col - 1, p.message) for p in check_markdown("x.md", text, 1)
             if p.code == "E-UNSAFE-HTML" and "attribute" in p.message and "\n" not in text]
    if "\n" not in text:
        assert found == [(start, f"the HTML attribute {name}= is not allowed") for start, name in expected]


ORIGINAL_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("# \ta", max_size=12), max_size=5).map("\n".join))
def test_headings_are_read_as_before(text: str) -> None:
    expected = [(i, len(m.group(1)), m.group(2).strip()) for i, line in enumerate(text.split("\n"))
                if (m := ORIGINAL_HEADING.match(line))]
    assert headings(text) == expected


# No text can stall the checks: every pattern runs in linear time. Measured as growth, not seconds (the machines'
# speed changes from hour to hour): four times the text must take well under the 16 times a quadratic check
# would, each side the quickest of three runs in the same test. Both sides are large (50,000 characters and
# more), so a busy machine's noise does not swamp the smaller one.

GROWTH = 4
MOST_GROWTH = 12  # linear is about 4 (measured 4 to 6.3 on a loaded machine); a quadratic regex measures 17


def _quickest(run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def growth(check: Callable[[str], object], unit: str, size: int) -> float:
    """How many times longer `check` takes on `size` characters of `unit` than on a quarter of them. A check
    that stalls outright fails after a minute instead of hanging the run."""
    small, large = unit * (size // GROWTH // len(unit)), unit * (size // len(unit))

    def stalled(signum: int, frame: object) -> None:
        raise AssertionError(f"the check of {size} characters of {unit!r} ran for a minute")

    previous = signal.signal(signal.SIGALRM, stalled)
    signal.alarm(60)
    try:
        return _quickest(lambda: check(large)) / max(_quickest(lambda: check(small)), 1e-4)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("unit", [
    "<a", "<a ", "<a on", "<a\"on", "`", "`a", "``a`", "](", "[a]:", "<a:", "href=", "{{", "](&#", "```\n",
    "# a \t", " #", "{{\n", "<script>\n", "[x](javascript:x)\n",
])
def test_no_text_stalls_the_checks(unit: str) -> None:
    def check(text: str) -> None:
        check_markdown("x.md", text, 1)
        headings(text)

    assert growth(check, unit, 200_000) < MOST_GROWTH, unit


def test_many_problems_are_located_in_linear_time(tmp_path: Path) -> None:
    assert growth(lambda text: check_markdown("x.md", text, 10), "Line with {{ x }} and <script>\n",
                  8000 * 31) < MOST_GROWTH
    text = "Line with {{ x }} and <script>\n" * 8000
    found = check_markdown("x.md", text, 10)
    assert len(found) == 16000
    assert (found[-1].line, found[-1].col) == (10 + 7999, 23)


def test_a_paragraph_of_brackets_is_refused_before_it_can_stall_the_build() -> None:
    text = "Fine [link](https://example.org).\n\n" + "[" * 600 + "\n\n```\n" + "[" * 5000 + "\n```\n"
    started = time.perf_counter()
    found = check_markdown("patterns/p.md", text, 10)
    assert time.perf_counter() - started < 1
    assert [(p.line, p.col, p.code, p.message) for p in found] == [
        (12, 1, "E-TOO-LARGE", "this paragraph has 600 '[' characters; the limit is 500")]
    # Brackets shown as code, and many spread over paragraphs, are fine.
    assert check_markdown("patterns/p.md", "\n\n".join(["[a] " * 100] * 20), 1) == []


def test_style_attributes_are_refused() -> None:
    found = check_markdown("patterns/p.md", 'Text <span style="position:fixed;top:0">Sign in</span>\n', 3)
    assert [(p.line, p.col, p.code, p.message, p.hint) for p in found] == [
        (3, 12, "E-UNSAFE-HTML", "the HTML attribute style= is not allowed",
         "remove it; every page uses the site's own styles")]
    assert check_markdown("patterns/p.md", "Write `style=` in code, or the word style = fine.\n", 1) == []
