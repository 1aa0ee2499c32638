"""Which entries are about the same work: patterns, case studies and Declaration commitments, by meaning.

Each entry becomes a `Doc` (its title, summary, the text of its problem, its service area, the patterns it
names and its principles). Its words are normalised through the council-service synonyms
(`commons.analysis.synonyms`: "wasn't emptied" is "missed", "refuse" is "bin"), small words dropped, and
weighted by TF-IDF over the corpus (a word most entries use says little), the title's words counting
TITLE_WEIGHT times, the summary's once and the opening of the problem text's BODY_WEIGHT (its words only: the
phrase table is kept for titles and summaries, where it matters and costs little). Two entries' score is the cosine
of those vectors, plus a little for what they share besides words: the patterns they name (SHARED_PATTERNS ×
the Jaccard index of the two sets), their Declaration principles (SHARED_PRINCIPLES × the same) and their
service area (SAME_AREA); capped at 1.

WARN_THRESHOLD or above is "very close": check-pr and `commons new pattern` warn (W-SIMILAR). The labelled
pairs in tests/similarity-pairs.yml hold it to its targets (tests/test_similarity.py), and `make bench` prints
its precision and recall beside the words-only matcher's (`similar_titles`).

Deterministic: no randomness, sums that do not depend on the order of a set (`dot`), and ties broken by
(type, key).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import mul

from commons.analysis.synonyms import APOSTROPHES, canonical, normalise

TITLE_WEIGHT = 3.0
BODY_WEIGHT = 0.3
SHARED_PATTERNS = 0.3
SAME_AREA = 0.05
SHARED_PRINCIPLES = 0.05
WARN_THRESHOLD = 0.5  # tests/test_similarity.py: no should-not pair reaches it
# IDF is rounded to this step (and counts the corpus's size in steps: corpus_size), so that an entry more or a
# word changed moves the weight of only the few words whose rounded IDF crosses a step
# (commons.analysis.neighbours compares again only the entries that have them)
IDF_STEP = 0.05
MAX_TEXT = 300  # characters of a problem text read: its opening (two sentences or so) says what it is about; more
# costs time (every pair of entries compares their words) and, on the labelled pairs, finds nothing more
TYPES = ("pattern", "case-study", "commitment")

_STOP = frozenset(
    "a an the of for to and or in on with without by at from your my our their its is are be been was were "
    "when if it this that these those we us you they them he she his her as so can could will would should "
    "do does did not no all any more most some such than then there here what which who how about into over "
    "up out one two new get give let make use using used has have had also only just each every other own "
    "council councils service services".split())
# Verbs and nouns nearly every service has: they count LIGHT_WEIGHT times, so "Report a missed bin" and
# "Report a pothole" are not alike for sharing "report"
LIGHT = frozenset("report apply pay booking check find change support online resident renew cancel track "
                  "arrange send ask home people form".split())
LIGHT_WEIGHT = 0.35
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Doc:
    type: str  # pattern | case-study | commitment
    key: str  # a pattern's or case study's slug; a commitment's "CODE/id"
    title: str
    path: str = ""
    summary: str = ""
    text: str = ""  # a pattern's problem section, a commitment's first update
    service_area: str = ""
    patterns: tuple[str, ...] = ()  # the patterns it names (a pattern: itself)
    principles: tuple[int, ...] = ()
    council: str = ""  # a commitment's or case study's council code


@dataclass(frozen=True)
class Match:
    doc: Doc
    score: float


def terms(text: str, phrases: bool = True) -> list[str]:
    """The meaningful, normalised words of `text`: 'Tell us your bin wasn't emptied' -> ['report', 'bin', 'missed'];
    without `phrases`, words only (the phrase table is most of the cost of a long text)."""
    out = []
    for w in _WORD.findall(normalise(text) if phrases else APOSTROPHES.sub("", text.lower())):
        if w in _STOP or len(w) < 2:
            continue
        c = canonical(w)
        if c not in _STOP:
            out.append(c)
    return out


def weighted_terms(doc: Doc) -> dict[str, float]:
    """Each term of the doc with its weight before IDF: title, summary and problem text weighted apart."""
    counts: dict[str, float] = {}
    for part, weight in ((doc.title, TITLE_WEIGHT), (doc.summary, 1.0), (doc.text[:MAX_TEXT], BODY_WEIGHT)):
        for t in terms(part, phrases=weight != BODY_WEIGHT):
            counts[t] = counts.get(t, 0.0) + (weight * LIGHT_WEIGHT if t in LIGHT else weight)
    return counts


def corpus_size(n: int) -> int:
    """`n` docs rounded up to a step of about 19% (a power of 2 ** 0.25), as IDF counts them: so that one
    entry more moves no word's weight, except when it takes the corpus past a step."""
    return round(2 ** (math.ceil(math.log2(max(n, 1)) * 4 - 1e-9) / 4))


def idf_of(n: int, df: int) -> float:
    """The (rounded) inverse document frequency of a word `df` of `n` docs have; 0 of them: the rarest."""
    return round((math.log((1 + corpus_size(n)) / (1 + df)) + 1.0) / IDF_STEP) * IDF_STEP


def unit_vector(counts: Mapping[str, float], idf: Mapping[str, float], rare: float) -> dict[str, float]:
    """Unit TF-IDF vector of `weighted_terms`; a word `idf` lacks weighs `rare`."""
    v = {t: (1 + math.log(w)) * idf.get(t, rare) if w >= 1 else w * idf.get(t, rare) for t, w in counts.items()}
    norm = math.sqrt(sum(x * x for x in v.values()))
    return {t: x / norm for t, x in v.items()} if norm else {}


def dot(va: Mapping[str, float], vb: Mapping[str, float]) -> float:
    """The dot product of two vectors, over the words they share, summed exactly (math.fsum): so it is the same
    whichever way round and in whatever order the words come (a set's order changes from process to process)."""
    shared = va.keys() & vb.keys()
    return math.fsum(map(mul, map(va.__getitem__, shared), map(vb.__getitem__, shared)))


@dataclass
class Index:
    """Docs with their TF-IDF vectors, ready to be compared with each other or with a query."""

    docs: tuple[Doc, ...]
    idf: dict[str, float] = field(default_factory=dict)
    vectors: list[dict[str, float]] = field(default_factory=list)

    @classmethod
    def build(cls, docs: Iterable[Doc]) -> Index:
        return cls.from_weighted((d, weighted_terms(d)) for d in docs)

    @classmethod
    def from_weighted(cls, items: Iterable[tuple[Doc, Mapping[str, float]]]) -> Index:
        """The index of docs whose `weighted_terms` were worked out before (and kept: commons.analysis.corpus)."""
        pairs = sorted(items, key=lambda item: (item[0].type, item[0].key))
        ordered = tuple(d for d, _ in pairs)
        raw = [w for _, w in pairs]
        df: Counter[str] = Counter()
        for r in raw:
            df.update(r.keys())
        n = len(ordered)
        idf = {t: idf_of(n, c) for t, c in df.items()}
        index = cls(ordered, idf)
        index.vectors = [index.vector(r) for r in raw]
        return index

    def vector(self, counts: Mapping[str, float]) -> dict[str, float]:
        """Unit TF-IDF vector; a word no doc has counts as the rarest."""
        return unit_vector(counts, self.idf, idf_of(len(self.docs), 0))

    def score(self, a: Doc, va: dict[str, float], b: Doc, vb: dict[str, float]) -> float:
        """The score of two docs with their vectors: the same either way round."""
        s = dot(va, vb)
        if a.patterns and b.patterns:
            pa, pb = set(a.patterns), set(b.patterns)
            s += SHARED_PATTERNS * len(pa & pb) / len(pa | pb)
        if a.principles and b.principles:
            qa, qb = set(a.principles), set(b.principles)
            s += SHARED_PRINCIPLES * len(qa & qb) / len(qa | qb)
        if a.service_area and a.service_area == b.service_area and s > 0:
            s += SAME_AREA
        return round(min(1.0, s), 3)

    def nearest(self, query: Doc, limit: int = 10, types: Sequence[str] = TYPES, minimum: float = 0.0,
                exclude: Iterable[tuple[str, str]] = ()) -> list[Match]:
        """The docs nearest `query`, best first (ties by type and key), at least `minimum` and above 0;
        `exclude` holds (type, key) pairs to leave out (the query's own entry)."""
        skip = set(exclude)
        qv = self.vector(weighted_terms(query))
        found = []
        for doc, v in zip(self.docs, self.vectors, strict=True):
            if doc.type not in types or (doc.type, doc.key) in skip:
                continue
            s = self.score(query, qv, doc, v)
            if s > 0 and s >= minimum:
                found.append(Match(doc, s))
        found.sort(key=lambda m: (-m.score, m.doc.type, m.doc.key))
        return found[:limit] if limit else found

    def pair(self, a: Doc, b: Doc) -> float:
        """The score of two docs, with this index's IDF."""
        return self.score(a, self.vector(weighted_terms(a)), b, self.vector(weighted_terms(b)))
