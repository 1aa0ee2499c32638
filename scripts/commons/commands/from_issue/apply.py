"""Checking a change in a copy of the repository, then writing it: nothing is written unless all of it
validates, and a write that fails part way is undone.

The copy holds the register and the content folders, with the change's files written into it; it is
validated as `commons validate` validates the written files and what they reference. Each problem found in a
written file is put back to the form's item whose answer is on, or above, its line (`Change.marks`,
`Change.headings`) and said for the form (`problems.py`).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from commons.commands.from_issue.body import FormProblem
from commons.commands.from_issue.changes import Change
from commons.commands.from_issue.problems import for_the_form
from commons.content.load import candidate_for, read_entry
from commons.content.problems import Problem
from commons.content.schema import CONTENT_FOLDERS
from commons.errors import CommonsError

REGISTER = Path("data") / "uk-local-authorities.csv"


def check_change(root: Path, change: Change, missing_said: bool = False) -> list[FormProblem]:
    """The errors the repository would have with the change made, said for the form. With `missing_said`, the
    blank answers have been reported already, so the fields they leave out are not reported again."""
    from commons.content.validate import validate_repository

    with tempfile.TemporaryDirectory(prefix="commons-from-issue-") as tmp:
        copy = Path(tmp) / "repo"
        (copy / REGISTER.parent).mkdir(parents=True)
        shutil.copyfile(root / REGISTER, copy / REGISTER)
        for top in CONTENT_FOLDERS:
            if (root / top).is_dir() and not (root / top).is_symlink():
                shutil.copytree(root / top, copy / top, symlinks=True)
        for rel, text in change.files.items():
            path = copy / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
        report = validate_repository(copy, list(change.files))
        errors = [p for p in report.problems if p.is_error and not (missing_said and p.code == "E-REQUIRED")]
        labels = {rel: _line_labels(copy, rel, change) for rel in change.files}
    out: list[FormProblem] = []
    for p in errors:
        label, name = _label_at(labels.get(p.path, []), p)
        out.append(for_the_form(p, label, name, change))
    return list(dict.fromkeys(out))


def _line_labels(copy: Path, rel: str, change: Change) -> list[tuple[int, str, str]]:
    """(line, label, field name) where each answer starts in the written file, in line order."""
    out: list[tuple[int, str, str]] = []
    cand = candidate_for(copy, rel)
    entry = None if isinstance(cand, Problem) else read_entry(copy, cand)[0]
    if entry is not None and entry.node is not None:
        for path, label in change.marks.get(rel, []):
            line, _ = entry.mark(path, key=True)
            found, _ = entry.mark(path)
            if found >= line:  # the field is there (an absent one's mark is its parent's)
                out.append((line, label, str(path[-1])))
    lines = change.files[rel].replace("\r\n", "\n").split("\n")
    at = entry.body_line - 1 if entry is not None else 0
    for heading, label in change.headings.get(rel, []):
        for n in range(at, len(lines)):
            if lines[n].rstrip() == heading.rstrip():
                out.append((n + 1, label, ""))
                at = n + 1
                break
    return sorted(out)


def _label_at(labels: list[tuple[int, str, str]], p: Problem) -> tuple[str, str]:
    """The label and field name of the answer on or above the problem's line."""
    before = [(label, name) for line, label, name in labels if line <= p.line]
    return before[-1] if before and p.line else ("", "")


def write_change(root: Path, change: Change) -> list[str]:
    """Write the change's files; if one cannot be written, every file is put back as it was (CommonsError)."""
    done: list[tuple[Path, bytes | None]] = []
    made: list[Path] = []
    try:
        for rel, text in change.files.items():
            path = root / rel
            for folder in reversed(path.parents):
                if not folder.exists() and folder.is_relative_to(root):
                    made.append(folder)
            path.parent.mkdir(parents=True, exist_ok=True)
            done.append((path, path.read_bytes() if path.is_file() else None))
            tmp = path.with_name(path.name + ".from-issue-tmp")
            tmp.write_bytes(text.encode("utf-8"))
            tmp.replace(path)
    except OSError as e:
        for path, old in reversed(done):
            tmp = path.with_name(path.name + ".from-issue-tmp")
            if tmp.is_file() and not tmp.is_symlink():
                tmp.unlink()
            if old is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(old)
        for folder in reversed(made):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        raise CommonsError(f"the change could not be written ({e.strerror}); nothing was changed",
                           "check the folder can be written to, then run the command again") from None
    return list(change.files)
