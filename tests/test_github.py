"""The GitHub side of the project: workflows that keep untrusted pull requests away from write tokens, and issue
forms that are valid GitHub forms generated from the one schema."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from commons.commands.schema.codeowners import CODEOWNERS
from commons.commands.schema.files import check_generated, write_generated
from commons.commands.schema.forms import FORMS, FORMS_DIR, ITEM_TYPES, Form, Part, form_files
from commons.content.field_types import Field
from commons.content.schema import CONTENT_FOLDERS
from commons.content.vocabulary import (
    COMMITMENT_STATUSES,
    OPEN_API,
    PATTERN_STATUSES,
    PRINCIPLES,
    SERVICE_AREAS,
    SYSTEM_CATEGORIES,
)
from conftest import REPO
from github_script import run_script

Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
FORM_PATHS = sorted(p for p in (REPO / FORMS_DIR).glob("*.y*ml") if p.name != "config.yml")

# The only write scopes each workflow may hold. Anything that runs a pull request's code gets none.
ALLOWED_WRITES = {
    "pull-request.yml": set(),
    "pull-request-review.yml": set(),
    "pr-comment.yml": {"pull-requests", "issues", "statuses"},
    "issue-to-pr.yml": {"contents", "pull-requests", "issues"},
    "deploy.yml": {"pages", "id-token"},
    "weekly.yml": {"issues"},
    "sources.yml": {"contents", "pull-requests", "issues"},
}
# Triggers whose workflows act on something an outsider controls (their code, or its results).
PULL_REQUEST_TRIGGERS = {"pull_request", "pull_request_target", "workflow_run"}
# Expressions an outsider writes: they may reach a step only as an environment variable. The commit ids and the
# numbers GitHub gives a pull request or an issue are not the outsider's words, and may name what to check out.
UNTRUSTED = re.compile(
    r"github\.head_ref|github\.event\.(pull_request(?!\.(head\.sha|base\.sha|number)\b)|issue(?!\.number\b)|comment|review"
    r"|review_comment|head_commit|commits|discussion|workflow_run\.(head_branch|head_commit|display_title"
    r"|pull_requests))\b[.\w\[\]*]*"
)
# The folders the verdict jobs check out: the trusted tooling, and the pull request's files, read as data.
TOOLS, HEAD = "tools", "pr"


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


def head_checkouts(job: dict[str, Any]) -> list[dict[str, Any]]:
    """The job's checkouts of a pull request's commit: any with a ref, other than the base branch's commit."""
    return [s for s in job.get("steps", []) if uses(s, "actions/checkout") and s.get("with", {}).get("ref")
            and "base.sha" not in str(s["with"]["ref"])]


def runs_nothing_from(job: dict[str, Any], folder: str) -> None:
    """No step of the job runs, installs, sources or enters anything in `folder`: it appears in commands only as
    the folder check-pr and validate read (`--root folder`)."""
    for s in job.get("steps", []):
        assert folder not in str(s.get("working-directory", "")), s
        script = str(s.get("run", ""))
        words = shlex.split(script.replace("\\\n", " "), comments=True)
        for i, word in enumerate(words):
            if word == folder or word.startswith((f"{folder}/", f"./{folder}", f"-C{folder}")):
                assert i > 0 and words[i - 1] == "--root", f"{word!r} in: {script}"
        assert not re.search(r"\bcd\b|\bpushd\b|\bsource\b", script), script
        assert not str(s.get("uses", "")).startswith(("./", f"{folder}/")), s  # no action from a checkout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_run_workflows_read_pull_requests_as_data_only(path: Path) -> None:
    wf = load(path)
    if "workflow_run" not in triggers(wf):
        return
    for name, job in jobs(wf):
        can_write = "write" in job["permissions"].values()
        checkouts = [s for s in job.get("steps", []) if uses(s, "actions/checkout")]
        if can_write:  # a job that can write checks out nothing and runs no shell at all
            assert not checkouts, f"job {name} can write and checks out code"
            assert not any("run" in s for s in job.get("steps", [])), f"job {name} can write and runs commands"
            continue
        for s in head_checkouts(job):
            assert s["with"]["path"] == HEAD and s["with"]["persist-credentials"] is False, s
        runs_nothing_from(job, HEAD)
        for s in job.get("steps", []):
            assert not re.search(r"\bgh\s+pr\s+checkout\b|\bgit\s+(pull|checkout|switch)\b", str(s.get("run", "")))


def test_the_data_only_rule_catches_running_the_pull_requests_code() -> None:
    for script in ("make -C pr test", "pr/.venv/bin/commons check-pr", "cd pr && make", "bash pr/x.sh",
                   "python pr/setup.py", "source pr/env", "pip install -e ./pr", "make -Cpr build"):
        with pytest.raises(AssertionError):
            runs_nothing_from({"steps": [{"run": script}]}, HEAD)
    with pytest.raises(AssertionError):
        runs_nothing_from({"steps": [{"uses": "./pr/.github/actions/x"}]}, HEAD)
    runs_nothing_from({"steps": [{"run": "tools/.venv/bin/commons check-pr --root pr --base x"}]}, HEAD)


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
                 "${{ github.event.workflow_run.head_branch }}", "${{ github.event.issue.body }}",
                 "${{ github.event.pull_request.head.ref }}", "${{ github.event.pull_request.head.sha_x }}",
                 "${{ github.event.pull_request.user.login }}", "${{ github.event.pull_request.base.ref }}"):
        assert UNTRUSTED.search(text), text
    for text in ("${{ github.event.workflow_run.id }}", "${{ github.event.pull_request.head.sha }}",
                 "${{ github.event.pull_request.base.sha }}", "${{ github.event.pull_request.number }}"):
        assert not UNTRUSTED.search(text), text


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_do_not_keep_the_token(path: Path) -> None:
    for s in steps(load(path)):
        if uses(s, "actions/checkout"):
            assert str(s.get("with", {}).get("persist-credentials")).lower() == "false"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_commit_with_its_version(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert lines or "uses:" not in text
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
    for command in ("make -C tools setup", "tools/.venv/bin/commons validate --root pr --format github",
                    "tools/.venv/bin/commons check-pr --root pr", "make test", "make build"):
        assert command in scripts, command
    pythons = [s for s in steps(wf) if uses(s, "actions/setup-python")]
    assert pythons and all(s["with"]["python-version"] == "3.11" for s in pythons)
    uploaded = {s["with"]["name"]: s["with"]["path"] for s in steps(wf) if uses(s, "actions/upload-artifact")}
    assert uploaded == {"site": "preview/"}  # nothing this workflow makes is used for the verdict


def test_the_check_job_runs_only_the_base_branchs_tools_on_the_pull_requests_files() -> None:
    """The tooling is checked out from the base commit into tools/, the pull request's commit into pr/ (with
    history, for the merge-base), and check-pr runs from tools/ with --root pr. No step runs anything in pr/."""
    wf = workflow("pull-request.yml")
    job = wf["jobs"]["check"]
    checkouts = [s["with"] for s in job["steps"] if uses(s, "actions/checkout")]
    assert checkouts == [
        {"ref": "${{ github.event.pull_request.base.sha }}", "path": TOOLS, "persist-credentials": False},
        {"ref": "${{ github.event.pull_request.head.sha }}", "path": HEAD, "fetch-depth": 0,
         "persist-credentials": False}]
    runs_nothing_from(job, HEAD)
    lines = [line for s in job["steps"] for line in str(s.get("run", "")).replace("\\\n", " ").splitlines()]
    commands = [shlex.split(line)[0] for line in lines if line.strip() and not line.startswith(" ")]
    assert set(commands) <= {"make", "tools/.venv/bin/commons", "status=0", "if", "fi", "exit"}, commands
    assert "tools/.venv/bin/commons" in commands and "make" in commands
    # The other jobs run the pull request's own code, with a read-only token, and nothing they make is used.
    for name, other in jobs(wf):
        if name != "check":
            assert other["permissions"] == {"contents": "read"}
            assert not any("check-pr" in str(s.get("run", "")) for s in other["steps"])


FAKE_COMMONS = """#!/bin/sh
printf '%s\\n' "$@" > "$ARGS_FILE"
echo "summary" > pr-summary.md
exit "$FAKE_EXIT"
"""


@pytest.mark.parametrize(("check_pr_exit", "step_exit", "needs_approval"),
                         [(0, 0, False), (1, 1, False), (2, 2, False), (3, 0, True)])
def test_the_check_pr_step_passes_and_marks_a_change_needing_approval(
        tmp_path: Path, check_pr_exit: int, step_exit: int, needs_approval: bool) -> None:
    """The step's own script, run by bash as GitHub runs it, against a stand-in `commons` with a given exit."""
    script = step(workflow("pull-request.yml"), "check-pr")["run"]
    fake = tmp_path / TOOLS / ".venv" / "bin" / "commons"
    fake.parent.mkdir(parents=True)
    fake.write_text(FAKE_COMMONS, encoding="utf-8")
    fake.chmod(0o755)
    summary = tmp_path / "step-summary"
    summary.touch()
    author = "x$(touch pwned); touch pwned2"  # GitHub forbids such a login; the script must not run it anyway
    env = {"PATH": "/usr/bin:/bin", "BASE_SHA": "a" * 40, "PR_AUTHOR": author, "GITHUB_STEP_SUMMARY": str(summary),
           "ARGS_FILE": str(tmp_path / "args"), "FAKE_EXIT": str(check_pr_exit)}
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == step_exit, done.stderr
    assert (tmp_path / "args").read_text(encoding="utf-8").splitlines() == [
        "check-pr", "--root", HEAD, "--base", "a" * 40, "--head", "HEAD", "--author", author, "--format", "github",
        "--summary", "pr-summary.md"]
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()
    assert summary.read_text(encoding="utf-8") == "summary\n"
    assert ("title=Needs approval::" in done.stdout) == needs_approval


def test_the_comment_workflow_works_the_verdict_out_again_with_the_default_branchs_tools() -> None:
    checks, reviews = workflow("pull-request.yml"), workflow("pull-request-review.yml")
    comment = workflow("pr-comment.yml")
    run = triggers(comment)["workflow_run"]
    assert run["workflows"] == [checks["name"], reviews["name"]] and run["types"] == ["completed"]
    assert set(triggers(reviews)) == {"pull_request_review"} and reviews["permissions"] == {}
    assert [s.get("uses") for s in steps(reviews)] == [None]  # it only finishes: nothing in it is trusted
    assert comment["permissions"] == {}
    assert list(comment["jobs"]) == ["preview", "verdict", "comment"]
    preview, verdict, post = (comment["jobs"][name] for name in ("preview", "verdict", "comment"))
    # The preview: artifacts only, files only, deployed with a secret that only curl's step holds.
    assert preview["permissions"] == {"actions": "read"} and not head_checkouts(preview)
    deploy = step(comment, "deploy")
    assert "! -type f ! -type d" in deploy["run"] and "NETLIFY_AUTH_TOKEN" in deploy["env"]
    assert verdict["needs"] == "preview"
    assert '--preview-url "$PREVIEW_URL"' in step(comment, "check-pr")["run"]
    approval = step(comment, "approval")["run"]
    assert "tools/.venv/bin/commons approval --root pr " in approval and "--reviews inputs/reviews.json" in approval
    # The verdict: the default branch's tooling (no ref), the pull request's commit as data, a read-only token.
    assert verdict["permissions"] == {"contents": "read", "pull-requests": "read"}
    checkouts = [s["with"] for s in verdict["steps"] if uses(s, "actions/checkout")]
    assert checkouts == [
        {"path": TOOLS, "persist-credentials": False},
        {"ref": "${{ steps.pr.outputs.head-sha }}", "path": HEAD, "fetch-depth": 0, "persist-credentials": False}]
    runs_nothing_from(verdict, HEAD)
    script = step(comment, "check-pr")["run"]
    assert "tools/.venv/bin/commons check-pr --root pr " in script and '--author "$PR_AUTHOR"' in script
    assert not any(uses(s, "actions/download-artifact") for s in verdict["steps"])  # nothing from the checks' run
    assert not any(uses(s, "actions/setup-python") and "cache" in s["with"] for s in verdict["steps"])
    find = step(comment, "pr")["with"]["script"]
    assert "/^[0-9a-f]{40}$/.test(sha)" in find and "p.head.sha === sha" in find
    # A bot's pull request from an issue form is checked for the issue's author, and only a bot's from this repository.
    assert "pr.user.type === 'Bot'" in find and "pr.head.repo.full_name === `${owner}/${repo}`" in find
    assert "issue.user.login" in find and "listReviews" in find
    assert [u["with"]["name"] for u in verdict["steps"] if uses(u, "actions/upload-artifact")] == ["verdict"]
    # The comment: this run's verdict only; no checkout, no shell.
    assert post["needs"] == "verdict"
    assert post["permissions"] == {"pull-requests": "write", "issues": "write", "statuses": "write"}
    assert [str(s.get("uses", "")).split("@")[0] for s in post["steps"]] == ["actions/download-artifact",
                                                                             "actions/github-script"]
    assert post["steps"][0]["with"] == {"name": "verdict", "path": "verdict"}  # no run-id: this run's artifact
    script = post["steps"][1]["with"]["script"]
    assert "pr.head.sha !== sha" in script and "needs-council-approval" in script and "createCommitStatus" in script
    assert "eval(" not in script and "new Function" not in script


COMMENT_GITHUB = r"""{
  paginate: async (fn, args) => { calls.push([fn, args]); return state.comments; },
  rest: {
    pulls: { get: async () => ({ data: state.pr }) },
    issues: { listComments: 'listComments', updateComment: record('updateComment'),
              createComment: record('createComment'), addLabels: record('addLabels'),
              removeLabel: record('removeLabel') },
    repos: { createCommitStatus: record('createCommitStatus') },
  },
}"""


def comment_script(tmp_path: Path, github: dict[str, Any], **env: str) -> list[list[Any]]:
    """Run the comment job's script by Node against a stand-in GitHub holding `github`, with the job's environment
    (a pull request #12 at b…b by default); the calls it made (skipped where Node is not installed)."""
    if "approval" in github:  # what the verdict job's artifact holds
        (tmp_path / "verdict").mkdir(exist_ok=True)
        (tmp_path / "verdict" / "approval.json").write_text(github["approval"], encoding="utf-8")
    post = workflow("pr-comment.yml")["jobs"]["comment"]
    full = {"PR_NUMBER": "12", "HEAD_SHA": "b" * 40, "TRIGGER": "pull_request", "RUN_CONCLUSION": "success",
            "RUN_URL": "https://github.example/run/1", "VERDICT_URL": "https://github.example/run/2", **env}
    calls = run_script(tmp_path, post["steps"][1]["with"]["script"], COMMENT_GITHUB, github, full)["calls"]
    assert isinstance(calls, list)
    return calls


@pytest.mark.parametrize(("exit_code", "labelled", "state", "label_call"), [
    ("0", True, "success", "removeLabel"), ("3", False, "success", "addLabels"), ("3", True, "success", None),
    ("1", False, "failure", None), ("", True, "error", "removeLabel"), ("2", False, "error", None),
    ("3; rm -rf /", False, "error", None)])
def test_the_comment_script_posts_what_the_verdict_job_found(tmp_path: Path, exit_code: str, labelled: bool,
                                                            state: str, label_call: str | None) -> None:
    """The comment job's script, run by Node against a stand-in GitHub."""
    (tmp_path / "verdict").mkdir()
    (tmp_path / "verdict" / "pr-summary.md").write_text("## Council Commons check\n", encoding="utf-8")
    sha = "b" * 40
    github = {"pr": {"head": {"sha": sha}, "labels": [{"name": "needs-council-approval"}] if labelled else []},
              "comments": [{"id": 7, "user": {"login": "github-actions[bot]"},
                            "body": "<!-- council-commons-check -->"}]}

    def run(**env: str) -> list[list[Any]]:
        return comment_script(tmp_path, github, EXIT_CODE=exit_code, **env)

    calls = run()
    assert [name for name, _ in calls] == ["createCommitStatus", "listComments", "updateComment",
                                           *([label_call] if label_call else []), "createCommitStatus"]
    status = calls[-1][1]
    assert (status["state"], status["sha"], status["context"]) == (state, sha, "Council Commons verdict")
    approval = calls[0][1]
    assert (approval["context"], approval["state"]) == ("Council approval", "error")  # no answer: not approved
    body = calls[2][1]["body"]
    assert body.startswith("<!-- council-commons-check -->\n**") and body.endswith("\n## Council Commons check\n")
    # A pull request that has moved on since is left alone: the newer run comments on it.
    assert [name for name, _ in run(HEAD_SHA="c" * 40)] == ["warning"]


@pytest.mark.parametrize(("exit_code", "answer", "state"), [
    ("0", {"state": "success", "description": "Approved by Hackney (@hackney-digital)"}, "success"),
    ("3", {"state": "failure", "description": "Waiting for Hackney (@hackney-digital)"}, "failure"),
    ("0", {"state": "failure", "description": "Waiting"}, "failure"),  # exit code and answer must both say so
    ("3", {"state": "success", "description": "x"}, "failure"),
    ("0", "not json", "error"), ("", None, "error"),
    ("0", {"state": "success", "description": "y" * 500}, "success")])
@pytest.mark.parametrize("trigger", ["pull_request", "pull_request_review"])
def test_the_comment_script_sets_the_council_approval_status(tmp_path: Path, exit_code: str, answer: Any, state: str,
                                                             trigger: str) -> None:
    """The Council approval status passes only when the approval the default branch's tooling worked out says so;
    after a review only the status changes, after the checks the comment is posted too."""
    sha = "b" * 40
    github: dict[str, Any] = {"pr": {"head": {"sha": sha}, "labels": []}, "comments": []}
    if answer is not None:
        github["approval"] = answer if isinstance(answer, str) else json.dumps(answer)
    calls = comment_script(tmp_path, github, EXIT_CODE="3", APPROVAL_EXIT_CODE=exit_code, TRIGGER=trigger)
    statuses = [args for name, args in calls if name == "createCommitStatus"]
    approval = statuses[0]
    assert (approval["context"], approval["state"], approval["sha"]) == ("Council approval", state, sha)
    assert 0 < len(approval["description"]) <= 140
    if isinstance(answer, dict):
        assert approval["description"] == answer["description"][:140]
    if trigger == "pull_request":
        assert [s["context"] for s in statuses] == ["Council approval", "Council Commons verdict"]
        assert "createComment" in [name for name, _ in calls]
    else:
        assert len(statuses) == 1 and not any(name in ("createComment", "updateComment") for name, _ in calls)


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
    shutil.copyfile(REPO / "MAINTAINERS.yml", tmp_path / "MAINTAINERS.yml")  # CODEOWNERS is made from it
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
        for words in (SERVICE_AREAS, PATTERN_STATUSES, COMMITMENT_STATUSES, SYSTEM_CATEGORIES, OPEN_API):
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
    hosted = [repo for repo in config["repos"] if repo["repo"] == "https://github.com/astral-sh/ruff-pre-commit"]
    assert len(hosted) == 1 and [h["id"] for h in hosted[0]["hooks"]] == ["ruff"]
    pinned = re.search(r"^ruff==(\S+)$", (REPO / "constraints.txt").read_text(encoding="utf-8"), re.MULTILINE)
    assert pinned and hosted[0]["rev"] == f"v{pinned[1]}", "the hosted ruff hook must run the ruff make test runs"
    assert re.compile(hosted[0]["hooks"][0]["files"]).search("scripts/commons/cli.py")


def test_dependabot_watches_python_packages_and_actions() -> None:
    config = load(REPO / ".github" / "dependabot.yml")
    assert config["version"] == 2
    assert {u["package-ecosystem"]: u["directory"] for u in config["updates"]} == {"pip": "/", "github-actions": "/"}


def test_the_build_backend_is_pinned() -> None:
    import tomllib

    requires = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    assert requires and all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", r) for r in requires), requires


def test_pull_request_template_is_a_checklist_for_council_officers() -> None:
    text = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert len(re.findall(r"^- \[ \] ", text, re.MULTILINE)) >= 4
    assert "commons validate" in text and "own council" in text and "evidence" in text


def test_code_of_conduct_says_how_to_report() -> None:
    text = (REPO / "CODE_OF_CONDUCT.md").read_text(encoding="utf-8")
    assert "## How to report" in text and "Report content" in text
    assert re.search(r"`conduct@[^`]+`\.\s+\*To be set:\*", text), "the mailbox placeholder must say it is to be set"


def _code_owners(lines: list[list[str]], path: str) -> list[str]:
    """The owners GitHub gives `path` from CODEOWNERS lines of the shapes the file uses (`*`, `/folder/`):
    the last matching line wins, and a line without owners gives none."""
    owners: list[str] = []
    for pattern, *names in lines:
        if pattern == "*" or (pattern.startswith("/") and pattern.endswith("/") and path.startswith(pattern[1:])):
            owners = names
    return owners


def test_codeowners_gives_the_tooling_to_maintainers_yml_and_each_council_folder_to_its_maintainers() -> None:
    """Read as GitHub reads it, against MAINTAINERS.yml and the council files read here with plain YAML."""
    lines = [line.split() for line in (REPO / CODEOWNERS).read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert all(w.startswith("@") for line in lines for w in line[1:])
    commons = [f"@{m['github']}" for m in load(REPO / "MAINTAINERS.yml")["maintainers"]]
    assert len(commons) >= 2  # a maintainer of the commons always has another to approve their change
    for path in ("scripts/commons/cli.py", ".github/workflows/pr-comment.yml", "MAINTAINERS.yml", ".github/CODEOWNERS",
                 "docs/index.md", "data/uk-local-authorities.csv", "Makefile"):
        assert _code_owners(lines, path) == commons, path
    for folder in CONTENT_FOLDERS:
        assert _code_owners(lines, f"{folder}/anything.md") == [], folder
    councils = sorted(p.parent.name for p in (REPO / "councils").glob("*/council.yml"))
    assert len(councils) >= 10
    for slug in councils:
        mine = [f"@{h}" for h in load(REPO / "councils" / slug / "council.yml").get("maintainers") or []]
        expected = mine + [h for h in commons if h.lower() not in {m.lower() for m in mine}] if mine else []
        for name in ("council.yml", "declaration.yml"):
            assert _code_owners(lines, f"councils/{slug}/{name}") == expected, slug
    assert _code_owners(lines, "councils/nowhere/council.yml") == []


def test_codeowners_is_generated_and_schema_check_catches_a_hand_edit(tmp_path: Path, cli: Any) -> None:
    for rel in ("MAINTAINERS.yml", CODEOWNERS, "data/uk-local-authorities.csv"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / rel, tmp_path / rel)
    shutil.copytree(REPO / "councils", tmp_path / "councils")
    write_generated(tmp_path)  # the other generated files, so only CODEOWNERS is in question
    assert cli("--root", str(tmp_path), "schema", "--check").code == 0
    codeowners = tmp_path / CODEOWNERS
    codeowners.write_text(codeowners.read_text(encoding="utf-8") + "/councils/hackney/ @mallory\n", encoding="utf-8")
    result = cli("--root", str(tmp_path), "schema", "--check")
    assert (result.code, result.err.splitlines()[0]) == (
        1, ".github/CODEOWNERS: out of date with MAINTAINERS.yml and the councils' maintainers")
    assert check_generated(tmp_path) == [CODEOWNERS]
