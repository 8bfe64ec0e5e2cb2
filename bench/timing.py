"""Timing for the benchmarks: whole commands, interleaved, compared by their medians.

Each benchmark script names a bare run of the learner's code and the grader
doing the same work; ``compare`` runs them in turn (so that both see the same
machine), prints every run, the medians, their ratio and their difference.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str]) -> float:
    """Seconds ``command`` took; a run that fails is reported, since its time means nothing."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, check=False, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        print(f"exit {done.returncode}: {done.stderr[-500:] or done.stdout[-500:]}", flush=True)
    return seconds


def compare(bare: list[str], grader: list[str], runs: int) -> None:
    """Time ``bare`` and ``grader`` ``runs`` times each, interleaved, and print the ratio."""
    commands = {"bare": bare, "grader": grader}
    times: dict[str, list[float]] = {name: [] for name in commands}
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    for run in range(1, runs + 1):
        for name, command in commands.items():
            seconds = timed(command)
            times[name].append(seconds)
            print(f"run {run}  {name:<6} {seconds:6.2f} s", flush=True)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"median  bare   {medians['bare']:6.2f} s")
    print(f"median  grader {medians['grader']:6.2f} s")
    ratio, difference = medians["grader"] / medians["bare"], medians["grader"] - medians["bare"]
    print(f"ratio   grader/bare {ratio:.3f}   difference {difference:+.2f} s")


def runs_argument(description: str) -> int:
    """The ``--runs`` option every benchmark takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    return parser.parse_args().runs
