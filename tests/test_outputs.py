"""Course CI outputs: JUnit XML, GitHub Actions, Gradescope, pass mark, private checks, workflows.

The renderers are tested on a hand-made ``RunResult`` (fast, no TensorFlow) against
goldens in tests/outputs/ (regenerate with ``--update-goldens``); one end-to-end
CLI run checks each output as an instructor's CI would read it.
"""

from __future__ import annotations

import io
import json
import re
import shlex
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from grader import cli, commands
from grader.classroom import instructor
from grader.outputs import github, gradescope, junit
from grader.results import CheckResult, RunResult, Status
from tests.conftest import ROOT, grader

GOLDENS = ROOT / "tests" / "outputs"
FORGED = "::error file=forged.py,line=1::forged by the learner"

MIXED = RunResult(
    lesson="lesson1",
    title="Celsius to Fahrenheit: your first model",
    submission="exercises/lesson1.py",
    seed=20240,
    grader_version="0.1.0",
    checks=(
        CheckResult("returns_a_model", "build_model returns a Keras model", Status.PASSED, 1, 1),
        CheckResult(
            "compiled",
            "The model is compiled with mean squared error and Adam at learning rate 0.1",
            Status.FAILED,
            0,
            2,
            message="Expected Adam with learning rate 0.1; found 0.001 | a [link](http://x) <b>",
            hint="Give Adam its learning rate: Adam(learning_rate=...).",
            metrics={"probe_loss": 5.0},
        ),
        CheckResult(
            "training",
            "train fits for the requested epochs, returns the History, and the loss falls",
            Status.ERROR,
            0,
            1,
            message="train raised ValueError: bad\n" + FORGED,
            hint="Return what model.fit gives back.",
            details='  File "exercises/lesson1.py", line 19, in train\n    raise ValueError\n'
            "ValueError: bad\n" + FORGED + "\n```\nbreakout",
        ),
        CheckResult(
            "learned_weights",
            "The trained neuron learns",
            Status.TIMEOUT,
            0,
            2,
            message="train ran past its limit of 180 s and was stopped.",
        ),
        CheckResult(
            "predicts_boiling_point",
            "predict turns 100 °C into about 212 °F",
            Status.SKIPPED,
            0,
            1,
            message="skipped: train raised ValueError",
        ),
        CheckResult(
            "predict_uses_the_model",
            "predict asks the model for its answer",
            Status.NOT_ATTEMPTED,
            0,
            1,
            message="predict is not written yet (it still raises NotImplementedError).\x00",
        ),
    ),
    notes=("Training budget reduced to 5 epochs (calibrated for 500); thresholds may not hold.",),
    output="hello\n" + FORGED + "\n::add-mask::secret\n",
)
FAULT = RunResult(
    lesson="lesson1",
    title="Celsius to Fahrenheit: your first model",
    submission="exercises/lesson1.py",
    seed=20240,
    grader_version="0.1.0",
    fault="could not load the checks in test_lesson1.py: ImportError",
)
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


def junit_counts(root: ET.Element) -> dict[str, int]:
    """Counts as a JUnit consumer derives them from the test cases themselves."""
    cases = root.findall("./testsuite/testcase")
    return {
        "tests": len(cases),
        "failures": sum(case.find("failure") is not None for case in cases),
        "errors": sum(case.find("error") is not None for case in cases),
        "skipped": sum(case.find("skipped") is not None for case in cases),
    }


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


def active_commands(stdout: str) -> list[str]:
    """The workflow commands a runner would act on: stop-commands honoured."""
    active, stopped = [], None
    for line in stdout.splitlines():
        if stopped is not None:
            if line == f"::{stopped}::":
                stopped = None
            continue
        if match := re.fullmatch(r"::stop-commands::(.+)", line):
            stopped = match[1]
        elif line.startswith("::"):
            active.append(line)
    return active


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


# --- end to end ------------------------------------------------------------------------

E2E_SUBMISSION = """
import keras

print("::error file=forged.py,line=1::forged by the learner")
print("::add-mask::secret")


def build_model():
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(units=1)])
    model.compile(loss="mean_squared_error", optimizer=keras.optimizers.Adam(0.1))
    return model


def train(model, celsius, fahrenheit, epochs=500):
    raise ValueError("bad\\n::error::forged from a message")


def predict(model, celsius):
    return model.predict(celsius, verbose=0)
"""


@pytest.fixture(scope="module")
def ci_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    folder = tmp_path_factory.mktemp("ci")
    (folder / "summary.md").write_text("")
    (folder / "submission.py").write_text(E2E_SUBMISSION)
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(folder / "summary.md")}
    run = grader(
        "lesson1",
        "--submission",
        str(folder / "submission.py"),
        "--epochs",
        "5",
        "--json",
        str(folder / "result.json"),
        "--junit-xml",
        str(folder / "junit.xml"),
        "--gradescope",
        str(folder / "results.json"),
        "--visibility",
        "after_due_date",
        env=env,
    )
    return run, folder


def test_cli_writes_junit_that_agrees_with_the_json(ci_run) -> None:
    run, folder = ci_run
    assert run.returncode == 1, run.stderr
    report = json.loads((folder / "result.json").read_text())
    root = ET.parse(folder / "junit.xml").getroot()
    assert junit_counts(root)["tests"] == len(report["checks"]) == int(root.get("tests"))
    statuses = [c["status"] for c in report["checks"]]
    assert int(root.get("errors")) == statuses.count("error") + statuses.count("timeout") >= 1


def test_cli_in_github_actions_annotates_and_summarises(ci_run) -> None:
    run, folder = ci_run
    commands = active_commands(run.stdout)
    errors = [c for c in commands if c.startswith("::error")]
    assert errors and all(",line=" in c and "submission.py" in c for c in errors)
    assert not [c for c in commands if c.startswith("::add-mask") or "forged.py" in c]
    score = "{score:g}/{max_score:g}".format(**json.loads((folder / "result.json").read_text()))
    assert commands[-1] == f"::notice title=lesson1 score::lesson1: {score} (failed)"
    summary = (folder / "summary.md").read_text()
    assert "| ! error | train fits" in summary and f": {score} (" in summary


def test_cli_writes_gradescope_results(ci_run) -> None:
    _, folder = ci_run
    data = json.loads((folder / "results.json").read_text())
    report = json.loads((folder / "result.json").read_text())
    assert data["score"] == report["score"] == sum(t["score"] for t in data["tests"])
    assert {t["visibility"] for t in data["tests"]} == {"after_due_date"}


def test_cli_runs_private_checks_instead_of_the_built_in_ones(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    run = grader(
        "lesson1",
        "--solution",
        "--epochs",
        "5",
        "--checks",
        "tests/private_checks",
        "--json",
        str(report),
        "--pass-mark",
        "0.9",
    )
    data = json.loads(report.read_text())
    assert [c["id"] for c in data["checks"]] == [
        "private_returns_a_model",
        "private_single_dense_layer",
    ]
    assert run.returncode == 0 and data["score"] == data["max_score"] == 5
    missing = grader("lesson1", "--solution", "--checks", str(tmp_path))
    assert missing.returncode == 2 and "no checks for lesson1" in missing.stderr


# --- workflows and templates under docs/ ----------------------------------------------

WORKFLOWS = sorted((ROOT / "docs" / "workflows").glob("*.yml"))
SUBCOMMAND_PARSERS = {
    "merge": commands.merge.parser,
    "calibrate": commands.calibrate.parser,
    "gradescope-bundle": commands.gradescope_bundle.parser,
}


def grader_commands(script: str, variables: dict[str, str] | None = None) -> list[list[str]]:
    """Each ``python -m grader …`` in a shell script, its variables filled in.

    ``${{ … }}`` expressions become ``1``; ``$NAME`` takes its value from
    ``variables`` or from a ``NAME=value`` line of the script; an array
    expansion (``"${NAME[@]}"``, optional arguments) is left out.
    """
    known = dict(re.findall(r"^(\w+)=(\S+)", script, re.MULTILINE))
    known.update(variables or {})
    script = re.sub(r"\$\{\{[^}]*\}\}", "1", script).replace("\\\n", " ")
    commands = []
    for line in script.splitlines():
        words = shlex.split(line, comments=True)
        words = [w for w in words if not re.fullmatch(r"\$\{\w+\[@\]\}", w)]
        words = [re.sub(r"\$\{?(\w+)\}?", lambda m: known.get(m[1], m[0]), w) for w in words]
        for start in range(len(words) - 2):
            if words[start].endswith("python") and words[start + 1 : start + 3] == ["-m", "grader"]:
                commands.append(words[start + 3 :])
    return commands


def parses(argv: list[str]) -> None:
    """Parse ``argv`` with the CLI's own parsers; argparse exits on anything unknown."""
    if argv and argv[0] in commands.COMMANDS:
        SUBCOMMAND_PARSERS[argv[0]]().parse_args(argv[1:])
        return
    args = cli.parser().parse_args(argv)
    assert args.lesson or args.list
    assert cli.batch_conflict(args) is None


def test_docs_have_both_workflows() -> None:
    assert {path.name for path in WORKFLOWS} >= {"classroom.yml", "instructor.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_yaml_and_runs_only_real_commands(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text())
    variables = {k: str(v) for k, v in workflow.get("env", {}).items()}
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    commands = [
        command
        for step in steps
        if "run" in step
        for command in grader_commands(step["run"], variables)
    ]
    assert commands, f"{path.name} runs no grader command"
    for argv in commands:
        parses(argv)


def test_gradescope_template_runs_only_real_commands() -> None:
    script = (ROOT / "docs" / "gradescope" / "run_autograder").read_text()
    commands = grader_commands(script)
    assert commands
    for argv in commands:
        parses(argv)


def test_command_check_catches_a_wrong_flag() -> None:
    with pytest.raises(SystemExit):
        parses(grader_commands("python -m grader lesson1 --no-such-flag")[0])
    with pytest.raises(SystemExit):
        parses(["merge", "reports/a.json"])  # --csv is required


def test_cli_grades_a_submission_folder_as_gradescope_uploads_it(tmp_path: Path) -> None:
    upload = tmp_path / "submission"
    upload.mkdir()
    (upload / "lesson1.py").write_text((ROOT / "exercises" / "lesson1.py").read_text())
    (upload / "notes.py").write_text("raise SystemExit('not the work')\n")
    results = tmp_path / "results" / "results.json"
    run = grader("lesson1", "--submission", str(upload), "--gradescope", str(results))
    assert run.returncode == 1, run.stderr
    data = json.loads(results.read_text())
    assert data["score"] == 0 and len(data["tests"]) == 7
    assert all(test["output"].startswith("○ to do") for test in data["tests"])
    (upload / "lesson1.py").unlink()
    (upload / "more_notes.py").write_text("")
    ambiguous = grader("lesson1", "--submission", str(upload))
    assert ambiguous.returncode == 2 and "no file" in ambiguous.stderr


def test_gradescope_bundle_holds_what_gradescope_runs(tmp_path: Path) -> None:
    out = tmp_path / "autograder.zip"
    console = Console(file=io.StringIO(), width=100)
    argv = ["gradescope-bundle", "lesson1", "--out", str(out), "--visibility", "hidden"]
    assert cli.main([*argv, "--checks", "tests/private_checks"], console) == 0
    with zipfile.ZipFile(out) as bundle:
        names = bundle.namelist()
        modes = {info.filename: info.external_attr >> 16 for info in bundle.infolist()}
        script = bundle.read("run_autograder").decode()
    assert names[:2] == ["setup.sh", "run_autograder"]
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    assert {"course/pyproject.toml", "course/grader/cli.py"} <= set(names)
    assert "private-checks/lesson1/test_private.py" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    [command] = grader_commands(script)
    parses(command)
    assert command[0] == "lesson1" and command[command.index("--visibility") + 1] == "hidden"
    assert cli.main(["gradescope-bundle", "lesson9", "--out", str(out)], console) == 2
