"""Figures, the recording side (issue 13): what checks put into the result.

One short grading run checks the plugin files a training's curves and a
lesson's own figure under the right checks; the builders count and pick what
they say, and figures survive the results cache without changing JSON v1.
"""

from __future__ import annotations

import dataclasses
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from grader import api
from grader.grading import figures as recording
from grader.outputs import json_report
from grader.results import Figure
from grader.selfstudy import store
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from figures import sample_figures, sample_result  # bench/figures.py


def test_figures_survive_the_results_cache_and_leave_json_v1_unchanged() -> None:
    result = sample_result()
    again = store.loads(store.dumps(result))
    assert all(isinstance(figure, Figure) for figure in again.figures)
    assert store.dumps(again) == store.dumps(result)  # equal, NaN gaps of the forecast included
    assert again.checks[0] == result.checks[0]
    plain = dataclasses.replace(
        result,
        checks=tuple(dataclasses.replace(c, series={}, figures=()) for c in result.checks),
    )
    assert json_report.to_dict(result) == json_report.to_dict(plain)


# --- recording, in a real (short) grading run ---------------------------------------------

CONFTEST = """
import numpy as np
import pytest
from grader.checks import steps
from grader.grading.figures import line_fit, record_figure

CELSIUS = np.array([-40, -10, 0, 8, 15, 22, 38], dtype=float)

@pytest.fixture(scope="session")
def training(learner, model, grading):
    return steps.train(learner, model, CELSIUS, 1.8 * CELSIUS + 32, epochs=grading.epochs)

@pytest.fixture(scope="session")
def drawn(request, training):
    record_figure(request, line_fit("The line", CELSIUS, 1.8 * CELSIUS + 32, {"model": CELSIUS}))
"""
CHECKS = """
from grader.checking import check

@check(points=1, hint=("a", "b"))
def test_builds(built):
    \"\"\"builds\"\"\"

@check(points=1, hint=("a", "b"))
def test_trains(training):
    \"\"\"trains\"\"\"

@check(points=1, hint=("a", "b"))
def test_draws(drawn, training):
    \"\"\"draws\"\"\"
"""


def test_a_grading_run_files_curves_and_recorded_figures_under_their_checks(
    tmp_path: Path,
) -> None:
    (tmp_path / "conftest.py").write_text(textwrap.dedent(CONFTEST))
    (tmp_path / "test_private.py").write_text(textwrap.dedent(CHECKS))
    options = api.Options(epochs=3, checks_dir=tmp_path)
    result = api.grade("lesson1", ROOT / "solutions" / "lesson1.py", options)
    assert result.fault is None, result.fault
    builds, trains, draws = result.checks
    assert not builds.figures and not builds.series
    assert len(trains.series["loss"]) == 3
    assert [f.title for f in trains.figures] == ["Loss per epoch"]
    assert trains.figures[0].series["loss"] == trains.series["loss"]
    assert [f.kind for f in draws.figures] == ["line_fit"], "the training is not filed twice"
    assert not draws.series


def test_record_figure_takes_a_request_and_a_figure(request: pytest.FixtureRequest) -> None:
    figure = sample_figures()["bars"]
    recording.record_figure(request, figure)
    recording.record_series(request, "loss", np.array([2, 1]))
    assert recording.take(request.config) == ([figure], {"loss": (2.0, 1.0)})
    assert recording.take(request.config) == ([], {})
    with pytest.raises(TypeError, match="takes a Figure"):
        recording.record_figure(request, {"kind": "bars"})
    with pytest.raises(TypeError, match="fixture request"):
        recording.record_figure(object(), figure)


def test_the_builders_count_and_pick_what_they_say() -> None:
    names = ("cat", "dog", "fox")
    true, predicted = np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 7])
    matrix = recording.confusion("c", true, predicted, names).matrix
    assert matrix == ((1, 1, 0), (0, 1, 0), (1, 0, 1)), "a class id out of range is not counted"
    images = np.arange(6 * 4, dtype=np.uint8).reshape(6, 2, 2, 1)
    grid = recording.misclassified("m", images, true, predicted, names, count=2)
    assert grid.labels == ("cat → dog", "fox → cat")
    assert grid.images == (((4, 5), (6, 7)), ((16, 17), (18, 19)))
    curves = recording.training_curves({"loss": (2, 1), "val_loss": (3, 2), "acc": (0.5, 0.9)})
    assert [(f.title, list(f.series)) for f in curves] == [
        ("Loss per epoch", ["loss", "val_loss"]),
        ("Accuracy per epoch", ["acc"]),
    ]
