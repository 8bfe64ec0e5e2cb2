"""Submissions kept as patches to the reference (``grader/variants.py``)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from rich.console import Console

from grader import variants
from grader.commands import calibrate
from grader.exitcodes import EXIT_USAGE
from tests.conftest import CASES, ROOT

SOURCE = "".join(f"line {n}\n" for n in range(1, 31))


def unified(old: str, new: str) -> str:
    lines = difflib.unified_diff(old.splitlines(True), new.splitlines(True), "a.py", "b.py")
    return "".join(lines)


@pytest.mark.parametrize(
    "changed",
    [
        SOURCE.replace("line 3\n", "line three\n"),
        SOURCE.replace("line 1\n", ""),
        SOURCE.replace("line 30\n", "line 30\nline 31\n"),
        SOURCE.replace("line 12\n", "").replace("line 20\n", "new\nlines\n"),
        "everything\nelse\n",
    ],
    ids=["replace", "delete-first", "append", "two-hunks", "rewrite"],
)
def test_a_patch_from_diff_gives_back_the_changed_file(changed: str) -> None:
    assert variants.apply(SOURCE, unified(SOURCE, changed)) == changed


def test_a_patch_that_no_longer_fits_names_its_hunk() -> None:
    patch = unified(SOURCE, SOURCE.replace("line 20\n", "twenty\n"))
    with pytest.raises(variants.VariantError, match="hunk at line 17 does not match"):
        variants.apply(SOURCE.replace("line 18\n", "eighteen\n"), patch)


def test_a_file_that_is_no_patch_is_refused() -> None:
    with pytest.raises(variants.VariantError, match="no hunks"):
        variants.apply(SOURCE, "def build_model():\n    pass\n")


@pytest.mark.parametrize(
    "patch", sorted(CASES.glob("*/**/*.patch")), ids=lambda p: str(p.relative_to(CASES))
)
def test_every_case_patch_applies_to_its_lessons_reference(patch: Path, tmp_path: Path) -> None:
    lesson = patch.relative_to(CASES).parts[0]
    made = variants.materialise(patch, ROOT / "solutions" / f"{lesson}.py", tmp_path / "s.py")
    compile(made.read_text(encoding="utf-8"), str(made), "exec")


def test_calibrating_a_patch_that_does_not_fit_is_a_usage_error(tmp_path: Path, capsys) -> None:
    patch = tmp_path / "stale.patch"
    patch.write_text(unified("nothing like\nthe reference\n", "something\n"), encoding="utf-8")
    argv = ["lesson1", "--seeds", "1", "--submission", str(patch)]
    assert calibrate.run(argv, Console(file=None)) == EXIT_USAGE
    error = capsys.readouterr().err
    assert "stale.patch: hunk at line 1 does not match the reference there" in error
