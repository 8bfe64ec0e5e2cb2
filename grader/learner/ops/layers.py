"""Operations that make a Keras layer of the grader's own in the learner process.

``make_layer`` builds a layer from its class name and config (e.g. a
``TextVectorization`` with the grader's settings), adapts it to data the grader
sends when asked, and keeps it there, so that learner functions can be handed
it (``make_ngrams(lines, vectorizer)``) and the grader can call it
(``texts_through``) or read it (``vocabulary``).  Only classes of
``keras.layers`` are made; the config and data travel as JSON and arrays.
"""

from __future__ import annotations

from typing import Any

from grader.learner.describe import describe
from grader.learner.ops import operation

MAX_ADAPT = 20_000


@operation("make_layer", "the grader's {class_name} layer", described=True)
def make_layer(
    child: Any, class_name: str, config: dict[str, Any], adapt: list[Any] | None = None
) -> Any:
    """``keras.layers.<class_name>(**config)``, adapted to ``adapt`` when given, kept (a ref)."""
    import keras

    if not isinstance(class_name, str) or not class_name.isidentifier():
        raise ValueError("make_layer takes the name of a class of keras.layers")
    layer_class = getattr(keras.layers, class_name, None)
    if not isinstance(layer_class, type) or not issubclass(layer_class, keras.layers.Layer):
        raise ValueError(f"keras.layers has no layer class {class_name}")
    layer = layer_class(**dict(config))
    if adapt is not None:
        if not isinstance(adapt, list) or len(adapt) > MAX_ADAPT:
            raise ValueError("make_layer adapts to a list of at most 20,000 items")
        layer.adapt(adapt)
    info = describe(layer, child.store)
    return info if "ref" in info else {**info, "ref": child.store.add(layer)}
