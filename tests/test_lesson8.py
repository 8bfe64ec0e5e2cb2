"""Lesson 8: the reference passes every check; each wrong submission fails its own.

Wrong submissions live in tests/cases/lesson8/ (they are goldens too) and train
for a small budget; only the reference trains for the full 30 epochs.  The
grader's own readers (padding in numpy, splitting words, reading the files the
learner writes) are compared with Keras or tried on hostile files first.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from grader.checks.lesson8 import reading
from grader.checks.lesson8.conftest import HELDOUT_SEED_VARIABLE
from grader.checks.lesson8.judging import words_of
from grader.grading import written
from grader.results import RunResult, RunStatus, Status
from tests.conftest import CASE_RESULTS, ROOT, case_file, check, failure_message, grade_source

# Goldens need the same held-out reviews every time (tests/conftest.py should set this
# for the whole session; set here too so that this file alone gives the goldens' results).
os.environ.setdefault(HELDOUT_SEED_VARIABLE, "1")

CASES = ROOT / "tests" / "cases" / "lesson8"
CHECKS = (
    "vocabulary",
    "sequences",
    "pad",
    "model",
    "compiled",
    "accuracy",
    "predict_sentiment",
    "projector",
)


def case(tmp_path: Path, name: str, folder: Path = CASES) -> RunResult:
    """A golden case (``NAME/submission.py``) is graded once for the goldens and these
    tests; a weak submission here, at 2 epochs."""
    golden = name.removesuffix("/submission.py")
    if folder == CASES and (CASES / golden / "case.json").is_file():
        return CASE_RESULTS.get("lesson8", golden)
    source = case_file("lesson8", folder / name).read_text(encoding="utf-8")
    return grade_source(tmp_path, source, epochs=2, lesson="lesson8")


def test_the_graders_padding_is_keras_pad_sequences() -> None:
    keras = pytest.importorskip("keras")
    sequences = [*reading.PAD_SEQUENCES, list(range(1, 10))]
    for padding in ("pre", "post"):
        for truncating in ("pre", "post"):
            for maxlen in (1, 4, 12):
                theirs = keras.utils.pad_sequences(
                    sequences, maxlen=maxlen, padding=padding, truncating=truncating
                )
                ours = reading.padded(sequences, maxlen, padding, truncating)
                assert np.array_equal(theirs, ours), (padding, truncating, maxlen)


def test_the_graders_words_are_text_vectorizations() -> None:
    keras = pytest.importorskip("keras")
    layer = keras.layers.TextVectorization(output_mode="int")
    texts = [*reading.SENTENCES, reading.UNSEEN, *reading.PLAIN_REVIEWS]
    layer.adapt(texts)
    vocabulary = layer.get_vocabulary()
    for text in texts:
        ids = np.asarray(layer([text]))[0]
        assert [vocabulary[i] for i in ids if i] == words_of(text)


def test_learner_files_are_read_as_limited_text_never_through_links(tmp_path: Path) -> None:
    target = tmp_path / "secret.txt"
    target.write_text("not yours\n", encoding="utf-8")
    os.symlink(target, tmp_path / "meta.tsv")
    assert written.text_lines(tmp_path / "meta.tsv") is None
    assert written.text_lines(tmp_path / "missing.tsv") is None
    (tmp_path / "folder.tsv").mkdir()
    assert written.text_lines(tmp_path / "folder.tsv") is None
    big = tmp_path / "vecs.tsv"
    big.write_bytes(b"0.5\t1e3\n" * (written.MAX_TEXT_BYTES // 4))
    lines = written.text_lines(big)
    assert lines is not None and len(lines) == written.MAX_TEXT_BYTES // 8
    assert reading.vector_rows(["0.5\t-1e3", "x\t1", ""])[:2] == [[0.5, -1000.0], None]


@pytest.fixture(scope="module")
def reference(reference_results) -> RunResult:
    return reference_results.get("lesson8")


def test_reference_passes_every_check_at_the_full_budget(reference: RunResult) -> None:
    assert [c.id for c in reference.checks] == list(CHECKS)
    assert [c.status for c in reference.checks] == [Status.PASSED] * len(CHECKS)
    assert reference.status is RunStatus.PASSED and reference.notes == ()
    assert 0.65 <= check(reference, "accuracy").metrics["heldout_accuracy"] <= 0.97
    assert check(reference, "model").metrics["parameters"] == 16_109
    assert check(reference, "predict_sentiment").metrics["agreement"] == 1.0


def test_untouched_stubs_are_to_do(stubs_results) -> None:
    result = stubs_results.get("lesson8")
    assert result.status is RunStatus.FAILED and result.score == 0
    assert {c.status for c in result.checks} <= {Status.NOT_ATTEMPTED}


def test_an_unlimited_vectorizer_fails_vocabulary_sequences_and_pad(tmp_path: Path) -> None:
    result = case(tmp_path, "unlimited_vectorizer/submission.py")
    assert "With max_tokens=12 the vocabulary should hold at most 12" in failure_message(
        result, "vocabulary"
    )
    text = failure_message(result, "sequences")
    assert "with sequence_length=8, the vectorizer gave an array of shape (8, 15)" in text
    text = failure_message(result, "pad")
    assert "pad with its default arguments should pad and truncate at the end (post)" in text
    for check_id in ("model", "compiled", "predict_sentiment", "projector"):
        assert check(result, check_id).status is Status.PASSED, check(result, check_id)


def test_flatten_sgd_and_misaligned_files_fail_their_checks(tmp_path: Path) -> None:
    result = case(tmp_path, "flatten_sgd/submission.py")
    text = failure_message(result, "model")
    assert "found Embedding(1000, 16) → Flatten() → Dense(6, relu)" in text
    assert "GlobalAveragePooling1D averages them into one" in text
    assert failure_message(result, "compiled") == "Expected the Adam optimizer; found SGD."
    assert "train should return the History from model.fit" in failure_message(result, "accuracy")
    assert "predict_sentiment matches the model's own output" in failure_message(
        result, "predict_sentiment"
    )
    text = failure_message(result, "projector")
    assert "meta.tsv should list the vocabulary but the padding token" in text
    assert "starting ['', '[UNK]'" in text
    for check_id in ("vocabulary", "sequences", "pad"):
        assert check(result, check_id).status is Status.PASSED, check(result, check_id)


def test_the_model_written_differently_passes_what_a_short_budget_allows(tmp_path) -> None:
    result = case(tmp_path, "weak/written_differently.patch")
    for check_id in CHECKS:
        if check_id != "accuracy":
            assert check(result, check_id).status is Status.PASSED, check(result, check_id)
    assert "Accuracy on 1,000 new reviews is " in failure_message(result, "accuracy")


def test_a_vocabulary_of_ten_fails_the_vocabulary_check(tmp_path: Path) -> None:
    result = case(tmp_path, "weak/vocabulary_of_10.patch")
    text = failure_message(result, "vocabulary")
    assert "the vocabulary with max_tokens=1000 holds 8 words besides padding and OOV" in text
