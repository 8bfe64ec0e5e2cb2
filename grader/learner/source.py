"""A first look at the submission file, as bytes, before any process loads it.

The scoring process reads the file but never compiles or runs it: a file that
is empty, binary, not text in its declared encoding (UTF-8 unless it says
otherwise, as Python does) or too large gets one clear message here, and no
learner process is started for it.
"""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

from grader.limits import format_size


def source_problem(path: Path, display: str, limit: int) -> str | None:
    """What makes ``path`` unfit to load as the learner's module, or ``None``."""
    size = path.stat().st_size
    if size > limit:
        return (
            f"{display} is {format_size(size)}; the grader loads files of up to "
            f"{format_size(limit)}. Is this the file you meant to submit? An exercise "
            "needs only the functions it asks for."
        )
    data = path.read_bytes()
    if not data.strip():
        return (
            f"{display} is empty. Write the exercise's functions in it "
            "(the exercise file in exercises/ is the place to start)."
        )
    if b"\0" in data:
        return (
            f"{display} is not Python source: it holds binary data (null bytes). "
            "Is this the file you meant to submit?"
        )
    return _encoding_problem(data, display)


def _encoding_problem(data: bytes, display: str) -> str | None:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # an unknown declared encoding, or bytes that are not UTF-8
        encoding, declared = "utf-8", exc.msg
    else:
        declared = None
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return (
            f"{display} is not valid {encoding.upper()} text: byte 0x{data[exc.start]:02x} on "
            f"line {line} cannot be read. Save the file as UTF-8 in your editor."
        )
    if declared is not None:
        return f"{display} cannot be read as Python source: {declared}."
    return None
