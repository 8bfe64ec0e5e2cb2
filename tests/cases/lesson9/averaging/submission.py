"""Weak: build_lstm_model returns lesson 8's averaging model (Embedding → GlobalAveragePooling1D → Dense(6) → Dense(1)); the generator is not written.
"""

import keras
import numpy as np

EPOCHS = 15
SEQUENCE_LENGTH = 25


def _sentiment_model(middle, vocab_size, embedding_dim, sequence_length):
    """Embedding → the given middle layers → Dense(6, relu) → Dense(1, sigmoid), compiled."""
    model = keras.Sequential(
        [
            keras.Input(shape=(sequence_length,)),
            keras.layers.Embedding(vocab_size, embedding_dim),
            *middle,
            keras.layers.Dense(6, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def build_lstm_model(vocab_size=1000, embedding_dim=16, sequence_length=50, stacked=False):
    """One Bidirectional LSTM, or two stacked (the first returning sequences)."""
    middle = [keras.layers.GlobalAveragePooling1D()]
    return _sentiment_model(middle, vocab_size, embedding_dim, sequence_length)


def build_gru_model(vocab_size=1000, embedding_dim=16, sequence_length=50):
    """A Bidirectional GRU in place of the LSTM."""
    middle = [keras.layers.Bidirectional(keras.layers.GRU(embedding_dim))]
    return _sentiment_model(middle, vocab_size, embedding_dim, sequence_length)


def build_conv_model(vocab_size=1000, embedding_dim=16, sequence_length=50):
    """A 1-D convolution over the words, then the strongest answer of each filter."""
    middle = [
        keras.layers.Conv1D(16, 5, activation="relu"),
        keras.layers.GlobalMaxPooling1D(),
    ]
    return _sentiment_model(middle, vocab_size, embedding_dim, sequence_length)


def train(model, sequences, labels, epochs=EPOCHS):
    """Fit the model and return the History."""
    return model.fit(np.asarray(sequences), np.asarray(labels), epochs=epochs, verbose=0)


def make_ngrams(lines, vectorizer):
    """Every n-gram of every line, left-padded; inputs all but the last id, targets the last."""
    raise NotImplementedError("make_ngrams: not written in this submission")


def build_generator(total_words, max_length):
    """Embedding(total_words, 64) → Bidirectional(LSTM(20)) → Dense(total_words, softmax)."""
    raise NotImplementedError("build_generator: not written in this submission")


def generate(model, vectorizer, seed_text, next_words, max_length):
    """The seed followed by ``next_words`` words, each the model's most likely next word."""
    raise NotImplementedError("generate: not written in this submission")


if __name__ == "__main__":
    from grader.datasets import reviews, songs

    texts, labels = reviews.reviews("train")
    vectorizer = keras.layers.TextVectorization(
        max_tokens=1000, output_sequence_length=SEQUENCE_LENGTH
    )
    vectorizer.adapt(texts)
    model = build_lstm_model(sequence_length=SEQUENCE_LENGTH)
    train(model, np.asarray(vectorizer(np.array(texts))), np.array(labels))
    lines = songs.lines("train")
    words = keras.layers.TextVectorization()
    words.adapt(lines)
    inputs, targets, max_length = make_ngrams(lines, words)
    generator = build_generator(len(words.get_vocabulary()), max_length)
    train(generator, inputs, targets)
    print(generate(generator, words, "we keep on", 8, max_length))
