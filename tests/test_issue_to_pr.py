"""The "Issue form to pull request" workflow (.github/workflows/issue-to-pr.yml): its scripts run as GitHub runs
them (Node for the github-script steps, against a stand-in GitHub that records each call; bash for the shell
step, with the real `commons from-issue` on a real git clone), with issue bodies and names that try to escape."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO
from github_script import needs_node, run_script, step_script, workflow_steps

WORKFLOW = REPO / ".github" / "workflows" / "issue-to-pr.yml"
GITHUB = r"""{
  paginate: async (fn, args) => { calls.push(['paginate', args]); return state.comments || []; },
  rest: {
    issues: { listComments: 'listComments', createComment: record('createComment'),
              updateComment: record('updateComment') },
    repos: { get: record('repos.get', { default_branch: 'main' }) },
    git: { getRef: async (args) => {
             calls.push(['getRef', args]);
             const fail = (status) => { const e = new Error(String(status)); e.status = status; throw e; };
             if (state.missing && args.ref !== 'heads/main') fail(404);
             return { data: { object: { sha: 'a'.repeat(40) } } };
           },
           getCommit: record('getCommit', { tree: { sha: 't'.repeat(40) } }),
           createBlob: record('createBlob', { sha: 'b'.repeat(40) }),
           createTree: record('createTree', { sha: 'e'.repeat(40) }),
           createCommit: record('createCommit', { sha: 'c'.repeat(40) }),
           updateRef: record('updateRef'), createRef: record('createRef') },
    pulls: { list: record('pulls.list', state.open || []), create: record('pulls.create', { number: 41 }),
             update: record('pulls.update', { number: state.open && state.open[0] ? state.open[0].number : 0 }) },
  },
}"""


def workflow() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def step(step_id: str) -> dict[str, Any]:
    found = [s for s in workflow_steps(WORKFLOW) if s.get("id") == step_id]
    assert len(found) == 1, step_id
    return found[0]


def node_script(tmp_path: Path, step_id: str, state: dict[str, Any], env: dict[str, str] | None = None
                ) -> dict[str, Any]:
    return run_script(tmp_path, step_script(WORKFLOW, step_id), GITHUB, state, env)


def names(result: dict[str, Any]) -> list[str]:
    return [name for name, _ in result["calls"]]


HOSTILE_BODY = ("### Title\r\n\r\nReport a missed bin $(touch pwned) `touch pwned2` ${{ github.token }}\r\n\r\n"
                "### Summary\r\n\r\n'; rm -rf / #\r\n")


def issue_payload(action: str = "opened", sender: str = "hackney-digital", labels: tuple[str, ...] = (
        "pattern", "form/propose-a-pattern"), body: str | None = HOSTILE_BODY, **issue: Any) -> dict[str, Any]:
    return {"action": action, "sender": {"login": sender},
            "issue": {"number": 17, "state": "open", "body": body, "user": {"login": "hackney-digital", "type": "User"},
                      "labels": [{"name": n} for n in labels], **issue}}


# --- Reading the issue ------------------------------------------------------------------------------------------


def test_the_workflow_runs_on_issues_and_holds_write_access_only_where_nothing_is_checked_out() -> None:
    wf = workflow()
    on = wf["on"] if "on" in wf else wf[True]
    assert on == {"issues": {"types": ["opened", "edited"]}} and wf["permissions"] == {}
    convert, propose = wf["jobs"]["convert"], wf["jobs"]["propose"]
    assert convert["permissions"] == {"contents": "read"}
    assert propose["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    assert not any("run" in s or str(s.get("uses", "")).startswith("actions/checkout") for s in propose["steps"])
    # The answers reach the tooling only as a file written by script: never the shell, never an expression.
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "issue.body" not in text.replace("issue.body === 'string' ? issue.body", "")
    assert "github.event.issue.body" not in text and "github.event.issue.title" not in text


@needs_node
def test_the_answers_are_written_to_a_file_exactly_as_github_sent_them(tmp_path: Path) -> None:
    result = node_script(tmp_path, "issue", {"payload": issue_payload()})
    assert result["outputs"] == {"form": "propose-a-pattern", "number": "17", "author": "hackney-digital"}
    assert (tmp_path / "issue" / "body.md").read_bytes() == HOSTILE_BODY.encode()
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()


@needs_node
@pytest.mark.parametrize("payload", [
    issue_payload(action="edited", sender="someone-else"),  # only the author's own answers become their change
    issue_payload(labels=("pattern",)),  # not opened with a form
    issue_payload(labels=("form/propose-a-pattern", "form/add-a-case-study")),  # which one?
    issue_payload(labels=("form/../../x",)),
    issue_payload(pull_request={"url": "x"}),
    issue_payload(state="closed"),
    issue_payload(user={"login": "some-bot", "type": "Bot"}),
], ids=["edited-by-another", "no-form", "two-forms", "odd-label", "pull-request", "closed", "bot"])
def test_nothing_is_done_for_an_issue_that_is_not_a_persons_form(tmp_path: Path, payload: dict[str, Any]) -> None:
    result = node_script(tmp_path, "issue", {"payload": payload})
    assert result["outputs"] == {} and names(result) == ["notice"]
    assert not (tmp_path / "issue" / "body.md").exists()


@needs_node
def test_an_edit_by_the_author_and_an_empty_body_are_read(tmp_path: Path) -> None:
    result = node_script(tmp_path, "issue", {"payload": issue_payload(action="edited", body=None)})
    assert result["outputs"]["form"] == "propose-a-pattern"
    assert (tmp_path / "issue" / "body.md").read_bytes() == b""


# --- Turning the answers into files --------------------------------------------------------------------------------

FAKE_FROM_ISSUE = """#!/bin/sh
printf '%s\\n' "$@" > "$ARGS_FILE"
if [ "$FAKE_EXIT" = 0 ]; then
  mkdir -p tools/patterns && printf 'new\\n' > tools/patterns/report-a-missed-bin.md
  printf 'changed\\n' >> tools/README.md
fi
printf 'summary\\n' > issue/summary.md
exit "$FAKE_EXIT"
"""


def clone_like_checkout(tmp_path: Path) -> Path:
    tools = tmp_path / "tools"
    tools.mkdir()
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    (tools / "README.md").write_text("readme\n", encoding="utf-8")
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "base"]):
        subprocess.run(["git", "-C", str(tools), *args], check=True, env=env)
    return tools


@pytest.mark.parametrize("exit_code", [0, 1, 2])
def test_the_convert_step_keeps_the_files_from_issue_wrote(tmp_path: Path, exit_code: int) -> None:
    tools = clone_like_checkout(tmp_path)
    fake = tools / ".venv" / "bin" / "commons"
    fake.parent.mkdir(parents=True)
    fake.write_text(FAKE_FROM_ISSUE, encoding="utf-8")
    fake.chmod(0o755)
    (tools / ".git" / "info" / "exclude").write_text(".venv/\n", encoding="utf-8")
    (tmp_path / "issue" / "files").mkdir(parents=True)
    output = tmp_path / "output"
    output.touch()
    author = "x$(touch pwned)"  # GitHub forbids such a login; the script must not run it anyway
    env = {"PATH": "/usr/bin:/bin", "FORM": "propose-a-pattern; touch pwned2", "AUTHOR": author, "NUMBER": "17",
           "GITHUB_OUTPUT": str(output), "ARGS_FILE": str(tmp_path / "args"), "FAKE_EXIT": str(exit_code),
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step("convert")["run"]],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "args").read_text(encoding="utf-8").splitlines() == [
        "from-issue", "--root", "tools", "--form", "propose-a-pattern; touch pwned2", "--body", "issue/body.md",
        "--author", author, "--issue", "17", "--summary", "issue/summary.md", "--title", "issue/title.txt"]
    assert output.read_text(encoding="utf-8") == f"exit-code={exit_code}\n"
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()
    kept = sorted(p.relative_to(tmp_path / "issue" / "files").as_posix()
                  for p in (tmp_path / "issue" / "files").rglob("*") if p.is_file())
    if exit_code == 0:
        assert (tmp_path / "issue" / "paths").read_bytes() == b"README.md\0patterns/report-a-missed-bin.md\0"
        assert kept == ["README.md", "patterns/report-a-missed-bin.md"]
    else:
        assert kept == [] and not (tmp_path / "issue" / "paths").exists()


# --- Proposing the change ----------------------------------------------------------------------------------------

PROPOSE_ENV = {"ISSUE_NUMBER": "17", "AUTHOR": "hackney-digital", "EXIT_CODE": "0",
               "RUN_URL": "https://github.example/run/3"}


def change(tmp_path: Path, files: dict[str, str], summary: str = "## New pattern\n\nCloses #17\n",
           title: str = "New pattern: Report a missed bin\nsecond line") -> None:
    root = tmp_path / "change"
    (root / "files").mkdir(parents=True)
    (root / "summary.md").write_text(summary, encoding="utf-8")
    (root / "title.txt").write_text(title, encoding="utf-8")
    (root / "paths").write_bytes(b"".join(p.encode() + b"\0" for p in files))
    for path, text in files.items():
        target = root / "files" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


@needs_node
def test_a_new_change_becomes_one_commit_on_the_issues_branch_and_one_pull_request(tmp_path: Path) -> None:
    change(tmp_path, {"patterns/report-a-missed-bin.md": "---\ntitle: x\n---\n",
                      "councils/hackney/declaration.yml": "commitments: []\n"})
    result = node_script(tmp_path, "propose", {}, PROPOSE_ENV)
    calls = dict(result["calls"][::-1])  # the first call of each name
    assert names(result).count("createBlob") == 2
    tree = calls["createTree"]
    assert tree["base_tree"] == "t" * 40 and [t["path"] for t in tree["tree"]] == [
        "patterns/report-a-missed-bin.md", "councils/hackney/declaration.yml"]
    assert all(t["mode"] == "100644" and t["type"] == "blob" for t in tree["tree"])
    commit = calls["createCommit"]
    assert commit["parents"] == ["a" * 40] and commit["message"].startswith("New pattern: Report a missed bin\n\n")
    assert "updateRef" in names(result) and calls["updateRef"]["force"] is True
    assert calls["updateRef"]["ref"] == "heads/issue-forms/issue-17"
    created = calls["pulls.create"]
    assert (created["head"], created["base"], created["title"]) == (
        "issue-forms/issue-17", "main", "New pattern: Report a missed bin")
    assert created["body"] == "## New pattern\n\nCloses #17"
    assert calls["createComment"]["issue_number"] == 17 and "#41" in calls["createComment"]["body"]
    assert result["outputs"] == {"pull-request": "41"}


@needs_node
def test_an_edited_issue_updates_its_pull_request(tmp_path: Path) -> None:
    change(tmp_path, {"patterns/report-a-missed-bin.md": "new\n"})
    comments = [{"id": 9, "user": {"type": "Bot"}, "body": "<!-- council-commons-issue-form -->\nold"}]
    result = node_script(tmp_path, "propose", {"open": [{"number": 33}], "comments": comments}, PROPOSE_ENV)
    assert "pulls.create" not in names(result) and "createComment" not in names(result)
    calls = dict(result["calls"][::-1])
    assert calls["pulls.update"]["pull_number"] == 33 and calls["updateComment"]["comment_id"] == 9


@needs_node
def test_the_first_change_for_an_issue_creates_its_branch(tmp_path: Path) -> None:
    change(tmp_path, {"patterns/report-a-missed-bin.md": "new\n"})
    result = node_script(tmp_path, "propose", {"missing": True}, PROPOSE_ENV)
    calls = dict(result["calls"][::-1])
    assert "updateRef" not in names(result)
    assert calls["createRef"] == {"owner": "o", "repo": "r", "ref": "refs/heads/issue-forms/issue-17", "sha": "c" * 40}
    assert "pulls.create" in names(result)


@needs_node
@pytest.mark.parametrize("paths", [
    {"scripts/commons/cli.py": "x"}, {".github/workflows/x.yml": "x"}, {"patterns/../Makefile.md": "x"},
    {"patterns/UPPER.md": "x"}, {}, {f"patterns/p{i}.md": "x" for i in range(21)}],
    ids=["tooling", "workflow", "climbs-out", "odd-name", "nothing", "too-many"])
def test_files_outside_the_content_folders_are_never_committed(tmp_path: Path, paths: dict[str, str]) -> None:
    change(tmp_path, paths)
    result = node_script(tmp_path, "propose", {}, PROPOSE_ENV)
    assert names(result) == ["setFailed"]


@needs_node
def test_answers_that_do_not_validate_are_commented_on_the_issue_and_nothing_is_committed(tmp_path: Path) -> None:
    change(tmp_path, {}, summary="*Target date*: write it as 2026-03-31\n")
    result = node_script(tmp_path, "propose", {}, {**PROPOSE_ENV, "EXIT_CODE": "1"})
    assert names(result) == ["paginate", "createComment"]
    body = result["calls"][1][1]["body"]
    assert body == "<!-- council-commons-issue-form -->\n*Target date*: write it as 2026-03-31"


@needs_node
@pytest.mark.parametrize("exit_code", ["2", "", "1; rm -rf /"])
def test_a_run_that_failed_says_so_without_committing(tmp_path: Path, exit_code: str) -> None:
    change(tmp_path, {"patterns/x.md": "x"})
    result = node_script(tmp_path, "propose", {}, {**PROPOSE_ENV, "EXIT_CODE": exit_code})
    assert names(result) == ["paginate", "createComment", "setFailed"]
    assert "the run" in result["calls"][1][1]["body"] and "createCommit" not in names(result)


@needs_node
@pytest.mark.parametrize(("number", "author"), [("0", "a"), ("x", "a"), ("17", "a b"), ("17", "-a"), ("17", "")])
def test_a_convert_job_that_named_no_issue_or_author_stops(tmp_path: Path, number: str, author: str) -> None:
    change(tmp_path, {"patterns/x.md": "x"})
    result = node_script(tmp_path, "propose", {}, {**PROPOSE_ENV, "ISSUE_NUMBER": number, "AUTHOR": author})
    assert names(result) == ["setFailed"]



# --- End to end: the real from-issue in a real clone, then the proposal from what it kept ---------------------------

BODIES = REPO / "tests" / "issue-bodies"


def run_convert(tmp_path: Path, form: str, body: bytes, author: str = "hackney-digital") -> tuple[int, Path]:
    """The convert job as GitHub runs it: the default branch checked out in tools/ (a git clone of this repository's
    content), the answers in issue/body.md, and the step's own script run by bash with the real `commons`."""
    from site_support import copy_repository

    tools = copy_repository(tmp_path / "tools")
    (tools / ".github").mkdir()
    shutil.copy2(REPO / ".github" / "CODEOWNERS", tools / ".github" / "CODEOWNERS")
    shutil.copy2(REPO / "MAINTAINERS.yml", tools / "MAINTAINERS.yml")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "the default branch"]):
        subprocess.run(["git", "-C", str(tools), *args], check=True, env=env, capture_output=True)
    commons = tools / ".venv" / "bin" / "commons"
    commons.parent.mkdir(parents=True)
    commons.write_text(f'#!/bin/sh\nexec "{Path(sys.executable).with_name("commons")}" "$@"\n', encoding="utf-8")
    commons.chmod(0o755)
    (tools / ".git" / "info" / "exclude").write_text(".venv/\n", encoding="utf-8")
    (tmp_path / "issue" / "files").mkdir(parents=True)
    (tmp_path / "issue" / "body.md").write_bytes(body)
    output = tmp_path / "output"
    output.touch()
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step("convert")["run"]],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**env, "FORM": form, "AUTHOR": author, "NUMBER": "17", "GITHUB_OUTPUT": str(output)})
    assert done.returncode == 0, done.stderr
    code = output.read_text(encoding="utf-8").removeprefix("exit-code=").strip()
    shutil.move(tmp_path / "issue", tmp_path / "change")  # what the propose job downloads
    return int(code), tools


@needs_node
@pytest.mark.parametrize("form", sorted(p.name for p in BODIES.iterdir() if (p / "complete.md").is_file()))
def test_each_form_becomes_a_pull_request_of_content_files_only(tmp_path: Path, form: str) -> None:
    code, tools = run_convert(tmp_path, form, (BODIES / form / "complete.md").read_bytes())
    assert code == 0
    paths = (tmp_path / "change" / "paths").read_bytes().split(b"\0")[:-1]
    assert paths, "from-issue wrote nothing"
    for path in paths:  # what the propose job commits is exactly what from-issue wrote in the clone
        assert (tmp_path / "change" / "files" / path.decode()).read_bytes() == (tools / path.decode()).read_bytes()
    result = node_script(tmp_path, "propose", {"missing": True}, PROPOSE_ENV)
    assert "setFailed" not in names(result), result["calls"]
    committed = dict(result["calls"][::-1])["createTree"]["tree"]
    assert sorted(t["path"] for t in committed) == sorted(p.decode() for p in paths)
    created = dict(result["calls"][::-1])["pulls.create"]
    assert "Closes #17" in created["body"] and "@hackney-digital" in created["body"]
    assert "\n" not in created["title"] and 0 < len(created["title"]) <= 200


@needs_node
def test_answers_that_do_not_validate_become_the_comment_and_no_commit(tmp_path: Path) -> None:
    body = (BODIES / "add-a-commitment" / "bad-target.md").read_bytes()
    code, tools = run_convert(tmp_path, "add-a-commitment", body)
    assert code == 1 and not (tmp_path / "change" / "paths").exists()
    status = subprocess.run(["git", "-C", str(tools), "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == ""  # nothing written in the clone
    result = node_script(tmp_path, "propose", {}, {**PROPOSE_ENV, "EXIT_CODE": "1"})
    assert names(result) == ["paginate", "createComment"]
    comment = result["calls"][1][1]["body"]
    assert "*" in comment and "Edit this issue" in comment and "declaration.yml" not in comment


@needs_node
def test_a_hostile_body_never_reaches_the_shell(tmp_path: Path) -> None:
    body = HOSTILE_BODY.replace("### Title", "### Title\r\n\r\n$(touch pwned)").encode()
    code, _ = run_convert(tmp_path, "propose-a-pattern", body, author="hackney-digital")
    assert code in (0, 1) and not (tmp_path / "pwned").exists() and not (tmp_path / "tools" / "pwned").exists()


@needs_node
def test_a_council_joining_brings_codeowners_in_step_and_needs_only_its_own_approval(tmp_path: Path) -> None:
    """The joining council's change carries CODEOWNERS as its maintainers generate it, the proposal commits it, and
    check-pr on the result finds no E-CODEOWNERS and no change to the tooling."""
    code, tools = run_convert(tmp_path, "join-the-commons", (BODIES / "join-the-commons" / "complete.md").read_bytes())
    assert code == 0
    paths = sorted(p.decode() for p in (tmp_path / "change" / "paths").read_bytes().split(b"\0")[:-1])
    assert ".github/CODEOWNERS" in paths and any(p.endswith("/council.yml") for p in paths)
    folder = next(p for p in paths if p.endswith("/council.yml")).split("/")[1]
    owners = (tools / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert f"/councils/{folder}/ @hackney-digital" in owners
    result = node_script(tmp_path, "propose", {"missing": True}, PROPOSE_ENV)
    assert "setFailed" not in names(result)
    assert ".github/CODEOWNERS" in [t["path"] for t in dict(result["calls"][::-1])["createTree"]["tree"]]
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["checkout", "-qb", "issue-forms/issue-17"], ["add", "--all"], ["commit", "-qm", "join"]):
        subprocess.run(["git", "-C", str(tools), *args], check=True, env=env, capture_output=True)
    base = subprocess.run(["git", "-C", str(tools), "rev-parse", "HEAD~"], capture_output=True, text=True).stdout
    done = subprocess.run([str(Path(sys.executable).with_name("commons")), "--root", str(tools), "check-pr",
                           "--base", base.strip(), "--author", "hackney-digital"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert "E-CODEOWNERS" not in done.stdout and "changes the tooling" not in done.stdout, done.stdout
