"""Lesson 2 as the course notebook (l03c01) writes it, modernised only where Keras 3 forces it.

Flatten takes input_shape=(28, 28, 1), the activations are tf.nn.relu and
tf.nn.softmax, the training data is shuffled with a buffer of 60000 in batches
of 32. It must get full marks.
"""

import numpy as np
import tensorflow as tf

def normalize(images, labels):
    images = tf.cast(images, tf.float32)
    images /= 255
    return images, labels


def make_dataset(images, labels, batch_size=32, training=True):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).map(normalize).cache()
    if training:
        dataset = dataset.shuffle(60000)
    return dataset.batch(batch_size)


def build_model():
    model = tf.keras.Sequential([
        tf.keras.layers.Flatten(input_shape=(28, 28, 1)),
        tf.keras.layers.Dense(128, activation=tf.nn.relu),
        tf.keras.layers.Dense(10, activation=tf.nn.softmax),
    ])
    model.compile(optimizer="adam",
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(),
                  metrics=["accuracy"])
    return model


def train(model, train_dataset, epochs=5):
    return model.fit(train_dataset, epochs=epochs)


def predict_classes(model, images):
    predictions = model.predict(normalize(images, None)[0])
    return np.argmax(predictions, axis=1)
