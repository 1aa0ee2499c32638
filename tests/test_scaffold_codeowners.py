"""`commons new council` keeps .github/CODEOWNERS in step with the new council's maintainers, so its first pull
request is not refused for E-CODEOWNERS and GitHub asks the right people to review the folder."""

from __future__ import annotations

from pathlib import Path

from commons.commands.schema.codeowners import codeowners_file
from conftest import Cli, make_repository

MAINTAINERS = "maintainers:\n  - github: commons-lead\n    name: Commons Lead\n"


def test_a_new_council_is_written_into_codeowners(tmp_path: Path, cli: Cli) -> None:
    root = make_repository(tmp_path / "repo")
    (root / "MAINTAINERS.yml").write_text(MAINTAINERS, encoding="utf-8")
    (root / ".github").mkdir()
    (root / ".github" / "CODEOWNERS").write_text(codeowners_file(root), encoding="utf-8")
    assert "/councils/islington/" not in (root / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    result = cli("--root", str(root), "new", "council", "ISL", "--maintainer", "islington-digital")
    assert result.code == 0, result.err
    assert "updated .github/CODEOWNERS" in result.out
    owners = (root / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/councils/islington/ @islington-digital @commons-lead" in owners.splitlines()
    assert owners == codeowners_file(root)


def test_a_commons_without_codeowners_gets_none(tmp_path: Path, cli: Cli) -> None:
    root = make_repository(tmp_path / "repo")
    result = cli("--root", str(root), "new", "council", "ISL", "--maintainer", "islington-digital")
    assert result.code == 0 and "CODEOWNERS" not in result.out
    assert not (root / ".github" / "CODEOWNERS").exists()
