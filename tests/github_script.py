"""Running a workflow's `actions/github-script` step as GitHub runs it: its script, by Node, against a stand-in
GitHub that records each call. Each test module describes only the parts of the GitHub API its workflow uses
(a JavaScript object literal that may read `state` and wrap methods in `record`); the rest is here, once."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="Node is not installed")

# `record(name, answer)` makes a method that records [name, args] and answers { data: answer } (answer may be a
# function of the arguments), or throws an error with the status `state.fail[name]` when the test asks for one.
_BEFORE = r"""
const fs = require('fs');
const calls = [];
const state = JSON.parse(process.env.STATE);
const record = (name, answer) => async (args) => {
  calls.push([name, args]);
  if (state.fail && state.fail[name]) { const e = new Error(name); e.status = state.fail[name]; throw e; }
  return { data: typeof answer === 'function' ? answer(args) : (answer || {}) };
};
const github = """

_AFTER = r""";
const outputs = {};
const core = { setOutput: (k, v) => { outputs[k] = v; }, setFailed: (m) => calls.push(['setFailed', m]),
               notice: (m) => calls.push(['notice', m]), warning: (m) => calls.push(['warning', m]) };
const context = { repo: { owner: 'o', repo: 'r' }, payload: state.payload || {} };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
const run = new AsyncFunction('require', 'github', 'context', 'core', fs.readFileSync(process.env.SCRIPT, 'utf8'));
run(require, github, context, core).then(() => console.log(JSON.stringify({ calls, outputs })));
"""


def workflow_steps(workflow: Path) -> list[dict[str, Any]]:
    """Every step of every job of a workflow file."""
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    return [s for job in data["jobs"].values() for s in job["steps"]]


def step_script(workflow: Path, step_id: str) -> str:
    """The script of the one step with this id."""
    found = [s for s in workflow_steps(workflow) if s.get("id") == step_id]
    assert len(found) == 1, step_id
    script = found[0]["with"]["script"]
    assert isinstance(script, str)
    return script


def run_script(tmp_path: Path, script: str, github: str, state: dict[str, Any],
               env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `script` in `tmp_path` (its working folder) against the stand-in `github` holding `state` (given to
    the script as `context.payload` too, from `state["payload"]`), with only PATH and `env` in the environment;
    {"calls": [[name, args], …], "outputs": {…}} as the script left them."""
    if NODE is None:
        pytest.skip("Node is not installed")
    (tmp_path / "script.js").write_text(script, encoding="utf-8")
    (tmp_path / "harness.js").write_text(_BEFORE + github + _AFTER, encoding="utf-8")
    done = subprocess.run([NODE, "harness.js"], cwd=tmp_path, capture_output=True, text=True, timeout=30,
                          env={"PATH": "/usr/bin:/bin", "SCRIPT": str(tmp_path / "script.js"),
                               "STATE": json.dumps(state), **(env or {})})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert isinstance(result, dict)
    return result
