"""Faults, part 1: a submission's limits (fault table rows 8, 9, 10 and 12).

Limits given per run with units; endless allocation, a flood of output, a huge
file and a network call are each stopped with one clear message, and the rest
of the submission is still graded.  Learner code runs at a small training budget
and with short limits, so the suite stays fast.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from grader.limits import GiB, Limits, MiB
from grader.results import Status
from tests.conftest import check, grade_source, variant
from tests.faults_support import complete, in_build_model, in_train
from tests.test_isolation import BUILD_CHECKS


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
