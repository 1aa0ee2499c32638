"""`commons similar` (and so `commons new`'s W-SIMILAR) knows the commitments and case studies councils keep in
their own repositories, as sources.lock pins them. A real git repository in tmp_path, the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli
from test_sources import CASE_STUDY, COUNCIL, DECLARATION, commit, git, list_sources, make_source, update


def similar(cli: Cli, repo: Path, title: str, kind: str) -> list[dict[str, object]]:
    done = cli("--root", str(repo), "similar", "--title", title, "--type", kind, "--format", "json")
    assert done.code == 0, done.out + done.err
    found: list[dict[str, object]] = json.loads(done.out)
    return found


def test_a_sources_commitments_and_case_studies_are_in_the_similarity_corpus(cli: Cli, repo: Path,
                                                                             tmp_path: Path) -> None:
    title = "Publish planning applications as open data every week"
    assert not any(m.get("council") == "SHF" for m in similar(cli, repo, title, "commitment"))
    folder = make_source(tmp_path / "sheffield", {"council.yml": COUNCIL, "declaration.yml": DECLARATION,
                                                   "case-studies/planning.md": CASE_STUDY.format(council="SHF")})
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 0
    commitments = similar(cli, repo, title, "commitment")
    assert (commitments[0]["council"], commitments[0]["id"]) == ("SHF", "planning-data"), commitments
    studies = similar(cli, repo, "Planning data published weekly", "case-study")
    assert studies[0]["slug"] == "planning" and studies[0]["path"] == "case-studies/planning.md", studies


def test_check_pr_names_a_sourced_council_doing_similar_work_as_a_partner(cli: Cli, repo: Path,
                                                                          tmp_path: Path) -> None:
    folder = make_source(tmp_path / "sheffield")
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 0
    (repo / ".gitignore").write_text(".cache/\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, {}, "the commons, with Sheffield's own repository pinned")
    git(repo, "checkout", "-q", "-b", "pr")
    declaration = (repo / "councils" / "hackney" / "declaration.yml").read_text(encoding="utf-8")
    commit(repo, {"councils/hackney/declaration.yml": declaration + (
        "  - id: planning-data\n    title: Publish planning applications data weekly\n    principles: [3]\n"
        "    start: 2025-02-03\n    target: 2026-12-31\n    patterns: [report-a-missed-bin]\n    history:\n"
        "      - date: 2025-02-03\n        status: planned\n        note: Agreed with the planning service.\n")},
        "a commitment like Sheffield's")
    done = cli("--root", str(repo), "check-pr", "--base", "main", "--head", "pr", "--author", "someone")
    similar = [line for line in done.out.splitlines() if "W-SIMILAR" in line]
    assert any("Sheffield (SHF): “Publish planning data weekly”" in line for line in similar), done.out
