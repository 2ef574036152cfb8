#!/usr/bin/env bash
# Installs the test-only tools, idempotently, next to the project (git-ignored .test-tools/):
#   emupos, a third-party ESC/POS printer simulator (PyPI), in its own Python 3.13 virtual
#   environment .test-tools/emupos-venv (emupos needs Python >= 3.13; the project runs on 3.11).
# Called by scripts/setup.sh; safe to run again. Exit 0 with a loud warning when no Python 3.13
# exists, so the rest of the setup still completes; the emupos tests then fail and say why.
# Override the interpreter with PYTHON313=/path/to/python3.13.
set -euo pipefail
cd "$(dirname "$0")/.."

EMUPOS_VERSION="${EMUPOS_VERSION:-0.4.0}"
VENV=".test-tools/emupos-venv"

find_python313() {
  local candidates=()
  [ -n "${PYTHON313:-}" ] && candidates+=("$PYTHON313")
  command -v python3.13 >/dev/null 2>&1 && candidates+=("$(command -v python3.13)")
  if command -v pyenv >/dev/null 2>&1; then
    local root
    root="$(pyenv root 2>/dev/null || true)"
    [ -n "$root" ] && candidates+=("$root"/versions/3.13*/bin/python3.13)
  fi
  candidates+=("${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3.13)
  candidates+=(/root/.pyenv/versions/3.13*/bin/python3.13 /usr/bin/python3.13
    /usr/local/bin/python3.13 /opt/python*/bin/python3.13)
  local py
  for py in "${candidates[@]}"; do
    # a pyenv shim exists even when the version is not installed: ask the interpreter itself
    if [ -x "$py" ] && "$py" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 13))' \
      >/dev/null 2>&1; then
      echo "$py"
      return 0
    fi
  done
  return 1
}

if [ -x "$VENV/bin/emupos" ] && "$VENV/bin/python" -c "
import importlib.metadata as m, sys
sys.exit(m.version('emupos') != '$EMUPOS_VERSION')" >/dev/null 2>&1; then
  echo "setup-test-tools: emupos $EMUPOS_VERSION already in $VENV"
  exit 0
fi

if ! PY313="$(find_python313)"; then
  cat >&2 <<'EOF'
setup-test-tools: WARNING: no Python 3.13 found (looked at $PYTHON313, python3.13 on PATH,
  pyenv versions, /usr/bin, /usr/local/bin). The emupos printer simulator needs Python 3.13, so
  the end-to-end printer tests (tests/printer/test_emupos.py) will fail until one is installed,
  e.g. `pyenv install 3.13` or the distribution's python3.13 package, then run this again.
EOF
  exit 0
fi

echo "setup-test-tools: installing emupos $EMUPOS_VERSION with $PY313 into $VENV"
mkdir -p .test-tools
if [ ! -x "$VENV/bin/python" ]; then
  "$PY313" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q "emupos==$EMUPOS_VERSION"
"$VENV/bin/emupos" --version >/dev/null 2>&1 || "$VENV/bin/emupos" --help >/dev/null
echo "setup-test-tools: emupos ready: $VENV/bin/emupos"
