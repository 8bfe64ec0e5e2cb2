"""The toy course's checks are a fixture for the grader (tests/test_toy_lesson.py), not tests
of this suite. The grader runs them with its confcutdir set to ``checks/toy/``, so it never
reads this file."""

collect_ignore = ["checks"]
