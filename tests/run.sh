#!/usr/bin/env bash
# Install the grader with its test tools, get the Fashion-MNIST data, run every test.
# The README's test command; .ci/run calls it as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --upgrade pip
python -m pip install --quiet -e '.[test]'

# From Debian: Fashion-MNIST for the lessons that use it (offline afterwards),
# bubblewrap, so that CI grades learner code sandboxed (--sandbox required there),
# and headless Chromium, which opens the HTML report in the figures' tests.
missing=()
[ -d /usr/share/datasets/fashion-mnist ] || missing+=(dataset-fashion-mnist)
command -v bwrap > /dev/null || missing+=(bubblewrap)
command -v chromium > /dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}"
fi

ruff check .
ruff format --check .
python -m pytest "$@"
