"""How lesson 2's checks read its datasets; the shared readers are in grader.checking."""

from __future__ import annotations

from typing import Any

from grader.learner.session import Learner, Value


def dataset_pass(learner: Learner, dataset: Value, batches: int, passes: int) -> list[Any]:
    assert dataset.kind == "dataset", (
        f"make_dataset should return a tf.data.Dataset; it returned {dataset.type_name} "
        f"({dataset.info.get('repr')})."
    )
    taken = learner.take_batches(dataset.ref, passes=passes, batches=batches + 1)
    for elements in taken:
        assert elements and all(len(element) == 2 for element in elements), (
            "Each element of the dataset should be a pair (images, labels)."
        )
    return taken


def spec_problems(spec: Any) -> list[str]:
    """What is wrong with a training dataset's element spec, in the learner's words."""
    if not (isinstance(spec, list) and len(spec) == 2 and all(isinstance(s, dict) for s in spec)):
        return [f"Expected each element to be a pair (images, labels); found {spec}."]
    images, labels = spec
    problems = []
    if images.get("shape") not in ([None, 28, 28, 1], [32, 28, 28, 1]):
        problems.append(
            f"Expected batches of images shaped (batch, 28, 28, 1); found {images.get('shape')}. "
            "Did you call .batch(batch_size)?"
        )
    if images.get("dtype") != "float32":
        problems.append(
            f"Expected float32 images; found {images.get('dtype')}. Map normalize over the dataset."
        )
    if not str(labels.get("dtype", "")).startswith(("int", "uint")):
        problems.append(f"Expected integer labels; found {labels.get('dtype')}.")
    return problems
