"""The check author's toolkit: everything a lesson's checks and steps use, in one import.

    from grader.checking import check, ModelInfo, Learner, Value, class_ids, ...

A check is a pytest function decorated with ``@check(points=…, hint=…)``; its
docstring's first line is its title. Steps are session fixtures in the
lesson's ``conftest.py``. See docs/adding-a-lesson.md.
"""

from grader.datasets import FashionMnist, fashion_mnist
from grader.grading import messages
from grader.grading.model import LayerInfo, ModelInfo, OptimizerInfo
from grader.grading.plugin import GradingContext
from grader.grading.probes import (
    BINARY,
    SPARSE_CATEGORICAL,
    LossProbe,
    LossSpec,
    output_reading,
    probe_loss,
)
from grader.grading.readers import (
    BINARY_ACCURACY_NAMES,
    accuracy_problems,
    assert_input_shape,
    assert_normalised,
    assert_output_agrees_with_loss,
    assert_trained_for,
    class_ids,
    metric_names,
    normalised_by,
    optimizer_problems,
    output_layers,
    tensors,
)
from grader.grading.spec import CheckDefinitionError, CheckSpec, check, spec_of
from grader.learner.outcomes import GraderFault, LearnerRaised, NotAttempted, StepSkipped
from grader.learner.session import Learner, Ref, Value

__all__ = [
    "BINARY",
    "BINARY_ACCURACY_NAMES",
    "SPARSE_CATEGORICAL",
    "CheckDefinitionError",
    "CheckSpec",
    "FashionMnist",
    "GraderFault",
    "GradingContext",
    "LayerInfo",
    "Learner",
    "LearnerRaised",
    "LossProbe",
    "LossSpec",
    "ModelInfo",
    "NotAttempted",
    "OptimizerInfo",
    "Ref",
    "StepSkipped",
    "Value",
    "accuracy_problems",
    "assert_input_shape",
    "assert_normalised",
    "assert_output_agrees_with_loss",
    "assert_trained_for",
    "check",
    "class_ids",
    "fashion_mnist",
    "messages",
    "metric_names",
    "normalised_by",
    "optimizer_problems",
    "output_layers",
    "output_reading",
    "probe_loss",
    "spec_of",
    "tensors",
]
