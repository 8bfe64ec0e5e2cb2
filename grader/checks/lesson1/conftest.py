"""Lesson 1's shared steps: build the learner's model once, train it once.

Every check that needs the model or the trained model takes these fixtures,
so a grading run calls ``build_model`` and ``train`` exactly once each.
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.checks import steps
from grader.grading.model import ModelInfo
from grader.grading.plugin import GradingContext
from grader.learner.session import Learner

CELSIUS = np.array([-40, -10, 0, 8, 15, 22, 38], dtype=float)
FAHRENHEIT = np.array([-40, 14, 32, 46, 59, 72, 100], dtype=float)


@pytest.fixture(scope="session")
def training(learner: Learner, model: ModelInfo, grading: GradingContext) -> steps.Training:
    """The learner's ``train`` run once, for the grader's training budget."""
    return steps.train(learner, model, CELSIUS, FAHRENHEIT, epochs=grading.epochs)
