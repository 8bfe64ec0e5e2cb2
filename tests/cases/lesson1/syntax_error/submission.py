import keras


def build_model()
    return keras.Sequential([keras.layers.Dense(1)])
