"""Toy reference."""

import keras
import numpy as np


def double(x: np.ndarray) -> np.ndarray:
    return np.asarray(x) * 2


def build_model():
    return keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
