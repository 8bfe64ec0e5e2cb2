"""Lesson 9 checks: recurrent and convolutional models that read reviews in order.

The thresholds come from running the reference over many seeds (each with its
own fresh held-out reviews) beside weak submissions, lesson 8's averaging model
among them; see the lesson 9 section of docs/calibration.md.
"""

from __future__ import annotations

import numpy as np

from grader.checking import (
    BINARY_ACCURACY_NAMES,
    Learner,
    LossProbe,
    ModelInfo,
    accuracy_problems,
    assert_trained_for,
    check,
    messages,
    optimizer_problems,
)
from grader.checks import steps
from grader.checks.lesson9.building import assert_model, built_model
from grader.checks.lesson9.conftest import EMBEDDING_DIM, MAX_TOKENS, SEQUENCE_LENGTH, Corpus
from grader.checks.lesson9.judging import (
    bidirectional,
    conv1d,
    dense,
    embedding,
    head_parameters,
    plain,
    recurrent_parameters,
)
from grader.checks.lesson9.lesson import LESSON
from grader.datasets.reviews import CEILING

# Calibrated (docs/calibration.md, lesson 9).
ACCURACY_THRESHOLD = 0.80
NEGATION_THRESHOLD = 0.61
AVERAGING_ACCURACY = (0.729, 0.765)
"""Lesson 8's averaging model on the held-out reviews after the same 15 epochs: lowest and
highest over 10 calibration runs (not trained again in every grading run)."""
AVERAGING_NEGATION = (0.484, 0.526)
"""The same runs on the reviews word order decides."""
SIZES = {
    "vocab_size": MAX_TOKENS,
    "embedding_dim": EMBEDDING_DIM,
    "sequence_length": SEQUENCE_LENGTH,
}
OTHER_SIZES = {"vocab_size": 500, "embedding_dim": 8, "sequence_length": 12}
EMBEDDED = MAX_TOKENS * EMBEDDING_DIM
HEAD = [dense(6, "relu"), dense(1, "sigmoid", logits=True)]
LSTM_PARAMETERS = EMBEDDED + 2 * recurrent_parameters("LSTM", 16, 16) + head_parameters(32)
STACKED_PARAMETERS = LSTM_PARAMETERS + 2 * recurrent_parameters("LSTM", 32, 16)
GRU_PARAMETERS = {
    EMBEDDED + 2 * recurrent_parameters("GRU", 16, 16, reset_after) + head_parameters(32)
    for reset_after in (True, False)
}
CONV_PARAMETERS = EMBEDDED + (5 * EMBEDDING_DIM * 16 + 16) + head_parameters(16)


def percents(span: tuple[float, float]) -> str:
    return f"{span[0]:.1%}–{span[1]:.1%}".replace("%–", "–")


@check(
    points=3,
    hint=(
        "The course's model: an Embedding, a Bidirectional LSTM, a small hidden layer and one "
        "sigmoid output.",
        "keras.Sequential([keras.Input(shape=(sequence_length,)), Embedding(vocab_size, "
        "embedding_dim), Bidirectional(LSTM(embedding_dim)), Dense(6, activation='relu'), "
        "Dense(1, activation='sigmoid')]).",
    ),
)
def test_lstm_model(learner: Learner, record_property) -> None:
    """build_lstm_model is Embedding → Bidirectional(LSTM(16)) → Dense(6, relu) → Dense(1)"""
    model, _ = built_model(learner, "build_lstm_model", SEQUENCE_LENGTH, **SIZES)
    wanted = [embedding(MAX_TOKENS, EMBEDDING_DIM), bidirectional("LSTM", 16), *HEAD]
    record_property("parameters", assert_model(model, wanted, {LSTM_PARAMETERS}))
    other, _ = built_model(learner, "build_lstm_model", 12, **OTHER_SIZES)
    shapes = other.layers[0].shapes if other.layers else ()
    wanted_shape = (OTHER_SIZES["vocab_size"], OTHER_SIZES["embedding_dim"])
    assert shapes[:1] == (wanted_shape,), (
        f"build_lstm_model(**{OTHER_SIZES}) gave an embedding matrix of shape "
        f"{shapes[0] if shapes else 'none'}; expected {wanted_shape} (vocab_size × "
        "embedding_dim). Use the arguments you are given."
    )


@check(
    points=1,
    hint=(
        "compile() takes the optimizer, the loss and a list of metrics.",
        "One sigmoid output and labels 0/1: loss='binary_crossentropy', optimizer='adam', "
        "metrics=['accuracy'].",
    ),
)
def test_compiled(model: ModelInfo, loss_probe: LossProbe | None) -> None:
    """The LSTM model is compiled with Adam, binary cross-entropy and accuracy"""
    assert model.compiled and loss_probe is not None, messages.NOT_COMPILED
    problems = optimizer_problems(model)
    if loss_probe.reading == "other":
        problems.append(f"Expected binary cross-entropy as the loss; found {model.loss_name}.")
    output = model.folded()[-1].activation if model.layers else "linear"
    if loss_probe.reading == "logits" and output == "sigmoid":
        problems.append(messages.SOFTMAX_TWICE.replace("softmax", "sigmoid"))
    if loss_probe.reading == "probabilities" and output != "sigmoid":
        problems.append(messages.LOGITS_AS_PROBABILITIES.replace("softmax", "sigmoid"))
    problems += accuracy_problems(model, BINARY_ACCURACY_NAMES)
    assert not problems, " ".join(problems)


@check(
    points=2,
    hint=(
        "Stacked: two Bidirectional LSTMs, one after the other, then the same Dense layers.",
        "The first LSTM must pass on its output at every word: LSTM(embedding_dim, "
        "return_sequences=True); the second gives one vector per review.",
    ),
)
def test_stacked_model(learner: Learner) -> None:
    """build_lstm_model(stacked=True) puts a Bidirectional LSTM returning sequences first"""
    model, _ = built_model(learner, "build_lstm_model", SEQUENCE_LENGTH, **SIZES, stacked=True)
    wanted = [
        embedding(MAX_TOKENS, EMBEDDING_DIM),
        bidirectional("LSTM", 16, sequences=True),
        bidirectional("LSTM", 16),
        *HEAD,
    ]
    assert_model(model, wanted, {STACKED_PARAMETERS})


@check(
    points=2,
    hint=(
        "The same model as build_lstm_model with a GRU in place of the LSTM.",
        "Bidirectional(GRU(embedding_dim)) between the Embedding and Dense(6, relu).",
    ),
)
def test_gru_model(learner: Learner) -> None:
    """build_gru_model is Embedding → Bidirectional(GRU(16)) → Dense(6, relu) → Dense(1)"""
    model, _ = built_model(learner, "build_gru_model", SEQUENCE_LENGTH, **SIZES)
    wanted = [embedding(MAX_TOKENS, EMBEDDING_DIM), bidirectional("GRU", 16), *HEAD]
    assert_model(model, wanted, GRU_PARAMETERS)


@check(
    points=2,
    hint=(
        "A 1-D convolution slides over the words; a global max pooling keeps each filter's "
        "strongest answer.",
        "Conv1D(16, 5, activation='relu') then GlobalMaxPooling1D() between the Embedding and "
        "Dense(6, relu).",
    ),
)
def test_conv_model(learner: Learner) -> None:
    """build_conv_model is Embedding → Conv1D(16, 5, relu) → GlobalMaxPooling1D → Dense layers"""
    model, _ = built_model(learner, "build_conv_model", SEQUENCE_LENGTH, **SIZES)
    wanted = [
        embedding(MAX_TOKENS, EMBEDDING_DIM),
        conv1d(16, 5, "relu"),
        plain("GlobalMaxPooling1D"),
        *HEAD,
    ]
    assert_model(model, wanted, {CONV_PARAMETERS})


@check(
    points=3,
    hint=(
        "Train on the ids and labels you are given, for the epochs you are given.",
        "train should call model.fit(sequences, labels, epochs=epochs) and return the History.",
    ),
)
def test_sentiment_accuracy(
    training: steps.Training,
    said_positive: dict[str, np.ndarray],
    heldout: Corpus,
    grading,
    record_property,
) -> None:
    """After training, the LSTM model tells positive from negative on 1,000 new reviews"""
    history = training.history
    assert history.kind == "history", messages.not_a_history("train", history.type_name)
    accuracy = float(np.mean(said_positive["heldout"] == heldout.labels))
    record_property("heldout_seed", heldout.seed)
    record_property("heldout_accuracy", accuracy)
    assert_trained_for(history, grading.epochs)
    assert accuracy >= ACCURACY_THRESHOLD, (
        f"Accuracy on 1,000 new reviews is {accuracy:.1%}; expected at least "
        f"{ACCURACY_THRESHOLD:.0%} after {grading.epochs} epochs (lesson 8's averaging "
        f"model, trained for {LESSON.epochs}, reaches {percents(AVERAGING_ACCURACY)}; the best "
        f"possible is {CEILING:.0%})."
    )


@check(
    points=3,
    hint=(
        "An average of word vectors cannot tell 'not good but great' from 'good but not "
        "great'; a recurrent layer reads the words in order.",
        "Train the Bidirectional LSTM model of build_lstm_model for the epochs you are given; "
        "the grader asks it about reviews whose label only the order of the words decides.",
    ),
)
def test_word_order(
    said_positive: dict[str, np.ndarray], negations: Corpus, record_property
) -> None:
    """Word order matters: the LSTM model reads "X but not Y" better than averaging can"""
    accuracy = float(np.mean(said_positive["negations"] == negations.labels))
    record_property("negation_accuracy", accuracy)
    assert accuracy >= NEGATION_THRESHOLD, (
        f"On {len(negations.texts)} new reviews of two opinions joined by 'but', one of them "
        f"negated (the same words, the negator moved, give the opposite label), the trained "
        f"model is right on {accuracy:.1%}; expected at least {NEGATION_THRESHOLD:.0%}. Lesson "
        f"8's averaging model, trained for the same {LESSON.epochs} epochs, gets "
        f"{percents(AVERAGING_NEGATION)}: no better than a coin."
    )
