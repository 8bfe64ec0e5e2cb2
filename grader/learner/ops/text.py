"""Operations on text layers the learner's functions return (a ``TextVectorization``).

``texts_through`` calls a kept object on a list of strings (turned into a string
tensor there) and gives back the numbers it returns; ``vocabulary`` reads a kept
layer's ``get_vocabulary()``.  Texts travel as JSON strings, never as objects.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.learner.describe import numeric_array
from grader.learner.ops import malformed, operation, read_array

MAX_TEXTS = 20_000
MAX_VOCABULARY = 100_000
MAX_WORD_CHARS = 200


def _read_words(value: Any) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_VOCABULARY:
        raise malformed("vocabulary")
    if not all(isinstance(word, str) and len(word) <= MAX_WORD_CHARS for word in value):
        raise malformed("vocabulary")
    return value


@operation("texts_through", "calling {what} on texts", read=read_array)
def texts_through(child: Any, obj: Any, texts: list[str], what: str = "the layer") -> Any:
    """``obj(texts)`` as an array, the texts given as one string tensor."""
    import tensorflow as tf

    if not isinstance(texts, list) or len(texts) > MAX_TEXTS:
        raise ValueError("texts_through takes a list of strings")
    if not all(isinstance(text, str) for text in texts):
        raise ValueError("texts_through takes a list of strings")
    result = obj(tf.constant(texts, dtype=tf.string))
    return numeric_array(np.asarray(result))


@operation("vocabulary", "the layer's get_vocabulary()", read=_read_words)
def vocabulary(child: Any, obj: Any) -> list[str]:
    """``obj.get_vocabulary()`` as a list of strings (bytes decoded as UTF-8)."""
    words = list(obj.get_vocabulary())[: MAX_VOCABULARY + 1]
    return [w.decode("utf-8", "replace") if isinstance(w, bytes) else str(w) for w in words]
