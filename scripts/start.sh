#!/usr/bin/env bash
# Sets up hotro (scripts/setup.sh --no-test) and starts the terminal on its embedded defaults:
# windowed, slips as PNG previews, voice input off until a model is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --no-test
exec .venv/bin/hotro run --windowed "$@"
