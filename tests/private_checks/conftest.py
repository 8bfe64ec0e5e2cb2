"""The private checks below are a fixture for the grader, not tests of this suite.

The grader runs them with its confcutdir set to ``lesson1/``, so it never reads this file.
"""

collect_ignore = ["lesson1"]
