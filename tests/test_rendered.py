"""The check of what the browser will see (commons.rendered), and the sanitiser that shares its allowlist.

Three properties hold the layer together: the site's Markdown here is mkdocs.yml's; a body the cheap
pre-check lets through unrendered could never have produced a finding; and the check refuses exactly
what the sanitiser removes, so a valid entry looks the same after sanitising.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from commons.content import rendered
from commons.content.allowlist import sanitise
from commons.content.body_cost import check_cost
from commons.content.load import discover, read_entry
from commons.content.problems import Problem
from commons.content.rendered import check_body, could_render_unsafely, findings, render
from commons.content.validate import validate_repository
from conftest import REPO

PAGE = "patterns/report-a-missed-bin.md"
SITE = frozenset({PAGE, "patterns/report-a-pothole.md", "contribute/index.md", "assets/commons.css"})


def site_files() -> frozenset[str]:
    return SITE


def check(body: str, first_line: int = 10) -> list[Problem]:
    return check_body(PAGE, body, first_line, PAGE, site_files)


def where(problems: list[Problem]) -> list[tuple[int, int, str]]:
    return [(p.line, p.col, p.code) for p in problems]


class _IgnoreTags(yaml.SafeLoader):
    pass


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


def test_the_check_renders_with_the_extensions_mkdocs_yml_configures() -> None:
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags)
    names, configs = [], {}
    for item in config["markdown_extensions"]:
        if isinstance(item, dict):
            (name, options), = item.items()
            names.append(name)
            configs[name] = options
        else:
            names.append(item)
    assert tuple(names) == rendered.SITE_EXTENSIONS
    assert configs == rendered.SITE_EXTENSION_CONFIGS


# ---------------------------------------------------------------------------------------------------------
# What the source checks miss, the rendered check sees, on the right line

@pytest.mark.parametrize(("body", "line", "code", "needle"), [
    ('Intro.\n\nCalls fell <img alt=">" src="https://x.example/a.png" onerror="alert(1)">.', 12, "E-UNSAFE-HTML",
     "onerror"),
    ('One.\n\nTwo.\n\n<span title=">" onclick="alert(1)">NVDA</span>', 14, "E-UNSAFE-HTML", "onclick"),
    ("See the [notice](\n javascript:alert(1)).", 11, "E-UNSAFE-LINK", "javascript"),
    ("See the [notice](&#32;javascript:alert(1)).", 10, "E-UNSAFE-LINK", "javascript"),
    ("[notice][n]\n\nMore text.\n\n[n]: &#x09;JaVaScRiPt:alert(1)", 14, "E-UNSAFE-LINK", "javascript"),
    ("Text.\n\n<a href='&#10;vbscript:msgbox(1)'>x</a>", 12, "E-UNSAFE-LINK", "vbscript"),
    ("Text.\n\n!!! md-header\n    Looks like the site's own header.", 12, "E-UNSAFE-HTML", "md-header"),
    ("<div data-pagefind-filter=\"council:Hackney\">x</div>", 10, "E-UNSAFE-HTML", "data-pagefind-filter"),
    ("Text\n\n<details open ontoggle=alert(1)>x</details>", 12, "E-UNSAFE-HTML", "ontoggle"),
    ("<body onload=alert(1)>", 10, "E-UNSAFE-HTML", "onload"),
    ("A\n\n<p id=\"__drawer\">x</p>", 12, "E-UNSAFE-HTML", "__drawer"),
])
def test_a_finding_is_located_at_the_line_and_column_that_makes_it(body: str, line: int, code: str,
                                                                   needle: str) -> None:
    found = check(body)
    assert [(p.line, p.code) for p in found] == [(line, code)]
    text_line = body.split("\n")[line - 10]
    assert text_line.lower()[found[0].col - 1:].startswith(needle.lower())


def test_several_findings_of_one_kind_are_each_on_their_own_line() -> None:
    body = "\n\n".join([
        "First <b onclick=a()>one</b>.",
        "Plain paragraph.",
        "Second <i onclick=b()>two</i>.",
        "Third [x](javascript:c()) and <u onclick=d()>four</u>.",
    ])
    assert where(check(body, 1)) == [(1, 10, "E-UNSAFE-HTML"), (5, 11, "E-UNSAFE-HTML"),
                                     (7, 11, "E-UNSAFE-LINK"), (7, 34, "E-UNSAFE-HTML")]


def test_a_finding_the_source_checks_already_reported_in_the_block_is_not_repeated() -> None:
    body = "Text.\n\n<img src=x\n  onerror=alert(1)>"
    known = [Problem(PAGE, 13, 3, "E-UNSAFE-HTML", "the HTML attribute onerror= is not allowed")]
    assert check_body(PAGE, body, 10, PAGE, site_files, known=known) == []
    assert where(check_body(PAGE, body, 10, PAGE, site_files)) == [(13, 3, "E-UNSAFE-HTML")]


@pytest.mark.parametrize(("body", "expected"), [
    ("![The form](form.png)", "patterns/form.png"),
    ("![The form](form.png){ width=400 }", "patterns/form.png"),
    ("[how we counted](../case-studies/missed-bins.md)", "case-studies/missed-bins.md"),
    ("[sheet](round%20sheet.pdf#page=2)", "patterns/round sheet.pdf"),
    ("[up](../../outside.md)", "../outside.md"),
])
def test_a_relative_link_the_strict_build_would_refuse_is_refused(body: str, expected: str) -> None:
    found = check(body)
    assert [p.code for p in found] == ["E-LINK"]
    assert f"points to {expected}," in found[0].message


@pytest.mark.parametrize("body", [
    "[a pothole](report-a-pothole.md)", "[guide](../contribute/index.md)", "[the lookup](../bin-day/)",
    "[section](#evidence)", "[site](/council-commons/)", "[web](https://www.hackney.gov.uk/bins.pdf)",
    "[mail](mailto:waste@hackney.gov.uk)", "[call](tel:+442083564000)",
])
def test_links_the_build_accepts_pass(body: str) -> None:
    assert check(body) == []


def test_a_body_too_deep_for_the_renderer_is_refused_at_its_deepest_line() -> None:
    body = "Intro.\n\n" + "- " * 1000 + "x"
    assert where(check(body)) == [(12, 1, "E-TOO-LARGE")]


def test_a_body_that_takes_too_long_to_render_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rendered, "RENDER_SECONDS", 0.001)
    body = "\n\n".join(f"Paragraph {i} about **collections** and [rounds](https://x.example/{i})." for i in range(4000))
    found = check(body)
    assert [(p.line, p.code) for p in found] == [(10, "E-TOO-LARGE")]
    assert "takes more than" in found[0].message
    monkeypatch.undo()
    assert check("A [link](javascript:x())") != []  # the converter cut off mid-page is replaced


def test_the_sanitiser_checks_cite_addresses_as_the_check_does() -> None:
    html = '<q cite="&#1;javascript:alert(1)">x</q><q cite="https://a.example/">y</q>'
    assert [f.code for f in findings(html)] == ["E-UNSAFE-LINK"]
    assert [q.attributes.get("cite") for q in LexborHTMLParser(sanitise(html)).css("q")] == [None, "https://a.example/"]


@pytest.mark.parametrize(("body", "line", "words"), [
    ("<a " * 16000, 1, "16000 HTML tags"),
    ("Intro.\n\n" + "<http://x " * 12000, 3, "12000 HTML tags"),
    ("# Heading\n" * 8000, 151, "more than 150 lines"),
    ("[^1]: A note.\n\n" + "Text[^1]\n\n" * 8000, 201, "footnote references"),
    ("Intro.\n\n" + "".join("    " * i + "- item\n" for i in range(30)), 23, "21 levels deep"),
    ("a\n" + ": definition\n" * 8000, 151, "more than 150 lines"),
    ("Intro.\n\n" + "\\\\" * 100000, 3, "200000 backslashes"),
    ("Intro.\n\n" + "*a* " * 60000, 3, "120000 backslashes"),
])
def test_bodies_that_would_stall_or_crash_the_renderer_are_refused_at_a_line(body: str, line: int,
                                                                             words: str) -> None:
    found = check_cost(PAGE, body, 1)
    assert [(p.line, p.code) for p in found] == [(line, "E-TOO-LARGE")]
    assert words in found[0].message


def test_the_limits_leave_real_entries_alone() -> None:
    for cand in discover(REPO)[0]:
        entry, _ = read_entry(REPO, cand)
        if entry is not None and entry.ctype.markdown:
            assert check_cost(entry.path, entry.body, entry.body_line) == []


# ---------------------------------------------------------------------------------------------------------
# The pre-check is sound: whatever it lets through unrendered renders with nothing to find

_TOKENS = st.sampled_from([
    "[a](", "](", "]: ", "[r]", ")", "(", "[", "]", "https://", "http://", "mailto:", "#top", "x.png", "../a.md",
    "../a/",
    "javascript", "JavaScript", "vbscript", "data", ":", "\n", "\n\n", "\t", " ", "!!! ", "??? ", "note", "md-header",
    "# ", "- ", "1. ", "> ", "    ", "`", "```\n", "*", "_", "|", "|-|", "{ onclick=x }", "\\", "alert(1)", "title",
    "\"", "'", "=", "[^1]", "[^1]: ", "word", "Bin day", "\x0b",
])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.lists(_TOKENS, max_size=40).map("".join))
def test_a_body_the_pre_check_passes_renders_with_nothing_to_find(body: str) -> None:
    if not could_render_unsafely(body):
        assert findings(render(body), PAGE, site_files) == []


def test_the_pre_check_sends_risky_bodies_to_be_rendered() -> None:
    for body in ["<b>x</b>", "a &amp; b", "a&#32;b", "<!-- x -->", "</p>", "[x]( javascript:y)", "[x](java\nscript:y)",
                 "[x]: data:text/html,1", "!!! md-header", "[x](chart.png)", "Open DATA\t:", "[x](../a.md)"]:
        assert could_render_unsafely(body), body
    for body in ["Plain text.", "Waste & Recycling", "in < 5 minutes", "[x](https://a.example/b.pdf)",
                 "[x](#evidence)", "[x]: https://a.example", "[x](../report-a-pothole/)", "[x](../../patterns/a-b/#c)"]:
        assert not could_render_unsafely(body), body


# ---------------------------------------------------------------------------------------------------------
# The sanitiser keeps exactly what the check allows

def structure(html: str) -> list[Any]:
    """Elements (tag, attributes) and text in order, as a browser's parser builds them: what a reader gets."""
    tree = LexborHTMLParser("<!DOCTYPE html>" + html)  # standards mode, as the site's pages are
    out: list[Any] = []
    for node in tree.body.traverse(include_text=True) if tree.body is not None else ():
        tag = node.tag or ""
        if tag == "-text":
            text = node.text_content or ""
            if out and out[-1][0] == "text":  # text either side of a removed comment is one text
                out[-1] = ("text", out[-1][1] + text)
            else:
                out.append(("text", text))
        elif tag != "body" and not tag.startswith(("-", "_")) and (node.attributes or any(
                not (child.tag or "").startswith(("-comment", "_comment")) for child in node.iter(include_text=True))):
            # (an empty element with no attributes is what a stray end tag such as </p> makes: nothing to see)
            out.append((tag, sorted((k, v or "") for k, v in node.attributes.items())))
    return [("text", x[1].strip()) if x[0] == "text" else x for x in out if x[0] != "text" or x[1].strip()]


_SNIPPETS = st.sampled_from([
    "<p>", "</p>", "<b>", "</b>", "<div>", "</div>", "<span ", "<img ", "<a ", "<table><tr><td ", "<script>",
    "</script>", "<svg>", "<style>", "<!-- note -->", ">", "'", '"', "=", " ", "onclick=x", "href=", "src=",
    "class=", "id=", "style=", "title=", "javascript:a()", "https://a.example/", "#top", "admonition", "md-nav",
    "note", "__config", "text-align: left;", "color:red", "data-x=1", "text", "&gt;", "&#106;", "\n",
])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.lists(_SNIPPETS, min_size=1, max_size=25).map("".join))
def test_html_the_check_accepts_comes_out_of_the_sanitiser_unchanged(html: str) -> None:
    if not findings(html):
        assert structure(sanitise(html)) == structure(html)
    else:
        assert findings(sanitise(html)) == []


def test_the_sanitiser_removes_what_runs_and_keeps_what_the_site_makes() -> None:
    out = sanitise('<p>a<img alt=">" src=x onerror=alert(1)></p><a href=" javascript:x()">b</a>'
                   '<div class="md-header admonition note">c</div><p style="color:red">d</p>'
                   '<script>alert(1)</script><td style="text-align: right;">e</td></div></article><form>f</form>')
    tree = LexborHTMLParser(out)
    assert tree.css("script, form, [onerror], [style]:not(td)") == []
    assert tree.css_first("a").attributes.get("href") is None
    assert tree.css_first("div").attributes["class"] == "admonition note"
    assert "alert(1)" not in (tree.body.text() if tree.body else "")
    assert "</article>" not in out


def test_every_starter_entry_is_unchanged_by_the_sanitiser() -> None:
    checked = 0
    for cand in discover(REPO)[0]:
        entry, _ = read_entry(REPO, cand)
        if entry is None or not entry.ctype.markdown:
            continue
        html = render(entry.body + "\n\n| a | b |\n|:-|-:|\n| x | y |\n\nA note[^n].\n\n[^n]: Its text.\n\n"
                      "!!! warning\n    Check the round data.\n\n```python\nx = 1\n```\n")
        assert structure(sanitise(html)) == structure(html), entry.path
        checked += 1
    assert checked > 20


def test_a_full_run_and_a_run_of_one_file_find_the_same(tmp_path: Path) -> None:
    from conftest import make_repository
    root = make_repository(tmp_path / "repo")
    page = root / PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\nSee <span title='>' onclick=x>this</span> and "
                    "[that](&#32;javascript:y()) and ![it](it.png).\n", encoding="utf-8")
    full = [p for p in validate_repository(root).problems if p.path == PAGE]
    one = [p for p in validate_repository(root, [PAGE]).problems if p.path == PAGE]
    assert [p.code for p in full] == ["E-UNSAFE-HTML", "E-UNSAFE-LINK", "E-LINK"]
    assert full == one


_BLOCKS = st.sampled_from([
    "Plain paragraph about bins.", "<b onclick=x()>bold</b>", "[x](javascript:y())", "[x](chart.png)", "- item",
    "    indented <i onclick=z()>text</i>", "> quoted <u onclick=q()>text</u>", "```\n<script>code</script>\n```",
    "```\nstart\n\n<b onclick=c()>in the fence</b>\n```", "!!! note\n    Inside <s onclick=n()>it</s>.",
    "| a | b |\n|-|-|\n| <i onclick=t()>x</i> | y |",
    "[r]: javascript:alert(1)", "[use][r]", "Text[^1]", "[^1]: <b onclick=f()>note</b>", "1. first", "a &amp; b",
    "<div>", "</div>", "Term\n: <b onclick=d()>definition</b>",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.lists(_BLOCKS, min_size=1, max_size=12), st.lists(st.sampled_from(["\n\n", "\n", "\n\n\n"]), min_size=12,
                                                                      max_size=12))
def test_checking_only_the_risky_parts_finds_what_checking_the_whole_body_finds(blocks: list[str],
                                                                                 gaps: list[str]) -> None:
    body = "".join(b + g for b, g in zip(blocks, gaps, strict=False))
    whole = {(p.line, p.code) for p in check(body)}
    parts = {(p.line, p.code) for p in rendered.check_risky_parts(PAGE, body, 10, PAGE, site_files)}
    assert whole <= parts
