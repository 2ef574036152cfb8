#!/usr/bin/env bash
# Install hotro on a kiosk PC (Debian 12 / Ubuntu 22.04+), or update an existing install.
# Safe to run again: every step checks before it acts, the configuration, the centre key and the
# journal are never overwritten.
#
#   sudo bash deploy/install.sh --config my-centre.toml      # install and start
#   sudo bash deploy/install.sh                              # update code, keep everything else
#
# Options:
#   --config FILE   the centre's configuration to install as /etc/hotro/hotro.toml (only when
#                   that file does not exist yet; otherwise it is left alone and a note is printed)
#   --root DIR      install into DIR instead of / (tests, image building): no apt-get, no user
#                   creation, no systemctl
#   --no-start      install and enable, but do not start the services now
#   --no-desk       do not install the desk service (terminal only)
set -euo pipefail

SRC="$(cd "$(dirname "$0")/.." && pwd)"
ROOT=""
CONFIG=""
START=1
DESK=1
while [ $# -gt 0 ]; do
  case "$1" in
    --config) CONFIG="$(realpath "$2")"; shift 2 ;;
    --root) ROOT="$(realpath -m "$2")"; shift 2 ;;
    --no-start) START=0; shift ;;
    --no-desk) DESK=0; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "install: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf 'install: %s\n' "$*"; }
if [ -z "$ROOT" ] && [ "$(id -u)" -ne 0 ]; then
  echo "install: run as root (sudo bash deploy/install.sh ...)" >&2
  exit 1
fi

OPT="$ROOT/opt/hotro"
ETC="$ROOT/etc/hotro"
VAR="$ROOT/var/lib/hotro"
LOG="$ROOT/var/log/hotro"
UNITS="$ROOT/etc/systemd/system"

# 1. System packages: speech, audio, font, an X server for the kiosk session.
if [ -z "$ROOT" ]; then
  PKGS="python3 python3-venv python3-pip espeak-ng libespeak-ng1 libportaudio2 fonts-dejavu-core
        libusb-1.0-0 xserver-xorg-core xserver-xorg-input-libinput xinit x11-xserver-utils
        libgl1 libegl1 libgl1-mesa-dri libmtdev1
        logrotate"
  missing=""
  for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    say "installing system packages:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
  fi
fi

# 2. A dedicated user with no login shell and no password.
if [ -z "$ROOT" ] && ! id hotro >/dev/null 2>&1; then
  say "creating user hotro"
  useradd --system --home-dir /var/lib/hotro --shell /usr/sbin/nologin --user-group hotro
fi
if [ -z "$ROOT" ]; then
  for g in audio video input lp dialout plugdev; do
    getent group "$g" >/dev/null && usermod -a -G "$g" hotro
  done
fi

# 3. Folders.
install -d -m 0755 "$OPT" "$ETC" "$UNITS" "$ROOT/etc/logrotate.d" "$ROOT/etc/udev/rules.d"
install -d -m 0750 "$VAR" "$LOG"
[ -z "$ROOT" ] && chown hotro:hotro "$VAR" "$LOG"

# 4. The code and its virtual environment (updated on every run).
say "copying the project to $OPT/src"
rm -rf "$OPT/src.new"
install -d "$OPT/src.new"
tar -C "$SRC" --exclude=./.venv --exclude=./.git --exclude=./test-artifacts --exclude=./.test-tools \
    --exclude='*/__pycache__' --exclude=./build --exclude='*.egg-info' -cf - . | tar -C "$OPT/src.new" -xf -
rm -rf "$OPT/src"
mv "$OPT/src.new" "$OPT/src"
if [ ! -x "$OPT/venv/bin/python" ]; then
  say "creating the virtual environment $OPT/venv"
  python3 -m venv "$OPT/venv"
fi
say "installing hotro into $OPT/venv"
# shellcheck disable=SC2086
"$OPT/venv/bin/python" -m pip install -q ${HOTRO_PIP_OPTS:-} "$OPT/src"

# 5. Configuration: the centre's values, never overwritten.
if [ ! -f "$ETC/hotro.toml" ]; then
  if [ -n "$CONFIG" ]; then
    install -m 0640 "$CONFIG" "$ETC/hotro.toml"
  else
    install -m 0640 "$SRC/deploy/hotro.example.toml" "$ETC/hotro.toml"
    say "NOTE: edit $ETC/hotro.toml with the centre's name, phone and printer"
  fi
elif [ -n "$CONFIG" ] && ! cmp -s "$CONFIG" "$ETC/hotro.toml"; then
  say "NOTE: $ETC/hotro.toml exists and differs from $CONFIG; left unchanged"
fi
[ -z "$ROOT" ] && chgrp hotro "$ETC/hotro.toml"
if [ -z "$ROOT" ]; then
  say "checking the configuration"
  sudo -u hotro HOTRO_HOME=/var/lib/hotro "$OPT/venv/bin/hotro" --config "$ETC/hotro.toml" \
    procedures list >/dev/null
  # The centre key: created once, shared with the desk; never overwritten.
  if ! sudo -u hotro HOTRO_HOME=/var/lib/hotro "$OPT/venv/bin/hotro" --config "$ETC/hotro.toml" \
      keys init 2>/dev/null; then
    say "centre key already present (kept)"
  fi
fi

# 6. systemd units, log rotation, printer permissions.
install -m 0644 "$SRC/deploy/systemd/hotro-terminal.service" "$UNITS/hotro-terminal.service"
if [ "$DESK" = 1 ]; then
  install -m 0644 "$SRC/deploy/systemd/hotro-desk.service" "$UNITS/hotro-desk.service"
fi
install -m 0644 "$SRC/deploy/logrotate/hotro" "$ROOT/etc/logrotate.d/hotro"
install -m 0644 "$SRC/deploy/udev/60-hotro-printer.rules" "$ROOT/etc/udev/rules.d/60-hotro-printer.rules"

if [ -z "$ROOT" ]; then
  udevadm control --reload-rules 2>/dev/null || true
  systemctl daemon-reload
  systemctl set-default graphical.target >/dev/null
  units="hotro-terminal.service"
  [ "$DESK" = 1 ] && units="$units hotro-desk.service"
  # shellcheck disable=SC2086
  systemctl enable $units >/dev/null
  if [ "$START" = 1 ]; then
    # shellcheck disable=SC2086
    systemctl restart $units
    say "started: $units (logs in /var/log/hotro, status: hotro doctor)"
  fi
fi
say "done"
