"""Batch grading, shards and merge: a class graded in pieces gives one complete gradebook.

Fast tests cover what a submission is, shards, names, the gradebook and merge on
hand-made reports; one CLI batch grades a small class in which one submission
kills its grader and one holds nothing to grade, and every row still arrives.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from grader import cli
from grader.classroom import batch, merge, submissions
from grader.classroom.reports import Report, error_report, join, load, parse
from grader.outputs import gradebook
from tests.conftest import ROOT
from tests.test_isolation import process_alive

KILLS_ITS_GRADER = """import os, signal, subprocess, sys
sleeper = [sys.executable, "-c", "import time; time.sleep(300)"]
left_behind = subprocess.Popen(sleeper, start_new_session=True)
open({pid_file!r}, "w").write(str(left_behind.pid))
os.kill(os.getppid(), signal.SIGKILL)
"""


def report(name: str, score: float, status: str = "failed", **checks: float) -> dict:
    return {
        "schema_version": 1,
        "submission": f"submissions/{name}.py",
        "status": status,
        "score": score,
        "max_score": 10,
        "message": None,
        "checks": [{"id": cid, "points": pts} for cid, pts in checks.items()],
    }


# --- what a submission is ------------------------------------------------------------


def test_a_folder_holds_its_submission_in_a_known_place(tmp_path: Path) -> None:
    (tmp_path / "a" / "exercises").mkdir(parents=True)
    (tmp_path / "a" / "exercises" / "lesson1.py").write_text("")
    (tmp_path / "a" / "helper.py").write_text("")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "lesson1.py").write_text("")
    (tmp_path / "b" / "notes.py").write_text("")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "work.ipynb").write_text("{}")
    find = submissions.find_submission
    assert find(tmp_path / "a", "lesson1") == tmp_path / "a" / "exercises" / "lesson1.py"
    assert find(tmp_path / "b", "lesson1") == tmp_path / "b" / "lesson1.py"
    assert find(tmp_path / "c", "lesson1") == tmp_path / "c" / "work.ipynb"
    assert find(tmp_path / "b" / "notes.py", "lesson1") == tmp_path / "b" / "notes.py"
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "one.py").write_text("")
    (tmp_path / "d" / "two.py").write_text("")
    with pytest.raises(submissions.NoSubmission, match=r"2 \.py/\.ipynb files"):
        find(tmp_path / "d", "lesson1")


def test_expand_is_sorted_and_skips_hidden_entries(tmp_path: Path) -> None:
    for name in ("b.py", "a.py", ".hidden.py", "c"):
        (tmp_path / name).touch()
    (tmp_path / "__pycache__").mkdir()
    assert [p.name for p in submissions.expand(str(tmp_path / "*"))] == ["a.py", "b.py", "c"]


@pytest.mark.parametrize("total", [0, 1, 7, 10])
@pytest.mark.parametrize("count", [1, 3, 4])
def test_shards_are_disjoint_and_cover_the_class(total: int, count: int) -> None:
    items = [Path(f"s{i:02}") for i in range(total)]
    shards = [submissions.take_shard(items, k, count) for k in range(1, count + 1)]
    assert sorted(p for shard in shards for p in shard) == items
    assert sum(len(shard) for shard in shards) == total
    assert submissions.take_shard(items, 1, count) == shards[0], "the same slice every time"


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0", ""])
def test_bad_shards_are_refused(text: str) -> None:
    with pytest.raises(Exception, match="K/N"):
        submissions.shard(text)
    assert submissions.shard(" 2/3 ") == (2, 3)


def test_names_are_unique_safe_and_stable(tmp_path: Path) -> None:
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice.py").touch()
    (tmp_path / "b o;b.py").touch()
    paths = submissions.expand(str(tmp_path / "*"))
    names = submissions.names(paths)
    assert names == ["alice", "alice.py", "b_o_b"]
    assert submissions.names(paths) == names


# --- reports, gradebook, merge -------------------------------------------------------


def test_anything_that_is_not_a_report_becomes_an_error_row() -> None:
    assert parse("x", "{not json").status == "error"
    assert parse("x", "[1, 2]").message == "the report is not a JSON object"
    assert "score" in parse("x", '{"status": "passed", "max_score": 1, "checks": []}').message
    good = parse("x", json.dumps(report("x", 4, a=4)))
    assert (good.status, good.score, good.checks) == ("failed", 4, {"a": 4})


def test_csv_has_a_row_per_submission_and_never_a_formula() -> None:
    reports = [
        Report("alice", report("alice", 7, a=3, b=4)),
        Report("=cmd", report("=cmd", 2, b=2)),
        error_report("carol", "@SUM(1) the grader left no report"),
    ]
    rows = list(csv.DictReader(io.StringIO(gradebook.csv_text(reports, pass_mark=0.7))))
    assert [row["submission"] for row in rows] == ["alice", "'=cmd", "carol"]
    assert [row["passed"] for row in rows] == ["yes", "no", "no"]
    assert rows[1]["a"] == "" and rows[1]["b"] == "2"
    assert rows[2]["status"] == "error" and rows[2]["message"].startswith("'@SUM")


def test_merge_joins_shards_and_reports_duplicates(tmp_path: Path) -> None:
    for shard, names in {"s1": ["alice", "carol"], "s2": ["bob", "alice"]}.items():
        (tmp_path / shard).mkdir()
        for name in names:
            (tmp_path / shard / f"{name}.json").write_text(json.dumps(report(name, 5, a=5)))
    (tmp_path / "s2" / "broken.json").write_text("{")
    reports, warnings = merge.merge(sorted(tmp_path.glob("*/*.json")))
    assert [r.name for r in reports] == ["alice", "bob", "broken", "carol"]
    assert warnings == ["alice appears more than once; keeping the first"]
    assert reports[1].score == 5 and reports[2].status == "error"


def test_merge_command_writes_the_gradebook(tmp_path: Path) -> None:
    for name, score in (("alice", 9), ("bob", 3)):
        (tmp_path / f"{name}.json").write_text(json.dumps(report(name, score, a=score)))
    out = tmp_path / "gradebook.csv"
    console = Console(file=io.StringIO(), width=100, color_system=None)
    code = cli.main(["merge", *map(str, tmp_path.glob("*.json")), "--csv", str(out)], console)
    assert code == 0
    rows = list(csv.DictReader(out.open()))
    assert [(r["submission"], r["score"]) for r in rows] == [("alice", "9"), ("bob", "3")]
    assert "2 submissions: 2 graded, mean 60%" in console.file.getvalue()
    assert cli.main(["merge", str(out), "--csv", str(out)], console) == 2, "no .json given"


# --- one grading that goes wrong, and the whole batch ----------------------------------


def test_a_grading_past_its_backstop_is_stopped_and_still_gets_a_row(tmp_path: Path) -> None:
    sleeper = tmp_path / "sleeper.py"
    sleeper.write_text("import time\ntime.sleep(600)\n")
    settings = batch.Settings(
        out=tmp_path / "out", grader_args=("--limit", "import=600"), timeout_s=10
    )
    row = batch.grade_one("lesson1", sleeper, "sleeper", settings)
    assert row.status == "error" and "longer than 10 s" in row.message
    written = load(tmp_path / "out" / "sleeper.json")
    assert written.status == "error" and written.data["schema_version"] == 1


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("class")
    subs = root / "submissions"
    (subs / "alice" / "exercises").mkdir(parents=True)
    (subs / "alice" / "exercises" / "lesson1.py").write_text(
        (ROOT / "solutions" / "lesson1.py").read_text()
    )
    (subs / "bob.py").write_text((ROOT / "exercises" / "lesson1.py").read_text())
    (subs / "carol").mkdir()
    (subs / "carol" / "mine.py").write_text(
        KILLS_ITS_GRADER.format(pid_file=str(root / "left_behind.pid"))
    )
    (subs / "dave").mkdir()
    scratch = root / "tmp"
    scratch.mkdir()
    # --sandbox off: carol kills her grader, the unsandboxed fallback (test_sandbox: the rest)
    options = ["--sandbox", "off", "--jobs", "2", "--epochs", "5", "--pass-mark", "0.5"]
    out = str(root / "out")
    run = subprocess.run(
        [sys.executable, "-m", "grader", "lesson1", f"--batch={subs}/*", *options, "--out", out],
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "TMPDIR": str(scratch)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    return run, root


def test_batch_writes_a_report_per_submission_and_the_gradebook(graded_class) -> None:
    run, root = graded_class
    assert run.returncode == 0, run.stderr
    out = root / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "alice.json",
        "bob.json",
        "carol.json",
        "dave.json",
        "gradebook.csv",
    ]
    rows = {row["submission"]: row for row in csv.DictReader((out / "gradebook.csv").open())}
    assert rows["alice"]["status"] in ("passed", "failed") and float(rows["alice"]["score"]) > 0
    assert rows["bob"]["status"] == "failed" and rows["bob"]["score"] == "0"
    assert rows["bob"]["passed"] == "no"
    assert "Gradebook" in run.stdout and "4 submissions" in run.stdout


def test_a_submission_that_kills_its_grader_or_holds_nothing_still_gets_a_row(
    graded_class,
) -> None:
    _, root = graded_class
    carol = load(root / "out" / "carol.json")
    assert carol.status == "error" and "killed by SIGKILL" in carol.message
    dave = load(root / "out" / "dave.json")
    assert dave.status == "error" and "no exercises/lesson1.py" in dave.message
    alice = load(root / "out" / "alice.json")
    assert alice.status != "error", "the others were graded all the same"
    left_behind = int((root / "left_behind.pid").read_text())
    assert not process_alive(left_behind), "what carol's code left running was killed"
    assert list((root / "tmp").iterdir()) == [], "not even a killed grader's files are left"


def test_shards_of_the_batch_merge_into_the_same_gradebook(graded_class, tmp_path: Path) -> None:
    _, root = graded_class
    whole = (root / "out" / "gradebook.csv").read_text()
    reports = sorted((root / "out").glob("*.json"))
    shards = [submissions.take_shard(reports, k, 3) for k in (1, 2, 3)]
    merged, warnings = join(load(p) for shard in reversed(shards) for p in shard)
    assert not warnings
    assert gradebook.csv_text(merged, pass_mark=0.5) == whole
    cheap = subprocess.run(  # a shard of folders with nothing to grade: no TensorFlow needed
        [
            sys.executable,
            "-m",
            "grader",
            "lesson1",
            "--batch",
            f"{root}/submissions/*",
            "--shard",
            "4/4",
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert cheap.returncode == 0, cheap.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dave.json", "gradebook.csv"]
    assert (tmp_path / "dave.json").read_text() == (root / "out" / "dave.json").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--batch", "x/*", "--json", "r.json"], "cannot take --json"),
        (["--shard", "1/2"], "--shard needs --batch"),
        (["--batch", "x/*", "--jobs", "0"], "--jobs must be at least 1"),
        (["--batch", "/nonexistent/*"], "nothing matches"),
    ],
)
def test_batch_usage_errors(args: list[str], message: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "grader", "lesson1", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert run.returncode == 2 and message in run.stderr
