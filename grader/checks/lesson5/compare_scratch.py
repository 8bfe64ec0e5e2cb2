"""Calibrate lesson 5's claim: frozen base + head against the same CNN from scratch.

    python -m grader.checks.lesson5.compare_scratch --seeds 0,1,2 [--epochs 300]
        [--which both|reference|scratch]

For each seed, in this one process (a grading run per seed costs a TensorFlow
start twice): seeds Keras as the learner process is, then either runs the
reference solution's ``build_model`` on the shipped base, ``train`` for
``--epochs``, ``predict_classes`` on the 10,000 test images, ``fine_tune``
(layers=2, learning_rate=2e-5) and 10 more epochs; or trains the same CNN from
random weights (``tests/cases/lesson5/weak/scratch.py``'s model) with the same
``train``. Prints one line per seed. The grader gives the reference the same
accuracies under the same seed (checked for seeds 1 and 2).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys

import numpy as np

from grader.checks.lesson5.conftest import FINE_TUNE_EPOCHS, FINE_TUNE_LAYERS, FINE_TUNE_RATE
from grader.datasets import base_network, fashion_mnist
from grader.lessons import SOURCE_ROOT

SCRATCH = SOURCE_ROOT / "tests" / "cases" / "lesson5" / "weak" / "scratch.py"
REFERENCE = SOURCE_ROOT / "solutions" / "lesson5.py"


def module(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def accuracy(code, model, task) -> float:
    return float(np.mean(code.predict_classes(model, task.test_images) == task.test_groups))


def run(seed: int, which: str, epochs: int, task) -> str:
    """One seed's line: frozen and fine-tuned accuracy, or the scratch CNN's."""
    import keras

    keras.utils.set_random_seed(seed)
    base = base_network.load_feature_extractor()
    code = module(REFERENCE if which == "reference" else SCRATCH)
    if which == "scratch":
        keras.utils.set_random_seed(seed)
    model = code.build_model(base, num_classes=4)
    code.train(model, task.images, task.labels, epochs=epochs)
    frozen = accuracy(code, model, task)
    if which == "scratch":
        return f"seed {seed} scratch {frozen:.4f}"
    code.fine_tune(model, base, layers=FINE_TUNE_LAYERS, learning_rate=FINE_TUNE_RATE)
    code.train(model, task.images, task.labels, epochs=FINE_TUNE_EPOCHS)
    return f"seed {seed} frozen {frozen:.4f} fine-tuned {accuracy(code, model, task):.4f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="0,1,2,3,4,5,6,7,8,9")
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--which", choices=("both", "reference", "scratch"), default="both")
    args = parser.parse_args(argv)
    task = base_network.transfer_task(fashion_mnist())
    kinds = ("reference", "scratch") if args.which == "both" else (args.which,)
    for seed in (int(s) for s in args.seeds.split(",")):
        for kind in kinds:
            sys.stdout.write(run(seed, kind, args.epochs, task) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
