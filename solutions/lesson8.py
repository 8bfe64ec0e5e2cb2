"""Lesson 8 — words into numbers, embeddings and sentiment: the reference solution.

The grader's self-test grades this file (``python -m grader lesson8 --solution``).
"""

from pathlib import Path

import keras
import numpy as np

EPOCHS = 30
SEQUENCE_LENGTH = 25


def build_vectorizer(texts, max_tokens=1000, sequence_length=50):
    """A TextVectorization layer adapted to ``texts``: integer ids, padded and
    truncated at the end to ``sequence_length``."""
    vectorizer = keras.layers.TextVectorization(
        max_tokens=max_tokens, output_mode="int", output_sequence_length=sequence_length
    )
    vectorizer.adapt(texts)
    return vectorizer


def pad(sequences, maxlen, padding="post", truncating="post"):
    """Ragged lists of ids to a 2-D array, as keras.utils.pad_sequences does."""
    return keras.utils.pad_sequences(
        sequences, maxlen=maxlen, padding=padding, truncating=truncating
    )


def build_model(vocab_size=1000, embedding_dim=16, sequence_length=50):
    """Embedding → GlobalAveragePooling1D → Dense(6, relu) → Dense(1, sigmoid)."""
    model = keras.Sequential(
        [
            keras.Input(shape=(sequence_length,)),
            keras.layers.Embedding(vocab_size, embedding_dim),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(6, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def train(model, sequences, labels, epochs=EPOCHS):
    """Fit the model on the padded sequences and return the History."""
    return model.fit(np.asarray(sequences), np.asarray(labels), epochs=epochs, verbose=0)


def predict_sentiment(model, vectorizer, texts):
    """The probability that each text is positive, one number per text."""
    sequences = vectorizer(np.array(texts, dtype=object))
    return model.predict(np.asarray(sequences), verbose=0)[:, 0]


def write_projector_files(vectorizer, model, directory):
    """vecs.tsv (one embedding per line) and meta.tsv (its word) for every
    vocabulary entry but the padding token."""
    directory = Path(directory)
    embedding = next(la for la in model.layers if isinstance(la, keras.layers.Embedding))
    weights = embedding.get_weights()[0]
    vocabulary = vectorizer.get_vocabulary()
    with (
        open(directory / "vecs.tsv", "w", encoding="utf-8") as vecs,
        open(directory / "meta.tsv", "w", encoding="utf-8") as meta,
    ):
        for index, word in enumerate(vocabulary[1:], start=1):
            vecs.write("\t".join(str(x) for x in weights[index]) + "\n")
            meta.write(word + "\n")


if __name__ == "__main__":
    from grader.datasets.reviews import reviews

    texts, labels = reviews("train")
    vectorizer = build_vectorizer(texts, sequence_length=SEQUENCE_LENGTH)
    model = build_model(sequence_length=SEQUENCE_LENGTH)
    train(model, vectorizer(np.array(texts)).numpy(), np.array(labels))
    new_texts, new_labels = reviews("heldout", seed=1)
    probabilities = predict_sentiment(model, vectorizer, new_texts)
    print("Accuracy on new reviews:", np.mean((probabilities > 0.5) == np.array(new_labels)))
