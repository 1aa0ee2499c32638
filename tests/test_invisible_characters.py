"""Invisible and look-alike characters are named at their place: the character's name and code point, the exact
line and column, and a fix that works. Each case pastes a character into the valid starter repository, runs
`commons validate`, applies the fix the hint gives as a contributor would, and validates again."""

from __future__ import annotations

import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commons.content.lookalikes import TABLE
from commons.content.yaml_reader import parse_yaml
from conftest import Cli

PROBLEM = re.compile(r"^(?P<path>\S+?):(?P<line>\d+):(?P<col>\d+): error\[(?P<code>[A-Z-]+)\] (?P<message>.*)$")
PATTERN = "patterns/report-a-missed-bin.md"
COUNCIL = "councils/hackney/council.yml"
DECLARATION = "councils/hackney/declaration.yml"


def paste(root: Path, rel: str, old: str, new: str) -> tuple[int, int]:
    """Replace `old` (once in the file) with `new`; the line and column of the first character pasted that is not
    plain ASCII (or a tab), else of the first that differs."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    odd = [i for i, c in enumerate(new) if not c.isascii() or c == "\t"]
    at = text.index(old) + (odd[0] if odd else next(
        i for i, (a, b) in enumerate(zip(old + "\0", new + "\1", strict=False)) if a != b))
    text = text.replace(old, new)
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


def problems(cli: Cli, root: Path) -> list[tuple[str, int, int, str, str, str]]:
    result = cli("--root", str(root), "validate")
    assert result.err == ""
    lines = result.out.splitlines()
    found = []
    for i, line in enumerate(lines):
        m = PROBLEM.match(line)
        if m:
            hint = lines[i + 1].removeprefix("    hint: ") if i + 1 < len(lines) else ""
            found.append((m["path"], int(m["line"]), int(m["col"]), m["code"], m["message"], hint))
    assert (result.code == 0) == (not found), result.out
    return found


def apply_hint(root: Path, rel: str, line: int, col: int, hint: str, length: int = 1) -> None:
    """Do what the hint says, the way a contributor would read it."""
    path = root / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    text = lines[line - 1]
    example = re.search(r"(?:or none|followed by a space|an ordinary space|hyphens|in): (.+)$", hint)
    if hint.startswith("delete it"):
        text = text[: col - 1] + text[col - 1 + length :]
    elif hint.startswith("replace") and "ordinary space" in hint and not example:
        text = text[: col - 1] + " " * length + text[col - 1 + length :]
    elif hint.startswith("indent with spaces, not tabs"):
        spaces = re.search(r"(\d+) spaces line it up", hint)
        text = " " * int(spaces[1]) + text.lstrip(" \t") if spaces else text.replace("\t", "    ")
    elif hint.startswith(("line the keys up", "line it up")):
        spaces = re.search(r"(\d+) spaces? in\b", hint)  # the first level the hint names
        text = " " * (int(spaces[1]) if spaces else 0) + text.lstrip(" ")
    elif example:
        indent = len(text) - len(text.lstrip(" "))
        text = " " * indent + example[1]
    else:
        raise AssertionError(f"no way to follow the hint: {hint}")
    lines[line - 1] = text
    path.write_text("\n".join(lines), encoding="utf-8")


SUMMARY = "summary: Residents report a missed collection in under a minute with only their address."
CASES = [
    # (file, text in the starter file, the same text as pasted, code, what the message must say, run length)
    ("unclosed-curly-quote", PATTERN, SUMMARY, "summary: \u201cResidents report: a missed bin, in a minute.",
     "E-CHARACTER", "a left curly double quote \u201c (U+201C) as a quote mark", 1),
    ("tab", DECLARATION, "        status: in-progress", "\t\tstatus: in-progress", "E-CHARACTER", "2 tabs (U+0009)", 2),
    ("nbsp-after-colon", DECLARATION, "\n    status: in-progress", "\n    status:\u00a0in-progress", "E-CHARACTER",
     "a non-breaking space (U+00A0) after 'status:'", 1),
    ("nbsp-indentation", DECLARATION, "        note: Discovery", "\u00a0" * 8 + "note: Discovery", "E-CHARACTER",
     "8 non-breaking spaces (U+00A0) in the indentation", 8),
    ("curly-double-quotes", PATTERN, SUMMARY, "summary: \u201cResidents report: a missed bin, in a minute.\u201d",
     "E-CHARACTER",
     "a left curly double quote \u201c (U+201C) and a right curly double quote \u201d (U+201D) around the value", 1),
    ("curly-single-quotes", PATTERN, SUMMARY, "summary: \u2018Residents report: a missed bin, in a minute.\u2019",
     "E-CHARACTER",
     "a left curly single quote \u2018 (U+2018) and a right curly single quote \u2019 (U+2019)", 1),
    ("zero-width-space-in-a-key", PATTERN, "service-area:", "service\u200b-area:", "E-CHARACTER",
     "a zero-width space (U+200B) in the field name 'service<U+200B>-area'", 1),
    ("zero-width-space-after-a-value", DECLARATION, "\n    status: in-progress", "\n    status: in-progress\u200b",
     "E-CHARACTER", "a zero-width space (U+200B) at the end of the value", 1),
    ("byte-order-mark-mid-file", COUNCIL, "website: https", "\ufeffwebsite: https", "E-CHARACTER",
     "a byte order mark (U+FEFF) in the middle of the file, before 'website'", 1),
    ("en-dash-list", COUNCIL, "  - hackney-digital", "  \u2013 hackney-digital", "E-CHARACTER",
     "an en dash \u2013 (U+2013) where a list item's '-' is expected", 1),
    ("em-dash-list", COUNCIL, "  - pattern: report", "  \u2014 pattern: report", "E-CHARACTER",
     "an em dash \u2014 (U+2014) where a list item's '-' is expected", 1),
    ("word-bullet-list", COUNCIL, "  - hackney-digital", "  \uf0b7 hackney-digital", "E-CHARACTER",
     "a Word bullet (from the Symbol font) (U+F0B7)", 1),
    ("ideographic-space", PATTERN, "status: live", "status:\u3000live", "E-CHARACTER",
     "an ideographic space (U+3000) after 'status:'", 1),
    ("full-width-colon", PATTERN, "status: live", "status\uff1a live", "E-CHARACTER",
     "a full-width colon \uff1a (U+FF1A)", 1),
    ("narrow-nbsp-after-colon", PATTERN, "status: live", "status:\u202flive", "E-CHARACTER",
     "a narrow non-breaking space (U+202F)", 1),
    ("unnamed-space-by-its-unicode-name", PATTERN, "status: live", "status:\u2001live", "E-CHARACTER",
     "the space character EM QUAD (U+2001)", 1),
    ("unnamed-invisible-by-its-unicode-name", PATTERN, "councils:", "coun\u2061cils:", "E-CHARACTER",
     "the invisible character FUNCTION APPLICATION (U+2061)", 1),
    ("line-separator", DECLARATION, "Discovery started with", "Discovery started\u2028with", "E-CHARACTER",
     "a line separator (U+2028), which YAML reads as a line break", 1),
    ("front-matter-line-of-dashes", PATTERN, "---\n# yaml-language-server", "\u2014-\n# yaml-language-server",
     "E-CHARACTER", "an em dash \u2014 (U+2014) in the front matter's --- line", 1),
    ("nbsp-after-a-list-dash", COUNCIL, "  - hackney-digital", "  -\u00a0hackney-digital", "E-CHARACTER",
     "a non-breaking space (U+00A0) after a list item's '-'", 1),
    ("nbsp-before-a-colon", PATTERN, "status: live", "status\u00a0: live", "E-CHARACTER",
     "a non-breaking space (U+00A0) in the field name 'status<U+00A0>'", 1),
    ("over-indentation", DECLARATION, "        note: Discovery", "            note: Discovery", "E-YAML",
     "this line is indented 12 spaces, more than the line above it (8)", 1),
    ("under-indentation", DECLARATION, "        note: Discovery", "       note: Discovery", "E-YAML",
     "this line is indented 7 spaces, which lines up with no line above it", 1),
    ("straight-quote-closed-by-a-curly-one", PATTERN, "title: Report a missed bin without an account",
     "title: \"Report a missed bin without an account\u201d", "E-CHARACTER",
     "a right curly double quote \u201d (U+201D) as a quote mark", 1),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_named_at_its_place_and_the_hint_fixes_it(case: tuple[str, str, str, str, str, str, int], repo: Path,
                                                   cli: Cli) -> None:
    _, rel, old, new, code, said, length = case
    line, col = paste(repo, rel, old, new)
    found = problems(cli, repo)
    assert len(found) == 1, found  # the character, and nothing the rest of the file does not deserve
    [(path, at_line, at_col, at_code, message, hint)] = found
    assert (path, at_line, at_code) == (rel, line, code)
    assert said in message
    if code == "E-CHARACTER":
        assert at_col == col  # on the character itself
        cp = re.search(r"U\+([0-9A-F]{4})", message)
        assert cp and chr(int(cp[1], 16)) in new  # the code point named is the one pasted
    apply_hint(repo, rel, at_line, at_col, hint, length)
    assert problems(cli, repo) == []


def test_curly_quotes_around_a_status_are_named_in_the_unknown_value(repo: Path, cli: Cli) -> None:
    line, col = paste(repo, PATTERN, "status: live", "status: \u201clive\u201d")
    [(path, at_line, at_col, code, message, hint)] = problems(cli, repo)
    assert (path, at_line, at_col) == (PATTERN, line, col)  # the value, where its quote is
    assert "U+201C" in message and "U+201D" in message and "straight quotes or none" in message
    assert (code, hint) == ("E-ENUM", "did you mean 'live'?")
    paste(repo, PATTERN, "\u201clive\u201d", "live")
    assert problems(cli, repo) == []


def test_a_line_with_no_colon_is_named_itself_not_the_line_after(repo: Path, cli: Cli) -> None:
    line, _ = paste(repo, PATTERN, "service-area: environmental", "service-area environmental")
    [(path, at_line, at_col, code, message, hint)] = problems(cli, repo)
    assert (path, at_line, at_col, code) == (PATTERN, line, 1, "E-YAML")
    assert message == "YAML cannot be read: this line has no ':' after its field name"
    assert hint == "write a colon and a space after the field name: service-area: …"


@pytest.mark.parametrize("text", [
    "title: The \u201ctell us once\u201d service for moving home",  # curly quotes inside a title
    "title: \u201cNothing about us without us\u201d",  # a title that is a quotation
    "summary: \"Residents\u2019 own words, with a non-breaking\u00a0space\"",
    "summary: Costs \u2013 and savings \u2014 per household",
    "summary: >\n  \u2013 a dash that starts a line of folded text\n  \u00a0 and a non-breaking space",
    "title:\tReport a missed bin",  # a tab after a colon is read as a space
], ids=["curly-in-title", "title-in-curly-quotes", "quoted", "dashes-in-text", "block-text", "tab-separator"])
def test_the_same_characters_inside_text_are_not_problems(text: str, repo: Path, cli: Cli) -> None:
    field = text.split(":")[0]
    original = next(line for line in (repo / PATTERN).read_text(encoding="utf-8").split("\n")
                    if line.startswith(field + ":"))
    paste(repo, PATTERN, original, text)
    assert problems(cli, repo) == []


def test_look_alikes_in_a_body_are_text(repo: Path, cli: Cli) -> None:
    paste(repo, PATTERN, "Stores only the address.",
          "Stores only the \u201caddress\u201d.\n\n\u2013 one\n\u2022 two\n\u00a0\u00a0indented\u200b, \ufeff\tdone")
    assert problems(cli, repo) == []


# Every character in the table, and any other space or invisible character, is named wherever it breaks YAML.

def _named(text: str, ch: str) -> list[str]:
    _, _, found = parse_yaml("f.yml", text, 0)
    return [p.message for p in found if p.code == "E-CHARACTER" and f"U+{ord(ch):04X}" in p.message]


SPACES = [c for c, w in TABLE.items() if w.kind == "space"] + ["\u2001", "\u205f", "\u1680"]
INVISIBLE = [c for c, w in TABLE.items() if w.kind == "invisible"] + ["\u2061", "\u202e", "\u061c"]


@pytest.mark.parametrize("ch", SPACES, ids=[unicodedata.name(c) for c in SPACES])
def test_every_space_look_alike_is_named_after_a_colon_and_in_indentation(ch: str) -> None:
    assert _named(f"title: x\nstatus:{ch}done\nsummary: y\n", ch)
    assert _named(f"history:\n  - date: 2025-01-01\n{ch * 4}status: done\n", ch)


@pytest.mark.parametrize("ch", INVISIBLE, ids=[unicodedata.name(c) for c in INVISIBLE])
def test_every_invisible_character_is_named_in_a_field_name_and_at_a_value_s_edge(ch: str) -> None:
    assert _named(f"stat{ch}us: done\n", ch)
    assert _named(f"status: done{ch}\n", ch)


DASHES = [c for c, w in TABLE.items() if w.kind == "dash"]
QUOTES = [c for c, w in TABLE.items() if w.kind == "quote"]


@pytest.mark.parametrize("ch", DASHES, ids=[f"U+{ord(c):04X}" for c in DASHES])
def test_every_dash_and_bullet_look_alike_is_named_where_a_list_item_is(ch: str) -> None:
    value, _, _ = parse_yaml("f.yml", f"councils:\n  {ch} HCK\n  {ch} ISL\n", 0)
    assert value == {"councils": ["HCK", "ISL"]}  # read as the list it was meant to be, after saying why
    assert len(_named(f"councils:\n  {ch} HCK\n  {ch} ISL\n", ch)) == 2


@pytest.mark.parametrize("ch", QUOTES, ids=[f"U+{ord(c):04X}" for c in QUOTES])
def test_every_quote_look_alike_is_named_where_it_breaks_a_value(ch: str) -> None:
    assert _named(f"title: x\nsummary: {ch}Residents report: quickly{ch}\n", ch)


def test_many_look_alikes_are_reported_quickly_and_bounded() -> None:
    lines = "".join(f"ok{i}: fine\nfield{i}:\u00a0value {i}\n" for i in range(5000))
    started = time.perf_counter()
    value, _, found = parse_yaml("f.yml", lines, 0)
    assert time.perf_counter() - started < 2
    assert value is None and 1 < len(found) <= 12
    keys = "".join(f"fi\u200beld{i}: value\n" for i in range(5000))
    started = time.perf_counter()
    _, _, found = parse_yaml("f.yml", keys, 0)
    assert time.perf_counter() - started < 2
    assert len(found) == 21 and found[-1].message == "4980 more invisible or look-alike characters, from here on"


_PIECES = sorted(TABLE) + [" ", "  ", "\n", "\n  ", "\n- ", ": ", ":", "- ", "'", '"', "#", "[", "]", "{", "}", ",",
                           "title", "status: done", "\u2001", "\u2061", "\u00e9"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_any_mix_of_look_alikes_gives_problems_not_a_crash(pieces: list[str]) -> None:
    text = "".join(pieces)
    started = time.perf_counter()
    value, _, found = parse_yaml("f.yml", text, 0)
    assert time.perf_counter() - started < 1
    assert value is None or isinstance(value, dict)
    lines = text.split("\n")
    for p in found:  # every problem is somewhere in the text
        assert 1 <= p.line <= len(lines) + 1 and p.col >= 1, p
        if p.code == "E-CHARACTER" and p.message[0] in "at" and "(U+" in p.message:
            code = p.message.split("(U+")[1][:4]
            assert chr(int(code, 16)) in text
