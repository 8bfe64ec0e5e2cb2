"""Submissions written as a change to a lesson's reference solution.

A weak submission in the calibration tables, or a wrong one in the goldens, is
usually the reference with one mistake in it. Kept as a unified diff
(``diff -u solutions/lessonN.py mistake.py > mistake.patch``), it shows the
mistake and nothing else, and it cannot drift from the reference unnoticed: a
patch whose context no longer matches fails to apply, naming the hunk.
``python -m grader calibrate lessonN --submission mistake.patch`` grades it.
"""

from __future__ import annotations

import re
from pathlib import Path

HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
SUFFIX = ".patch"


class VariantError(ValueError):
    """A patch that is malformed or does not fit the source it is applied to."""


def _hunks(patch: str) -> list[tuple[int, list[str]]]:
    """Each hunk's first old line (1-based) and its body lines (`` ``, ``-``, ``+``)."""
    hunks: list[tuple[int, list[str]]] = []
    for line in patch.splitlines():
        header = HUNK.match(line)
        if header:
            hunks.append((int(header.group(1)), []))
        elif hunks and line[:1] in (" ", "-", "+"):
            hunks[-1][1].append(line)
        elif hunks and line == "":
            hunks[-1][1].append(" ")  # a blank context line whose space an editor dropped
    if not hunks:
        raise VariantError("the patch has no hunks (expected the output of diff -u)")
    return hunks


def apply(source: str, patch: str) -> str:
    """``source`` with the unified diff ``patch`` applied; every context and removed line
    must match exactly where the hunk says."""
    lines = source.splitlines()
    result: list[str] = []
    position = 0
    for start, body in _hunks(patch):
        at = max(start - 1, 0) if any(b[0] != "+" for b in body) else start
        if at < position:
            raise VariantError(f"hunk at line {start} overlaps the one before it")
        result += lines[position:at]
        old = [b[1:] for b in body if b[0] in " -"]
        if lines[at : at + len(old)] != old:
            raise VariantError(f"hunk at line {start} does not match the reference there")
        result += [b[1:] for b in body if b[0] in " +"]
        position = at + len(old)
    result += lines[position:]
    return "\n".join(result) + "\n"


def materialise(patch_file: Path, reference: Path, out: Path) -> Path:
    """Write ``reference`` patched by ``patch_file`` to ``out`` and return ``out``."""
    try:
        source = apply(reference.read_text(encoding="utf-8"), patch_file.read_text("utf-8"))
    except VariantError as error:
        raise VariantError(f"{patch_file}: {error} ({reference})") from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(source, encoding="utf-8")
    return out
