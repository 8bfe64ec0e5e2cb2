"""Lesson 1 — Celsius to Fahrenheit: the reference solution.

The grader's self-test grades this file (``python -m grader lesson1 --solution``).
"""

import keras
import numpy as np

celsius_q = np.array([-40, -10, 0, 8, 15, 22, 38], dtype=float)
fahrenheit_a = np.array([-40, 14, 32, 46, 59, 72, 100], dtype=float)


def build_model() -> keras.Model:
    """One Dense layer with one unit on one input, compiled with MSE and Adam(0.1)."""
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(units=1)])
    model.compile(loss="mean_squared_error", optimizer=keras.optimizers.Adam(learning_rate=0.1))
    return model


def train(model: keras.Model, celsius: np.ndarray, fahrenheit: np.ndarray, epochs: int = 500):
    """Fit the model for ``epochs`` epochs and return the History."""
    return model.fit(celsius, fahrenheit, epochs=epochs, verbose=0)


def predict(model: keras.Model, celsius: np.ndarray) -> np.ndarray:
    """The model's Fahrenheit predictions for an array of Celsius values."""
    return model.predict(np.asarray(celsius, dtype=float), verbose=0)


if __name__ == "__main__":
    model = build_model()
    history = train(model, celsius_q, fahrenheit_a)
    print("Final loss:", history.history["loss"][-1])
    print("100 °C is about", predict(model, np.array([100.0])), "°F")
    print("The layer's weights (w, b):", model.layers[-1].get_weights())
