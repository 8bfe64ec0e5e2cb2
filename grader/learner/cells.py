"""Generated modules run section by section, and their lines named (learner side).

A notebook submission (and ``check()`` inside a notebook) is graded as a module
the grader generates from the learner's cells.  The start message's
``line_map`` cuts that file into sections, ``[first_line, last_line, label]``:
``label`` is what the learner calls those lines (``"cell 4"``, ``"In[7]"``),
or ``None`` for lines the grader wrote.  Each section is compiled and run on
its own, as a notebook runs cells: an exception in one is recorded, and the
sections after it still run.  Tracebacks then say "cell 4, line 2", not the
generated file's line.
"""

from __future__ import annotations

import re
import traceback
import types
from pathlib import Path
from typing import Any

MAX_NOTES = 10
MAX_MESSAGE = 300


class LineMap:
    """Where each line of the generated file came from; empty for a plain module."""

    def __init__(self, raw: Any = None) -> None:
        self.sections: list[tuple[int, int, str | None]] = []
        for item in raw or []:
            first, last, label = item
            self.sections.append((int(first), int(last), None if label is None else str(label)))

    def __bool__(self) -> bool:
        return bool(self.sections)

    def where(self, lineno: int | None) -> str | None:
        """``"cell 4, line 2"`` for a learner's line; ``None`` for the grader's own lines."""
        if not self.sections:
            return f"line {lineno}"
        for first, last, label in self.sections:
            if lineno is not None and first <= lineno <= last:
                return None if label is None else f"{label}, line {lineno - first + 1}"
        return None

    def relabel(self, text: str, path: str, display: str) -> str:
        """``text`` with the generated file's name and lines replaced by the learner's."""
        if not self.sections:
            return text.replace(path, display)

        name = re.escape(Path(path).name)

        def file_line(match: re.Match[str]) -> str:
            where = self.where(int(match.group(1)))
            return f'File "{display}", {where}' if where else match.group(0)

        def in_message(match: re.Match[str]) -> str:
            where = self.where(int(match.group(1)))
            return f"({display}, {where})" if where else match.group(0)

        text = re.sub(rf'File "{re.escape(path)}", line (\d+)', file_line, text)
        return re.sub(rf"\({name}, line (\d+)\)", in_message, text)

    def run(self, module: types.ModuleType, path: str) -> list[str]:
        """Run each section in ``module``'s namespace; notes on the ones that raised."""
        lines = Path(path).read_text(encoding="utf-8").splitlines(keepends=True)
        notes: list[str] = []
        for first, last, label in self.sections:
            source = "\n" * (first - 1) + "".join(lines[first - 1 : last])
            try:
                exec(compile(source, path, "exec"), module.__dict__)
            except BaseException as exc:
                if label is None:
                    raise
                if len(notes) < MAX_NOTES:
                    notes.append(self.note(exc, label, path))
        return notes

    def note(self, exc: BaseException, label: str, path: str) -> str:
        """One line for the scorecard on a section that raised while the module loaded."""
        if isinstance(exc, SystemExit):
            what = f"called sys.exit({str(exc.code)[:80]})"
        else:
            text = exc.msg if isinstance(exc, SyntaxError) else str(exc)
            message = text.splitlines()[0][:MAX_MESSAGE] if text else ""
            what = f"raised {type(exc).__name__}" + (f": {message}" if message else "")
        if isinstance(exc, SyntaxError) and exc.filename == path:
            where = self.where(exc.lineno)
        else:
            frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
            where = self.where(frames[-1].lineno) if frames else None
        if where and where.startswith(label + ","):
            label, where = where, None
        at = f" (in {where})" if where else ""
        return f"{label[0].upper()}{label[1:]} {what}{at} while loading; later cells still ran."
