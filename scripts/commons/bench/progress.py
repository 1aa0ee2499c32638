"""The progress figure: Declaration progress read from a long git history, beside reading it file by file.

The history is 400 council folders, each with 25 revisions of its declaration.yml
(commitments added, statuses moving on with dated updates), interleaved over
eight years in 10,000 commits and written with one `git fast-import`.
"""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from commons.bench.corpus import SERVICES, VERBS
from commons.bench.measure import alternating, mb, run
from commons.content.register import REGISTER_FILE, load_register

PYTHON = sys.executable
COUNCILS = 400
REVISIONS = 25
START = dt.datetime(2019, 1, 7, 9, 0, tzinfo=dt.UTC)
END = dt.datetime(2026, 11, 2, 17, 0, tzinfo=dt.UTC)
TARGET_RATIO = 3  # issue 18: ours / a bare `git log --raw` of the same history

_OURS = """
import sys
from pathlib import Path
from commons.site.progress import declaration_progress
progress = declaration_progress(Path(sys.argv[1]))
assert len(progress.councils) == int(sys.argv[2]), len(progress.councils)
"""

# The peer: what a script reading the same history file by file does, one `git log -p` per declaration.
_PER_FILE = """
import subprocess, sys
root = sys.argv[1]
for folder in sys.argv[2:]:
    subprocess.run(["git", "-C", root, "log", "-p", "--format=%x00%cs", "--",
                    f"councils/{folder}/declaration.yml"], check=True, stdout=subprocess.DEVNULL)
"""

_NEXT = {"planned": ["in-progress", "in-progress", "paused"], "in-progress": ["in-progress", "done", "paused"],
         "paused": ["in-progress", "stopped"], "done": ["done"], "stopped": ["stopped"]}


NOTES = ["On track.", "User research done; the findings are on our blog.", "Waiting on the supplier's API.",
         "Live for residents, with a survey on every page.", "Paused while the service is restructured."]


@dataclass
class _Commitment:
    id: str
    title: str
    principles: list[int]
    status: str
    start: dt.date
    target: dt.date
    history: list[tuple[dt.date, str, str]]


def _declaration(commitments: list[_Commitment]) -> str:
    """A declaration.yml as a council writes it."""
    lines = ["# Local Digital Declaration commitments. Add a history entry whenever a status changes.",
             "commitments:"]
    for c in commitments:
        lines += [f"  - id: {c.id}", f"    title: {c.title}", f"    principles: {c.principles}",
                  f"    status: {c.status}", f"    start: {c.start}", f"    target: {c.target}", "    history:"]
        for day, status, note in c.history:
            lines += [f"      - date: {day}", f"        status: {status}", f"        note: {note}"]
    return "\n".join(lines) + "\n"


def _blob(path: str, text: str) -> bytes:
    data = text.encode()
    return f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"


def make_history(root: Path, councils: int = COUNCILS, revisions: int = REVISIONS, seed: int = 2026) -> list[str]:
    """A git repository at `root` (which must not exist) with the declaration history; its council folders."""
    rng = random.Random(seed)
    register = sorted(load_register(REGISTER_FILE), key=lambda a: (not a.current, a.code))
    folders = [a.slug for a in register[:councils]]
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    order = [i for i in range(len(folders)) for _ in range(revisions)]
    rng.shuffle(order)
    step = (END - START) / len(order)
    state: list[list[_Commitment]] = [[] for _ in folders]
    areas = list(SERVICES)
    stream = bytearray()

    def commit(when: dt.datetime, message: str, files: bytes) -> None:
        msg = message.encode()
        stream.extend(f"commit refs/heads/main\ncommitter Bench <bench@example.org> {int(when.timestamp())} +0000\n"
                      f"data {len(msg)}\n".encode() + msg + b"\n" + files + b"\n")

    register_text = REGISTER_FILE.read_text(encoding="utf-8")
    initial = _blob("data/uk-local-authorities.csv", register_text) + b"".join(
        _blob(f"councils/{folder}/council.yml", f"code: X{i}\nmaintainers: [{folder[:30]}-digital]\n")
        for i, folder in enumerate(folders))
    commit(START - dt.timedelta(days=1), "Start the commons", initial)
    for n, i in enumerate(order):
        when = START + step * n
        day = when.date()
        commitments = state[i]
        open_ones = [c for c in commitments if c.status not in ("done", "stopped")]
        if not open_ones or (len(commitments) < 8 and rng.random() < 0.25):
            start = day + dt.timedelta(days=rng.randint(0, 60))
            status = rng.choice(["planned", "planned", "in-progress"])
            commitments.append(_Commitment(
                f"commitment-{len(commitments) + 1}",
                f"{rng.choice(VERBS)} {rng.choice(SERVICES[rng.choice(areas)])} online",
                sorted(rng.sample(range(1, 6), rng.randint(1, 3))), status, start,
                start + dt.timedelta(days=rng.randint(90, 900)), [(day, status, "Agreed by the digital board.")]))
        else:
            c = rng.choice(open_ones)
            c.status = rng.choice(_NEXT[c.status])
            c.history.append((day, c.status, rng.choice(NOTES)))
        commit(when, f"{folders[i]}: update commitments",
               _blob(f"councils/{folders[i]}/declaration.yml", _declaration(commitments)))
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=bytes(stream), check=True)
    return folders


def bench_progress(work: Path, repeat: int) -> list[str]:
    root = work / "history"
    folders = make_history(root)
    commits = int(subprocess.run(["git", "-C", str(root), "rev-list", "--count", "HEAD"], capture_output=True,
                                 text=True, check=True).stdout)
    log = ["git", "-C", str(root), "log", "--first-parent", "--raw", "--no-abbrev", "--format=%cs"]
    (ours, peak), (floor, _) = alternating([([PYTHON, "-c", _OURS, str(root), str(len(folders))], None),
                                            (log, None)], repeat)
    # Two minutes a run: one run is enough to see the difference.
    per_file = run([PYTHON, "-c", _PER_FILE, str(root), *folders]).seconds
    return [
        f"declaration progress from git history, {len(folders)} councils x {REVISIONS} revisions "
        f"({commits:,} commits; median of {repeat} alternating runs, process start included): ours {ours:.2f} s, "
        f"peer (a bare `git log --raw` of the same history) {floor:.2f} s, ratio {ours / floor:.2f} "
        f"(target <= {TARGET_RATIO:g}); peak memory {mb(peak)}",
        f"  one `git log -p` per declaration file instead, output not even parsed (one run): {per_file:.2f} s; "
        f"ours/that = {ours / per_file:.2f}",
    ]
