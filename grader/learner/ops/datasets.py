"""Operations on a learner's ``tf.data`` pipeline: read batches, map a learner function."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.learner.describe import describe, take_batches
from grader.learner.ops import malformed, operation


def _read_batches(value: Any) -> list[list[list[np.ndarray]]]:
    well_formed = isinstance(value, list) and all(
        isinstance(elements, list)
        and all(
            isinstance(element, list) and all(isinstance(a, np.ndarray) for a in element)
            for element in elements
        )
        for elements in value
    )
    if not well_formed:
        raise malformed("dataset batches, or a dataset holding something other than numbers")
    return value


@operation("take_batches", "iterating the dataset", read=_read_batches)
def batches(child: Any, dataset: Any, passes: int, batches: int) -> Any:
    """The first ``batches`` elements of each of ``passes`` passes, each flattened to arrays."""
    return take_batches(dataset, int(passes), int(batches))


@operation("map_dataset", "{function}", described=True)
def map_dataset(child: Any, function: str, arrays: list[np.ndarray], batch_size: int) -> Any:
    """``Dataset.from_tensor_slices(arrays).map(<learner's function>).batch(batch_size)``."""
    import tensorflow as tf

    mapped = tf.data.Dataset.from_tensor_slices(tuple(arrays)).map(child.function(function))
    return describe(mapped.batch(int(batch_size)), child.store)
