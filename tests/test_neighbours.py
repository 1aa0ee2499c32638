"""Every entry's nearest neighbours (commons.analysis.neighbours): the same rows as scoring every pair, an
update the same as a build from scratch, and the site's state carrying them."""

from __future__ import annotations

import dataclasses
import random

import pytest

from commons.analysis import neighbours as nb
from commons.analysis.corpus import load_docs
from commons.analysis.neighbours import LIMIT, MINIMUM, Neighbours, all_pairs_rows, key_of
from commons.analysis.similarity import Doc, Index
from commons.bench.corpus import generate
from commons.site.state import build_state
from conftest import REPO


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Doc]:
    """The docs of a generated repository of 1,500 entries (many alike: few services, many councils)."""
    return load_docs(generate(tmp_path_factory.mktemp("neighbours") / "repo", 1500).root, use_cache=False)


@pytest.fixture(scope="module")
def built(corpus: list[Doc]) -> Neighbours:
    return Neighbours.build(corpus)


def _same_rows(one: Neighbours, other: Neighbours) -> None:
    assert one.rows.keys() == other.rows.keys()
    wrong = [k for k in one.rows if one.rows[k] != other.rows[k]]
    assert not wrong, f"{len(wrong)} rows differ, first {wrong[0]}: {one.rows[wrong[0]]} / {other.rows[wrong[0]]}"


def test_the_rows_are_those_of_scoring_every_pair(corpus: list[Doc], built: Neighbours) -> None:
    assert len(built) == len({key_of(d) for d in corpus}) > 1000
    everything = all_pairs_rows(built)
    missed = [k for k in built.rows if built.rows[k] != everything[k]]
    assert not missed, f"{len(missed)} rows miss a neighbour, first {missed[0]}"
    assert sum(len(items) for row in built.rows.values() for items in row.values()) > len(built)


def test_two_cores_find_what_one_finds_scoring_each_pair_once(corpus: list[Doc], built: Neighbours,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nb, "PARALLEL_FROM", 100)
    monkeypatch.setattr(nb.os, "cpu_count", lambda: 2)
    two = Neighbours.build(corpus)
    _same_rows(two, built)
    assert two.scored == built.scored
    assert len(built) < built.scored < len(built) * (len(built) - 1) // 4  # far fewer than every pair


def test_scores_are_the_engines_and_rows_are_ordered_limited_and_above_the_minimum(
        corpus: list[Doc], built: Neighbours) -> None:
    index = Index.build(corpus)
    docs = {key_of(d): d for d in corpus}
    checked = 0
    for k, row in list(built.rows.items())[::7]:
        for kind, items in row.items():
            assert 0 < len(items) <= LIMIT
            assert [s for s, _ in items] == sorted((s for s, _ in items), reverse=True)
            for s, other in items:
                assert other != k and other[0] == kind and s >= MINIMUM
                a, b = sorted([k, other])
                assert s == index.pair(docs[a], docs[b])
                checked += 1
    assert checked > 500


def test_a_councils_own_commitments_are_not_each_others_neighbours(built: Neighbours) -> None:
    commitments = [d for d in built.docs() if d.type == "commitment"]
    assert len(commitments) > 100
    for d in commitments:
        assert all(m.doc.council != d.council for m in built.similar("commitment", d.key, types=["commitment"]))


def test_similar_merges_the_types_best_first_and_knows_nothing_of_an_unknown_entry(built: Neighbours) -> None:
    pattern = next(d for d in built.docs() if d.type == "pattern" and len(built.rows[key_of(d)]) == 3)
    found = built.similar("pattern", pattern.key, limit=25)
    assert {m.doc.type for m in found} == {"pattern", "case-study", "commitment"}
    assert [(-m.score, m.doc.type, m.doc.key) for m in found] == sorted((-m.score, m.doc.type, m.doc.key)
                                                                       for m in found)
    assert built.similar("pattern", pattern.key, limit=3, types=["case-study"]) == \
        [m for m in found if m.doc.type == "case-study"][:3]
    assert built.similar("pattern", "no-such-pattern") == []


def _edited(docs: list[Doc], rng: random.Random) -> list[Doc]:
    """The corpus after a few edits of the kinds an author makes: a title reworded, a summary added to, an
    entry deleted, a new one, a commitment naming a pattern."""
    out = list(docs)
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(out))
        d = out[i]
        edit = rng.choice(["title", "summary", "delete", "add", "pattern"])
        if edit == "title":
            out[i] = dataclasses.replace(d, title=f"{d.title} for older residents")
        elif edit == "summary":
            out[i] = dataclasses.replace(d, summary=d.summary + " Staff answer fewer calls about it.")
        elif edit == "delete":
            del out[i]
        elif edit == "add":
            out.append(dataclasses.replace(d, key=f"{d.key}-again-{rng.randrange(1000)}",
                                           title="Report a missed bin collection on a phone"))
        else:
            out[i] = dataclasses.replace(d, patterns=tuple(sorted({*d.patterns, docs[0].key})))
    return out


def test_an_update_gives_what_a_build_from_scratch_gives(corpus: list[Doc], built: Neighbours) -> None:
    rng = random.Random(16)
    before, docs = built, corpus
    for _ in range(6):
        docs = _edited(docs, rng)
        updated = before.update(docs)
        afresh = Neighbours.build(docs)
        _same_rows(updated, afresh)
        assert updated.changed == {k for k in afresh.rows if before.rows.get(k) != afresh.rows[k]} | (
            before.rows.keys() - afresh.rows.keys())
        before = updated
    _same_rows(built, Neighbours.build(corpus))  # what an update starts from is left as it was


def test_an_update_that_changes_nothing_compares_nothing(built: Neighbours, corpus: list[Doc],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> float:
        raise AssertionError("compared a pair")

    monkeypatch.setattr(nb, "_score", refuse)
    again = built.update(list(reversed(corpus)))
    assert again.changed == frozenset() and again.rows == built.rows


def test_an_edit_compares_again_only_a_few_entries(built: Neighbours, corpus: list[Doc],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = []
    score = nb._score
    monkeypatch.setattr(nb, "_score", lambda a, b: pairs.append(1) or score(a, b))
    i = next(i for i, d in enumerate(corpus) if d.type == "pattern")
    built.update([dataclasses.replace(d, title=d.title + " with a photo") if n == i else d
                  for n, d in enumerate(corpus)])
    everything = len(corpus) * (len(corpus) - 1) // 2
    assert 0 < len(pairs) < everything / 50


def test_the_site_state_carries_the_neighbours_of_the_commons_own_entries() -> None:
    s = build_state(REPO)
    found = s.neighbours.similar("pattern", "report-a-missed-bin")
    assert "hackney-missed-bin-reports-without-an-account" in [m.doc.key for m in found if m.doc.type == "case-study"]
    assert len(s.neighbours) == len(load_docs(REPO, use_cache=False))
