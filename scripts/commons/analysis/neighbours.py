"""Every entry's nearest neighbours, by type, worked out once per build, and kept up to date one edit at a time.

`Neighbours.build(docs)` scores the pairs of docs that could be close, and keeps for each doc, for each type,
the LIMIT best that score MINIMUM or more (best first; ties by type, then key). `update(docs)` is given the
whole corpus again (as `commons serve` has it after an edit) and works out only what the edit changed: a doc
is compared again when its values changed (Docs are compared by value, which is their content hash) or when a
word it has changed weight; every other doc keeps its row, merged with the new scores, unless one of its
neighbours changed, when it is worked out again. The result is the one `build` gives for the same docs
(tests/test_neighbours.py), and `changed` names the docs whose rows differ, so serve re-renders their pages.

Which pairs are scored (every pair of 7,400 docs, 27 million, would take minutes in Python): two docs are
compared when they name a pattern in common, or one holds a *key word* of the other. A doc's key words
(`key_words`) are all its words but its commonest, left out while what they weigh together is shorter than
KEY_REST; so the lists of docs a key word brings are short. A pair compared by neither way shares only words
left out of both, and cannot score MINIMUM (KEY_REST says why). Docs of different service areas get no
SAME_AREA bonus, so a build compares them by fewer key words (KEY_REST_FAR). No neighbour is ever missed,
which the tests check against scoring every pair, and `make bench` at 10,000 entries on a sample. The scores
are `Index.score`'s (exactly: `similarity.dot` sums exactly, so the same whichever way round), so they are the
ones `commons similar` prints. IDF is rounded (`similarity.idf_of`), so an edit moves the
weight of few words and `update` compares few docs again; when it would compare one in REBUILD_SHARE, it
builds afresh instead.

A council's commitments are not neighbours of each other: a council knows what else it is doing.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from operator import mul

from commons.analysis.similarity import (
    SAME_AREA,
    SHARED_PATTERNS,
    SHARED_PRINCIPLES,
    TYPES,
    Doc,
    Match,
    dot,
    idf_of,
    unit_vector,
    weighted_terms,
)
from commons.content.load import gc_paused

# A neighbour scores this or more: on the labelled pairs (tests/similarity-pairs.yml), 47 of the 48 that match
# do and none of those that differ (the highest 0.39); WARN_THRESHOLD is "very close"
MINIMUM = 0.4
LIMIT = 10  # neighbours kept per doc and type
# A doc's words left out of its key words are shorter than this together. Two docs compared by none of their key
# words share only words left out of both, whose product is below KEY_REST ** 2 (Cauchy-Schwarz), so with every
# bonus but a shared pattern's (pairs that share one are compared anyway) they score below MINIMUM, rounding
# included: leaving a pair out never loses a neighbour.
KEY_REST = math.sqrt(MINIMUM - SHARED_PRINCIPLES - SAME_AREA - 0.001)
# The same for two docs of different service areas (or one with none), which get no SAME_AREA: their dot product
# must reach MINIMUM - SHARED_PRINCIPLES, so fewer key words (`far_keys`) find them; a build compares docs of one
# area by their key words and any two docs by their far key words
KEY_REST_FAR = math.sqrt(MINIMUM - SHARED_PRINCIPLES - 0.001)
REBUILD_SHARE = 3  # when an update would compare one doc in this many again, or more, it builds afresh
Key = tuple[str, str]  # (type, key)
Row = dict[str, tuple[tuple[float, Key], ...]]  # type -> ((score, neighbour), ...), best first


def key_of(doc: Doc) -> Key:
    return (doc.type, doc.key)


def _rank(item: tuple[float, Key]) -> tuple[float, str, str]:
    return (-item[0], item[1][0], item[1][1])


@dataclass
class _Entry:
    doc: Doc
    counts: dict[str, float]
    vector: dict[str, float] = field(default_factory=dict)
    keys: tuple[str, ...] = ()  # its key words
    far_keys: tuple[str, ...] = ()  # its key words for docs of other service areas (KEY_REST_FAR)
    patterns: frozenset[str] = frozenset()
    principles: frozenset[int] = frozenset()


def key_words(vector: Mapping[str, float], idf: Mapping[str, float], rest: float = KEY_REST) -> tuple[str, ...]:
    """The words of a unit vector by which it is compared: all but its commonest words (lowest IDF first, then
    alphabetically), left out while what is left out is shorter than `rest`. So a doc is found by its rarer
    words, whose lists of docs are short, and common words ("staff", "calls") cost no comparisons."""
    left, keys = 0.0, list[str]()
    for t, w in sorted(vector.items(), key=lambda tw: (idf.get(tw[0], 0.0), tw[0])):
        if not keys and left + w * w < rest * rest:
            left += w * w
        else:
            keys.append(t)
    return tuple(sorted(keys))


def _score(a: _Entry, b: _Entry) -> float:
    """Index.score of the pair (either way round: it is symmetric), written out for speed (tests check they
    agree)."""
    s = dot(a.vector, b.vector)
    if a.patterns and b.patterns:
        s += SHARED_PATTERNS * len(a.patterns & b.patterns) / len(a.patterns | b.patterns)
    if a.principles and b.principles:
        s += SHARED_PRINCIPLES * len(a.principles & b.principles) / len(a.principles | b.principles)
    if a.doc.service_area and a.doc.service_area == b.doc.service_area and s > 0:
        s += SAME_AREA
    return round(min(1.0, s), 3)


def _kept(a: Doc, b: Doc) -> bool:
    return not (a.type == b.type == "commitment" and a.council and a.council == b.council)


class Neighbours:
    """The nearest neighbours of every doc of a corpus, by type; make one with `build`."""

    def __init__(self) -> None:
        self.entries: dict[Key, _Entry] = {}
        self.df: Counter[str] = Counter()
        self.idf: dict[str, float] = {}
        self.by_word: dict[str, set[Key]] = {}  # every doc that has the word
        self.by_key_word: dict[str, set[Key]] = {}  # every doc for which it is a key word
        self.by_pattern: dict[str, set[Key]] = {}
        self.rows: dict[Key, Row] = {}
        self.changed: frozenset[Key] = frozenset()  # docs whose row differs from the Neighbours updated
        self.scored = 0  # pairs scored to make these (a build's)

    # Reading

    def similar(self, kind: str, key: str, limit: int = LIMIT, types: Iterable[str] = TYPES) -> list[Match]:
        """The neighbours of the doc (`kind`: pattern, case-study or commitment; `key`: its slug or "CODE/id")
        of the given types, best first, at most `limit` (at most LIMIT are kept); none for a doc not known."""
        row = self.rows.get((kind, key), {})
        found = sorted((item for t in types for item in row.get(t, ())), key=_rank)
        return [Match(self.entries[k].doc, s) for s, k in found[:limit]]

    def __contains__(self, key: Key) -> bool:
        return key in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def docs(self) -> Iterator[Doc]:
        return (e.doc for e in self.entries.values())

    # Making

    @classmethod
    def build(cls, docs: Iterable[Doc]) -> Neighbours:
        """The neighbours of every doc (a doc given twice under the same type and key: the last)."""
        with gc_paused():  # millions of candidate sets and tuples, no cycles: see load.gc_paused
            return cls._build(docs)

    @classmethod
    def _build(cls, docs: Iterable[Doc]) -> Neighbours:
        n = cls()
        for d in docs:
            n.entries[key_of(d)] = _Entry(d, weighted_terms(d))
        for e in n.entries.values():
            n.df.update(e.counts.keys())
        n.idf = {t: idf_of(len(n.entries), c) for t, c in n.df.items()}
        for k in n.entries:
            n._index(k)
        ordered = sorted(n.entries)
        found: list[list[tuple[float, Key]]] = [[] for _ in ordered]
        pairs, n.scored = _all_close_pairs(n, ordered)
        for i, j, score in pairs:
            found[i].append((score, ordered[j]))
            found[j].append((score, ordered[i]))
        n.rows = {k: _top(f) for k, f in zip(ordered, found, strict=True)}
        n.changed = frozenset(n.rows)
        return n

    def update(self, docs: Iterable[Doc]) -> Neighbours:
        """The neighbours of `docs`, the whole corpus as it is now, worked out from these (left as they were)."""
        new = {key_of(d): d for d in docs}
        gone = {k for k, e in self.entries.items() if new.get(k) != e.doc}
        come = {k for k, d in new.items() if k not in self.entries or k in gone}
        n = Neighbours()
        n.entries = {k: e for k, e in self.entries.items() if k not in gone}
        n.df = self.df.copy()
        n.by_word = {t: set(ks) for t, ks in self.by_word.items()}
        n.by_key_word = {t: set(ks) for t, ks in self.by_key_word.items()}
        n.by_pattern = {p: set(ks) for p, ks in self.by_pattern.items()}
        for k in gone:
            n._unindex(k, self.entries[k])
            n.df.subtract(self.entries[k].counts.keys())
        for k in come:
            n.entries[k] = _Entry(new[k], weighted_terms(new[k]))
            n.df.update(n.entries[k].counts.keys())
        n.df = +n.df
        n.idf = {t: idf_of(len(n.entries), c) for t, c in n.df.items()}
        moved = {t for t in n.idf.keys() | self.idf.keys() if n.idf.get(t) != self.idf.get(t)}
        affected = set(come) | {k for t in moved for k in n.by_word.get(t, ())}
        if len(affected) * REBUILD_SHARE > len(n.entries):  # quicker to compare them all, each pair once
            built = Neighbours.build(new.values())
            built.changed = frozenset(k for k in built.rows if self.rows.get(k) != built.rows[k]) | (
                self.rows.keys() - built.rows.keys())
            return built
        for k in affected - come:  # a new _Entry: the one these Neighbours were made from stays as it was
            n._unindex(k, n.entries[k])
            n.entries[k] = _Entry(n.entries[k].doc, n.entries[k].counts)
        for k in affected:
            n._index(k)
        scores = {k: n._row_scores(k) for k in affected}
        n.rows = {k: _top(scores[k]) for k in affected}
        now_near: dict[Key, list[tuple[float, Key]]] = {}
        for k, found in scores.items():
            for s, other in found:
                if other not in affected:
                    now_near.setdefault(other, []).append((s, k))
        stale = gone | affected
        for k in n.entries.keys() - affected:
            row = _kept_row(self.rows[k], stale, now_near.get(k, ()))
            n.rows[k] = _top(n._row_scores(k)) if row is None else row
        n.changed = frozenset(k for k in n.rows if self.rows.get(k) != n.rows[k]) | (self.rows.keys() - n.rows.keys())
        return n

    def _index(self, k: Key) -> None:
        e = self.entries[k]
        e.vector = unit_vector(e.counts, self.idf, idf_of(len(self.entries), 0))
        e.keys = key_words(e.vector, self.idf)
        e.far_keys = key_words(e.vector, self.idf, KEY_REST_FAR)
        e.patterns, e.principles = frozenset(e.doc.patterns), frozenset(e.doc.principles)
        for t in e.counts:
            self.by_word.setdefault(t, set()).add(k)
        for t in e.keys:
            self.by_key_word.setdefault(t, set()).add(k)
        for p in e.patterns:
            self.by_pattern.setdefault(p, set()).add(k)

    def _unindex(self, k: Key, e: _Entry) -> None:
        for index, words in ((self.by_word, e.counts), (self.by_key_word, e.keys), (self.by_pattern, e.patterns)):
            for t in words:
                index[t].discard(k)
                if not index[t]:
                    del index[t]

    def _candidates(self, k: Key) -> set[Key]:
        """The docs that hold one of the doc's key words, or have a key word it holds, or share a pattern with
        it: every doc that can be its neighbour (KEY_REST). Less itself and its council's commitments."""
        e = self.entries[k]
        out: set[Key] = set()
        for t in e.keys:
            out |= self.by_word[t]
        for t in e.counts:
            out |= self.by_key_word.get(t, set())
        for p in e.patterns:
            out |= self.by_pattern[p]
        out.discard(k)
        if e.doc.type == "commitment" and e.doc.council:
            out = {o for o in out if _kept(e.doc, self.entries[o].doc)}
        return out

    def _row_scores(self, k: Key) -> list[tuple[float, Key]]:
        e = self.entries[k]
        found = ((_score(e, self.entries[o]), o) for o in self._candidates(k))
        return [(s, o) for s, o in found if s >= MINIMUM]


PARALLEL_FROM = 2000  # docs; below this, a second process costs more than it saves


@dataclass
class _Turns:
    """What every doc's turn reads: the docs in order, and by their places (sorted), the docs holding each word,
    having it as a far key word and naming each pattern, and by (service area, word) the docs of that area
    holding it or having it as a key word. Made once, before a second process is forked, which inherits it."""

    entries: list[_Entry]
    by_word: dict[str, list[int]] = field(default_factory=dict)
    by_far_key_word: dict[str, list[int]] = field(default_factory=dict)
    by_pattern: dict[str, list[int]] = field(default_factory=dict)
    by_area_word: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    by_area_key_word: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for i, e in enumerate(self.entries):  # in order: each list is sorted
            area = e.doc.service_area
            for index, words in ((self.by_word, e.counts), (self.by_far_key_word, e.far_keys),
                                 (self.by_pattern, e.patterns)):
                for t in words:
                    index.setdefault(t, []).append(i)
            if area:
                for area_index, words in ((self.by_area_word, e.counts), (self.by_area_key_word, e.keys)):
                    for t in words:
                        area_index.setdefault((area, t), []).append(i)


_turns: _Turns | None = None  # while _all_close_pairs runs: what the forked process reads


def _all_close_pairs(n: Neighbours, ordered: list[Key]) -> tuple[list[tuple[int, int, float]], int]:
    """Every pair of docs (by their places in `ordered`) that scores MINIMUM or more, with its score, and how
    many pairs were scored: on two cores where there are many docs, each taking every other doc's turn."""
    global _turns
    turns = _Turns([n.entries[k] for k in ordered])
    if len(ordered) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or sys.platform == "win32":
        return _close_pairs(turns, 0, 1)
    _turns = turns
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            other = pool.apply_async(_forked_close_pairs, (1, 2))
            pairs, scored = _close_pairs(turns, 0, 2)
            more, scored_more = other.get()
    finally:
        _turns = None
    return pairs + more, scored + scored_more


def _forked_close_pairs(start: int, step: int) -> tuple[list[tuple[int, int, float]], int]:
    assert _turns is not None
    return _close_pairs(_turns, start, step)


def _close_pairs(turns: _Turns, start: int, step: int) -> tuple[list[tuple[int, int, float]], int]:
    """The close pairs (i, j, score), i < j, found at the turns of the docs i = start, start + step, …: every
    later doc that holds one of i's far key words or has a far key word i holds; of i's service area, every
    later doc that holds one of its key words or has a key word it holds; and every later doc naming one of its
    patterns (sorted lists, so the later docs are a slice of each). Each pair is scored once, as `_score` scores
    it, written out here (this loop is most of a build's neighbours: a bonus is worked out only when the pair
    shares what it is for, as adding 0 changes nothing); and how many were scored."""
    entries, by_word, by_pattern = turns.entries, turns.by_word, turns.by_pattern
    by_far_key_word, by_area_word, by_area_key_word = turns.by_far_key_word, turns.by_area_word, turns.by_area_key_word
    vectors = [e.vector for e in entries]
    patterns_of = [e.patterns for e in entries]
    principles_of = [e.principles for e in entries]
    areas = [e.doc.service_area for e in entries]
    councils = [e.doc.council if e.doc.type == "commitment" else "" for e in entries]  # not each other's
    out, scored = [], 0
    for i in range(start, len(entries), step):
        e = entries[i]
        patterns, principles, area, council = e.patterns, e.principles, areas[i], councils[i]
        found: set[int] = set()
        for t in e.far_keys:
            places = by_word[t]
            found.update(places[bisect_right(places, i):])
        for t in e.counts:
            places = by_far_key_word.get(t, _NONE)
            if places:
                found.update(places[bisect_right(places, i):])
        if area:
            for t in e.keys:
                places = by_area_word[(area, t)]
                found.update(places[bisect_right(places, i):])
            for t in e.counts:
                places = by_area_key_word.get((area, t), _NONE)
                if places:
                    found.update(places[bisect_right(places, i):])
        for t in patterns:
            places = by_pattern[t]
            found.update(places[bisect_right(places, i):])
        candidates = [j for j in found if councils[j] != council] if council else found
        scored += len(candidates)
        words, weight = e.vector.keys(), e.vector.__getitem__
        for j in candidates:
            vector = vectors[j]
            shared = words & vector.keys()
            s = math.fsum(map(mul, map(weight, shared), map(vector.__getitem__, shared)))  # similarity.dot
            if patterns:
                named = patterns_of[j]
                if not patterns.isdisjoint(named):
                    s += SHARED_PATTERNS * len(patterns & named) / len(patterns | named)
            if principles:
                held = principles_of[j]
                if not principles.isdisjoint(held):
                    s += SHARED_PRINCIPLES * len(principles & held) / len(principles | held)
            if area and s > 0 and area == areas[j]:
                s += SAME_AREA
            if s >= _NEARLY:
                s = round(min(1.0, s), 3)
                if s >= MINIMUM:
                    out.append((i, j, s))
    return out, scored


_NONE: list[int] = []
_NEARLY = MINIMUM - 0.001  # below this, a score rounds below MINIMUM


def _top(found: Iterable[tuple[float, Key]]) -> Row:
    by_type: dict[str, list[tuple[float, Key]]] = {}
    for item in found:
        by_type.setdefault(item[1][0], []).append(item)
    return {t: tuple(sorted(items, key=_rank)[:LIMIT]) for t, items in sorted(by_type.items())}


def _kept_row(old: Row, stale: set[Key], near: Iterable[tuple[float, Key]]) -> Row | None:
    """A doc's row after the `stale` docs changed, from its old row and its new scores with them (`near`);
    None when that cannot tell: a full list lost one of its docs and what is left may not be the best."""
    more: dict[str, list[tuple[float, Key]]] = {}
    for item in near:
        more.setdefault(item[1][0], []).append(item)
    if not more and not any(o in stale for items in old.values() for _, o in items):
        return old
    row = {}
    for t in sorted(old.keys() | more.keys()):
        items = old.get(t, ())
        kept = [i for i in items if i[1] not in stale]
        merged = sorted(kept + more.get(t, []), key=_rank)
        if len(items) >= LIMIT and len(kept) < len(items):
            # The docs the old list left out all rank after its last: the first LIMIT are right only if
            # that many rank before it.
            last = _rank(items[-1])
            if sum(1 for i in merged if _rank(i) <= last) < LIMIT:
                return None
        if merged:
            row[t] = tuple(merged[:LIMIT])
    return row


def all_pairs_rows(built: Neighbours, only: Iterable[Key] | None = None) -> dict[Key, Row]:
    """The rows of `built`'s docs (those `only` names) if every pair were scored: what `make bench` and the
    tests compare its rows with."""
    n = built
    rows = {}
    for k in (n.entries if only is None else only):
        e = n.entries[k]
        rows[k] = _top((s, o) for o, f in n.entries.items()
                       if o != k and _kept(e.doc, f.doc) and (s := _score(e, f)) >= MINIMUM)
    return rows
