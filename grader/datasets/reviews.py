"""Short product and restaurant reviews, generated with a seed, labelled 1 (positive) or 0.

Every review is built from a small grammar over the word lists in
``reviews_words.json`` (written for this package; about 1,030 words: sentiment
adjectives and verbs, intensifiers, negators, nouns, fillers).  A review holds
one or two *opinion clauses* ("the soup was really tasty", "we would never
recommend the kettle") among neutral clauses ("we ordered the thai curry on
friday").  An opinion's polarity is its word's (good +1, bad -1), flipped by a
negator before it ("not good", "never disappointing", "i did not enjoy the
pasta").  The label follows the opinions:

* one opinion: its polarity;
* two joined by "and": they agree, and the label is theirs;
* two joined by "but": they disagree, and the label is the second one's.

So word order matters: "the food was not good but the staff were great" and
"the food was good but the staff were not great" hold the same words and have
opposite labels.  A model that averages word embeddings cannot tell such pairs
apart; a recurrent one can (lesson 9 measures this with ``negation_reviews``).

Then ``NOISE`` (3 %) of the labels are flipped at random, independently of the
text, so no model can expect more than ``CEILING`` = 97 % accuracy on fresh
reviews.  The same seed gives the same reviews on every machine: only
``random.Random`` seeded with a string (hashed with SHA-512, not with Python's
per-process hash) and its ``random()`` draws are used.
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

WORDS_FILE = Path(__file__).with_name("reviews_words.json")
NOISE = 0.03
"""Share of labels flipped at random."""
CEILING = 1.0 - NOISE
"""Best accuracy any model can expect on fresh reviews."""
SIZES = {"train": 4000, "heldout": 1000}
"""Reviews per split."""
MIN_WORDS, MAX_WORDS = 3, 25
NEGATED = 0.2
"""Chance that an opinion is negated."""
SHAPES = (("single", 0.6), ("and", 0.25), ("but", 0.15))
"""How many opinions a review holds and how they are joined, with their shares."""


@dataclass(frozen=True)
class Review:
    """One generated review."""

    text: str
    """Lower-case words separated by single spaces."""
    label: int
    """1 positive, 0 negative, after the random flips."""
    true_label: int
    """The label the grammar gives, before the random flips."""
    shape: str
    """``"single"``, ``"and"`` or ``"but"``."""
    negations: int
    """How many of its opinions are negated."""


@functools.cache
def words() -> dict[str, list[str]]:
    """The word lists, by part (read once)."""
    return json.loads(WORDS_FILE.read_text(encoding="utf-8"))


class _Writer:
    """Draws the parts of reviews from one seeded random stream."""

    def __init__(self, seed: str) -> None:
        self.random = random.Random(seed)

    def pick(self, options: Sequence[str], skew: bool = False) -> str:
        """One option, uniformly, or favouring the first ones when ``skew``."""
        draw = self.random.random()
        return options[int(len(options) * (draw * draw if skew else draw))]

    def chance(self, share: float) -> bool:
        return self.random.random() < share

    def shape(self) -> str:
        draw = self.random.random()
        for name, share in SHAPES:
            if draw < share:
                return name
            draw -= share
        return SHAPES[-1][0]

    def noun(self) -> str:
        part = "restaurant_nouns" if self.chance(0.5) else "product_nouns"
        return self.pick(words()[part], skew=True)

    def subject(self) -> str:
        if self.chance(0.6):
            return self.pick(("i", "we"))
        return f"{self.pick(('my', 'our'))} {self.pick(words()['people'][6:], skew=True)}"

    def opinion(self, polarity: int, negated: bool) -> str:
        """An opinion clause whose meaning is ``polarity`` (+1 or -1)."""
        word_polarity = -polarity if negated else polarity
        sign = "positive" if word_polarity > 0 else "negative"
        if self.chance(0.3):
            verb = self.pick(words()[f"{sign}_verbs"], skew=True).split("/")
            if negated:
                helper = self.pick(("did not", "do not", "would not", "would never", "never"))
                return f"{self.subject()} {helper} {verb[0]} the {self.noun()}"
            return f"{self.subject()} {verb[1]} the {self.noun()}"
        adjective = self.pick(words()[f"{sign}_adjectives"], skew=True)
        negator = self.pick(words()["negators"]) if negated else ""
        if negator in ("", "not") and self.chance(0.35):
            adjective = f"{self.pick(words()['intensifiers'])} {adjective}"
        if negated:
            adjective = f"{negator} {adjective}"
        if not negated and self.chance(0.25):
            return f"{self.pick(('a', 'the', 'this'))} {adjective} {self.noun()}"
        return f"the {self.noun()} {self.pick(('was', 'is'))} {adjective}"

    def neutral(self) -> str:
        """A clause with no opinion in it."""
        vocabulary = words()
        kind = self.random.random()
        if kind < 0.4:
            verb = self.pick(vocabulary["neutral_verbs"], skew=True)
            adjective = self.pick(vocabulary["neutral_adjectives"], skew=True)
            when = self.pick(vocabulary["time_words"], skew=True)
            return f"{self.subject()} {verb} the {adjective} {self.noun()} {when}"
        if kind < 0.65:
            place = self.pick(vocabulary["places"], skew=True)
            return f"{self.subject()} went to the {place} with {self.pick(vocabulary['names'])}"
        if kind < 0.85:
            thing = self.pick(vocabulary["more_nouns"] + vocabulary["extras"], skew=True)
            return f"it came with the {self.pick(vocabulary['neutral_adjectives'])} {thing}"
        return self.pick(vocabulary["fillers"])

    def review(self, shape: str | None = None, negations: int | None = None) -> Review:
        """One review within the length limits (drawn again until it fits)."""
        while True:
            review = self._draft(shape or self.shape(), negations)
            if MIN_WORDS <= len(review.text.split()) <= MAX_WORDS:
                return review

    def _draft(self, shape: str, negations: int | None) -> Review:
        count = 1 if shape == "single" else 2
        if negations is None:
            negated = [self.chance(NEGATED) for _ in range(count)]
        else:
            negated = [i < negations for i in range(count)]
            self.random.shuffle(negated)
        label = 1 if self.chance(0.5) else 0
        last = 1 if label else -1
        polarities = [last] if shape == "single" else [last if shape == "and" else -last, last]
        opinions = [self.opinion(p, n) for p, n in zip(polarities, negated, strict=True)]
        clauses = [opinions[0]] if count == 1 else [opinions[0], shape, opinions[1]]
        if self.chance(0.4):
            clauses.insert(0, f"{self.neutral()} {self.pick(('and', 'then', 'so'))}")
        if self.chance(0.35):
            clauses.append(f"{self.pick(('and', 'so', 'then'))} {self.neutral()}")
        flipped = 1 - label if self.chance(NOISE) else label
        return Review(" ".join(clauses), flipped, label, shape, sum(negated))


def generate(count: int, seed: str) -> list[Review]:
    """``count`` reviews from the stream named ``seed``."""
    writer = _Writer(seed)
    return [writer.review() for _ in range(count)]


def reviews(split: str = "train", seed: int = 0) -> tuple[list[str], list[int]]:
    """The texts and labels (1 positive, 0 negative) of one split.

    ``split`` is ``"train"`` (4,000 reviews) or ``"heldout"`` (1,000); the two
    splits come from separate random streams, so the same ``seed`` gives
    different reviews in each.
    """
    if split not in SIZES:
        raise ValueError(f"split must be one of {sorted(SIZES)}, not {split!r}")
    drawn = generate(SIZES[split], f"reviews:{split}:{seed}")
    return [review.text for review in drawn], [review.label for review in drawn]


def negation_reviews(count: int, seed: int) -> list[Review]:
    """Reviews whose label only word order can tell: two opinions joined by "but",
    one of them negated, both written with words of the same polarity (so the
    same words, with the negator moved, give the opposite label)."""
    writer = _Writer(f"reviews:negation:{seed}")
    return [writer.review(shape="but", negations=1) for _ in range(count)]
