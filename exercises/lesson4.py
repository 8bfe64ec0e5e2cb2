"""Lesson 4 — going further with CNNs: image folders, overfitting, augmentation, dropout.

Real images usually come as files, one folder per class, not as a ready-made
array.  The course sorts photos of cats from dogs; here the task is Shirt
against T-shirt/top, two kinds of clothing that are easy to confuse, with the
course's sizes: 2,000 training and 1,000 validation images, written as PNG
files by ``grader.datasets.folders.write_image_folders``:

    fashion_folders/train/shirt/*.png          fashion_folders/validation/shirt/*.png
    fashion_folders/train/tshirt_top/*.png     fashion_folders/validation/tshirt_top/*.png

Some words the course uses:
  * Training and validation sets — the model learns from the training images;
    the validation images, which it never trains on, tell how well it does on
    images it has not seen.  Keras measures both after every epoch when
    ``fit`` is given ``validation_data``.
  * Overfitting — with few images, a model can learn the training images by
    heart: training accuracy climbs towards 100 % while validation accuracy
    stays behind.  The gap between the two shows how much it overfits.
  * Data augmentation — new training images made from the old ones by random
    changes that keep what they show: a shirt flipped left to right, turned a
    little, zoomed or shifted is still a shirt.  Keras's random layers
    (``RandomFlip``, ``RandomRotation``, ``RandomZoom``, ``RandomTranslation``)
    do it inside the model, in training only; at inference they pass images
    through unchanged.  (The course's ``ImageDataGenerator`` is legacy in
    Keras 3: these layers replace it.)
  * Dropout — a layer that, in training, sets a random share of its inputs to
    zero (``Dropout(0.5)``: half of them), so the next layer cannot rely on any
    one unit.  At inference it does nothing.
  * ``keras.utils.image_dataset_from_directory`` — reads a folder with one
    sub-folder per class into a ``tf.data.Dataset`` of (images, labels)
    batches; the classes are numbered in alphabetical order of their folders
    (shirt = 0, tshirt_top = 1).  ``Rescaling(1/255)`` in the model turns its
    pixel values (0–255) into [0, 1].

Fill in the five functions below, then check your work from the course folder:

    python -m grader lesson4

The grader writes the folders where your code can read them and calls
``load_datasets`` on them; then it trains ``build_model(augment=False,
dropout=0)`` and ``build_model()`` with your ``train`` (for the number of
epochs it chooses), measures both models' accuracy on the training and
validation images, and asks ``predict_classes`` about 2,000 test images of the
two classes.  To try your code on your own, run this file: it writes the
folders into ``fashion_folders`` (Fashion-MNIST must be on your machine, see
the README) and trains both models.
"""

import keras  # `from tensorflow import keras` or `tf.keras` is the same Keras
import numpy as np

EPOCHS = 20
IMAGE_SIZE = (28, 28)


def load_datasets(directory, image_size=IMAGE_SIZE, batch_size=32):
    """The training and validation sets, read from ``directory/train`` and
    ``directory/validation`` with ``keras.utils.image_dataset_from_directory``.

    Both: grey images (``color_mode="grayscale"``) of ``image_size``, labels
    0.0 or 1.0 for one sigmoid output (``label_mode="binary"``), batches of
    ``batch_size``.  Shuffle the training set (``shuffle=True``: a new order
    every epoch) and not the validation set (``shuffle=False``).  Return the
    pair ``(train_ds, val_ds)``; each gives batches of images of shape
    (batch, 28, 28, 1), float32 values 0–255, and labels of shape (batch, 1).
    """
    raise NotImplementedError("load_datasets: read the two folders")


def make_augmenter() -> keras.Sequential:
    """The data augmentation: a ``keras.Sequential`` of random layers.

    It must flip images left to right at random (``RandomFlip("horizontal")``)
    and also turn, zoom or shift them a little: ``RandomRotation(0.1)`` (up to
    a tenth of a full turn), ``RandomZoom(0.1)`` or ``RandomTranslation(0.1,
    0.1)``.  Keep the factors modest: a shirt turned upside down is not an
    image the model will ever be asked about.  It is given images with values
    in [0, 1] and must return them with the same shape.
    """
    raise NotImplementedError("make_augmenter: random flips and a little rotation")


def build_model(augment=True, dropout=0.5) -> keras.Model:
    """Build and compile the CNN, with augmentation and dropout only when asked.

    Input: 28 × 28 × 1 images with pixel values 0–255.  Layers:
    ``Rescaling(1/255)``; the augmenter from ``make_augmenter()`` if ``augment``;
    Conv2D with 32 filters of 3 × 3 and relu; MaxPooling2D; Conv2D with 64
    filters of 3 × 3 and relu; MaxPooling2D; Flatten; ``Dropout(dropout)`` if
    ``dropout > 0``; Dense(128) with relu; Dense(1) with sigmoid (the
    probability that the image is a T-shirt/top).  Compile it with the Adam
    optimizer, the binary cross-entropy loss and ``metrics=["accuracy"]``, and
    return it.
    """
    raise NotImplementedError("build_model: create, compile and return the CNN")


def train(model, train_ds, val_ds, epochs=EPOCHS):
    """Train ``model`` on ``train_ds`` for ``epochs`` epochs, validating on ``val_ds``
    after each (``validation_data=val_ds``), and return the History that
    ``model.fit`` gives back: it holds ``accuracy`` and ``val_accuracy`` per epoch.
    """
    raise NotImplementedError("train: fit with validation data and return the History")


def predict_classes(model, images: np.ndarray) -> np.ndarray:
    """The predicted class of each image: 0 (shirt) or 1 (T-shirt/top).

    ``images`` are raw uint8 images of shape (N, 28, 28, 1), like the training
    images (the model rescales them itself).  Ask the model for its
    probabilities and return 1 where the probability is above 0.5, else 0: an
    integer array of shape (N,).
    """
    raise NotImplementedError("predict_classes: 0 or 1 for each image")


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
            f"augment={augment}, dropout={dropout}: training accuracy {accuracy:.3f}, "
            f"validation {val_accuracy:.3f}, test {test_accuracy:.3f}"
        )
