"""Layers as checks read them: activations named by behaviour, every course layer in words.

The description is made by the learner process's own code (``learner/describe.py``),
called here in the test process on models the test builds.
"""

from __future__ import annotations

import keras
import pytest
import tensorflow as tf

from grader.grading.model import ModelInfo
from grader.learner.describe import Store, describe
from grader.learner.session import Learner, Ref, Value


def described(model: keras.Model) -> ModelInfo:
    info = describe(model, Store())
    value = Value(kind=info["kind"], type_name=info["type"], info=info, ref=Ref(1, info["ref"]))
    return ModelInfo.parse(value)


def dense_model(*layers: keras.layers.Layer) -> ModelInfo:
    return described(keras.Sequential([keras.Input(shape=(4,)), *layers]))


SOFTMAX_SPELLINGS = {
    "string": lambda: [keras.layers.Dense(3, activation="softmax")],
    "tf.nn.softmax": lambda: [keras.layers.Dense(3, activation=tf.nn.softmax)],
    "keras.activations.softmax": lambda: [
        keras.layers.Dense(3, activation=keras.activations.softmax)
    ],
    "Softmax layer": lambda: [keras.layers.Dense(3), keras.layers.Softmax()],
    "Activation layer": lambda: [keras.layers.Dense(3), keras.layers.Activation("softmax")],
}
RELU_SPELLINGS = {
    "string": lambda: [keras.layers.Dense(3, activation="relu")],
    "tf.nn.relu": lambda: [keras.layers.Dense(3, activation=tf.nn.relu)],
    "ReLU layer": lambda: [keras.layers.Dense(3), keras.layers.ReLU()],
}


@pytest.mark.parametrize("spelling", SOFTMAX_SPELLINGS)
def test_every_spelling_of_softmax_is_softmax(spelling: str) -> None:
    layers = dense_model(*SOFTMAX_SPELLINGS[spelling]()).folded()
    assert [layer.activation for layer in layers] == ["softmax"]
    assert str(layers[0]) == "Dense(3, softmax)"


@pytest.mark.parametrize("spelling", RELU_SPELLINGS)
def test_every_spelling_of_relu_is_relu(spelling: str) -> None:
    layers = dense_model(*RELU_SPELLINGS[spelling]()).folded()
    assert [layer.activation for layer in layers] == ["relu"]


def test_an_unknown_activation_is_named_in_words_not_as_a_config() -> None:
    model = dense_model(keras.layers.Dense(3, activation=lambda x: x * 2.0))
    assert model.layers[0].activation == "an activation of your own"
    assert "{" not in str(model.layers[0])


def test_sigmoid_and_linear_are_told_apart() -> None:
    model = dense_model(keras.layers.Dense(2), keras.layers.Dense(1, activation="sigmoid"))
    assert [layer.activation for layer in model.layers] == ["linear", "sigmoid"]


COURSE_LAYERS = {
    "Conv2D(32, 3×3, same, relu)": keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
    "MaxPooling2D(2×2)": keras.layers.MaxPooling2D((2, 2), strides=2),
    "Dropout(0.5)": keras.layers.Dropout(0.5),
    "Rescaling(1/255)": keras.layers.Rescaling(1.0 / 255),
    "RandomFlip(horizontal)": keras.layers.RandomFlip("horizontal"),
    "RandomRotation(0.1)": keras.layers.RandomRotation(0.1),
    "Embedding(1000, 16)": keras.layers.Embedding(1000, 16),
    "LSTM(16, return_sequences)": keras.layers.LSTM(16, return_sequences=True),
    "Bidirectional(LSTM(16))": keras.layers.Bidirectional(keras.layers.LSTM(16)),
    "Conv1D(32, 5, causal, dilation 2, relu)": keras.layers.Conv1D(
        32, 5, padding="causal", dilation_rate=2, activation="relu"
    ),
    "GRU(8)": keras.layers.GRU(8),
}


@pytest.mark.parametrize("text", COURSE_LAYERS)
def test_course_layers_read_in_words(text: str) -> None:
    layer = COURSE_LAYERS[text]
    shape = (10, 8) if text.startswith(("LSTM", "Bidirectional", "Conv1D", "GRU")) else (8, 8, 1)
    if text.startswith("Embedding"):
        shape = (10,)
    assert str(described(keras.Sequential([keras.Input(shape=shape), layer])).layers[0]) == text


def test_a_frozen_base_is_described_with_its_layers() -> None:
    base = keras.Sequential(
        [keras.Input(shape=(4,)), keras.layers.Dense(8, name="features")], name="base"
    )
    base.trainable = False
    model = described(keras.Sequential([keras.Input(shape=(4,)), base, keras.layers.Dense(2)]))
    outer = model.layers[0]
    assert str(outer) == "Sequential 'base' (frozen, 1 layers)"
    assert [str(inner) for inner in outer.layers] == ["Dense(8)"]
    assert (outer.trainable, model.layers[1].trainable_params) == (False, 18)


class Scaled(keras.layers.Layer):
    """A learner's own layer built from a function, which Keras cannot put in a config."""

    def __init__(self, function) -> None:
        super().__init__()
        self.function = function

    def call(self, inputs):
        return self.function(inputs)


def test_a_custom_layer_without_a_config_is_still_described() -> None:
    with pytest.raises(NotImplementedError):
        Scaled(lambda x: x * 2.0).get_config()
    model = described(
        keras.Sequential(
            [keras.Input(shape=(4,)), Scaled(lambda x: x * 2.0), keras.layers.Dense(2)]
        )
    )
    assert [layer.class_name for layer in model.layers] == ["Scaled", "Dense"]


def test_large_models_send_weight_shapes_not_weights() -> None:
    model = dense_model(keras.layers.Dense(10_000))
    assert model.layers[0].weights == () and model.layers[0].shapes == ((4, 10_000), (10_000,))


def test_learner_operations_reach_layers_weights_and_training_mode(tmp_path) -> None:
    source = tmp_path / "submission.py"
    source.write_text(
        "import keras\n"
        "def build_model():\n"
        "    return keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, name='a'),"
        " keras.layers.Dropout(0.5), keras.layers.Dense(1, name='b')])\n"
    )
    from grader.limits import Limits

    learner = Learner(source, "submission.py", 1, Limits())
    try:
        ref = learner.call("build_model").ref
        x = tf.ones((2, 4)).numpy()
        first = learner.run("layer_output", model=ref, layer="a", x=x)
        assert first.shape == (2, 3)
        weights = learner.run("weights", model=ref)
        assert [w["path"] for w in weights] == ["a", "b"]
        assert weights[0]["weights"][0].shape == (4, 3)
        digests = learner.run("weights_digest", model=ref)
        assert set(digests) == {"a", "b"} and len(digests["a"]["sha256"]) == 64
        inference = learner.run("call_model", model=ref, x=x, training=False)
        assert (inference == learner.run("call_model", model=ref, x=x, training=False)).all()
    finally:
        learner.close()
