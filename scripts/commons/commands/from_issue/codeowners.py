"""A change that adds a council or changes its maintainers brings `.github/CODEOWNERS` with it.

CODEOWNERS is generated from MAINTAINERS.yml and every council's maintainers (commands/schema/codeowners.py), and
check-pr refuses a change to a council's maintainers that leaves it behind (E-CODEOWNERS). So the Join the commons
form's change carries the regenerated file too; check-pr sees that it is exactly the generated one, so it needs no
approval beyond the council's.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from commons.commands.from_issue.changes import Change
from commons.commands.schema.codeowners import CODEOWNERS, codeowners_text, council_maintainers, read_maintainers


def with_codeowners(root: Path, change: Change) -> Change:
    """`change`, plus CODEOWNERS as the council files will generate it, when the change alters it."""
    councils = [rel for rel in change.files if rel.startswith("councils/") and rel.endswith("/council.yml")]
    existing = root / CODEOWNERS
    if not councils or not existing.is_file() or existing.is_symlink():
        return change
    with tempfile.TemporaryDirectory(prefix="commons-codeowners-") as tmp:
        copy = Path(tmp)
        if (root / "councils").is_dir() and not (root / "councils").is_symlink():
            shutil.copytree(root / "councils", copy / "councils", symlinks=True)
        for rel in councils:
            path = copy / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(change.files[rel], encoding="utf-8")
        text = codeowners_text(read_maintainers(root), council_maintainers(copy))
    if text.encode("utf-8") != existing.read_bytes():
        change.files[CODEOWNERS] = text
    return change
