#!/usr/bin/env bash
# Sets up everything (scripts/setup.sh) and runs the checks: ruff, then the whole test suite.
# Tests run headless: SDL offscreen video, SDL audio to a file, no sound card or printer needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
