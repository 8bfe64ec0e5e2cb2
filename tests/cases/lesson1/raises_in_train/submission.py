"""A working model whose train computes a scale factor that divides by zero."""

import keras
import numpy as np


def build_model():
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(units=1)])
    model.compile(loss="mean_squared_error", optimizer=keras.optimizers.Adam(0.1))
    return model


def scale(values):
    factor = 1 / (len(values) - len(values))
    return values * factor


def train(model, celsius, fahrenheit, epochs=500):
    return model.fit(scale(celsius), fahrenheit, epochs=epochs, verbose=0)


def predict(model, celsius):
    return model.predict(np.asarray(celsius), verbose=0)
