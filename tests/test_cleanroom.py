"""The clean room opens model files learner code wrote, and every bad file is a problem.

The files are made once by a separate Python process (as learner code would
make them), so this test process never loads TensorFlow itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from grader.learner.cleanroom import CleanRoom

ROOT = Path(__file__).resolve().parents[1]

MAKE_FILES = textwrap.dedent(
    """
    import json, sys
    import numpy as np, keras, tensorflow as tf
    from grader.learner.ops.optimizer import optimizer_state

    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).random((20, 6, 6, 1), dtype=np.float32)
    model = keras.Sequential([
        keras.Input((6, 6, 1)),
        keras.layers.Conv2D(2, 3, activation="relu"),
        keras.layers.Flatten(),
        keras.layers.Dense(4),
    ])
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, np.arange(20) % 4, batch_size=10, epochs=1, verbose=0)
    model.save("model.keras")
    model.save("legacy.h5")
    model.export("export", verbose=False)
    tf.saved_model.save(model, "tf_saved")
    np.save("x.npy", x)
    np.save("expected.npy", model.predict(x, verbose=0))
    state = optimizer_state(model)
    digests = [v["sha256"] for v in state["variables"]]
    json.dump({"iterations": state["iterations"], "digests": digests}, open("state.json", "w"))
    lam = keras.Sequential([keras.Input((6, 6, 1)), keras.layers.Lambda(lambda t: t * 2)])
    lam.save("lambda.keras")

    def convert(optimize, representative):
        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        if optimize:
            converter.optimizations = [tf.lite.Optimize.DEFAULT]
        if representative:
            converter.representative_dataset = lambda: ([x[i : i + 1]] for i in range(20))
            converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        return converter.convert()

    open("float.tflite", "wb").write(convert(False, False))
    open("int8.tflite", "wb").write(convert(True, True))
    open("dynamic.tflite", "wb").write(convert(True, False))
    """
)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("written")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    subprocess.run(
        [sys.executable, "-c", MAKE_FILES], cwd=folder, env=env, check=True, capture_output=True
    )
    (folder / "not_a_savedmodel").mkdir()
    (folder / "not_a_savedmodel" / "model.keras").write_bytes(b"nothing")
    return folder


@pytest.fixture(scope="module")
def room() -> CleanRoom:
    with CleanRoom() as room:
        room.start()
        yield room


@pytest.fixture(scope="module")
def x(files: Path) -> np.ndarray:
    return np.load(files / "x.npy")


def test_a_keras_archive_round_trips_outputs_and_optimizer_state(room, files, x):
    found = room.inspect_keras(files / "model.keras", x)
    assert found.problem is None
    assert set(found.entries) >= {"config.json", "model.weights.h5", "metadata.json"}
    assert np.max(np.abs(found.outputs - np.load(files / "expected.npy"))) <= 1e-6
    assert [layer["class_name"] for layer in found.layers] == ["Conv2D", "Flatten", "Dense"]
    saved = json.loads((files / "state.json").read_text())
    assert found.optimizer.class_name == "Adam"
    assert found.optimizer.iterations == saved["iterations"] == 2
    assert [v.sha256 for v in found.optimizer.variables] == saved["digests"]
    assert all(v.array is not None for v in found.optimizer.moments())


def test_a_lambda_layer_is_refused_by_safe_mode(room, files, x):
    found = room.inspect_keras(files / "lambda.keras", x)
    assert found.problem is not None and found.problem.startswith("refused by safe mode")
    assert "Lambda layer" in found.problem


def test_an_h5_file_is_not_a_keras_archive(room, files, x):
    found = room.inspect_keras(files / "legacy.h5", x)
    assert found.problem.startswith("it is an HDF5 file (the legacy .h5 format")


def test_a_missing_file_and_a_symlink_are_problems_not_errors(room, files, x, tmp_path):
    assert room.inspect_keras(files / "absent.keras", x).problem == "there is nothing there"
    link = tmp_path / "link.keras"
    link.symlink_to(files / "model.keras")
    assert "symbolic link" in room.inspect_keras(link, x).problem


def test_a_link_inside_a_folder_is_refused(room, files, x, tmp_path):
    folder = tmp_path / "export"
    shutil.copytree(files / "export", folder)
    shutil.rmtree(folder / "variables")
    (folder / "variables").symlink_to(files / "export" / "variables")
    assert room.inspect_savedmodel(folder, x).problem == "variables is a symbolic link"


def test_a_savedmodel_round_trips_outputs(room, files, x):
    found = room.inspect_savedmodel(files / "export", x)
    assert found.problem is None
    assert "serving_default" in found.signatures
    assert np.max(np.abs(found.outputs - np.load(files / "expected.npy"))) <= 1e-5


def test_a_savedmodel_from_tf_saved_model_save_round_trips_too(room, files, x):
    found = room.inspect_savedmodel(files / "tf_saved", x)
    assert found.problem is None
    assert np.max(np.abs(found.outputs - np.load(files / "expected.npy"))) <= 1e-5


def test_a_folder_that_is_not_a_savedmodel_is_a_problem(room, files, x):
    found = room.inspect_savedmodel(files / "not_a_savedmodel", x)
    assert found.problem == "it has no saved_model.pb and no variables (it holds model.keras)"
    assert room.inspect_savedmodel(files / "model.keras", x).problem == "it is a file"


def test_a_float_tflite_file_round_trips_outputs(room, files, x):
    found = room.inspect_tflite((files / "float.tflite").read_bytes(), x)
    assert found.problem is None
    assert found.runtime.startswith("LiteRT")
    assert found.size == (files / "float.tflite").stat().st_size
    assert np.max(np.abs(found.outputs - np.load(files / "expected.npy"))) <= 1e-5
    kernels = found.kernel_ops()
    assert [op["op"] for op in kernels] == ["CONV_2D", "FULLY_CONNECTED"]
    assert all(op["inputs"][:2] == ["float32", "float32"] for op in kernels)


def test_op_dtypes_tell_full_integer_from_dynamic_range_quantization(room, files, x):
    full = room.inspect_tflite((files / "int8.tflite").read_bytes(), x)
    dynamic = room.inspect_tflite((files / "dynamic.tflite").read_bytes(), x)
    assert full.problem is None and dynamic.problem is None
    assert all(op["inputs"][:2] == ["int8", "int8"] for op in full.kernel_ops())
    assert any(op["inputs"][0] == "float32" for op in dynamic.kernel_ops())
    assert full.outputs.dtype == np.float32  # float output kept by the converter
    assert np.max(np.abs(full.outputs - np.load(files / "expected.npy"))) < 0.5


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda data: b"", "it is empty (0 bytes)"),
        (lambda data: data[: len(data) // 2], "the interpreter could not run it"),
        (lambda data: b"not a flatbuffer", "it does not carry the TensorFlow Lite file identifier"),
    ],
    ids=["empty", "truncated", "garbage"],
)
def test_bad_tflite_bytes_are_problems(room, files, x, make, problem):
    found = room.inspect_tflite(make((files / "float.tflite").read_bytes()), x)
    assert found.problem is not None and found.problem.startswith(problem)


def test_a_keras_archive_passed_as_tflite_is_a_problem(room, files, x):
    found = room.inspect_tflite((files / "model.keras").read_bytes(), x)
    assert found.problem == (
        "it is a zip archive (a Keras file?), not a TensorFlow Lite flatbuffer"
    )


def test_a_call_over_time_is_stopped_and_the_next_call_starts_afresh(files, x):
    with CleanRoom(call_seconds=0.01) as room:
        found = room.inspect_keras(files / "model.keras", x)
        assert found.problem == "opening it took longer than 0.01 s, and the grader stopped it"
        assert room.process.popen is None
        room.process.call_seconds = 60.0
        assert room.inspect_keras(files / "model.keras", x).problem is None


def test_a_killed_process_is_replaced_for_the_next_call(room, files, x):
    assert room.inspect_tflite((files / "float.tflite").read_bytes(), x).problem is None
    os.killpg(room.process.popen.pid, 9)
    room.process.popen.wait()
    assert room.inspect_tflite((files / "float.tflite").read_bytes(), x).problem is None


def test_the_clean_room_reads_only_its_own_copies(room, files):
    name = room.admit(files / "export")
    assert (room.inbox / name / "saved_model.pb").is_file()
    assert not any(p.is_symlink() for p in (room.inbox / name).rglob("*"))


def test_the_clean_room_opens_nothing_outside_its_folder(room, x):
    reply = room.process.ask({"op": "keras", "path": "../../etc/passwd", "x": x})
    assert reply == {"ok": False, "problem": "the grader asked for a path outside its folder"}


def test_the_clean_room_is_sandboxed_where_bubblewrap_works(room):
    from grader.learner import sandbox

    assert room.process.sandboxed == sandbox.probe().works


def tensorflow_loaded(room: CleanRoom) -> bool:
    maps = Path(f"/proc/{room.process.popen.pid}/maps").read_text()
    return "libtensorflow_framework" in maps


def test_a_flatbuffer_room_starts_without_tensorflow_and_loads_keras_when_asked(files, x):
    with CleanRoom(preload="tflite", sandboxed=False) as room:
        found = room.inspect_tflite((files / "float.tflite").read_bytes(), x)
        assert found.problem is None and found.runtime.startswith("LiteRT")
        assert not tensorflow_loaded(room)
        assert room.inspect_keras(files / "model.keras", x).problem is None
        assert tensorflow_loaded(room)
