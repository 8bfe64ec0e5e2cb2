"""Faults, part 2: learner processes (fault table rows 4, 6 and 7).

Tampering from a daemon the submission forks, a graph loop that ignores SIGTERM,
processes that escape into sessions of their own, processes left holding the
pipes, and a fork bomb: the verdict stays right and complete and no process of
the learner's outlives the run.  Rows 3, 5 and the Python-loop half of 6 are in
test_isolation.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from grader.limits import Limits
from grader.results import Status
from tests.conftest import ROOT, check, grade_source, variant
from tests.faults_support import (
    CHECK_IDS,
    complete,
    in_build_model,
    in_train,
    kill_all,
    note_pid,
    pids_in,
    survivors,
)
from tests.test_isolation import BUILD_CHECKS, process_alive, record_pid

# -- row 4: tampering with the grader's names and files ------------------------

JSON_ARGS = ("--epochs", "20", "--json", "results.json")
TAMPER = """
import json, os
FAKE = json.dumps({{"schema_version": 1, "status": "passed", "score": 10, "max_score": 10}})
BESIDE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results.json")
for where in ("results.json", BESIDE):
    open(where, "w").write(FAKE)
import _pytest.reports, pytest
import grader.api, grader.grading.plugin, grader.results
pytest.main = lambda *args, **kwargs: 0
_pytest.reports.TestReport.passed = property(lambda self: True)
grader.results.RunResult.score = property(lambda self: 10.0)
grader.results.CheckResult.passed = property(lambda self: True)
grader.grading.plugin.GraderPlugin._judge = lambda self, item, exc: ("passed", None, None)
grader.api.grade = lambda *args, **kwargs: None
if os.fork() == 0:  # a daemon that rewrites the report after the grader writes it
    os.setsid()
    {note}
    for _ in range(6000):
        open(BESIDE, "w").write(FAKE)
        time.sleep(0.1)
    os._exit(0)
"""


GRADE_LESSON1 = [sys.executable, "-m", "grader", "lesson1", "--submission"]


def test_tampering_in_the_learner_process_changes_no_score_and_no_file(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    tamper = TAMPER.format(note=note_pid(pids))
    (tmp_path / "submission.py").write_text(
        variant(("import keras\n", "import keras, time\n" + tamper))
    )
    run = subprocess.run(
        # Unsandboxed: the daemon's pid file must reach tmp_path (test_sandbox: the sandboxed side)
        [*GRADE_LESSON1, "submission.py", *JSON_ARGS, "--sandbox", "off"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    try:
        time.sleep(1.0)  # a surviving daemon would rewrite the report by now
        report = json.loads((tmp_path / "results.json").read_text())
        assert run.returncode == 1, run.stdout + run.stderr
        assert report["status"] == "failed" and report["score"] < report["max_score"] == 10
        assert [c["id"] for c in report["checks"]] == CHECK_IDS
        assert {c["id"]: c["status"] for c in report["checks"]}["learned_weights"] == "failed"
        assert survivors(pids_in(pids)) == []
    finally:
        kill_all(pids_in(pids))


# -- row 6: hangs the Python loop test does not cover --------------------------


def test_a_graph_loop_with_sigterm_ignored_times_out_and_leaves_no_process(
    tmp_path: Path,
) -> None:
    pids = tmp_path / "pids"
    spin = (
        "import signal, tensorflow as tf",
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)",
        "tf.function(lambda: tf.while_loop(lambda i: i >= 0, lambda i: i + 1, [tf.constant(0)]))()",
    )
    source = variant(record_pid(pids), in_train(*spin))
    result = complete(grade_source(tmp_path, source, limits=Limits(train_seconds=5)))
    training = check(result, "training")
    assert training.status is Status.TIMEOUT
    assert training.message == "train did not finish within 5 s; the grader stopped it."
    assert training.duration_s < 5 + 5
    assert all(check(result, name).passed for name in BUILD_CHECKS)
    assert check(result, "predict_uses_the_model").passed
    assert len(pids_in(pids)) == 2 and not [p for p in pids_in(pids) if process_alive(p)]


# -- row 7: processes that try to outlive the run ------------------------------


def test_a_setsid_escapee_and_an_orphan_do_not_survive_the_run(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    escape = (
        "if os.fork() == 0:  # a child in a session of its own, still the learner's",
        "    os.setsid(); " + note_pid(pids) + "; time.sleep(600); os._exit(0)",
        "first = os.fork()",
        "if first == 0:  # a double fork: the grandchild is orphaned at once",
        "    os.setsid()",
        "    if os.fork() == 0:",
        "        " + note_pid(pids) + "; time.sleep(600)",
        "    os._exit(0)",
        "os.waitpid(first, 0)",
        f"while not os.path.exists({str(pids)!r}) or len(open({str(pids)!r}).read().split()) < 2:",
        "    time.sleep(0.05)",
    )
    # A child of the scoring process in a session of its own that is not the learner's
    # (a Jupyter kernel, a batch worker) must be left alone.
    bystander = subprocess.Popen(["sleep", "300"], start_new_session=True)
    try:
        result = complete(grade_source(tmp_path, variant(in_build_model(*escape))))
        assert all(check(result, name).passed for name in BUILD_CHECKS)
        assert len(pids_in(pids)) == 2
        assert survivors(pids_in(pids)) == [], "killed and reaped, not left as zombies"
        assert bystander.poll() is None, "not the learner's: left alone"
    finally:
        kill_all(pids_in(pids))
        bystander.kill()
        bystander.wait()


def test_an_exit_is_reported_though_a_process_left_behind_holds_the_pipes(
    tmp_path: Path,
) -> None:
    pids = tmp_path / "pids"
    leave = (
        "if os.fork() == 0:",
        "    " + note_pid(pids) + "; time.sleep(600)",
        f"while not os.path.exists({str(pids)!r}): time.sleep(0.05)",
        "os._exit(0)",
    )
    try:
        result = complete(grade_source(tmp_path, variant(in_train(*leave))))
        training = check(result, "training")
        assert (training.status, training.message) == (
            Status.ERROR,
            "The submission exited during train (exit code 0).",
        )
        assert training.duration_s < 10, "not a timeout"
        assert check(result, "predict_uses_the_model").passed
        assert survivors(pids_in(pids)) == []
    finally:
        kill_all(pids_in(pids))


def test_a_bounded_fork_bomb_is_stopped_and_cleaned_up(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    bomb = (
        "for _ in range(200):",
        "    if os.fork() == 0:",
        "        os.setsid(); " + note_pid(pids) + "; time.sleep(600); os._exit(0)",
        "time.sleep(600)",
    )
    try:
        result = complete(grade_source(tmp_path, variant(in_build_model(*bomb))))
        built = check(result, "returns_a_model")
        assert (built.status, built.message) == (
            Status.ERROR,
            "build_model started more than 64 processes; the grader stopped it.",
        )
        assert check(result, "architecture").status is Status.SKIPPED
        assert check(result, "predict_uses_the_model").passed, "graded in a restarted process"
        started = pids_in(pids)
        assert len(started) >= 64
        assert survivors(started) == []
    finally:
        kill_all(pids_in(pids))
