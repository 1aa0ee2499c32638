"""The `# yaml-language-server: $schema=…` line: in every content file, pointing at a schema that exists, kept
byte for byte by the rewrite, and a W-SCHEMA-LINE warning (with the line to write) when missing or wrong."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

import pytest

from commons.content.load import content_type_of, discover
from commons.content.schema import BY_NAME, CONTENT_TYPES
from commons.content.schema_line import schema_file, schema_line, target, with_schema_line
from conftest import PATTERN, REPO, Cli

CANDIDATES = discover(REPO)[0]
CONTENT = [c.path for c in CANDIDATES]


def yaml_lines(text: str, markdown: bool) -> list[str]:
    """The lines of the YAML: the whole file, or a Markdown entry's front matter."""
    lines = text.splitlines()
    return lines[1:lines.index("---", 1)] if markdown else lines


# The repository's own content


def test_the_repository_has_content_of_every_type() -> None:
    assert {c.ctype.name for c in CANDIDATES} == set(BY_NAME)


@pytest.mark.parametrize("rel", CONTENT)
def test_every_content_file_starts_with_its_schema_line(rel: str) -> None:
    ctype = content_type_of(rel)
    assert ctype is not None
    text = (REPO / rel).read_text(encoding="utf-8")
    lines = yaml_lines(text, ctype.markdown)
    assert lines[0] == schema_line(rel), f"{rel}: make its first YAML line {schema_line(rel)}"
    assert sum("yaml-language-server" in line for line in lines) == 1


@pytest.mark.parametrize("rel", CONTENT)
def test_the_schema_a_line_names_exists_and_is_its_types(rel: str) -> None:
    ctype = content_type_of(rel)
    assert ctype is not None
    named = target(schema_line(rel))
    assert named is not None
    # Resolved from the file's own folder, as editors resolve it.
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(rel), named))
    assert resolved == schema_file(ctype) == f"schemas/{ctype.name}.schema.json"
    schema = json.loads((REPO / resolved).read_text(encoding="utf-8"))
    assert schema["$id"].endswith("/" + resolved) and schema["title"] == ctype.title


@pytest.mark.parametrize(("rel", "line"), [
    ("patterns/report-a-missed-bin.md", "# yaml-language-server: $schema=../schemas/pattern.schema.json"),
    ("case-studies/x.md", "# yaml-language-server: $schema=../schemas/case-study.schema.json"),
    ("playbooks/x.md", "# yaml-language-server: $schema=../schemas/playbook.schema.json"),
    ("sessions/ukgovcamp-2026/x.md", "# yaml-language-server: $schema=../../schemas/session.schema.json"),
    ("councils/hackney/council.yml", "# yaml-language-server: $schema=../../schemas/council.schema.json"),
    # The declaration is a file of commitments: the schema is that type's, not the council's.
    ("councils/hackney/declaration.yml", "# yaml-language-server: $schema=../../schemas/commitment.schema.json"),
])
def test_the_line_of_each_place(rel: str, line: str) -> None:
    assert schema_line(rel) == line


def test_every_type_has_its_generated_schema() -> None:
    for ctype in CONTENT_TYPES:
        assert (REPO / schema_file(ctype)).is_file(), f"run: commons schema --write ({ctype.name})"


def test_a_place_that_holds_no_content_has_no_line() -> None:
    for rel in ("patterns/notes.txt", "councils/hackney/notes.yml", "docs/index.md", "sessions/x.md"):
        with pytest.raises(ValueError):
            schema_line(rel)


# The rewrite: the line, and every other byte as it was

PATTERN_LINE = "# yaml-language-server: $schema=../schemas/pattern.schema.json"
COUNCIL_LINE = "# yaml-language-server: $schema=../../schemas/council.schema.json"


@pytest.mark.parametrize(("rel", "before", "after"), [
    ("patterns/x.md", "---\nid: 1\n---\nbody\n", f"---\n{PATTERN_LINE}\nid: 1\n---\nbody\n"),
    ("patterns/x.md", "---\r\nid: 1\r\n---\r\n", f"---\r\n{PATTERN_LINE}\r\nid: 1\r\n---\r\n"),
    ("patterns/x.md", "\ufeff---\nid: 1\n---\n", f"\ufeff---\n{PATTERN_LINE}\nid: 1\n---\n"),
    ("councils/h/council.yml", "# Ours.\ncode: HCK\n", f"{COUNCIL_LINE}\n# Ours.\ncode: HCK\n"),
    ("councils/h/council.yml", "\ufeffcode: HCK\r\n", f"\ufeff{COUNCIL_LINE}\r\ncode: HCK\r\n"),
    ("councils/h/council.yml", "code: HCK", f"{COUNCIL_LINE}\ncode: HCK"),
    ("councils/h/council.yml", "", f"{COUNCIL_LINE}\n"),
    # A wrong or misspelt line among the comments before the first field is replaced where it is.
    ("councils/h/council.yml", "# Ours.\n#yaml-language-server: $schema=../schemas/x.json\r\ncode: HCK\n",
     f"# Ours.\n{COUNCIL_LINE}\r\ncode: HCK\n"),
    # One that already names the right schema is kept as it is written.
    ("councils/h/council.yml", f"{COUNCIL_LINE}   \ncode: HCK\n", f"{COUNCIL_LINE}   \ncode: HCK\n"),
    ("councils/h/council.yml", "#  yaml-language-server : $schema=../../schemas/council.schema.json x\ncode: HCK\n",
     "#  yaml-language-server : $schema=../../schemas/council.schema.json x\ncode: HCK\n"),
    # One after the first field is a value's business, not the schema line: the line is added first.
    ("councils/h/council.yml", "code: HCK\nnote: |\n  # yaml-language-server: x\n",
     f"{COUNCIL_LINE}\ncode: HCK\nnote: |\n  # yaml-language-server: x\n"),
    # A Markdown file without front matter has nowhere to put it.
    ("patterns/x.md", "# Report a pothole\n", "# Report a pothole\n"),
])
def test_the_rewrite_adds_or_corrects_the_line_and_keeps_the_rest(rel: str, before: str, after: str) -> None:
    assert with_schema_line(before, rel) == after
    assert with_schema_line(after, rel) == after  # once right, nothing changes


def test_the_rewrite_of_the_repository_is_a_no_op() -> None:
    for rel in CONTENT:
        text = (REPO / rel).read_bytes().decode("utf-8")
        assert with_schema_line(text, rel) == text, rel


# The warning

WARNING_MISSING = "there is no schema line, so editors cannot check the fields as you type"


def validate(cli: Cli, repo: Path, *args: str) -> tuple[int, str]:
    result = cli("--root", str(repo), "validate", *args)
    assert result.err == ""
    return result.code, result.out


def test_a_missing_line_is_a_warning_with_the_line_to_write(repo: Path, cli: Cli) -> None:
    path = repo / "patterns" / "report-a-missed-bin.md"
    path.write_text(PATTERN.replace(PATTERN_LINE + "\n", ""), encoding="utf-8")
    plain = validate(cli, repo)
    assert plain == (0, (
        f"patterns/report-a-missed-bin.md:2:1: warning[W-SCHEMA-LINE] {WARNING_MISSING}\n"
        f"    hint: make this the first line of the front matter: {PATTERN_LINE}\n"
        "3 files checked: 0 errors, 1 warning.\n"))
    assert validate(cli, repo, "--strict") == (1, plain[1])
    # Doing what the hint says clears it.
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([lines[0], PATTERN_LINE, *lines[1:]]), encoding="utf-8")
    assert validate(cli, repo, "--strict") == (0, "3 files checked: no problems.\n")


def test_a_missing_line_in_a_yaml_file_is_at_line_1(repo: Path, cli: Cli) -> None:
    path = repo / "councils" / "hackney" / "council.yml"
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    assert validate(cli, repo, "--format", "github") == (0, (
        "::warning file=councils/hackney/council.yml,line=1,col=1,title=W-SCHEMA-LINE::"
        f"{WARNING_MISSING} — hint: make this the first line of the file: {COUNCIL_LINE}\n"
        "3 files checked: 0 errors, 1 warning.\n"))


@pytest.mark.parametrize(("wrong", "message"), [
    # The council's schema for its declaration: the file's type is commitment.
    ("# yaml-language-server: $schema=../../schemas/council.schema.json",
     "the schema line points at ../../schemas/council.schema.json, not ../../schemas/commitment.schema.json"),
    # One folder short, as if the file were at the top.
    ("# yaml-language-server: $schema=../schemas/commitment.schema.json",
     "the schema line points at ../schemas/commitment.schema.json, not ../../schemas/commitment.schema.json"),
    ("#yaml-language-server: $schema=../../schemas/commitment.schema.json",
     "editors skip this schema line: it starts '# yaml-language-server:' and names the schema after '$schema='"),
    ("# yaml-language-server: schema=../../schemas/commitment.schema.json",
     "editors skip this schema line: it starts '# yaml-language-server:' and names the schema after '$schema='"),
])
def test_a_wrong_line_is_a_warning_on_its_own_line(repo: Path, cli: Cli, wrong: str, message: str) -> None:
    path = repo / "councils" / "hackney" / "declaration.yml"
    right, comment, rest = path.read_text(encoding="utf-8").split("\n", 2)
    path.write_text(f"{comment}\n{wrong}\n{rest}", encoding="utf-8")  # on line 2, after the council's comment
    assert validate(cli, repo) == (0, (
        f"councils/hackney/declaration.yml:2:1: warning[W-SCHEMA-LINE] {message}\n"
        f"    hint: make it: {right}\n"
        "3 files checked: 0 errors, 1 warning.\n"))
    path.write_text(f"{comment}\n{right}\n{rest}", encoding="utf-8")  # the right line there is read as well
    assert validate(cli, repo, "--strict") == (0, "3 files checked: no problems.\n")


def test_only_a_line_above_the_fields_counts(repo: Path, cli: Cli) -> None:
    # After the first field a `#` line may be inside a value (a block of text), so it is never taken for the
    # schema line, and the hint's line goes first.
    path = repo / "councils" / "hackney" / "council.yml"
    right, rest = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(f"{rest}{right}\n", encoding="utf-8")
    code, out = validate(cli, repo)
    assert (code, out.splitlines()[0]) == (
        0, f"councils/hackney/council.yml:1:1: warning[W-SCHEMA-LINE] {WARNING_MISSING}")
