"""Patterns whose titles are the same or nearly the same as a new one, to offer improving one of those instead.

Only the words are compared here: titles are normalised (lower case, apostrophes dropped, punctuation and the
small words "a", "the", "your", … left out, a plural -s dropped) and two titles are near when the words they
share are most of both: the Dice coefficient of their word sets, 2 × shared / (words of one + words of the
other), where a word misspelt ("mised", difflib's ratio WORD_CUTOFF or more) counts as shared. THRESHOLD or
above is a match: "Report a missed bin collection" and "Report a missed bin without an account" share three of
four words each (0.75), "Report a pothole" and "Report a missed bin" one of two and three (0.4), "Tell us once
when you move" and "Tell us once when someone dies" three of five (0.6).

`commons new pattern` and `commons from-issue` ask before adding a near duplicate. It stays words only, and
apart from similarity by meaning (`commons.analysis.similarity`), because it refuses: `commons new pattern`
writes nothing and `from-issue` asks a question, so it must catch only what is plainly the same title, and its
score depends on nothing but the two titles (the engine's depends on the whole corpus through TF-IDF, so the
same two titles could pass one day and be refused the next). The engine, which finds paraphrases too, warns
instead (W-SIMILAR) in `commons new pattern` and check-pr.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

THRESHOLD = 0.7  # tests/test_scaffold.py checks it against the starter patterns and the examples
WORD_CUTOFF = 0.8
_SMALL = frozenset("a an the of for to and or in on with without by at from your my our their its is are be "
                   "when if it".split())
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc`]")


@dataclass(frozen=True)
class Similar:
    path: str
    title: str
    score: float  # 1.0 for the same words


def words(title: str) -> tuple[str, ...]:
    """The title's meaningful words, normalised: 'Report a missed bins!' -> ('report', 'missed', 'bin')."""
    out = []
    for w in re.findall(r"[a-z0-9]+", _APOSTROPHES.sub("", title.lower())):
        if w in _SMALL:
            continue
        out.append(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return tuple(out)


def score(a: str, b: str) -> float:
    """How near two titles are, from 0 (nothing in common) to 1 (the same words)."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    sa, sb = set(wa), set(wb)
    shared = sum(1 for w in sa if w in sb or difflib.get_close_matches(w, sb, n=1, cutoff=WORD_CUTOFF))
    return min(1.0, 2 * shared / (len(sa) + len(sb)))


def similar(title: str, existing: Iterable[tuple[str, str]], threshold: float = THRESHOLD) -> list[Similar]:
    """The (path, title) pairs of `existing` near `title`, nearest first."""
    found = [Similar(path, other, round(score(title, other), 3)) for path, other in existing]
    return sorted((s for s in found if s.score >= threshold), key=lambda s: (-s.score, s.path))
