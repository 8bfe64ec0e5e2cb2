"""Faults and tampering: whatever a submission does, the verdict stays right and complete.

One test per row of the fault table (issue 5), each asserting the exact outcome;
rows 3, 5 and the Python-loop half of 6 are in test_isolation.py.  Learner code
runs at a small training budget and with short limits, so the suite stays fast.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from grader import cli, lessons
from grader.classroom import calibrate
from grader.limits import GiB, Limits, MiB
from grader.outputs import json_report
from grader.results import RunResult, RunStatus, Status
from tests.conftest import LESSON1_CHECKS, REFERENCE, ROOT, check, grade_source, variant
from tests.test_isolation import BUILD_CHECKS, process_alive, record_pid

CHECK_IDS = list(LESSON1_CHECKS)


def complete(result: RunResult) -> RunResult:
    """The result has every check with a status, and renders as valid JSON."""
    assert [c.id for c in result.checks] == CHECK_IDS
    data = json.loads(json.dumps(json_report.to_dict(result)))
    assert [c["status"] for c in data["checks"]] == [c.status.value for c in result.checks]
    return result


def pids_in(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def note_pid(path: Path) -> str:
    """Source for a line that appends the running process's id to ``path``."""
    flags = "os.O_WRONLY | os.O_APPEND | os.O_CREAT"
    return f"os.write(os.open({str(path)!r}, {flags}), b'%d\\n' % os.getpid())"


def survivors(pids: list[int]) -> list[int]:
    """Those of ``pids`` still alive (or not yet reaped)."""
    return [pid for pid in pids if Path(f"/proc/{pid}").exists()]


def kill_all(pids: list[int]) -> None:
    """Clean up after a test whose protection failed, so nothing outlives it."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def in_build_model(*lines: str) -> tuple[str, str]:
    """A replacement that runs ``lines`` at the start of ``build_model``."""
    body = "".join(f"    {line}\n" for line in lines)
    start = "    model = keras.Sequential("
    return (start, "    import os, sys, time\n" + body + start)


def in_train(*lines: str) -> tuple[str, str]:
    """A replacement that runs ``lines`` in ``train`` before it fits."""
    body = "".join(f"    {line}\n" for line in lines)
    return ("    return model.fit(", "    import os, sys, time\n" + body + "    return model.fit(")


def test_limits_are_raised_per_run_with_units() -> None:
    limits = Limits().with_overrides({"memory": "2G", "file_size": "512M", "train": "90"})
    assert (limits.memory_bytes, limits.file_size_bytes) == (2 * GiB, 512 * MiB)
    assert (limits.train_seconds, limits.output_bytes) == (90.0, 256 * 1024)
    assert Limits().with_overrides({"processes": "8", "source": "1.5MiB"}).processes == 8
    assert Limits().with_overrides({"output": "4096"}).output_bytes == 4096
    for bad, says in [
        ({"memory": "lots"}, "'lots' is not a size; write bytes or e.g. 512M, 2G"),
        ({"train": "2G"}, "limit train is in seconds, got '2G'"),
        ({"processes": "0"}, "limit processes must be positive, got 0"),
        ({"disk": "1G"}, "unknown limit 'disk'; known limits: call, file_size, import, memory, "),
    ]:
        with pytest.raises(ValueError, match="^" + re.escape(says)):
            Limits().with_overrides(bad)


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


# -- row 8: memory --------------------------------------------------------------


def test_endless_allocation_is_stopped_at_the_memory_limit(tmp_path: Path) -> None:
    hog = ("import numpy as np", "hog = []", "while True: hog.append(np.ones(25_000_000))")
    limits = Limits(memory_bytes=int(1.5 * GiB))
    result = complete(grade_source(tmp_path, variant(in_train(*hog)), limits=limits))
    training = check(result, "training")
    assert (training.status, training.message) == (
        Status.ERROR,
        "train used more than 1.5 GiB of memory; the grader stopped it.",
    )
    assert all(check(result, name).passed for name in BUILD_CHECKS)
    assert check(result, "predict_uses_the_model").passed, "graded in a restarted process"


# -- row 9: output ---------------------------------------------------------------


def test_a_flood_of_output_is_capped_and_results_come_on_time(tmp_path: Path) -> None:
    flood = (
        "line = 'x' * 1023 + '\\n'",
        "for _ in range(51_200): sys.stdout.write(line); sys.stderr.write(line)",
    )
    result = complete(grade_source(tmp_path, variant(in_build_model(*flood))))
    assert all(check(result, name).passed for name in BUILD_CHECKS)
    assert "\n… truncated: " in result.output[-100:]
    kept, _, marker = result.output.rpartition("\n… truncated: ")
    assert len(kept.encode()) <= Limits().output_bytes
    dropped = int(marker.removesuffix(" more bytes of output not kept"))
    assert dropped >= 100 * MiB - Limits().output_bytes
    assert check(result, "returns_a_model").duration_s < 30


# -- row 10: file size -----------------------------------------------------------


def test_a_huge_file_stops_at_the_file_size_limit(tmp_path: Path) -> None:
    where = tmp_path / "where"
    fill = (
        f"open({str(where)!r}, 'w').write(os.getcwd())",
        "with open('huge.bin', 'wb') as stream:",
        "    while True: stream.write(bytes(1024 * 1024))",
    )
    limits = Limits(file_size_bytes=10 * MiB)
    result = complete(grade_source(tmp_path, variant(in_build_model(*fill)), limits=limits))
    built = check(result, "returns_a_model")
    assert (built.status, built.message) == (
        Status.ERROR,
        "build_model raised OSError: [Errno 27] File too large (the grader limits each file "
        "your code writes to 10 MiB)",
    )
    workdir = Path(where.read_text())
    assert workdir.name.startswith("grader-learner-") and not workdir.exists()
    assert check(result, "predict_uses_the_model").passed


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


# -- row 12: network --------------------------------------------------------------


def test_a_network_call_fails_fast_as_the_learners_error(tmp_path: Path) -> None:
    netns, elapsed = tmp_path / "netns", tmp_path / "elapsed"
    call = (
        f"open({str(netns)!r}, 'w').write(os.readlink('/proc/self/ns/net'))",
        "import urllib.request",
        "began = time.monotonic()",
        "try: urllib.request.urlopen('http://93.184.215.14/')",
        f"finally: open({str(elapsed)!r}, 'w').write(str(time.monotonic() - began))",
    )
    result = complete(grade_source(tmp_path, variant(in_build_model(*call))))
    built = check(result, "returns_a_model")
    assert built.status is Status.ERROR
    assert built.message == (
        "build_model raised URLError: <urlopen error [Errno 101] Network is unreachable>"
    )
    assert float(elapsed.read_text()) < 1.0, "no wait for a timeout"
    assert netns.read_text() != os.readlink("/proc/self/ns/net"), "a namespace of its own"


# -- row 13: the grader's own faults ------------------------------------------------


@pytest.mark.parametrize("missing", ["checks_file", "checks_folder"])
def test_missing_checks_are_the_graders_fault_not_a_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    package = tmp_path / "grader"
    if missing == "checks_file":
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
    assert {
        "checks_file": "the checks directory holds no checks",
        "checks_folder": "the grader's checks for lesson1 are missing: no folder ",
    }[missing] in report["message"]


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
