"""Lesson 9 — natural language processing: recurrent neural networks and text generation.

Lesson 8's model averaged the word vectors of a review, so it could not tell "the
food was not good but the staff were great" from "the food was good but the
staff were not great": the same words, opposite labels.  A recurrent network
reads the words in order and carries what it has read so far from one word to
the next.  The reviews are lesson 8's (``grader.datasets.reviews``); the grader
turns them into 25 word ids each for you.

Then the same kind of network learns to write.  The course trains it on song
lyrics; here the lines come from a song grammar written for this package
(``grader.datasets.songs``: "we keep on sailing across the deep ocean
forever"), whose true next-word probabilities are known, so the grader can tell
how close your model comes to the best possible guesser.

Some words the course uses:
  * RNN (recurrent neural network) — a layer that reads a sequence one step at a
    time and keeps a state; ``LSTM`` (long short-term memory) and ``GRU`` (gated
    recurrent unit) are recurrent layers whose gates let them remember over many
    words.
  * Bidirectional — a wrapper that runs a recurrent layer forwards and backwards
    over the text and joins both outputs (twice the units).
  * return_sequences — a recurrent layer gives its output after the last word
    only, unless ``return_sequences=True``, when it gives one per word: what a
    second, stacked recurrent layer needs to read.
  * Conv1D and GlobalMaxPooling1D — a 1-D convolution slides filters along the
    words (here 5 at a time); global max pooling keeps each filter's strongest
    answer anywhere in the text.
  * N-grams — for text generation every beginning of a line ("we keep", "we keep
    on", "we keep on sailing", …) is one training example: its last word is the
    label to predict from the words before it.  The n-grams are padded at the
    start ("pre") to one length, so the word just before the label is always last.
  * One-hot — the course encodes each label as a row of zeros with a 1 at the
    word's id (``categorical_crossentropy``); keeping the id itself with
    ``sparse_categorical_crossentropy`` is the same and takes less memory.
  * Seed text — the words you give the generator to start from; it then adds,
    one at a time, the word its model rates most likely next.

Fill in the seven functions below, then check your work from the course folder:

    python -m grader lesson9

The grader trains your LSTM model for 15 epochs on 4,000 reviews and asks it
about new ones, among them reviews whose label only word order decides; it
builds your other models and runs them once; it checks your n-grams on a few
known lines, trains your generator for 15 epochs on the grader's n-grams of
1,200 song lines, scores its next-word guesses on new lines and has
``generate`` write.  To try your code on your own, run this file.
"""

import keras  # `from tensorflow import keras` or `tf.keras` is the same Keras
import numpy as np

EPOCHS = 15
SEQUENCE_LENGTH = 25
"""No review is longer than 25 words (see lesson 8)."""


def build_lstm_model(vocab_size=1000, embedding_dim=16, sequence_length=50, stacked=False):
    """Build and compile the course's LSTM sentiment model.

    Input: ``sequence_length`` word ids.  Layers: Embedding(vocab_size,
    embedding_dim), Bidirectional(LSTM(embedding_dim)), Dense(6) with relu and
    Dense(1) with sigmoid.  When ``stacked`` is true, a first
    Bidirectional(LSTM(embedding_dim, return_sequences=True)) comes before the
    Bidirectional LSTM.  Compile it with the Adam optimizer, the binary
    cross-entropy loss and ``metrics=["accuracy"]``; return it.
    """
    raise NotImplementedError("build_lstm_model: create, compile and return the model")


def build_gru_model(vocab_size=1000, embedding_dim=16, sequence_length=50):
    """The same model as ``build_lstm_model`` with Bidirectional(GRU(embedding_dim)) in
    place of the Bidirectional LSTM, compiled the same way."""
    raise NotImplementedError("build_gru_model: create, compile and return the model")


def build_conv_model(vocab_size=1000, embedding_dim=16, sequence_length=50):
    """The same model with Conv1D(16, 5) with relu, then GlobalMaxPooling1D, in place of
    the Bidirectional LSTM, compiled the same way."""
    raise NotImplementedError("build_conv_model: create, compile and return the model")


def train(model, sequences, labels, epochs=EPOCHS):
    """Train ``model`` on ``sequences`` (an integer array of word ids, one row per
    example) and ``labels`` for ``epochs`` epochs; return the History ``model.fit``
    gives back.  The grader trains both the LSTM model and the generator with it.
    """
    raise NotImplementedError("train: fit the model and return the History")


def make_ngrams(lines, vectorizer):
    """The n-grams of ``lines`` as ``(inputs, targets, max_length)``.

    ``vectorizer`` is a ``TextVectorization`` layer adapted to the lines: calling it
    on a list of texts gives their word ids (zeros pad the shorter ones at the end).
    For every line, every beginning of two words or more is one n-gram (a line of
    four words gives three).  ``max_length`` is the longest n-gram's length; every
    n-gram is padded at the start with zeros to ``max_length`` ids.  ``inputs`` is
    an integer array of all but each n-gram's last id (width ``max_length - 1``);
    ``targets`` holds the last id of each, as an integer (one-hot rows are accepted
    too).
    """
    raise NotImplementedError("make_ngrams: build, pad and split the n-grams")


def build_generator(total_words, max_length):
    """Build and compile the course's text generation model.

    Input: ``max_length - 1`` word ids.  Layers: Embedding(total_words, 64),
    Bidirectional(LSTM(20)), Dense(total_words) with softmax (one probability per
    vocabulary word).  Compile it with the Adam optimizer and the sparse categorical
    cross-entropy loss (the targets are word ids); return it.
    """
    raise NotImplementedError("build_generator: create, compile and return the model")


def generate(model, vectorizer, seed_text, next_words, max_length) -> str:
    """``seed_text`` followed by exactly ``next_words`` words, separated by spaces.

    At each step turn the text so far into ids with ``vectorizer``, pad them at the
    start to ``max_length - 1`` (keeping the last ones once the text is longer), ask
    the model, and add the vocabulary word (``vectorizer.get_vocabulary()``) it rates
    most likely — never the padding token (id 0) or ``[UNK]`` (id 1).
    """
    raise NotImplementedError("generate: write next_words words after the seed text")


if __name__ == "__main__":
    from grader.datasets import reviews, songs

    texts, labels = reviews.reviews("train")
    vectorizer = keras.layers.TextVectorization(
        max_tokens=1000, output_sequence_length=SEQUENCE_LENGTH
    )
    vectorizer.adapt(texts)
    model = build_lstm_model(sequence_length=SEQUENCE_LENGTH)
    train(model, np.asarray(vectorizer(np.array(texts))), np.array(labels))
    tricky = [
        "the food was not good but the service was great",
        "the food was good but the service was not great",
    ]
    probabilities = model.predict(vectorizer(np.array(tricky)), verbose=0)[:, 0]
    for text, probability in zip(tricky, probabilities, strict=True):
        print(f"{text!r}: positive with probability {probability:.2f}")
    lines = songs.lines("train")
    words = keras.layers.TextVectorization()
    words.adapt(lines)
    inputs, targets, max_length = make_ngrams(lines, words)
    print(f"{len(inputs)} n-grams of up to {max_length} words from {len(lines)} lines")
    generator = build_generator(len(words.get_vocabulary()), max_length)
    train(generator, inputs, targets)
    print(generate(generator, words, "we keep on", 8, max_length))
