"""Hostile contributions, class by class: each is refused by validation with a located error, or is inert in a
real Chromium; and each layer of defence is seen holding on its own.

Anyone can open a pull request, so nothing a contributor writes may run script, redirect or inject. The classes
are those a review found getting through: (1) raw HTML whose quoted attribute value holds a `>`, hiding later
attributes; (2) link addresses whose `javascript:`/`data:`/`vbscript:` scheme hides behind whitespace, control
characters or entities; (3) `title` and `summary` breaking out of the page's <title> and description; (5) control
characters written as YAML escapes; (8) bodies that crash or stall the renderer, and relative links the strict
build refuses.

"Refused" means `commons validate` reports the right code on the right line, with a column inside the offending
construct (marked «like this» in the cases below), both in a full run (what `commons build` checks) and in a run
of named files (what `commons check-pr` checks). "Inert" means, in Chromium: no dialog opened, no global set by
the payload (`window.__pwned`), no element with an on…= attribute, no `javascript:`/`data:`/`vbscript:` address
left in the content area after the browser's own URL parsing, no meta refresh, no navigation away.

The layers on their own: a site is built from the files in tests/hostile/site/ with validation bypassed (the
build is handed a prepared state, as `commons serve` does), so what reaches the browser has been through the
sanitiser and the templates' escaping only; Chromium then looks at it once with the Content-Security-Policy
switched off (those two alone) and once with it. The policy alone is seen by writing unsanitised HTML into a
built page. Each of those tests has a control: the same payloads with that layer missing do run here, so a
pass means the layer stopped them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import posixpath
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser, BrowserContext
from playwright.sync_api import Error as PlaywrightError
from selectolax.lexbor import LexborHTMLParser, LexborNode

from commons.content import allowlist, rendered
from commons.content.load import Candidate, discover, parse_entry, read_entry
from commons.content.problems import Problem
from commons.content.register import load_register
from commons.content.schema import BY_NAME
from commons.content.validate import check_entry, validate_repository
from commons.site import state
from commons.site.build import build_site
from commons.site.history import file_dates
from conftest import DECLARATION, PATTERN, REGISTER, Result, make_repository
from site_support import REPO, SUB_PATH, SiteServer

HOSTILE = Path(__file__).parent / "hostile"
UNSAFE = frozenset({"E-UNSAFE-HTML", "E-UNSAFE-LINK"})
# The same examples on every run, so that a failure in CI is one anyone can repeat.
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)


# ---------------------------------------------------------------------------------------------------------
# Cases: a file's text with «» around each construct a problem may point into

def unmark(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`text` without its « » marks, and the (start, end) offsets of each marked part in what is left."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    start = 0
    for ch in text:
        if ch == "«":
            start = len(out)
        elif ch == "»":
            spans.append((start, len(out)))
        else:
            out.append(ch)
    return "".join(out), spans


def offset_of(text: str, line: int, col: int) -> int | None:
    """The offset of a 1-based (line, col) in `text`, or None if it is not a position in it."""
    lines = text.split("\n")
    if not (1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]) + 1):
        return None
    return sum(len(x) + 1 for x in lines[: line - 1]) + col - 1


def assert_located(problems: list[Problem], text: str, spans: list[tuple[int, int]], codes: frozenset[str]) -> None:
    """At least one problem with one of `codes`, and each of those at a line and column inside a marked span.
    (Problems that follow from it, such as an unknown council for a code with a control character in it, may
    be reported too.)"""
    found = [p for p in problems if p.code in codes]
    assert found, f"not refused with {sorted(codes)}: " + ("; ".join(
        f"{p.line}:{p.col} {p.code} {p.message}" for p in problems) or "nothing was reported")
    for p in found:
        at = offset_of(text, p.line, p.col)
        shown = [text[a:b] if b - a <= 80 else text[a:a + 60] + "…" for a, b in spans]
        where = "not a position in the file" if at is None else repr(text[at:at + 30])
        assert at is not None and any(a <= at < b for a, b in spans), \
            f"{p.line}:{p.col} {p.code} points at {where}, outside the offending {shown}"


def pattern_file(extra: str = "", number: int = 1, lines: dict[str, str] | None = None) -> str:
    """conftest's valid pattern with `extra` appended to its last section and whole front-matter lines replaced
    (by field name). Any number but 1 drops its alias, so that many can share one repository."""
    text = PATTERN.replace("id: 1\n", f"id: {number}\n")
    if number != 1:
        text = text.replace("aliases: [missed-bin-report]", "aliases: []")
    for name, line in (lines or {}).items():
        text, n = re.subn(rf"^{name}: .*$", line.replace("\\", "\\\\"), text, count=1, flags=re.M)
        assert n == 1, f"the pattern has no '{name}:' line"
    return text + (f"\n{extra}\n" if extra else "")


@dataclass(frozen=True)
class Case:
    """A file to validate: a pattern with `body` appended and `lines` replaced, or `text` at `path`."""

    name: str  # a slug, and the test's id
    codes: frozenset[str]
    body: str = ""
    lines: tuple[tuple[str, str], ...] = ()
    path: str = ""
    text: str = ""

    def file(self, number: int) -> tuple[str, str]:
        """(path, marked text)."""
        if self.path:
            return self.path, self.text
        return f"patterns/{self.name}.md", pattern_file(self.body, number, dict(self.lines))


def case_ids(cases: list[Case]) -> list[str]:
    return [c.name for c in cases]


# ---------------------------------------------------------------------------------------------------------
# One repository holding every example case, validated once in each kind of run

@dataclass
class Validated:
    root: Path
    texts: dict[str, tuple[str, list[tuple[int, int]]]] = field(default_factory=dict)  # path -> (text, spans)
    problems: dict[str, dict[str, list[Problem]]] = field(default_factory=dict)  # run -> path -> problems

    def check(self, case: Case, run: str) -> None:
        path = case.file(0)[0]
        text, spans = self.texts[path]
        assert_located(self.problems[run].get(path, []), text, spans, case.codes)


RUNS = ["full run", "named files"]


def example_cases() -> list[Case]:
    return (HIDDEN_ATTRIBUTES + HIDDEN_SCHEMES + AUTOLINK_SCHEMES + HEAD_FIELDS + YAML_ESCAPES + LITERAL_CONTROLS
            + RELATIVE_LINKS)


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory) -> Validated:
    root = make_repository(tmp_path_factory.mktemp("hostile-examples") / "repo")
    out = Validated(root)
    for number, case in enumerate(example_cases(), start=100):
        path, marked = case.file(number)
        assert path not in out.texts, f"two cases write {path}"
        text, spans = unmark(marked)
        out.texts[path] = (text, spans)
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    for run, paths in (("full run", None), ("named files", sorted(out.texts))):
        by_path: dict[str, list[Problem]] = {}
        for p in validate_repository(root, paths).problems:
            by_path.setdefault(p.path, []).append(p)
        out.problems[run] = by_path
    return out


def test_the_command_reports_what_the_examples_are_checked_against(validated: Validated,
                                                                   cli: Callable[..., Result]) -> None:
    result = cli("validate", "--root", str(validated.root), "--format", "json")
    assert result.code == 1, result.err
    reported = [Problem(**{k: v for k, v in p.items() if k != "severity"}) for p in json.loads(result.out)]
    assert reported == sorted(p for ps in validated.problems["full run"].values() for p in ps)
    one = cli("validate", "--root", str(validated.root), str(validated.root / "patterns/img-alt-quoted-gt.md"))
    assert (one.code, one.out.splitlines()[:2]) == (1, [
        "patterns/img-alt-quoted-gt.md:35:31: error[E-UNSAFE-HTML] the HTML attribute onerror= is not allowed",
        "    hint: remove it; pages cannot run scripts"])


# ---------------------------------------------------------------------------------------------------------
# In memory, for the property tests: the same checks on one pattern, without a repository

_REGISTER = load_register(REGISTER)
_PAGE = "patterns/report-a-missed-bin.md"
_CANDIDATE = Candidate(_PAGE, BY_NAME["pattern"], "report-a-missed-bin")


def check_in_memory(text: str, full_run: bool) -> list[Problem]:
    """Every problem `validate` finds in `text` as patterns/report-a-missed-bin.md: read, then checked as a full
    run checks a file (the body rendered only if the pre-check says it could be unsafe) or as a named file."""
    entry, problems = parse_entry(_CANDIDATE, text.encode("utf-8"))
    if entry is not None:
        problems = problems + check_entry(entry, _REGISTER, None, render_all=not full_run)[0]
    return problems


# ---------------------------------------------------------------------------------------------------------
# What a browser's parser and URL parser make of rendered HTML, independently of the code under test

_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "cite", "poster", "background", "xlink:href")
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
SCRIPT_SCHEMES = ("javascript", "data", "vbscript")
DANGEROUS_TAGS = frozenset({"script", "iframe", "object", "embed", "form", "base", "meta", "link", "style", "svg",
                            "math", "template", "noscript", "textarea", "input", "button", "select", "frame",
                            "frameset", "applet", "portal", "title"})


def browser_scheme(value: str) -> str | None:
    """The scheme the URL standard reads: leading and trailing C0 controls and spaces stripped, tabs and line
    breaks removed anywhere, then letters up to a colon (lower case)."""
    cleaned = re.sub("[\t\n\r]", "", value.strip(_C0_AND_SPACE))
    m = _SCHEME.match(cleaned)
    return m.group(1).lower() if m else None


def elements(node: LexborNode | None) -> Iterator[LexborNode]:
    for n in node.traverse(include_text=False) if node is not None else ():
        if n.tag and not n.tag.startswith(("-", "_")):
            yield n


def live_handlers(markup: str) -> list[str]:
    return [f"<{n.tag} {name}>" for n in elements(LexborHTMLParser(markup).root) for name in n.attributes
            if name.lower().startswith("on")]


def live_script_addresses(markup: str) -> list[str]:
    return [f"<{n.tag} {name}={value!r}>" for n in elements(LexborHTMLParser(markup).root)
            for name, value in n.attributes.items()
            if name.lower() in _URL_ATTRIBUTES and browser_scheme(value or "") in SCRIPT_SCHEMES]


# =========================================================================================================
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


# =========================================================================================================
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


# =========================================================================================================
# (3) `title` and `summary` breaking out of the page's head
#
# Validation refuses the fields that hold markup; a field with only quotes in it is fine text, and must be
# printed as text: see the browser tests further down (test_title_and_summary_stay_text_in_the_head).

def head(name: str, line: str) -> Case:
    key = line.split(":", 1)[0]
    return Case(name, UNSAFE, lines=((key, line),))


HEAD_FIELDS = [
    head("title-closes-title", 'title: «"Bins</title><script>alert(1)</script>"»'),
    head("title-adds-base", "title: «'Bins</title><base href=\"https://example.invalid/\">'»"),
    head("title-adds-handler", "title: «'</title><img src=x onerror=alert(1)>'»"),
    head("title-adds-script-link", "title: «'</title><a href=\" javascript:alert(1)\">x</a>'»"),
    head("title-markup-as-yaml-escapes", 'title: «"Bins\\x3c/title\\x3e\\x3cscript\\x3ealert(1)\\x3c/script\\x3e"»'),
    head("summary-closes-attribute", "summary: «'Quick\"><img src=x onerror=alert(1)>'»"),
    head("summary-adds-refresh", "summary: «'x\"><meta http-equiv=\"refresh\" content=\"0;url=https://example.invalid/\">'»"),
    head("summary-adds-script", "summary: «'\"><script>alert(1)</script>'»"),
]


@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("case", HEAD_FIELDS, ids=case_ids(HEAD_FIELDS))
def test_a_title_or_summary_holding_markup_is_refused_at_the_field(case: Case, run: str, validated: Validated) -> None:
    validated.check(case, run)


# =========================================================================================================
# (5) Control characters written as YAML escapes (and written literally)

def escape(name: str, line: str, key: str = "") -> Case:
    return Case(name, frozenset({"E-ENCODING"}), lines=((key or line.split(":", 1)[0], line),))


YAML_ESCAPES = [
    escape("escape-x01-in-title", 'title: «"Report a \\x01 missed bin"»'),
    escape("escape-nul", 'title: «"Report a missed bin\\0"»'),
    escape("escape-escape-char", 'title: «"\\e[31mReport a missed bin"»'),
    escape("escape-bell-backspace", 'summary: «"Residents\\a\\b report"»'),
    escape("escape-vertical-tab-form-feed", 'summary: «"Residents\\v\\f report"»'),
    escape("escape-x1f", 'summary: «"Residents report\\x1f"»'),
    escape("escape-del", 'summary: «"Residents report\\x7f"»'),
    escape("escape-long-form", 'summary: «"Residents \\U0000001B report"»'),
    escape("escape-ufffe", 'summary: «"Residents \\uFFFE report"»'),
    escape("escape-uffff", 'title: «"Report a missed bin \\uffff"»'),
    escape("escape-in-a-list", "councils: [«\"HCK\\x02\"»]"),
    escape("escape-in-a-field-name", '«"stat\\x01us"»: live', key="status"),
    escape("escape-on-a-later-line", 'summary: «"Residents report a missed collection\n  in under a minute\\x03."»'),
    # Lone surrogates can only be written as escapes; the loader must refuse them as it refuses the others.
    escape("escape-lone-high-surrogate", 'title: «"Report a \\uD800 missed bin"»'),
    escape("escape-lone-low-surrogate", 'summary: «"Residents \\udfff report"»'),
    Case("escape-in-a-declaration", frozenset({"E-ENCODING"}), path="councils/hackney/declaration.yml",
         text=DECLARATION.replace("title: Publish housing repairs data openly every week",
                                  'title: «"Publish housing repairs data \\x1b openly"»')),
]
LITERAL_CONTROLS = [
    Case("literal-control-in-body", frozenset({"E-ENCODING"}), "Calls fell«\x01» today."),
    Case("literal-noncharacter-in-body", frozenset({"E-ENCODING"}), "Calls fell«\ufffe» today."),
]


@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("case", YAML_ESCAPES + LITERAL_CONTROLS, ids=case_ids(YAML_ESCAPES + LITERAL_CONTROLS))
def test_a_control_character_is_refused_where_it_is_written(case: Case, run: str, validated: Validated) -> None:
    validated.check(case, run)


_FORBIDDEN = [c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + [0x7F, 0xFFFE, 0xFFFF]
_NAMED = {0x00: "\\0", 0x07: "\\a", 0x08: "\\b", 0x0B: "\\v", 0x0C: "\\f", 0x1B: "\\e"}


@st.composite
def escaped_control(draw: st.DrawFn) -> str:
    code = draw(st.sampled_from(_FORBIDDEN))
    forms = [f"\\x{code:02x}", f"\\x{code:02X}"] if code < 0x100 else []
    forms += [f"\\u{code:04x}", f"\\u{code:04X}", f"\\U{code:08x}"] + ([_NAMED[code]] if code in _NAMED else [])
    return draw(st.sampled_from(forms))


@PROPERTY
@given(st.sampled_from(["title", "summary"]), st.text("Report a missed bin", max_size=20), escaped_control(),
       st.text("Report a missed bin", max_size=20))
def test_any_escaped_control_character_is_refused_at_its_value(name: str, before: str, escaped: str,
                                                              after: str) -> None:
    marked = pattern_file(lines={name: f'{name}: «"{before}{escaped}{after}"»'})
    text, spans = unmark(marked)
    problems = check_in_memory(text, full_run=True)
    assert_located(problems, text, spans, frozenset({"E-ENCODING"}))


def test_tabs_and_line_ends_written_as_escapes_are_text(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo")
    (root / _PAGE).write_text(pattern_file(lines={"title": 'title: "Report a missed bin\\twithout an account"'}),
                              encoding="utf-8")
    declaration = root / "councils/hackney/declaration.yml"
    declaration.write_text(DECLARATION.replace("note: Discovery started with the repairs service.",
                                               'note: "Discovery started\\twith the\\r\\nrepairs service."'),
                           encoding="utf-8")
    assert validate_repository(root).problems == []


# =========================================================================================================
# (8) Bodies that crash or stall the renderer, and relative links the strict build refuses

def link(name: str, body: str) -> Case:
    return Case(name, frozenset({"E-LINK"}), body)


RELATIVE_LINKS = [
    link("relative-image-with-attributes", "See «![the form](form.png){ width=400 }»."),
    link("relative-image", "See «![the form](form.png)»."),
    link("missing-entry", "See «[how we counted](../case-studies/missed-bins.md)»."),
    link("escaped-space-and-fragment", "See «[the sheet](round%20sheet.pdf#page=2)»."),
    link("outside-the-site", "See «[up](../../outside.md)»."),
    link("html-image", 'See «<img alt="chart" src="chart.png">».'),
    link("reference-to-a-file", "See «[the notes][n]».\n\n«[n]: notes.md»"),
]


@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("case", RELATIVE_LINKS, ids=case_ids(RELATIVE_LINKS))
def test_a_relative_link_the_strict_build_refuses_is_refused_by_validate(case: Case, run: str,
                                                                          validated: Validated) -> None:
    validated.check(case, run)


def stall(name: str, body: str) -> Case:
    return Case(name, frozenset({"E-TOO-LARGE"}), body)


STALLS = [
    stall("nested-list-markers", "Intro.\n\n«" + "- " * 1000 + "x»"),
    stall("nested-quote-markers", "Intro.\n\n«" + "> " * 1000 + "x»"),
    stall("nested-mixed-markers", "Intro.\n\n«" + "1. > - " * 300 + "x»"),
    stall("unclosed-tags", "«" + "<a " * 16000 + "»"),
    stall("unclosed-autolinks", "Intro.\n\n«" + "<http://x " * 12000 + "»"),
    stall("headings-with-no-blank-lines", "«" + "# Heading\n" * 8000 + "»"),
    stall("definitions-with-no-blank-lines", "«a\n" + ": definition\n" * 8000 + "»"),
    stall("footnote-references", "[^1]: A note.\n\n«" + "Text[^1]\n\n" * 8000 + "»"),
    # Every backslash escape and every emphasised word is a node the inline processor re-scans the paragraph
    # for: 100,000 escapes take 40 s to render, 60,000 emphasised words 20 s (a build has no time limit).
    stall("backslash-escapes", "Intro.\n\n«" + "\\\\" * 100000 + "»"),
    stall("emphasised-words", "Intro.\n\n«" + "*a* " * 60000 + "»"),
]


@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("case", STALLS, ids=case_ids(STALLS))
def test_a_body_that_would_crash_or_stall_the_site_is_refused_quickly_at_a_line(case: Case, run: str,
                                                                                 tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo")
    text, spans = unmark(case.file(1)[1])
    (root / _PAGE).write_text(text, encoding="utf-8")
    start = time.perf_counter()
    problems = validate_repository(root, None if run == "full run" else [_PAGE]).problems
    took = time.perf_counter() - start
    assert_located(problems, text, spans, case.codes)
    # Quickly: by a limit on the text, not by the backstop that cuts rendering off after RENDER_SECONDS.
    assert took < rendered.RENDER_SECONDS, f"validation took {took:.1f} s"


# =========================================================================================================
# The site built from hostile content with validation bypassed, served, and looked at in Chromium

@dataclass(frozen=True)
class HostileSite:
    root: Path
    dir: Path
    server: SiteServer

    def html(self, page: str) -> str:
        return (self.dir / page / "index.html").read_text(encoding="utf-8")


# Pages that show hostile text (bodies; titles and summaries; commitments and lists of entries), and the page of
# the valid starter pattern, whose frame is the site's own.
BODY_PAGES = ["patterns/hidden-attributes/", "patterns/hidden-schemes/", "patterns/raw-html/"]
HEAD_PAGES = ["patterns/head-fields/", "patterns/head-fields-again/"]
OTHER_PAGES = ["councils/hackney/", "patterns/", "dashboard/", ""]
CLEAN_PAGE = "patterns/report-a-missed-bin/"


def unsanitised_page(site: HostileSite, page: str, markup: str, policy: bool) -> str:
    """A copy of the built `page` with `markup` written, unsanitised, at the start of the contributed body (and
    without its Content-Security-Policy unless `policy`); its path in the site."""
    text = site.html(page)
    opening = '<div class="commons-body" data-pagefind-weight="1">'
    assert opening in text, f"{page} has no contributed body"
    text = text.replace(opening, opening + "\n" + markup + "\n", 1)
    meta = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')
    assert meta.search(text), f"{page} carries no Content-Security-Policy"
    if not policy:
        text = meta.sub("", text)
    # beside the page, at the same depth, so that its relative addresses still reach the site's files
    digest = hashlib.sha256(markup.encode("utf-8")).hexdigest()[:12]
    name = f"{page.rstrip('/')}-{'policy' if policy else 'bare'}-{digest}/"
    (site.dir / name).mkdir(parents=True, exist_ok=True)
    (site.dir / name / "index.html").write_text(text, encoding="utf-8")
    return name


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileSite]:
    base = tmp_path_factory.mktemp("hostile-site")
    root = make_repository(base / "repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".*")
    for name in ("docs", "schemas", "scripts"):
        shutil.copytree(REPO / name, root / name, ignore=ignore)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("case-studies", "playbooks", "sessions"):
        (root / name).mkdir(exist_ok=True)
    shutil.copytree(HOSTILE / "site", root, dirs_exist_ok=True)
    entries = []  # as they were read: the validator refuses them (test_validation_refuses_the_hostile_site)
    for cand in discover(root)[0]:
        entry, _ = read_entry(root, cand)
        assert entry is not None, cand.path
        entries.append(entry)
    site_dir = base / "site"
    build_site(root, site_dir, state.state_from_entries(root, entries, file_dates(root)))
    server = SiteServer(site_dir, SUB_PATH)
    yield HostileSite(root, site_dir, server)
    server.close()


def test_validation_refuses_the_hostile_site(hostile_site: HostileSite) -> None:
    """Each file the site is built from is refused, so the build is what lets it through, not the validator."""
    refused = {p.path for p in validate_repository(hostile_site.root).problems if p.is_error}
    hostile = {p.relative_to(HOSTILE / "site").as_posix() for p in (HOSTILE / "site").rglob("*.*")}
    assert sorted(hostile - refused) == []




# Recorded from the first script that runs, before the page's own.
_RECORD = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI), true);
"""
# What got through, as the browser sees the page: handlers on any element, addresses the browser would follow or
# load in the content area that run script (read from the elements' own properties: the browser's URL parsing),
# refreshes, a moved base, the payloads' global.
_THROUGH = """() => {
  const out = [];
  if (window.__pwned !== undefined) out.push('window.__pwned = ' + String(window.__pwned));
  for (const el of document.querySelectorAll('*'))
    for (const name of el.getAttributeNames())
      if (/^on/i.test(name)) out.push('<' + el.localName + ' ' + name + '>');
  const area = document.querySelector('.md-content') || document.body;
  const props = {href: 'href', src: 'src', action: 'action', formaction: 'formAction', data: 'data',
                 poster: 'poster', background: 'background', 'xlink:href': ''};
  for (const el of [area, ...area.querySelectorAll('*')])
    for (const [name, prop] of Object.entries(props)) {
      if (!el.hasAttribute(name)) continue;
      let url = prop && typeof el[prop] === 'string' ? el[prop] : '';
      if (!url) { try { url = new URL(el.getAttribute(name), document.baseURI).href; } catch (e) { continue; } }
      if (/^(javascript|data|vbscript):/i.test(url))
        out.push('<' + el.localName + ' ' + name + '="' + url.slice(0, 50) + '">');
    }
  for (const m of document.querySelectorAll('meta[http-equiv]'))
    if (m.httpEquiv.toLowerCase() !== 'content-security-policy') out.push('<meta http-equiv="' + m.httpEquiv + '">');
  if (document.baseURI !== location.href.split('#')[0]) out.push('base moved to ' + document.baseURI);
  return out;
}"""


@dataclass
class Visit:
    url: str
    dialogs: list[str]
    outside: list[str]  # requests for anything but the site's own server that the policy did not refuse
    navigations: list[str]  # the main frame's, after the first
    through: list[str]
    violations: list[str]  # what the Content-Security-Policy refused

    def ran(self) -> list[str]:
        """What the payloads did: dialogs, requests and navigations, and the global they set."""
        ran = [t for t in self.through if t.startswith(("window.__pwned", "could not"))]
        return self.dialogs + self.outside + self.navigations + ran

    def everything(self) -> list[str]:
        return self.dialogs + self.outside + self.navigations + self.through


def visit(browser: Browser, url: str, policy: bool = True, act: Callable[[Any], None] | None = None) -> Visit:
    """Load `url` in a fresh context (`policy=False` bypasses Content-Security-Policies), optionally act on the
    page, give handlers and refreshes a moment, and record what happened."""
    context: BrowserContext = browser.new_context(bypass_csp=not policy)
    context.set_default_timeout(10_000)
    context.add_init_script(_RECORD)
    page = context.new_page()
    own = url.split(SUB_PATH, 1)[0] + "/"
    dialogs: list[str] = []
    requests: list[Any] = []
    navigations: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(own) else requests.append(r))
    page.on("framenavigated", lambda f: navigations.append(f"navigated to {f.url}") if f == page.main_frame else None)
    through: list[str] = []
    violations: list[str] = []
    try:
        page.goto(url, wait_until="load")
        if act is not None:
            act(page)
        page.wait_for_timeout(300)
        try:
            through = page.evaluate(_THROUGH)
            violations = page.evaluate("() => window.__violations || []")
        except PlaywrightError as e:  # the page went away (a refresh, a form sent): the navigation is recorded
            through = [f"could not look at the page: {str(e).splitlines()[0]}"]
        outside = [f"request: {r.url[:80]}" for r in requests if r.failure != "csp"]  # 'csp': refused by the policy
    finally:
        context.close()
    return Visit(url, dialogs, outside, [n for n in navigations[1:] if n != f"navigated to {url}"], through,
                 violations)


# ---------------------------------------------------------------------------------------------------------
# (3) continued: in the built head, title and summary are text

def front(path: Path) -> dict[str, Any]:
    meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert isinstance(meta, dict)
    return meta


@pytest.mark.parametrize("policy", [False, True], ids=["without the policy", "with the policy"])
@pytest.mark.parametrize("page", HEAD_PAGES)
def test_title_and_summary_stay_text_in_the_head(page: str, policy: bool, hostile_site: HostileSite,
                                                 browser: Browser) -> None:
    meta = front(HOSTILE / "site" / f"{page.rstrip('/')}.md")
    tree = LexborHTMLParser(hostile_site.html(page))
    assert tree.head is not None
    assert [n.text() for n in tree.head.css("title")] == [f"{meta['title']} - Council Commons"]
    assert [n.attributes.get("content") for n in tree.head.css('meta[name="description"]')] == [meta["summary"]]
    assert [(n.attributes.get("http-equiv") or "").lower() for n in tree.css("meta[http-equiv]")] == [
        "content-security-policy"]
    assert tree.css("base") == []

    shown: dict[str, str] = {}

    def read_head(p: Any) -> None:
        shown["title"] = p.title()
        shown["description"] = p.eval_on_selector('meta[name="description"]', "m => m.content")
        shown["heading"] = p.locator("article h1").first.inner_text()

    seen = visit(browser, hostile_site.server.url(page), policy=policy, act=read_head)
    assert seen.everything() == []
    assert shown == {"title": f"{meta['title']} - Council Commons", "description": meta["summary"],
                     "heading": meta["title"]}


@pytest.mark.parametrize("page", HEAD_PAGES)
def test_the_short_link_of_a_hostile_title_names_it_as_text_and_goes_only_to_its_page(
        page: str, hostile_site: HostileSite, browser: Browser) -> None:
    meta = front(HOSTILE / "site" / f"{page.rstrip('/')}.md")
    short = f"p/{meta['id']}/"
    tree = LexborHTMLParser(hostile_site.html(short))
    assert [n.text() for n in tree.css("title")] == [f"Moved: {meta['title']} - Council Commons"]
    refreshes = [n.attributes.get("content") or "" for n in tree.css("meta[http-equiv]")
                 if (n.attributes.get("http-equiv") or "").lower() == "refresh"]
    assert refreshes == [f"0; url=../../{page}"]
    context = browser.new_context()
    dialogs: list[str] = []
    try:
        p = context.new_page()
        p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        p.goto(hostile_site.server.url(short))
        p.wait_for_url(hostile_site.server.url(page))
        assert p.evaluate("() => window.__pwned") is None
    finally:
        context.close()
    assert dialogs == []


def test_a_search_listing_hostile_titles_shows_them_as_text(hostile_site: HostileSite, browser: Browser) -> None:
    titles = {front(HOSTILE / "site" / f"{p.rstrip('/')}.md")["title"] for p in HEAD_PAGES}
    shown: list[str] = []

    def search(page: Any) -> None:
        page.wait_for_function("() => /^(\\d+ results?|No results)/.test("
                               "document.querySelector('#commons-search-status').textContent)")
        shown.extend(page.eval_on_selector_all(".commons-search__results > li a", "as => as.map(a => a.textContent)"))

    seen = visit(browser, hostile_site.server.url("search/?q=Bins"), act=search)
    assert seen.everything() == []
    assert titles <= {s.strip() for s in shown}, shown


# =========================================================================================================
# The sanitiser alone (with the templates' escaping): built HTML and Chromium without the policy

def scripts(markup: str, page: str) -> list[tuple[str, str, str]]:
    """Each <script>: the site file it loads (or "inline"), its type and id."""
    out = []
    for n in LexborHTMLParser(markup).css("script"):
        src = n.attributes.get("src")
        out.append((posixpath.normpath(posixpath.join(page, src)) if src is not None else "inline",
                    n.attributes.get("type") or "", n.attributes.get("id") or ""))
    return out


@pytest.mark.parametrize("page", BODY_PAGES + HEAD_PAGES + OTHER_PAGES)
def test_a_built_page_holds_no_handler_script_or_script_address(page: str, hostile_site: HostileSite) -> None:
    markup = hostile_site.html(page)
    tree = LexborHTMLParser(markup)
    assert live_handlers(markup) == []
    # the site's own: the files every page loads, and Material's configuration, JSON (which no browser runs)
    assert scripts(markup, page) == scripts(hostile_site.html(CLEAN_PAGE), CLEAN_PAGE)
    assert [n.attributes.get("type") for n in tree.css("script:not([src])")] == ["application/json"]
    content = tree.css_first(".md-content")
    assert content is not None
    assert live_script_addresses(content.html or "") == []
    assert [(n.attributes.get("http-equiv") or "").lower() for n in tree.css("meta[http-equiv]")] == [
        "content-security-policy"]
    assert tree.css("base") == []
    body = tree.css_first(".commons-body")
    if body is not None:
        assert sorted({n.tag or "" for n in elements(body)} & DANGEROUS_TAGS) == []


@pytest.mark.parametrize("page", BODY_PAGES + HEAD_PAGES + OTHER_PAGES)
def test_a_built_page_is_inert_in_chromium_without_the_policy(page: str, hostile_site: HostileSite,
                                                             browser: Browser) -> None:
    seen = visit(browser, hostile_site.server.url(page), policy=False)
    assert seen.everything() == []


def _hostile_body(page: str) -> str:
    entry, _ = parse_entry(Candidate(f"{page.rstrip('/')}.md", BY_NAME["pattern"], page.split("/")[1]),
                           (HOSTILE / "site" / f"{page.rstrip('/')}.md").read_bytes())
    assert entry is not None
    return entry.body


@pytest.mark.parametrize("page", BODY_PAGES)
def test_control_unsanitised_the_same_bodies_do_get_through(page: str, hostile_site: HostileSite,
                                                           browser: Browser) -> None:
    """Without the sanitiser (and without the policy) these bodies run or leave script addresses: so the test above
    passing means the sanitiser removed them."""
    raw = unsanitised_page(hostile_site, CLEAN_PAGE, rendered.render(_hostile_body(page)), policy=False)
    assert visit(browser, hostile_site.server.url(raw), policy=False).everything() != []


def _structure(markup: str) -> list[tuple[str, ...]]:
    """Elements (tag and sorted attributes) and text, in document order, comments left out and adjacent text joined,
    whitespace-only text dropped: what a reader gets, whatever the serialisation."""
    out: list[tuple[str, ...]] = []
    body = LexborHTMLParser(markup).body
    for node in body.traverse(include_text=True) if body is not None else ():
        tag = node.tag or ""
        if tag == "-text":
            text = node.text_content or ""
            if out and out[-1][0] == "#text":
                out[-1] = ("#text", out[-1][1] + text)
            else:
                out.append(("#text", text))
        elif tag != "body" and not tag.startswith(("-", "_")):
            out.append((tag, *sorted(f"{k}={v or ''}" for k, v in node.attributes.items())))
    return [("#text", " ".join(x[1].split())) if x[0] == "#text" else x for x in out
            if x[0] != "#text" or x[1].strip()]


# Everything else the site's Markdown makes and a valid entry may hold, added to each starter entry (most of
# which are plain prose): aligned table columns, a titled link, footnotes, an admonition, a code block with a
# language, a definition list, an image from elsewhere, and the text-level HTML contributors may write.
VALID_EXTRAS = """

| Step | Time |
|:-----|-----:|
| Report | 1 minute |

A note[^n], a [link](https://www.hackney.gov.uk/bins "Bin collections") and <kbd>Tab</kbd> for the
<abbr title="Unique Property Reference Number">UPRN</abbr>, <q cite="https://example.org/">quoted</q>.

[^n]: Its text.

!!! warning "Check first"
    Check the round data.

```python
x = 1
```

Round
: The streets a crew collects from in one day.

![The form](https://www.hackney.gov.uk/form.png)

<details><summary>More</summary>Hidden text.</details>
"""


def test_sanitising_a_valid_entry_changes_nothing() -> None:
    checked = 0
    for cand in discover(REPO)[0]:
        entry, problems = read_entry(REPO, cand)
        if entry is None or not entry.ctype.markdown:
            continue
        entry = dataclasses.replace(entry, body=entry.body + VALID_EXTRAS)
        problems = problems + check_entry(entry, _REGISTER, None, render_all=True)[0]
        assert [p for p in problems if p.is_error] == [], "the entry is not valid, so it tests nothing"
        markup = rendered.render(entry.body)
        assert _structure(allowlist.sanitise(markup)) == _structure(markup), cand.path
        checked += 1
    assert checked >= 20, f"only {checked} starter entries"


# =========================================================================================================
# The Content-Security-Policy alone: unsanitised HTML written into a built page

# A policy cannot refuse a refresh (no directive governs where a page navigates itself): that one is the
# sanitiser's alone, so it is left out of what the policy is tested against.
_REFRESH = re.compile(r'<meta http-equiv="refresh"[^>]*>', re.IGNORECASE)


def _unsanitised_markup() -> list[tuple[str, str]]:
    return [("unsanitised.html", (HOSTILE / "unsanitised.html").read_text(encoding="utf-8"))] + [
        (page, _REFRESH.sub("", rendered.render(_hostile_body(page)))) for page in BODY_PAGES]


def _click_everything(page: Any) -> None:
    for selector in ("#hostile-js-link", "#hostile-submit"):
        if page.locator(selector).count():
            page.locator(selector).first.click(force=True, no_wait_after=True, timeout=5_000)


@pytest.mark.parametrize(("name", "markup"), _unsanitised_markup(), ids=[n for n, _ in _unsanitised_markup()])
def test_the_policy_alone_stops_unsanitised_html(name: str, markup: str, hostile_site: HostileSite,
                                                 browser: Browser) -> None:
    page = unsanitised_page(hostile_site, "patterns/report-a-missed-bin/", markup, policy=True)
    seen = visit(browser, hostile_site.server.url(page), policy=True, act=_click_everything)
    assert seen.ran() == [], "the policy let it run"
    assert seen.violations, "nothing was refused by the policy, so it was not what stopped the payloads"


@pytest.mark.parametrize(("name", "markup"), _unsanitised_markup()[:1], ids=["unsanitised.html"])
def test_control_without_the_policy_the_same_html_runs(name: str, markup: str, hostile_site: HostileSite,
                                                       browser: Browser) -> None:
    page = unsanitised_page(hostile_site, "patterns/report-a-missed-bin/", markup, policy=False)
    seen = visit(browser, hostile_site.server.url(page), policy=True)
    assert seen.ran() != []
    assert seen.violations == []
