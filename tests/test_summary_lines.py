"""The sentences of check-pr's summary, one thing each, on real git repositories (issue 14, items 1 and 9).

A file the change leaves unreadable is said to be unreadable, with the problem that stopped it being read, and
nothing in it is said to be removed, nor does it need anyone's approval for what it cannot be seen to do; it
still needs its owners'. Adoptions are named by the pattern's title, approvals by the files that need them,
redirects as redirects, commitments by their place on the council's page; no sentence ends twice, and every
contributed value in them is escaped. Whole comments for these are golden data in tests/golden-comments/
(unreadable-*, council-adopts-patterns, a-title-and-a-redirect, statuses-written-differently).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import golden_comments
from commons.cli import main
from commons.commands.check_pr.compare import check_pull_request
from commons.commands.check_pr.pull_request import Approval, EntryChange, FileChange, PatternName, PullRequestCheck
from commons.commands.check_pr.summary import markdown_summary
from commons.commands.check_pr.summary_entries import sentence
from commons.content.field_types import ContentType
from commons.content.load import RawEntry
from commons.content.problems import Problem
from commons.content.register import load_register
from commons.content.schema import BY_NAME
from conftest import COUNCIL, DECLARATION, PATTERN, Cli, make_repository
from markdown_checks import assert_only_safe_markdown

DECLARATION_FILE = "councils/hackney/declaration.yml"
UPDATE = "      - date: 2026-11-01\n        status: done\n        note: Published every Monday.\n"
BEFORE_COMMENT = "      # Keep this comment"

TELL_US_ONCE = (PATTERN.replace("id: 1", "id: 2")
                .replace("title: Report a missed bin without an account", "title: Tell us once when you move")
                .replace("service-area: environmental-and-regulatory", "service-area: central-services")
                .replace("aliases: [missed-bin-report]", "aliases: [tell-us-once]"))


class Change:
    """A commons on `main` (conftest's, with golden_comments.BASE_FILES) and a pull request branch `pr`."""

    def __init__(self, root: Path, base: dict[str, str] | None = None):
        self.root = make_repository(root)
        for rel, text in {**golden_comments.BASE_FILES, **(base or {})}.items():
            self.write(rel, text)
        self.git("init", "--quiet", "--initial-branch=main")
        self.commit("The base branch", "maintainer")
        self.git("checkout", "--quiet", "-b", "pr")

    def git(self, *args: str, author: str = "maintainer") -> None:
        env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
               "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": f"{author}@example.org",
               "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": f"{author}@example.org"}
        subprocess.run(["git", "-C", str(self.root), *args], check=True, capture_output=True, env=env)

    def write(self, rel: str, data: str | bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)

    def commit(self, message: str, author: str) -> None:
        self.git("add", "--all")
        self.git("commit", "--quiet", "--allow-empty", "-m", message, author=author)

    def check(self, author: str) -> tuple[str, str, int]:
        """check-pr as the workflow runs it: the comment, the annotations, the exit code."""
        self.commit("The pull request", author)
        return golden_comments.check(self.root, author)


@pytest.fixture
def change(tmp_path: Path) -> Change:
    return Change(tmp_path / "repo")


def _changes(comment: str) -> list[str]:
    """The lines of "What will change on the site"."""
    section = comment.split("### What will change on the site\n\n", 1)[1].split("\n\n", 1)[0]
    return section.splitlines()


def _validate(root: Path, *paths: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["--root", str(root), "validate", *paths])
    return out.getvalue()


# --- Item 1: a file that cannot be read ---------------------------------------------------------------------

UNREADABLE = {
    # what the file holds: (its bytes, the line the validator says stopped it, words its message has)
    "an unclosed quote": (DECLARATION.replace("title: Publish housing repairs data openly every week",
                                              'title: "Publish housing repairs data openly every week').encode(),
                          "never closed"),
    "a NUL byte": (DECLARATION.replace("note: Discovery", "note: \x00Discovery").encode(), "U+0000"),
    "bytes that are not UTF-8": (DECLARATION.replace("every week", "every w\u00e9ek").encode("latin-1"),
                                 "byte 0xe9 is not UTF-8"),
    "fields mixed into a list": (DECLARATION.replace(BEFORE_COMMENT, UPDATE.replace("        note", "      note")
                                                     + BEFORE_COMMENT).encode(), "YAML cannot be read"),
    "a list where fields go": (b"- commitments\n- open-repairs-data\n", "expected fields"),
}


@pytest.mark.parametrize("what", list(UNREADABLE))
def test_an_unreadable_declaration_is_said_to_be_unreadable_and_removes_nothing(change: Change, what: str) -> None:
    data, words = UNREADABLE[what]
    change.write(DECLARATION_FILE, data)
    comment, output, code = change.check("hackney-digital")
    # The validator's own first problem for the file, located: the summary quotes it, on its line.
    first = next(line for line in _validate(change.root, str(change.root / DECLARATION_FILE)).splitlines()
                 if line.startswith(DECLARATION_FILE))
    line = int(first.split(":")[1])
    [said] = _changes(comment)
    assert said.startswith(f"- Could not read <code>{DECLARATION_FILE}</code>: on line {line}, ")
    assert said.endswith(". This summary says what it changes once it can be read.")
    assert words in said and words in first
    assert "removes the commitment" not in comment
    assert "Needs approval" not in comment and "Needs approval" not in output  # its own maintainer: nothing else
    assert code == 1


def test_a_tab_alone_does_not_make_a_file_unreadable(change: Change) -> None:
    # A tab is E-CHARACTER and the rest is read as if it were spaces: the summary still says what changes.
    change.write(DECLARATION_FILE, DECLARATION.replace(BEFORE_COMMENT, UPDATE.replace(
        "        note", "\tnote") + BEFORE_COMMENT))
    comment, _, code = change.check("hackney-digital")
    assert _changes(comment) == ["- Hackney — *Publish housing repairs data openly every week*: in progress → done."]
    assert "[E-CHARACTER](" in comment and code == 1


def test_other_files_problems_still_show(change: Change) -> None:
    change.write(DECLARATION_FILE, b"commitments: [\n")
    change.write("patterns/report-a-missed-bin.md", PATTERN.replace("status: live", "status: Live"))
    comment, _, _ = change.check("hackney-digital")
    assert [line.split(": ", 1)[0] for line in _changes(comment)] == [
        f"- Could not read <code>{DECLARATION_FILE}</code>", "- Changes the pattern **Report a missed bin without an "
        "account**"]
    problems = comment.split("### Problems\n\n", 1)[1]
    assert f"<code>{DECLARATION_FILE}:" in problems and "[E-ENUM](" in problems and "(got 'Live')" in problems


def test_breaking_a_profile_is_no_way_past_its_owners(change: Change) -> None:
    # An outsider's change to Hackney's files still needs Hackney, even though neither file can be read after it;
    # a profile that cannot be read is not said to change the maintainers, nor a declaration to rewrite history.
    change.write("councils/hackney/council.yml", COUNCIL.replace("  - hackney-digital\n",
                                                                 "  - hackney-digital\n  - mallory\x00\n"))
    change.write(DECLARATION_FILE, b"commitments: [\n")
    found = check_pull_request(*_committed(change, "mallory"))
    assert [(a.council, a.kind) for a in found.approvals] == [("Hackney", "outsider")]


def test_a_pattern_renamed_into_an_unreadable_file_still_needs_its_owners(change: Change) -> None:
    change.git("mv", "patterns/report-a-missed-bin.md", "patterns/missed-bin.md")
    change.write("patterns/missed-bin.md", PATTERN.encode().replace(b"Residents", b"R\xe9sidents", 1))
    found = check_pull_request(*_committed(change, "mallory"))
    assert [(a.council, a.kind) for a in found.approvals] == [("Hackney", "outsider")]
    # Its names are not lost, so nothing that names it is blamed for what the file might keep.
    assert [p.code for p in found.problems] == ["E-ENCODING"]


def _committed(change: Change, author: str) -> tuple[Path, str, str, str]:
    change.commit("The pull request", author)
    return change.root, "main", "HEAD", author


# --- Item 9: specific lines ---------------------------------------------------------------------------------


def test_an_adoption_is_named_by_the_patterns_title_and_date(tmp_path: Path) -> None:
    change = Change(tmp_path / "repo", {"patterns/tell-us-once-when-you-move.md": TELL_US_ONCE})
    change.write("councils/hackney/council.yml", COUNCIL + "  - pattern: tell-us-once-when-you-move\n"
                                                           "    since: 2026-11-01\n")
    comment, _, code = change.check("hackney-digital")
    assert _changes(comment) == ["- Hackney adopts *Tell us once when you move* (since 1 November 2026)."]
    assert code == 0


def test_an_adoption_by_an_alias_is_named_by_its_patterns_title_and_its_page_is_a_redirect(tmp_path: Path) -> None:
    change = Change(tmp_path / "repo", {"patterns/tell-us-once-when-you-move.md": TELL_US_ONCE})
    change.write("councils/hackney/council.yml", COUNCIL.replace("report-a-missed-bin", "tell-us-once"))
    comment, _, _ = change.check("hackney-digital")
    assert _changes(comment) == ["- Hackney adopts *Tell us once when you move* (since 1 June 2024).",
                                 "- Hackney no longer lists *Report a missed bin without an account* as adopted."]
    assert "- [patterns/tell-us-once/](http://127.0.0.1:8000/commons/patterns/tell-us-once/) — a redirect to the " \
        "page of the pattern it names, Tell us once when you move (tell-us-once is another name for " \
        "tell-us-once-when-you-move)\n" in comment


def test_approval_lines_name_the_files_that_need_them(change: Change) -> None:
    change.write(DECLARATION_FILE, DECLARATION.replace("target: 2026-12-31", "target: 2027-03-31"))
    change.write("patterns/report-a-missed-bin.md", PATTERN.replace("status: live", "status: beta"))
    change.write("Makefile", "test:\n\ttrue\n")
    comment, _, code = change.check("someone-else")
    approvals = comment.split("**Needs approval** before merging:\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert approvals == [
        "- needs approval from @hackney-digital (maintainers of Hackney) for "
        f"<code>{DECLARATION_FILE}</code>, <code>patterns/report-a-missed-bin.md</code>: @&#8203;someone-else is not "
        "one of its maintainers",
        "- needs approval from @commons-lead or @commons-second (maintainers of Council Commons): it changes the "
        "tooling (files outside the content folders): <code>Makefile</code>"]
    assert code == 3


def test_a_changed_commitment_is_a_place_on_its_councils_page_by_its_title(change: Change) -> None:
    change.write(DECLARATION_FILE, DECLARATION.replace(BEFORE_COMMENT, UPDATE + BEFORE_COMMENT))
    comment, _, _ = change.check("hackney-digital")
    assert "- [councils/hackney/\\#&#8203;open-repairs-data](http://127.0.0.1:8000/commons/councils/hackney/" \
        "#open-repairs-data) — Declaration commitment: Hackney — *Publish housing repairs data openly every week*\n" \
        in comment


@pytest.mark.parametrize(("text", "ended"), [
    ("Hackney — removes the commitment *Is it open?*", "Hackney — removes the commitment *Is it open?*"),
    ("Adds the pattern **Wow!**", "Adds the pattern **Wow!**"),
    ("aliases: \\[report-a-missed-bin\\]", "aliases: \\[report-a-missed-bin\\]"),
    ("*Done.*", "*Done.*"),
    ("see <code>x…</code>", "see <code>x…</code>"),
    ("Hackney — *Publish data*: planned", "Hackney — *Publish data*: planned."),
    ("a title ending in a star, escaped: *x\\**", "a title ending in a star, escaped: *x\\**."),
    ("(got 'x?')", "(got 'x?')."),
])
def test_a_sentence_ends_once(text: str, ended: str) -> None:
    assert sentence(text) == ended


def test_a_removed_commitment_whose_title_ends_in_a_question_mark_gets_no_full_stop(tmp_path: Path) -> None:
    asked = DECLARATION.replace("Publish housing repairs data openly every week", "Can we publish repairs data?")
    change = Change(tmp_path / "repo", {DECLARATION_FILE: asked})
    change.write(DECLARATION_FILE, "commitments: []\n")
    comment, _, _ = change.check("hackney-digital")
    assert _changes(comment) == ["- Hackney — removes the commitment *Can we publish repairs data?*"]
    assert not re.search(r"[?!.\]][*]*\.$", comment, re.MULTILINE)


@pytest.mark.parametrize(("value", "got"), [
    ("Done", "(got 'Done')"),
    ("“done”", "(got '“done”', which has a left curly double quote “ (U+201C) and a right curly double quote ” "
               "(U+201D): YAML keeps them as part of the value, so use straight quotes or none)"),
    ("3", "(got a number (3))"),
    ("[done]", "(got a list)"),
])
def test_a_value_that_is_not_a_choice_is_shown_as_it_was_given(repo: Path, cli: Cli, value: str, got: str) -> None:
    (repo / DECLARATION_FILE).write_text(DECLARATION.replace("status: in-progress\n    start",
                                                             f"status: {value}\n    start"), encoding="utf-8")
    out = cli("--root", str(repo), "validate").out
    assert f"error[E-ENUM] 'status' must be one of planned, in-progress, done, paused, stopped {got}\n" in out


def test_a_value_of_the_wrong_kind_still_says_which_kind_it_is(repo: Path, cli: Cli) -> None:
    path = repo / "patterns/report-a-missed-bin.md"
    path.write_text(PATTERN.replace("id: 1", "id: twelve"), encoding="utf-8")
    assert "error[E-TYPE] 'id' must be a whole number, found text ('twelve')\n" in cli("--root", str(repo),
                                                                                       "validate").out


# --- Contributed text in the new sentences ------------------------------------------------------------------

HOSTILE = st.lists(st.one_of(st.sampled_from(["@alice", "#12", "<img src=x>", "[l](https://evil.example)", "`", "**b**",
                                              "]", "?", "www.evil.example", "\n# h", "| t |", "\\"]),
                             st.text(max_size=8)), min_size=1, max_size=4).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({k: HOSTILE for k in ("title", "slug", "cid", "since", "evidence", "path", "message")}))
def test_titles_ids_and_adoptions_from_a_pull_request_are_shown_as_text(v: dict[str, str]) -> None:
    register = load_register()
    council = BY_NAME["council"]
    declaration = BY_NAME["commitment"]

    def entry(path: str, ctype: ContentType, meta: dict[str, Any]) -> RawEntry:
        return RawEntry(path, ctype, "hackney", meta, folder="hackney")

    before = entry("councils/hackney/council.yml", council, {"code": "HCK", "adopted": [{"pattern": "a"}]})
    after = entry("councils/hackney/council.yml", council, {"code": "HCK", "adopted": [
        {"pattern": v["slug"], "since": v["since"], "evidence": v["evidence"]}, {"pattern": "a", "since": v["since"]}]})
    commitments = entry(DECLARATION_FILE, declaration, {"commitments": [
        {"id": v["cid"], "title": v["title"], "patterns": [v["slug"]], "history": []}]})
    entries = [EntryChange(FileChange("modified", before.path, after.path), before, after),
               EntryChange(FileChange("added", None, DECLARATION_FILE), None, commitments),
               EntryChange(FileChange("modified", v["path"], v["path"]), None, None)]
    names = {v["slug"]: PatternName("report-a-missed-bin", v["title"]), "a": PatternName(v["slug"], v["title"])}
    result = PullRequestCheck("a" * 40, "b" * 40, "someone", entries, [], [Problem(v["path"], 3, 1, "E-YAML",
                              v["message"])], 2, [Approval("Hackney", ("hackney-digital",), "outsider")], {},
                              register, golden_comments.SITE, names)
    assert_only_safe_markdown(markdown_summary(result, golden_comments.SITE), mentions={"hackney-digital"})
