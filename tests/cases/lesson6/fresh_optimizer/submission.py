"""Lesson 6, a wrong submission.

resume_training compiles the loaded model again (a fresh optimizer), and load_model
returns a new model instead of the file's. (Its load_for_serving, a TFSMLayer, is right.)

Training takes time; a trained model is worth keeping.  This lesson saves a
Fashion-MNIST classifier to a file, loads it back with the same predictions,
continues its training where it stopped, and exports it for serving.

Some words the course uses:
  * The Keras format — one ``.keras`` file (a zip archive) holding the model's
    architecture (``config.json``), its weights (``model.weights.h5``) and
    some metadata.  ``model.save("….keras")`` writes it;
    ``keras.models.load_model("….keras")`` reads it back.  The older ``.h5``
    format is legacy in Keras 3, and saving only the weights
    (``save_weights``) loses the architecture and the optimizer.
  * Optimizer state — what the optimizer has learned about the training so
    far: Adam counts its steps and keeps a running average of each weight's
    gradients (the moment estimates).  The ``.keras`` file keeps it, so a
    loaded model trains on from where it stopped instead of starting over.
  * Safe mode — ``load_model`` refuses a file with a ``Lambda`` layer, because
    its Python function could be anyone's code.  Use real layers (e.g.
    ``Rescaling``) instead of ``Lambda``.
  * SavedModel — TensorFlow's format for serving (TensorFlow Serving, TFLite,
    TF.js): a folder with ``saved_model.pb`` and ``variables/``.
    ``model.export(directory)`` writes it, with a ``serve`` endpoint;
    ``tf.saved_model.load(directory)`` reads it back as a TensorFlow object (not
    a Keras model), and ``keras.layers.TFSMLayer(directory,
    call_endpoint="serve")`` wraps it as a layer.  (The course's
    ``keras.models.load_model`` on a SavedModel folder no longer works.)

``build_model`` and ``train`` are written for you: this lesson is about
saving, not training.  Fill in the five functions after them, then check your
work from the course folder:

    python -m grader lesson6

The grader trains your model for one epoch on 2,000 training images, gives
your functions paths in a folder of its own, and opens every file they write
in a separate process of its own (with safe mode on) to compare its
predictions with your model's.  To try your code on your own, run this file.
"""

import keras  # `from tensorflow import keras` or `tf.keras` is the same Keras
import numpy as np
import tensorflow as tf


def build_model() -> keras.Model:
    """A small Fashion-MNIST classifier, compiled with Adam (written for you)."""
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(model, images, labels, epochs=1):
    """Train ``model`` on float32 images in [0, 1] (written for you); return the History."""
    return model.fit(images, labels, epochs=epochs, batch_size=64, verbose=0)


def save_model(model, path) -> None:
    """Save the whole model — architecture, weights and optimizer state — to ``path``.

    ``path`` is a string ending in ``.keras``: write the native Keras format
    there, exactly at that path (not in the working folder, not under another
    name).  Return nothing.
    """
    model.save(path)


def load_model(path) -> keras.Model:
    """Load the model saved at ``path`` (a ``.keras`` file) and return it.

    The loaded model must give the same predictions as the one that was saved.
    """
    return build_model()


def resume_training(path, images, labels, epochs) -> keras.Model:
    """Load the model saved at ``path`` and train it ``epochs`` more epochs.

    Train it with ``train`` on ``images`` and ``labels`` and return the loaded
    model.  Do not compile it again: the optimizer and its state come back from
    the file, so training continues where it stopped (with ``epochs=0`` the
    model comes back exactly as it was saved).
    """
    model = keras.models.load_model(path)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    train(model, images, labels, epochs=epochs)
    return model


def export_for_serving(model, directory) -> None:
    """Export ``model`` as a TensorFlow SavedModel in the folder ``directory``.

    Use ``model.export(directory)``: it writes ``saved_model.pb`` and
    ``variables/`` with a serving endpoint.  Return nothing.
    """
    model.export(directory, verbose=False)


def load_for_serving(directory):
    """Load the SavedModel in ``directory`` and return a function for predictions.

    The function takes a float32 NumPy array of images, shape (N, 28, 28, 1),
    and returns the model's outputs, shape (N, 10).  ``tf.saved_model.load``
    gives an object whose ``serve`` does that; keep the loaded object alive
    (e.g. inside a function you define here, a closure), because returning only
    ``tf.saved_model.load(directory).serve`` lets Python delete the object with
    its variables.  ``keras.layers.TFSMLayer(directory, call_endpoint="serve")``
    is another way: a layer can be called like a function.
    """
    return tf.keras.layers.TFSMLayer(directory, call_endpoint="serve")


if __name__ == "__main__":
    import tempfile
    from pathlib import Path

    (images, labels), _ = keras.datasets.fashion_mnist.load_data()
    images = images[:2000, :, :, np.newaxis].astype("float32") / 255.0
    labels = labels[:2000]
    folder = Path(tempfile.mkdtemp())
    model = build_model()
    train(model, images, labels)
    save_model(model, str(folder / "fashion.keras"))
    loaded = load_model(str(folder / "fashion.keras"))
    difference = np.max(np.abs(loaded.predict(images[:100]) - model.predict(images[:100])))
    print(f"saved and loaded: largest difference in predictions {difference:.2g}")
    steps = int(model.optimizer.iterations)
    resumed = resume_training(str(folder / "fashion.keras"), images[:640], labels[:640], 1)
    print(f"optimizer steps: {steps} when saved, {int(resumed.optimizer.iterations)} after")
    export_for_serving(model, str(folder / "export"))
    serve = load_for_serving(str(folder / "export"))
    served = np.asarray(serve(images[:100]))
    difference = np.max(np.abs(served - model.predict(images[:100])))
    print(f"exported and served: largest difference {difference:.2g}")
    print("written:", ", ".join(sorted(p.name for p in folder.iterdir())))
