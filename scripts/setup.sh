#!/usr/bin/env bash
# Sets up everything hotro needs on a fresh Debian/Ubuntu machine, idempotently:
# system packages (apt-get), a virtual environment in .venv with the project and its test extra,
# and the test-only helpers (emupos printer simulator in its own Python 3.13 environment).
# Usage: bash scripts/setup.sh [--no-test]
set -euo pipefail
cd "$(dirname "$0")/.."

with_test=1
[ "${1:-}" = "--no-test" ] && with_test=0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

# System packages: speech (espeak-ng), audio I/O (PortAudio, SDL audio via Kivy wheels),
# a Vietnamese-capable font, and for tests: OCR with Vietnamese, Chromium, a virtual screen.
APT_RUNTIME="espeak-ng libespeak-ng1 libportaudio2 libusb-1.0-0 fonts-dejavu-core sox xclip
  libgl1 libegl1 libgl1-mesa-dri libmtdev1"
APT_TEST="tesseract-ocr tesseract-ocr-vie chromium xvfb xauth xinit x11-xserver-utils x11-utils
  libxtst6"
want="$APT_RUNTIME"
[ "$with_test" = 1 ] && want="$want $APT_TEST"
missing=""
for pkg in $want; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  echo "setup: installing system packages:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

PY="${PYTHON:-python3}"
# (a .venv without pip is what a failed first try without python3-venv leaves behind: made again)
if ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
  # Debian/Ubuntu ship venv's pip bootstrap (ensurepip) in a separate package
  if ! "$PY" -c 'import ensurepip' 2>/dev/null; then
    echo "setup: installing python3-venv (ensurepip is missing)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
  fi
  "$PY" -m venv --clear .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "$with_test" = 1 ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
else
  .venv/bin/python -m pip install -q -e .
fi

if [ "$with_test" = 1 ] && [ -f scripts/setup-test-tools.sh ]; then
  bash scripts/setup-test-tools.sh
fi
echo "setup: done"
