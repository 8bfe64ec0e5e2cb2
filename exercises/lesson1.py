"""Lesson 1 — Celsius to Fahrenheit: your first model.

The formula to convert a temperature from Celsius to Fahrenheit is

    f = c × 1.8 + 32

You could write that as an ordinary function.  Here you will not: you will give
TensorFlow a few Celsius values and the Fahrenheit values they convert to, and
let a model find the formula by itself, through training.

Some words the course uses:
  * Feature — an input to the model: here a single value, degrees Celsius.
  * Label — the output the model should predict: degrees Fahrenheit.
  * Example — one pair of feature and label used during training.

The model is the simplest there is: one Dense layer with one neuron (one unit)
taking one input value.  A single neuron computes  output = w × input + b,  so
after training, if all went well, the model will have learned to multiply the
input by about 1.8 and then add about 32.

Fill in the three functions below, then check your work from the course folder:

    python -m grader lesson1

A note on Keras 3 (the Keras in TensorFlow 2.16 and later): fit() and predict()
take numpy arrays, not plain Python lists.  The course's  model.predict([100.0])
raises an error today; write  model.predict(np.array([100.0]))  instead.
"""

import keras  # `from tensorflow import keras` or `tf.keras` is the same Keras
import numpy as np

# Seven examples to experiment with.  The grader trains your model on these too.
celsius_q = np.array([-40, -10, 0, 8, 15, 22, 38], dtype=float)
fahrenheit_a = np.array([-40, 14, 32, 46, 59, 72, 100], dtype=float)


def build_model() -> keras.Model:
    """Build and compile the model.

    The model has exactly one Dense layer with one unit, and takes one input
    value (``input_shape=[1]``, or start a Sequential model with
    ``keras.Input(shape=(1,))``).

    Compile it with the loss ``"mean_squared_error"`` and the Adam optimizer
    with a learning rate of 0.1: ``keras.optimizers.Adam(learning_rate=0.1)``.

    Return the compiled model.
    """
    raise NotImplementedError("build_model: create, compile and return the model")


def train(model: keras.Model, celsius: np.ndarray, fahrenheit: np.ndarray, epochs: int = 500):
    """Train ``model`` to map ``celsius`` to ``fahrenheit`` for ``epochs`` epochs.

    One epoch is one pass over all the examples.  Use ``model.fit`` (with
    ``verbose=0`` if you do not want a line per epoch) and return the History
    object it gives back: its ``history["loss"]`` shows how training went.
    """
    raise NotImplementedError("train: fit the model and return the History")


def predict(model: keras.Model, celsius: np.ndarray) -> np.ndarray:
    """Predict degrees Fahrenheit for an array of Celsius values.

    ``celsius`` has shape ``(n,)`` or ``(n, 1)``.  Return a numpy array with one
    prediction per input value, computed by the model.
    """
    raise NotImplementedError("predict: ask the model for its predictions")


if __name__ == "__main__":
    model = build_model()
    history = train(model, celsius_q, fahrenheit_a)
    print("Final loss:", history.history["loss"][-1])
    print("100 °C is about", predict(model, np.array([100.0])), "°F")
    print("The layer's weights (w, b):", model.layers[-1].get_weights())
