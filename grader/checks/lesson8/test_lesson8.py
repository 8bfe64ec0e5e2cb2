"""Lesson 8 checks: tokens, padding, embeddings and sentiment.

The accuracy threshold comes from running the reference solution over many
seeds (each with its own fresh held-out reviews), beside deliberately weak
submissions; see docs/calibration.md, lesson 8.
"""

from __future__ import annotations

import numpy as np

from grader.checking import (
    BINARY_ACCURACY_NAMES,
    Learner,
    ModelInfo,
    Value,
    accuracy_problems,
    assert_trained_for,
    check,
    optimizer_problems,
)
from grader.checks import steps
from grader.checks.lesson8 import reading
from grader.checks.lesson8.conftest import (
    EMBEDDING_DIM,
    MAX_TOKENS,
    Corpus,
    through,
    vectorizer_of,
    vocabulary_of,
)
from grader.checks.lesson8.judging import (
    model_problem,
    probabilities_of,
    words_of,
)
from grader.checks.lesson8.reading import (
    PAD_MAXLEN,
    PAD_SEQUENCES,
    PLAIN_REVIEWS,
    SENTENCES,
    UNSEEN,
)
from grader.datasets.reviews import CEILING

# Calibrated (docs/calibration.md, lesson 8).
ACCURACY_THRESHOLD = 0.65
AGREEMENT = 0.99
"""Share of held-out reviews on which predict_sentiment must give the model's own output."""
SMALL_MAX_TOKENS = 12
PROBE_LENGTH = 8
OTHER_SIZES = {"vocab_size": 500, "embedding_dim": 8, "sequence_length": 12}
PADDING, OOV = "", "[UNK]"
PARAMETERS = MAX_TOKENS * EMBEDDING_DIM + (EMBEDDING_DIM * 6 + 6) + (6 + 1)


@check(
    points=2,
    hint=(
        "TextVectorization(max_tokens=…) then adapt(texts) builds the vocabulary; "
        "get_vocabulary() shows it.",
        "Pass max_tokens on to TextVectorization: the padding token '' and the OOV token "
        "'[UNK]' count among the max_tokens entries, at ids 0 and 1.",
    ),
)
def test_vocabulary(learner: Learner) -> None:
    """The vectorizer's vocabulary: 0 is padding, 1 the OOV token, at most max_tokens words"""
    distinct = {word for sentence in SENTENCES for word in words_of(sentence)}
    full = vocabulary_of(learner, vectorizer_of(learner, SENTENCES, max_tokens=MAX_TOKENS))
    assert full[:2] == [PADDING, OOV], (
        f"Expected the vocabulary to start with the padding token '' (id 0) and the OOV "
        f"token '[UNK]' (id 1); it starts with {full[:2]}."
    )
    assert set(full[2:]) == distinct, (
        f"Adapted to six sentences holding {len(distinct)} distinct words (lower case, no "
        f"punctuation), the vocabulary with max_tokens={MAX_TOKENS} holds {len(full) - 2} "
        f"words besides padding and OOV: {sorted(set(full[2:]) ^ distinct)[:8]} differ. "
        "Pass max_tokens on to TextVectorization and adapt it to the texts you are given."
    )
    small = vocabulary_of(learner, vectorizer_of(learner, SENTENCES, max_tokens=SMALL_MAX_TOKENS))
    assert len(small) <= SMALL_MAX_TOKENS and small[:2] == [PADDING, OOV], (
        f"With max_tokens={SMALL_MAX_TOKENS} the vocabulary should hold at most "
        f"{SMALL_MAX_TOKENS} entries, padding and OOV first; it holds {len(small)}."
    )


@check(
    points=2,
    hint=(
        "Every text should come out as the same number of ids, whatever its length.",
        "TextVectorization(output_mode='int', output_sequence_length=sequence_length) pads "
        "short texts with 0 at the end and cuts long ones at the end; unknown words become 1.",
    ),
)
def test_sequences(learner: Learner) -> None:
    """Every text becomes sequence_length ids, padded at the end; unseen words become 1"""
    vectorizer = vectorizer_of(
        learner, SENTENCES, max_tokens=MAX_TOKENS, sequence_length=PROBE_LENGTH
    )
    ids = {word: i for i, word in enumerate(vocabulary_of(learner, vectorizer))}
    texts = [*SENTENCES, UNSEEN, f"{SENTENCES[0]} {SENTENCES[1]}"]
    found = through(learner, vectorizer, texts)
    assert found.shape == (len(texts), PROBE_LENGTH), (
        f"Called on {len(texts)} texts with sequence_length={PROBE_LENGTH}, the vectorizer "
        f"gave an array of shape {found.shape}; expected {(len(texts), PROBE_LENGTH)}."
    )
    for text, row in zip(texts, found, strict=True):
        expected = [ids.get(word, 1) for word in words_of(text)][:PROBE_LENGTH]
        expected += [0] * (PROBE_LENGTH - len(expected))
        assert row.tolist() == expected, (
            f"For {text!r} the vectorizer gave {row.tolist()}; from its own vocabulary "
            f"expected {expected} (words it never saw are 1; zeros pad the end; long texts "
            "are cut at the end)."
        )


@check(
    points=2,
    hint=(
        "Padding adds zeros to short sequences; truncating cuts long ones; 'pre' works at "
        "the start, 'post' at the end.",
        "keras.utils.pad_sequences(sequences, maxlen=maxlen, padding=padding, "
        "truncating=truncating) does it all.",
    ),
)
def test_pad(learner: Learner) -> None:
    """pad gives what keras.utils.pad_sequences gives, pre and post"""
    for padding in ("pre", "post"):
        for truncating in ("pre", "post"):
            found = learner.call(
                "pad", PAD_SEQUENCES, PAD_MAXLEN, padding=padding, truncating=truncating
            ).array
            expected = reading.padded(PAD_SEQUENCES, PAD_MAXLEN, padding, truncating)
            assert found is not None and np.array_equal(found, expected), (
                f"pad({PAD_SEQUENCES}, maxlen={PAD_MAXLEN}, padding={padding!r}, "
                f"truncating={truncating!r}) gave {None if found is None else found.tolist()}; "
                f"expected {expected.tolist()}."
            )
    default = learner.call("pad", PAD_SEQUENCES, PAD_MAXLEN).array
    expected = reading.padded(PAD_SEQUENCES, PAD_MAXLEN, "post", "post")
    assert default is not None and np.array_equal(default, expected), (
        f"pad with its default arguments should pad and truncate at the end (post); it gave "
        f"{None if default is None else default.tolist()}, expected {expected.tolist()}."
    )


@check(
    points=3,
    hint=(
        "The course's model: an Embedding, an average over the words, a small hidden layer and "
        "one sigmoid output.",
        "keras.Sequential([keras.Input(shape=(sequence_length,)), Embedding(vocab_size, "
        "embedding_dim), GlobalAveragePooling1D(), Dense(6, activation='relu'), Dense(1, "
        "activation='sigmoid')]).",
    ),
)
def test_model(learner: Learner, model: ModelInfo, record_property) -> None:
    """The model is Embedding → GlobalAveragePooling1D → Dense(6, relu) → Dense(1, sigmoid)"""
    problem = model_problem(model)
    assert problem is None, problem
    params = sum(int(np.prod(shape)) for layer in model.layers for shape in layer.shapes)
    record_property("parameters", params)
    assert params == PARAMETERS, f"Expected {PARAMETERS:,} parameters; found {params:,}."
    other = learner.call("build_model", **OTHER_SIZES)
    assert other.kind == "keras_model", (
        f"build_model(**{OTHER_SIZES}) returned {other.type_name}, not a Keras model."
    )
    shapes = ModelInfo.parse(other).layers[0].shapes
    wanted = (OTHER_SIZES["vocab_size"], OTHER_SIZES["embedding_dim"])
    assert shapes[:1] == (wanted,), (
        f"build_model(**{OTHER_SIZES}) gave an embedding matrix of shape "
        f"{shapes[0] if shapes else 'none'}; expected {wanted} (vocab_size × embedding_dim)."
    )


@check(
    points=1,
    hint=(
        "compile() takes the optimizer, the loss and a list of metrics.",
        "One sigmoid output and labels 0/1: the loss is binary cross-entropy "
        "(loss='binary_crossentropy'), with optimizer='adam' and metrics=['accuracy'].",
    ),
)
def test_compiled(model: ModelInfo, loss_probe) -> None:
    """The model is compiled with Adam, binary cross-entropy and accuracy"""
    assert model.compiled and loss_probe is not None, (
        "The model is not compiled. Call model.compile(optimizer=..., loss=..., "
        "metrics=[...]) in build_model before returning it."
    )
    problems = optimizer_problems(model)
    if loss_probe.reading != "probabilities":
        problems.append(
            f"Expected binary cross-entropy on the sigmoid's probabilities as the loss; "
            f"found {model.loss_name}."
        )
    problems += accuracy_problems(model, BINARY_ACCURACY_NAMES)
    assert not problems, " ".join(problems)


@check(
    points=4,
    hint=(
        "Train on the ids and labels you are given, for the epochs you are given.",
        "train should call model.fit(sequences, labels, epochs=epochs) and return the History; "
        "predict_sentiment should vectorize the texts as the training reviews were.",
    ),
)
def test_accuracy(
    training: steps.Training, predicted: Value, heldout: Corpus, grading, record_property
) -> None:
    """After training, the model tells positive from negative on 1,000 reviews it never saw"""
    history = training.history
    assert history.kind == "history", (
        f"train should return the History from model.fit; it returned {history.type_name}."
    )
    probabilities = probabilities_of(predicted, len(heldout.texts))
    accuracy = float(np.mean((probabilities > 0.5) == heldout.labels))
    record_property("heldout_seed", heldout.seed)
    record_property("heldout_accuracy", accuracy)
    assert_trained_for(history, grading.epochs)
    assert accuracy >= ACCURACY_THRESHOLD, (
        f"Accuracy on 1,000 new reviews is {accuracy:.1%}; expected at least "
        f"{ACCURACY_THRESHOLD:.0%} after {grading.epochs} epochs (the best possible is "
        f"{CEILING:.0%}: 3 % of labels are flipped at random)."
    )


@check(
    points=2,
    hint=(
        "predict_sentiment turns texts into ids with the vectorizer, then asks the model.",
        "Return model.predict(vectorizer(texts))[:, 0]: one probability per text, as the "
        "model itself gives it.",
    ),
)
def test_predict_sentiment(
    learner: Learner,
    training: steps.Training,
    vectorizer: Value,
    predicted: Value,
    heldout: Corpus,
    grading,
    record_property,
) -> None:
    """predict_sentiment gives the model's probability of "positive" for each text"""
    probabilities = probabilities_of(predicted, len(heldout.texts))
    own = learner.model_output(training.model.ref, through(learner, vectorizer, heldout.texts))
    own = own.reshape(len(heldout.texts), -1)[:, 0]
    agreement = float(np.mean(np.abs(own - probabilities) < 1e-3))
    record_property("agreement", agreement)
    assert agreement >= AGREEMENT, (
        f"predict_sentiment matches the model's own output on the vectorizer's ids for only "
        f"{agreement:.1%} of the held-out reviews. Vectorize the texts with the vectorizer "
        "you are given and return the model's probabilities unchanged."
    )
    if not grading.full_budget:
        return  # a model trained for a reduced budget need not read them right yet
    texts = list(PLAIN_REVIEWS)
    answer = learner.call("predict_sentiment", training.model.ref, vectorizer.ref, texts)
    plain = dict(zip(texts, probabilities_of(answer, len(texts)).tolist(), strict=True))
    positive = [t for t in texts if PLAIN_REVIEWS[t]]
    negative = [t for t in texts if not PLAIN_REVIEWS[t]]
    margin = min(plain[t] for t in positive) - max(plain[t] for t in negative)
    record_property("plain_margin", margin)
    assert margin > 0, (
        f"On plain new reviews the trained model should rate each positive one above each "
        f"negative one; it gave {', '.join(f'{t!r}: {p:.2f}' for t, p in plain.items())}."
    )
