"""CI outputs rendered from a hand-made result: JUnit XML, GitHub Actions, Gradescope, pass mark.

The renderers are tested on hand-made ``RunResult``s (fast, no TensorFlow) against
goldens in tests/outputs/ (regenerate with ``--update-goldens``); also the pass
mark's exit codes and finding a private checks folder.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rich.console import Console

from grader.classroom import instructor
from grader.outputs import github, gradescope, junit
from tests.conftest import ROOT
from tests.outputs_support import FAULT, FORGED, MIXED, active_commands, junit_counts

GOLDENS = ROOT / "tests" / "outputs"
RESULTS = {"mixed": MIXED, "fault": FAULT}
RENDERERS = {
    "junit.xml": junit.dumps,
    "github_summary.md": github.summary,
    "gradescope.json": lambda result: gradescope.dumps(result, "after_published"),
}


@pytest.mark.parametrize("name", RESULTS)
@pytest.mark.parametrize("output", RENDERERS)
def test_golden_output(name: str, output: str, request: pytest.FixtureRequest) -> None:
    text = RENDERERS[output](RESULTS[name])
    expected = GOLDENS / f"{name}.{output}"
    if request.config.getoption("--update-goldens"):
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(text, encoding="utf-8")
    assert expected.is_file(), f"{expected} is missing: run with --update-goldens"
    assert text == expected.read_text(encoding="utf-8"), f"{output} differs from {expected}"


# --- JUnit XML --------------------------------------------------------------------------


@pytest.mark.parametrize("name", RESULTS)
def test_junit_parses_and_its_counts_add_up(name: str) -> None:
    root = ET.fromstring(junit.dumps(RESULTS[name]).encode("utf-8"))
    assert root.tag == "testsuites"
    counted = junit_counts(root)
    for element in (root, root.find("testsuite")):
        assert element is not None
        assert {key: int(element.get(key, -1)) for key in counted} == counted


def test_junit_has_one_case_per_check_with_points_and_kinds() -> None:
    root = ET.fromstring(junit.dumps(MIXED))
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert list(cases) == [check.id for check in MIXED.checks]
    assert {case.get("classname") for case in cases.values()} == {"lesson1"}
    assert cases["returns_a_model"].find("failure") is None
    assert cases["compiled"].find("failure").get("message").startswith("Expected Adam")
    assert cases["training"].find("error").get("type") == "error"
    assert cases["learned_weights"].find("error").get("type") == "timeout"
    assert cases["predict_uses_the_model"].find("skipped") is not None
    points = {p.get("name"): p.get("value") for p in cases["compiled"].iter("property")}
    assert points["points"] == "0" and points["max_points"] == "2"
    # A NUL from learner text cannot break the XML; it is shown, not dropped silently.
    assert "\\x00" in cases["predict_uses_the_model"].find("skipped").get("message")


def test_junit_reports_a_grader_fault_as_an_error_not_an_empty_success() -> None:
    root = ET.fromstring(junit.dumps(FAULT))
    assert root.get("tests") == "1" and root.get("errors") == "1"
    assert "ImportError" in (root.find("./testsuite/testcase/error").text or "")


# --- GitHub Actions --------------------------------------------------------------------


def test_annotations_point_at_the_learners_lines_and_escape_their_text() -> None:
    definitions = {"build_model": 5, "train": 12, "predict": 20}
    lines = github.annotations(MIXED, definitions)
    assert lines[0].startswith("::error file=exercises/lesson1.py,title=")  # no function named
    assert ",line=19," in lines[1], "an error points where the learner's code raised"
    assert lines[1].endswith("bad%0A::error file=forged.py,line=1::forged by the learner")
    assert ",line=20," in lines[-2] and lines[-2].startswith("::warning ")
    assert lines[-1] == "::notice title=lesson1 score::lesson1: 1/8 (failed)"
    assert all("\n" not in line for line in lines)
    assert "title=train fits for the requested epochs%2C returns" in lines[1]


def test_learner_text_cannot_inject_workflow_commands() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, color_system=None)
    instructor.show(MIXED, console, {"GITHUB_ACTIONS": "true"})
    stdout = buffer.getvalue()
    assert FORGED in stdout and "::add-mask::secret" in stdout, "the learner's text is shown"
    commands = active_commands(stdout)
    assert not [c for c in commands if "forged" in c and not c.startswith("::error file=exercises")]
    assert not [c for c in commands if c.startswith("::add-mask")]
    assert commands[-1].startswith("::notice") and "::group::What your code printed" in commands
    # Without the wrapping, the same output would have run commands: the test can tell.
    assert any("forged" in line for line in active_commands(MIXED.output))


def test_inert_refuses_text_that_holds_its_token() -> None:
    assert github.inert("a\n", "t0k") == "::stop-commands::t0k\na\n::t0k::\n"
    with pytest.raises(ValueError):
        github.inert("::t0k::", "t0k")


def test_summary_is_appended_to_the_step_summary_file(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    console = Console(file=io.StringIO(), width=80)
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    instructor.show(MIXED, console, env)
    assert summary.read_text() == "earlier step\n" + github.summary(MIXED) + "\n"
    outside = tmp_path / "outside.md"
    instructor.show(MIXED, console, {"GITHUB_STEP_SUMMARY": str(outside)})
    assert not outside.exists(), "nothing is written outside GitHub Actions"


def test_summary_markdown_keeps_learner_text_literal() -> None:
    text = github.summary(MIXED)
    assert "[link](http" not in text and "<b>" not in text and "\\| a" in text
    fence = re.search(r"^(`{4,})text$", text, re.MULTILINE)
    assert fence, "a traceback holding ``` gets a longer fence"


# --- Gradescope --------------------------------------------------------------------------


def test_gradescope_follows_the_spec() -> None:
    data = gradescope.to_dict(MIXED, "hidden")
    assert data["score"] == MIXED.score and isinstance(data["execution_time"], int)
    assert {"score", "execution_time", "output", "tests"} <= set(data)
    for test, check in zip(data["tests"], MIXED.checks, strict=True):
        assert set(test) >= {"name", "score", "max_score", "status", "output", "visibility"}
        assert test["visibility"] == "hidden"
        assert test["status"] == ("passed" if check.passed else "failed")
    with pytest.raises(ValueError):
        gradescope.to_dict(MIXED, "sometimes")


# --- pass mark, private checks ------------------------------------------------------------


@pytest.mark.parametrize(("mark", "code"), [(None, 1), (0.125, 0), (0.13, 1), (1.0, 1)])
def test_pass_mark_decides_the_exit_code(mark: float | None, code: int) -> None:
    assert MIXED.score / MIXED.max_score == 0.125
    assert instructor.exit_code(MIXED, mark) == code
    assert instructor.exit_code(FAULT, mark) == 2, "a grader fault is never a pass or a fail"


@pytest.mark.parametrize("text", ["0", "1.5", "-0.2", "nan", "abc"])
def test_pass_mark_must_be_a_share(text: str) -> None:
    with pytest.raises(ValueError):
        instructor.pass_mark(text)
    assert instructor.pass_mark("80%") == pytest.approx(0.8)


def test_private_checks_folder_is_found_by_lesson(tmp_path: Path) -> None:
    fixture = ROOT / "tests" / "private_checks"
    assert instructor.private_checks(fixture, "lesson1") == (fixture / "lesson1").resolve()
    assert (
        instructor.private_checks(fixture / "lesson1", "lesson1") == (fixture / "lesson1").resolve()
    )
    with pytest.raises(instructor.BadChecksDir, match="no checks for lesson1"):
        instructor.private_checks(tmp_path, "lesson1")
