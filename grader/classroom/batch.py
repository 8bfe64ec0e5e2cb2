"""Batch grading: a class's submissions, each in its own ``python -m grader`` process.

Which paths are submissions, and how shards and names are chosen, is in
``grader.classroom.submissions``.  Each is graded by a separate grader process that writes
its JSON report to a private temporary folder; the batch checks that report and writes
``OUT/NAME.json``.  A grading that crashes, hangs past its backstop or leaves no
usable report becomes a row with status ``error`` and a message: one submission
never stops or corrupts the batch.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from grader import __version__, lessons
from grader.api import Options
from grader.classroom.reports import Report, error_report, parse
from grader.classroom.submissions import NoSubmission, expand, find_submission, names, take_shard
from grader.exitcodes import EXIT_PASSED, EXIT_USAGE
from grader.files import write_atomic
from grader.learner import confine
from grader.limits import Limits
from grader.outputs import json_report
from grader.outputs.gradebook import SummaryTable, write_csv
from grader.results import RunResult

GRADEBOOK = "gradebook.csv"
STOP_GRACE_S = 10.0
"""How long a grader stopped with SIGINT gets to stop the learner's process and exit."""
ABANDONED_WAIT_S = 1.0
"""How long to watch for processes a dead grader's learner left behind."""
CI_VARIABLES = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")


@dataclass(frozen=True)
class Settings:
    """How to grade every submission of a batch."""

    out: Path
    """Where the per-submission JSON files and the gradebook go."""
    jobs: int = 1
    """Submissions graded at a time."""
    grader_args: tuple[str, ...] = ()
    """Passed on to each ``python -m grader LESSON`` (seed, epochs, limits, checks)."""
    timeout_s: float = 1800.0
    """Backstop for one submission's whole grading; the learner's own limits come first."""
    pass_mark: float | None = None
    """Adds a ``passed`` column to the gradebook."""
    report: Path | None = None
    """``--report``: each submission's HTML page and figures go in ``report/NAME/``."""


def backstop(limits: Limits) -> float:
    """A generous bound on one whole grading, from the learner's limits."""
    return 2 * limits.import_seconds + limits.train_seconds + 10 * limits.call_seconds + 120


def settings(
    options: Options,
    limits: Limits,
    out: Path,
    jobs: int,
    pass_mark: float | None = None,
    report: Path | None = None,
) -> Settings:
    """Batch settings that grade each submission as ``options`` says."""
    # Never a cached verdict: learner code runs as the same user and could forge one.
    # Sandboxed unless asked otherwise: no learner may read another's submission.
    sandboxed = dataclasses.replace(options, limits=limits, sandbox=options.sandbox or "required")
    args = ["--no-cache", *sandboxed.arguments()]
    return Settings(out, jobs, tuple(args), backstop(limits), pass_mark, report)


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CI_VARIABLES}
    return {**env, "NO_COLOR": "1", "COLUMNS": "100"}


def _stop(popen: subprocess.Popen[str]) -> None:
    """SIGINT first (the grader then kills its learner process), SIGKILL if it lingers."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(popen.pid, signal.SIGINT)
    try:
        popen.communicate(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(popen.pid, signal.SIGKILL)
        popen.communicate()


def run_grader(
    command: Sequence[str], timeout_s: float, scratch: str | None = None
) -> tuple[int | None, str]:
    """Run one grader process; its exit code (``None`` if stopped) and the end of its stderr.

    This process is a subreaper, so what a learner's code leaves running when its
    grader dies (killed by the learner, or stopped here) comes back to it and is
    killed.  A grader that ends by itself has cleaned up after its learner already.
    Its temporary files go in ``scratch`` when given, which the caller removes,
    so a killed grader leaves none behind either.
    """
    confine.become_subreaper()
    code, errors = _run_grader(command, timeout_s, scratch)
    if code is None or code < 0:
        _kill_abandoned()
    return code, errors


def _kill_abandoned() -> None:
    """Kill what a dead grader's learner left, as it comes back to this process.

    The learner process dies with its grader (a parent-death signal), and what it
    started is handed to this process only then, so look for a moment.
    """
    deadline = time.monotonic() + ABANDONED_WAIT_S
    while time.monotonic() < deadline:
        confine.kill_tree(None, seconds=5)
        time.sleep(0.05)


def _run_grader(
    command: Sequence[str], timeout_s: float, scratch: str | None
) -> tuple[int | None, str]:
    popen = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**_environment(), **({"TMPDIR": scratch} if scratch else {})},
        start_new_session=True,
        errors="replace",
    )
    try:
        _, errors = popen.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _stop(popen)
        return None, ""
    return popen.returncode, (errors or "")[-1000:]


def _failure(code: int | None, errors: str, timeout_s: float) -> str:
    if code is None:
        return f"grading took longer than {timeout_s:g} s and was stopped"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"the grader process was killed by {signal.Signals(-code).name}"
        return f"the grader process was killed by signal {-code}"
    tail = errors.strip().splitlines()[-1:] or ["no message"]
    return f"the grader left no report (exit code {code}: {tail[0]})"


def grade_one(lesson: str, path: Path, name: str, settings: Settings) -> Report:
    """Grade one submission in its own process and write ``OUT/NAME.json``."""
    try:
        submission = find_submission(path, lesson)
    except (NoSubmission, OSError) as exc:
        return _write(settings, error_report(name, str(exc), str(path)), lesson)
    with tempfile.TemporaryDirectory(prefix="grader-batch-") as folder:
        report_file = Path(folder) / "report.json"
        command = [
            sys.executable,
            "-m",
            "grader",
            lesson,
            "--submission",
            str(submission),
            "--json",
            str(report_file),
            *settings.grader_args,
            *(["--report", str(settings.report / name)] if settings.report else []),
        ]
        code, errors = run_grader(command, settings.timeout_s, scratch=folder)
        text = report_file.read_text(encoding="utf-8") if report_file.is_file() else None
    if code is None or code < 0 or text is None:
        report = error_report(name, _failure(code, errors, settings.timeout_s), str(submission))
    else:
        report = parse(name, text)
    return _write(settings, report, lesson)


def _write(settings: Settings, report: Report, lesson: str) -> Report:
    """Write the report; an error row is written as a complete schema-1 report."""
    data = report.data
    if "schema_version" not in data:
        title = lessons.LESSONS[lesson].title if lesson in lessons.LESSONS else lesson
        result = RunResult(
            lesson,
            title,
            str(data.get("submission", "")),
            0,
            __version__,
            fault=report.message or "no report",
        )
        data = json_report.to_dict(result)
        report = Report(report.name, data)
    write_atomic(settings.out / f"{report.name}.json", json.dumps(data, indent=2) + "\n")
    return report


def run(
    lesson: str,
    paths: Sequence[Path],
    settings: Settings,
    done: Callable[[Report], None] | None = None,
    all_paths: Sequence[Path] | None = None,
) -> list[Report]:
    """Grade ``paths``, ``jobs`` at a time; write each report and the gradebook.

    Names come from ``all_paths`` (the whole class, before sharding) so that
    every shard names a submission the same way.
    """
    everyone = list(all_paths or paths)
    named = dict(zip(everyone, names(everyone), strict=True))

    def one(path: Path) -> Report:
        try:
            report = grade_one(lesson, path, named[path], settings)
        except Exception as exc:  # the batch goes on whatever one grading does
            report = _write(settings, error_report(named[path], f"batch error: {exc}"), lesson)
        if done is not None:
            done(report)
        return report

    settings.out.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, settings.jobs)) as pool:
        reports = list(pool.map(one, paths))
    write_csv(sorted(reports, key=lambda r: r.name), settings.out / GRADEBOOK, settings.pass_mark)
    return reports


def grade_class(
    lesson: str,
    pattern: str,
    settings: Settings,
    console: Console,
    part: tuple[int, int] | None = None,
) -> int:
    """``--batch``: grade what ``pattern`` matches (this shard of it), with a progress bar."""
    everyone = expand(pattern)
    if not everyone:
        Console(stderr=True).print(f"[red]error:[/] nothing matches {pattern!r}")
        return EXIT_USAGE
    mine = take_shard(everyone, *part) if part else everyone
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(f"Grading {lesson}", total=len(mine))
        reports = run(lesson, mine, settings, lambda _: progress.advance(task), everyone)
    console.print(SummaryTable(sorted(reports, key=lambda r: r.name)))
    where = f"shard {part[0]}/{part[1]}: " if part else ""
    console.print(
        f"{where}{len(mine)} of {len(everyone)} submissions; reports and "
        f"{GRADEBOOK} in {settings.out}",
        markup=False,
        highlight=False,
    )
    return EXIT_PASSED
