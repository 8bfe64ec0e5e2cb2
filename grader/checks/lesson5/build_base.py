"""Rebuild the base network lesson 5 ships ("our ImageNet"), from a fixed seed.

    python -m grader.checks.lesson5.build_base [--epochs 3] [--images 50000] [--out PATH]

Trains the course's CNN (Conv2D 32 → pool → Conv2D 64 → pool → Flatten →
Dense 128 named ``features`` → Dense 10) on all ten Fashion-MNIST classes,
using only the first 50,000 training images, so that the last 10,000 (where
lesson 5 draws its few labelled images) are new to it. The model is saved
without an optimizer (the file holds the weights once, about 1.7 MB) as
``base.keras`` beside this script; its SHA-256 and test accuracy are printed.
Put the SHA-256 into ``grader/datasets/base_network.py`` and the accuracy into
``docs/calibration.md``, lesson 5. Byte equality across machines is not promised;
the recipe is (``tests/test_lesson5.py`` rebuilds it at a tiny budget).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

from grader.datasets import fashion as data

SEED = 5
EPOCHS = 3
IMAGES = 50_000
BATCH_SIZE = 64
OUT = Path(__file__).resolve().parent / "base.keras"


def make_network():
    """The course's CNN for ten classes, its 128-unit Dense named ``features``."""
    import keras

    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
            keras.layers.MaxPooling2D((2, 2), strides=2),
            keras.layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
            keras.layers.MaxPooling2D((2, 2), strides=2),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu", name="features"),
            keras.layers.Dense(10, activation="softmax", name="classes"),
        ],
        name="base_network",
    )


def train(images: np.ndarray, labels: np.ndarray, epochs: int, seed: int = SEED):
    """The network trained on ``images`` (uint8) scaled to [0, 1]; an uncompiled copy."""
    import keras

    keras.utils.set_random_seed(seed)
    network = make_network()
    network.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    network.fit(
        images.astype(np.float32) / 255.0, labels, epochs=epochs, batch_size=BATCH_SIZE, verbose=0
    )
    shipped = make_network()
    shipped.set_weights(network.get_weights())
    return shipped


def test_accuracy(network, fashion: data.FashionMnist) -> float:
    """Accuracy on the 10,000 test images, over the ten classes."""
    scores = network.predict(fashion.test.images.astype(np.float32) / 255.0, verbose=0)
    return float(np.mean(np.argmax(scores, axis=1) == fashion.test.labels))


def build(out: Path, epochs: int = EPOCHS, images: int = IMAGES) -> tuple[str, float]:
    """Train, save to ``out``; the file's SHA-256 and the network's test accuracy."""
    fashion = data.fashion_mnist()
    network = train(fashion.train.images[:images], fashion.train.labels[:images], epochs)
    network.save(out)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    return digest, test_accuracy(network, fashion)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--images", type=int, default=IMAGES)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    digest, accuracy = build(args.out, args.epochs, args.images)
    size = args.out.stat().st_size
    sys.stdout.write(
        f"{args.out}: {size} bytes, sha256 {digest}\n"
        f"test accuracy (10 classes, 10,000 test images): {accuracy:.4f}\n"
    )


if __name__ == "__main__":
    main()
