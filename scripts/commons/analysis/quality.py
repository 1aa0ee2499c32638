"""How well the similarity engine does on labelled pairs: the figures tests/test_similarity.py holds to their
targets and `make bench` prints.

The pairs (tests/similarity-pairs.yml, read by the caller) are `match`, by service area, two descriptions of
the same work, and `differ`, two different services that share words. Every distinct description in the set
is one entry of the corpus. A should-match case succeeds when its `b` is nearer its `a` than any entry the set
does not say describes the same work (another right answer is not a rival); precision and recall are those of
"score >= threshold" as a guess that a pair matches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from commons.analysis.similarity import WARN_THRESHOLD, Doc, Index

Side = str | Mapping[str, str]


@dataclass(frozen=True)
class Pair:
    a: Doc
    b: Doc
    match: bool
    area: str = ""


@dataclass(frozen=True)
class Quality:
    first: int  # should-match cases whose b is a's nearest entry
    matches: int
    true_positives: int  # should-match pairs at or above the threshold
    false_positives: int  # should-not pairs at or above it
    differs: int
    misses: tuple[tuple[str, str, str], ...]  # (a, wanted b, what came first)
    worst_differ: tuple[float, str, str]  # the highest-scoring should-not pair

    @property
    def first_rate(self) -> float:
        return self.first / self.matches if self.matches else 0.0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.matches if self.matches else 0.0


def _doc(side: Side, area: str) -> Doc:
    if isinstance(side, str):
        title, summary = side, ""
    else:
        title, summary = str(side.get("title", "")), str(side.get("summary", ""))
    return Doc("pattern", (title + "\n" + summary).lower(), title, summary=summary, service_area=area)


def pairs(data: Mapping[str, Any]) -> list[Pair]:
    """The labelled pairs of the set's parsed YAML."""
    out = [Pair(_doc(p["a"], area), _doc(p["b"], area), True, area)
           for area, listed in sorted(data.get("match", {}).items()) for p in listed]
    out += [Pair(_doc(p["a"], ""), _doc(p["b"], ""), False) for p in data.get("differ", [])]
    return out


def _groups(labelled: Sequence[Pair]) -> dict[str, str]:
    """Each description's group: those the set says describe the same work (joined through match pairs)."""
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k

    for p in labelled:
        find(p.a.key), find(p.b.key)
        if p.match:
            parent[find(p.a.key)] = find(p.b.key)
    return {k: find(k) for k in parent}


def evaluate(labelled: Sequence[Pair], threshold: float = WARN_THRESHOLD,
             scorer: Callable[[Doc, Doc], float] | None = None) -> Quality:
    """The engine's figures on `labelled`; `scorer` replaces its score (a peer), keeping the same ranking rule."""
    corpus: dict[str, Doc] = {}
    for p in labelled:
        corpus.setdefault(p.a.key, p.a)
        corpus.setdefault(p.b.key, p.b)
    index = Index.build(corpus.values())
    group = _groups(labelled)
    score = scorer or index.pair
    first = tp = fp = 0
    misses = []
    worst = (0.0, "", "")
    for p in labelled:
        s = score(p.a, p.b)
        if p.match:
            tp += s >= threshold
            rivals = (d for k, d in corpus.items() if k == p.b.key or group[k] != group[p.a.key])
            ranked = sorted(((score(p.a, d), d.key) for d in rivals),
                            key=lambda x: (-x[0], x[1]))
            if ranked and ranked[0][1] == p.b.key:
                first += 1
            else:
                misses.append((p.a.title, p.b.title, corpus[ranked[0][1]].title if ranked else ""))
        else:
            fp += s >= threshold
            worst = max(worst, (s, p.a.title, p.b.title))
    return Quality(first, sum(p.match for p in labelled), tp, fp, sum(not p.match for p in labelled),
                   tuple(misses), worst)
