"""Lesson 3, wrong: 'valid' convolution output, pooling that keeps windows past the edge,
padding='valid' in the model, a train that returns nothing after five batches, and
feature_maps that returns the model's output."""

import keras
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
    """Slide the kernel over the zero-padded image; each output pixel is the sum of the
    products of the kernel with the patch under it (the kernel is not flipped)."""
    k = kernel.shape[0]
    pad = 0
    padded = np.pad(image.astype(np.float64), pad)
    height, width = image.shape[0] - k + 1, image.shape[1] - k + 1
    output = np.zeros((height, width))
    for row in range(height):
        for col in range(width):
            output[row, col] = np.sum(padded[row : row + k, col : col + k] * kernel)
    return output


def max_pool(image: np.ndarray, size: int = 2, stride: int = 2) -> np.ndarray:
    """The largest value of each size × size window, windows ``stride`` apart, no padding."""
    height = -(-image.shape[0] // stride)
    width = -(-image.shape[1] // stride)
    output = np.zeros((height, width), dtype=image.dtype)
    for row in range(height):
        for col in range(width):
            top, left = row * stride, col * stride
            output[row, col] = image[top : top + size, left : left + size].max()
    return output


def normalize(images, labels):
    """Pixel values from 0–255 to 0–1, as float32; labels unchanged."""
    images = tf.cast(images, tf.float32) / 255.0
    return images, labels


def make_dataset(images, labels, batch_size=32, training=True) -> tf.data.Dataset:
    """Normalised, cached, shuffled when training, batched."""
    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).map(normalize).cache()
    if training:
        dataset = dataset.shuffle(len(images))
    return dataset.batch(batch_size)


def build_model() -> keras.Model:
    """Two convolution + max pooling blocks, then a dense classifier, compiled with Adam."""
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(32, (3, 3), padding="valid", activation="relu"),
            keras.layers.MaxPooling2D((2, 2), strides=2),
            keras.layers.Conv2D(64, (3, 3), padding="valid", activation="relu"),
            keras.layers.MaxPooling2D((2, 2), strides=2),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(model: keras.Model, train_dataset: tf.data.Dataset, epochs: int = EPOCHS):
    """Fit the model for ``epochs`` epochs and return the History."""
    model.fit(train_dataset, epochs=epochs, steps_per_epoch=5, verbose=0)


def predict_classes(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """The predicted class id of each raw image."""
    probabilities = model.predict(normalize(images, None)[0], verbose=0)
    return np.argmax(probabilities, axis=1)


def feature_maps(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """The first convolution's output, after relu, for each raw image: (N, 28, 28, 32)."""
    return model.predict(normalize(images, None)[0], verbose=0)


if __name__ == "__main__":
    (train_images, train_labels), (test_images, test_labels) = (
        keras.datasets.fashion_mnist.load_data()
    )
    model = build_model()
    train(model, make_dataset(train_images[..., np.newaxis], train_labels))
    predicted = predict_classes(model, test_images[..., np.newaxis])
    print("Test accuracy:", np.mean(predicted == test_labels))
    maps = feature_maps(model, test_images[:1, ..., np.newaxis])
    print("The first test image gives", maps.shape[-1], "feature maps of", maps.shape[1:3])
