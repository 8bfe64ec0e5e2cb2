"""Lesson 3 — convolutional neural networks on Fashion-MNIST.

In lesson 2 a dense network looked at each image as a row of 784 numbers and
reached about 87 % on the test images.  A convolutional neural network (CNN)
looks at small neighbourhoods of pixels instead, the way edges and textures
are made, and does better on the same images.

Some words the course uses:
  * Kernel (filter) — a small square grid of weights, 3 × 3 here.
  * Convolution — slide the kernel over the image; at each position, multiply
    the kernel with the patch of pixels under it, element by element, and add
    the products up: that sum is one pixel of the output.  Keras's Conv2D does
    exactly this (without flipping the kernel) and learns the kernel's weights.
  * Padding — with padding="same", the image gets a border of zeros so that the
    output keeps the input's height and width; padding="valid" adds none and
    the output shrinks by the kernel size minus one.
  * Feature map — the output of one filter over the whole image; Conv2D(32, …)
    has 32 filters, so it makes 32 feature maps.
  * Max pooling — slide a window (2 × 2) over a feature map, moving by the
    stride (2), and keep only the largest value in each window: the map's height
    and width are halved and the strongest responses are kept.

The model is two convolution + max pooling blocks followed by lesson 2's dense
classifier:

    Conv2D(32, 3×3, same, relu) → MaxPooling2D(2×2, stride 2)
    → Conv2D(64, 3×3, same, relu) → MaxPooling2D(2×2, stride 2)
    → Flatten → Dense(128, relu) → Dense(10, softmax)

Start with `convolve` and `max_pool` (numpy only, to see what the layers
compute), then write the model.  `normalize` and `make_dataset` are lesson 2's
pipeline, given to you filled in.  Check your work from the course folder:

    python -m grader lesson3

The grader trains your model with your `train` on all 60,000 training images
(for the number of epochs it chooses) and asks `predict_classes` about the test
images.  To try your code on your own, run this file: it loads the data with
`keras.datasets.fashion_mnist.load_data()` (a download the first time).
"""

import keras  # `from tensorflow import keras` or `tf.keras` is the same Keras
import numpy as np
import tensorflow as tf

EPOCHS = 1

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


def convolve(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """The convolution of a 2-D ``image`` (H, W) with a square ``kernel`` (k, k), k odd.

    Use numpy only.  Pad the image with k // 2 rows and columns of zeros on each
    side ("same" padding), so that the output has the image's shape (H, W).
    Output pixel (i, j) is the sum of ``kernel`` times the k × k patch of the
    padded image whose top-left corner is (i, j) — the kernel is not flipped,
    as in Keras's Conv2D.  Return a float array of shape (H, W).
    """
    raise NotImplementedError("convolve: slide the kernel over the padded image")


def max_pool(image: np.ndarray, size: int = 2, stride: int = 2) -> np.ndarray:
    """Max pooling of a 2-D ``image`` (H, W), without padding.

    Use numpy only.  The windows are ``size`` × ``size`` and start every
    ``stride`` pixels from the top-left corner; a window that would go past the
    edge is left out, as in Keras's MaxPooling2D.  Output pixel (i, j) is the
    largest value in the window whose top-left corner is (i·stride, j·stride).
    Return an array of shape ((H − size) // stride + 1, (W − size) // stride + 1).
    """
    raise NotImplementedError("max_pool: keep the largest value of each window")


def normalize(images, labels):
    """Pixel values from 0–255 to 0–1, as float32; labels unchanged (as in lesson 2)."""
    images = tf.cast(images, tf.float32) / 255.0
    return images, labels


def make_dataset(images, labels, batch_size=32, training=True) -> tf.data.Dataset:
    """Normalised, cached, shuffled when training, batched (as in lesson 2)."""
    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).map(normalize).cache()
    if training:
        dataset = dataset.shuffle(len(images))
    return dataset.batch(batch_size)


def build_model() -> keras.Model:
    """Build and compile the CNN.

    Input: 28 × 28 × 1 images.  Layers: Conv2D with 32 filters of 3 × 3,
    padding="same" and relu; MaxPooling2D with a 2 × 2 window and stride 2;
    Conv2D with 64 filters of 3 × 3, padding="same" and relu; MaxPooling2D
    (2 × 2, stride 2); Flatten; Dense(128) with relu; Dense(10) with softmax.
    Compile it with the Adam optimizer, the sparse categorical cross-entropy
    loss and ``metrics=["accuracy"]``.  It has 421,642 parameters.  Return the
    compiled model.
    """
    raise NotImplementedError("build_model: create, compile and return the CNN")


def train(model: keras.Model, train_dataset: tf.data.Dataset, epochs: int = EPOCHS):
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


def feature_maps(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """What the first convolution layer sees in each image: its 32 feature maps.

    ``images`` are raw uint8 images of shape (N, 28, 28, 1), normalised as for
    ``predict_classes``.  Make a Keras sub-model that ends at the first Conv2D
    layer, ``keras.Model(model.inputs, layer.output)``, and return its output on
    the images (after the layer's relu): an array of shape (N, 28, 28, 32).
    """
    raise NotImplementedError("feature_maps: the first convolution's output")


if __name__ == "__main__":
    image = np.arange(16.0).reshape(4, 4)
    right_neighbour = np.array([[0, 0, 0], [0, 0, 1], [0, 0, 0]])
    print("An image:\n", image)
    print("convolve: each pixel takes its right neighbour's value")
    print(convolve(image, right_neighbour))
    print("max_pool: the largest of each 2 × 2 window\n", max_pool(image))
    (train_images, train_labels), (test_images, test_labels) = (
        keras.datasets.fashion_mnist.load_data()
    )
    model = build_model()
    train(model, make_dataset(train_images[..., np.newaxis], train_labels))
    predicted = predict_classes(model, test_images[..., np.newaxis])
    print("Test accuracy:", np.mean(predicted == test_labels))
    maps = feature_maps(model, test_images[:1, ..., np.newaxis])
    print("The first test image gives", maps.shape[-1], "feature maps of", maps.shape[1:3])
