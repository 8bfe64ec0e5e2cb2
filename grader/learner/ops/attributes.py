"""Operation that reads one public attribute of a learner object as plain data.

For example a dataset's ``class_names`` (``image_dataset_from_directory`` sets it
on the dataset it returns; ``.cache()`` or ``.prefetch()`` make a dataset
without it). The value travels as JSON values (``describe.plain``); an object
without the attribute gives ``None``.
"""

from __future__ import annotations

from typing import Any

from grader.learner.describe import plain
from grader.learner.ops import malformed, operation

MAX_ITEMS = 1000


def _read_plain(value: Any, depth: int = 0) -> Any:
    """A reply that must be JSON values (strings, numbers, lists, dicts of them)."""
    if value is None or type(value) in (bool, int, float, str):
        return value
    if depth < 8 and type(value) is list and len(value) <= MAX_ITEMS:
        return [_read_plain(item, depth + 1) for item in value]
    if depth < 8 and type(value) is dict and len(value) <= MAX_ITEMS:
        return {str(k): _read_plain(v, depth + 1) for k, v in value.items()}
    raise malformed("attribute value")


@operation("attribute", "reading {name}", read=_read_plain)
def attribute(child: Any, obj: Any, name: str) -> Any:
    """``getattr(obj, name)`` as plain data, ``None`` when it has no such attribute."""
    if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
        raise ValueError("attribute takes the name of a public attribute")
    return plain(getattr(obj, name, None))
