"""Lesson 2 — Fashion-MNIST: a dense network on real images.

Fashion-MNIST is 70,000 grey images of clothing, 28 × 28 pixels each, in ten
classes (the class names are in CLASS_NAMES below, in label order).  60,000
images are for training; the other 10,000 are the test set, which the model
never sees while it trains: how well it does on them tells you how well it has
learned, rather than remembered.

Some words the course uses:
  * Flatten — a layer that turns each 28 × 28 image into a row of 784 numbers.
  * Dense — a layer of neurons, each connected to every input.  The hidden layer
    has 128 of them with the relu activation, so the network can learn more
    than straight lines.
  * Softmax — turns the last layer's ten scores into a probability per class;
    the ten probabilities add up to 1.
  * Sparse categorical cross-entropy — the loss for class ids 0–9 given as plain
    numbers (not one-hot vectors).
  * Epoch — one pass over all 60,000 training images; a batch is the 32 images
    the model looks at before each update of its weights.

Fill in the five functions below, then check your work from the course folder:

    python -m grader lesson2

The grader loads the data itself, trains your model for 5 epochs with your
`train` on your `make_dataset`'s dataset, and asks `predict_classes` about the
test images.  To try your code on your own, run this file: it loads the data
with `keras.datasets.fashion_mnist.load_data()` (a download the first time).
"""

import keras  # `from tensorflow import keras` or `tf.keras` is the same Keras
import numpy as np
import tensorflow as tf

CLASS_NAMES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]


def normalize(images, labels):
    """Scale pixel values from 0–255 to 0–1 and return ``(images, labels)``.

    The images become float32 (``tf.cast``) divided by 255; the labels are
    returned unchanged.  Use TensorFlow operations: this function must work on
    one image, on a batch, and inside ``Dataset.map``.
    """
    raise NotImplementedError("normalize: scale the images to [0, 1]")


def make_dataset(images, labels, batch_size=32, training=True) -> tf.data.Dataset:
    """A ``tf.data.Dataset`` of normalised, batched examples.

    ``images`` is a uint8 array of shape (N, 28, 28, 1) and ``labels`` the class
    ids.  Build the dataset with ``tf.data.Dataset.from_tensor_slices``, map
    ``normalize`` over it, ``cache()`` it, shuffle it when ``training`` (so each
    epoch sees a fresh order; keep the order when not training), and batch it
    by ``batch_size``.
    """
    raise NotImplementedError("make_dataset: build the tf.data pipeline")


def build_model() -> keras.Model:
    """Build and compile the model.

    Input: 28 × 28 × 1 images.  Layers: Flatten, Dense(128) with relu, and
    Dense(10) with softmax (one probability per class).  Compile it with the
    Adam optimizer, the sparse categorical cross-entropy loss and
    ``metrics=["accuracy"]``.  Return the compiled model.
    """
    raise NotImplementedError("build_model: create, compile and return the model")


def train(model: keras.Model, train_dataset: tf.data.Dataset, epochs: int = 5):
    """Train ``model`` on ``train_dataset`` for ``epochs`` epochs.

    The dataset is already batched, so ``fit`` needs no batch size.  Return the
    History object ``model.fit`` gives back.
    """
    raise NotImplementedError("train: fit the model and return the History")


def predict_classes(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """The predicted class id (0–9) of each image.

    ``images`` are raw uint8 images of shape (N, 28, 28, 1): normalise them the
    way the training images were, ask the model for its probabilities, and
    return the most likely class of each image (``np.argmax`` over axis 1), an
    integer array of shape (N,).
    """
    raise NotImplementedError("predict_classes: the most likely class of each image")


if __name__ == "__main__":
    (train_images, train_labels), (test_images, test_labels) = (
        keras.datasets.fashion_mnist.load_data()
    )
    model = build_model()
    train(model, make_dataset(train_images[..., np.newaxis], train_labels))
    predicted = predict_classes(model, test_images[..., np.newaxis])
    print("Test accuracy:", np.mean(predicted == test_labels))
    print("First test image:", CLASS_NAMES[predicted[0]], "— really", CLASS_NAMES[test_labels[0]])
