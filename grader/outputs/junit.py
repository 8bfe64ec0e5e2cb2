"""JUnit XML: one ``<testcase>`` per check, for CI systems that read test reports.

A failed check is a ``<failure>``; an error or a timeout is an ``<error>``; a check
not attempted or skipped is ``<skipped>``.  Points go in ``<properties>``.  When
the grader itself could not grade, one extra test case says so as an error, so
that an empty report never reads as a success.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from grader.files import write_atomic
from grader.outputs.scorecard import points
from grader.results import CheckResult, RunResult, Status

# Characters XML 1.0 cannot hold, even escaped; learner text may contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FAILURE_KINDS = {Status.FAILED: "failure", Status.ERROR: "error", Status.TIMEOUT: "error"}
GRADER_CASE = "grader"


def clean(text: str) -> str:
    """``text`` with the characters XML cannot carry shown as ``\\xNN``."""
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _properties(parent: ET.Element, values: dict[str, object]) -> None:
    element = ET.SubElement(parent, "properties")
    for name, value in values.items():
        ET.SubElement(element, "property", name=name, value=clean(str(value)))


def _seconds(value: float) -> str:
    return f"{value:.3f}"


def _case(suite: ET.Element, lesson: str, check: CheckResult) -> None:
    case = ET.SubElement(
        suite, "testcase", classname=lesson, name=check.id, time=_seconds(check.duration_s)
    )
    _properties(
        case,
        {
            "title": check.title,
            "points": points(check.points),
            "max_points": points(check.max_points),
        },
    )
    message = clean(check.message or "")
    if check.status in FAILURE_KINDS:
        body = "\n\n".join(
            part
            for part in (check.message, check.details, check.hint and f"Hint: {check.hint}")
            if part
        )
        outcome = ET.SubElement(
            case, FAILURE_KINDS[check.status], message=message, type=check.status.value
        )
        outcome.text = clean(body)
    elif check.status in (Status.NOT_ATTEMPTED, Status.SKIPPED):
        ET.SubElement(case, "skipped", message=message or check.status.value)


def _counts(result: RunResult) -> dict[str, int]:
    statuses = [check.status for check in result.checks]
    errors = sum(FAILURE_KINDS.get(status) == "error" for status in statuses)
    fault = result.fault is not None
    return {
        "tests": len(statuses) + fault,
        "failures": statuses.count(Status.FAILED),
        "errors": errors + fault,
        "skipped": statuses.count(Status.NOT_ATTEMPTED) + statuses.count(Status.SKIPPED),
    }


def to_element(result: RunResult) -> ET.Element:
    """The report as an element tree rooted at ``<testsuites>``."""
    counts = {name: str(value) for name, value in _counts(result).items()}
    time = _seconds(result.duration_s)
    root = ET.Element("testsuites", name="grader", **counts, time=time)
    suite = ET.SubElement(root, "testsuite", name=result.lesson, **counts, time=time)
    _properties(
        suite,
        {
            "title": result.title,
            "submission": result.submission,
            "seed": result.seed,
            "grader_version": result.grader_version,
            "score": points(result.score),
            "max_score": points(result.max_score),
            "status": result.status.value,
        },
    )
    if result.fault is not None:
        case = ET.SubElement(suite, "testcase", classname=result.lesson, name=GRADER_CASE)
        fault = ET.SubElement(case, "error", message="the grader could not grade", type="grader")
        fault.text = clean(result.fault)
    for check in result.checks:
        _case(suite, result.lesson, check)
    return root


def dumps(result: RunResult) -> str:
    """The report as XML text with a declaration."""
    root = to_element(result)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def write(result: RunResult, path: Path) -> None:
    """Write the report to ``path`` atomically."""
    write_atomic(path, dumps(result))
