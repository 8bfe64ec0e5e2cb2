"""The course's Celsius notebook (tests/notebooks/celsius.ipynb) as a module."""

import matplotlib.pyplot as plt


import tensorflow as tf
import numpy as np
import logging

logger = tf.get_logger()
logger.setLevel(logging.ERROR)


celsius_q = np.array([-40, -10, 0, 8, 15, 22, 38], dtype=float)
fahrenheit_a = np.array([-40, 14, 32, 46, 59, 72, 100], dtype=float)

for i, c in enumerate(celsius_q):
    print("{} degrees Celsius = {} degrees Fahrenheit".format(c, fahrenheit_a[i]))


def build_model():
    l0 = tf.keras.layers.Dense(units=1)
    model = tf.keras.Sequential([tf.keras.Input(shape=(1,)), l0])
    model.compile(loss="mean_squared_error", optimizer=tf.keras.optimizers.Adam(0.1))
    return model


def train(model, celsius, fahrenheit, epochs=500):
    return model.fit(celsius, fahrenheit, epochs=epochs, verbose=False)


model = build_model()
history = train(model, celsius_q, fahrenheit_a, epochs=20)
print("Finished training the model")


plt.xlabel("Epoch Number")
plt.ylabel("Loss Magnitude")
plt.plot(history.history["loss"])


def predict(model, celsius):
    return model.predict(np.array(celsius, dtype=float), verbose=0)


print(predict(model, [100.0]))


print("These are the layer variables: {}".format(model.layers[0].get_weights()))
