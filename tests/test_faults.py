"""Faults and tampering: whatever a submission does, the verdict stays right and complete.

One test per row of the fault table (issue 5), each asserting the exact outcome.
This module holds the rows about what the submission is and returns: rigged
comparisons (row 1), an exit inside train (row 2), files that are not a module
and missing functions (row 11), the grader's own faults (row 13) and seeds
(rows 14 and 15).  Limits (rows 8-10, 12) are in test_faults_limits.py, learner
processes (rows 4, 6, 7) in test_faults_processes.py; rows 3, 5 and the
Python-loop half of 6 are in test_isolation.py.  Learner code runs at a small
training budget and with short limits, so the suite stays fast.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from grader import cli, lessons
from grader.classroom import calibrate
from grader.limits import MiB
from grader.results import RunStatus, Status
from tests.conftest import REFERENCE, ROOT, check, grade_source, variant
from tests.faults_support import CHECK_IDS, complete, in_train
from tests.test_isolation import BUILD_CHECKS

# -- row 1: rigged comparisons -------------------------------------------------

RIGGED = '''
class Liar:
    """Equal to anything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__


class RiggedScalar(np.float64):
    """A number that is equal to, close to and within any bound of anything."""

    def __eq__(self, other):
        return True

    __le__ = __lt__ = __ge__ = __gt__ = __eq__
    __hash__ = np.float64.__hash__

    def __sub__(self, other):
        return RiggedScalar(0.0)

    __rsub__ = __sub__

    def __abs__(self):
        return RiggedScalar(0.0)


class RiggedArray(np.ndarray):
    """An array whose every comparison says yes."""

    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool)

    __le__ = __lt__ = __ge__ = __gt__ = __eq__


def predict(model, celsius):
    if len(celsius) == 3:
        return np.zeros(3).view(RiggedArray)
    return RiggedScalar(0.0)
'''


def test_rigged_comparisons_are_rejected_as_the_wrong_type(tmp_path: Path) -> None:
    fit = "model.fit(celsius, fahrenheit, epochs=epochs, verbose=0)\n"
    source = variant(
        ("def predict(", "def _predict("),
        ("import numpy as np\n", "import numpy as np\n" + RIGGED),
        ("    return " + fit, "    " + fit + "    return Liar()\n"),
    )
    result = complete(grade_source(tmp_path, source))
    assert all(check(result, name).passed for name in BUILD_CHECKS)
    expected = {
        "training": "train should return the History from model.fit; it returned submission.Liar.",
        "predicts_boiling_point": (
            "predict should return a numpy array; it returned submission.RiggedArray."
        ),
        "predict_uses_the_model": (
            "predict should return a numpy array; it returned submission.RiggedScalar."
        ),
    }
    for name, message in expected.items():
        verdict = check(result, name)
        assert (verdict.status, verdict.message) == (Status.FAILED, message), name
    assert result.fault is None


# -- row 2: exits (the rest is in test_isolation.py) ---------------------------


def test_sys_exit_inside_train_is_reported_and_the_rest_is_graded(tmp_path: Path) -> None:
    result = complete(grade_source(tmp_path, variant(in_train("sys.exit(0)"))))
    training = check(result, "training")
    assert (training.status, training.message) == (
        Status.ERROR,
        "The submission exited during train (sys.exit(0)).",
    )
    assert all(check(result, name).passed for name in BUILD_CHECKS)
    assert check(result, "predict_uses_the_model").passed
    assert result.status is RunStatus.FAILED and result.fault is None  # exit code 1


# -- row 11: files that are not a module -----------------------------------------


def bad_file_cases(folder: Path) -> dict[str, tuple[bytes, str]]:
    shown = str(folder / "submission.py")
    return {
        "empty": (
            b"\n  \n",
            f"{shown} is empty. Write the exercise's functions in it (the exercise file in "
            "exercises/ is the place to start).",
        ),
        "binary": (
            b"\x7fELF\x02\x01\x01\x00\x00\x00",
            f"{shown} is not Python source: it holds binary data (null bytes). Is this the "
            "file you meant to submit?",
        ),
        "not_utf8": (
            "# température\ndef build_model():\n    pass\n".encode("latin-1"),
            f"{shown} is not valid UTF-8 text: byte 0xe9 on line 1 cannot be read. Save the "
            "file as UTF-8 in your editor.",
        ),
        "50_MB": (
            REFERENCE.encode() + b"#" * (50 * MiB),
            f"{shown} is 50 MiB; the grader loads files of up to 1 MiB. Is this the file you "
            "meant to submit? An exercise needs only the functions it asks for.",
        ),
    }


@pytest.mark.parametrize("case", ["empty", "binary", "not_utf8", "50_MB"])
def test_a_file_that_is_not_a_module_gets_one_clear_message(tmp_path: Path, case: str) -> None:
    content, message = bad_file_cases(tmp_path)[case]
    (tmp_path / "submission.py").write_bytes(content)
    out = io.StringIO()
    code = cli.main(
        [
            "lesson1",
            "--submission",
            str(tmp_path / "submission.py"),
            "--json",
            str(tmp_path / "r.json"),
        ],
        console=Console(file=out, width=100, color_system=None),
    )
    assert code == 1, out.getvalue()
    assert "Traceback" not in out.getvalue()
    report = json.loads((tmp_path / "r.json").read_text())
    first, *rest = report["checks"]
    assert (first["status"], first["message"], first["details"]) == ("error", message, None)
    assert {c["status"] for c in rest} == {"skipped"} and len(rest) == len(CHECK_IDS) - 1
    assert report["status"] == "failed" and report["message"] is None


TRAIN_DEFINITION = (
    "def train(model: keras.Model, celsius: np.ndarray, fahrenheit: np.ndarray, epochs: int = 500):"
)


def test_missing_functions_and_a_wrong_signature_get_one_message_each(tmp_path: Path) -> None:
    source = variant(
        (TRAIN_DEFINITION, "def train(model):"),
        ("def predict(", "def forecast("),
    )
    result = complete(grade_source(tmp_path, source))
    assert all(check(result, name).passed for name in BUILD_CHECKS)
    training = check(result, "training")
    assert (training.status, training.message) == (
        Status.ERROR,
        "train is defined as train(model), but the grader calls it as train(…, …, …, "
        "epochs=…): too many positional arguments. Keep the parameters the exercise file "
        "gives train.",
    )
    uses = check(result, "predict_uses_the_model")
    assert (uses.status, uses.message) == (
        Status.ERROR,
        "The submission defines no function predict().",
    )
    assert check(result, "predicts_boiling_point").status is Status.SKIPPED
    assert result.status is RunStatus.FAILED and result.fault is None


# -- row 13: the grader's own faults ------------------------------------------------


def test_missing_checks_are_the_graders_fault_not_a_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "grader"
    shutil.copytree(lessons.PACKAGE_DIR / "checks" / "lesson1", package / "checks" / "lesson1")
    (package / "checks" / "lesson1" / "test_lesson1.py").unlink()
    monkeypatch.setattr(lessons, "PACKAGE_DIR", package)
    out = io.StringIO()
    code = cli.main(
        ["lesson1", "--solution", "--json", str(tmp_path / "r.json")],
        console=Console(file=out, width=100, color_system=None),
    )
    report = json.loads((tmp_path / "r.json").read_text())
    assert code == 2, out.getvalue()
    assert report["status"] == "error" and report["checks"] == []
    assert "the checks directory holds no checks" in report["message"]


@pytest.mark.parametrize("broken", ["no_folder", "no_lesson_definition"])
def test_a_lesson_the_grader_cannot_load_is_a_usage_error_naming_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], broken: str
) -> None:
    package = tmp_path / "grader"
    if broken == "no_lesson_definition":
        folder = package / "checks" / "lesson1"
        shutil.copytree(lessons.PACKAGE_DIR / "checks" / "lesson1", folder)
        (folder / "lesson.py").write_text("LESSON = None\n")
    monkeypatch.setattr(lessons, "PACKAGE_DIR", package)
    code = cli.main(["lesson1", "--solution"], console=Console(file=io.StringIO()))
    assert code == 2
    assert {
        "no_folder": "unknown lesson 'lesson1'",
        "no_lesson_definition": "lesson 'lesson1' cannot be loaded (LessonDefinitionError",
    }[broken] in capsys.readouterr().err.replace("\n", "")


# -- rows 14 and 15: the same seed, many seeds ----------------------------------------


def test_the_same_seed_gives_the_same_score_and_metrics(tmp_path: Path) -> None:
    runs = [grade_source(tmp_path, variant(), seed=7, name=f"run{i}.py") for i in (1, 2)]
    first, second = ([(c.id, c.status, c.points, c.metrics) for c in r.checks] for r in runs)
    assert first == second
    assert check(runs[0], "learned_weights").metrics["w"] != 0


@pytest.mark.slow
def test_the_reference_gets_full_marks_over_twenty_seeds() -> None:
    runs = calibrate.run("lesson1", ROOT / "solutions" / "lesson1.py", range(1, 21), jobs=2)
    assert [(run.seed, run.score) for run in runs] == [(seed, 10.0) for seed in range(1, 21)]
