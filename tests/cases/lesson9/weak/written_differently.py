"""Correct, written differently: tf.keras and the functional API, logits with
from_logits=True for the sentiment models, one-hot targets with categorical
cross-entropy for the generator (as the course), a softmax layer of its own,
n-grams padded in numpy and every line vectorized at once.
"""

import numpy as np
import tensorflow as tf

layers = tf.keras.layers
EPOCHS = 15


def _classifier(middle, vocab_size, embedding_dim, sequence_length):
    inputs = tf.keras.Input(shape=(sequence_length,), dtype="int32")
    x = layers.Embedding(input_dim=vocab_size, output_dim=embedding_dim)(inputs)
    for layer in middle:
        x = layer(x)
    x = layers.Dense(6, activation=tf.nn.relu)(x)
    model = tf.keras.Model(inputs, layers.Dense(1)(x))
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=0.001),
        loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[tf.keras.metrics.BinaryAccuracy(threshold=0.0)],
    )
    return model


def build_lstm_model(vocab_size=1000, embedding_dim=16, sequence_length=50, stacked=False):
    middle = [layers.Bidirectional(layers.LSTM(units=embedding_dim))]
    if stacked:
        middle = [layers.Bidirectional(layers.LSTM(embedding_dim, return_sequences=True))] + middle
    return _classifier(middle, vocab_size, embedding_dim, sequence_length)


def build_gru_model(vocab_size=1000, embedding_dim=16, sequence_length=50):
    middle = [layers.Bidirectional(layers.GRU(embedding_dim, reset_after=False))]
    return _classifier(middle, vocab_size, embedding_dim, sequence_length)


def build_conv_model(vocab_size=1000, embedding_dim=16, sequence_length=50):
    middle = [layers.Conv1D(filters=16, kernel_size=(5,)), layers.ReLU(), layers.GlobalMaxPool1D()]
    return _classifier(middle, vocab_size, embedding_dim, sequence_length)


def train(model, sequences, labels, epochs=EPOCHS):
    return model.fit(x=sequences, y=labels, epochs=epochs, batch_size=32, verbose=0)


def make_ngrams(lines, vectorizer):
    rows = np.asarray(vectorizer(tf.constant(lines)))
    ngrams = [row[row > 0][: i + 1] for row in rows for i in range(1, int((row > 0).sum()))]
    max_length = max(len(n) for n in ngrams)
    padded = np.zeros((len(ngrams), max_length), dtype="int32")
    for i, ngram in enumerate(ngrams):
        padded[i, max_length - len(ngram) :] = ngram
    total = len(vectorizer.get_vocabulary())
    return padded[:, :-1], tf.keras.utils.to_categorical(padded[:, -1], total), max_length


def build_generator(total_words, max_length):
    model = tf.keras.Sequential()
    model.add(tf.keras.Input(shape=(max_length - 1,)))
    model.add(layers.Embedding(total_words, 64))
    model.add(layers.Bidirectional(layers.LSTM(20)))
    model.add(layers.Dense(total_words))
    model.add(layers.Softmax())
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def generate(model, vectorizer, seed_text, next_words, max_length):
    words = list(vectorizer.get_vocabulary())
    text = seed_text
    for _ in range(next_words):
        ids = [i for i in np.asarray(vectorizer([text]))[0] if i]
        ids = ([0] * (max_length - 1) + ids)[-(max_length - 1) :]
        probabilities = model(np.array([ids]), training=False).numpy()[0]
        best = 2 + int(np.argmax(probabilities[2:]))
        text = f"{text} {words[best]}"
    return text
