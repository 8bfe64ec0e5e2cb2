"""Lesson 6: the reference passes every check; each wrong way of saving fails its own.

The golden cases (tests/cases/lesson6/) grade three wrong submissions; this
module grades one more (a model kept aside instead of the file read, a
SavedModel's bound ``serve`` returned alone) and tests the messages for files
written under the wrong name without a grading run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.checks.lesson6.files import where_it_went
from grader.results import RunResult, RunStatus, Status
from tests.conftest import ROOT, check, failure_message, grade_source
from tests.conftest import variant as replaced

REFERENCE = (ROOT / "solutions" / "lesson6.py").read_text(encoding="utf-8")
CHECKS = (
    "save_model_writes_a_keras_archive",
    "the_file_loads_safely_with_the_same_predictions",
    "load_model_gives_the_same_predictions",
    "resume_training_restores_the_optimizer",
    "resume_training_continues_where_it_stopped",
    "export_for_serving_writes_a_savedmodel",
    "load_for_serving_gives_the_same_predictions",
)
CASES = ROOT / "tests" / "cases" / "lesson6"


@pytest.fixture(scope="module")
def reference(reference_results) -> RunResult:
    return reference_results.get("lesson6")


def test_reference_passes_every_check(reference: RunResult) -> None:
    assert [c.id for c in reference.checks] == list(CHECKS)
    assert [c.status for c in reference.checks] == [Status.PASSED] * len(CHECKS)
    assert reference.status is RunStatus.PASSED
    loaded = check(reference, "the_file_loads_safely_with_the_same_predictions")
    assert loaded.metrics["keras_file_difference"] <= 1e-6
    assert check(reference, "resume_training_restores_the_optimizer").metrics == {
        "moment_difference": 0.0
    }


def test_untouched_stubs_are_to_do(stubs_results) -> None:
    result = stubs_results.get("lesson6")
    assert result.status is RunStatus.FAILED and result.score == 0
    assert {c.status for c in result.checks} <= {Status.NOT_ATTEMPTED, Status.SKIPPED}
    first = check(result, "save_model_writes_a_keras_archive")
    assert first.status is Status.NOT_ATTEMPTED
    assert "save_model is not written yet" in (first.message or "")


def test_a_kept_model_and_a_bare_serve_fail_their_checks(tmp_path: Path) -> None:
    """Other spellings of saving and loading pass beside the two mistakes."""
    source = replaced(
        (
            "    model.save(path)\n",
            "    keras.saving.save_model(model, path)\n    KEPT.append(model)\n",
        ),
        ("    return keras.models.load_model(path)", "    return tf.keras.models.load_model(path)"),
        ("\n\ndef save_model", "\n\nKEPT = []\n\n\ndef save_model"),
        ("    model = keras.models.load_model(path)\n", "    model = KEPT[-1]\n"),
        (
            """    def serve(images):
        return loaded.serve(tf.constant(images, dtype=tf.float32))

    return serve""",
            "    return tf.saved_model.load(directory).serve",
        ),
        reference=REFERENCE,
    )
    result = grade_source(tmp_path, source, epochs=None, lesson="lesson6")
    restored = failure_message(result, "resume_training_restores_the_optimizer")
    assert "That is the step count of the other model the grader saved" in restored
    served = failure_message(result, "load_for_serving_gives_the_same_predictions")
    assert "deleted with its variables" in served
    for passing in CHECKS[:3] + CHECKS[5:6]:
        assert check(result, passing).status is Status.PASSED, check(result, passing)


@pytest.mark.parametrize(
    ("written", "says"),
    [
        (["fashion.weights.h5"], "holds only the weights, not the architecture"),
        (["fashion.h5"], "An .h5 file is the legacy format"),
        ([], "Nothing was written there."),
    ],
    ids=["weights_only", "h5", "nothing"],
)
def test_a_file_under_another_name_is_named_with_advice(
    tmp_path: Path, written: list[str], says: str
) -> None:
    folder = tmp_path / "models"
    folder.mkdir()
    for name in written:
        (folder / name).write_bytes(b"\x89HDF\r\n\x1a\n")
    text = where_it_went(folder / "fashion.keras", tmp_path)
    assert says in text
    assert all(name in text for name in written)


def test_a_save_in_the_working_folder_is_pointed_at(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "model.keras").write_bytes(b"PK")
    text = where_it_went(tmp_path / "models" / "fashion.keras", tmp_path)
    assert text == (
        "In the working folder it wrote model.keras. Save to the path the grader gives, "
        "not to a name of your own."
    )


@pytest.mark.parametrize(
    ("case", "failed"),
    [
        ("lambda_layer", {CHECKS[1]: "refused by safe mode", CHECKS[5]: "is not a SavedModel"}),
        ("path_ignored", {CHECKS[0]: "wrote nothing at that path", CHECKS[6]: "a function"}),
        (
            "fresh_optimizer",
            {CHECKS[2]: "predicts differently", CHECKS[3]: "It is a fresh optimizer"},
        ),
    ],
)
def test_each_golden_wrong_submission_says_why(case: str, failed: dict[str, str]) -> None:
    """The goldens hold the full scorecards; here, the one line each case is about."""
    import json

    result = json.loads((CASES / case / "result.json").read_text())
    verdicts = {c["id"]: c for c in result["checks"]}
    for check_id, says in failed.items():
        assert verdicts[check_id]["status"] == "failed", verdicts[check_id]
        assert says in verdicts[check_id]["message"]
