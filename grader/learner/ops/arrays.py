"""Operations that make a ``tf.data`` dataset of the grader's own arrays in the learner process.

A lesson uses it to train a learner's model with the learner's ``train`` on data
the grader prepared (e.g. the reference windows of a series), so that a check on
training does not depend on another of the learner's functions being right.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.learner.describe import describe
from grader.learner.ops import operation


@operation("dataset_from_arrays", "the grader's dataset", described=True)
def dataset_from_arrays(
    child: Any,
    arrays: list[np.ndarray],
    batch_size: int,
    shuffle_buffer: int = 0,
    repeat: int = 1,
) -> Any:
    """``Dataset.from_tensor_slices(arrays)``, cached, shuffled afresh each pass when
    ``shuffle_buffer`` > 0, repeated ``repeat`` times (one epoch of ``fit`` is then
    ``repeat`` passes over the arrays) and batched by ``batch_size``."""
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices(tuple(arrays)).cache()
    if int(shuffle_buffer) > 0:
        dataset = dataset.shuffle(int(shuffle_buffer), reshuffle_each_iteration=True)
    dataset = dataset.repeat(max(1, int(repeat))).batch(int(batch_size))
    return describe(dataset.prefetch(2), child.store)
