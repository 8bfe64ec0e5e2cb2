"""A lesson is a folder: a toy lesson outside grader/ is discovered, listed, graded and rendered.

Nothing in grader/ names it: it is found through $GRADER_LESSON_PATH, as a
course's own lessons would be (docs/adding-a-lesson.md).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from grader import api, cli, lessons
from grader.notebooks import jupyter
from grader.outputs import json_report
from grader.outputs.scorecard import Scorecard
from grader.results import Status
from grader.selfstudy import hints as selfstudy
from grader.selfstudy import store
from tests.conftest import ROOT
from tests.test_notebooks import define

TOY_COURSE = ROOT / "tests" / "toy_course"


@pytest.fixture
def toy_course(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(lessons.LESSON_PATH_VARIABLE, str(TOY_COURSE))


def test_the_toy_lesson_is_discovered_after_the_course(toy_course: None) -> None:
    ids = list(lessons.LESSONS)
    assert ids[-1] == "toy" and ids[:2] == ["lesson1", "lesson2"]
    orders = [lessons.get(i).order for i in ids]
    assert orders == sorted(orders), "lessons are listed in their declared order"
    toy = lessons.get("toy")
    assert toy.checks_dir == TOY_COURSE / "checks" / "toy"
    assert lessons.reference_solution(toy) == TOY_COURSE / "solutions" / "toy.py"
    assert toy.call_limits.seconds_for("slow_double") == 5.0


def test_a_lessons_train_limit_can_still_be_raised_for_a_run() -> None:
    lesson = lessons.Lesson("x", 1, "X", "x", 1, function_seconds={"train": 200.0})
    assert lesson.call_limits.seconds_for("train") == 200.0
    raised = lesson.call_limits.with_overrides({"train": "900"})
    assert raised.seconds_for("train") == 900.0


def test_lessons_sort_by_order_not_by_name(toy_course: None) -> None:
    ids = list(lessons.LESSONS)
    if "lesson10" in ids and "lesson9" in ids:
        assert ids.index("lesson10") > ids.index("lesson9")
    assert ids == sorted(ids, key=lambda i: lessons.get(i).order)


def test_list_shows_the_toy_lesson(toy_course: None) -> None:
    out = io.StringIO()
    assert cli.main(["--list"], Console(file=out, width=100)) == 0
    assert "toy  Toy: scale an array" in out.getvalue()


def test_the_toy_lesson_grades_and_renders(toy_course: None) -> None:
    reference = api.grade("toy", TOY_COURSE / "solutions" / "toy.py", api.Options(sandbox="off"))
    assert reference.fault is None and (reference.score, reference.max_score) == (3, 3)
    stubs = api.grade("toy", TOY_COURSE / "exercises" / "toy.py", api.Options(sandbox="off"))
    assert [c.status for c in stubs.checks] == [Status.NOT_ATTEMPTED, Status.NOT_ATTEMPTED]
    text = io.StringIO()
    Console(file=text, width=80, color_system=None).print(Scorecard(reference))
    assert "Toy: scale an array" in text.getvalue() and "double multiplies" in text.getvalue()
    assert json_report.to_dict(reference)["lesson"] == "toy"


def test_an_unknown_lesson_names_the_toy_one_too(toy_course: None) -> None:
    with pytest.raises(lessons.UnknownLesson, match="toy"):
        lessons.get("lesson99")


def test_check_in_a_notebook_records_progress_as_the_cli_does(
    toy_course: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__main__"}
    define(namespace, "def double(x):\n    return x * 2\n")
    report = jupyter.check("toy", namespace=namespace)
    assert report is not None
    assert next(c.status for c in report.result.checks) is Status.PASSED
    run = selfstudy.latest_run("toy", store.folder_for(tmp_path))
    assert run is not None and run.result.score == report.result.score == 2
