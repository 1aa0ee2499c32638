"""`make bench --only sources`'s build figure: a commons whose councils keep their records in their own
repositories builds the same site as the same content kept here, so the two builds it compares do the same work."""

from __future__ import annotations

from pathlib import Path

from commons.bench.sourced_build import bench_sourced_build
from commons.sources.config import read_lock


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def test_the_sourced_build_shows_what_the_kept_one_does(tmp_path: Path) -> None:
    lines = bench_sourced_build(tmp_path, 1, entries=40, councils=6)
    assert "6 councils each in its own repository" in lines[0] and "sourced/kept = " in lines[1]
    kept, sourced = tmp_path / "kept", tmp_path / "sourced"
    lock = read_lock(sourced)
    assert len(lock) == 6 and all(p.commit and p.failure is None for p in lock.values())
    assert not (sourced / "councils").exists() or not any((sourced / "councils").iterdir())
    assert _pages(sourced / "site") == _pages(kept / "site")
    for slug in sorted(p.name for p in (kept / "councils").iterdir()):
        page = (sourced / "site" / "councils" / slug / "index.html").read_text(encoding="utf-8")
        assert "own repository" in page, slug  # shown from its source, not from a folder left behind
