"""`markdown_text`, the one escaping function for contributed text in the comments and issues we post.

Checked on what a renderer makes of it (Python-Markdown, parsed as HTML): hostile examples, then arbitrary text.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from commons.markdown_text import MAX_SHOWN, markdown_code, markdown_text, mention
from markdown_checks import assert_only_safe_markdown, rendered

HOSTILE = [
    "@alice", "@council-commons/maintainers", "me@evil.example", "#123", "owner/repo#1", "GH-12",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<!-- hidden -->", "<details open>",
    "![x](https://evil.example/x.png)", "[click](https://evil.example)", "[ref][1]\n\n[1]: https://evil.example",
    "https://evil.example/a", "HTTP://EVIL.EXAMPLE", "www.evil.example", "WWW.Evil.example", "<https://evil.example>",
    "`code`", "``` fence", "**bold** __b__ _it_ *it* ~~strike~~", "| a | b |\n|---|---|", "# heading", "## h",
    "> quote", "> [!WARNING]", "- item", "+ item", "* item", "1. one", "2) two", "=== ", "---", "***",
    "line\nbreak", "cr\rreturn", "crlf\r\n# h", "tab\there", "\u2028sep", "\u202eevil\u202c", "\x00\x1b[31m",
    "&#64;alice", "&lt;b&gt;", "&amp;", "$x^2$", "$$\\huge{x}$$", "\\", "a\\", "[^1]", ":+1:", "x" * 500,
    "\ud800 lone surrogate",
]


def shown(value: str) -> str:
    """What a value should read as: its text with spaces collapsed, unprintable characters replaced, cut short."""
    text = re.sub(r"\s+", " ", value).strip()
    text = re.sub("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]", "\ufffd", text)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1].rstrip() + "…"


def check(value: str) -> None:
    text = markdown_text(value)
    # Where the summary and the stale report put values: a list item, bold, emphasis, <code>, a line's start.
    items = [f"- {text}", f"- **{text}** x", f"- *{text}*: y", f"- {markdown_code(value)}"]
    document = "\n".join(items) + "\n\n" + text
    assert_only_safe_markdown(document)
    # markdown_text breaks mentions and links with zero-width spaces, so they are left out of both sides.
    expected = shown(value).replace("\u200b", "")
    tree = rendered(document)
    shown_items = [li.text().replace("\u200b", "") for li in tree.css("li")]
    if expected:
        assert shown_items == [expected, f"{expected} x", f"{expected}: y", expected]
        assert [p.text().replace("\u200b", "") for p in tree.css("p")] == [expected]
    assert "\n" not in text and "\r" not in text


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_shows_as_itself(value: str) -> None:
    check(value)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(alphabet=st.sampled_from(list(
    "@#<>[]()!*_`~|\\$&:/.w =-+1a\n\r\t")), max_size=12), st.text(max_size=12)), max_size=8).map("".join))
@example("@@alice")
@example("www.www.x")
@example("\u200b")  # a contributed zero-width space reads as nothing, like the ones markdown_text adds
def test_any_text_shows_as_itself(value: str) -> None:
    check(value)


def test_the_check_catches_what_escaping_prevents() -> None:
    # The checks above could not pass on unescaped text.
    for raw in ("@alice", "#12", "https://x.example", "<b>x</b>", "![i](https://x.example/i.png)", "[l](/x)",
                "# h", "> q", "<!-- c -->"):
        with pytest.raises(AssertionError):
            assert_only_safe_markdown(f"- {raw}\n\n{raw}")


def test_examples_read_well_in_the_raw_markdown() -> None:
    assert markdown_text("Adopt *another* council's pattern, with @maintainers") == \
        "Adopt \\*another\\* council's pattern, with @&#8203;maintainers"
    assert markdown_text("see https://x.example/#2 and www.x.example") == \
        "see https:&#8203;//x.example/\\#&#8203;2 and www&#8203;.x.example"
    assert markdown_text("<b>&</b> | ~ $") == "&lt;b&gt;&amp;&lt;/b&gt; &#124; &#126; &#36;"
    assert markdown_text("- 1. first\nsecond") == "\\- 1. first second"
    assert markdown_text("12) twelve") == "12\\) twelve"
    assert markdown_text("x" * 300) == "x" * 199 + "…"
    assert markdown_text("x" * 300, limit=10) == "x" * 9 + "…"
    assert markdown_code("a_b.md") == "<code>a\\_b.md</code>"


def test_only_well_formed_names_are_mentioned() -> None:
    assert mention("hackney-digital") == "@hackney-digital"
    assert mention("council-commons/maintainers") == "@council-commons/maintainers"
    for bad in ("-x", "x--y", "a b", "x](https://evil.example)", "@x", "a" * 40, ""):
        assert not mention(bad).startswith("@") or "&#8203;" in mention(bad), bad
