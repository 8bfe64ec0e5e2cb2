"""Live training progress: events from the learner process, shown while grading runs."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from rich.console import Console

from grader import api
from grader.grading.progress import TrainingProgress
from grader.outputs.live import LINE_INTERVAL_S, LiveGrading
from tests.conftest import grader, variant


def grade_with_events(folder: Path, source: str, epochs: int) -> tuple[object, list]:
    path = folder / "submission.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    events: list[TrainingProgress] = []
    result = api.grade("lesson1", path, api.Options(epochs=epochs, progress=events.append))
    return result, events


def epoch_event(epoch: int, epochs: int = 5, **metrics: float) -> TrainingProgress:
    return TrainingProgress("epoch", epoch, epochs, 10, 10, metrics or {"loss": 1.0 / epoch})


def test_training_reports_every_epoch_in_order(tmp_path: Path) -> None:
    result, events = grade_with_events(tmp_path, variant(), epochs=12)
    stages = [event.stage for event in events]
    assert stages[0] == "begin" and stages[-1] == "end"
    epochs = [event.epoch for event in events if event.stage == "epoch"]
    assert epochs == list(range(1, 13))
    assert all(event.epochs == 12 and "loss" in event.metrics for event in events[1:])
    assert result.checks, "progress changes nothing about the verdicts"


def test_the_learners_own_verbose_and_callbacks_do_not_break_it(tmp_path: Path) -> None:
    source = variant(
        (
            "epochs=epochs, verbose=0)",
            "epochs, 1, [keras.callbacks.TerminateOnNaN()])",
        ),
        ("return model.fit(celsius, fahrenheit,", "return model.fit(celsius, fahrenheit, None,"),
    )
    assert "fit(celsius, fahrenheit, None, epochs, 1, [keras" in source
    result, events = grade_with_events(tmp_path, source, epochs=6)
    assert [e.epoch for e in events if e.stage == "epoch"] == list(range(1, 7))
    training = next(c for c in result.checks if c.id == "training")
    assert training.message is None or "epochs" not in training.message
    assert "Epoch 6/6" in result.output, "the learner's own progress bar is still printed"


def test_malformed_events_are_dropped() -> None:
    good = {"stage": "epoch", "epoch": 2, "epochs": 5, "step": 3, "steps": 3, "metrics": {}}
    assert TrainingProgress.parse(good) == TrainingProgress("epoch", 2, 5, 3, 3, {})
    for forged in (
        "not a dict",
        {**good, "stage": "score"},
        {**good, "epoch": -1},
        {**good, "epoch": True},
        {**good, "epochs": "5"},
        {**good, "metrics": [1, 2]},
    ):
        assert TrainingProgress.parse(forged) is None, forged
    odd = TrainingProgress.parse({**good, "metrics": {"loss": float("nan"), "acc": "x", "a": 1}})
    assert odd is not None and odd.metrics == {"a": 1.0}


def test_a_log_gets_at_most_one_line_per_epoch_and_always_the_last() -> None:
    buffer = io.StringIO()
    now = [0.0]
    live = LiveGrading(Console(file=buffer, width=80), "lesson2", clock=lambda: now[0])
    with live:
        live.update(TrainingProgress("begin", 0, 5))
        for epoch in range(1, 6):
            live.update(TrainingProgress("batch", epoch, 5, 4, 10, {"loss": 0.5}))
            now[0] += LINE_INTERVAL_S / 2 if epoch < 3 else LINE_INTERVAL_S
            live.update(epoch_event(epoch, accuracy=0.8))
    lines = buffer.getvalue().splitlines()
    assert lines == [
        "training · epoch 1/5 · accuracy 0.8",
        "training · epoch 3/5 · accuracy 0.8",
        "training · epoch 4/5 · accuracy 0.8",
        "training · epoch 5/5 · accuracy 0.8",
    ]


def test_a_terminal_gets_a_bar_of_batches_with_the_latest_metrics() -> None:
    console = Console(file=io.StringIO(), width=100, force_terminal=True)
    with LiveGrading(console, "lesson2") as live:
        live.update(TrainingProgress("begin", 0, 5, None, 10))
        live.update(TrainingProgress("batch", 2, 5, 4, 10, {"loss": 0.5, "accuracy": 0.8}))
        assert live.progress is not None
        task = live.progress.tasks[-1]
        assert (task.completed, task.total) == (14, 50)
        assert task.description == "training · epoch 2/5"
        assert task.fields["metrics"] == "loss 0.5  accuracy 0.8"
        live.update(epoch_event(2))
        assert live.progress.tasks[-1].completed == 20


def test_the_cli_prints_training_lines_in_a_log() -> None:
    # --no-cache: a result cached by an earlier run of the same command would show no training
    run = grader("lesson1", "--solution", "--epochs", "20", "--no-cache")
    assert "training · epoch 20/20 · loss" in run.stdout
    assert run.stdout.index("training · epoch 20/20") < run.stdout.index("Score ")
