"""The GitHub side of the project: workflows that keep untrusted pull requests away from write tokens, and issue
forms that are valid GitHub forms generated from the one schema."""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from commons.forms import FORMS, FORMS_DIR, ITEM_TYPES, Form, Part, form_files
from commons.generate import check_generated, write_generated
from commons.schema import COMMITMENT_STATUSES, PATTERN_STATUSES, PRINCIPLES, SERVICE_AREAS, Field
from conftest import REPO

Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
FORM_PATHS = sorted(p for p in (REPO / FORMS_DIR).glob("*.y*ml") if p.name != "config.yml")

# The only write scopes each workflow may hold. Anything that runs a pull request's code gets none.
ALLOWED_WRITES = {
    "pull-request.yml": set(),
    "pr-comment.yml": {"pull-requests", "issues"},
    "deploy.yml": {"pages", "id-token"},
    "weekly.yml": {"issues"},
}
# Triggers whose workflows act on something an outsider controls (their code, or its results).
PULL_REQUEST_TRIGGERS = {"pull_request", "pull_request_target", "workflow_run"}
# Expressions an outsider writes: they may reach a step only as an environment variable.
UNTRUSTED = re.compile(
    r"github\.head_ref|github\.event\.(pull_request|issue|comment|review|review_comment|head_commit|commits|discussion"
    r"|workflow_run\.(head_branch|head_commit|display_title|pull_requests))\b[.\w\[\]*]*"
)


def load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """The workflow's `on:` as a mapping. YAML 1.1 reads the bare key `on` as True."""
    on = workflow["on"] if "on" in workflow else workflow.get(True)
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {name: None for name in on}
    assert isinstance(on, dict), "the workflow has no `on:`"
    return on


def jobs(workflow: dict[Any, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield from workflow["jobs"].items()


def steps(workflow: dict[Any, Any]) -> Iterator[dict[str, Any]]:
    for _, job in jobs(workflow):
        yield from job.get("steps", [])


def uses(step: dict[str, Any], action: str) -> bool:
    return str(step.get("uses", "")).split("@")[0] == action


def workflow(name: str) -> dict[Any, Any]:
    data = load(REPO / ".github" / "workflows" / name)
    assert isinstance(data, dict)
    return data


def step(wf: dict[Any, Any], step_id: str) -> dict[str, Any]:
    found = [s for s in steps(wf) if s.get("id") == step_id]
    assert len(found) == 1, f"no single step with id {step_id}"
    return found[0]


def walk(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every scalar in a parsed YAML document, with the keys that lead to it."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, (*path, str(i)))
    else:
        yield path, node


# --- Workflows ----------------------------------------------------------------------------------------------


def test_the_workflows_are_the_documented_ones() -> None:
    assert {p.name for p in WORKFLOWS} == set(ALLOWED_WRITES)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for path in WORKFLOWS:
        assert f"`{path.name}`" in readme, f"README.md's 'Working on GitHub' does not describe {path.name}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_workflow_runs_on_pull_request_target(path: Path) -> None:
    # pull_request_target runs with a write token and secrets in the context of the base repository.
    assert "pull_request_target" not in triggers(load(path))
    assert "pull_request_target" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_explicit_and_least(path: Path) -> None:
    wf = load(path)
    assert isinstance(wf.get("permissions"), dict), "set a top-level `permissions:` mapping (not write-all/read-all)"
    levels = [wf["permissions"]]
    for name, job in jobs(wf):
        assert isinstance(job.get("permissions"), dict), f"job {name} has no explicit `permissions:` mapping"
        levels.append(job["permissions"])
    for level in levels:
        assert set(level.values()) <= {"read", "write", "none"}, level
    writes = {scope for level in levels for scope, access in level.items() if access == "write"}
    assert writes <= ALLOWED_WRITES[path.name], f"{path.name} may not write {writes - ALLOWED_WRITES[path.name]}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_nothing_that_can_write_runs_pull_request_code(path: Path) -> None:
    wf = load(path)
    on = set(triggers(wf))
    for name, job in jobs(wf):
        can_write = "write" in job["permissions"].values()
        checkouts = [s for s in job.get("steps", []) if uses(s, "actions/checkout")]
        if "pull_request" in on:
            assert not can_write, f"job {name} runs a pull request's code with a write token"
        if can_write and checkouts:
            assert not on & PULL_REQUEST_TRIGGERS, f"job {name} can write and checks out code from a pull request"
            for s in checkouts:
                ref = str(s.get("with", {}).get("ref", ""))
                assert not re.search(r"pull_request|head|workflow_run|refs/pull", ref), ref


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_run_workflows_never_check_out_code(path: Path) -> None:
    wf = load(path)
    if "workflow_run" not in triggers(wf):
        return
    for s in steps(wf):
        assert not uses(s, "actions/checkout"), "a workflow_run workflow must not check out the pull request"
        assert not re.search(r"\bgit\s+(clone|fetch|checkout|pull)\b|\bgh\s+pr\s+checkout\b", str(s.get("run", "")))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_scripts_take_values_from_env_never_from_expressions(path: Path) -> None:
    for s in steps(load(path)):
        for where, text in (("run", s.get("run")), ("script", s.get("with", {}).get("script"))):
            if text is not None:
                assert "${{" not in str(text), (
                    f"step {s.get('name') or s.get('id')!r} pastes an expression into its {where}: "
                    "pass the value through `env:` instead")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_untrusted_values_reach_steps_only_through_env(path: Path) -> None:
    for keys, value in walk(load(path)):
        if isinstance(value, str) and UNTRUSTED.search(value):
            assert len(keys) >= 2 and keys[-2] == "env", f"{'.'.join(keys)} uses {UNTRUSTED.search(value)[0]}"


def test_the_untrusted_expression_rule_catches_pull_request_text() -> None:
    for text in ("${{ github.event.pull_request.title }}", "${{ github.head_ref }}",
                 "${{ github.event.workflow_run.head_branch }}", "${{ github.event.issue.body }}"):
        assert UNTRUSTED.search(text), text
    assert not UNTRUSTED.search("${{ github.event.workflow_run.id }}")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_do_not_keep_the_token(path: Path) -> None:
    for s in steps(load(path)):
        if uses(s, "actions/checkout"):
            assert str(s.get("with", {}).get("persist-credentials")).lower() == "false"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_commit_with_its_version(path: Path) -> None:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert lines
    for line in lines:
        m = re.match(r"\s*(?:- )?uses:\s*([^@\s]+)@(\S+)\s*(#.*)?$", line)
        assert m, line
        action, ref, comment = m.groups()
        if action.startswith(("./", "docker://")):
            continue
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{action} is not pinned to a full commit SHA: {line.strip()}"
        assert comment and re.search(r"# v\d", comment), f"{action}: say the version in a comment (# v4.2.2)"


def test_pull_request_checks_run_every_check() -> None:
    wf = workflow("pull-request.yml")
    assert set(triggers(wf)) == {"pull_request"}
    scripts = "\n".join(str(s.get("run", "")) for s in steps(wf))
    for command in ("make setup", ".venv/bin/commons validate --format github", ".venv/bin/commons check-pr",
                    "make test", "make build"):
        assert command in scripts, command
    checkouts = [s for s in steps(wf) if uses(s, "actions/checkout")]
    assert checkouts and all(s["with"]["fetch-depth"] == 0 for s in checkouts)
    pythons = [s for s in steps(wf) if uses(s, "actions/setup-python")]
    assert pythons and all(s["with"]["python-version"] == "3.11" for s in pythons)
    uploaded = {s["with"]["name"]: s["with"]["path"] for s in steps(wf) if uses(s, "actions/upload-artifact")}
    assert uploaded == {"pr-comment": "pr-comment/", "site": "site/"}


FAKE_COMMONS = """#!/bin/sh
printf '%s\\n' "$@" > "$ARGS_FILE"
echo "summary" > pr-comment/pr-summary.md
exit "$FAKE_EXIT"
"""


@pytest.mark.parametrize(("check_pr_exit", "step_exit", "needs_approval"),
                         [(0, 0, False), (1, 1, False), (2, 2, False), (3, 0, True)])
def test_the_check_pr_step_passes_and_marks_a_change_needing_approval(
        tmp_path: Path, check_pr_exit: int, step_exit: int, needs_approval: bool) -> None:
    """The step's own script, run by bash as GitHub runs it, against a stand-in `commons` with a given exit."""
    script = step(workflow("pull-request.yml"), "check-pr")["run"]
    fake = tmp_path / ".venv" / "bin" / "commons"
    fake.parent.mkdir(parents=True)
    fake.write_text(FAKE_COMMONS, encoding="utf-8")
    fake.chmod(0o755)
    output = tmp_path / "github-output"
    output.touch()
    author = "x$(touch pwned); touch pwned2"  # GitHub forbids such a login; the script must not run it anyway
    env = {"PATH": "/usr/bin:/bin", "BASE_REF": "main", "PR_AUTHOR": author, "PR_NUMBER": "42",
           "GITHUB_OUTPUT": str(output), "ARGS_FILE": str(tmp_path / "args"), "FAKE_EXIT": str(check_pr_exit)}
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == step_exit, done.stderr
    assert (tmp_path / "args").read_text(encoding="utf-8").splitlines() == [
        "check-pr", "--base", "origin/main", "--head", "HEAD", "--author", author, "--format", "github",
        "--summary", "pr-comment/pr-summary.md"]
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()
    assert (tmp_path / "pr-comment" / "pr-number").read_text(encoding="utf-8") == "42\n"
    assert (tmp_path / "pr-comment" / "needs-approval").exists() == needs_approval
    assert ("needs-approval=true" in output.read_text(encoding="utf-8")) == needs_approval


def test_the_comment_workflow_follows_the_checks_and_reads_their_artifact() -> None:
    checks, comment = workflow("pull-request.yml"), workflow("pr-comment.yml")
    run = triggers(comment)["workflow_run"]
    assert run["workflows"] == [checks["name"]] and run["types"] == ["completed"]
    downloads = [s for s in steps(comment) if uses(s, "actions/download-artifact")]
    assert [s["with"]["name"] for s in downloads] == ["pr-comment"]
    assert downloads[0]["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    script = next(s["with"]["script"] for s in steps(comment) if uses(s, "actions/github-script"))
    # The number is checked as digits, then against the run's commit, before anything is posted.
    assert "/^[0-9]{1,10}$/.test(" in script and "RUN_HEAD_SHA" in script
    assert "needs-approval" in script and "needs-council-approval" in script
    assert "eval(" not in script and "new Function" not in script


def test_deploy_publishes_main_with_full_history() -> None:
    wf = workflow("deploy.yml")
    on = triggers(wf)
    assert on["push"] == {"branches": ["main"]} and "workflow_dispatch" in on
    assert wf["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert wf["concurrency"]["group"]
    assert all(s["with"]["fetch-depth"] == 0 for s in steps(wf) if uses(s, "actions/checkout"))
    assert "make build" in "\n".join(str(s.get("run", "")) for s in steps(wf))
    assert any(uses(s, "actions/upload-pages-artifact") for s in steps(wf))
    assert any(uses(s, "actions/deploy-pages") for s in steps(wf))


def lychee_excludes() -> list[re.Pattern[str]]:
    lychee = next(s for s in steps(workflow("weekly.yml")) if uses(s, "lycheeverse/lychee-action"))
    args = shlex.split(lychee["with"]["args"])
    return [re.compile(args[i + 1]) for i, arg in enumerate(args) if arg == "--exclude"]


def test_weekly_checks_run_on_a_schedule_and_report_stale_entries() -> None:
    wf = workflow("weekly.yml")
    on = triggers(wf)
    assert on["schedule"][0]["cron"] and "workflow_dispatch" in on
    scripts = "\n".join(str(s.get("run", "")) for s in steps(wf))
    assert ".venv/bin/commons stale --format markdown > report/stale.md" in scripts
    script = next(s["with"]["script"] for s in steps(wf) if uses(s, "actions/github-script"))
    assert "'Stale entries report'" in script


def test_the_link_check_skips_illustrative_addresses_only() -> None:
    excludes = lychee_excludes()
    content = "\n".join(p.read_text(encoding="utf-8") for folder in ("patterns", "case-studies", "playbooks",
                                                                       "sessions", "councils")
                        for p in sorted((REPO / folder).rglob("*")) if p.is_file())
    urls = set(re.findall(r"https?://[^\s)\"'>\]]+", content))
    illustrative = {u for u in urls if re.match(r"https?://([^/]*\.)?example(\.[a-z.]+)?(/|$|:)", u)}
    assert illustrative, "the content has no illustrative addresses to test with"
    for url in illustrative:
        assert any(x.search(url) for x in excludes), f"{url} would be checked"
    for url in ("https://hackney.gov.uk", "https://www.kent.gov.uk/waste", "https://www.localdigital.gov.uk/",
                "https://exampleton.gov.uk/", "https://github.com/council-commons/council-commons"):
        assert not any(x.search(url) for x in excludes), f"{url} would be skipped"


# --- Issue forms --------------------------------------------------------------------------------------------

TOP_LEVEL = {"name", "description", "title", "labels", "assignees", "projects", "type", "body"}
ATTRIBUTES = {
    "markdown": {"value"},
    "input": {"label", "description", "placeholder", "value"},
    "textarea": {"label", "description", "placeholder", "value", "render"},
    "dropdown": {"label", "description", "multiple", "options", "default"},
    "checkboxes": {"label", "description", "options"},
}


def parameterize(label: str) -> str:
    """How GitHub turns a label into a reference (Rails' parameterize): two labels may not give the same one."""
    return re.sub(r"[^a-z0-9_-]+", "-", label.lower()).strip("-")


def test_the_forms_on_disk_are_the_generated_ones() -> None:
    generated = form_files()
    assert {p.relative_to(REPO).as_posix() for p in FORM_PATHS} == set(generated)
    for path in FORM_PATHS:
        assert path.read_text(encoding="utf-8") == generated[path.relative_to(REPO).as_posix()], (
            f"{path.name} differs from the schema: run commons schema --write")


def test_schema_check_reports_a_form_edited_by_hand(tmp_path: Path) -> None:
    write_generated(tmp_path)
    assert check_generated(tmp_path) == []
    form = tmp_path / FORMS_DIR / "propose-a-pattern.yml"
    form.write_text(form.read_text(encoding="utf-8").replace("        - Platforms\n", ""), encoding="utf-8")
    assert check_generated(tmp_path) == [f"{FORMS_DIR}/propose-a-pattern.yml"]
    form.unlink()
    assert check_generated(tmp_path) == [f"{FORMS_DIR}/propose-a-pattern.yml"]


@pytest.mark.parametrize("path", FORM_PATHS, ids=lambda p: p.name)
def test_form_is_a_valid_github_issue_form(path: Path) -> None:
    form = load(path)
    assert set(form) <= TOP_LEVEL and {"name", "description", "body"} <= set(form)
    for key in ("name", "description", "title"):
        assert isinstance(form.get(key, "x"), str) and form.get(key, "x").strip(), key
    assert all(isinstance(label, str) and label.strip() for label in form.get("labels", []))
    body = form["body"]
    assert any(item["type"] != "markdown" for item in body), "a form needs at least one field"
    ids: list[str] = []
    labels: list[str] = []
    for i, item in enumerate(body):
        where = f"{path.name} body[{i}]"
        assert set(item) <= {"type", "id", "attributes", "validations"}, where
        assert item["type"] in ITEM_TYPES, where
        attributes = item["attributes"]
        assert set(attributes) <= ATTRIBUTES[item["type"]], f"{where}: {set(attributes) - ATTRIBUTES[item['type']]}"
        for key, value in attributes.items():
            if key in ("label", "description", "placeholder", "value", "render"):
                assert isinstance(value, str) and value.strip(), f"{where}: {key} must be a non-empty string"
        if item["type"] == "markdown":
            assert "id" not in item and "validations" not in item, where
            continue
        assert re.fullmatch(r"[A-Za-z0-9_-]+", item["id"]), where
        ids.append(item["id"])
        labels.append(attributes["label"])
        assert not re.search(r"password|token|secret", attributes["label"], re.IGNORECASE), where
        if "validations" in item:
            assert set(item["validations"]) == {"required"} and isinstance(item["validations"]["required"], bool)
        if item["type"] == "dropdown":
            options = attributes["options"]
            assert options and all(isinstance(o, str) and o.strip() for o in options), where
            assert len(set(options)) == len(options) and "none" not in {o.lower() for o in options}, where
            assert isinstance(attributes.get("multiple", False), bool)
        if item["type"] == "checkboxes":
            for option in attributes["options"]:
                assert set(option) <= {"label", "required"} and isinstance(option["label"], str), where
                labels.append(option["label"])
    assert len(set(ids)) == len(ids), f"{path.name}: ids are not unique"
    assert len(set(labels)) == len(labels), f"{path.name}: labels are not unique"
    assert len({parameterize(label) for label in labels}) == len(labels), f"{path.name}: labels too similar"


def expected_options(f: Field) -> list[str] | None:
    target = f.item if f.kind == "list" and f.item is not None else f
    if target.kind == "enum":
        for words in (SERVICE_AREAS, PATTERN_STATUSES, COMMITMENT_STATUSES):
            if tuple(words) == target.choices:
                return [words[c] for c in target.choices]
        return list(target.choices)
    if target.name == "principle":
        return [f"{n}. {text}" for n, text in PRINCIPLES.items()]
    return None


def asked(part: Part, fields: tuple[Field, ...], prefix: str, parent_required: bool
          ) -> Iterator[tuple[str, Field, bool]]:
    """Each (id, field, required) a part of a form must ask for, nested objects flattened."""
    for f in fields:
        if f.name in part.omit:
            continue
        required = parent_required and f.required and f.name not in part.optional
        if f.kind == "object":
            yield from asked(part, f.fields, f"{prefix}{f.name}-", required)
        else:
            yield prefix + f.name, f, required


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.file)
def test_form_asks_for_the_schema_fields_as_the_schema_says(form: Form) -> None:
    items = {item["id"]: item for item in load(REPO / FORMS_DIR / form.file)["body"] if "id" in item}
    expected = [row for part in form.parts for row in asked(part, part.fields, part.id_prefix, True)]
    assert len(expected) >= 5
    for item_id, f, required in expected:
        assert item_id in items, f"{form.file} does not ask for {item_id}"
        item = items[item_id]
        assert item["validations"]["required"] is required, item_id
        assert item["attributes"]["description"].startswith(f.description), item_id
        options = expected_options(f)
        if options is not None:
            assert item["type"] == "dropdown" and item["attributes"]["options"] == options, item_id
            assert item["attributes"]["multiple"] is (f.kind == "list"), item_id
        elif f.kind in ("paragraph", "list"):
            assert item["type"] == "textarea", item_id
        else:
            assert item["type"] == "input", item_id
        if options is None and f.example not in (None, [], ""):
            assert item["attributes"]["placeholder"], f"{item_id} has no example"
    for section in form.sections:
        titles = [f"{section.title}: {sub}" for sub in section.subsections] or [section.title]
        labels = {item["attributes"]["label"]: item for item in items.values()}
        for title in titles:
            assert title in labels and labels[title]["validations"]["required"] is True, title


def test_the_pattern_form_offers_every_service_area_and_the_commitment_form_every_status() -> None:
    pattern = {i.get("id"): i for i in load(REPO / FORMS_DIR / "propose-a-pattern.yml")["body"]}
    assert pattern["service-area"]["attributes"]["options"] == list(SERVICE_AREAS.values())
    assert pattern["service-area"]["validations"]["required"] is True
    commitment = {i.get("id"): i for i in load(REPO / FORMS_DIR / "update-a-commitment.yml")["body"]}
    assert commitment["update-status"]["attributes"]["options"] == list(COMMITMENT_STATUSES.values())
    assert commitment["council-code"]["attributes"]["placeholder"] == "HCK"


def test_issue_form_chooser_links_match_the_site_configuration() -> None:
    config = load(REPO / FORMS_DIR / "config.yml")
    assert isinstance(config["blank_issues_enabled"], bool)
    mkdocs = load(REPO / "mkdocs.yml")
    bases = (mkdocs["site_url"], mkdocs["extra"]["commons"]["repository"] + "/")
    assert config["contact_links"]
    for link in config["contact_links"]:
        assert set(link) == {"name", "url", "about"} and all(isinstance(v, str) and v for v in link.values())
        assert link["url"].startswith(bases), link["url"]


@pytest.mark.parametrize("doc", ["CONTRIBUTING.md", "docs/contribute/index.md"])
def test_contributor_docs_name_every_form(doc: str) -> None:
    text = (REPO / doc).read_text(encoding="utf-8")
    for form in FORMS:
        assert form.name in text, f"{doc} does not mention the form {form.name!r}"
    assert "needs-council-approval" in text


def test_contributing_points_to_the_problem_codes() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "docs/contribute/problems.md" in text and "/contribute/problems/" in text
    assert "commons new" in text and "commons validate" in text and "pre-commit install" in text


# --- Other community files ----------------------------------------------------------------------------------


def test_pre_commit_validates_staged_content_and_lints_the_tooling() -> None:
    config = load(REPO / ".pre-commit-config.yaml")
    hooks = {h["id"]: h for repo in config["repos"] if repo["repo"] == "local" for h in repo["hooks"]}
    validate = hooks["commons-validate"]
    assert validate["entry"] == ".venv/bin/commons validate" and validate["language"] == "system"
    files = re.compile(validate["files"])
    for path in ("patterns/report-a-missed-bin.md", "case-studies/x.md", "playbooks/x.md",
                 "sessions/ukgovcamp-2026/x.md", "councils/hackney/declaration.yml"):
        assert files.search(path), path
    for path in ("scripts/commons/cli.py", "docs/index.md", "README.md", "mkdocs.yml", "tests/golden/x/patterns/a.md"):
        assert not files.search(path), path
    assert hooks["ruff"]["entry"].startswith(".venv/bin/ruff check") and hooks["ruff"]["language"] == "system"


def test_pull_request_template_is_a_checklist_for_council_officers() -> None:
    text = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert len(re.findall(r"^- \[ \] ", text, re.MULTILINE)) >= 4
    assert "commons validate" in text and "own council" in text and "evidence" in text


def test_code_of_conduct_says_how_to_report() -> None:
    text = (REPO / "CODE_OF_CONDUCT.md").read_text(encoding="utf-8")
    assert "## How to report" in text and "Report content" in text
    assert re.search(r"`conduct@[^`]+`\.\s+\*To be set:\*", text), "the mailbox placeholder must say it is to be set"
