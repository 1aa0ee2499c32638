"""`commons check-pr` (being built in this session)."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "(being built)"
DESCRIPTION = "(being built)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def command(args: argparse.Namespace, root: Path) -> int:
    raise NotImplementedError
