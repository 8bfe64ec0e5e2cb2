"""Operations on what a learner's function returns when it is itself a function.

A learner's function may return a callable (a closure over a loaded SavedModel,
a ``TFSMLayer``): ``call_keeping`` calls the learner's function and keeps what
it returned in the learner process, whatever it is, and ``call_returned``
calls that kept object on an array.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.learner.describe import describe, numeric_array
from grader.learner.ops import operation, read_array


@operation("call_keeping", "{function}", described=True)
def call_keeping(child: Any, function: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """``function(*args, **kwargs)``, described, and kept (a ref) even when it is not a
    model or a dataset; ``info["callable"]`` says whether it can be called."""
    value = child.function(function)(*args, **kwargs)
    info = describe(value, child.store)
    if "ref" not in info:
        info = {**info, "ref": child.store.add(value)}
    return {**info, "callable": callable(value)}


@operation("call_returned", "calling what {function} returned", read=read_array)
def call_returned(child: Any, obj: Any, x: np.ndarray, function: str = "") -> Any:
    """``obj(x)`` as an array: a dict with one output gives that output."""
    result = obj(x)
    if isinstance(result, dict) and len(result) == 1:
        result = next(iter(result.values()))
    return numeric_array(np.asarray(result))
