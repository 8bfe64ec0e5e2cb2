import os
import sys

# `python -m grader` puts the current folder first on sys.path. That folder is
# the learner's, and a numpy.py or rich.py there must not shadow the grader's
# own imports. The grader package itself is already imported at this point.
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == os.getcwd():
    del sys.path[0]

from grader.cli import main

sys.exit(main())
