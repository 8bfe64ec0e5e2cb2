"""Lesson 9 checks: n-grams, the text generation model, and writing one word at a time.

The generator is scored against the song grammar's own best guesses on lines
drawn afresh for each run (``grader.datasets.songs``): no model can beat them.
"""

from __future__ import annotations

import numpy as np

from grader.checking import Learner, ModelInfo, Value, check, messages
from grader.checks import steps
from grader.checks.lesson9 import ngrams
from grader.checks.lesson9.building import assert_model, built_model
from grader.checks.lesson9.conftest import text_layer
from grader.checks.lesson9.judging import bidirectional, dense, embedding, recurrent_parameters
from grader.checks.lesson9.losses import next_word_loss
from grader.checks.lesson9.reading import agreement_problem, ngrams_problem, words_written
from grader.datasets import songs

# Calibrated (docs/calibration.md, lesson 9).
BEST_FRACTION = 0.90
"""Share of the grammar's best possible next-word accuracy the trained generator must reach."""
WRITING = (("we keep on", 4), ("the moon", 12))
"""Seeds and how many words to write after them (the second runs past max_length - 1)."""


@check(
    points=3,
    hint=(
        "For every line, every prefix of two words or more is one n-gram; pad them all to the "
        "longest, then split off the last word as the target.",
        "ids = vectorizer([line])[0] without its zeros; n-grams ids[:i + 1] for i from 1; "
        "keras.utils.pad_sequences(ngrams, maxlen=max_length, padding='pre'); inputs "
        "padded[:, :-1], targets padded[:, -1].",
    ),
)
def test_make_ngrams(learner: Learner) -> None:
    """make_ngrams gives every prefix of every line, padded at the start, and its next word"""
    vectorizer = text_layer(learner, ngrams.KNOWN_LINES)
    vocabulary = learner.run("vocabulary", obj=vectorizer.ref)
    answer = learner.call("make_ngrams", ngrams.KNOWN_LINES, vectorizer.ref)
    problem = ngrams_problem(answer, ngrams.KNOWN_LINES, vocabulary)
    assert problem is None, problem


@check(
    points=2,
    hint=(
        "The course's generator: an Embedding of 64 numbers per word, a Bidirectional LSTM of "
        "20 units, and one softmax output per vocabulary word.",
        "Input width max_length - 1; Embedding(total_words, 64), Bidirectional(LSTM(20)), "
        "Dense(total_words, activation='softmax'); compile with optimizer='adam' and "
        "loss='sparse_categorical_crossentropy'.",
    ),
)
def test_generator_model(
    learner: Learner,
    song_vocabulary: list[str],
    song_lines: list[str],
    record_property,
) -> None:
    """build_generator is Embedding(total_words, 64) → Bidirectional(LSTM(20)) → Dense(softmax)"""
    total, length = len(song_vocabulary), ngrams.longest(song_lines)
    sizes = {"total_words": total, "max_length": length}
    model, output = built_model(learner, "build_generator", length - 1, **sizes)
    wanted = [embedding(total, 64), bidirectional("LSTM", 20), dense(total, "softmax", True)]
    expected = total * 64 + 2 * recurrent_parameters("LSTM", 64, 20) + (40 * total + total)
    record_property("generator_parameters", assert_model(model, wanted, {expected}))
    if model.input_shapes is not None:
        widths = [list(shape[1:]) for shape in model.input_shapes]
        assert widths == [[length - 1]], (
            f"With max_length={length} the generator should take {length - 1} word ids (all "
            f"but the n-gram's last word); it takes {widths}."
        )
    assert output.shape[1] == total, f"Expected {total} outputs; found {output.shape[1]}."
    assert_compiled(model, learner)


def assert_compiled(generator: ModelInfo, learner: Learner) -> None:
    """The generator is compiled with Adam and a cross-entropy that agrees with its output."""
    assert generator.compiled, messages.NOT_COMPILED
    optimizer = generator.optimizer
    assert optimizer is not None and optimizer.is_a("Adam"), (
        f"Expected the Adam optimizer; found {optimizer.class_name if optimizer else 'none'}."
    )
    loss = next_word_loss(learner, generator)
    assert loss is not None and loss.reading != "other", (
        "Expected sparse categorical cross-entropy (targets are word ids) or categorical "
        f"cross-entropy (one-hot targets) as the loss; found {generator.loss_name}."
    )
    output = generator.folded()[-1].activation
    assert not (loss.reading == "logits" and output == "softmax"), messages.SOFTMAX_TWICE
    assert not (loss.reading == "probabilities" and output != "softmax"), (
        messages.LOGITS_AS_PROBABILITIES
    )


@check(
    points=4,
    hint=(
        "Train the generator on the n-grams you are given for the epochs you are given.",
        "train should call model.fit(sequences, labels, epochs=epochs) and return the History; "
        "the generator's last layer gives one probability per vocabulary word.",
    ),
)
def test_next_word_accuracy(
    learner: Learner,
    generator_training: steps.Training,
    heldout_lines: list[str],
    song_vocabulary: list[str],
    song_lines: list[str],
    grading,
    record_property,
) -> None:
    """After training, the generator guesses next words nearly as well as the grammar itself"""
    history = generator_training.history
    assert history.kind == "history", messages.not_a_history("train", history.type_name)
    inputs, targets, _ = ngrams.ngrams(heldout_lines, song_vocabulary, ngrams.longest(song_lines))
    outputs = learner.model_output(generator_training.model.ref, inputs)
    assert outputs.shape == (len(inputs), len(song_vocabulary)), (
        f"For {len(inputs)} n-grams the trained generator gave an output of shape "
        f"{outputs.shape}; expected {(len(inputs), len(song_vocabulary))}."
    )
    accuracy = float(np.mean(ngrams.top_words(outputs) == targets))
    best = songs.best_accuracy(heldout_lines)
    record_property("next_word_accuracy", accuracy)
    record_property("best_accuracy", best)
    record_property("best_fraction", accuracy / best)
    assert history.info.get("epochs") == grading.epochs, (
        f"The grader asked train for {grading.epochs} epochs; it trained for "
        f"{history.info.get('epochs')}. Pass epochs=epochs on to model.fit."
    )
    assert accuracy >= BEST_FRACTION * best, (
        f"On {len(heldout_lines)} new song lines the generator's most likely word was the "
        f"next word {accuracy:.1%} of the time; the grammar that wrote them, knowing its own "
        f"probabilities, gets {best:.1%}, and {BEST_FRACTION:.0%} of that "
        f"({BEST_FRACTION * best:.1%}) was expected after {grading.epochs} epochs."
    )


@check(
    points=3,
    hint=(
        "At each step: the text so far into ids, padded at the start to max_length - 1, the "
        "model's most likely word added to the text.",
        "ids = vectorizer([text])[0]; pad_sequences([ids], maxlen=max_length - 1, "
        "padding='pre'); scores = model.predict(…)[0]; leave out ids 0 and 1 "
        "(padding, [UNK]) before np.argmax; the word is vectorizer.get_vocabulary()[id].",
    ),
)
def test_generate(
    learner: Learner,
    generator_training: steps.Training,
    song_vectorizer: Value,
    song_vocabulary: list[str],
    song_lines: list[str],
) -> None:
    """generate writes the seed, then the model's most likely word, one word at a time"""
    length = ngrams.longest(song_lines)
    model = generator_training.model.ref
    for seed, count in WRITING:
        arguments = (model, song_vectorizer.ref, seed, count, length)
        first = learner.call("generate", *arguments)
        written = words_written(first, seed, count, song_vocabulary)
        again = learner.call("generate", *arguments)
        assert again.info.get("value") == first.info.get("value"), (
            f"generate(model, vectorizer, {seed!r}, {count}) gave two different texts: "
            f"{first.info.get('value')!r}, then {again.info.get('value')!r}. Take the most "
            "likely word each time (np.argmax), not a random one."
        )
        problem = agreement_problem(learner, model, seed, written, song_vocabulary, length)
        assert problem is None, problem
