"""The `commons` command: exact output and exit codes (0 clean or warnings, 1 problems, 2 usage)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PATTERN, REPO, Cli, subcommands

SUBCOMMANDS = list(subcommands())  # from the live parser: every command `commons --help` lists
BAD_ENUM = PATTERN.replace("status: live", "status: Live")


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# Exit codes


def test_clean_repository_exits_0(repo: Path, cli: Cli) -> None:
    result = cli("--root", str(repo), "validate")
    assert (result.code, result.out, result.err) == (0, "3 files checked: no problems.\n", "")


def test_content_problem_exits_1_with_located_message(repo: Path, cli: Cli) -> None:
    write(repo, "patterns/report-a-missed-bin.md", BAD_ENUM)
    result = cli("--root", str(repo), "validate")
    assert result.code == 1
    assert result.out == (
        "patterns/report-a-missed-bin.md:7:9: error[E-ENUM] 'status' must be one of proposed, alpha, beta, "
        "live, retired (got 'Live')\n"
        "    hint: did you mean 'live'?\n"
        "3 files checked: 1 error, 0 warnings.\n"
    )


def test_warnings_exit_0_and_1_with_strict(repo: Path, cli: Cli) -> None:
    write(repo, "patterns/report-a-missed-bin.md", PATTERN.replace("fell by half.", "fell by {{ half }}."))
    plain = cli("--root", str(repo), "validate")
    strict = cli("--root", str(repo), "validate", "--strict")
    assert plain.code == 0
    assert strict.code == 1
    assert plain.out == strict.out
    assert "warning[W-TEMPLATE]" in plain.out
    assert plain.out.endswith("3 files checked: 0 errors, 1 warning.\n")


def test_unknown_option_exits_2(repo: Path, cli: Cli) -> None:
    result = cli("--root", str(repo), "validate", "--no-such-option")
    assert result.code == 2
    assert "unrecognized arguments: --no-such-option" in result.err
    assert result.out == ""


def test_unknown_format_exits_2(repo: Path, cli: Cli) -> None:
    result = cli("--root", str(repo), "validate", "--format", "xml")
    assert result.code == 2
    assert "invalid choice: 'xml'" in result.err


def test_path_outside_the_root_exits_2(repo: Path, tmp_path: Path, cli: Cli) -> None:
    outside = write(tmp_path, "elsewhere/notes.md", "# Notes\n")
    result = cli("--root", str(repo), "validate", str(outside))
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        f"commons validate: {outside} is outside the repository {repo}\nTry 'commons --help'.\n"
    )


def test_path_escaping_the_root_with_dot_dot_exits_2(repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = cli("validate", "patterns/../../outside.md")
    assert result.code == 2
    assert "is outside the repository" in result.err


def test_nonexistent_path_exits_2(repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = cli("validate", "patterns/no-such-pattern.md")
    assert result.code == 2
    assert result.err == "commons validate: patterns/no-such-pattern.md does not exist\nTry 'commons --help'.\n"


def test_outside_any_repository_without_root_exits_2(tmp_path: Path) -> None:
    done = subprocess.run([str(Path(sys.executable).with_name("commons")), "validate"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "is not inside a Council Commons repository" in done.stderr
    assert "--root" in done.stderr


def test_root_that_is_not_a_repository_exits_2(tmp_path: Path, cli: Cli) -> None:
    result = cli("--root", str(tmp_path), "validate")
    assert result.code == 2
    assert "is not a Council Commons repository" in result.err


def test_no_command_prints_help_and_exits_2(cli: Cli) -> None:
    result = cli()
    assert result.code == 2
    assert "usage: commons" in result.out


# Finding the repository


def test_root_is_found_from_a_subfolder(repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "councils" / "hackney")
    result = cli("validate")
    assert (result.code, result.out) == (0, "3 files checked: no problems.\n")


def test_root_option_works_from_anywhere(repo: Path, tmp_path: Path, cli: Cli,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("--root", str(repo), "validate").code == 0
    write(repo, "patterns/report-a-missed-bin.md", BAD_ENUM)
    assert cli("--root", str(repo), "validate").code == 1


# Formats


def test_json_format(repo: Path, cli: Cli) -> None:
    write(repo, "patterns/report-a-missed-bin.md", BAD_ENUM)
    write(repo, "patterns/report-a-pothole.md",
          PATTERN.replace("id: 1", "id: 2").replace("aliases: [missed-bin-report]", "aliases: []")
          .replace("fell by half.", "fell by {{ half }}."))
    result = cli("--root", str(repo), "validate", "--format", "json")
    assert result.code == 1
    problems = json.loads(result.out)  # the whole output is one JSON document: no summary line
    assert problems == [
        {
            "path": "patterns/report-a-missed-bin.md",
            "line": 7,
            "col": 9,
            "code": "E-ENUM",
            "message": "'status' must be one of proposed, alpha, beta, live, retired (got 'Live')",
            "hint": "did you mean 'live'?",
            "severity": "error",
        },
        {
            "path": "patterns/report-a-pothole.md",
            "line": 24,
            "col": 40,
            "code": "W-TEMPLATE",
            "message": "'{{' will show literally: entries are never run as templates",
            "hint": "put it in `backticks` to show it as code, or remove it",
            "severity": "warning",
        },
    ]


def test_json_format_when_clean_is_an_empty_list(repo: Path, cli: Cli) -> None:
    result = cli("--root", str(repo), "validate", "--format", "json")
    assert result.code == 0
    assert json.loads(result.out) == []


def test_github_format(repo: Path, cli: Cli) -> None:
    write(repo, "patterns/report-a-missed-bin.md", BAD_ENUM)
    result = cli("--root", str(repo), "validate", "--format", "github")
    assert result.code == 1
    assert result.out.splitlines() == [
        "::error file=patterns/report-a-missed-bin.md,line=7,col=9,title=E-ENUM::'status' must be one of "
        "proposed, alpha, beta, live, retired (got 'Live') — hint: did you mean 'live'?",
        "3 files checked: 1 error, 0 warnings.",
    ]


def test_github_format_for_a_file_level_problem_and_a_warning(repo: Path, cli: Cli) -> None:
    write(repo, "patterns/notes.txt", "ideas\n")
    write(repo, "patterns/report-a-missed-bin.md", PATTERN.replace("fell by half.", "fell by {{ half }}."))
    result = cli("--root", str(repo), "validate", "--format", "github")
    assert result.out.splitlines()[:2] == [
        "::error file=patterns/notes.txt,title=E-PATH::unexpected file or folder in patterns/ — hint: this "
        "folder holds only patterns/<slug>.md",
        "::warning file=patterns/report-a-missed-bin.md,line=24,col=40,title=W-TEMPLATE::'{{' will show "
        "literally: entries are never run as templates — hint: put it in `backticks` to show it as code, "
        "or remove it",
    ]


# Validating some paths


def test_given_paths_are_checked_with_what_they_reference_and_nothing_else(
        repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    # An unrelated broken pattern, and a broken file in another folder, are not reported...
    write(repo, "patterns/report-a-pothole.md", BAD_ENUM.replace("id: 1", "id: 2").replace(
        "aliases: [missed-bin-report]", "aliases: []"))
    write(repo, "case-studies/broken.md", "no front matter\n")
    monkeypatch.chdir(repo)
    result = cli("validate", "councils/hackney/council.yml")
    assert (result.code, result.out) == (0, "1 file checked: no problems.\n")
    # ...but what the given file references is checked against the whole repository.
    write(repo, "councils/hackney/council.yml",
          "# yaml-language-server: $schema=../../schemas/council.schema.json\n"
          "code: HCK\nmaintainers: [hackney-digital]\nwebsite: https://hackney.gov.uk\nadopted:\n"
          "  - {pattern: missed-bin-report, since: 2024-06-01}\n"  # an alias of report-a-missed-bin
          "  - {pattern: report-a-potholes, since: 2024-06-01}\n")
    result = cli("validate", "councils/hackney/council.yml")
    assert result.code == 1
    assert result.out == (
        "councils/hackney/council.yml:7:15: error[E-UNKNOWN-REF] there is no pattern 'report-a-potholes'\n"
        "    hint: did you mean 'report-a-pothole'?\n"
        "1 file checked: 1 error, 0 warnings.\n"
    )


def test_references_to_existing_patterns_resolve_in_a_partial_run(
        repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = cli("validate", "councils/hackney/declaration.yml")
    assert (result.code, result.out) == (0, "1 file checked: no problems.\n")


def test_a_given_pattern_is_checked_against_every_other_pattern(
        repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    pothole = PATTERN.replace("title: Report a missed bin without an account", "title: Report a pothole")
    write(repo, "patterns/report-a-pothole.md", pothole)  # same id 1 and alias as report-a-missed-bin
    monkeypatch.chdir(repo)
    result = cli("validate", "patterns/report-a-pothole.md")
    assert result.code == 1
    assert result.out == (
        "patterns/report-a-pothole.md:3:5: error[E-DUPLICATE-ID] pattern number 1 is already used by "
        "patterns/report-a-missed-bin.md\n"
        "    hint: the next free number is 2\n"
        "patterns/report-a-pothole.md:10:11: error[E-DUPLICATE-ID] alias 'missed-bin-report' is already an alias "
        "of patterns/report-a-missed-bin.md\n"
        "    hint: each former slug can point to only one pattern\n"
        "1 file checked: 2 errors, 0 warnings.\n"
    )
    # Whichever file is checked is told what it clashes with (in a pull request, it is the changed one).
    result = cli("validate", "patterns/report-a-missed-bin.md")
    assert result.code == 1
    assert result.out == (
        "patterns/report-a-missed-bin.md:3:5: error[E-DUPLICATE-ID] pattern number 1 is already used by "
        "patterns/report-a-pothole.md\n"
        "    hint: the next free number is 2\n"
        "patterns/report-a-missed-bin.md:10:11: error[E-DUPLICATE-ID] alias 'missed-bin-report' is already an alias "
        "of patterns/report-a-pothole.md\n"
        "    hint: each former slug can point to only one pattern\n"
        "1 file checked: 2 errors, 0 warnings.\n"
    )


def test_a_folder_expands_to_its_entries(repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, "councils/hackney/declaration.yml",
          "# yaml-language-server: $schema=../../schemas/commitment.schema.json\ncommitments: []\nnotes: x\n")
    monkeypatch.chdir(repo)
    result = cli("validate", "councils/hackney")
    assert result.code == 1
    assert result.out == (
        "councils/hackney/declaration.yml:3:1: error[E-UNKNOWN-FIELD] unknown field 'notes' in declaration.yml\n"
        "    hint: declaration.yml has: commitments\n"
        "2 files checked: 1 error, 0 warnings.\n"
    )
    assert cli("validate", "patterns").out == "1 file checked: no problems.\n"
    assert cli("validate", "councils/").out.endswith("2 files checked: 1 error, 0 warnings.\n")
    assert cli("validate", ".").out.endswith("3 files checked: 1 error, 0 warnings.\n")


def test_a_given_file_in_the_wrong_place_is_reported(repo: Path, cli: Cli,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, "patterns/notes.txt", "ideas\n")
    monkeypatch.chdir(repo)
    result = cli("validate", "patterns/notes.txt", "data/uk-local-authorities.csv")
    assert result.code == 1
    assert result.out == (
        "data/uk-local-authorities.csv:0:0: error[E-PATH] not in a content folder\n"
        "    hint: content lives in patterns/, case-studies/, playbooks/, councils/, sessions/\n"
        "patterns/notes.txt:0:0: error[E-PATH] unexpected file or folder in patterns/\n"
        "    hint: this folder holds only patterns/<slug>.md\n"
        "0 files checked: 2 errors, 0 warnings.\n"
    )


def test_a_given_symlink_is_refused_not_followed(repo: Path, tmp_path: Path, cli: Cli,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    secret = write(tmp_path, "secret.txt", "password\n")
    os.symlink(secret, repo / "patterns" / "evil.md")
    monkeypatch.chdir(repo)
    result = cli("validate", "patterns/evil.md")
    assert result.code == 1
    assert "patterns/evil.md:0:0: error[E-SYMLINK]" in result.out
    assert "password" not in result.out


# Running the command


def test_python_dash_m_commons(repo: Path) -> None:
    write(repo, "patterns/report-a-missed-bin.md", BAD_ENUM)
    done = subprocess.run([sys.executable, "-m", "commons", "--root", str(repo), "validate", "--format", "json"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert [p["code"] for p in json.loads(done.stdout)] == ["E-ENUM"]


def test_console_script(repo: Path) -> None:
    done = subprocess.run([str(Path(sys.executable).with_name("commons")), "validate"], cwd=repo,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "3 files checked: no problems.\n", "")


def test_help_exits_0(cli: Cli) -> None:
    result = cli("--help")
    assert result.code == 0
    for name in SUBCOMMANDS:
        assert name in result.out


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_subcommand_help_exits_0(name: str, cli: Cli) -> None:
    result = cli(name, "--help")
    assert result.code == 0
    assert result.out.startswith(f"usage: commons {name}")
    assert result.err == ""


def test_the_real_repository_validates_with_no_problems(cli: Cli) -> None:
    result = cli("--root", str(REPO), "validate", "--strict")
    assert result.code == 0, result.out
    assert result.out.endswith("checked: no problems.\n")
