"""sources.yml and sources.lock as `commons sources update` reads them: located errors for what the maintainers
(or a hand edit) got wrong, local paths only with --allow-local-paths, and the repository's own files."""

from __future__ import annotations

from pathlib import Path

import pytest

from commons.content.register import load_register
from commons.sources.config import read_lock
from conftest import REGISTER, Cli
from test_sources import list_sources, source, update

__all__ = ["source"]  # the fixture, shared with test_sources


@pytest.mark.parametrize(("entry", "found"), [
    ({"council": "ZZZ", "url": "https://example.org/x"}, "sources.yml:2:12: error[E-UNKNOWN-REF]"),
    ({"council": "SHF", "url": "http://example.org/x"}, "sources.yml:3:8: error[E-VALUE] url must be an https"),
    ({"council": "SHF", "url": "https://example.org/x", "ref": "--upload-pack=x"}, "sources.yml:3:8: error[E-VALUE]"),
    ({"council": "SHF", "url": "https://example.org/x", "path": "../up"}, "sources.yml:3:9: error[E-VALUE]"),
])
def test_a_bad_sources_yml_is_located(cli: Cli, repo: Path, entry: dict[str, str], found: str) -> None:
    list_sources(repo, entry)
    done = cli("sources", "--root", str(repo), "update")
    assert done.code == 1
    assert found in done.out, done.out


def test_a_local_path_needs_the_flag(cli: Cli, repo: Path, source: Path) -> None:
    done = cli("sources", "--root", str(repo), "update")
    assert done.code == 1 and "url must be an https address" in done.out


def test_unknown_codes_are_a_usage_error(cli: Cli, repo: Path, source: Path) -> None:
    assert update(cli, repo, "LDS").code == 2


def test_the_repository_starts_with_no_sources() -> None:
    root = REGISTER.parents[1]
    from commons.sources.config import read_sources

    assert read_sources(root, load_register(REGISTER)) == [] and read_lock(root) == {}


def test_a_lock_edited_by_hand_is_a_located_error(cli: Cli, repo: Path, source: Path) -> None:
    (repo / "sources.lock").write_text("sources:\n  - council: SHF\n    commit: not-a-commit\n", encoding="utf-8")
    done = update(cli, repo)
    assert done.code == 1
    assert "sources.lock:2:5: error[E-VALUE] this pin is not as the tooling writes it" in done.out
    assert "commons sources: sources.lock cannot be read" in done.err


def test_a_path_that_is_not_a_folder_is_refused(cli: Cli, repo: Path, source: Path) -> None:
    list_sources(repo, {"council": "SHF", "url": str(source), "path": "council.yml"})
    assert update(cli, repo).code == 1
    assert read_lock(repo)["SHF"].failure.problems[0].endswith(  # type: ignore[union-attr]
        ":council.yml: error[E-PATH] the folder 'council.yml' is not in the repository at this commit (hint: check "
        "`path` in sources.yml, or add the folder to the repository)")


def test_root_may_follow_the_action(cli: Cli, repo: Path, source: Path) -> None:
    done = cli("sources", "update", "--root", str(repo), "--allow-local-paths")
    assert done.code == 0, done.err
    assert read_lock(repo)["SHF"].commit
