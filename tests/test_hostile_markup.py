"""Hostile markup in a body is refused by `commons validate`, at the construct: (1) raw HTML whose quoted
attribute value holds a `>`, hiding the attributes after it; (2) link addresses whose `javascript:`, `data:` or
`vbscript:` scheme hides behind whitespace, control characters or entities.

The cases and what "refused at it" means: tests/hostile_cases.py. The property tests draw many more of each
class, and check them in memory.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from browser_parsing import live_handlers, live_script_addresses
from commons.content import rendered
from commons.content.problems import Problem
from conftest import Cli
from hostile_cases import (
    PROPERTY,
    RUNS,
    UNSAFE,
    Case,
    Validated,
    assert_located,
    case_ids,
    check_in_memory,
    pattern_file,
    unmark,
)

# ---------------------------------------------------------------------------------------------------------
# (1) Attributes hidden behind a quoted `>`

def hidden(name: str, body: str) -> Case:
    return Case(name, frozenset({"E-UNSAFE-HTML"}), body)


HIDDEN_ATTRIBUTES = [
    hidden("img-alt-quoted-gt", 'Calls fell <img alt=">" src=x «onerror=alert(1)»>.'),
    hidden("span-title-single-quoted-gt", "<span title='>' «onclick=alert(1)»>NVDA</span>"),
    hidden("title-gt-then-slash", 'Bold <b title=">"/«onclick=alert(1)»>text</b> here.'),
    hidden("no-space-after-quote", "Text <i title=\">\" lang='>'«onmouseover=alert(1)»>x</i> more."),
    hidden("details-toggle", '<details open title=">" «ontoggle=alert(1)»><summary>More</summary>x</details>'),
    hidden("handler-on-next-line", '<p dir=">"\n«onclick=alert(1)»>Two lines</p>'),
    hidden("in-a-list", "- First.\n- <img title=\">>\" src=z «onerror=alert(1)»>"),
    hidden("in-a-quote", '> Quoted <img title="a>b" src=w «onerror=alert(1)»>'),
    hidden("both-quotes-in-values", "<img src=x alt='\"' title=\">\" «onerror=alert(1)»>"),
    hidden("upper-case", 'Calls <IMG ALT=">" SRC=x «ONERROR=alert(1)»>.'),
    hidden("in-a-table-cell", '| Step | Note |\n|------|------|\n| 1 | <img alt=">" src=x «onerror=alert(1)»> |'),
    hidden("after-a-code-span", 'Run `make` and <img alt=">" src=x «onerror=alert(1)»>.'),
    hidden("in-an-admonition", '!!! note\n    Look <img alt=">" src=x «onerror=alert(1)»>.'),
    # `on…=` inside a quoted value is not an attribute; the handler after it is the one to point at
    hidden("handler-named-inside-a-value", 'Calls fell <img title="onx=>" «onerror=alert(1)»> today.'),
    hidden("two-hidden-on-one-line", "<b title='>' «onclick=a()»>x</b> and <i title=\">\" «onclick=b()»>y</i>"),
]


@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("case", HIDDEN_ATTRIBUTES, ids=case_ids(HIDDEN_ATTRIBUTES))
def test_an_attribute_hidden_behind_a_quoted_gt_is_refused_at_it(case: Case, run: str, validated: Validated) -> None:
    validated.check(case, run)


def _mixed_case(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda ups: "".join(c.upper() if up else c for c, up in zip(word, ups, strict=True)))


@st.composite
def hidden_attribute(draw: st.DrawFn) -> str:
    """A tag with an attribute whose quoted value holds `>` (and quotes, `<`, `=`, `/`, line breaks), then an
    event handler, in some Markdown context; the handler is marked."""
    tag = draw(st.sampled_from(["img", "span", "b", "a", "div", "p", "details", "em", "abbr", "q"]))
    quote = draw(st.sampled_from(['"', "'"]))
    other = "'" if quote == '"' else '"'
    value = draw(st.lists(st.sampled_from([">", "x", " ", "=", "/", "<", other, "on", "-", "\n"]), max_size=6))
    value.insert(draw(st.integers(0, len(value))), ">")
    name = draw(st.sampled_from(["title", "lang", "dir"] + (["alt"] if tag == "img" else [])))
    before = draw(st.sampled_from(["", 'src="x" ', "id=a "]))
    gap = draw(st.sampled_from([" ", "\n", "/", "  ", ""]))
    handler = draw(st.sampled_from(["error", "click", "mouseover", "focus", "toggle", "load", "pointerenter",
                                    "animationstart"]).flatmap(lambda e: _mixed_case("on" + e)))
    handler += draw(st.sampled_from(["=", " = "])) + draw(st.sampled_from(["alert(1)", '"alert(1)"', "'alert(1)'"]))
    end = draw(st.sampled_from([">", " >", "/>"]))
    element = f"<{tag} {before}{name}={quote}{''.join(value)}{quote}{gap}«{handler}»{end}"
    element += "" if tag == "img" else f"text</{tag}>"
    return draw(st.sampled_from(["Calls fell {} today.", "{}", "- {}", "> {}", "1. Step {}"])).format(element)


@PROPERTY
@given(hidden_attribute(), st.booleans())
def test_any_attribute_hidden_behind_a_quoted_gt_is_refused_at_the_handler(marked: str, full_run: bool) -> None:
    """Whenever the site would render the handler live, validation refuses it; whatever it reports (it may also
    refuse text the site would show inertly) points into the handler."""
    body, spans = unmark("Intro.\n\n" + marked)
    text = pattern_file(body)
    base = len(text) - len(body) - 1
    problems = check_in_memory(text, full_run)
    if live_handlers(rendered.render(body)):
        assert problems, "a live event handler was accepted"
    if problems:
        assert_located(problems, text, [(a + base, b + base) for a, b in spans], frozenset({"E-UNSAFE-HTML"}))


# ---------------------------------------------------------------------------------------------------------
# (2) Addresses whose scheme hides behind whitespace, control characters or entities

def scheme(name: str, body: str) -> Case:
    return Case(name, UNSAFE, body)


HIDDEN_SCHEMES = [
    scheme("space-entity", "See [the notice](«&#32;javascript:alert(1)»)."),
    scheme("newline-entity", "See [the notice](«&#10;javascript:alert(1)»)."),
    scheme("tab-hex-entity-mixed-case", "See [the notice](«&#x09;JaVaScRiPt:alert(1)»)."),
    scheme("literal-space", "See [the notice](« javascript:alert(1)»)."),
    scheme("literal-newline", "See [the notice](\n«javascript:alert(1)»)."),
    scheme("padded-decimal-letter", "See [the notice](«&#0000106;avascript:alert(1)»)."),
    scheme("letter-and-colon-entities", "See [the notice](«java&#x73;cript&#58;alert(1)»)."),
    scheme("named-tab-and-newline", "See [the notice](«&Tab;&NewLine;vbscript:msgbox(1)»)."),
    scheme("data-upper-case", "See [the notice](«DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==»)."),
    scheme("markdown-image", "See ![the chart](«&#32;javascript:alert(1)»)."),
    scheme("angle-brackets", "See [the notice](<«&#32;javascript:alert(1)»>)."),
    scheme("reference", "See «[the notice][n]».\n\n«[n]: &#x20;javascript:alert(1)»"),
    scheme("reference-in-a-list", "- See «[the notice][n]».\n\n«[n]: &Tab;JavaScript:alert(1)»"),
    scheme("html-named-newline", 'See <a href="«&NewLine;javascript:alert(1)»">the notice</a>.'),
    scheme("html-split-by-tab-entity", "See <a href='«java&#x09;script:alert(1)»'>the notice</a>."),
    scheme("html-unquoted-entities", "See <a href=«&#x20;&#x6A;avascript:alert(1)»>the notice</a>."),
    scheme("html-split-by-newline", 'See <a href="«java\nscript:alert(1)»">the notice</a>.'),
    scheme("html-control-entity", 'See <q cite="«&#1;javascript:alert(1)»">the notice</q>.'),
    scheme("html-img-data", 'See <img alt="chart" src="«&#x0C;data:image/svg+xml;base64,PHN2Zz4=»">.'),
    scheme("entities-without-semicolons", 'See <a href="«&#x6A&#x61vascript:alert(1)»">the notice</a>.'),
]
# Python-Markdown makes autolinks only of http, https and ftp addresses; `<javascript:…>` is raw HTML, an element
# named after the address, which the site must not keep either.
AUTOLINK_SCHEMES = [
    scheme("autolink-javascript", "See «<javascript:alert(1)>» now."),
    scheme("autolink-mixed-case-vbscript", "See «<VbScript:msgbox(1)>» now."),
    scheme("autolink-data", "See «<data:text/html,x>» now."),
]


@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("case", HIDDEN_SCHEMES + AUTOLINK_SCHEMES, ids=case_ids(HIDDEN_SCHEMES + AUTOLINK_SCHEMES))
def test_a_script_address_behind_whitespace_or_entities_is_refused_at_it(case: Case, run: str,
                                                                         validated: Validated) -> None:
    validated.check(case, run)


_PAYLOADS = {"javascript": "alert(1)", "vbscript": "msgbox(1)",
             "data": "text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="}
# What a browser drops before reading a scheme: C0 controls and spaces at the start (literal, or as entities;
# a literal tab is one too, since the site's Markdown turns it into spaces).
_PREFIXES = [" ", "\n", "\t", "&#32;", "&#x20;", "&#9;", "&#x09;", "&Tab;", "&NewLine;", "&#10;", "&#13;", "&#1;",
             "&#x1F;", "&#0000032;", "&#x0c;"]
# …and tabs and line breaks anywhere (a literal tab inside would become spaces, so it is not one of these).
_SPLITS = ["\n", "&#9;", "&#x0A;", "&Tab;", "&NewLine;", "&#13;"]
_COLONS = [":", ":", "&#58;", "&colon;", "&#x3A;"]


@st.composite
def _letter(draw: st.DrawFn, c: str) -> str:
    c = draw(st.sampled_from([c.lower(), c.upper()]))
    form = draw(st.sampled_from(["plain", "plain", "plain", "decimal", "hex"]))
    if form == "decimal":
        return f"&#{'0' * draw(st.integers(0, 4))}{ord(c)};"
    if form == "hex":
        return f"&#{draw(st.sampled_from('xX'))}{format(ord(c), draw(st.sampled_from(['x', 'X', '04x'])))};"
    return c


@st.composite
def script_address(draw: st.DrawFn, literal_whitespace: bool = True) -> str:
    name = draw(st.sampled_from(sorted(_PAYLOADS)))
    letters = [draw(_letter(c)) for c in name]
    splits = [s for s in _SPLITS if literal_whitespace or s != "\n"]
    for _ in range(draw(st.integers(0, 2))):
        letters.insert(draw(st.integers(1, len(letters) - 1)), draw(st.sampled_from(splits)))
    prefixes = [p for p in _PREFIXES if literal_whitespace or p not in (" ", "\n", "\t")]
    prefix = "".join(draw(st.lists(st.sampled_from(prefixes), max_size=3)))
    return prefix + "".join(letters) + draw(st.sampled_from(_COLONS)) + _PAYLOADS[name]


def _no_paragraph_break(address: str) -> bool:
    # a blank line ends the paragraph, and two spaces (or a tab) before a line break make a <br>: then there is
    # no address left to attack with
    return re.search(r"\n[ \t]*\n", address) is None and re.search(r"(\t| {2})\n", address) is None


_WRAPPERS = {
    "inline": "See «[the notice]({})» here.",
    "angle": "See «[the notice](<{}>)» here.",
    "image": "See «![the notice]({})» here.",
    "list": "- One.\n- «[Two]({})»",
    "quote": "> See «[the notice]({})»",
    "reference": "See «[the notice][n]» here.\n\n«[n]: {}»",
    "reference-angle": "See «[n]» here.\n\n«[n]: <{}>»",
    "html-double": 'See «<a href="{}">the notice</a>» here.',
    "html-single": "See «<a href='{}'>the notice</a>» here.",
    "html-img": 'See «<img alt="notice" src="{}">» here.',
    "html-block": '«<p><a href="{}">the notice</a></p>»',
}
_REFERENCES = {"reference", "reference-angle"}  # a definition's address cannot break its line or open `< `


@st.composite
def wrapped_script_address(draw: st.DrawFn) -> str:
    wrapper = draw(st.sampled_from(sorted(_WRAPPERS)))
    address = draw(script_address(literal_whitespace=wrapper not in _REFERENCES).filter(_no_paragraph_break))
    return _WRAPPERS[wrapper].format(address)


@PROPERTY
@given(wrapped_script_address(), st.booleans())
def test_any_script_address_however_disguised_is_refused_at_its_link(marked: str, full_run: bool) -> None:
    body, spans = unmark("Intro.\n\n" + marked)
    assert live_script_addresses(rendered.render(body)), f"not an attack after all: {body!r}"  # checks the generator
    text = pattern_file(body)
    base = len(text) - len(body) - 1
    assert_located(check_in_memory(text, full_run), text, [(a + base, b + base) for a, b in spans], UNSAFE)


# ---------------------------------------------------------------------------------------------------------
# The examples above, in one repository validated once in each kind of run (conftest.py: validated)

CASES = HIDDEN_ATTRIBUTES + HIDDEN_SCHEMES + AUTOLINK_SCHEMES


def test_the_command_reports_what_the_examples_are_checked_against(validated: Validated, cli: Cli) -> None:
    result = cli("validate", "--root", str(validated.root), "--format", "json")
    assert result.code == 1, result.err
    reported = [Problem(**{k: v for k, v in p.items() if k != "severity"}) for p in json.loads(result.out)]
    assert reported == sorted(p for ps in validated.problems["full run"].values() for p in ps)
    one = cli("validate", "--root", str(validated.root), str(validated.root / "patterns/img-alt-quoted-gt.md"))
    assert (one.code, one.out.splitlines()[:2]) == (1, [
        "patterns/img-alt-quoted-gt.md:36:31: error[E-UNSAFE-HTML] the HTML attribute onerror= is not allowed",
        "    hint: remove it; pages cannot run scripts"])
