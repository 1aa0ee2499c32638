"""A pull request that changes who maintains a council keeps `.github/CODEOWNERS` in step.

CODEOWNERS is generated (commands/schema/codeowners.py) from MAINTAINERS.yml and every council's maintainers, and
`commons schema --check` fails when it drifts. So a pull request that adds a council, or changes a council's
maintainers, must change CODEOWNERS to match, or the default branch fails once it is merged: E-CODEOWNERS, with the
exact lines to write (for the web editor) or `commons schema --write`.

A change to CODEOWNERS that is exactly what the pull request's council files generate is derived data, not a change
to the tooling: it needs no approval beyond what those council files need, which the rules already ask for. It is
generated with the base commit's MAINTAINERS.yml, so a pull request cannot change the commons' maintainers this way.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING

from commons.commands.check_pr.changed_files import file_at
from commons.commands.check_pr.pull_request import EntryChange
from commons.commands.schema.codeowners import CODEOWNERS, codeowners_text, council_maintainers
from commons.content.maintainers import MAINTAINERS_FILE, MAX_BYTES, parse_maintainers
from commons.content.problems import Problem
from commons.content.schema import COUNCIL

if TYPE_CHECKING:
    import git

MAX_FILE = 1024 * 1024
MAX_SHOWN = 3  # lines of the fix shown in the hint


def codeowners_rule(base: git.Commit, tree: Path, entries: list[EntryChange], other_files: list[str]
                    ) -> tuple[list[Problem], list[str]]:
    """E-CODEOWNERS when the change moves council maintainers without CODEOWNERS, and the tooling files less a
    CODEOWNERS that is exactly the generated one."""
    before = file_at(base, CODEOWNERS, limit=MAX_FILE)
    if before is None:
        return [], other_files  # a commons without CODEOWNERS: nothing to keep in step
    maintainers, _ = parse_maintainers(file_at(base, MAINTAINERS_FILE, limit=MAX_BYTES))
    expected = codeowners_text(maintainers, council_maintainers(tree))
    path = tree / CODEOWNERS
    actual = path.read_bytes()[:MAX_FILE] if path.is_file() and not path.is_symlink() else b""
    if actual == expected.encode():
        return [], [f for f in other_files if f != CODEOWNERS]
    if not any(_moves_maintainers(e) for e in entries):
        return [], other_files
    have = actual.decode("utf-8", "replace").splitlines()
    want = expected.splitlines()
    added = [line for line in difflib.ndiff(have, want) if line.startswith("+ ")]
    line = next((i + 1 for i, text in enumerate(have) if text not in want and text.startswith("/councils/")), 1)
    shown = "; ".join(f"'{a[2:]}'" for a in added[:MAX_SHOWN]) + (" and more" if len(added) > MAX_SHOWN else "")
    fix = f"write {shown} for the council's line" if added else "remove the line of the council that left"
    return [Problem(CODEOWNERS, line, 1, "E-CODEOWNERS",
                    "this pull request changes who maintains a council, and .github/CODEOWNERS does not say so yet",
                    f"run commons schema --write and commit .github/CODEOWNERS, or in the web editor {fix}")], \
        other_files


def _moves_maintainers(e: EntryChange) -> bool:
    """Whether a council file's change adds or removes a council's maintainers (or the council)."""
    entry = e.entry
    if entry is None or entry.ctype.name != COUNCIL.name:
        return False
    old = (e.before.meta or {}).get("maintainers") if e.before else None
    new = (e.after.meta or {}).get("maintainers") if e.after else None
    return bool(old != new)
