"""Benchmark: what ``--report`` adds to a run, drawing the figures a lesson has.

Times three fresh Pythons, interleaved so that all see the same machine, each
building a ``RunResult`` from synthetic plain data (no training):
  (a) bare:  only builds it;
  (b) image: also writes the HTML report of an image lesson: loss and accuracy
             curves over 500 epochs with validation, a 10-class confusion matrix and
             12 misclassified images (4 figures, as lesson 2 has);
  (c) every: the same with every kind: also the learned line, a forecast and a
             float-vs-quantized comparison (7 figures).
The difference to (a), matplotlib's import included, is the cost of the figures;
the budget is 2 s.  CPU seconds are printed beside wall seconds: on a shared
machine they say more.

    python bench/figures.py [--runs N]
"""

from __future__ import annotations

import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from grader.grading import figures
from grader.results import CheckResult, Figure, RunResult, Status

CLASSES = ("T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag")
CLASSES = (*CLASSES, "Ankle boot")


def sample_figures() -> dict[str, Figure]:
    """One figure of every kind, from seeded synthetic data."""
    rng = np.random.default_rng(0)
    celsius = np.array([-40, -10, 0, 8, 15, 22, 38], dtype=float)
    true = rng.integers(0, 10, 2000)
    predicted = np.where(rng.random(2000) < 0.85, true, rng.integers(0, 10, 2000))
    time = np.arange(400, dtype=float)
    series = 10 + 0.05 * time + np.sin(time / 8) + rng.normal(0, 0.2, 400)
    forecast = np.where(time >= 300, series + rng.normal(0, 0.3, 400), np.nan)
    return {
        "curves": Figure("curves", "Accuracy per epoch", {"accuracy": [0.6, 0.8, 0.86, 0.88]}),
        "line_fit": figures.line_fit(
            "The learned line",
            celsius,
            1.8 * celsius + 32,
            {"model": 1.79 * celsius + 31.5},
            x_label="°C",
            y_label="°F",
        ),
        "confusion": figures.confusion("Confusion matrix", true, predicted, CLASSES),
        "image_grid": figures.misclassified(
            "Misclassified test images",
            rng.integers(0, 256, (200, 28, 28, 1), dtype=np.uint8),
            true[:200],
            predicted[:200],
            CLASSES,
        ),
        "forecast": Figure("forecast", "Forecast", {"series": series, "forecast": forecast}),
        "bars": Figure(
            "bars", "Float vs quantized", {"float": rng.random(5), "quantized": rng.random(5)}
        ),
    }


OTHERS = ("line_fit", "confusion", "image_grid", "forecast", "bars")
IMAGE_LESSON = ("confusion", "image_grid")
"""The figures an image lesson adds to its training curves (lesson 2)."""


def sample_result(kinds: tuple[str, ...] | None = None) -> RunResult:
    """A run with a training (loss and validation loss over 500 epochs) and every figure kind
    (or the training curves and ``kinds``)."""
    epochs = range(500)
    history = {
        "loss": [900 * math.exp(-e / 60) + 2 for e in epochs],
        "val_loss": [950 * math.exp(-e / 60) + 3 for e in epochs],
        "accuracy": [1 - 0.5 * math.exp(-e / 60) for e in epochs],
        "val_accuracy": [0.98 - 0.5 * math.exp(-e / 60) for e in epochs],
    }
    training = CheckResult(
        "training",
        "train fits for the requested epochs",
        Status.PASSED,
        1,
        1,
        series=history,
        figures=tuple(figures.training_curves(history)),
    )
    shown = CheckResult(
        "accuracy", "The model is accurate", Status.FAILED, 0, 2, message="Too low.",
        figures=tuple(v for k, v in sample_figures().items() if k in (kinds or OTHERS)),
    )  # fmt: skip
    return RunResult(
        "lesson2", "Fashion-MNIST", "exercises/lesson2.py", 1, "0.1.0", (training, shown)
    )


BUILD = "import sys; sys.path.insert(0, 'bench'); from figures import *; "
BUILD += "r = sample_result({kinds})"
WRITE = "; from grader.outputs import html_report; html_report.write(r, Path(sys.argv[1]))"


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of ``command``: CPU time suffers less from load."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        report = "from pathlib import Path; " + BUILD + WRITE
        commands = {
            "bare": [sys.executable, "-c", BUILD.format(kinds="")],
            "image": [sys.executable, "-c", report.format(kinds="IMAGE_LESSON"), folder],
            "every": [sys.executable, "-c", report.format(kinds=""), folder],
        }
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for run in range(1, runs + 1):
            for name, command in commands.items():
                times[name].append(timed(command))
                wall, cpu = times[name][-1]
                print(f"run {run}  {name:<6} wall {wall:6.2f} s  cpu {cpu:6.2f} s", flush=True)
    wall = {n: statistics.median(t[0] for t in v) for n, v in times.items()}
    cpu = {n: statistics.median(t[1] for t in v) for n, v in times.items()}
    for name, what in (("image", "an image lesson's 4 figures"), ("every", "all 7 figures")):
        print(f"{what} add (medians): wall {wall[name] - wall['bare']:+.2f} s, "
              f"cpu {cpu[name] - cpu['bare']:+.2f} s (budget 2 s)")  # fmt: skip


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    from timing import ROOT, runs_argument

    main(runs_argument(__doc__.splitlines()[0]))
