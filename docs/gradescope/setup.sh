#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
# The autograder zip is unpacked into /autograder/source.
set -euo pipefail

apt-get update
# bubblewrap: every submission is graded in a sandbox (run_autograder asks for it).
apt-get install -y --no-install-recommends python3 python3-pip python3-venv bubblewrap

python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --upgrade pip
# The grader, from the copy of the course repository inside the zip.
/autograder/venv/bin/pip install /autograder/source/course
