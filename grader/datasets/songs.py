"""Short "song lines", generated with a seed from a probabilistic grammar whose next-word
probabilities are known exactly.

The course writes lyrics with a model trained on real songs; those cannot be
shipped, so lesson 9 trains on lines like "we keep on sailing across the deep
ocean forever" or "the moon rises tonight", drawn from a small grammar over the
word lists in ``songs_words.json`` (written for this package, about 170 words).

The grammar is a finite automaton: from each state it emits one word, chosen
with a known probability, and the word decides the next state (no state offers
the same word twice).  So the words of a line so far always name one state, and
``Grammar.distribution`` gives the true probability of every next word.  No
model can do better at guessing the next word than the grammar's own most
likely one (``Grammar.best_next``): ``best_accuracy(lines)`` is the share of a
set of lines' next words it gets right, ``Grammar.expected_best_accuracy()``
what that share tends to over many lines.  A line's mood (night, sea, road,
fire, rain, heart) is set by its verb or noun and decides its later words, so
remembering a word from a few steps back pays; the previous word alone does not
say enough.

Within every list the first option is the most likely: the k-th of n has weight
1/k (Zipf's law), and the moods have the weights the file gives them.  The same
seed gives the same lines on every machine: only ``random.Random`` seeded with a
string (hashed with SHA-512) and its ``random()`` draws are used.
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

WORDS_FILE = Path(__file__).with_name("songs_words.json")
SIZES = {"train": 1200, "heldout": 400}
"""Lines per split."""
END_SHARE = 0.4
"""Chance that a line ends where it may end (after its noun or its verb)."""
ADJECTIVE_SHARE = 0.6
"""Chance that a place is followed by an adjective rather than straight by its noun."""
START = "start"


@dataclass(frozen=True)
class Choice:
    """One way out of a state."""

    word: str | None
    """The word emitted; ``None`` ends the line."""
    probability: float
    """Its probability in that state."""
    next: str | None
    """The state it leads to (``None`` after the end)."""


class Grammar:
    """A finite automaton over words, each state offering each word at most once."""

    def __init__(self, states: dict[str, tuple[Choice, ...]]) -> None:
        for name, choices in states.items():
            words = [c.word for c in choices]
            if len(set(words)) != len(words):
                raise ValueError(f"state {name!r} offers a word twice")
            if abs(sum(c.probability for c in choices) - 1.0) > 1e-9:
                raise ValueError(f"state {name!r}: probabilities do not sum to 1")
            if any(c.next is not None and c.next not in states for c in choices):
                raise ValueError(f"state {name!r} leads to a state that does not exist")
        self.states = states

    def state_after(self, words: Sequence[str]) -> str | None:
        """The state the words lead to from the start; ``None`` when no line begins so."""
        state: str | None = START
        for word in words:
            found = [c for c in self.states[state] if c.word == word] if state else []
            if not found:
                return None
            state = found[0].next
        return state

    def distribution(self, words: Sequence[str]) -> dict[str, float]:
        """The probability of each next word after ``words``, given that the line goes on."""
        state = self.state_after(words)
        choices = [c for c in self.states.get(state or "", ()) if c.word is not None]
        total = sum(c.probability for c in choices)
        return {c.word: c.probability / total for c in choices if c.word}

    def best_next(self, words: Sequence[str]) -> str | None:
        """The most likely next word (the first listed among equals); ``None`` at an end."""
        distribution = self.distribution(words)
        return max(distribution, key=distribution.__getitem__) if distribution else None

    def vocabulary(self) -> list[str]:
        """Every word the grammar can emit, sorted."""
        return sorted({c.word for cs in self.states.values() for c in cs if c.word})

    def line(self, stream: random.Random) -> str:
        """One line, its words drawn from ``stream``."""
        words: list[str] = []
        state: str | None = START
        while state is not None:
            draw, chosen = stream.random(), None
            for chosen in self.states[state]:
                if draw < chosen.probability:
                    break
                draw -= chosen.probability
            assert chosen is not None
            if chosen.word is not None:
                words.append(chosen.word)
            state = chosen.next
        return " ".join(words)

    def expected_best_accuracy(self) -> float:
        """What ``best_accuracy`` tends to over many lines: the expected number of next
        words the grammar's best guess gets right over the expected number of next words
        (every word of a line but its first is one)."""
        known: dict[str, tuple[float, float]] = {}

        def expected(state: str, first: bool = False) -> tuple[float, float]:
            """Expected (right guesses, next words) from ``state`` to the end of the line."""
            if state not in known or first:
                words = [c for c in self.states[state] if c.word is not None]
                right = 0.0 if first else max(c.probability for c in words)
                count = 0.0 if first else sum(c.probability for c in words)
                for choice in words:
                    if choice.next is not None:
                        later_right, later_count = expected(choice.next)
                        right += choice.probability * later_right
                        count += choice.probability * later_count
                known[state] = (right, count)
            return known[state]

        right, count = expected(START, first=True)
        return right / count


def ranked(options: Sequence[str], share: float = 1.0) -> list[float]:
    """Zipf weights for options listed most likely first, scaled to sum to ``share``."""
    weights = [1.0 / (k + 1) for k in range(len(options))]
    return [share * w / sum(weights) for w in weights]


class _Builder:
    """Assembles the automaton; a choice of several words becomes a chain of states."""

    def __init__(self) -> None:
        self.states: dict[str, list[Choice]] = {}

    def add(self, state: str, text: str | None, probability: float, target: str | None) -> None:
        words = text.split() if text else [None]
        for i, word in enumerate(words):
            name = state if i == 0 else f"{state}/{text}/{i}"
            chained = f"{state}/{text}/{i + 1}" if i + 1 < len(words) else target
            self.states.setdefault(name, []).append(
                Choice(word, probability if i == 0 else 1.0, chained)
            )

    def options(
        self, state: str, texts: Iterable[str], target: str | None, share: float = 1.0
    ) -> None:
        texts = list(texts)
        for text, probability in zip(texts, ranked(texts, share), strict=True):
            self.add(state, text, probability, target)


def _build(spec: dict) -> Grammar:
    moods = spec["moods"]
    total = sum(m["weight"] for m in moods)
    build = _Builder()
    openers = spec["openers"]
    for text, probability in zip(openers, ranked(openers), strict=True):
        target = {"the": "the", "oh": "oh"}.get(text, "subject")
        build.add(START, text, probability, target)
    after_oh = [o for o in openers if o != "oh"]
    for text, probability in zip(after_oh, ranked(after_oh), strict=True):
        build.add("oh", text, probability, "the" if text == "the" else "subject")
    auxiliaries = spec["auxiliaries"]
    for text, probability in zip(auxiliaries, ranked(auxiliaries), strict=True):
        build.add("subject", text, probability, "ing" if text == "keep on" else "verb")
    for mood in moods:
        _add_mood(build, mood, mood["weight"] / total)
    return Grammar({name: tuple(choices) for name, choices in build.states.items()})


def _add_mood(build: _Builder, mood: dict, weight: float) -> None:
    name = mood["name"]
    verbs = mood["verbs"]
    for (base, ing), probability in zip(verbs, ranked(verbs, weight), strict=True):
        build.add("verb", base, probability, f"{name}:place")
        build.add("ing", ing, probability, f"{name}:place")
    build.options(f"{name}:place", mood["places"], f"{name}:adjective")
    build.options(f"{name}:adjective", mood["adjectives"], f"{name}:noun", ADJECTIVE_SHARE)
    build.options(f"{name}:adjective", mood["nouns"], f"{name}:ending", 1 - ADJECTIVE_SHARE)
    build.options(f"{name}:noun", mood["nouns"], f"{name}:ending")
    build.options("the", mood["nouns"], f"{name}:does", weight)
    build.options(f"{name}:does", mood["does"], f"{name}:ending")
    build.options(f"{name}:ending", mood["endings"], None, 1 - END_SHARE)
    build.add(f"{name}:ending", None, END_SHARE, None)


@functools.cache
def grammar() -> Grammar:
    """The song grammar, built once from ``songs_words.json``."""
    return _build(json.loads(WORDS_FILE.read_text(encoding="utf-8")))


def lines(split: str = "train", seed: int = 0) -> list[str]:
    """The lines of one split: ``"train"`` (1,200) or ``"heldout"`` (400), each split
    from its own random stream, so the same ``seed`` gives different lines in each."""
    if split not in SIZES:
        raise ValueError(f"split must be one of {sorted(SIZES)}, not {split!r}")
    stream = random.Random(f"songs:{split}:{seed}")
    return [grammar().line(stream) for _ in range(SIZES[split])]


def next_words(texts: Iterable[str]) -> list[tuple[list[str], str]]:
    """Every (words so far, next word) pair of every line: a line of n words gives n - 1,
    as the course's n-grams do."""
    pairs = []
    for text in texts:
        words = text.split()
        pairs += [(words[:i], words[i]) for i in range(1, len(words))]
    return pairs


def best_accuracy(texts: Iterable[str]) -> float:
    """The share of the lines' next words that the grammar's most likely word gets right:
    the best any model can expect on them."""
    pairs = next_words(texts)
    right = sum(grammar().best_next(before) == word for before, word in pairs)
    return right / len(pairs)
