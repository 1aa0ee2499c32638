"""Shared fixtures: a minimal valid repository in tmp_path, and the real `commons` command run in-process."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from commons.cli import main
from site_support import chromium

REPO = Path(__file__).resolve().parents[1]
REGISTER = REPO / "data" / "uk-local-authorities.csv"

PATTERN = """\
---
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


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module that asks for it (tests/site_support.py: chromium)."""
    yield from chromium()
