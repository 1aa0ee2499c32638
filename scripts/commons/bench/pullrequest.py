"""check-pr on a repository with a long history: 5,000 entries built up over 2,000 commits, one file changed."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

from commons.bench.corpus import generate
from commons.bench.measure import alternating, mb

ENTRIES = 5_000
COMMITS = 2_000
COLD = {**os.environ, "COMMONS_NO_CACHE": "1"}
FIRST_COMMIT_SHARE = 0.6  # the first commit brings most files; each later one adds a few, as pull requests do


def history(root: Path, commits: int, seed: int = 2026) -> None:
    """Make `root` (a generated corpus) a git repository whose `main` reaches its files over `commits` commits.

    Written with one `git fast-import`, so making the history takes seconds rather than minutes.
    """
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    rng = random.Random(seed)
    rng.shuffle(files)
    first = int(len(files) * FIRST_COMMIT_SHARE)
    later = files[first:]
    batches = [files[:first]] + [later[i::commits - 1] for i in range(commits - 1)]
    subprocess.run(["git", "init", "--quiet", "--initial-branch=main", str(root)], check=True)
    stream = bytearray()
    when = 1_600_000_000
    for n, batch in enumerate(batches, start=1):
        message = f"Add {len(batch)} entries".encode()
        stream += b"commit refs/heads/main\nmark :%d\n" % n
        stream += b"committer Bench <bench@example.org> %d +0000\n" % (when + n * 3600)
        stream += b"data %d\n%s\n" % (len(message), message)
        if n > 1:
            stream += b"from :%d\n" % (n - 1)
        for rel in batch:
            data = (root / rel).read_bytes()
            stream += b"M 100644 inline %s\ndata %d\n%s\n" % (rel.encode(), len(data), data)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=bytes(stream), check=True)
    subprocess.run(["git", "reset", "--quiet"], cwd=root, check=True)  # the files on disk are main's


def bench_check_pr(work: Path, repeat: int) -> list[str]:
    corpus = generate(work / "check-pr", ENTRIES)
    root = corpus.root
    history(root, COMMITS)
    git = ["git", "-C", str(root), "-c", "user.name=Bench", "-c", "user.email=bench@example.org"]
    subprocess.run([*git, "checkout", "--quiet", "-b", "pull-request"], check=True)
    changed = root / "patterns" / f"{corpus.patterns[len(corpus.patterns) // 2]}.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more sentence after a review.\n",
                       encoding="utf-8")
    subprocess.run([*git, "commit", "--quiet", "-am", "Review one pattern"], check=True)
    count = subprocess.run([*git, "rev-list", "--count", "HEAD"], check=True, capture_output=True, text=True)
    check = [sys.executable, "-m", "commons", "--root", str(root), "check-pr", "--base", "main",
             "--author", "bench-author", "--summary", str(work / "summary.md")]
    full = [sys.executable, "-m", "commons", "--root", str(root), "validate"]
    # Both cold, as CI runs them on a fresh clone: check-pr keeps nothing, validate nothing in .cache/validate/.
    (ours, peak), (whole, _) = alternating([(check, COLD), (full, COLD)], repeat, ok=(0, 3))  # 3: valid, but
    # the author maintains no council here
    return [
        f"check-pr, {corpus.files:,} entries (real-length prose) and {int(count.stdout):,} commits, one changed "
        f"pattern (median of {repeat} alternating with the peer, process start included): {ours:.2f} s; peak "
        f"memory {mb(peak)}",
        f"  peer: validating the whole repository instead, cold (COMMONS_NO_CACHE=1): {whole:.2f} s; "
        f"ours/peer = {ours / whole:.2f} (target <= 0.10)",
    ]
