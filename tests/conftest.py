"""Shared fixtures: a minimal valid repository in tmp_path, the real `commons` command run in-process, one
Chromium, and the sites and repositories of hostile content the security tests look at."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from commons.cli import build_parser, main
from commons.content.model import Catalog, build_catalog
from commons.content.register import load_register
from commons.content.validate import validate_repository
from site_support import Site, SiteServer, build_and_serve, chromium

if TYPE_CHECKING:  # these import this module, so at run time they are imported inside their fixtures
    from hostile_cases import Validated
    from hostile_copy import HostileCopy
    from hostile_site import HostileSite

REPO = Path(__file__).resolve().parents[1]
REGISTER = REPO / "data" / "uk-local-authorities.csv"

PATTERN = """\
---
# yaml-language-server: $schema=../schemas/pattern.schema.json
id: 1
title: Report a missed bin without an account
summary: Residents report a missed collection in under a minute with only their address.
service-area: environmental-and-regulatory
status: live
councils: [HCK]
related: []
aliases: [missed-bin-report]
last-reviewed: 2025-06-01
---

## Problem

Residents cannot tell whether a bin was missed.

## Solution

An address-first form that checks the crew's round data.

## Evidence

Calls about missed collections fell by half.

## Considerations

### Accessibility

Works with a keyboard and a screen reader.

### Data protection

Stores only the address.
"""

COUNCIL = """\
# yaml-language-server: $schema=../../schemas/council.schema.json
# Hackney's profile. Only the maintainers below may change files in this folder.
code: HCK
maintainers:
  - hackney-digital
website: https://hackney.gov.uk
adopted:
  - pattern: report-a-missed-bin
    since: 2024-06-01
"""

DECLARATION = """\
# yaml-language-server: $schema=../../schemas/commitment.schema.json
# Hackney's Local Digital Declaration commitments. Add a history entry whenever a status changes.
commitments:
  - id: open-repairs-data
    title: Publish housing repairs data openly every week
    principles: [3, 5]   # sharing information; open culture
    status: in-progress
    start: 2024-01-08
    target: 2026-12-31
    patterns: [report-a-missed-bin]
    history:
      - date: 2024-01-08
        status: in-progress
        note: Discovery started with the repairs service.
      # Keep this comment: the council's own notes survive `commons new commitment`.
"""


STARTER_DAY = dt.date(2026, 11, 21)  # the day the starter content's Catalog is built for: what is stale is fixed


def make_repository(root: Path) -> Path:
    """A minimal valid Council Commons repository: the register, one pattern, one council folder."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REGISTER, root / "data" / REGISTER.name)
    files = {
        "patterns/report-a-missed-bin.md": PATTERN,
        "councils/hackney/council.yml": COUNCIL,
        "councils/hackney/declaration.yml": DECLARATION,
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A fresh minimal valid repository (see `make_repository`); it validates with no problems."""
    return make_repository(tmp_path / "repo")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """The subcommands of the live `commons` parser (cli.build_parser), by name, in the order `commons --help`
    lists them: what the CLI and docs tests are parametrized by, so a new command is tested without a list to
    update."""
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(scope="session")
def starter_catalog() -> Catalog:
    """The Catalog of the repository's own content (which must validate) on STARTER_DAY."""
    report = validate_repository(REPO, keep_entries=True)
    assert report.errors == 0, "the repository's own content must validate"
    return build_catalog(report.entries, load_register(REGISTER), today=STARTER_DAY)


Cli = Callable[..., Result]  # the `cli` fixture: cli("validate", "--root", DIR) -> Result


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run `commons ARGS...` in-process; argparse's own exits (--help, bad options) become exit codes."""

    def run(*args: str) -> Result:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


# ---------------------------------------------------------------------------------------------------------
# Made once and shared: the browser, the real site, the sites built from hostile content, validated hostile cases

@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every test that asks for it (tests/site_support.py: chromium); each test opens its
    own context in it."""
    yield from chromium()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real repository's site, built once (validate → MkDocs → Pagefind) and served at the root and under
    the sub-path, as on GitHub Pages (tests/site_support.py)."""
    built = build_and_serve(tmp_path_factory.mktemp("site-build") / "site")
    yield built
    built.root.close()
    built.sub.close()


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileSite]:
    """The site built from tests/hostile/site/ with validation bypassed, served (tests/hostile_site.py)."""
    from hostile_site import build_hostile_site

    site = build_hostile_site(tmp_path_factory.mktemp("hostile-site"))
    yield site
    site.server.close()


@pytest.fixture(scope="session")
def hostile_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileCopy]:
    """A copy of the repository with hostile content added, built past the validator, served
    (tests/hostile_copy.py)."""
    from hostile_copy import build_hostile_copy

    built = build_hostile_copy(tmp_path_factory.mktemp("hostile"))
    yield built
    built.server.close()


@pytest.fixture(scope="module")
def validated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Validated:
    """The requesting module's `CASES` (a list of hostile_cases.Case) written into one repository and validated
    once in each kind of run (tests/hostile_cases.py: validate_cases)."""
    from hostile_cases import validate_cases

    cases = getattr(request.module, "CASES", None)
    assert cases, f"{request.module.__name__} asks for `validated` but lists no CASES"
    return validate_cases(tmp_path_factory.mktemp("hostile-examples") / "repo", cases)


@pytest.fixture(scope="session")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """A generated 5,000-entry commons (commons.bench.site.site_corpus) built once with the real command
    (`python -m commons --root ROOT build`, about a minute) and served at the root (site_support.SiteServer)."""
    import subprocess

    from commons.bench.site import build_command, site_corpus

    root = tmp_path_factory.mktemp("big-site") / "commons"
    site_corpus(root, 5000)
    done = subprocess.run(build_command(root), capture_output=True, text=True)
    assert done.returncode == 0, f"the 5,000-entry build failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    server = SiteServer(root / "site", "/")
    yield server
    server.close()
