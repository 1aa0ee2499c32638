"""A full `commons build` with every current council kept in its own repository, beside the same content kept
in this repository (councils/ folders), in the same run and in turn (issue 15: target <= 1.1).

Both commons are the same generated corpus (`bench.site.site_corpus`, which has a folder for one council in
eight of its entries; the other current councils get a profile and the Declaration of one of those, so every
council has its records), committed to git so both have "last changed" dates. In the sourced one each
council's `council.yml`, `declaration.yml` and `contracts.yml` (when it has one) is committed to a local
repository of its own, listed in sources.yml and pinned by `commons sources update`, and its folder removed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from commons.bench.measure import alternating, mb
from commons.bench.site import build_command, site_corpus
from commons.content.register import REGISTER_FILE, load_register

ENTRIES = 1_000  # patterns, case studies, playbooks and sessions beside the councils
FILES = ("council.yml", "declaration.yml", "contracts.yml")
_ENV = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org", "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1"}


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=_ENV)


def _commit_all(folder: Path, message: str) -> None:
    _git(folder, "init", "-q", "-b", "main")
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", message)


def _every_council(root: Path, councils: int | None) -> list[tuple[str, str]]:
    """(code, slug) of every current council (or the first `councils`), each with a folder in `root`."""
    register = load_register(REGISTER_FILE)
    current = sorted(register.current(), key=lambda a: a.code)[:councils]
    made = sorted(p.name for p in (root / "councils").iterdir())
    for i, a in enumerate(current):
        folder = root / "councils" / a.slug
        if folder.exists():
            continue
        model = root / "councils" / made[i % len(made)]
        folder.mkdir()
        profile = (model / "council.yml").read_text(encoding="utf-8")
        lines = [f"code: {a.code}" if line.startswith("code: ") else line for line in profile.splitlines()]
        (folder / "council.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        shutil.copy(model / "declaration.yml", folder / "declaration.yml")
    for extra in sorted(set(p.name for p in (root / "councils").iterdir()) - {a.slug for a in current}):
        shutil.rmtree(root / "councils" / extra)
    return [(a.code, a.slug) for a in current]


def corpora(work: Path, entries: int = ENTRIES, councils: int | None = None) -> tuple[Path, Path, int]:
    """The commons with its councils here (`kept`) and the same with each council in its own repository
    (`sourced`), both committed, the sources pinned; and how many councils."""
    kept = site_corpus(work / "kept", entries).root
    every = _every_council(kept, councils)
    _commit_all(kept, "the commons")
    sourced = work / "sourced"
    shutil.copytree(kept, sourced, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    folders = [work / "sources" / code for code, _ in every]

    def move(item: tuple[tuple[str, str], Path]) -> None:
        (_, slug), folder = item
        folder.mkdir(parents=True)
        for name in FILES:
            if (sourced / "councils" / slug / name).is_file():
                shutil.move(sourced / "councils" / slug / name, folder / name)
        shutil.rmtree(sourced / "councils" / slug)
        _commit_all(folder, "records")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(move, zip(every, folders, strict=True)))
    (sourced / "sources.yml").write_text(
        yaml.safe_dump({"sources": [{"council": code, "url": str(f)} for (code, _), f in zip(every, folders,
                                                                                             strict=True)]}),
        encoding="utf-8")
    subprocess.run([sys.executable, "-m", "commons", "sources", "--root", str(sourced), "update",
                    "--allow-local-paths"], check=True, capture_output=True)
    _commit_all(sourced, "the commons, its councils in their own repositories")
    return kept, sourced, len(every)


def bench_sourced_build(work: Path, repeat: int, entries: int = ENTRIES, councils: int | None = None) -> list[str]:
    kept, sourced, n = corpora(work, entries, councils)
    (here, here_peak), (theirs, their_peak) = alternating([(build_command(sourced), None),
                                                           (build_command(kept), None)], repeat)
    pages = sum(1 for _ in (sourced / "site").rglob("*.html"))
    return [
        f"commons build, {n} councils each in its own repository (local, pinned), {entries:,} other entries, full "
        f"with Pagefind (median of {repeat}, process start included): {here:.2f} s; {pages:,} HTML files; "
        f"peak memory {mb(here_peak)}",
        f"  peer: the same content with the councils kept in this repository (councils/ folders): {theirs:.2f} s; "
        f"peak memory {mb(their_peak)}; sourced/kept = {here / theirs:.2f} (target <= 1.1)",
    ]
