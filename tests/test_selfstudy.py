"""Studying alone: hint levels, the reference on request, progress, and 'not started'."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from grader import lessons
from grader.commands import solution, status
from grader.outputs.scorecard import Scorecard
from grader.results import CheckResult, RunResult, Status
from grader.selfstudy import hints as selfstudy
from grader.selfstudy import store
from tests.conftest import LESSON1_CHECKS, REFERENCE, ROOT
from tests.conftest import grader as run_grader


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty course folder as the current directory; its store is ``.grader/`` in it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return tmp_path


def lesson1_run(statuses: str, lesson: str = "lesson1") -> RunResult:
    """A lesson 1 result: one letter per check, p passed, f failed, n not attempted."""
    kinds = {"p": Status.PASSED, "f": Status.FAILED, "n": Status.NOT_ATTEMPTED}
    checks = tuple(
        CheckResult(
            id=check_id,
            title=check_id.replace("_", " "),
            status=kinds[letter],
            points=1.0 if letter == "p" else 0.0,
            max_points=1.0,
        )
        for check_id, letter in zip(LESSON1_CHECKS, statuses, strict=True)
    )
    return RunResult(lesson, "Title", "exercises/lesson1.py", 1, "0", checks=checks)


def record(course: Path, *runs: tuple[str, float]) -> None:
    with store.Store.open(course / ".grader") as progress:
        for statuses, finished_at in runs:
            progress.record(lesson1_run(statuses), finished_at=finished_at)


def render(renderable: object) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=100, color_system=None).print(renderable)
    return buffer.getvalue()


def grader(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_grader(*args, cwd=cwd, columns=100, timeout=120)


@pytest.mark.parametrize("lesson", sorted(lessons.LESSONS))
def test_every_check_has_at_least_two_hint_levels(lesson: str) -> None:
    specs = selfstudy.check_specs(lesson)
    assert specs, f"{lesson} has no checks"
    thin = [spec.id for spec in specs if len(spec.hints) < 2]
    assert not thin, f"checks with fewer than two hint levels: {thin}"


def test_lesson1_hints_nudge_but_never_hold_a_line_of_the_solution() -> None:
    specs = selfstudy.check_specs("lesson1")
    assert [spec.id for spec in specs] == list(LESSON1_CHECKS)
    body = REFERENCE.split("def build_model", 1)[1].split('if __name__ == "__main__"')[0]
    code = [line.strip() for line in body.splitlines() if len(line.strip()) > 12]
    code = [line for line in code if not line.startswith(('"""', "def ", "#"))]
    assert any("compile(" in line for line in code), "the probe must see the solution's code"
    for spec in specs:
        for level in spec.hints:
            assert not [line for line in code if line in level], (spec.id, level)


def test_hint_levels_go_one_further_each_time_and_are_remembered(course: Path) -> None:
    folder = course / ".grader"
    first = selfstudy.next_hint("lesson1", "compiled", folder)
    assert first is not None and first.level == 1 and not first.last
    second = selfstudy.next_hint("lesson1", "test_compiled", folder)
    assert second is not None and second.level == 2 and second.last
    assert second.shown == second.spec.hints[:2]
    again = selfstudy.next_hint("lesson1", "compiled", folder)
    assert again is not None and again.level == 2, "the last level stays the last"
    other = selfstudy.next_hint("lesson1", "training", folder)
    assert other is not None and other.level == 1, "levels are kept per check"


def test_after_a_failed_run_the_first_hint_is_the_one_past_the_scorecards(course: Path) -> None:
    record(course, ("ppfnnnn", 1.0))
    step = selfstudy.next_hint("lesson1", None, course / ".grader")
    assert step is not None and step.spec.id == "compiled" and step.level == 2
    untouched = selfstudy.next_hint("lesson1", "training", course / ".grader")
    assert untouched is not None and untouched.level == 1, "a stub's hint was never shown"


def test_no_hint_when_every_check_passed_and_a_clear_error_for_an_unknown_check(
    course: Path,
) -> None:
    record(course, ("ppppppp", 1.0))
    assert selfstudy.next_hint("lesson1", None, course / ".grader") is None
    with pytest.raises(selfstudy.UnknownCheck, match="its checks are: returns_a_model"):
        selfstudy.next_hint("lesson1", "nonsense", course / ".grader")


def test_the_hint_command_remembers_the_level_between_runs(tmp_path: Path) -> None:
    first = grader("hint", "lesson1", "architecture", cwd=tmp_path)
    second = grader("hint", "lesson1", "architecture", cwd=tmp_path)
    assert first.returncode == second.returncode == 0, first.stderr
    assert "Level 1 of 2" in first.stdout and "Level 2 of 2" not in first.stdout
    assert "Level 2 of 2" in second.stdout and "solution lesson1" in second.stdout
    unknown = grader("hint", "lesson1", "nonsense", cwd=tmp_path)
    assert unknown.returncode == 2 and "its checks are" in unknown.stderr


def test_solution_needs_a_terminal_or_yes(course: Path) -> None:
    record(course, ("ppfnnnn", 1.0))
    out = io.StringIO()
    code = solution.run(["lesson1"], Console(file=out, width=100), stdin=io.StringIO(""))
    assert code == 0 and "def build_model" not in out.getvalue()
    shown = io.StringIO()
    code = solution.run(["lesson1", "--yes"], Console(file=shown, width=100))
    text = shown.getvalue()
    assert code == 0 and "def build_model" in text and "keras.optimizers.Adam" in text
    assert "not passed 5 check(s)" in text and "• compiled" in text
    assert "• architecture" not in text, "passed checks are not listed"


def run_in_terminal(args: list[str], cwd: Path, answer: bytes) -> tuple[int, str]:
    """Run ``python -m grader ARGS`` on a pseudo-terminal, typing ``answer`` when asked."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: a grader with a terminal of its own
        os.chdir(cwd)
        os.environ.update(NO_COLOR="1", COLUMNS="100", PYTHONPATH=str(ROOT))
        os.execv(sys.executable, [sys.executable, "-m", "grader", *args])
    output, answered, deadline = b"", False, time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        if not answered and b"[y/n]" in output:
            os.write(fd, answer)
            answered = True
    _, code = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(code), output.decode(errors="replace")


def test_solution_asks_first_in_a_terminal(course: Path) -> None:
    code, declined = run_in_terminal(["solution", "lesson1"], course, b"n\n")
    assert code == 0 and "Show the reference solution" in declined
    assert "def build_model" not in declined and "not graded lesson1 yet" in declined
    code, accepted = run_in_terminal(["solution", "lesson1"], course, b"y\n")
    assert code == 0 and "def build_model" in accepted


def test_status_shows_best_latest_when_and_what_next(course: Path) -> None:
    empty = render(status.StatusView(selfstudy.progress(course / ".grader")))
    assert empty.count("not started · never graded") == len(lessons.LESSONS)
    assert not (course / ".grader").exists(), "reading progress creates nothing"
    monday, tuesday = (
        time.mktime((2026, 3, 2, 9, 0, 0, 0, 0, -1)),
        time.mktime((2026, 3, 3, 9, 30, 0, 0, 0, -1)),
    )
    record(course, ("ppppppf", monday), ("ppfffff", tuesday))
    text = render(status.StatusView(selfstudy.progress(course / ".grader")))
    assert "best 6/7 (86%) (2026-03-02 09:00)" in text
    assert "latest 2/7 (29%) (2026-03-03 09:30)" in text
    assert "5 check(s) to go: python -m grader hint lesson1" in text
    record(course, ("ppppppp", tuesday + 60))
    done = render(status.StatusView(selfstudy.progress(course / ".grader")))
    assert "✔ lesson1" in done and "Done." in done
    if "lesson2" in lessons.LESSONS:
        assert "Next: python -m grader watch lesson2" in done


def test_untouched_stubs_read_as_not_started_not_as_wrong(course: Path) -> None:
    stubs, wrong = lesson1_run("nnnnnnn"), lesson1_run("fnnnnnn")
    assert stubs.not_started and not wrong.not_started
    assert "Not started" in render(Scorecard(stubs))
    assert "Not started" not in render(Scorecard(wrong))
    record(course, ("fnnnnnn", 1.0), ("nnnnnnn", 2.0))
    text = render(status.StatusView(selfstudy.progress(course / ".grader")))
    assert "○ lesson1" in text and "not started · last graded" in text
    assert "Fill in exercises/lesson1.py" in text
    record(course, ("fnnnnnn", 3.0))
    text = render(status.StatusView(selfstudy.progress(course / ".grader")))
    assert "not started" not in text.split("lesson2")[0] and "latest 0/7" in text


def test_the_status_command_reads_the_course_folder(course: Path) -> None:
    record(course, ("ppppppf", time.time()))
    run = grader("status", cwd=course)
    assert run.returncode == 0, run.stderr
    assert "lesson1" in run.stdout and "latest 6/7" in run.stdout
    for lesson in lessons.LESSONS:
        assert lesson in run.stdout
