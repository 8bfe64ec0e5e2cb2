"""Workflows and templates under docs/: every grader command they run is real.

The GitHub workflows parse as YAML, and each ``python -m grader …`` in them, in
the Gradescope template and in a built Gradescope bundle parses with the CLI's
own parsers.
"""

from __future__ import annotations

import io
import re
import shlex
import zipfile
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from grader import cli, commands
from tests.conftest import ROOT

# --- workflows and templates under docs/ ----------------------------------------------

WORKFLOWS = sorted((ROOT / "docs" / "workflows").glob("*.yml"))
SUBCOMMAND_PARSERS = {
    "merge": commands.merge.parser,
    "calibrate": commands.calibrate.parser,
    "gradescope-bundle": commands.gradescope_bundle.parser,
}


def grader_commands(script: str, variables: dict[str, str] | None = None) -> list[list[str]]:
    """Each ``python -m grader …`` in a shell script, its variables filled in.

    ``${{ … }}`` expressions become ``1``; ``$NAME`` takes its value from
    ``variables`` or from a ``NAME=value`` line of the script; an array
    expansion (``"${NAME[@]}"``, optional arguments) is left out.
    """
    known = dict(re.findall(r"^(\w+)=(\S+)", script, re.MULTILINE))
    known.update(variables or {})
    script = re.sub(r"\$\{\{[^}]*\}\}", "1", script).replace("\\\n", " ")
    commands = []
    for line in script.splitlines():
        words = shlex.split(line, comments=True)
        words = [w for w in words if not re.fullmatch(r"\$\{\w+\[@\]\}", w)]
        words = [re.sub(r"\$\{?(\w+)\}?", lambda m: known.get(m[1], m[0]), w) for w in words]
        for start in range(len(words) - 2):
            if words[start].endswith("python") and words[start + 1 : start + 3] == ["-m", "grader"]:
                commands.append(words[start + 3 :])
    return commands


def parses(argv: list[str]) -> None:
    """Parse ``argv`` with the CLI's own parsers; argparse exits on anything unknown."""
    if argv and argv[0] in commands.COMMANDS:
        SUBCOMMAND_PARSERS[argv[0]]().parse_args(argv[1:])
        return
    args = cli.parser().parse_args(argv)
    assert args.lesson or args.list
    assert cli.batch_conflict(args) is None


def test_docs_have_both_workflows() -> None:
    assert {path.name for path in WORKFLOWS} >= {"classroom.yml", "instructor.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_yaml_and_runs_only_real_commands(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text())
    variables = {k: str(v) for k, v in workflow.get("env", {}).items()}
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    commands = [
        command
        for step in steps
        if "run" in step
        for command in grader_commands(step["run"], variables)
    ]
    assert commands, f"{path.name} runs no grader command"
    for argv in commands:
        parses(argv)


def test_gradescope_template_runs_only_real_commands() -> None:
    script = (ROOT / "docs" / "gradescope" / "run_autograder").read_text()
    commands = grader_commands(script)
    assert commands
    for argv in commands:
        parses(argv)


def test_command_check_catches_a_wrong_flag() -> None:
    with pytest.raises(SystemExit):
        parses(grader_commands("python -m grader lesson1 --no-such-flag")[0])
    with pytest.raises(SystemExit):
        parses(["merge", "reports/a.json"])  # --csv is required


def test_gradescope_bundle_holds_what_gradescope_runs(tmp_path: Path) -> None:
    out = tmp_path / "autograder.zip"
    console = Console(file=io.StringIO(), width=100)
    argv = ["gradescope-bundle", "lesson1", "--out", str(out), "--visibility", "hidden"]
    assert cli.main([*argv, "--checks", "tests/private_checks"], console) == 0
    with zipfile.ZipFile(out) as bundle:
        names = bundle.namelist()
        modes = {info.filename: info.external_attr >> 16 for info in bundle.infolist()}
        script = bundle.read("run_autograder").decode()
    assert names[:2] == ["setup.sh", "run_autograder"]
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    assert {"course/pyproject.toml", "course/grader/cli.py"} <= set(names)
    assert "private-checks/lesson1/test_private.py" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    [command] = grader_commands(script)
    parses(command)
    assert command[0] == "lesson1" and command[command.index("--visibility") + 1] == "hidden"
    assert cli.main(["gradescope-bundle", "lesson99", "--out", str(out)], console) == 2
