#!/usr/bin/env bash
# Regenerates the Action's hash-pinned requirements from pyproject.toml (the `action` extra, and
# `action` + `png`) and scripts/action_build.in (the build backend), with pip-tools:
#
#   pip install pip-tools && bash scripts/action_lock.sh
#
# Every pin carries the hashes of all of that release's files on PyPI (wheels for each platform
# and Python, and the sdist), so the same file installs on the Action's Linux and macOS runners
# with Python 3.11 to 3.13. Only PyPI is asked: local pip settings (extra indexes, find-links,
# constraints) are ignored. Run it with Python 3.11, the oldest the project supports, so that no
# pin is chosen for a newer Python only.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_CONFIG_FILE=/dev/null
unset PIP_FIND_LINKS PIP_EXTRA_INDEX_URL PIP_INDEX_URL PIP_CONSTRAINT
common=(--quiet --generate-hashes --allow-unsafe --strip-extras --rebuild
  --no-emit-index-url --no-emit-find-links --index-url https://pypi.org/simple)
pip-compile "${common[@]}" --extra action \
  --output-file scripts/action_requirements.txt pyproject.toml scripts/action_build.in
pip-compile "${common[@]}" --extra action --extra png \
  --output-file scripts/action_requirements_png.txt pyproject.toml scripts/action_build.in
