"""The validator's cache (content/validate/cache.py) saves work and never changes a verdict.

A warm run reports exactly what a cold one does; a file changed since, a register changed since, a link's
target removed since or a cache from another day is checked again; a cache changed by hand, written with
another key or brought by a pull request is ignored; a `.cache` that is a link is neither read nor written.
Each test runs the real command (`commons validate`) on a real repository in tmp_path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from commons.content.validate import cache as cache_module
from conftest import PATTERN, Cli

RESULTS = Path(".cache") / "validate" / "results.json"


@pytest.fixture(autouse=True)
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test has its own signing key, outside the repository, as a user's cache folder holds it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.delenv("COMMONS_NO_CACHE", raising=False)
    return tmp_path / "user-cache"


def _with_problems(repo: Path) -> None:
    """A repository with problems of several kinds (a field, the body as rendered, across entries)."""
    (repo / "patterns" / "second.md").write_text(
        PATTERN.replace("aliases: [missed-bin-report]", "aliases: []")
        .replace("status: live", "status: sideways")
        + "\nSee [the other](../report-a-missed-bin/) and <script>alert(1)</script>.\n", encoding="utf-8")


def _kept(repo: Path) -> dict[str, object]:
    raw = (repo / RESULTS).read_bytes()
    return json.loads(raw.partition(b"\n")[2])["files"]


def test_a_warm_run_reports_exactly_what_a_cold_one_does(repo: Path, cli: Cli) -> None:
    _with_problems(repo)
    cold = cli("validate", "--root", str(repo), "--no-cache")
    assert not (repo / RESULTS).exists(), "--no-cache writes nothing"
    first = cli("validate", "--root", str(repo))
    assert set(_kept(repo)) == {"patterns/report-a-missed-bin.md", "patterns/second.md",
                                "councils/hackney/council.yml", "councils/hackney/declaration.yml"}
    warm = cli("validate", "--root", str(repo))
    assert cold.code == first.code == warm.code == 1
    assert cold.out == first.out == warm.out
    assert all(f"error[{code}]" in warm.out for code in ("E-ENUM", "E-DUPLICATE-ID", "E-UNSAFE-HTML")), warm.out
    assert cli("validate", "--root", str(repo), "--format", "json").out == \
        cli("validate", "--root", str(repo), "--format", "json", "--no-cache").out


def test_the_cache_is_used(repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm run does not check an unchanged file again (else the cache would only cost time)."""
    cli("validate", "--root", str(repo))
    from commons.content.validate import repository

    checked: list[str] = []
    real = repository.check_file
    monkeypatch.setattr(repository, "check_file", lambda root, cand, *a, **k: checked.append(cand.path)
                        or real(root, cand, *a, **k))
    assert cli("validate", "--root", str(repo)).code == 0
    assert checked == []
    (repo / "patterns" / "report-a-missed-bin.md").write_text(PATTERN + "\nOne more line.\n", encoding="utf-8")
    assert cli("validate", "--root", str(repo)).code == 0
    assert checked == ["patterns/report-a-missed-bin.md"]


def test_a_file_changed_since_is_checked_again(repo: Path, cli: Cli) -> None:
    assert cli("validate", "--root", str(repo)).code == 0
    path = repo / "patterns" / "report-a-missed-bin.md"
    path.write_text(PATTERN.replace("status: live", "status: sideways"), encoding="utf-8")
    after = cli("validate", "--root", str(repo))
    assert after.code == 1 and "E-ENUM" in after.out
    # Put back byte for byte, the file is as it was, and so is its verdict.
    path.write_text(PATTERN, encoding="utf-8")
    assert cli("validate", "--root", str(repo)).code == 0


def test_a_register_changed_since_is_a_new_context(repo: Path) -> None:
    """In processes of their own (a process reads the register once)."""
    def validate(*more: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "commons", "--root", str(repo), "validate", *more],
                              capture_output=True, text=True, env=os.environ, timeout=120)

    assert validate().returncode == 0
    register = repo / "data" / "uk-local-authorities.csv"
    register.write_text("\n".join(line for line in register.read_text(encoding="utf-8").splitlines()
                                  if not line.startswith("HCK,")) + "\n", encoding="utf-8")
    after = validate("--no-cache")
    assert after.returncode == 1, "the register without Hackney makes its files wrong"
    assert validate().stdout == after.stdout


def test_a_link_whose_target_is_removed_since_is_checked_again(repo: Path, cli: Cli) -> None:
    (repo / "patterns" / "second.md").write_text(
        PATTERN.replace("id: 1", "id: 2").replace("aliases: [missed-bin-report]", "aliases: []")
        + "\nIt builds on [the other pattern](report-a-missed-bin.md).\n", encoding="utf-8")
    first = cli("validate", "--root", str(repo))
    assert "E-LINK" not in first.out, first.out
    (repo / "patterns" / "report-a-missed-bin.md").unlink()
    (repo / "councils" / "hackney" / "council.yml").write_text(
        (repo / "councils" / "hackney" / "council.yml").read_text(encoding="utf-8")
        .replace("report-a-missed-bin", "second"), encoding="utf-8")
    (repo / "councils" / "hackney" / "declaration.yml").write_text(
        (repo / "councils" / "hackney" / "declaration.yml").read_text(encoding="utf-8")
        .replace("report-a-missed-bin", "second"), encoding="utf-8")
    assert cli("validate", "--root", str(repo)).out == cli("validate", "--root", str(repo), "--no-cache").out
    assert "E-LINK" in cli("validate", "--root", str(repo)).out


def test_a_cache_from_another_day_is_not_used(repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    cli("validate", "--root", str(repo))
    before = json.loads((repo / RESULTS).read_bytes().partition(b"\n")[2])["context"]

    monkeypatch.setattr(cache_module, "today", lambda: dt.date.today() + dt.timedelta(days=1))
    cli("validate", "--root", str(repo))
    assert json.loads((repo / RESULTS).read_bytes().partition(b"\n")[2])["context"] != before


def _forge(repo: Path, body: bytes, key: bytes) -> None:
    import hashlib
    import hmac

    (repo / RESULTS).write_bytes(hmac.new(key, body, hashlib.sha256).hexdigest().encode() + b"\n" + body)


def test_a_cache_changed_by_hand_or_signed_with_another_key_is_ignored(repo: Path, cli: Cli) -> None:
    path = repo / "patterns" / "report-a-missed-bin.md"
    path.write_text(PATTERN.replace("status: live", "status: sideways"), encoding="utf-8")
    assert cli("validate", "--root", str(repo)).code == 1
    raw = (repo / RESULTS).read_bytes()
    signature, _, body = raw.partition(b"\n")
    data = json.loads(body)
    data["files"]["patterns/report-a-missed-bin.md"][1] = []  # "no problems"
    tampered = json.dumps(data, separators=(",", ":")).encode()
    (repo / RESULTS).write_bytes(signature + b"\n" + tampered)
    assert cli("validate", "--root", str(repo)).code == 1, "a signature that does not match is ignored"
    _forge(repo, tampered, b"a key a pull request could know" * 2)
    assert cli("validate", "--root", str(repo)).code == 1, "a cache signed with another key is ignored"
    (repo / RESULTS).write_bytes(b"not even json")
    assert cli("validate", "--root", str(repo)).code == 1


def test_a_cache_made_with_another_users_key_is_ignored(repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    """A pull request's clone brings its own .cache/ (made where its author ran validate): CI does not trust it."""
    path = repo / "patterns" / "report-a-missed-bin.md"
    good = path.read_text(encoding="utf-8")
    cli("validate", "--root", str(repo))  # the author's machine: a clean result kept under the author's key
    data = json.loads((repo / RESULTS).read_bytes().partition(b"\n")[2])
    data["files"]["patterns/report-a-missed-bin.md"][0] = cache_module.digest(
        good.replace("status: live", "status: sideways").encode())  # claims the bad bytes were found clean
    _forge(repo, json.dumps(data).encode(), cache_module.key_file().read_bytes())
    path.write_text(good.replace("status: live", "status: sideways"), encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ci-runner"))  # CI: another user, another key
    assert cli("validate", "--root", str(repo)).code == 1


def test_the_key_is_outside_the_repository_and_private(repo: Path, cli: Cli, own_key: Path) -> None:
    cli("validate", "--root", str(repo))
    key = cache_module.key_file()
    assert key.is_file() and own_key in key.parents and repo not in key.parents
    assert (key.stat().st_mode & 0o077) == 0
    assert key.read_bytes() not in (repo / RESULTS).read_bytes()


def test_a_linked_cache_folder_is_neither_read_nor_written(repo: Path, cli: Cli, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, repo / ".cache")
    assert cli("validate", "--root", str(repo)).code == 0
    assert list(elsewhere.iterdir()) == []


def test_no_cache_in_the_environment_turns_it_off(repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMONS_NO_CACHE", "1")
    assert cli("validate", "--root", str(repo)).code == 0
    assert not (repo / ".cache").exists()
