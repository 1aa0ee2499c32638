"""The similarity engine (commons.analysis.similarity): its targets on the labelled pairs in
tests/similarity-pairs.yml, what it compares, its determinism and the cache of what it read."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from commons.analysis import similar_titles
from commons.analysis.corpus import CACHE, load_docs
from commons.analysis.documents import docs_of, problem_section
from commons.analysis.quality import evaluate, pairs
from commons.analysis.similarity import WARN_THRESHOLD, Doc, Index, dot, terms
from commons.content.vocabulary import SERVICE_AREAS
from conftest import REPO

LABELLED = yaml.safe_load((REPO / "tests" / "similarity-pairs.yml").read_text(encoding="utf-8"))


def test_the_labelled_set_is_big_enough_and_covers_every_service_area() -> None:
    labelled = pairs(LABELLED)
    assert len(labelled) >= 60
    assert set(LABELLED["match"]) == set(SERVICE_AREAS)
    assert sum(not p.match for p in labelled) >= 20


def test_the_right_entry_comes_first_for_at_least_90_percent_of_should_match_cases() -> None:
    quality = evaluate(pairs(LABELLED))
    assert quality.first_rate >= 0.9, f"misses: {quality.misses}"


def test_no_should_not_match_pair_reaches_the_warning_threshold() -> None:
    quality = evaluate(pairs(LABELLED))
    assert quality.false_positives == 0, f"highest: {quality.worst_differ}"
    assert quality.precision == 1.0


def test_meaning_beats_shared_words_on_the_same_pairs() -> None:
    """The words-only matcher `commons new pattern` refuses near-identical titles with finds few paraphrases."""
    ours = evaluate(pairs(LABELLED))
    words = evaluate(pairs(LABELLED), similar_titles.THRESHOLD,
                     lambda a, b: similar_titles.score(a.title, b.title))
    assert ours.recall > words.recall + 0.5
    assert ours.first_rate > words.first_rate


@pytest.mark.parametrize(("one", "other"), [
    ("Tell us your bin wasn't emptied", "Report a missed bin"),
    ("Apply for a blue badge", "Disabled parking permit application"),
    ("Rubbish not collected", "Missed waste collection"),
])
def test_paraphrases_share_their_terms(one: str, other: str) -> None:
    assert set(terms(one)) & set(terms(other)) - {"report", "apply"}


def test_a_different_service_with_the_same_verb_is_not_close() -> None:
    docs = [Doc("pattern", "missed", "Report a missed bin"), Doc("pattern", "order", "Order a new bin"),
            Doc("pattern", "pothole", "Report a pothole")]
    index = Index.build(docs)
    assert index.pair(docs[0], docs[2]) < WARN_THRESHOLD
    assert index.pair(docs[0], docs[1]) < WARN_THRESHOLD
    assert index.pair(docs[0], Doc("pattern", "q", "Tell us your bin wasn't emptied")) >= WARN_THRESHOLD


def test_ties_are_broken_by_type_then_key_whatever_the_order_given() -> None:
    docs = [Doc("pattern", k, "Report a missed bin") for k in ("b-slug", "a-slug")]
    docs.append(Doc("case-study", "z", "Report a missed bin"))
    query = Doc("", "", "Report a missed bin")
    for order in (docs, docs[::-1]):
        found = Index.build(order).nearest(query)
        assert [(m.doc.type, m.doc.key) for m in found] == [("case-study", "z"), ("pattern", "a-slug"),
                                                            ("pattern", "b-slug")]
        assert len({m.score for m in found}) == 1


_VECTORS = st.dictionaries(st.sampled_from([f"w{i}" for i in range(30)]), st.floats(0.001, 1.0), max_size=25)


@given(_VECTORS, _VECTORS, st.randoms())
def test_a_dot_product_is_the_same_whichever_way_round_and_in_any_order(a: dict[str, float], b: dict[str, float],
                                                                        rnd: random.Random) -> None:
    shuffled = dict(rnd.sample(sorted(b.items()), len(b)))  # the same vector, its words in another order
    expected = math.fsum(x * b[t] for t, x in sorted(a.items()) if t in b)
    assert dot(a, b) == dot(b, a) == dot(a, shuffled) == dot(shuffled, a) == expected


def test_shared_patterns_and_principles_bring_commitments_closer() -> None:
    a = Doc("commitment", "HCK/a", "Improve repairs", patterns=("housing-repairs",), principles=(1, 3))
    b = Doc("commitment", "ISL/b", "Better repairs", patterns=("housing-repairs",), principles=(1, 3))
    c = Doc("commitment", "LDS/c", "Better repairs", patterns=("other",), principles=(2,))
    index = Index.build([a, b, c])
    assert index.pair(a, b) > index.pair(a, c) > 0


def test_a_patterns_problem_section_is_what_its_body_says_first() -> None:
    body = "## Problem\n\nBins are missed.\n\n## Solution\n\nA form.\n"
    assert problem_section(body) == "Bins are missed."
    doc = docs_of("pattern", "patterns/x.md", "x", {"title": "X", "summary": "S", "service-area": "housing"},
                  body)[0]
    assert (doc.text, doc.service_area, doc.patterns) == ("Bins are missed.", "housing", ("x",))


def test_values_of_the_wrong_type_are_left_out_not_a_crash() -> None:
    assert docs_of("pattern", "p.md", "p", {"title": ["not", "text"]}) == []
    assert docs_of("commitment", "d.yml", "d", {"commitments": [None, {"id": 3, "title": "x"},
                                                                {"id": "ok", "title": "Fine",
                                                                 "principles": "1", "history": "x"}]},
                   folder="hackney") == [Doc("commitment", "hackney/ok", "Fine", "d.yml", council="hackney")]
    assert docs_of("commitment", "d.yml", "d", None) == []


def test_the_starter_commitments_are_keyed_by_council_code_with_their_patterns_area() -> None:
    docs = load_docs(REPO, use_cache=False)
    commitment = next(d for d in docs if d.key == "HCK/open-repairs-data")
    assert commitment.service_area == "housing"
    assert commitment.path == "councils/hackney/declaration.yml"
    assert {d.type for d in docs} == {"pattern", "case-study", "commitment"}


def test_the_cache_follows_every_change_to_the_files(repo: Path) -> None:
    first = load_docs(repo)
    assert (repo / CACHE).is_file()
    pattern = repo / "patterns" / "report-a-missed-bin.md"
    pattern.write_text(pattern.read_text(encoding="utf-8").replace(
        "title: Report a missed bin without an account", "title: Book a bulky waste collection today"),
        encoding="utf-8")
    again = load_docs(repo)
    assert [d.title for d in again if d.type == "pattern"] == ["Book a bulky waste collection today"]
    assert again != first
    (repo / CACHE).write_text("{not json", encoding="utf-8")
    assert load_docs(repo) == again
    assert json.loads((repo / CACHE).read_text(encoding="utf-8"))["version"] >= 1
    pattern.unlink()
    assert [d for d in load_docs(repo) if d.type == "pattern"] == []
