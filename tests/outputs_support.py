"""Shared by the CI-output tests (test_outputs*.py): hand-made results and readers.

``MIXED`` has a check of every status, with learner text that tries to forge
workflow commands and break markup; ``FAULT`` is a grader fault.  The readers
count JUnit cases and list the workflow commands a GitHub runner would act on.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from grader.results import CheckResult, RunResult, Status

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


def junit_counts(root: ET.Element) -> dict[str, int]:
    """Counts as a JUnit consumer derives them from the test cases themselves."""
    cases = root.findall("./testsuite/testcase")
    return {
        "tests": len(cases),
        "failures": sum(case.find("failure") is not None for case in cases),
        "errors": sum(case.find("error") is not None for case in cases),
        "skipped": sum(case.find("skipped") is not None for case in cases),
    }


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
