"""Lesson 5 — transfer learning: a pre-trained base network and a new head.

Training a CNN well takes many labelled images. Transfer learning borrows a
network that was already trained on a large task and uses what it learned for
a new task that has only a few labels. The course borrows MobileNet, trained
on ImageNet's 1.4 million photos, to tell cats from dogs. This package ships
its own pre-trained network instead, in the same relation to the new task: the
course's CNN from lesson 3, trained on all ten Fashion-MNIST classes using the
first 50,000 training images only.

The new task: sort clothes into four groups — tops (T-shirt/top, Pullover,
Coat, Shirt) = 0, bottoms and dresses (Trouser, Dress) = 1, footwear (Sandal,
Sneaker, Ankle boot) = 2, bags = 3 — from only 10 labelled images per group,
40 in all, taken from the last 10,000 training images, which the base never saw.

Some words the course uses:
  * Pre-trained model (base network) — a network trained on a large task; here
    ``base`` is that network from its input up to its 128-unit Dense layer
    ``features``, so it maps an image to 128 numbers.
  * Feature extractor / feature vector — a base without its last layer turns
    each image into a feature vector that describes it (MobileNet's has 1,280
    numbers; ours has 128).
  * Freezing — ``base.trainable = False``: training leaves the base's weights
    as they are, so only the new layers learn.
  * Classification head — the new last layer, Dense(num_classes, softmax), that
    turns the feature vector into one probability per group of the new task.
  * Fine-tuning — after the head is trained, unfreeze the base's top layers and
    train them too, with a very small learning rate, so that their features
    adapt a little to the new task without being destroyed.

The base was trained on images scaled to [0, 1]; your model receives raw
pixels (0–255) and must scale them itself with a Rescaling layer. Check your
work from the course folder:

    python -m grader lesson5

The grader gives `build_model` the base, trains your model with your `train`
on the 40 images, asks `predict_classes` about the 10,000 test images, then
calls `fine_tune` and trains a few epochs more. To try it on your own, run
this file: `load_feature_extractor()` gives you the same base.
"""

import keras  # `from tensorflow import keras` or `tf.keras` is the same Keras
import numpy as np

EPOCHS = 300

GROUP_NAMES = ["tops", "bottoms and dresses", "footwear", "bags"]


def build_model(base: keras.Model, num_classes: int = 4) -> keras.Model:
    """The frozen base with a new classification head, compiled.

    Freeze ``base`` (``base.trainable = False``). Then build the model: an input
    of 28 × 28 × 1 raw images → ``keras.layers.Rescaling(1/255)`` → ``base``
    (its output: 128 features) → ``Dense(num_classes)`` with softmax. Compile
    it with the Adam optimizer, sparse categorical cross-entropy and
    ``metrics=["accuracy"]``. Only the head's parameters train: 128 × 4
    weights + 4 biases = 516. Return the compiled model.
    """
    raise NotImplementedError("build_model: freeze the base and put a new head on it")


def train(model: keras.Model, images: np.ndarray, labels: np.ndarray, epochs: int = EPOCHS):
    """Train ``model`` on ``images`` and ``labels`` for ``epochs`` epochs.

    ``images`` are raw uint8 images (N, 28, 28, 1) — the model rescales them —
    and ``labels`` are group ids (0–3). Return the History ``model.fit`` gives.
    """
    raise NotImplementedError("train: fit the model and return the History")


def fine_tune(
    model: keras.Model, base: keras.Model, layers: int = 2, learning_rate: float = 1e-5
) -> keras.Model:
    """Unfreeze the top ``layers`` layers of ``base`` that have weights, and recompile.

    Set ``base.trainable = True``, then ``trainable = False`` on every layer of
    ``base`` except the last ``layers`` of those with weights (``layer.weights``
    is not empty: pooling and Flatten layers have none). Recompile ``model``
    with ``keras.optimizers.Adam(learning_rate=learning_rate)``, the same loss
    and metrics — recompiling is what makes the change count — and return it.
    """
    raise NotImplementedError("fine_tune: unfreeze the base's top layers, recompile")


def predict_classes(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """The predicted group (0–3) of each raw uint8 image (N, 28, 28, 1).

    The model rescales the images itself: ask it for its probabilities and
    return the most likely group of each image (``np.argmax`` over axis 1), an
    integer array of shape (N,).
    """
    raise NotImplementedError("predict_classes: the most likely group of each image")


if __name__ == "__main__":
    from grader.datasets import base_network, fashion_mnist

    fashion = fashion_mnist()
    task = base_network.transfer_task(fashion)
    base = base_network.load_feature_extractor()
    print("The base maps an image to", base.output.shape[-1], "features")
    model = build_model(base)
    train(model, task.images, task.labels)
    accuracy = np.mean(predict_classes(model, task.test_images) == task.test_groups)
    print(f"Frozen base + new head, {len(task.labels)} images: test accuracy {accuracy:.3f}")
    fine_tune(model, base)
    train(model, task.images, task.labels, epochs=10)
    accuracy = np.mean(predict_classes(model, task.test_images) == task.test_groups)
    print(f"After fine-tuning the base's top two layers: test accuracy {accuracy:.3f}")
