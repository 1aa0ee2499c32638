"""Problems found in contributed content, and how they are printed.

One `Problem` type and one set of formatters: the validator, `check-pr` and the
site build all report through here. Every code has an explanation, a broken
example and its fix; the site publishes them as the error-code pages.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the repository root, with forward slashes
    line: int  # 1-based; 0 when the problem is about the file as a whole
    col: int  # 1-based; 0 when unknown
    code: str
    message: str
    hint: str = ""

    @property
    def severity(self) -> str:
        return "warning" if self.code.startswith("W-") else "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    explanation: str
    bad: str  # an example that triggers it
    good: str  # the same example, fixed
    found_by: str = "validate"  # or "check-pr": problems that only a change between two commits can show


CODES: dict[str, Code] = {
    c.code: c
    for c in (
        Code("E-YAML", "The YAML cannot be read",
             "The front matter or YAML file is not valid YAML, so nothing in it can be checked. A line indented "
             "more than the line above it, or with no ':' after its field name, is named as such; otherwise the "
             "position is where the YAML reader gave up, and the mistake is often on the line before.",
             "title: Report a pothole\nsummary: Residents report: quickly", "title: Report a pothole\n"
             "summary: \"Residents report: quickly\""),
        Code("E-FRONT-MATTER", "Front matter is missing or not closed",
             "Markdown entries start with a line `---`, the fields in YAML, and another line `---`; the body "
             "follows.", "# Report a pothole\n", "---\ntitle: Report a pothole\n---\n## Problem\n"),
        Code("E-REQUIRED", "A required field is missing",
             "Every entry of this type needs this field. The field tables in the contributor guide list which "
             "fields are required.", "title: Report a pothole\n", "title: Report a pothole\nstatus: beta\n"),
        Code("E-PLACEHOLDER", "A placeholder nobody replaced",
             "`commons new` writes `TODO: …` wherever only you can say what goes there: the summary, the hosts, "
             "each section of the text. A field, a list item or a line of the text that still starts with TODO, "
             "TBC, TBD or FIXME is unfinished, so it is refused rather than published. The hint says what to "
             "write, from the field's or the section's own description. Words such as \"TODO lists\" in a "
             "sentence are fine.",
             "summary: 'TODO: one sentence saying what the pattern is and who it helps.'\n",
             "summary: Residents report a missed collection in under a minute with just their address.\n"),
        Code("E-UNKNOWN-FIELD", "A field this type does not have",
             "The field is not part of the schema, often because of a typing mistake. Unknown fields are refused "
             "so that a typo never silently loses information.", "statuss: beta\n", "status: beta\n"),
        Code("E-TYPE", "A value of the wrong kind",
             "The value is the wrong kind of thing: a list where one value is expected, a word where a number "
             "is expected, and so on.", "councils: HCK\n", "councils: [HCK]\n"),
        Code("E-ENUM", "A value that is not one of the allowed ones",
             "This field takes one of a fixed list of values; the message lists them and the hint gives the "
             "closest.", "status: in progress\n", "status: in-progress\n"),
        Code("E-VALUE", "A value that breaks a rule of its field",
             "The value has the right kind but breaks a rule: too long, empty, not a web address, out of "
             "range, repeated in a list, or an illustrative-looking personal contact.",
             "website: hackney.gov.uk\n", "website: https://hackney.gov.uk\n"),
        Code("E-DATE", "A date that is malformed or does not exist",
             "Dates are written YYYY-MM-DD and must exist on the calendar.", "start: 2025-02-30\n",
             "start: 2025-02-28\n"),
        Code("E-DATE-ORDER", "Dates in the wrong order",
             "A target date cannot be before the start date, and a history's updates are listed oldest first "
             "(two on the same day are allowed, and read in the order written).",
             "start: 2026-04-01\ntarget: 2025-03-31\n", "start: 2025-04-01\ntarget: 2026-03-31\n"),
        Code("E-STATUS", "The status does not match the history",
             "The latest dated update in a commitment's `history` is its status, so `status` can be left out. "
             "When it is written it must agree with the latest update: change one of the two (the hint says "
             "which says what), or remove `status` and let the history say it. When the status has changed, "
             "add a dated update saying so.",
             "status: done\nhistory:\n  - {date: 2025-04-01, status: in-progress, note: Started.}\n",
             "history:\n  - {date: 2025-04-01, status: in-progress, note: Started.}\n"
             "  - {date: 2026-01-12, status: done, note: Published.}\n"),
        Code("E-DUPLICATE-KEY", "A field is given twice",
             "The same field appears twice in one mapping. YAML readers silently keep the last one, which "
             "loses the first; remove one of them.", "status: beta\nstatus: live\n", "status: live\n"),
        Code("E-SLUG", "A file or folder name that breaks the naming rule",
             "Names are lower-case letters, digits and single hyphens, at most 80 characters, and a file is "
             "named after its slug. A session's folder is its event's slug; a council's folder is its register "
             "slug.", "patterns/Report_Pothole.md", "patterns/report-a-pothole.md"),
        Code("E-DUPLICATE-ID", "Two entries claim the same name or number",
             "Slugs, aliases, pattern and session numbers and commitment ids must each be unique, or links "
             "would be ambiguous.", "aliases: [report-a-pothole]   # another pattern's slug\n",
             "aliases: [pothole-report]\n"),
        Code("E-UNKNOWN-REF", "A reference to something that does not exist",
             "The pattern or council named is not in the commons or the register. Patterns are referred to by "
             "slug (or a former slug), councils by register code.", "councils: [HAC]\n", "councils: [HCK]\n"),
        Code("E-ABOLISHED", "A council that no longer exists",
             "The council was abolished in a reorganisation. Use its successor's code (the hint names it), or run "
             "the `commons reorganise OLD --into NEW` the hint gives: it moves the council's folder to its "
             "successor's and rewrites every reference to it.",
             "councils: [AYL]\n", "councils: [BUC]\n"),
        Code("E-COUNCIL-FOLDER", "A council folder that does not match its register code",
             "A council's folder is named after its slug in the register, and its `council.yml` gives its "
             "register code: the two must name the same council.", "councils/hackney/council.yml: code: ISL\n",
             "councils/islington/council.yml: code: ISL\n"),
        Code("E-SECTION", "A body section is missing or out of order",
             "Patterns have the sections Problem, Solution, Evidence and Considerations (with Accessibility and "
             "Data protection under it), in that order, as `##` and `###` headings.",
             "## Problem\n## Evidence\n", "## Problem\n## Solution\n## Evidence\n## Considerations\n"
             "### Accessibility\n### Data protection\n"),
        Code("E-PATH", "A file in a place the commons does not expect",
             "Each content folder holds only its own kind of entry: Markdown entries in patterns, case-studies, "
             "playbooks and sessions/<event>, and council.yml, declaration.yml and contracts.yml in councils/<slug>.",
             "patterns/notes.txt", "patterns/report-a-pothole.md"),
        Code("E-SYMLINK", "A symbolic link",
             "Links to other files are refused: they could make the build read files outside the commons.",
             "patterns/pothole.md -> /etc/passwd", "patterns/report-a-pothole.md (a real file)"),
        Code("E-TOO-LARGE", "A file over the size limit, or text that would take too long to show",
             "Entries are limited to 256 KB. Split a long page, or link to a document elsewhere. Some "
             "constructs slow the site's build to a crawl in large numbers, so a body is also limited to 500 "
             "`[` in a paragraph, 400 HTML tags, 100 footnotes, 5,000 backslashes, asterisks, underscores, "
             "backticks and ampersands together, 150 lines with no blank line between them, and lists or quotes "
             "20 levels deep; text that still takes more than 3 seconds to turn into a page is refused.",
             "a 2 MB pattern", "a pattern that links to its full research report"),
        Code("E-ENCODING", "Bytes that are not UTF-8 text",
             "Files are UTF-8 text with no control characters, written out or as YAML escapes such as "
             "`\\x01`. This usually comes from pasting from a word processor saved in another encoding; "
             "re-save as UTF-8.", "caf\\xe9 (Latin-1)", "café (UTF-8)"),
        Code("E-CHARACTER", "An invisible or look-alike character where YAML needs a plain one",
             "Text pasted from Word, Outlook, Teams or a web page can bring characters that look like a space, a "
             "quote mark, a hyphen or a colon but are other characters: a non-breaking space (U+00A0), curly "
             "quotes \u201c \u201d \u2018 \u2019, an en dash \u2013 or a bullet \u2022, or a zero-width space "
             "(U+200B) that shows as nothing at all. YAML reads only the plain ones as indentation, quote marks, "
             "list items and separators, so these stop the file being read or change what it says; a tab "
             "(U+0009) cannot indent YAML either. The message names the character, its code point and where it "
             "is, and the hint says what to type instead. The same characters inside text, such as curly quotes "
             "in a title or in the body of an entry, are fine.",
             "title:\u00a0Report a pothole    # a non-breaking space after the colon\n"
             "summary: \u201cResidents report: quickly\u201d\ncouncils:\n  \u2013 HCK\n",
             "title: Report a pothole\nsummary: \"Residents report: quickly\"\ncouncils:\n  - HCK\n"),
        Code("E-YAML-ALIAS", "YAML anchors and aliases",
             "`&name` and `*name` are refused: they make a change hard to review and can expand to enormous "
             "documents. Write each value out in full.",
             "councils: &owners [HCK]\nrelated: *owners\n", "councils: [HCK]\nrelated: [report-a-pothole]\n"),
        Code("E-UNSAFE-HTML", "HTML that could run code",
             "`<script>`, `<iframe>`, `<style>`, `<object>`, `<embed>`, `<form>`, `on…=` and `style=` attributes are "
             "refused. Write the content in Markdown.", "<iframe src=\"https://example.org\"></iframe>",
             "[Watch the demo](https://example.org)"),
        Code("E-UNSAFE-LINK", "A link that could run code",
             "Links using `javascript:`, `vbscript:` or `data:` addresses are refused. Link to a web page.",
             "[report](javascript:alert(1))", "[report](https://www.example.gov.uk/report)"),
        Code("E-LINK", "A link to a file the site does not have",
             "A relative link or image whose address ends in a file name (`chart.png`, `other.md`) must "
             "point to a page or file of the site, or the site cannot be built. Link to a web page, or to "
             "another entry by its address; images cannot be added with an entry.",
             "![Calls fell by half](chart.png)", "[Calls fell by half](https://www.example.gov.uk/report)"),
        Code("W-TEMPLATE", "Template syntax that will show literally",
             "Contributed entries are never run as templates, so `{{ … }}`, `{% … %}` and `{# … #}` appear "
             "on the page exactly as typed. Put them in backticks if you mean to show them.",
             "Use {{ config.site_name }} here", "Use `{{ config.site_name }}` here"),
        Code("W-SCHEMA-LINE", "The line that names the file's schema for editors is missing or wrong",
             "A content file names its JSON Schema in `schemas/` in a comment, as the first line of a YAML file "
             "or of a Markdown entry's front matter, so that editors which read it (such as VS Code with the "
             "YAML extension) check and complete the fields as you type. The path is relative to the file and "
             "the schema is the file's type's: `commons new` writes it, and the hint gives the exact line.",
             "---\ntitle: Report a pothole\n", "---\n# yaml-language-server: $schema=../schemas/pattern.schema.json"
             "\ntitle: Report a pothole\n"),
        Code("E-RENAMED", "A renamed pattern that dropped its old slug",
             "A pattern's file name is its address and the name other entries use for it. When a pull request "
             "renames the file, the old name must stay in `aliases`, so that old links redirect and references "
             "keep working.",
             "git mv patterns/missed-bin-report.md patterns/report-a-missed-bin.md\naliases: []\n",
             "git mv patterns/missed-bin-report.md patterns/report-a-missed-bin.md\naliases: [missed-bin-report]\n",
             found_by="check-pr"),
        Code("E-FILE-NAME", "A file name that is not plain text",
             "Git stores a file name as bytes. A name that is not UTF-8 text, or that holds control characters "
             "such as a line break, cannot be shown, linked or checked reliably, so it is refused wherever it "
             "is. Rename the file to plain letters, digits and hyphens.",
             "patterns/caf\\xe9.md (a Latin-1 byte in the name)", "patterns/cafe-opening-hours.md",
             found_by="check-pr"),
        Code("E-SUBMODULE", "A git submodule",
             "A submodule is a pointer to a commit of another repository. Its files are not in the pull request, "
             "so nobody here can review them, and the site would show whatever that repository holds. Add the "
             "files themselves instead.",
             "git submodule add https://example.org/our-patterns.git patterns/ours",
             "git rm --cached patterns/ours, then add patterns/report-a-missed-bin.md itself",
             found_by="check-pr"),
        Code("E-CONFLICT", "The pull request does not merge cleanly",
             "A pull request is checked as it will be once merged: onto the base branch as it is now, with what "
             "other pull requests merged since it started. Here git cannot combine the two, because both "
             "change the same lines of these files. Update the branch (GitHub's \"Update branch\" button, or "
             "merge the base branch locally), keep both changes in each file, and the check runs again.",
             "two pull requests, each changing the same commitment's status in councils/hackney/declaration.yml",
             "the second pull request updated from main, with both updates kept in the commitment's history",
             found_by="check-pr"),
        Code("E-CODEOWNERS", "A council's maintainers change without .github/CODEOWNERS",
             "GitHub asks a council's maintainers to review changes to its folder because .github/CODEOWNERS names "
             "them. That file is made from every council's maintainers, so a pull request that adds a council or "
             "changes who maintains one changes it too: run `commons schema --write` and commit it, or edit the "
             "council's line in the web editor as the hint shows. A CODEOWNERS change that only follows the "
             "council files needs no approval beyond theirs.",
             "councils/hackney/council.yml: maintainers: [hackney-digital, hackney-lead]\n"
             ".github/CODEOWNERS: /councils/hackney/ @hackney-digital @commons-lead",
             "councils/hackney/council.yml: maintainers: [hackney-digital, hackney-lead]\n"
             ".github/CODEOWNERS: /councils/hackney/ @hackney-digital @hackney-lead @commons-lead",
             found_by="check-pr"),
        Code("E-UNKNOWN-SUPPLIER", "A supplier or product the commons does not list",
             "A contract names its supplier, and its product, exactly as `data/suppliers.yml` lists them, so that "
             "every council's contracts with one supplier are counted together. The hint gives the nearest name "
             "when one is mistyped. A supplier or product that is not listed yet is added to that file first, in a "
             "pull request of its own: a change to the tooling, which a maintainer of the commons approves (the checks "
             "of a pull request read the lists as the base branch has them).",
             "supplier: Civica\nproduct: Open Revenues\n", "supplier: Civica\nproduct: OpenRevenues\n"),
        Code("W-CONTRACT-ENDED", "A contract that has ended with nothing after it",
             "The contract's end (or its `extension-until`) has passed and no later contract for the same system "
             "follows it in the council's contracts.yml, so the record is probably out of date: councils looking for "
             "partners to buy with would be misled. Add the contract that replaced it, or the extension that was "
             "agreed; remove it if the council no longer buys that kind of system.",
             "- id: housing-2016\n  system: housing-management\n  end: 2021-03-31\n",
             "- id: housing-2016\n  system: housing-management\n  end: 2021-03-31\n  extension-until: 2028-03-31\n"),
        Code("W-SIMILAR", "A new entry very like one the commons has",
             "check-pr and `commons new pattern` compare a new pattern with the patterns the commons has, by meaning "
             "as well as words "
             "(\"Tell us your bin wasn't emptied\" is \"Report a missed bin\"), and names any that is very close: "
             "improve that one instead, or say in the pull request how yours differs. For a new Declaration "
             "commitment it names the other councils whose commitments are about the same work, so you can ask "
             "them to be partners. It is a warning: nothing is refused. `commons similar FILE` lists the nearest "
             "entries with their scores.",
             "patterns/tell-us-your-bin-wasnt-emptied.md: title: Tell us your bin wasn't emptied",
             "the improvement made to patterns/report-a-missed-bin.md instead", found_by="check-pr"),
        Code("W-SOURCE-NOT-FETCHED", "A council's own repository that was not checked",
             "A council that keeps its records in its own repository is checked as sources.lock pins it, from the "
             "copy in `.cache/sources/`. When that copy does not hold the pinned commit (a fresh clone, or after "
             "`make clean`), or does not give exactly the files sources.lock records (objects lost or changed: the "
             "warning names the file, at its line in sources.lock), the council's files cannot be read, so they "
             "were not checked with the rest and references to them may not be either. `commons sources fetch` "
             "restores the pinned commits, making such a copy again (it moves no pin); `commons build` does so "
             "itself.",
             "sources.lock pins SHF at 3f1c2ab, and .cache/sources/SHF.git is missing",
             "commons sources fetch, then commons validate"),
        Code("W-PERSONAL-CONTACT", "A contact that looks like a named person",
             "Contacts are roles and shared mailboxes, so they survive people changing jobs and do not publish "
             "personal data.", "email: jane.smith@example.gov.uk", "email: waste-digital@example.gov.uk"),
    )
}


def summary_line(problems: Sequence[Problem], files: int) -> str:
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    if not problems:
        return f"{_n(files, 'file')} checked: no problems."
    return f"{_n(files, 'file')} checked: {_n(errors, 'error')}, {_n(warnings, 'warning')}."


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def format_text(problems: Iterable[Problem]) -> str:
    """`path:line:col: error[CODE] message` lines, each followed by an indented hint."""
    out = []
    for p in problems:
        out.append(f"{p.path}:{p.line}:{p.col}: {p.severity}[{p.code}] {p.message}")
        if p.hint:
            out.append(f"    hint: {p.hint}")
    return "\n".join(out)


def format_github(problems: Iterable[Problem]) -> str:
    """GitHub Actions workflow commands, which show as annotations on the lines of a pull request."""
    out = []
    for p in problems:
        text = p.message + (f" — hint: {p.hint}" if p.hint else "")
        props = f"file={github_property(p.path)}"
        if p.line:
            props += f",line={p.line}"
        if p.col:
            props += f",col={p.col}"
        props += f",title={github_property(p.code)}"
        out.append(f"::{p.severity} {props}::{github_data(text)}")
    return "\n".join(out)


def format_json(problems: Sequence[Problem]) -> str:
    return json.dumps([{**asdict(p), "severity": p.severity} for p in problems], indent=2, ensure_ascii=False)


# output format name -> formatter, as `commons validate --format` and check-pr name them (as check-jsonschema's
# REPORTER_BY_NAME): one table, not an if/else per command.
FORMATTERS: dict[str, Callable[[Sequence[Problem]], str]] = {
    "text": format_text,
    "github": format_github,
    "json": format_json,
}


def github_data(text: str) -> str:
    """Text as the data of a GitHub Actions workflow command (after `::`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """Text as a property of a GitHub Actions workflow command (`file=…`, `title=…`)."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")
