"""Lesson 9: the reference passes every check; each wrong submission fails its own.

The wrong submissions are golden cases (tests/cases/lesson9/), graded once per
session: two at one epoch, several mistakes sharing a run when each fails a
different check, and lesson 8's averaging model at the full budget (its
generator is left unwritten, so the run is short), which the word-order check
must catch.  The grader's own n-grams, padding and parameter counts are
compared with Keras first.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from grader.checks.lesson9 import ngrams, reading
from grader.checks.lesson9.conftest import HELDOUT_SEED_VARIABLE
from grader.checks.lesson9.test_lesson9 import (
    ACCURACY_THRESHOLD,
    CONV_PARAMETERS,
    GRU_PARAMETERS,
    LSTM_PARAMETERS,
    NEGATION_THRESHOLD,
    STACKED_PARAMETERS,
)
from grader.checks.lesson9.test_writing import BEST_FRACTION
from grader.datasets import songs
from grader.learner.values import Value
from grader.results import RunResult, RunStatus, Status
from tests.conftest import CASE_RESULTS, ROOT, check, failure_message, passed

os.environ.setdefault(HELDOUT_SEED_VARIABLE, "1")  # as tests/conftest.py sets it
CHECKS = (
    "lstm_model",
    "compiled",
    "stacked_model",
    "gru_model",
    "conv_model",
    "sentiment_accuracy",
    "word_order",
    "make_ngrams",
    "generator_model",
    "next_word_accuracy",
    "generate",
)


@pytest.fixture(scope="module")
def solution():
    """The reference module, imported here (Keras only; nothing trains)."""
    pytest.importorskip("keras")
    import importlib.util

    spec = importlib.util.spec_from_file_location("lesson9_solution", ROOT / "solutions/lesson9.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_graders_windows_are_pad_sequences() -> None:
    keras = pytest.importorskip("keras")
    prefixes = [[5], [5, 8], [3, 9, 4, 7, 2, 6], []]
    for width in (1, 3, 8):
        theirs = keras.utils.pad_sequences(prefixes, maxlen=width, padding="pre")
        assert np.array_equal(ngrams.windows(prefixes, width), theirs), width


def test_the_graders_ngrams_are_the_references(solution) -> None:
    keras = pytest.importorskip("keras")
    for lines in (ngrams.KNOWN_LINES, songs.lines("train", seed=0)[:200]):
        layer = keras.layers.TextVectorization()
        layer.adapt(lines)
        inputs, targets, max_length = solution.make_ngrams(lines, layer)
        ours = ngrams.ngrams(lines, layer.get_vocabulary())
        assert max_length == ours[2]
        assert np.array_equal(inputs, ours[0]) and np.array_equal(targets, ours[1])


def test_parameter_counts_are_keras_own(solution) -> None:
    sizes = {"vocab_size": 1000, "embedding_dim": 16, "sequence_length": 25}
    assert solution.build_lstm_model(**sizes).count_params() == LSTM_PARAMETERS == 20_429
    assert solution.build_lstm_model(**sizes, stacked=True).count_params() == STACKED_PARAMETERS
    assert solution.build_gru_model(**sizes).count_params() in GRU_PARAMETERS
    assert solution.build_conv_model(**sizes).count_params() == CONV_PARAMETERS == 17_405


def answer(*items: object) -> Value:
    """What the learner process reports for a returned tuple."""
    described = [{"kind": "array", "value": np.asarray(item)} for item in items[:2]]
    described.append({"kind": "scalar", "value": items[2]})
    return Value("sequence", "tuple", {"items": described, "repr": "(…)"})


def test_ngrams_are_judged_as_pairs_in_any_order_with_ids_or_one_hot() -> None:
    vocabulary = ["", "[UNK]", "the", "sea", "sail", "moon", "is", "we"]
    lines = ["we sail", "the moon is"]
    inputs, targets, length = ngrams.ngrams(lines, vocabulary)
    assert length == 3 and inputs.tolist() == [[0, 7], [0, 2], [2, 5]]
    assert targets.tolist() == [4, 5, 6]
    assert reading.ngrams_problem(answer(inputs, targets, 3), lines, vocabulary) is None
    shuffled = answer(inputs[::-1], ngrams.one_hot(targets[::-1], 8), 3)
    assert reading.ngrams_problem(shuffled, lines, vocabulary) is None
    post = answer([[7, 0], [2, 0], [2, 5]], [0, 0, 6], 3)
    problem = reading.ngrams_problem(post, lines, vocabulary)
    assert "the input [· we] with the target 'sail'" in problem
    assert "padded at the end: pad at the start (padding='pre')" in problem
    wrong_length = reading.ngrams_problem(answer(inputs, targets, 4), lines, vocabulary)
    assert "max_length should be 3" in wrong_length


def test_hostile_ngrams_fail_the_check_without_troubling_the_grader() -> None:
    vocabulary = ["", "[UNK]", "we", "sail"]
    ragged = Value("sequence", "tuple", {"items": [{"value": [[1], [1, 2]]}, {}, {}]})
    with pytest.raises(AssertionError, match="as numpy arrays of numbers"):
        reading.ngrams_problem(ragged, ["we sail"], vocabulary)
    with pytest.raises(AssertionError, match="should return three things"):
        reading.ngrams_problem(Value("scalar", "int", {"value": 3}), ["we sail"], vocabulary)
    shaped = answer([[0, 2]], [3], np.array([[2, 2]]))
    assert "make_ngrams gave array([[2, 2]])" in reading.ngrams_problem(
        shaped, ["we sail"], vocabulary
    )


def test_make_layer_makes_only_keras_layers() -> None:
    pytest.importorskip("keras")
    from grader.learner.describe import Store
    from grader.learner.ops.layers import make_layer

    child = type("Child", (), {"store": Store()})()
    info = make_layer(child, "TextVectorization", {"max_tokens": 5}, adapt=["a b b c c c"])
    assert child.store.get(info["ref"]).get_vocabulary() == ["", "[UNK]", "c", "b", "a"]
    for name in ("Model", "__class__", "os.system", "activations"):
        with pytest.raises(ValueError, match=r"keras\.layers"):
            make_layer(child, name, {})


@pytest.fixture(scope="module")
def reference(reference_results) -> RunResult:
    return reference_results.get("lesson9")


def test_reference_passes_every_check_at_the_full_budget(reference: RunResult) -> None:
    assert [c.id for c in reference.checks] == list(CHECKS)
    assert [c.status for c in reference.checks] == [Status.PASSED] * len(CHECKS)
    assert reference.status is RunStatus.PASSED and reference.notes == ()
    assert check(reference, "sentiment_accuracy").metrics["heldout_accuracy"] >= ACCURACY_THRESHOLD
    assert check(reference, "word_order").metrics["negation_accuracy"] >= NEGATION_THRESHOLD
    assert check(reference, "next_word_accuracy").metrics["best_fraction"] >= BEST_FRACTION


def test_untouched_stubs_are_to_do(stubs_results) -> None:
    result = stubs_results.get("lesson9")
    assert result.status is RunStatus.FAILED and result.score == 0
    assert {c.status for c in result.checks} <= {Status.NOT_ATTEMPTED}


def test_unidirectional_layers_and_sgd_fail_the_model_checks() -> None:
    result = CASE_RESULTS.get("lesson9", "unidirectional")
    text = failure_message(result, "lstm_model")
    assert "found Embedding(1000, 16) → LSTM(4) → Dense(6, relu)" in text
    assert "Wrap the LSTM in Bidirectional" in text
    assert failure_message(result, "compiled") == "Expected the Adam optimizer; found SGD."
    assert "LSTM(4, return_sequences) where Bidirectional(LSTM(16, return_sequences))" in (
        failure_message(result, "stacked_model")
    )
    assert "Wrap the GRU in Bidirectional" in failure_message(result, "gru_model")
    assert "Wrap the LSTM in Bidirectional" in failure_message(result, "generator_model")
    passed(result, "conv_model", "make_ngrams", "generate")


def test_four_mistakes_fail_their_own_checks_and_other_spellings_pass() -> None:
    result = CASE_RESULTS.get("lesson9", "mixed_mistakes")
    text = failure_message(result, "stacked_model")
    assert "expected ndim=3, found ndim=2" in text
    assert "give the first Bidirectional(LSTM(…)) return_sequences=True" in text
    assert "GlobalAveragePooling1D() where GlobalMaxPooling1D() belongs" in (
        failure_message(result, "conv_model")
    )
    assert "padded at the end: pad at the start (padding='pre')" in failure_message(
        result, "make_ngrams"
    )
    text = failure_message(result, "generate")
    assert text.startswith("After 'we keep on' the model's most likely next word is ")
    assert "generate wrote 'on'" in text
    passed(result, "lstm_model", "compiled", "gru_model", "generator_model")


def test_lesson8s_averaging_model_fails_word_order_at_the_full_budget() -> None:
    result = CASE_RESULTS.get("lesson9", "averaging")
    assert "found Embedding(1000, 16) → GlobalAveragePooling1D() → Dense(6, relu)" in (
        failure_message(result, "lstm_model")
    )
    accuracy = check(result, "word_order").metrics["negation_accuracy"]
    assert accuracy < NEGATION_THRESHOLD
    assert f"the trained model is right on {accuracy:.1%}" in failure_message(result, "word_order")
    assert "Accuracy on 1,000 new reviews is " in failure_message(result, "sentiment_accuracy")
    passed(result, "compiled", "gru_model", "conv_model")
    assert check(result, "make_ngrams").status is Status.NOT_ATTEMPTED
