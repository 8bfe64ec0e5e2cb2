"""Two layers, the wrong loss, the default learning rate, and a hard-coded formula."""

import keras
import numpy as np


def build_model():
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(4), keras.layers.Dense(1)])
    model.compile(loss="mae", optimizer="adam")
    return model


def train(model, celsius, fahrenheit, epochs=500):
    return model.fit(celsius, fahrenheit, epochs=epochs, verbose=0)


def predict(model, celsius):
    return np.asarray(celsius).reshape(-1) * 1.8 + 32
