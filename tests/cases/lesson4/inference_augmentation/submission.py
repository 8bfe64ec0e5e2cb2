"""Lesson 4, wrong: integer labels, upside-down flips, and the augmenter forced on at
inference (a layer that calls it with training=True); the model outputs logits, which is right.
"""

from pathlib import Path

import keras
import numpy as np

EPOCHS = 20
IMAGE_SIZE = (28, 28)


def load_datasets(directory, image_size=IMAGE_SIZE, batch_size=32):
    """The training images (shuffled) and the validation images (in order), read from
    ``directory/train`` and ``directory/validation``: grey, with labels 0.0 or 1.0."""
    directory = Path(directory)
    common = {
        "labels": "inferred",
        "label_mode": "int",
        "color_mode": "grayscale",
        "image_size": image_size,
        "batch_size": batch_size,
    }
    train_ds = keras.utils.image_dataset_from_directory(directory / "train", shuffle=True, **common)
    val_ds = keras.utils.image_dataset_from_directory(
        directory / "validation", shuffle=False, **common
    )
    return train_ds, val_ds


def make_augmenter() -> keras.Sequential:
    """Random left-right flips and small random rotations."""
    return keras.Sequential(
        [keras.layers.RandomFlip("vertical"), keras.layers.RandomRotation(0.1)],
        name="augmenter",
    )


class AlwaysOn(keras.layers.Layer):
    """The augmenter called with training=True, whatever the model is asked. (Calling the
    augmenter with training=True while building a functional model does not do this in
    Keras 3: the model's own training flag reaches it.)"""

    def __init__(self, augmenter, **kwargs):
        super().__init__(**kwargs)
        self.augmenter = augmenter

    def call(self, inputs, training=None):
        return self.augmenter(inputs, training=True)

    def get_config(self):
        return super().get_config()


def build_model(augment=True, dropout=0.5) -> keras.Model:
    """Rescaling, the augmenter when asked, two convolution blocks, dropout when asked, and a
    sigmoid output; compiled with Adam and binary cross-entropy."""
    inputs = keras.Input(shape=(28, 28, 1))
    x = keras.layers.Rescaling(1.0 / 255)(inputs)
    if augment:
        x = AlwaysOn(make_augmenter())(x)
    layers = [
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(64, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Flatten(),
    ]
    if dropout > 0:
        layers.append(keras.layers.Dropout(dropout))
    layers += [
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(1),
    ]
    for layer in layers:
        x = layer(x)
    model = keras.Model(inputs, x)
    model.compile(
        optimizer="adam",
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)],
    )
    return model


def train(model, train_ds, val_ds, epochs=EPOCHS):
    """Fit on the training set, validating on the validation set after every epoch."""
    return model.fit(train_ds, validation_data=val_ds, epochs=epochs, verbose=0)


def predict_classes(model, images: np.ndarray) -> np.ndarray:
    """0 (shirt) or 1 (T-shirt/top) for each raw image: the sigmoid's output above 0.5."""
    probabilities = model.predict(images.astype("float32"), verbose=0)
    return (probabilities[:, 0] > 0.0).astype(np.int64)


if __name__ == "__main__":
    from grader.datasets.folders import heldout_split, write_image_folders

    folders = write_image_folders("fashion_folders")
    train_ds, val_ds = load_datasets(folders.root)
    print("Classes:", train_ds.class_names)
    test = heldout_split()
    for augment, dropout in ((False, 0.0), (True, 0.5)):
        model = build_model(augment=augment, dropout=dropout)
        history = train(model, train_ds, val_ds)
        accuracy = history.history["accuracy"][-1]
        val_accuracy = history.history["val_accuracy"][-1]
        test_accuracy = np.mean(predict_classes(model, test.images) == test.labels)
        print(
            f"augment={augment}, dropout={dropout}: training {accuracy:.3f}, validation "
            f"{val_accuracy:.3f}, test {test_accuracy:.3f}"
        )
