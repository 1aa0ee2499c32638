"""Golden cases as data: each folder in tests/golden/ is turned into a repository and validated.

See tests/golden/README.md for the layout. This module only builds the repository; the test
(`test_golden.py`) and the regeneration script (`golden/regenerate.py`) each run the CLI themselves.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

TESTS = Path(__file__).resolve().parent
GOLDEN = TESTS / "golden"
REPO = TESTS.parent
REGISTER = REPO / "data" / "uk-local-authorities.csv"


def cases() -> list[Path]:
    """Every golden case folder, sorted by name."""
    return sorted(p for p in GOLDEN.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def materialise(case: Path, dest: Path) -> Path:
    """Build the case's repository at `dest`: its input/ tree, the register, and what setup.json declares.

    setup.json (optional) holds what git cannot store well:
    `{"symlinks": {"patterns/evil.md": "../../outside.txt"}, "large": {"patterns/big.md": 300000}}`
    makes a symbolic link with that target, and a file of exactly that many bytes.
    """
    source = case / "input"
    if source.is_dir():
        shutil.copytree(source, dest, symlinks=True, dirs_exist_ok=True)
    else:
        dest.mkdir(parents=True, exist_ok=True)
    (dest / "data").mkdir(exist_ok=True)
    shutil.copyfile(REGISTER, dest / "data" / REGISTER.name)
    setup_file = case / "setup.json"
    if setup_file.is_file():
        setup = json.loads(setup_file.read_text(encoding="utf-8"))
        for rel, target in setup.get("symlinks", {}).items():
            link = dest / rel
            link.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(target, link)
        for rel, size in setup.get("large", {}).items():
            path = dest / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            line = b"Padding text that makes this file larger than the limit.\n"
            path.write_bytes((line * (size // len(line) + 1))[:size])
    return dest


def read_expected(case: Path) -> tuple[str, int]:
    """The expected stdout and exit code of `commons validate` at the case's repository."""
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    exit_code = int((case / "exit-code").read_text(encoding="utf-8").strip())
    return expected, exit_code
