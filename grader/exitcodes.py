"""The exit codes of ``python -m grader``: a contract that course CI relies on.

0: every check passed (or the score reached ``--pass-mark``); for other commands,
   they did what was asked.
1: some check did not pass, including code that crashes, exits or hangs.
2: a usage error (unknown lesson, missing file, bad option) or a fault of the
   grader itself, never the learner's zero.
"""

EXIT_PASSED = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
