"""The /sources/ page and `api/v1/sources.json`: a copy of the repository with two councils' own repositories
(real git repositories in tmp_path, `--allow-local-paths`), one good and one whose newest commit is refused,
`commons sources update` and `commons build` run for real; what the page and the export say is read from the
built site. Also the page with no sources, and screenshots at 1280 and 390 px."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from commons.cli import main
from commons.sources.config import read_lock
from conftest import REPO
from github_script import needs_node, run_script, step_script, workflow_steps
from site_support import SUB_PATH, SiteServer, copy_repository
from test_sources import COUNCIL, DECLARATION, commit, git, list_sources, make_source

YORK_COUNCIL = COUNCIL.replace("SHF", "YOR").replace("sheffield-digital", "york-digital") \
    .replace("sheffield.gov.uk", "york.gov.uk")
# A field whose name is markup and an @mention: the refusal quotes it, and the page must print it as text.
HOSTILE_KEY = "<img src=x onerror=alert(1)>@council-commons/maintainers"
HOSTILE_COUNCIL = YORK_COUNCIL + f'"{HOSTILE_KEY}": 1\n'


def commons(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = main(list(args))
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
    return code, out.getvalue()


@dataclass(frozen=True)
class Built:
    root: Path
    site: Path
    good: Path  # Sheffield's repository
    bad: Path  # York's
    good_commit: str  # York's last good commit, which the site keeps showing
    refused: str  # York's newest commit, refused


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("sources-page")
    root = copy_repository(tmp / "repo")
    good = make_source(tmp / "sheffield")
    bad = make_source(tmp / "york", {"council.yml": YORK_COUNCIL, "declaration.yml": DECLARATION})
    list_sources(root, {"council": "SHF", "url": str(good)}, {"council": "YOR", "url": str(bad), "ref": "main"})
    code, out = commons("sources", "--root", str(root), "update", "--allow-local-paths")
    assert code == 0, out
    good_commit = git(bad, "rev-parse", "HEAD")
    refused = commit(bad, {"council.yml": HOSTILE_COUNCIL})
    code, out = commons("sources", "--root", str(root), "update", "--allow-local-paths")
    assert code == 1, out
    code, out = commons("build", "--root", str(root))
    assert code == 0, out
    return Built(root, root / "site", good, bad, good_commit, refused)


def page(site: Path) -> HTMLParser:
    return HTMLParser((site / "sources" / "index.html").read_text(encoding="utf-8"))


def section(tree: HTMLParser, code: str) -> Any:
    found = tree.css_first(f"section#{code}")
    assert found is not None, code
    return found


def words(node: Any) -> str:
    return re.sub(r"\s+", " ", node.text())


def test_a_good_source_is_shown_up_to_date_with_its_pin(built: Built) -> None:
    shf = section(page(built.site), "SHF")
    text = words(shf)
    head = git(built.good, "rev-parse", "HEAD")
    assert "Sheffield City Council" in shf.css_first("h2").text()
    assert shf.css_first("h2 a").attributes["href"] == "../councils/sheffield/"
    assert "Up to date." in text and "Not up to date" not in text
    assert head[:7] in text and str(built.good) in text
    pin = read_lock(built.root)["SHF"]
    assert pin.checked and "Last checked: " in text and "never" not in text
    assert shf.css_first(".commons-source__problems") is None


def test_a_refused_source_says_what_is_wrong_where_in_their_repository_and_since_when(built: Built) -> None:
    yor = section(page(built.site), "YOR")
    text = words(yor)
    pin = read_lock(built.root)["YOR"]
    assert pin.failure is not None and pin.commit == built.good_commit
    assert f"Not up to date: {pin.failure.reason}." in text
    assert f"The site has shown the older version, {built.good_commit[:7]}, since" in text
    assert f"in {built.refused[:7]}, in the council's repository" in text
    # The problem is on the line of council.yml that holds the hostile field, counted from the file itself.
    line = HOSTILE_COUNCIL.splitlines().index(f'"{HOSTILE_KEY}": 1') + 1
    items = [words(li) for li in yor.css(".commons-source__problems li")]
    assert any(i.startswith(f"council.yml, line {line}: ") for i in items), items


def test_hostile_text_from_a_source_is_printed_as_text(built: Built) -> None:
    html = (built.site / "sources" / "index.html").read_text(encoding="utf-8")
    yor = section(page(built.site), "YOR")
    assert yor.css("img") == [] and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;@council-commons/maintainers" in html
    assert HOSTILE_KEY in words(yor)  # shown as the words it is, not dropped


def test_the_export_has_the_same(built: Built) -> None:
    doc = json.loads((built.site / "api" / "v1" / "sources.json").read_text(encoding="utf-8"))
    items = {i["council"]: i for i in doc["items"]}
    assert doc["count"] == 2 and set(items) == {"SHF", "YOR"}
    shf, yor = items["SHF"], items["YOR"]
    lock = read_lock(built.root)
    assert shf["up_to_date"] is True and shf["status"] == "up to date" and shf["problems"] == []
    assert shf["commit"] == git(built.good, "rev-parse", "HEAD") and shf["failing_since"] is None
    assert shf["checked"] == lock["SHF"].checked and shf["committed"] == lock["SHF"].committed
    assert shf["url"] == str(built.good) and shf["ref"] == "main" and shf["path"] == ""
    assert yor["up_to_date"] is False and yor["commit"] == built.good_commit
    assert yor["refused_commit"] == built.refused and yor["failing_since"] == lock["YOR"].failure.since  # type: ignore[union-attr]
    assert yor["status"] == lock["YOR"].failure.reason  # type: ignore[union-attr]
    hostile = [p for p in yor["problems"] if HOSTILE_KEY in p["message"]]
    assert hostile and hostile[0]["file"] == "council.yml" and hostile[0]["in_source"] is True
    assert isinstance(hostile[0]["line"], int) and hostile[0]["code"].startswith("E-")
    index = json.loads((built.site / "api" / "v1" / "index.json").read_text(encoding="utf-8"))
    assert {"url": "api/v1/sources.json", "count": 2}.items() <= \
        next(i for i in index["items"] if i["url"] == "api/v1/sources.json").items()


def test_docs_data_lists_exactly_the_exported_fields(built: Built) -> None:
    from test_exports import documented_fields, exported_fields

    doc = json.loads((built.site / "api" / "v1" / "sources.json").read_text(encoding="utf-8"))
    assert documented_fields()["api/v1/sources.json"] == exported_fields(doc["items"])


def test_the_page_is_in_the_navigation(built: Built) -> None:
    home = HTMLParser((built.site / "index.html").read_text(encoding="utf-8"))
    assert any(a.attributes.get("href") == "sources/" for a in home.css("nav a"))


def test_a_problem_in_a_github_source_links_to_its_line_at_the_refused_commit() -> None:
    from commons.site.views.sources import problem

    url, sha = "https://github.com/york-council/records", "4" * 40
    p = problem(f"{url}@{sha[:7]}:records/declaration.yml:12:5: error[E-YAML] a list is not closed (hint: add ])",
                url, sha)
    assert (p.file, p.line, p.in_source, p.code, p.message, p.hint) == \
        ("records/declaration.yml", 12, True, "E-YAML", "a list is not closed", "add ]")
    assert p.link == f"{url}/blob/{sha}/records/declaration.yml#L12"
    here = problem("sources.yml:3:1: error[E-DUPLICATE-ID] councils/york/ is in this repository", url, sha)
    assert (here.file, here.line, here.in_source, here.link) == ("sources.yml", 3, False, "")
    other = problem("… and 12 more problems", url, sha)
    assert (other.file, other.message) == ("", "… and 12 more problems")


def test_with_no_sources_the_page_says_how_a_council_can_keep_its_own(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    code, out = commons("build", "--root", str(root))
    assert code == 0, out
    tree = page(root / "site")
    text = words(tree.css_first("article"))
    assert "No council keeps its records in its own repository yet" in text and "sources.yml" in text
    links = [a.attributes.get("href") or "" for a in tree.css("article a")]
    assert any(link.endswith("/CONTRIBUTING.md#keeping-your-records-in-your-own-repository") for link in links)
    assert json.loads((root / "site" / "api" / "v1" / "sources.json").read_text(encoding="utf-8"))["items"] == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_reflows_and_is_photographed(built: Built, browser: Any, width: int) -> None:
    server = SiteServer(built.site, SUB_PATH)  # under the base path, as GitHub Pages serves it
    tab = browser.new_page(viewport={"width": width, "height": 900})
    try:
        assert tab.goto(server.url("sources/")).status == 200
        assert tab.locator("section#YOR .commons-source__problems").is_visible()
        assert tab.locator("section#SHF").get_by_text("Up to date.").is_visible()
        # Nothing is wider than the screen: at 390 px the facts and the problems wrap.
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        tab.screenshot(path=str(built.root.parent / f"sources-{width}.png"), full_page=True)
        result = Axe().run(tab)
        assert result.violations_count == 0, [v["id"] for v in result.response["violations"]]
    finally:
        tab.close()
        server.close()


# --- The daily workflow (.github/workflows/sources.yml) ----------------------------------------------------------
# Its shell step runs with bash and the real `commons` on a real clone; its github-script steps run with Node
# against a stand-in GitHub that records each call, as tests/test_issue_to_pr.py runs issue-to-pr.yml's.

WORKFLOW = REPO / ".github" / "workflows" / "sources.yml"
GITHUB = r"""{
  paginate: async (fn, args) => { calls.push(['paginate', args]); return state.issues || []; },
  rest: {
    repos: { get: record('repos.get', { default_branch: 'main' }),
             getContent: record('getContent', () => {
               if (state.lock === null) { const e = new Error('404'); e.status = 404; throw e; }
               return { content: Buffer.from(state.lock).toString('base64'), encoding: 'base64' };
             }) },
    git: { getRef: async (args) => {
             calls.push(['getRef', args]);
             if (state.noBranch && args.ref !== 'heads/main') { const e = new Error('404'); e.status = 404; throw e; }
             return { data: { object: { sha: 'a'.repeat(40) } } };
           },
           getCommit: record('getCommit', { tree: { sha: 't'.repeat(40) } }),
           createBlob: record('createBlob', { sha: 'b'.repeat(40) }),
           createTree: record('createTree', { sha: 'e'.repeat(40) }),
           createCommit: record('createCommit', { sha: 'c'.repeat(40) }),
           updateRef: record('updateRef'), createRef: record('createRef') },
    pulls: { list: record('pulls.list', state.open || []), create: record('pulls.create', { number: 41 }),
             update: record('pulls.update', { number: 40 }) },
    issues: { listForRepo: 'listForRepo', create: record('issues.create', { number: 7 }),
              update: record('issues.update'), createComment: record('createComment') },
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


def node_script(tmp_path: Path, step_id: str, state: dict[str, Any]) -> dict[str, Any]:
    return run_script(tmp_path, step_script(WORKFLOW, step_id), GITHUB, state,
                      {"RUN_URL": "https://github.com/o/r/actions/runs/1"})


def called(result: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [args for n, args in result["calls"] if n == name]


def test_the_workflow_runs_daily_and_writes_only_where_nothing_is_checked_out() -> None:
    wf = workflow()
    on = wf["on"] if "on" in wf else wf[True]
    assert set(on) == {"schedule", "workflow_dispatch"} and wf["permissions"] == {}
    update, propose = wf["jobs"]["update"], wf["jobs"]["propose"]
    assert update["permissions"] == {"contents": "read"}
    assert propose["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    assert not any("run" in s or str(s.get("uses", "")).startswith("actions/checkout") for s in propose["steps"])
    checkout = next(s for s in update["steps"] if str(s.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["ref"] == "${{ github.event.repository.default_branch }}"
    assert "tools/.venv/bin/commons sources --root tools update --summary" in step("update")["run"]


@dataclass(frozen=True)
class Updated:
    code: int  # the step's exit code
    exit_code: str  # what it wrote to GITHUB_OUTPUT
    tools: Path
    out: Path  # what the propose job downloads
    york: Path


def run_update(tmp_path: Path, york_council: str = HOSTILE_COUNCIL) -> Updated:
    """The update job as GitHub runs it: the default branch checked out in tools/ (a git clone of a copy of this
    repository, listing two local sources), and the step's own script run by bash with the real `commons`
    (a wrapper lets local folders stand in for https repositories, as --allow-local-paths does in tests)."""
    tools = copy_repository(tmp_path / "tools")
    good = make_source(tmp_path / "sheffield")
    york = make_source(tmp_path / "york", {"council.yml": YORK_COUNCIL, "declaration.yml": DECLARATION})
    list_sources(tools, {"council": "SHF", "url": str(good)}, {"council": "YOR", "url": str(york)})
    code, out = commons("sources", "--root", str(tools), "update", "--allow-local-paths")
    assert code == 0, out
    commit(york, {"council.yml": york_council})
    git(tools, "init", "-q", "-b", "main")
    (tools / ".git" / "info" / "exclude").write_text(".venv/\n.cache/\n", encoding="utf-8")
    git(tools, "add", ".")
    git(tools, "commit", "-qm", "the default branch")
    bin_ = tools / ".venv" / "bin"
    bin_.mkdir(parents=True)
    (bin_ / "commons").write_text(f'#!/bin/sh\nexec "{Path(sys.executable).with_name("commons")}" "$@" '
                                  "--allow-local-paths\n", encoding="utf-8")
    (bin_ / "commons").chmod(0o755)
    (bin_ / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    (bin_ / "python").chmod(0o755)
    output = tmp_path / "output"
    output.touch()
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step("update")["run"]],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "GITHUB_OUTPUT": str(output), "GIT_CONFIG_GLOBAL": os.devnull})
    assert done.returncode == 0, done.stderr
    exit_code = output.read_text(encoding="utf-8").removeprefix("exit-code=").strip()
    return Updated(done.returncode, exit_code, tools, tmp_path / "out", york)


def test_the_update_step_keeps_the_lock_the_summary_and_one_issue_per_failing_source(tmp_path: Path) -> None:
    u = run_update(tmp_path)
    assert u.exit_code == "1"  # one source refused; the other still current
    assert (u.out / "sources.lock").read_bytes() == (u.tools / "sources.lock").read_bytes()
    summary = (u.out / "summary.md").read_text(encoding="utf-8")
    assert "refused" in summary and "City of York Council" in summary
    report = json.loads((u.out / "issues.json").read_text(encoding="utf-8"))
    assert report["good"] == ["SHF"] and [f["code"] for f in report["failing"]] == ["YOR"]
    issue = report["failing"][0]
    assert issue["title"] == "City of York Council: its own repository is not up to date"
    body = issue["body"]
    assert body.startswith("<!-- council-commons-source: YOR -->\n@york-digital: ")  # from its locked council.yml
    pin = read_lock(u.tools)["YOR"]
    assert pin.failure is not None and pin.commit[:7] in body and pin.failure.since in body
    # The source's own text is escaped: no markup, no mention of anyone its file names.
    assert "<img" not in body and "@council-commons/maintainers" not in body
    assert "img src=x onerror=alert(1)" in body and "council.yml" in body


def test_a_source_never_good_names_no_maintainers_it_has_not_published(tmp_path: Path) -> None:
    tools = copy_repository(tmp_path / "tools")
    york = make_source(tmp_path / "york", {"council.yml": HOSTILE_COUNCIL, "declaration.yml": DECLARATION})
    list_sources(tools, {"council": "YOR", "url": str(york)})
    code, _ = commons("sources", "--root", str(tools), "update", "--allow-local-paths")
    assert code == 1 and read_lock(tools)["YOR"].commit == ""
    done = subprocess.run([sys.executable, "-", str(tools), str(tmp_path / "issues.json")],
                          input=_issues_script(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    body = json.loads((tmp_path / "issues.json").read_text(encoding="utf-8"))["failing"][0]["body"]
    assert "@york-digital" not in body and "No maintainers of it are known here yet." in body
    assert "The site shows nothing from it yet" in body


def _issues_script() -> str:
    """The Python the update step runs (between its <<'PY' and PY lines)."""
    script = step("update")["run"]
    return script.split("<<'PY'\n", 1)[1].rsplit("\nPY", 1)[0]


LOCK_HEAD = "# Written by `commons sources update`: the commit each council's own repository is pinned to.\n"


def pins_state(tmp_path: Path, lock: str, current: str | None, **more: Any) -> dict[str, Any]:
    (tmp_path / "sources").mkdir(exist_ok=True)
    (tmp_path / "sources" / "sources.lock").write_text(lock, encoding="utf-8")
    (tmp_path / "sources" / "summary.md").write_text("## Council Commons sources update\n\nSheffield moves.\n",
                                                       encoding="utf-8")
    return {"lock": current, **more}


LOCK = LOCK_HEAD + "sources:\n- council: SHF\n  commit: " + "1" * 40 + "\n  checked: '2026-12-02T04:41:00Z'\n"


@needs_node
def test_a_moved_pin_is_committed_through_the_api_and_proposed_in_one_pull_request(tmp_path: Path) -> None:
    before = LOCK.replace("1" * 40, "0" * 40)
    result = node_script(tmp_path, "pins", pins_state(tmp_path, LOCK, before, noBranch=True))
    [blob] = called(result, "createBlob")
    assert base64.b64decode(blob["content"]).decode() == LOCK
    [tree] = called(result, "createTree")
    assert tree["tree"] == [{"path": "sources.lock", "mode": "100644", "type": "blob", "sha": "b" * 40}]
    assert called(result, "createCommit")[0]["parents"] == ["a" * 40]
    assert called(result, "createRef") == [{"owner": "o", "repo": "r", "ref": "refs/heads/sources/update",
                                            "sha": "c" * 40}]
    [pr] = called(result, "pulls.create")
    assert pr["head"] == "sources/update" and pr["base"] == "main"
    assert pr["body"].startswith("## Council Commons sources update\n\nSheffield moves.")
    assert "need no further council approval" in pr["body"] and result["outputs"] == {"pull-request": "41"}


@needs_node
def test_the_one_pull_request_is_updated_not_opened_again(tmp_path: Path) -> None:
    result = node_script(tmp_path, "pins", pins_state(tmp_path, LOCK, None, open=[{"number": 40}]))
    assert called(result, "pulls.create") == [] and called(result, "createRef") == []
    assert called(result, "updateRef")[0]["force"] is True
    assert called(result, "pulls.update")[0]["pull_number"] == 40


@needs_node
def test_only_a_newer_check_time_proposes_nothing_and_closes_a_stale_pull_request(tmp_path: Path) -> None:
    main_has = LOCK.replace("2026-12-02T04:41:00Z", "2026-12-01T04:41:00Z")
    result = node_script(tmp_path, "pins", pins_state(tmp_path, LOCK, main_has, open=[{"number": 40}]))
    assert called(result, "createBlob") == [] and called(result, "pulls.create") == []
    assert called(result, "pulls.update") == [{"owner": "o", "repo": "r", "pull_number": 40, "state": "closed"}]


@needs_node
@pytest.mark.parametrize("lock", ["", "sources: []\n", "x" * 10])
def test_a_lock_the_tooling_did_not_write_is_not_committed(tmp_path: Path, lock: str) -> None:
    result = node_script(tmp_path, "pins", pins_state(tmp_path, lock, None))
    assert called(result, "setFailed") and called(result, "createBlob") == []


def issue(number: int, code: str, bot: bool = True) -> dict[str, Any]:
    return {"number": number, "body": f"<!-- council-commons-source: {code} -->\nold", "title": "old",
            "user": {"login": "github-actions[bot]" if bot else "someone", "type": "Bot" if bot else "User"}}


@needs_node
def test_one_issue_per_failing_source_opened_updated_and_closed_when_good_again(tmp_path: Path) -> None:
    u = run_update(tmp_path / "run")
    (tmp_path / "sources").mkdir()
    shutil.copy2(u.out / "issues.json", tmp_path / "sources" / "issues.json")
    expected = json.loads((u.out / "issues.json").read_text(encoding="utf-8"))["failing"][0]
    # No issue yet: one is opened for York, with the body the update step wrote.
    result = node_script(tmp_path, "issues", {"issues": []})
    [opened] = called(result, "issues.create")
    assert opened["title"] == expected["title"] and opened["body"].startswith(expected["body"])
    # York's issue exists (and a person's copy of its marker, which is not ours); Sheffield's is good again.
    state = {"issues": [issue(5, "YOR", bot=False), issue(6, "YOR"), issue(8, "SHF"), issue(9, "LDS")]}
    result = node_script(tmp_path, "issues", state)
    assert called(result, "issues.create") == []
    updates = called(result, "issues.update")
    assert updates[0]["issue_number"] == 6 and updates[0]["body"].startswith(expected["body"])
    assert {u["issue_number"] for u in updates[1:]} == {8, 9} and all(u["state"] == "closed" for u in updates[1:])
    comments = {c["issue_number"]: c["body"] for c in called(result, "createComment")}
    assert comments[8].startswith("The source is good again") and comments[9].startswith("The source is no longer")
    assert 5 not in comments and all(u["issue_number"] != 5 for u in updates)


@needs_node
@pytest.mark.parametrize("report", [
    "not json", json.dumps({"failing": [{"code": "YOR", "title": "t", "body": "no marker"}], "good": []}),
    json.dumps({"failing": [{"code": "../x", "title": "t", "body": "<!-- council-commons-source: ../x -->"}],
                "good": []}),
    json.dumps({"failing": [], "good": ["$(x)"]}),
], ids=["not-json", "no-marker", "bad-code", "bad-good-code"])
def test_a_report_the_tooling_did_not_write_posts_nothing(tmp_path: Path, report: str) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "issues.json").write_text(report, encoding="utf-8")
    result = node_script(tmp_path, "issues", {"issues": [issue(6, "YOR")]})
    assert called(result, "setFailed")
    assert [n for n, _ in result["calls"] if n not in ("setFailed",)] == []
