"""``python -m grader gradescope-bundle LESSON``: the autograder zip Gradescope needs.

The zip holds ``setup.sh`` and ``run_autograder`` (from docs/gradescope/, with
the lesson and the visibility filled in) at its top level, the course's source
under ``course/`` (``setup.sh`` installs the grader from it) and, with
``--checks``, the private checks under ``private-checks/LESSON/``.  It is built
from a source checkout of the course, where docs/gradescope/ is.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from grader import lessons
from grader.classroom import instructor

TEMPLATES = lessons.SOURCE_ROOT / "docs" / "gradescope"
COURSE = ("pyproject.toml", "README.md", "grader", "exercises", "solutions")
"""What of the course goes into the zip: enough to ``pip install`` the grader."""
LEFT_OUT = {"__pycache__", ".grader", ".pytest_cache"}
EXECUTABLE = 0o755 << 16


def run_autograder(lesson: str, visibility: str) -> str:
    """The ``run_autograder`` template with this lesson and visibility."""
    text = (TEMPLATES / "run_autograder").read_text(encoding="utf-8")
    text = re.sub(r"^LESSON=\S+", f"LESSON={lesson}", text, count=1, flags=re.MULTILINE)
    return re.sub(r"^VISIBILITY=\S+", f"VISIBILITY={visibility}", text, count=1, flags=re.M)


def _files(root: Path, names: tuple[str, ...] | None = None) -> Iterator[Path]:
    for name in names or sorted(p.name for p in root.iterdir()):
        path = root / name
        if path.name in LEFT_OUT or path.suffix == ".pyc" or not path.exists():
            continue
        if path.is_dir():
            yield from _files(path)
        else:
            yield path


def _add(bundle: zipfile.ZipFile, name: str, text: str, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = EXECUTABLE if executable else 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    bundle.writestr(info, text)


def build(lesson: str, out: Path, checks: Path | None = None, visibility: str = "visible") -> None:
    """Write the zip to ``out`` atomically."""
    lessons.get(lesson)
    private = instructor.private_checks(checks, lesson) if checks else None
    if not (TEMPLATES / "setup.sh").is_file():
        raise FileNotFoundError(f"no templates in {TEMPLATES}: run from a source checkout")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as bundle:
            _add(bundle, "setup.sh", (TEMPLATES / "setup.sh").read_text(), executable=True)
            _add(bundle, "run_autograder", run_autograder(lesson, visibility), executable=True)
            root = lessons.SOURCE_ROOT
            for path in _files(root, COURSE):
                bundle.write(path, "course/" + path.relative_to(root).as_posix())
            for path in _files(private) if private else ():
                name = path.relative_to(private).as_posix()
                bundle.write(path, f"private-checks/{lesson}/{name}")
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
