"""A private checks folder's shared steps: reuse the built-in lesson 1 fixtures.

Importing them here makes ``built`` and ``model`` available to this folder's
checks, so a private check costs no extra call into the learner's code.
"""

from grader.checks.lesson1.conftest import built, model

__all__ = ["built", "model"]
