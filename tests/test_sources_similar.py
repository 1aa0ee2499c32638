"""`commons similar` (and so `commons new`'s W-SIMILAR) knows the commitments and case studies councils keep in
their own repositories, as sources.lock pins them. A real git repository in tmp_path, the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli
from test_sources import CASE_STUDY, COUNCIL, DECLARATION, list_sources, make_source, update


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
