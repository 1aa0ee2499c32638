"""Rewrite expected.txt and exit-code of golden cases from what `commons validate` prints now.

Never run by the test suite. Use it after a deliberate change to messages, then READ every diff
(`git diff tests/golden`) before committing: a golden file is only as good as the review of it.

    .venv/bin/python tests/golden/regenerate.py            # every case
    .venv/bin/python tests/golden/regenerate.py E-ENUM     # some cases
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from commons.cli import main  # noqa: E402
from golden_cases import cases, materialise  # noqa: E402


def regenerate(names: list[str]) -> None:
    for case in cases():
        if names and case.name not in names:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            root = materialise(case, Path(tmp) / "repo")
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                code = main(["--root", str(root), "validate"])
        (case / "expected.txt").write_text(out.getvalue(), encoding="utf-8")
        (case / "exit-code").write_text(f"{code}\n", encoding="utf-8")
        print(f"{case.name}: exit {code}")


if __name__ == "__main__":
    regenerate(sys.argv[1:])
