"""Benchmark: what the bubblewrap sandbox costs per learner process, and per grading.

Times, interleaved so that both sides see the same machine:
  (a) start-up: ``python -I -c pass`` bare and wrapped by ``sandbox.wrap`` (many
      runs; the difference is bwrap's start-up for one learner process), and the
      same for ``python -I -c "import keras"`` (TensorFlow's start, as the
      learner process does it);
  (b) grading: ``python -m grader lesson1 --solution --no-cache`` with
      ``--sandbox off`` and ``--sandbox required``.
Prints each median, the differences and the grading ratio.

    python bench/sandbox.py [--runs N] [--starts N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from timing import compare

from grader.learner import sandbox


def started(command: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - began


def start_up(code: str, starts: int) -> None:
    """Median seconds of ``python -I -c CODE`` bare and sandboxed, and the difference."""
    bare = [sys.executable, "-I", "-c", code]
    wrapped = sandbox.wrap(bare, read_only=[], writable=[])
    times: dict[str, list[float]] = {"bare": [], "sandboxed": []}
    for _ in range(starts):
        times["bare"].append(started(bare))
        times["sandboxed"].append(started(wrapped))
    medians = {name: statistics.median(values) for name, values in times.items()}
    difference = medians["sandboxed"] - medians["bare"]
    print(
        f"python -c {code!r:<16} bare {medians['bare']:6.3f} s   sandboxed "
        f"{medians['sandboxed']:6.3f} s   bwrap adds {difference:+.3f} s",
        flush=True,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="gradings of each (default 3)")
    parser.add_argument("--starts", type=int, default=20, help="start-ups of each (default 20)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    available = sandbox.probe()
    if not available.works:
        sys.exit(f"cannot sandbox here: {available.why}")
    start_up("pass", args.starts)
    start_up("import keras", max(3, args.starts // 5))
    grading = [sys.executable, "-m", "grader", "lesson1", "--solution", "--no-cache"]
    print("grading lesson 1: 'bare' is --sandbox off, 'grader' is --sandbox required")
    compare([*grading, "--sandbox", "off"], [*grading, "--sandbox", "required"], args.runs)
