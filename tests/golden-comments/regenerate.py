"""Rewrite comment.md, output.txt and exit-code of golden pull-request comments from what check-pr says now.

Never run by the test suite. Use it after a deliberate change to the summary, then READ every diff
(`git diff tests/golden-comments`) before committing: a golden file is only as good as the review of it.

    .venv/bin/python tests/golden-comments/regenerate.py                # every case
    .venv/bin/python tests/golden-comments/regenerate.py hostile-text   # some cases
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from golden_comments import cases, check, materialise  # noqa: E402


def regenerate(names: list[str]) -> None:
    for case in cases():
        if names and case.name not in names:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            root, author = materialise(case, Path(tmp) / "repo")
            comment, output, code = check(root, author)
        (case / "comment.md").write_text(comment, encoding="utf-8")
        (case / "output.txt").write_text(output, encoding="utf-8")
        (case / "exit-code").write_text(f"{code}\n", encoding="utf-8")
        print(f"{case.name}: exit {code}")


if __name__ == "__main__":
    regenerate(sys.argv[1:])
