"""The song grammar (lesson 9): the same lines for a seed on every machine, a true next-word
distribution for every prefix, and a best possible accuracy that holds on samples."""

from __future__ import annotations

import hashlib
import itertools
import random
import re
from collections import Counter, defaultdict

import pytest

from grader.datasets import songs
from grader.datasets.songs import Choice, Grammar

TRAIN_DIGEST = "c706a461e0f43ee030402044b3ca713723ea3bc6ab7ecd11f1ac81c717eb7072"
"""SHA-256 of the training lines for seed 0, joined by newlines: they must never change
(lesson 9's calibration and goldens were made with them)."""


def digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def test_the_same_seed_gives_the_same_lines_and_splits_differ() -> None:
    train = songs.lines("train", seed=0)
    assert train == songs.lines("train", seed=0)
    assert len(train) == songs.SIZES["train"]
    assert train[:3] == [
        "i can hold close to my heart for you",
        "i can drive down the dusty town again",
        "i will drift across the harbor far away",
    ]
    assert digest(train) == TRAIN_DIGEST
    heldout = songs.lines("heldout", seed=0)
    assert len(heldout) == songs.SIZES["heldout"] and heldout[:20] != train[:20]
    assert songs.lines("heldout", seed=1)[:20] != heldout[:20]
    with pytest.raises(ValueError, match="split must be one of"):
        songs.lines("test")


def test_lines_are_plain_lower_case_words_that_the_training_lines_all_hold() -> None:
    train = songs.lines("train", seed=0)
    for line in train + songs.lines("heldout", seed=3):
        assert re.fullmatch(r"[a-z]+( [a-z]+)*", line), line
        assert 3 <= len(line.split()) <= 13, line
    assert {w for line in train for w in line.split()} == set(songs.grammar().vocabulary())


def test_a_small_grammar_has_the_best_accuracy_worked_out_by_hand() -> None:
    grammar = Grammar(
        {
            "start": (Choice("a", 0.5, "x"), Choice("b", 0.5, "y")),
            "x": (Choice("c", 0.7, None), Choice("d", 0.3, None)),
            "y": (Choice("e", 0.6, None), Choice(None, 0.4, None)),
        }
    )
    # Lines "a c"/"a d": one next word, right 70 % of the time. "b e": one, always right;
    # "b" alone (40 %): none. (0.5 * 0.7 + 0.5 * 0.6) / (0.5 * 1 + 0.5 * 0.6) = 0.8125.
    assert grammar.expected_best_accuracy() == pytest.approx(0.8125)
    assert grammar.distribution(["b"]) == {"e": 1.0}
    assert grammar.best_next(["a"]) == "c" and grammar.best_next(["a", "c"]) is None
    assert grammar.state_after(["c"]) is None and grammar.distribution(["c"]) == {}
    stream = random.Random("small")
    lines = [grammar.line(stream) for _ in range(4000)]
    assert Counter(line.split()[0] for line in lines)["a"] == pytest.approx(2000, abs=150)


def test_a_grammar_that_is_not_an_automaton_is_refused() -> None:
    with pytest.raises(ValueError, match="offers a word twice"):
        Grammar({"start": (Choice("a", 0.5, None), Choice("a", 0.5, None))})
    with pytest.raises(ValueError, match="do not sum to 1"):
        Grammar({"start": (Choice("a", 0.5, None),)})
    with pytest.raises(ValueError, match="does not exist"):
        Grammar({"start": (Choice("a", 1.0, "nowhere"),)})


def test_every_prefix_has_a_true_next_word_distribution() -> None:
    grammar = songs.grammar()
    for line in songs.lines("heldout", seed=5)[:100]:
        words = line.split()
        for i in range(1, len(words)):
            distribution = grammar.distribution(words[:i])
            assert sum(distribution.values()) == pytest.approx(1.0)
            assert words[i] in distribution
            assert grammar.best_next(words[:i]) == max(distribution, key=distribution.get)


def test_the_best_accuracy_on_samples_is_the_expected_one() -> None:
    expected = songs.grammar().expected_best_accuracy()
    assert 0.5 < expected < 0.56
    many = [line for seed in range(10) for line in songs.lines("heldout", seed=seed)]
    assert songs.best_accuracy(many) == pytest.approx(expected, abs=0.01)
    for seed in range(3):
        assert songs.best_accuracy(songs.lines("heldout", seed=seed)) == pytest.approx(
            expected, abs=0.03
        )


def test_the_previous_word_alone_does_not_reach_the_best() -> None:
    """A line's mood is set a few words back: guessing from the previous word only (the best
    such guess, counted on the training lines) falls well short of the grammar's best."""
    follows: dict[str, Counter] = defaultdict(Counter)
    for line in songs.lines("train", seed=0):
        words = line.split()
        for before, after in itertools.pairwise(words):
            follows[before][after] += 1
    heldout = songs.lines("heldout", seed=1)
    pairs = songs.next_words(heldout)
    right = sum(follows[p[-1]].most_common(1)[0][0] == word for p, word in pairs)
    assert right / len(pairs) < songs.best_accuracy(heldout) - 0.05
